//! External check of the rule semantics: another QA tool's hand-labelled golden
//! set, converted to cqa's formats (../shared/data/peer_conversation_qa). Each
//! contact is scored with the scorecard its expected.json names; all 56
//! labelled statuses must agree. Skips when the data folder is absent.

use cqa::check::{CompiledScorecard, EvalOptions};
use cqa::input::contact::parse_contact;
use cqa::input::scorecard::parse_scorecard;
use serde_json::Value;
use std::path::Path;

#[test]
fn cqa_agrees_with_the_peer_golden_set_on_all_labelled_statuses() {
    let dir = Path::new("../shared/data/peer_conversation_qa");
    if !dir.join("expected.json").exists() {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    }
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let mut checked = 0;
    let mut disagreements = Vec::new();
    for (id, case) in expected["contacts"].as_object().unwrap() {
        let card_path = dir.join(case["scorecard"].as_str().unwrap());
        let card = parse_scorecard(
            &std::fs::read_to_string(&card_path).unwrap(),
            &card_path.display().to_string(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let card = CompiledScorecard::compile(card).unwrap();
        let contact = parse_contact(
            &std::fs::read_to_string(dir.join(case["contact_file"].as_str().unwrap())).unwrap(),
        )
        .unwrap();
        let result = cqa::run::evaluate(&card, &contact, id, None, &EvalOptions::default());
        let Some(criteria) = case["criteria"].as_object() else {
            continue;
        };
        for (crit, label) in criteria {
            let want = label["expected"].as_str().unwrap();
            let got = result
                .criteria
                .iter()
                .find(|c| c.id == crit)
                .unwrap_or_else(|| panic!("{id}: no criterion {crit}"));
            checked += 1;
            if got.status.id() != want {
                disagreements.push(format!(
                    "{id} {crit}: expected {want}, got {} — {}",
                    got.status.id(),
                    got.reason
                ));
            }
        }
    }
    assert_eq!(checked, 56, "the golden set labels 56 statuses");
    assert!(
        disagreements.is_empty(),
        "{} disagreement(s):\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
