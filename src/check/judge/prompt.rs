//! What the model is asked: a fixed instruction, the criterion's question
//! and examples, and the window's turns numbered as reasons number them.
//!
//! [`PROMPT_VERSION`] is part of every cache key: change it with any change
//! to the wording here, so that no answer to an old prompt is reused.

use super::guard::Line;
use crate::input::contact::{Contact, Speaker};
use crate::input::scorecard::{JudgeRule, SpeakerSel};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub const PROMPT_VERSION: &str = "cqa-judge-3";

/// How turns are labelled in the transcript the model reads (and what the
/// guard strips when a model copies a label into its quote).
pub(crate) const SPEAKER_LABELS: [&str; 4] = ["Agent", "Customer", "Bot", "System"];

fn label(s: Speaker) -> &'static str {
    match s {
        Speaker::Agent => SPEAKER_LABELS[0],
        Speaker::Customer => SPEAKER_LABELS[1],
        Speaker::Bot => SPEAKER_LABELS[2],
        Speaker::System => SPEAKER_LABELS[3],
    }
}

fn whose(s: SpeakerSel) -> &'static str {
    match s {
        SpeakerSel::Agent => "a turn of the Agent",
        SpeakerSel::Customer => "a turn of the Customer",
        SpeakerSel::Bot => "a turn of the Bot",
        SpeakerSel::Any => "one turn",
    }
}

/// The window as the model reads it, one turn a line (`[3] Agent: …`), and
/// the lines the guard checks quotes against. With `mask`, personal data is
/// masked before anything leaves cqa: turn by turn, as quotes are (a turn
/// without digits or number words is passed over at once, and no turn
/// label's digits can join a number).
pub fn transcript(
    contact: &Contact,
    turns: &[usize],
    mask: Option<crate::words::Lang>,
) -> Transcript {
    let mut text = String::new();
    let mut lines = Vec::with_capacity(turns.len());
    for &i in turns {
        let t = &contact.turns[i];
        let mut one_line = String::with_capacity(t.text.len());
        for w in t.text.split_whitespace() {
            if !one_line.is_empty() {
                one_line.push(' ');
            }
            one_line.push_str(w);
        }
        if let Some(lang) = mask {
            one_line = crate::text::mask(&one_line, lang);
        }
        text.push('[');
        text.push_str(&(i + 1).to_string());
        text.push_str("] ");
        text.push_str(label(t.speaker));
        text.push_str(": ");
        text.push_str(&one_line);
        text.push('\n');
        lines.push(Line::new(i, t.speaker, one_line));
    }
    let hash = hex(&Sha256::digest(text.as_bytes()));
    Transcript { text, lines, hash }
}

/// A window rendered for the model.
#[derive(Debug, Clone)]
pub struct Transcript {
    /// As sent.
    pub text: String,
    pub lines: Vec<Line>,
    /// SHA-256 of `text`, hex: the window's part of the cache key.
    pub hash: String,
}

/// A stable hash of what in a rule shapes the prompt (question, speaker,
/// `na_when`, examples), hex; `pass_when` and `min_confidence` do not.
pub fn rule_hash(rule: &JudgeRule) -> String {
    let v = json!({
        "question": rule.question,
        "speaker": rule.speaker,
        "na_when": rule.na_when,
        "examples": rule.examples,
    });
    hex(&Sha256::digest(v.to_string().as_bytes()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn instruction(rule: &JudgeRule) -> String {
    let mut s = String::from(
        "You are a quality controller in a bank's contact centre. You read one conversation \
         and answer one question about it.\n\
         Reply with one JSON object and nothing else: \
         {\"answer\": \"yes\" | \"no\" | \"na\", \"quote\": \"...\", \"turn\": N}.\n",
    );
    s.push_str(&format!(
        "- \"quote\": {} of the conversation, copied character for character, \
         that proves your answer. Do not translate, shorten or rephrase it.\n\
         - \"turn\": the number in square brackets of that turn.\n",
        whose(rule.speaker)
    ));
    match &rule.na_when {
        Some(na) => s.push_str(&format!(
            "- \"na\" when: {na}. With \"na\" quote the turn closest to the point.\n"
        )),
        None => s.push_str(
            "- \"na\" only when the question does not apply to this conversation at all; \
             then quote the turn closest to the point.\n",
        ),
    }
    s.push_str(
        "- If you cannot find words that prove the answer, still answer, with the closest quote.\n",
    );
    if !rule.examples.is_empty() {
        s.push_str("\nExamples:\n");
        for (i, e) in rule.examples.iter().enumerate() {
            s.push_str(&format!(
                "\nExample {}:\n{}\nCorrect answer: {}",
                i + 1,
                e.transcript.trim(),
                e.answer.id()
            ));
            if let Some(why) = &e.why {
                s.push_str(&format!(" — {}", why.trim()));
            }
            s.push('\n');
        }
    }
    s
}

/// The chat messages of one request.
pub fn messages(rule: &JudgeRule, transcript: &str) -> Value {
    json!([
        {"role": "system", "content": instruction(rule)},
        {"role": "user", "content": format!(
            "Conversation:\n{transcript}\nQuestion: {}\nAnswer with the JSON object only.",
            rule.question.trim()
        )}
    ])
}
