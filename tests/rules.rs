//! The rule reference of DESIGN.md, one behaviour per test.

use crate::common::*;
use cqa::results::Status;
use serde_json::json;

// ---- phrase -------------------------------------------------------------

#[test]
fn phrase_passes_when_one_of_any_occurs_in_window() {
    let r = json!({"type": "phrase", "speaker": "agent", "window": {"first_turns": 2}, "any": ["здравствуйте", "добрый день"]});
    assert_eq!(status(r, &bank_call()), Status::Pass);
}

#[test]
fn phrase_fails_when_none_occurs_in_window_and_says_where_it_looked() {
    let r = json!({"type": "phrase", "speaker": "agent", "window": {"first_turns": 2}, "any": ["добрый день", "доброе утро"]});
    let v = verdict(r, &bank_call());
    assert_eq!(v.status, Status::Fail);
    assert!(
        v.reason.contains("в первых 2 репликах оператора"),
        "{}",
        v.reason
    );
    assert!(v.reason.contains("«добрый день»"), "{}", v.reason);
}

#[test]
fn phrase_counts_window_turns_of_the_rules_speaker_only() {
    // The agent's 2nd turn is the 3rd turn of the call: still inside first_turns 2.
    let r = json!({"type": "phrase", "speaker": "agent", "window": {"first_turns": 2}, "any": ["кодовое слово"]});
    assert_eq!(status(r, &bank_call()), Status::Pass);
}

#[test]
fn phrase_ignores_other_speakers() {
    let r = json!({"type": "phrase", "speaker": "agent", "any": ["заблокировали карту"]});
    assert_eq!(status(r, &bank_call()), Status::Fail);
}

#[test]
fn phrase_all_needs_every_phrase_in_any_order() {
    let ok =
        json!({"type": "phrase", "speaker": "agent", "all": ["всего доброго", "кодовое слово"]});
    assert_eq!(status(ok, &bank_call()), Status::Pass);
    let missing =
        json!({"type": "phrase", "speaker": "agent", "all": ["всего доброго", "хорошего дня"]});
    let v = verdict(missing, &bank_call());
    assert_eq!(v.status, Status::Fail);
    assert!(v.reason.contains("«хорошего дня»"), "{}", v.reason);
}

#[test]
fn phrase_absent_fails_when_a_listed_phrase_occurs_and_quotes_it() {
    let r = json!({"type": "phrase", "speaker": "agent", "must": "absent", "any": ["кодовое слово", "назовите cvv"]});
    let v = verdict(r, &bank_call());
    assert_eq!(v.status, Status::Fail);
    assert_eq!(v.evidence[0].turn, 2);
    assert_eq!(v.evidence[0].quote, "Назовите, пожалуйста, кодовое слово.");
}

#[test]
fn phrase_absent_passes_when_nothing_listed_occurs() {
    let r = json!({"type": "phrase", "speaker": "agent", "must": "absent", "any": ["назовите cvv", "код из смс"]});
    assert_eq!(status(r, &bank_call()), Status::Pass);
}

#[test]
fn phrase_matches_whole_words_only() {
    let c = contact(
        json!([{"speaker": "agent", "text": "Это пингвин, а не пин."}]),
        json!({}),
    );
    let v = verdict(json!({"type": "phrase", "any": ["пин"]}), &c);
    assert_eq!(v.status, Status::Pass);
    let c = contact(
        json!([{"speaker": "agent", "text": "Это пингвин."}]),
        json!({}),
    );
    assert_eq!(
        status(json!({"type": "phrase", "any": ["пин"]}), &c),
        Status::Fail
    );
}

#[test]
fn phrase_ignores_case_yo_punctuation_and_spacing() {
    let c = contact(
        json!([{"speaker": "agent", "text": "ЕЩЁ  раз:   СПАСИБО — за ожидание!!"}]),
        json!({}),
    );
    assert_eq!(
        status(
            json!({"type": "phrase", "any": ["Ещё раз, спасибо за ожидание"]}),
            &c
        ),
        Status::Pass
    );
}

#[test]
fn phrase_on_an_empty_window_is_na() {
    let c = contact(json!([{"speaker": "customer", "text": "Алло?"}]), json!({}));
    assert_eq!(
        status(
            json!({"type": "phrase", "speaker": "agent", "any": ["здравствуйте"]}),
            &c
        ),
        Status::Na
    );
}

#[test]
fn system_turns_never_match_text() {
    let c = contact(
        json!([{"speaker": "system", "event": "hold_start", "text": "здравствуйте", "start": 1.0}, {"speaker": "agent", "text": "да", "start": 2.0}]),
        json!({}),
    );
    assert_eq!(
        status(json!({"type": "phrase", "any": ["здравствуйте"]}), &c),
        Status::Fail
    );
}

// ---- windows ------------------------------------------------------------

#[test]
fn last_turns_window_looks_at_the_speakers_final_turns() {
    let r = json!({"type": "phrase", "speaker": "agent", "window": {"last_turns": 1}, "any": ["всего доброго"]});
    assert_eq!(status(r, &bank_call()), Status::Pass);
    let r = json!({"type": "phrase", "speaker": "agent", "window": {"last_turns": 1}, "any": ["кодовое слово"]});
    assert_eq!(status(r, &bank_call()), Status::Fail);
}

#[test]
fn first_seconds_keeps_turns_starting_before_the_bound() {
    let r = json!({"type": "phrase", "speaker": "agent", "window": {"first_seconds": 6.0}, "any": ["кодовое слово"]});
    assert_eq!(
        status(r, &bank_call()),
        Status::Fail,
        "the turn starts at exactly 6.0 s: not < 6"
    );
    let r = json!({"type": "phrase", "speaker": "agent", "window": {"first_seconds": 6.5}, "any": ["кодовое слово"]});
    assert_eq!(status(r, &bank_call()), Status::Pass);
}

#[test]
fn last_seconds_counts_back_from_duration() {
    // duration 82: last 5 s keeps turns ending at or after 77.
    let r = json!({"type": "phrase", "speaker": "agent", "window": {"last_seconds": 5}, "any": ["баланс составляет"]});
    assert_eq!(
        status(r, &bank_call()),
        Status::Pass,
        "the turn ends at 77.0"
    );
    let r = json!({"type": "phrase", "speaker": "agent", "window": {"last_seconds": 4}, "any": ["баланс составляет"]});
    assert_eq!(status(r, &bank_call()), Status::Fail);
}

#[test]
fn seconds_window_on_an_untimed_contact_is_na() {
    let c = contact(
        json!([{"speaker": "agent", "text": "Здравствуйте"}]),
        json!({}),
    );
    let r = json!({"type": "phrase", "speaker": "agent", "window": {"first_seconds": 30}, "any": ["здравствуйте"]});
    assert_eq!(status(r, &c), Status::Na);
}

// ---- regex --------------------------------------------------------------

#[test]
fn regex_runs_on_original_text_case_insensitively() {
    let r =
        json!({"type": "regex", "speaker": "agent", "pattern": "БАЛАНС\\s+составляет\\s+[\\d ]+"});
    let v = verdict(r, &bank_call());
    assert_eq!(v.status, Status::Pass);
    assert_eq!(v.evidence[0].turn, 7);
}

#[test]
fn regex_case_sensitive_when_asked() {
    let r = json!({"type": "regex", "pattern": "БАЛАНС", "case_sensitive": true});
    assert_eq!(status(r, &bank_call()), Status::Fail);
}

#[test]
fn regex_must_absent_catches_a_card_number_read_aloud() {
    let c = contact(
        json!([{"speaker": "agent", "text": "Ваша карта 4111 1111 1111 1111, верно?"}]),
        json!({}),
    );
    let r = json!({"type": "regex", "speaker": "agent", "must": "absent", "pattern": "\\b(?:\\d[ -]?){16}\\b"});
    assert_eq!(status(r, &c), Status::Fail);
}

// ---- order --------------------------------------------------------------

fn identity_before_balance() -> serde_json::Value {
    json!({"type": "order",
        "first": {"type": "phrase", "speaker": "agent", "any": ["кодовое слово", "дату рождения"]},
        "then": {"type": "phrase", "speaker": "agent", "any": ["баланс составляет", "на вашем счете"]}})
}

#[test]
fn order_passes_when_first_comes_before_then() {
    assert_eq!(
        status(identity_before_balance(), &bank_call()),
        Status::Pass
    );
}

#[test]
fn order_fails_when_then_comes_first() {
    let c = contact(
        json!([
            {"speaker": "agent", "text": "Здравствуйте! Баланс составляет 100 рублей."},
            {"speaker": "agent", "text": "Назовите кодовое слово."}
        ]),
        json!({}),
    );
    let v = verdict(identity_before_balance(), &c);
    assert_eq!(v.status, Status::Fail);
    assert!(v.reason.contains("раньше"), "{}", v.reason);
}

#[test]
fn order_fails_when_first_never_occurs() {
    let c = contact(
        json!([{"speaker": "agent", "text": "Баланс составляет 100 рублей."}]),
        json!({}),
    );
    assert_eq!(status(identity_before_balance(), &c), Status::Fail);
}

#[test]
fn order_is_na_when_then_never_occurs() {
    let c = contact(
        json!([{"speaker": "agent", "text": "Назовите кодовое слово."}]),
        json!({}),
    );
    assert_eq!(status(identity_before_balance(), &c), Status::Na);
}

#[test]
fn order_compares_positions_within_one_turn() {
    let c = contact(
        json!([{"speaker": "agent", "text": "Баланс составляет 5 рублей, а кодовое слово я не спросил."}]),
        json!({}),
    );
    assert_eq!(status(identity_before_balance(), &c), Status::Fail);
    let c = contact(
        json!([{"speaker": "agent", "text": "Кодовое слово верное, баланс составляет 5 рублей."}]),
        json!({}),
    );
    assert_eq!(status(identity_before_balance(), &c), Status::Pass);
}

// ---- if -----------------------------------------------------------------

fn complaint_registered() -> serde_json::Value {
    json!({"type": "if",
        "when": {"type": "metadata", "field": "category", "eq": "complaint"},
        "then": {"type": "phrase", "speaker": "agent", "any": ["номер обращения", "претензия зарегистрирована"]}})
}

#[test]
fn if_is_na_when_the_condition_does_not_hold() {
    let c = contact(
        json!([{"speaker": "agent", "text": "Здравствуйте"}]),
        json!({"metadata": {"category": "consultation"}}),
    );
    assert_eq!(status(complaint_registered(), &c), Status::Na);
}

#[test]
fn if_takes_the_status_of_then_when_the_condition_holds() {
    assert_eq!(status(complaint_registered(), &bank_call()), Status::Fail);
    let c = contact(
        json!([{"speaker": "agent", "text": "Ваша претензия зарегистрирована, номер обращения 123."}]),
        json!({"metadata": {"category": "complaint"}}),
    );
    assert_eq!(status(complaint_registered(), &c), Status::Pass);
}

#[test]
fn if_is_na_when_the_condition_is_itself_na() {
    let c = contact(
        json!([{"speaker": "agent", "text": "Здравствуйте"}]),
        json!({}),
    );
    assert_eq!(status(complaint_registered(), &c), Status::Na);
}

// ---- metadata -----------------------------------------------------------

#[test]
fn metadata_eq_ne_in_gte_lte() {
    let call = bank_call();
    assert_eq!(
        status(
            json!({"type": "metadata", "field": "queue", "eq": "cards"}),
            &call
        ),
        Status::Pass
    );
    assert_eq!(
        status(
            json!({"type": "metadata", "field": "queue", "ne": "cards"}),
            &call
        ),
        Status::Fail
    );
    assert_eq!(
        status(
            json!({"type": "metadata", "field": "category", "in": ["complaint", "claim"]}),
            &call
        ),
        Status::Pass
    );
    assert_eq!(
        status(
            json!({"type": "metadata", "field": "csat", "gte": 4}),
            &call
        ),
        Status::Pass
    );
    assert_eq!(
        status(
            json!({"type": "metadata", "field": "csat", "lte": 3}),
            &call
        ),
        Status::Fail
    );
    assert_eq!(
        status(
            json!({"type": "metadata", "field": "duration_s", "lte": 600}),
            &call
        ),
        Status::Pass
    );
}

#[test]
fn metadata_missing_field_is_na_except_for_exists() {
    let call = bank_call();
    assert_eq!(
        status(json!({"type": "metadata", "field": "nps", "gte": 9}), &call),
        Status::Na
    );
    assert_eq!(
        status(
            json!({"type": "metadata", "field": "nps", "exists": true}),
            &call
        ),
        Status::Fail
    );
    assert_eq!(
        status(
            json!({"type": "metadata", "field": "nps", "exists": false}),
            &call
        ),
        Status::Pass
    );
}

// ---- timing -------------------------------------------------------------

#[test]
fn timing_max_hold_measures_the_longest_hold() {
    let v = verdict(
        json!({"type": "timing", "measure": "max_hold_s", "max": 50}),
        &bank_call(),
    );
    assert_eq!(v.status, Status::Fail);
    assert!(v.reason.contains("60 с"), "{}", v.reason);
    assert_eq!(
        status(
            json!({"type": "timing", "measure": "max_hold_s", "max": 60}),
            &bank_call()
        ),
        Status::Pass
    );
    assert_eq!(
        status(
            json!({"type": "timing", "measure": "hold_count", "max": 0}),
            &bank_call()
        ),
        Status::Fail
    );
}

#[test]
fn timing_silence_excludes_holds() {
    // 11.0 -> 72.0 is 61 s of which 60 s on hold: 1 s of silence.
    assert_eq!(
        status(
            json!({"type": "timing", "measure": "max_silence_s", "max": 1.0}),
            &bank_call()
        ),
        Status::Pass
    );
    assert_eq!(
        status(
            json!({"type": "timing", "measure": "max_silence_s", "max": 0.9}),
            &bank_call()
        ),
        Status::Fail
    );
}

#[test]
fn timed_contact_without_holds_has_zero_hold() {
    let c = contact(
        json!([{"speaker": "agent", "text": "Да", "start": 0.0, "end": 1.0}]),
        json!({}),
    );
    assert_eq!(
        status(
            json!({"type": "timing", "measure": "max_hold_s", "max": 0}),
            &c
        ),
        Status::Pass
    );
    assert_eq!(
        status(
            json!({"type": "timing", "measure": "hold_count", "max": 0}),
            &c
        ),
        Status::Pass
    );
}

#[test]
fn timing_is_na_without_timestamps() {
    let c = contact(json!([{"speaker": "agent", "text": "Да"}]), json!({}));
    assert_eq!(
        status(
            json!({"type": "timing", "measure": "max_silence_s", "max": 10}),
            &c
        ),
        Status::Na
    );
    assert_eq!(
        status(
            json!({"type": "timing", "measure": "max_hold_s", "max": 10}),
            &c
        ),
        Status::Na
    );
}

#[test]
fn chat_response_times_need_only_start() {
    let c = contact(
        json!([
            {"speaker": "customer", "text": "Добрый день, карта не работает", "start": 0.0},
            {"speaker": "agent", "text": "Здравствуйте! Сейчас проверю", "start": 45.0},
            {"speaker": "customer", "text": "Жду", "start": 50.0},
            {"speaker": "customer", "text": "Алло?", "start": 150.0},
            {"speaker": "agent", "text": "Карта разблокирована", "start": 200.0},
            {"speaker": "customer", "text": "Спасибо", "start": 210.0}
        ]),
        json!({"channel": "chat"}),
    );
    assert_eq!(
        status(
            json!({"type": "timing", "measure": "first_response_s", "max": 45}),
            &c
        ),
        Status::Pass
    );
    assert_eq!(
        status(
            json!({"type": "timing", "measure": "first_response_s", "max": 44}),
            &c
        ),
        Status::Fail
    );
    // Longest wait: from 50.0 to 200.0 = 150 s (the last customer turn has no reply and does not count).
    assert_eq!(
        status(
            json!({"type": "timing", "measure": "max_response_gap_s", "max": 150}),
            &c
        ),
        Status::Pass
    );
    assert_eq!(
        status(
            json!({"type": "timing", "measure": "max_response_gap_s", "max": 149}),
            &c
        ),
        Status::Fail
    );
}

#[test]
fn talk_share_and_interruptions() {
    let c = contact(
        json!([
            {"speaker": "agent", "text": "Здравствуйте", "start": 0.0, "end": 6.0},
            {"speaker": "customer", "text": "Мне нужно", "start": 6.0, "end": 10.0},
            {"speaker": "agent", "text": "Понял", "start": 9.0, "end": 12.0}
        ]),
        json!({}),
    );
    // agent 6 + 3 = 9 of 13 s.
    assert_eq!(
        status(
            json!({"type": "timing", "measure": "agent_talk_share", "max": 0.7}),
            &c
        ),
        Status::Pass
    );
    assert_eq!(
        status(
            json!({"type": "timing", "measure": "agent_talk_share", "max": 0.69}),
            &c
        ),
        Status::Fail
    );
    assert_eq!(
        status(
            json!({"type": "timing", "measure": "interruptions", "max": 0}),
            &c
        ),
        Status::Fail
    );
    assert_eq!(
        status(
            json!({"type": "timing", "measure": "interruptions", "max": 1}),
            &c
        ),
        Status::Pass
    );
}

#[test]
fn timing_min_bound_and_duration() {
    assert_eq!(
        status(
            json!({"type": "timing", "measure": "duration_s", "min": 90}),
            &bank_call()
        ),
        Status::Fail
    );
    assert_eq!(
        status(
            json!({"type": "timing", "measure": "duration_s", "min": 60, "max": 600}),
            &bank_call()
        ),
        Status::Pass
    );
}

// ---- combinators and manual ---------------------------------------------

#[test]
fn all_ignores_na_parts_and_fails_on_any_failure() {
    let greet = json!({"type": "phrase", "speaker": "agent", "any": ["здравствуйте"]});
    let na = json!({"type": "metadata", "field": "nps", "gte": 1});
    let fail = json!({"type": "phrase", "speaker": "agent", "any": ["хорошего дня"]});
    assert_eq!(
        status(json!({"type": "all", "rules": [greet, na]}), &bank_call()),
        Status::Pass
    );
    assert_eq!(
        status(json!({"type": "all", "rules": [greet, fail]}), &bank_call()),
        Status::Fail
    );
    assert_eq!(
        status(json!({"type": "all", "rules": [na, na]}), &bank_call()),
        Status::Na
    );
}

#[test]
fn any_passes_on_one_pass() {
    let pass = json!({"type": "phrase", "any": ["всего доброго"]});
    let fail = json!({"type": "phrase", "any": ["хорошего дня"]});
    assert_eq!(
        status(json!({"type": "any", "rules": [fail, pass]}), &bank_call()),
        Status::Pass
    );
    assert_eq!(
        status(json!({"type": "any", "rules": [fail, fail]}), &bank_call()),
        Status::Fail
    );
}

#[test]
fn not_swaps_pass_and_fail_and_keeps_na() {
    let pass = json!({"type": "phrase", "any": ["всего доброго"]});
    assert_eq!(
        status(json!({"type": "not", "rule": pass}), &bank_call()),
        Status::Fail
    );
    let na = json!({"type": "metadata", "field": "nps", "gte": 1});
    assert_eq!(
        status(json!({"type": "not", "rule": na}), &bank_call()),
        Status::Na
    );
}

#[test]
fn manual_is_pending_until_a_controller_answers() {
    let v = verdict(json!({"type": "manual"}), &bank_call());
    assert_eq!(v.status, Status::Pending);
}

// ---- judge (no model configured; the model itself: tests/judge_protocol.rs)

fn empathy() -> serde_json::Value {
    json!({"type": "judge", "question": "Оператор проявил сочувствие к клиенту?", "speaker": "agent"})
}

#[test]
fn judge_without_a_model_is_review_and_says_so() {
    let v = verdict(empathy(), &bank_call());
    assert_eq!(v.status, Status::Review);
    assert!(v.reason.contains("модель не настроена"), "{}", v.reason);
}

#[test]
fn judge_under_an_unmet_condition_is_na_and_under_a_met_one_review() {
    let when = |phrase: &str| json!({"type": "phrase", "speaker": "customer", "any": [phrase]});
    let unmet = json!({"type": "if", "when": when("жалоба"), "then": empathy()});
    assert_eq!(status(unmet, &bank_call()), Status::Na);
    let met = json!({"type": "if", "when": when("заблокировали карту"), "then": empathy()});
    assert_eq!(status(met, &bank_call()), Status::Review);
}

#[test]
fn a_condition_under_review_leaves_the_rule_under_review() {
    let r = json!({"type": "if", "when": empathy(), "then": {"type": "phrase", "any": ["до свидания"]}});
    assert_eq!(status(r, &bank_call()), Status::Review);
}

#[test]
fn a_failed_part_decides_all_even_beside_a_review() {
    let fail = json!({"type": "phrase", "speaker": "agent", "any": ["кредитный лимит"]});
    assert_eq!(
        status(
            json!({"type": "all", "rules": [empathy(), fail]}),
            &bank_call()
        ),
        Status::Fail
    );
    let pass = json!({"type": "phrase", "speaker": "agent", "any": ["кодовое слово"]});
    assert_eq!(
        status(
            json!({"type": "all", "rules": [empathy(), pass.clone()]}),
            &bank_call()
        ),
        Status::Review
    );
    assert_eq!(
        status(
            json!({"type": "any", "rules": [empathy(), pass]}),
            &bank_call()
        ),
        Status::Pass
    );
}

#[test]
fn review_leaves_the_score_and_marks_the_contact_partial() {
    let card = card_with(empathy());
    let r = evaluate_in(&card, &bank_call(), cqa::words::Lang::Ru);
    assert_eq!((r.score, r.partial), (None, true));
}

// ---- reasons in English -------------------------------------------------

#[test]
fn reasons_follow_the_language() {
    let card = card_with(
        json!({"type": "phrase", "speaker": "agent", "window": {"first_turns": 2}, "any": ["good morning"]}),
    );
    let r = evaluate_in(&card, &bank_call(), cqa::words::Lang::En);
    assert!(
        r.criteria[0].reason.contains("in the agent's first 2 turn"),
        "{}",
        r.criteria[0].reason
    );
}

// ---- pii ----------------------------------------------------------------

#[test]
fn pii_rule_fails_when_the_agent_reads_a_card_number_and_the_quote_is_masked() {
    let c = contact(
        json!([{"speaker": "agent", "text": "Ваша карта 4111 1111 1111 1111, верно?"}]),
        json!({}),
    );
    let v = verdict(
        json!({"type": "pii", "speaker": "agent", "kinds": ["card", "cvv"]}),
        &c,
    );
    assert_eq!(v.status, Status::Fail);
    assert!(v.reason.contains("номер карты"), "{}", v.reason);
    assert!(
        !v.evidence[0].quote.contains("4111 1111 1111 1111"),
        "{}",
        v.evidence[0].quote
    );
    assert_eq!(
        v.evidence[0].quote, "Ваша карта 4111 11** **** 1111, верно?",
        "first 6 and last 4 digits stay"
    );
}

#[test]
fn pii_rule_catches_numbers_dictated_in_words() {
    let c = contact(
        json!([{"speaker": "agent", "text": "Записывайте: восемь девятьсот шестнадцать сто двадцать три сорок пять шестьдесят семь"}]),
        json!({}),
    );
    assert_eq!(
        status(
            json!({"type": "pii", "speaker": "agent", "kinds": ["phone"]}),
            &c
        ),
        Status::Fail
    );
}

#[test]
fn pii_rule_ignores_other_speakers_and_kinds() {
    let c = contact(
        json!([{"speaker": "customer", "text": "Мой номер +7 916 123-45-67"}, {"speaker": "agent", "text": "Спасибо, записал."}]),
        json!({}),
    );
    assert_eq!(
        status(
            json!({"type": "pii", "speaker": "agent", "kinds": ["phone"]}),
            &c
        ),
        Status::Pass
    );
    assert_eq!(
        status(
            json!({"type": "pii", "speaker": "customer", "kinds": ["card"]}),
            &c
        ),
        Status::Pass
    );
}

#[test]
fn quotes_are_masked_in_every_verdict() {
    let c = contact(
        json!([{"speaker": "agent", "text": "Здравствуйте! Перезвоните на +7 (916) 123-45-67."}]),
        json!({}),
    );
    let v = verdict(json!({"type": "phrase", "any": ["здравствуйте"]}), &c);
    assert_eq!(
        v.evidence[0].quote,
        "Здравствуйте! Перезвоните на [телефон]."
    );
}
