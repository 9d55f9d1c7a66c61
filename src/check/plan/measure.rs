//! Compiled timing and metadata rules, with the parts of their reasons that
//! do not depend on the contact, worded once per language.

use crate::check::describe as d;
use crate::input::scorecard::{MetadataRule, TimingRule};
use crate::words::reasons::ReasonWords;
use crate::words::Lang;
use serde_json::Value;

pub(crate) fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => {
            let mut out = String::with_capacity(s.len() + 2);
            out.extend(f.to_uppercase());
            out.push_str(c.as_str());
            out
        }
        None => String::new(),
    }
}
/// A timing rule and the parts of its reasons that do not depend on the
/// contact, worded once per language when the scorecard compiles.
#[derive(Debug, Clone)]
pub(crate) struct TimingNode {
    pub rule: TimingRule,
    wording: [TimingWording; 2],
}

#[derive(Debug, Clone)]
pub(crate) struct TimingWording {
    /// The measure's name, capitalised.
    pub name: String,
    /// The reason when the contact lacks the times to measure.
    pub missing: String,
    /// What follows the value when it is above the maximum, below the
    /// minimum, or within the bounds.
    pub above: String,
    pub below: String,
    pub within: String,
}

impl TimingNode {
    pub fn new(rule: TimingRule) -> Self {
        let wording = [Lang::Ru, Lang::En].map(|lang| {
            let w = ReasonWords::for_lang(lang);
            let name = d::measure(rule.measure, lang);
            let bound = |x: Option<f64>| {
                x.map(|x| d::measure_value(rule.measure, x, lang))
                    .unwrap_or_default()
            };
            let (max, min) = (bound(rule.max), bound(rule.min));
            let limits = match (rule.min, rule.max) {
                (Some(_), Some(_)) => d::cat(&[w.allowed_range, &min, "–", &max]),
                (None, Some(_)) => d::cat(&[w.allowed_at_most, &max]),
                (Some(_), None) => d::cat(&[w.required_at_least, &min]),
                (None, None) => String::new(),
            };
            TimingWording {
                name: capital(name),
                missing: (w.no_times_to_measure)(name),
                above: d::cat(&[w.above_before, &max, w.above_after]),
                below: d::cat(&[w.below_before, &min, w.below_after]),
                within: d::cat(&[" (", &limits, ")."]),
            }
        });
        TimingNode { rule, wording }
    }

    pub(crate) fn wording(&self, lang: Lang) -> &TimingWording {
        match lang {
            Lang::Ru => &self.wording[0],
            Lang::En => &self.wording[1],
        }
    }
}

/// A metadata rule and the parts of its reasons that do not depend on the
/// contact (the quoted field, what was expected), worded once per language.
#[derive(Debug, Clone)]
pub(crate) struct MetadataNode {
    pub rule: MetadataRule,
    wording: [MetadataWording; 2],
}

#[derive(Debug, Clone)]
pub(crate) struct MetadataWording {
    /// The field's name, quoted.
    pub field: String,
    /// «Поле «x» заполнено.» / «… отсутствует.» for `exists`.
    pub present: String,
    pub missing: String,
    /// The reason when the contact has no such field.
    pub absent: String,
    /// «Поле «x» = », before the value.
    pub equals: String,
    /// Each failed test: «ожидалось «y»», …
    pub eq: String,
    pub ne: String,
    pub in_: String,
    pub gte: String,
    pub lte: String,
}

impl MetadataNode {
    pub fn new(rule: MetadataRule) -> Self {
        let wording = [Lang::Ru, Lang::En].map(|lang| {
            let w = ReasonWords::for_lang(lang);
            let field = d::quote(&rule.field, lang);
            let shown = |v: &Option<Value>| {
                v.as_ref()
                    .map(|v| d::quote(&show(v), lang))
                    .unwrap_or_default()
            };
            let items: Vec<String> = rule.in_.iter().flatten().map(show).collect();
            let bound = |b: Option<f64>| b.map(|b| b.to_string()).unwrap_or_default();
            MetadataWording {
                present: d::cat(&[w.field, &field, w.field_present]),
                missing: d::cat(&[w.field, &field, w.field_missing]),
                absent: (w.no_field)(&field),
                equals: d::cat(&[w.field, &field, " = "]),
                eq: d::cat(&[w.expected, " ", &shown(&rule.eq)]),
                ne: d::cat(&[w.must_not_be, " ", &shown(&rule.ne)]),
                in_: d::cat(&[w.expected_one_of, &d::list(&items, lang)]),
                gte: d::cat(&[w.expected_at_least, " ", &bound(rule.gte)]),
                lte: d::cat(&[w.expected_at_most, " ", &bound(rule.lte)]),
                field,
            }
        });
        MetadataNode { rule, wording }
    }

    pub(crate) fn wording(&self, lang: Lang) -> &MetadataWording {
        match lang {
            Lang::Ru => &self.wording[0],
            Lang::En => &self.wording[1],
        }
    }
}
