//! Real multi-rater data: the NTCIR-14 STC-3 customer-helpdesk dialogues
//! (1,672 English dialogues, each rated by 19 annotators for task
//! Accomplishment, customer Satisfaction and dialogue Effectiveness on −2…2).
//! Imported as evaluations through the same reader as controllers' tables,
//! and calibrated as an interval scale. Skipped when the data folder is
//! absent (it lives outside the repository: `../shared/data/`, or set
//! `CQA_STC3_DIR`). Run with `-- --nocapture` to see the figures.

use cqa::qa::calibration::{analyse, Session};
use cqa::qa::evaluation::read_evaluations;
use cqa::stats::{krippendorff_alpha, Level};
use std::path::PathBuf;

fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("CQA_STC3_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/stc3_customer_helpdesk")
        });
    dir.join("train_data_en.json").is_file().then_some(dir)
}

#[test]
fn stc3_helpdesk_ratings_agreement_as_an_interval_scale() {
    let Some(dir) = data_dir() else {
        eprintln!("STC-3 data not found; skipped");
        return;
    };
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("train_data_en.json")).unwrap())
            .unwrap();
    let dialogues = data.as_array().unwrap();
    // One flat evaluation table. The same 19 students rated every dialogue;
    // the release does not document that the list keeps one annotator order,
    // so position is taken as identity: alpha does not depend on it, the
    // rater term of ICC(2,1) does.
    let tmp = tempfile::tempdir().unwrap();
    let mut csv = String::from("evaluator,contact_id,criterion_id,answer,comment\n");
    let mut raw: std::collections::BTreeMap<&str, Vec<Vec<Option<f64>>>> = Default::default();
    for d in dialogues {
        let id = d["id"].to_string();
        let notes = d["annotations"].as_array().unwrap();
        for k in ["A", "S", "E"] {
            let mut unit = Vec::new();
            for (i, a) in notes.iter().enumerate() {
                let v = a["quality"][k].as_f64();
                if let Some(v) = v {
                    csv.push_str(&format!("annotator_{:02},{id},{k},{v},\n", i + 1));
                }
                unit.push(v);
            }
            raw.entry(k).or_default().push(unit);
        }
    }
    let path = tmp.path().join("stc3.csv");
    std::fs::write(&path, csv).unwrap();

    let evals = read_evaluations(&path).unwrap();
    assert!(evals.bad.is_empty(), "{:?}", evals.bad.first());
    assert_eq!(evals.answers.len(), dialogues.len() * 19 * 3);
    let (session, bad) = Session::build(&evals, vec![], &[], None).unwrap();
    assert!(bad.is_empty());
    let report = analyse(&session);

    println!(
        "STC-3 (train, English): {} dialogues x 19 annotators",
        dialogues.len()
    );
    println!(
        "{:<28} {:>10} {:>10} {:>10} {:>10}",
        "criterion", "alpha int", "alpha nom", "ICC(2,1)", "% agree"
    );
    for c in &report.criteria {
        let alpha = c.krippendorff_alpha.unwrap();
        let nominal = cqa::stats::krippendorff_alpha(&raw[c.id.as_str()], Level::Nominal).unwrap();
        let name = match c.id.as_str() {
            "A" => "A (task accomplishment)",
            "S" => "S (customer satisfaction)",
            _ => "E (effectiveness)",
        };
        println!(
            "{name:<28} {alpha:>10.4} {nominal:>10.4} {:>10.4} {:>9.1}%",
            c.icc_2_1.unwrap(),
            100.0 * c.percent_agreement.unwrap()
        );
        assert_eq!(c.level, Level::Interval);
        assert_eq!((c.raters, c.contacts), (19, dialogues.len()));
        // The import path gives exactly what the statistic gives on the raw matrix.
        let direct = krippendorff_alpha(&raw[c.id.as_str()], Level::Interval).unwrap();
        assert!((alpha - direct).abs() < 1e-12, "{alpha} vs {direct}");
        // Crowd ratings of dialogue quality: some agreement, far from perfect.
        assert!((0.0..0.8).contains(&alpha), "{} alpha {alpha}", c.id);
        assert!(c.icc_2_1.unwrap() > 0.0 && c.icc_2_1.unwrap() < 0.8);
        assert!(c.fleiss_kappa.is_some(), "19 raters on every dialogue");
    }
}
