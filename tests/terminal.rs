//! What `cqa check` prints (issue 18 item 14): a live count only on a
//! terminal, none in a pipe or with --quiet; the summary lists at most 20
//! agents, worst first, marks small samples and points to the workbook.

use crate::report_support::*;
use std::path::Path;

/// 25 agents with a few calls each: the first three agents have one call only.
fn many_agents(dir: &Path) -> std::path::PathBuf {
    let contacts = dir.join("contacts");
    std::fs::create_dir_all(&contacts).unwrap();
    let mut lines = String::new();
    for a in 0..25 {
        let id = format!("A{:03}", 300 + a);
        let name = format!("Оператор{a} Тестовый");
        for i in 0..(if a < 3 { 1 } else { 5 }) {
            let mut c = contact(a * 10 + i, 0, (&id, &name, "Группа 1"));
            c["id"] = format!("C-{a:03}-{i}").into();
            lines.push_str(&c.to_string());
            lines.push('\n');
        }
    }
    std::fs::write(contacts.join("week.jsonl"), lines).unwrap();
    std::fs::write(dir.join("scorecard.json"), SCORECARD).unwrap();
    contacts
}

fn check_here(dir: &Path, extra: &[&str]) -> std::process::Output {
    cqa()
        .arg("check")
        .arg(dir.join("contacts"))
        .arg("--scorecard")
        .arg(dir.join("scorecard.json"))
        .arg("--out")
        .arg(dir.join("run"))
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn the_summary_lists_at_most_twenty_agents_worst_first_and_points_to_the_workbook() {
    let t = tempfile::tempdir().unwrap();
    many_agents(t.path());
    let o = check_here(t.path(), &[]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    let head = out
        .lines()
        .position(|l| l.starts_with("Оператор (худшие сначала)"))
        .expect("the agents table");
    let rows: Vec<&str> = out
        .lines()
        .skip(head + 1)
        .take_while(|l| l.contains("(A"))
        .collect();
    assert_eq!(rows.len(), 20, "{out}");
    let means: Vec<f64> = rows
        .iter()
        .filter_map(|r| {
            r.split_whitespace().find_map(|w| {
                w.parse::<f64>()
                    .ok()
                    .filter(|x| x.fract() != 0.0 || *x == 100.0)
            })
        })
        .collect();
    assert!(
        means.windows(2).all(|w| w[0] <= w[1]),
        "worst first: {means:?}"
    );
    let small: Vec<&&str> = rows
        .iter()
        .filter(|r| r.ends_with("мало контактов"))
        .collect();
    for r in &small {
        assert!(
            r.contains("(A300)") || r.contains("(A301)") || r.contains("(A302)"),
            "{r}"
        );
    }
    assert!(out.contains("… и ещё 5 операторов"), "{out}");
    assert!(out.contains("Все операторы, места и цели — лист «Операторы»:"));
    assert!(out.contains("summary.xlsx"));
}

#[test]
fn no_progress_is_drawn_when_stderr_is_not_a_terminal() {
    let t = tempfile::tempdir().unwrap();
    many_agents(t.path());
    let o = check_here(t.path(), &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("контактов") && !err.contains('\r'), "{err}");
}

#[test]
fn quiet_prints_nothing() {
    let t = tempfile::tempdir().unwrap();
    many_agents(t.path());
    let o = check_here(t.path(), &["--quiet"]);
    assert!(o.status.success());
    assert!(o.stdout.is_empty() && o.stderr.is_empty());
}

/// `script` (util-linux) runs a command on a pseudo-terminal.
fn on_a_terminal(cmd: &str) -> Option<String> {
    let o = std::process::Command::new("script")
        .args(["-qec", cmd, "/dev/null"])
        .output()
        .ok()?;
    o.status
        .success()
        .then(|| String::from_utf8_lossy(&o.stdout).into_owned())
}

#[test]
fn a_terminal_sees_a_bar_over_the_input_bytes_and_quiet_hides_it() {
    let t = tempfile::tempdir().unwrap();
    many_agents(t.path());
    let bin = assert_cmd::cargo::cargo_bin("cqa");
    let cmd = |extra: &str| {
        format!(
            "{} check {} --scorecard {} --out {} --force {extra}",
            bin.display(),
            t.path().join("contacts").display(),
            t.path().join("scorecard.json").display(),
            t.path().join("run").display()
        )
    };
    let Some(live) = on_a_terminal(&cmd("")) else {
        eprintln!("no `script` here: the terminal case is not checked");
        return;
    };
    // A bar over the input bytes: how much is done, the contacts so far, and
    // the bytes of the whole.
    assert!(
        regex::Regex::new(r"\d+%\s+\d+ контактов\s+\S+ \S+ из \S+ \S+")
            .unwrap()
            .is_match(&live),
        "{live}"
    );
    let quiet = on_a_terminal(&cmd("--quiet")).unwrap();
    assert!(quiet.trim().is_empty(), "{quiet}");
}

/// The whole summary `cqa check` prints for the bundled samples, run in a
/// temporary folder so that every path in it is the relative `run/…`.
fn samples_summary(lang: &str) -> String {
    let t = tempfile::tempdir().unwrap();
    let o = crate::workdir::cqa(t.path())
        .arg("check")
        .arg(crate::workdir::repo("samples"))
        .arg("--scorecard")
        .arg(crate::workdir::repo("scorecards"))
        .args(["--out", "run", "--lang", lang])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", crate::workdir::stderr_of(&o));
    String::from_utf8(o.stdout).unwrap()
}

// The summary is what a person reads after every check, and every line of it
// matters (counts, the agents worst first, the COPC accuracies, where the
// files are): it is pinned whole as a snapshot in tests/snapshots/, so that
// a change to any word or figure shows up for review (`cargo insta review`)
// instead of slipping past assertions on a few of its lines.

#[test]
fn the_summary_of_the_bundled_samples_reads_the_same_in_russian() {
    insta::assert_snapshot!(samples_summary("ru"));
}

#[test]
fn the_summary_of_the_bundled_samples_reads_the_same_in_english() {
    insta::assert_snapshot!(samples_summary("en"));
}

/// The error that ends a command, run in an empty folder.
fn error_of(args: &[&str]) -> String {
    let t = tempfile::tempdir().expect("a temporary folder");
    let out = crate::workdir::cqa(t.path())
        .args(args)
        .output()
        .expect("cqa runs");
    assert_eq!(
        out.status.code(),
        Some(2),
        "a missing input is a usage error"
    );
    crate::workdir::stderr_of(&out)
}

#[test]
fn a_russian_run_leads_its_error_with_oshibka() {
    let err = error_of(&["check", "Выгрузка за ноябрь"]);
    assert!(err.starts_with("cqa: ошибка: "), "{err}");
    assert!(!err.contains("error:"), "{err}");
}

#[test]
fn an_english_run_leads_its_error_with_error() {
    let err = error_of(&["check", "--lang", "en", "November export"]);
    assert!(err.starts_with("cqa: error: "), "{err}");
}

#[test]
fn report_without_lang_speaks_russian_too() {
    let err = error_of(&["report", "нет-такой-папки"]);
    assert!(err.starts_with("cqa: ошибка: "), "{err}");
}

#[test]
fn a_card_number_in_a_missing_files_name_is_masked_in_the_error() {
    let err = error_of(&["report", "карта 4276 3800 1234 5679.jsonl"]);
    assert!(!err.contains("3800 1234"), "{err}");
    assert!(
        err.contains("4276 38** **** 5679.jsonl: нет такого файла результатов"),
        "{err}"
    );
}
