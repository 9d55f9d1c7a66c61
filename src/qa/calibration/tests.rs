use super::*;
use crate::input::scorecard::{ScoringConfig, Severity};
use crate::qa::evaluation::{Answer, Answered, Evaluations, Location};
use crate::results::{ContactResult, CriterionResult, ErrorCounts, Status};

fn close(actual: Option<f64>, expected: f64, tol: f64) {
    let a = actual.unwrap_or_else(|| panic!("expected {expected}, got None"));
    assert!(
        (a - expected).abs() <= tol,
        "expected {expected} ± {tol}, got {a}"
    );
}

fn answered(who: &str, contact: &str, criterion: &str, answer: &str) -> Answered {
    Answered {
        evaluator: who.into(),
        contact_id: contact.into(),
        criterion_id: criterion.into(),
        answer: Answer::parse(answer).unwrap_or_else(|| panic!("bad answer {answer}")),
        comment: String::new(),
        at: Location {
            file: "test.csv".into(),
            sheet: None,
            row: Some(1),
        },
    }
}

fn evals(rows: &[(&str, &str, &str, &str)]) -> Evaluations {
    Evaluations {
        answers: rows
            .iter()
            .map(|(w, c, k, a)| answered(w, c, k, a))
            .collect(),
        ..Default::default()
    }
}

/// Raters × units with "." for missing, as the published vectors print them.
fn numeric_session(criterion: &str, raters: &[&str]) -> Evaluations {
    let mut rows = Vec::new();
    for (r, line) in raters.iter().enumerate() {
        for (u, v) in line.split_whitespace().enumerate() {
            if v != "." {
                rows.push(answered(
                    &format!("R{r}"),
                    &format!("U{u:02}"),
                    criterion,
                    v,
                ));
            }
        }
    }
    Evaluations {
        answers: rows,
        ..Default::default()
    }
}

fn report(
    e: &Evaluations,
    cards: Vec<CardMeta>,
    auto: &[ContactResult],
    reference: Option<&str>,
) -> Report {
    analyse(&Session::build(e, cards, auto, reference).unwrap().0)
}

/// A three-criterion card: greeting (weight 2), resolved (manual, 6), farewell (2).
fn card() -> CardMeta {
    let c = |id: &str, title: &str, w: f64, manual: bool| CriterionMeta {
        id: id.into(),
        title: title.into(),
        section: "s".into(),
        weight: Some(w),
        penalty: None,
        severity: Severity::NonCritical,
        auto_fail: false,
        manual,
        judge: false,
    };
    CardMeta {
        id: "bank".into(),
        scoring: ScoringConfig::default(),
        criteria: vec![
            c("greet", "Поприветствовал клиента", 2.0, false),
            c("resolved", "Вопрос решён полностью и корректно", 6.0, true),
            c("farewell", "Попрощался по стандарту", 2.0, false),
        ],
    }
}

fn auto_result(contact: &str, greet: Status, farewell: Status) -> ContactResult {
    let c = |id: &str, status, w| CriterionResult {
        id: id.into(),
        section: "s".into(),
        status,
        severity: Severity::NonCritical,
        weight: Some(w),
        penalty: None,
        auto_fail: false,
        reason: String::new(),
        evidence: vec![],
        auto_status: None,
        auto_reason: None,
        evaluator: None,
        comment: None,
    };
    ContactResult {
        contact_id: contact.into(),
        source: String::new(),
        line: None,
        range_start: None,
        agent_id: "A001".into(),
        agent_name: None,
        team: None,
        channel: Some("voice".into()),
        queue: None,
        started_at: None,
        duration_s: None,
        scorecard_id: "bank".into(),
        scorecard_version: "1".into(),
        score: None,
        partial: true,
        auto_failed: false,
        errors: ErrorCounts::default(),
        criteria: vec![
            c("greet", greet, 2.0),
            c("resolved", Status::Pending, 6.0),
            c("farewell", farewell, 2.0),
        ],
    }
}

#[test]
fn interval_alpha_of_a_numeric_scale_matches_krippendorff_2011() {
    let e = numeric_session(
        "quality",
        &[
            "1 2 3 3 2 1 4 1 2 . . .",
            "1 2 3 3 2 2 4 1 2 5 . 3",
            ". 3 3 3 2 3 4 2 2 5 1 .",
            "1 2 3 3 2 4 4 1 2 5 1 .",
        ],
    );
    let c = &report(&e, vec![], &[], None).criteria[0];
    assert_eq!(c.level, crate::stats::Level::Interval);
    close(c.krippendorff_alpha, 0.849107, 1e-6);
    assert_eq!((c.raters, c.contacts), (4, 12));
}

#[test]
fn icc_of_a_numeric_criterion_matches_shrout_and_fleiss() {
    let judges = ["9 6 8 7 10 6", "2 1 4 1 5 2", "5 3 6 2 6 4", "8 2 8 6 9 7"];
    let c = &report(&numeric_session("score", &judges), vec![], &[], None).criteria[0];
    close(c.icc_2_1, 0.2898, 1e-4);
}

#[test]
fn fleiss_kappa_matches_the_wikipedia_example() {
    let table = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ];
    let mut rows = Vec::new();
    for (u, counts) in table.iter().enumerate() {
        let mut rater = 0;
        for (cat, &n) in counts.iter().enumerate() {
            for _ in 0..n {
                rows.push(answered(
                    &format!("R{rater:02}"),
                    &format!("U{u}"),
                    "c",
                    &(cat + 1).to_string(),
                ));
                rater += 1;
            }
        }
    }
    let e = Evaluations {
        answers: rows,
        ..Default::default()
    };
    close(
        report(&e, vec![], &[], None).criteria[0].fleiss_kappa,
        0.209931,
        1e-6,
    );
}

#[test]
fn na_is_a_category_of_its_own_and_a_blank_is_missing() {
    // (Да, Да) (Нет, Нет) (Да, Нет) (Н/П, Н/П): nominal alpha = 1 − 7·2/42 = 2/3.
    let e = evals(&[
        ("Иванова", "C-1", "greet", "Да"),
        ("Петров", "C-1", "greet", "Да"),
        ("Иванова", "C-2", "greet", "Нет"),
        ("Петров", "C-2", "greet", "Нет"),
        ("Иванова", "C-3", "greet", "Да"),
        ("Петров", "C-3", "greet", "Нет"),
        ("Иванова", "C-4", "greet", "Н/П"),
        ("Петров", "C-4", "greet", "Н/П"),
        ("Иванова", "C-5", "greet", "Да"), // Петров left C-5 blank
    ]);
    let c = &report(&e, vec![], &[], None).criteria[0];
    close(c.krippendorff_alpha, 2.0 / 3.0, 1e-12);
    close(c.percent_agreement, 0.75, 1e-12);
    assert_eq!(c.contacts, 5);
    assert_eq!(
        c.fleiss_kappa, None,
        "C-5 has one rater, so not every contact has the same number"
    );
}

#[test]
fn fleiss_kappa_is_given_when_every_contact_has_the_same_raters() {
    let e = evals(&[
        ("Иванова", "C-1", "greet", "Да"),
        ("Петров", "C-1", "greet", "Да"),
        ("Иванова", "C-2", "greet", "Нет"),
        ("Петров", "C-2", "greet", "Да"),
    ]);
    assert!(report(&e, vec![], &[], None).criteria[0]
        .fleiss_kappa
        .is_some());
}

#[test]
fn a_blank_answer_on_an_automatic_criterion_scores_as_the_automatic_verdict() {
    // Auto: greet pass, farewell fail. Иванова only answers the manual criterion.
    let e = evals(&[
        ("Иванова", "C-1", "resolved", "Да"),
        ("Петров", "C-1", "resolved", "Нет"),
        ("Петров", "C-1", "farewell", "Да"),
    ]);
    let auto = [auto_result("C-1", Status::Pass, Status::Fail)];
    let r = report(&e, vec![card()], &auto, None);
    let c = &r.contacts[0];
    assert_eq!(c.scores["Иванова"], 80.0); // greet 2 + resolved 6 of 10
    assert_eq!(c.scores["Петров"], 40.0); // greet 2 + farewell 2 of 10
    assert_eq!(c.spread, Some(40.0));
    close(c.sd, 28.284271, 1e-6);
    assert_eq!(c.auto_score, Some(50.0)); // greet of greet + farewell; resolved pending
}

#[test]
fn auto_agreement_counts_missed_errors_and_false_alarms() {
    let e = evals(&[
        ("Иванова", "C-1", "greet", "Нет"), // auto pass: missed
        ("Петров", "C-1", "greet", "Да"),
        ("Иванова", "C-2", "greet", "Да"), // auto fail: false alarm
        ("Петров", "C-2", "greet", "Нет"),
    ]);
    let auto = [
        auto_result("C-1", Status::Pass, Status::Pass),
        auto_result("C-2", Status::Fail, Status::Pass),
    ];
    let c = &report(&e, vec![card()], &auto, None).criteria[0];
    close(c.auto_agreement, 0.5, 1e-12);
    assert_eq!(
        (c.auto_compared, c.auto_missed, c.auto_false_alarms),
        (4, 1, 1)
    );
}

#[test]
fn manual_criteria_have_no_auto_agreement() {
    let e = evals(&[
        ("Иванова", "C-1", "resolved", "Да"),
        ("Петров", "C-1", "resolved", "Да"),
    ]);
    let auto = [auto_result("C-1", Status::Pass, Status::Pass)];
    assert_eq!(
        report(&e, vec![card()], &auto, None).criteria[0].auto_agreement,
        None
    );
}

/// Three controllers on two contacts; Сидорова is harsh on resolution.
fn three_controllers() -> Evaluations {
    let mut rows = Vec::new();
    for c in ["C-1", "C-2"] {
        for who in ["Иванова", "Петров", "Сидорова"] {
            rows.push((who, c, "greet", "Да"));
            rows.push((who, c, "farewell", "Да"));
            rows.push((
                who,
                c,
                "resolved",
                if who == "Сидорова" {
                    "Нет"
                } else {
                    "Да"
                },
            ));
        }
    }
    evals(&rows)
}

#[test]
fn mean_deviation_is_from_the_mean_of_the_others_without_a_reference() {
    let r = report(&three_controllers(), vec![card()], &[], None);
    let sid = r.evaluators.iter().find(|e| e.name == "Сидорова").unwrap();
    assert_eq!(sid.mean_deviation, Some(-60.0)); // 40 against 100
    assert_eq!(sid.worst, vec![("resolved".to_string(), 1.0)]);
    let iv = r.evaluators.iter().find(|e| e.name == "Иванова").unwrap();
    assert_eq!(iv.mean_deviation, Some(30.0)); // 100 against (100 + 40) / 2
    assert!(iv.worst.is_empty(), "agrees with the majority everywhere");
}

#[test]
fn with_a_reference_everyone_is_compared_with_that_evaluator() {
    let r = report(&three_controllers(), vec![card()], &[], Some("Сидорова"));
    let iv = r.evaluators.iter().find(|e| e.name == "Иванова").unwrap();
    assert_eq!(iv.mean_deviation, Some(60.0));
    assert_eq!(iv.worst[0].0, "resolved");
    let sid = r.evaluators.iter().find(|e| e.name == "Сидорова").unwrap();
    assert_eq!(sid.mean_deviation, None);
}

#[test]
fn an_unknown_reference_names_the_evaluators_there_are() {
    let err = Session::build(&three_controllers(), vec![], &[], Some("Смирнова")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "--reference Смирнова: no such evaluator in the evaluations; evaluators: Иванова, Петров, Сидорова"
    );
}

#[test]
fn answers_on_criteria_outside_the_scorecard_are_bad_rows() {
    let e = evals(&[
        ("Иванова", "C-1", "greting", "Да"),
        ("Иванова", "C-1", "greet", "Да"),
    ]);
    let (s, bad) = Session::build(&e, vec![card()], &[], None).unwrap();
    assert_eq!(bad.len(), 1);
    assert_eq!(
        bad[0].to_string(),
        "test.csv, row 1: criterion `greting` is in none of the scorecards"
    );
    assert_eq!(s.order, vec!["greet"]);
}

#[test]
fn icc_over_scores_uses_the_contacts_every_evaluator_scored() {
    let mut rows = Vec::new();
    let plan = [
        ("C-1", ["Да", "Да", "Нет"]),
        ("C-2", ["Нет", "Нет", "Нет"]),
        ("C-3", ["Да", "Да", "Да"]),
    ];
    for (c, answers) in plan {
        for (who, a) in ["Иванова", "Петров", "Сидорова"].iter().zip(answers) {
            rows.push((*who, c, "resolved", a));
        }
    }
    let r = report(&evals(&rows), vec![card()], &[], None);
    assert!(r.icc_2_1.is_some());
    let json = to_json(&r);
    assert_eq!(json["icc_2_1"], serde_json::json!(r.icc_2_1));
}

#[test]
fn calibration_json_has_exactly_the_agreed_shape_with_nulls() {
    let e = evals(&[("Иванова", "C-1", "greet", "Да")]);
    let j = to_json(&report(&e, vec![card()], &[], None));
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(
        keys(&j),
        ["criteria", "contacts", "evaluators", "icc_2_1", "missing"]
    );
    assert_eq!(j["missing"], serde_json::json!([]));
    assert_eq!(
        keys(&j["criteria"][0]),
        [
            "id",
            "raters",
            "contacts",
            "percent_agreement",
            "krippendorff_alpha",
            "fleiss_kappa",
            "auto_agreement"
        ]
    );
    assert_eq!(keys(&j["contacts"][0]), ["id", "scores", "spread", "sd"]);
    assert_eq!(
        keys(&j["evaluators"][0]),
        ["name", "mean_deviation", "worst_criteria"]
    );
    assert!(j["criteria"][0]["krippendorff_alpha"].is_null());
    assert!(j["contacts"][0]["spread"].is_null());
    assert!(j["icc_2_1"].is_null());
    assert_eq!(j["contacts"][0]["scores"]["Иванова"], 100.0);
}

#[test]
fn a_judge_criterion_reports_its_review_rate_and_agreement_of_decided_verdicts() {
    let mut card = card();
    card.criteria[2].judge = true; // farewell: a language model decides it
    let e = evals(&[
        ("Иванова", "C-1", "farewell", "Да"),
        ("Иванова", "C-2", "farewell", "Да"),
        ("Иванова", "C-3", "farewell", "Нет"),
    ]);
    let auto = [
        auto_result("C-1", Status::Pass, Status::Review),
        auto_result("C-2", Status::Pass, Status::Pass),
        auto_result("C-3", Status::Pass, Status::Fail),
    ];
    let r = report(&e, vec![card], &auto, None);
    let f = r.criteria.iter().find(|c| c.id == "farewell").unwrap();
    assert!(f.judge);
    close(f.review_rate(), 1.0 / 3.0, 1e-12);
    assert_eq!(f.auto_compared, 2, "a review is no verdict to compare");
    close(f.auto_agreement, 1.0, 1e-12);
}
