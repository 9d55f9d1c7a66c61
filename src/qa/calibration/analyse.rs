//! The statistics of a calibration session, computed with [`crate::stats`].
//!
//! Per criterion, over the contacts × evaluators answers (a missing answer
//! is missing; Н/П is a category): percent agreement, Krippendorff's alpha
//! (nominal for verdicts; interval when every answer is a number, as on a
//! −2…2 scale), Fleiss' kappa when every contact has the same number of
//! raters, and the share of human answers that agree with the automatic
//! verdict. Per contact: each evaluator's total score — their answers over
//! the automatic verdicts, which is what a blank answer in a form means —
//! and its spread. ICC(2,1) over the contacts every evaluator scored.
//! Per evaluator: mean deviation from the reference (or from the mean of
//! the others), and the criteria where they disagree most.

use super::session::Session;
use crate::input::scorecard::{ScoringConfig, Severity};
use crate::qa::evaluation::Answer;
use crate::results::{CriterionResult, Status};
use crate::stats::{self, Level};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct CriterionStats {
    pub id: String,
    pub title: String,
    /// Evaluators who answered this criterion at least once.
    pub raters: usize,
    /// Contacts with at least one answer.
    pub contacts: usize,
    pub percent_agreement: Option<f64>,
    /// At `level`: nominal for verdicts, interval for numeric scales.
    pub krippendorff_alpha: Option<f64>,
    pub fleiss_kappa: Option<f64>,
    pub auto_agreement: Option<f64>,
    pub level: Level,
    /// ICC(2,1) of a numeric criterion over contacts all its raters rated.
    pub icc_2_1: Option<f64>,
    /// Human answers compared with an automatic verdict.
    pub auto_compared: usize,
    /// The rule passed, people said Нет: errors the rule misses.
    pub auto_missed: usize,
    /// The rule failed, people said Да: false alarms.
    pub auto_false_alarms: usize,
    /// One side said Н/П and the other did not: the rule's applicability is off.
    pub auto_na_mismatch: usize,
    /// Decided by a language model (a `judge` rule).
    pub judge: bool,
    /// Contacts with an answer whose automatic verdict is known, and of
    /// those, how many the model left to people (`review`).
    pub auto_known: usize,
    pub auto_review: usize,
}

impl CriterionStats {
    /// The share of answered contacts the model left to people.
    pub fn review_rate(&self) -> Option<f64> {
        (self.auto_known > 0).then(|| self.auto_review as f64 / self.auto_known as f64)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ContactStats {
    pub id: String,
    /// Evaluator → total score (0–100).
    pub scores: BTreeMap<String, f64>,
    pub spread: Option<f64>,
    pub sd: Option<f64>,
    /// The automatic score, for comparison (not part of the spread).
    pub auto_score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EvaluatorStats {
    pub name: String,
    /// Mean of (own score − reference score) over contacts; positive = lenient.
    pub mean_deviation: Option<f64>,
    /// Contacts the deviation is averaged over.
    pub compared: usize,
    /// Up to three criteria with the highest disagreement rate (0–1), worst first.
    pub worst: Vec<(String, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub criteria: Vec<CriterionStats>,
    pub contacts: Vec<ContactStats>,
    pub evaluators: Vec<EvaluatorStats>,
    pub icc_2_1: Option<f64>,
    pub reference: Option<String>,
    /// Blank answers on calibration forms: (evaluator, criterion id, contacts).
    pub missing: Vec<(String, String, u64)>,
}

fn numeric(answers: &super::session::CriterionAnswers) -> bool {
    answers
        .values()
        .flat_map(|m| m.values())
        .all(|a| matches!(a, Answer::Number(_)))
}

fn number(a: &Answer) -> Option<f64> {
    match a {
        Answer::Number(x) => Some(*x),
        _ => None,
    }
}

/// Complete-case ICC(2,1): rows where every column has a value.
fn icc_complete(rows: &[Vec<Option<f64>>]) -> Option<f64> {
    let complete: Vec<Vec<f64>> = rows
        .iter()
        .filter_map(|r| r.iter().copied().collect::<Option<Vec<f64>>>())
        .collect();
    stats::icc(&complete).map(|i| i.icc2_1)
}

fn criterion_stats(s: &Session, id: &str) -> CriterionStats {
    let empty = BTreeMap::new();
    let answers = s.answers.get(id).unwrap_or(&empty);
    let raters: Vec<&String> = s
        .evaluators
        .iter()
        .filter(|e| answers.values().any(|m| m.contains_key(*e)))
        .collect();
    let is_numeric = numeric(answers);
    let keys: Vec<Vec<Option<String>>> = answers
        .values()
        .map(|m| raters.iter().map(|e| m.get(*e).map(|a| a.key())).collect())
        .collect();
    let nums: Vec<Vec<Option<f64>>> = answers
        .values()
        .map(|m| raters.iter().map(|e| m.get(*e).and_then(number)).collect())
        .collect();
    let (level, alpha) = if is_numeric {
        (
            Level::Interval,
            stats::krippendorff_alpha(&nums, Level::Interval),
        )
    } else {
        (Level::Nominal, stats::krippendorff_alpha_nominal(&keys))
    };
    let rated: Vec<Vec<Option<String>>> = keys
        .iter()
        .filter(|u| u.iter().flatten().count() > 0)
        .cloned()
        .collect();
    let fleiss_kappa = stats::fleiss_counts(&rated)
        .filter(|(_, t)| t.first().is_some_and(|r| r.iter().sum::<u64>() >= 2))
        .and_then(|(_, t)| stats::fleiss_kappa(&t));
    let (mut compared, mut agree, mut missed, mut false_alarms, mut na) = (0, 0, 0, 0, 0);
    let (mut auto_known, mut auto_review) = (0, 0);
    for (contact, m) in answers {
        let Some(auto) = s.auto.get(&(contact.clone(), id.to_string())) else {
            continue;
        };
        auto_known += 1;
        auto_review += usize::from(*auto == Status::Review);
        if auto.awaits_person() {
            continue;
        }
        for a in m.values() {
            let Some(human) = a.status() else { continue };
            compared += 1;
            agree += usize::from(human == *auto);
            missed += usize::from(*auto == Status::Pass && human == Status::Fail);
            false_alarms += usize::from(*auto == Status::Fail && human == Status::Pass);
            na += usize::from((*auto == Status::Na) != (human == Status::Na));
        }
    }
    CriterionStats {
        id: id.to_string(),
        title: s.title(id),
        raters: raters.len(),
        contacts: answers.len(),
        percent_agreement: stats::percent_agreement(&keys),
        krippendorff_alpha: alpha,
        fleiss_kappa,
        auto_agreement: (compared > 0).then(|| agree as f64 / compared as f64),
        level,
        icc_2_1: if is_numeric {
            icc_complete(&nums)
        } else {
            None
        },
        auto_compared: compared,
        auto_missed: missed,
        auto_false_alarms: false_alarms,
        auto_na_mismatch: na,
        judge: s.meta(id).is_some_and(|m| m.judge),
        auto_known,
        auto_review,
    }
}

/// The criterion results one evaluator's view of a contact scores from:
/// their verdicts, else the automatic ones; criteria with neither are left out.
fn view(s: &Session, contact: &str, who: Option<&str>) -> (ScoringConfig, Vec<CriterionResult>) {
    let card = s.card_of(contact);
    let ids: Vec<String> = match card {
        Some(c) => c.criteria.iter().map(|k| k.id.clone()).collect(),
        None => s.order.clone(),
    };
    let mut out = Vec::new();
    for id in ids {
        let answer = who.and_then(|w| {
            s.answers
                .get(&id)
                .and_then(|m| m.get(contact))
                .and_then(|m| m.get(w))
                .and_then(|a| a.status())
        });
        let auto = s.auto.get(&(contact.to_string(), id.clone())).copied();
        let Some(status) = answer.or(auto) else {
            continue;
        };
        let meta = s.meta(&id);
        out.push(CriterionResult {
            id: id.as_str().into(),
            section: meta.map(|m| m.section.clone()).unwrap_or_default().into(),
            status,
            severity: meta.map_or(Severity::NonCritical, |m| m.severity),
            weight: meta.map_or(Some(1.0), |m| m.weight),
            penalty: meta.and_then(|m| m.penalty),
            auto_fail: meta.is_some_and(|m| m.auto_fail),
            reason: String::new(),
            evidence: Vec::new(),
            auto_status: None,
            auto_reason: None,
            evaluator: None,
            comment: None,
        });
    }
    (card.map(|c| c.scoring).unwrap_or_default(), out)
}

/// An evaluator's total score for a contact, if they gave it any verdict.
fn score_of(s: &Session, contact: &str, who: &str) -> Option<f64> {
    let answered = s.answers.values().any(|m| {
        m.get(contact)
            .and_then(|m| m.get(who))
            .is_some_and(|a| a.status().is_some())
    });
    if !answered {
        return None;
    }
    let (cfg, criteria) = view(s, contact, Some(who));
    crate::score::score_contact(&cfg, &criteria).score
}

/// How far `who`'s answer on one contact × criterion is from the reference
/// (or the others): 0 or 1 for verdicts (agreeing with any of the most
/// frequent answers of the others counts as agreement), |x − ref| / range
/// for numbers. `None` when there is nothing to compare with.
fn disagreement(s: &Session, m: &BTreeMap<String, Answer>, who: &str, range: f64) -> Option<f64> {
    let mine = m.get(who)?;
    let others: Vec<&Answer> = match &s.reference {
        Some(r) if r == who => return None,
        Some(r) => m.get(r).into_iter().collect(),
        None => m
            .iter()
            .filter(|(e, _)| *e != who)
            .map(|(_, a)| a)
            .collect(),
    };
    if others.is_empty() {
        return None;
    }
    if let Answer::Number(x) = mine {
        let nums: Vec<f64> = others.iter().filter_map(|a| number(a)).collect();
        let mean = stats::mean(&nums)?;
        return Some(if range > 0.0 {
            (x - mean).abs() / range
        } else {
            0.0
        });
    }
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for a in &others {
        *counts.entry(a.key()).or_default() += 1;
    }
    let top = counts.values().copied().max().unwrap_or(0);
    Some(if counts.get(&mine.key()) == Some(&top) {
        0.0
    } else {
        1.0
    })
}

fn evaluator_stats(s: &Session, contacts: &[ContactStats], who: &str) -> EvaluatorStats {
    let mut devs = Vec::new();
    let is_reference = s.reference.as_deref() == Some(who);
    for c in contacts {
        let Some(mine) = c.scores.get(who) else {
            continue;
        };
        let reference = match &s.reference {
            _ if is_reference => None,
            Some(r) => c.scores.get(r).copied(),
            None => stats::mean(
                &c.scores
                    .iter()
                    .filter(|(e, _)| e.as_str() != who)
                    .map(|(_, v)| *v)
                    .collect::<Vec<_>>(),
            ),
        };
        if let Some(r) = reference {
            devs.push(mine - r);
        }
    }
    let mut worst: Vec<(String, f64, usize)> = Vec::new();
    for id in &s.order {
        let Some(answers) = s.answers.get(id) else {
            continue;
        };
        let values: Vec<f64> = answers
            .values()
            .flat_map(|m| m.values())
            .filter_map(number)
            .collect();
        let range = values.iter().copied().fold(f64::NEG_INFINITY, f64::max)
            - values.iter().copied().fold(f64::INFINITY, f64::min);
        let d: Vec<f64> = answers
            .values()
            .filter_map(|m| disagreement(s, m, who, if range.is_finite() { range } else { 0.0 }))
            .collect();
        if let Some(rate) = stats::mean(&d).filter(|r| *r > 0.0) {
            worst.push((id.clone(), rate, d.len()));
        }
    }
    worst.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
    EvaluatorStats {
        name: who.to_string(),
        mean_deviation: stats::mean(&devs),
        compared: devs.len(),
        worst: worst
            .into_iter()
            .take(3)
            .map(|(id, r, _)| (id, r))
            .collect(),
    }
}

/// Computes the whole report.
pub fn analyse(s: &Session) -> Report {
    let criteria: Vec<CriterionStats> = s.order.iter().map(|id| criterion_stats(s, id)).collect();
    let contacts: Vec<ContactStats> = s
        .contacts
        .iter()
        .map(|c| {
            let scores: BTreeMap<String, f64> = s
                .evaluators
                .iter()
                .filter_map(|e| score_of(s, c, e).map(|v| (e.clone(), v)))
                .collect();
            let v: Vec<f64> = scores.values().copied().collect();
            let spread = (v.len() >= 2).then(|| {
                v.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                    - v.iter().copied().fold(f64::INFINITY, f64::min)
            });
            let auto_score = s
                .has_auto()
                .then(|| view(s, c, None))
                .and_then(|(cfg, k)| crate::score::score_contact(&cfg, &k).score);
            ContactStats {
                id: c.clone(),
                spread,
                sd: stats::sample_sd(&v),
                scores,
                auto_score,
            }
        })
        .collect();
    let rows: Vec<Vec<Option<f64>>> = contacts
        .iter()
        .filter(|c| !c.scores.is_empty())
        .map(|c| {
            s.evaluators
                .iter()
                .map(|e| c.scores.get(e).copied())
                .collect()
        })
        .collect();
    // Evaluators who scored nothing (e.g. gave only numeric ratings) are left
    // out; ICC(2,1) is then over the contacts every remaining one scored.
    let cols: Vec<usize> = (0..s.evaluators.len())
        .filter(|&j| rows.iter().any(|r| r[j].is_some()))
        .collect();
    let icc_2_1 = icc_complete(
        &rows
            .iter()
            .map(|r| cols.iter().map(|&j| r[j]).collect())
            .collect::<Vec<_>>(),
    );
    let evaluators = s
        .evaluators
        .iter()
        .map(|e| evaluator_stats(s, &contacts, e))
        .collect();
    Report {
        criteria,
        contacts,
        evaluators,
        icc_2_1,
        reference: s.reference.clone(),
        missing: s
            .missing
            .iter()
            .map(|((e, c), n)| (e.clone(), c.clone(), *n))
            .collect(),
    }
}
