//! `cqa gen` plants errors at known rates; `cqa check` of its output folder
//! with the bundled scorecards must score every generated contact, reject
//! none, and find exactly what was planted — no criterion of any card fails
//! where nothing was planted.

use crate::workdir::jsonl;
use assert_cmd::Command;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

fn gen(out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("cqa")
        .unwrap()
        .args(["gen", "--contacts", "1500", "--agents", "24", "--seed", "7"])
        .args(extra)
        .arg("--out")
        .arg(out)
        .assert()
}

/// The criterion of the bundled cards that must catch each planted error.
fn criterion(planted: &str) -> &'static str {
    match planted {
        "no_greeting" => "greet_standard",
        "cvv_request" => "no_cvv_pin_sms",
        "disclosure_before_id" => "id_before_disclosure",
        "rudeness" => "no_rudeness",
        "long_hold" => "hold_max",
        "no_farewell" => "close_farewell",
        other => panic!("unknown planted error {other}"),
    }
}

#[test]
fn check_of_the_gen_folder_finds_exactly_the_errors_gen_planted_in_every_criterion() {
    let tmp = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    gen(&tmp.path().join("g"), &[]).success();
    // The whole output folder, as a user would give it: the answer key is not read as contacts.
    Command::cargo_bin("cqa")
        .unwrap()
        .arg("check")
        .arg(tmp.path().join("g"))
        .arg("--scorecard")
        .arg(format!("{root}/scorecards"))
        .arg("--out")
        .arg(tmp.path().join("out"))
        .args(["--quiet", "--no-workbooks"])
        .assert()
        .success();
    let run: Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("out/run.json")).unwrap())
            .unwrap();
    assert_eq!(
        (&run["discovered"], &run["processed"], &run["rejected"]),
        (&1500.into(), &1500.into(), &0.into())
    );
    let truth = jsonl(&tmp.path().join("g/.truth.jsonl"));
    let results: HashMap<String, Value> = jsonl(&tmp.path().join("out/results.jsonl"))
        .into_iter()
        .map(|r| (r["contact_id"].as_str().unwrap().to_string(), r))
        .collect();
    assert_eq!(results.len(), 1500, "every generated contact is scored");
    let mut planted_total = 0;
    let mut mismatches: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in &truth {
        let id = t["contact_id"].as_str().unwrap();
        let r = &results[id];
        let planted: Vec<&str> = t["planted"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| criterion(p.as_str().unwrap()))
            .collect();
        planted_total += planted.len();
        for c in r["criteria"].as_array().unwrap() {
            let crit = c["id"].as_str().unwrap();
            let failed = c["status"] == "fail";
            if failed != planted.contains(&crit) {
                mismatches
                    .entry(format!("{} {crit}", r["scorecard_id"]))
                    .or_default()
                    .push(format!("{id}: {} — {}", c["status"], c["reason"]));
            }
        }
    }
    assert!(
        planted_total > 150,
        "rates give hundreds of planted errors, got {planted_total}"
    );
    assert!(
        mismatches.is_empty(),
        "criteria disagreeing with the truth:\n{}",
        mismatches
            .iter()
            .map(|(k, v)| format!("{k}: {} contact(s), e.g. {}", v.len(), v[0]))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn gen_refuses_a_non_empty_folder_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "моё").unwrap();
    let err = gen(tmp.path(), &[]).failure().code(2).get_output().clone();
    let err = String::from_utf8(err.stderr).unwrap();
    assert!(err.contains("the folder is not empty"), "{err}");
    assert!(!tmp.path().join("contacts").exists());
}

#[test]
fn gen_with_force_leaves_no_stale_contacts_file_and_keeps_other_files() {
    let tmp = tempfile::tempdir().unwrap();
    Command::cargo_bin("cqa")
        .unwrap()
        .args(["gen", "--contacts", "300", "--per-file", "100", "--out"])
        .arg(tmp.path())
        .assert()
        .success();
    assert!(tmp.path().join("contacts/contacts-0003.jsonl").exists());
    std::fs::write(tmp.path().join("notes.txt"), "моё").unwrap();
    Command::cargo_bin("cqa")
        .unwrap()
        .args(["gen", "--contacts", "300", "--force", "--out"])
        .arg(tmp.path())
        .assert()
        .success();
    let mut files: Vec<String> = std::fs::read_dir(tmp.path().join("contacts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["contacts-0001.jsonl"]);
    assert!(tmp.path().join("notes.txt").exists());
    assert_eq!(jsonl(&tmp.path().join(".truth.jsonl")).len(), 300);
}
