//! Reading a criterion's rule: its type, the rules within it (`all`, `any`,
//! `not`, `if`, `order`), and the rules that read numbers (`timing`, `metadata`).

use super::{kind, CardReader, Obj};
use crate::input::scorecard::limits;
use crate::input::scorecard::model::*;
use serde_json::Value;

/// What `type` may say, for the message when it says something else.
const RULE_TYPES: &str =
    "phrase, regex, order, if, timing, metadata, all, any, not, manual, pii, judge";

impl CardReader {
    pub(super) fn rule(&mut self, path: &str, v: &Value) -> Option<Rule> {
        let mut o = self.obj(path, v)?;
        let ty = self.string(&mut o, "type", true)?;
        let rule = match ty.as_str() {
            "phrase" => self.phrase(&mut o).map(Rule::Phrase),
            "regex" => self.regex(&mut o).map(Rule::Regex),
            "order" => {
                let first = self.order_part(&mut o, "first");
                let then = self.order_part(&mut o, "then");
                Some(Rule::Order {
                    first: Box::new(first?),
                    then: Box::new(then?),
                })
            }
            "if" => {
                let when = self.sub_rule(&mut o, "when");
                let then = self.sub_rule(&mut o, "then");
                Some(Rule::If {
                    when: Box::new(when?),
                    then: Box::new(then?),
                })
            }
            "timing" => self.timing(&mut o).map(Rule::Timing),
            "metadata" => self.metadata(&mut o).map(Rule::Metadata),
            "all" | "any" => {
                let rules = match o.get("rules") {
                    Some(Value::Array(items)) if !items.is_empty() => {
                        let base = o.at("rules");
                        let parsed: Vec<Option<Rule>> = items
                            .iter()
                            .enumerate()
                            .map(|(i, r)| self.rule(&format!("{base}[{i}]"), r))
                            .collect();
                        parsed.into_iter().collect::<Option<Vec<_>>>()
                    }
                    Some(Value::Array(_)) => {
                        self.err(o.at("rules"), "the list of rules is empty");
                        None
                    }
                    Some(other) => {
                        self.err(
                            o.at("rules"),
                            format!("expected a list of rules, got {}", kind(other)),
                        );
                        None
                    }
                    None => {
                        self.err(o.at("rules"), "required field is missing");
                        None
                    }
                };
                rules.map(|rules| {
                    if ty == "all" {
                        Rule::All { rules }
                    } else {
                        Rule::Any { rules }
                    }
                })
            }
            "not" => self
                .sub_rule(&mut o, "rule")
                .map(|r| Rule::Not { rule: Box::new(r) }),
            "manual" => Some(Rule::Manual {}),
            "pii" => self.pii(&mut o).map(Rule::Pii),
            "judge" => self.judge(&mut o).map(Rule::Judge),
            other => {
                self.err(
                    o.at("type"),
                    format!("unknown rule type `{other}`; expected one of: {RULE_TYPES}"),
                );
                return None;
            }
        };
        self.finish(o);
        rule
    }

    pub(super) fn sub_rule(&mut self, o: &mut Obj<'_>, key: &'static str) -> Option<Rule> {
        match o.get(key) {
            Some(v) => self.rule(&o.at(key), v),
            None => {
                self.err(o.at(key), "required field is missing");
                None
            }
        }
    }

    pub(super) fn order_part(&mut self, o: &mut Obj<'_>, key: &'static str) -> Option<Rule> {
        let r = self.sub_rule(o, key)?;
        match r {
            Rule::Phrase(_) | Rule::Regex(_) => Some(r),
            other => {
                self.err(
                    o.at(key),
                    format!(
                        "the parts of an order rule must be phrase or regex rules, got `{}`",
                        other.type_name()
                    ),
                );
                None
            }
        }
    }

    pub(super) fn timing(&mut self, o: &mut Obj<'_>) -> Option<TimingRule> {
        let measure = match self.string(o, "measure", true) {
            Some(m) => match Measure::parse(&m) {
                Some(x) => Some(x),
                None => {
                    let all: Vec<_> = Measure::ALL.iter().map(|m| m.id()).collect();
                    self.err(
                        o.at("measure"),
                        format!("unknown measure `{m}`; expected one of: {}", all.join(", ")),
                    );
                    None
                }
            },
            None => None,
        };
        let min = self.bounded(o, "min", 0.0..=limits::MAX_TIMING);
        let max = self.bounded(o, "max", 0.0..=limits::MAX_TIMING);
        if min.is_none()
            && max.is_none()
            && o.map.get("min").is_none()
            && o.map.get("max").is_none()
        {
            self.err(o.path.clone(), "a timing rule needs `min`, `max` or both");
        }
        if let (Some(a), Some(b)) = (min, max) {
            if a > b {
                self.err(o.at("min"), format!("min ({a}) is greater than max ({b})"));
            }
        }
        Some(TimingRule {
            measure: measure?,
            min,
            max,
        })
    }

    pub(super) fn metadata(&mut self, o: &mut Obj<'_>) -> Option<MetadataRule> {
        let field = self.string(o, "field", true);
        let eq = o.get("eq").cloned();
        let ne = o.get("ne").cloned();
        let in_ = match o.get("in") {
            None => None,
            Some(Value::Array(a)) if !a.is_empty() => Some(a.clone()),
            Some(other) => {
                self.err(
                    o.at("in"),
                    format!("expected a non-empty list, got {}", kind(other)),
                );
                None
            }
        };
        let big = limits::MAX_METADATA_NUMBER;
        let gte = self.bounded(o, "gte", -big..=big);
        let lte = self.bounded(o, "lte", -big..=big);
        let exists = self.boolean(o, "exists");
        let tests = ["eq", "ne", "in", "gte", "lte", "exists"];
        if !tests
            .iter()
            .any(|k| o.map.get(*k).is_some_and(|v| !v.is_null()))
        {
            self.err(
                o.path.clone(),
                "a metadata rule needs a test: eq, ne, in, gte, lte or exists",
            );
        }
        Some(MetadataRule {
            field: field?,
            eq,
            ne,
            in_,
            gte,
            lte,
            exists,
        })
    }
}
