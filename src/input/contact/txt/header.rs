//! The header of a transcript: the leading block of `key: value` lines,
//! which fills the contact's fields (unknown keys go to its metadata).

use super::line::{label_speaker, parse_line, Line};
use crate::input::contact::fields::{self, Field};
use crate::input::contact::{Contact, Speaker};
use serde_json::Value;

/// Fills contact fields from the header block; returns the index of the first body line.
///
/// In a transcript whose turns are timed, an *untimed* speaker line in the
/// leading block («Оператор: Иванова Мария») is a header line naming the
/// person, not a turn: exports put the operator's name there. In untimed
/// transcripts such lines stay turns.
pub(super) fn read_header(lines: &[&str], c: &mut Contact) -> Result<usize, String> {
    let first = lines
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(lines.len());
    let mut block: Vec<(usize, (&str, &str), bool)> = Vec::new();
    let mut end = first;
    while end < lines.len() && !lines[end].trim().is_empty() {
        if let Some(kv) = header_kv(lines[end]) {
            block.push((end + 1, kv, false));
        } else if let Some(kv) = untimed_speaker_line(lines[end]) {
            block.push((end + 1, kv, true));
        } else {
            break;
        }
        end += 1;
    }
    let mut ended_by_blank = end >= lines.len() || lines[end].trim().is_empty();
    let timed_body = || {
        lines[end..]
            .iter()
            .any(|l| matches!(parse_line(l), Line::Turn { start: Some(_), .. }))
    };
    if let Some(k) = block.iter().position(|(_, _, sp)| *sp) {
        if !(ended_by_blank && timed_body()) {
            // Speaker lines are turns here: the header, if any, ends before them.
            end = block[k].0 - 1;
            block.truncate(k);
            ended_by_blank = false;
        }
    }
    let all_known = block
        .iter()
        .all(|(_, (k, _), sp)| !sp && fields::field_for(k).is_some());
    if block.is_empty() || !(ended_by_blank || all_known) {
        return Ok(first);
    }
    let mut seen: Vec<(String, usize, String)> = Vec::new();
    for (line_no, (key, value), speaker_line) in block {
        let nk = fields::norm_key(key);
        if let Some((_, l, v)) = seen.iter().find(|(k, _, _)| *k == nk) {
            if v != value {
                return Err(format!(
                    "line {line_no}: header `{key}` given twice with different values (`{v}` on line {l}, `{value}` here)"
                ));
            }
            continue;
        }
        seen.push((nk.clone(), line_no, value.to_string()));
        match label_speaker(key) {
            Some(Speaker::Agent) if speaker_line && c.agent_name.is_none() && !value.is_empty() => {
                c.agent_name = Some(value.to_string())
            }
            _ if speaker_line => {
                c.metadata
                    .insert(nk.clone(), Value::String(value.to_string()));
            }
            _ => set_header(c, key, &nk, value, line_no),
        }
    }
    Ok(end)
}

/// `Оператор: …` without a time prefix: a candidate header line naming a person.
fn untimed_speaker_line(line: &str) -> Option<(&str, &str)> {
    if line.trim_start().starts_with('[') {
        return None;
    }
    let (k, v) = line.split_once(':')?;
    label_speaker(k.trim()).map(|_| (k.trim(), v.trim()))
}

fn set_header(c: &mut Contact, key: &str, nk: &str, value: &str, line_no: usize) {
    let v = || (!value.is_empty()).then(|| value.to_string());
    match fields::field_for(key) {
        Some(Field::ContactId) if !value.is_empty() => c.id = value.to_string(),
        Some(Field::ContactId) => {}
        Some(Field::AgentId) => c.agent_id = value.to_string(),
        Some(Field::AgentName) => c.agent_name = v(),
        Some(Field::Team) => c.team = v(),
        Some(Field::Channel) => c.channel = v().map(|s| fields::channel(&s)),
        Some(Field::Queue) => c.queue = v(),
        Some(Field::Language) => c.language = v(),
        Some(Field::StartedAt) => {
            c.started_at = v().map(|s| fields::normalise_datetime(&s).unwrap_or(s))
        }
        Some(Field::Start) if fields::normalise_datetime(value).is_some() => {
            c.started_at = fields::normalise_datetime(value)
        }
        Some(Field::Duration) if !value.is_empty() => match fields::parse_seconds(value) {
            Some(d) => c.duration_s = Some(d),
            None => fields::warn(
                c,
                format!("line {line_no}: `{key}` is not a duration: `{value}` (expected seconds or mm:ss); left empty"),
            ),
        },
        _ => {
            c.metadata
                .insert(nk.to_string(), Value::String(value.to_string()));
        }
    }
}

/// `key: value` where the key looks like a field name and is not a speaker label.
fn header_kv(line: &str) -> Option<(&str, &str)> {
    let (k, v) = line.split_once(':')?;
    let key = k.trim();
    let ok_chars = key
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.' | '№' | '#' | '(' | ')'));
    if key.is_empty()
        || key.chars().count() > 40
        || key.split_whitespace().count() > 4
        || !ok_chars
        || line.trim_start().starts_with('[')
        || label_speaker(key).is_some()
    {
        return None;
    }
    Some((key, v.trim()))
}
