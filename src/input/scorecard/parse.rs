//! Reading a scorecard written by a person: every problem is reported at once,
//! each with its JSON path (`sections[2].criteria[0].rule.pattern`) and a plain
//! message, so one `cqa validate` run is enough to fix a file.

use super::limits;
mod judge;

use super::locate::{by_criterion, criterion_at};
use super::model::*;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::fmt;
use std::path::Path;

/// One problem in a scorecard.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// JSON path of the offending value; empty for the document itself.
    pub path: String,
    pub message: String,
    /// The id of the criterion the path is in, when it has one: shown
    /// beside the path (`sections[0].criteria[1] (greet_name).rule…`).
    pub criterion: Option<String>,
}

impl Issue {
    /// The path with the criterion id after `criteria[j]`.
    pub fn located(&self) -> String {
        match (&self.criterion, criterion_at(&self.path)) {
            (Some(id), Some((_, _, end))) => {
                format!("{} ({id}){}", &self.path[..end], &self.path[end..])
            }
            _ => self.path.clone(),
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ScorecardError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: invalid JSON at line {line}, column {column}: {message}")]
    Json {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}", format_issues(file, issues))]
    Invalid { file: String, issues: Vec<Issue> },
}

fn format_issues(file: &str, issues: &[Issue]) -> String {
    issues
        .iter()
        .map(|i| {
            if i.path.is_empty() {
                format!("{file}: {}", i.message)
            } else {
                format!("{file}: {}: {}", i.located(), i.message)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads and validates a scorecard file.
pub fn load_scorecard(path: &Path) -> Result<Scorecard, ScorecardError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ScorecardError::Io {
        file: file.clone(),
        source,
    })?;
    parse_scorecard(&text, &file)
}

/// Validates scorecard JSON; `file` only labels the messages.
pub fn parse_scorecard(text: &str, file: &str) -> Result<Scorecard, ScorecardError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let msg = e.to_string();
        let message = match msg.rfind(" at line ") {
            Some(i) => msg[..i].to_string(),
            None => msg,
        };
        ScorecardError::Json {
            file: file.to_string(),
            line: e.line(),
            column: e.column(),
            message,
        }
    })?;
    let mut cx = Cx::default();
    let card = cx.scorecard(&value);
    // On the JSON itself, so that a criterion with another error still has
    // its duplicate id reported (a criterion that fails to read is not in `card`).
    cx.duplicates(&value);
    match card {
        Some(c) if cx.issues.is_empty() => Ok(c),
        _ => Err(ScorecardError::Invalid {
            file: file.to_string(),
            issues: by_criterion(cx.issues, &value),
        }),
    }
}

const RULE_TYPES: &str =
    "phrase, regex, order, if, timing, metadata, all, any, not, manual, pii, judge";

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[derive(Default)]
struct Cx {
    issues: Vec<Issue>,
}

/// An object being read: remembers which keys were asked for, so the rest can
/// be reported as unknown fields.
struct Obj<'a> {
    path: String,
    map: &'a Map<String, Value>,
    known: Vec<&'static str>,
}

impl<'a> Obj<'a> {
    fn get(&mut self, key: &'static str) -> Option<&'a Value> {
        self.known.push(key);
        self.map.get(key).filter(|v| !v.is_null())
    }
    fn at(&self, key: &str) -> String {
        join(&self.path, key)
    }
}

impl Cx {
    fn err(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.issues.push(Issue {
            path: path.into(),
            message: message.into(),
            criterion: None,
        });
    }

    fn obj<'a>(&mut self, path: &str, v: &'a Value) -> Option<Obj<'a>> {
        match v {
            Value::Object(map) => Some(Obj {
                path: path.to_string(),
                map,
                known: Vec::new(),
            }),
            other => {
                self.err(path, format!("expected an object, got {}", kind(other)));
                None
            }
        }
    }

    fn finish(&mut self, o: Obj<'_>) {
        for k in o.map.keys() {
            if !o.known.contains(&k.as_str()) {
                let mut known = o.known.clone();
                known.sort_unstable();
                known.dedup();
                self.err(
                    o.at(k),
                    format!("unknown field `{k}`; expected one of: {}", known.join(", ")),
                );
            }
        }
    }

    fn string(&mut self, o: &mut Obj<'_>, key: &'static str, required: bool) -> Option<String> {
        match o.get(key) {
            None if required => {
                self.err(o.at(key), "required field is missing");
                None
            }
            None => None,
            Some(Value::String(s)) if required && s.trim().is_empty() => {
                self.err(o.at(key), "must not be empty");
                None
            }
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                self.err(o.at(key), format!("expected a string, got {}", kind(other)));
                None
            }
        }
    }

    fn number(&mut self, o: &mut Obj<'_>, key: &'static str) -> Option<f64> {
        match o.get(key) {
            None => None,
            Some(Value::Number(n)) => n.as_f64(),
            Some(other) => {
                self.err(o.at(key), format!("expected a number, got {}", kind(other)));
                None
            }
        }
    }

    /// A number that must lie in `range` (see [`limits`]); out of it, an issue.
    fn bounded(
        &mut self,
        o: &mut Obj<'_>,
        key: &'static str,
        range: std::ops::RangeInclusive<f64>,
    ) -> Option<f64> {
        let x = self.number(o, key)?;
        limits::in_range(x, range, key)
            .map_err(|e| self.err(o.at(key), e))
            .ok()
    }

    fn boolean(&mut self, o: &mut Obj<'_>, key: &'static str) -> Option<bool> {
        match o.get(key) {
            None => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(other) => {
                self.err(
                    o.at(key),
                    format!("expected true or false, got {}", kind(other)),
                );
                None
            }
        }
    }

    fn string_list(&mut self, path: &str, v: &Value) -> Option<Vec<String>> {
        let Value::Array(items) = v else {
            self.err(path, format!("expected a list of strings, got {}", kind(v)));
            return None;
        };
        if items.is_empty() {
            self.err(path, "the list is empty");
            return None;
        }
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::String(s) if !s.trim().is_empty() => out.push(s.clone()),
                Value::String(_) => self.err(format!("{path}[{i}]"), "must not be empty"),
                other => self.err(
                    format!("{path}[{i}]"),
                    format!("expected a string, got {}", kind(other)),
                ),
            }
        }
        (out.len() == items.len()).then_some(out)
    }

    fn scorecard(&mut self, v: &Value) -> Option<Scorecard> {
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
    fn duplicates(&mut self, card: &Value) {
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

    fn applies_to(&mut self, path: &str, v: &Value) -> AppliesTo {
        let Some(mut o) = self.obj(path, v) else {
            return AppliesTo::default();
        };
        let list = |cx: &mut Cx, o: &mut Obj<'_>, key: &'static str| match o.get(key) {
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

    fn scoring(&mut self, v: &Value) -> ScoringConfig {
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

    fn targets(&mut self, v: &Value) -> Targets {
        let Some(mut o) = self.obj("targets", v) else {
            return Targets::default();
        };
        let pct = |cx: &mut Cx, o: &mut Obj<'_>, key: &'static str| {
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

    fn section(&mut self, path: &str, v: &Value, method: Method) -> Option<Section> {
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

    fn criterion(&mut self, path: &str, v: &Value, method: Method) -> Option<Criterion> {
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

    fn rule(&mut self, path: &str, v: &Value) -> Option<Rule> {
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

    fn sub_rule(&mut self, o: &mut Obj<'_>, key: &'static str) -> Option<Rule> {
        match o.get(key) {
            Some(v) => self.rule(&o.at(key), v),
            None => {
                self.err(o.at(key), "required field is missing");
                None
            }
        }
    }

    fn order_part(&mut self, o: &mut Obj<'_>, key: &'static str) -> Option<Rule> {
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

    fn scope(&mut self, o: &mut Obj<'_>) -> Option<TextScope> {
        let speaker = match self.string(o, "speaker", false) {
            None => SpeakerSel::Any,
            Some(s) => match SpeakerSel::parse(&s) {
                Some(sp) => sp,
                None => {
                    self.err(
                        o.at("speaker"),
                        format!(
                            "unknown speaker `{s}`; expected one of: agent, customer, bot, any"
                        ),
                    );
                    return None;
                }
            },
        };
        let window = match o.get("window") {
            None => None,
            Some(v) => Some(self.window(&o.at("window"), v)?),
        };
        let must = match self.string(o, "must", false).as_deref() {
            None | Some("present") => Must::Present,
            Some("absent") => Must::Absent,
            Some(other) => {
                self.err(
                    o.at("must"),
                    format!("unknown value `{other}`; expected present or absent"),
                );
                return None;
            }
        };
        Some(TextScope {
            speaker,
            window,
            must,
        })
    }

    fn window(&mut self, path: &str, v: &Value) -> Option<Window> {
        let Value::Object(map) = v else {
            self.err(
                path,
                format!(
                    "expected an object such as {{\"first_turns\": 2}}, got {}",
                    kind(v)
                ),
            );
            return None;
        };
        const KEYS: &str = "first_turns, last_turns, first_seconds, last_seconds";
        if map.len() != 1 {
            self.err(path, format!("a window has exactly one of: {KEYS}"));
            return None;
        }
        let (k, val) = map.iter().next()?;
        let at = join(path, k);
        let Some(x) = val.as_f64() else {
            self.err(at, format!("expected a number, got {}", kind(val)));
            return None;
        };
        let turns = || {
            val.as_u64()
                .filter(|n| (1..=limits::MAX_WINDOW_TURNS).contains(n))
                .map(|n| n as usize)
        };
        let secs = x > 0.0 && x <= limits::MAX_WINDOW_SECONDS;
        let w = match k.as_str() {
            "first_turns" => turns().map(Window::FirstTurns),
            "last_turns" => turns().map(Window::LastTurns),
            "first_seconds" if secs => Some(Window::FirstSeconds(x)),
            "last_seconds" if secs => Some(Window::LastSeconds(x)),
            "first_seconds" | "last_seconds" => None,
            other => {
                self.err(
                    at,
                    format!("unknown window `{other}`; expected one of: {KEYS}"),
                );
                return None;
            }
        };
        if w.is_none() {
            let what = if k.ends_with("turns") {
                format!(
                    "a whole number of turns from 1 to {}",
                    limits::MAX_WINDOW_TURNS
                )
            } else {
                format!(
                    "a number of seconds greater than 0 and at most {}",
                    limits::MAX_WINDOW_SECONDS
                )
            };
            self.err(at, format!("expected {what}, got {x}"));
        }
        w
    }

    fn alternatives(
        &mut self,
        o: &mut Obj<'_>,
        single: Option<&'static str>,
    ) -> Option<Alternatives> {
        let any = o.get("any");
        let all = o.get("all");
        let one = single.and_then(|k| o.get(k).map(|v| (k, v)));
        let given = [any.is_some(), all.is_some(), one.is_some()]
            .iter()
            .filter(|b| **b)
            .count();
        let names = if single.is_some() {
            "`pattern`, `any` or `all`"
        } else {
            "`any` or `all`"
        };
        if given != 1 {
            self.err(
                o.path.clone(),
                if given == 0 {
                    format!("needs {names}")
                } else {
                    format!("give only one of {names}")
                },
            );
            return None;
        }
        if let Some(v) = any {
            return self.string_list(&o.at("any"), v).map(Alternatives::Any);
        }
        if let Some(v) = all {
            return self.string_list(&o.at("all"), v).map(Alternatives::All);
        }
        let (k, v) = one?;
        match v {
            Value::String(s) if !s.is_empty() => Some(Alternatives::Any(vec![s.clone()])),
            other => {
                self.err(
                    o.at(k),
                    format!("expected a non-empty string, got {}", kind(other)),
                );
                None
            }
        }
    }

    fn phrase(&mut self, o: &mut Obj<'_>) -> Option<PhraseRule> {
        let scope = self.scope(o);
        let phrases = self.alternatives(o, None);
        if let Some(p) = &phrases {
            let key = if p.is_all() { "all" } else { "any" };
            for (i, s) in p.items().iter().enumerate() {
                if crate::text::normalize(s).is_empty() {
                    self.err(
                        format!("{}[{i}]", o.at(key)),
                        format!("phrase `{s}` has no letters or digits"),
                    );
                }
            }
        }
        let fuzzy = match self.number(o, "fuzzy") {
            None => None,
            Some(x) if x.fract() == 0.0 && (0.0..=3.0).contains(&x) => Some(x as u8),
            Some(x) => {
                self.err(
                    o.at("fuzzy"),
                    format!("fuzzy is a number of character edits from 0 to 3, got {x}"),
                );
                None
            }
        };
        let phrases = phrases?;
        let (any, all) = match phrases {
            Alternatives::Any(v) => (Some(v), None),
            Alternatives::All(v) => (None, Some(v)),
        };
        let match_mode = self.match_mode(o);
        let near = self.count(o, "near", 0, 10);
        let unless_preceded_by = match o.get("unless_preceded_by") {
            Some(v) => self.string_list(&o.at("unless_preceded_by"), v),
            None => None,
        };
        let unless_window = self.count(o, "unless_window", 1, 10);
        Some(PhraseRule {
            scope: scope?,
            any,
            all,
            fuzzy,
            match_mode,
            near,
            unless_preceded_by,
            unless_window,
        })
    }

    fn pii(&mut self, o: &mut Obj<'_>) -> Option<PiiRule> {
        let scope = self.scope(o);
        let kinds = match o.get("kinds") {
            Some(v) => self.string_list(&o.at("kinds"), v),
            None => {
                self.err(o.at("kinds"), "required field is missing");
                None
            }
        };
        if let Some(ks) = &kinds {
            for (i, k) in ks.iter().enumerate() {
                if crate::text::pii::PiiKind::parse(k).is_none() {
                    self.err(
                        format!("{}[{i}]", o.at("kinds")),
                        format!("unknown kind `{k}`; expected one of: card, cvv, phone, email, passport, snils, inn"),
                    );
                }
            }
        }
        Some(PiiRule {
            scope: scope?,
            kinds: kinds?,
        })
    }

    fn match_mode(&mut self, o: &mut Obj<'_>) -> Option<MatchMode> {
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

    fn substitutions(&mut self, o: &mut Obj<'_>) -> std::collections::BTreeMap<String, String> {
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

    fn count(&mut self, o: &mut Obj<'_>, key: &'static str, min: u32, max: u32) -> Option<u32> {
        let x = self.number(o, key)?;
        if x.fract() != 0.0 || x < f64::from(min) || x > f64::from(max) {
            self.err(
                o.at(key),
                format!("expected a whole number from {min} to {max}, got {x}"),
            );
            return None;
        }
        Some(x as u32)
    }

    fn regex(&mut self, o: &mut Obj<'_>) -> Option<RegexRule> {
        let scope = self.scope(o);
        let patterns = self.alternatives(o, Some("pattern"));
        let case_sensitive = self.boolean(o, "case_sensitive").unwrap_or(false);
        let label = self.string(o, "label", false);
        if let Some(p) = &patterns {
            let key = match (p.is_all(), o.map.contains_key("pattern")) {
                (true, _) => "all",
                (false, true) => "pattern",
                _ => "any",
            };
            for (i, pat) in p.items().iter().enumerate() {
                if let Err(e) = regex::RegexBuilder::new(pat)
                    .case_insensitive(!case_sensitive)
                    .build()
                {
                    let at = if key == "pattern" {
                        o.at(key)
                    } else {
                        format!("{}[{i}]", o.at(key))
                    };
                    self.err(at, format!("invalid regex: {e}"));
                }
            }
        }
        let single = o.map.get("pattern").is_some();
        let (pattern, any, all) = match patterns? {
            Alternatives::Any(mut v) if single => (v.pop(), None, None),
            Alternatives::Any(v) => (None, Some(v), None),
            Alternatives::All(v) => (None, None, Some(v)),
        };
        Some(RegexRule {
            scope: scope?,
            pattern,
            any,
            all,
            case_sensitive,
            label,
        })
    }

    fn timing(&mut self, o: &mut Obj<'_>) -> Option<TimingRule> {
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

    fn metadata(&mut self, o: &mut Obj<'_>) -> Option<MetadataRule> {
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
