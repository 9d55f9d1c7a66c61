//! One chat-completions request to an OpenAI-compatible endpoint, and what
//! its answer says: the JSON verdict and, when the server gives token
//! log-probabilities, the probability of the chosen answer.
//!
//! Structured output is asked for the OpenAI way first (`json_schema`), then
//! llama.cpp's (`json_object` with a `schema`), then not at all (the verdict
//! is parsed out of plain text): a server that refuses a format (400, 422,
//! or an error naming `response_format`) is asked again with the next, and the run remembers what worked.

use super::{Fault, Reply};
use crate::input::scorecard::JudgeAnswer;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

/// Largest response body read, in bytes: a verdict is a few hundred.
const MAX_BODY: u64 = 4 * 1024 * 1024;
/// Fixed so that a server that honours it answers the same way every run.
pub(crate) const SEED: u64 = 20_261_207;
/// Alternatives asked per token: enough to see the other answers' shares.
const TOP_LOGPROBS: u32 = 5;
/// Enough for the verdict JSON with a quote; a model that rambles is cut off.
const MAX_TOKENS: u32 = 300;

/// How structured output is requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Format {
    /// `{"type": "json_schema", "json_schema": {...}}` (OpenAI, vLLM, Ollama).
    JsonSchema = 0,
    /// `{"type": "json_object", "schema": {...}}` (llama-cpp-python).
    JsonObject = 1,
    /// No `response_format`: the JSON is found in the text.
    Plain = 2,
}

impl Format {
    fn from_u8(x: u8) -> Format {
        match x {
            0 => Format::JsonSchema,
            1 => Format::JsonObject,
            _ => Format::Plain,
        }
    }
    fn next(self) -> Option<Format> {
        match self {
            Format::JsonSchema => Some(Format::JsonObject),
            Format::JsonObject => Some(Format::Plain),
            Format::Plain => None,
        }
    }
}

pub(crate) struct Client {
    agent: ureq::Agent,
    endpoint: String,
    model: String,
    /// Sent as a bearer token; never logged, never written.
    key: Option<String>,
    format: AtomicU8,
}

/// What a request cost and came to.
pub(crate) struct Sent {
    pub result: Result<Reply, Fault>,
    /// HTTP requests made (a refused format is asked again).
    pub requests: u64,
}

/// The verdict's JSON schema. `quotes` are the turns the model may quote
/// (the rule speaker's, in the window, as sent): a server that constrains
/// output to the schema cannot make a quote up. (An `na` quotes one too,
/// unchecked: an empty quote allowed beside the turns is what a small model
/// picks for every answer.) The guard checks quotes all the same, for
/// servers that do not constrain.
pub(crate) fn schema(quotes: &[&str]) -> Value {
    let mut enum_: Vec<&str> = Vec::with_capacity(quotes.len());
    for q in quotes {
        if !q.is_empty() && !enum_.contains(q) {
            enum_.push(q);
        }
    }
    let quote = if enum_.is_empty() {
        json!({"type": "string"})
    } else {
        json!({"type": "string", "enum": enum_})
    };
    json!({
        "type": "object",
        "properties": {
            "answer": {"type": "string", "enum": ["yes", "no", "na"]},
            "quote": quote,
            "turn": {"type": "integer"}
        },
        "required": ["answer", "quote", "turn"],
        "additionalProperties": false
    })
}

impl Client {
    pub fn new(base_url: &str, model: &str, key: Option<String>, timeout: Duration) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .timeout_connect(Some(timeout.min(Duration::from_secs(10))))
            .http_status_as_error(false)
            .user_agent(concat!("cqa/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Client {
            agent,
            endpoint: format!("{}/chat/completions", base_url.trim_end_matches('/')),
            model: model.to_string(),
            key,
            format: AtomicU8::new(Format::JsonSchema as u8),
        }
    }

    fn body(&self, messages: &Value, schema: &Value, format: Format) -> String {
        let mut b = json!({
            "model": self.model,
            "messages": messages,
            "temperature": 0,
            "seed": SEED,
            "max_tokens": MAX_TOKENS,
            "logprobs": true,
            "top_logprobs": TOP_LOGPROBS,
            "stream": false,
        });
        let rf = match format {
            Format::JsonSchema => Some(json!({
                "type": "json_schema",
                "json_schema": {"name": "verdict", "strict": true, "schema": schema}
            })),
            Format::JsonObject => Some(json!({"type": "json_object", "schema": schema})),
            Format::Plain => None,
        };
        if let (Some(rf), Some(o)) = (rf, b.as_object_mut()) {
            o.insert("response_format".into(), rf);
        }
        b.to_string()
    }

    /// Asks once, stepping down the structured-output formats the server refuses.
    pub fn send(&self, messages: &Value, schema: &Value) -> Sent {
        let mut format = Format::from_u8(self.format.load(Ordering::Relaxed));
        let mut requests = 0;
        loop {
            requests += 1;
            match self.post(&self.body(messages, schema, format)) {
                Ok((status, text)) if (200..300).contains(&status) => {
                    self.format.fetch_max(format as u8, Ordering::Relaxed);
                    return Sent {
                        result: parse_response(&text),
                        requests,
                    };
                }
                Ok((status, text)) if format.next().is_some() && refused_format(status, &text) => {
                    format = format.next().unwrap_or(Format::Plain);
                    // Requests already under way need not be refused too.
                    self.format.fetch_max(format as u8, Ordering::Relaxed);
                }
                Ok((status, text)) => {
                    return Sent {
                        result: Err(Fault::Http(status, first_line(&text))),
                        requests,
                    }
                }
                Err(f) => {
                    return Sent {
                        result: Err(f),
                        requests,
                    }
                }
            }
        }
    }

    fn post(&self, body: &str) -> Result<(u16, String), Fault> {
        let mut req = self
            .agent
            .post(&self.endpoint)
            .header("Content-Type", "application/json");
        if let Some(k) = &self.key {
            req = req.header("Authorization", &format!("Bearer {k}"));
        }
        let mut resp = req.send(body).map_err(fault)?;
        let status = resp.status().as_u16();
        let text = resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_string()
            .map_err(fault)?;
        Ok((status, text))
    }
}

/// Whether an error answer refuses the `response_format` (400 or 422, or
/// any error naming it: llama-cpp-python answers 500 to a format it lacks).
fn refused_format(status: u16, body: &str) -> bool {
    matches!(status, 400 | 422) || (status >= 400 && body.contains("response_format"))
}

/// A transport error as a fault; the key is never part of ureq's messages.
fn fault(e: ureq::Error) -> Fault {
    match e {
        ureq::Error::Timeout(_) => Fault::Timeout,
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => Fault::Timeout,
        other => Fault::Connection(other.to_string()),
    }
}

/// The start of an error body, for the reason (bounded, one line).
fn first_line(text: &str) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    crate::text::truncate_chars(line.trim(), 160)
}

/// The verdict in a chat-completions response body.
pub(crate) fn parse_response(text: &str) -> Result<Reply, Fault> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| Fault::BadJson(format!("the response is not JSON: {e}")))?;
    let choice = v
        .pointer("/choices/0")
        .ok_or_else(|| Fault::BadJson("the response has no choices[0]".into()))?;
    let content = choice
        .pointer("/message/content")
        .and_then(Value::as_str)
        .ok_or_else(|| Fault::BadJson("choices[0].message.content is missing".into()))?;
    let (verdict, at) = find_verdict(content)?;
    let answer = verdict
        .get("answer")
        .and_then(Value::as_str)
        .and_then(JudgeAnswer::parse)
        .ok_or_else(|| {
            Fault::BadJson(format!(
                "\"answer\" must be yes, no or na: {}",
                crate::text::truncate_chars(content, 120)
            ))
        })?;
    let quote = verdict
        .get("quote")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let turn = verdict
        .get("turn")
        .and_then(|t| {
            t.as_u64()
                .or_else(|| t.as_str().and_then(|s| s.trim().parse().ok()))
        })
        .map(|t| t as usize);
    let confidence = choice
        .pointer("/logprobs/content")
        .and_then(Value::as_array)
        .and_then(|tokens| answer_probability(content, at, tokens));
    Ok(Reply {
        answer,
        quote,
        turn,
        confidence,
    })
}

/// The verdict object in the model's text and where its JSON starts: the
/// whole text, or (a server without structured output) the first `{…}` in
/// it, fenced in ``` or not.
fn find_verdict(content: &str) -> Result<(serde_json::Map<String, Value>, usize), Fault> {
    if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(content.trim()) {
        let at = content.len() - content.trim_start().len();
        return Ok((m, at));
    }
    for (start, _) in content.match_indices('{') {
        let mut it = serde_json::Deserializer::from_str(&content[start..]).into_iter::<Value>();
        if let Some(Ok(Value::Object(m))) = it.next() {
            if m.contains_key("answer") {
                return Ok((m, start));
            }
        }
    }
    Err(Fault::BadJson(format!(
        "no JSON verdict in the answer: «{}»",
        crate::text::truncate_chars(content.trim(), 120)
    )))
}

/// The probability of the answer's value among the possible answers: its
/// first token's share of the probability of the listed alternatives that
/// could begin an answer (a server constraining output to the schema reports
/// the unconstrained probabilities, where JSON keys and prose compete too),
/// times the probabilities of any further tokens that spell it (`"n"` then
/// `"o"`). `None` when the tokens do not spell the text out.
fn answer_probability(content: &str, json_at: usize, tokens: &[Value]) -> Option<f64> {
    let rest = &content[json_at..];
    let key = rest.find("\"answer\"")? + json_at + "\"answer\"".len();
    let open = content[key..].find('"')? + key + 1;
    let close = content[open..].find('"')? + open;
    let mut pos = 0usize;
    let mut logp = 0.0;
    let mut seen = false;
    for t in tokens {
        let tok = t.get("token").and_then(Value::as_str)?;
        let lp = t.get("logprob").and_then(Value::as_f64)?;
        let (a, b) = (pos, pos + tok.len());
        if b > open && a < close {
            logp += if seen { lp } else { lp - answer_share(t, lp) };
            seen = true;
        }
        pos = b;
        if pos >= close {
            break;
        }
    }
    // The tokens must spell the text out up to the answer.
    let spelled: String = tokens
        .iter()
        .filter_map(|t| t.get("token").and_then(Value::as_str))
        .collect();
    if !seen || !spelled.starts_with(&content[..close]) {
        return None;
    }
    Some(logp.exp().clamp(0.0, 1.0))
}

/// Log of the summed probability of the token's listed alternatives that
/// could start an answer (the token itself always counts).
fn answer_share(t: &Value, lp: f64) -> f64 {
    let starts_answer = |s: &str| {
        let s = s.trim_start_matches([' ', '"']).to_ascii_lowercase();
        !s.is_empty()
            && ["yes", "no", "na"]
                .iter()
                .any(|a| a.starts_with(&s) || s.starts_with(a))
    };
    let chosen = t.get("token").and_then(Value::as_str).unwrap_or("");
    let mut sum = lp.exp();
    for alt in t
        .get("top_logprobs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let tok = alt.get("token").and_then(Value::as_str).unwrap_or("");
        if tok != chosen && starts_answer(tok) {
            sum += alt
                .get("logprob")
                .and_then(Value::as_f64)
                .unwrap_or(f64::NEG_INFINITY)
                .exp();
        }
    }
    sum.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(content: &str, logprobs: Option<Value>) -> String {
        json!({"choices": [{"message": {"role": "assistant", "content": content},
            "logprobs": logprobs}]})
        .to_string()
    }

    #[test]
    fn a_verdict_in_plain_text_is_found_for_servers_without_structured_output() {
        let r = parse_response(&response(
            "Вот ответ:\n```json\n{\"answer\": \"no\", \"quote\": \"успокойтесь\", \"turn\": 4}\n```",
            None,
        ))
        .unwrap();
        assert_eq!(
            (r.answer, r.quote.as_str(), r.turn),
            (JudgeAnswer::No, "успокойтесь", Some(4))
        );
        assert_eq!(r.confidence, None);
    }

    #[test]
    fn the_answer_probability_multiplies_the_tokens_that_spell_it() {
        let content = "{\"answer\": \"no\", \"quote\": \"x\", \"turn\": 1}";
        let toks = [
            "{\"",
            "answer",
            "\": \"",
            "n",
            "o",
            "\", \"quote\": \"x\", \"turn\": 1}",
        ];
        let lps = [0.0, 0.0, 0.0, (0.9f64).ln(), (0.5f64).ln(), 0.0];
        let content_tokens: Vec<Value> = toks
            .iter()
            .zip(lps)
            .map(|(t, lp)| {
                // "n": 0.9 of the answers' share ("y" the rest), then "o" at 0.5.
                let alts = if *t == "n" {
                    json!([{"token": "n", "logprob": lp}, {"token": "y", "logprob": (0.1f64).ln()}])
                } else {
                    json!([])
                };
                json!({"token": t, "logprob": lp, "top_logprobs": alts})
            })
            .collect();
        let r =
            parse_response(&response(content, Some(json!({"content": content_tokens})))).unwrap();
        assert!((r.confidence.unwrap() - 0.45).abs() < 1e-9);
    }

    #[test]
    fn the_answer_probability_is_its_share_among_the_answers_the_model_weighed() {
        // As llama.cpp reports under a schema: "yes" 0.23, "no" 0.22, "No" 0.09, prose 0.3.
        let content = "{\"answer\": \"yes\", \"quote\": \"x\", \"turn\": 1}";
        let tokens = json!([
            {"token": "{\"answer\": \"", "logprob": 0.0, "top_logprobs": []},
            {"token": "yes", "logprob": (0.23f64).ln(), "top_logprobs": [
                {"token": "yes", "logprob": (0.23f64).ln()},
                {"token": "no", "logprob": (0.22f64).ln()},
                {"token": " No", "logprob": (0.09f64).ln()},
                {"token": " I", "logprob": (0.3f64).ln()}]},
            {"token": "\", \"quote\": \"x\", \"turn\": 1}", "logprob": 0.0, "top_logprobs": []}
        ]);
        let r = parse_response(&response(content, Some(json!({"content": tokens})))).unwrap();
        assert!((r.confidence.unwrap() - 0.23 / 0.54).abs() < 1e-9);
    }

    #[test]
    fn an_unknown_answer_is_a_malformed_verdict() {
        let r = parse_response(&response(
            "{\"answer\": \"maybe\", \"quote\": \"\", \"turn\": 0}",
            None,
        ));
        assert!(matches!(r, Err(Fault::BadJson(_))));
    }
}
