//! The common shape of a native contact, read without serde's per-field
//! machinery: a contact is mostly its turns, and serde spent ~2,000
//! instructions on each (four keys, two strings, two numbers).
//!
//! This reader only says yes when it is sure to build exactly what the serde
//! reader builds. Anything else — a syntax error, a negative or exponent
//! number, a duplicate key, an id given as a number, a lone surrogate — makes
//! it give up (`None`), and the serde reader reads the contact again and
//! reports what is wrong with the same words and position as always. Values
//! it does not interpret (metadata, unknown fields) are cut out and handed to
//! serde_json whole, so they are read and checked by serde_json itself.

mod json;

use super::{RawContact, RawTurn, SpeakerField};
use json::Reader;
use serde_json::{Map, Value};

/// Reads `text` as the serde reader would, or gives up.
pub(super) fn parse(text: &str) -> Option<RawContact> {
    let mut p = Reader {
        text,
        s: text.as_bytes(),
        i: 0,
    };
    let raw = p.contact()?;
    p.ws();
    (p.i == p.s.len()).then_some(raw)
}

impl Reader<'_> {
    fn contact(&mut self) -> Option<RawContact> {
        let mut raw = RawContact::default();
        let mut extra = Map::new();
        // Serde keeps the last of repeated keys; such input is left to it.
        // Known keys are one bit each, unknown ones are looked up in `extra`.
        let mut seen = 0u16;
        let mut once = |bit: u16| {
            let first = seen & bit == 0;
            seen |= bit;
            first.then_some(())
        };
        self.object(|r, key| {
            let bit = match key.as_ref() {
                "id" => 1,
                "agent_id" => 1 << 1,
                "turns" => 1 << 2,
                "channel" => 1 << 3,
                "agent_name" => 1 << 4,
                "team" => 1 << 5,
                "started_at" => 1 << 6,
                "queue" => 1 << 7,
                "language" => 1 << 8,
                "duration_s" => 1 << 9,
                "metadata" => 1 << 10,
                other if extra.contains_key(other) => return None,
                _ => 0,
            };
            if bit != 0 {
                once(bit)?;
            }
            let c = &mut raw.contact;
            match key.as_ref() {
                // Ids given as numbers are left to serde.
                "id" => raw.id = Some(r.owned_string()?),
                "agent_id" => raw.agent_id = Some(r.owned_string()?),
                "turns" => raw.turns = Some(r.turns()?),
                "channel" => c.channel = r.opt_string()?,
                "agent_name" => c.agent_name = r.opt_string()?,
                "team" => c.team = r.opt_string()?,
                "started_at" => c.started_at = r.opt_string()?,
                "queue" => c.queue = r.opt_string()?,
                "language" => c.language = r.opt_string()?,
                "duration_s" => c.duration_s = r.opt_number()?,
                "metadata" => {
                    if !r.null() {
                        match serde_json::from_str(r.value_text(0)?).ok()? {
                            Value::Object(m) => c.metadata.extend(m),
                            _ => return None,
                        }
                    }
                }
                other => {
                    let v: Value = serde_json::from_str(r.value_text(0)?).ok()?;
                    extra.insert(other.to_string(), v);
                }
            }
            Some(())
        })?;
        // Unknown fields go to metadata, without overwriting explicit keys.
        for (k, v) in extra {
            raw.contact.metadata.entry(k).or_insert(v);
        }
        Some(raw)
    }

    /// A string value, owned (anything else, such as an id given as a number, is left to serde).
    fn owned_string(&mut self) -> Option<String> {
        self.ws();
        Some(self.string()?.into_owned())
    }

    fn turns(&mut self) -> Option<Vec<RawTurn>> {
        self.eat(b'[')?;
        let mut turns = Vec::new();
        if self.peek()? == b']' {
            self.i += 1;
            return Some(turns);
        }
        loop {
            turns.push(self.turn()?);
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Some(turns);
                }
                _ => return None,
            }
        }
    }

    fn turn(&mut self) -> Option<RawTurn> {
        let mut t = RawTurn {
            speaker: None,
            text: None,
            event: None,
            start: None,
            end: None,
        };
        // Serde rejects a repeated field of a turn: leave that to it.
        let mut seen = 0u8;
        let mut once = |bit: u8| {
            let first = seen & bit == 0;
            seen |= bit;
            first.then_some(())
        };
        self.object(|r, key| {
            match key.as_ref() {
                "speaker" => {
                    once(1)?;
                    t.speaker = if r.null() {
                        None
                    } else {
                        r.ws();
                        Some(SpeakerField::of(r.string()?))
                    };
                }
                "text" => {
                    once(2)?;
                    t.text = r.opt_string()?;
                }
                "event" => {
                    once(4)?;
                    t.event = r.opt_string()?;
                }
                "start" => {
                    once(8)?;
                    t.start = r.opt_number()?;
                }
                "end" => {
                    once(16)?;
                    t.end = r.opt_number()?;
                }
                // Ignored, as serde ignores it, once serde_json accepts it.
                _ => {
                    serde_json::from_str::<serde::de::IgnoredAny>(r.value_text(0)?).ok()?;
                }
            }
            Some(())
        })?;
        Some(t)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse_serde, ContactError};
    use super::*;
    use proptest::prelude::*;

    /// Both readers' verdicts, in a form where -0.0 and 0.0 differ.
    fn verdicts(text: &str) -> (Option<String>, String) {
        let shown = |r: Result<crate::input::contact::Contact, ContactError>| format!("{r:?}");
        let fast = parse(text).map(|raw| shown(raw.into_contact(true)));
        let slow = shown(parse_serde(text).and_then(|raw| raw.into_contact(true)));
        (fast, slow)
    }

    #[test]
    fn a_generated_call_is_read_by_hand_as_serde_reads_it() {
        let text = r#"{"id":"G-00000001","channel":"voice","agent_id":"A0042","agent_name":"Кузнецов Алексей","team":"Группа 7","started_at":"2026-11-22T18:02:00+03:00","duration_s":136.3,"queue":"cards","language":"ru","metadata":{"category":"credit_limit","csat":3},"turns":[{"speaker":"agent","text":"Банк «Пример», Алексей, здравствуйте!","start":0.4,"end":3.2},{"speaker":"customer","text":"Вчера \"вечером\"\n\u0416\ud83d\ude00","start":12.3,"end":13.5},{"speaker":"system","event":"hold_start","start":40}]}"#;
        let (fast, slow) = verdicts(text);
        assert_eq!(fast.as_deref(), Some(slow.as_str()));
        assert!(slow.contains("Вчера \\\"вечером\\\"\\nЖ😀"), "{slow}");
    }

    #[test]
    fn unusual_input_is_left_to_serde() {
        for text in [
            r#"{"id":17,"agent_id":"A1","turns":[]}"#,
            r#"{"id":"C-1","id":"C-2","agent_id":"A1","turns":[]}"#,
            r#"{"id":"C-1","agent_id":"A1","turns":[{"speaker":"agent","text":"a","text":"b"}]}"#,
            r#"{"id":"C-1","agent_id":"A1","turns":[{"speaker":"agent","text":"a","start":-1}]}"#,
            r#"{"id":"C-1","agent_id":"A1","turns":[{"speaker":"agent","text":"a","start":1e2}]}"#,
            r#"{"id":"C-1","agent_id":"A1","turns":[{"speaker":"agent","text":"\ud83d"}]}"#,
            r#"{"id":"C-1","agent_id":"A1","turns":[]} x"#,
            r#"{"id":"C-1","agent_id":"A1","turns":[],"crm":1,"crm":2}"#,
            r#"{"id":"C-1","agent_id":"A1","turns":[{"speaker":"agent","text":"x","start":18446744073709551619}]}"#,
            r#"{"id":"C-1","agent_id":"A1","turns":["#,
        ] {
            assert_eq!(parse(text).map(|_| ()), None, "{text}");
        }
    }

    fn ws() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["", "", "", " ", "\n", "\t ", "\r\n"])
    }

    fn string() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "Банк «Пример»",
            "здравствуйте",
            "PIN",
            " ",
            "\\\"",
            "\\\\",
            "\\/",
            "\\b",
            "\\f",
            "\\n",
            "\\r",
            "\\t",
            "\\u0416",
            "\\u00E9",
            "\\ud83d\\ude00",
            "\\ud83d",
            "\\udc00",
            "\\u12",
            "\\x",
            "\u{1}",
            "\t",
            "ё",
        ]);
        prop::collection::vec(piece, 0..5).prop_map(|p| format!("\"{}\"", p.concat()))
    }

    fn number() -> impl Strategy<Value = String> {
        prop_oneof![
            (0u64..100_000, 0u32..4).prop_map(|(n, d)| match d {
                0 => n.to_string(),
                d => format!(
                    "{}.{:0width$}",
                    n / 10u64.pow(d),
                    n % 10u64.pow(d),
                    width = d as usize
                ),
            }),
            prop::sample::select(vec![
                "-0",
                "-0.0",
                "-1.5",
                "0",
                "0.0",
                "01",
                "1.",
                "1e3",
                "1.5E-2",
                "123456789012345678.9",
                "12345678901234567890",
                "0.1000000000000000055511151231257827",
            ])
            .prop_map(String::from),
        ]
    }

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            string(),
            number(),
            prop::sample::select(vec![
                "null",
                "true",
                "false",
                "nul",
                "[]",
                "{}",
                "[1, \"a\"]",
                "{\"k\": [null]}",
                "[1,]"
            ])
            .prop_map(String::from),
        ]
    }

    fn member(
        keys: Vec<&'static str>,
        value: BoxedStrategy<String>,
    ) -> impl Strategy<Value = String> {
        (prop::sample::select(keys), value, ws(), ws())
            .prop_map(|(k, v, a, b)| format!("\"{k}\"{a}:{b}{v}"))
    }

    fn object(
        members: impl Strategy<Value = String>,
        n: std::ops::Range<usize>,
    ) -> impl Strategy<Value = String> {
        (prop::collection::vec((members, ws()), n), ws()).prop_map(|(m, w)| {
            format!(
                "{{{w}{}}}",
                m.into_iter()
                    .map(|(m, w)| format!("{m}{w}"))
                    .collect::<Vec<_>>()
                    .join(",")
            )
        })
    }

    fn turn() -> impl Strategy<Value = String> {
        let speaker = prop::sample::select(vec![
            "\"agent\"",
            "\"Customer\"",
            "\"system\"",
            "\"оператор\"",
            "null",
            "5",
        ])
        .prop_map(String::from);
        object(
            prop_oneof![
                member(vec!["speaker"], speaker.boxed()),
                member(
                    vec!["text", "event"],
                    prop_oneof![string(), Just("null".to_string())].boxed()
                ),
                member(
                    vec!["start", "end"],
                    prop_oneof![number(), Just("null".to_string())].boxed()
                ),
                member(vec!["confidence", "words"], value().boxed()),
            ],
            0..6,
        )
    }

    fn contact() -> impl Strategy<Value = String> {
        let turns = prop::collection::vec(turn(), 0..4).prop_map(|t| format!("[{}]", t.join(",")));
        object(
            prop_oneof![
                member(
                    vec!["id", "agent_id"],
                    prop_oneof![string(), number()].boxed()
                ),
                member(
                    vec![
                        "channel",
                        "agent_name",
                        "team",
                        "started_at",
                        "queue",
                        "language"
                    ],
                    prop_oneof![string(), Just("null".to_string()), number()].boxed()
                ),
                member(
                    vec!["duration_s"],
                    prop_oneof![number(), Just("null".to_string())].boxed()
                ),
                member(vec!["metadata", "crm_case", "id"], value().boxed()),
                member(vec!["turns"], turns.boxed()),
            ],
            0..9,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn whatever_the_hand_reader_accepts_it_reads_as_serde_does(text in contact(), cut in 0usize..400) {
            let (fast, slow) = verdicts(&text);
            if let Some(fast) = fast {
                prop_assert_eq!(fast, slow);
            }
            // Cut short (at a character boundary): never accepted.
            if let Some((at, _)) = text.char_indices().nth(cut) {
                prop_assert_eq!(parse(&text[..at]).map(|_| ()), None);
            }
        }
    }
    #[test]
    fn the_generated_contacts_often_take_the_hand_path() {
        use proptest::strategy::ValueTree;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let (mut fast, mut total) = (0, 0);
        for _ in 0..2000 {
            let text = contact().new_tree(&mut runner).unwrap().current();
            total += 1;
            fast += usize::from(parse(&text).is_some());
        }
        // Otherwise the property above would hold without testing anything.
        assert!(fast * 10 > total, "{fast} of {total}");
    }
}
