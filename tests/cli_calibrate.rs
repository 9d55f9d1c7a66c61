//! `cqa calibrate` end to end: a calibration session of three controllers on
//! two calls, from filled forms and a flat table, with the automatic checks
//! as one more rater.

use crate::evalkit::*;
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;

/// The session: Иванова and Петров fill `cqa forms --calibration` workbooks,
/// Сидорова sends a flat table.
///
/// | contact | criterion | auto | Иванова | Петров | Сидорова |
/// |---|---|---|---|---|---|
/// | C-101 | resolved | pending | Да | Да | Нет |
/// | C-102 | resolved | pending | Нет | Нет | Нет |
/// | C-101 | closing | pass | Да | Да | Да |
/// | C-102 | closing | fail | Нет | Да | Нет |
fn session(dir: &Path) {
    calls(dir);
    cqa(dir)
        .args([
            "forms",
            "--contacts",
            "calls",
            "--evaluators",
            "Иванова,Петров",
            "--calibration",
            "--out",
            "forms",
            "--scorecard",
        ])
        .arg(mini_card())
        .assert()
        .success();
    std::fs::create_dir_all(dir.join("session")).unwrap();
    fill_form(
        &dir.join("forms/Иванова.xlsx"),
        &dir.join("session/Иванова.xlsx"),
        &[
            ("C-101", "resolved", "Да", ""),
            ("C-102", "resolved", "Нет", ""),
            ("C-101", "closing", "Да", ""),
            ("C-102", "closing", "Нет", ""),
        ],
    );
    fill_form(
        &dir.join("forms/Петров.xlsx"),
        &dir.join("session/Петров.xlsx"),
        &[
            ("C-101", "resolved", "Да", ""),
            ("C-102", "resolved", "Нет", ""),
            ("C-101", "closing", "Да", ""),
            ("C-102", "closing", "Да", "попрощался"),
        ],
    );
    flat_csv(
        &dir.join("session/Сидорова.csv"),
        &[
            ("Сидорова", "C-101", "resolved", "Нет", "срок не назван"),
            ("Сидорова", "C-102", "resolved", "Нет", ""),
            ("Сидорова", "C-101", "closing", "Да", ""),
            ("Сидорова", "C-102", "closing", "Нет", ""),
        ],
    );
}

fn calibrate(dir: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    cqa(dir)
        .args(["calibrate", "--evaluations", "session", "--out", "cal"])
        .args(extra)
        .assert()
        .success()
}

fn json(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("cal/calibration.json")).unwrap())
        .unwrap()
}

fn find<'a>(v: &'a Value, list: &str, key: &str, id: &str) -> &'a Value {
    v[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x[key] == id)
        .unwrap_or_else(|| panic!("no {id} in {list}"))
}

fn approx(v: &Value, want: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"));
    assert!((got - want).abs() < 1e-9, "expected {want}, got {got}");
}

fn with_contacts(dir: &Path) -> assert_cmd::assert::Assert {
    let card = mini_card();
    let card = card.to_str().unwrap();
    calibrate(dir, &["--contacts", "calls", "--scorecard", card])
}

#[test]
fn per_criterion_agreement_counts_every_pair_of_controllers() {
    let dir = tempfile::tempdir().unwrap();
    session(dir.path());
    with_contacts(dir.path());
    let j = json(dir.path());
    let resolved = find(&j, "criteria", "id", "resolved");
    assert_eq!(
        (resolved["raters"].as_u64(), resolved["contacts"].as_u64()),
        (Some(3), Some(2))
    );
    approx(&resolved["percent_agreement"], 2.0 / 3.0); // C-101: 1 of 3 pairs; C-102: 3 of 3
    assert!(
        resolved["fleiss_kappa"].is_number(),
        "every contact has three raters"
    );
    assert!(
        resolved["auto_agreement"].is_null(),
        "a manual criterion has no automatic verdict"
    );
}

#[test]
fn the_automatic_check_is_compared_with_every_controllers_answer() {
    let dir = tempfile::tempdir().unwrap();
    session(dir.path());
    with_contacts(dir.path());
    let closing = find(&json(dir.path()), "criteria", "id", "closing").clone();
    approx(&closing["auto_agreement"], 5.0 / 6.0); // Петров's Да on C-102 against the rule's fail
}

#[test]
fn contact_scores_spread_and_evaluator_deviation_from_the_others() {
    let dir = tempfile::tempdir().unwrap();
    session(dir.path());
    with_contacts(dir.path());
    let j = json(dir.path());
    let c101 = find(&j, "contacts", "id", "C-101");
    approx(&c101["scores"]["Иванова"], 100.0);
    approx(&c101["scores"]["Сидорова"], 40.0 / 60.0 * 100.0);
    approx(&c101["spread"], 20.0 / 60.0 * 100.0);
    let c102 = find(&j, "contacts", "id", "C-102");
    approx(&c102["scores"]["Петров"], 35.0 / 60.0 * 100.0);
    let sidorova = find(&j, "evaluators", "name", "Сидорова");
    // C-101: 66.7 against 100; C-102: 50 against (50 + 58.3) / 2.
    approx(
        &sidorova["mean_deviation"],
        (-(100.0 / 3.0) - 25.0 / 6.0) / 2.0,
    );
    assert_eq!(sidorova["worst_criteria"], serde_json::json!(["resolved"]));
    // Shrout & Fleiss ICC(2,1) of [[100, 100, 66.7], [50, 58.3, 50]], computed independently.
    approx(&j["icc_2_1"], 0.7536231884057975);
}

#[test]
fn a_reference_controller_is_who_everyone_is_measured_against() {
    let dir = tempfile::tempdir().unwrap();
    session(dir.path());
    let card = mini_card();
    calibrate(
        dir.path(),
        &[
            "--contacts",
            "calls",
            "--scorecard",
            card.to_str().unwrap(),
            "--reference",
            "Иванова",
        ],
    )
    .stdout(predicate::str::contains("эталон"));
    let j = json(dir.path());
    assert!(find(&j, "evaluators", "name", "Иванова")["mean_deviation"].is_null());
    approx(
        &find(&j, "evaluators", "name", "Петров")["mean_deviation"],
        (0.0 + 5.0 / 60.0 * 100.0) / 2.0,
    );
    assert_eq!(
        find(&j, "evaluators", "name", "Петров")["worst_criteria"],
        serde_json::json!(["closing"])
    );
}

#[test]
fn an_unknown_reference_is_a_usage_error_listing_the_controllers() {
    let dir = tempfile::tempdir().unwrap();
    session(dir.path());
    cqa(dir.path())
        .args(["calibrate", "--evaluations", "session", "--reference", "Смирнова"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--reference Смирнова: no such evaluator in the evaluations; evaluators: Иванова, Петров, Сидорова"));
}

#[test]
fn the_workbook_has_a_sheet_per_question_of_the_session() {
    let dir = tempfile::tempdir().unwrap();
    session(dir.path());
    with_contacts(dir.path());
    let xlsx = dir.path().join("cal/calibration.xlsx");
    assert_eq!(
        sheet_names(&xlsx),
        [
            "Итоги",
            "Критерии",
            "Контакты",
            "Контролёры",
            "Пропуски",
            "Автоматика"
        ]
    );
    let crit = sheet(&xlsx, "Критерии");
    assert_eq!(crit[0], ["Критерий", "Согласие", "α", "κ", "С автоматикой"]);
    assert!(
        crit.iter().any(|r| r[0] == "Вопрос решён"),
        "titles, not ids"
    );
    let contacts = sheet(&xlsx, "Контакты");
    assert_eq!(
        contacts[0],
        [
            "Контакт",
            "Иванова",
            "Петров",
            "Сидорова",
            "Авто",
            "Разброс",
            "СКО"
        ]
    );
    assert_eq!(contacts[1][0], "C-101", "widest spread first");
    let auto = sheet(&xlsx, "Автоматика");
    assert_eq!(
        auto[0],
        [
            "Правило (критерий)",
            "Согласие с людьми",
            "Пропустило нарушение",
            "Ложная тревога",
            "Расходится в Н/П"
        ]
    );
    assert_eq!(auto[1][0], "Попрощался");
    assert_eq!(auto[1][3], "1", "one false alarm");
}

#[test]
fn automatic_verdicts_can_come_from_a_previous_check_run() {
    let dir = tempfile::tempdir().unwrap();
    session(dir.path());
    cqa(dir.path())
        .args(["check", "calls", "--out", "run", "--scorecard"])
        .arg(mini_card())
        .assert()
        .success();
    calibrate(dir.path(), &["--results", "run/results.jsonl"]);
    let j = json(dir.path());
    approx(
        &find(&j, "criteria", "id", "closing")["auto_agreement"],
        5.0 / 6.0,
    );
    approx(
        &find(&j, "contacts", "id", "C-101")["scores"]["Сидорова"],
        40.0 / 60.0 * 100.0,
    );
    let crit = sheet(&dir.path().join("cal/calibration.xlsx"), "Критерии");
    assert!(
        crit.iter().any(|r| r[0] == "Попрощался"),
        "titles from run.json"
    );
}

#[test]
fn without_automatic_verdicts_only_the_answers_count() {
    let dir = tempfile::tempdir().unwrap();
    session(dir.path());
    calibrate(dir.path(), &[]).stdout(predicate::str::contains("Контактов: 2; контролёров: 3"));
    let j = json(dir.path());
    assert!(j["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["auto_agreement"].is_null()));
    // Иванова on C-102: resolved Нет, closing Нет -> 0 of 2 criteria.
    approx(
        &find(&j, "contacts", "id", "C-102")["scores"]["Иванова"],
        0.0,
    );
    assert_eq!(
        sheet_names(&dir.path().join("cal/calibration.xlsx")).len(),
        5,
        "no automatic-checks sheet (the missing answers have one)"
    );
}

#[test]
fn na_answers_are_agreement_not_gaps() {
    let dir = tempfile::tempdir().unwrap();
    flat_csv(
        &dir.path().join("session/all.csv"),
        &[
            ("Иванова", "C-1", "offer", "Н/П", ""),
            ("Петров", "C-1", "offer", "N/A", ""),
            ("Иванова", "C-2", "offer", "Да", ""),
            ("Петров", "C-2", "offer", "Да", ""),
            ("Иванова", "C-3", "offer", "Нет", ""),
        ],
    );
    calibrate(dir.path(), &[]);
    let offer = find(&json(dir.path()), "criteria", "id", "offer").clone();
    approx(&offer["percent_agreement"], 1.0);
    approx(&offer["krippendorff_alpha"], 1.0);
    assert_eq!(offer["contacts"], 3);
    assert!(offer["fleiss_kappa"].is_null(), "C-3 has one rater");
}

#[test]
fn calibration_forms_are_blind() {
    let dir = tempfile::tempdir().unwrap();
    session(dir.path());
    let form = sheet(&dir.path().join("forms/Иванова.xlsx"), "Оценка");
    let (auto, why) = (col(&form, "Автоматически"), col(&form, "Причина и цитата"));
    assert!(form.len() > 2);
    for row in &form[1..] {
        assert_eq!((row[auto].as_str(), row[why].as_str()), ("", ""), "{row:?}");
    }
    // Ordinary forms show the automatic verdict and its reason.
    cqa(dir.path())
        .args([
            "forms",
            "--contacts",
            "calls",
            "--evaluators",
            "Иванова",
            "--out",
            "plain",
            "--scorecard",
        ])
        .arg(mini_card())
        .assert()
        .success();
    let plain = sheet(&dir.path().join("plain/Иванова.xlsx"), "Оценка");
    assert!(plain[1..].iter().all(|r| !r[auto].is_empty()));
}

#[test]
fn blank_answers_on_calibration_forms_are_missing_per_controller_and_criterion() {
    let dir = tempfile::tempdir().unwrap();
    session(dir.path());
    // The forms ask 7 criteria of each of the two calls; Иванова and Петров
    // answered two of them, so 5 × 2 answers of each are missing.
    calibrate(dir.path(), &[]).stdout(predicate::str::contains(
        "Пропущенных ответов: 20 (Иванова: 10, Петров: 10)",
    ));
    let missing = sheet(&dir.path().join("cal/calibration.xlsx"), "Пропуски");
    assert_eq!(
        missing[0],
        ["Контролёр", "Критерий", "Пропущено, контактов"]
    );
    assert_eq!(missing.len(), 1 + 2 * 5, "{missing:?}");
    assert!(missing[1..].iter().all(|r| r[2] == "2"), "{missing:?}");
    assert!(
        !missing
            .iter()
            .any(|r| r[1] == "Вопрос решён" || r[1] == "Попрощался"),
        "answered criteria are not missing"
    );
    // Сидорова's flat table has no blanks to count.
    assert!(!missing.iter().any(|r| r[0] == "Сидорова"));
}

#[test]
fn calibration_json_counts_the_missing_answers_per_controller_and_criterion() {
    let dir = tempfile::tempdir().unwrap();
    session(dir.path());
    calibrate(dir.path(), &[]);
    let j = json(dir.path());
    let missing = j["missing"].as_array().expect("a missing list");
    // The same 20 blanks the «Пропуски» sheet lists: 5 criteria × 2 calls
    // for each of Иванова and Петров, none for Сидорова's flat table.
    assert_eq!(missing.len(), 2 * 5, "{missing:?}");
    for m in missing {
        assert!(
            m["evaluator"] == "Иванова" || m["evaluator"] == "Петров",
            "{m}"
        );
        assert_eq!(m["contacts"], 2, "{m}");
        assert!(m["criterion"] != "resolved" && m["criterion"] != "closing");
    }
    let total: u64 = missing.iter().filter_map(|m| m["contacts"].as_u64()).sum();
    assert_eq!(total, 20);
}

#[test]
fn calibrating_ordinary_forms_says_so_and_suggests_calibration_forms() {
    let dir = tempfile::tempdir().unwrap();
    calls(dir.path());
    cqa(dir.path())
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
        .arg(mini_card())
        .assert()
        .success();
    std::fs::create_dir_all(dir.path().join("session")).unwrap();
    // One contact each: Иванова has C-101, Петров C-102.
    fill_form(
        &dir.path().join("forms/Иванова.xlsx"),
        &dir.path().join("session/Иванова.xlsx"),
        &[("C-101", "resolved", "Да", "")],
    );
    fill_form(
        &dir.path().join("forms/Петров.xlsx"),
        &dir.path().join("session/Петров.xlsx"),
        &[("C-102", "resolved", "Нет", "")],
    );
    cqa(dir.path())
        .args(["calibrate", "--evaluations", "session", "--out", "cal"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "ни один контакт не оценён двумя контролёрами",
        ))
        .stderr(predicate::str::contains("cqa forms --calibration"));
    assert!(!dir.path().join("cal/calibration.xlsx").exists());
}
