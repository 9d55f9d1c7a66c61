//! What `cqa validate` and `cqa explain` say when something is wrong
//! (issue 18 item 15), from the real binary in a temporary folder.

use crate::workdir::cqa;
use predicates::prelude::*;
use serde_json::json;

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
        .args(["validate", "--lang", "en", "bank.json"])
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
        .args(["validate", "--lang", "en", "bank.json"])
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
        .args(["validate", "--lang", "en", "nope.json"])
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

/// A card with the most common mistakes: a missing title, a weight given as
/// text, an unknown rule type, a duplicate id and a weight out of range.
fn write_card_with_common_mistakes(dir: &std::path::Path) {
    write_card(
        dir,
        json!([
            {"id": "greet", "weight": 3, "severity": "non_critical",
             "rule": {"type": "phrase", "any": ["здравствуйте"]}},
            {"id": "name", "title": "Назвал имя", "weight": "три", "severity": "non_critical",
             "rule": {"type": "regexp", "pattern": "меня зовут"}},
            {"id": "greet", "title": "Попрощался", "weight": 1e308, "severity": "non_critical",
             "rule": {"type": "phrase", "any": ["до свидания"]}}
        ]),
    );
}

fn has_cyrillic(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
}

#[test]
fn validate_speaks_russian_by_default() {
    let t = tempfile::tempdir().unwrap();
    write_card_with_common_mistakes(t.path());
    let out = cqa(t.path())
        .args(["validate", "bank.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for want in [
        "sections[0].criteria[0] (greet).title: обязательное поле отсутствует",
        "sections[0].criteria[1] (name).weight: ожидалось число, получено: строка",
        "sections[0].criteria[1] (name).rule.type: неизвестный тип правила `regexp`",
        "sections[0].criteria[2] (greet).id: повторный id критерия `greet` (впервые в sections[0].criteria[0])",
        "sections[0].criteria[2] (greet).weight: weight должно быть больше 0",
        "неверных чек-листов: 1 из 1",
    ] {
        assert!(err.contains(want), "no «{want}» in:\n{err}");
    }
    // Every line a person reads is Russian, not only the known ones.
    for line in err.lines() {
        assert!(has_cyrillic(line), "an English line: {line}\n{err}");
    }
}

#[test]
fn validate_in_english_prints_no_cyrillic() {
    let t = tempfile::tempdir().unwrap();
    write_card_with_common_mistakes(t.path());
    let out = cqa(t.path())
        .args(["validate", "--lang", "en", "bank.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("duplicate criterion id `greet`"), "{err}");
    assert!(!has_cyrillic(&err), "{err}");
}

#[test]
fn validate_says_ok_and_not_found_in_russian() {
    let t = tempfile::tempdir().unwrap();
    write_card(
        t.path(),
        json!([{"id": "greet", "title": "Поздоровался", "weight": 3, "severity": "non_critical",
                "rule": {"type": "phrase", "any": ["здравствуйте"]}}]),
    );
    cqa(t.path())
        .args(["validate", "bank.json"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "bank.json: ок — `bank`, версия 1, критериев: 1",
        ));
    cqa(t.path())
        .args(["validate", "nope.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.json: файл не найден"));
}
