//! `cqa check` end to end: the real binary in an isolated temporary folder.

use crate::workdir::{cqa, jsonl, mini_card, write_json};
use serde_json::{json, Value};
use std::path::Path;

fn call(id: &str, agent: &str, team: &str, agent_lines: &[&str]) -> Value {
    let mut turns = Vec::new();
    let mut t = 0.0;
    for (i, line) in agent_lines.iter().enumerate() {
        turns.push(json!({"speaker": "agent", "text": line, "start": t, "end": t + 3.0}));
        turns.push(json!({"speaker": "customer", "text": if i == 0 { "Здравствуйте, у меня вопрос по карте." } else { "Понятно, спасибо." }, "start": t + 3.5, "end": t + 6.0}));
        t += 7.0;
    }
    json!({"id": id, "agent_id": agent, "agent_name": format!("Оператор {agent}"), "team": team, "channel": "voice",
           "started_at": "2026-11-02T10:15:00+03:00", "duration_s": t, "turns": turns})
}

fn good(id: &str, agent: &str) -> Value {
    call(
        id,
        agent,
        "Группа 1",
        &[
            "Банк «Пример», Анна, здравствуйте!",
            "Назовите, пожалуйста, кодовое слово.",
            "Баланс составляет 1 500 рублей. Кстати, по карте есть кэшбэк.",
            "Всего доброго!",
        ],
    )
}

/// A folder with good contacts and one of every kind of broken input.
fn mixed_inputs(dir: &Path) {
    write_json(dir, "in/voice/C-001.json", &good("C-001", "A001"));
    write_json(
        dir,
        "in/voice/C-002.json",
        &call(
            "C-002",
            "A002",
            "Группа 2",
            &["Назовите CVV, пожалуйста.", "Ясно."],
        ),
    );
    std::fs::write(
        dir.join("in/voice/C-003.json"),
        "{\"id\": \"C-003\",\n \"agent_id\": \"A001\",\n \"turns\": [",
    )
    .unwrap();
    write_json(
        dir,
        "in/voice/C-004.json",
        &json!({"id": "C-004", "turns": [{"speaker": "agent", "text": "Здравствуйте!"}]}),
    );
    let batch = [
        serde_json::to_string(&good("C-010", "A001")).unwrap(),
        "{not json".to_string(),
        serde_json::to_string(&good("C-011", "A002")).unwrap(),
        serde_json::to_string(&good("C-001", "A002")).unwrap(),
    ]
    .join("\n");
    std::fs::write(dir.join("in/batch.jsonl"), batch).unwrap();
    std::fs::write(dir.join("in/notes.docx"), "PK").unwrap();
    let mut chat = good("C-020", "A001");
    chat["channel"] = json!("email");
    write_json(dir, "in/email/C-020.json", &chat);
}

#[test]
fn every_input_is_processed_or_rejected_with_a_reason() {
    let tmp = tempfile::tempdir().unwrap();
    mixed_inputs(tmp.path());
    cqa(tmp.path())
        .args(["check", "in", "--scorecard"])
        .arg(mini_card())
        // Reasons are in the run's language; these expectations are English.
        .args(["--out", "out", "--quiet", "--lang", "en"])
        .assert()
        .success();
    let results = jsonl(&tmp.path().join("out/results.jsonl"));
    let rejected = jsonl(&tmp.path().join("out/rejected.jsonl"));
    let reasons: Vec<String> = rejected
        .iter()
        .map(|r| {
            format!(
                "{}:{} {}",
                r["source"].as_str().unwrap(),
                r["line"],
                r["reason"].as_str().unwrap()
            )
        })
        .collect();
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("out/run.json")).unwrap())
            .unwrap();
    assert_eq!(
        manifest["processed"].as_u64().unwrap() + manifest["rejected"].as_u64().unwrap(),
        manifest["discovered"].as_u64().unwrap()
    );
    assert_eq!(
        results.len() as u64,
        manifest["processed"].as_u64().unwrap()
    );
    assert_eq!(
        rejected.len() as u64,
        manifest["rejected"].as_u64().unwrap()
    );
    assert_eq!(manifest["discovered"], 9, "{reasons:#?}");
    let has = |needle: &str| reasons.iter().any(|r| r.contains(needle));
    assert!(
        has("C-003.json:null invalid JSON at line 3, column 11: EOF while parsing a list"),
        "{reasons:#?}"
    );
    assert!(
        has("C-004.json:null missing required field `agent_id`"),
        "{reasons:#?}"
    );
    assert!(
        has("batch.jsonl:2 invalid JSON at column 2: key must be a string"),
        "{reasons:#?}"
    );
    assert!(has("in/voice/C-001.json:null duplicate contact id `C-001`: already read from in/batch.jsonl:4"), "{reasons:#?}");
    assert!(
        has("C-020.json:null contact `C-020` (channel `email`, queue `-`): no scorecard applies"),
        "{reasons:#?}"
    );
    assert_eq!(manifest["skipped"][0]["path"], "in/notes.docx");
}

#[test]
fn results_are_in_input_order_with_the_contract_fields() {
    let tmp = tempfile::tempdir().unwrap();
    mixed_inputs(tmp.path());
    cqa(tmp.path())
        .args(["check", "in", "-s"])
        .arg(mini_card())
        .args(["-o", "out", "-q"])
        .assert()
        .success();
    let results = jsonl(&tmp.path().join("out/results.jsonl"));
    let ids: Vec<&str> = results
        .iter()
        .map(|r| r["contact_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["C-010", "C-011", "C-001", "C-002"],
        "batch.jsonl sorts before voice/"
    );
    for key in [
        "contact_id",
        "source",
        "agent_id",
        "agent_name",
        "team",
        "channel",
        "started_at",
        "scorecard_id",
        "scorecard_version",
        "score",
        "partial",
        "auto_failed",
        "errors",
        "criteria",
    ] {
        assert!(results[0].get(key).is_some(), "missing {key}");
    }
    let c001 = &results[2];
    assert_eq!(c001["score"], 100.0);
    assert_eq!(c001["partial"], true, "the manual criterion is pending");
    let c002 = &results[3];
    assert_eq!(c002["score"], 0.0);
    assert_eq!(c002["auto_failed"], true);
    assert_eq!(c002["errors"]["compliance_critical"], 1);
    let cvv = c002["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "no_cvv")
        .unwrap();
    assert_eq!(cvv["status"], "fail");
    assert_eq!(cvv["evidence"][0]["quote"], "Назовите CVV, пожалуйста.");
    assert_eq!(cvv["evidence"][0]["turn"], 0);
}

#[test]
fn thread_count_does_not_change_results() {
    let tmp = tempfile::tempdir().unwrap();
    let mut batch = String::new();
    for i in 0..600 {
        let agent = format!("A{:03}", i % 7);
        let c = if i % 3 == 0 {
            call(
                &format!("C-{i:05}"),
                &agent,
                "Группа 2",
                &[
                    "Алло.",
                    "Баланс составляет 10 рублей.",
                    "Назовите кодовое слово.",
                ],
            )
        } else {
            good(&format!("C-{i:05}"), &agent)
        };
        batch.push_str(&serde_json::to_string(&c).unwrap());
        batch.push('\n');
    }
    std::fs::write(tmp.path().join("week.jsonl"), batch).unwrap();
    for t in ["1", "2"] {
        cqa(tmp.path())
            .args(["check", "week.jsonl", "-s"])
            .arg(mini_card())
            .args(["-o", &format!("t{t}"), "-q", "--threads", t])
            .assert()
            .success();
    }
    let a = std::fs::read(tmp.path().join("t1/results.jsonl")).unwrap();
    let b = std::fs::read(tmp.path().join("t2/results.jsonl")).unwrap();
    assert_eq!(jsonl(&tmp.path().join("t1/results.jsonl")).len(), 600);
    assert!(a == b, "results.jsonl differs between --threads 1 and 2");
}

#[test]
fn out_refuses_a_non_empty_folder_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    write_json(tmp.path(), "in/C-001.json", &good("C-001", "A001"));
    std::fs::create_dir(tmp.path().join("out")).unwrap();
    std::fs::write(tmp.path().join("out/old.txt"), "x").unwrap();
    cqa(tmp.path())
        .args(["check", "in", "-s"])
        .arg(mini_card())
        .args(["-o", "out"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--out out: the folder is not empty",
        ));
    cqa(tmp.path())
        .args(["check", "in", "-s"])
        .arg(mini_card())
        .args(["-o", "out", "--force", "-q"])
        .assert()
        .success();
}

/// Every file under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .collect();
    out.sort();
    out
}

/// `cqa check INPUT -s CARD -o out EXTRA…` in `dir`, which must succeed.
fn check_into_out(dir: &Path, input: &str, extra: &[&str]) {
    cqa(dir)
        .args(["check", input, "-s"])
        .arg(mini_card())
        .args(["-o", "out"])
        .args(extra)
        .assert()
        .success();
}

#[test]
fn force_removes_the_earlier_runs_files_and_keeps_the_users() {
    let tmp = tempfile::tempdir().unwrap();
    write_json(tmp.path(), "week1/C-001.json", &good("C-001", "A001"));
    write_json(tmp.path(), "week1/C-002.json", &good("C-002", "A002"));
    write_json(tmp.path(), "week2/C-003.json", &good("C-003", "A003"));
    check_into_out(tmp.path(), "week1", &["-q"]);
    assert!(tree(&tmp.path().join("out")).contains(&"agents/Оператор A001 (A001).xlsx".to_string()));
    std::fs::write(tmp.path().join("out/заметки.txt"), "план калибровки").unwrap();
    std::fs::write(tmp.path().join("out/agents/мой файл.txt"), "x").unwrap();

    // Week 2 with workbooks: only week 2's agent has a workbook.
    check_into_out(tmp.path(), "week2", &["--force", "-q"]);
    let files = tree(&tmp.path().join("out"));
    let agents: Vec<&String> = files
        .iter()
        .filter(|f| f.ends_with(".xlsx") && f.starts_with("agents/"))
        .collect();
    assert_eq!(agents, ["agents/Оператор A003 (A003).xlsx"], "{files:?}");
    assert!(files.contains(&"заметки.txt".to_string()), "{files:?}");
    assert!(
        files.contains(&"agents/мой файл.txt".to_string()),
        "{files:?}"
    );
    let ids: Vec<Value> = jsonl(&tmp.path().join("out/results.jsonl"))
        .iter()
        .map(|r| r["contact_id"].clone())
        .collect();
    assert_eq!(ids, [json!("C-003")]);

    // Again without workbooks: no summary is left that the results do not match.
    check_into_out(tmp.path(), "week1", &["--force", "-q", "--no-workbooks"]);
    let files = tree(&tmp.path().join("out"));
    assert_eq!(
        files,
        [
            "agents/мой файл.txt",
            "rejected.jsonl",
            "results.jsonl",
            "run.json",
            "заметки.txt"
        ]
    );
}

#[test]
fn an_invalid_scorecard_stops_the_run_with_exit_2_and_every_message() {
    let tmp = tempfile::tempdir().unwrap();
    write_json(tmp.path(), "in/C-001.json", &good("C-001", "A001"));
    let bad = json!({"id": "bad", "sections": [{"id": "s", "title": "С", "criteria": [
        {"id": "a", "title": "А", "weight": 0, "severity": "non_critical", "rule": {"type": "regex", "pattern": "("}}]}]});
    write_json(tmp.path(), "bad.json", &bad);
    cqa(tmp.path())
        .args(["check", "in", "-s", "bad.json", "-o", "out"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "bad.json: sections[0].criteria[0] (a).weight: weight must be greater than 0",
        ))
        .stderr(predicates::str::contains(
            "bad.json: sections[0].criteria[0] (a).rule.pattern: invalid regex",
        ));
    cqa(tmp.path())
        .args(["validate", "bad.json"])
        .assert()
        .code(2);
    cqa(tmp.path())
        .args(["validate", "--lang", "en"])
        .arg(mini_card())
        .assert()
        .success()
        .stdout(predicates::str::contains("ok — `mini-voice`"));
}

#[test]
fn without_out_a_new_dated_folder_is_made_under_reports() {
    let tmp = tempfile::tempdir().unwrap();
    write_json(tmp.path(), "samples/C-001.json", &good("C-001", "A001"));
    std::fs::create_dir(tmp.path().join("scorecards")).unwrap();
    std::fs::copy(mini_card(), tmp.path().join("scorecards/mini-voice.json")).unwrap();
    let out = cqa(tmp.path())
        .arg("check")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("обработано: 1; отклонено: 0"), "{text}");
    assert!(text.contains("Оператор A001"), "{text}");
    let runs: Vec<_> = std::fs::read_dir(tmp.path().join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(runs.len(), 1);
    assert!(
        regex::Regex::new(r"^\d{4}-\d{2}-\d{2}_\d{6}$")
            .unwrap()
            .is_match(&runs[0]),
        "{runs:?}"
    );
}

#[test]
fn explain_shows_each_criterion_with_reason_and_evidence() {
    let tmp = tempfile::tempdir().unwrap();
    write_json(
        tmp.path(),
        "C-002.json",
        &call(
            "C-002",
            "A002",
            "Группа 2",
            &["Назовите CVV, пожалуйста.", "Ясно."],
        ),
    );
    cqa(tmp.path())
        .args(["explain", "C-002.json", "-s"])
        .arg(mini_card())
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "✗ [нарушение] no_cvv — Не запрашивал CVV",
        ))
        .stdout(predicates::str::contains("«Назовите CVV, пожалуйста.»"));
}

#[test]
fn output_that_cannot_be_written_exits_1() {
    let tmp = tempfile::tempdir().unwrap();
    write_json(tmp.path(), "in/C-001.json", &good("C-001", "A001"));
    std::fs::write(
        tmp.path().join("blocker"),
        "a file where a folder should be",
    )
    .unwrap();
    cqa(tmp.path())
        .args(["check", "in", "-s"])
        .arg(mini_card())
        .args(["-o", "blocker/out"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("cannot create --out blocker/out"));
}

#[test]
fn a_missing_previous_period_is_a_usage_error_before_any_contact_is_checked() {
    let tmp = tempfile::tempdir().unwrap();
    write_json(tmp.path(), "in/C-001.json", &good("C-001", "A001"));
    cqa(tmp.path())
        .args(["check", "in", "-s"])
        .arg(mini_card())
        .args(["-o", "out", "--previous", "reports/октябрь/results.jsonl"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--previous"))
        .stderr(predicates::str::contains("нет такого файла результатов"));
    assert!(
        !tmp.path().join("out/results.jsonl").exists(),
        "the check must not run with a wrong --previous"
    );
}
