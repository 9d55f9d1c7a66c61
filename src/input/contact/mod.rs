//! The contact: one call, chat or e-mail as cqa sees it, whatever it came from.
//!
//! Loaders turn every input format into [`Contact`]; rules only ever see this
//! model. Fields a loader does not know are kept in [`Contact::metadata`] so that
//! `metadata` rules can still test them.
//!
//! Formats (docs/contacts.md; a new input format touches `contact` alone): native
//! JSON/JSONL (`native`), plain-text transcripts (`txt`), utterance tables
//! (`csv_table`), Amazon and Genesys exports (`cloud`), any other JSON through
//! a mapping file (`mapping`); bytes become text in `decode`; `load` picks the
//! loader; `registry` joins the contact registry and agent roster.

mod cloud;
mod csv_table;
mod decode;
mod discover;
mod fields;
mod grid;
pub mod language;
mod load;
mod mapping;
mod native;
mod registry;
mod sanity;
mod txt;
pub mod unpack;

pub use decode::{decode_bytes, DecodeError};
pub use discover::{discover, Discovered, InputKind, SkippedFile};
pub use load::{holds_many, load_file, load_json, load_text, require_agent, LoadOptions, Loaded};
pub use mapping::Mapping;
pub use native::{parse_contact, ContactError};
pub use registry::{Conflict, Join, Table};
pub use sanity::settle_date;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Who produced a turn. `System` turns carry events (hold, transfer), never text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Speaker {
    Agent,
    Customer,
    Bot,
    System,
}

impl Speaker {
    pub fn as_str(self) -> &'static str {
        match self {
            Speaker::Agent => "agent",
            Speaker::Customer => "customer",
            Speaker::Bot => "bot",
            Speaker::System => "system",
        }
    }

    /// Parses the native speaker values; `None` for anything else, so the loader
    /// can name the offending value.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "agent" => Some(Speaker::Agent),
            "customer" => Some(Speaker::Customer),
            "bot" => Some(Speaker::Bot),
            "system" => Some(Speaker::System),
            _ => None,
        }
    }

    /// As [`Speaker::parse`], ignoring ASCII case («Agent», "CUSTOMER"),
    /// without a lower-case copy.
    pub fn parse_ignore_case(s: &str) -> Option<Self> {
        [
            Speaker::Agent,
            Speaker::Customer,
            Speaker::Bot,
            Speaker::System,
        ]
        .into_iter()
        .find(|sp| sp.as_str().eq_ignore_ascii_case(s))
    }
}

/// One utterance, message or event. Times are seconds from the contact's start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    pub speaker: Speaker,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<f64>,
}

impl Turn {
    /// A turn read from a line or a field of an export: what the system
    /// "says" (hold, transfer, silence) is its event, never text rules match.
    pub fn said(speaker: Speaker, text: String, start: Option<f64>, end: Option<f64>) -> Self {
        let (text, event) = match speaker {
            Speaker::System => (String::new(), Some(text)),
            _ => (text, None),
        };
        Turn {
            speaker,
            text,
            event,
            start,
            end,
        }
    }

    /// A turn rules may match text in: not a system event.
    pub fn is_text(&self) -> bool {
        self.speaker != Speaker::System
    }
}

/// A contact in the native model (docs/contacts.md, "The native contact").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    pub agent_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_s: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub metadata: Map<String, Value>,
    pub turns: Vec<Turn>,
    /// Optional values the loader could not read, one sentence each (the
    /// contact is scored without them; run.json lists them). Kept beside the
    /// contact's own metadata, never in it: that map is the user's.
    #[serde(skip)]
    pub load_warnings: Vec<String>,
}

impl Contact {
    /// Masks personal data in the identifiers people see (id, agent, team,
    /// queue, channel, metadata texts): for commands that show contacts
    /// without scoring them (`sample`, `forms`, `calibrate`). The same
    /// masking as results, so ids still match across commands.
    pub fn mask_identifiers(&mut self) {
        use crate::text::pii::mask_identifier;
        let mask = |s: &mut String| {
            if let std::borrow::Cow::Owned(m) = mask_identifier(s) {
                *s = m;
            }
        };
        for s in [&mut self.id, &mut self.agent_id] {
            mask(s);
        }
        for s in [
            &mut self.agent_name,
            &mut self.team,
            &mut self.queue,
            &mut self.channel,
        ]
        .into_iter()
        .flatten()
        {
            mask(s);
        }
        for v in self.metadata.values_mut() {
            if let Value::String(s) = v {
                mask(s);
            }
        }
    }

    /// The end of the contact for `last_seconds` windows: `duration_s`, or else
    /// the latest time any turn carries.
    pub fn end_time(&self) -> Option<f64> {
        if let Some(d) = self.duration_s {
            return Some(d);
        }
        self.turns
            .iter()
            .filter_map(|t| t.end.or(t.start))
            .fold(None, |acc: Option<f64>, x| {
                Some(acc.map_or(x, |a| a.max(x)))
            })
    }

    /// A top-level field or a metadata key, as JSON, for `metadata` rules.
    /// A metadata value is lent, not copied: rules read it once per contact.
    pub fn field(&self, name: &str) -> Option<std::borrow::Cow<'_, Value>> {
        use std::borrow::Cow;
        let s = |v: &Option<String>| v.as_ref().map(|x| Value::String(x.clone()));
        let owned = match name {
            "id" => Some(Value::String(self.id.clone())),
            "agent_id" => Some(Value::String(self.agent_id.clone())),
            "channel" => s(&self.channel),
            "agent_name" => s(&self.agent_name),
            "team" => s(&self.team),
            "started_at" => s(&self.started_at),
            "queue" => s(&self.queue),
            "language" => s(&self.language),
            "duration_s" => self
                .duration_s
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number),
            "turns" => Some(Value::from(self.turns.len())),
            _ => return self.metadata.get(name).map(Cow::Borrowed),
        };
        owned.map(Cow::Owned)
    }
}
