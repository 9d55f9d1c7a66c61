//! Personal data never leaves cqa, whatever form it comes in and wherever it
//! stands (issue 16): `tests/data/pii_adversarial` plants card numbers with
//! every Unicode space, dash and digit form, dictated or cut by a quote,
//! phones of several countries, disguised e-mails, identity numbers, and puts
//! them in transcripts, identifiers, metadata, rejected input and controllers'
//! comments (`make.py` there writes it; `planted.tsv` lists the values).
//! Every command runs on it, and every byte it writes — each file, each entry
//! of each workbook read raw from the zip, stdout and stderr — is scanned
//! for the planted values beyond what masking may show (a card's first six
//! and last four digits). Spoken numbers in the output are converted to
//! digits before the scan, so a number left in words is caught too.

use assert_cmd::Command;
use cqa::text::numbers::spoken_numbers_to_digits;
use cqa::text::pii::{digit_value, is_wide_dash};
use std::io::Read;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn corpus() -> PathBuf {
    Path::new(ROOT).join("tests/data/pii_adversarial")
}

/// A planted value and the digit windows (or text) that must never show.
struct Planted {
    kind: String,
    value: String,
}

impl Planted {
    /// Card: any 8 digits in a row that hold one of the hidden middle digits
    /// (every 8-digit window of a 16-digit card). Other numbers are hidden
    /// whole: any 7 digits in a row. E-mails: the local part.
    fn forbidden(&self) -> Vec<String> {
        let d = &self.value;
        match self.kind.as_str() {
            "email" => vec![d.to_lowercase()],
            "card" => {
                let hidden = 6..d.len() - 4;
                (0..=d.len() - 8)
                    .filter(|&s| (s..s + 8).any(|i| hidden.contains(&i)))
                    .map(|s| d[s..s + 8].to_string())
                    .collect()
            }
            _ => (0..=d.len().saturating_sub(7))
                .map(|s| d[s..(s + 7).min(d.len())].to_string())
                .collect(),
        }
    }
}

fn planted() -> Vec<Planted> {
    let text = std::fs::read_to_string(corpus().join("planted.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, v)| Planted {
            kind: k.to_string(),
            value: v.to_string(),
        })
        .collect()
}

/// Digit runs of `text` as ASCII: digits of any script, with spaces,
/// dashes, dots, slashes and parentheses between them dropped.
fn digit_runs(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if let Some(d) = digit_value(c) {
            cur.push(char::from(b'0' + d));
        } else if c.is_whitespace()
            || c == '-'
            || is_wide_dash(c)
            || matches!(c, '.' | '/' | '(' | ')' | '+')
        {
            continue;
        } else if !cur.is_empty() {
            runs.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        runs.push(cur);
    }
    runs
}

/// What leaks in one output: `where` and the planted value found there.
fn leaks(place: &str, text: &str, planted: &[Planted]) -> Vec<String> {
    let mut found = Vec::new();
    let spoken = spoken_numbers_to_digits(text);
    let lower = text.to_lowercase();
    for version in [text, spoken.as_str()] {
        let runs = digit_runs(version);
        for p in planted {
            for f in p.forbidden() {
                let hit = match p.kind.as_str() {
                    "email" => lower.contains(&f),
                    _ => runs.iter().any(|r| r.contains(&f)),
                };
                if hit {
                    found.push(format!("{place}: {} {} ({f})", p.kind, p.value));
                    break;
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// Every file under `dir`; workbooks (zips) as their entries, read raw.
fn files_of(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        let p = e.path();
        let name = p.display().to_string();
        // The file name itself is written by cqa too.
        out.push((format!("{name} (name)"), name.clone()));
        let bytes = std::fs::read(p).unwrap();
        if bytes.starts_with(b"PK") {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            for i in 0..zip.len() {
                let mut f = zip.by_index(i).unwrap();
                let mut s = Vec::new();
                f.read_to_end(&mut s).unwrap();
                out.push((
                    format!("{name}!{}", f.name().unwrap_or_default()),
                    String::from_utf8_lossy(&s).into_owned(),
                ));
            }
        } else {
            out.push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    out
}

/// Runs cqa with `args` in the repository folder: its stdout and stderr.
fn run(args: &[&str]) -> (String, String) {
    let out = Command::cargo_bin("cqa")
        .unwrap()
        .current_dir(ROOT)
        .args(args)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_corpus_has_at_least_sixty_cases() {
    let contacts = std::fs::read_dir(corpus().join("contacts"))
        .unwrap()
        .count();
    assert!(contacts >= 60, "{contacts} contact files");
    assert!(planted().len() >= 60);
}

#[test]
fn the_scan_finds_a_planted_card_in_every_form() {
    let p = [Planted {
        kind: "card".into(),
        value: "4276380012345679".into(),
    }];
    for text in [
        "4276 3800 1234 5679",
        "4276\u{a0}3800\u{2013}1234/5679",
        "«４２７６３８００１２３４５６７９»",
        "4276 3800 1234 …",
        "38 0012 3456 79",
        "четыре два семь шесть три восемь ноль ноль один два",
    ] {
        assert!(!leaks("t", text, &p).is_empty(), "{text}");
    }
    assert!(leaks("t", "4276 38** **** 5679", &p).is_empty());
}

#[test]
fn nothing_cqa_writes_shows_a_planted_value() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let data = corpus();
    let contacts = data.join("contacts");
    let evals = data.join("evaluations");
    let s = |p: &Path| p.display().to_string();
    let mut outputs: Vec<(String, String)> = Vec::new();
    let mut record = |what: &str, (stdout, stderr): (String, String)| {
        outputs.push((format!("{what} stdout"), stdout));
        outputs.push((format!("{what} stderr"), stderr));
    };
    let check = t.join("check");
    record(
        "check",
        run(&[
            "check",
            &s(&contacts),
            "-s",
            "scorecards",
            "-o",
            &s(&check),
            "--evaluations",
            &s(&evals),
        ]),
    );
    for e in std::fs::read_dir(&contacts).unwrap() {
        let p = e.unwrap().path();
        record(
            &format!("explain {}", p.display()),
            run(&["explain", &s(&p), "-s", "scorecards"]),
        );
    }
    record(
        "report",
        run(&["report", &s(&check), "-o", &s(&t.join("report"))]),
    );
    let sample = t.join("sample");
    record(
        "sample",
        run(&["sample", &s(&contacts), "-o", &s(&sample), "--per", "100"]),
    );
    record(
        "forms",
        run(&[
            "forms",
            "--sample",
            &s(&sample.join("sample.csv")),
            "--contacts",
            &s(&contacts),
            "-s",
            "scorecards",
            "--evaluators",
            "Петрова,Сидоров",
            "-o",
            &s(&t.join("forms")),
        ]),
    );
    record(
        "calibrate",
        run(&[
            "calibrate",
            "--evaluations",
            &s(&evals),
            "--contacts",
            &s(&contacts),
            "-s",
            "scorecards",
            "-o",
            &s(&t.join("calibrate")),
        ]),
    );
    // Every command wrote what it writes: the scan is not of empty folders.
    for f in [
        "check/results.jsonl",
        "check/rejected.jsonl",
        "check/summary.xlsx",
        "check/disagreements.jsonl",
        "sample/sample.csv",
        "calibrate/calibration.xlsx",
    ] {
        assert!(t.join(f).is_file(), "{f} missing: {outputs:#?}");
    }
    let results = std::fs::read_to_string(check.join("results.jsonl")).unwrap();
    assert!(results.lines().count() >= 55, "{results}");
    assert!(std::fs::read_dir(t.join("forms")).unwrap().count() > 0);
    assert!(std::fs::read_dir(t.join("report")).unwrap().count() > 0);
    outputs.extend(files_of(t));
    let planted = planted();
    let found: Vec<String> = outputs
        .iter()
        .flat_map(|(place, text)| leaks(place, text, &planted))
        .collect();
    assert!(
        found.is_empty(),
        "{} leaks:\n{}",
        found.len(),
        found.join("\n")
    );
}
