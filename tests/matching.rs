//! Language-aware phrase matching: word forms, proximity, negation, and
//! speech-recognition tolerance.

use crate::common::*;
use cqa::results::Status;
use serde_json::json;

fn said(agent: &str) -> String {
    contact(json!([{"speaker": "agent", "text": agent}]), json!({}))
}

#[test]
fn stems_match_other_word_forms_by_default() {
    let r = json!({"type": "phrase", "any": ["заблокировать карту"]});
    assert_eq!(
        status(r, &said("Мы заблокировали карту по вашей просьбе.")),
        Status::Pass
    );
    let r = json!({"type": "phrase", "any": ["кэшбэк"]});
    assert_eq!(
        status(r, &said("Это относится к кэшбэку за покупки.")),
        Status::Pass
    );
}

#[test]
fn exact_mode_matches_only_the_forms_given() {
    let r = json!({"type": "phrase", "match": "exact", "any": ["заблокировать карту"]});
    assert_eq!(status(r, &said("Мы заблокировали карту.")), Status::Fail);
}

#[test]
fn scorecard_wide_exact_mode_applies_to_every_phrase() {
    let card = json!({"id": "t", "match": "exact", "sections": [{"id": "s", "title": "С", "criteria": [
        {"id": "c", "title": "К", "weight": 1, "severity": "non_critical", "rule": {"type": "phrase", "any": ["кэшбэк"]}}]}]});
    let card = cqa::check::CompiledScorecard::compile(
        cqa::input::scorecard::parse_scorecard(&card.to_string(), "t").unwrap(),
    )
    .unwrap();
    let r = evaluate_in(&card, &said("Начислим кэшбэку"), cqa::words::Lang::Ru);
    assert_eq!(r.criteria[0].status, Status::Fail);
}

#[test]
fn stems_never_break_whole_words() {
    let r = json!({"type": "phrase", "any": ["пин"]});
    assert_eq!(status(r, &said("Это пингвин.")), Status::Fail);
}

#[test]
fn english_word_forms_match_too() {
    let r = json!({"type": "phrase", "any": ["block the card"]});
    assert_eq!(
        status(r, &said("I have blocked the cards for you.")),
        Status::Pass
    );
}

#[test]
fn negation_cancels_a_match_preceded_by_ne() {
    let r = json!({"type": "phrase", "any": ["могу помочь"], "unless_preceded_by": ["не"]});
    assert_eq!(
        status(r.clone(), &said("К сожалению, я не могу помочь.")),
        Status::Fail
    );
    assert_eq!(status(r, &said("Конечно, могу помочь.")), Status::Pass);
}

#[test]
fn negation_is_off_by_default() {
    let r = json!({"type": "phrase", "any": ["могу помочь"]});
    assert_eq!(status(r, &said("Я не могу помочь.")), Status::Pass);
}

#[test]
fn negation_looks_only_within_its_window() {
    let r = json!({"type": "phrase", "any": ["помочь"], "unless_preceded_by": ["не"], "unless_window": 1});
    assert_eq!(status(r, &said("Не знаю, но могу помочь.")), Status::Pass);
}

#[test]
fn a_later_unnegated_occurrence_still_counts() {
    let r = json!({"type": "phrase", "any": ["могу помочь"], "unless_preceded_by": ["не"]});
    assert_eq!(
        status(
            r,
            &said("Я не могу помочь с кредитом, но могу помочь с картой.")
        ),
        Status::Pass
    );
}

#[test]
fn near_lets_other_words_stand_between() {
    let r = json!({"type": "phrase", "any": ["назовите кодовое слово"], "near": 2});
    assert_eq!(
        status(
            r.clone(),
            &said("Назовите, пожалуйста, ваше кодовое слово.")
        ),
        Status::Pass
    );
    let r2 = json!({"type": "phrase", "any": ["назовите кодовое слово"], "near": 1});
    assert_eq!(
        status(r2, &said("Назовите, пожалуйста, ваше кодовое слово.")),
        Status::Fail
    );
    let exact = json!({"type": "phrase", "any": ["назовите кодовое слово"]});
    assert_eq!(
        status(exact, &said("Назовите, пожалуйста, ваше кодовое слово.")),
        Status::Fail
    );
}

#[test]
fn fuzzy_tolerates_recognition_errors_in_long_words_only() {
    let r = json!({"type": "phrase", "any": ["здравствуйте"], "fuzzy": 1});
    assert_eq!(status(r, &said("Здраствуйте, банк слушает.")), Status::Pass);
    let r = json!({"type": "phrase", "any": ["код"], "fuzzy": 1});
    assert_eq!(status(r, &said("Это кот.")), Status::Fail);
}

#[test]
fn fuzzy_evidence_quotes_the_words_said() {
    let r = json!({"type": "phrase", "speaker": "agent", "any": ["кодовое слово"], "fuzzy": 1});
    let v = verdict(r, &said("Назовите кодавое слово"));
    assert_eq!(v.status, Status::Pass);
    assert_eq!(v.evidence[0].quote, "Назовите кодавое слово");
}

#[test]
fn substitutions_catch_known_recognition_errors() {
    let card = json!({"id": "t", "substitutions": {"кэш бэк": "кэшбэк"}, "sections": [{"id": "s", "title": "С", "criteria": [
        {"id": "c", "title": "К", "weight": 1, "severity": "business_critical", "rule": {"type": "phrase", "any": ["начислим кэшбэк"]}}]}]});
    let card = cqa::check::CompiledScorecard::compile(
        cqa::input::scorecard::parse_scorecard(&card.to_string(), "t").unwrap(),
    )
    .unwrap();
    let r = evaluate_in(
        &card,
        &said("Мы начислим кэш бэк в течение месяца"),
        cqa::words::Lang::Ru,
    );
    assert_eq!(r.criteria[0].status, Status::Pass);
}

#[test]
fn negations_of_several_words_once_normalised_still_cancel() {
    let r = json!({"type": "phrase", "any": ["block the card"], "unless_preceded_by": ["don't", "not"]});
    assert_eq!(
        status(r.clone(), &said("We don't block the card today.")),
        Status::Fail
    );
    assert_eq!(
        status(r, &said("We block the card right away.")),
        Status::Pass
    );
}

#[test]
fn the_match_index_counts_every_phrase_of_a_greeting_turn() {
    let card = cqa::input::scorecard::load_scorecard(std::path::Path::new(
        "scorecards/bank-voice-ru.json",
    ))
    .expect("bundled scorecard");
    let card = cqa::check::CompiledScorecard::compile(card).expect("compiles");
    let greeting = |text: &str| cqa::input::contact::Contact {
        id: "C-1".into(),
        agent_id: "A001".into(),
        turns: vec![cqa::input::contact::Turn {
            speaker: cqa::input::contact::Speaker::Agent,
            text: text.into(),
            event: None,
            start: Some(0.0),
            end: Some(4.0),
        }],
        ..Default::default()
    };
    // «здравствуйте», «банк пример», «разговор записывается» at least.
    assert!(
        card.count_phrase_hits(&greeting(
            "Банк «Пример», Мария, здравствуйте! Разговор записывается."
        )) >= 3
    );
    assert_eq!(card.count_phrase_hits(&greeting("Ммм.")), 0);
}
