//! Quality of phrase matching measured on `tests/data/matching_labelled.tsv`:
//! about 350 contact-centre utterances (≈57 % Russian, ≈43 % English), written
//! for this test, each with one phrase and whether a QA controller would say the
//! phrase is said in it (its meaning, in any word form). Every row's note starts
//! with its category:
//!
//! * `exact` — the phrase as written;
//! * `form` — other word forms, word order, amounts written differently;
//! * `gap` — words inserted between the words of the phrase (and a few where an
//!   inserted word changes what is meant);
//! * `asr` — speech-recognition errors: a letter or two wrong, words split;
//! * `negation` — the phrase negated («не могу помочь», "didn't block the
//!   card"), and negation words that govern something else;
//! * `false_friend` — substrings, one-letter-off words, stems shared by words
//!   of another meaning, partial phrases, other amounts and dates.
//!
//! Each row is evaluated through the library as a one-criterion scorecard with
//! `{"type": "phrase", "speaker": "any", "any": [phrase], ...mode}` over a
//! one-turn contact, once per matching mode. Run
//! `cargo test --test tests matching_quality:: -- --nocapture` to see the tables.

use crate::common::{contact, status};
use cqa::results::Status;
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::sync::OnceLock;

const CATEGORIES: [&str; 6] = ["exact", "form", "gap", "asr", "negation", "false_friend"];

/// The negation words of the `stem+negation` and `all` modes.
fn negation() -> Value {
    json!(["не", "not", "don't", "никак"])
}

/// Matching modes: a name and the fields they add to the phrase rule.
fn modes() -> Vec<(&'static str, Value)> {
    vec![
        ("exact", json!({"match": "exact"})),
        ("stem", json!({})),
        ("stem+near2", json!({"near": 2})),
        ("stem+fuzzy1", json!({"fuzzy": 1})),
        ("stem+negation", json!({"unless_preceded_by": negation()})),
        (
            "all",
            json!({"near": 2, "fuzzy": 1, "unless_preceded_by": negation()}),
        ),
    ]
}

struct Row {
    phrase: String,
    utterance: String,
    expected: bool,
    category: String,
    note: String,
}

impl Row {
    fn russian(&self) -> bool {
        self.phrase
            .chars()
            .any(|c| matches!(c, 'а'..='я' | 'ё' | 'А'..='Я' | 'Ё'))
    }
}

fn rows() -> Vec<Row> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/matching_labelled.tsv"
    );
    let data = std::fs::read_to_string(path).expect("labelled data set is readable");
    data.lines()
        .skip(1) // header: phrase<TAB>utterance<TAB>expected<TAB>note
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 4, "four tab-separated columns: {line}");
            let expected = match f[2] {
                "1" => true,
                "0" => false,
                other => panic!("expected is 0 or 1, not `{other}`: {line}"),
            };
            let category = f[3].split(':').next().unwrap_or("").trim().to_string();
            Row {
                phrase: f[0].to_string(),
                utterance: f[1].to_string(),
                expected,
                category,
                note: f[3].to_string(),
            }
        })
        .collect()
}

/// Whether `mode` finds `row.phrase` in `row.utterance`, through the library.
fn found(row: &Row, mode: &Value) -> bool {
    let mut rule = json!({"type": "phrase", "speaker": "any", "any": [row.phrase]});
    if let (Some(rule), Some(mode)) = (rule.as_object_mut(), mode.as_object()) {
        rule.extend(mode.clone());
    }
    let turn = contact(
        json!([{"speaker": "agent", "text": row.utterance}]),
        json!({}),
    );
    match status(rule, &turn) {
        Status::Pass => true,
        Status::Fail => false,
        other => panic!("a one-turn contact gives pass or fail, not {other:?}"),
    }
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: u32,
    fp: u32,
    fn_: u32,
    tn: u32,
}

impl Counts {
    fn add(&mut self, expected: bool, found: bool) {
        match (expected, found) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }
    fn precision(&self) -> Option<f64> {
        let d = self.tp + self.fp;
        (d > 0).then(|| f64::from(self.tp) / f64::from(d))
    }
    fn recall(&self) -> Option<f64> {
        let d = self.tp + self.fn_;
        (d > 0).then(|| f64::from(self.tp) / f64::from(d))
    }
    fn f1(&self) -> Option<f64> {
        let (p, r) = (self.precision()?, self.recall()?);
        (p + r > 0.0).then(|| 2.0 * p * r / (p + r))
    }
}

fn fmt(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), |x| format!("{x:.2}"))
}

/// Every row's outcome under every mode, computed once for all tests.
struct Measurement {
    rows: Vec<Row>,
    /// `found[m][r]`: whether mode `m` finds row `r`'s phrase.
    found: Vec<Vec<bool>>,
}

impl Measurement {
    fn get() -> &'static Measurement {
        static M: OnceLock<Measurement> = OnceLock::new();
        M.get_or_init(|| {
            let rows = rows();
            let found = modes()
                .iter()
                .map(|(_, mode)| rows.iter().map(|r| found(r, mode)).collect())
                .collect();
            Measurement { rows, found }
        })
    }

    fn mode_index(name: &str) -> usize {
        modes()
            .iter()
            .position(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("no mode `{name}`"))
    }

    /// Counts of `mode` over the rows `keep` selects.
    fn counts(&self, mode: &str, keep: impl Fn(&Row) -> bool) -> Counts {
        let found = &self.found[Self::mode_index(mode)];
        let mut c = Counts::default();
        for (row, &f) in self.rows.iter().zip(found) {
            if keep(row) {
                c.add(row.expected, f);
            }
        }
        c
    }

    fn overall(&self, mode: &str) -> Counts {
        self.counts(mode, |_| true)
    }

    fn category(&self, mode: &str, category: &str) -> Counts {
        self.counts(mode, |r| r.category == category)
    }

    fn table(&self) -> String {
        let mut t = String::new();
        let _ = writeln!(
            t,
            "\nphrase matching on {} labelled utterances ({} Russian)\n",
            self.rows.len(),
            self.rows.iter().filter(|r| r.russian()).count()
        );
        let _ = writeln!(
            t,
            "{:14} {:>4} {:>4} {:>4} {:>4}  {:>9} {:>6} {:>5}",
            "mode", "tp", "fp", "fn", "tn", "precision", "recall", "F1"
        );
        for (name, _) in modes() {
            let c = self.overall(name);
            let _ = writeln!(
                t,
                "{:14} {:>4} {:>4} {:>4} {:>4}  {:>9} {:>6} {:>5}",
                name,
                c.tp,
                c.fp,
                c.fn_,
                c.tn,
                fmt(c.precision()),
                fmt(c.recall()),
                fmt(c.f1())
            );
        }
        let _ = writeln!(
            t,
            "\nprecision / recall per category (rows: expected 1 + expected 0)\n"
        );
        let _ = write!(t, "{:22}", "category");
        for (name, _) in modes() {
            let _ = write!(t, " {name:>13}");
        }
        let _ = writeln!(t);
        // Rows of each category, then rows of each language.
        let groups: Vec<&str> = CATEGORIES
            .iter()
            .copied()
            .chain(["Russian", "English"])
            .collect();
        let in_group = |group: &str, r: &Row| match group {
            "Russian" => r.russian(),
            "English" => !r.russian(),
            category => r.category == category,
        };
        for &label in &groups {
            let keep = |r: &Row| in_group(label, r);
            let pos = self.rows.iter().filter(|r| keep(r) && r.expected).count();
            let neg = self.rows.iter().filter(|r| keep(r) && !r.expected).count();
            let _ = write!(t, "{:22}", format!("{label} ({pos}+{neg})"));
            for (name, _) in modes() {
                let c = self.counts(name, keep);
                let cell = format!("{}/{}", fmt(c.precision()), fmt(c.recall()));
                let _ = write!(t, " {cell:>13}");
            }
            let _ = writeln!(t);
        }
        let _ = writeln!(
            t,
            "\nfalse matches / rows where the phrase is not said, per category\n"
        );
        let _ = write!(t, "{:22}", "category");
        for (name, _) in modes() {
            let _ = write!(t, " {name:>13}");
        }
        let _ = writeln!(t);
        for &label in &groups {
            let keep = |r: &Row| in_group(label, r);
            let _ = write!(t, "{label:22}");
            for (name, _) in modes() {
                let c = self.counts(name, keep);
                let cell = format!("{}/{}", c.fp, c.fp + c.tn);
                let _ = write!(t, " {cell:>13}");
            }
            let _ = writeln!(t);
        }
        let all = Self::mode_index("all");
        let _ = writeln!(t, "\nerrors of mode `all`:");
        for (row, &f) in self.rows.iter().zip(&self.found[all]) {
            if f != row.expected {
                let kind = if f { "FP" } else { "FN" };
                let _ = writeln!(
                    t,
                    "  {kind} {:32} {:58} [{}]",
                    row.phrase, row.utterance, row.note
                );
            }
        }
        t
    }
}

fn precision(c: Counts) -> f64 {
    c.precision().unwrap_or(0.0)
}

fn recall(c: Counts) -> f64 {
    c.recall().unwrap_or(0.0)
}

#[test]
fn the_labelled_set_is_large_varied_and_well_formed() {
    let m = Measurement::get();
    assert!(m.rows.len() >= 220, "only {} rows", m.rows.len());
    for row in &m.rows {
        assert!(
            CATEGORIES.contains(&row.category.as_str()),
            "unknown category in note `{}`",
            row.note
        );
    }
    for category in CATEGORIES {
        let n = m.rows.iter().filter(|r| r.category == category).count();
        assert!(n >= 30, "category {category} has only {n} rows");
    }
    let russian = m.rows.iter().filter(|r| r.russian()).count() as f64 / m.rows.len() as f64;
    assert!(
        (0.5..=0.7).contains(&russian),
        "Russian share {russian:.2} is not about 60 %"
    );
    let negatives = m.rows.iter().filter(|r| !r.expected).count();
    assert!(
        negatives >= 80,
        "only {negatives} rows where the phrase is not said"
    );
    let mut seen = std::collections::HashSet::new();
    for row in &m.rows {
        assert!(
            seen.insert((&row.phrase, &row.utterance)),
            "duplicate row: {} / {}",
            row.phrase,
            row.utterance
        );
    }
}

/// Overall thresholds for the combined mode (stem + near 2 + fuzzy 1 +
/// negation), set a few rows below what it measures: precision 0.83
/// (186 of 223 matches) and recall 0.73 (186 of 254 phrases said). One more
/// false match costs about 0.004 of precision, one more miss 0.004 of recall,
/// so 0.81 and 0.71 allow five or six rows of drift before failing.
///
/// What it still misses: reordered words and passives («карта заблокирована»,
/// "the card has been blocked"), forms the Snowball stemmer keeps apart
/// (могу/можем/смогу, перевести/перевела, заблокировать/заблокируем), amounts
/// and dates written otherwise (15000, «пятнадцать тысяч», "$134"), three or
/// more inserted words, words split by recognition («кэш бэк», "re fund") and
/// two-letter errors. What it still matches wrongly: negations outside the list
/// (`нельзя`, `вряд ли`, `never`, `can't`, `didn't`, `cannot`), negation
/// inside the phrase («разговор не записывается»), shared stems (долго/долг,
/// accountant/account, charging/charge), one-letter neighbours (склад/вклад,
/// debt/debit, black/block) and other amounts (1,134 dollars). Note that
/// `"don't"` in the list cancels nothing: normalisation makes it two words,
/// `don t`, and negation words are compared with one word at a time.
#[test]
fn combined_mode_meets_precision_and_recall_thresholds() {
    let m = Measurement::get();
    println!("{}", m.table());
    let all = m.overall("all");
    assert!(recall(all) >= 0.71, "all: recall {:.3}", recall(all));
    assert!(
        precision(all) >= 0.81,
        "all: precision {:.3}",
        precision(all)
    );
    // Combining the options is the best trade-off: its F1 (0.78) is above
    // that of every single option (0.42 to 0.67).
    for (name, _) in modes() {
        let f1 = m.overall(name).f1().unwrap_or(0.0);
        assert!(
            name == "all" || all.f1().unwrap_or(0.0) > f1 + 0.05,
            "all: F1 not clearly above that of {name} ({f1:.3})"
        );
    }
}

#[test]
fn every_mode_finds_the_phrase_as_written() {
    let m = Measurement::get();
    for (mode, _) in modes() {
        let c = m.category(mode, "exact");
        assert_eq!(c.fn_, 0, "{mode} misses a phrase written as is");
    }
}

/// Whole words only, in every mode: «пингвин», «кодекс», "opinion", "coffee"
/// never count as «пин», «код», "pin", "fee".
#[test]
fn no_mode_matches_a_phrase_inside_a_longer_word() {
    let m = Measurement::get();
    for (mode, _) in modes() {
        let c = m.counts(mode, |r| r.note.contains("substring"));
        assert!(c.tn >= 8, "too few substring rows");
        assert_eq!(c.fp, 0, "{mode} matches inside a longer word");
    }
}

/// Stems must find other word forms. Every `form` row differs from the
/// phrase as written, so exact matching finds none of them; stems find 0.44
/// (31 of 70). The rest are reordered words, passives, amounts written
/// otherwise, and forms the Snowball stemmer keeps apart (могу/можем). 0.40
/// leaves three rows of margin.
#[test]
fn stems_find_more_word_forms_than_exact_matching() {
    let m = Measurement::get();
    let (exact, stem) = (m.overall("exact"), m.overall("stem"));
    assert!(recall(stem) > recall(exact));
    let (exact, stem) = (m.category("exact", "form"), m.category("stem", "form"));
    assert!(
        recall(stem) >= 0.40 && recall(stem) > recall(exact) + 0.3,
        "form rows: stem recall {:.2}, exact {:.2}",
        recall(stem),
        recall(exact)
    );
}

/// `near: 2` must find phrases with up to two words inserted: measured 0.76 of
/// `gap` rows (41 of 54; the misses have three or more words inserted, or
/// another word instead of one of the phrase: "block my card" for "block the
/// card"); stems alone find none. 0.70 leaves three rows of margin. It may add
/// false matches where an inserted word names another object («заблокировать
/// приложение, а карту»; 5 of 6 such rows), but overall precision must not
/// drop by more than 0.05 (measured: 0.75 for both).
#[test]
fn near_finds_phrases_with_inserted_words() {
    let m = Measurement::get();
    let (stem, near) = (m.category("stem", "gap"), m.category("stem+near2", "gap"));
    assert!(
        recall(near) >= 0.70 && recall(near) > recall(stem) + 0.5,
        "gap rows: near recall {:.2}, stem {:.2}",
        recall(near),
        recall(stem)
    );
    let (stem, near) = (m.overall("stem"), m.overall("stem+near2"));
    assert!(precision(near) >= precision(stem) - 0.05);
}

/// `fuzzy: 1` must find one-letter recognition errors in words of five or more
/// letters: measured 0.70 of `asr` rows (39 of 56), stems alone 0.16 (forms
/// such as «рожденья» that happen to share a stem). The misses are split words,
/// two letters wrong and errors in short words. 0.65 leaves two rows of margin.
/// One-letter neighbours (склад/вклад, debt/debit, black/block) add 4 false
/// matches; overall precision must not drop by more than 0.05 (measured: it
/// rises from 0.75 to 0.78).
#[test]
fn fuzzy_finds_phrases_with_recognition_errors() {
    let m = Measurement::get();
    let (stem, fuzzy) = (m.category("stem", "asr"), m.category("stem+fuzzy1", "asr"));
    assert!(
        recall(fuzzy) >= 0.65 && recall(fuzzy) > recall(stem) + 0.4,
        "asr rows: fuzzy recall {:.2}, stem {:.2}",
        recall(fuzzy),
        recall(stem)
    );
    let (stem, fuzzy) = (m.overall("stem"), m.overall("stem+fuzzy1"));
    assert!(precision(fuzzy) >= precision(stem) - 0.05);
}

/// Negation words must cut false matches on negated phrases: of 40 `negation`
/// rows where the phrase is negated, stems match 27 and stems with
/// `unless_preceded_by` 12 (the rest: negations not in the list, `don't`, and
/// negation inside or after the phrase). Overall precision rises from 0.75 to
/// 0.84. The price is phrases after a negation that governs another word («не
/// забудьте заблокировать карту», «не волнуйтесь, могу помочь»): recall drops
/// from 0.45 to 0.44, and may drop by at most 0.02 (five rows).
#[test]
fn negation_words_raise_precision() {
    let m = Measurement::get();
    let (stem, neg) = (m.overall("stem"), m.overall("stem+negation"));
    assert!(
        precision(neg) >= precision(stem) + 0.05,
        "negation precision {:.3}, stem {:.3}",
        precision(neg),
        precision(stem)
    );
    assert!(recall(neg) >= recall(stem) - 0.02);
    let (stem, neg) = (
        m.category("stem", "negation"),
        m.category("stem+negation", "negation"),
    );
    assert!(
        neg.fp * 2 <= stem.fp,
        "negated phrases still matched: {} (stems alone: {})",
        neg.fp,
        stem.fp
    );
}
