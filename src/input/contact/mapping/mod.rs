//! `--mapping FILE`: read any other JSON export without writing code.
//!
//! A mapping says, with JSON pointers (RFC 6901), where each contact field and
//! each turn field lives; `mappings/*.json` are worked examples for two real
//! public datasets. The reference:
//!
//! ```json
//! {"name": "Our CRM export",
//!  "records": "/conversations",            // optional: many contacts per file ("" = the root array)
//!  "sidecar": "../meta/{stem}.json",        // optional: a companion JSON per transcript, relative to it
//!  "id": "/conversationId",                 // default: the file name (with records: name#N)
//!  "agent_id": ["/agent/login", {"pointer": "/agent/id", "in": "sidecar"}],
//!  "agent_name": …, "team": …, "channel": …, "queue": …, "language": …, "duration_s": …,
//!  "started_at": {"pointer": "/startMs", "epoch": "ms"},
//!  "constants": {"channel": "chat"},        // used where no source above gives a value
//!  "metadata": {"topic": "/topic"},         // any key -> source; values kept as JSON
//!  "time_unit": "ms",                       // s | ms | iso8601 | epoch_ms | epoch_s
//!  "turns": {"array": "/messages",          // or "object" for a single turn; a list of these is concatenated
//!            "speaker": {"pointer": "/from", "map": {"operator": "agent", "user": "customer", "note": "skip"}},
//!            "text": "/body", "start": "/offsetMs", "end": "/endMs", "duration": "/lenMs"}}
//! ```
//!
//! A *source* is a pointer string, a list of sources (the first that yields a
//! value wins), or an object: `{"pointer", "in": record|root|sidecar|turn,
//! "regex", "epoch": ms|s}`, `{"const": …}`, `{"file": "stem"|"name"}`,
//! `{"join": [sources], "sep": "/"}`. A `regex` keeps its first capture group;
//! `epoch` turns a number into an RFC 3339 UTC time. Pointers of turn fields
//! are relative to the turn item. A speaker is a source plus a `map` (values
//! compared in any case; `skip` drops the turn), or `{"key_of": [...]}` when
//! the speaker is *which key* an item has (`{"agent": "Handle", ...}`); values
//! not in the map may still be known labels (agent, Оператор, Клиент, …).
//! Absolute times (`iso8601`, `epoch_*`) become seconds from `started_at`
//! or the first turn, whichever is earlier.
//!
//! Keys `name`, `description`, `notes`, `source`, `license` are free text.
//! The mapping file itself is validated up front, with the path of every
//! problem (`turns[0].speaker.map.operator: …`), because a typo in it would
//! otherwise reject every contact of a batch. A missing `sidecar` file rejects
//! that contact, naming the path looked for.

mod spec;

use super::fields;
use super::{Contact, Speaker, Turn};
use regex::Regex;
use serde_json::Value;
use std::path::Path;

/// A validated mapping, ready to apply to documents.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub name: String,
    records: Option<String>,
    sidecar: Option<String>,
    fields: Vec<(&'static str, Src)>,
    metadata: Vec<(String, Src)>,
    time_unit: TimeUnit,
    turns: Vec<TurnSource>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Scope {
    Record,
    Root,
    Sidecar,
    Turn,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum TimeUnit {
    S,
    Ms,
    Iso,
    EpochMs,
    EpochS,
}

impl TimeUnit {
    fn absolute(self) -> bool {
        matches!(self, TimeUnit::Iso | TimeUnit::EpochMs | TimeUnit::EpochS)
    }
    /// Seconds per unit of a duration or offset in this unit.
    fn scale(self) -> f64 {
        match self {
            TimeUnit::Ms | TimeUnit::EpochMs => 0.001,
            _ => 1.0,
        }
    }
}

#[derive(Debug, Clone)]
enum Base {
    Pointer(String, Option<Scope>),
    Const(Value),
    FileStem,
    FileName,
    Join(Vec<Src>, String),
    First(Vec<Src>),
}

#[derive(Debug, Clone)]
struct Src {
    base: Base,
    regex: Option<Regex>,
    epoch_scale: Option<f64>,
}

#[derive(Debug, Clone)]
enum SpeakerFrom {
    Src(Src),
    KeyOf(Vec<String>),
}

#[derive(Debug, Clone)]
struct SpeakerSpec {
    from: SpeakerFrom,
    /// Normalised raw value -> speaker; `None` drops the turn ("skip").
    map: Vec<(String, Option<Speaker>)>,
}

#[derive(Debug, Clone)]
struct TurnSource {
    pointer: String,
    scope: Scope,
    is_array: bool,
    speaker: SpeakerSpec,
    text: Option<Src>,
    start: Option<Src>,
    end: Option<Src>,
    duration: Option<Src>,
    time_unit: Option<TimeUnit>,
}

const FIELDS: &[&str] = &[
    "id",
    "agent_id",
    "agent_name",
    "team",
    "channel",
    "started_at",
    "queue",
    "language",
    "duration_s",
];

impl Mapping {
    /// Reads and validates a mapping file.
    pub fn load(path: &Path) -> Result<Mapping, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
        if bytes.len() > 1 << 20 {
            return Err("a mapping file over 1 MiB is surely not a mapping".into());
        }
        let (text, _) = super::decode_bytes(&bytes).map_err(|e| e.to_string())?;
        let v: Value = serde_json::from_str(&text).map_err(|e| format!("invalid JSON: {e}"))?;
        Mapping::from_value(&v)
    }

    /// Validates a mapping given as JSON; errors carry the path of the problem.
    pub fn from_value(v: &Value) -> Result<Mapping, String> {
        spec::mapping(v)
    }

    /// Whether one file may hold many contacts (`records`).
    pub fn has_records(&self) -> bool {
        self.records.is_some()
    }

    /// Where the mapping looks, for messages when a document does not match.
    pub(crate) fn shape(&self) -> String {
        match (&self.records, self.turns.first()) {
            (Some(r), _) => format!("no array at `records` pointer `{r}`"),
            (None, Some(t)) => format!("nothing at turns pointer `{}`", t.pointer),
            (None, None) => "no turns".into(),
        }
    }

    /// Whether a document has this mapping's shape (its records or first turn
    /// array are where the mapping says), so that other formats get their turn.
    pub(crate) fn matches(&self, doc: &Value) -> bool {
        if let Some(r) = &self.records {
            return doc.pointer(r).is_some_and(Value::is_array);
        }
        self.turns.iter().any(|t| match t.scope {
            Scope::Record | Scope::Root => doc
                .pointer(&t.pointer)
                .is_some_and(|v| !t.is_array || v.is_array()),
            _ => true,
        })
    }

    /// Applies the mapping to a document read from `path`. Each item is a
    /// contact or why not, with its 1-based record number for multi-record files.
    pub(crate) fn apply(
        &self,
        doc: &Value,
        path: &Path,
        max_turns: usize,
        max_file_bytes: u64,
    ) -> Vec<(Option<u64>, Result<Contact, String>)> {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let name = path.file_name().and_then(|s| s.to_str()).unwrap_or("");
        let sidecar = match self
            .sidecar
            .as_deref()
            .map(|t| read_sidecar(t, path, stem, name, max_file_bytes))
        {
            Some(Err(e)) => return vec![(None, Err(e))],
            Some(Ok(v)) => Some(v),
            None => None,
        };
        let mut scopes = Scopes {
            root: doc,
            record: doc,
            sidecar: sidecar.as_ref(),
            turn: None,
            stem,
            name,
            default_id: stem.to_string(),
        };
        let Some(r) = &self.records else {
            return vec![(None, self.contact(&scopes, max_turns))];
        };
        let Some(records) = doc.pointer(r).and_then(Value::as_array) else {
            return vec![(
                None,
                Err(format!(
                    "`records` pointer `{r}` does not lead to an array in this file"
                )),
            )];
        };
        records
            .iter()
            .enumerate()
            .map(|(i, rec)| {
                scopes.record = rec;
                scopes.default_id = format!("{stem}#{}", i + 1);
                let n = i as u64 + 1;
                (
                    Some(n),
                    self.contact(&scopes, max_turns)
                        .map_err(|e| format!("record {n}: {e}")),
                )
            })
            .collect()
    }

    fn contact(&self, scopes: &Scopes, max_turns: usize) -> Result<Contact, String> {
        let mut c = Contact {
            id: scopes.default_id.clone(),
            ..Contact::default()
        };
        for (f, s) in &self.fields {
            let set = |v: &Option<String>| v.is_none();
            let text = || s.eval(scopes, Scope::Record).and_then(|v| text_of(&v));
            match *f {
                "id" if c.id == scopes.default_id => {
                    if let Some(t) = text() {
                        c.id = t;
                    }
                }
                "agent_id" if c.agent_id.is_empty() => c.agent_id = text().unwrap_or_default(),
                "agent_name" if set(&c.agent_name) => c.agent_name = text(),
                "team" if set(&c.team) => c.team = text(),
                "channel" if set(&c.channel) => c.channel = text().map(|t| fields::channel(&t)),
                "queue" if set(&c.queue) => c.queue = text(),
                "language" if set(&c.language) => c.language = text(),
                "started_at" if set(&c.started_at) => {
                    c.started_at = text().map(|t| fields::normalise_datetime(&t).unwrap_or(t))
                }
                "duration_s" if c.duration_s.is_none() => {
                    if let Some(v) = s.eval(scopes, Scope::Record) {
                        match seconds(&v, self.time_unit.scale()) {
                            Some(d) => c.duration_s = Some(d),
                            None => fields::warn(
                                &mut c,
                                format!(
                                    "duration_s: `{}` is not a duration; left empty",
                                    text_of(&v).unwrap_or_default()
                                ),
                            ),
                        }
                    }
                }
                _ => {}
            }
        }
        for (k, s) in &self.metadata {
            if let Some(v) = s.eval(scopes, Scope::Record) {
                c.metadata.entry(k.clone()).or_insert(v);
            }
        }
        self.turns_into(&mut c, scopes, max_turns)?;
        Ok(c)
    }

    fn turns_into(&self, c: &mut Contact, scopes: &Scopes, max_turns: usize) -> Result<(), String> {
        let mut absolute = false;
        let mut count = 0usize;
        for (si, ts) in self.turns.iter().enumerate() {
            let unit = ts.time_unit.unwrap_or(self.time_unit);
            absolute |= unit.absolute();
            let Some(at) = scopes.scoped(ts.scope).and_then(|d| d.pointer(&ts.pointer)) else {
                if si == 0 {
                    return Err(format!("turns: `{}` not found", ts.pointer));
                }
                continue;
            };
            let items: Vec<&Value> = match (ts.is_array, at) {
                (true, Value::Array(a)) => a.iter().collect(),
                (true, _) => return Err(format!("turns: `{}` is not an array", ts.pointer)),
                (false, v) => vec![v],
            };
            for (i, item) in items.into_iter().enumerate() {
                let here = || {
                    if ts.is_array {
                        format!("{}/{i}", ts.pointer)
                    } else {
                        ts.pointer.clone()
                    }
                };
                let turn_scopes = Scopes {
                    turn: Some(item),
                    ..scopes.clone()
                };
                let Some(speaker) = ts
                    .speaker
                    .resolve(&turn_scopes)
                    .map_err(|e| format!("`{}`: {e}", here()))?
                else {
                    continue;
                };
                count += 1;
                if count > max_turns {
                    continue;
                }
                let time = |s: &Option<Src>, name: &str| -> Result<Option<f64>, String> {
                    let Some(v) = s.as_ref().and_then(|s| s.eval(&turn_scopes, Scope::Turn)) else {
                        return Ok(None);
                    };
                    let t = match unit {
                        TimeUnit::Iso => v.as_str().and_then(fields::epoch_seconds),
                        _ => seconds(&v, unit.scale()),
                    };
                    t.map(Some).ok_or_else(|| {
                        format!(
                            "`{}`: {name} `{}` is not a time in {unit:?}",
                            here(),
                            text_of(&v).unwrap_or_default()
                        )
                    })
                };
                let start = time(&ts.start, "start")?;
                let mut end = time(&ts.end, "end")?;
                if let (Some(s), Some(d)) = (
                    start,
                    ts.duration
                        .as_ref()
                        .and_then(|d| d.eval(&turn_scopes, Scope::Turn)),
                ) {
                    let d = seconds(&d, unit.scale())
                        .ok_or_else(|| format!("`{}`: duration is not a number", here()))?;
                    end = end.or(Some(s + d));
                }
                let text = ts
                    .text
                    .as_ref()
                    .and_then(|s| s.eval(&turn_scopes, Scope::Turn))
                    .and_then(|v| text_of(&v))
                    .unwrap_or_default();
                c.turns.push(Turn::said(speaker, text, start, end));
            }
        }
        if count > max_turns {
            return Err(format!(
                "contact `{}` has {count} turns, more than the limit of {max_turns}",
                c.id
            ));
        }
        if absolute {
            // Absolute times become seconds from the contact's start (or its
            // first turn, if earlier), so timing rules work as for any contact.
            let first = c
                .turns
                .iter()
                .filter_map(|t| t.start)
                .fold(f64::INFINITY, f64::min);
            let origin = c
                .started_at
                .as_deref()
                .and_then(fields::epoch_seconds)
                .unwrap_or(f64::INFINITY)
                .min(first);
            if origin.is_finite() {
                for t in &mut c.turns {
                    t.start = t.start.map(|x| x - origin);
                    t.end = t.end.map(|x| (x - origin).max(0.0));
                }
            }
        }
        Ok(())
    }
}

/// What a mapping's values are read from: the whole file, the record, its
/// sidecar, the turn being read (each a `Scope`), and the file's names.
#[derive(Clone)]
struct Scopes<'a> {
    root: &'a Value,
    record: &'a Value,
    sidecar: Option<&'a Value>,
    turn: Option<&'a Value>,
    stem: &'a str,
    name: &'a str,
    default_id: String,
}

impl<'a> Scopes<'a> {
    fn scoped(&self, s: Scope) -> Option<&'a Value> {
        match s {
            Scope::Record => Some(self.record),
            Scope::Root => Some(self.root),
            Scope::Sidecar => self.sidecar,
            Scope::Turn => self.turn,
        }
    }
}

impl Src {
    fn eval(&self, scopes: &Scopes, default: Scope) -> Option<Value> {
        let v = match &self.base {
            Base::Pointer(p, scope) => scopes
                .scoped(scope.unwrap_or(default))?
                .pointer(p)
                .filter(|v| !v.is_null() && v.as_str() != Some(""))
                .cloned()?,
            Base::Const(v) => v.clone(),
            Base::FileStem => Value::String(scopes.stem.into()),
            Base::FileName => Value::String(scopes.name.into()),
            Base::Join(parts, sep) => {
                let texts: Option<Vec<String>> = parts
                    .iter()
                    .map(|p| p.eval(scopes, default).and_then(|v| text_of(&v)))
                    .collect();
                Value::String(texts?.join(sep))
            }
            Base::First(list) => list.iter().find_map(|s| s.eval(scopes, default))?,
        };
        let v = match &self.regex {
            Some(re) => {
                let t = text_of(&v)?;
                let caps = re.captures(&t)?;
                let m = caps.get(1).or_else(|| caps.get(0))?;
                Value::String(m.as_str().to_string())
            }
            None => v,
        };
        match self.epoch_scale {
            Some(scale) => seconds(&v, scale)
                .and_then(|s| fields::epoch_ms_to_iso(s * 1000.0))
                .map(Value::String),
            None => Some(v),
        }
    }
}

impl SpeakerSpec {
    /// The speaker of one turn item; `Ok(None)` when the map says `skip`.
    fn resolve(&self, scopes: &Scopes) -> Result<Option<Speaker>, String> {
        let raw = match &self.from {
            SpeakerFrom::Src(s) => s.eval(scopes, Scope::Turn).and_then(|v| text_of(&v)),
            SpeakerFrom::KeyOf(keys) => keys
                .iter()
                .find(|k| scopes.turn.and_then(|t| t.get(k.as_str())).is_some())
                .cloned(),
        }
        .ok_or("no speaker value")?;
        let key = fields::norm_key(&raw);
        if let Some((_, sp)) = self.map.iter().find(|(k, _)| *k == key) {
            return Ok(*sp);
        }
        match Speaker::parse(&key).or_else(|| fields::speaker_label(&raw)) {
            Some(sp) => Ok(Some(sp)),
            None => Err(format!(
                "speaker `{raw}` is neither in the mapping's speaker map nor a known label"
            )),
        }
    }
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        other => Some(other.to_string()),
    }
}

/// A number (times `scale`) or a string of seconds / `hh:mm:ss`.
fn seconds(v: &Value, scale: f64) -> Option<f64> {
    let x = match v {
        Value::Number(n) => n.as_f64()? * scale,
        Value::String(s) if s.contains(':') => fields::parse_seconds(s)?,
        Value::String(s) => s.trim().replace(',', ".").parse::<f64>().ok()? * scale,
        _ => return None,
    };
    (x.is_finite() && x >= 0.0).then_some(x)
}

fn read_sidecar(
    template: &str,
    path: &Path,
    stem: &str,
    name: &str,
    max: u64,
) -> Result<Value, String> {
    let rel = template.replace("{stem}", stem).replace("{name}", name);
    let p = path.parent().unwrap_or(Path::new("")).join(&rel);
    let shown = p.display();
    let size = std::fs::metadata(&p)
        .map_err(|e| format!("sidecar {shown} (the mapping's `sidecar`): {e}"))?
        .len();
    if size > max {
        return Err(format!(
            "sidecar {shown} is {size} bytes, over the file size limit"
        ));
    }
    let bytes = std::fs::read(&p).map_err(|e| format!("sidecar {shown}: {e}"))?;
    let (text, _) = super::decode_bytes(&bytes).map_err(|e| format!("sidecar {shown}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("sidecar {shown}: invalid JSON: {e}"))
}
