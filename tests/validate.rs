//! Scorecard validation: every problem at once, each with its JSON path.

use cqa::input::scorecard::{parse_scorecard, ScorecardError};
use serde_json::json;

fn issues(card: serde_json::Value) -> Vec<String> {
    match parse_scorecard(&card.to_string(), "bank.json") {
        Ok(_) => Vec::new(),
        Err(ScorecardError::Invalid { issues, .. }) => {
            issues.iter().map(|i| i.to_string()).collect()
        }
        Err(e) => vec![e.to_string()],
    }
}

fn criterion(id: &str, rule: serde_json::Value) -> serde_json::Value {
    json!({"id": id, "title": "Приветствие", "weight": 5, "severity": "non_critical", "rule": rule})
}

fn card(criteria: Vec<serde_json::Value>) -> serde_json::Value {
    json!({"id": "bank", "version": "1", "sections": [{"id": "greeting", "title": "Приветствие", "criteria": criteria}]})
}

#[test]
fn a_valid_scorecard_has_no_issues() {
    let c = card(vec![criterion(
        "greet",
        json!({"type": "phrase", "any": ["здравствуйте"]}),
    )]);
    assert!(issues(c).is_empty());
}

#[test]
fn invalid_json_reports_line_and_column() {
    let e =
        parse_scorecard("{\n  \"id\": \"bank\",\n  \"sections\": [\n}", "bank.json").unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.starts_with("bank.json: invalid JSON at line 4, column 1"),
        "{msg}"
    );
}

#[test]
fn unknown_rule_type_is_named_with_its_path() {
    let c = card(vec![criterion(
        "greet",
        json!({"type": "phrse", "any": ["здравствуйте"]}),
    )]);
    let i = issues(c);
    assert_eq!(i.len(), 1, "{i:?}");
    assert!(
        i[0].starts_with("sections[0].criteria[0].rule.type: unknown rule type `phrse`"),
        "{}",
        i[0]
    );
}

#[test]
fn unknown_field_is_reported_with_the_known_ones() {
    let c = card(vec![criterion(
        "greet",
        json!({"type": "phrase", "any": ["да"], "windw": {"first_turns": 2}}),
    )]);
    let i = issues(c);
    assert!(
        i[0].starts_with(
            "sections[0].criteria[0].rule.windw: unknown field `windw`; expected one of:"
        ),
        "{}",
        i[0]
    );
    assert!(i[0].contains("window"), "{}", i[0]);
}

#[test]
fn invalid_regex_carries_the_regex_crates_message() {
    let c = card(vec![criterion(
        "card",
        json!({"type": "regex", "pattern": "(\\d{16"}),
    )]);
    let i = issues(c);
    assert!(
        i[0].starts_with("sections[0].criteria[0].rule.pattern: invalid regex: regex parse error"),
        "{}",
        i[0]
    );
}

#[test]
fn duplicate_criterion_ids_name_both_places() {
    let c = json!({"id": "bank", "sections": [
        {"id": "a", "title": "А", "criteria": [criterion("greet", json!({"type": "manual"}))]},
        {"id": "b", "title": "Б", "criteria": [criterion("greet", json!({"type": "manual"}))]}
    ]});
    let i = issues(c);
    assert_eq!(i, vec!["sections[1].criteria[0].id: duplicate criterion id `greet` (first at sections[0].criteria[0])"]);
}

#[test]
fn weights_must_be_positive() {
    let mut c = criterion("greet", json!({"type": "manual"}));
    c["weight"] = json!(0);
    let i = issues(card(vec![c]));
    assert_eq!(
        i,
        vec!["sections[0].criteria[0].weight: weight must be greater than 0 and at most 10000, got 0"]
    );
}

#[test]
fn unknown_severity_and_speaker_are_named() {
    let mut c = criterion(
        "greet",
        json!({"type": "phrase", "speaker": "operator", "any": ["да"]}),
    );
    c["severity"] = json!("critical");
    let i = issues(card(vec![c]));
    assert!(i.iter().any(|m| m.starts_with("sections[0].criteria[0].severity: unknown severity `critical`")), "{i:?}");
    assert!(
        i.iter()
            .any(|m| m
                .starts_with("sections[0].criteria[0].rule.speaker: unknown speaker `operator`")),
        "{i:?}"
    );
}

#[test]
fn order_parts_must_be_phrase_or_regex() {
    let rule = json!({"type": "order", "first": {"type": "timing", "measure": "max_hold_s", "max": 60}, "then": {"type": "phrase", "any": ["баланс"]}});
    let i = issues(card(vec![criterion("id_first", rule)]));
    assert_eq!(i, vec!["sections[0].criteria[0].rule.first: the parts of an order rule must be phrase or regex rules, got `timing`"]);
}

#[test]
fn every_problem_is_reported_at_once() {
    let c = json!({"id": "bank", "sections": [{"id": "s", "title": "С", "criteria": [
        {"id": "a", "title": "А", "weight": -1, "severity": "non_critical", "rule": {"type": "manual"}},
        {"id": "b", "title": "Б", "weight": 1, "severity": "fatal", "rule": {"type": "regex", "pattern": "["}},
        {"id": "c", "title": "В", "weight": 1, "severity": "non_critical", "rule": {"type": "phrase", "any": []}},
        {"id": "d", "title": "Г", "weight": 1, "severity": "non_critical", "rule": {"type": "timing", "measure": "hold_time", "max": 1}}
    ]}]});
    let i = issues(c);
    assert_eq!(i.len(), 5, "{i:#?}");
    assert!(i[0].starts_with("sections[0].criteria[0].weight"));
    assert!(i[1].starts_with("sections[0].criteria[1].severity"));
    assert!(i[2].starts_with("sections[0].criteria[1].rule.pattern: invalid regex"));
    assert!(i[3].starts_with("sections[0].criteria[2].rule.any: the list is empty"));
    assert!(i[4].starts_with("sections[0].criteria[3].rule.measure: unknown measure `hold_time`"));
}

#[test]
fn deduction_scorecards_need_penalties() {
    let c = json!({"id": "chat", "scoring": {"method": "deduction"}, "sections": [{"id": "s", "title": "С", "criteria": [
        {"id": "a", "title": "А", "severity": "non_critical", "rule": {"type": "manual"}}
    ]}]});
    assert_eq!(issues(c), vec!["sections[0].criteria[0].penalty: required field is missing (the scorecard scores by deduction)"]);
}

#[test]
fn windows_are_checked() {
    let rule = json!({"type": "phrase", "any": ["да"], "window": {"first_turns": 0}});
    let i = issues(card(vec![criterion("a", rule)]));
    assert_eq!(i, vec!["sections[0].criteria[0].rule.window.first_turns: expected a whole number of turns from 1 to 100000, got 0"]);
}

#[test]
fn parsed_scorecards_round_trip_through_the_schema_types() {
    // The hand-written parser and the serde shape (which the JSON Schema is derived from) agree.
    for entry in std::fs::read_dir("scorecards").unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let card =
            parse_scorecard(&text, &path.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
        let again: cqa::input::scorecard::Scorecard =
            serde_json::from_value(serde_json::to_value(&card).unwrap()).unwrap();
        assert_eq!(card, again, "{}", path.display());
    }
}

#[test]
fn the_bundled_schema_file_is_the_one_cqa_prints() {
    let bundled: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("schemas/scorecard.schema.json").unwrap())
            .unwrap();
    assert_eq!(
        bundled,
        cqa::input::scorecard::schema::scorecard_schema(),
        "run `cargo run -- schema > schemas/scorecard.schema.json`"
    );
}

#[test]
fn a_judge_rule_inside_a_combinator_is_valid() {
    let c = card(vec![criterion(
        "empathy",
        json!({"type": "if",
            "when": {"type": "phrase", "speaker": "customer", "any": ["жалоба"]},
            "then": {"type": "judge", "question": "Оператор проявил сочувствие к клиенту?",
                "speaker": "agent", "na_when": "клиент ни на что не жалуется",
                "examples": [{"transcript": "[1] Customer: Безобразие!\n[2] Agent: Понимаю, приношу извинения.",
                    "answer": "yes", "why": "извинился"}],
                "min_confidence": 0.7, "pass_when": "yes"}}),
    )]);
    assert_eq!(issues(c), Vec::<String>::new());
}

#[test]
fn every_problem_of_a_judge_rule_is_named_with_its_path() {
    let c = card(vec![criterion(
        "empathy",
        json!({"type": "judge", "speaker": "operator", "min_confidence": 1.5, "pass_when": "maybe",
            "examples": [{"transcript": "[1] Agent: Понимаю.", "answer": "perhaps"}, {"answer": "no"}],
            "temperature": 0}),
    )]);
    let i = issues(c);
    let at = "sections[0].criteria[0].rule";
    for want in [
        format!("{at}.question: required field is missing"),
        format!("{at}.speaker: unknown speaker `operator`"),
        format!("{at}.min_confidence: expected a probability from 0 to 1, got 1.5"),
        format!("{at}.pass_when: unknown value `maybe`; expected yes or no"),
        format!("{at}.examples[0].answer: unknown answer `perhaps`; expected yes, no or na"),
        format!("{at}.examples[1].transcript: required field is missing"),
        format!("{at}.temperature: unknown field `temperature`"),
    ] {
        assert!(
            i.iter().any(|x| x.starts_with(&want)),
            "missing «{want}» in {i:#?}"
        );
    }
}
