//! A corpus of broken inputs (tests/fixtures/inputs/nasty/), each with the
//! rejection a QA department should read for it: nothing panics, nothing is
//! silently dropped, and every reason says what is wrong and where.

use crate::workdir::{any_channel_card, cqa, jsonl, repo};
use cqa::input::contact::{load_file, InputKind, LoadOptions};
use serde_json::Value;
use std::path::PathBuf;

fn nasty(name: &str) -> PathBuf {
    repo("tests/fixtures/inputs/nasty").join(name)
}

/// File -> the start (or a part, after `…`) of its rejection reason.
const EXPECTED: &[(&str, &str)] = &[
    (
        "truncated.json",
        "invalid JSON at line 2, column 65: EOF while parsing a string",
    ),
    (
        "binary.json",
        "binary data (NUL byte at offset 8), not a text transcript",
    ),
    ("empty.txt", "empty file"),
    ("blank.csv", "empty file"),
    (
        "wrong_encoding.txt",
        "text encoding could not be determined",
    ),
    (
        "damaged_utf8.txt",
        "damaged UTF-8: invalid byte sequence at offset 30",
    ),
    (
        "deep.json",
        "invalid JSON at line 1, column 128: recursion limit exceeded",
    ),
    (
        "array_of_contacts.json",
        "the file holds a JSON array, not one contact: put one contact per line in a .jsonl file",
    ),
    (
        "header_only.txt",
        "no turns: expected lines such as `[00:05] Оператор: Здравствуйте`",
    ),
    (
        "unknown_speaker.txt",
        "line 4: unknown speaker `Стажёр`; expected Оператор/Агент/Специалист/Agent/Operator",
    ),
    (
        "text_before_speaker.txt",
        "line 1: text before the first speaker line",
    ),
    (
        "no_text_column.csv",
        "no `text` column (columns found: ID обращения, Роль, Комментарий; delimiter `;`)",
    ),
    ("header_only.csv", "no data rows after the header"),
    (
        "not_an_export.json",
        "not a cqa contact (no `turns`) and not a recognised export",
    ),
    (
        "native_missing_turns.json",
        "missing required field `turns`",
    ),
    (
        "bad_speaker_native.json",
        "turns[0]: unknown speaker `оператор`; expected agent, customer, bot or system",
    ),
    (
        "amazon_unknown_role.json",
        "Amazon Transcribe Call Analytics: Transcript[0]: unknown ParticipantRole `MANAGER`",
    ),
];

fn kind_of(name: &str) -> InputKind {
    match name.rsplit('.').next() {
        Some("txt") => InputKind::Txt,
        Some("csv") => InputKind::Csv,
        _ => InputKind::Json,
    }
}

#[test]
fn every_nasty_file_is_rejected_with_its_expected_reason() {
    let mut failures = Vec::new();
    for (name, want) in EXPECTED {
        let items = load_file(&nasty(name), kind_of(name), &LoadOptions::default());
        match items.as_slice() {
            [one] => match &one.contact {
                Err(e) if e.starts_with(want) => {}
                Err(e) => failures.push(format!("{name}: got `{e}`, want `{want}`")),
                Ok(c) => failures.push(format!("{name}: loaded as contact `{}`", c.id)),
            },
            many => failures.push(format!("{name}: {} items", many.len())),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_corpus_lists_every_fixture_file() {
    let mut files: Vec<String> = std::fs::read_dir(nasty(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut listed: Vec<String> = EXPECTED.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(
        files, listed,
        "add new nasty files to EXPECTED with their reason"
    );
}

#[test]
fn the_whole_corpus_through_the_cli_ends_in_rejected_jsonl_one_line_per_file() {
    let tmp = tempfile::tempdir().unwrap();
    cqa(tmp.path())
        .arg("check")
        .arg(nasty(""))
        .arg("--scorecard")
        .arg(any_channel_card())
        // Reasons are in the run's language; these expectations are English.
        .args(["--out", "out", "--quiet", "--lang", "en"])
        .assert()
        // Every file rejected: nothing scored (exit 3), each listed with its reason.
        .code(3);
    let rejected = jsonl(&tmp.path().join("out/rejected.jsonl"));
    assert_eq!(rejected.len(), EXPECTED.len());
    for (name, want) in EXPECTED {
        let r = rejected
            .iter()
            .find(|r| r["source"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} not in rejected.jsonl"));
        // An English run gives the TXT line examples in English too.
        let want = cqa::words::say::in_lang(want, cqa::words::Lang::En);
        assert!(
            r["reason"].as_str().unwrap().starts_with(&want),
            "{name}: {r}"
        );
    }
    let run: Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("out/run.json")).unwrap())
            .unwrap();
    assert_eq!(
        (run["discovered"].as_u64(), run["processed"].as_u64()),
        (Some(EXPECTED.len() as u64), Some(0))
    );
}

#[test]
fn a_100_mb_line_is_rejected_by_size_without_being_read() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join("huge.txt")).unwrap());
        f.write_all("Оператор: ".as_bytes()).unwrap();
        let chunk = "а".repeat(1 << 19); // 1 MiB of Cyrillic
        for _ in 0..100 {
            f.write_all(chunk.as_bytes()).unwrap();
        }
        f.flush().unwrap();
    }
    // The same 100 MB line as a table and as JSON lines, without more disk.
    std::fs::hard_link(dir.join("huge.txt"), dir.join("huge.csv")).unwrap();
    std::fs::hard_link(dir.join("huge.txt"), dir.join("huge.jsonl")).unwrap();
    let start = std::time::Instant::now();
    cqa(tmp.path())
        .args(["check", "in", "--scorecard"])
        .arg(any_channel_card())
        .args(["--out", "out", "--quiet", "--lang", "en"])
        .assert()
        .code(3);
    let rejected = jsonl(&tmp.path().join("out/rejected.jsonl"));
    let reasons: Vec<(&str, &str)> = rejected
        .iter()
        .map(|r| (r["source"].as_str().unwrap(), r["reason"].as_str().unwrap()))
        .collect();
    let file_limit = "file is 100 MiB, over the limit of 64 MiB (--max-file-mb); not read";
    // .jsonl is streamed, so its limit is per line: the one line is skipped unread.
    let line_limit = "line is 104857618 bytes, over the limit; not read";
    assert_eq!(
        reasons,
        [
            ("in/huge.csv", file_limit),
            ("in/huge.jsonl", line_limit),
            ("in/huge.txt", file_limit)
        ]
    );
    assert!(
        start.elapsed().as_secs() < 30,
        "over-limit files and lines must not be loaded"
    );
}
