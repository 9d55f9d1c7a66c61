//! Helpers for the sampling, forms, evaluations and calibration tests: a
//! small bank's contacts, the binary in a temporary folder, and reading and
//! "filling in" workbooks the way a controller would.
#![allow(dead_code)]

use calamine::{Data, Reader};
use serde_json::{json, Value};
use std::path::Path;

pub use crate::workdir::{cqa, jsonl, mini_card, write_json};

/// An inbound call: the agent's lines, each followed by the customer's.
pub fn call(
    id: &str,
    agent: (&str, &str),
    started_at: &str,
    agent_lines: &[&str],
    metadata: Value,
) -> Value {
    let mut turns = Vec::new();
    let mut t = 0.0;
    for (i, line) in agent_lines.iter().enumerate() {
        turns.push(json!({"speaker": "agent", "text": line, "start": t, "end": t + 3.0}));
        let reply = if i == 0 {
            "Здравствуйте, у меня заблокировали карту, номер 4111 1111 1111 1111."
        } else {
            "Понятно, спасибо."
        };
        turns.push(json!({"speaker": "customer", "text": reply, "start": t + 3.5, "end": t + 6.0}));
        t += 7.0;
    }
    json!({"id": id, "agent_id": agent.0, "agent_name": agent.1, "team": "Группа 1", "channel": "voice",
           "started_at": started_at, "duration_s": t, "metadata": metadata, "turns": turns})
}

/// A call that passes every automatic criterion of the mini scorecard.
pub fn good_call(id: &str, agent: (&str, &str), started_at: &str) -> Value {
    call(
        id,
        agent,
        started_at,
        &[
            "Банк «Пример», Анна, здравствуйте!",
            "Назовите, пожалуйста, кодовое слово.",
            "Баланс составляет 1 500 рублей. Кстати, по карте есть кэшбэк.",
            "Всего доброго!",
        ],
        json!({"category": "block", "csat": 5}),
    )
}

/// A call without a farewell (`closing` fails automatically).
pub fn abrupt_call(id: &str, agent: (&str, &str), started_at: &str) -> Value {
    call(
        id,
        agent,
        started_at,
        &[
            "Банк «Пример», здравствуйте!",
            "Назовите кодовое слово.",
            "Баланс составляет 200 рублей.",
        ],
        json!({"category": "complaint", "csat": 2}),
    )
}

pub const IVANOVA: (&str, &str) = ("A001", "Иванова Мария");
pub const PETROV: (&str, &str) = ("A002", "Петров Алексей");

/// C-101: Иванова, a clean call. C-102: Петров, a complaint call without a farewell.
pub fn calls(dir: &Path) {
    write_json(
        dir,
        "calls/C-101.json",
        &good_call("C-101", IVANOVA, "2026-11-02T10:15:00+03:00"),
    );
    write_json(
        dir,
        "calls/C-102.json",
        &abrupt_call("C-102", PETROV, "2026-11-02T11:40:00+03:00"),
    );
}

pub fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// A sheet as text rows.
pub fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut wb = calamine::open_workbook_auto(path).unwrap();
    let range = wb
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    range
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect()
}

pub fn sheet_names(path: &Path) -> Vec<String> {
    calamine::open_workbook_auto(path).unwrap().sheet_names()
}

/// Index of a header in row 0.
pub fn col(rows: &[Vec<String>], name: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", rows[0]))
}

/// What a controller does in Excel: opens the form, picks answers and types
/// comments, saves. Every sheet is copied cell by cell (as text) into a new
/// workbook at `to`, with `answers` = (contact, criterion, answer, comment)
/// put in the first sheet's `answer` and `comment` columns.
pub fn fill_form(from: &Path, to: &Path, answers: &[(&str, &str, &str, &str)]) {
    let mut wb = calamine::open_workbook_auto(from).unwrap();
    let names = wb.sheet_names();
    let mut out = rust_xlsxwriter::Workbook::new();
    for (k, name) in names.iter().enumerate() {
        let range = wb.worksheet_range(name).unwrap();
        let mut rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect();
        if k == 0 {
            let (c, k, a, m) = (
                col(&rows, "contact_id"),
                col(&rows, "criterion_id"),
                col(&rows, "answer"),
                col(&rows, "comment"),
            );
            for (contact, criterion, answer, comment) in answers {
                let row = rows
                    .iter_mut()
                    .find(|r| r[c] == *contact && r[k] == *criterion)
                    .unwrap_or_else(|| panic!("no row for {contact}/{criterion}"));
                row[a] = answer.to_string();
                row[m] = comment.to_string();
            }
        }
        let ws = out.add_worksheet();
        ws.set_name(name).unwrap();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (i, r) in rows.iter().enumerate() {
            for (j, v) in r.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r0 + i as u32, (c0 as usize + j) as u16, v)
                        .unwrap();
                }
            }
        }
    }
    out.save(to).unwrap();
}

/// A flat evaluation table as a semicolon CSV, the way Russian Excel saves it.
pub fn flat_csv(path: &Path, rows: &[(&str, &str, &str, &str, &str)]) {
    let mut s = String::from("evaluator;contact_id;criterion_id;answer;comment\n");
    for (w, c, k, a, m) in rows {
        s.push_str(&format!("{w};{c};{k};{a};{m}\n"));
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, s).unwrap();
}
