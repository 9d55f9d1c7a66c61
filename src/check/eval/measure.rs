//! Rules that read numbers rather than words: timing measures and contact
//! fields (`metadata`). Their reasons quote the value and the bound.

use super::{Ctx, Hit, Span, Verdict};
use crate::check::describe as d;
use crate::check::timing;
use crate::input::scorecard::{MetadataRule, TimingRule};
use crate::results::Status;
use crate::words::Lang;
use serde_json::Value;

fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => {
            x == y
                || if x.is_ascii() && y.is_ascii() {
                    x.eq_ignore_ascii_case(y)
                } else {
                    x.to_lowercase() == y.to_lowercase()
                }
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n)) => {
            s.trim().parse::<f64>().ok() == n.as_f64()
        }
        _ => a == b,
    }
}

fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().replace(',', ".").parse().ok(),
        _ => None,
    }
}

fn show(v: &Value) -> String {
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
struct TimingWording {
    /// The measure's name, capitalised.
    name: String,
    /// The reason when the contact lacks the times to measure.
    missing: String,
    /// What follows the value when it is above the maximum, below the
    /// minimum, or within the bounds.
    above: String,
    below: String,
    within: String,
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

    fn wording(&self, lang: Lang) -> &TimingWording {
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
struct MetadataWording {
    /// The field's name, quoted.
    field: String,
    /// «Поле «x» заполнено.» / «… отсутствует.» for `exists`.
    present: String,
    missing: String,
    /// The reason when the contact has no such field.
    absent: String,
    /// «Поле «x» = », before the value.
    equals: String,
    /// Each failed test: «ожидалось «y»», …
    eq: String,
    ne: String,
    in_: String,
    gte: String,
    lte: String,
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

    fn wording(&self, lang: Lang) -> &MetadataWording {
        match lang {
            Lang::Ru => &self.wording[0],
            Lang::En => &self.wording[1],
        }
    }
}

impl Ctx<'_> {
    pub(super) fn timing(&self, node: &TimingNode) -> Verdict {
        let w = node.wording(self.lang);
        let t = &node.rule;
        let Some(m) = timing::measure(self.contact, t.measure) else {
            return Verdict::na(w.missing.clone());
        };
        let v = d::measure_value(t.measure, m.value, self.lang);
        let ev: Vec<Hit> = m
            .turn
            .map(|turn| Hit {
                turn,
                span: Span::Turn,
            })
            .into_iter()
            .collect();
        let (status, rest, v) = match (t.max, t.min) {
            (Some(max), _) if m.value > max => (
                Status::Fail,
                &w.above,
                d::measure_value_beside(t.measure, m.value, max, self.lang),
            ),
            (_, Some(min)) if m.value < min => (
                Status::Fail,
                &w.below,
                d::measure_value_beside(t.measure, m.value, min, self.lang),
            ),
            _ => (Status::Pass, &w.within, v),
        };
        Verdict::new(status, d::cat(&[&w.name, ": ", &v, rest]), ev)
    }

    pub(super) fn metadata(&self, node: &MetadataNode) -> Verdict {
        let lang = self.lang;
        let w = node.wording(lang);
        let r = &node.rule;
        let value = self.contact.field(&r.field).filter(|v| !v.is_null());
        if let Some(want) = r.exists {
            let ok = value.is_some() == want;
            let reason = if value.is_some() {
                w.present.clone()
            } else {
                w.missing.clone()
            };
            if !ok
                || (r.eq.is_none()
                    && r.ne.is_none()
                    && r.in_.is_none()
                    && r.gte.is_none()
                    && r.lte.is_none())
            {
                return Verdict::new(
                    if ok { Status::Pass } else { Status::Fail },
                    reason,
                    Vec::new(),
                );
            }
        }
        let Some(v) = value else {
            return Verdict::na(w.absent.clone());
        };
        // A metadata value may itself be personal data («phone»: «+7 916 …»).
        let shown = d::quote(&crate::text::pii::mask_all(&show(&v)), lang);
        let mut failures: Vec<&str> = Vec::new();
        if let Some(eq) = &r.eq {
            if !loose_eq(&v, eq) {
                failures.push(&w.eq);
            }
        }
        if let Some(ne) = &r.ne {
            if loose_eq(&v, ne) {
                failures.push(&w.ne);
            }
        }
        if let Some(list) = &r.in_ {
            if !list.iter().any(|x| loose_eq(&v, x)) {
                failures.push(&w.in_);
            }
        }
        for (bound, is_min) in [(r.gte, true), (r.lte, false)] {
            let Some(b) = bound else { continue };
            match as_number(&v) {
                None => {
                    let field = &w.field;
                    return Verdict::na(match lang {
                        Lang::Ru => {
                            format!("Поле {field} = {shown} — не число, сравнение невозможно.")
                        }
                        Lang::En => format!(
                            "Field {field} = {shown} is not a number, so it cannot be compared."
                        ),
                    });
                }
                Some(x) if is_min && x < b => failures.push(&w.gte),
                Some(x) if !is_min && x > b => failures.push(&w.lte),
                Some(_) => {}
            }
        }
        if failures.is_empty() {
            Verdict::new(Status::Pass, d::cat(&[&w.equals, &shown, "."]), Vec::new())
        } else {
            Verdict::new(
                Status::Fail,
                d::cat(&[&w.equals, &shown, ": ", &failures.join("; "), "."]),
                Vec::new(),
            )
        }
    }
}
