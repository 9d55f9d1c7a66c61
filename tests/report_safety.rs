//! Safety and limits: input text never becomes a formula, names from input
//! never escape the output folder or break Excel's sheet rules, long text is
//! cut visibly, long lists continue on a next sheet, and nothing is left
//! half-written.

use crate::report_support::*;
use calamine::Data;
use cqa::output::manifest::Manifest;
use cqa::output::xlsx::{write_workbooks, ReportOptions};
use serde_json::Value;

const EVIL_NAME: &str = "=HYPERLINK(\"http://x\",\"y\")";

/// Fixtures with hostile agent ids and names, a formula-like quote and a very long turn.
fn hostile(dir: &std::path::Path) {
    write_fixtures(dir, 20, 0);
    let mut lines = String::new();
    let mut add =
        |i: usize, id: &str, name: Option<&str>, team: &str, edit: &dyn Fn(&mut Value)| {
            let mut c = contact(i, 0, (id, name.unwrap_or(id), team));
            c["id"] = Value::String(format!("C-EVIL-{i}"));
            if name.is_none() {
                c.as_object_mut().unwrap().remove("agent_name");
            }
            edit(&mut c);
            lines.push_str(&c.to_string());
            lines.push('\n');
        };
    let quote = |c: &mut Value| {
        let turns = c["turns"].as_array_mut().unwrap();
        turns[0]["text"] = Value::String("=1+1 здравствуйте, продиктуйте код из СМС".into());
    };
    add(0, "../x", Some(EVIL_NAME), "con", &quote);
    add(1, "../x", Some(EVIL_NAME), "con", &|_| {});
    add(2, "con", None, "Группа 1", &|_| {});
    add(3, "CON", None, "Группа 1", &|_| {});
    add(4, "nul", None, "../../teams", &|_| {});
    add(5, "a/b\\c:d*e?f", None, "[x]:*?/\\", &|_| {});
    let long = |c: &mut Value| {
        let turns = c["turns"].as_array_mut().unwrap();
        let text = format!(
            "Здравствуйте! {} продиктуйте код из СМС",
            "очень длинная реплика ".repeat(2000)
        );
        turns[0]["text"] = Value::String(text);
    };
    add(6, "A101", Some("Смирнова Ольга"), "Группа 1", &long);
    let long_name = format!("Оператор {}", "ж".repeat(40_000));
    add(7, "LONG", Some(&long_name), "Группа 1", &|_| {});
    std::fs::write(dir.join("contacts").join("hostile.jsonl"), lines).unwrap();
}

#[test]
fn input_text_is_never_a_formula() {
    let t = tempfile::tempdir().unwrap();
    hostile(t.path());
    let out = t.path().join("run");
    check(t.path(), &out, &[]);
    let summary = out.join("summary.xlsx");

    // Agents: the name reads back as the very string, and the sheet holds no formula at all.
    let a = sheet(&summary, "Операторы");
    let name = col(&a, 0, "Оператор");
    let row = data_rows(&a, name)
        .into_iter()
        .find(|r| text(&a, *r, name) == EVIL_NAME);
    let row = row.expect("the agent name, as written");
    assert_eq!(
        a.get_value((row, name)),
        Some(&Data::String(EVIL_NAME.into()))
    );
    let f = formulas(&summary, "Операторы");
    assert!(
        f.get_value((row, name)).is_none_or(|s| s.is_empty()),
        "no formula in the name cell"
    );
    if let Some(xml) = zip_part(&summary, "xl/worksheets/sheet2.xml") {
        assert!(
            !xml.contains("<f>") && !xml.contains("<f "),
            "the Agents sheet has no formula element"
        );
        let sst = zip_part(&summary, "xl/sharedStrings.xml").unwrap_or_default();
        let escaped = EVIL_NAME.replace('"', "&quot;");
        assert!(
            sst.contains(EVIL_NAME) || sst.contains(&escaped),
            "stored as a shared string"
        );
    }

    // Contacts: the agent column is a string cell; the only formulas are cqa's own links.
    let c = sheet(&summary, "Контакты");
    let cid = col(&c, 0, "Контакт");
    let agent = col(&c, 0, "Оператор");
    let row = data_rows(&c, cid)
        .into_iter()
        .find(|r| text(&c, *r, cid) == "C-EVIL-1")
        .unwrap();
    assert_eq!(
        c.get_value((row, agent)),
        Some(&Data::String(EVIL_NAME.into()))
    );
    let f = formulas(&summary, "Контакты");
    let (h, w) = f.get_size();
    for r in 0..h as u32 {
        for col in 0..w as u32 {
            if let Some(s) = f.get_value((r, col)).filter(|s| !s.is_empty()) {
                assert!(
                    s.starts_with("HYPERLINK(\"#'Нарушения"),
                    "unexpected formula {s}"
                );
            }
        }
    }
    if let Some(xml) = zip_part(&summary, "xl/worksheets/sheet6.xml") {
        let cell = format!("<c r=\"C{}\"", row + 1);
        let at = xml.find(&cell).expect("the agent cell");
        let end = at + xml[at..].find("</c>").unwrap();
        let element = &xml[at..end];
        assert!(!element.contains("<f>"), "{element}");
        assert!(element.contains("t=\"inlineStr\""), "{element}");
    }

    // Findings: the quote that starts with "=" is a string equal to the result's quote.
    let res = results(&out.join("results.jsonl"));
    let evil = res.iter().find(|r| r["contact_id"] == "C-EVIL-0").unwrap();
    let failed = evil["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "no_sms_code")
        .unwrap();
    assert_eq!(failed["status"], "fail");
    let want = failed["evidence"][0]["quote"].as_str().unwrap();
    assert!(want.starts_with('='), "{want}");
    let fs = sheet(&summary, "Нарушения");
    let (fc, crit, quote) = (
        col(&fs, 0, "Контакт"),
        col(&fs, 0, "ID критерия"),
        col(&fs, 0, "Цитата"),
    );
    let row = data_rows(&fs, fc)
        .into_iter()
        .find(|r| text(&fs, *r, fc) == "C-EVIL-0" && text(&fs, *r, crit) == "no_sms_code")
        .unwrap();
    assert_eq!(fs.get_value((row, quote)), Some(&Data::String(want.into())));
    assert!(formulas(&summary, "Нарушения")
        .get_value((row, quote))
        .is_none_or(|s| s.is_empty()));
}

#[test]
fn file_and_sheet_names_are_safe_and_stay_in_the_folder() {
    let t = tempfile::tempdir().unwrap();
    hostile(t.path());
    let out = t.path().join("run");
    check(t.path(), &out, &[]);
    let agents = files(&out.join("agents"));
    let teams = files(&out.join("teams"));
    // Every workbook is a plain file name directly inside its folder.
    for f in agents.iter().chain(&teams) {
        assert!(
            !f.contains('/') && !f.contains('\\') && !f.starts_with('.'),
            "{f}"
        );
        let stem = f.trim_end_matches(".xlsx").to_ascii_lowercase();
        assert!(
            !["con", "nul", "prn", "aux"].contains(&stem.as_str()),
            "{f}"
        );
        assert!(!f.chars().any(|c| "<>:\"|?*".contains(c)), "{f}");
    }
    // Agents are taken in id order: "CON" before "con", which becomes a numbered duplicate.
    assert!(agents.contains(&"_CON.xlsx".to_string()), "{agents:?}");
    assert!(
        agents.contains(&"_con (2).xlsx".to_string()),
        "case-insensitive duplicate: {agents:?}"
    );
    assert!(agents.contains(&"_nul.xlsx".to_string()), "{agents:?}");
    assert!(
        agents.iter().any(|f| f.ends_with("(.._x).xlsx")),
        "{agents:?}"
    );
    assert!(teams.contains(&"_con.xlsx".to_string()), "{teams:?}");
    let res = results(&out.join("results.jsonl"));
    assert_eq!(
        agents.len(),
        expected(&res, "agent_id").len(),
        "one workbook per agent"
    );
    assert_eq!(
        teams.len(),
        expected(&res, "team").len(),
        "one workbook per team"
    );
    // Nothing was written next to the run folder.
    let around: Vec<String> = std::fs::read_dir(t.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut around = around;
    around.sort();
    assert_eq!(around, ["contacts", "run", "scorecard.json"]);
    // The team sheet of an odd team name is still a valid workbook.
    for f in &teams {
        assert_eq!(sheet_names(&out.join("teams").join(f)).len(), 3, "{f}");
    }
}

#[test]
fn long_quotes_are_cut_with_a_visible_marker() {
    let t = tempfile::tempdir().unwrap();
    hostile(t.path());
    let out = t.path().join("run");
    check(t.path(), &out, &[]);
    let res = results(&out.join("results.jsonl"));
    let long = res.iter().find(|r| r["contact_id"] == "C-EVIL-6").unwrap();
    let failed = long["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "no_sms_code")
        .unwrap();
    let quote = failed["evidence"][0]["quote"].as_str().unwrap();
    let fs = sheet(&out.join("summary.xlsx"), "Нарушения");
    let (fc, crit, qc) = (
        col(&fs, 0, "Контакт"),
        col(&fs, 0, "ID критерия"),
        col(&fs, 0, "Цитата"),
    );
    let row = data_rows(&fs, fc)
        .into_iter()
        .find(|r| text(&fs, *r, fc) == "C-EVIL-6" && text(&fs, *r, crit) == "no_sms_code")
        .unwrap();
    let cell = text(&fs, row, qc);
    let units = |s: &str| s.encode_utf16().count();
    if units(quote) > 32_767 {
        assert!(units(&cell) <= 32_767, "{} units", units(&cell));
        assert!(
            cell.contains("обрезано") && cell.ends_with(']'),
            "{}",
            &cell[cell.len() - 80..]
        );
        assert!(
            quote.starts_with(cell.split(" … [").next().unwrap()),
            "the kept part is the quote's start"
        );
    } else {
        assert_eq!(cell, quote, "the engine already shortened the quote");
    }
    // A 40,000-character agent name is cut, visibly, wherever it is shown.
    let summary = out.join("summary.xlsx");
    let c = sheet(&summary, "Контакты");
    let (cid, agent) = (col(&c, 0, "Контакт"), col(&c, 0, "Оператор"));
    let row = data_rows(&c, cid)
        .into_iter()
        .find(|r| text(&c, *r, cid) == "C-EVIL-7")
        .unwrap();
    let a = sheet(&summary, "Операторы");
    let name = col(&a, 0, "Оператор");
    let arow = data_rows(&a, name)
        .into_iter()
        .find(|r| text(&a, *r, name).starts_with("Оператор жжж"))
        .unwrap();
    for cell in [text(&c, row, agent), text(&a, arow, name)] {
        assert!(units(&cell) <= 32_767, "{} units", units(&cell));
        assert!(
            cell.starts_with("Оператор жжж") && cell.ends_with(']') && cell.contains("обрезано")
        );
    }
    let file = files(&out.join("agents"))
        .into_iter()
        .find(|f| f.starts_with("Оператор жжж"))
        .unwrap();
    assert!(file.len() < 200, "{} bytes", file.len());
}

#[test]
fn lists_continue_on_a_next_sheet() {
    let t = tempfile::tempdir().unwrap();
    write_fixtures(t.path(), 25, 0);
    let run = t.path().join("run");
    check(t.path(), &run, &["--no-workbooks"]);
    let manifest: Manifest =
        serde_json::from_str(&std::fs::read_to_string(run.join("run.json")).unwrap()).unwrap();
    let out = t.path().join("small");
    std::fs::create_dir_all(&out).unwrap();
    let opts = ReportOptions {
        row_limit: 6,
        ..Default::default()
    };
    let w = write_workbooks(&out, &manifest, &[run.join("results.jsonl")], &opts).unwrap();
    let res = results(&run.join("results.jsonl"));
    let fails: u64 = expected(&res, "agent_id").values().map(|e| e.fails).sum();
    let parts = |base: &str| -> Vec<String> {
        w.summary_sheets
            .iter()
            .filter(|n| *n == base || n.starts_with(&format!("{base} ")))
            .cloned()
            .collect()
    };
    let c_parts = parts("Контакты");
    let f_parts = parts("Нарушения");
    assert_eq!(
        c_parts.len() as u64,
        (res.len() as u64).div_ceil(5),
        "{c_parts:?}"
    );
    assert_eq!(f_parts.len() as u64, fails.div_ceil(5), "{f_parts:?}");
    assert_eq!(f_parts[1], "Нарушения 2");
    assert_eq!(sheet_names(&w.summary), w.summary_sheets);
    // Every row is somewhere, in order, and no part passes the limit.
    let summary = &w.summary;
    let mut ids = Vec::new();
    for p in &c_parts {
        let s = sheet(summary, p);
        let rows = data_rows(&s, 0);
        assert!(rows.len() <= 5);
        ids.extend(rows.iter().map(|r| text(&s, *r, 0)));
    }
    let want: Vec<String> = res
        .iter()
        .map(|r| r["contact_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, want);
    let total: usize = f_parts
        .iter()
        .map(|p| data_rows(&sheet(summary, p), 0).len())
        .sum();
    assert_eq!(total as u64, fails);
    // Links from any Contacts part land on the contact's findings, whichever part they are on.
    for p in &c_parts {
        let s = sheet(summary, p);
        let f = formulas(summary, p);
        let lc = col(&s, 0, "Нарушения");
        for r in data_rows(&s, 0) {
            let Some(formula) = f.get_value((r, lc)).filter(|x| !x.is_empty()) else {
                continue;
            };
            let target = formula.split("#'").nth(1).unwrap();
            let (sheet_name, rest) = target.split_once("'!A").unwrap();
            let row: u32 = rest.split('"').next().unwrap().parse().unwrap();
            let fs = sheet(summary, sheet_name);
            assert_eq!(text(&fs, row - 1, 0), text(&s, r, 0), "{formula}");
        }
    }
    // Agent workbooks continue their lists the same way.
    let big = w
        .agents
        .iter()
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .unwrap();
    assert!(
        sheet_names(big).iter().any(|n| n == "Контакты 2"),
        "{:?}",
        sheet_names(big)
    );
}
