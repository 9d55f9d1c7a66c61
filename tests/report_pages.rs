//! Printing and charts of the workbooks (issue 18 items 9 and 10), read
//! back from the files `cqa check` writes: print areas, header rows on every
//! page, rarely read columns folded in an outline, a chart on a page of its
//! own; sorted score charts on an axis near the data with the target, a
//! distribution per team past 30 agents, one Pareto per error class whose
//! cumulative share reaches 100%.

use crate::report_support::*;
use std::path::Path;

/// Every chart part of a workbook.
fn charts(book: &Path) -> Vec<String> {
    (1..40)
        .map_while(|i| zip_part(book, &format!("xl/charts/chart{i}.xml")))
        .collect()
}

/// The `<col …>` elements of a sheet part.
fn cols(xml: &str) -> Vec<(u32, u32, bool, bool)> {
    regex::Regex::new(r#"<col min="(\d+)" max="(\d+)"([^>]*)/>"#)
        .unwrap()
        .captures_iter(xml)
        .map(|c| {
            (
                c[1].parse().unwrap(),
                c[2].parse().unwrap(),
                c[3].contains(r#"hidden="1""#),
                c[3].contains(r#"outlineLevel="1""#),
            )
        })
        .collect()
}

#[test]
fn the_agents_sheet_prints_its_header_on_every_page_folds_rare_columns_and_gives_the_chart_a_page()
{
    let (_t, out) = samples_run(&[]);
    let book = out.join("summary.xlsx");
    let wb = zip_part(&book, "xl/workbook.xml").expect("unzip");
    for sheet in ["Операторы", "Группы", "Критерии"] {
        assert!(
            wb.contains(r#"_xlnm.Print_Area" localSheetId"#)
                && wb.contains(&format!(">{sheet}!$A$1:")),
            "{sheet}: print area"
        );
        assert!(
            wb.contains(&format!(">{sheet}!$1:$1<")),
            "{sheet}: header row on every page"
        );
    }
    let xml = zip_part(&book, "xl/worksheets/sheet2.xml").unwrap();
    assert!(xml.contains(r#"fitToPage="1""#) && xml.contains(r#"fitToHeight="0""#));
    assert!(xml.contains("<rowBreaks"), "the chart starts a page");
    let s = sheet(&book, "Операторы");
    let folded = cols(&xml);
    for title in [
        "Ст. откл.",
        "ДИ 95% от",
        "ДИ 95% до",
        "Оценка по баллам",
        "Частое нарушение 2",
        "ID оператора",
        "Контактов",
        "Частичных оценок",
    ] {
        let c = col(&s, 0, title) + 1;
        assert!(
            folded
                .iter()
                .any(|(a, b, hidden, outline)| *a <= c && c <= *b && *hidden && *outline),
            "{title} folded"
        );
    }
    for title in [
        "Оператор",
        "С оценкой",
        "Средняя оценка",
        "Цель выполнена",
        "Точность: клиент",
        "Частое нарушение 1",
    ] {
        let c = col(&s, 0, title) + 1;
        assert!(
            !folded
                .iter()
                .any(|(a, b, hidden, _)| *a <= c && c <= *b && *hidden),
            "{title} shown"
        );
    }
}

#[test]
fn the_team_chart_has_a_page_of_its_own() {
    let (_t, out) = samples_run(&[]);
    let book = out.join("teams/Группа 2.xlsx");
    let xml = zip_part(&book, "xl/worksheets/sheet1.xml").unwrap();
    assert!(xml.contains("<rowBreaks"), "{xml}");
    let wb = zip_part(&book, "xl/workbook.xml").unwrap();
    assert!(wb.contains("_xlnm.Print_Area"));
}

#[test]
fn the_agents_chart_is_sorted_near_the_data_with_the_target() {
    let (_t, out) = samples_run(&[]);
    let book = out.join("summary.xlsx");
    let s = sheet(&book, "Операторы");
    let (h, _) = s.get_size();
    // The data block under the chart: name, mean, target, highest first.
    let head = (0..h as u32)
        .find(|r| text(&s, *r, 1) == "Оператор" && text(&s, *r, 2) == "Средняя оценка")
        .expect("the chart's data");
    let means: Vec<f64> = (head + 1..h as u32).map_while(|r| num(&s, r, 2)).collect();
    assert_eq!(means.len(), 9);
    assert!(means.windows(2).all(|w| w[0] >= w[1]), "{means:?}");
    assert!(
        (head + 1..head + 10).all(|r| num(&s, r, 3).is_some()),
        "targets"
    );
    let chart = charts(&book)
        .into_iter()
        .find(|c| c.contains("Средняя оценка операторов"))
        .unwrap();
    // The lowest mean is 18.3: the axis starts at 10, not 0.
    assert!(chart.contains(r#"<c:min val="10"/>"#), "{chart}");
    assert!(chart.contains("<c:lineChart>"), "the target line");
}

#[test]
fn pareto_charts_per_error_class_use_fail_titles_and_reach_one_hundred_percent() {
    let (_t, out) = samples_run(&[]);
    let book = out.join("summary.xlsx");
    let all = charts(&book);
    let pareto: Vec<&String> = all.iter().filter(|c| c.contains("Парето")).collect();
    for class in [
        "критичная для клиента",
        "критичная для бизнеса",
        "критичная для регулятора",
        "некритичная",
    ] {
        assert!(
            pareto
                .iter()
                .any(|c| c.contains(&format!("Парето нарушений по критериям: {class}"))),
            "{class}"
        );
    }
    let s = sheet(&book, "Критерии");
    let (h, _) = s.get_size();
    let blocks: Vec<u32> = (0..h as u32)
        .filter(|r| text(&s, *r, 0) == "Критерий" && text(&s, *r, 2) == "Накопленная доля")
        .collect();
    assert_eq!(blocks.len(), 4);
    let mut saw_other = false;
    for b in blocks {
        let rows: Vec<u32> = (b + 1..h as u32)
            .take_while(|r| num(&s, *r, 1).is_some())
            .collect();
        let last = *rows.last().unwrap();
        assert!(
            close(num(&s, last, 2).unwrap(), 1.0),
            "cumulative reaches 100%"
        );
        assert!(rows.len() <= 12);
        for r in &rows {
            let t = text(&s, *r, 0);
            assert!(!t.contains('_'), "a title, not an id: {t}");
        }
        saw_other |= text(&s, last, 0).starts_with("Прочие (");
    }
    assert!(
        saw_other,
        "the non-critical class has more criteria than bars"
    );
}

#[test]
fn past_thirty_agents_the_chart_shows_the_distribution_per_team() {
    let t = tempfile::tempdir().unwrap();
    let contacts = t.path().join("contacts");
    std::fs::create_dir_all(&contacts).unwrap();
    let mut lines = String::new();
    for a in 0..35 {
        let id = format!("A{:03}", 400 + a);
        let name = format!("Оператор{a} Тестовый");
        let team = format!("Группа {}", 1 + a % 3);
        for i in 0..5 {
            let mut c = contact(a * 7 + i, 0, (&id, &name, &team));
            c["id"] = format!("C-{a:03}-{i}").into();
            lines.push_str(&c.to_string());
            lines.push('\n');
        }
    }
    std::fs::write(contacts.join("week.jsonl"), lines).unwrap();
    std::fs::write(t.path().join("scorecard.json"), SCORECARD).unwrap();
    let out = t.path().join("run");
    check(t.path(), &out, &[]);
    let book = out.join("summary.xlsx");
    let chart = charts(&book)
        .into_iter()
        .find(|c| c.contains("в каждом диапазоне"))
        .expect("a distribution chart");
    assert!(chart.contains(r#"<c:grouping val="stacked"/>"#));
    let s = sheet(&book, "Операторы");
    let (h, _) = s.get_size();
    let head = (0..h as u32)
        .find(|r| text(&s, *r, 1) == "Группа" && text(&s, *r, 2) == "0–60")
        .expect("bands per team");
    let agents: f64 = (head + 1..head + 4)
        .map(|r| (2..7).filter_map(|c| num(&s, r, c)).sum::<f64>())
        .sum();
    assert_eq!(agents, 35.0);
}
