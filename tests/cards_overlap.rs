//! Overlapping scorecards: `validate` says which card wins a contact two
//! cards could both score, and `check` says how many contacts each card scored.

use crate::workdir::{cqa, repo};
use serde_json::Value;
use std::path::Path;

/// chat-ru copied to `chat-en.json` with its language set to `en` — or left
/// without one, which makes it take every Russian chat.
fn cards_with_copy(dir: &Path, copy_language: Option<&str>) {
    let src = std::fs::read_to_string(repo("scorecards/chat-ru.json")).unwrap();
    let mut copy: Value = serde_json::from_str(&src).unwrap();
    copy["id"] = "chat-en".into();
    match copy_language {
        Some(l) => copy["applies_to"]["languages"] = serde_json::json!([l]),
        None => {
            copy["applies_to"]
                .as_object_mut()
                .unwrap()
                .remove("languages");
        }
    }
    std::fs::create_dir_all(dir.join("cards")).unwrap();
    std::fs::write(dir.join("cards/chat-ru.json"), src).unwrap();
    std::fs::write(dir.join("cards/chat-en.json"), copy.to_string()).unwrap();
}

#[test]
fn validate_warns_when_a_copied_card_without_a_language_takes_the_same_chats() {
    let tmp = tempfile::tempdir().unwrap();
    cards_with_copy(tmp.path(), None);
    let out = cqa(tmp.path())
        .args(["validate", "--lang", "en", "cards"])
        .assert()
        .success()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("cards/chat-en.json and cards/chat-ru.json can match the same contacts (channel chat, messenger; any queue; language ru): `chat-en` wins"),
        "{err}"
    );
}

#[test]
fn validate_is_quiet_about_cards_of_different_languages() {
    let tmp = tempfile::tempdir().unwrap();
    cards_with_copy(tmp.path(), Some("en"));
    let out = cqa(tmp.path())
        .args(["validate", "--lang", "en", "cards"])
        .assert()
        .success()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains("can match the same contacts"), "{err}");
}

#[test]
fn the_bundled_cards_do_not_overlap() {
    let out = cqa(&repo(""))
        .args(["validate", "--lang", "en", "scorecards"])
        .assert()
        .success()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains("warning"), "{err}");
}

#[test]
fn check_says_how_many_contacts_each_card_scored_and_records_it_in_run_json() {
    let tmp = tempfile::tempdir().unwrap();
    cards_with_copy(tmp.path(), None);
    let out = cqa(tmp.path())
        .arg("check")
        .arg(repo("samples/chat"))
        .args(["--scorecard", "cards", "--out", "out", "--no-workbooks"])
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("оценено по карте chat-en: 11"), "{stdout}");
    assert!(stdout.contains("оценено по карте chat-ru: 0"), "{stdout}");
    let run: Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("out/run.json")).unwrap())
            .unwrap();
    assert_eq!(
        run["scored_by_card"],
        serde_json::json!({"chat-en": 11, "chat-ru": 0})
    );
}
