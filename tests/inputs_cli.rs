//! `cqa check` on what a Russian contact centre really exports: cp1251 and
//! UTF-16 text transcripts, a semicolon CSV from Excel, Amazon and Genesys
//! JSON, an ACD registry in Excel and an agent roster — end to end through the
//! binary, every input accounted for.

use crate::workdir::{any_channel_card, cqa, jsonl, put, repo, shared_data};
use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;
use std::path::Path;

fn cp1251(s: &str) -> Vec<u8> {
    encoding_rs::WINDOWS_1251.encode(s).0.into_owned()
}

fn utf16le_bom(s: &str) -> Vec<u8> {
    let mut b = vec![0xFF, 0xFE];
    b.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
    b
}

/// A week of exports from a bank's contact centre, in every shape cqa reads.
fn week_of_exports(dir: &Path) {
    put(dir, "in/calls/C-101.txt", cp1251(
        "ID обращения: C-101\nТабельный номер: A017\nКанал: Звонок\nДата: 02.11.2026 10:15\nТематика: блокировка карты\n\n\
         [00:00] Оператор: Банк «Пример», Мария, здравствуйте!\n[00:04] Клиент: Здравствуйте, у меня заблокировали карту.\n\
         Уже второй раз за месяц.\n[00:12] Оператор: Сейчас проверю, назовите кодовое слово.\n"));
    put(
        dir,
        "in/calls/C-102.txt",
        "[00:01] Оператор: Добрый день, слушаю вас.\n[00:03] Абонент: Хочу узнать баланс.\n"
            .as_bytes(),
    );
    put(dir, "in/calls/C-103.txt", utf16le_bom(
        "id: C-103\nagent_id: A017\n\n[00:00] Специалист: Здравствуйте!\n[00:02] Клиент: Добрый день.\n"));
    put(
        dir,
        "in/chats/export.csv",
        cp1251(
            "ID обращения;ID оператора;Канал;Роль;Время;Реплика\r\n\
         C-201;A017;Чат;Оператор;0;Добрый день! Чем могу помочь?\r\n\
         C-202;;Чат;Оператор;0;Здравствуйте!\r\n\
         C-201;A017;Чат;Клиент;35;\"Карта не проходит\r\nв магазине\"\r\n\
         C-201;A017;Чат;Стажёр;50;Я подключусь\r\n\
         C-202;;Чат;Клиент;20;Спасибо\r\n",
        ),
    );
    put(dir, "in/amazon/call-0001.json", r#"{"JobName": "C-301", "JobStatus": "COMPLETED", "LanguageCode": "ru-RU",
        "Transcript": [{"ParticipantRole": "AGENT", "Content": "Здравствуйте, банк Пример.", "BeginOffsetMillis": 100, "EndOffsetMillis": 2100},
                       {"ParticipantRole": "CUSTOMER", "Content": "Добрый день.", "BeginOffsetMillis": 2500, "EndOffsetMillis": 3400}]}"#.as_bytes());
    put(dir, "in/genesys/conv.json", r#"{"conversationId": "C-401", "mediaType": "call",
        "transcripts": [{"phrases": [{"text": "добрый день", "startTimeMs": 1000, "participantPurpose": "internal"}]}]}"#.as_bytes());
    put(dir, "in/notes.docx", b"PK");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("dd.mm.yyyy hh:mm");
    for (c, h) in [
        "ID обращения",
        "Табельный номер",
        "Очередь",
        "Дата звонка",
        "Тематика обращения",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let rows = [
        ("C-102", "A018", "cards"),
        ("C-103", "A019", "cards"),
        ("C-301", "A018", "loans"),
        ("C-201", "A017", "chat-1"),
    ];
    for (r, (id, agent, queue)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, *id).unwrap();
        ws.write_string(r, 1, *agent).unwrap();
        ws.write_string(r, 2, *queue).unwrap();
        ws.write_number_with_format(r, 3, 46328.4270833333, &date)
            .unwrap();
        ws.write_string(r, 4, "карты").unwrap();
    }
    wb.save(dir.join("registry.xlsx")).unwrap();
    put(dir, "roster.csv", cp1251(
        "Табельный номер;ФИО;Группа;Руководитель группы\nA017;Иванова Мария;Группа 3;Петров П.\nA018;Сидорова Анна;Группа 1;Петров П.\n"));
}

fn run_week(tmp: &Path, quiet: bool) -> (Vec<Value>, Vec<Value>, Value, String) {
    week_of_exports(tmp);
    let mut cmd = cqa(tmp);
    cmd.args(["check", "in", "--scorecard"])
        .arg(any_channel_card())
        .args([
            "--out",
            "out",
            "--registry",
            "registry.xlsx",
            "--roster",
            "roster.csv",
            // Quotes of passed criteria too (the tests read how they were decoded).
            "--detail",
            "full",
        ]);
    if quiet {
        cmd.arg("--quiet");
    }
    let out = cmd.assert().success().get_output().stdout.clone();
    let run: Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.join("out/run.json")).unwrap()).unwrap();
    (
        jsonl(&tmp.join("out/results.jsonl")),
        jsonl(&tmp.join("out/rejected.jsonl")),
        run,
        String::from_utf8(out).unwrap(),
    )
}

fn by_id<'a>(results: &'a [Value], id: &str) -> &'a Value {
    results
        .iter()
        .find(|r| r["contact_id"] == id)
        .unwrap_or_else(|| panic!("{id} not scored"))
}

#[test]
fn a_week_of_russian_exports_is_scored_or_rejected_with_where_and_why() {
    let tmp = tempfile::tempdir().unwrap();
    let (results, rejected, run, _) = run_week(tmp.path(), true);
    let reasons: Vec<String> = rejected
        .iter()
        .map(|r| {
            format!(
                "{}:{} {}",
                r["source"].as_str().unwrap(),
                r["line"],
                r["reason"].as_str().unwrap()
            )
        })
        .collect();
    let n = |k: &str| run[k].as_u64().unwrap();
    assert_eq!(n("processed") + n("rejected"), n("discovered"));
    let mut ids: Vec<&str> = results
        .iter()
        .map(|r| r["contact_id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        ["C-101", "C-102", "C-103", "C-201", "C-301"],
        "{reasons:#?}"
    );
    let has = |needle: &str| reasons.iter().any(|r| r.contains(needle));
    assert!(
        has("export.csv:6 строка 6, столбец `Роль`: неизвестный говорящий `Стажёр`"),
        "{reasons:#?}"
    );
    assert!(has("export.csv:3 нет обязательного поля `agent_id` у контакта `C-202`: в файле его нет, и в реестре registry.xlsx нет оператора для него"), "{reasons:#?}");
    assert!(
        has("conv.json:null нет обязательного поля `agent_id` у контакта `C-401`"),
        "{reasons:#?}"
    );
    assert_eq!(rejected.len(), 3, "{reasons:#?}");
    assert_eq!(run["skipped"][0]["path"], "in/notes.docx");
}

#[test]
fn cp1251_and_utf16_transcripts_are_quoted_without_mojibake() {
    let tmp = tempfile::tempdir().unwrap();
    let (results, _, _, _) = run_week(tmp.path(), true);
    let quote = |id: &str| {
        by_id(&results, id)["criteria"][0]["evidence"][0]["quote"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert!(
        quote("C-101").contains("здравствуйте"),
        "{}",
        quote("C-101")
    );
    assert!(
        quote("C-103").contains("Здравствуйте"),
        "{}",
        quote("C-103")
    );
    let c101 = by_id(&results, "C-101");
    assert_eq!(
        (c101["channel"].as_str(), c101["started_at"].as_str()),
        (Some("voice"), Some("2026-11-02T10:15:00"))
    );
}

#[test]
fn registry_and_roster_fill_what_transcripts_leave_out() {
    let tmp = tempfile::tempdir().unwrap();
    let (results, _, run, _) = run_week(tmp.path(), true);
    let c102 = by_id(&results, "C-102");
    assert_eq!(c102["agent_id"], "A018", "from the registry");
    assert_eq!(
        (c102["agent_name"].as_str(), c102["team"].as_str()),
        (Some("Сидорова Анна"), Some("Группа 1")),
        "from the roster"
    );
    assert_eq!(
        c102["started_at"], "2026-11-02T10:15:00",
        "an Excel date cell"
    );
    assert_eq!(
        by_id(&results, "C-301")["agent_id"],
        "A018",
        "an Amazon export gets its agent from the registry"
    );
    assert_eq!(run["registry"]["contacts_matched"], 4);
    assert_eq!(run["roster"]["rows"], 2);
}

#[test]
fn a_registry_disagreeing_with_a_transcript_is_reported_never_silently_resolved() {
    let tmp = tempfile::tempdir().unwrap();
    let (results, _, run, stdout) = run_week(tmp.path(), false);
    assert_eq!(
        by_id(&results, "C-103")["agent_id"],
        "A017",
        "the transcript's own agent is kept"
    );
    let conflicts = run["conflicts"].as_array().unwrap();
    let c = conflicts
        .iter()
        .find(|c| c["contact_id"] == "C-103")
        .unwrap_or_else(|| panic!("{conflicts:#?}"));
    assert_eq!(
        (c["field"].as_str(), c["kept"].as_str(), c["other"].as_str()),
        (Some("agent_id"), Some("A017"), Some("A019"))
    );
    assert_eq!(c["other_from"], "registry.xlsx, row 3");
    assert!(c["kept_from"].as_str().unwrap().ends_with("C-103.txt"));
    assert_eq!(
        run["conflicts_total"].as_u64(),
        Some(conflicts.len() as u64)
    );
    assert!(
        stdout.contains(&format!(
            "Расхождений с реестром/списком операторов: {}",
            conflicts.len()
        )),
        "{stdout}"
    );
    assert!(stdout.contains("C-103 agent_id: «A017»"), "{stdout}");
}

#[test]
fn a_mapping_with_a_typo_is_a_usage_error_naming_where() {
    let tmp = tempfile::tempdir().unwrap();
    put(tmp.path(), "m.json", br#"{"name": "CRM", "id": "/id", "turns": {"array": "/messages", "speeker": "/from", "text": "/body"}}"#);
    put(tmp.path(), "in/a.json", b"{}");
    let out = cqa(tmp.path())
        .args([
            "check",
            "in",
            "--mapping",
            "m.json",
            "--out",
            "out",
            "--scorecard",
        ])
        .arg(any_channel_card())
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(
        err.contains("--mapping m.json: turns[0]: неизвестный ключ `speeker`"),
        "{err}"
    );
}

#[test]
fn a_registry_without_a_contact_id_column_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    put(
        tmp.path(),
        "reg.csv",
        "Оператор;Очередь\nИванова;cards\n".as_bytes(),
    );
    put(tmp.path(), "in/a.txt", "Оператор: Добрый день".as_bytes());
    let out = cqa(tmp.path())
        .args([
            "check",
            "in",
            "--registry",
            "reg.csv",
            "--out",
            "out",
            "--scorecard",
        ])
        .arg(any_channel_card())
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(
        err.contains(
            "reg.csv: no header row with the required column (expected a column such as contact_id"
        ),
        "{err}"
    );
}

#[test]
fn ibm_twitter_threads_are_scored_through_the_mapping_flag() {
    let Some(dev) = shared_data("ibm_twitter_customer_care/dev.json") else {
        eprintln!("skipped: ../shared/data absent");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let mapping = repo("mappings/ibm_twitter.json");
    let out = cqa(tmp.path())
        .arg("check")
        .arg(&dev)
        .arg("--mapping")
        .arg(&mapping)
        .arg("--scorecard")
        .arg(any_channel_card())
        .args(["--out", "out", "--lang", "en"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let stdout = String::from_utf8(out).unwrap();
    let run: Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("out/run.json")).unwrap())
            .unwrap();
    assert_eq!(
        (run["discovered"].as_u64(), run["processed"].as_u64()),
        (Some(525), Some(525))
    );
    assert_eq!(
        run["load_warnings_total"], 22,
        "negative durations in the dataset"
    );
    assert!(stdout.contains("Load warnings: 22"), "{stdout}");
    let results = jsonl(&tmp.path().join("out/results.jsonl"));
    assert_eq!(results[0]["contact_id"], "LgwAXtbbEm0mBvDrGmjk");
    assert_eq!(results[0]["line"], 1, "the record number in the file");
}

#[test]
fn harper_valley_calls_are_scored_through_the_mapping_flag() {
    let Some(dir) = shared_data("harper_valley_sample/transcript") else {
        eprintln!("skipped: ../shared/data absent");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let mapping = repo("mappings/harper_valley.json");
    cqa(tmp.path())
        .arg("check")
        .arg(&dir)
        .arg("--mapping")
        .arg(&mapping)
        .arg("--scorecard")
        .arg(any_channel_card())
        .args(["--out", "out", "--quiet"])
        .assert()
        .success();
    let results = jsonl(&tmp.path().join("out/results.jsonl"));
    let agents: Vec<&str> = results
        .iter()
        .map(|r| r["agent_id"].as_str().unwrap())
        .collect();
    assert_eq!(agents, ["46", "3", "17"]);
}

#[test]
fn contacts_over_the_turn_limit_are_rejected_naming_them_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let mut txt = String::from("agent_id: A017\n\n");
    let mut csv = String::from("ID обращения;ID оператора;Роль;Реплика\n");
    for i in 0..8 {
        txt.push_str(&format!("[00:{i:02}] Оператор: Реплика номер {i}\n"));
        csv.push_str(&format!("C-CSV;A017;Клиент;Реплика номер {i}\n"));
    }
    csv.push_str("C-OK;A017;Оператор;Добрый день!\n");
    put(tmp.path(), "in/C-TXT.txt", txt.as_bytes());
    put(tmp.path(), "in/table.csv", csv.as_bytes());
    cqa(tmp.path())
        .args(["check", "in", "--max-turns", "5", "--scorecard"])
        .arg(any_channel_card())
        .args(["--out", "out", "--quiet"])
        .assert()
        .success();
    let rejected = jsonl(&tmp.path().join("out/rejected.jsonl"));
    let reasons: Vec<&str> = rejected
        .iter()
        .map(|r| r["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        [
            "в контакте `C-TXT` 8 реплик — больше предела 5",
            "в контакте `C-CSV` 8 реплик — больше предела 5"
        ]
    );
    let results = jsonl(&tmp.path().join("out/results.jsonl"));
    assert_eq!(
        results.len(),
        1,
        "the other contact of the table is still scored"
    );
    assert_eq!(results[0]["line"], 10);
}
