//! Rules that read numbers rather than words: timing measures and contact
//! fields (`metadata`). Their reasons quote the value and the bound.

use super::{EvalContext, Hit, Span, Verdict};
use crate::check::describe as d;
use crate::check::plan::{show, MetadataNode, TimingNode};
use crate::check::timing;
use crate::results::Status;
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

impl EvalContext<'_> {
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
                    return Verdict::na((self.words().not_a_number)(field, &shown));
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
