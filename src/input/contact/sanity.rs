//! What every loader's contact must make sense as, checked once after
//! loading whatever the format (native, TXT, tables, cloud exports, mapped).
//!
//! A contact that scores without meaning misleads more than one that is
//! rejected: `"turns": []` scored 100.0, `started_at: "not a date"` became a
//! report period, out-of-order times gave a negative first response that
//! passed. So:
//! - no agent turn with text (a letter or digit: spaces, zero-width spaces
//!   or «...» are not text): rejected (there is nothing of the agent's to score);
//! - a `started_at` that is not a date: warned (counted in run.json) and left
//!   empty, so it is never a period;
//! - turn times that cannot be true (negative, over a year into the contact,
//!   an end before its start, turns out of order): warned, and the contact's times are dropped, so
//!   timing criteria say "no data" instead of measuring nonsense.

use super::fields::{normalise_datetime, warn};
use super::{Contact, Loaded, Speaker};

/// Applies [`check`] to every loaded contact.
pub(crate) fn settle(items: Vec<Loaded>) -> Vec<Loaded> {
    items
        .into_iter()
        .map(|l| Loaded {
            line: l.line,
            contact: l.contact.and_then(check),
        })
        .collect()
}

/// The contact, with unusable dates and times set aside, or why it cannot be scored.
pub(crate) fn check(mut c: Contact) -> Result<Contact, String> {
    let agent_spoke = c
        .turns
        .iter()
        .any(|t| t.speaker == Speaker::Agent && t.text.chars().any(char::is_alphanumeric));
    if !agent_spoke {
        return Err(format!(
            "contact `{}` has no agent turn with text ({} turns): nothing of the agent's to score",
            c.id,
            c.turns.len()
        ));
    }
    settle_date(&mut c);
    if let Some(problem) = time_problem(&c) {
        for t in &mut c.turns {
            t.start = None;
            t.end = None;
        }
        warn(
            &mut c,
            format!(
                "{problem}; the contact's turn times are not used (timing criteria have no data)"
            ),
        );
    }
    Ok(c)
}

/// A `started_at` that is not a date is set aside with a warning: it would
/// become a report period. Called after loading, and again after a registry
/// filled the field.
pub fn settle_date(c: &mut Contact) {
    if let Some(s) = c.started_at.clone() {
        if normalise_datetime(&s).is_none() {
            c.started_at = None;
            warn(
                c,
                format!(
                    "`started_at` is not a date: `{s}`; left empty (not used as a report period)"
                ),
            );
        }
    }
}

/// How far (seconds) a turn may lie before the turn listed above it and
/// still count as in order: clock jitter between recorded channels, far
/// below any timing criterion's threshold.
const ORDER_JITTER_S: f64 = 1.0;

/// The latest time (seconds from the contact's start) a turn can have: an
/// e-mail thread may run for weeks, nothing for over a year (`1e308` passed
/// as a time and made every timing criterion pass).
const MAX_TURN_TIME_S: f64 = 366.0 * 24.0 * 3600.0;

/// The first impossible time of a contact's turns, in words.
fn time_problem(c: &Contact) -> Option<String> {
    let mut last_start: Option<(usize, f64)> = None;
    for (i, t) in c.turns.iter().enumerate() {
        let n = i + 1;
        for (what, v) in [("start", t.start), ("end", t.end)] {
            if let Some(v) = v {
                if !v.is_finite() || v < 0.0 {
                    return Some(format!(
                        "turn {n}: {what} time {v} is negative or not a number"
                    ));
                }
                if v > MAX_TURN_TIME_S {
                    return Some(format!(
                        "turn {n}: {what} time {v} s is over a year into the contact"
                    ));
                }
            }
        }
        if let (Some(s), Some(e)) = (t.start, t.end) {
            if e < s {
                return Some(format!(
                    "turn {n}: ends at {e} s, before it starts at {s} s"
                ));
            }
        }
        if let Some(s) = t.start {
            // Overlapping speech is real (a turn may start a moment before
            // the one listed above it); a turn over before an earlier-listed
            // one began is not, beyond the jitter of separately recorded
            // channels (Harper Valley: a 0.18 s agent "but" stamped 0.07 s
            // before the caller's turn listed above it).
            let over = t.end.unwrap_or(s);
            if let Some((k, before)) = last_start {
                if over + ORDER_JITTER_S < before {
                    return Some(format!(
                        "turn {n} (at {s} s) is over before turn {k} begins (at {before} s): the times are out of order"
                    ));
                }
            }
            if last_start.is_none_or(|(_, b)| s > b) {
                last_start = Some((n, s));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::contact::parse_contact;

    fn contact(extra: &str, turns: &str) -> Contact {
        let json =
            format!(r#"{{"id":"C-1","agent_id":"A001","channel":"voice"{extra},"turns":{turns}}}"#);
        parse_contact(&json).unwrap_or_else(|e| panic!("{e}"))
    }

    fn warnings(c: &Contact) -> Vec<String> {
        c.load_warnings.clone()
    }

    #[test]
    fn a_contact_without_turns_is_rejected_with_the_reason() {
        let err = check(contact("", "[]")).expect_err("no turns");
        assert!(err.contains("no agent turn"), "{err}");
    }

    #[test]
    fn a_contact_where_only_the_customer_speaks_is_rejected() {
        let err = check(contact(
            "",
            r#"[{"speaker":"customer","text":"Алло? Меня слышно?"},{"speaker":"agent","text":"  "}]"#,
        ))
        .expect_err("no agent text");
        assert!(err.contains("no agent turn"), "{err}");
    }

    #[test]
    fn an_agent_turn_of_invisible_characters_or_dots_is_no_text() {
        for text in ["\u{200b}\u{200b}", "\u{feff}", "...", "\u{2060} \u{a0}"] {
            let turns = format!(
                r#"[{{"speaker":"customer","text":"Здравствуйте, не проходит оплата."}},{{"speaker":"agent","text":"{text}"}}]"#
            );
            let err = check(contact("", &turns)).expect_err(text);
            assert!(err.contains("no agent turn"), "{text:?}: {err}");
        }
    }

    #[test]
    fn a_turn_time_over_a_year_into_the_contact_is_warned_and_dropped() {
        let c = check(contact(
            "",
            r#"[{"speaker":"customer","text":"Здравствуйте","start":1e308},{"speaker":"agent","text":"Здравствуйте, слушаю","start":1e308}]"#,
        ))
        .expect("scored");
        assert!(c.turns.iter().all(|t| t.start.is_none()));
        assert!(
            warnings(&c).iter().any(|w| w.contains("over a year")),
            "{:?}",
            warnings(&c)
        );
    }

    #[test]
    fn a_started_at_that_is_not_a_date_is_warned_and_never_a_period() {
        let c = check(contact(
            r#","started_at":"not a date""#,
            r#"[{"speaker":"agent","text":"Здравствуйте!"}]"#,
        ))
        .expect("scored");
        assert_eq!(c.started_at, None);
        assert!(warnings(&c)[0].contains("not a date"), "{:?}", warnings(&c));
    }

    #[test]
    fn a_contacts_own_load_warnings_metadata_stays_the_users_and_is_no_warning() {
        // A CRM export may carry a field of that name: it is the customer's
        // data, kept as read; the loader's warnings travel beside it.
        let c = check(contact(
            r#","started_at":"вчера","metadata":{"load_warnings":["из CRM"]}"#,
            r#"[{"speaker":"agent","text":"Здравствуйте!"}]"#,
        ))
        .expect("scored");
        assert_eq!(c.metadata["load_warnings"], serde_json::json!(["из CRM"]));
        assert_eq!(warnings(&c).len(), 1, "{:?}", warnings(&c));
        assert!(warnings(&c)[0].contains("not a date"), "{:?}", warnings(&c));
    }

    #[test]
    fn out_of_order_times_are_warned_and_dropped() {
        let c = check(contact(
            "",
            r#"[{"speaker":"customer","text":"Здравствуйте","start":30.0,"end":31.0},
               {"speaker":"agent","text":"Банк «Пример», здравствуйте!","start":2.0,"end":4.0}]"#,
        ))
        .expect("scored");
        assert!(c.turns.iter().all(|t| t.start.is_none() && t.end.is_none()));
        assert!(
            warnings(&c)[0].contains("out of order"),
            "{:?}",
            warnings(&c)
        );
    }

    #[test]
    fn overlapping_speech_is_not_out_of_order() {
        // The customer cuts in 0.25 s before the agent's turn listed above
        // (as in the Harper Valley calls): the turns overlap, the times stand.
        let c = check(contact(
            "",
            r#"[{"speaker":"agent","text":"Назовите, пожалуйста, кодовое слово.","start":10.69,"end":12.4},
               {"speaker":"customer","text":"Ромашка","start":10.44,"end":11.2}]"#,
        ))
        .expect("scored");
        assert_eq!(c.turns[1].start, Some(10.44));
        assert!(warnings(&c).is_empty(), "{:?}", warnings(&c));
    }

    #[test]
    fn a_turn_a_fraction_of_a_second_early_on_another_channel_is_jitter() {
        let c = check(contact(
            "",
            r#"[{"speaker":"customer","text":"Хочу узнать баланс","start":10.69,"end":14.77},
               {"speaker":"agent","text":"Да","start":10.44,"end":10.62}]"#,
        ))
        .expect("scored");
        assert_eq!(c.turns[1].start, Some(10.44));
        assert!(warnings(&c).is_empty(), "{:?}", warnings(&c));
    }

    #[test]
    fn times_in_order_are_kept() {
        let c = check(contact(
            "",
            r#"[{"speaker":"agent","text":"Здравствуйте!","start":0.0,"end":2.0},
               {"speaker":"customer","text":"Добрый день","start":2.5,"end":3.5}]"#,
        ))
        .expect("scored");
        assert_eq!(c.turns[1].start, Some(2.5));
        assert!(warnings(&c).is_empty());
    }
}
