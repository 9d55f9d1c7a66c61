//! No loader panics, whatever it is fed: arbitrary bytes for every file kind,
//! and JSON that has the *shape* of each cloud export or mapping but
//! adversarial values (wrong types, huge and negative numbers, NaN-like
//! strings, deep nesting). Every outcome must be a contact or a reason.

use cqa::input::contact::{
    decode_bytes, load_json, load_text, InputKind, Join, LoadOptions, Mapping,
};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::path::Path;
use std::sync::Arc;

const KINDS: [InputKind; 5] = [
    InputKind::Json,
    InputKind::Jsonl,
    InputKind::Txt,
    InputKind::Csv,
    InputKind::Tsv,
];

fn opts_with(mapping: Option<&str>) -> LoadOptions {
    let mapping = mapping.map(|m| {
        let p = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("mappings")
            .join(m);
        Arc::new(Mapping::load(&p).unwrap())
    });
    LoadOptions {
        mapping,
        max_turns: 50,
        ..LoadOptions::default()
    }
}

fn every_outcome_is_a_contact_or_a_reason(items: &[cqa::input::contact::Loaded]) {
    for i in items {
        if let Err(e) = &i.contact {
            assert!(!e.is_empty());
        }
    }
}

/// Words the loaders look for, so random documents reach deep code paths.
const KEYS: &[&str] = &[
    "id",
    "agent_id",
    "turns",
    "speaker",
    "text",
    "start",
    "end",
    "event",
    "metadata",
    "duration_s",
    "Transcript",
    "ParticipantRole",
    "ParticipantId",
    "Participants",
    "Content",
    "BeginOffsetMillis",
    "EndOffsetMillis",
    "AbsoluteTime",
    "Type",
    "ContentType",
    "Channel",
    "JobName",
    "CustomerMetadata",
    "ContactId",
    "Version",
    "transcripts",
    "phrases",
    "participantPurpose",
    "startTimeMs",
    "duration",
    "milliseconds",
    "conversationId",
    "conversationStartTime",
    "mediaType",
    "decoratedText",
    "dialogContent",
    "dialogHeader",
    "agentURL",
    "sessionID",
    "company",
    "url_utterance",
    "client",
    "agent",
    "datetime",
    "message",
    "speaker_role",
    "start_ms",
    "duration_ms",
    "transcript",
];

fn arb_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        prop_oneof![
            Just(f64::MAX),
            Just(f64::MIN),
            Just(-0.5),
            Just(1e300),
            Just(1.5e12),
            Just(0.0)
        ]
        .prop_map(|f| json!(f)),
        prop_oneof![
            Just("AGENT".to_string()),
            Just("CUSTOMER".to_string()),
            Just("SYSTEM".to_string()),
            Just("EVENT".to_string()),
            Just("internal".to_string()),
            Just("external".to_string()),
            Just("Оператор".to_string()),
            Just("caller".to_string()),
            Just("2026-11-02T10:15:00Z".to_string()),
            Just("-12:14:20.".to_string()),
            Just("99:99:99".to_string()),
            Just("NaN".to_string()),
            Just("1e400".to_string()),
            Just("6-01:08:11".to_string()),
            Just(String::new()),
            ".{0,12}",
        ]
        .prop_map(Value::String),
    ]
}

fn arb_json() -> impl Strategy<Value = Value> {
    arb_leaf().prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..8).prop_map(|kv| {
                Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

/// A document with the outer shape of one of the formats, adversarial inside.
fn arb_shaped() -> impl Strategy<Value = Value> {
    let items = prop::collection::vec(arb_json(), 0..6);
    (0..6usize, items, arb_json()).prop_map(|(shape, items, extra)| match shape {
        0 => json!({"JobName": extra, "JobStatus": "COMPLETED", "Transcript": items}),
        1 => json!({"Version": "VOICE-2022-11-30", "Participants": extra, "Transcript": items}),
        2 => json!({"Channel": "CHAT", "CustomerMetadata": {"ContactId": extra}, "Transcript": items}),
        3 => json!({"conversationId": extra, "conversationStartTime": 1.7e12, "transcripts": [{"phrases": items}]}),
        4 => json!({"id": extra, "agent_id": "A1", "turns": items}),
        _ => Value::Array(items),
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn no_loader_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let o = LoadOptions { max_turns: 20, ..LoadOptions::default() };
        if let Ok((text, _)) = decode_bytes(&bytes) {
            for k in KINDS {
                every_outcome_is_a_contact_or_a_reason(&load_text(Path::new("x/f.dat"), k, &text, &o));
            }
        }
    }

    #[test]
    fn no_loader_panics_on_arbitrary_text(text in "(?s)[\\[\\]:;,\"\\t\\n\\r0-9a-zA-Zа-яА-ЯёЁ «»{}-]{0,400}") {
        let o = LoadOptions { max_turns: 20, ..LoadOptions::default() };
        for k in KINDS {
            every_outcome_is_a_contact_or_a_reason(&load_text(Path::new("x/f.dat"), k, &text, &o));
        }
    }

    #[test]
    fn no_loader_panics_on_transcript_like_lines(lines in prop::collection::vec(
        ("(\\[[0-9:. -]{0,12}\\] ?)?", prop::sample::select(&["Оператор", "Клиент", "Бот", "IVR", "id", "agent_id", "Стажёр", "", "[00:01]"][..]), "[:;,\"]?", ".{0,30}"),
        0..30,
    )) {
        let text: String = lines.iter().map(|(t, who, sep, rest)| format!("{t}{who}{sep} {rest}\n")).collect();
        let o = LoadOptions { max_turns: 10, ..LoadOptions::default() };
        for k in [InputKind::Txt, InputKind::Csv, InputKind::Tsv] {
            every_outcome_is_a_contact_or_a_reason(&load_text(Path::new("f.txt"), k, &text, &o));
        }
    }

    #[test]
    fn no_json_loader_panics_on_adversarial_exports(doc in arb_shaped()) {
        let text = doc.to_string();
        for mapping in [None, Some("ibm_twitter.json"), Some("harper_valley.json")] {
            let o = opts_with(mapping);
            every_outcome_is_a_contact_or_a_reason(&load_json(Path::new("no/such/dir/f.json"), &text, None, &o));
        }
    }

    #[test]
    fn mapping_validation_never_panics(doc in arb_json()) {
        let _ = Mapping::from_value(&doc);
        let _ = Mapping::from_value(&json!({"turns": doc.clone(), "id": doc}));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]

    #[test]
    fn registry_reading_never_panics_on_arbitrary_files(bytes in prop::collection::vec(any::<u8>(), 0..2000), xlsx in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(if xlsx { "reg.xlsx" } else { "reg.csv" });
        std::fs::write(&p, &bytes).unwrap();
        let _ = Join::load(Some(&p), Some(&p), 1 << 20);
    }
}

/// A real small registry workbook, to corrupt byte by byte.
fn registry_xlsx() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["ID обращения", "Табельный номер", "Дата звонка"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..20u32 {
        ws.write_string(r, 0, format!("C-{r}")).unwrap();
        ws.write_string(r, 1, "A017").unwrap();
        ws.write_number(r, 2, 46328.5).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    #[test]
    fn registry_reading_never_panics_on_corrupted_workbooks(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut bytes = registry_xlsx();
        for (i, b) in flips {
            let at = i.index(bytes.len());
            bytes[at] = b;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("reg.xlsx");
        std::fs::write(&p, &bytes).unwrap();
        let _ = Join::load(Some(&p), None, 1 << 20);
    }
}
