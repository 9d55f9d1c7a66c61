//! Calibration sessions (`cqa calibrate`): several controllers — and the
//! automatic checks as one more rater — scored the same contacts; where do
//! they disagree, who is lenient or harsh, and which rules disagree with
//! people most.
//!
//! [`session`] gathers the answers, [`analyse`] computes the statistics with
//! [`crate::stats`], [`workbook`] writes `calibration.xlsx` for the session
//! room and [`to_json`] the `calibration.json` contract for other tools.

pub mod analyse;
pub mod session;
pub mod workbook;

pub use analyse::{analyse, ContactStats, CriterionStats, EvaluatorStats, Report};
pub use session::{CardMeta, CriterionMeta, Session, SessionError};

use serde_json::{json, Value};

pub const CALIBRATION_JSON: &str = "calibration.json";
pub const CALIBRATION_XLSX: &str = "calibration.xlsx";

/// `calibration.json`, shaped exactly as issue 6 fixes it; `null` where a
/// statistic is undefined. `krippendorff_alpha` is nominal for verdict
/// criteria and interval for numeric scales; `scores` maps each evaluator to
/// their total score of the contact; `worst_criteria` lists criterion ids,
/// worst first. A judge criterion adds `"judge": true` and `review_rate`.
/// `missing` counts the blank answers on calibration forms per controller and
/// criterion (`[]` when there were none), so other tools see what the
/// statistics leave out, as the «Пропуски» sheet does.
pub fn to_json(r: &Report) -> Value {
    json!({
        "criteria": r.criteria.iter().map(|c| {
            let mut v = json!({
                "id": c.id,
                "raters": c.raters,
                "contacts": c.contacts,
                "percent_agreement": c.percent_agreement,
                "krippendorff_alpha": c.krippendorff_alpha,
                "fleiss_kappa": c.fleiss_kappa,
                "auto_agreement": c.auto_agreement,
            });
            // Judge criteria (issue 19) add the share the model left to people.
            if let (true, Some(o)) = (c.judge, v.as_object_mut()) {
                o.insert("judge".into(), json!(true));
                o.insert("review_rate".into(), json!(c.review_rate()));
            }
            v
        }).collect::<Vec<_>>(),
        "contacts": r.contacts.iter().map(|c| json!({
            "id": c.id,
            "scores": c.scores,
            "spread": c.spread,
            "sd": c.sd,
        })).collect::<Vec<_>>(),
        "evaluators": r.evaluators.iter().map(|e| json!({
            "name": e.name,
            "mean_deviation": e.mean_deviation,
            "worst_criteria": e.worst.iter().map(|(id, _)| id).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "icc_2_1": r.icc_2_1,
        "missing": r.missing.iter().map(|(evaluator, criterion, contacts)| json!({
            "evaluator": evaluator,
            "criterion": criterion,
            "contacts": contacts,
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests;
