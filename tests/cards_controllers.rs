//! The controllers' path takes every input the check takes: `explain`,
//! `sample`, `forms` and `calibrate` read other exports through `--mapping`,
//! join the roster, and never hand a controller a contact the check rejects.

use crate::workdir::{cqa, put, repo};
use std::path::{Path, PathBuf};

fn stdout(a: assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

/// Two threads of a social-media care export, read through
/// `mappings/ibm_twitter.json` (its shape, not its data).
fn twitter_export(dir: &Path) {
    let thread = |id: &str, who: &str, ask: &str, answer: &str| {
        format!(
            r#"{{"dialogHeader": {{"sessionID": "{id}", "company": "AskBank", "conversationDateTime": "2026-11-03T10:00:00.000Z", "duration": "00:20:00.", "messageCount": 2}},
               "dialogContent": [{{"client": "{who}", "datetime": "2026-11-03T10:00:00.000Z", "message": "{ask}"}}],
               "agentURL": {{"url_utterance": "{answer}", "doc_id": "1", "url": "https://example.org/help"}}}}"#
        )
    };
    let threads = [
        thread(
            "TW-1",
            "sam",
            "@AskBank my card payment was declined twice today and nobody can tell me why",
            "@sam Hi Sam, sorry for the trouble! Please send us a DM so we can verify your account. Hope this helps ^JD",
        ),
        thread(
            "TW-2",
            "kate",
            "@AskBank how do I change the limit on my card in the app?",
            "@kate Hello Kate, open Cards, then Limits, and set the new amount. Let us know if anything else comes up ^MR",
        ),
    ];
    put(
        dir,
        "export/threads.json",
        format!("[{}]", threads.join(",")),
    );
}

fn mapping() -> PathBuf {
    repo("mappings/ibm_twitter.json")
}

fn cards() -> PathBuf {
    repo("scorecards")
}

#[test]
fn explain_reads_a_mapped_export_and_picks_the_english_chat_card() {
    let tmp = tempfile::tempdir().unwrap();
    twitter_export(tmp.path());
    let out = stdout(
        cqa(tmp.path())
            .args([
                "explain",
                "export/threads.json",
                "--id",
                "TW-2",
                "--mapping",
            ])
            .arg(mapping())
            .arg("--scorecard")
            .arg(cards())
            .assert()
            .success(),
    );
    assert!(out.contains("chat-en"), "{out}");
    assert!(
        out.contains("AskBank/MR"),
        "the agent from the mapping: {out}"
    );
}

#[test]
fn sample_draws_from_a_mapped_export() {
    let tmp = tempfile::tempdir().unwrap();
    twitter_export(tmp.path());
    cqa(tmp.path())
        .args(["sample", "export", "--per", "5", "--out", "s", "--mapping"])
        .arg(mapping())
        .arg("--scorecard")
        .arg(cards())
        .assert()
        .success();
    let csv = std::fs::read_to_string(tmp.path().join("s/sample.csv")).unwrap();
    assert!(csv.contains("TW-1") && csv.contains("TW-2"), "{csv}");
}

#[test]
fn sample_never_draws_a_contact_the_check_rejects_and_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    let out = stdout(
        cqa(&repo(""))
            .args(["sample", "samples", "--per", "50", "--out"])
            .arg(tmp.path().join("s"))
            .assert()
            .success(),
    );
    let csv = std::fs::read_to_string(tmp.path().join("s/sample.csv")).unwrap();
    assert!(!csv.contains("C-000602"), "no agent_id: never scored");
    assert!(
        // The run's language is Russian by default (issue 18, item 13).
        out.contains("нет обязательного поля `agent_id` у контакта `C-000602`"),
        "{out}"
    );
}

#[test]
fn sample_leaves_out_contacts_no_scorecard_applies_to() {
    let tmp = tempfile::tempdir().unwrap();
    let out = stdout(
        cqa(&repo(""))
            .args([
                "sample",
                "samples/email",
                "samples/chat",
                "--per",
                "50",
                "--out",
            ])
            .arg(tmp.path().join("s"))
            .arg("--scorecard")
            .arg(repo("scorecards/chat-ru.json"))
            .assert()
            .success(),
    );
    let csv = std::fs::read_to_string(tmp.path().join("s/sample.csv")).unwrap();
    assert!(
        !csv.contains("C-0003"),
        "the e-mails have no card here: {csv}"
    );
    assert!(csv.contains("C-000201"), "{csv}");
    // In the run's language (Russian by default), the file named.
    assert!(
        out.contains("samples/email/C-000301.json: контакт `C-000301`")
            && out.contains("к нему не подходит ни один чек-лист"),
        "{out}"
    );
}

#[test]
fn forms_list_as_left_out_only_contacts_of_the_sample() {
    let tmp = tempfile::tempdir().unwrap();
    put(
        tmp.path(),
        "s/sample.csv",
        "contact_id\nC-000101\nC-000201\nC-999999\n",
    );
    let out = stdout(
        cqa(tmp.path())
            .args(["forms", "--sample", "s/sample.csv", "--contacts"])
            .arg(repo("samples"))
            .args(["--evaluators", "Иванова", "--out", "forms", "--scorecard"])
            .arg(cards())
            .assert()
            .success(),
    );
    assert!(out.contains("Не вошли в формы: 1"), "{out}");
    assert!(out.contains("C-999999"), "{out}");
    assert!(
        !out.contains("truncated.json") && !out.contains("unknown-speaker.json"),
        "files never in the sample: {out}"
    );
}

#[test]
fn forms_and_calibrate_read_a_mapped_export() {
    let tmp = tempfile::tempdir().unwrap();
    twitter_export(tmp.path());
    let out = stdout(
        cqa(tmp.path())
            .args([
                "forms",
                "--contacts",
                "export",
                "--evaluators",
                "Иванова",
                "--out",
                "forms",
                "--mapping",
            ])
            .arg(mapping())
            .arg("--scorecard")
            .arg(cards())
            .assert()
            .success(),
    );
    assert!(out.contains("Иванова: 2"), "{out}");
    put(
        tmp.path(),
        "session/answers.csv",
        "evaluator;contact_id;criterion_id;answer\n\
         Иванова;TW-1;en_chat_greeting;Да\nПетров;TW-1;en_chat_greeting;Да\n\
         Иванова;TW-2;en_chat_greeting;Да\nПетров;TW-2;en_chat_greeting;Нет\n",
    );
    let out = stdout(
        cqa(tmp.path())
            .args([
                "calibrate",
                "--evaluations",
                "session",
                "--contacts",
                "export",
                "--mapping",
            ])
            .arg(mapping())
            .arg("--scorecard")
            .arg(cards())
            .assert()
            .success(),
    );
    assert!(
        !out.contains("Контакты без автоматической проверки"),
        "both threads were checked: {out}"
    );
}
