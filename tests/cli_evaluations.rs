//! `cqa forms` and `cqa check --evaluations` end to end: blank forms out,
//! filled forms and flat tables back in, answers merged into results.

use crate::evalkit::*;
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;

fn forms(dir: &Path, extra: &[&str]) {
    let card = mini_card();
    cqa(dir)
        .args([
            "forms",
            "--contacts",
            "calls",
            "--evaluators",
            "Иванова,Петров",
            "--out",
            "forms",
            "--scorecard",
        ])
        .arg(&card)
        .args(extra)
        .assert()
        .success();
}

fn check(dir: &Path, evaluations: &str) -> assert_cmd::assert::Assert {
    let card = mini_card();
    cqa(dir)
        .args([
            "check",
            "calls",
            "--out",
            "out",
            "--evaluations",
            evaluations,
            "--scorecard",
        ])
        .arg(&card)
        .assert()
        .success()
}

fn result(dir: &Path, contact: &str) -> Value {
    jsonl(&dir.join("out/results.jsonl"))
        .into_iter()
        .find(|r| r["contact_id"] == contact)
        .unwrap()
}

fn criterion(r: &Value, id: &str) -> Value {
    r["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
        .clone()
}

#[test]
fn a_form_has_the_stable_headers_and_one_row_per_contact_and_criterion() {
    let dir = tempfile::tempdir().unwrap();
    calls(dir.path());
    forms(dir.path(), &[]);
    let form = dir.path().join("forms/Иванова.xlsx");
    let rows = sheet(&form, "Оценка");
    for h in [
        "contact_id",
        "criterion_id",
        "answer",
        "comment",
        "evaluator",
    ] {
        assert!(rows[0].contains(&h.to_string()), "{h} in {:?}", rows[0]);
    }
    assert_eq!(
        rows.len(),
        1 + 7,
        "the controllers share the sample: Иванова gets C-101 only"
    );
    let (k, auto, who, answer) = (
        col(&rows, "criterion_id"),
        col(&rows, "Автоматически"),
        col(&rows, "evaluator"),
        col(&rows, "answer"),
    );
    assert!(rows[1..]
        .iter()
        .all(|r| r[0] == "C-101" && r[who] == "Иванова" && r[answer].is_empty()));
    let resolved = rows.iter().find(|r| r[k] == "resolved").unwrap();
    assert_eq!(resolved[auto], "ожидает оценки");
    assert_eq!(resolved[col(&rows, "Критерий")], "Вопрос решён");
    let greet = rows.iter().find(|r| r[k] == "greet").unwrap();
    assert_eq!(greet[auto], "выполнено");
    assert!(greet[col(&rows, "Причина и цитата")].contains("здравствуйте"));
}

#[test]
fn each_contact_has_a_transcript_sheet_with_personal_data_masked() {
    let dir = tempfile::tempdir().unwrap();
    calls(dir.path());
    forms(dir.path(), &[]);
    let form = dir.path().join("forms/Петров.xlsx");
    assert_eq!(sheet_names(&form), ["Оценка", "C-102"]);
    let text: String = sheet(&form, "C-102").concat().concat();
    assert!(text.contains("Банк «Пример», здравствуйте!"));
    assert!(text.contains("Контакт C-102"));
    assert!(
        !text.contains("4111 1111 1111 1111"),
        "the card number is masked"
    );
}

#[test]
fn calibration_forms_give_every_controller_every_contact() {
    let dir = tempfile::tempdir().unwrap();
    calls(dir.path());
    forms(dir.path(), &["--calibration"]);
    for who in ["Иванова", "Петров"] {
        let rows = sheet(&dir.path().join(format!("forms/{who}.xlsx")), "Оценка");
        assert_eq!(rows.len(), 1 + 14, "{who}");
    }
}

#[test]
fn english_forms_use_english_labels() {
    let dir = tempfile::tempdir().unwrap();
    calls(dir.path());
    forms(dir.path(), &["--lang", "en"]);
    let rows = sheet(&dir.path().join("forms/Иванова.xlsx"), "Evaluation");
    let resolved = rows
        .iter()
        .find(|r| r[col(&rows, "criterion_id")] == "resolved")
        .unwrap();
    assert_eq!(resolved[col(&rows, "Automatic")], "pending");
}

#[test]
fn forms_from_a_sample_manifest_find_the_transcripts_by_its_source_column() {
    let dir = tempfile::tempdir().unwrap();
    calls(dir.path());
    cqa(dir.path())
        .args(["sample", "calls", "--out", "s"])
        .assert()
        .success();
    cqa(dir.path())
        .args([
            "forms",
            "--sample",
            "s/sample.csv",
            "--evaluators",
            "Сидорова",
            "--out",
            "forms",
            "--scorecard",
        ])
        .arg(mini_card())
        .assert()
        .success()
        .stdout(predicate::str::contains("Сидорова: 2 контактов, 14 строк"));
}

#[test]
fn a_controllers_answer_decides_a_manual_criterion_and_the_contact_is_rescored() {
    let dir = tempfile::tempdir().unwrap();
    calls(dir.path());
    forms(dir.path(), &[]);
    std::fs::create_dir_all(dir.path().join("filled")).unwrap();
    fill_form(
        &dir.path().join("forms/Иванова.xlsx"),
        &dir.path().join("filled/Иванова.xlsx"),
        &[("C-101", "resolved", "Да", "")],
    );
    check(dir.path(), "filled").stdout(predicate::str::contains(
        "Ответов контролёров: 1; применено к критериям: 1",
    ));
    let r = result(dir.path(), "C-101");
    let c = criterion(&r, "resolved");
    assert_eq!(c["status"], "pass");
    assert_eq!(c["evaluator"], "Иванова");
    // A pass keeps no reason in the default results (--detail failures).
    assert!(c.get("reason").is_none(), "{c}");
    assert!(
        c.get("auto_status").is_none(),
        "a manual criterion has no automatic verdict"
    );
    assert_eq!(r["partial"], false);
    assert_eq!(r["score"], 100.0);
}

#[test]
fn an_answer_on_an_automatic_criterion_overrides_it_and_the_result_keeps_both() {
    let dir = tempfile::tempdir().unwrap();
    calls(dir.path());
    forms(dir.path(), &[]);
    std::fs::create_dir_all(dir.path().join("filled")).unwrap();
    fill_form(
        &dir.path().join("forms/Петров.xlsx"),
        &dir.path().join("filled/Петров.xlsx"),
        &[
            (
                "C-102",
                "closing",
                "Да",
                "Попрощался после удержания, распознавание обрезало конец",
            ),
            ("C-102", "resolved", "Да", ""),
        ],
    );
    check(dir.path(), "filled").stdout(predicate::str::contains(
        "из них изменили автоматический вердикт: 1",
    ));
    let r = result(dir.path(), "C-102");
    let c = criterion(&r, "closing");
    assert_eq!(c["status"], "pass");
    assert_eq!(c["auto_status"], "fail");
    assert!(c["auto_reason"].as_str().unwrap().contains("всего доброго"));
    assert_eq!(c["evaluator"], "Петров");
    assert_eq!(
        c["comment"],
        "Попрощался после удержания, распознавание обрезало конец"
    );
    // 55 of 60: the farewell now counts; the missing product offer still does not.
    assert!(
        (r["score"].as_f64().unwrap() - 55.0 / 60.0 * 100.0).abs() < 1e-9,
        "{}",
        r["score"]
    );
    assert_eq!(r["errors"]["non_critical"], 0);
    assert_eq!(r["errors"]["business_critical"], 1);
}

#[test]
fn two_controllers_disagreeing_are_listed_and_the_status_is_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    calls(dir.path());
    flat_csv(
        &dir.path().join("ev/Иванова.csv"),
        &[
            ("Иванова", "C-101", "resolved", "Да", ""),
            ("Иванова", "C-102", "closing", "Да", ""),
        ],
    );
    flat_csv(
        &dir.path().join("ev/Петров.csv"),
        &[
            (
                "Петров",
                "C-101",
                "resolved",
                "Нет",
                "клиенту не сказали срок",
            ),
            ("Петров", "C-102", "closing", "Нет", ""),
        ],
    );
    check(dir.path(), "ev").stdout(predicate::str::contains(
        "Расхождений между контролёрами: 2",
    ));
    let resolved = criterion(&result(dir.path(), "C-101"), "resolved");
    assert_eq!(
        resolved["status"], "pending",
        "a manual criterion stays pending"
    );
    assert!(resolved["reason"]
        .as_str()
        .unwrap()
        .contains("Контролёры разошлись (Иванова — Да, Петров — Нет)"));
    assert_eq!(
        criterion(&result(dir.path(), "C-102"), "closing")["status"],
        "fail",
        "the automatic verdict stays"
    );
    let d = jsonl(&dir.path().join("out/disagreements.jsonl"));
    assert_eq!(d.len(), 2);
    assert_eq!(d[0]["contact_id"], "C-101");
    assert_eq!(d[0]["status_kept"], "pending");
    assert_eq!(d[0]["answers"][1]["evaluator"], "Петров");
    assert_eq!(d[0]["answers"][1]["comment"], "клиенту не сказали срок");
    assert_eq!(d[0]["answers"][1]["row"], 2);
}

#[test]
fn controllers_who_agree_are_both_named() {
    let dir = tempfile::tempdir().unwrap();
    calls(dir.path());
    flat_csv(
        &dir.path().join("ev/a.csv"),
        &[("Иванова", "C-101", "resolved", "Нет", "")],
    );
    flat_csv(
        &dir.path().join("ev/b.csv"),
        &[("Петров", "C-101", "resolved", "нет", "")],
    );
    check(dir.path(), "ev");
    let c = criterion(&result(dir.path(), "C-101"), "resolved");
    assert_eq!(c["status"], "fail");
    assert_eq!(c["evaluator"], "Иванова, Петров");
}

#[test]
fn english_and_status_words_are_answers_too() {
    let dir = tempfile::tempdir().unwrap();
    calls(dir.path());
    flat_csv(
        &dir.path().join("ev/en.csv"),
        &[
            ("Smith", "C-101", "resolved", "Yes", ""),
            ("Smith", "C-101", "offer", "N/A", "no product fits"),
            ("Smith", "C-102", "resolved", "fail", ""),
        ],
    );
    check(dir.path(), "ev");
    assert_eq!(
        criterion(&result(dir.path(), "C-101"), "resolved")["status"],
        "pass"
    );
    assert_eq!(
        criterion(&result(dir.path(), "C-101"), "offer")["status"],
        "na"
    );
    assert_eq!(
        criterion(&result(dir.path(), "C-102"), "resolved")["status"],
        "fail"
    );
}

#[test]
fn unusable_rows_are_reported_with_file_sheet_and_row() {
    let dir = tempfile::tempdir().unwrap();
    calls(dir.path());
    forms(dir.path(), &[]);
    std::fs::create_dir_all(dir.path().join("ev")).unwrap();
    fill_form(
        &dir.path().join("forms/Иванова.xlsx"),
        &dir.path().join("ev/Иванова.xlsx"),
        &[("C-101", "resolved", "скорее да", "")],
    );
    flat_csv(
        &dir.path().join("ev/Петров.csv"),
        &[
            ("Петров", "C-999", "resolved", "Да", ""),
            ("Петров", "C-102", "greting", "Да", ""),
            ("Петров", "C-102", "closing", "3", ""),
        ],
    );
    check(dir.path(), "ev").stdout(predicate::str::contains("Строк оценок не применено: 4"));
    let errors = jsonl(&dir.path().join("out/evaluation_errors.jsonl"));
    let msg = |file: &str, row: u64| -> String {
        errors
            .iter()
            .find(|e| e["file"].as_str().unwrap().ends_with(file) && e["row"] == row)
            .unwrap_or_else(|| panic!("no error for {file} row {row}: {errors:?}"))["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let form_err = errors
        .iter()
        .find(|e| e["file"].as_str().unwrap().ends_with("Иванова.xlsx"))
        .unwrap();
    assert_eq!(form_err["sheet"], "Оценка");
    assert_eq!(
        form_err["row"], 5,
        "resolved is the 4th criterion, under the header"
    );
    assert!(form_err["message"]
        .as_str()
        .unwrap()
        .contains("ответ `скорее да` — не Да/Нет/Н/П"));
    assert_eq!(msg("Петров.csv", 2), "контакта `C-999` нет среди оценённых");
    assert_eq!(
        msg("Петров.csv", 3),
        "контакт `C-102` оценён по чек-листу `mini-voice`, в котором нет критерия `greting`"
    );
    assert!(msg("Петров.csv", 4).contains("— число"));
}

#[test]
fn a_missing_evaluations_folder_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    calls(dir.path());
    cqa(dir.path())
        .args([
            "check",
            "calls",
            "--out",
            "out",
            "--evaluations",
            "nowhere",
            "--scorecard",
        ])
        .arg(mini_card())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--evaluations nowhere: нет такого файла или папки",
        ));
}

#[test]
fn results_without_evaluations_keep_the_original_contract() {
    let dir = tempfile::tempdir().unwrap();
    calls(dir.path());
    cqa(dir.path())
        .args(["check", "calls", "--out", "out", "--scorecard"])
        .arg(mini_card())
        .assert()
        .success();
    let r = result(dir.path(), "C-102");
    for c in r["criteria"].as_array().unwrap() {
        for key in ["auto_status", "auto_reason", "evaluator", "comment"] {
            assert!(c.get(key).is_none(), "{key} in {c}");
        }
    }
    assert!(!dir.path().join("out/disagreements.jsonl").exists());
}

#[test]
fn summary_has_a_sheet_of_the_disagreements_to_settle() {
    let dir = tempfile::tempdir().unwrap();
    calls(dir.path());
    flat_csv(
        &dir.path().join("ev/Иванова.csv"),
        &[("Иванова", "C-101", "resolved", "Да", "")],
    );
    flat_csv(
        &dir.path().join("ev/Петров.csv"),
        &[(
            "Петров",
            "C-101",
            "resolved",
            "Нет",
            "клиенту не сказали срок",
        )],
    );
    check(dir.path(), "ev");
    let summary = dir.path().join("out/summary.xlsx");
    let s = sheet(&summary, "Расхождения");
    assert_eq!(
        s[0],
        [
            "Контакт",
            "Критерий",
            "ID критерия",
            "Оставлен статус",
            "Ответы контролёров",
            "Где ответы"
        ]
    );
    assert_eq!(s.len(), 2, "{s:?}");
    assert_eq!(s[1][0], "C-101");
    assert_eq!(s[1][1], "Вопрос решён");
    assert_eq!(s[1][3], "ожидает оценки");
    assert_eq!(
        s[1][4],
        "Иванова: Да\nПетров: Нет («клиенту не сказали срок»)"
    );
    assert!(s[1][5].contains("Петров.csv, 2"), "{}", s[1][5]);
    // The Overview's guide names it.
    let o = sheet(&summary, "Обзор");
    assert!(o.iter().any(|r| r[0] == "Расхождения"));
}

#[test]
fn summary_has_a_sheet_of_the_evaluation_rows_not_applied() {
    let dir = tempfile::tempdir().unwrap();
    calls(dir.path());
    flat_csv(
        &dir.path().join("ev/Петров.csv"),
        &[
            ("Петров", "C-999", "resolved", "Да", ""),
            ("Петров", "C-102", "closing", "Да", ""),
        ],
    );
    check(dir.path(), "ev");
    let summary = dir.path().join("out/summary.xlsx");
    let e = sheet(&summary, "Ошибки оценок");
    assert_eq!(e[0], ["Файл", "Лист", "Строка", "Обоснование"]);
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(e[1][0].ends_with("Петров.csv"));
    assert_eq!(e[1][2], "2");
    assert!(e[1][3].contains("C-999"), "{}", e[1][3]);
    let d = sheet(&summary, "Расхождения");
    assert_eq!(d[1][0], "Контролёры нигде не разошлись.");
}

#[test]
fn a_run_without_evaluations_has_no_controllers_sheets() {
    let dir = tempfile::tempdir().unwrap();
    calls(dir.path());
    cqa(dir.path())
        .args(["check", "calls", "--out", "out", "--scorecard"])
        .arg(mini_card())
        .assert()
        .success();
    let names = sheet_names(&dir.path().join("out/summary.xlsx"));
    assert!(!names
        .iter()
        .any(|n| n == "Расхождения" || n == "Ошибки оценок"));
}
