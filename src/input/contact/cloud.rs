//! Cloud speech-analytics exports, recognised by their content (file names
//! from S3 buckets say nothing reliable):
//!
//! - **Amazon Transcribe Call Analytics** (post-call output): `Transcript[]`
//!   with `ParticipantRole` AGENT/CUSTOMER, `Content`,
//!   `BeginOffsetMillis`/`EndOffsetMillis`; id from `JobName`.
//! - **Amazon Connect Contact Lens**, voice (`Participants[]` maps
//!   `ParticipantId` to a role) and chat (`AbsoluteTime` per item, `Type`
//!   MESSAGE/EVENT); id from `CustomerMetadata.ContactId`.
//! - **Genesys Cloud** speech-and-text-analytics transcripts:
//!   `transcripts[].phrases[]` with `participantPurpose` internal/external and
//!   `startTimeMs` (epoch milliseconds, made relative to the conversation start).
//!
//! None of these carries the agent's id (Amazon and Genesys keep it in the
//! contact record, not in the transcript), so such contacts need a registry
//! (`--registry`); without one they are rejected saying so. Times become
//! seconds from the contact's start. Unknown roles are rejected naming the
//! item, never guessed. Categories and overall sentiment are kept in
//! `metadata` because QA rules use them.

use super::fields;
use super::{Contact, Speaker, Turn};
use serde_json::{Map, Value};

/// Which export a JSON document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CloudFormat {
    TranscribeCallAnalytics,
    ContactLens,
    Genesys,
}

impl CloudFormat {
    pub(crate) fn name(self) -> &'static str {
        match self {
            CloudFormat::TranscribeCallAnalytics => "Amazon Transcribe Call Analytics",
            CloudFormat::ContactLens => "Amazon Connect Contact Lens",
            CloudFormat::Genesys => "Genesys Cloud transcript",
        }
    }
    fn id(self) -> &'static str {
        match self {
            CloudFormat::TranscribeCallAnalytics => "amazon_transcribe_call_analytics",
            CloudFormat::ContactLens => "amazon_connect_contact_lens",
            CloudFormat::Genesys => "genesys_cloud",
        }
    }
}

/// Recognises an export by its shape.
pub(crate) fn detect(doc: &Value) -> Option<CloudFormat> {
    let o = doc.as_object()?;
    if let Some(Value::Array(ts)) = o.get("transcripts") {
        if ts
            .iter()
            .any(|t| t.get("phrases").is_some_and(Value::is_array))
        {
            return Some(CloudFormat::Genesys);
        }
    }
    let items = o.get("Transcript")?.as_array()?;
    let amazon_item = |t: &Value| {
        t.get("ParticipantRole").is_some()
            || t.get("ParticipantId").is_some()
            || t.get("BeginOffsetMillis").is_some()
    };
    if !items.is_empty() && !items.iter().any(amazon_item) {
        return None;
    }
    let lens = o.contains_key("Participants")
        || o.contains_key("CustomerMetadata")
        || o.contains_key("ChatTranscriptVersion")
        || o.get("Version")
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with("VOICE") || v.starts_with("CHAT"));
    if lens {
        Some(CloudFormat::ContactLens)
    } else if o.contains_key("JobName")
        || o.contains_key("JobStatus")
        || o.contains_key("ConversationCharacteristics")
        || !items.is_empty()
    {
        Some(CloudFormat::TranscribeCallAnalytics)
    } else {
        None
    }
}

/// Converts a recognised export. `agent_id` is left empty (see module docs).
pub(crate) fn parse(
    format: CloudFormat,
    doc: &Value,
    file_stem: &str,
    max_turns: usize,
) -> Result<Contact, String> {
    let mut c = match format {
        CloudFormat::Genesys => genesys(doc, file_stem, max_turns)?,
        _ => amazon(doc, file_stem, max_turns)?,
    };
    c.metadata
        .insert("export".into(), Value::String(format.id().into()));
    Ok(c)
}

fn s<'a>(v: &'a Value, ptr: &str) -> Option<&'a str> {
    v.pointer(ptr)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

fn num(v: &Value, ptr: &str) -> Option<f64> {
    let x = v.pointer(ptr)?;
    x.as_f64()
        .or_else(|| x.as_str().and_then(|s| s.parse().ok()))
        .filter(|x| x.is_finite() && *x >= 0.0)
}

fn too_many(id: &str, n: usize, max: usize) -> Result<(), String> {
    if n > max {
        return Err(format!(
            "contact `{id}` has {n} turns, more than the limit of {max}"
        ));
    }
    Ok(())
}

/// Roles to speakers; an EVENT item (joined, left, transfer) is a system
/// event whoever it concerns.
fn amazon_role(role: &str, is_event: bool) -> Option<Speaker> {
    Some(match role.to_ascii_uppercase().as_str() {
        "AGENT" | "SUPERVISOR" | "CUSTOMER" | "SYSTEM" | "CUSTOM_BOT" | "BOT" if is_event => {
            Speaker::System
        }
        "AGENT" | "SUPERVISOR" => Speaker::Agent,
        "CUSTOMER" => Speaker::Customer,
        "SYSTEM" | "CUSTOM_BOT" | "BOT" => Speaker::Bot,
        _ => return None,
    })
}

fn amazon(doc: &Value, stem: &str, max: usize) -> Result<Contact, String> {
    let items = doc
        .get("Transcript")
        .and_then(Value::as_array)
        .ok_or("`Transcript` is not an array")?;
    let roles: Map<String, Value> = doc
        .get("Participants")
        .and_then(Value::as_array)
        .map(|ps| {
            ps.iter()
                .filter_map(|p| {
                    Some((
                        s(p, "/ParticipantId")?.to_string(),
                        p.get("ParticipantRole")?.clone(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let id = s(doc, "/CustomerMetadata/ContactId")
        .or_else(|| s(doc, "/JobName"))
        .map(str::to_string)
        .unwrap_or_else(|| stem.split("_analysis_").next().unwrap_or(stem).to_string());
    too_many(&id, items.len(), max)?;
    let channel = match s(doc, "/Channel").map(str::to_ascii_uppercase).as_deref() {
        Some("CHAT") => "chat",
        Some("VOICE") | None => "voice",
        Some(other) => return Err(format!("`Channel`: unknown channel `{other}`")),
    };
    let origin = items
        .iter()
        .find_map(|t| s(t, "/AbsoluteTime").and_then(fields::epoch_seconds));
    let mut c = Contact {
        id,
        channel: Some(channel.into()),
        language: s(doc, "/LanguageCode").map(str::to_string),
        duration_s: num(
            doc,
            "/ConversationCharacteristics/TotalConversationDurationMillis",
        )
        .map(|ms| ms / 1000.0),
        started_at: items
            .iter()
            .find_map(|t| s(t, "/AbsoluteTime"))
            .and_then(fields::normalise_datetime),
        ..Contact::default()
    };
    for (i, t) in items.iter().enumerate() {
        let is_event = s(t, "/Type").is_some_and(|x| x.eq_ignore_ascii_case("EVENT"));
        let role = t
            .get("ParticipantRole")
            .or_else(|| s(t, "/ParticipantId").and_then(|p| roles.get(p)))
            .and_then(Value::as_str)
            .ok_or_else(|| format!("Transcript[{i}]: no `ParticipantRole` (nor a `ParticipantId` listed in `Participants`)"))?;
        let speaker = amazon_role(role, is_event).ok_or_else(|| {
            format!("Transcript[{i}]: unknown ParticipantRole `{role}`; expected AGENT, CUSTOMER, SYSTEM or CUSTOM_BOT")
        })?;
        let start = match (num(t, "/BeginOffsetMillis"), s(t, "/AbsoluteTime")) {
            (Some(ms), _) => Some(ms / 1000.0),
            (None, Some(at)) => {
                let at = fields::epoch_seconds(at).ok_or_else(|| {
                    format!("Transcript[{i}]: `AbsoluteTime` `{at}` is not a date-time")
                })?;
                origin.map(|o| (at - o).max(0.0))
            }
            (None, None) => None,
        };
        let text = s(t, "/Content").unwrap_or_default().to_string();
        let event = (speaker == Speaker::System).then(|| {
            let ct = s(t, "/ContentType").unwrap_or("event");
            ct.rsplit("event.")
                .next()
                .unwrap_or(ct)
                .replace(['.', '-'], "_")
        });
        if speaker == Speaker::Agent && c.agent_name.is_none() {
            c.agent_name = s(t, "/DisplayName").map(str::to_string);
        }
        c.turns.push(Turn {
            speaker,
            text: if event.is_some() { String::new() } else { text },
            event,
            start,
            end: num(t, "/EndOffsetMillis").map(|ms| ms / 1000.0),
        });
    }
    if let Some(cats) = doc.pointer("/Categories/MatchedCategories") {
        let cats: Vec<Value> = cats
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(|s| Value::String(s.trim().to_string())))
            .collect();
        c.metadata.insert("categories".into(), Value::Array(cats));
    }
    for (who, key) in [
        ("AGENT", "sentiment_agent"),
        ("CUSTOMER", "sentiment_customer"),
    ] {
        let v = doc
            .pointer(&format!("/ConversationCharacteristics/Sentiment/OverallSentiment/{who}"))
            .or_else(|| {
                doc.pointer(&format!(
                    "/ConversationCharacteristics/Sentiment/OverallSentiment/DetailsByParticipantRole/{who}"
                ))
            });
        if let Some(v) = v.filter(|v| v.is_number()) {
            c.metadata.insert(key.into(), v.clone());
        }
    }
    if let Some(inst) = s(doc, "/CustomerMetadata/InstanceId") {
        c.metadata
            .insert("instance_id".into(), Value::String(inst.into()));
    }
    Ok(c)
}

fn genesys(doc: &Value, stem: &str, max: usize) -> Result<Contact, String> {
    let transcripts = doc
        .get("transcripts")
        .and_then(Value::as_array)
        .ok_or("`transcripts` is not an array")?;
    let epoch = |v: &Value, p: &str| num(v, p).filter(|x| *x > 1e11);
    let origin = epoch(doc, "/conversationStartTime")
        .or_else(|| epoch(doc, "/startTime"))
        .or_else(|| transcripts.iter().find_map(|t| epoch(t, "/startTime")));
    let id = s(doc, "/conversationId").unwrap_or(stem).to_string();
    let mut c = Contact {
        id,
        channel: s(doc, "/mediaType").map(fields::channel),
        started_at: origin.and_then(fields::epoch_ms_to_iso),
        language: transcripts
            .iter()
            .find_map(|t| s(t, "/language"))
            .map(str::to_string),
        duration_s: num(doc, "/duration/milliseconds").map(|ms| ms / 1000.0),
        ..Contact::default()
    };
    let mut timed: Vec<(f64, usize, Turn)> = Vec::new();
    let mut count = 0usize;
    for (ti, t) in transcripts.iter().enumerate() {
        let Some(phrases) = t.get("phrases").and_then(Value::as_array) else {
            continue;
        };
        count += phrases.len();
        too_many(&c.id, count, max)?;
        let base = origin
            .or_else(|| epoch(t, "/startTime"))
            .or_else(|| phrases.iter().find_map(|p| epoch(p, "/startTimeMs")));
        for (pi, p) in phrases.iter().enumerate() {
            let at = || format!("transcripts[{ti}].phrases[{pi}]");
            let purpose = s(p, "/participantPurpose")
                .ok_or_else(|| format!("{}: no `participantPurpose`", at()))?;
            let speaker = match purpose.to_ascii_lowercase().as_str() {
                "internal" | "agent" | "user" => Speaker::Agent,
                "external" | "customer" => Speaker::Customer,
                "ivr" | "acd" | "bot" | "workflow" => Speaker::Bot,
                _ => {
                    return Err(format!(
                        "{}: unknown participantPurpose `{purpose}`; expected internal (agent) or external (customer)",
                        at()
                    ))
                }
            };
            let text = s(p, "/decoratedText")
                .or_else(|| s(p, "/text"))
                .unwrap_or_default()
                .to_string();
            let start = num(p, "/startTimeMs").map(|ms| match base {
                Some(b) if ms >= b => (ms - b) / 1000.0,
                Some(_) if ms > 1e11 => 0.0,
                _ => ms / 1000.0,
            });
            let end = start
                .zip(num(p, "/duration/milliseconds"))
                .map(|(s, d)| s + d / 1000.0);
            let seq = timed.len();
            timed.push((
                start.unwrap_or(f64::MAX),
                seq,
                Turn {
                    speaker,
                    text,
                    event: None,
                    start,
                    end,
                },
            ));
        }
    }
    // Separate channels come as separate transcripts: interleave by time.
    timed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    c.turns = timed.into_iter().map(|(_, _, t)| t).collect();
    for key in ["communicationId", "recordingId"] {
        if let Some(v) = s(doc, &format!("/{key}")) {
            c.metadata
                .insert(fields::norm_key(key), Value::String(v.into()));
        }
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn transcribe_call_analytics_roles_and_millisecond_offsets() {
        let doc = json!({"JobName": "call-2026-11-02-0001", "JobStatus": "COMPLETED", "LanguageCode": "ru-RU",
            "Transcript": [
                {"ParticipantRole": "AGENT", "Content": "Банк «Пример», Мария, здравствуйте!", "BeginOffsetMillis": 120, "EndOffsetMillis": 2900},
                {"ParticipantRole": "CUSTOMER", "Content": "У меня заблокировали карту", "BeginOffsetMillis": 3100, "EndOffsetMillis": 5800}],
            "Categories": {"MatchedCategories": [" жалоба"], "MatchedDetails": {}},
            "ConversationCharacteristics": {"TotalConversationDurationMillis": 42460, "Sentiment": {"OverallSentiment": {"AGENT": 2.5, "CUSTOMER": -1.0}}}});
        let f = detect(&doc).unwrap();
        assert_eq!(f, CloudFormat::TranscribeCallAnalytics);
        let c = parse(f, &doc, "x", 100).unwrap();
        assert_eq!(c.id, "call-2026-11-02-0001");
        assert_eq!(c.turns[0].speaker, Speaker::Agent);
        assert_eq!((c.turns[1].start, c.turns[1].end), (Some(3.1), Some(5.8)));
        assert_eq!(c.duration_s, Some(42.46));
        assert_eq!(c.metadata["categories"], json!(["жалоба"]));
        assert_eq!(c.metadata["sentiment_customer"], json!(-1.0));
        assert!(c.agent_id.is_empty());
    }

    #[test]
    fn contact_lens_voice_maps_participant_ids_to_roles() {
        let doc = json!({"Version": "VOICE-2022-11-30", "Channel": "VOICE",
            "CustomerMetadata": {"ContactId": "b4964-0001"},
            "Participants": [{"ParticipantId": "CUSTOMER", "ParticipantRole": "CUSTOMER"}, {"ParticipantId": "AGENT", "ParticipantRole": "AGENT"}],
            "Transcript": [{"BeginOffsetMillis": 0, "EndOffsetMillis": 90, "Content": "Алло", "ParticipantId": "AGENT"},
                           {"BeginOffsetMillis": 160, "EndOffsetMillis": 4640, "Content": "Здравствуйте", "ParticipantId": "CUSTOMER"}]});
        let c = parse(detect(&doc).unwrap(), &doc, "x", 100).unwrap();
        assert_eq!(c.id, "b4964-0001");
        assert_eq!(c.metadata["export"], "amazon_connect_contact_lens");
        assert_eq!(c.turns[1].speaker, Speaker::Customer);
    }

    #[test]
    fn contact_lens_chat_times_are_relative_and_events_are_system_turns() {
        let doc = json!({"Channel": "CHAT", "ChatTranscriptVersion": "2019-08-26", "Transcript": [
            {"AbsoluteTime": "2026-11-02T07:31:50.735Z", "ContentType": "application/vnd.amazonaws.connect.event.participant.joined", "ParticipantRole": "CUSTOMER", "Type": "EVENT"},
            {"AbsoluteTime": "2026-11-02T07:31:53.390Z", "Content": "Вы в очереди", "ContentType": "text/plain", "ParticipantRole": "SYSTEM", "Type": "MESSAGE"},
            {"AbsoluteTime": "2026-11-02T07:32:03.462Z", "Content": "Здравствуйте, меня зовут Анна", "DisplayName": "Анна", "ParticipantRole": "AGENT", "Type": "MESSAGE"}]});
        let c = parse(detect(&doc).unwrap(), &doc, "chat-17_analysis_2026", 100).unwrap();
        assert_eq!(c.id, "chat-17");
        assert_eq!(c.channel.as_deref(), Some("chat"));
        assert_eq!(c.turns[0].event.as_deref(), Some("participant_joined"));
        assert_eq!(c.turns[1].speaker, Speaker::Bot);
        let t = c.turns[2].start.unwrap();
        assert!((t - 12.727).abs() < 1e-6, "{t}");
        assert_eq!(c.agent_name.as_deref(), Some("Анна"));
    }

    #[test]
    fn genesys_phrases_from_two_channels_are_interleaved_by_time() {
        let doc = json!({"conversationId": "g-1", "conversationStartTime": 1_780_000_000_000u64, "mediaType": "call",
            "transcripts": [
                {"language": "ru-ru", "phrases": [{"text": "добрый день", "startTimeMs": 1_780_000_001_000u64, "duration": {"milliseconds": 1500}, "participantPurpose": "internal"},
                                                   {"text": "чем помочь", "startTimeMs": 1_780_000_009_000u64, "participantPurpose": "internal"}]},
                {"phrases": [{"text": "здравствуйте", "startTimeMs": 1_780_000_004_000u64, "participantPurpose": "external"}]}]});
        let c = parse(detect(&doc).unwrap(), &doc, "x", 100).unwrap();
        let seq: Vec<_> = c.turns.iter().map(|t| (t.speaker, t.start)).collect();
        assert_eq!(
            seq,
            [
                (Speaker::Agent, Some(1.0)),
                (Speaker::Customer, Some(4.0)),
                (Speaker::Agent, Some(9.0))
            ]
        );
        assert_eq!(c.turns[0].end, Some(2.5));
        assert_eq!(c.channel.as_deref(), Some("voice"));
        assert_eq!(c.started_at.as_deref(), Some("2026-05-28T20:26:40Z"));
    }

    #[test]
    fn unknown_role_is_rejected_naming_the_item() {
        let doc = json!({"JobName": "j", "Transcript": [{"ParticipantRole": "MANAGER", "Content": "x", "BeginOffsetMillis": 0}]});
        let e = parse(detect(&doc).unwrap(), &doc, "x", 100).unwrap_err();
        assert!(
            e.starts_with("Transcript[0]: unknown ParticipantRole `MANAGER`"),
            "{e}"
        );
    }

    #[test]
    fn other_json_is_not_mistaken_for_an_export() {
        assert_eq!(detect(&json!({"id": "C-1", "turns": []})), None);
        assert_eq!(detect(&json!({"Transcript": [{"speaker": "a"}]})), None);
        assert_eq!(detect(&json!([1, 2])), None);
    }
}
