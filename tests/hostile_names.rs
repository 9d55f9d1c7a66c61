//! File names made from agent and team names (issue 16, item 9): never an
//! option-like leading `-`, never a bidi control, never an e-mail.

use crate::workdir::mini_card;
use assert_cmd::Command;
use serde_json::json;
use std::path::Path;

fn every_file_name(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn workbooks_named_after_hostile_agents_and_teams_are_safe_file_names() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let people = [
        ("C-1", "A001", "-rf Иванова", "--help"),
        (
            "C-2",
            "A002",
            "Петров\u{202e}xslx.exe",
            "Группа\u{2066}2\u{2069}",
        ),
        ("C-3", "A003", "Сидорова Анна", "ivan.petrovich@example.ru"),
    ];
    for (id, agent, name, team) in people {
        let c = json!({"id": id, "agent_id": agent, "agent_name": name, "team": team, "channel": "voice",
        "started_at": "2026-11-02T10:15:00+03:00",
        "turns": [
            {"speaker": "agent", "text": "Банк «Пример», здравствуйте!", "start": 0.0, "end": 2.0},
            {"speaker": "customer", "text": "Здравствуйте, вопрос по карте.", "start": 2.5, "end": 4.0}
        ]});
        std::fs::write(input.join(format!("{id}.json")), c.to_string()).unwrap();
    }
    let out = dir.path().join("out");
    Command::cargo_bin("cqa")
        .unwrap()
        .args(["check", "-q", "-s"])
        .arg(mini_card())
        .arg("-o")
        .arg(&out)
        .arg(&input)
        .assert()
        .success();
    let names = every_file_name(&out);
    assert!(names.iter().any(|n| n.contains("Иванова")), "{names:?}");
    for n in &names {
        assert!(!n.starts_with('-'), "option-like file name {n:?}");
        assert!(
            !n.chars()
                .any(|c| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
            "bidi control in {n:?}"
        );
        assert!(
            !n.contains("ivan.petrovich"),
            "e-mail in the file name {n:?}"
        );
    }
}
