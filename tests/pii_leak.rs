//! Personal data never leaves cqa unmasked: not in results.jsonl, not in any
//! workbook — unless the run asks for it with --no-mask.

use assert_cmd::Command;
use calamine::{open_workbook_auto, Data, Reader};
use serde_json::json;

const CARD: &str = "4276 3800 1234 5675"; // Luhn-valid
const PHONE: &str = "+7 (916) 123-45-67";
const EMAIL: &str = "ivan.petrov@example.ru";

fn call() -> serde_json::Value {
    json!({"id": "C-PII-1", "agent_id": "A001", "agent_name": "Иванова Мария", "team": "Группа 1", "channel": "voice",
    "duration_s": 40.0, "metadata": {"category": "block"},
    "turns": [
        {"speaker": "agent", "text": format!("Банк «Пример», Мария, здравствуйте! Ваша карта {CARD}, верно?"), "start": 0.0, "end": 6.0},
        {"speaker": "customer", "text": format!("Да. Перезвоните мне на {PHONE} или напишите на {EMAIL}."), "start": 6.5, "end": 12.0},
        {"speaker": "agent", "text": format!("Записала: {PHONE}, {EMAIL}. Назовите CVV, пожалуйста."), "start": 12.5, "end": 18.0},
        {"speaker": "agent", "text": "Всего доброго!", "start": 30.0, "end": 32.0}
    ]})
}

fn every_cell(path: &std::path::Path) -> String {
    let mut wb = open_workbook_auto(path).unwrap();
    let mut all = String::new();
    for name in wb.sheet_names() {
        if let Ok(range) = wb.worksheet_range(&name) {
            for row in range.rows() {
                for c in row {
                    if let Data::String(s) = c {
                        all.push_str(s);
                        all.push('\n');
                    }
                }
            }
        }
    }
    all
}

fn all_outputs(dir: &std::path::Path) -> String {
    let mut text = std::fs::read_to_string(dir.join("results.jsonl")).unwrap();
    for entry in walkdir::WalkDir::new(dir) {
        let p = entry.unwrap().into_path();
        if p.extension().is_some_and(|e| e == "xlsx") {
            text.push_str(&every_cell(&p));
        }
    }
    text
}

/// Checks the call with the bundled scorecards into `out/` of a fresh folder.
fn check_the_call(extra: &[&str]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("C-PII-1.json"), call().to_string()).unwrap();
    Command::cargo_bin("cqa")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("check")
        .arg(tmp.path().join("C-PII-1.json"))
        .arg("--quiet")
        .args(extra)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .assert()
        .success();
    tmp
}

#[test]
fn cards_phones_and_emails_are_masked_in_results_and_workbooks() {
    let tmp = check_the_call(&[]);
    let out = all_outputs(&tmp.path().join("out"));
    assert!(
        out.contains("4276 38** **** 5675"),
        "the card keeps its first 6 and last 4 digits"
    );
    assert!(out.contains("[телефон]") && out.contains("[e-mail]"));
    for secret in [CARD, PHONE, EMAIL, "4276380012345675"] {
        assert!(!out.contains(secret), "{secret} leaked");
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("out/run.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["masked"], true);
}

#[test]
fn no_mask_keeps_the_original_text_and_says_so() {
    let tmp = check_the_call(&["--no-mask", "--no-workbooks"]);
    let out = std::fs::read_to_string(tmp.path().join("out/results.jsonl")).unwrap();
    assert!(out.contains(CARD));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("out/run.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["masked"], false);
}

/// `samples/voice/C-000111.json` with turn 4 (the agent reading a card)
/// replaced by `text`, checked with the bundled scorecards: its results line.
fn sample_call_with_turn_4(text: &str) -> serde_json::Value {
    let sample = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/voice/C-000111.json"),
    )
    .unwrap();
    let mut c: serde_json::Value = serde_json::from_str(&sample).unwrap();
    c["turns"][4]["text"] = json!(text);
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("C-000111.json"), c.to_string()).unwrap();
    Command::cargo_bin("cqa")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "--quiet", "--no-workbooks", "--out"])
        .arg(tmp.path().join("out"))
        .arg(tmp.path().join("C-000111.json"))
        .assert()
        .success();
    let results = std::fs::read_to_string(tmp.path().join("out/results.jsonl")).unwrap();
    serde_json::from_str(results.lines().next().unwrap()).unwrap()
}

/// The repro: a card 90 characters into a long turn was cut by the
/// quote after «4276 3800 1234» and that piece was never masked.
#[test]
fn a_quote_cut_inside_a_card_number_shows_no_hidden_digit() {
    let text = format!(
        "Блокирую карточку, какую карту блокируем: ту, что заканчивается на эти цифры, \
         или вто номер 4276 3800 1234 5679, верно? {}",
        "x".repeat(200)
    );
    let line = sample_call_with_turn_4(&text).to_string();
    assert!(line.contains("4276 38** **** 5679"), "{line}");
    assert!(!line.contains("3800") && !line.contains("1234"), "{line}");
}

#[test]
fn a_dictated_card_cut_by_a_quote_shows_no_hidden_digit() {
    let text = format!(
        "Блокирую карточку, какую карту блокируем: ту, что заканчивается на эти цифры, \
         или вто номер, подождите, сейчас, номер четыре два семь шесть три восемь ноль \
         ноль один два три четыре пять шесть семь девять, верно? {}",
        "x".repeat(200)
    );
    let line = sample_call_with_turn_4(&text).to_string();
    // Cut after 180 characters, «… ноль ноль один два три четыре» was a
    // piece too short to be a card, and was shown as said.
    assert!(!line.contains("ноль один два"), "{line}");
    assert!(!line.contains("0 0 1 2"), "{line}");
    assert!(line.contains("4 2 7 6 3 8 * * * * * * 5 6 7 9"), "{line}");
}

/// The bundled `no_full_card_number` is a `pii` rule: a card written with
/// non-breaking spaces fails it as one with ordinary spaces does.
#[test]
fn a_card_with_non_breaking_spaces_auto_fails_like_one_with_spaces() {
    for sep in [" ", "\u{a0}", "\u{2009}", "–"] {
        let card = ["4276", "3800", "1234", "5679"].join(sep);
        let r = sample_call_with_turn_4(&format!("Уточните, какую блокируем: {card}?"));
        assert_eq!(r["auto_failed"], true, "{sep:?}");
        assert_eq!(r["score"], 0.0, "{sep:?}");
        assert!(!r.to_string().contains(&card), "{sep:?}");
    }
}
