//! Intraclass correlation: agreement of controllers on numeric scores.

/// The six Shrout & Fleiss (1979) intraclass correlations. `*_1` is the
/// reliability of a single judge, `*_k` of the mean of the k judges.
/// ICC(1): judges random per target; ICC(2): judges a random sample of
/// judges, absolute agreement; ICC(3): these fixed judges, consistency.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Icc {
    pub icc1_1: f64,
    pub icc2_1: f64,
    pub icc3_1: f64,
    pub icc1_k: f64,
    pub icc2_k: f64,
    pub icc3_k: f64,
}

/// Intraclass correlations for numeric scores (`scores[target][judge]`,
/// e.g. contact scores 0–100 given by each controller): do controllers rank
/// and score contacts alike? Needs complete data, at least 2 targets and
/// 2 judges, finite values; `None` otherwise or when a form is undefined
/// (e.g. every target scored identically).
pub fn icc(scores: &[Vec<f64>]) -> Option<Icc> {
    let n = scores.len();
    let k = scores.first()?.len();
    if n < 2
        || k < 2
        || scores
            .iter()
            .any(|r| r.len() != k || r.iter().any(|v| !v.is_finite()))
    {
        return None;
    }
    let (nf, kf) = (n as f64, k as f64);
    let grand = scores.iter().flatten().sum::<f64>() / (nf * kf);
    let ss = |x: f64| (x - grand).powi(2);
    let ss_total: f64 = scores.iter().flatten().map(|&x| ss(x)).sum();
    let ss_rows: f64 = scores
        .iter()
        .map(|r| kf * ss(r.iter().sum::<f64>() / kf))
        .sum();
    let ss_cols: f64 = (0..k)
        .map(|j| nf * ss(scores.iter().map(|r| r[j]).sum::<f64>() / nf))
        .sum();
    let bms = ss_rows / (nf - 1.0);
    let wms = (ss_total - ss_rows) / (nf * (kf - 1.0));
    let jms = ss_cols / (kf - 1.0);
    let ems = (ss_total - ss_rows - ss_cols) / ((nf - 1.0) * (kf - 1.0));
    let out = Icc {
        icc1_1: (bms - wms) / (bms + (kf - 1.0) * wms),
        icc2_1: (bms - ems) / (bms + (kf - 1.0) * ems + kf * (jms - ems) / nf),
        icc3_1: (bms - ems) / (bms + (kf - 1.0) * ems),
        icc1_k: (bms - wms) / bms,
        icc2_k: (bms - ems) / (bms + (jms - ems) / nf),
        icc3_k: (bms - ems) / bms,
    };
    let all = [
        out.icc1_1, out.icc2_1, out.icc3_1, out.icc1_k, out.icc2_k, out.icc3_k,
    ];
    all.iter().all(|v| v.is_finite()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::assert_close;

    #[test]
    fn icc_matches_shrout_fleiss_1979() {
        let scores = vec![
            vec![9.0, 2.0, 5.0, 8.0],
            vec![6.0, 1.0, 3.0, 2.0],
            vec![8.0, 4.0, 6.0, 8.0],
            vec![7.0, 1.0, 2.0, 6.0],
            vec![10.0, 5.0, 6.0, 9.0],
            vec![6.0, 2.0, 4.0, 7.0],
        ];
        let icc = icc(&scores).unwrap();
        assert_close(icc.icc1_1, 0.1657, 1e-4);
        assert_close(icc.icc2_1, 0.2898, 1e-4);
        assert_close(icc.icc3_1, 0.7148, 1e-4);
        assert_close(icc.icc1_k, 0.4428, 1e-4);
        assert_close(icc.icc2_k, 0.6201, 1e-4);
        assert_close(icc.icc3_k, 0.9093, 1e-4);
    }

    #[test]
    fn icc_requires_complete_data_with_two_targets_and_two_judges() {
        assert_eq!(icc(&[]), None);
        assert_eq!(icc(&[vec![1.0, 2.0]]), None);
        assert_eq!(icc(&[vec![1.0], vec![2.0]]), None);
        assert_eq!(icc(&[vec![1.0, 2.0], vec![2.0]]), None);
        assert_eq!(icc(&[vec![1.0, f64::NAN], vec![2.0, 3.0]]), None);
    }

    #[test]
    fn icc_is_undefined_when_all_scores_are_identical() {
        assert_eq!(icc(&[vec![5.0, 5.0], vec![5.0, 5.0]]), None);
    }
}
