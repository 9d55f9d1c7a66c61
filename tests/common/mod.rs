//! Helpers shared by the integration tests.
#![allow(dead_code)]

use cqa::check::{CompiledScorecard, EvalOptions};
use cqa::input::contact::parse_contact;
use cqa::input::scorecard::parse_scorecard;
use cqa::results::{ContactResult, CriterionResult, Status};
use cqa::words::Lang;
use serde_json::{json, Value};

/// A one-criterion scorecard around `rule`.
pub fn card_with(rule: Value) -> CompiledScorecard {
    let card = json!({
        "id": "test", "version": "1",
        "sections": [{"id": "s", "title": "Раздел", "criteria": [
            {"id": "c", "title": "Критерий", "weight": 1, "severity": "non_critical", "rule": rule}
        ]}]
    });
    let card = parse_scorecard(&card.to_string(), "test.json").unwrap_or_else(|e| panic!("{e}"));
    CompiledScorecard::compile(card).unwrap()
}

/// A contact from its turns (and optional extra top-level fields).
pub fn contact(turns: Value, extra: Value) -> String {
    let mut c = json!({"id": "C-1", "agent_id": "A001", "agent_name": "Иванова Мария", "channel": "voice", "turns": turns});
    if let (Some(c), Value::Object(e)) = (c.as_object_mut(), extra) {
        c.extend(e);
    }
    c.to_string()
}

pub fn evaluate_in(card: &CompiledScorecard, contact_json: &str, lang: Lang) -> ContactResult {
    let c = parse_contact(contact_json).unwrap_or_else(|e| panic!("{e}"));
    cqa::run::evaluate(card, &c, "test", None, &EvalOptions { lang, mask: true })
}

/// The verdict of a one-rule scorecard on a contact.
pub fn verdict(rule: Value, contact_json: &str) -> CriterionResult {
    let card = card_with(rule);
    evaluate_in(&card, contact_json, Lang::Ru)
        .criteria
        .remove(0)
}

pub fn status(rule: Value, contact_json: &str) -> Status {
    verdict(rule, contact_json).status
}

/// A typical inbound bank call with times.
pub fn bank_call() -> String {
    contact(
        json!([
            {"speaker": "agent", "text": "Банк «Пример», Мария, здравствуйте!", "start": 0.0, "end": 2.9},
            {"speaker": "customer", "text": "Здравствуйте, у меня заблокировали карту.", "start": 3.1, "end": 5.8},
            {"speaker": "agent", "text": "Назовите, пожалуйста, кодовое слово.", "start": 6.0, "end": 8.0},
            {"speaker": "customer", "text": "Ромашка.", "start": 8.5, "end": 9.2},
            {"speaker": "agent", "text": "Спасибо. Минуту, уточню информацию.", "start": 9.5, "end": 11.0},
            {"speaker": "system", "event": "hold_start", "start": 11.5},
            {"speaker": "system", "event": "hold_end", "start": 71.5},
            {"speaker": "agent", "text": "Спасибо за ожидание. Баланс составляет 15 000 рублей, карту разблокировал.", "start": 72.0, "end": 77.0},
            {"speaker": "customer", "text": "Спасибо большое!", "start": 77.5, "end": 78.5},
            {"speaker": "agent", "text": "Могу ли я ещё чем-то помочь? Всего доброго!", "start": 79.0, "end": 81.0}
        ]),
        json!({"duration_s": 82.0, "queue": "cards", "metadata": {"category": "complaint", "csat": 4}}),
    )
}
