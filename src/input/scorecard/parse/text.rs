//! Reading the rules that look at words: `phrase`, `regex` and `pii`, where
//! they look (speaker, window, present or absent) and what (any or all of).

use super::{join, kind, CardReader, Obj};
use crate::input::scorecard::limits;
use crate::input::scorecard::model::*;
use serde_json::Value;

impl CardReader {
    pub(super) fn scope(&mut self, o: &mut Obj<'_>) -> Option<TextScope> {
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

    pub(super) fn window(&mut self, path: &str, v: &Value) -> Option<Window> {
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

    pub(super) fn alternatives(
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

    pub(super) fn phrase(&mut self, o: &mut Obj<'_>) -> Option<PhraseRule> {
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

    pub(super) fn pii(&mut self, o: &mut Obj<'_>) -> Option<PiiRule> {
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

    pub(super) fn regex(&mut self, o: &mut Obj<'_>) -> Option<RegexRule> {
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
}
