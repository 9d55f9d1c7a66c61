//! The published JSON Schema of the scorecard format, so that editors
//! complete and check scorecards as they are typed (`cqa schema`).

use super::Scorecard;

/// The schema as JSON. The bundled copy in `schemas/` is this, verbatim (a test holds them equal).
pub fn scorecard_schema() -> serde_json::Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(Scorecard)).unwrap_or_default();
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "$id".into(),
            "https://github.com/cqa-project/cqa/schemas/scorecard.schema.json".into(),
        );
        obj.insert(
            "description".into(),
            "cqa scorecard: sections of criteria, each with a rule, a weight or penalty and a COPC severity class".into(),
        );
    }
    schema
}
