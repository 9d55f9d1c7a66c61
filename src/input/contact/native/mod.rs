//! The native JSON contact format (`.json`, and one per line in `.jsonl`).

mod fast;

use super::{Contact, Speaker, Turn};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::fmt;

/// Why a contact could not be read. Messages name the field and, for JSON
/// syntax errors, the line and column, so the controller can fix the export.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ContactError {
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("missing required field `{0}`")]
    MissingField(&'static str),
    #[error("field `{0}` is empty")]
    EmptyField(&'static str),
    #[error("turns[{index}]: unknown speaker `{value}`; expected agent, customer, bot or system")]
    UnknownSpeaker { index: usize, value: String },
    #[error("turns[{index}]: {message}")]
    BadTurn { index: usize, message: String },
    #[error("contact has {count} turns, more than the limit of {limit}")]
    TooManyTurns { count: usize, limit: usize },
}

/// Parses one native contact. Unknown top-level fields are kept in `metadata`.
pub fn parse_contact(text: &str) -> Result<Contact, ContactError> {
    parse(text, true)
}

/// As [`parse_contact`], but a missing or empty `agent_id` is left empty for
/// a registry to fill (the pipeline rejects the contact if none does).
pub(crate) fn parse_contact_lenient(text: &str) -> Result<Contact, ContactError> {
    parse(text, false)
}

fn parse(text: &str, require_agent: bool) -> Result<Contact, ContactError> {
    // The common shape is read by hand; anything unusual, and every error,
    // by serde.
    let raw = match fast::parse(text) {
        Some(raw) => raw,
        None => parse_serde(text)?,
    };
    raw.into_contact(require_agent)
}

fn parse_serde(text: &str) -> Result<RawContact, ContactError> {
    serde_json::from_str(text).map_err(|e| {
        // serde's messages for missing fields already name them; keep them but
        // report the position in the file.
        ContactError::Json {
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        }
    })
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[derive(Default)]
struct RawContact {
    id: Option<String>,
    agent_id: Option<String>,
    turns: Option<Vec<RawTurn>>,
    contact: Contact,
}

impl RawContact {
    fn into_contact(self, require_agent: bool) -> Result<Contact, ContactError> {
        let mut c = self.contact;
        c.id = self.id.ok_or(ContactError::MissingField("id"))?;
        if c.id.trim().is_empty() {
            return Err(ContactError::EmptyField("id"));
        }
        c.agent_id = match self.agent_id {
            Some(a) => a,
            None if require_agent => return Err(ContactError::MissingField("agent_id")),
            None => String::new(),
        };
        if require_agent && c.agent_id.trim().is_empty() {
            return Err(ContactError::EmptyField("agent_id"));
        }
        let turns = self.turns.ok_or(ContactError::MissingField("turns"))?;
        c.turns = Vec::with_capacity(turns.len());
        for (index, t) in turns.into_iter().enumerate() {
            c.turns.push(t.into_turn(index)?);
        }
        Ok(c)
    }
}

/// A turn's `speaker` as read. Nearly every turn names one of the four
/// speakers, known without keeping the text (a string a turn was ~7% of a
/// contact's allocations); any other value is kept for the rejection to quote.
enum SpeakerField {
    Known(Speaker),
    Unknown(String),
}

impl SpeakerField {
    /// The text is copied only when it names no speaker.
    fn of(value: std::borrow::Cow<'_, str>) -> Self {
        match Speaker::parse_ignore_case(&value) {
            Some(s) => SpeakerField::Known(s),
            None => SpeakerField::Unknown(value.into_owned()),
        }
    }
}

impl<'de> Deserialize<'de> for SpeakerField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Through `String`, so that a value of another type is refused in
        // the words it always was.
        String::deserialize(d).map(|s| SpeakerField::of(s.into()))
    }
}

#[derive(Deserialize)]
struct RawTurn {
    speaker: Option<SpeakerField>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    event: Option<String>,
    #[serde(default)]
    start: Option<f64>,
    #[serde(default)]
    end: Option<f64>,
}

impl RawTurn {
    fn into_turn(self, index: usize) -> Result<Turn, ContactError> {
        let speaker = match self.speaker {
            Some(SpeakerField::Known(s)) => s,
            Some(SpeakerField::Unknown(value)) => {
                return Err(ContactError::UnknownSpeaker { index, value })
            }
            None => {
                return Err(ContactError::BadTurn {
                    index,
                    message: "missing required field `speaker`".into(),
                })
            }
        };
        for (name, v) in [("start", self.start), ("end", self.end)] {
            if let Some(x) = v {
                if !x.is_finite() || x < 0.0 {
                    return Err(ContactError::BadTurn {
                        index,
                        message: format!(
                            "`{name}` must be a non-negative number of seconds, got {x}"
                        ),
                    });
                }
            }
        }
        if speaker != Speaker::System && self.text.is_none() {
            return Err(ContactError::BadTurn {
                index,
                message: format!("a {} turn needs `text`", speaker.as_str()),
            });
        }
        Ok(Turn {
            speaker,
            text: self.text.unwrap_or_default(),
            event: self.event,
            start: self.start,
            end: self.end,
        })
    }
}

/// Accepts ids written as numbers too: many exports do.
struct IdString;
impl<'de> de::DeserializeSeed<'de> for IdString {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            other => Err(de::Error::custom(format!(
                "expected a string or a number, got {}",
                kind_of(&other)
            ))),
        }
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl<'de> Deserialize<'de> for RawContact {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawContact;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a contact object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawContact, A::Error> {
        let mut raw = RawContact::default();
        let mut extra = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let c = &mut raw.contact;
            match key.as_str() {
                "id" => raw.id = Some(map.next_value_seed(IdString)?),
                "agent_id" => raw.agent_id = Some(map.next_value_seed(IdString)?),
                "turns" => raw.turns = Some(map.next_value()?),
                "channel" => c.channel = opt_string(map.next_value()?, "channel")?,
                "agent_name" => c.agent_name = opt_string(map.next_value()?, "agent_name")?,
                "team" => c.team = opt_string(map.next_value()?, "team")?,
                "started_at" => c.started_at = opt_string(map.next_value()?, "started_at")?,
                "queue" => c.queue = opt_string(map.next_value()?, "queue")?,
                "language" => c.language = opt_string(map.next_value()?, "language")?,
                "duration_s" => c.duration_s = map.next_value()?,
                "metadata" => match map.next_value::<Value>()? {
                    Value::Object(m) => c.metadata.extend(m),
                    Value::Null => {}
                    other => {
                        return Err(de::Error::custom(format!(
                            "`metadata` must be an object, got {}",
                            kind_of(&other)
                        )))
                    }
                },
                _ => {
                    let v: Value = map.next_value()?;
                    extra.insert(key, v);
                }
            }
        }
        // Unknown fields go to metadata, without overwriting explicit keys.
        for (k, v) in extra {
            raw.contact.metadata.entry(k).or_insert(v);
        }
        Ok(raw)
    }
}

fn opt_string<E: de::Error>(v: Value, field: &str) -> Result<Option<String>, E> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        other => Err(E::custom(format!(
            "`{field}` must be a string, got {}",
            kind_of(&other)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CALL: &str = r#"{"id":"C-1","agent_id":"A017","agent_name":"Иванова Мария","channel":"voice",
        "crm_case":"77","metadata":{"category":"complaint"},
        "turns":[{"speaker":"agent","text":"Банк «Пример», Мария, здравствуйте!","start":0,"end":2.9},
                 {"speaker":"system","event":"hold_start","start":40}]}"#;

    #[test]
    fn reads_a_native_call_with_its_metadata() {
        let c = parse_contact(CALL).unwrap();
        assert_eq!(c.id, "C-1");
        assert_eq!(c.agent_name.as_deref(), Some("Иванова Мария"));
        assert_eq!(c.turns.len(), 2);
        assert_eq!(c.turns[1].event.as_deref(), Some("hold_start"));
        assert_eq!(c.metadata["category"], "complaint");
    }

    #[test]
    fn unknown_top_level_fields_are_kept_in_metadata() {
        let c = parse_contact(CALL).unwrap();
        assert_eq!(c.metadata["crm_case"], "77");
    }

    #[test]
    fn numeric_ids_are_accepted_as_text() {
        let c = parse_contact(r#"{"id":123,"agent_id":17,"turns":[]}"#).unwrap();
        assert_eq!((c.id.as_str(), c.agent_id.as_str()), ("123", "17"));
    }

    #[test]
    fn missing_agent_id_is_named() {
        let e = parse_contact(r#"{"id":"C-1","turns":[]}"#).unwrap_err();
        assert_eq!(e.to_string(), "missing required field `agent_id`");
    }

    #[test]
    fn unknown_speaker_names_the_turn_and_value() {
        let e = parse_contact(
            r#"{"id":"C-1","agent_id":"A1","turns":[{"speaker":"agent","text":"Добрый день"},{"speaker":"оператор","text":"x"}]}"#,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("turns[1]: unknown speaker `оператор`"),
            "{e}"
        );
    }

    #[test]
    fn truncated_json_reports_line_and_column() {
        let e = parse_contact("{\"id\":\"C-1\",\n\"agent_id\":\"A1\",\n\"turns\":[").unwrap_err();
        match e {
            ContactError::Json { line, .. } => assert_eq!(line, 3),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn negative_times_are_rejected_with_the_field() {
        let e = parse_contact(
            r#"{"id":"C-1","agent_id":"A1","turns":[{"speaker":"agent","text":"Алло","start":-1}]}"#,
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("`start` must be a non-negative"),
            "{e}"
        );
    }
}
