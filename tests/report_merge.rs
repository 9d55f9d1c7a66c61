//! `cqa report`: workbooks rebuilt from results files without re-checking;
//! split files and shards add up to the same numbers as one run; an earlier
//! period's results add the trend.

use crate::report_support::*;
use calamine::{Data, Range};
use std::path::Path;

/// Every cell of two sheets, numbers within a rounding error (shards add means in another order).
fn same_cells(a: &Range<Data>, b: &Range<Data>, what: &str) {
    assert_eq!(a.get_size(), b.get_size(), "{what}: size");
    let (h, w) = a.get_size();
    for r in 0..h as u32 {
        for c in 0..w as u32 {
            let (x, y) = (a.get_value((r, c)), b.get_value((r, c)));
            match (x, y) {
                (Some(Data::Float(x)), Some(Data::Float(y))) => {
                    assert!(close(*x, *y), "{what} ({r},{c}): {x} vs {y}")
                }
                _ => assert_eq!(x, y, "{what} ({r},{c})"),
            }
        }
    }
}

fn overview_value(path: &Path, key: &str) -> Data {
    let o = sheet(path, "Обзор");
    let (h, _) = o.get_size();
    let row = (0..h as u32)
        .find(|r| text(&o, *r, 0) == key)
        .unwrap_or_else(|| panic!("{key}"));
    o.get_value((row, 1)).cloned().unwrap_or(Data::Empty)
}

#[test]
fn split_results_give_the_same_numbers_as_one_file() {
    let t = tempfile::tempdir().unwrap();
    write_fixtures(t.path(), 50, 0);
    let run = t.path().join("run");
    check(t.path(), &run, &[]);
    let all = std::fs::read_to_string(run.join("results.jsonl")).unwrap();
    let lines: Vec<&str> = all.lines().collect();
    let (a, b) = lines.split_at(lines.len() / 2);
    // Beside the run's run.json (as when a results.jsonl is split for transport) …
    for (name, part) in [("part-1.jsonl", a), ("part-2.jsonl", b)] {
        std::fs::write(run.join(name), part.join("\n") + "\n").unwrap();
    }
    // … and in folders of their own, without it.
    for (dir, part) in [("a", a), ("b", b)] {
        std::fs::create_dir_all(t.path().join(dir)).unwrap();
        std::fs::write(
            t.path().join(dir).join("results.jsonl"),
            part.join("\n") + "\n",
        )
        .unwrap();
    }
    let merged = t.path().join("merged");
    cqa()
        .args(["report", "--quiet", "--out"])
        .arg(&merged)
        .arg(run.join("part-1.jsonl"))
        .arg(run.join("part-2.jsonl"))
        .assert()
        .success();
    let single = t.path().join("single");
    cqa()
        .args(["report", "--quiet", "--out"])
        .arg(&single)
        .arg(run.join("results.jsonl"))
        .assert()
        .success();
    for s in [
        "Операторы",
        "Группы",
        "Критерии",
        "Классы ошибок",
        "Контакты",
        "Нарушения",
        "Отклонённые",
    ] {
        let m = sheet(&merged.join("summary.xlsx"), s);
        same_cells(&m, &sheet(&single.join("summary.xlsx"), s), s);
        same_cells(&m, &sheet(&run.join("summary.xlsx"), s), s);
    }
    for key in ["Найдено контактов", "Обработано", "Отклонено"] {
        assert_eq!(
            overview_value(&merged.join("summary.xlsx"), key),
            overview_value(&run.join("summary.xlsx"), key)
        );
    }
    // Without run.json the figures are the same; targets and titles are unknown, and the Overview says so.
    let bare = t.path().join("bare");
    cqa()
        .args(["report", "--quiet", "--allow-incomplete", "--out"])
        .arg(&bare)
        .arg(t.path().join("a/results.jsonl"))
        .arg(t.path().join("b"))
        .assert()
        .success();
    let (x, y) = (
        sheet(&bare.join("summary.xlsx"), "Операторы"),
        sheet(&run.join("summary.xlsx"), "Операторы"),
    );
    // Rows are matched by agent: without run.json the targets are unknown,
    // and the ranking (targets met first) may order the agents otherwise.
    let (ix, iy) = (col(&x, 0, "ID оператора"), col(&y, 0, "ID оператора"));
    let row_of = |id: &str| {
        data_rows(&y, iy)
            .into_iter()
            .find(|r| text(&y, *r, iy) == id)
            .unwrap()
    };
    assert_eq!(data_rows(&x, ix).len(), data_rows(&y, iy).len());
    for title in [
        "Контактов",
        "С оценкой",
        "Средняя оценка",
        "ДИ 95% от",
        "Точность: клиент",
        "Автопровалы",
    ] {
        let (cx, cy) = (col(&x, 0, title), col(&y, 0, title));
        for row in data_rows(&x, ix) {
            let id = text(&x, row, ix);
            assert_eq!(
                x.get_value((row, cx)),
                y.get_value((row_of(&id), cy)),
                "{title} of {id}"
            );
        }
    }
    assert_eq!(
        overview_value(&bare.join("summary.xlsx"), "Обработано"),
        Data::Float(lines.len() as f64)
    );
    let o = sheet(&bare.join("summary.xlsx"), "Обзор");
    let (h, _) = o.get_size();
    assert!(
        (0..h as u32).any(|r| text(&o, r, 0) == "Примечание"),
        "a note about the missing run.json"
    );
    // A rebuilt agent workbook equals the one check wrote.
    for f in files(&run.join("agents")) {
        for s in ["Обратная связь", "Контакты", "Нарушения"] {
            same_cells(
                &sheet(&merged.join("agents").join(&f), s),
                &sheet(&run.join("agents").join(&f), s),
                &f,
            );
        }
    }
}

#[test]
fn shards_add_up_to_one_run() {
    let t = tempfile::tempdir().unwrap();
    write_fixtures(t.path(), 50, 0);
    let full = t.path().join("full");
    check(t.path(), &full, &[]);
    for k in 1..=2 {
        // Shards go by file: one may hold only broken.json, every contact of
        // its share rejected (exit 3); its files are written all the same.
        let code = cqa()
            .arg("check")
            .arg(t.path().join("contacts"))
            .arg("--scorecard")
            .arg(t.path().join("scorecard.json"))
            .arg("--out")
            .arg(t.path().join(format!("s{k}")))
            .args(["--quiet", "--shard", &format!("{k}/2"), "--no-workbooks"])
            .output()
            .unwrap()
            .status
            .code();
        assert!(matches!(code, Some(0 | 3)), "shard {k}: {code:?}");
    }
    let merged = t.path().join("merged");
    cqa()
        .args(["report", "--quiet", "--out"])
        .arg(&merged)
        .arg(t.path().join("s1"))
        .arg(t.path().join("s2/results.jsonl"))
        .assert()
        .success();
    let (m, f) = (merged.join("summary.xlsx"), full.join("summary.xlsx"));
    for s in ["Операторы", "Группы", "Классы ошибок"] {
        same_cells(&sheet(&m, s), &sheet(&f, s), s);
    }
    for key in [
        "Найдено контактов",
        "Обработано",
        "Отклонено",
        "Контактов с оценкой",
    ] {
        assert_eq!(overview_value(&m, key), overview_value(&f, key), "{key}");
    }
    let scorecards = |p: &Path| {
        let o = sheet(p, "Обзор");
        let (h, _) = o.get_size();
        (0..h as u32)
            .filter(|r| text(&o, *r, 0) == "bank-test-ru")
            .count()
    };
    assert_eq!(scorecards(&m), 1, "the shards' scorecard once");
}

#[test]
fn previous_period_adds_the_trend() {
    let t = tempfile::tempdir().unwrap();
    let (pa, pb) = (t.path().join("october"), t.path().join("november"));
    write_fixtures(&pa, 40, 1);
    write_fixtures(&pb, 40, 0);
    let (ra, rb) = (t.path().join("run-oct"), t.path().join("run-nov"));
    check(&pa, &ra, &["--no-workbooks"]);
    let prev = ra.join("results.jsonl");
    check(&pb, &rb, &["--previous", prev.to_str().unwrap()]);
    let before = expected(&results(&prev), "agent_id");
    let now = expected(&results(&rb.join("results.jsonl")), "agent_id");
    let s = sheet(&rb.join("summary.xlsx"), "Операторы");
    let (id, ds, da, top) = (
        col(&s, 0, "ID оператора"),
        col(&s, 0, "Изменение оценки"),
        col(&s, 0, "Изменение точности: регулятор"),
        col(&s, 0, "Частые нарушения: было → стало"),
    );
    let mut changed = 0;
    for row in data_rows(&s, id) {
        let a = text(&s, row, id);
        let (b, n) = (&before[&a], &now[&a]);
        let d = num(&s, row, ds).unwrap();
        // Changes are shown to one decimal (no «−0.0»).
        let shown = |x: f64| cqa::stats::shown(x, 1);
        assert!(
            close(d, shown(n.mean().unwrap() - b.mean().unwrap())),
            "{a}: {d}"
        );
        let pp = num(&s, row, da).unwrap();
        assert!(
            close(pp, shown(100.0 * (n.accuracy(2) - b.accuracy(2)))),
            "{a}: {pp}"
        );
        assert!(text(&s, row, top).contains('→'), "{a}");
        changed += usize::from(d.abs() > 0.01);
    }
    assert!(changed > 0, "the periods differ");
    // The team sheet and the agent workbooks carry it too.
    let teams = sheet(&rb.join("summary.xlsx"), "Группы");
    col(&teams, 0, "Изменение оценки");
    let f = files(&rb.join("agents"))
        .into_iter()
        .find(|f| f.contains("(A101)"))
        .unwrap();
    let fb = sheet(&rb.join("agents").join(f), "Обратная связь");
    let (h, w) = fb.get_size();
    let head = (0..h as u32)
        .find(|r| text(&fb, *r, 0) == "Показатель")
        .unwrap();
    let (was, change) = (
        (0..w as u32)
            .find(|c| text(&fb, head, *c) == "Было")
            .unwrap(),
        (0..w as u32)
            .find(|c| text(&fb, head, *c) == "Изменение")
            .unwrap(),
    );
    let row = head + 1;
    assert_eq!(text(&fb, row, 0), "Средняя оценка");
    assert!(close(
        num(&fb, row, was).unwrap(),
        before["A101"].mean().unwrap()
    ));
    assert!(close(
        num(&fb, row, change).unwrap(),
        cqa::stats::shown(
            now["A101"].mean().unwrap() - before["A101"].mean().unwrap(),
            1
        )
    ));
    // `cqa report --previous` gives the same sheet.
    let again = t.path().join("again");
    cqa()
        .args(["report", "--quiet", "--out"])
        .arg(&again)
        .arg(rb.join("results.jsonl"))
        .arg("--previous")
        .arg(&ra)
        .assert()
        .success();
    same_cells(
        &sheet(&again.join("summary.xlsx"), "Операторы"),
        &s,
        "Операторы",
    );
}

#[test]
fn report_usage_errors() {
    let t = tempfile::tempdir().unwrap();
    write_fixtures(t.path(), 5, 0);
    let run = t.path().join("run");
    check(t.path(), &run, &["--no-workbooks"]);
    let r = run.join("results.jsonl");
    let out = cqa().arg("report").arg(&r).arg(&r).assert().code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("--out"));
    let out = cqa()
        .arg("report")
        .arg(t.path().join("nope.jsonl"))
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("nope.jsonl"));
    let bad = t.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"not\": \"a result\"}\n").unwrap();
    let out = cqa().arg("report").arg(&bad).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("bad.jsonl, строка 1: это не результат cqa"),
        "{err}"
    );
    // Default output folder: beside the one results file.
    cqa().args(["report", "--quiet"]).arg(&r).assert().success();
    assert!(run.join("summary.xlsx").is_file());
}

/// An external golden set, when the shared data folder is present.
#[test]
fn peer_conversation_qa_reports_cleanly() {
    let data = Path::new("/work/shared/data/peer_conversation_qa");
    if !data.is_dir() {
        eprintln!("skipped: {} not present", data.display());
        return;
    }
    let contacts = ["contacts", "samples"]
        .iter()
        .map(|d| data.join(d))
        .find(|p| p.is_dir());
    let cards = ["scorecards"]
        .iter()
        .map(|d| data.join(d))
        .find(|p| p.is_dir());
    let (Some(contacts), Some(cards)) = (contacts, cards) else {
        eprintln!(
            "skipped: no contacts/ and scorecards/ in {}",
            data.display()
        );
        return;
    };
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("run");
    cqa()
        .arg("check")
        .arg(&contacts)
        .arg("--scorecard")
        .arg(&cards)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .assert()
        .success();
    let res = results(&out.join("results.jsonl"));
    let c = sheet(&out.join("summary.xlsx"), "Контакты");
    assert_eq!(data_rows(&c, 0).len(), res.len());
}
