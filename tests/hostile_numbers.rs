//! Hostile numbers in scorecards (issue 16, item 7): every number is bounded
//! by a documented limit (docs/scorecard.md, "Limits"), so no card that
//! `validate` accepts can give a non-finite score.

use assert_cmd::Command;
use cqa::input::scorecard::{limits, parse_scorecard, ScorecardError};
use serde_json::{json, Value};

fn issues(card: &Value) -> Vec<String> {
    match parse_scorecard(&card.to_string(), "банк.json") {
        Ok(_) => Vec::new(),
        Err(ScorecardError::Invalid { issues, .. }) => {
            issues.iter().map(|i| i.to_string()).collect()
        }
        Err(e) => vec![e.to_string()],
    }
}

fn card_with(criterion: Value) -> Value {
    json!({"id": "bank", "version": "1", "sections": [
        {"id": "greeting", "title": "Приветствие", "criteria": [criterion]}
    ]})
}

fn greeting(weight: Value) -> Value {
    json!({"id": "greet", "title": "Поздоровался", "weight": weight, "severity": "non_critical",
           "rule": {"type": "phrase", "any": ["здравствуйте"]}})
}

fn has(issues: &[String], path: &str, words: &str) -> bool {
    issues
        .iter()
        .any(|i| i.starts_with(&format!("{path}: ")) && i.contains(words))
}

#[test]
fn validate_refuses_a_weight_of_1e308_naming_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("банк.json");
    std::fs::write(&path, card_with(greeting(json!(1e308))).to_string()).unwrap();
    let out = Command::cargo_bin("cqa")
        .unwrap()
        .args(["validate", "--lang", "en"])
        .arg(&path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "validate accepted it: {err}");
    assert!(
        err.contains("sections[0].criteria[0] (greet).weight: weight must be greater than 0 and at most 10000, got 1e308"),
        "{err}"
    );
}

#[test]
fn a_penalty_above_the_limit_is_refused() {
    let mut c = greeting(json!(null));
    c["penalty"] = json!(1e300);
    let mut card = card_with(c);
    card["scoring"] = json!({"method": "deduction"});
    let i = issues(&card);
    assert!(
        has(&i, "sections[0].criteria[0].penalty", "at most 10000"),
        "{i:?}"
    );
}

#[test]
fn windows_beyond_the_limits_are_refused_with_their_path() {
    for (window, words) in [
        (json!({"first_seconds": 1e12}), "at most 1000000"),
        (json!({"last_turns": 1e15}), "from 1 to 100000"),
    ] {
        let key = window.as_object().unwrap().keys().next().unwrap().clone();
        let c = json!({"id": "greet", "title": "Поздоровался", "weight": 5, "severity": "non_critical",
               "rule": {"type": "phrase", "any": ["здравствуйте"], "window": window}});
        let i = issues(&card_with(c));
        assert!(
            has(
                &i,
                &format!("sections[0].criteria[0].rule.window.{key}"),
                words
            ),
            "{i:?}"
        );
    }
}

#[test]
fn timing_and_metadata_numbers_beyond_the_limits_are_refused() {
    let rules = [
        (
            json!({"type": "timing", "measure": "max_hold_s", "max": 1e300}),
            "rule.max",
        ),
        (
            json!({"type": "timing", "measure": "hold_count", "min": -1}),
            "rule.min",
        ),
        (
            json!({"type": "metadata", "field": "csat", "gte": -1e300}),
            "rule.gte",
        ),
    ];
    for (rule, at) in rules {
        let c = json!({"id": "hold", "title": "Удержание", "weight": 5, "severity": "non_critical", "rule": rule});
        let i = issues(&card_with(c));
        assert!(
            has(&i, &format!("sections[0].criteria[0].{at}"), "must be from"),
            "{i:?}"
        );
    }
}

#[test]
fn a_card_with_more_criteria_than_the_limit_is_refused() {
    let criteria: Vec<Value> = (0..=limits::MAX_CRITERIA)
        .map(|n| {
            json!({"id": format!("c{n}"), "title": "Критерий", "weight": 1, "severity": "non_critical",
                   "rule": {"type": "phrase", "any": ["здравствуйте"]}})
        })
        .collect();
    let card = json!({"id": "bank", "version": "1", "sections": [
        {"id": "all", "title": "Всё", "criteria": criteria}
    ]});
    let i = issues(&card);
    let at = format!("sections[0].criteria[{}]", limits::MAX_CRITERIA);
    assert!(has(&i, &at, "at most 2000 criteria"), "{i:?}");
}

#[test]
fn weights_at_the_limit_still_score_finitely_through_check() {
    let dir = tempfile::tempdir().unwrap();
    let cards = dir.path().join("cards");
    std::fs::create_dir(&cards).unwrap();
    let mut card = card_with(greeting(json!(limits::MAX_WEIGHT)));
    let farewell = json!({"id": "bye", "title": "Попрощался", "weight": limits::MAX_WEIGHT,
        "severity": "non_critical", "rule": {"type": "phrase", "any": ["до свидания"]}});
    card["sections"][0]["criteria"]
        .as_array_mut()
        .unwrap()
        .push(farewell);
    std::fs::write(cards.join("bank.json"), card.to_string()).unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let contact = json!({"id": "C-1", "agent_id": "A001", "agent_name": "Иванова Мария", "channel": "voice",
        "turns": [{"speaker": "agent", "text": "Здравствуйте, банк «Пример»."},
                  {"speaker": "customer", "text": "Добрый день."}]});
    std::fs::write(input.join("C-1.json"), contact.to_string()).unwrap();
    let out = dir.path().join("out");
    Command::cargo_bin("cqa")
        .unwrap()
        .args(["check", "--no-workbooks", "-q", "-s"])
        .arg(&cards)
        .arg("-o")
        .arg(&out)
        .arg(&input)
        .assert()
        .success();
    let line = std::fs::read_to_string(out.join("results.jsonl")).unwrap();
    let r: Value = serde_json::from_str(line.lines().next().unwrap()).unwrap();
    assert_eq!(r["score"].as_f64(), Some(50.0), "{r}");
}
