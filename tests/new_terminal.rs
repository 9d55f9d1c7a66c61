//! The error that ends a command speaks the command's `--lang` (issue 18).

use assert_cmd::Command;

fn stderr_of(args: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = Command::cargo_bin("cqa")
        .expect("the cqa binary")
        .current_dir(dir.path())
        .args(args)
        .output()
        .expect("cqa runs");
    assert_eq!(
        out.status.code(),
        Some(2),
        "a missing input is a usage error"
    );
    String::from_utf8(out.stderr).expect("UTF-8 messages")
}

#[test]
fn a_russian_run_leads_its_error_with_oshibka() {
    let err = stderr_of(&["check", "Выгрузка за ноябрь"]);
    assert!(err.starts_with("cqa: ошибка: "), "{err}");
    assert!(!err.contains("error:"), "{err}");
}

#[test]
fn an_english_run_leads_its_error_with_error() {
    let err = stderr_of(&["check", "--lang", "en", "November export"]);
    assert!(err.starts_with("cqa: error: "), "{err}");
}

#[test]
fn report_without_lang_speaks_russian_too() {
    let err = stderr_of(&["report", "нет-такой-папки"]);
    assert!(err.starts_with("cqa: ошибка: "), "{err}");
}

/// Runs `cqa` under a pseudo-terminal (util-linux `script`), as a person at a
/// terminal would; `None` where `script` is not installed.
fn on_a_terminal(dir: &std::path::Path, args: &str) -> Option<String> {
    let cqa = assert_cmd::cargo::cargo_bin("cqa");
    let out = std::process::Command::new("script")
        .current_dir(dir)
        .args(["-qec", &format!("{} {args}", cqa.display()), "/dev/null"])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_terminal_sees_a_bar_over_the_input_bytes_with_the_contacts_counted() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let gen = Command::cargo_bin("cqa")
        .expect("the cqa binary")
        .current_dir(dir.path())
        .args(["gen", "--contacts", "4000", "--out", "выгрузка"])
        .output()
        .expect("cqa gen runs");
    assert!(gen.status.success());
    let Some(tty) = on_a_terminal(
        dir.path(),
        "check выгрузка -o итоги --no-workbooks --threads 1",
    ) else {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    };
    let frames: Vec<&str> = tty.split('\r').collect();
    assert!(
        frames
            .iter()
            .any(|f| f.contains("% ") && f.contains(" контактов ") && f.contains(" из ")),
        "no bar with a percentage, the contacts and the bytes of the whole: {tty:?}"
    );
    assert!(
        tty.contains("обработано: 4000"),
        "the summary follows the bar: {tty:?}"
    );
}
