//! What a new user and an attacker met on the run machinery (issue 17
//! items 1–5, 11, as merged): shards with nothing to do, … The real binary, in
//! temporary folders.

use crate::workdir::{cqa, generated, mini_card, repo, run_json, stderr_of, write_file};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn call(id: &str, agent: &str) -> Value {
    json!({"id": id, "agent_id": agent, "agent_name": format!("Оператор {agent}"), "team": "Группа 1",
           "channel": "voice", "language": "ru", "started_at": "2026-11-02T10:15:00+03:00", "turns": [
        {"speaker": "agent", "text": "Банк «Пример», Анна, здравствуйте!", "start": 0.0, "end": 3.0},
        {"speaker": "customer", "text": "Здравствуйте, у меня вопрос по карте.", "start": 3.5, "end": 6.0},
        {"speaker": "agent", "text": "Назовите, пожалуйста, кодовое слово. Всего доброго!", "start": 7.0, "end": 10.0}
    ]})
}

/// Runs `cqa check in --shard k/n` for every k into `s<k>`, returning each exit code.
fn every_shard(t: &Path, n: usize) -> Vec<(usize, Option<i32>, String)> {
    (1..=n)
        .map(|k| {
            let out = cqa(t)
                .args(["check", "in", "--no-workbooks", "--shard"])
                .arg(format!("{k}/{n}"))
                .arg("-o")
                .arg(format!("s{k}"))
                .arg("-s")
                .arg(mini_card())
                .output()
                .expect("ran");
            (k, out.status.code(), stderr_of(&out))
        })
        .collect()
}

#[test]
fn a_shard_whose_share_holds_no_contact_exits_0_with_a_note() {
    // One file, four shards: three of them have nothing to do, which is
    // normal in an array job and must not fail it (Slurm afterok, K8s Job).
    let t = tempfile::tempdir().expect("temp");
    write_file(
        &t.path().join("in/C-000001.json"),
        call("C-000001", "A001").to_string(),
    );
    let runs = every_shard(t.path(), 4);
    for (k, code, err) in &runs {
        assert_eq!(*code, Some(0), "shard {k}/4: {err}");
    }
    let scored: u64 = (1..=4)
        .map(|k| {
            run_json(&t.path().join(format!("s{k}")))["processed"]
                .as_u64()
                .unwrap_or(0)
        })
        .sum();
    assert_eq!(scored, 1, "the one contact is scored by exactly one shard");
    let idle = runs
        .iter()
        .find(|(k, _, _)| run_json(&t.path().join(format!("s{k}")))["processed"] == 0);
    let (_, _, err) = idle.expect("an idle shard");
    assert!(err.contains("cqa: note:") && err.contains("часть"), "{err}");
    let report = cqa(t.path())
        .args([
            "report",
            "s1/results.jsonl",
            "s2/results.jsonl",
            "s3/results.jsonl",
            "s4/results.jsonl",
            "-o",
            "week",
            "-q",
        ])
        .output()
        .expect("ran");
    assert_eq!(report.status.code(), Some(0), "{}", stderr_of(&report));
}

#[test]
fn shards_that_together_score_nothing_leave_exit_3_to_the_report() {
    // Every contact rejected: each shard still exits 0 (it cannot know the
    // batch), and the report over all of them says there is nothing (3).
    let t = tempfile::tempdir().expect("temp");
    let mut c = call("C-000001", "A001");
    c["turns"] = json!([]);
    write_file(&t.path().join("in/C-000001.json"), c.to_string());
    for (k, code, err) in every_shard(t.path(), 2) {
        assert_eq!(code, Some(0), "shard {k}/2: {err}");
    }
    let report = cqa(t.path())
        .args([
            "report",
            "s1/results.jsonl",
            "s2/results.jsonl",
            "-o",
            "week",
            "-q",
        ])
        .output()
        .expect("ran");
    assert_eq!(report.status.code(), Some(3), "{}", stderr_of(&report));
    assert!(!t.path().join("week/summary.xlsx").exists());
}

#[test]
fn a_run_that_cannot_move_its_files_into_place_leaves_the_folder_as_it_found_it() {
    // The user keeps notes in a file called `agents`, where the run wants its
    // folder of agent workbooks: the run fails (exit 1) after rejected.jsonl
    // went into place, and must take it back out, naming what was in the way.
    let t = tempfile::tempdir().expect("temp");
    write_file(
        &t.path().join("in/C-000001.json"),
        call("C-000001", "A001").to_string(),
    );
    std::fs::write(t.path().join("in/broken.json"), "{\"id\": \"C-000002\"").expect("broken");
    std::fs::create_dir_all(t.path().join("out")).expect("out");
    std::fs::write(t.path().join("out/agents"), "мои заметки по операторам").expect("notes");
    let out = cqa(t.path())
        .args(["check", "in", "-o", "out", "--force", "-q", "-s"])
        .arg(mini_card())
        .output()
        .expect("ran");
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("agents"), "{}", stderr_of(&out));
    let left: Vec<String> = std::fs::read_dir(t.path().join("out"))
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["agents"], "only the user's file stays");
    assert_eq!(
        std::fs::read_to_string(t.path().join("out/agents")).expect("notes"),
        "мои заметки по операторам"
    );
}

/// A generated corpus big enough that a one-thread check runs for a while.
fn corpus(t: &Path) -> PathBuf {
    generated(t, 3000)
}

/// Starts a one-thread check of `inputs` into `t/out` and returns it with
/// the name of its spool once it is writing results there.
fn check_writing(t: &Path, inputs: &Path) -> (std::process::Child, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cqa"))
        .current_dir(t)
        .arg("check")
        .arg(inputs)
        .args(["-o", "out", "-q", "--threads", "1", "-s"])
        .arg(repo("scorecards"))
        .spawn()
        .expect("started");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let spool = std::fs::read_dir(t.join("out")).ok().and_then(|r| {
            r.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .find(|n| n.starts_with(".cqa-run-"))
        });
        if let Some(s) = spool {
            if std::fs::metadata(t.join("out").join(&s).join("results.jsonl"))
                .is_ok_and(|m| m.len() > 0)
            {
                return (child, s);
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the check ended before it was caught writing: {status}");
        }
        assert!(Instant::now() < deadline, "the check never started writing");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn force_run(t: &Path) -> std::process::Output {
    cqa(t)
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
        .arg(mini_card())
        .output()
        .expect("ran")
}

#[test]
fn force_removes_the_spool_of_a_run_killed_elsewhere_whose_number_a_live_process_has_here() {
    // A Slurm task killed on node A left `.cqa-run-<pid>` in the shared
    // folder; on node B, where the retry runs, that number is some other
    // live process (here: 1, init). The spool is still a leftover.
    let t = tempfile::tempdir().expect("temp");
    let inputs = corpus(t.path());
    let (mut child, spool) = check_writing(t.path(), &inputs);
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    let out = t.path().join("out");
    std::fs::rename(out.join(&spool), out.join(".cqa-run-1")).expect("renamed");
    let run = force_run(t.path());
    assert_eq!(run.status.code(), Some(0), "{}", stderr_of(&run));
    assert!(!out.join(".cqa-run-1").exists());
    assert_eq!(run_json(&out)["discovered"], 3000);
}

#[test]
fn force_refuses_while_a_run_of_another_machine_writes_into_the_shared_folder() {
    // A live run whose process number means nothing here (it runs on another
    // node): its spool is work in progress, and --force must leave it alone.
    let t = tempfile::tempdir().expect("temp");
    let inputs = corpus(t.path());
    let (mut child, spool) = check_writing(t.path(), &inputs);
    let out = t.path().join("out");
    let elsewhere = out.join(".cqa-run-4194305"); // above Linux's pid_max
    let moved = std::fs::rename(out.join(&spool), &elsewhere);
    let run = force_run(t.path());
    let _ = child.kill();
    let _ = child.wait();
    moved.expect("renamed");
    assert_eq!(run.status.code(), Some(2), "{}", stderr_of(&run));
    assert!(
        stderr_of(&run).contains("another cqa run"),
        "{}",
        stderr_of(&run)
    );
    assert!(elsewhere.exists(), "the live run's spool stays");
}
