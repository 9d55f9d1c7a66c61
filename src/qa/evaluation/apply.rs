//! Merging controllers' answers into the results of `cqa check`.
//!
//! - A manual criterion takes the controller's answer.
//! - An answer on an automatic criterion overrides the automatic verdict;
//!   the result keeps both (`auto_status`, `auto_reason`) and who decided
//!   (`evaluator`, `comment`), so feedback can say "changed by Иванова".
//! - Several controllers giving the **same** answer: applied, all named.
//! - Controllers **disagreeing** outside a calibration session: nothing is
//!   resolved silently. The criterion keeps the status it had without them —
//!   the automatic verdict, or `pending` for a manual criterion (the score
//!   is then `partial`) — its reason says so, and the case is listed in
//!   `disagreements.jsonl` for the QA lead to settle.
//! - Answers that cannot be applied (unknown contact or criterion, a number
//!   on a verdict criterion) go to `evaluation_errors.jsonl` with file,
//!   sheet and row.
//!
//! The contact is then re-scored with its scorecard's scoring rules.

use super::answer::Answer;
use super::read::{Answered, BadRow, Evaluations, Location};
use crate::input::scorecard::{Scorecard, ScoringConfig};
use crate::output::results::Detail;
use crate::output::Sink;
use crate::results::{ContactResult, CriterionResult, Rejection};
use crate::words::qa::EvaluationWords;
use crate::words::Lang;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::Path;

pub use crate::output::results::{DISAGREEMENTS, EVALUATION_ERRORS};

struct CardInfo {
    scoring: ScoringConfig,
    manual: HashMap<String, bool>,
}

/// One controller's side of a disagreement.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Opinion {
    pub evaluator: String,
    pub answer: String,
    pub comment: String,
    #[serde(flatten)]
    pub at: Location,
}

/// Controllers who answered the same criterion of the same contact differently.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Disagreement {
    pub contact_id: String,
    pub criterion_id: String,
    /// The status the results keep: the automatic one, or `pending`.
    pub status_kept: crate::results::Status,
    pub answers: Vec<Opinion>,
}

/// Counts for the terminal.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplySummary {
    pub answers: usize,
    /// Criteria whose status now comes from a controller.
    pub applied: usize,
    /// Of those, automatic criteria where the controller changed the verdict.
    pub overridden: usize,
    pub disagreements: usize,
    pub bad_rows: Vec<BadRow>,
}

impl ApplySummary {
    /// A few lines for the end of `cqa check`.
    pub fn render(&self, lang: Lang) -> String {
        let w = EvaluationWords::for_lang(lang);
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} {}; {} {}; {} {}.",
            w.answers, self.answers, w.applied, self.applied, w.overridden, self.overridden
        );
        if self.disagreements > 0 {
            let _ = writeln!(
                s,
                "{} {} ({DISAGREEMENTS}); {}",
                w.disagreements, self.disagreements, w.disagreements_kept
            );
        }
        if !self.bad_rows.is_empty() {
            let _ = writeln!(
                s,
                "{} {} ({EVALUATION_ERRORS}):",
                w.bad_rows,
                self.bad_rows.len()
            );
            for b in self.bad_rows.iter().take(5) {
                let _ = writeln!(s, "  {}: {}", b.at.shown(lang), b.message);
            }
        }
        s
    }
}

/// Applies answers to results as they stream past; see the module docs.
pub struct Applier {
    by_contact: HashMap<String, Vec<Answered>>,
    cards: HashMap<String, CardInfo>,
    seen: HashSet<String>,
    lang: Lang,
    summary: ApplySummary,
    disagreements: Vec<Disagreement>,
}

impl Applier {
    pub fn new<'a>(
        evals: Evaluations,
        scorecards: impl IntoIterator<Item = &'a Scorecard>,
        lang: Lang,
    ) -> Self {
        let mut cards = HashMap::new();
        for c in scorecards {
            cards.entry(c.id.clone()).or_insert_with(|| CardInfo {
                scoring: c.scoring,
                manual: c
                    .criteria()
                    .map(|(_, k)| (k.id.clone(), k.is_manual()))
                    .collect(),
            });
        }
        let summary = ApplySummary {
            answers: evals.answers.len(),
            bad_rows: evals.bad,
            ..Default::default()
        };
        let mut by_contact: HashMap<String, Vec<Answered>> = HashMap::new();
        for a in evals.answers {
            by_contact.entry(a.contact_id.clone()).or_default().push(a);
        }
        Applier {
            by_contact,
            cards,
            seen: HashSet::new(),
            lang,
            summary,
            disagreements: Vec::new(),
        }
    }

    /// Applies every answer for this contact and re-scores it.
    pub fn apply(&mut self, r: &mut ContactResult) {
        self.seen.insert(r.contact_id.clone());
        let Some(answers) = self.by_contact.get(&r.contact_id) else {
            return;
        };
        let Some(card) = self.cards.get(&r.scorecard_id) else {
            return;
        };
        let mut by_criterion: BTreeMap<&str, Vec<&Answered>> = BTreeMap::new();
        for a in answers {
            match r.criteria.iter().find(|c| c.id == a.criterion_id) {
                None => self.summary.bad_rows.push(BadRow {
                    at: a.at.clone(),
                    message: format!(
                        "contact `{}` was scored with scorecard `{}`, which has no criterion `{}`",
                        r.contact_id, r.scorecard_id, a.criterion_id
                    ),
                }),
                Some(_) if a.answer.status().is_none() => self.summary.bad_rows.push(BadRow {
                    at: a.at.clone(),
                    message: format!(
                        "answer `{}` on criterion `{}` is a number; this criterion takes Да/Нет/Н/П (Yes/No/N/A)",
                        a.answer.key(),
                        a.criterion_id
                    ),
                }),
                Some(_) => by_criterion.entry(&a.criterion_id).or_default().push(a),
            }
        }
        for (id, group) in by_criterion {
            let Some(c) = r.criteria.iter_mut().find(|c| c.id == id) else {
                continue;
            };
            let manual = card.manual.get(id).copied().unwrap_or(false);
            let agreed = group
                .iter()
                .all(|a| a.answer.key() == group[0].answer.key());
            if agreed {
                let changed = set_answer(c, &group, manual, self.lang);
                self.summary.applied += 1;
                self.summary.overridden += usize::from(changed && !manual);
            } else {
                self.disagreements
                    .push(dispute(c, &r.contact_id, &group, self.lang));
            }
        }
        let s = crate::score::score_contact(&card.scoring, &r.criteria);
        r.score = s.score;
        r.partial = s.partial;
        r.auto_failed = s.auto_failed;
        r.errors = s.errors;
    }

    /// Wraps a sink so that every result passes through [`Applier::apply`].
    /// Results the answers change are encoded again in the run's `detail` form.
    pub fn sink<'a>(&'a mut self, inner: &'a mut dyn Sink, detail: Detail) -> ApplyingSink<'a> {
        ApplyingSink {
            applier: self,
            inner,
            detail,
        }
    }

    /// Reports answers for contacts the run never saw (unless the run only
    /// scored a shard, where they may belong to another one), writes
    /// `disagreements.jsonl` and `evaluation_errors.jsonl` into `dir`, and
    /// returns the counts.
    pub fn finish(mut self, dir: &Path, report_unknown: bool) -> std::io::Result<ApplySummary> {
        if report_unknown {
            let mut unknown: Vec<&Answered> = self
                .by_contact
                .iter()
                .filter(|(id, _)| !self.seen.contains(*id))
                .flat_map(|(_, v)| v)
                .collect();
            unknown.sort_by(|a, b| a.at.cmp(&b.at));
            for a in unknown {
                self.summary.bad_rows.push(BadRow {
                    at: a.at.clone(),
                    message: format!(
                        "contact `{}` is not among the scored contacts",
                        a.contact_id
                    ),
                });
            }
        }
        self.summary.bad_rows.sort_by(|a, b| a.at.cmp(&b.at));
        // In the run's language, for the file, the terminal and the workbook.
        for b in &mut self.summary.bad_rows {
            b.message = crate::words::say::in_lang(&b.message, self.lang);
        }
        self.summary.disagreements = self.disagreements.len();
        write_jsonl(&dir.join(DISAGREEMENTS), &self.disagreements)?;
        write_jsonl(&dir.join(EVALUATION_ERRORS), &self.summary.bad_rows)?;
        Ok(self.summary)
    }
}

fn write_jsonl<T: serde::Serialize>(path: &Path, items: &[T]) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    for i in items {
        serde_json::to_writer(&mut w, i)?;
        w.write_all(b"\n")?;
    }
    w.flush()
}

fn names(group: &[&Answered]) -> String {
    group
        .iter()
        .map(|a| a.evaluator.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Sets the agreed answer; returns whether the status changed.
fn set_answer(c: &mut CriterionResult, group: &[&Answered], manual: bool, lang: Lang) -> bool {
    let w = EvaluationWords::for_lang(lang);
    let status = group[0].answer.status().unwrap_or(c.status);
    let before = c.status;
    let comments: Vec<String> = group
        .iter()
        .filter(|a| !a.comment.is_empty())
        .map(|a| {
            if group.len() > 1 {
                format!("{}: {}", a.evaluator, a.comment)
            } else {
                a.comment.clone()
            }
        })
        .collect();
    let comment = comments.join("; ");
    let mut reason = format!("{} ({}): {}", w.verdict, names(group), status.label(lang));
    if !manual {
        reason.push_str(&format!("; {}: {}", w.automatic, before.label(lang)));
        c.auto_status = Some(before);
        c.auto_reason = Some(std::mem::take(&mut c.reason));
    }
    reason.push('.');
    if !comment.is_empty() {
        reason.push_str(&format!(" {}: {comment}", w.comment));
    }
    c.reason = reason;
    c.status = status;
    c.evaluator = Some(names(group));
    c.comment = (!comment.is_empty()).then_some(comment);
    status != before
}

fn dispute(
    c: &mut CriterionResult,
    contact: &str,
    group: &[&Answered],
    lang: Lang,
) -> Disagreement {
    let w = EvaluationWords::for_lang(lang);
    let said: Vec<String> = group
        .iter()
        .map(|a| format!("{} — {}", a.evaluator, a.answer.word(lang)))
        .collect();
    c.reason.push_str(&format!(
        " {} ({}); {} {DISAGREEMENTS}.",
        w.controllers_disagree,
        said.join(", "),
        w.status_unchanged
    ));
    Disagreement {
        contact_id: contact.to_string(),
        criterion_id: c.id.to_string(),
        status_kept: c.status,
        answers: group
            .iter()
            .map(|a| Opinion {
                evaluator: a.evaluator.clone(),
                answer: Answer::word(a.answer, lang),
                comment: a.comment.clone(),
                at: a.at.clone(),
            })
            .collect(),
    }
}

/// A [`Sink`] that applies answers to each result before passing it on.
pub struct ApplyingSink<'a> {
    applier: &'a mut Applier,
    inner: &'a mut dyn Sink,
    detail: Detail,
}

impl Sink for ApplyingSink<'_> {
    fn result(&mut self, r: &ContactResult, line: &[u8]) -> std::io::Result<()> {
        if self.applier.by_contact.contains_key(&r.contact_id) {
            let mut r = r.clone();
            self.applier.apply(&mut r);
            self.inner
                .result(&r, &crate::output::results::line(&r, self.detail))
        } else {
            self.applier.seen.insert(r.contact_id.clone());
            self.inner.result(r, line)
        }
    }
    fn rejection(&mut self, r: &Rejection) -> std::io::Result<()> {
        self.inner.rejection(r)
    }
    fn progress(&mut self, done: crate::output::Progress) {
        self.inner.progress(done);
    }
    fn wants_progress(&self) -> bool {
        self.inner.wants_progress()
    }
}
