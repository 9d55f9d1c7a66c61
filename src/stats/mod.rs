//! Statistics for quality monitoring: how sure are we of an agent's score,
//! how many contacts must be monitored, and do the controllers agree?
//!
//! Everything here is pure arithmetic on slices (std only), so the report,
//! sampling and calibration code can share one tested implementation.
//! Functions return `None` where a statistic is undefined (too little data,
//! zero variance) instead of NaN, so a report can print "n/a" deliberately.

mod agreement;
mod descriptive;
mod icc;
mod rng;
mod sampling;

pub use agreement::{
    cohen_kappa, fleiss, fleiss_counts, fleiss_kappa, krippendorff_alpha,
    krippendorff_alpha_nominal, percent_agreement, transpose, Fleiss, Level, RatingMatrix,
};
pub use descriptive::{mean, mean_ci95, sample_sd, t_critical_95, Moments};
pub use icc::{icc, Icc};
pub use rng::Rng;
pub use sampling::{normal_quantile, sample_size, wilson_interval, StatsError, Z95};

/// Asserts `|actual − expected| ≤ tol`, reporting both on failure.
#[cfg(test)]
#[track_caller]
fn assert_close(actual: f64, expected: f64, tol: f64) {
    assert!(
        (actual - expected).abs() <= tol,
        "expected {expected} ± {tol}, got {actual}"
    );
}

/// `x` rounded to `decimals` places as a person will read it, never a
/// negative zero: a change of −0.04 shown to one decimal would read «−0.0»,
/// a fall that did not happen.
pub fn shown(x: f64, decimals: i32) -> f64 {
    let k = 10f64.powi(decimals);
    let r = (x * k).round() / k;
    // Adding +0.0 turns −0.0 into +0.0.
    r + 0.0
}
