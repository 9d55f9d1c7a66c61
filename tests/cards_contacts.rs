//! Contact tables as controllers export them: the agent column by any of its
//! documented names, and a rejection that lists them when there is none.

use crate::workdir::{cqa, put, repo, run_json};
use serde_json::Value;
use std::path::Path;

fn check(dir: &Path, table: &str) -> (Vec<Value>, Vec<Value>, Value) {
    put(dir, "in/chats.csv", table);
    cqa(dir)
        .args(["check", "in", "--scorecard"])
        .arg(repo("scorecards"))
        .args(["--out", "out", "--quiet", "--no-workbooks"])
        .output()
        .unwrap();
    let lines = |f: &str| -> Vec<Value> {
        std::fs::read_to_string(dir.join("out").join(f))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let run = run_json(&dir.join("out"));
    (lines("results.jsonl"), lines("rejected.jsonl"), run)
}

#[test]
fn an_operator_column_with_names_identifies_the_agent_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let (results, rejected, run) = check(
        tmp.path(),
        "ID обращения;Оператор;Канал;Роль;Реплика\n\
         C-7001;Иванова Мария;Чат;Оператор;Здравствуйте! Меня зовут Мария, чем могу помочь?\n\
         C-7001;Иванова Мария;Чат;Клиент;Добрый день, не пришёл кэшбэк за октябрь.\n",
    );
    assert!(rejected.is_empty(), "{rejected:?}");
    assert_eq!(results[0]["agent_id"], "Иванова Мария");
    let warning = run["load_warnings"][0]["warning"].as_str().unwrap();
    assert!(warning.contains("is used as the id"), "{warning}");
}

#[test]
fn a_table_without_an_agent_column_is_rejected_listing_the_accepted_names() {
    let tmp = tempfile::tempdir().unwrap();
    let (results, rejected, _) = check(
        tmp.path(),
        "ID обращения;Канал;Роль;Реплика\n\
         C-7002;Чат;Оператор;Здравствуйте! Меня зовут Мария, чем могу помочь?\n",
    );
    assert!(results.is_empty());
    let reason = rejected[0]["reason"].as_str().unwrap();
    assert!(
        // The run's language is Russian by default (issue 18, item 13).
        reason.contains("нет обязательного поля `agent_id`"),
        "{reason}"
    );
    assert!(reason.contains("«ID оператора»"), "{reason}");
    assert!(reason.contains("«Оператор»"), "{reason}");
    assert!(reason.contains("docs/contacts.md"), "{reason}");
}
