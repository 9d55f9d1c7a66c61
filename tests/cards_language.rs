//! The right scorecard for the contact's language: a contact is scored only
//! with a card for its language (given by the contact or the mapping, or
//! detected from the text), and rejected with a reason otherwise.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cqa(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("cqa").unwrap();
    c.current_dir(dir);
    c
}

fn put(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn jsonl(p: &Path) -> Vec<Value> {
    std::fs::read_to_string(p)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The public datasets: `../shared/data`, or `$CQA_SHARED_DATA` when the
/// checkout is elsewhere; `None` (the test skips) when neither exists.
fn data(rel: &str) -> Option<PathBuf> {
    let base = std::env::var_os("CQA_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/data"));
    let p = base.join(rel);
    p.exists().then_some(p)
}

const ENGLISH_CHAT: &str = r#"{"id": "C-EN-1", "agent_id": "A105", "channel": "chat", "turns": [
  {"speaker": "customer", "text": "Hi, my card payment was declined twice today and I have no idea why.", "start": 0},
  {"speaker": "agent", "text": "Hi Sam, thanks for reaching out! I'm sorry for the trouble. Could you send us a direct message so we can verify your account?", "start": 40},
  {"speaker": "customer", "text": "Sure, sending it now.", "start": 90},
  {"speaker": "agent", "text": "Thanks! Hope this helps, let us know if anything else comes up.", "start": 130}
]}"#;

#[test]
fn an_english_chat_is_never_scored_with_a_russian_card_and_the_reason_names_both() {
    let tmp = tempfile::tempdir().unwrap();
    put(tmp.path(), "in/C-EN-1.json", ENGLISH_CHAT);
    cqa(tmp.path())
        .args(["check", "in", "--scorecard"])
        .arg(root().join("scorecards/chat-ru.json"))
        .args(["--out", "out", "--quiet", "--no-workbooks"])
        .output()
        .unwrap();
    assert!(jsonl(&tmp.path().join("out/results.jsonl")).is_empty());
    let rejected = jsonl(&tmp.path().join("out/rejected.jsonl"));
    assert_eq!(rejected.len(), 1);
    let reason = rejected[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("language `en`, detected from the text"),
        "{reason}"
    );
    assert!(reason.contains("chat-ru: ru"), "{reason}");
}

#[test]
fn an_english_chat_without_a_language_field_goes_to_the_english_chat_card() {
    let tmp = tempfile::tempdir().unwrap();
    put(tmp.path(), "in/C-EN-1.json", ENGLISH_CHAT);
    cqa(tmp.path())
        .args(["check", "in", "--scorecard"])
        .arg(root().join("scorecards"))
        .args(["--out", "out", "--quiet", "--no-workbooks"])
        .assert()
        .success();
    let results = jsonl(&tmp.path().join("out/results.jsonl"));
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["scorecard_id"], "chat-en");
}

#[test]
fn the_contacts_own_language_decides_even_against_its_text() {
    let tmp = tempfile::tempdir().unwrap();
    let russian_labelled = ENGLISH_CHAT.replace(
        r#""channel": "chat""#,
        r#""channel": "chat", "language": "ru-RU""#,
    );
    put(tmp.path(), "in/C-EN-1.json", &russian_labelled);
    cqa(tmp.path())
        .args(["check", "in", "--scorecard"])
        .arg(root().join("scorecards"))
        .args(["--out", "out", "--quiet", "--no-workbooks"])
        .assert()
        .success();
    let results = jsonl(&tmp.path().join("out/results.jsonl"));
    assert_eq!(results[0]["scorecard_id"], "chat-ru");
}

#[test]
fn the_bundled_russian_samples_keep_their_russian_cards() {
    let tmp = tempfile::tempdir().unwrap();
    cqa(&root())
        .args(["check", "samples", "--out"])
        .arg(tmp.path().join("out"))
        .args(["--quiet", "--no-workbooks"])
        .assert()
        .success();
    let results = jsonl(&tmp.path().join("out/results.jsonl"));
    assert_eq!(results.len(), 54);
    for r in &results {
        let want = match r["channel"].as_str().unwrap() {
            "voice" => "bank-voice-ru",
            "chat" | "messenger" => "chat-ru",
            _ => "email-en",
        };
        assert_eq!(r["scorecard_id"], want, "{}", r["contact_id"]);
    }
}

#[test]
fn ibm_twitter_threads_are_scored_with_the_english_chat_card_out_of_the_box() {
    let Some(dev) = data("ibm_twitter_customer_care/dev.json") else {
        eprintln!("skipped: ../shared/data absent");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    cqa(&root())
        .args(["check"])
        .arg(&dev)
        .arg("--mapping")
        .arg(root().join("mappings/ibm_twitter.json"))
        .arg("--out")
        .arg(tmp.path().join("out"))
        .args(["--quiet", "--no-workbooks"])
        .assert()
        .success();
    let results = jsonl(&tmp.path().join("out/results.jsonl"));
    assert_eq!(results.len(), 525);
    assert!(results.iter().all(|r| r["scorecard_id"] == "chat-en"));
    // Not every thread fails the greeting, as every one did against «здравствуйте».
    let greeted = results
        .iter()
        .filter(|r| {
            r["criteria"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["id"] == "en_chat_greeting" && c["status"] == "pass")
        })
        .count();
    assert!(greeted > 150, "{greeted} of 525 greeted");
}

#[test]
fn harper_valley_calls_are_scored_with_the_english_voice_card_out_of_the_box() {
    let Some(dir) = data("harper_valley_sample/transcript") else {
        eprintln!("skipped: ../shared/data absent");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    cqa(&root())
        .args(["check"])
        .arg(&dir)
        .arg("--mapping")
        .arg(root().join("mappings/harper_valley.json"))
        .arg("--out")
        .arg(tmp.path().join("out"))
        .args(["--quiet", "--no-workbooks"])
        .assert()
        .success();
    let results = jsonl(&tmp.path().join("out/results.jsonl"));
    assert_eq!(results.len(), 3);
    for r in &results {
        assert_eq!(r["scorecard_id"], "bank-voice-en");
        let greet = r["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "en_greet")
            .unwrap();
        assert_eq!(greet["status"], "pass", "{}", r["contact_id"]);
    }
}
