//! The report being written: what every workbook of it needs to know about
//! the run (labels, formats, the targets, criterion titles, the previous
//! period) and where each agent's and team's workbook goes (decided once, so
//! that links and files agree).

use super::kit::{SaveError, UniqueNames};
use super::style::Styles;
use super::{ReportError, ReportOptions};
use crate::input::scorecard::{Severity, Targets};
use crate::output::manifest::{CriterionInfo, Manifest};
use crate::score::aggregate::{Aggregates, CriterionKey, Group, NO_TEAM};
use crate::words::report::Labels;
use crate::words::report::Words;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

pub(crate) const AGENTS_DIR: &str = "agents";
pub(crate) const TEAMS_DIR: &str = "teams";
pub(crate) const SUMMARY: &str = "summary.xlsx";

/// The report of one run (and, for trends, the period before): shared by
/// the summary, agent and team workbooks, which are written in parallel.
pub(crate) struct Report<'a> {
    pub m: &'a Manifest,
    pub agg: &'a Aggregates,
    pub prev: Option<&'a Aggregates>,
    pub opts: &'a ReportOptions,
    pub l: &'static Labels,
    pub w: &'static Words,
    /// Shared, so that list sheets can tell a column's own format by address.
    pub s: std::sync::Arc<Styles>,
    /// Targets of the run: for each, the first scorecard the results used
    /// (in run.json order) that sets it.
    pub targets: Targets,
    by_id: HashMap<&'a str, &'a CriterionInfo>,
    /// (scorecard id, criterion id) -> its description, the first card's when
    /// a card id repeats: looked up once per criterion per sheet, so a list
    /// search made 100,000 criteria cost minutes.
    by_card: HashMap<(&'a str, &'a str), &'a CriterionInfo>,
    /// The score target of each scorecard (id, version) the results used that sets one.
    card_targets: Vec<(&'a str, &'a str, f64)>,
    /// Whether those targets differ (then each group and contact has its own).
    targets_differ: bool,
    /// Criterion ids that more than one scorecard uses.
    shared_ids: HashSet<&'a str>,
    /// Agent key -> file stem under `agents/`.
    pub agent_files: BTreeMap<String, String>,
    /// Team key -> file stem under `teams/`.
    pub team_files: BTreeMap<String, String>,
}

impl<'a> Report<'a> {
    pub fn new(
        m: &'a Manifest,
        agg: &'a Aggregates,
        prev: Option<&'a Aggregates>,
        opts: &'a ReportOptions,
    ) -> Self {
        let l = Labels::for_lang(opts.lang);
        // The run's targets come from the cards the results used: a card
        // loaded but not used (a call card in a run of chats) sets none.
        let used = m.scorecards.iter().filter(|c| {
            agg.scorecards
                .iter()
                .any(|(id, v)| *id == c.id && *v == c.version)
        });
        let mut targets = Targets::default();
        let mut card_targets: Vec<(&str, &str, f64)> = Vec::new();
        for card in used {
            let t = card.targets;
            targets.score = targets.score.or(t.score);
            targets.customer_critical_accuracy = targets
                .customer_critical_accuracy
                .or(t.customer_critical_accuracy);
            targets.business_critical_accuracy = targets
                .business_critical_accuracy
                .or(t.business_critical_accuracy);
            targets.compliance_critical_accuracy = targets
                .compliance_critical_accuracy
                .or(t.compliance_critical_accuracy);
            let seen = card_targets
                .iter()
                .any(|(id, v, _)| *id == card.id && *v == card.version);
            if let (Some(t), false) = (t.score, seen) {
                card_targets.push((card.id.as_str(), card.version.as_str(), t));
            }
        }
        let targets_differ = card_targets.iter().any(|c| c.2 != card_targets[0].2);
        // The first card's description wins for look-ups by id alone; ids are
        // unique within a card, so an id seen before is another card's too.
        let mut by_id = HashMap::new();
        let mut by_card = HashMap::new();
        let mut shared_ids = HashSet::new();
        for s in &m.scorecards {
            for c in &s.criteria {
                by_card.entry((s.id.as_str(), c.id.as_str())).or_insert(c);
            }
        }
        for c in m.scorecards.iter().flat_map(|s| &s.criteria) {
            match by_id.entry(c.id.as_str()) {
                Entry::Occupied(_) => {
                    shared_ids.insert(c.id.as_str());
                }
                Entry::Vacant(v) => {
                    v.insert(c);
                }
            }
        }
        let mut files = UniqueNames::files();
        let agent_files = agg
            .agents
            .iter()
            .map(|(k, g)| {
                let raw = if g.name.is_empty() || g.name == *k {
                    k.clone()
                } else {
                    format!("{} ({k})", g.name)
                };
                (k.clone(), files.claim(&raw))
            })
            .collect();
        let mut files = UniqueNames::files();
        let team_files = agg
            .teams
            .keys()
            .map(|k| (k.clone(), files.claim(&team_label_of(l, k))))
            .collect();
        Report {
            m,
            agg,
            prev,
            opts,
            l,
            w: Words::for_lang(opts.lang),
            s: std::sync::Arc::new(Styles::new(l)),
            targets,
            by_id,
            by_card,
            card_targets,
            targets_differ,
            shared_ids,
            agent_files,
            team_files,
        }
    }

    /// The criterion as its scorecard describes it (the scorecard's own first, then any).
    pub fn criterion(&self, scorecard: Option<&str>, id: &str) -> Option<&'a CriterionInfo> {
        scorecard
            .and_then(|s| self.by_card.get(&(s, id)).copied())
            .or_else(|| self.by_id.get(id).copied())
    }

    /// The criterion's title, or its id when run.json is not at hand.
    pub fn title(&self, scorecard: Option<&str>, id: &str) -> String {
        self.criterion(scorecard, id)
            .map_or_else(|| id.to_string(), |c| c.title.clone())
    }

    /// How a failure of the criterion reads: its `fail_title`, or
    /// "Не выполнено: <title>" (a title says what is expected, and alone
    /// under "frequent failure" it reads as praise).
    pub fn fail_title(&self, scorecard: Option<&str>, id: &str) -> String {
        match self.criterion(scorecard, id) {
            Some(c) => match &c.fail_title {
                Some(t) => t.clone(),
                None => format!("{}: {}", self.w.not_done, c.title),
            },
            None => format!("{}: {id}", self.w.not_done),
        }
    }

    /// How a failure reads in lists that mix scorecards ([`Report::fail_title`]),
    /// with the card's id when another card has a criterion of the same id.
    pub fn failed_title(&self, key: &CriterionKey) -> String {
        let title = self.fail_title(Some(&key.scorecard_id), &key.id);
        if self.shared_ids.contains(key.id.as_str()) {
            format!("{title} ({})", key.scorecard_id)
        } else {
            title
        }
    }

    /// The score target a group is held to. When the scorecards the results
    /// used agree, the run's target. When they differ, each card's target
    /// weighted by the group's scored contacts on that card, so that an agent
    /// who takes calls (target 85) and chats (target 90) is held to what their
    /// own mix asks; contacts on cards without a target do not weigh, and a
    /// group with none of its contacts on a card with a target has none.
    pub fn score_target(&self, g: &Group) -> Option<f64> {
        if !self.targets_differ {
            return self.targets.score;
        }
        let (mut sum, mut n) = (0.0, 0u64);
        for ((id, version), &k) in &g.scored_by_card {
            if let Some(t) = self.card_target(id, version) {
                sum += t * k as f64;
                n += k;
            }
        }
        (n > 0).then(|| sum / n as f64)
    }

    /// A scorecard version's own score target, if the results used it and it sets one.
    fn card_target(&self, id: &str, version: &str) -> Option<f64> {
        self.card_targets
            .iter()
            .find(|c| c.0 == id && c.1 == version)
            .map(|c| c.2)
    }

    /// The cards the results used that set a score target, with it.
    pub fn card_targets(&self) -> &[(&'a str, &'a str, f64)] {
        &self.card_targets
    }

    /// Whether the scorecards the results used set different score targets
    /// (then each group and contact has its own, and one number for a
    /// column would mislead).
    pub fn score_targets_differ(&self) -> bool {
        self.targets_differ
    }

    /// Ranked when it has at least `min_n` scored contacts.
    pub fn ranked(&self, g: &Group) -> bool {
        g.scored >= self.opts.min_n && g.scores.mean().is_some()
    }

    pub fn team_label(&self, key: &str) -> String {
        team_label_of(self.l, key)
    }

    /// Target for a class accuracy as a fraction (cells hold fractions shown as percent).
    pub fn class_target(&self, s: Severity) -> Option<f64> {
        self.targets.accuracy(s).map(|t| t / 100.0)
    }

    /// The targets a group misses, score first then each class accuracy
    /// (every target the cards set counts: "target met" means all of them).
    pub fn missed_targets(&self, g: &Group) -> Vec<Goal> {
        let mut v = Vec::new();
        if let (Some(t), Some(m)) = (self.score_target(g), g.scores.mean()) {
            if m < t {
                v.push(Goal::Score);
            }
        }
        for sev in Severity::CRITICAL {
            if let (Some(t), Some(a)) = (self.class_target(sev), acc(g, sev)) {
                if a + 1e-9 < t {
                    v.push(Goal::Class(sev));
                }
            }
        }
        v
    }

    /// Whether the run sets any target a group can be judged against.
    pub fn has_targets(&self, g: &Group) -> bool {
        self.score_target(g).is_some()
            || Severity::CRITICAL
                .iter()
                .any(|s| self.class_target(*s).is_some())
    }

    /// "met", or "not met: score, customer" naming each missed target.
    pub fn targets_text(&self, missed: &[Goal]) -> String {
        if missed.is_empty() {
            return self.l.met.to_string();
        }
        let names: Vec<&str> = missed
            .iter()
            .map(|g| match g {
                Goal::Score => self.w.goal_score,
                Goal::Class(s) => self.l.class_short(*s),
            })
            .collect();
        format!("{}: {}", self.l.not_met, names.join(", "))
    }

    /// Where a ranked group stands: those meeting every target above those
    /// who miss one; among those, fewer auto-fails, then fewer and smaller
    /// class-accuracy shortfalls, before the mean score. `Equal` means the
    /// same place.
    pub fn standing_cmp(&self, a: &Group, b: &Group) -> std::cmp::Ordering {
        let (ma, mb) = (self.missed_targets(a), self.missed_targets(b));
        let shortfall = |g: &Group, missed: &[Goal]| -> (usize, f64) {
            let mut n = 0;
            let mut sum = 0.0;
            for m in missed {
                if let Goal::Class(s) = m {
                    n += 1;
                    sum += self.class_target(*s).unwrap_or(0.0) - acc(g, *s).unwrap_or(0.0);
                }
            }
            (n, sum)
        };
        let by_errors = if !ma.is_empty() && !mb.is_empty() {
            let ((na, sa), (nb, sb)) = (shortfall(a, &ma), shortfall(b, &mb));
            a.auto_fails
                .cmp(&b.auto_fails)
                .then(na.cmp(&nb))
                .then(sa.total_cmp(&sb))
        } else {
            std::cmp::Ordering::Equal
        };
        ma.is_empty()
            .cmp(&mb.is_empty())
            .reverse()
            .then(by_errors)
            .then_with(|| {
                let m = |g: &Group| g.scores.mean().unwrap_or(0.0);
                m(b).total_cmp(&m(a))
            })
    }

    /// "title — n" for a group's k-th most failed criterion.
    pub fn top_text(&self, g: &Group, k: usize) -> Option<String> {
        let top = g.top_failed(k + 1);
        top.get(k)
            .map(|(key, n)| format!("{} — {n}", self.failed_title(key)))
    }

    /// How the most failed criteria moved: "title: 40.0% → 20.0%", for the
    /// current top three and those that were the top three before.
    pub fn top_trend(&self, g: &Group, before: Option<&Group>) -> String {
        let Some(before) = before else {
            return self.l.new_in_period.to_string();
        };
        let rate = |gr: &Group, key: &CriterionKey| {
            if gr.contacts == 0 {
                0.0
            } else {
                100.0 * gr.fails_of(key) as f64 / gr.contacts as f64
            }
        };
        let mut keys: Vec<CriterionKey> = g.top_failed(3).into_iter().map(|(k, _)| k).collect();
        for (key, _) in before.top_failed(3) {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        keys.iter()
            .map(|key| {
                format!(
                    "{}: {:.1}% → {:.1}%",
                    self.failed_title(key),
                    rate(before, key),
                    rate(g, key)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn prev_agent(&self, key: &str) -> Option<&'a Group> {
        self.prev.and_then(|p| p.agents.get(key))
    }

    pub fn prev_team(&self, key: &str) -> Option<&'a Group> {
        self.prev.and_then(|p| p.teams.get(key))
    }

    /// The period the contacts cover, as written in the results.
    pub fn period(&self) -> String {
        match (&self.agg.first_started, &self.agg.last_started) {
            (Some(a), Some(b)) => format!("{} — {}", short_date(a), short_date(b)),
            _ => self.l.unknown.to_string(),
        }
    }

    /// The scorecards a group was scored with, "id version": an agent who
    /// only takes calls is not told about the chat and e-mail cards.
    /// Contacts without a score leave no card behind; a group with none
    /// falls back to the run's cards.
    pub fn cards_of(&self, g: &Group) -> String {
        if g.scored_by_card.is_empty() {
            return self.scorecards_text();
        }
        g.scored_by_card
            .keys()
            .map(|(id, v)| format!("{id} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The scorecards that scored these results, "id version".
    pub fn scorecards_text(&self) -> String {
        self.agg
            .scorecards
            .iter()
            .map(|(id, v)| format!("{id} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A workbook with the report's settings ([`super::kit::new_workbook`]).
pub(crate) fn new_workbook(
    dir: &Path,
    title: &str,
) -> Result<rust_xlsxwriter::Workbook, ReportError> {
    super::kit::new_workbook(dir, title).map_err(ReportError::xlsx(dir))
}

/// Saves a workbook of the report atomically ([`super::kit::save_atomically`]).
pub(crate) fn save(wb: &mut rust_xlsxwriter::Workbook, path: &Path) -> Result<(), ReportError> {
    super::kit::save_atomically(wb, path).map_err(|e| match e {
        SaveError::Write(e) => ReportError::xlsx(path)(e),
        SaveError::Rename(e) => ReportError::io(path)(e),
    })
}

/// A target the cards set: the mean score, or one class accuracy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Goal {
    Score,
    Class(Severity),
}

fn team_label_of(l: &Labels, key: &str) -> String {
    if key == NO_TEAM {
        l.no_team.to_string()
    } else {
        key.to_string()
    }
}

/// "2026-11-02" from an RFC 3339 timestamp (the text itself when it is not one).
pub(crate) fn short_date(s: &str) -> &str {
    s.get(..10)
        .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
        .unwrap_or(s)
}

/// The 95% confidence interval of a mean score, shown within 0–100: the
/// normal approximation can pass the bounds for small or skewed samples, and
/// a bound no score can reach only confuses the reader.
pub(crate) fn ci95(g: &Group) -> Option<(f64, f64)> {
    g.scores
        .ci95()
        .map(|(lo, hi)| (lo.clamp(0.0, 100.0), hi.clamp(0.0, 100.0)))
}

/// COPC accuracy as a fraction.
pub(crate) fn acc(g: &Group, s: Severity) -> Option<f64> {
    g.accuracy(s).map(|a| a / 100.0)
}

/// Accuracy change in percentage points, as shown (one decimal, no «−0.0»).
pub(crate) fn acc_delta(g: &Group, before: Option<&Group>, s: Severity) -> Option<f64> {
    Some(crate::stats::shown(
        g.accuracy(s)? - before?.accuracy(s)?,
        1,
    ))
}

/// Score change, as shown (one decimal, no «−0.0»).
pub(crate) fn score_delta(g: &Group, before: Option<&Group>) -> Option<f64> {
    Some(crate::stats::shown(
        g.scores.mean()? - before?.scores.mean()?,
        1,
    ))
}
