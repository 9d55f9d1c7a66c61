//! From a discovered file to contacts: the one place that decides which
//! loader reads what, so the pipeline only asks "give me the contacts of this
//! file (or line)".
//!
//! A JSON document is tried, in order, as: a native contact (an object with
//! `turns`); the `--mapping` if its records or turns are where the mapping
//! says; a recognised cloud export; and otherwise rejected with a reason that
//! says what it looked like and what to do (a JSON array of contacts, for
//! instance, is pointed to `.jsonl` or a mapping with `records`).

use super::{cloud, csv_table, decode_bytes, native, txt, Contact, InputKind, Mapping};
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;

/// How inputs are read: the mapping for other JSON exports, and the limits.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub mapping: Option<Arc<Mapping>>,
    pub max_turns: usize,
    pub max_file_bytes: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            mapping: None,
            max_turns: 20_000,
            max_file_bytes: 64 * 1024 * 1024,
        }
    }
}

/// One contact read from an input, or why it could not be read.
#[derive(Debug)]
pub struct Loaded {
    /// Where it starts: the line of a `.jsonl` line or a table's first row of
    /// the contact, the record number in a mapped multi-record file; `None`
    /// for one-contact files.
    pub line: Option<u64>,
    pub contact: Result<Contact, String>,
}

impl Loaded {
    pub(crate) fn rejected(line: Option<u64>, reason: impl Into<String>) -> Self {
        Loaded {
            line,
            contact: Err(reason.into()),
        }
    }
}

/// Whether a file of this kind may hold many contacts (tables, and JSON read
/// through a mapping with `records`): the pipeline expands such files before
/// its parallel stage so that batches stay bounded.
pub fn holds_many(kind: InputKind, opts: &LoadOptions) -> bool {
    match kind {
        InputKind::Csv | InputKind::Tsv => true,
        InputKind::Json => opts.mapping.as_ref().is_some_and(|m| m.has_records()),
        InputKind::Jsonl | InputKind::Txt => false,
    }
}

/// Reads, decodes and loads a whole file. The caller has checked its size.
pub fn load_file(path: &Path, kind: InputKind, opts: &LoadOptions) -> Vec<Loaded> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return vec![Loaded::rejected(None, format!("cannot read: {e}"))],
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return vec![Loaded::rejected(None, "empty file")];
    }
    match decode_bytes(&bytes) {
        Ok((text, _)) => load_text(path, kind, &text, opts),
        Err(e) => vec![Loaded::rejected(None, e.to_string())],
    }
}

/// Loads decoded text of a file of `kind`.
pub fn load_text(path: &Path, kind: InputKind, text: &str, opts: &LoadOptions) -> Vec<Loaded> {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    match kind {
        InputKind::Json => load_json(path, text, None, opts),
        InputKind::Jsonl => text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .flat_map(|(i, l)| load_json(path, l, Some(i as u64 + 1), opts))
            .collect(),
        InputKind::Txt => super::sanity::settle(vec![Loaded {
            line: None,
            contact: txt::parse_txt(text, stem, opts.max_turns),
        }]),
        InputKind::Csv | InputKind::Tsv => {
            match csv_table::parse_table(text, stem, kind == InputKind::Tsv, opts.max_turns) {
                Ok(items) => super::sanity::settle(items),
                Err(e) => vec![Loaded::rejected(None, e)],
            }
        }
    }
}

/// Loads one JSON document (a `.json` file or one `.jsonl` line, `line`).
pub fn load_json(path: &Path, text: &str, line: Option<u64>, opts: &LoadOptions) -> Vec<Loaded> {
    // Whatever the format, a contact must make sense before it is scored.
    super::sanity::settle(load_json_any(path, text, line, opts))
}

fn load_json_any(path: &Path, text: &str, line: Option<u64>, opts: &LoadOptions) -> Vec<Loaded> {
    let one = |r: Result<Contact, String>| vec![Loaded { line, contact: r }];
    if text.trim().is_empty() {
        return one(Err("empty file".into()));
    }
    // Fast path: most inputs are valid native contacts, parsed once. Only
    // when that fails is the document read as a `Value` to see what it is.
    let native_err = match native::parse_contact_lenient(text) {
        Ok(c) => return one(Ok(c)),
        Err(e) => native_message(e, text, line.is_some()),
    };
    let doc: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return one(Err(json_error(&e, text, line.is_some()))),
    };
    let has = |k: &str| doc.as_object().is_some_and(|o| o.contains_key(k));
    let mut native_error = has("turns").then(|| native_err.clone());
    if let Some(m) = opts.mapping.as_deref().filter(|m| m.matches(&doc)) {
        return m
            .apply(&doc, path, opts.max_turns, opts.max_file_bytes)
            .into_iter()
            .map(|(rec, r)| Loaded {
                line: line.or(rec),
                contact: r,
            })
            .collect();
    }
    if native_error.is_none() {
        if let Some(f) = cloud::detect(&doc) {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            return one(cloud::parse(f, &doc, stem, opts.max_turns)
                .map_err(|e| format!("{}: {e}", f.name())));
        }
        if has("id") || has("agent_id") {
            native_error = Some(native_err);
        }
    }
    let mut reason = native_error.unwrap_or_else(|| match &doc {
        Value::Array(_) => "the file holds a JSON array, not one contact: put one contact per line in a .jsonl file, or describe the export with --mapping FILE (with `records`)".to_string(),
        _ => "not a cqa contact (no `turns`) and not a recognised export (Amazon Transcribe Call Analytics, Amazon Connect Contact Lens, Genesys Cloud); describe it with --mapping FILE".to_string(),
    });
    if let Some(m) = &opts.mapping {
        reason.push_str(&format!(
            "; the mapping `{}` does not match it either ({})",
            m.name,
            m.shape()
        ));
    }
    one(Err(reason))
}

/// The native parser's complaint, worded like [`json_error`]: columns in
/// characters, and only the column within a `.jsonl` line.
fn native_message(e: native::ContactError, text: &str, jsonl: bool) -> String {
    match e {
        native::ContactError::Json {
            line,
            column,
            message,
        } => located(line, char_column(text, line, column), &message, jsonl),
        e => e.to_string(),
    }
}

fn located(line: usize, column: usize, msg: &str, jsonl: bool) -> String {
    if jsonl && line == 1 {
        format!("invalid JSON at column {column}: {msg}")
    } else {
        format!("invalid JSON at line {line}, column {column}: {msg}")
    }
}

/// serde_json's byte column as the character column an editor shows.
fn char_column(text: &str, line: usize, byte_column: usize) -> usize {
    let l = text.split('\n').nth(line.saturating_sub(1)).unwrap_or("");
    let mut end = byte_column.min(l.len());
    while !l.is_char_boundary(end) {
        end -= 1;
    }
    l[..end].chars().count() + byte_column.saturating_sub(l.len())
}

/// The message native contacts use for syntax errors, so all JSON reads
/// alike — with the column counted in characters, as an editor shows it
/// (serde_json counts bytes, two per Cyrillic letter). Within a `.jsonl`
/// line only the column is given.
fn json_error(e: &serde_json::Error, text: &str, jsonl: bool) -> String {
    let msg = e.to_string();
    let msg = match msg.rfind(" at line ") {
        Some(i) => &msg[..i],
        None => &msg,
    };
    located(
        e.line(),
        char_column(text, e.line(), e.column()),
        msg,
        jsonl,
    )
}

/// The check after the registry join: every contact needs its agent.
pub fn require_agent(c: &Contact, registry: Option<&str>) -> Result<(), String> {
    if !c.agent_id.trim().is_empty() {
        return Ok(());
    }
    Err(match registry {
        None => format!(
            "missing required field `agent_id` for contact `{}` (give it in the file: JSON `agent_id`, or a table column / TXT header named {} — see docs/contacts.md; or supply it with --registry)",
            c.id,
            super::fields::AGENT_ID_NAMES
        ),
        Some(r) => format!(
            "missing required field `agent_id` for contact `{}`: not in the file, and the registry {r} has no agent for it",
            c.id
        ),
    })
}
