//! The largest numbers a scorecard may hold (documented in docs/scorecard.md,
//! "Limits").
//!
//! Why: JSON numbers go up to 1.8e308, and sums of such weights overflow to
//! infinity, so a card that `validate` accepted scored contacts as `null`
//! and NaN. Every number is bounded here so that any sum over any allowed
//! card stays finite; [`crate::score::score_contact`] also guards the
//! arithmetic itself.

use std::ops::RangeInclusive;

/// A criterion's `weight` (weighted cards): greater than 0, at most this.
pub const MAX_WEIGHT: f64 = 10_000.0;
/// A criterion's `penalty` (deduction cards): greater than 0, at most this.
pub const MAX_PENALTY: f64 = 10_000.0;
/// `first_seconds` / `last_seconds` of a window: greater than 0, at most this (~11.5 days).
pub const MAX_WINDOW_SECONDS: f64 = 1_000_000.0;
/// `first_turns` / `last_turns` of a window: 1 to this.
pub const MAX_WINDOW_TURNS: u64 = 100_000;
/// `min` / `max` of a timing rule (seconds, counts or a share): 0 to this.
pub const MAX_TIMING: f64 = 1_000_000.0;
/// `gte` / `lte` of a metadata rule: within ± this (the largest integer a
/// double holds exactly is 9.0e15).
pub const MAX_METADATA_NUMBER: f64 = 1e15;
/// Criteria in one scorecard: a QA form has tens; a card past this is a
/// generator's mistake, and each criterion costs time on every contact.
pub const MAX_CRITERIA: usize = 2_000;

/// `Ok` when `x` is finite and in `range`, else the message for the JSON path.
pub(crate) fn in_range(x: f64, range: RangeInclusive<f64>, what: &str) -> Result<f64, String> {
    if x.is_finite() && range.contains(&x) {
        Ok(x)
    } else {
        Err(format!(
            "{what} must be from {} to {}, got {}",
            show(*range.start()),
            show(*range.end()),
            show(x)
        ))
    }
}

/// `Ok` when `x` is finite, greater than 0 and at most `max`.
pub(crate) fn positive(x: f64, max: f64, what: &str) -> Result<f64, String> {
    if x.is_finite() && x > 0.0 && x <= max {
        Ok(x)
    } else {
        Err(format!(
            "{what} must be greater than 0 and at most {}, got {}",
            show(max),
            show(x)
        ))
    }
}

/// A number as a person reads it: `1e308`, not 309 digits.
fn show(x: f64) -> String {
    if x.abs() >= 1e16 {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_sum_of_allowed_weights_is_finite() {
        let total = MAX_WEIGHT * MAX_CRITERIA as f64;
        assert!(total.is_finite() && 100.0 * total / total == 100.0);
    }

    #[test]
    fn huge_and_non_positive_numbers_are_refused_with_the_limit() {
        let e = positive(1e308, MAX_WEIGHT, "weight").unwrap_err();
        assert_eq!(
            e,
            "weight must be greater than 0 and at most 10000, got 1e308"
        );
        assert!(positive(0.0, MAX_WEIGHT, "weight").is_err());
        assert!(in_range(-1.0, 0.0..=MAX_TIMING, "max").is_err());
        assert_eq!(in_range(0.7, 0.0..=MAX_TIMING, "max"), Ok(0.7));
    }
}
