//! From a model's answer to a verdict: the evidence guard, the confidence
//! threshold, `pass_when`, and a reason a controller can check.

use super::guard::{locate, Miss};
use super::{Judge, Reply};
use crate::input::contact::Contact;
use crate::input::scorecard::{JudgeAnswer, JudgeRule};
use crate::results::Status;
use crate::words::Lang;

/// Longest window sent to a model, in characters of transcript: a longer
/// one would not fit small models' context and is left to a person.
pub const MAX_WINDOW_CHARS: usize = 32_000;

/// A judge criterion's verdict for one contact.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub status: Status,
    pub reason: String,
    /// The contact turn the quote was found in.
    pub turn: Option<usize>,
}

fn review(reason: String, turn: Option<usize>) -> Decision {
    Decision {
        status: Status::Review,
        reason,
        turn,
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

/// The verdict when no model is configured: a person decides.
pub fn unconfigured(rule: &JudgeRule, lang: Lang) -> Decision {
    let q = rule.question.trim();
    review(
        match lang {
            Lang::Ru => format!(
                "На проверку: модель не настроена (--judge-url); вопрос «{q}» решает контролёр."
            ),
            Lang::En => format!(
                "To review: no model is configured (--judge-url); a controller answers «{q}»."
            ),
        },
        None,
    )
}

/// Decides `rule` on a window of `contact` rendered by
/// [`super::prompt::transcript`] (masked when `mask`, which also masks the
/// model's quote as shown).
pub fn decide(
    judge: &Judge,
    rule: &JudgeRule,
    rule_hash: &str,
    contact: &Contact,
    t: &super::prompt::Transcript,
    lang: Lang,
    mask: bool,
) -> Decision {
    let q = rule.question.trim();
    let lines = &t.lines;
    if t.text.len() > MAX_WINDOW_CHARS && t.text.chars().count() > MAX_WINDOW_CHARS {
        return review(
            match lang {
                Lang::Ru => format!("На проверку: окно длиннее {MAX_WINDOW_CHARS} знаков, модели не отправлялось; вопрос «{q}» решает контролёр."),
                Lang::En => format!("To review: the window is over {MAX_WINDOW_CHARS} characters and was not sent; a controller answers «{q}»."),
            },
            None,
        );
    }
    let reply = match judge.ask(rule, rule_hash, t) {
        Ok(r) => r,
        Err(f) => {
            let cause = f.describe(lang, judge.timeout());
            let cause = if mask {
                crate::text::mask(&cause, lang)
            } else {
                cause
            };
            return review(
                match lang {
                    Lang::Ru => {
                        format!("На проверку: модель не ответила — {cause} (вопрос «{q}»).")
                    }
                    Lang::En => {
                        format!("To review: the model gave no answer — {cause} (question «{q}»).")
                    }
                },
                None,
            );
        }
    };
    judge_reply(rule, &reply, contact, lines, lang, mask)
}

/// The verdict from a reply, once the guard and the threshold have had their say.
pub(crate) fn judge_reply(
    rule: &JudgeRule,
    reply: &Reply,
    contact: &Contact,
    lines: &[super::guard::Line],
    lang: Lang,
    mask: bool,
) -> Decision {
    let q = rule.question.trim();
    let shown = if mask {
        crate::text::mask(reply.quote.trim(), lang)
    } else {
        reply.quote.trim().to_string()
    };
    let shown = crate::text::truncate_chars(&shown, 200);
    let answer = reply.answer.label(lang);
    let at = |turn: usize| crate::check::describe_turn(turn, contact.turns[turn].start, lang);
    let found = locate(
        &reply.quote,
        reply.turn.and_then(|n| n.checked_sub(1)),
        lines,
        rule.speaker,
    )
    .map(|i| lines[i].turn);
    let conf = match reply.confidence {
        Some(c) => format!(
            "{} {}",
            crate::words::reasons::ReasonWords::for_lang(lang).confidence,
            pct(c)
        ),
        None => String::new(),
    };
    let min = rule
        .min_confidence
        .unwrap_or(JudgeRule::DEFAULT_MIN_CONFIDENCE);
    if let Some(c) = reply.confidence.filter(|c| *c < min) {
        let quote = match found {
            Ok(t) => format!(" «{shown}» ({})", at(t)),
            Err(_) if shown.is_empty() => String::new(),
            Err(_) => format!(" «{shown}»"),
        };
        return review(
            match lang {
                Lang::Ru => format!("На проверку: уверенность модели {} ниже порога {} (вопрос «{q}», ответ модели: {answer}{quote}).", pct(c), pct(min)),
                Lang::En => format!("To review: the model's confidence {} is below {} (question «{q}», the model answered {answer}{quote}).", pct(c), pct(min)),
            },
            found.ok(),
        );
    }
    if reply.answer == JudgeAnswer::Na {
        let quote = match found {
            Ok(t) => format!(": «{shown}» ({})", at(t)),
            Err(_) => String::new(),
        };
        return Decision {
            status: Status::Na,
            reason: match lang {
                Lang::Ru => {
                    format!("Не применяется, по ответу модели на вопрос «{q}»{quote}{conf}.")
                }
                Lang::En => {
                    format!("Not applicable, per the model's answer to «{q}»{quote}{conf}.")
                }
            },
            turn: found.ok(),
        };
    }
    match found {
        Ok(t) => Decision {
            status: if reply.answer == rule.pass_when {
                Status::Pass
            } else {
                Status::Fail
            },
            reason: match lang {
                Lang::Ru => format!(
                    "Вопрос: «{q}» Ответ модели: {answer}{conf}. Цитата: «{shown}» ({}).",
                    at(t)
                ),
                Lang::En => format!(
                    "Question: «{q}» The model answered {answer}{conf}. Quote: «{shown}» ({}).",
                    at(t)
                ),
            },
            turn: Some(t),
        },
        Err(miss) => {
            let why = match (miss, lang) {
                (Miss::NoQuote, Lang::Ru) => "модель не привела цитату из разговора".to_string(),
                (Miss::NoQuote, Lang::En) => {
                    "the model gave no quote from the conversation".to_string()
                }
                (Miss::NotFound, Lang::Ru) => {
                    format!("модель не привела цитату из разговора: «{shown}» в окне нет")
                }
                (Miss::NotFound, Lang::En) => format!(
                    "the model gave no quote from the conversation: «{shown}» is not in the window"
                ),
                (Miss::WrongSpeaker, Lang::Ru) => format!(
                    "модель не привела цитату из разговора: «{shown}» — не из реплик {}",
                    crate::check::describe::speaker_gen(rule.speaker, lang)
                ),
                (Miss::WrongSpeaker, Lang::En) => format!(
                    "the model gave no quote from the conversation: «{shown}» is not from {} turns",
                    crate::check::describe::speaker_gen(rule.speaker, lang)
                ),
            };
            review(
                match lang {
                    Lang::Ru => {
                        format!("На проверку: {why} (вопрос «{q}», ответ модели: {answer}{conf}).")
                    }
                    Lang::En => format!(
                        "To review: {why} (question «{q}», the model answered {answer}{conf})."
                    ),
                },
                None,
            )
        }
    }
}
