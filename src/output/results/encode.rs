//! The `results.jsonl` line, written by hand.
//!
//! serde_json escapes strings one byte at a time; a results line is ~15 KB
//! of mostly Cyrillic reasons and quotes, so that scan was a tenth of the
//! whole check. This writer produces byte for byte what
//! `serde_json::to_writer` produces for a [`ContactResult`] (the tests hold
//! it to that) while copying clean runs of text whole: the bytes that need
//! escaping are found sixteen at a time (`sys::bytescan`: SSE2 on x86-64).
//! Kept by hand rather than serde's writer because that scan is measured
//! (BENCHMARKS.md). Reading results back still goes through serde.
//!
//! The lean form (`--detail failures`, the default) writes a `pass`
//! criterion's evidence as `"turns":[…]` with no reason and no quotes;
//! serde reads it back (the reason defaults to empty, the turns are not kept:
//! nothing downstream reads a pass's evidence).

use super::Detail;
use crate::results::{ContactResult, CriterionResult, ErrorCounts, Evidence, Status};

/// The result as one `results.jsonl` line (with its newline) in the given
/// form. The run encodes on the worker that scored the contact, so the
/// single writer only copies bytes.
pub fn line(r: &ContactResult, detail: Detail) -> Vec<u8> {
    let mut line = Vec::with_capacity(match detail {
        Detail::Full => 16 * 1024,
        Detail::Failures => 8 * 1024,
    });
    write_result(r, &mut line, detail);
    line.push(b'\n');
    line
}

/// Appends `r` as one JSON object (no newline); in the full form exactly as
/// serde_json would.
fn write_result(r: &ContactResult, out: &mut Vec<u8>, detail: Detail) {
    out.push(b'{');
    key(out, "contact_id", true);
    string(out, &r.contact_id);
    key(out, "source", false);
    string(out, &r.source);
    if let Some(line) = r.line {
        key(out, "line", false);
        integer(out, line);
    }
    if let Some(start) = r.range_start {
        key(out, "range_start", false);
        integer(out, start);
    }
    key(out, "agent_id", false);
    string(out, &r.agent_id);
    for (name, value) in [
        ("agent_name", &r.agent_name),
        ("team", &r.team),
        ("channel", &r.channel),
        ("queue", &r.queue),
        ("started_at", &r.started_at),
    ] {
        key(out, name, false);
        opt_string(out, value.as_deref());
    }
    if let Some(d) = r.duration_s {
        key(out, "duration_s", false);
        float(out, d);
    }
    key(out, "scorecard_id", false);
    string(out, &r.scorecard_id);
    key(out, "scorecard_version", false);
    string(out, &r.scorecard_version);
    key(out, "score", false);
    opt_float(out, r.score);
    key(out, "partial", false);
    boolean(out, r.partial);
    key(out, "auto_failed", false);
    boolean(out, r.auto_failed);
    key(out, "errors", false);
    errors(out, &r.errors);
    key(out, "criteria", false);
    out.push(b'[');
    for (i, c) in r.criteria.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        criterion(
            out,
            c,
            detail == Detail::Failures && c.status == Status::Pass,
        );
    }
    out.extend_from_slice(b"]}");
}

fn errors(out: &mut Vec<u8>, e: &ErrorCounts) {
    out.push(b'{');
    for (i, (name, n)) in [
        ("customer_critical", e.customer_critical),
        ("business_critical", e.business_critical),
        ("compliance_critical", e.compliance_critical),
        ("non_critical", e.non_critical),
    ]
    .into_iter()
    .enumerate()
    {
        key(out, name, i == 0);
        integer(out, u64::from(n));
    }
    out.push(b'}');
}

/// One criterion; `lean` writes the evidence's turns in place of the reason
/// and the evidence.
fn criterion(out: &mut Vec<u8>, c: &CriterionResult, lean: bool) {
    out.push(b'{');
    key(out, "id", true);
    string(out, &c.id);
    key(out, "section", false);
    string(out, &c.section);
    key(out, "status", false);
    string(out, c.status.id());
    key(out, "severity", false);
    string(out, c.severity.id());
    key(out, "weight", false);
    opt_float(out, c.weight);
    if let Some(p) = c.penalty {
        key(out, "penalty", false);
        float(out, p);
    }
    key(out, "auto_fail", false);
    boolean(out, c.auto_fail);
    if lean {
        turns(out, &c.evidence);
    } else {
        key(out, "reason", false);
        string(out, &c.reason);
        key(out, "evidence", false);
        out.push(b'[');
        for (i, e) in c.evidence.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            evidence(out, e);
        }
        out.push(b']');
    }
    if let Some(s) = c.auto_status {
        key(out, "auto_status", false);
        string(out, s.id());
    }
    for (name, value) in [
        ("auto_reason", &c.auto_reason),
        ("evaluator", &c.evaluator),
        ("comment", &c.comment),
    ] {
        if let Some(v) = value {
            key(out, name, false);
            string(out, v);
        }
    }
    out.push(b'}');
}

/// `"turns":[…]`: the turns the evidence quotes, each once, in evidence order.
fn turns(out: &mut Vec<u8>, evidence: &[Evidence]) {
    key(out, "turns", false);
    out.push(b'[');
    for (i, e) in evidence.iter().enumerate() {
        if evidence[..i].iter().any(|x| x.turn == e.turn) {
            continue;
        }
        if out.last() != Some(&b'[') {
            out.push(b',');
        }
        integer(out, e.turn as u64);
    }
    out.push(b']');
}

fn evidence(out: &mut Vec<u8>, e: &Evidence) {
    out.push(b'{');
    key(out, "turn", true);
    integer(out, e.turn as u64);
    key(out, "speaker", false);
    string(out, e.speaker.as_str());
    key(out, "start", false);
    opt_float(out, e.start);
    key(out, "quote", false);
    string(out, &e.quote);
    out.push(b'}');
}

fn key(out: &mut Vec<u8>, name: &str, first: bool) {
    if !first {
        out.push(b',');
    }
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":");
}

fn boolean(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

fn integer(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// Floats go through serde_json itself: its shortest round-trip form
/// ("4.0", "98.18181818181819") and `null` for NaN and infinities. Not ryu:
/// it writes `1e16` where serde_json writes `1e+16`, and took twice as long
/// (`cargo bench --bench crates`, `floats/*`).
fn float(out: &mut Vec<u8>, x: f64) {
    if serde_json::to_writer(&mut *out, &x).is_err() {
        out.extend_from_slice(b"null");
    }
}

fn opt_float(out: &mut Vec<u8>, x: Option<f64>) {
    match x {
        Some(x) => float(out, x),
        None => out.extend_from_slice(b"null"),
    }
}

fn opt_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut clean_from = 0;
    while let Some(i) = crate::sys::bytescan::JSON_STRING_SPECIAL.find(bytes, clean_from) {
        let b = bytes[i];
        out.extend_from_slice(&bytes[clean_from..i]);
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            _ => &[],
        };
        if escape.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        } else {
            out.extend_from_slice(escape);
        }
        clean_from = i + 1;
    }
    out.extend_from_slice(&bytes[clean_from..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::contact::Speaker;
    use crate::input::scorecard::Severity;
    use crate::results::Status;
    use proptest::prelude::*;

    fn serde_line(r: &ContactResult) -> Vec<u8> {
        serde_json::to_vec(r).unwrap()
    }

    fn hand_line(r: &ContactResult) -> Vec<u8> {
        let mut out = Vec::new();
        write_result(r, &mut out, Detail::Full);
        out
    }

    fn result(text: &str, number: f64, flags: u8) -> ContactResult {
        let opt = |bit: u8, v: String| (flags & bit != 0).then_some(v);
        ContactResult {
            contact_id: format!("C-{text}"),
            source: format!("samples/voice/{text}.json"),
            line: (flags & 1 != 0).then_some(12),
            range_start: (flags & 2 != 0).then_some(1 << 20),
            agent_id: "A017".into(),
            agent_name: opt(2, format!("Иванова Мария {text}")),
            team: opt(4, "Группа 3".into()),
            channel: Some("voice".into()),
            queue: opt(8, text.into()),
            started_at: Some("2026-11-02T10:15:00+03:00".into()),
            duration_s: (flags & 16 != 0).then_some(number),
            scorecard_id: "bank-voice-ru".into(),
            scorecard_version: "2026-11".into(),
            score: (flags & 32 != 0).then_some(number * 3.0),
            partial: flags & 64 != 0,
            auto_failed: flags & 128 != 0,
            errors: ErrorCounts {
                customer_critical: 0,
                business_critical: 1,
                compliance_critical: u32::from(flags),
                non_critical: 2,
            },
            criteria: vec![CriterionResult {
                id: "greet".into(),
                section: "greeting".into(),
                status: Status::Fail,
                severity: Severity::ComplianceCritical,
                weight: (flags & 2 != 0).then_some(number),
                penalty: (flags & 4 != 0).then_some(5.0),
                auto_fail: flags & 8 != 0,
                reason: format!("Не найдено «{text}» (реплика 3 (0:42))."),
                evidence: vec![Evidence {
                    turn: usize::from(flags),
                    speaker: Speaker::Agent,
                    start: (flags & 1 != 0).then_some(number),
                    quote: text.into(),
                }],
                auto_status: (flags & 16 != 0).then_some(Status::Pass),
                auto_reason: opt(32, text.into()),
                evaluator: opt(64, "Петрова А.".into()),
                comment: opt(128, format!("«{text}»")),
            }],
        }
    }

    #[test]
    fn quotes_backslashes_and_control_characters_are_escaped_as_serde_does() {
        let r = result(
            "Он сказал: \"карта\" \\ C:\\path\n\t\r\u{8}\u{c}\u{1}\u{1f}\u{7f}конец",
            2.5,
            0xff,
        );
        assert_eq!(hand_line(&r), serde_line(&r));
    }

    fn lean_line(r: &ContactResult) -> Vec<u8> {
        let mut out = Vec::new();
        write_result(r, &mut out, Detail::Failures);
        out
    }

    /// The result as a lean file reads back: passes lose reason and evidence.
    fn without_pass_details(mut r: ContactResult) -> ContactResult {
        for c in r.criteria.iter_mut().filter(|c| c.status == Status::Pass) {
            c.reason.clear();
            c.evidence.clear();
        }
        r
    }

    fn passed_greeting(turns: &[usize]) -> CriterionResult {
        CriterionResult {
            status: Status::Pass,
            weight: Some(4.0),
            reason: "Найдена фраза «здравствуйте» в первых 2 репликах оператора.".into(),
            evidence: turns
                .iter()
                .map(|&turn| Evidence {
                    turn,
                    speaker: Speaker::Agent,
                    start: Some(0.4),
                    quote: "Банк «Пример», Алексей, здравствуйте!".into(),
                })
                .collect(),
            ..result("x", 1.0, 0).criteria[0].clone()
        }
    }

    #[test]
    fn a_lean_pass_carries_its_turns_once_each_and_no_reason_or_quote() {
        let mut r = result("Иванова", 4.0, 2);
        r.criteria = vec![passed_greeting(&[0, 4, 0])];
        let line = String::from_utf8(lean_line(&r)).unwrap();
        assert!(
            line.ends_with(r#""criteria":[{"id":"greet","section":"greeting","status":"pass","severity":"compliance_critical","weight":4.0,"auto_fail":false,"turns":[0,4]}]}"#),
            "{line}"
        );
    }

    #[test]
    fn a_lean_pass_without_evidence_has_empty_turns() {
        let mut r = result("Иванова", 4.0, 0);
        r.criteria = vec![passed_greeting(&[])];
        let line = String::from_utf8(lean_line(&r)).unwrap();
        assert!(line.contains(r#""auto_fail":false,"turns":[]}"#), "{line}");
    }

    #[test]
    fn a_lean_fail_is_written_as_the_full_form_writes_it() {
        let r = result("карта 4276 **** **** 1234", 7.5, 0xff);
        assert_eq!(r.criteria[0].status, Status::Fail);
        assert_eq!(lean_line(&r), hand_line(&r));
    }

    #[test]
    fn a_lean_line_reads_back_with_empty_reasons_for_passes() {
        let mut r = result("Иванова", 4.0, 0x3f);
        r.criteria.push(passed_greeting(&[2, 5]));
        let back: ContactResult = serde_json::from_slice(&lean_line(&r)).unwrap();
        assert_eq!(back, without_pass_details(r));
    }

    proptest! {
        #[test]
        fn every_result_is_written_exactly_as_serde_json_writes_it(
            text in "\\PC*|[\\x00-\\x7f]{0,40}|[а-яё\"\\\\\\n ]{0,40}",
            number in prop_oneof![any::<f64>(), 0.0..1000.0f64, Just(4.0)],
            flags in any::<u8>(),
        ) {
            let r = result(&text, number, flags);
            prop_assert_eq!(hand_line(&r), serde_line(&r));
        }

        #[test]
        fn every_lean_line_is_json_that_reads_back_as_the_result_without_pass_details(
            text in "\\PC*|[а-яё\"\\\\\\n ]{0,40}",
            // Quarters: serde_json's default parser rounds some long decimals.
            number in (0u32..4000).prop_map(|n| f64::from(n) / 4.0),
            flags in any::<u8>(),
            pass in any::<bool>(),
        ) {
            let mut r = result(&text, number, flags);
            if pass {
                r.criteria[0].status = Status::Pass;
            }
            let back: ContactResult = serde_json::from_slice(&lean_line(&r)).unwrap();
            prop_assert_eq!(back, without_pass_details(r));
        }
    }
}
