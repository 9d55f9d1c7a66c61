//! Scores: one contact from its criterion verdicts (this file), and agents,
//! teams and classes over a period ([`aggregate`]).

pub mod aggregate;

use crate::input::scorecard::{AutoFailMode, Method, ScoringConfig};
use crate::results::{CriterionResult, ErrorCounts, Status};

/// The score of one contact and the flags that qualify it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContactScore {
    /// 0..100; `None` when no criterion applies.
    pub score: Option<f64>,
    /// Some manual criteria await a controller, so the score may still change.
    pub partial: bool,
    /// A failed criterion has `auto_fail`.
    pub auto_failed: bool,
    pub errors: ErrorCounts,
}

/// Scores a contact exactly as docs/design.md ("Scoring") says: N/A and pending
/// criteria leave both sums; a failed `auto_fail` criterion zeroes the contact
/// or, in `section` mode, every applicable criterion of its section.
pub fn score_contact(cfg: &ScoringConfig, criteria: &[CriterionResult]) -> ContactScore {
    let applicable = |c: &&CriterionResult| matches!(c.status, Status::Pass | Status::Fail);
    let mut errors = ErrorCounts::default();
    for c in criteria.iter().filter(|c| c.status == Status::Fail) {
        errors.add(c.severity);
    }
    let partial = criteria.iter().any(|c| c.status.awaits_person());
    let failed_auto: Vec<&str> = criteria
        .iter()
        .filter(|c| c.status == Status::Fail && c.auto_fail)
        .map(|c| c.section.as_str())
        .collect();
    let auto_failed = !failed_auto.is_empty();
    let any_applicable = criteria.iter().any(|c| applicable(&c));
    let zeroed = |c: &CriterionResult| {
        cfg.auto_fail == AutoFailMode::Section && failed_auto.contains(&c.section.as_str())
    };
    let score = if !any_applicable {
        None
    } else if auto_failed && cfg.auto_fail == AutoFailMode::Contact {
        Some(0.0)
    } else {
        match cfg.method {
            Method::Weighted => {
                let sums = |scale: f64| {
                    let (mut earned, mut total) = (0.0, 0.0);
                    for c in criteria.iter().filter(applicable) {
                        let w = finite_weight(c.weight.unwrap_or(1.0)) / scale;
                        total += w;
                        if c.status == Status::Pass && !zeroed(c) {
                            earned += w;
                        }
                    }
                    (total > 0.0).then(|| 100.0 * earned / total)
                };
                // Weights validate bounds never overflow; others (a result
                // file, a library caller) are divided by the largest weight
                // first, so no sum can reach infinity.
                match sums(1.0) {
                    Some(s) if !s.is_finite() => {
                        let top = criteria
                            .iter()
                            .filter(applicable)
                            .map(|c| finite_weight(c.weight.unwrap_or(1.0)))
                            .fold(0.0, f64::max);
                        sums(top)
                    }
                    s => s,
                }
                .map(|s| s.clamp(0.0, 100.0))
            }
            Method::Deduction => {
                let lost: f64 = criteria
                    .iter()
                    .filter(applicable)
                    .filter(|c| c.status == Status::Fail || zeroed(c))
                    .map(|c| finite_weight(c.penalty.unwrap_or(0.0)))
                    .sum();
                Some((100.0 - lost).clamp(0.0, 100.0))
            }
        }
    };
    ContactScore {
        score: score.filter(|s| s.is_finite()),
        partial,
        auto_failed,
        errors,
    }
}

/// A weight or penalty as a finite, non-negative number: NaN and negatives
/// count as 0, infinity as the largest double.
fn finite_weight(w: f64) -> f64 {
    if w.is_nan() || w <= 0.0 {
        0.0
    } else {
        w.min(f64::MAX)
    }
}

#[cfg(test)]
mod tests;
