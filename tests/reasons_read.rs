//! Reasons a person reads (issue 18 item 7): a regex is described by its
//! label (or its criterion's title), never by its source, which only
//! `cqa explain --verbose` shows; measured values never read the same as
//! the bound they broke.

use crate::common::*;
use crate::workdir::repo;
use assert_cmd::Command;
use serde_json::json;

/// Pieces of regex syntax no reason should show.
const SOURCE: [&str; 5] = ["(?:", "\\b", "\\d{", "\\s", "[А-ЯЁ]"];

#[test]
fn no_reason_of_the_samples_shows_a_regex_source() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("run");
    Command::cargo_bin("cqa")
        .unwrap()
        .arg("check")
        .arg(repo("samples"))
        .arg("--scorecard")
        .arg(repo("scorecards"))
        // Every reason, passes' too: the full form (docs/results.md).
        .args(["--detail", "full", "--quiet", "--no-workbooks", "--out"])
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(out.join("results.jsonl")).unwrap();
    let mut reasons = 0;
    for line in text.lines() {
        let r: serde_json::Value = serde_json::from_str(line).unwrap();
        for c in r["criteria"].as_array().unwrap() {
            let reason = c["reason"].as_str().unwrap();
            reasons += 1;
            for s in SOURCE {
                assert!(!reason.contains(s), "{}: {reason}", c["id"]);
            }
        }
    }
    assert!(reasons > 1000);
    assert!(text.contains("по правилу «представился по имени»"));
}

#[test]
fn a_regex_without_a_label_is_described_by_its_criterion_title() {
    let v = verdict(
        json!({"type": "regex", "speaker": "agent", "must": "absent", "any": ["\\b\\d{16}\\b"]}),
        &contact(
            json!([{"speaker": "agent", "text": "Номер 4276380012345678, верно?"}]),
            json!({}),
        ),
    );
    assert_eq!(
        v.reason,
        "Недопустимо: совпадение по правилу «Критерий» в репликах оператора (реплика 1)."
    );
}

#[test]
fn a_regex_label_describes_it() {
    let v = verdict(
        json!({"type": "regex", "speaker": "agent", "label": "назвал имя", "any": ["[Мм]еня зовут \\w+"]}),
        &contact(
            json!([{"speaker": "agent", "text": "Добрый день."}]),
            json!({}),
        ),
    );
    assert_eq!(
        v.reason,
        "Не найдено совпадений по правилу «назвал имя» в репликах оператора."
    );
}

#[test]
fn explain_verbose_shows_the_regex_source_and_plain_explain_does_not() {
    let run = |extra: &[&str]| {
        let out = Command::cargo_bin("cqa")
            .unwrap()
            .arg("explain")
            .arg(repo("samples/voice/C-000101.json"))
            .arg("--scorecard")
            .arg(repo("scorecards"))
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let plain = run(&[]);
    assert!(!plain.contains("(?:[Мм]еня зовут"), "{plain}");
    assert!(plain.contains("«представился по имени»"));
    let verbose = run(&["--verbose"]);
    assert!(verbose.contains(r#""any":["(?:[Мм]еня зовут"#), "{verbose}");
}

#[test]
fn a_value_just_above_its_bound_is_shown_precisely_enough_to_differ() {
    // The agent speaks 70.4 s of 100 s of talk: 70.4% against at most 70%.
    let v = verdict(
        json!({"type": "timing", "measure": "agent_talk_share", "max": 0.7}),
        &contact(
            json!([
                {"speaker": "agent", "text": "Здравствуйте, слушаю вас.", "start": 0.0, "end": 70.4},
                {"speaker": "customer", "text": "Спасибо.", "start": 70.4, "end": 100.0}
            ]),
            json!({}),
        ),
    );
    assert_eq!(v.status, cqa::results::Status::Fail);
    assert!(
        v.reason.contains("70.4% — больше допустимого (70%)"),
        "{}",
        v.reason
    );
}

#[test]
fn a_change_shown_to_one_decimal_is_never_negative_zero() {
    let x = cqa::stats::shown(-0.04, 1);
    assert_eq!(x, 0.0);
    assert!(x.is_sign_positive(), "−0.0 would read as a fall");
    assert_eq!(format!("{:+.1}", x), "+0.0");
    assert_eq!(cqa::stats::shown(-0.06, 1), -0.1);
}
