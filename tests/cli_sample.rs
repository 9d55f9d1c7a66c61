//! `cqa sample` and `cqa sample-size` end to end, in a temporary folder.

use crate::evalkit::*;
use predicates::prelude::*;
use std::path::Path;

// ---- sample-size: the published vectors (CALIBRATION_VECTORS.md) ----

fn size(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = cqa(dir.path())
        .arg("sample-size")
        .args(args)
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone())
        .unwrap()
        .trim()
        .to_string()
}

#[test]
fn sample_size_for_400_contacts_at_5_points_and_95_percent_is_197() {
    assert_eq!(
        size(&[
            "--margin",
            "0.05",
            "--confidence",
            "0.95",
            "--population",
            "400",
            "--p",
            "0.5"
        ]),
        "197"
    );
}

#[test]
fn sample_size_without_a_population_is_385() {
    assert_eq!(size(&["--margin", "0.05"]), "385");
}

#[test]
fn sample_size_for_a_10_percent_rate_in_1000_contacts() {
    assert_eq!(
        size(&["--p", "0.1", "--population", "1000", "--margin", "0.05"]),
        "122"
    );
    assert_eq!(
        size(&[
            "--proportion",
            "0.1",
            "--population",
            "1000",
            "--margin",
            "0.10"
        ]),
        "34"
    );
}

#[test]
fn wilson_intervals_match_the_published_vectors() {
    for (k, want) in [
        ("9/10", "[0.5958, 0.9821]"),
        ("1/10", "[0.0179, 0.4042]"),
        ("0/10", "[0.0000, 0.2775]"),
        ("3/30", "[0.0346, 0.2562]"),
        ("45/50", "[0.7864, 0.9565]"),
    ] {
        assert_eq!(size(&["--wilson", k]), want, "{k}");
    }
}

#[test]
fn sample_size_rejects_a_margin_outside_zero_and_one_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    cqa(dir.path())
        .args(["sample-size", "--margin", "5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--margin must be between 0 and 1"));
    cqa(dir.path())
        .args(["sample-size", "--wilson", "31/30"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--wilson 31/30"));
}

// ---- sample ----

/// Two agents' week: Иванова 8 calls (2 complaints), Петров 3 calls.
fn week(dir: &Path) {
    for i in 0..8 {
        let v = if i < 2 {
            abrupt_call(
                &format!("C-1{i:02}"),
                IVANOVA,
                &format!("2026-11-0{}T10:00:00+03:00", 2 + i % 5),
            )
        } else {
            good_call(
                &format!("C-1{i:02}"),
                IVANOVA,
                &format!("2026-11-0{}T11:00:00+03:00", 2 + i % 5),
            )
        };
        write_json(dir, &format!("pool/ivanova/C-1{i:02}.json"), &v);
    }
    for i in 0..3 {
        write_json(
            dir,
            &format!("pool/petrov/C-2{i:02}.json"),
            &good_call(&format!("C-2{i:02}"), PETROV, "2026-11-04T15:00:00+03:00"),
        );
    }
}

fn sample_rows(dir: &Path, out: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(dir.join(out).join("sample.csv")).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    r.records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn ids(rows: &[Vec<String>]) -> Vec<String> {
    rows[1..].iter().map(|r| r[0].clone()).collect()
}

#[test]
fn sample_writes_a_csv_and_an_xlsx_manifest_with_why_each_contact_was_chosen() {
    let dir = tempfile::tempdir().unwrap();
    week(dir.path());
    cqa(dir.path())
        .args(["sample", "pool", "--per", "3", "--seed", "42", "--out", "s"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Отобрано 6 из 11"));
    let rows = sample_rows(dir.path(), "s");
    assert_eq!(
        &rows[0][..5],
        ["contact_id", "agent_id", "agent_name", "channel", "period"]
    );
    assert_eq!(rows.len(), 1 + 3 + 3);
    let reason = col(&rows, "reason");
    let petrov: Vec<&Vec<String>> = rows.iter().filter(|r| r[1] == "A002").collect();
    assert!(petrov
        .iter()
        .all(|r| r[reason] == "все 3 (квота 3)" && r[4] == "2026-W45"));
    let xlsx = sheet(&dir.path().join("s/sample.xlsx"), "Выборка");
    assert_eq!(ids(&xlsx), ids(&rows));
    assert_eq!(xlsx[0], rows[0]);
    let params = sheet(&dir.path().join("s/sample.xlsx"), "Параметры");
    assert!(params.iter().any(|r| r[0] == "seed" && r[1] == "42"));
}

#[test]
fn complaints_are_marked_and_over_weighted_in_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    week(dir.path());
    cqa(dir.path())
        .args(["sample", "pool", "--per", "8", "--out", "s"])
        .assert()
        .success();
    let rows = sample_rows(dir.path(), "s");
    let (flags, reason) = (col(&rows, "flags"), col(&rows, "reason"));
    let c100 = rows.iter().find(|r| r[0] == "C-100").unwrap();
    assert_eq!(c100[flags], "complaint;low_csat");
    assert!(
        c100[reason].contains("жалоба (category = complaint); CSAT 2 ≤ 2"),
        "{}",
        c100[reason]
    );
}

#[test]
fn include_takes_every_complaint_on_top_of_the_quota() {
    let dir = tempfile::tempdir().unwrap();
    week(dir.path());
    cqa(dir.path())
        .args([
            "sample",
            "pool",
            "--per",
            "1",
            "--flagged",
            "include",
            "--out",
            "s",
        ])
        .assert()
        .success();
    let rows = sample_rows(dir.path(), "s");
    let by = col(&rows, "selected_by");
    let ivanova: Vec<&Vec<String>> = rows.iter().filter(|r| r[1] == "A001").collect();
    assert_eq!(ivanova.iter().filter(|r| r[by] == "included").count(), 2);
    assert_eq!(ivanova.iter().filter(|r| r[by] == "random").count(), 1);
}

#[test]
fn the_same_seed_gives_the_same_sample_whatever_the_files_are_called_or_how_many_threads() {
    let dir = tempfile::tempdir().unwrap();
    week(dir.path());
    // The same contacts under other names and folders, two of them in one .jsonl file.
    let other = dir.path().join("renamed");
    let mut files: Vec<_> = walkdir::WalkDir::new(dir.path().join("pool"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let mut batch = String::new();
    for (i, f) in files.iter().enumerate() {
        let text = std::fs::read_to_string(f).unwrap();
        if i < 2 {
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            batch.push_str(&format!("{v}\n"));
        } else {
            let name = format!("{:02}-{}.json", 99 - i, i * 7 % 5);
            std::fs::create_dir_all(other.join("z")).unwrap();
            std::fs::write(
                other.join(if i % 2 == 0 { "z" } else { "" }).join(name),
                text,
            )
            .unwrap();
        }
    }
    std::fs::write(other.join("a-batch.jsonl"), batch).unwrap();
    cqa(dir.path())
        .args([
            "sample",
            "pool",
            "--per",
            "2",
            "--seed",
            "7",
            "--threads",
            "1",
            "--out",
            "one",
        ])
        .assert()
        .success();
    cqa(dir.path())
        .args([
            "sample",
            "pool",
            "--per",
            "2",
            "--seed",
            "7",
            "--threads",
            "4",
            "--out",
            "four",
        ])
        .assert()
        .success();
    cqa(dir.path())
        .args([
            "sample", "renamed", "--per", "2", "--seed", "7", "--out", "moved",
        ])
        .assert()
        .success();
    let one = sample_rows(dir.path(), "one");
    assert_eq!(one, sample_rows(dir.path(), "four"));
    assert_eq!(ids(&one), ids(&sample_rows(dir.path(), "moved")));
    cqa(dir.path())
        .args([
            "sample", "pool", "--per", "2", "--seed", "8", "--out", "other",
        ])
        .assert()
        .success();
    assert_ne!(
        ids(&one),
        ids(&sample_rows(dir.path(), "other")),
        "another seed, another sample"
    );
}

#[test]
fn exclude_leaves_out_contacts_of_a_previous_sample() {
    let dir = tempfile::tempdir().unwrap();
    week(dir.path());
    cqa(dir.path())
        .args(["sample", "pool", "--per", "3", "--out", "first"])
        .assert()
        .success();
    cqa(dir.path())
        .args([
            "sample",
            "pool",
            "--per",
            "3",
            "--out",
            "second",
            "--exclude",
            "first/sample.csv",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("исключено как оценённые 6"));
    let first = ids(&sample_rows(dir.path(), "first"));
    let second = ids(&sample_rows(dir.path(), "second"));
    assert_eq!(
        second.len(),
        3,
        "3 of Иванова's 5 left; Петров has none left"
    );
    assert!(second.iter().all(|id| !first.contains(id)));
}

#[test]
fn exclude_reads_an_evaluations_folder() {
    let dir = tempfile::tempdir().unwrap();
    week(dir.path());
    flat_csv(
        &dir.path().join("done/Иванова.csv"),
        &[("Иванова", "C-200", "resolved", "Да", "")],
    );
    cqa(dir.path())
        .args([
            "sample",
            "pool",
            "--per",
            "5",
            "--out",
            "s",
            "--exclude",
            "done",
        ])
        .assert()
        .success();
    assert!(!ids(&sample_rows(dir.path(), "s")).contains(&"C-200".to_string()));
}

#[test]
fn a_registry_in_excel_is_a_pool_with_dates_from_date_cells() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Реестр").unwrap();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy hh:mm");
    for (j, h) in [
        "contact_id",
        "agent_id",
        "agent_name",
        "channel",
        "started_at",
        "duration_s",
        "category",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, j as u16, *h).unwrap();
    }
    for i in 0..6u32 {
        let r = i + 1;
        ws.write_string(r, 0, format!("R-{i}")).unwrap();
        ws.write_string(r, 1, "A007").unwrap();
        ws.write_string(r, 2, "Смирнова Ольга").unwrap();
        ws.write_string(r, 3, if i < 4 { "voice" } else { "chat" })
            .unwrap();
        let day = [
            "2026-11-02",
            "2026-11-09",
            "2026-11-16",
            "2026-11-23",
            "2026-11-30",
            "2026-12-07",
        ][i as usize];
        let when =
            rust_xlsxwriter::ExcelDateTime::parse_from_str(&format!("{day} 10:00:00")).unwrap();
        ws.write_datetime_with_format(r, 4, &when, &date).unwrap();
        ws.write_number(r, 5, 120.0 + 200.0 * f64::from(i)).unwrap();
        ws.write_string(r, 6, "consultation").unwrap();
    }
    wb.save(dir.path().join("registry.xlsx")).unwrap();
    cqa(dir.path())
        .args([
            "sample",
            "--registry",
            "registry.xlsx",
            "--period",
            "month",
            "--per",
            "2",
            "--per-channel",
            "chat=1",
            "--out",
            "s",
        ])
        .assert()
        .success();
    let rows = sample_rows(dir.path(), "s");
    // Voice: 2 of the 4 November calls; chat: the only one of November and of December.
    assert_eq!(rows.len(), 1 + 2 + 2);
    let period = |id: &str| rows.iter().find(|r| r[0] == id).map(|r| r[4].clone());
    assert_eq!(period("R-4").as_deref(), Some("2026-11"));
    assert_eq!(period("R-5").as_deref(), Some("2026-12"));
    let flags = col(&rows, "flags");
    assert!(
        rows.iter()
            .filter(|r| r[0] == "R-4" || r[0] == "R-5")
            .all(|r| r[flags] == "long"),
        "920 s and 1120 s are over 600 s"
    );
}

#[test]
fn a_registry_without_the_required_columns_is_a_usage_error_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.csv"), "id;agent\nC-1;A001\n").unwrap();
    cqa(dir.path())
        .args(["sample", "--registry", "r.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--registry r.csv: no sheet has the columns contact_id, agent_id, channel, started_at",
        ));
}

#[test]
fn copy_to_puts_each_sampled_transcript_in_a_folder_even_from_a_jsonl_batch() {
    let dir = tempfile::tempdir().unwrap();
    let batch: String = (0..3)
        .map(|i| {
            format!(
                "{}\n",
                good_call(&format!("B-{i}"), IVANOVA, "2026-11-09T10:00:00+03:00")
            )
        })
        .collect();
    std::fs::write(dir.path().join("batch.jsonl"), batch).unwrap();
    cqa(dir.path())
        .args([
            "sample",
            "batch.jsonl",
            "--per",
            "2",
            "--out",
            "s",
            "--copy-to",
            "copies",
        ])
        .assert()
        .success();
    let picked = ids(&sample_rows(dir.path(), "s"));
    for id in &picked {
        let text =
            std::fs::read_to_string(dir.path().join("copies").join(format!("{id}.json"))).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["id"], id.as_str());
    }
    assert_eq!(
        std::fs::read_dir(dir.path().join("copies"))
            .unwrap()
            .count(),
        2
    );
}

#[test]
fn an_existing_sample_is_not_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    week(dir.path());
    cqa(dir.path())
        .args(["sample", "pool", "--out", "s"])
        .assert()
        .success();
    cqa(dir.path())
        .args(["sample", "pool", "--out", "s"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("add --force"));
    cqa(dir.path())
        .args(["sample", "pool", "--out", "s", "--force"])
        .assert()
        .success();
}
