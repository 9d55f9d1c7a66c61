//! Reading the scorecard itself: its header, scoring and targets, sections
//! and criteria, the card-wide match mode and substitutions, and ids used twice.

use super::{join, kind, CardReader, Obj};
use crate::input::scorecard::limits;
use crate::input::scorecard::model::*;
use serde_json::Value;
use std::collections::HashMap;

impl CardReader {
    pub(super) fn scorecard(&mut self, v: &Value) -> Option<Scorecard> {
        let mut o = self.obj("", v)?;
        let schema = self.string(&mut o, "$schema", false);
        let id = self.string(&mut o, "id", true);
        let version = self.string(&mut o, "version", false).unwrap_or_default();
        let title = self.string(&mut o, "title", false).unwrap_or_default();
        let language = self.string(&mut o, "language", false);
        let applies_to = o
            .get("applies_to")
            .map(|v| self.applies_to(&join("", "applies_to"), v));
        let scoring = o
            .get("scoring")
            .map(|v| self.scoring(v))
            .unwrap_or_default();
        let targets = o
            .get("targets")
            .map(|v| self.targets(v))
            .unwrap_or_default();
        let match_mode = self.match_mode(&mut o);
        let substitutions = self.substitutions(&mut o);
        let sections = match o.get("sections") {
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .enumerate()
                .filter_map(|(i, s)| self.section(&format!("sections[{i}]"), s, scoring.method))
                .collect(),
            Some(Value::Array(_)) => {
                self.err("sections", "a scorecard needs at least one section");
                Vec::new()
            }
            Some(other) => {
                self.err(
                    "sections",
                    format!("expected a list of sections, got {}", kind(other)),
                );
                Vec::new()
            }
            None => {
                self.err("sections", "required field is missing");
                Vec::new()
            }
        };
        self.finish(o);
        let card = Scorecard {
            schema,
            id: id?,
            version,
            title,
            language,
            applies_to: applies_to.unwrap_or_default(),
            scoring,
            targets,
            match_mode,
            substitutions,
            sections,
        };
        Some(card)
    }

    /// Duplicate section and criterion ids, from the JSON as written, and
    /// the criteria limit. Maps, not lists: a card with 100,000 criteria took
    /// minutes here.
    pub(super) fn duplicates(&mut self, card: &Value) {
        let mut sections: HashMap<&str, usize> = HashMap::new();
        let mut criteria: HashMap<&str, String> = HashMap::new();
        let mut count = 0usize;
        fn list<'v>(v: &'v Value, key: &str) -> &'v [Value] {
            v[key].as_array().map_or(&[], Vec::as_slice)
        }
        for (si, s) in list(card, "sections").iter().enumerate() {
            if let Some(id) = s["id"].as_str() {
                if let Some(first) = sections.get(id) {
                    self.err(
                        format!("sections[{si}].id"),
                        format!("duplicate section id `{id}` (first at sections[{first}])"),
                    );
                } else {
                    sections.insert(id, si);
                }
            }
            for (ci, c) in list(s, "criteria").iter().enumerate() {
                let here = format!("sections[{si}].criteria[{ci}]");
                count += 1;
                if count == limits::MAX_CRITERIA + 1 {
                    self.err(
                        &here,
                        format!(
                            "a scorecard has at most {} criteria; split it into several cards",
                            limits::MAX_CRITERIA
                        ),
                    );
                }
                let Some(id) = c["id"].as_str() else { continue };
                if let Some(first) = criteria.get(id) {
                    self.err(
                        format!("{here}.id"),
                        format!("duplicate criterion id `{id}` (first at {first})"),
                    );
                } else {
                    criteria.insert(id, here);
                }
            }
        }
    }

    pub(super) fn applies_to(&mut self, path: &str, v: &Value) -> AppliesTo {
        let Some(mut o) = self.obj(path, v) else {
            return AppliesTo::default();
        };
        let list = |cx: &mut CardReader, o: &mut Obj<'_>, key: &'static str| match o.get(key) {
            Some(v) => cx.string_list(&o.at(key), v).unwrap_or_default(),
            None => Vec::new(),
        };
        let channels = list(self, &mut o, "channels");
        let queues = list(self, &mut o, "queues");
        let languages = list(self, &mut o, "languages");
        self.finish(o);
        AppliesTo {
            channels,
            queues,
            languages,
        }
    }

    pub(super) fn scoring(&mut self, v: &Value) -> ScoringConfig {
        let Some(mut o) = self.obj("scoring", v) else {
            return ScoringConfig::default();
        };
        let method = match self.string(&mut o, "method", false).as_deref() {
            None | Some("weighted") => Method::Weighted,
            Some("deduction") => Method::Deduction,
            Some(other) => {
                self.err(
                    "scoring.method",
                    format!("unknown scoring method `{other}`; expected weighted or deduction"),
                );
                Method::Weighted
            }
        };
        let auto_fail = match self.string(&mut o, "auto_fail", false).as_deref() {
            None | Some("contact") => AutoFailMode::Contact,
            Some("section") => AutoFailMode::Section,
            Some(other) => {
                self.err(
                    "scoring.auto_fail",
                    format!("unknown auto_fail mode `{other}`; expected contact or section"),
                );
                AutoFailMode::Contact
            }
        };
        self.finish(o);
        ScoringConfig { method, auto_fail }
    }

    pub(super) fn targets(&mut self, v: &Value) -> Targets {
        let Some(mut o) = self.obj("targets", v) else {
            return Targets::default();
        };
        let pct = |cx: &mut CardReader, o: &mut Obj<'_>, key: &'static str| {
            let x = cx.number(o, key)?;
            if !(0.0..=100.0).contains(&x) {
                cx.err(
                    o.at(key),
                    format!("a target is a percentage from 0 to 100, got {x}"),
                );
                return None;
            }
            Some(x)
        };
        let t = Targets {
            score: pct(self, &mut o, "score"),
            customer_critical_accuracy: pct(self, &mut o, "customer_critical_accuracy"),
            business_critical_accuracy: pct(self, &mut o, "business_critical_accuracy"),
            compliance_critical_accuracy: pct(self, &mut o, "compliance_critical_accuracy"),
        };
        self.finish(o);
        t
    }

    pub(super) fn section(&mut self, path: &str, v: &Value, method: Method) -> Option<Section> {
        let mut o = self.obj(path, v)?;
        let id = self.string(&mut o, "id", true);
        let title = self.string(&mut o, "title", false);
        let criteria = match o.get("criteria") {
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .enumerate()
                .filter_map(|(i, c)| self.criterion(&format!("{path}.criteria[{i}]"), c, method))
                .collect(),
            Some(Value::Array(_)) => {
                self.err(o.at("criteria"), "a section needs at least one criterion");
                Vec::new()
            }
            Some(other) => {
                self.err(
                    o.at("criteria"),
                    format!("expected a list of criteria, got {}", kind(other)),
                );
                Vec::new()
            }
            None => {
                self.err(o.at("criteria"), "required field is missing");
                Vec::new()
            }
        };
        self.finish(o);
        let id = id?;
        Some(Section {
            title: title.unwrap_or_else(|| id.clone()),
            id,
            criteria,
        })
    }

    pub(super) fn criterion(&mut self, path: &str, v: &Value, method: Method) -> Option<Criterion> {
        let mut o = self.obj(path, v)?;
        let id = self.string(&mut o, "id", true);
        let title = self.string(&mut o, "title", true);
        let fail_title = self.string(&mut o, "fail_title", false);
        let weight = self.number(&mut o, "weight");
        let penalty = self.number(&mut o, "penalty");
        for (key, val, max) in [
            ("weight", weight, limits::MAX_WEIGHT),
            ("penalty", penalty, limits::MAX_PENALTY),
        ] {
            if let Some(Err(e)) = val.map(|x| limits::positive(x, max, key)) {
                self.err(o.at(key), e);
            }
        }
        match method {
            Method::Weighted if weight.is_none() && o.map.get("weight").is_none() => self.err(
                o.at("weight"),
                "required field is missing (the scorecard scores by weight)",
            ),
            Method::Deduction if penalty.is_none() && o.map.get("penalty").is_none() => self.err(
                o.at("penalty"),
                "required field is missing (the scorecard scores by deduction)",
            ),
            _ => {}
        }
        let severity = match self.string(&mut o, "severity", true) {
            Some(s) => match Severity::parse(&s) {
                Some(sev) => Some(sev),
                None => {
                    self.err(
                        o.at("severity"),
                        format!("unknown severity `{s}`; expected one of: customer_critical, business_critical, compliance_critical, non_critical"),
                    );
                    None
                }
            },
            None => None,
        };
        let auto_fail = self.boolean(&mut o, "auto_fail").unwrap_or(false);
        let recommendation = self.string(&mut o, "recommendation", false);
        let rule = match o.get("rule") {
            Some(r) => self.rule(&o.at("rule"), r),
            None => {
                self.err(o.at("rule"), "required field is missing");
                None
            }
        };
        self.finish(o);
        Some(Criterion {
            id: id?,
            title: title?,
            fail_title,
            weight,
            penalty,
            severity: severity?,
            auto_fail,
            rule: rule?,
            recommendation,
        })
    }

    pub(super) fn match_mode(&mut self, o: &mut Obj<'_>) -> Option<MatchMode> {
        match self.string(o, "match", false).as_deref() {
            None => None,
            Some("exact") => Some(MatchMode::Exact),
            Some("stem") => Some(MatchMode::Stem),
            Some(other) => {
                self.err(
                    o.at("match"),
                    format!("unknown match mode `{other}`; expected exact or stem"),
                );
                None
            }
        }
    }

    pub(super) fn substitutions(
        &mut self,
        o: &mut Obj<'_>,
    ) -> std::collections::BTreeMap<String, String> {
        let mut out = std::collections::BTreeMap::new();
        match o.get("substitutions") {
            None => {}
            Some(Value::Object(m)) => {
                for (k, v) in m {
                    match v {
                        Value::String(s)
                            if !crate::text::normalize(s).is_empty()
                                && !crate::text::normalize(k).is_empty() =>
                        {
                            out.insert(k.clone(), s.clone());
                        }
                        other => self.err(
                            format!("substitutions.{k}"),
                            format!(
                                "expected the intended wording as a non-empty string, got {}",
                                kind(other)
                            ),
                        ),
                    }
                }
            }
            Some(other) => self.err(
                "substitutions",
                format!(
                    "expected an object {{\"heard\": \"meant\"}}, got {}",
                    kind(other)
                ),
            ),
        }
        out
    }
}
