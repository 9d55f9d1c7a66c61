//! Runs that cannot mislead (issue 17 items 1–2): exit codes, interrupted
//! runs, `--force`, and `cqa report` on incomplete or repeated results.
//! The real binary, in temporary folders, killed for real.

use crate::workdir::{cqa, generated, mini_card, repo, run_json, stderr_of, write_file};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn call(id: &str, agent: &str) -> Value {
    json!({"id": id, "agent_id": agent, "agent_name": format!("Оператор {agent}"), "team": "Группа 1",
           "channel": "voice", "started_at": "2026-11-02T10:15:00+03:00", "turns": [
        {"speaker": "agent", "text": "Банк «Пример», Анна, здравствуйте!", "start": 0.0, "end": 3.0},
        {"speaker": "customer", "text": "Здравствуйте, у меня вопрос по карте.", "start": 3.5, "end": 6.0},
        {"speaker": "agent", "text": "Назовите, пожалуйста, кодовое слово. Всего доброго!", "start": 7.0, "end": 10.0}
    ]})
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| {
            r.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn a_missing_input_path_is_a_usage_error_before_any_work() {
    let t = tempfile::tempdir().expect("temp");
    let out = cqa(t.path())
        .args(["check", "nosuch/", "-o", "out", "-s"])
        .arg(mini_card())
        .output()
        .expect("ran");
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("nosuch"), "{}", stderr_of(&out));
    assert!(
        !t.path().join("out").exists(),
        "no folder is made for a typo"
    );
}

#[test]
fn a_batch_where_every_contact_is_rejected_exits_3_with_the_reason_and_no_workbooks() {
    let t = tempfile::tempdir().expect("temp");
    let mut c = call("C-000001", "A001");
    c["turns"] = json!([]);
    write_file(&t.path().join("in/C-000001.json"), c.to_string());
    let out = cqa(t.path())
        .args(["check", "in", "-o", "out", "-s"])
        .arg(mini_card())
        .output()
        .expect("ran");
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains("ничего не оценено"), "{err}");
    assert_eq!(
        names(&t.path().join("out")),
        ["rejected.jsonl", "results.jsonl", "run.json"]
    );
    let rejected = std::fs::read_to_string(t.path().join("out/rejected.jsonl")).expect("read");
    assert!(rejected.contains("no agent turn"), "{rejected}");
}

#[test]
fn a_folder_without_contacts_exits_3() {
    let t = tempfile::tempdir().expect("temp");
    std::fs::create_dir(t.path().join("empty")).expect("folder");
    cqa(t.path())
        .args(["check", "empty", "-o", "out", "--lang", "en", "-s"])
        .arg(mini_card())
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "nothing scored: no contact found in empty",
        ));
}

#[test]
fn every_command_lists_the_exit_codes_in_its_help() {
    let t = tempfile::tempdir().expect("temp");
    for cmd in [
        "check",
        "report",
        "sample",
        "forms",
        "calibrate",
        "validate",
    ] {
        cqa(t.path())
            .args([cmd, "--help"])
            .assert()
            .success()
            .stdout(predicates::str::contains("Коды выхода").and(predicates::str::contains("143")));
    }
}

use predicates::prelude::PredicateBooleanExt;

#[test]
fn sample_from_an_empty_pool_exits_3() {
    let t = tempfile::tempdir().expect("temp");
    std::fs::create_dir(t.path().join("empty")).expect("folder");
    cqa(t.path())
        .args(["sample", "empty", "--out", "s"])
        .assert()
        .code(3);
    assert!(!t.path().join("s/sample.csv").exists());
}

#[test]
fn forms_with_no_contact_to_evaluate_exit_3() {
    let t = tempfile::tempdir().expect("temp");
    std::fs::create_dir(t.path().join("empty")).expect("folder");
    cqa(t.path())
        .args([
            "forms",
            "--contacts",
            "empty",
            "--evaluators",
            "Иванова",
            "-s",
        ])
        .arg(mini_card())
        .assert()
        .code(3);
}

#[test]
fn calibrate_without_evaluations_exits_3_and_a_missing_folder_exits_2() {
    let t = tempfile::tempdir().expect("temp");
    std::fs::create_dir(t.path().join("evals")).expect("folder");
    cqa(t.path())
        .args(["calibrate", "--evaluations", "evals"])
        .assert()
        .code(3);
    cqa(t.path())
        .args(["calibrate", "--evaluations", "nosuch"])
        .assert()
        .code(2);
}

#[test]
fn force_removes_only_the_files_cqa_wrote() {
    let t = tempfile::tempdir().expect("temp");
    write_file(
        &t.path().join("in/C-000001.json"),
        call("C-000001", "A001").to_string(),
    );
    let check = |force: bool| {
        let mut c = cqa(t.path());
        c.args(["check", "in", "-o", "out", "-q", "-s"])
            .arg(mini_card());
        if force {
            c.arg("--force");
        }
        c.assert().success();
    };
    check(false);
    std::fs::write(t.path().join("out/agents/mine.xlsx"), b"my own workbook").expect("mine");
    std::fs::write(t.path().join("out/notes.txt"), b"notes").expect("notes");
    // An earlier agent's workbook, listed in run.json as the run's: goes.
    let listed = run_json(&t.path().join("out"))["files"].clone();
    assert!(
        listed
            .as_array()
            .expect("files")
            .iter()
            .any(|f| f == "agents/Оператор A001 (A001).xlsx"),
        "{listed}"
    );
    check(true);
    assert!(t.path().join("out/agents/mine.xlsx").exists());
    assert!(t.path().join("out/notes.txt").exists());
    assert!(t
        .path()
        .join("out/agents/Оператор A001 (A001).xlsx")
        .exists());
}

/// Results of a scored folder, and the folder.
fn scored(t: &Path, name: &str, ids: &[&str]) -> PathBuf {
    for id in ids {
        write_file(
            &t.join(format!("in-{name}/{id}.json")),
            call(id, "A001").to_string(),
        );
    }
    cqa(t)
        .args([
            "check",
            &format!("in-{name}"),
            "-o",
            name,
            "-q",
            "--no-workbooks",
            "-s",
        ])
        .arg(mini_card())
        .assert()
        .success();
    t.join(name)
}

#[test]
fn report_refuses_results_without_their_run_json_unless_allowed() {
    let t = tempfile::tempdir().expect("temp");
    let run = scored(t.path(), "run", &["C-000001", "C-000002"]);
    std::fs::remove_file(run.join("run.json")).expect("removed");
    let out = cqa(t.path()).args(["report", "run"]).output().expect("ran");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("--allow-incomplete"),
        "{}",
        stderr_of(&out)
    );
    assert!(!run.join("summary.xlsx").exists());
    cqa(t.path())
        .args(["report", "run", "--allow-incomplete", "-q"])
        .assert()
        .success();
    assert!(run.join("summary.xlsx").exists());
}

#[test]
fn the_same_contact_in_two_report_inputs_is_an_error_naming_both_files() {
    let t = tempfile::tempdir().expect("temp");
    scored(t.path(), "a", &["C-000001", "C-000002"]);
    let b = scored(t.path(), "b", &["C-000002"]);
    // The same id, scored from another file: a different result.
    let text = std::fs::read_to_string(b.join("results.jsonl")).expect("read");
    std::fs::write(b.join("results.jsonl"), text.replace("in-b/", "in-b/copy-")).expect("written");
    let out = cqa(t.path())
        .args(["report", "a", "b", "-o", "merged"])
        .output()
        .expect("ran");
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("C-000002")
            && err.contains("a/results.jsonl")
            && err.contains("b/results.jsonl"),
        "{err}"
    );
}

#[test]
fn identical_results_given_twice_count_once_with_a_note() {
    let t = tempfile::tempdir().expect("temp");
    scored(t.path(), "a", &["C-000001", "C-000002"]);
    std::fs::create_dir(t.path().join("copy")).expect("folder");
    for f in ["results.jsonl", "rejected.jsonl", "run.json"] {
        std::fs::copy(t.path().join("a").join(f), t.path().join("copy").join(f)).expect("copied");
    }
    let out = cqa(t.path())
        .args(["report", "a", "copy", "-o", "merged"])
        .output()
        .expect("ran");
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("учтён один раз"),
        "{}",
        stderr_of(&out)
    );
}

// --- Signals -------------------------------------------------------------

/// A generated corpus big enough that a one-thread check runs for seconds.
fn corpus(t: &Path) -> PathBuf {
    generated(t, 4000)
}

/// Starts a check into `out` and waits until it is writing results in its spool.
fn check_started(t: &Path, inputs: &Path, force: bool) -> std::process::Child {
    check_until(t, inputs, force, |t| {
        let spool = names(&t.join("out"))
            .into_iter()
            .find(|n| n.starts_with(".cqa-run-"));
        spool.is_some_and(|s| {
            std::fs::metadata(t.join("out").join(s).join("results.jsonl"))
                .is_ok_and(|m| m.len() > 0)
        })
    })
}

/// Starts a check into `out` and waits until `ready` says so.
fn check_until(
    t: &Path,
    inputs: &Path,
    force: bool,
    ready: impl Fn(&Path) -> bool,
) -> std::process::Child {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_cqa"));
    c.current_dir(t)
        .arg("check")
        .arg(inputs)
        .args(["-o", "out", "-q", "--threads", "1", "-s"])
        .arg(repo("scorecards"));
    if force {
        c.arg("--force");
    }
    let mut child = c.spawn().expect("started");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if ready(t) {
            return child;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the check ended before it could be interrupted: {status}");
        }
        assert!(Instant::now() < deadline, "the check never started writing");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn send(child: &std::process::Child, sig: i32) {
    // SAFETY: kill(2) with our own child's pid.
    assert_eq!(unsafe { libc::kill(child.id() as i32, sig) }, 0);
}

fn wait_at_most(child: &mut std::process::Child, secs: u64) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(s) = child.try_wait().expect("waited") {
            return s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the check did not stop within {secs} s of the signal");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn interrupted_run_leaves_nothing(sig: i32, code: i32) {
    let t = tempfile::tempdir().expect("temp");
    let inputs = corpus(t.path());
    let mut child = check_started(t.path(), &inputs, false);
    send(&child, sig);
    let status = wait_at_most(&mut child, 20);
    assert_eq!(status.code(), Some(code), "{status}");
    assert_eq!(
        names(&t.path().join("out")),
        Vec::<String>::new(),
        "the folder is as the run found it"
    );
}

#[test]
fn ctrl_c_mid_check_exits_130_and_leaves_no_results_that_look_whole() {
    interrupted_run_leaves_nothing(libc::SIGINT, 130);
}

#[test]
fn sigterm_mid_check_exits_143_and_leaves_no_results_that_look_whole() {
    interrupted_run_leaves_nothing(libc::SIGTERM, 143);
}

#[test]
fn a_killed_check_leaves_only_a_hidden_spool_which_the_next_force_run_removes() {
    let t = tempfile::tempdir().expect("temp");
    let inputs = corpus(t.path());
    let mut child = check_started(t.path(), &inputs, false);
    send(&child, libc::SIGKILL);
    let _ = wait_at_most(&mut child, 20);
    let left = names(&t.path().join("out"));
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].starts_with(".cqa-run-"), "{left:?}");
    // Without --force the folder is in use; with it, the spool goes.
    cqa(t.path())
        .args([
            "check",
            "gen/contacts",
            "-o",
            "out",
            "-q",
            "--no-workbooks",
            "-s",
        ])
        .arg(mini_card())
        .assert()
        .code(2);
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_cqa"));
    let status = c
        .current_dir(t.path())
        .args([
            "check",
            "gen/contacts",
            "-o",
            "out",
            "-q",
            "--no-workbooks",
            "--force",
            "-s",
        ])
        .arg(repo("scorecards"))
        .status()
        .expect("ran");
    assert!(status.success(), "{status}");
    assert_eq!(
        names(&t.path().join("out")),
        ["rejected.jsonl", "results.jsonl", "run.json"]
    );
    assert_eq!(run_json(&t.path().join("out"))["discovered"], 4000);
}

#[test]
fn ctrl_c_while_the_workbooks_are_written_leaves_nothing_either() {
    let t = tempfile::tempdir().expect("temp");
    let inputs = corpus(t.path());
    // rejected.jsonl goes into place just before the workbooks are written.
    let mut child = check_until(t.path(), &inputs, false, |t| {
        t.join("out/rejected.jsonl").exists()
    });
    send(&child, libc::SIGINT);
    let status = wait_at_most(&mut child, 20);
    assert_eq!(status.code(), Some(130), "{status}");
    assert_eq!(names(&t.path().join("out")), Vec::<String>::new());
}
