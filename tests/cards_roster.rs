//! `--roster-wins`: a team move fixed in the roster reaches the results,
//! where plain `--roster` only reports the disagreement.

use crate::workdir::{cqa, put, repo, run_json};
use serde_json::Value;
use std::path::Path;

fn run(dir: &Path, extra: &[&str]) -> (Value, Value, String) {
    let card = repo("scorecards/bank-voice-ru.json");
    let out = cqa(dir)
        .args(["check", "in", "--roster", "roster.csv", "--scorecard"])
        .arg(card)
        .args(["--out", "out", "--force", "--no-workbooks"])
        .args(extra)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let result: Value = serde_json::from_str(
        std::fs::read_to_string(dir.join("out/results.jsonl"))
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let run = run_json(&dir.join("out"));
    (result, run, String::from_utf8(out).unwrap())
}

fn moved_agent(dir: &Path) {
    put(
        dir,
        "in/C-000777.json",
        r#"{"id": "C-000777", "channel": "voice", "language": "ru", "agent_id": "A017",
            "agent_name": "Петрова Анна", "team": "Группа 1", "turns": [
            {"speaker": "agent", "text": "Банк «Пример», Анна, здравствуйте! Разговор записывается.", "start": 0, "end": 3},
            {"speaker": "customer", "text": "Здравствуйте, хочу узнать остаток по карте.", "start": 3.5, "end": 6}
        ]}"#,
    );
    put(
        dir,
        "roster.csv",
        "ID оператора;ФИО;Группа;Руководитель\nA017;Сидорова Анна;Группа 3;Орлова Ирина\n",
    );
}

#[test]
fn with_roster_wins_the_rosters_team_and_name_replace_the_contacts_own() {
    let tmp = tempfile::tempdir().unwrap();
    moved_agent(tmp.path());
    let (r, run, stdout) = run(tmp.path(), &["--roster-wins"]);
    assert_eq!(r["team"], "Группа 3");
    assert_eq!(r["agent_name"], "Сидорова Анна");
    assert_eq!(run["roster"]["wins"], true);
    let teams: Vec<&Value> = run["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["field"] == "team")
        .collect();
    assert_eq!(teams.len(), 1, "the replaced team is still listed");
    assert_eq!(
        (&teams[0]["kept"], &teams[0]["other"]),
        (&Value::from("Группа 3"), &Value::from("Группа 1"))
    );
    assert!(stdout.contains("взяты из списка операторов"), "{stdout}");
}

#[test]
fn without_roster_wins_the_contact_keeps_its_team_and_the_roster_is_a_conflict() {
    let tmp = tempfile::tempdir().unwrap();
    moved_agent(tmp.path());
    let (r, run, _) = run(tmp.path(), &[]);
    assert_eq!(r["team"], "Группа 1");
    assert_eq!(r["agent_name"], "Петрова Анна");
    assert_eq!(run["conflicts_total"], 2);
}

#[test]
fn roster_wins_without_a_roster_is_a_usage_error() {
    cqa(&repo("."))
        .args(["check", "samples", "--roster-wins"])
        .assert()
        .failure()
        .code(2);
}
