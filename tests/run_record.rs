//! `cqa check` as the run stage writes it (issue 20, helper "run"): run.json
//! typed with its keys in their old order, and load warnings kept beside a
//! contact's own metadata. The real binary, in temporary folders.

use crate::workdir::{cqa, run_json};
use serde_json::json;
use std::path::PathBuf;

#[test]
fn run_json_keeps_its_keys_in_the_order_earlier_runs_wrote_them() {
    let t = tempfile::tempdir().expect("temp folder");
    let out = t.path().join("run");
    cqa(&PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .args(["check", "samples", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let doc = run_json(&out);
    let keys: Vec<&str> = doc
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        // Read from /proc on Linux only.
        .filter(|k| *k != "process_read_bytes")
        .collect();
    assert_eq!(
        keys,
        [
            "cqa_version",
            "started_at",
            "finished_at",
            "inputs",
            "discovered",
            "processed",
            "rejected",
            "other_shards",
            "shard",
            "skipped",
            "masked",
            "lang",
            "scorecards",
            "bytes_read",
            "seconds",
            "detail",
            "mapping",
            "registry",
            "roster",
            "load_warnings_total",
            "load_warnings",
            "scored_by_card",
            "judge",
            "conflicts_total",
            "conflicts",
            "files"
        ]
    );
    assert_eq!(doc["judge"]["configured"], false);
    assert_eq!(doc["scored_by_card"]["bank-voice-ru"], 35);
}

#[test]
fn a_contacts_own_load_warnings_field_is_not_taken_for_a_warning() {
    let t = tempfile::tempdir().expect("temp folder");
    let contacts = t.path().join("contacts");
    std::fs::create_dir_all(&contacts).expect("folder");
    // A CRM export with its own `load_warnings` field, and a date cqa cannot read.
    let call = json!({"id": "C-7001", "agent_id": "A001", "agent_name": "Иванова Мария",
        "channel": "voice", "started_at": "вчера вечером",
        "metadata": {"load_warnings": ["проверено супервизором"]},
        "turns": [
            {"speaker": "agent", "text": "Банк «Пример», Мария, здравствуйте!"},
            {"speaker": "customer", "text": "Здравствуйте, заблокировали карту."}]});
    std::fs::write(contacts.join("C-7001.json"), call.to_string()).expect("written");
    let out = t.path().join("run");
    cqa(t.path())
        .arg("check")
        .arg(&contacts)
        .arg("--scorecard")
        .arg(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/scorecards/mini-voice.json"),
        )
        .args(["--quiet", "--no-workbooks", "--out"])
        .arg(&out)
        .assert()
        .success();
    let doc = run_json(&out);
    assert_eq!(doc["load_warnings_total"], 1, "{}", doc["load_warnings"]);
    let warning = doc["load_warnings"][0]["warning"]
        .as_str()
        .expect("a warning");
    assert!(warning.contains("вчера вечером"), "{warning}");
}
