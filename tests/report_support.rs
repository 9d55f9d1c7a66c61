//! Shared by the `report_*` and `terminal` tests: realistic
//! Russian fixture contacts and scorecard, running the real binary, reading
//! workbooks back with calamine, and expected figures computed straight from
//! results.jsonl (independently of cqa's own aggregation code).
#![allow(dead_code)]

use crate::workdir::repo;
use calamine::{open_workbook_auto, Data, Range, Reader};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const SCORECARD: &str = r#"{
  "id": "bank-test-ru",
  "version": "2026-11",
  "title": "Банк «Пример» — тестовый чек-лист",
  "language": "ru",
  "scoring": {"method": "weighted", "auto_fail": "contact"},
  "targets": {"score": 85, "customer_critical_accuracy": 98, "business_critical_accuracy": 95, "compliance_critical_accuracy": 100},
  "sections": [
    {"id": "greeting", "title": "Приветствие", "criteria": [
      {"id": "greet", "title": "Поприветствовал клиента в первых двух репликах", "weight": 5, "severity": "non_critical",
       "rule": {"type": "phrase", "speaker": "agent", "window": {"first_turns": 2}, "any": ["здравствуйте", "добрый день"]},
       "recommendation": "Начинайте разговор с приветствия и названия банка."}
    ]},
    {"id": "identification", "title": "Идентификация", "criteria": [
      {"id": "id_before_balance", "title": "Проверил личность до сообщения баланса", "weight": 10, "severity": "compliance_critical",
       "rule": {"type": "order",
                "first": {"type": "phrase", "speaker": "agent", "any": ["кодовое слово", "дату рождения"]},
                "then": {"type": "phrase", "speaker": "agent", "any": ["баланс"]}},
       "recommendation": "Сначала проверьте кодовое слово, потом называйте баланс."}
    ]},
    {"id": "security", "title": "Безопасность", "criteria": [
      {"id": "no_sms_code", "title": "Не запрашивал код из СМС", "weight": 10, "severity": "compliance_critical", "auto_fail": true,
       "rule": {"type": "phrase", "speaker": "agent", "must": "absent", "any": ["код из смс", "назовите cvv"]},
       "recommendation": "Никогда не просите коды из СМС и CVV."}
    ]},
    {"id": "complaint", "title": "Работа с жалобой", "criteria": [
      {"id": "complaint_registered", "title": "Зарегистрировал жалобу", "weight": 10, "severity": "customer_critical",
       "rule": {"type": "if", "when": {"type": "metadata", "field": "category", "eq": "complaint"},
                "then": {"type": "phrase", "speaker": "agent", "any": ["зарегистрировал обращение", "зарегистрировала обращение"]}},
       "recommendation": "Регистрируйте каждую жалобу и называйте её номер."}
    ]},
    {"id": "sales", "title": "Продажи", "criteria": [
      {"id": "offer", "title": "Предложил кредитную карту в консультации", "weight": 5, "severity": "business_critical",
       "rule": {"type": "if", "when": {"type": "metadata", "field": "category", "eq": "consult"},
                "then": {"type": "phrase", "speaker": "agent", "any": ["кредитную карту", "кредитная карта"]}},
       "recommendation": "После ответа на вопрос предложите подходящий продукт."}
    ]},
    {"id": "closing", "title": "Завершение", "criteria": [
      {"id": "farewell", "title": "Попрощался", "weight": 3, "severity": "non_critical",
       "rule": {"type": "phrase", "speaker": "agent", "window": {"last_turns": 2}, "any": ["всего доброго", "до свидания"]},
       "recommendation": "Завершайте разговор прощанием."}
    ]}
  ]
}"#;

/// (id, name, team) of the fixture agents; the last has too few contacts to be ranked.
pub const AGENTS: [(&str, &str, &str); 5] = [
    ("A101", "Смирнова Ольга", "Группа 1"),
    ("A102", "Петров Алексей", "Группа 1"),
    ("A201", "Кузнецов Дмитрий", "Группа 2"),
    ("A202", "Волкова Анна", "Группа 2"),
    ("A203", "Морозов Игорь", "Группа 2"),
];

/// One voice contact. `i` decides which errors it has, `shift` varies a period.
pub fn contact(i: usize, shift: usize, agent: (&str, &str, &str)) -> Value {
    let (id, name, team) = agent;
    let first = name.split(' ').nth(1).unwrap_or(name);
    let k = i + shift;
    let category = ["complaint", "consult", "block"][k % 3];
    let mut turns: Vec<(&str, String)> = Vec::new();
    if k.is_multiple_of(5) {
        turns.push(("agent", "Слушаю.".into()));
    } else {
        turns.push(("agent", format!("Банк «Пример», {first}, здравствуйте!")));
    }
    turns.push((
        "customer",
        "Здравствуйте, хочу узнать, что с моей картой.".into(),
    ));
    if k % 4 == 1 {
        turns.push((
            "agent",
            "Ваш баланс составляет двенадцать тысяч рублей. Назовите кодовое слово.".into(),
        ));
    } else {
        turns.push(("agent", "Назовите, пожалуйста, кодовое слово.".into()));
        turns.push(("customer", "Волга.".into()));
        turns.push((
            "agent",
            "Спасибо. Ваш баланс составляет двенадцать тысяч рублей.".into(),
        ));
    }
    if k % 11 == 3 {
        turns.push((
            "agent",
            "Для отмены операции продиктуйте код из СМС.".into(),
        ));
    }
    match category {
        "complaint" if k % 6 != 3 => turns.push((
            "agent",
            "Я зарегистрировала обращение, номер придёт в СМС.".into(),
        )),
        "consult" if k.is_multiple_of(2) => turns.push((
            "agent",
            "Кстати, вам одобрена кредитная карта с льготным периодом.".into(),
        )),
        _ => turns.push(("agent", "Хорошо, я всё проверила.".into())),
    }
    turns.push(("customer", "Спасибо.".into()));
    if k % 7 == 2 {
        turns.push(("agent", "Ну ладно.".into()));
    } else {
        turns.push(("agent", "Спасибо за обращение, всего доброго!".into()));
    }
    let turns: Vec<Value> = turns
        .iter()
        .enumerate()
        .map(|(t, (sp, text))| json!({"speaker": sp, "text": text, "start": t as f64 * 6.0, "end": t as f64 * 6.0 + 5.0}))
        .collect();
    let day = 2 + (k % 14);
    json!({
        "id": format!("C-{:06}", 100_000 * (shift + 1) + i),
        "channel": "voice",
        "agent_id": id,
        "agent_name": name,
        "team": team,
        "started_at": format!("2026-11-{day:02}T{:02}:{:02}:00+03:00", 9 + k % 9, (k * 7) % 60),
        "duration_s": turns.len() as f64 * 6.0,
        "queue": "cards",
        "metadata": {"category": category},
        "turns": turns
    })
}

/// Writes `n` contacts (agents in turn; the last agent gets only 3) as one
/// .jsonl file, plus one single-contact .json and one broken file, into `dir/contacts`.
pub fn write_fixtures(dir: &Path, n: usize, shift: usize) -> PathBuf {
    let contacts = dir.join("contacts");
    std::fs::create_dir_all(&contacts).unwrap();
    let mut lines = String::new();
    let mut small = 0;
    for i in 0..n {
        let mut a = AGENTS[i % AGENTS.len()];
        if a.0 == "A203" {
            small += 1;
            if small > 3 {
                a = AGENTS[0];
            }
        }
        lines.push_str(&contact(i, shift, a).to_string());
        lines.push('\n');
    }
    std::fs::write(contacts.join("week.jsonl"), lines).unwrap();
    std::fs::write(
        contacts.join("single.json"),
        contact(n, shift, AGENTS[1]).to_string(),
    )
    .unwrap();
    std::fs::write(
        contacts.join("broken.json"),
        "{\"id\": \"C-bad\", \"turns\": [",
    )
    .unwrap();
    let card = dir.join("scorecard.json");
    std::fs::write(&card, SCORECARD).unwrap();
    contacts
}

/// The binary, run in the repository.
pub fn cqa() -> assert_cmd::Command {
    crate::workdir::cqa(&repo("."))
}

/// `cqa check` of the bundled samples with the bundled cards into a
/// temporary `run` folder.
pub fn samples_run(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("run");
    cqa()
        .arg("check")
        .arg(repo("samples"))
        .arg("--scorecard")
        .arg(repo("scorecards"))
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .args(extra)
        .assert()
        .success();
    (t, out)
}

/// `cqa check` of the fixtures in `dir` into `out`.
pub fn check(dir: &Path, out: &Path, extra: &[&str]) {
    let mut c = cqa();
    c.arg("check")
        .arg(dir.join("contacts"))
        .arg("--scorecard")
        .arg(dir.join("scorecard.json"))
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .args(extra);
    let out = c.assert().success();
    // rust_xlsxwriter's constant-memory mode reports a dropped write only on stderr.
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        !err.contains("Ignoring") && !err.contains("previously written row"),
        "{err}"
    );
}

pub fn sheet(path: &Path, name: &str) -> Range<Data> {
    let mut wb = open_workbook_auto(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    wb.worksheet_range(name)
        .unwrap_or_else(|e| panic!("{}: sheet {name}: {e}", path.display()))
}

pub fn sheet_names(path: &Path) -> Vec<String> {
    open_workbook_auto(path).unwrap().sheet_names()
}

pub fn formulas(path: &Path, name: &str) -> Range<String> {
    open_workbook_auto(path)
        .unwrap()
        .worksheet_formula(name)
        .unwrap()
}

/// The column whose header (in `header_row`) is `title`.
pub fn col(r: &Range<Data>, header_row: u32, title: &str) -> u32 {
    let (_, w) = r.get_size();
    (0..w as u32)
        .find(|c| matches!(r.get_value((header_row, *c)), Some(Data::String(s)) if s == title))
        .unwrap_or_else(|| panic!("no column {title}"))
}

pub fn text(r: &Range<Data>, row: u32, c: u32) -> String {
    match r.get_value((row, c)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

pub fn num(r: &Range<Data>, row: u32, c: u32) -> Option<f64> {
    match r.get_value((row, c)) {
        Some(Data::Float(f)) => Some(*f),
        Some(Data::Int(i)) => Some(*i as f64),
        _ => None,
    }
}

/// The rows of the table under a header at row 0: those down to the first
/// with nothing in column `key` (notes and chart data come after a gap).
pub fn data_rows(r: &Range<Data>, key: u32) -> Vec<u32> {
    let (h, _) = r.get_size();
    (1..h as u32)
        .take_while(|row| !text(r, *row, key).is_empty())
        .collect()
}

pub fn results(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// What the Agents sheet must say about one agent, from results.jsonl alone.
#[derive(Debug, Default, Clone)]
pub struct Expected {
    pub contacts: u64,
    pub scores: Vec<f64>,
    pub with_error: [u64; 4],
    pub auto_fails: u64,
    pub fails: u64,
}

impl Expected {
    pub fn mean(&self) -> Option<f64> {
        (!self.scores.is_empty())
            .then(|| self.scores.iter().sum::<f64>() / self.scores.len() as f64)
    }
    /// COPC accuracy as a fraction.
    pub fn accuracy(&self, class: usize) -> f64 {
        (self.contacts - self.with_error[class]) as f64 / self.contacts as f64
    }
}

pub const CLASSES: [&str; 4] = [
    "customer_critical",
    "business_critical",
    "compliance_critical",
    "non_critical",
];

/// Per agent id (or per team with `by = "team"`).
pub fn expected(results: &[Value], by: &str) -> BTreeMap<String, Expected> {
    let mut m: BTreeMap<String, Expected> = BTreeMap::new();
    for r in results {
        let key = r[by].as_str().unwrap_or("—").to_string();
        let e = m.entry(key).or_default();
        e.contacts += 1;
        if let Some(s) = r["score"].as_f64() {
            e.scores.push(s);
        }
        for (i, c) in CLASSES.iter().enumerate() {
            if r["errors"][c].as_u64().unwrap_or(0) > 0 {
                e.with_error[i] += 1;
            }
        }
        e.auto_fails += u64::from(r["auto_failed"].as_bool().unwrap_or(false));
        e.fails += r["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["status"] == "fail")
            .count() as u64;
    }
    m
}

pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * (1.0 + a.abs().max(b.abs()))
}

/// Files under `dir`, recursively, relative to it.
pub fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_file() {
            out.push(e.path().strip_prefix(dir).unwrap().display().to_string());
        }
    }
    out.sort();
    out
}

/// The raw XML of one part of an xlsx, when an `unzip` tool is at hand.
pub fn zip_part(xlsx: &Path, part: &str) -> Option<String> {
    let out = std::process::Command::new("unzip")
        .arg("-p")
        .arg(xlsx)
        .arg(part)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
