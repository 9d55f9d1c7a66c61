//! The bundled samples carry planted errors listed in samples/README.md (the
//! ground truth a controller checked by hand). `cqa check` must fail exactly
//! those criteria in every sample contact, and nothing else.

use assert_cmd::Command;
use std::collections::{BTreeSet, HashMap};

#[test]
fn every_sample_fails_exactly_the_criteria_its_readme_row_lists() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/samples/README.md")).unwrap();
    let tick = regex::Regex::new(r"`([a-z_]+)`").unwrap();
    let mut truth: HashMap<String, BTreeSet<String>> = HashMap::new();
    for line in readme.lines().filter(|l| l.starts_with("| C-")) {
        let cols: Vec<&str> = line.split('|').map(str::trim).collect();
        let errors = tick
            .captures_iter(cols[5])
            .map(|c| c[1].to_string())
            .filter(|id| id != "auto_fail")
            .collect();
        truth.insert(cols[1].to_string(), errors);
    }
    assert!(truth.len() >= 40, "README lists {} contacts", truth.len());
    let tmp = tempfile::tempdir().unwrap();
    Command::cargo_bin("cqa")
        .unwrap()
        .current_dir(root)
        .args(["check", "--quiet", "--out"])
        .arg(tmp.path())
        .assert()
        .success();
    let results = std::fs::read_to_string(tmp.path().join("results.jsonl")).unwrap();
    let mut wrong = Vec::new();
    let mut seen = 0;
    for line in results.lines() {
        let r: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = r["contact_id"].as_str().unwrap();
        let Some(want) = truth.get(id) else { continue };
        seen += 1;
        let got: BTreeSet<String> = r["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["status"] == "fail")
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect();
        if &got != want {
            wrong.push(format!("{id}: README {want:?}, cqa {got:?}"));
        }
    }
    assert_eq!(seen, truth.len(), "every README contact is scored");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
