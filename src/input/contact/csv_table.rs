//! Utterance tables (`.csv`, `.tsv`): one row per turn, many contacts per
//! file — what speech-analytics systems and Excel ("Save as CSV") produce.
//!
//! - Columns are found by header name, any case, Russian or English
//!   («ID обращения», «Роль», «Реплика», `contact_id`, `speaker`, `text`, …;
//!   see `fields.rs`). Unknown columns go to `metadata` (normalised name,
//!   first non-empty value of the contact's rows).
//! - The delimiter is detected from the header line: `;` (Russian Excel), `,`
//!   or tab. Quoted fields may span lines.
//! - Rows are grouped by `contact_id` (rows of one contact need not be
//!   adjacent) and ordered by `start` when every row of the contact has one;
//!   otherwise file order is kept. Without a contact-id column the whole file
//!   is one contact named after the file.
//! - Nothing is lost: a bad row (unknown speaker, unreadable time, empty id,
//!   extra fields) is rejected with its line and column, and the rest of its
//!   contact still loads; a contact whose rows disagree on a contact-level
//!   field (two different `agent_id`s) is rejected naming both lines; a quote
//!   that is never closed is reported at the line it opens, with the lines it
//!   swallowed. Rows whose every cell is empty (Excel's trailing `;;;;`) carry
//!   nothing and are skipped.

use super::fields::{self, Field};
use super::{Contact, Loaded, Speaker, Turn};
use serde_json::{Map, Value};
use std::collections::HashMap;

#[derive(Clone)]
enum Col {
    Known(Field),
    Meta(String),
}

struct Group {
    id: String,
    first_line: u64,
    fields: HashMap<&'static str, (String, u64)>,
    meta: Map<String, Value>,
    turns: Vec<Turn>,
    turn_count: usize,
    problem: Option<String>,
}

/// Reads a table into contacts and row rejections, in file order.
/// `Err` rejects the whole file (no usable header).
pub(crate) fn parse_table(
    text: &str,
    file_stem: &str,
    tsv: bool,
    max_turns: usize,
) -> Result<Vec<Loaded>, String> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err("empty file".into());
    }
    let delim = detect_delimiter(text.lines().next().unwrap_or(""), tsv);
    let (body, unclosed) = match unclosed_quote(text, delim) {
        Some((offset, line)) => (&text[..offset], Some(line)),
        None => (text, None),
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .has_headers(false)
        .from_reader(body.as_bytes());
    let lines = fields::LineIndex::new(body);
    let mut records = rdr.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(format!("cannot read the header row: {e}")),
        None => return Err("no header row".into()),
    };
    let names: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    let cols = map_columns(&names);
    for need in [Field::Speaker, Field::Text] {
        if !cols
            .iter()
            .any(|c| matches!(c, Col::Known(f) if *f == need))
        {
            return Err(format!(
                "no `{}` column (columns found: {}; delimiter `{}`); expected one of: {}",
                need.name(),
                names.join(", "),
                if delim == b'\t' {
                    "tab".into()
                } else {
                    (delim as char).to_string()
                },
                need.examples()
            ));
        }
    }
    let has_id = cols
        .iter()
        .any(|c| matches!(c, Col::Known(Field::ContactId)));
    let mut out: Vec<Loaded> = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| lines.line(body, p.byte()));
                out.push(Loaded::rejected(line, format!("unreadable row: {e}")));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| lines.line(body, p.byte()));
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        match read_row(&rec, &cols, &names, line) {
            Err(reason) => out.push(Loaded::rejected(Some(line), reason)),
            Ok(row) => {
                let id = if has_id {
                    row.id
                } else {
                    file_stem.to_string()
                };
                let gi = *index.entry(id.clone()).or_insert_with(|| {
                    groups.push(Group {
                        id,
                        first_line: line,
                        fields: HashMap::new(),
                        meta: Map::new(),
                        turns: Vec::new(),
                        turn_count: 0,
                        problem: None,
                    });
                    groups.len() - 1
                });
                add_row(
                    &mut groups[gi],
                    row.fields,
                    row.meta,
                    row.turn,
                    line,
                    max_turns,
                );
            }
        }
    }
    if let Some(line) = unclosed {
        let last = text.lines().count();
        out.push(Loaded::rejected(
            Some(line),
            format!("a quoted field opened on this line is never closed; lines {line}–{last} were not read as rows"),
        ));
    }
    if groups.is_empty() && out.is_empty() {
        return Err("no data rows after the header".into());
    }
    for g in groups {
        let line = g.first_line;
        out.push(Loaded {
            line: Some(line),
            contact: finish(g, max_turns),
        });
    }
    out.sort_by_key(|l| l.line);
    Ok(out)
}

fn detect_delimiter(header: &str, tsv: bool) -> u8 {
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in header.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, n) in counts.iter_mut() {
                *n += usize::from(b == *d);
            }
        }
    }
    if tsv && counts[2].1 > 0 {
        return b'\t';
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(if tsv { b'\t' } else { b',' }, |(d, _)| *d)
}

/// Where a quoted field opens and never closes: the byte offset of its
/// record's start and that record's line. Follows the csv crate's rules: a
/// quote opens a field only at its start; `""` inside is an escaped quote.
fn unclosed_quote(text: &str, delim: u8) -> Option<(usize, u64)> {
    #[derive(PartialEq)]
    enum S {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut s = S::FieldStart;
    let mut line = 1u64;
    let (mut rec_start, mut rec_line) = (0usize, 1u64);
    for (i, b) in text.bytes().enumerate() {
        let nl = b == b'\n';
        s = match (s, b) {
            (S::Quoted, b'"') => S::QuoteInQuoted,
            (S::Quoted, _) => S::Quoted,
            (S::QuoteInQuoted, b'"') => S::Quoted,
            (S::FieldStart, b'"') => S::Quoted,
            (_, _) if nl => {
                rec_start = i + 1;
                rec_line = line + 1;
                S::FieldStart
            }
            (_, d) if d == delim => S::FieldStart,
            (_, _) => S::Unquoted,
        };
        if nl {
            line += 1;
        }
    }
    (s == S::Quoted).then_some((rec_start, rec_line))
}

fn map_columns(names: &[String]) -> Vec<Col> {
    let mut seen: Vec<Field> = Vec::new();
    names
        .iter()
        .enumerate()
        .map(|(i, n)| match fields::field_for(n) {
            Some(f) if !seen.contains(&f) => {
                seen.push(f);
                Col::Known(f)
            }
            _ if n.is_empty() => Col::Meta(format!("column_{}", i + 1)),
            _ => Col::Meta(fields::norm_key(n)),
        })
        .collect()
}

struct Row {
    id: String,
    fields: Vec<(&'static str, String)>,
    meta: Vec<(String, String)>,
    turn: Turn,
}

fn read_row(
    rec: &csv::StringRecord,
    cols: &[Col],
    names: &[String],
    line: u64,
) -> Result<Row, String> {
    if rec.len() > cols.len() && rec.iter().skip(cols.len()).any(|f| !f.trim().is_empty()) {
        return Err(format!(
            "line {line}: {} fields but the header has {} (an unquoted delimiter inside the text?)",
            rec.len(),
            cols.len()
        ));
    }
    let mut row = Row {
        id: String::new(),
        fields: Vec::new(),
        meta: Vec::new(),
        turn: Turn {
            speaker: Speaker::System,
            text: String::new(),
            event: None,
            start: None,
            end: None,
        },
    };
    let mut speaker = None;
    for (i, col) in cols.iter().enumerate() {
        let v = rec.get(i).unwrap_or("").trim();
        let col_name = &names[i];
        let time = |scale: f64| -> Result<Option<f64>, String> {
            if v.is_empty() {
                return Ok(None);
            }
            let secs = if scale == 1.0 {
                fields::parse_seconds(v)
            } else {
                v.replace(',', ".")
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x >= 0.0)
            };
            secs.map(|s| Some(s * scale)).ok_or_else(|| {
                format!("line {line}, column `{col_name}`: `{v}` is not a time (expected seconds such as 12.5, or mm:ss)")
            })
        };
        match col {
            Col::Known(Field::ContactId) => row.id = v.to_string(),
            Col::Known(Field::Speaker) => {
                speaker = Some(fields::speaker_label(v).ok_or_else(|| {
                    if v.is_empty() {
                        format!("line {line}, column `{col_name}`: empty speaker")
                    } else {
                        format!(
                            "line {line}, column `{col_name}`: unknown speaker `{v}`; expected {}",
                            fields::SPEAKER_HELP
                        )
                    }
                })?)
            }
            Col::Known(Field::Text) => row.turn.text = v.to_string(),
            Col::Known(Field::Start) => row.turn.start = time(1.0)?,
            Col::Known(Field::End) => row.turn.end = time(1.0)?,
            Col::Known(Field::StartMs) => row.turn.start = time(0.001)?,
            Col::Known(Field::EndMs) => row.turn.end = time(0.001)?,
            Col::Known(f) if !v.is_empty() => row.fields.push((f.name(), v.to_string())),
            Col::Meta(k) if !v.is_empty() => row.meta.push((k.clone(), v.to_string())),
            _ => {}
        }
    }
    if cols
        .iter()
        .any(|c| matches!(c, Col::Known(Field::ContactId)))
        && row.id.is_empty()
    {
        return Err(format!("line {line}: empty contact_id"));
    }
    row.turn.speaker = speaker.unwrap_or(Speaker::System);
    if row.turn.speaker == Speaker::System {
        row.turn.event = Some(std::mem::take(&mut row.turn.text));
    }
    Ok(row)
}

fn add_row(
    g: &mut Group,
    values: Vec<(&'static str, String)>,
    meta: Vec<(String, String)>,
    turn: Turn,
    line: u64,
    max_turns: usize,
) {
    for (name, v) in values {
        match g.fields.get(name) {
            Some((first, l)) if !fields::same_text(first, &v) => {
                if g.problem.is_none() {
                    g.problem = Some(format!(
                        "contact `{}`: rows disagree on `{name}`: `{first}` (line {l}) and `{v}` (line {line})",
                        g.id
                    ));
                }
            }
            Some(_) => {}
            None => {
                g.fields.insert(name, (v, line));
            }
        }
    }
    for (k, v) in meta {
        g.meta.entry(k).or_insert(Value::String(v));
    }
    g.turn_count += 1;
    if g.turns.len() < max_turns {
        g.turns.push(turn);
    }
}

fn finish(mut g: Group, max_turns: usize) -> Result<Contact, String> {
    if let Some(p) = g.problem {
        return Err(p);
    }
    if g.turn_count > max_turns {
        return Err(format!(
            "contact `{}` has {} turns, more than the limit of {max_turns}",
            g.id, g.turn_count
        ));
    }
    let mut take = |f: Field| g.fields.remove(f.name()).map(|(v, _)| v);
    let duration = take(Field::Duration);
    let mut c = Contact {
        id: g.id.clone(),
        agent_id: take(Field::AgentId).unwrap_or_default(),
        agent_name: take(Field::AgentName),
        team: take(Field::Team),
        channel: take(Field::Channel).map(|s| fields::channel(&s)),
        started_at: take(Field::StartedAt).map(|s| fields::normalise_datetime(&s).unwrap_or(s)),
        queue: take(Field::Queue),
        language: take(Field::Language),
        metadata: g.meta,
        ..Contact::default()
    };
    if let Some(lead) = take(Field::TeamLead) {
        c.metadata.insert("team_lead".into(), Value::String(lead));
    }
    fields::agent_id_from_name(&mut c);
    if let Some(d) = duration {
        match fields::parse_seconds(&d) {
            Some(x) => c.duration_s = Some(x),
            None => fields::warn(
                &mut c,
                format!("duration `{d}` is not a number of seconds or mm:ss; left empty"),
            ),
        }
    }
    if g.turns.iter().all(|t| t.start.is_some()) {
        g.turns
            .sort_by(|a, b| a.start.unwrap_or(0.0).total_cmp(&b.start.unwrap_or(0.0)));
    }
    c.turns = g.turns;
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(l: &Loaded) -> &Contact {
        l.contact.as_ref().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn semicolon_table_with_russian_headers_groups_and_orders_rows() {
        let t = "ID обращения;ID оператора;Роль;Начало;Реплика;Тематика\n\
                 C-2;A018;Клиент;00:04;Хочу закрыть счёт;закрытие\n\
                 C-1;A017;Оператор;0;Добрый день!;карты\n\
                 C-2;A018;Оператор;0,5;Здравствуйте;\n\
                 C-1;A017;Клиент;3,2;\"Карта не работает;\nсовсем\";\n";
        let out = parse_table(t, "f", false, 100).unwrap();
        assert_eq!(out.len(), 2);
        let c2 = ok(&out[0]);
        assert_eq!((c2.id.as_str(), out[0].line), ("C-2", Some(2)));
        assert_eq!(c2.turns[0].text, "Здравствуйте");
        assert_eq!(c2.metadata["тематика"], "закрытие");
        let c1 = ok(&out[1]);
        assert_eq!(c1.agent_id, "A017");
        assert_eq!(c1.turns[1].text, "Карта не работает;\nсовсем");
        assert_eq!(c1.turns[1].start, Some(3.2));
    }

    #[test]
    fn bad_row_is_rejected_with_line_and_column_and_the_rest_loads() {
        let t = "contact_id,agent_id,speaker,start,text\nC-1,A1,agent,0,Алло\nC-1,A1,стажёр,1,Да\nC-1,A1,customer,abc,Нет\nC-1,A1,customer,2,Хорошо\n";
        let out = parse_table(t, "f", false, 100).unwrap();
        let lines: Vec<_> = out.iter().map(|l| (l.line, l.contact.is_ok())).collect();
        assert_eq!(lines, [(Some(2), true), (Some(3), false), (Some(4), false)]);
        assert!(out[1]
            .contact
            .as_ref()
            .unwrap_err()
            .starts_with("line 3, column `speaker`: unknown speaker `стажёр`"));
        assert!(out[2]
            .contact
            .as_ref()
            .unwrap_err()
            .contains("column `start`: `abc` is not a time"));
        assert_eq!(ok(&out[0]).turns.len(), 2);
    }

    #[test]
    fn rows_disagreeing_on_the_agent_reject_the_contact_naming_both_lines() {
        let t = "contact_id;agent_id;speaker;text\nC-1;A1;agent;Да\nC-1;A2;customer;Нет\n";
        let out = parse_table(t, "f", false, 100).unwrap();
        assert_eq!(
            out[0].contact.as_ref().unwrap_err(),
            "contact `C-1`: rows disagree on `agent_id`: `A1` (line 2) and `A2` (line 3)"
        );
    }

    #[test]
    fn tab_separated_without_contact_id_is_one_contact_named_after_the_file() {
        let t =
            "speaker\ttext\tstart_ms\nОператор\tДобрый день\t1500\nКлиент\tЗдравствуйте\t3000\n";
        let out = parse_table(t, "C-55", true, 100).unwrap();
        let c = ok(&out[0]);
        assert_eq!(c.id, "C-55");
        assert_eq!(c.turns[0].start, Some(1.5));
    }

    #[test]
    fn missing_text_column_names_what_was_found() {
        let e = parse_table("id;кто;что\n1;оператор;да\n", "f", false, 10).unwrap_err();
        assert!(
            e.starts_with("no `text` column (columns found: id, кто, что; delimiter `;`)"),
            "{e}"
        );
    }

    #[test]
    fn unclosed_quote_is_reported_where_it_opens() {
        let t = "id;speaker;text\nC-1;agent;Да\nC-1;customer;\"Нет\nC-2;agent;Алло\n";
        let out = parse_table(t, "f", false, 10).unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(ok(&out[0]).turns.len(), 1);
        assert_eq!(out[1].line, Some(3));
        assert!(out[1]
            .contact
            .as_ref()
            .unwrap_err()
            .contains("never closed; lines 3–4"));
    }

    #[test]
    fn too_many_turns_in_one_contact_are_rejected_naming_it() {
        let mut t = String::from("id;speaker;text\n");
        for _ in 0..30 {
            t.push_str("C-1;agent;да\n");
        }
        let out = parse_table(&t, "f", false, 20).unwrap();
        assert_eq!(
            out[0].contact.as_ref().unwrap_err(),
            "contact `C-1` has 30 turns, more than the limit of 20"
        );
    }
}
