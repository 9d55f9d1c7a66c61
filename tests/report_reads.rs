//! What people read in the workbooks (issue 18): the bundled samples checked
//! by the real binary in a temporary folder, the workbooks read back with
//! calamine.

use crate::report_support::*;
use std::path::Path;

/// `cqa check` of the bundled samples with the bundled scorecards.
/// The Agents sheet's row of each agent id, in sheet order.
fn agent_rows(s: &calamine::Range<calamine::Data>) -> Vec<(String, u32)> {
    let id = col(s, 0, "ID оператора");
    data_rows(s, id)
        .into_iter()
        .map(|r| (text(s, r, id), r))
        .collect()
}

#[test]
fn an_agent_below_a_class_accuracy_target_has_not_met_the_target() {
    let (_t, out) = samples_run(&[]);
    let s = sheet(&out.join("summary.xlsx"), "Операторы");
    let met = col(&s, 0, "Цель выполнена");
    let rows = agent_rows(&s);
    let a006 = rows.iter().find(|(id, _)| id == "A006").unwrap().1;
    // A006: mean 87.5 over a target of 85, but customer and business accuracy 60%.
    assert_eq!(text(&s, a006, met), "не выполнена: клиент, бизнес");
    let acc = [
        (col(&s, 0, "Точность: клиент"), 0.98),
        (col(&s, 0, "Точность: бизнес"), 0.95),
        (col(&s, 0, "Точность: регулятор"), 1.0),
    ];
    let mean = col(&s, 0, "Средняя оценка");
    let target = col(&s, 0, "Цель");
    for (id, r) in &rows {
        let below = acc
            .iter()
            .any(|(c, t)| num(&s, *r, *c).is_some_and(|a| a < *t))
            || num(&s, *r, mean).unwrap() < num(&s, *r, target).unwrap();
        assert_eq!(
            text(&s, *r, met) == "выполнена",
            !below,
            "{id}: {}",
            text(&s, *r, met)
        );
    }
}

#[test]
fn agents_meeting_every_target_rank_above_those_who_miss_one() {
    let (_t, out) = samples_run(&[]);
    let s = sheet(&out.join("summary.xlsx"), "Операторы");
    let (met, rank, auto) = (
        col(&s, 0, "Цель выполнена"),
        col(&s, 0, "Место"),
        col(&s, 0, "Автопровалы"),
    );
    let rows = agent_rows(&s);
    let flags: Vec<bool> = rows
        .iter()
        .map(|(_, r)| text(&s, *r, met) == "выполнена")
        .collect();
    assert!(flags.iter().any(|m| *m) && flags.iter().any(|m| !*m));
    assert!(
        flags.windows(2).all(|w| w[0] || !w[1]),
        "every agent meeting all targets comes first: {rows:?} {flags:?}"
    );
    let ranks: Vec<f64> = rows
        .iter()
        .map(|(_, r)| num(&s, *r, rank).unwrap())
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    // Among those who miss a target, auto-fails order them before the score.
    let autos: Vec<f64> = rows
        .iter()
        .zip(&flags)
        .filter(|(_, m)| !**m)
        .map(|((_, r), _)| num(&s, *r, auto).unwrap())
        .collect();
    assert!(autos.windows(2).all(|w| w[0] <= w[1]), "{autos:?}");
    // A004 (customer accuracy 40%, mean 81.2) no longer outranks A001.
    let pos = |a: &str| rows.iter().position(|(id, _)| id == a).unwrap();
    assert!(pos("A001") < pos("A004"));
}

#[test]
fn the_agents_sheet_says_how_it_is_ordered() {
    let (_t, out) = samples_run(&[]);
    for (book, name) in [
        (out.join("summary.xlsx"), "Операторы"),
        (out.join("summary.xlsx"), "Группы"),
        (out.join("teams/Группа 2.xlsx"), "Операторы"),
    ] {
        let s = sheet(&book, name);
        let (h, w) = s.get_size();
        let said = (0..h as u32).any(|r| {
            (0..w as u32)
                .any(|c| text(&s, r, c).starts_with("Порядок мест: сначала выполнившие все цели"))
        });
        assert!(said, "{} {name}", book.display());
    }
}

#[test]
fn the_agent_feedback_says_which_targets_are_missed() {
    let (_t, out) = samples_run(&[]);
    let s = sheet(
        &out.join("agents/Морозов Игорь (A006).xlsx"),
        "Обратная связь",
    );
    let row = (0..20).find(|r| text(&s, *r, 0) == "Все цели").unwrap();
    assert_eq!(text(&s, row, 1), "не выполнена: клиент, бизнес");
}

/// The number format each cell of a sheet (by its position in the workbook,
/// 1-based) is shown with: cell reference -> format code.
fn number_formats(xlsx: &Path, sheet_name: &str) -> std::collections::HashMap<String, String> {
    let sheet_no = 1 + sheet_names(xlsx)
        .iter()
        .position(|n| n == sheet_name)
        .unwrap();
    let styles = zip_part(xlsx, "xl/styles.xml").expect("unzip");
    let codes: std::collections::HashMap<String, String> =
        regex::Regex::new(r#"<numFmt numFmtId="(\d+)" formatCode="([^"]*)"/>"#)
            .unwrap()
            .captures_iter(&styles)
            .map(|c| (c[1].to_string(), c[2].replace("&quot;", "\"")))
            .collect();
    let xfs_part = &styles[styles.find("<cellXfs").unwrap()..];
    let xfs_part = &xfs_part[..xfs_part.find("</cellXfs>").unwrap()];
    let xfs: Vec<String> = regex::Regex::new(r#"<xf numFmtId="(\d+)""#)
        .unwrap()
        .captures_iter(xfs_part)
        .map(|c| codes.get(&c[1]).cloned().unwrap_or_default())
        .collect();
    let xml = zip_part(xlsx, &format!("xl/worksheets/sheet{sheet_no}.xml")).unwrap();
    regex::Regex::new(r#"<c r="([A-Z]+\d+)" s="(\d+)""#)
        .unwrap()
        .captures_iter(&xml)
        .map(|c| {
            (
                c[1].to_string(),
                xfs[c[2].parse::<usize>().unwrap()].clone(),
            )
        })
        .collect()
}

fn cell_ref(row: u32, col: u32) -> String {
    format!("{}{}", char::from(b'A' + col as u8), row + 1)
}

#[test]
fn every_partial_score_is_marked_on_contacts_and_agents() {
    let (_t, out) = samples_run(&[]);
    let book = out.join("summary.xlsx");
    let res = results(&out.join("results.jsonl"));
    let partial: std::collections::HashMap<String, bool> = res
        .iter()
        .map(|r| {
            (
                r["contact_id"].as_str().unwrap().to_string(),
                r["partial"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(
        partial.values().all(|p| *p),
        "every sample awaits a controller"
    );
    let c = sheet(&book, "Контакты");
    let (id, score) = (col(&c, 0, "Контакт"), col(&c, 0, "Оценка"));
    let fmts = number_formats(&book, "Контакты");
    for r in data_rows(&c, id) {
        let f = &fmts[&cell_ref(r, score)];
        assert_eq!(
            f.ends_with("\"*\""),
            partial[&text(&c, r, id)],
            "{} shown as {f}",
            text(&c, r, id)
        );
    }
    let a = sheet(&book, "Операторы");
    let fmts = number_formats(&book, "Операторы");
    let (n, mean) = (col(&a, 0, "Частичных оценок"), col(&a, 0, "Средняя оценка"));
    for (agent, r) in agent_rows(&a) {
        let expected = res
            .iter()
            .filter(|x| x["agent_id"] == agent.as_str() && x["partial"] == true)
            .count();
        assert_eq!(num(&a, r, n), Some(expected as f64), "{agent}");
        assert!(fmts[&cell_ref(r, mean)].ends_with("\"*\""), "{agent}");
    }
    let (h, _) = a.get_size();
    assert!((0..h as u32).any(|r| text(&a, r, 0).starts_with("* — частичная оценка")));
}

#[test]
fn the_overview_counts_partial_contacts_and_says_what_is_missing() {
    let (_t, out) = samples_run(&[]);
    let o = sheet(&out.join("summary.xlsx"), "Обзор");
    let row = (0..40)
        .find(|r| text(&o, *r, 0) == "Частичных оценок (ожидают ответа контролёра)")
        .expect("the overview names partial scores");
    let v = text(&o, row, 1);
    assert!(v.starts_with("54 из 54; не хватает ответов: "), "{v}");
    assert!(
        v.contains("Вопрос решён полностью и корректно (bank-voice-ru) — 35"),
        "{v}"
    );
    assert!(v.contains("(email-en) — 5"), "{v}");
}

#[test]
fn the_agent_feedback_lists_what_a_controller_still_has_to_answer() {
    let (_t, out) = samples_run(&[]);
    let s = sheet(
        &out.join("agents/Морозов Игорь (A006).xlsx"),
        "Обратная связь",
    );
    let (h, _) = s.get_size();
    let title = (0..h as u32)
        .find(|r| text(&s, *r, 0).starts_with("Ожидают ответа контролёра"))
        .expect("a section for the controller");
    let rows: Vec<(String, String, String)> = (title + 2..h as u32)
        .map(|r| (text(&s, r, 0), text(&s, r, 2), text(&s, r, 3)))
        .filter(|x| !x.0.is_empty())
        .collect();
    assert!(
        rows.contains(&(
            "Вопрос решён полностью и корректно".into(),
            "5".into(),
            "C-000405, C-000120, C-000121, C-000122, C-000123".into()
        )),
        "{rows:?}"
    );
    // Two manual criteria, and the four judge criteria that await a person
    // as `review` when no model is configured.
    assert_eq!(
        rows.len(),
        6,
        "the call card's manual and judge criteria: {rows:?}"
    );
}

/// The failed criteria of an agent's feedback sheet: (title, class, auto-fail, failures).
fn feedback_failures(book: &Path) -> Vec<(String, String, String, f64)> {
    let s = sheet(book, "Обратная связь");
    let (h, _) = s.get_size();
    let head = (0..h as u32)
        .find(|r| text(&s, *r, 0) == "Критерий" && text(&s, *r, 2) == "Нарушений")
        .unwrap();
    let auto = col(&s, head, "Автопровал");
    (head + 1..h as u32)
        .take_while(|r| !text(&s, *r, 0).is_empty())
        .filter_map(|r| {
            Some((
                text(&s, r, 0),
                text(&s, r, 1),
                text(&s, r, auto),
                num(&s, r, 2)?,
            ))
        })
        .collect()
}

#[test]
fn coaching_starts_with_auto_fails_then_severity_class_then_frequency() {
    let (_t, out) = samples_run(&[]);
    // A003 asked for the CVV (a compliance auto-fail) and missed the summary
    // in all five calls (non-critical): the CVV comes first.
    let rows = feedback_failures(&out.join("agents/Смирнова Ольга (A003).xlsx"));
    let class = |c: &str| {
        [
            "критичная для клиента",
            "критичная для бизнеса",
            "критичная для регулятора",
            "некритичная",
        ]
        .iter()
        .position(|x| *x == c)
        .unwrap()
    };
    let keys: Vec<(bool, usize, f64)> = rows
        .iter()
        .map(|(_, c, a, n)| (a != "да", class(c), -n))
        .collect();
    assert!(
        keys.windows(2).all(|w| w[0] <= w[1]),
        "auto-fails, then class, then frequency: {rows:?}"
    );
    let pos = |t: &str| rows.iter().position(|r| r.0 == t).unwrap();
    assert!(pos("Запросил CVV/CVC, ПИН-код или код из СМС") < pos("Не резюмировал запрос клиента"));
    assert_eq!(rows[0].2, "да");
}

#[test]
fn frequent_failures_read_as_failures_not_as_the_criterion_title() {
    let (_t, out) = samples_run(&[]);
    let s = sheet(&out.join("summary.xlsx"), "Операторы");
    let tops: Vec<String> = (1..=3)
        .flat_map(|k| {
            let c = col(&s, 0, &format!("Частое нарушение {k}"));
            agent_rows(&s).into_iter().map(move |(_, r)| (r, c))
        })
        .map(|(r, c)| text(&s, r, c))
        .filter(|t| !t.is_empty())
        .collect();
    assert!(
        tops.iter()
            .any(|t| t == "Не предложил подходящий продукт банка — 2"),
        "{tops:?}"
    );
    assert!(
        !tops
            .iter()
            .any(|t| t.starts_with("Предложил подходящий продукт банка")),
        "{tops:?}"
    );
}

#[test]
fn a_criterion_without_fail_title_reads_not_done_title() {
    let t = tempfile::tempdir().unwrap();
    write_fixtures(t.path(), 10, 0);
    let out = t.path().join("run");
    check(t.path(), &out, &[]);
    let s = sheet(&out.join("summary.xlsx"), "Операторы");
    let c = col(&s, 0, "Частое нарушение 1");
    let tops: Vec<String> = data_rows(&s, col(&s, 0, "ID оператора"))
        .into_iter()
        .map(|r| text(&s, r, c))
        .filter(|t| !t.is_empty())
        .collect();
    assert!(!tops.is_empty());
    assert!(
        tops.iter().all(|t| t.starts_with("Не выполнено: ")),
        "{tops:?}"
    );
}

/// The value beside a heading key on a feedback or team sheet.
fn heading_value(book: &Path, sheet_name: &str, key: &str) -> String {
    let s = sheet(book, sheet_name);
    let row = (0..15).find(|r| text(&s, *r, 0) == key).unwrap();
    text(&s, row, 1)
}

#[test]
fn the_agent_header_lists_only_the_cards_the_agent_was_scored_with() {
    let (_t, out) = samples_run(&[]);
    let agents = out.join("agents");
    // A002 takes only calls; A005 calls, chats and e-mail; A007 only chats.
    for (file, cards) in [
        ("Петров Алексей (A002).xlsx", "bank-voice-ru 2026-11"),
        (
            "Волкова Анна (A005).xlsx",
            "bank-voice-ru 2026-11, chat-ru 2026-11, email-en 2026-11",
        ),
        ("Новикова Екатерина (A007).xlsx", "chat-ru 2026-11"),
    ] {
        assert_eq!(
            heading_value(&agents.join(file), "Обратная связь", "Чек-листы"),
            cards,
            "{file}"
        );
    }
}

#[test]
fn the_channels_sheet_puts_calls_chats_and_email_side_by_side() {
    let (_t, out) = samples_run(&[]);
    let res = results(&out.join("results.jsonl"));
    let s = sheet(&out.join("summary.xlsx"), "Каналы");
    assert_eq!(
        (1..5).map(|c| text(&s, 0, c)).collect::<Vec<_>>(),
        ["Звонки", "Чат", "Мессенджеры", "E-mail"]
    );
    let row = |name: &str| (1..20).find(|r| text(&s, *r, 0) == name).unwrap();
    for (c, channel) in ["voice", "chat", "messenger", "email"].iter().enumerate() {
        let mine: Vec<&serde_json::Value> =
            res.iter().filter(|r| r["channel"] == *channel).collect();
        assert_eq!(
            num(&s, row("Контактов"), c as u32 + 1),
            Some(mine.len() as f64),
            "{channel}"
        );
        let scores: Vec<f64> = mine.iter().filter_map(|r| r["score"].as_f64()).collect();
        let mean = scores.iter().sum::<f64>() / scores.len() as f64;
        assert!(close(
            num(&s, row("Средняя оценка"), c as u32 + 1).unwrap(),
            mean
        ));
    }
}

#[test]
fn each_agents_mean_score_per_week_of_the_run_is_on_the_trends_sheet() {
    use chrono::Datelike;
    let (_t, out) = samples_run(&[]);
    let res = results(&out.join("results.jsonl"));
    let s = sheet(&out.join("summary.xlsx"), "Динамика");
    let (_, w) = s.get_size();
    let weeks: Vec<(u32, String)> = (2..w as u32)
        .map(|c| (c, text(&s, 0, c)))
        .filter(|(_, t)| t.contains("-W"))
        .collect();
    assert!(weeks.len() >= 2, "the samples span weeks");
    let mut checked = 0;
    for r in data_rows(&s, 1) {
        let agent = text(&s, r, 1);
        for (c, week) in &weeks {
            let scores: Vec<f64> = res
                .iter()
                .filter(|x| x["agent_id"] == agent.as_str())
                .filter(|x| {
                    let d = chrono::NaiveDate::parse_from_str(
                        &x["started_at"].as_str().unwrap()[..10],
                        "%Y-%m-%d",
                    )
                    .unwrap()
                    .iso_week();
                    format!("{}-W{:02}", d.year(), d.week()) == *week
                })
                .filter_map(|x| x["score"].as_f64())
                .collect();
            match num(&s, r, *c) {
                Some(v) => {
                    assert!(close(v, scores.iter().sum::<f64>() / scores.len() as f64));
                    checked += 1;
                }
                None => assert!(scores.is_empty(), "{agent} {week}"),
            }
        }
    }
    assert!(checked > 9);
}

#[test]
fn every_column_a_person_reads_is_explained_in_the_glossary_and_on_its_header() {
    let (_t, out) = samples_run(&[]);
    let book = out.join("summary.xlsx");
    let g = sheet(&book, "Пояснения");
    assert_eq!(
        (text(&g, 0, 0), text(&g, 0, 1)),
        ("Колонка".into(), "Что значит".into())
    );
    let explained: Vec<String> = data_rows(&g, 0)
        .into_iter()
        .map(|r| text(&g, r, 0))
        .collect();
    let known = |h: &str| {
        let base = h
            .split(':')
            .next()
            .unwrap()
            .trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ');
        explained.iter().any(|e| e == h || e == base)
    };
    for name in [
        "Операторы",
        "Группы",
        "Критерии",
        "Классы ошибок",
        "Контакты",
        "Нарушения",
    ] {
        let s = sheet(&book, name);
        let (_, w) = s.get_size();
        for c in 0..w as u32 {
            let h = text(&s, 0, c);
            if !h.is_empty() {
                assert!(known(&h), "{name}: «{h}» is not in the glossary");
            }
        }
    }
    // The same words in a note on the headers.
    let notes: String = (1..20)
        .filter_map(|i| zip_part(&book, &format!("xl/comments{i}.xml")))
        .collect();
    assert!(
        notes.contains("набранные баллы всех контактов"),
        "Оценка по баллам"
    );
    assert!(
        notes.contains("доля контактов без единой ошибки"),
        "Точность"
    );
    // The other sheets people read carry the same words on their headers
    // (and on the row labels where the figures run in rows).
    for (name, words) in [
        (
            "Каналы",
            &[
                "Показатель: что измерено",
                "доля контактов без единой ошибки",
                "Среднее оценок контактов",
            ][..],
        ),
        (
            "Динамика",
            &["Недели — ISO", "последней недели минус первой"][..],
        ),
        (
            "Обзор",
            &[
                "Контрольная сумма файла чек-листа",
                "Лист книги; ссылка открывает его",
            ][..],
        ),
    ] {
        let notes = sheet_notes(&book, name);
        for w in words {
            assert!(notes.contains(w), "{name}: no note «{w}» in {notes}");
        }
    }
    let feedback = sheet_notes(
        &out.join("agents/Морозов Игорь (A006).xlsx"),
        "Обратная связь",
    );
    for w in [
        "Значение оператора",
        "Тот же показатель в среднем по группе",
        "доля контактов без единой ошибки",
        "Что делать: совет из чек-листа",
        "ждёт ответа контролёра",
    ] {
        assert!(
            feedback.contains(w),
            "feedback: no note «{w}» in {feedback}"
        );
    }
}

/// The text of the notes (comments) on one sheet of a workbook: the
/// sheet's place in workbook.xml, its relationships, its comments part.
fn sheet_notes(book: &Path, name: &str) -> String {
    let workbook = zip_part(book, "xl/workbook.xml").unwrap();
    let index = workbook
        .split("<sheet ")
        .skip(1)
        .position(|s| s.contains(&format!("name=\"{name}\"")))
        .unwrap_or_else(|| panic!("no sheet {name}"));
    let rels = zip_part(
        book,
        &format!("xl/worksheets/_rels/sheet{}.xml.rels", index + 1),
    )
    .unwrap_or_default();
    // `Target="../comments3.xml"` (the relationship's Type says "comments" too).
    let Some((at, _)) = rels
        .match_indices("comments")
        .find(|(i, _)| rels[i + 8..].starts_with(|c: char| c.is_ascii_digit()))
    else {
        return String::new();
    };
    let part: String = rels[at..].chars().take_while(|c| *c != '"').collect();
    zip_part(book, &format!("xl/{part}")).unwrap_or_default()
}
