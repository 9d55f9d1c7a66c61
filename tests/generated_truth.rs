//! `cqa gen` plants errors at known rates; `cqa check` with the bundled
//! scorecards must find exactly what was planted in the voice calls.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::HashMap;

fn jsonl(p: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn check_finds_exactly_the_errors_gen_planted() {
    let tmp = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    Command::cargo_bin("cqa")
        .unwrap()
        .args([
            "gen",
            "--contacts",
            "1500",
            "--agents",
            "24",
            "--seed",
            "7",
            "--out",
        ])
        .arg(tmp.path().join("g"))
        .assert()
        .success();
    Command::cargo_bin("cqa")
        .unwrap()
        .arg("check")
        .arg(tmp.path().join("g/contacts"))
        .arg("--scorecard")
        .arg(format!("{root}/scorecards"))
        .arg("--out")
        .arg(tmp.path().join("out"))
        .arg("--quiet")
        .assert()
        .success();
    let truth = jsonl(&tmp.path().join("g/truth.jsonl"));
    let results: HashMap<String, Value> = jsonl(&tmp.path().join("out/results.jsonl"))
        .into_iter()
        .map(|r| (r["contact_id"].as_str().unwrap().to_string(), r))
        .collect();
    assert_eq!(results.len(), 1500, "every generated contact is scored");
    let criteria = [
        "greet_standard",
        "no_cvv_pin_sms",
        "id_before_disclosure",
        "no_rudeness",
        "hold_max",
        "close_farewell",
    ];
    let kinds = [
        "no_greeting",
        "cvv_request",
        "disclosure_before_id",
        "rudeness",
        "long_hold",
        "no_farewell",
    ];
    let mut planted_total = 0;
    let mut mismatches = Vec::new();
    for t in truth.iter().filter(|t| t["channel"] == "voice") {
        let id = t["contact_id"].as_str().unwrap();
        let r = &results[id];
        let planted: Vec<&str> = t["planted"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        planted_total += planted.len();
        for (kind, crit) in kinds.iter().zip(criteria) {
            let status = r["criteria"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["id"] == crit)
                .unwrap()["status"]
                .as_str()
                .unwrap()
                .to_string();
            let want_fail = planted.contains(kind);
            if want_fail != (status == "fail") {
                mismatches.push(format!(
                    "{id}: {kind} planted={want_fail}, {crit} = {status}"
                ));
            }
        }
    }
    assert!(
        planted_total > 150,
        "rates give hundreds of planted errors, got {planted_total}"
    );
    assert!(
        mismatches.is_empty(),
        "{} mismatch(es):\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
