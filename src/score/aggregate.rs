//! Period aggregates: agents, teams, criteria and COPC classes, built from
//! results one at a time, so a million contacts need only agents x criteria
//! of memory. `merge` makes sharded runs add up to the same numbers.

use crate::input::scorecard::Severity;
use crate::results::{ContactResult, Status};
use crate::stats::Moments;
use crate::sys::hash::FnvMap;
use std::collections::{BTreeMap, BTreeSet};

/// A criterion of a scorecard: ids are unique within a card only.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CriterionKey {
    pub scorecard_id: String,
    pub id: String,
}

/// One agent, one team, or everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Group {
    pub key: String,
    pub name: String,
    pub team: Option<String>,
    /// Every contact scored for this group, with or without a score.
    pub contacts: u64,
    /// Contacts with a score (`score` not null): the n behind `scores`.
    pub scored: u64,
    pub scores: Moments,
    /// Pooled points: sum of earned weight over sum of applicable weight.
    pub earned: f64,
    pub possible: f64,
    /// Contacts with at least one failed criterion of each class (Severity order).
    pub class_errors: [u64; 4],
    pub auto_fails: u64,
    pub partial: u64,
    /// Failures per criterion of each scorecard: two cards may both have a
    /// `greeting`, and their failures are different findings.
    pub criterion_fails: BTreeMap<CriterionKey, u64>,
    /// Agent ids (for teams and the whole run).
    pub members: BTreeSet<String>,
    /// Contacts with a score, per scorecard (id, version): an agent who
    /// takes calls and chats is held to each card's target in proportion.
    pub scored_by_card: BTreeMap<(String, String), u64>,
}

impl Group {
    fn new(key: &str, name: &str, team: Option<&str>) -> Self {
        Group {
            key: key.to_string(),
            name: name.to_string(),
            team: team.map(str::to_string),
            ..Default::default()
        }
    }

    /// Adds a result whose failed criteria are `fails` (made once for the
    /// three groups a result goes to). `member_known` says the agent is
    /// already among `members`, sparing the look-up.
    fn add(&mut self, r: &ContactResult, fails: &[&CriterionKey], member_known: bool) {
        self.contacts += 1;
        if let Some(s) = r.score {
            self.scored += 1;
            // A group meets one to a few cards: a scan, no key made per contact.
            let card = self
                .scored_by_card
                .iter_mut()
                .find(|((id, v), _)| *id == r.scorecard_id && *v == r.scorecard_version);
            match card {
                Some((_, n)) => *n += 1,
                None => {
                    let key = (r.scorecard_id.clone(), r.scorecard_version.clone());
                    self.scored_by_card.insert(key, 1);
                }
            }
            self.scores.push(s);
            let possible = possible_points(r);
            self.possible += possible;
            self.earned += s / 100.0 * possible;
        }
        for sev in Severity::ALL {
            if r.errors.get(sev) > 0 {
                self.class_errors[sev.index()] += 1;
            }
        }
        self.auto_fails += u64::from(r.auto_failed);
        self.partial += u64::from(r.partial);
        // One search a failure (a key is cloned only when new to the group).
        for &key in fails {
            match self.criterion_fails.get_mut(key) {
                Some(n) => *n += 1,
                None => {
                    self.criterion_fails.insert(key.clone(), 1);
                }
            }
        }
        if !member_known && !self.members.contains(&r.agent_id) {
            self.members.insert(r.agent_id.clone());
        }
        if self.team.is_none() {
            self.team = r.team.clone();
        }
    }

    fn merge(&mut self, o: &Group) {
        self.contacts += o.contacts;
        self.scored += o.scored;
        self.scores.merge(&o.scores);
        self.earned += o.earned;
        self.possible += o.possible;
        for i in 0..4 {
            self.class_errors[i] += o.class_errors[i];
        }
        self.auto_fails += o.auto_fails;
        self.partial += o.partial;
        for (k, v) in &o.criterion_fails {
            *self.criterion_fails.entry(k.clone()).or_default() += v;
        }
        self.members.extend(o.members.iter().cloned());
        for (card, n) in &o.scored_by_card {
            *self.scored_by_card.entry(card.clone()).or_default() += n;
        }
        if self.team.is_none() {
            self.team = o.team.clone();
        }
    }

    /// COPC accuracy: percent of contacts with no failed criterion of the class.
    pub fn accuracy(&self, sev: Severity) -> Option<f64> {
        (self.contacts > 0).then(|| {
            100.0 * (self.contacts - self.class_errors[sev.index()]) as f64 / self.contacts as f64
        })
    }

    /// The points-weighted score: long contacts with many applicable criteria weigh more.
    pub fn pooled_score(&self) -> Option<f64> {
        (self.possible > 0.0).then(|| 100.0 * self.earned / self.possible)
    }

    /// Failures of one criterion of one scorecard.
    pub fn fails_of(&self, key: &CriterionKey) -> u64 {
        self.criterion_fails.get(key).copied().unwrap_or(0)
    }

    /// The `k` most failed criteria, most failures first, ties by scorecard and id.
    pub fn top_failed(&self, k: usize) -> Vec<(CriterionKey, u64)> {
        let mut v: Vec<(CriterionKey, u64)> = self
            .criterion_fails
            .iter()
            .map(|(a, b)| (a.clone(), *b))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v.truncate(k);
        v
    }
}

/// Weight of the applicable criteria of a contact (100 for deduction cards, whose criteria carry no weight).
fn possible_points(r: &ContactResult) -> f64 {
    let w: f64 = r
        .criteria
        .iter()
        .filter(|c| matches!(c.status, Status::Pass | Status::Fail))
        .map(|c| c.weight.unwrap_or(0.0))
        .sum();
    if w > 0.0 {
        w
    } else {
        100.0
    }
}

/// Per-criterion counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CriterionStat {
    pub scorecard_id: String,
    pub id: String,
    pub section: String,
    pub severity: Option<Severity>,
    pub pass: u64,
    pub fail: u64,
    pub na: u64,
    pub pending: u64,
    /// Left to a person by the language model (`review`).
    pub review: u64,
}

impl CriterionStat {
    pub fn applicable(&self) -> u64 {
        self.pass + self.fail
    }
    pub fn failure_rate(&self) -> Option<f64> {
        (self.applicable() > 0).then(|| self.fail as f64 / self.applicable() as f64)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Aggregates {
    pub overall: Group,
    pub agents: BTreeMap<String, Group>,
    pub teams: BTreeMap<String, Group>,
    /// Per channel (voice, chat, e-mail…), side by side in the workbook.
    pub channels: BTreeMap<String, Group>,
    /// Each agent's scores per ISO week of `started_at` ("2026-W45"): the
    /// trend within one run, without an earlier period.
    pub weeks: BTreeMap<String, BTreeMap<String, Moments>>,
    /// Per-criterion counts in the order the results first list them
    /// (scorecard by scorecard); private so that `criterion_index` and
    /// `keys` stay true to it (both change only in `criterion_at`).
    criteria: Vec<CriterionStat>,
    /// Scorecard id -> criterion id -> position in `criteria`: every result
    /// adds to every one of its criteria, so this lookup is on the hot path.
    criterion_index: FnvMap<String, FnvMap<String, usize>>,
    /// The key of each of `criteria`, for the groups' failure counts.
    keys: Vec<CriterionKey>,
    /// Where the criteria of each scorecard's last result are in `criteria`.
    layouts: Layouts,
    pub first_started: Option<String>,
    pub last_started: Option<String>,
    pub scorecards: BTreeSet<(String, String)>,
}

/// A cache of criterion positions: derived from `criteria`, so not part of
/// what two aggregates are compared on.
#[derive(Debug, Clone, Default)]
struct Layouts(FnvMap<String, Vec<usize>>);

impl PartialEq for Layouts {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// "2026-W45": the ISO week of an RFC 3339 timestamp's own (local) date.
pub fn iso_week(started_at: &str) -> Option<String> {
    use chrono::Datelike;
    let d = chrono::NaiveDate::parse_from_str(started_at.get(..10)?, "%Y-%m-%d").ok()?;
    let w = d.iso_week();
    Some(format!("{}-W{:02}", w.year(), w.week()))
}

/// The team name used for contacts without one.
pub const NO_TEAM: &str = "—";

impl Aggregates {
    pub fn add(&mut self, r: &ContactResult) {
        let positions = self.positions(r);
        let mut fails: Vec<usize> = Vec::new();
        for (c, &at) in r.criteria.iter().zip(&positions) {
            let st = &mut self.criteria[at];
            match c.status {
                Status::Pass => st.pass += 1,
                Status::Fail => {
                    st.fail += 1;
                    fails.push(at);
                }
                Status::Na => st.na += 1,
                Status::Pending => st.pending += 1,
                Status::Review => st.review += 1,
            }
        }
        // The failed criteria's keys, borrowed: a key is cloned only when a
        // group meets it for the first time.
        let fails: Vec<&CriterionKey> = fails.iter().map(|&at| &self.keys[at]).collect();
        // One look-up an agent and a team (of a few thousand agents, each a
        // string compare that misses the cache); an agent seen before is
        // already among the run's members (`add` and `merge` keep `agents`
        // and `overall.members` together).
        let agent_known = match self.agents.get_mut(r.agent_id.as_str()) {
            Some(g) => {
                g.add(r, &fails, true);
                true
            }
            None => {
                let mut g = Group::new(&r.agent_id, r.agent_label(), r.team.as_deref());
                g.add(r, &fails, false);
                self.agents.insert(r.agent_id.clone(), g);
                false
            }
        };
        debug_assert!(!agent_known || self.overall.members.contains(&r.agent_id));
        self.overall.add(r, &fails, agent_known);
        let team = r.team.as_deref().unwrap_or(NO_TEAM);
        match self.teams.get_mut(team) {
            Some(g) => g.add(r, &fails, false),
            None => {
                let mut g = Group::new(team, team, Some(team));
                g.add(r, &fails, false);
                self.teams.insert(team.to_string(), g);
            }
        }
        let channel = r.channel.as_deref().unwrap_or(NO_TEAM);
        match self.channels.get_mut(channel) {
            Some(g) => g.add(r, &fails, false),
            None => {
                let mut g = Group::new(channel, channel, None);
                g.add(r, &fails, false);
                self.channels.insert(channel.to_string(), g);
            }
        }
        if let (Some(score), Some(week)) = (r.score, r.started_at.as_deref().and_then(iso_week)) {
            let agent = match self.weeks.get_mut(r.agent_id.as_str()) {
                Some(w) => w,
                None => self.weeks.entry(r.agent_id.clone()).or_default(),
            };
            agent.entry(week).or_default().push(score);
        }
        if let Some(s) = &r.started_at {
            if self.first_started.as_ref().is_none_or(|f| s < f) {
                self.first_started = Some(s.clone());
            }
            if self.last_started.as_ref().is_none_or(|l| s > l) {
                self.last_started = Some(s.clone());
            }
        }
        if !self
            .scorecards
            .iter()
            .any(|(id, v)| *id == r.scorecard_id && *v == r.scorecard_version)
        {
            self.scorecards
                .insert((r.scorecard_id.clone(), r.scorecard_version.clone()));
        }
    }

    /// Where each of a result's criteria is counted in `criteria` (added
    /// when new). Results of a scorecard list its criteria in the same order,
    /// so the positions of its last result are checked first, an id compare
    /// each, before the index is asked, a hash each (this runs on the single
    /// drain thread, 33 times a contact for the bank card).
    fn positions(&mut self, r: &ContactResult) -> Vec<usize> {
        if let Some(layout) = self.layouts.0.get(r.scorecard_id.as_str()) {
            let same = layout.len() == r.criteria.len()
                && layout
                    .iter()
                    .zip(&r.criteria)
                    .all(|(&at, c)| self.keys[at].id == c.id.as_str());
            if same {
                return layout.clone();
            }
        }
        let positions: Vec<usize> = r
            .criteria
            .iter()
            .map(|c| {
                self.criterion_at(&r.scorecard_id, &c.id, || CriterionStat {
                    scorecard_id: r.scorecard_id.clone(),
                    id: c.id.to_string(),
                    section: c.section.to_string(),
                    severity: Some(c.severity),
                    ..Default::default()
                })
            })
            .collect();
        match self.layouts.0.get_mut(r.scorecard_id.as_str()) {
            Some(layout) => layout.clone_from(&positions),
            None => {
                self.layouts
                    .0
                    .insert(r.scorecard_id.clone(), positions.clone());
            }
        }
        positions
    }

    /// Per-criterion counts in the order the results first list them
    /// (scorecard by scorecard), for reports that follow the scorecard.
    pub fn criteria(&self) -> &[CriterionStat] {
        &self.criteria
    }

    /// The counts of one criterion of one scorecard, if any result had it.
    pub fn criterion(&self, scorecard_id: &str, id: &str) -> Option<&CriterionStat> {
        let at = *self.criterion_index.get(scorecard_id)?.get(id)?;
        self.criteria.get(at)
    }

    /// Where the criterion's counts are in `criteria`, added (from `make`) when new.
    fn criterion_at(
        &mut self,
        scorecard_id: &str,
        id: &str,
        make: impl FnOnce() -> CriterionStat,
    ) -> usize {
        if let Some(&at) = self
            .criterion_index
            .get(scorecard_id)
            .and_then(|m| m.get(id))
        {
            return at;
        }
        let at = self.criteria.len();
        self.keys.push(CriterionKey {
            scorecard_id: scorecard_id.to_string(),
            id: id.to_string(),
        });
        self.criteria.push(make());
        self.criterion_index
            .entry(scorecard_id.to_string())
            .or_default()
            .insert(id.to_string(), at);
        at
    }

    /// Adds another run's aggregates (e.g. a shard), as if its results had been added here.
    pub fn merge(&mut self, o: &Aggregates) {
        self.overall.merge(&o.overall);
        for (k, g) in &o.agents {
            self.agents
                .entry(k.clone())
                .or_insert_with(|| Group::new(&g.key, &g.name, g.team.as_deref()))
                .merge(g);
        }
        for (k, g) in &o.teams {
            self.teams
                .entry(k.clone())
                .or_insert_with(|| Group::new(&g.key, &g.name, g.team.as_deref()))
                .merge(g);
        }
        for (k, g) in &o.channels {
            self.channels
                .entry(k.clone())
                .or_insert_with(|| Group::new(&g.key, &g.name, None))
                .merge(g);
        }
        for (agent, weeks) in &o.weeks {
            let mine = self.weeks.entry(agent.clone()).or_default();
            for (w, m) in weeks {
                mine.entry(w.clone()).or_default().merge(m);
            }
        }
        for theirs in &o.criteria {
            let at = self.criterion_at(&theirs.scorecard_id, &theirs.id, || CriterionStat {
                pass: 0,
                fail: 0,
                na: 0,
                pending: 0,
                review: 0,
                ..theirs.clone()
            });
            let st = &mut self.criteria[at];
            st.pass += theirs.pass;
            st.fail += theirs.fail;
            st.na += theirs.na;
            st.pending += theirs.pending;
            st.review += theirs.review;
        }
        for s in [&o.first_started, &o.last_started].into_iter().flatten() {
            if self.first_started.as_ref().is_none_or(|f| s < f) {
                self.first_started = Some(s.clone());
            }
            if self.last_started.as_ref().is_none_or(|l| s > l) {
                self.last_started = Some(s.clone());
            }
        }
        self.scorecards.extend(o.scorecards.iter().cloned());
    }
}
