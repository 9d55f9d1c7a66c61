//! Terminal escapes (issue 16, item 6): control bytes in agent names,
//! contact ids and transcript text reach the terminal in a visible form
//! (`\u{1b}`), never raw — the real binary in a temporary folder.

use crate::workdir::mini_card;
use assert_cmd::Command;
use serde_json::json;
use std::path::{Path, PathBuf};

/// An OSC that retitles the window, a screen clear, a C1 CSI, DEL and a
/// right-to-left override.
const TITLE: &str = "\u{1b}]0;ВЗЛОМ\u{7}";
const CLEAR: &str = "\u{1b}[2J\u{1b}[H";

fn hostile_call(dir: &Path) -> PathBuf {
    let contact = json!({
        "id": format!("C-1{CLEAR}"),
        "agent_id": "A001\u{9b}31m",
        "agent_name": format!("Иванова{TITLE} Мария\u{202e}"),
        "team": "Группа\u{7f} 1",
        "channel": "voice",
        "turns": [
            {"speaker": "agent", "text": format!("Банк «Пример», Анна, здравствуйте!{CLEAR}"), "start": 0.0, "end": 3.0},
            {"speaker": "customer", "text": "Здравствуйте, у меня вопрос по карте.", "start": 3.5, "end": 6.0},
            {"speaker": "agent", "text": "Всего доброго!", "start": 7.0, "end": 9.0}
        ]
    });
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let p = input.join("C-1.json");
    std::fs::write(&p, contact.to_string()).unwrap();
    p
}

/// Fails on any raw control character a terminal would act on.
fn assert_no_raw_controls(what: &str, text: &str) {
    for c in text.chars() {
        let bad = (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        assert!(!bad, "{what} holds raw U+{:04X}:\n{text}", c as u32);
    }
}

#[test]
fn check_summary_prints_control_bytes_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let input = hostile_call(dir.path());
    let out = Command::cargo_bin("cqa")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "--no-workbooks", "-s"])
        .arg(mini_card())
        .arg("-o")
        .arg(dir.path().join("out"))
        .arg(input.parent().unwrap())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    assert_no_raw_controls("stdout", &stdout);
    assert_no_raw_controls("stderr", &stderr);
    assert!(
        stdout.contains("Иванова\\u{1b}]0;ВЗЛОМ\\u{7}"),
        "the name is shown with its escapes visible:\n{stdout}"
    );
}

#[test]
fn explain_prints_ids_names_and_quotes_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let input = hostile_call(dir.path());
    let out = Command::cargo_bin("cqa")
        .unwrap()
        .current_dir(dir.path())
        .arg("explain")
        .arg(&input)
        .arg("-s")
        .arg(mini_card())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    assert_no_raw_controls("stdout", &stdout);
    assert!(stdout.contains("C-1\\u{1b}[2J\\u{1b}[H"), "{stdout}");
    assert!(stdout.contains("A001\\u{9b}31m"), "{stdout}");
    assert!(stdout.contains("Мария\\u{202e}"), "{stdout}");
    assert!(
        stdout.contains("здравствуйте!\\u{1b}[2J"),
        "the quote keeps its escape visible:\n{stdout}"
    );
}

#[test]
fn an_error_naming_a_hostile_contact_id_is_printed_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let input = hostile_call(dir.path());
    let out = Command::cargo_bin("cqa")
        .unwrap()
        .current_dir(dir.path())
        .arg("explain")
        .arg(&input)
        .args(["--id", "C-2\u{1b}]0;x\u{7}", "-s"])
        .arg(mini_card())
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!out.status.success());
    assert_no_raw_controls("stderr", &stderr);
    assert!(stderr.contains("C-2\\u{1b}]0;x\\u{7}"), "{stderr}");
}
