//! What `cqa validate` and `cqa explain` say when something is wrong
//! (issue 18 item 15), from the real binary in a temporary folder.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::json;

fn cqa(dir: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("cqa").unwrap();
    c.current_dir(dir);
    c
}

fn write_card(dir: &std::path::Path, criteria: serde_json::Value) {
    let card = json!({"id": "bank", "version": "1", "sections": [
        {"id": "greeting", "title": "Приветствие", "criteria": criteria}
    ]});
    std::fs::write(dir.join("bank.json"), card.to_string()).unwrap();
}

#[test]
fn validate_names_the_criterion_id_beside_the_json_path() {
    let t = tempfile::tempdir().unwrap();
    write_card(
        t.path(),
        json!([
            {"id": "greet", "title": "Поздоровался", "weight": 3, "severity": "non_critical",
             "rule": {"type": "phrase", "any": ["здравствуйте"]}},
            {"id": "greet_name", "title": "Назвал имя", "weight": 3, "severity": "non_critical",
             "rule": {"type": "regex", "pattern": "(меня зовут"}}
        ]),
    );
    cqa(t.path())
        .args(["validate", "bank.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bank.json: sections[0].criteria[1] (greet_name).rule.pattern: invalid regex",
        ));
}

#[test]
fn a_duplicate_id_is_reported_beside_another_error_of_the_same_criterion() {
    let t = tempfile::tempdir().unwrap();
    write_card(
        t.path(),
        json!([
            {"id": "greet", "title": "Поздоровался", "weight": 3, "severity": "non_critical",
             "rule": {"type": "phrase", "any": ["здравствуйте"]}},
            {"id": "greet", "title": "Поздоровался ещё раз", "weight": 3, "severity": "non_critical",
             "rule": {"type": "regex", "pattern": "(меня зовут"}}
        ]),
    );
    let out = cqa(t.path())
        .args(["validate", "bank.json"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sections[0].criteria[1] (greet).rule.pattern: invalid regex"),
        "{err}"
    );
    assert!(
        err.contains("sections[0].criteria[1] (greet).id: duplicate criterion id `greet` (first at sections[0].criteria[0])"),
        "{err}"
    );
}

#[test]
fn validate_of_a_missing_file_says_it_was_not_found() {
    let t = tempfile::tempdir().unwrap();
    cqa(t.path())
        .args(["validate", "nope.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.json: file not found"))
        .stderr(predicate::str::contains("--scorecard").not());
}

#[test]
fn explain_on_a_folder_says_it_is_a_folder() {
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(t.path().join("calls")).unwrap();
    cqa(t.path())
        .args(["explain", "calls"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("calls: это папка"));
    cqa(t.path())
        .args(["explain", "calls", "--lang", "en"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("calls: is a folder"));
}
