//! The judge tests' fixture: a card with a judge criterion, calls written
//! into a temporary folder, and `cqa check` run on them.
#![allow(dead_code)]

use super::server::{verdict, Answer};
use assert_cmd::Command;
use serde_json::{json, Value};
use std::path::Path;

pub const QUESTION: &str = "Оператор выяснил суть проблемы клиента до того, как предложил решение?";
pub const CARD_NUMBER: &str = "2202 2063 4512 7786";

/// A card with one judge criterion and one phrase criterion (the greeting).
pub fn card(dir: &Path, judge: Value) {
    let mut rule = json!({"type": "judge", "question": QUESTION, "speaker": "agent",
        "na_when": "клиент не обращался с проблемой"});
    if let (Some(r), Value::Object(extra)) = (rule.as_object_mut(), judge) {
        r.extend(extra);
    }
    let card = json!({"id": "judge-card", "version": "1", "title": "Проверка",
    "sections": [{"id": "s", "title": "Раздел", "criteria": [
        {"id": "greet", "title": "Поздоровался", "weight": 1, "severity": "non_critical",
         "rule": {"type": "phrase", "speaker": "agent", "any": ["здравствуйте"]}},
        {"id": "needs_identified", "title": "Выяснил суть проблемы", "weight": 4,
         "severity": "non_critical", "rule": rule}
    ]}]});
    std::fs::write(dir.join("card.json"), card.to_string()).unwrap();
}

/// A call where the agent asks what happens before solving; the customer
/// dictates a card number.
pub fn call(id: &str) -> Value {
    // Each contact its own amount, so that no two share a cached answer.
    let amount: u32 = id.trim_start_matches("C-").parse::<u32>().unwrap_or(0) * 100 + 50;
    json!({"id": id, "agent_id": "A001", "agent_name": "Иванова Мария", "channel": "voice",
    "turns": [
        {"speaker": "agent", "text": "Банк «Пример», Мария, здравствуйте!", "start": 0.0},
        {"speaker": "customer", "text": format!("Здравствуйте, у меня не проходит оплата картой на {amount} рублей."), "start": 3.0},
        {"speaker": "agent", "text": "Подскажите, что пишет терминал при оплате?", "start": 6.0},
        {"speaker": "customer", "text": format!("Пишет «отказ». Номер карты {CARD_NUMBER}."), "start": 9.0},
        {"speaker": "agent", "text": "Вижу, карта заблокирована после трёх неверных ПИН-кодов, снимаю блокировку.", "start": 15.0}
    ]})
}

pub fn setup(judge: Value, contacts: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    card(dir.path(), judge);
    std::fs::create_dir(dir.path().join("in")).unwrap();
    for i in 1..=contacts {
        let id = format!("C-{i:03}");
        std::fs::write(
            dir.path().join("in").join(format!("{id}.json")),
            call(&id).to_string(),
        )
        .unwrap();
    }
    dir
}

pub fn check(dir: &Path, out: &str, url: Option<&str>, extra: &[&str]) -> std::process::Output {
    let mut c = Command::cargo_bin("cqa").unwrap();
    c.current_dir(dir).args([
        "check",
        "in",
        "-s",
        "card.json",
        "--out",
        out,
        "--no-workbooks",
        // Passes carry their quote only in the full form (docs/results.md).
        "--detail",
        "full",
        "--judge-cache",
        "cache.sqlite",
    ]);
    if let Some(u) = url {
        c.args(["--judge-url", u, "--judge-model", "test-model"]);
    }
    c.args(extra);
    c.env_remove("CQA_JUDGE_API_KEY");
    let o = c.output().unwrap();
    assert!(
        o.status.success(),
        "cqa check failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

pub fn results(dir: &Path, out: &str) -> Vec<Value> {
    crate::workdir::jsonl(&dir.join(out).join("results.jsonl"))
}

/// The judge criterion's result in each contact, in output order.
pub fn judged(dir: &Path, out: &str) -> Vec<Value> {
    results(dir, out)
        .into_iter()
        .map(|r| r["criteria"][1].clone())
        .collect()
}

pub fn run_json(dir: &Path, out: &str) -> Value {
    crate::workdir::run_json(&dir.join(out))
}

pub fn quoted_yes() -> Answer {
    verdict("yes", "Подскажите, что пишет терминал при оплате?", 3)
}

pub use crate::workdir::walk;

/// Every string cell of every sheet of the workbooks in `dir`.
pub fn workbook_text(dir: &Path) -> String {
    use calamine::{open_workbook_auto, Reader};
    let mut out = String::new();
    for f in walk(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
    {
        let mut wb = open_workbook_auto(&f).unwrap();
        for name in wb.sheet_names() {
            if let Ok(range) = wb.worksheet_range(&name) {
                for cell in range.used_cells() {
                    out.push_str(&cell.2.to_string());
                    out.push('\n');
                }
            }
        }
    }
    out
}
