//! The right scorecard for the contact's language: a contact is scored only
//! with a card for its language (given by the contact or the mapping, or
//! detected from the text), and rejected with a reason otherwise.

use crate::workdir::{cqa, jsonl, put, repo, shared_data};
use serde_json::Value;

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
        .arg(repo("scorecards/chat-ru.json"))
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
        .arg(repo("scorecards"))
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
        .arg(repo("scorecards"))
        .args(["--out", "out", "--quiet", "--no-workbooks"])
        .assert()
        .success();
    let results = jsonl(&tmp.path().join("out/results.jsonl"));
    assert_eq!(results[0]["scorecard_id"], "chat-ru");
}

#[test]
fn the_bundled_russian_samples_keep_their_russian_cards() {
    let tmp = tempfile::tempdir().unwrap();
    cqa(&repo(""))
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
    let Some(dev) = shared_data("ibm_twitter_customer_care/dev.json") else {
        eprintln!("skipped: ../shared/data absent");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    cqa(&repo(""))
        .args(["check"])
        .arg(&dev)
        .arg("--mapping")
        .arg(repo("mappings/ibm_twitter.json"))
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
    let Some(dir) = shared_data("harper_valley_sample/transcript") else {
        eprintln!("skipped: ../shared/data absent");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    cqa(&repo(""))
        .args(["check"])
        .arg(&dir)
        .arg("--mapping")
        .arg(repo("mappings/harper_valley.json"))
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

fn criterion<'a>(result: &'a Value, id: &str) -> &'a Value {
    result["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no criterion {id}"))
}

#[test]
fn an_english_chat_card_number_with_non_breaking_spaces_fails_the_card_criterion() {
    let tmp = tempfile::tempdir().unwrap();
    let leaked = ENGLISH_CHAT.replace(
        "Could you send us a direct message",
        "I see the card 4276\u{a0}3800\u{a0}1234\u{a0}5679 on file. Could you send us a direct message",
    );
    put(tmp.path(), "in/C-EN-1.json", &leaked);
    cqa(tmp.path())
        .args(["check", "in", "--scorecard"])
        .arg(repo("scorecards"))
        .args(["--out", "out", "--quiet", "--no-workbooks"])
        .assert()
        .success();
    let results = jsonl(&tmp.path().join("out/results.jsonl"));
    assert_eq!(results[0]["scorecard_id"], "chat-en");
    let card = criterion(&results[0], "en_chat_no_full_card_number");
    assert_eq!(card["status"], "fail");
    assert_eq!(results[0]["auto_failed"], true);
}

#[test]
fn an_english_chat_with_an_archived_link_passes_the_card_criterion() {
    let tmp = tempfile::tempdir().unwrap();
    let linked = ENGLISH_CHAT.replace(
        "Hope this helps",
        "Here's how: https://web.archive.org/web/20200401224734/https://support.example.com/order/4111111111111111 Hope this helps",
    );
    put(tmp.path(), "in/C-EN-1.json", &linked);
    cqa(tmp.path())
        .args(["check", "in", "--scorecard"])
        .arg(repo("scorecards"))
        .args(["--out", "out", "--quiet", "--no-workbooks"])
        .assert()
        .success();
    let results = jsonl(&tmp.path().join("out/results.jsonl"));
    let card = criterion(&results[0], "en_chat_no_full_card_number");
    assert_eq!(card["status"], "pass", "{card}");
    let written = std::fs::read_to_string(tmp.path().join("out/results.jsonl")).unwrap();
    assert!(
        !written.contains("4111111111111111"),
        "masking still hides it"
    );
}

#[test]
fn no_ibm_twitter_thread_fails_the_card_criterion_for_a_link() {
    let Some(dev) = shared_data("ibm_twitter_customer_care/dev.json") else {
        eprintln!("skipped: ../shared/data absent");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    cqa(&repo(""))
        .args(["check"])
        .arg(&dev)
        .arg("--mapping")
        .arg(repo("mappings/ibm_twitter.json"))
        .arg("--out")
        .arg(tmp.path().join("out"))
        .args(["--quiet", "--no-workbooks"])
        .assert()
        .success();
    let results = jsonl(&tmp.path().join("out/results.jsonl"));
    assert_eq!(results.len(), 525);
    let failed: Vec<&Value> = results
        .iter()
        .filter(|r| criterion(r, "en_chat_no_full_card_number")["status"] == "fail")
        .map(|r| &r["contact_id"])
        .collect();
    assert!(failed.is_empty(), "{failed:?}");
}
