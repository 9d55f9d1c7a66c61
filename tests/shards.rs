//! `--shard K/N`: N runs together score every contact exactly once, with the
//! same result as one run.

use assert_cmd::Command;
use std::collections::BTreeMap;

fn results(dir: &std::path::Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(dir.join("results.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (v["contact_id"].as_str().unwrap().to_string(), l.to_string())
        })
        .collect()
}

#[test]
fn shards_partition_the_contacts_and_agree_with_a_single_run() {
    let tmp = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let cqa = || {
        let mut c = Command::cargo_bin("cqa").unwrap();
        c.current_dir(root);
        c
    };
    cqa()
        .args(["gen", "--contacts", "400", "--agents", "9", "--out"])
        .arg(tmp.path().join("g"))
        .assert()
        .success();
    cqa()
        .arg("check")
        .arg(tmp.path().join("g/contacts"))
        .args(["--quiet", "--out"])
        .arg(tmp.path().join("all"))
        .assert()
        .success();
    let single = results(&tmp.path().join("all"));
    let mut merged = BTreeMap::new();
    for k in 1..=3 {
        let out = tmp.path().join(format!("s{k}"));
        cqa()
            .arg("check")
            .arg(tmp.path().join("g/contacts"))
            .args(["--quiet", "--shard", &format!("{k}/3"), "--out"])
            .arg(&out)
            .assert()
            .success();
        let part = results(&out);
        assert!(
            !part.is_empty() && part.len() < 400,
            "shard {k} has {}",
            part.len()
        );
        for (id, line) in part {
            assert!(
                merged.insert(id.clone(), line).is_none(),
                "{id} scored by two shards"
            );
        }
    }
    assert_eq!(merged, single);
}

#[test]
fn a_bad_shard_is_a_usage_error() {
    Command::cargo_bin("cqa")
        .unwrap()
        .args(["check", "--shard", "4/3"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "shard must be K/N with 1 <= K <= N",
        ));
}
