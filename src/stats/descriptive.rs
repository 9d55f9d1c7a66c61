//! Descriptive statistics for agent and team scores: mean, spread and a
//! confidence interval, in one pass or streamed.

use super::Z95;

/// Arithmetic mean — an agent's score for the period is the mean of their
/// contact scores. `None` for an empty slice.
pub fn mean(xs: &[f64]) -> Option<f64> {
    xs.iter().copied().collect::<Moments>().mean()
}

/// Sample standard deviation (n − 1 denominator): how much an agent's contact
/// scores spread, which decides how far their mean can be trusted.
/// `None` for fewer than two values.
pub fn sample_sd(xs: &[f64]) -> Option<f64> {
    xs.iter().copied().collect::<Moments>().sd()
}

/// Two-sided 95% Student t quantiles for df = 1..=30.
const T95: [f64; 30] = [
    12.706204736,
    4.302652730,
    3.182446305,
    2.776445105,
    2.570581836,
    2.446911851,
    2.364624252,
    2.306004135,
    2.262157163,
    2.228138852,
    2.200985160,
    2.178812830,
    2.160368656,
    2.144786688,
    2.131449546,
    2.119905299,
    2.109815578,
    2.100922040,
    2.093024054,
    2.085963447,
    2.079613845,
    2.073873068,
    2.068657610,
    2.063898562,
    2.059538553,
    2.055529439,
    2.051830516,
    2.048407142,
    2.045229642,
    2.042272456,
];

/// Two-sided 95% critical value of Student's t with `df` degrees of freedom.
///
/// Agents are often judged on 5–30 monitored contacts; with so few, the
/// normal 1.96 would make their confidence intervals too narrow. Exact table
/// for df ≤ 30, then the Cornish-Fisher expansion (error < 1e-7), tending to
/// [`Z95`] as df grows. `df = 0` gives infinity: no interval is possible.
///
/// Kept rather than `statrs` (`StudentsT::inverse_cdf`): statrs is exact
/// where the table has nine decimals and the expansion an error below 1e-7
/// (they differ by up to 2.6e-8), so every agent's interval in the report
/// workbooks would change in its last digits; and its numerical inversion is
/// 500–1700× slower (measured 2026-12-08; BENCHMARKS.md).
pub fn t_critical_95(df: usize) -> f64 {
    match df {
        0 => f64::INFINITY,
        1..=30 => T95[df - 1],
        _ => {
            let (z, v) = (Z95, df as f64);
            let z2 = z * z;
            let g1 = (z2 + 1.0) * z / 4.0;
            let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
            let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
            let g4 =
                ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
            z + (g1 + (g2 + (g3 + g4 / v) / v) / v) / v
        }
    }
}

/// 95% confidence interval of the mean, mean ± t·sd/√n: the range an agent's
/// true score lies in, so a QA lead does not rank agents on noise.
/// `None` for fewer than two values.
pub fn mean_ci95(xs: &[f64]) -> Option<(f64, f64)> {
    xs.iter().copied().collect::<Moments>().ci95()
}

/// Streaming mean and variance (Welford), because period and team reports
/// aggregate millions of scores without keeping them; per-thread or
/// per-file accumulators are combined with [`Moments::merge`].
///
/// The fields are public for reading (and for code written against the
/// earlier stub); update them only through [`Moments::push`] and
/// [`Moments::merge`], which keep them consistent.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Moments {
    /// Number of values pushed.
    pub n: u64,
    /// Running mean (0 while empty; prefer [`Moments::mean`]).
    pub mean: f64,
    /// Sum of squared deviations from the mean.
    pub m2: f64,
}

impl Moments {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one value. NaN propagates, so filter missing scores before.
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    /// Combines another accumulator into this one (Chan et al.); the result
    /// equals pushing all of `other`'s values here.
    pub fn merge(&mut self, other: &Moments) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *other;
            return;
        }
        let (na, nb) = (self.n as f64, other.n as f64);
        let n = na + nb;
        let delta = other.mean - self.mean;
        self.mean += delta * nb / n;
        self.m2 += other.m2 + delta * delta * na * nb / n;
        self.n += other.n;
    }

    /// Number of values pushed.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Mean, `None` when empty.
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then_some(self.mean)
    }

    /// Sample variance (n − 1), `None` for fewer than two values.
    pub fn variance(&self) -> Option<f64> {
        (self.n > 1).then(|| self.m2 / (self.n - 1) as f64)
    }

    /// Sample standard deviation, `None` for fewer than two values.
    pub fn sd(&self) -> Option<f64> {
        self.variance().map(f64::sqrt)
    }

    /// 95% t interval of the mean, `None` for fewer than two values.
    pub fn ci95(&self) -> Option<(f64, f64)> {
        let sd = self.sd()?;
        let df = usize::try_from(self.n - 1).unwrap_or(usize::MAX);
        let half = t_critical_95(df) * sd / (self.n as f64).sqrt();
        Some((self.mean - half, self.mean + half))
    }
}

impl Extend<f64> for Moments {
    fn extend<I: IntoIterator<Item = f64>>(&mut self, iter: I) {
        iter.into_iter().for_each(|x| self.push(x));
    }
}

impl FromIterator<f64> for Moments {
    fn from_iter<I: IntoIterator<Item = f64>>(iter: I) -> Self {
        let mut m = Moments::new();
        m.extend(iter);
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::assert_close;

    #[test]
    fn mean_and_sd_of_known_values() {
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        assert_close(mean(&xs).unwrap(), 5.0, 1e-12);
        assert_close(sample_sd(&xs).unwrap(), (32.0f64 / 7.0).sqrt(), 1e-12);
    }

    #[test]
    fn empty_input_has_no_mean_sd_or_ci() {
        assert_eq!(mean(&[]), None);
        assert_eq!(sample_sd(&[]), None);
        assert_eq!(mean_ci95(&[]), None);
    }

    #[test]
    fn single_score_has_mean_but_no_sd_or_ci() {
        assert_eq!(mean(&[80.0]), Some(80.0));
        assert_eq!(sample_sd(&[80.0]), None);
        assert_eq!(mean_ci95(&[80.0]), None);
    }

    #[test]
    fn t_critical_uses_exact_table_up_to_30_df() {
        assert_close(t_critical_95(1), 12.706204736, 1e-9);
        assert_close(t_critical_95(4), 2.776445105, 1e-9);
        assert_close(t_critical_95(30), 2.042272456, 1e-9);
    }

    #[test]
    fn t_critical_approximation_matches_reference_beyond_30_df() {
        for (df, t) in [
            (31, 2.0395134464),
            (40, 2.0210753903),
            (60, 2.0002978220),
            (120, 1.9799304051),
            (1000, 1.9623390808),
        ] {
            assert_close(t_critical_95(df), t, 1e-7);
        }
    }

    #[test]
    fn t_critical_tends_to_normal_and_zero_df_is_unbounded() {
        assert_close(t_critical_95(usize::MAX), 1.959964, 1e-6);
        assert!(t_critical_95(0).is_infinite());
        let ts: Vec<f64> = (1..200).map(t_critical_95).collect();
        assert!(
            ts.windows(2).all(|w| w[0] > w[1]),
            "t must decrease with df"
        );
    }

    #[test]
    fn ci95_is_mean_plus_minus_t_sd_over_root_n() {
        let xs = [70.0, 80.0, 90.0];
        let (lo, hi) = mean_ci95(&xs).unwrap();
        let half = 4.302652730 * 10.0 / 3f64.sqrt();
        assert_close(lo, 80.0 - half, 1e-9);
        assert_close(hi, 80.0 + half, 1e-9);
    }

    #[test]
    fn moments_merge_equals_sequential() {
        // 100,000 contact scores in 0..=100, merged from uneven per-file chunks.
        let xs: Vec<f64> = (0..100_000)
            .map(|i| ((i * 7919) % 1001) as f64 / 10.0)
            .collect();
        let seq: Moments = xs.iter().copied().collect();
        let mut merged = Moments::new();
        for chunk in xs.chunks(777) {
            let part: Moments = chunk.iter().copied().collect();
            merged.merge(&part);
        }
        assert_eq!(merged.n(), seq.n());
        assert_close(merged.mean().unwrap(), seq.mean().unwrap(), 1e-9);
        assert_close(merged.sd().unwrap(), seq.sd().unwrap(), 1e-9);
        let (a, b) = (merged.ci95().unwrap(), seq.ci95().unwrap());
        assert_close(a.0, b.0, 1e-9);
        assert_close(a.1, b.1, 1e-9);
    }

    #[test]
    fn moments_merge_with_empty_is_identity() {
        let m: Moments = [1.0, 2.0, 6.0].into_iter().collect();
        let mut a = Moments::new();
        a.merge(&m);
        assert_eq!(a, m);
        let mut b = m;
        b.merge(&Moments::new());
        assert_eq!(b, m);
        assert_eq!(Moments::new().mean(), None);
    }

    #[test]
    fn moments_agree_with_slice_functions() {
        let xs = [55.0, 100.0, 87.5, 92.0, 61.0];
        let m: Moments = xs.iter().copied().collect();
        assert_close(m.mean().unwrap(), mean(&xs).unwrap(), 1e-12);
        assert_close(m.sd().unwrap(), sample_sd(&xs).unwrap(), 1e-12);
        assert_eq!(m.ci95(), mean_ci95(&xs));
    }
}
