//! Every input accounted for, nothing meaningless scored (issue 17 items 3,
//! 4 and 11): links, FIFOs and devices in input folders; documentation
//! beside contacts; contacts without an agent turn, bad dates and times.
//! The real binary in temporary folders.

use crate::workdir::{mini_card, repo, run_json, shared_data, write_file};
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn call(id: &str) -> Value {
    json!({"id": id, "agent_id": "A001", "agent_name": "Иванова Мария", "team": "Группа 1",
           "channel": "voice", "started_at": "2026-11-02T10:15:00+03:00", "turns": [
        {"speaker": "agent", "text": "Банк «Пример», Мария, здравствуйте!", "start": 0.0, "end": 3.0},
        {"speaker": "customer", "text": "Здравствуйте, у меня заблокировали карту.", "start": 3.5, "end": 6.0},
        {"speaker": "agent", "text": "Назовите, пожалуйста, кодовое слово. Всего доброго!", "start": 7.0, "end": 10.0}
    ]})
}

/// `cqa check DIR` into `out`, killed if it has not ended within 30 s (a
/// FIFO opened for reading would block it for ever).
fn check(t: &Path, input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cqa"))
        .current_dir(t)
        .args(["check", input, "-o", "out", "--no-workbooks", "-s"])
        .arg(mini_card())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("started");
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().expect("waited").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("cqa check {input} did not end: blocked on an input?");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn rejected(t: &Path) -> String {
    std::fs::read_to_string(t.join("out/rejected.jsonl")).expect("rejected.jsonl")
}

fn skipped(run: &Value) -> Vec<(String, String)> {
    run["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| {
            let path = s["path"].as_str().unwrap_or_default();
            let name = Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned());
            (
                name.unwrap_or_default(),
                s["reason"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn a_symlink_a_fifo_and_a_link_to_dev_zero_in_a_folder_are_each_read_or_listed() {
    use std::os::unix::fs::symlink;
    let t = tempfile::tempdir().expect("temp");
    write_file(
        &t.path().join("elsewhere/C-000001.json"),
        call("C-000001").to_string(),
    );
    let dir = t.path().join("in");
    std::fs::create_dir(&dir).expect("folder");
    symlink(
        t.path().join("elsewhere/C-000001.json"),
        dir.join("C-000001.json"),
    )
    .expect("link");
    symlink("/dev/zero", dir.join("zero.jsonl")).expect("link");
    let fifo =
        std::ffi::CString::new(dir.join("pipe.json").to_string_lossy().as_bytes()).expect("path");
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    let out = check(t.path(), "in");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = run_json(&t.path().join("out"));
    assert_eq!(run["processed"], 1, "the linked contact is read");
    let s = skipped(&run);
    for name in ["pipe.json", "zero.jsonl"] {
        assert!(
            s.iter()
                .any(|(n, r)| n == name && r.contains("not a regular file")),
            "{name}: {s:?}"
        );
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("pipe.json") && stdout.contains("zero.jsonl"),
        "{stdout}"
    );
}

#[test]
fn documentation_in_an_input_folder_is_listed_in_run_json_but_not_warned_about() {
    let t = tempfile::tempdir().expect("temp");
    write_file(
        &t.path().join("in/C-000001.json"),
        call("C-000001").to_string(),
    );
    write_file(&t.path().join("in/README.md"), "# Образцы контактов\n");
    write_file(&t.path().join("in/export.xml"), "<x/>");
    let out = check(t.path(), "in");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("README"), "{stdout}");
    assert!(
        stdout.contains("export.xml"),
        "an unexpected file is still shown: {stdout}"
    );
    let s = skipped(&run_json(&t.path().join("out")));
    assert!(s.iter().any(|(n, _)| n == "README.md"), "{s:?}");
}

#[test]
fn a_contact_without_turns_is_rejected_not_scored_100() {
    let t = tempfile::tempdir().expect("temp");
    write_file(
        &t.path().join("in/C-000001.json"),
        call("C-000001").to_string(),
    );
    let mut empty = call("C-000002");
    empty["turns"] = json!([]);
    write_file(&t.path().join("in/C-000002.json"), empty.to_string());
    let out = check(t.path(), "in");
    assert_eq!(out.status.code(), Some(0));
    let run = run_json(&t.path().join("out"));
    assert_eq!(
        (run["processed"].clone(), run["rejected"].clone()),
        (json!(1), json!(1))
    );
    assert!(
        rejected(t.path()).contains("no agent turn"),
        "{}",
        rejected(t.path())
    );
}

#[test]
fn an_amazon_export_with_an_empty_transcript_is_rejected() {
    let t = tempfile::tempdir().expect("temp");
    let export = json!({
        "Version": "VOICE_1.0", "Channel": "VOICE", "LanguageCode": "ru-RU",
        "Participants": [{"ParticipantId": "A", "ParticipantRole": "AGENT"}],
        "CustomerMetadata": {"ContactId": "c0ffee00-0000-4000-8000-000000000001"},
        "Transcript": []
    });
    write_file(
        &t.path().join("in/contact_analysis.json"),
        export.to_string(),
    );
    let out = check(t.path(), "in");
    assert_eq!(out.status.code(), Some(3), "nothing scored");
    assert!(
        rejected(t.path()).contains("no agent turn"),
        "{}",
        rejected(t.path())
    );
}

#[test]
fn a_started_at_that_is_not_a_date_is_warned_and_is_no_report_period() {
    let t = tempfile::tempdir().expect("temp");
    let mut c = call("C-000001");
    c["started_at"] = json!("not a date");
    write_file(&t.path().join("in/C-000001.json"), c.to_string());
    check(t.path(), "in");
    let run = run_json(&t.path().join("out"));
    assert_eq!(run["load_warnings_total"], 1);
    assert!(run["load_warnings"][0]["warning"]
        .as_str()
        .unwrap_or("")
        .contains("not a date"));
    let result = std::fs::read_to_string(t.path().join("out/results.jsonl")).expect("results");
    assert!(!result.contains("not a date"), "{result}");
}

#[test]
fn out_of_order_times_are_warned_and_give_no_negative_first_response_that_passes() {
    let t = tempfile::tempdir().expect("temp");
    // The customer's message stamped after the agent's answer: read as is,
    // the first response would be 2 - 300 = -298 s, "within 60 s".
    let chat = json!({"id": "C-000201", "agent_id": "A001", "channel": "chat", "turns": [
        {"speaker": "customer", "text": "Здравствуйте, не проходит оплата картой.", "start": 300.0},
        {"speaker": "agent", "text": "Здравствуйте! Меня зовут Мария, сейчас проверю.", "start": 2.0}
    ]});
    write_file(&t.path().join("in/C-000201.json"), chat.to_string());
    let out = Command::new(env!("CARGO_BIN_EXE_cqa"))
        .current_dir(t.path())
        .args(["check", "in", "-o", "out", "--no-workbooks", "-q", "-s"])
        .arg(repo("scorecards/chat-ru.json"))
        .output()
        .expect("ran");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = run_json(&t.path().join("out"));
    let w = run["load_warnings"][0]["warning"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(w.contains("out of order"), "{w}");
    let line = std::fs::read_to_string(t.path().join("out/results.jsonl")).expect("results");
    let result: Value = serde_json::from_str(line.trim()).expect("json");
    let first = result["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .find(|c| c["id"] == "chat_first_response")
        .expect("criterion")
        .clone();
    assert_ne!(first["status"], "pass", "{first}");
}

#[test]
fn a_txt_timestamp_that_is_not_a_time_rejects_the_transcript_naming_the_line() {
    let t = tempfile::tempdir().expect("temp");
    write_file(
        &t.path().join("in/C-000003.txt"),
        "id: C-000003\nagent_id: A001\n\n[00:00] Оператор: Банк «Пример», здравствуйте!\n[-1:00] Клиент: Номер карты не скажу.\n",
    );
    let out = check(t.path(), "in");
    assert_eq!(out.status.code(), Some(3));
    let r = rejected(t.path());
    assert!(r.contains("строка 5: `[-1:00]` — не время"), "{r}");
    assert!(
        !r.contains("без перевода"),
        "a Russian run reads Russian: {r}"
    );
}

#[test]
fn a_registry_date_that_is_not_a_date_is_warned_and_is_no_report_period() {
    let t = tempfile::tempdir().expect("temp");
    let mut c = call("C-000001");
    c.as_object_mut().expect("object").remove("started_at");
    write_file(&t.path().join("in/C-000001.json"), c.to_string());
    write_file(
        &t.path().join("registry.csv"),
        "contact_id;agent_id;started_at\nC-000001;A001;вчера вечером\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_cqa"))
        .current_dir(t.path())
        .args([
            "check",
            "in",
            "-o",
            "out",
            "--no-workbooks",
            "-q",
            "--registry",
            "registry.csv",
            "-s",
        ])
        .arg(mini_card())
        .output()
        .expect("ran");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = run_json(&t.path().join("out"));
    let w = run["load_warnings"][0]["warning"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(w.contains("not a date"), "{run}");
    let result = std::fs::read_to_string(t.path().join("out/results.jsonl")).expect("results");
    assert!(!result.contains("вчера вечером"), "{result}");
}

#[test]
fn public_data_sets_readme_and_license_files_are_documentation_not_rejected_transcripts() {
    for set in [
        "abcd",
        "ibm_twitter_customer_care",
        "stc3_customer_helpdesk",
        "harper_valley_sample",
    ] {
        let Some(dir) = shared_data(set) else {
            continue;
        };
        let t = tempfile::tempdir().expect("temp");
        let out = check(t.path(), &dir.to_string_lossy());
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!stdout.contains("README"), "{set}: {stdout}");
        let run = run_json(&t.path().join("out"));
        let docs: Vec<&str> = run["skipped"]
            .as_array()
            .expect("skipped")
            .iter()
            .filter(|s| s["documentation"] == true)
            .filter_map(|s| s["path"].as_str())
            .collect();
        assert!(
            docs.iter().any(|p| p.ends_with("README.txt")),
            "{set}: {docs:?}"
        );
        let rejected = rejected(t.path());
        assert!(
            !rejected.contains("README") && !rejected.contains("LICENSE"),
            "{set}: {rejected}"
        );
    }
}

#[test]
fn harper_valley_calls_keep_their_times_despite_channel_jitter() {
    let Some(dir) = shared_data("harper_valley_sample/transcript") else {
        return;
    };
    let t = tempfile::tempdir().expect("temp");
    let out = Command::new(env!("CARGO_BIN_EXE_cqa"))
        .current_dir(t.path())
        .arg("check")
        .arg(&dir)
        .args(["-o", "out", "--no-workbooks", "-q", "--mapping"])
        .arg(repo("mappings/harper_valley.json"))
        .arg("-s")
        .arg(repo("scorecards"))
        .output()
        .expect("ran");
    let run = run_json(&t.path().join("out"));
    assert!(
        run["processed"].as_u64().unwrap_or(0) > 0,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(run["load_warnings_total"], 0, "{}", run["load_warnings"]);
}
