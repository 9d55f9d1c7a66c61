//! Compiled timing and metadata rules, with the parts of their reasons that
//! do not depend on the contact, worded once per language.

use crate::check::describe as d;
use crate::input::scorecard::{MetadataRule, TimingRule};
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
            let name = d::measure(rule.measure, lang);
            let bound = |x: Option<f64>| {
                x.map(|x| d::measure_value(rule.measure, x, lang))
                    .unwrap_or_default()
            };
            let (max, min) = (bound(rule.max), bound(rule.min));
            let limits = match (rule.min, rule.max) {
                (Some(_), Some(_)) => d::cat(&[lang.pick("норма ", "allowed "), &min, "–", &max]),
                (None, Some(_)) => {
                    d::cat(&[lang.pick("норма — не более ", "allowed at most "), &max])
                }
                (Some(_), None) => {
                    d::cat(&[lang.pick("норма — не менее ", "required at least "), &min])
                }
                (None, None) => String::new(),
            };
            TimingWording {
                name: capital(name),
                missing: match lang {
                    Lang::Ru => format!("Нет временных меток, нужных для измерения: {name}."),
                    Lang::En => {
                        format!("The contact lacks the times needed to measure the {name}.")
                    }
                },
                above: match lang {
                    Lang::Ru => d::cat(&[" — больше допустимого (", &max, ")."]),
                    Lang::En => d::cat(&[", above the allowed ", &max, "."]),
                },
                below: match lang {
                    Lang::Ru => d::cat(&[" — меньше требуемого (", &min, ")."]),
                    Lang::En => d::cat(&[", below the required ", &min, "."]),
                },
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
            let field = d::quote(&rule.field, lang);
            let shown = |v: &Option<Value>| {
                v.as_ref()
                    .map(|v| d::quote(&show(v), lang))
                    .unwrap_or_default()
            };
            let items: Vec<String> = rule.in_.iter().flatten().map(show).collect();
            let bound = |b: Option<f64>| b.map(|b| b.to_string()).unwrap_or_default();
            MetadataWording {
                present: match lang {
                    Lang::Ru => d::cat(&["Поле ", &field, " заполнено."]),
                    Lang::En => d::cat(&["Field ", &field, " is present."]),
                },
                missing: match lang {
                    Lang::Ru => d::cat(&["Поле ", &field, " отсутствует."]),
                    Lang::En => d::cat(&["Field ", &field, " is missing."]),
                },
                absent: match lang {
                    Lang::Ru => format!("Поле {field} отсутствует в контакте."),
                    Lang::En => format!("The contact has no field {field}."),
                },
                equals: d::cat(&[lang.pick("Поле ", "Field "), &field, " = "]),
                eq: d::cat(&[lang.pick("ожидалось", "expected"), " ", &shown(&rule.eq)]),
                ne: d::cat(&[
                    lang.pick("не должно быть", "must not be"),
                    " ",
                    &shown(&rule.ne),
                ]),
                in_: d::cat(&[
                    lang.pick("ожидалось одно из ", "expected one of "),
                    &d::list(&items, lang),
                ]),
                gte: d::cat(&[
                    lang.pick("ожидалось не менее", "expected at least"),
                    " ",
                    &bound(rule.gte),
                ]),
                lte: d::cat(&[
                    lang.pick("ожидалось не более", "expected at most"),
                    " ",
                    &bound(rule.lte),
                ]),
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
