use super::*;
use crate::input::scorecard::Severity;

fn c(id: &str, section: &str, status: Status, weight: f64, auto_fail: bool) -> CriterionResult {
    CriterionResult {
        id: id.into(),
        section: section.into(),
        status,
        severity: Severity::NonCritical,
        weight: Some(weight),
        penalty: Some(weight),
        auto_fail,
        reason: String::new(),
        evidence: Vec::new(),
        auto_status: None,
        auto_reason: None,
        evaluator: None,
        comment: None,
    }
}

fn weighted(mode: AutoFailMode) -> ScoringConfig {
    ScoringConfig {
        method: Method::Weighted,
        auto_fail: mode,
    }
}

#[test]
fn na_criteria_leave_both_sums() {
    // MaestroQA's example: 35 possible, one 5-point N/A -> 30; 16 earned -> 53.3 %.
    let cs = [
        c("a", "s", Status::Pass, 16.0, false),
        c("b", "s", Status::Fail, 14.0, false),
        c("n", "s", Status::Na, 5.0, false),
    ];
    let s = score_contact(&weighted(AutoFailMode::Contact), &cs);
    assert!((s.score.unwrap() - 100.0 * 16.0 / 30.0).abs() < 1e-9);
}

#[test]
fn all_na_gives_no_score() {
    let cs = [
        c("a", "s", Status::Na, 5.0, false),
        c("b", "s", Status::Na, 5.0, false),
    ];
    assert_eq!(
        score_contact(&weighted(AutoFailMode::Contact), &cs).score,
        None
    );
}

#[test]
fn pending_manual_criterion_marks_partial_and_leaves_sums() {
    let cs = [
        c("greet", "s", Status::Pass, 5.0, false),
        c("resolved", "s", Status::Pending, 20.0, false),
    ];
    let s = score_contact(&weighted(AutoFailMode::Contact), &cs);
    assert_eq!(s.score, Some(100.0));
    assert!(s.partial);
}

#[test]
fn failed_auto_fail_zeroes_the_contact() {
    let cs = [
        c("greet", "a", Status::Pass, 5.0, false),
        c("no_cvv", "b", Status::Fail, 10.0, true),
    ];
    let s = score_contact(&weighted(AutoFailMode::Contact), &cs);
    assert_eq!(s.score, Some(0.0));
    assert!(s.auto_failed);
}

#[test]
fn section_auto_fail_zeroes_only_its_section_which_stays_in_the_denominator() {
    let cs = [
        c("greet", "greeting", Status::Pass, 5.0, false),
        c("id_check", "security", Status::Pass, 5.0, false),
        c("no_cvv", "security", Status::Fail, 10.0, true),
    ];
    let s = score_contact(&weighted(AutoFailMode::Section), &cs);
    assert_eq!(s.score, Some(25.0));
    assert!(s.auto_failed);
}

#[test]
fn deduction_subtracts_penalties_and_floors_at_zero() {
    let cfg = ScoringConfig {
        method: Method::Deduction,
        auto_fail: AutoFailMode::Contact,
    };
    let cs = [
        c("a", "s", Status::Fail, 30.0, false),
        c("b", "s", Status::Pass, 10.0, false),
    ];
    assert_eq!(score_contact(&cfg, &cs).score, Some(70.0));
    let cs = [
        c("a", "s", Status::Fail, 60.0, false),
        c("b", "s", Status::Fail, 70.0, false),
    ];
    assert_eq!(score_contact(&cfg, &cs).score, Some(0.0));
}

#[test]
fn deduction_auto_fail_gives_zero() {
    let cfg = ScoringConfig {
        method: Method::Deduction,
        auto_fail: AutoFailMode::Contact,
    };
    let cs = [
        c("a", "s", Status::Fail, 5.0, true),
        c("b", "s", Status::Pass, 10.0, false),
    ];
    assert_eq!(score_contact(&cfg, &cs).score, Some(0.0));
}

#[test]
fn errors_are_counted_per_class() {
    let mut cs = vec![
        c("a", "s", Status::Fail, 5.0, false),
        c("b", "s", Status::Fail, 5.0, false),
        c("p", "s", Status::Pass, 5.0, false),
    ];
    cs[0].severity = Severity::ComplianceCritical;
    let s = score_contact(&weighted(AutoFailMode::Contact), &cs);
    assert_eq!(s.errors.compliance_critical, 1);
    assert_eq!(s.errors.non_critical, 1);
    assert_eq!(s.errors.customer_critical, 0);
}

fn result(
    contact: &str,
    card: &str,
    criteria: Vec<CriterionResult>,
) -> crate::results::ContactResult {
    let s = score_contact(&weighted(AutoFailMode::Contact), &criteria);
    crate::results::ContactResult {
        contact_id: contact.into(),
        source: "samples/batch.jsonl".into(),
        line: None,
        range_start: None,
        agent_id: "A017".into(),
        agent_name: Some("Иванова Мария".into()),
        team: Some("Группа 3".into()),
        channel: None,
        queue: None,
        started_at: None,
        duration_s: None,
        scorecard_id: card.into(),
        scorecard_version: "2026-11".into(),
        score: s.score,
        partial: s.partial,
        auto_failed: s.auto_failed,
        errors: s.errors,
        criteria,
    }
}

#[test]
fn an_agents_failures_of_two_cards_sharing_a_criterion_id_are_counted_apart() {
    let mut agg = aggregate::Aggregates::default();
    let greet = |st| c("greeting", "Приветствие", st, 5.0, false);
    agg.add(&result("C-1", "bank-voice-ru", vec![greet(Status::Fail)]));
    agg.add(&result("C-2", "bank-voice-ru", vec![greet(Status::Fail)]));
    agg.add(&result("C-3", "chat-ru", vec![greet(Status::Fail)]));
    let agent = &agg.agents["A017"];
    let key = |card: &str| aggregate::CriterionKey {
        scorecard_id: card.into(),
        id: "greeting".into(),
    };
    assert_eq!(agent.fails_of(&key("bank-voice-ru")), 2);
    assert_eq!(agent.fails_of(&key("chat-ru")), 1);
    assert_eq!(
        agent.top_failed(5),
        vec![(key("bank-voice-ru"), 2), (key("chat-ru"), 1)]
    );
    assert_eq!(
        agg.criterion("chat-ru", "greeting").map(|s| s.fail),
        Some(1)
    );
}

#[test]
fn shards_merged_count_as_one_run() {
    let greet = |st| c("greeting", "Приветствие", st, 5.0, false);
    let close = |st| c("farewell", "Завершение", st, 3.0, false);
    let results = [
        result(
            "C-1",
            "bank-voice-ru",
            vec![greet(Status::Fail), close(Status::Pass)],
        ),
        result("C-2", "chat-ru", vec![greet(Status::Pass)]),
        result(
            "C-3",
            "bank-voice-ru",
            vec![greet(Status::Na), close(Status::Fail)],
        ),
        result("C-4", "chat-ru", vec![greet(Status::Fail)]),
    ];
    let mut one = aggregate::Aggregates::default();
    results.iter().for_each(|r| one.add(r));
    let (mut a, mut b) = (
        aggregate::Aggregates::default(),
        aggregate::Aggregates::default(),
    );
    results[..1].iter().for_each(|r| a.add(r));
    results[1..].iter().for_each(|r| b.add(r));
    a.merge(&b);
    assert_eq!(a.criteria(), one.criteria());
    assert_eq!(
        a.agents["A017"].criterion_fails,
        one.agents["A017"].criterion_fails
    );
    assert_eq!(a.overall.contacts, 4);
    assert_eq!(
        a.criterion("bank-voice-ru", "farewell").map(|s| s.fail),
        Some(1)
    );
}

#[test]
fn a_cards_results_listing_its_criteria_in_another_order_or_fewer_are_counted_by_id() {
    // Results of one card usually list its criteria in the same order, and the
    // aggregates reuse the last result's positions; a result from an older
    // card version, or read from a merged file, may not.
    let greet = |st| c("greet_standard", "Приветствие", st, 4.0, false);
    let cvv = |st| c("no_cvv_pin_sms", "Безопасность", st, 10.0, true);
    let close = |st| c("close_farewell", "Завершение", st, 3.0, false);
    let mut agg = aggregate::Aggregates::default();
    let card = "bank-voice-ru";
    agg.add(&result(
        "C-1",
        card,
        vec![greet(Status::Pass), cvv(Status::Pass), close(Status::Fail)],
    ));
    agg.add(&result(
        "C-2",
        card,
        vec![close(Status::Pass), greet(Status::Fail), cvv(Status::Pass)],
    ));
    agg.add(&result(
        "C-3",
        card,
        vec![cvv(Status::Fail), greet(Status::Na)],
    ));
    agg.add(&result(
        "C-4",
        card,
        vec![greet(Status::Pass), cvv(Status::Pass), close(Status::Pass)],
    ));
    // The same order again: the remembered positions are used.
    agg.add(&result(
        "C-5",
        card,
        vec![greet(Status::Fail), cvv(Status::Pass), close(Status::Na)],
    ));
    // Merged with another run's counts, then added to again.
    let mut other = aggregate::Aggregates::default();
    other.add(&result(
        "C-6",
        card,
        vec![close(Status::Fail), cvv(Status::Pass)],
    ));
    agg.merge(&other);
    agg.add(&result(
        "C-7",
        card,
        vec![close(Status::Fail), cvv(Status::Fail)],
    ));
    let counts = |id: &str| {
        let s = agg.criterion(card, id).expect("counted");
        (s.pass, s.fail, s.na)
    };
    assert_eq!(counts("greet_standard"), (2, 2, 1));
    assert_eq!(counts("no_cvv_pin_sms"), (5, 2, 0));
    assert_eq!(counts("close_farewell"), (2, 3, 1));
    assert_eq!(agg.criteria().len(), 3);
    assert_eq!(agg.overall.members.len(), 1);
    assert_eq!(agg.overall.contacts, 7);
}

#[test]
fn weights_of_1e308_give_a_finite_score() {
    let cs = [
        c("приветствие", "s", Status::Pass, 1e308, false),
        c("прощание", "s", Status::Fail, 1e308, false),
        c("имя", "s", Status::Pass, 1e308, false),
    ];
    let s = score_contact(&weighted(AutoFailMode::Contact), &cs).score;
    let s = s.expect("applicable criteria give a score");
    assert!((s - 200.0 / 3.0).abs() < 1e-9, "{s}");
}

mod any_numbers {
    use super::*;
    use proptest::prelude::*;

    fn status() -> impl Strategy<Value = Status> {
        prop_oneof![
            Just(Status::Pass),
            Just(Status::Fail),
            Just(Status::Na),
            Just(Status::Pending)
        ]
    }

    proptest! {
        /// Whatever numbers reach the scorer (even ones validate refuses:
        /// infinities, NaN, negatives), a score is finite and within 0..100.
        #[test]
        fn no_scorecard_gives_a_non_finite_score(
            items in proptest::collection::vec(
                (status(), proptest::num::f64::ANY, any::<bool>(), 0u8..3), 1..40),
            deduction in any::<bool>(),
            section in any::<bool>(),
        ) {
            let cs: Vec<CriterionResult> = items
                .iter()
                .enumerate()
                .map(|(i, (st, w, af, sec))| c(&format!("c{i}"), &format!("s{sec}"), *st, *w, *af))
                .collect();
            let cfg = ScoringConfig {
                method: if deduction { Method::Deduction } else { Method::Weighted },
                auto_fail: if section { AutoFailMode::Section } else { AutoFailMode::Contact },
            };
            if let Some(s) = score_contact(&cfg, &cs).score {
                prop_assert!(s.is_finite() && (0.0..=100.0).contains(&s), "score {s}");
            }
        }
    }
}
