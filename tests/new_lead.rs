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
