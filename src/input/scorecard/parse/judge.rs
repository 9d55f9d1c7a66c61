//! Reading a `judge` rule: a question for a language model (check/judge; docs/judge.md).

use super::{kind, CardReader, Obj};
use crate::input::scorecard::model::{JudgeAnswer, JudgeExample, JudgeRule, SpeakerSel};
use serde_json::Value;

/// Longest question, `na_when` or example transcript, in characters: the
/// prompt must leave room for the contact itself.
const MAX_TEXT: usize = 4_000;
/// Most examples a rule may show the model.
const MAX_EXAMPLES: usize = 8;

impl CardReader {
    pub(super) fn judge(&mut self, o: &mut Obj<'_>) -> Option<JudgeRule> {
        let question = self.string(o, "question", true);
        let speaker = match self.string(o, "speaker", false) {
            None => Some(SpeakerSel::Any),
            Some(s) => {
                let sp = SpeakerSel::parse(&s);
                if sp.is_none() {
                    self.err(
                        o.at("speaker"),
                        format!(
                            "unknown speaker `{s}`; expected one of: agent, customer, bot, any"
                        ),
                    );
                }
                sp
            }
        };
        let window = match o.get("window") {
            None => Some(None),
            Some(v) => self.window(&o.at("window"), v).map(Some),
        };
        let na_when = self.string(o, "na_when", false);
        for (key, text) in [("question", &question), ("na_when", &na_when)] {
            if let Some(t) = text {
                self.long_text(o.at(key), t);
            }
        }
        let min_confidence = match self.number(o, "min_confidence") {
            Some(x) if !(0.0..=1.0).contains(&x) => {
                self.err(
                    o.at("min_confidence"),
                    format!("expected a probability from 0 to 1, got {x}"),
                );
                None
            }
            x => Some(x),
        };
        let pass_when = match self.string(o, "pass_when", false).as_deref() {
            None | Some("yes") => Some(JudgeAnswer::Yes),
            Some("no") => Some(JudgeAnswer::No),
            Some(other) => {
                self.err(
                    o.at("pass_when"),
                    format!("unknown value `{other}`; expected yes or no"),
                );
                None
            }
        };
        let examples = match o.get("examples") {
            None => Some(Vec::new()),
            Some(v) => self.judge_examples(&o.at("examples"), v),
        };
        Some(JudgeRule {
            question: question?,
            speaker: speaker?,
            window: window?,
            na_when,
            examples: examples?,
            min_confidence: min_confidence?,
            pass_when: pass_when?,
        })
    }

    fn long_text(&mut self, path: String, text: &str) {
        let n = text.chars().count();
        if n > MAX_TEXT {
            self.err(
                path,
                format!("is {n} characters long; at most {MAX_TEXT} are allowed"),
            );
        }
    }

    fn judge_examples(&mut self, path: &str, v: &Value) -> Option<Vec<JudgeExample>> {
        let Value::Array(items) = v else {
            self.err(
                path,
                format!("expected a list of examples, got {}", kind(v)),
            );
            return None;
        };
        if items.len() > MAX_EXAMPLES {
            self.err(
                path,
                format!(
                    "{} examples; at most {MAX_EXAMPLES} are allowed (each one lengthens every request)",
                    items.len()
                ),
            );
            return None;
        }
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let at = format!("{path}[{i}]");
            let Some(mut e) = self.obj(&at, item) else {
                ok = false;
                continue;
            };
            let transcript = self.string(&mut e, "transcript", true);
            if let Some(t) = &transcript {
                self.long_text(e.at("transcript"), t);
            }
            let answer = match self.string(&mut e, "answer", true) {
                Some(a) => {
                    let parsed = JudgeAnswer::parse(&a).filter(|_| a == a.trim());
                    if parsed.is_none() {
                        self.err(
                            e.at("answer"),
                            format!("unknown answer `{a}`; expected yes, no or na"),
                        );
                    }
                    parsed
                }
                None => None,
            };
            let why = self.string(&mut e, "why", false);
            self.finish(e);
            match (transcript, answer) {
                (Some(transcript), Some(answer)) => out.push(JudgeExample {
                    transcript,
                    answer,
                    why,
                }),
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }
}
