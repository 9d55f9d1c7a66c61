//! `cqa check --detail failures|full`: by default a passed criterion keeps
//! only the turns of its evidence, everything else its reason and quotes;
//! `cqa report` builds the same workbooks from either form.

use crate::workdir::{cqa, repo, workbooks};
use serde_json::Value;
use std::path::Path;

/// `cqa check` of the bundled voice and chat samples into `out`.
fn check(out: &Path, extra: &[&str]) {
    cqa(&repo("."))
        .args(["check", "samples/voice", "samples/chat", "--quiet", "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

fn criteria(run: &Path) -> Vec<Value> {
    std::fs::read_to_string(run.join("results.jsonl"))
        .unwrap()
        .lines()
        .flat_map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["criteria"].as_array().unwrap().clone()
        })
        .collect()
}

fn status(c: &Value) -> &str {
    c["status"].as_str().unwrap()
}

#[test]
fn by_default_a_passed_criterion_keeps_only_the_turns_of_its_evidence() {
    let t = tempfile::tempdir().unwrap();
    check(&t.path().join("run"), &["--no-workbooks"]);
    let all = criteria(&t.path().join("run"));
    let passed: Vec<&Value> = all.iter().filter(|c| status(c) == "pass").collect();
    assert!(!passed.is_empty());
    for c in &passed {
        // A penalty criterion (no weight) also carries its penalty.
        let keys: Vec<&str> = c
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .filter(|k| *k != "penalty")
            .collect();
        assert_eq!(
            keys,
            [
                "id",
                "section",
                "status",
                "severity",
                "weight",
                "auto_fail",
                "turns"
            ],
            "{c}"
        );
    }
    assert!(
        passed
            .iter()
            .any(|c| !c["turns"].as_array().unwrap().is_empty()),
        "some pass quotes a turn"
    );
}

#[test]
fn by_default_every_criterion_that_did_not_pass_keeps_its_reason_and_quotes() {
    let t = tempfile::tempdir().unwrap();
    check(&t.path().join("run"), &["--no-workbooks"]);
    let all = criteria(&t.path().join("run"));
    let others: Vec<&Value> = all.iter().filter(|c| status(c) != "pass").collect();
    assert!(others.iter().any(|c| status(c) == "fail"));
    for c in others {
        assert!(!c["reason"].as_str().unwrap().is_empty(), "{c}");
        assert!(c["evidence"].is_array() && c.get("turns").is_none(), "{c}");
    }
    assert!(all
        .iter()
        .filter(|c| status(c) == "fail")
        .any(|c| !c["evidence"][0]["quote"].as_str().unwrap_or("").is_empty()));
}

#[test]
fn detail_full_gives_every_criterion_its_reason_and_evidence() {
    let t = tempfile::tempdir().unwrap();
    check(
        &t.path().join("run"),
        &["--no-workbooks", "--detail", "full"],
    );
    for c in criteria(&t.path().join("run")) {
        assert!(!c["reason"].as_str().unwrap().is_empty(), "{c}");
        assert!(c["evidence"].is_array() && c.get("turns").is_none(), "{c}");
    }
    let run: Value =
        serde_json::from_str(&std::fs::read_to_string(t.path().join("run/run.json")).unwrap())
            .unwrap();
    assert_eq!(run["detail"], "full");
}

#[test]
fn the_default_results_are_at_most_two_thirds_the_size_of_the_full_ones() {
    let t = tempfile::tempdir().unwrap();
    check(&t.path().join("lean"), &["--no-workbooks"]);
    check(
        &t.path().join("full"),
        &["--no-workbooks", "--detail", "full"],
    );
    let size = |d: &str| {
        std::fs::metadata(t.path().join(d).join("results.jsonl"))
            .unwrap()
            .len()
    };
    assert!(
        size("lean") * 3 <= size("full") * 2,
        "{} vs {}",
        size("lean"),
        size("full")
    );
}

#[test]
fn an_unknown_detail_is_a_usage_error() {
    cqa(&repo("."))
        .args(["check", "--detail", "some"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("expected `failures` or `full`"));
}

#[test]
fn report_builds_the_same_workbooks_from_lean_and_full_results() {
    let t = tempfile::tempdir().unwrap();
    check(&t.path().join("lean"), &["--no-workbooks"]);
    check(
        &t.path().join("full"),
        &["--no-workbooks", "--detail", "full"],
    );
    // The same path for both, as a workbook names the results it was made from.
    let input = t.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let mut books = Vec::new();
    for form in ["lean", "full"] {
        for f in ["results.jsonl", "run.json", "rejected.jsonl"] {
            std::fs::copy(t.path().join(form).join(f), input.join(f)).unwrap();
        }
        let out = t.path().join(format!("report-{form}"));
        cqa(&repo("."))
            .arg("report")
            .arg(input.join("results.jsonl"))
            .args(["--quiet", "--out"])
            .arg(&out)
            .assert()
            .success();
        books.push(workbooks(&out));
    }
    assert!(books[0].keys().any(|k| k.starts_with("agents")));
    assert_eq!(books[0], books[1]);
}
