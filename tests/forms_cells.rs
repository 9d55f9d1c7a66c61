//! The Excel kit (issue 20): every workbook cqa writes cuts its text at
//! Excel's cell limit, which counts UTF-16 units. A chat turn of emoji is
//! twice as long in those units as in characters: the forms used to count
//! characters, and such a turn stopped the whole `cqa forms` run with
//! `MaxStringLengthExceeded`.

use crate::evalkit::*;
use serde_json::json;

/// Excel's cell limit, in UTF-16 units.
const MAX_CELL: usize = 32_767;

/// A chat whose customer answers with 18,000 emoji: 36,000 UTF-16 units,
/// but under the limit when counted in characters.
fn emoji_chat(dir: &std::path::Path) -> String {
    let rant = "😡👎🙄".repeat(6_000);
    let chat = json!({
        "id": "CH-301", "agent_id": IVANOVA.0, "agent_name": IVANOVA.1, "team": "Группа 1",
        "channel": "voice", "started_at": "2026-11-03T09:00:00+03:00", "duration_s": 40.0,
        "turns": [
            {"speaker": "agent", "text": "Банк «Пример», Анна, здравствуйте!", "start": 0.0, "end": 3.0},
            {"speaker": "customer", "text": rant, "start": 3.5, "end": 20.0},
            {"speaker": "agent", "text": "Понимаю вас. Всего доброго!", "start": 21.0, "end": 25.0}
        ]
    });
    write_json(dir, "calls/CH-301.json", &chat);
    rant
}

#[test]
fn a_form_with_an_emoji_heavy_turn_is_written_with_the_turn_cut_to_excels_limit() {
    let dir = tempfile::tempdir().unwrap();
    let rant = emoji_chat(dir.path());
    assert!(rant.chars().count() < MAX_CELL && rant.encode_utf16().count() > MAX_CELL);
    cqa(dir.path())
        .args([
            "forms",
            "--contacts",
            "calls",
            "--evaluators",
            "Иванова",
            "--out",
            "forms",
        ])
        .arg("--scorecard")
        .arg(crate::workdir::mini_card())
        .assert()
        .success();
    let form = std::fs::read_dir(dir.path().join("forms"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .expect("the controller's form");
    let transcript = sheet(&form, "CH-301");
    let turn = transcript
        .iter()
        .flatten()
        .find(|cell| cell.starts_with("😡👎🙄"))
        .expect("the customer's turn on the transcript sheet");
    assert!(
        turn.encode_utf16().count() <= MAX_CELL,
        "{} units",
        turn.encode_utf16().count()
    );
    assert!(turn.ends_with('…'), "the cut shows");
    assert!(
        rant.starts_with(turn.trim_end_matches('…')),
        "the turn's beginning is kept"
    );
}
