//! `--shard K/N`: N runs together score every contact exactly once, with the
//! same result as one run, each reading only its own files and byte ranges
//! of large `.jsonl` files; `cqa report` merges them into a single run's
//! workbooks.

use crate::workdir::{cqa, repo, run_json};
use calamine::Data;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// 700 generated contacts in one `.jsonl` of ~3 MB (1 MiB ranges),
/// beside the bundled voice and chat samples as one-contact files.
fn inputs(tmp: &Path) -> PathBuf {
    cqa(&repo("."))
        .args(["gen", "--contacts", "700", "--agents", "9", "--out"])
        .arg(tmp.join("g"))
        .assert()
        .success();
    let input = tmp.join("g/contacts");
    for folder in ["voice", "chat"] {
        let to = input.join(folder);
        std::fs::create_dir_all(&to).unwrap();
        let from = repo("samples").join(folder);
        for f in std::fs::read_dir(from).unwrap() {
            let f = f.unwrap().path();
            std::fs::copy(&f, to.join(f.file_name().unwrap())).unwrap();
        }
    }
    input
}

fn check(input: &Path, out: &Path, extra: &[&str]) {
    cqa(&repo("."))
        .arg("check")
        .arg(input)
        .args(["--quiet", "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

/// Results by contact id, without where in its file each was read (a shard
/// reading a byte range counts lines from the range's start).
fn results(dir: &Path) -> BTreeMap<String, Value> {
    std::fs::read_to_string(dir.join("results.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            let o = v.as_object_mut().unwrap();
            o.remove("line");
            o.remove("range_start");
            (o["contact_id"].as_str().unwrap().to_string(), v)
        })
        .collect()
}

/// A single run and three shards of the same inputs, made once for all the
/// tests here (in cargo's temporary folder for this test target).
fn single_and_shards() -> (PathBuf, Vec<PathBuf>) {
    static RUNS: std::sync::OnceLock<(PathBuf, Vec<PathBuf>)> = std::sync::OnceLock::new();
    RUNS.get_or_init(|| {
        let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("shards");
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp).unwrap();
        runs(&tmp)
    })
    .clone()
}

fn runs(tmp: &Path) -> (PathBuf, Vec<PathBuf>) {
    let input = inputs(tmp);
    let single = tmp.join("all");
    check(&input, &single, &[]);
    let shards = (1..=3)
        .map(|k| {
            let out = tmp.join(format!("s{k}"));
            check(
                &input,
                &out,
                &["--shard", &format!("{k}/3"), "--no-workbooks"],
            );
            out
        })
        .collect();
    (single, shards)
}

#[test]
fn shards_partition_the_contacts_and_agree_with_a_single_run() {
    let (single, shards) = single_and_shards();
    let single = results(&single);
    let mut merged = BTreeMap::new();
    for (k, out) in shards.iter().enumerate() {
        let part = results(out);
        assert!(
            !part.is_empty() && part.len() < single.len(),
            "shard {} has {}",
            k + 1,
            part.len()
        );
        for (id, r) in part {
            assert!(
                merged.insert(id.clone(), r).is_none(),
                "{id} scored by two shards"
            );
        }
    }
    assert_eq!(merged, single);
}

#[test]
fn the_shards_read_the_input_once_between_them() {
    let (single, shards) = single_and_shards();
    let bytes = |d: &Path| run_json(d)["bytes_read"].as_u64().unwrap();
    let total: u64 = shards.iter().map(|s| bytes(s)).sum();
    assert_eq!(total, bytes(&single));
    for s in &shards {
        assert!(bytes(s) < bytes(&single) * 2 / 3, "{}", bytes(s));
    }
}

#[test]
fn a_large_jsonl_file_is_split_into_ranges_each_read_by_one_shard() {
    let (single, shards) = single_and_shards();
    let mut starts: Vec<u64> = Vec::new();
    let mut lines = 0;
    for s in &shards {
        for r in run_json(s)["line_ranges"].as_array().into_iter().flatten() {
            assert!(r["source"]
                .as_str()
                .unwrap()
                .ends_with("contacts-0001.jsonl"));
            starts.push(r["start"].as_u64().unwrap());
            lines += r["lines"].as_u64().unwrap();
        }
    }
    starts.sort_unstable();
    let mib = 1 << 20;
    let size = std::fs::metadata(
        single
            .parent()
            .unwrap()
            .join("g/contacts/contacts-0001.jsonl"),
    )
    .unwrap()
    .len();
    assert!(size > 2 * mib, "{size}");
    let ranges = size.div_ceil(mib);
    assert_eq!(starts, (0..ranges).map(|i| i * mib).collect::<Vec<u64>>());
    // Every line of the file is in exactly one range.
    assert_eq!(lines, 700);
    assert!(run_json(&single).get("line_ranges").is_none());
}

/// Every cell of every sheet of every workbook under `dir`, but the summary's
/// Overview (it names the results files read and when).
fn workbooks(dir: &Path) -> BTreeMap<String, Vec<Vec<Data>>> {
    let mut all = crate::workdir::workbooks(dir);
    all.remove("summary.xlsx: Обзор");
    all
}

#[test]
fn merged_shards_give_the_single_runs_workbooks_with_its_line_numbers() {
    let (single, shards) = single_and_shards();
    let tmp = tempfile::tempdir().unwrap();
    let merged = tmp.path().join("merged");
    cqa(&repo("."))
        .args(["report", "--quiet", "--out"])
        .arg(&merged)
        .args(shards.iter().map(|s| s.join("results.jsonl")))
        .assert()
        .success();
    let (a, b) = (workbooks(&single), workbooks(&merged));
    assert!(a.keys().any(|k| k.starts_with("agents")));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, sheet) in &a {
        assert_eq!(sheet, &b[k], "{k}");
    }
}

#[test]
fn a_bad_shard_is_a_usage_error() {
    cqa(&repo("."))
        .args(["check", "--shard", "4/3"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "shard must be K/N with 1 <= K <= N",
        ));
}
