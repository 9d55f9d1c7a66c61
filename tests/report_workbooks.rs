//! The workbooks `cqa check` writes, read back with calamine and compared
//! with results.jsonl: agent and team figures, class accuracies, every
//! contact and every finding, the per-agent and per-team workbooks.

use crate::report_support::*;
use calamine::Data;
use std::collections::BTreeMap;

fn run(n: usize, extra: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let t = tempfile::tempdir().unwrap();
    write_fixtures(t.path(), n, 0);
    let out = t.path().join("run");
    check(t.path(), &out, extra);
    (t, out)
}

#[test]
fn agents_sheet_matches_results() {
    let (_t, out) = run(60, &[]);
    let res = results(&out.join("results.jsonl"));
    let exp = expected(&res, "agent_id");
    let s = sheet(&out.join("summary.xlsx"), "Операторы");
    let id = col(&s, 0, "ID оператора");
    let rows = data_rows(&s, id);
    assert_eq!(rows.len(), exp.len(), "one row per agent");
    // The fixtures exercise what the sheet must show.
    assert!(
        exp.values().any(|e| e.scores.len() < 5),
        "an agent with too few contacts"
    );
    assert!(exp.values().any(|e| e.auto_fails > 0), "an auto-fail");
    let (n, scored, mean) = (
        col(&s, 0, "Контактов"),
        col(&s, 0, "С оценкой"),
        col(&s, 0, "Средняя оценка"),
    );
    let acc = [
        col(&s, 0, "Точность: клиент"),
        col(&s, 0, "Точность: бизнес"),
        col(&s, 0, "Точность: регулятор"),
    ];
    let (auto, rank, sample) = (
        col(&s, 0, "Автопровалы"),
        col(&s, 0, "Место"),
        col(&s, 0, "Выборка"),
    );
    let met = col(&s, 0, "Цель выполнена");
    let mut ranked_means = Vec::new();
    for row in rows {
        let agent = text(&s, row, id);
        let e = &exp[&agent];
        assert_eq!(num(&s, row, n), Some(e.contacts as f64), "{agent} contacts");
        assert_eq!(
            num(&s, row, scored),
            Some(e.scores.len() as f64),
            "{agent} scored"
        );
        let m = num(&s, row, mean).unwrap();
        assert!(
            close(m, e.mean().unwrap()),
            "{agent} mean {m} vs {:?}",
            e.mean()
        );
        for (k, c) in acc.iter().enumerate() {
            let a = num(&s, row, *c).unwrap();
            assert!(
                close(a, e.accuracy(k)),
                "{agent} accuracy {k}: {a} vs {}",
                e.accuracy(k)
            );
        }
        assert_eq!(
            num(&s, row, auto),
            Some(e.auto_fails as f64),
            "{agent} auto-fails"
        );
        if e.scores.len() < 5 {
            assert_eq!(text(&s, row, sample), "мало контактов", "{agent}");
            assert_eq!(num(&s, row, rank), None, "{agent} must not be ranked");
        } else {
            let all_met = text(&s, row, met) == "выполнена";
            ranked_means.push((num(&s, row, rank).unwrap(), m, all_met));
        }
    }
    // Ranks go down the sheet; those meeting every target come first,
    // highest mean first (the order among the others: report_reads.rs).
    assert!(
        ranked_means.windows(2).all(|w| {
            let (before, after) = (&w[0], &w[1]);
            let met_first = before.2 || !after.2;
            let both_met = before.2 && after.2;
            before.0 <= after.0 && met_first && (!both_met || before.1 >= after.1)
        }),
        "{ranked_means:?}"
    );
}

#[test]
fn teams_classes_and_criteria_match_results() {
    let (_t, out) = run(45, &[]);
    let res = results(&out.join("results.jsonl"));
    let summary = out.join("summary.xlsx");
    let teams = expected(&res, "team");
    let s = sheet(&summary, "Группы");
    let name = col(&s, 0, "Группа");
    for row in data_rows(&s, name) {
        let t = text(&s, row, name);
        let e = &teams[&t];
        assert_eq!(
            num(&s, row, col(&s, 0, "Контактов")),
            Some(e.contacts as f64)
        );
        assert!(close(
            num(&s, row, col(&s, 0, "Средняя оценка")).unwrap(),
            e.mean().unwrap()
        ));
    }
    // Classes: the overall row against all results.
    let all = expected(&res, "channel").remove("voice").unwrap();
    let c = sheet(&summary, "Классы ошибок");
    let overall = (1..10).find(|r| text(&c, *r, 0) == "Все контакты").unwrap();
    for (k, label) in ["клиент", "бизнес", "регулятор", "некритичные"]
        .iter()
        .enumerate()
    {
        assert!(all.with_error[k] > 0, "the fixtures have {label} errors");
        let v = num(&c, overall, col(&c, 0, &format!("Точность: {label}"))).unwrap();
        assert!(close(v, all.accuracy(k)), "{label}: {v}");
        let errs = num(
            &c,
            overall,
            col(&c, 0, &format!("Контактов с ошибкой: {label}")),
        )
        .unwrap();
        assert_eq!(errs, all.with_error[k] as f64);
    }
    // Criteria: failures per criterion, most failed first.
    let mut fails: BTreeMap<String, u64> = BTreeMap::new();
    for r in &res {
        for cr in r["criteria"].as_array().unwrap() {
            if cr["status"] == "fail" {
                *fails
                    .entry(cr["id"].as_str().unwrap().to_string())
                    .or_default() += 1;
            }
        }
    }
    let k = sheet(&summary, "Критерии");
    let (id, f) = (col(&k, 0, "ID критерия"), col(&k, 0, "Нарушений"));
    let mut last = f64::INFINITY;
    for row in data_rows(&k, id) {
        let n = num(&k, row, f).unwrap();
        assert_eq!(n, *fails.get(&text(&k, row, id)).unwrap_or(&0) as f64);
        assert!(n <= last, "Pareto order");
        last = n;
    }
}

#[test]
fn contacts_and_findings_list_every_result_with_links() {
    let (_t, out) = run(30, &[]);
    let res = results(&out.join("results.jsonl"));
    let summary = out.join("summary.xlsx");
    let c = sheet(&summary, "Контакты");
    let id = col(&c, 0, "Контакт");
    let rows = data_rows(&c, id);
    let ids: Vec<String> = rows.iter().map(|r| text(&c, *r, id)).collect();
    let want: Vec<String> = res
        .iter()
        .map(|r| r["contact_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, want, "every contact, in results order");
    let f = sheet(&summary, "Нарушения");
    let fid = col(&f, 0, "Контакт");
    let total: usize = res
        .iter()
        .map(|r| {
            r["criteria"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["status"] == "fail")
                .count()
        })
        .sum();
    assert_eq!(
        data_rows(&f, fid).len(),
        total,
        "one findings row per failed criterion"
    );
    // Each contact's link goes to the first row of its findings.
    let links = formulas(&summary, "Контакты");
    let lc = col(&c, 0, "Нарушения");
    let mut linked = 0;
    for (i, r) in res.iter().enumerate() {
        let row = rows[i];
        let n_fail = r["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["status"] == "fail")
            .count();
        let formula = links.get_value((row, lc)).cloned().unwrap_or_default();
        if n_fail == 0 {
            assert!(formula.is_empty());
            continue;
        }
        linked += 1;
        let target: u32 = formula
            .split("!A")
            .nth(1)
            .and_then(|t| t.split('"').next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        assert!(formula.contains("'Нарушения'!A"), "{formula}");
        assert_eq!(
            text(&f, target - 1, fid),
            r["contact_id"].as_str().unwrap(),
            "{formula}"
        );
        assert_eq!(text(&c, row, lc), format!("{n_fail} →"));
    }
    assert!(linked > 0);
    // Evidence quotes and reasons are those of results.jsonl.
    let (reason, quote) = (col(&f, 0, "Обоснование"), col(&f, 0, "Цитата"));
    let first = res
        .iter()
        .flat_map(|r| r["criteria"].as_array().unwrap().iter())
        .find(|c| c["status"] == "fail")
        .unwrap();
    assert_eq!(text(&f, 1, reason), first["reason"].as_str().unwrap());
    if let Some(q) = first["evidence"][0]["quote"].as_str() {
        assert!(text(&f, 1, quote).starts_with(q), "quote");
    }
}

#[test]
fn agent_and_team_workbooks_for_everyone() {
    let (_t, out) = run(40, &[]);
    let res = results(&out.join("results.jsonl"));
    let exp = expected(&res, "agent_id");
    let agents = files(&out.join("agents"));
    assert_eq!(agents.len(), exp.len(), "{agents:?}");
    for (id, e) in &exp {
        let file = agents
            .iter()
            .find(|f| f.contains(&format!("({id})")))
            .unwrap_or_else(|| panic!("{id}: {agents:?}"));
        let path = out.join("agents").join(file);
        assert_eq!(
            sheet_names(&path),
            ["Обратная связь", "Контакты", "Нарушения"]
        );
        let c = sheet(&path, "Контакты");
        assert_eq!(data_rows(&c, 0).len() as u64, e.contacts, "{id} contacts");
        let f = sheet(&path, "Нарушения");
        assert_eq!(data_rows(&f, 0).len() as u64, e.fails, "{id} findings");
        let fb = sheet(&path, "Обратная связь");
        let (h, _) = fb.get_size();
        let row = (0..h as u32)
            .find(|r| text(&fb, *r, 0) == "Средняя оценка")
            .unwrap();
        assert!(
            close(num(&fb, row, 1).unwrap(), e.mean().unwrap()),
            "{id} mean on the feedback sheet"
        );
        // The team mean stands beside it.
        let team = res.iter().find(|r| r["agent_id"] == id.as_str()).unwrap()["team"]
            .as_str()
            .unwrap()
            .to_string();
        let tm = expected(&res, "team")[&team].mean().unwrap();
        assert!(close(num(&fb, row, 2).unwrap(), tm));
    }
    let teams = files(&out.join("teams"));
    assert_eq!(teams, ["Группа 1.xlsx", "Группа 2.xlsx"]);
    // Agents -> agent workbooks, Teams -> team workbooks, team -> agents: every link lands on a file.
    let links = [
        (
            out.join("summary.xlsx"),
            "xl/worksheets/_rels/sheet2.xml.rels",
            out.clone(),
            exp.len(),
        ),
        (
            out.join("summary.xlsx"),
            "xl/worksheets/_rels/sheet3.xml.rels",
            out.clone(),
            2,
        ),
        (
            out.join("teams/Группа 2.xlsx"),
            "xl/worksheets/_rels/sheet2.xml.rels",
            out.join("teams"),
            3,
        ),
    ];
    for (xlsx, part, base, n) in links {
        let Some(rels) = zip_part(&xlsx, part) else {
            break;
        };
        let targets: Vec<String> = rels
            .split("<Relationship ")
            .filter(|r| r.contains("relationships/hyperlink\""))
            .filter_map(|r| r.split("Target=\"").nth(1)?.split('"').next())
            .map(percent_decode)
            .collect();
        assert_eq!(targets.len(), n, "{targets:?}");
        for t in targets {
            assert!(base.join(&t).is_file(), "{} -> {t}", xlsx.display());
        }
    }
    let t = out.join("teams").join("Группа 2.xlsx");
    assert_eq!(sheet_names(&t), ["Группа", "Операторы", "Критерии"]);
    let a = sheet(&t, "Операторы");
    let idc = col(&a, 0, "ID оператора");
    let mut ids: Vec<String> = data_rows(&a, idc)
        .iter()
        .map(|r| text(&a, *r, idc))
        .collect();
    ids.sort();
    assert_eq!(ids, ["A201", "A202", "A203"]);
}

#[test]
fn english_labels() {
    let (_t, out) = run(12, &["--lang", "en"]);
    let names = sheet_names(&out.join("summary.xlsx"));
    assert_eq!(
        names,
        [
            "Overview", "Agents", "Teams", "Criteria", "Classes", "Contacts", "Findings",
            "Rejected", "Channels", "Trends", "Glossary"
        ]
    );
    let a = sheet(&out.join("summary.xlsx"), "Agents");
    col(&a, 0, "Mean score");
    let r = sheet(&out.join("summary.xlsx"), "Rejected");
    assert_eq!(data_rows(&r, 0).len(), 1, "the broken file");
    assert!(text(&r, 1, 0).ends_with("broken.json"));
}

#[test]
fn overview_counts_and_scorecard_hash() {
    let (t, out) = run(20, &[]);
    let o = sheet(&out.join("summary.xlsx"), "Обзор");
    let value = |key: &str| {
        let (h, _) = o.get_size();
        let row = (0..h as u32)
            .find(|r| text(&o, *r, 0) == key)
            .unwrap_or_else(|| panic!("{key}"));
        o.get_value((row, 1)).cloned().unwrap_or(Data::Empty)
    };
    assert_eq!(value("Найдено контактов"), Data::Float(22.0));
    assert_eq!(value("Обработано"), Data::Float(21.0));
    assert_eq!(value("Отклонено"), Data::Float(1.0));
    let card = std::fs::read(t.path().join("scorecard.json")).unwrap();
    let hash: String = {
        use sha2::Digest;
        sha2::Sha256::digest(&card)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let (h, w) = o.get_size();
    let found = (0..h as u32).any(|r| (0..w as u32).any(|c| text(&o, r, c) == hash));
    assert!(found, "the scorecard's SHA-256 is on the Overview");
}

/// Temporary files (saved workbooks, the list rows set aside during the
/// check, the per-agent spool) all start with a dot.
fn hidden(files: &[String]) -> Vec<&String> {
    files
        .iter()
        .filter(|f| f.split('/').any(|part| part.starts_with('.')))
        .collect()
}

#[test]
fn no_workbooks_flag_writes_no_workbook_and_leaves_nothing_hidden() {
    let (_t, out) = run(10, &["--no-workbooks"]);
    assert!(!out.join("summary.xlsx").exists());
    let all = files(&out);
    assert_eq!(all, ["rejected.jsonl", "results.jsonl", "run.json"]);
}

#[test]
fn a_check_with_workbooks_leaves_no_temporary_file_behind() {
    let (_t, out) = run(10, &[]);
    let all = files(&out);
    assert!(all.contains(&"summary.xlsx".to_string()), "{all:?}");
    assert!(hidden(&all).is_empty(), "{all:?}");
}

/// `cqa report RESULTS --out DIR`, which must succeed.
fn report_into(dir: &std::path::Path, results: &std::path::Path) {
    cqa()
        .args(["report", "--quiet", "--out"])
        .arg(dir)
        .arg(results)
        .assert()
        .success();
}

#[test]
fn a_report_replaces_the_workbooks_of_an_earlier_report_in_its_folder() {
    let (t, out) = run(10, &[]);
    let rep = t.path().join("rep");
    // An earlier report there, with an agent who is not in these results …
    let old = t.path().join("old");
    std::fs::create_dir_all(&old).unwrap();
    let text = std::fs::read_to_string(out.join("results.jsonl")).unwrap();
    let (first, rest) = text.split_once('\n').unwrap();
    let mut gone: serde_json::Value = serde_json::from_str(first).unwrap();
    gone["agent_id"] = "A999".into();
    gone["agent_name"] = "Уволен".into();
    std::fs::write(old.join("results.jsonl"), format!("{gone}\n{rest}")).unwrap();
    cqa()
        .args(["report", "--quiet", "--allow-incomplete", "--out"])
        .arg(&rep)
        .arg(old.join("results.jsonl"))
        .assert()
        .success();
    assert!(rep.join("agents/Уволен (A999).xlsx").exists());
    // … and files of the user's, which stay.
    std::fs::write(rep.join("agents/заметки.txt"), "x").unwrap();
    std::fs::write(rep.join("agents/mine.xlsx"), "my own workbook").unwrap();
    report_into(&rep, &out.join("results.jsonl"));
    let all = files(&rep);
    assert!(!all.iter().any(|f| f.contains("A999")), "{all:?}");
    assert!(all.contains(&"agents/заметки.txt".to_string()), "{all:?}");
    assert!(all.contains(&"agents/mine.xlsx".to_string()), "{all:?}");
    let checked = files(&out);
    let theirs: Vec<&String> = checked
        .iter()
        .filter(|f| f.starts_with("agents/"))
        .collect();
    let ours: Vec<&String> = all
        .iter()
        .filter(|f| f.starts_with("agents/") && f.ends_with(".xlsx") && *f != "agents/mine.xlsx")
        .collect();
    assert_eq!(ours, theirs, "the same agent workbooks as the check wrote");
}

#[test]
fn a_report_leaves_no_temporary_file_behind() {
    let (t, out) = run(10, &["--no-workbooks"]);
    let rep = t.path().join("rep");
    report_into(&rep, &out.join("results.jsonl"));
    let all = files(&rep);
    assert!(all.contains(&"summary.xlsx".to_string()), "{all:?}");
    assert!(hidden(&all).is_empty(), "{all:?}");
}

/// `%20` and friends back to bytes (hyperlink targets are percent-escaped).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The bundled samples: calls (bank card, target 85), chats (chat card, 90)
/// and e-mails (e-mail card, 85), checked with the bundled scorecards.
fn check_samples() -> (tempfile::TempDir, std::path::PathBuf) {
    check_samples_with(std::path::Path::new("scorecards"))
}

fn check_samples_with(cards: &std::path::Path) -> (tempfile::TempDir, std::path::PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let out = t.path().join("run");
    cqa()
        .current_dir(root)
        .args(["check", "samples", "--quiet", "--scorecard"])
        .arg(cards)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    (t, out)
}

#[test]
fn an_agent_is_held_to_the_targets_of_their_own_contacts_scorecards() {
    let (_t, out) = check_samples();
    let target_of = |card: &str| match card {
        "chat-ru" => 90.0,
        "bank-voice-ru" | "email-en" => 85.0,
        other => panic!("a scorecard the samples do not use: {other}"),
    };
    // Expected: each scored contact's card target, averaged per agent.
    let mut per_agent: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for r in results(&out.join("results.jsonl")) {
        if r["score"].is_number() {
            let e = per_agent
                .entry(r["agent_id"].as_str().unwrap().to_string())
                .or_default();
            e.0 += target_of(r["scorecard_id"].as_str().unwrap());
            e.1 += 1.0;
        }
    }
    assert!(
        per_agent
            .values()
            .any(|(sum, n)| sum / n > 85.0 && sum / n < 90.0),
        "the samples have an agent with both calls and chats"
    );
    let s = sheet(&out.join("summary.xlsx"), "Операторы");
    let (id, target, mean, met) = (
        col(&s, 0, "ID оператора"),
        col(&s, 0, "Цель"),
        col(&s, 0, "Средняя оценка"),
        col(&s, 0, "Цель выполнена"),
    );
    for row in data_rows(&s, id) {
        let agent = text(&s, row, id);
        let (sum, n) = per_agent[&agent];
        let t = num(&s, row, target).unwrap();
        assert!(
            close(t, sum / n),
            "{agent}: target {t}, expected {}",
            sum / n
        );
        let verdict = text(&s, row, met);
        if !verdict.is_empty() {
            // The score is one of the targets "met" covers (the class
            // accuracies are the others: report_reads.rs).
            let m = num(&s, row, mean).unwrap();
            let names_score = verdict.starts_with("не выполнена: оценка");
            assert_eq!(
                names_score,
                m < t,
                "{agent}: mean {m} against {t}: {verdict}"
            );
        }
    }
    // The overview says the run's target is weighted, not one card's.
    let o = sheet(&out.join("summary.xlsx"), "Обзор");
    let says_weighted = (0..o.height() as u32)
        .any(|r| text(&o, r, 0) == "Цель (цели чек-листов, взвешенные по контактам)");
    assert!(says_weighted, "the overview names the weighted target");
}

#[test]
fn each_contact_is_coloured_against_its_own_scorecards_target() {
    let (_t, out) = check_samples();
    let contacts = sheet(&out.join("summary.xlsx"), "Контакты");
    let card = char::from(b'A' + col(&contacts, 0, "Чек-лист") as u8);
    let xml = zip_part(&out.join("summary.xlsx"), "xl/worksheets/sheet6.xml")
        .expect("the Contacts sheet");
    assert!(
        xml.contains(&format!("IF(EXACT(${card}2,\"chat-ru 2026-11\"),90,")),
        "a chat is held to the chat card's 90"
    );
    assert!(xml.contains(&format!("IF(EXACT(${card}2,\"bank-voice-ru 2026-11\"),85,")));
    // The Agents sheet colours each mean against the same row's Target cell.
    let agents = sheet(&out.join("summary.xlsx"), "Операторы");
    let letter = |title: &str| char::from(b'A' + col(&agents, 0, title) as u8);
    let (mean, target) = (letter("Средняя оценка"), letter("Цель"));
    let xml = zip_part(&out.join("summary.xlsx"), "xl/worksheets/sheet2.xml").expect("Agents");
    assert!(
        xml.contains(&format!("{mean}2&lt;${target}2")),
        "the mean in column {mean} against the target in column {target}"
    );
}

#[test]
fn contacts_on_a_scorecard_without_a_score_target_do_not_weigh_in_an_agents_target() {
    // The e-mail card without its score target: Волкова Анна (A005) has 4
    // chats (90), 2 e-mails and 2 calls (85) scored; Соколов Павел (A008)
    // 3 chats, 3 e-mails and 1 call.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let cards = tempfile::tempdir().unwrap();
    for name in ["bank-voice-ru.json", "chat-ru.json", "email-en.json"] {
        let text = std::fs::read_to_string(root.join("scorecards").join(name)).unwrap();
        let mut card: serde_json::Value = serde_json::from_str(&text).unwrap();
        if name == "email-en.json" {
            card["targets"].as_object_mut().unwrap().remove("score");
        }
        std::fs::write(cards.path().join(name), card.to_string()).unwrap();
    }
    let (_t, out) = check_samples_with(cards.path());
    let s = sheet(&out.join("summary.xlsx"), "Операторы");
    let (id, target) = (col(&s, 0, "ID оператора"), col(&s, 0, "Цель"));
    let target_of = |agent: &str| {
        let row = data_rows(&s, id)
            .into_iter()
            .find(|r| text(&s, *r, id) == agent)
            .unwrap();
        num(&s, row, target).unwrap()
    };
    assert!(close(target_of("A005"), (4.0 * 90.0 + 2.0 * 85.0) / 6.0));
    assert!(close(target_of("A008"), (3.0 * 90.0 + 85.0) / 4.0));
    assert!(close(target_of("A002"), 85.0), "calls only");
}
