//! Reading a scorecard written by a person: every problem is reported at once,
//! each with its JSON path (`sections[2].criteria[0].rule.pattern`) and a plain
//! message, so one `cqa validate` run is enough to fix a file.

mod card;
mod judge;
mod rules;
mod text;

use super::limits;
use super::locate::{by_criterion, criterion_at};
use super::model::*;
use serde_json::{Map, Value};
use std::fmt;
use std::path::Path;

/// One problem in a scorecard.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// JSON path of the offending value; empty for the document itself.
    pub path: String,
    pub message: String,
    /// The id of the criterion the path is in, when it has one: shown
    /// beside the path (`sections[0].criteria[1] (greet_name).rule…`).
    pub criterion: Option<String>,
}

impl Issue {
    /// The path with the criterion id after `criteria[j]`.
    pub fn located(&self) -> String {
        match (&self.criterion, criterion_at(&self.path)) {
            (Some(id), Some((_, _, end))) => {
                format!("{} ({id}){}", &self.path[..end], &self.path[end..])
            }
            _ => self.path.clone(),
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ScorecardError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: invalid JSON at line {line}, column {column}: {message}")]
    Json {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}", format_issues(file, issues))]
    Invalid { file: String, issues: Vec<Issue> },
}

fn format_issues(file: &str, issues: &[Issue]) -> String {
    issues
        .iter()
        .map(|i| {
            if i.path.is_empty() {
                format!("{file}: {}", i.message)
            } else {
                format!("{file}: {}: {}", i.located(), i.message)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads and validates a scorecard file.
pub fn load_scorecard(path: &Path) -> Result<Scorecard, ScorecardError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ScorecardError::Io {
        file: file.clone(),
        source,
    })?;
    parse_scorecard(&text, &file)
}

/// Validates scorecard JSON; `file` only labels the messages.
pub fn parse_scorecard(text: &str, file: &str) -> Result<Scorecard, ScorecardError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let msg = e.to_string();
        let message = match msg.rfind(" at line ") {
            Some(i) => msg[..i].to_string(),
            None => msg,
        };
        ScorecardError::Json {
            file: file.to_string(),
            line: e.line(),
            column: e.column(),
            message,
        }
    })?;
    let mut cx = CardReader::default();
    let card = cx.scorecard(&value);
    // On the JSON itself, so that a criterion with another error still has
    // its duplicate id reported (a criterion that fails to read is not in `card`).
    cx.duplicates(&value);
    match card {
        Some(c) if cx.issues.is_empty() => Ok(c),
        _ => Err(ScorecardError::Invalid {
            file: file.to_string(),
            issues: by_criterion(cx.issues, &value),
        }),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Reads a scorecard's JSON into the model, collecting every issue on the
/// way rather than stopping at the first (`card`, `rules`, `text` and `judge`
/// read the parts; this file, the plain fields).
#[derive(Default)]
struct CardReader {
    issues: Vec<Issue>,
}

/// An object being read: remembers which keys were asked for, so the rest can
/// be reported as unknown fields.
struct Obj<'a> {
    path: String,
    map: &'a Map<String, Value>,
    known: Vec<&'static str>,
}

impl<'a> Obj<'a> {
    fn get(&mut self, key: &'static str) -> Option<&'a Value> {
        self.known.push(key);
        self.map.get(key).filter(|v| !v.is_null())
    }
    fn at(&self, key: &str) -> String {
        join(&self.path, key)
    }
}

impl CardReader {
    fn err(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.issues.push(Issue {
            path: path.into(),
            message: message.into(),
            criterion: None,
        });
    }

    fn obj<'a>(&mut self, path: &str, v: &'a Value) -> Option<Obj<'a>> {
        match v {
            Value::Object(map) => Some(Obj {
                path: path.to_string(),
                map,
                known: Vec::new(),
            }),
            other => {
                self.err(path, format!("expected an object, got {}", kind(other)));
                None
            }
        }
    }

    fn finish(&mut self, o: Obj<'_>) {
        for k in o.map.keys() {
            if !o.known.contains(&k.as_str()) {
                let mut known = o.known.clone();
                known.sort_unstable();
                known.dedup();
                self.err(
                    o.at(k),
                    format!("unknown field `{k}`; expected one of: {}", known.join(", ")),
                );
            }
        }
    }

    fn string(&mut self, o: &mut Obj<'_>, key: &'static str, required: bool) -> Option<String> {
        match o.get(key) {
            None if required => {
                self.err(o.at(key), "required field is missing");
                None
            }
            None => None,
            Some(Value::String(s)) if required && s.trim().is_empty() => {
                self.err(o.at(key), "must not be empty");
                None
            }
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                self.err(o.at(key), format!("expected a string, got {}", kind(other)));
                None
            }
        }
    }

    fn number(&mut self, o: &mut Obj<'_>, key: &'static str) -> Option<f64> {
        match o.get(key) {
            None => None,
            Some(Value::Number(n)) => n.as_f64(),
            Some(other) => {
                self.err(o.at(key), format!("expected a number, got {}", kind(other)));
                None
            }
        }
    }

    /// A number that must lie in `range` (see [`limits`]); out of it, an issue.
    fn bounded(
        &mut self,
        o: &mut Obj<'_>,
        key: &'static str,
        range: std::ops::RangeInclusive<f64>,
    ) -> Option<f64> {
        let x = self.number(o, key)?;
        limits::in_range(x, range, key)
            .map_err(|e| self.err(o.at(key), e))
            .ok()
    }

    fn boolean(&mut self, o: &mut Obj<'_>, key: &'static str) -> Option<bool> {
        match o.get(key) {
            None => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(other) => {
                self.err(
                    o.at(key),
                    format!("expected true or false, got {}", kind(other)),
                );
                None
            }
        }
    }

    fn string_list(&mut self, path: &str, v: &Value) -> Option<Vec<String>> {
        let Value::Array(items) = v else {
            self.err(path, format!("expected a list of strings, got {}", kind(v)));
            return None;
        };
        if items.is_empty() {
            self.err(path, "the list is empty");
            return None;
        }
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::String(s) if !s.trim().is_empty() => out.push(s.clone()),
                Value::String(_) => self.err(format!("{path}[{i}]"), "must not be empty"),
                other => self.err(
                    format!("{path}[{i}]"),
                    format!("expected a string, got {}", kind(other)),
                ),
            }
        }
        (out.len() == items.len()).then_some(out)
    }

    fn count(&mut self, o: &mut Obj<'_>, key: &'static str, min: u32, max: u32) -> Option<u32> {
        let x = self.number(o, key)?;
        if x.fract() != 0.0 || x < f64::from(min) || x > f64::from(max) {
            self.err(
                o.at(key),
                format!("expected a whole number from {min} to {max}, got {x}"),
            );
            return None;
        }
        Some(x as u32)
    }
}
