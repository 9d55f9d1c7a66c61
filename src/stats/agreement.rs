//! Agreement between raters in calibration sessions: percent agreement,
//! Cohen's and Fleiss' kappa, Krippendorff's alpha.

use std::collections::{BTreeMap, BTreeSet};

/// Ratings from a calibration session: one row per **unit** (a contact ×
/// criterion item), one column per **rater**; `None` where a rater did not
/// rate that unit. Rows may differ in length (missing trailing raters).
pub type RatingMatrix<T> = Vec<Vec<Option<T>>>;

/// Swaps rows and columns, e.g. to turn a raters × units export into the
/// units × raters [`RatingMatrix`]; short rows are padded with `None`.
pub fn transpose<T: Clone>(rows: &[Vec<Option<T>>]) -> RatingMatrix<T> {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    (0..width)
        .map(|j| rows.iter().map(|r| r.get(j).cloned().flatten()).collect())
        .collect()
}

/// Share of rater pairs that gave the same rating, over all pairs within a
/// unit, averaged over units with at least two ratings. The plain number a
/// calibration session starts from ("we agree 82% of the time"), though it
/// ignores chance agreement — see the kappas and alpha.
/// `None` when no unit has two ratings.
pub fn percent_agreement<T: PartialEq>(units: &[Vec<Option<T>>]) -> Option<f64> {
    let (mut sum, mut count) = (0.0, 0usize);
    for unit in units {
        let vals: Vec<&T> = unit.iter().flatten().collect();
        let m = vals.len();
        if m < 2 {
            continue;
        }
        let agree = (0..m)
            .flat_map(|i| (i + 1..m).map(move |j| (i, j)))
            .filter(|&(i, j)| vals[i] == vals[j])
            .count();
        sum += agree as f64 / (m * (m - 1) / 2) as f64;
        count += 1;
    }
    (count > 0).then(|| sum / count as f64)
}

/// Cohen's kappa for two raters from a square confusion table
/// (`table[i][j]` = units rater A put in category i and rater B in j):
/// agreement beyond chance, e.g. a controller against the automatic check.
/// `None` if the table is empty, not square, all zero, or chance agreement is 1.
pub fn cohen_kappa(table: &[Vec<u64>]) -> Option<f64> {
    let k = table.len();
    if k == 0 || table.iter().any(|r| r.len() != k) {
        return None;
    }
    let total: f64 = table.iter().flatten().map(|&c| c as f64).sum();
    if total == 0.0 {
        return None;
    }
    let p_o = (0..k).map(|i| table[i][i] as f64).sum::<f64>() / total;
    let p_e: f64 = (0..k)
        .map(|i| {
            let row: f64 = table[i].iter().map(|&c| c as f64).sum();
            let col: f64 = table.iter().map(|r| r[i] as f64).sum();
            row * col / (total * total)
        })
        .sum();
    chance_corrected(p_o, p_e)
}

fn chance_corrected(observed: f64, expected: f64) -> Option<f64> {
    ((1.0 - expected).abs() > 1e-12).then(|| (observed - expected) / (1.0 - expected))
}

/// Fleiss' kappa with its parts: mean per-unit agreement P̄, chance
/// agreement Pₑ and κ = (P̄ − Pₑ)/(1 − Pₑ).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fleiss {
    pub p_bar: f64,
    pub p_e: f64,
    pub kappa: f64,
}

/// Fleiss' kappa from a units × categories count table (`counts[i][j]` =
/// raters who put unit i in category j): chance-corrected agreement of a
/// whole panel of controllers on nominal verdicts. Every unit must have the
/// same number (≥ 2) of raters and every row the same categories; `None`
/// otherwise, for an empty table, or when Pₑ = 1 (everyone used one category).
pub fn fleiss(counts: &[Vec<u64>]) -> Option<Fleiss> {
    let first = counts.first()?;
    let k = first.len();
    let row_total = |r: &Vec<u64>| r.iter().map(|&c| u128::from(c)).sum::<u128>();
    let raters = row_total(first);
    if raters < 2
        || counts
            .iter()
            .any(|r| r.len() != k || row_total(r) != raters)
    {
        return None;
    }
    let (units, r) = (counts.len() as f64, raters as f64);
    let mut col = vec![0.0; k];
    let mut p_sum = 0.0;
    for row in counts {
        let agree: f64 = row.iter().map(|&c| c as f64 * (c as f64 - 1.0)).sum();
        p_sum += agree / (r * (r - 1.0));
        for (total, &c) in col.iter_mut().zip(row) {
            *total += c as f64;
        }
    }
    let p_bar = p_sum / units;
    let p_e: f64 = col.iter().map(|&c| (c / (units * r)).powi(2)).sum();
    let kappa = chance_corrected(p_bar, p_e)?;
    Some(Fleiss { p_bar, p_e, kappa })
}

/// Fleiss' kappa alone; see [`fleiss`].
pub fn fleiss_kappa(counts: &[Vec<u64>]) -> Option<f64> {
    fleiss(counts).map(|f| f.kappa)
}

/// Builds the count table for [`fleiss`] from nominal ratings (units ×
/// raters). Returns the sorted categories (the table's columns) and the
/// counts; `None` if there are no units or the units do not all have the
/// same number of ratings (Fleiss' kappa requires it).
pub fn fleiss_counts<T: Ord + Clone>(units: &[Vec<Option<T>>]) -> Option<(Vec<T>, Vec<Vec<u64>>)> {
    let raters = units.first()?.iter().flatten().count();
    if units.iter().any(|u| u.iter().flatten().count() != raters) {
        return None;
    }
    let index = category_index(units);
    let cats: Vec<T> = index.keys().map(|&c| c.clone()).collect();
    let table = units
        .iter()
        .map(|u| {
            let mut row = vec![0u64; cats.len()];
            for c in u.iter().flatten() {
                if let Some(&j) = index.get(c) {
                    row[j] += 1;
                }
            }
            row
        })
        .collect();
    Some((cats, table))
}

/// Maps each distinct category to its rank among the sorted categories.
fn category_index<T: Ord>(units: &[Vec<Option<T>>]) -> BTreeMap<&T, usize> {
    let cats: BTreeSet<&T> = units.iter().flatten().flatten().collect();
    cats.into_iter().zip(0..).collect()
}

/// Measurement level for Krippendorff's alpha: decides how far apart two
/// different ratings are (a 2 vs 3 on a 5-point scale is a smaller
/// disagreement than 1 vs 5, except on a nominal scale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// Categories: any difference counts fully.
    Nominal,
    /// Ranks: distance by how many ratings lie between the two values.
    Ordinal,
    /// Numbers: squared difference.
    Interval,
    /// Numbers with a true zero: squared relative difference.
    Ratio,
}

/// Krippendorff's alpha (coincidence-matrix form), 1 − Dₒ/Dₑ: agreement of
/// any number of raters with missing ratings, at any measurement level — the
/// calibration statistic for real sessions where not everyone scores every
/// contact. `units` is a [`RatingMatrix`] (units × raters). Units with fewer
/// than two values are not pairable and are dropped; non-finite values count
/// as missing. `None` when fewer than two pairable values remain or the
/// expected disagreement is zero (all values identical: agreement cannot be
/// told from chance, so alpha is undefined rather than 1).
pub fn krippendorff_alpha(units: &[Vec<Option<f64>>], level: Level) -> Option<f64> {
    let pairable: Vec<Vec<f64>> = units
        .iter()
        .map(|u| {
            u.iter()
                .flatten()
                .filter(|v| v.is_finite())
                .map(|v| v + 0.0)
                .collect()
        })
        .filter(|u: &Vec<f64>| u.len() >= 2)
        .collect();
    let mut values: Vec<f64> = pairable.iter().flatten().copied().collect();
    values.sort_by(f64::total_cmp);
    values.dedup();
    let k = values.len();
    let index = |x: f64| values.partition_point(|v| v.total_cmp(&x).is_lt());
    // Coincidence matrix: each ordered pair of ratings within a unit, weighted 1/(m−1).
    let mut o = vec![vec![0.0; k]; k];
    for unit in &pairable {
        let mut idx: Vec<usize> = unit.iter().map(|&v| index(v)).collect();
        idx.sort_unstable();
        let mut counts: Vec<(usize, f64)> = Vec::new();
        for i in idx {
            match counts.last_mut() {
                Some((j, c)) if *j == i => *c += 1.0,
                _ => counts.push((i, 1.0)),
            }
        }
        let w = 1.0 / (unit.len() - 1) as f64;
        for &(c, nc) in &counts {
            for &(d, nd) in &counts {
                o[c][d] += w * nc * if c == d { nd - 1.0 } else { nd };
            }
        }
    }
    let marg: Vec<f64> = o.iter().map(|r| r.iter().sum()).collect();
    let n: f64 = marg.iter().sum();
    if n < 2.0 {
        return None;
    }
    let mut cum = vec![0.0; k + 1];
    for (i, m) in marg.iter().enumerate() {
        cum[i + 1] = cum[i] + m;
    }
    let delta = |c: usize, d: usize| -> f64 {
        let (a, b) = (values[c], values[d]);
        match level {
            Level::Nominal => f64::from(u8::from(c != d)),
            Level::Interval => (a - b).powi(2),
            Level::Ratio if a + b == 0.0 => 0.0,
            Level::Ratio => ((a - b) / (a + b)).powi(2),
            Level::Ordinal => {
                let (lo, hi) = (c.min(d), c.max(d));
                (cum[hi + 1] - cum[lo] - (marg[c] + marg[d]) / 2.0).powi(2)
            }
        }
    };
    let (mut d_o, mut d_e) = (0.0, 0.0);
    for c in 0..k {
        for d in 0..k {
            let dl = delta(c, d);
            d_o += o[c][d] * dl;
            d_e += marg[c] * marg[d] * dl;
        }
    }
    let d_e = d_e / (n - 1.0);
    (d_e > 0.0 && d_e.is_finite()).then(|| 1.0 - d_o / d_e)
}

/// Nominal Krippendorff's alpha over any category type (e.g. `&str`
/// verdicts "pass"/"fail"/"na"); categories are mapped to indices.
pub fn krippendorff_alpha_nominal<T: Ord>(units: &[Vec<Option<T>>]) -> Option<f64> {
    let index = category_index(units);
    let numeric: Vec<Vec<Option<f64>>> = units
        .iter()
        .map(|u| {
            u.iter()
                .map(|c| c.as_ref().and_then(|c| index.get(c)).map(|&i| i as f64))
                .collect()
        })
        .collect();
    krippendorff_alpha(&numeric, Level::Nominal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::assert_close;

    /// Parses one rater's row, "." or "*" = missing.
    fn row(s: &str) -> Vec<Option<f64>> {
        s.split_whitespace().map(|t| t.parse().ok()).collect()
    }

    /// Krippendorff (2011): 4 coders (rows) × 12 units, transposed to units × raters.
    fn k2011() -> RatingMatrix<f64> {
        transpose(&[
            row("1 2 3 3 2 1 4 1 2 . . ."),
            row("1 2 3 3 2 2 4 1 2 5 . 3"),
            row(". 3 3 3 2 3 4 2 2 5 1 ."),
            row("1 2 3 3 2 4 4 1 2 5 1 ."),
        ])
    }

    /// 3 coders × 15 units (Wikipedia's example).
    fn k3x15() -> RatingMatrix<f64> {
        transpose(&[
            row("* * * * * 3 4 1 2 1 1 3 3 * 3"),
            row("1 * 2 1 3 3 4 3 * * * * * * *"),
            row("* * 2 1 3 4 4 * 2 1 1 3 3 * 4"),
        ])
    }

    fn wikipedia_fleiss() -> Vec<Vec<u64>> {
        [
            [0, 0, 0, 0, 14],
            [0, 2, 6, 4, 2],
            [0, 0, 3, 5, 6],
            [0, 3, 9, 2, 0],
            [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0],
            [3, 2, 6, 3, 0],
            [2, 5, 3, 2, 2],
            [6, 5, 2, 1, 0],
            [0, 2, 2, 3, 7],
        ]
        .iter()
        .map(|r| r.to_vec())
        .collect()
    }

    #[test]
    fn percent_agreement_averages_pairwise_agreement_over_units() {
        let units = vec![
            vec![Some("pass"), Some("pass"), Some("pass")], // 3/3 pairs
            vec![Some("pass"), Some("fail"), Some("pass")], // 1/3 pairs
            vec![Some("fail"), None, Some("fail")],         // 1/1 pair
            vec![Some("fail"), None, None],                 // single rating: skipped
        ];
        assert_close(
            percent_agreement(&units).unwrap(),
            (1.0 + 1.0 / 3.0 + 1.0) / 3.0,
            1e-12,
        );
    }

    #[test]
    fn percent_agreement_needs_a_unit_with_two_ratings() {
        assert_eq!(percent_agreement::<u8>(&[]), None);
        assert_eq!(
            percent_agreement(&[vec![Some(1)], vec![None, Some(2)]]),
            None
        );
    }

    #[test]
    fn cohen_kappa_matches_published_vector() {
        assert_close(
            cohen_kappa(&[vec![20, 5], vec![10, 15]]).unwrap(),
            0.4,
            1e-12,
        );
    }

    #[test]
    fn cohen_kappa_is_undefined_for_degenerate_tables() {
        assert_eq!(cohen_kappa(&[]), None);
        assert_eq!(cohen_kappa(&[vec![1, 2]]), None);
        assert_eq!(cohen_kappa(&[vec![0, 0], vec![0, 0]]), None);
        assert_eq!(cohen_kappa(&[vec![10, 0], vec![0, 0]]), None); // p_e = 1
        assert_close(cohen_kappa(&[vec![5, 0], vec![0, 5]]).unwrap(), 1.0, 1e-12);
    }

    #[test]
    fn fleiss_kappa_matches_wikipedia_example() {
        let f = fleiss(&wikipedia_fleiss()).unwrap();
        assert_close(f.p_bar, 0.378022, 1e-6);
        assert_close(f.p_e, 0.212755, 1e-6);
        assert_close(f.kappa, 0.209931, 1e-6);
        assert_eq!(fleiss_kappa(&wikipedia_fleiss()), Some(f.kappa));
    }

    #[test]
    fn fleiss_kappa_requires_equal_raters_per_unit() {
        assert_eq!(fleiss_kappa(&[vec![2, 1], vec![1, 1]]), None);
        assert_eq!(fleiss_kappa(&[vec![2, 1], vec![1, 1, 1]]), None);
        assert_eq!(fleiss_kappa(&[vec![1, 0], vec![0, 1]]), None); // one rater
        assert_eq!(fleiss_kappa(&[]), None);
    }

    #[test]
    fn fleiss_kappa_is_undefined_when_everyone_uses_one_category() {
        assert_eq!(fleiss_kappa(&[vec![3, 0], vec![3, 0]]), None);
    }

    #[test]
    fn fleiss_counts_tabulates_string_verdicts() {
        let units = vec![
            vec![Some("pass"), Some("fail"), Some("pass")],
            vec![Some("na"), None, Some("pass"), Some("pass")],
        ];
        let (cats, table) = fleiss_counts(&units).unwrap();
        assert_eq!(cats, vec!["fail", "na", "pass"]);
        assert_eq!(table, vec![vec![1, 0, 2], vec![0, 1, 2]]);
    }

    #[test]
    fn fleiss_counts_reproduces_wikipedia_table_from_ratings() {
        let units: Vec<Vec<Option<usize>>> = wikipedia_fleiss()
            .iter()
            .map(|r| {
                r.iter()
                    .enumerate()
                    .flat_map(|(cat, &c)| std::iter::repeat_n(Some(cat), c as usize))
                    .collect()
            })
            .collect();
        let (cats, table) = fleiss_counts(&units).unwrap();
        assert_eq!(cats, vec![0, 1, 2, 3, 4]);
        assert_close(fleiss_kappa(&table).unwrap(), 0.209931, 1e-6);
    }

    #[test]
    fn fleiss_counts_rejects_unequal_rater_counts_and_empty_input() {
        assert_eq!(
            fleiss_counts(&[vec![Some(1), Some(2)], vec![Some(1), None]]),
            None
        );
        assert_eq!(fleiss_counts::<u8>(&[]), None);
    }

    #[test]
    fn krippendorff_alpha_matches_krippendorff_2011_at_all_levels() {
        let data = k2011();
        for (level, expected) in [
            (Level::Nominal, 0.743421),
            (Level::Interval, 0.849107),
            (Level::Ordinal, 0.815388),
            (Level::Ratio, 0.797403),
        ] {
            let alpha = krippendorff_alpha(&data, level).unwrap();
            assert!(
                (alpha - expected).abs() <= 1e-6,
                "{level:?}: expected {expected}, got {alpha}"
            );
        }
    }

    #[test]
    fn ordinal_and_nominal_alpha_ignore_monotone_relabelling_of_the_scale() {
        let stretched: RatingMatrix<f64> = k2011()
            .iter()
            .map(|u| u.iter().map(|v| v.map(|x| x.powi(3) + 10.0)).collect())
            .collect();
        for level in [Level::Nominal, Level::Ordinal] {
            let (a, b) = (
                krippendorff_alpha(&k2011(), level),
                krippendorff_alpha(&stretched, level),
            );
            assert_close(a.unwrap(), b.unwrap(), 1e-12);
        }
        let interval = krippendorff_alpha(&stretched, Level::Interval).unwrap();
        assert!(
            (interval - 0.849107).abs() > 1e-3,
            "interval alpha must see distances"
        );
    }

    #[test]
    fn krippendorff_alpha_drops_units_with_a_single_value() {
        let mut without = k2011();
        without.pop(); // unit 12 has one value
        for level in [
            Level::Nominal,
            Level::Ordinal,
            Level::Interval,
            Level::Ratio,
        ] {
            assert_eq!(
                krippendorff_alpha(&without, level),
                krippendorff_alpha(&k2011(), level)
            );
        }
    }

    #[test]
    fn krippendorff_alpha_matches_3_coder_15_unit_example() {
        let data = k3x15();
        assert_close(
            krippendorff_alpha(&data, Level::Nominal).unwrap(),
            0.691358,
            1e-6,
        );
        assert_close(
            krippendorff_alpha(&data, Level::Interval).unwrap(),
            0.810845,
            1e-6,
        );
    }

    #[test]
    fn krippendorff_nominal_over_strings_equals_numeric_nominal() {
        let names = ["", "one", "two", "three", "four", "five"];
        let as_text: RatingMatrix<&str> = k2011()
            .iter()
            .map(|u| u.iter().map(|v| v.map(|x| names[x as usize])).collect())
            .collect();
        assert_close(
            krippendorff_alpha_nominal(&as_text).unwrap(),
            0.743421,
            1e-6,
        );
    }

    #[test]
    fn krippendorff_alpha_is_one_for_perfect_agreement_with_variation() {
        let units = vec![vec![Some(1.0), Some(1.0)], vec![Some(3.0), Some(3.0), None]];
        for level in [
            Level::Nominal,
            Level::Ordinal,
            Level::Interval,
            Level::Ratio,
        ] {
            assert_close(krippendorff_alpha(&units, level).unwrap(), 1.0, 1e-12);
        }
    }

    #[test]
    fn krippendorff_alpha_is_undefined_when_all_raters_give_one_value() {
        // Zero expected disagreement: agreement cannot be told from chance.
        let units = vec![
            vec![Some(2.0), Some(2.0)],
            vec![Some(2.0), Some(2.0), Some(2.0)],
        ];
        assert_eq!(krippendorff_alpha(&units, Level::Nominal), None);
        assert_eq!(krippendorff_alpha(&units, Level::Interval), None);
        let verdicts = vec![vec![Some("pass"), Some("pass")]];
        assert_eq!(krippendorff_alpha_nominal(&verdicts), None);
    }

    #[test]
    fn krippendorff_alpha_is_undefined_for_single_rater_or_empty_input() {
        let single = vec![vec![Some(1.0)], vec![Some(2.0)], vec![Some(5.0)]];
        assert_eq!(krippendorff_alpha(&single, Level::Interval), None);
        assert_eq!(krippendorff_alpha(&[], Level::Nominal), None);
        assert_eq!(
            krippendorff_alpha(&[vec![None, None]], Level::Nominal),
            None
        );
        assert_eq!(
            krippendorff_alpha(&[vec![Some(f64::NAN), Some(1.0)]], Level::Interval),
            None
        );
    }

    #[test]
    fn transpose_turns_rater_rows_into_unit_rows() {
        let t = transpose(&[vec![Some(1), Some(2)], vec![Some(3)]]);
        assert_eq!(t, vec![vec![Some(1), Some(3)], vec![Some(2), None]]);
    }
}
