//! Proportions and sample sizes: how precise is an error rate, and how many
//! contacts must be monitored to know it.

use std::fmt;

/// Two-sided 95% standard-normal quantile, Φ⁻¹(0.975).
pub const Z95: f64 = 1.959963984540054;

/// Wilson score interval for a proportion (e.g. the share of contacts with a
/// critical error). Unlike p ± z·√(p(1−p)/n) it stays inside [0, 1] and is
/// not zero-width at 0/10 or 10/10 — exactly the small-sample cases QA meets.
/// `z` is the normal quantile, [`Z95`] for 95%. `None` when `n == 0`,
/// `successes > n` or `z` is negative or not finite.
pub fn wilson_interval(successes: u64, n: u64, z: f64) -> Option<(f64, f64)> {
    if n == 0 || successes > n || !z.is_finite() || z < 0.0 {
        return None;
    }
    let nf = n as f64;
    let p = successes as f64 / nf;
    let z2 = z * z;
    let denom = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denom;
    let half = z * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt() / denom;
    let lo = if successes == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if successes == n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    Some((lo, hi))
}

/// Invalid input to [`sample_size`]; the message names the command-line
/// option so it can be shown to the user as is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StatsError {
    /// Margin of error outside (0, 1).
    Margin(f64),
    /// Confidence level outside (0, 1).
    Confidence(f64),
    /// Expected proportion outside [0, 1].
    Proportion(f64),
    /// A finite population of zero contacts.
    Population(u64),
}

impl fmt::Display for StatsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Margin(v) => write!(f, "--margin must be between 0 and 1 (exclusive), got {v}"),
            Self::Confidence(v) => {
                write!(
                    f,
                    "--confidence must be between 0 and 1 (exclusive), got {v}"
                )
            }
            Self::Proportion(v) => {
                write!(
                    f,
                    "--proportion must be between 0 and 1 (inclusive), got {v}"
                )
            }
            Self::Population(v) => write!(f, "--population must be at least 1, got {v}"),
        }
    }
}

impl std::error::Error for StatsError {}

/// Standard-normal quantile Φ⁻¹(p) (Wichura's AS241, relative error ~1e-16).
/// Turns a confidence level into z. `None` unless 0 < p < 1.
///
/// Kept rather than `statrs` (`Normal::inverse_cdf`): over p = 0.0001…0.9999
/// statrs differs in the last bit for 72% of the values (Φ⁻¹(0.975) is
/// 1.9599639845400538 there, 1.9599639845400536 here), which would change
/// the sample sizes and intervals `cqa sample-size` prints, and it is 1.4–7×
/// slower (measured 2026-12-08; BENCHMARKS.md).
#[allow(clippy::excessive_precision)]
pub fn normal_quantile(p: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    let poly = |c: &[f64], x: f64| c.iter().rev().fold(0.0, |acc, &k| acc * x + k);
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        let num = [
            3.387132872796366608,
            133.14166789178437745,
            1971.5909503065514427,
            13731.693765509461125,
            45921.953931549871457,
            67265.770927008700853,
            33430.575583588128105,
            2509.0809287301226727,
        ];
        let den = [
            1.0,
            42.313330701600911252,
            687.1870074920579083,
            5394.1960214247511077,
            21213.794301586595867,
            39307.89580009271061,
            28729.085735721942674,
            5226.495278852854561,
        ];
        return Some(q * poly(&num, r) / poly(&den, r));
    }
    let r = (-(if q < 0.0 { p } else { 1.0 - p }).ln()).sqrt();
    let x = if r <= 5.0 {
        let r = r - 1.6;
        let num = [
            1.42343711074968357734,
            4.6303378461565452959,
            5.7694972214606914055,
            3.64784832476320460504,
            1.27045825245236838258,
            0.24178072517745061177,
            0.0227238449892691845833,
            7.7454501427834140764e-4,
        ];
        let den = [
            1.0,
            2.05319162663775882187,
            1.6763848301838038494,
            0.68976733498510000455,
            0.14810397642748007459,
            0.0151986665636164571966,
            5.475938084995344946e-4,
            1.05075007164441684324e-9,
        ];
        poly(&num, r) / poly(&den, r)
    } else {
        let r = r - 5.0;
        let num = [
            6.6579046435011037772,
            5.4637849111641143699,
            1.7848265399172913358,
            0.29656057182850489123,
            0.026532189526576123093,
            0.0012426609473880784386,
            2.71155556874348757815e-5,
            2.01033439929228813265e-7,
        ];
        let den = [
            1.0,
            0.59983220655588793769,
            0.13692988092273580531,
            0.0148753612908506148525,
            7.868691311456132591e-4,
            1.8463183175100546818e-5,
            1.4215117583164458887e-7,
            2.04426310338993978564e-15,
        ];
        poly(&num, r) / poly(&den, r)
    };
    Some(if q < 0.0 { -x } else { x })
}

/// How many contacts to monitor so an error rate is known to ±`margin` at
/// the given `confidence`: n0 = z²·p(1−p)/e², corrected for a finite
/// `population` (e.g. a team's 400 calls a month) as n0 / (1 + (n0−1)/N),
/// rounded up. `p` is the expected proportion; 0.5 is the safe worst case.
/// Results beyond `u64::MAX` saturate.
pub fn sample_size(
    margin: f64,
    confidence: f64,
    p: f64,
    population: Option<u64>,
) -> Result<u64, StatsError> {
    if !(margin > 0.0 && margin < 1.0) {
        return Err(StatsError::Margin(margin));
    }
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(StatsError::Confidence(confidence));
    }
    if !(0.0..=1.0).contains(&p) {
        return Err(StatsError::Proportion(p));
    }
    // z = Φ⁻¹((1+c)/2), computed from the lower tail for precision near c = 1.
    let z = -normal_quantile((1.0 - confidence) / 2.0).ok_or(StatsError::Confidence(confidence))?;
    let n0 = z * z * p * (1.0 - p) / (margin * margin);
    let n = match population {
        None => n0,
        Some(0) => return Err(StatsError::Population(0)),
        Some(_) if n0 == 0.0 => 0.0,
        Some(big_n) => n0 / (1.0 + (n0 - 1.0) / big_n as f64),
    };
    // Tolerance so that 97.000000000001 from rounding noise is 97, not 98.
    let n = (n - 1e-9 * n.max(1.0)).ceil().max(0.0) as u64;
    Ok(population.map_or(n, |big_n| n.min(big_n)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::assert_close;

    #[test]
    fn wilson_intervals_match_published_vectors() {
        for (s, n, lo, hi) in [
            (9, 10, 0.5958, 0.9821),
            (1, 10, 0.0179, 0.4042),
            (0, 10, 0.0, 0.2775),
            (3, 30, 0.0346, 0.2562),
            (45, 50, 0.7864, 0.9565),
        ] {
            let (a, b) = wilson_interval(s, n, Z95).unwrap();
            assert_close(a, lo, 1e-4);
            assert_close(b, hi, 1e-4);
        }
    }

    #[test]
    fn wilson_interval_is_exactly_bounded_at_all_or_nothing() {
        assert_eq!(wilson_interval(0, 10, Z95).unwrap().0, 0.0);
        assert_eq!(wilson_interval(10, 10, Z95).unwrap().1, 1.0);
    }

    #[test]
    fn wilson_interval_rejects_impossible_counts() {
        assert_eq!(wilson_interval(0, 0, Z95), None);
        assert_eq!(wilson_interval(11, 10, Z95), None);
        assert_eq!(wilson_interval(1, 10, f64::NAN), None);
    }

    #[test]
    fn normal_quantile_is_accurate_to_1e9() {
        for (p, z) in [
            (0.975, 1.959963984540054),
            (0.995, 2.5758293035489),
            (0.9, 1.2815515655446008),
            (0.999, 3.090232306167813),
            (0.6, 0.2533471031357998),
            (0.05, -1.6448536269514726),
            (1e-10, -6.361340902404056),
            (1.0 - 1e-12, 7.0344869100478356),
            (0.5, 0.0),
        ] {
            assert_close(normal_quantile(p).unwrap(), z, 1e-9);
        }
        assert_close(Z95, normal_quantile(0.975).unwrap(), 1e-15);
    }

    #[test]
    fn normal_quantile_is_undefined_outside_open_unit_interval() {
        for p in [0.0, 1.0, -0.1, 1.5, f64::NAN] {
            assert_eq!(normal_quantile(p), None);
        }
    }

    #[test]
    fn sample_size_matches_published_vectors() {
        assert_eq!(sample_size(0.05, 0.95, 0.5, Some(400)), Ok(197));
        assert_eq!(sample_size(0.05, 0.95, 0.5, None), Ok(385));
        assert_eq!(sample_size(0.05, 0.95, 0.1, Some(1000)), Ok(122));
        assert_eq!(sample_size(0.10, 0.95, 0.1, Some(1000)), Ok(34));
    }

    #[test]
    fn sample_size_never_exceeds_population_and_zero_rate_needs_none() {
        assert_eq!(sample_size(0.01, 0.99, 0.5, Some(50)), Ok(50));
        assert_eq!(sample_size(0.01, 0.99, 0.5, Some(1)), Ok(1));
        assert_eq!(sample_size(0.05, 0.95, 0.0, Some(1)), Ok(0));
        assert_eq!(sample_size(0.05, 0.95, 1.0, None), Ok(0));
    }

    #[test]
    fn sample_size_errors_name_the_offending_argument() {
        let err = sample_size(1.5, 0.95, 0.5, None).unwrap_err();
        assert_eq!(err, StatsError::Margin(1.5));
        assert_eq!(
            err.to_string(),
            "--margin must be between 0 and 1 (exclusive), got 1.5"
        );
        assert_eq!(
            sample_size(0.0, 0.95, 0.5, None),
            Err(StatsError::Margin(0.0))
        );
        let err = sample_size(0.05, 95.0, 0.5, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "--confidence must be between 0 and 1 (exclusive), got 95"
        );
        let err = sample_size(0.05, 0.95, -0.1, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "--proportion must be between 0 and 1 (inclusive), got -0.1"
        );
        let err = sample_size(0.05, 0.95, 0.5, Some(0)).unwrap_err();
        assert_eq!(err.to_string(), "--population must be at least 1, got 0");
        assert!(matches!(
            sample_size(f64::NAN, 0.95, 0.5, None),
            Err(StatsError::Margin(_))
        ));
        let boxed: Box<dyn std::error::Error> = Box::new(err);
        assert!(boxed.to_string().starts_with("--population"));
    }
}
