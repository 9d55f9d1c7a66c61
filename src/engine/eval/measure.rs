//! Rules that read numbers rather than words: timing measures and contact
//! fields (`metadata`). Their reasons quote the value and the bound.

use super::{Ctx, Hit, Span, Verdict};
use crate::engine::describe as d;
use crate::engine::timing;
use crate::lang::Lang;
use crate::results::Status;
use crate::scorecard::{MetadataRule, TimingRule};
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

impl Ctx<'_> {
    pub(super) fn timing(&self, t: &TimingRule) -> Verdict {
        let lang = self.lang;
        let name = d::measure(t.measure, lang);
        let Some(m) = timing::measure(self.contact, t.measure) else {
            return Verdict::na(match lang {
                Lang::Ru => format!("Нет временных меток, нужных для измерения: {name}."),
                Lang::En => format!("The contact lacks the times needed to measure the {name}."),
            });
        };
        let v = d::measure_value(t.measure, m.value, lang);
        let ev: Vec<Hit> = m
            .turn
            .map(|turn| Hit {
                turn,
                span: Span::Turn,
            })
            .into_iter()
            .collect();
        let bound = |x: f64| d::measure_value(t.measure, x, lang);
        let name = capital(name);
        if let Some(max) = t.max {
            if m.value > max {
                let reason = match lang {
                    Lang::Ru => d::cat(&[
                        &name,
                        ": ",
                        &v,
                        " — больше допустимого (",
                        &bound(max),
                        ").",
                    ]),
                    Lang::En => {
                        d::cat(&[&name, ": ", &v, ", above the allowed ", &bound(max), "."])
                    }
                };
                return Verdict::new(Status::Fail, reason, ev);
            }
        }
        if let Some(min) = t.min {
            if m.value < min {
                let reason = match lang {
                    Lang::Ru => {
                        d::cat(&[&name, ": ", &v, " — меньше требуемого (", &bound(min), ")."])
                    }
                    Lang::En => {
                        d::cat(&[&name, ": ", &v, ", below the required ", &bound(min), "."])
                    }
                };
                return Verdict::new(Status::Fail, reason, ev);
            }
        }
        let limits = match (t.min, t.max) {
            (Some(a), Some(b)) => {
                d::cat(&[lang.pick("норма ", "allowed "), &bound(a), "–", &bound(b)])
            }
            (None, Some(b)) => d::cat(&[
                lang.pick("норма — не более ", "allowed at most "),
                &bound(b),
            ]),
            (Some(a), None) => d::cat(&[
                lang.pick("норма — не менее ", "required at least "),
                &bound(a),
            ]),
            (None, None) => String::new(),
        };
        Verdict::new(
            Status::Pass,
            d::cat(&[&name, ": ", &v, " (", &limits, ")."]),
            ev,
        )
    }

    pub(super) fn metadata(&self, r: &MetadataRule) -> Verdict {
        let lang = self.lang;
        let field = d::quote(&r.field, lang);
        let value = self.contact.field(&r.field).filter(|v| !v.is_null());
        if let Some(want) = r.exists {
            let ok = value.is_some() == want;
            let reason = match (value.is_some(), lang) {
                (true, Lang::Ru) => d::cat(&["Поле ", &field, " заполнено."]),
                (false, Lang::Ru) => d::cat(&["Поле ", &field, " отсутствует."]),
                (true, Lang::En) => d::cat(&["Field ", &field, " is present."]),
                (false, Lang::En) => d::cat(&["Field ", &field, " is missing."]),
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
            return Verdict::na(match lang {
                Lang::Ru => format!("Поле {field} отсутствует в контакте."),
                Lang::En => format!("The contact has no field {field}."),
            });
        };
        let shown = d::quote(&show(&v), lang);
        let mut failures: Vec<String> = Vec::new();
        if let Some(eq) = &r.eq {
            if !loose_eq(&v, eq) {
                failures.push(format!(
                    "{} {}",
                    lang.pick("ожидалось", "expected"),
                    d::quote(&show(eq), lang)
                ));
            }
        }
        if let Some(ne) = &r.ne {
            if loose_eq(&v, ne) {
                failures.push(format!(
                    "{} {}",
                    lang.pick("не должно быть", "must not be"),
                    d::quote(&show(ne), lang)
                ));
            }
        }
        if let Some(list) = &r.in_ {
            if !list.iter().any(|x| loose_eq(&v, x)) {
                let items: Vec<String> = list.iter().map(show).collect();
                failures.push(d::cat(&[
                    lang.pick("ожидалось одно из ", "expected one of "),
                    &d::list(&items, lang),
                ]));
            }
        }
        for (bound, is_min) in [(r.gte, true), (r.lte, false)] {
            let Some(b) = bound else { continue };
            match as_number(&v) {
                None => {
                    return Verdict::na(match lang {
                        Lang::Ru => {
                            format!("Поле {field} = {shown} — не число, сравнение невозможно.")
                        }
                        Lang::En => format!(
                            "Field {field} = {shown} is not a number, so it cannot be compared."
                        ),
                    })
                }
                Some(x) if is_min && x < b => failures.push(format!(
                    "{} {b}",
                    lang.pick("ожидалось не менее", "expected at least")
                )),
                Some(x) if !is_min && x > b => failures.push(format!(
                    "{} {b}",
                    lang.pick("ожидалось не более", "expected at most")
                )),
                Some(_) => {}
            }
        }
        if failures.is_empty() {
            Verdict::new(
                Status::Pass,
                d::cat(&[lang.pick("Поле ", "Field "), &field, " = ", &shown, "."]),
                Vec::new(),
            )
        } else {
            Verdict::new(
                Status::Fail,
                d::cat(&[
                    lang.pick("Поле ", "Field "),
                    &field,
                    " = ",
                    &shown,
                    ": ",
                    &failures.join("; "),
                    ".",
                ]),
                Vec::new(),
            )
        }
    }
}
