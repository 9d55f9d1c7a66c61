//! The Overview sheet: what the run was (inputs, counts, period, scorecards
//! with their content hashes, masking, versions) so that anyone holding only
//! summary.xlsx can tell where its numbers come from.

use super::kit::Sheet;
use super::report::{acc, short_date, Report};
use crate::input::scorecard::Severity;
use rust_xlsxwriter::{
    Format, FormatAlign, RowNum, Table, TableColumn, TableStyle, Url, XlsxError,
};
use std::path::PathBuf;

pub(crate) struct OverviewFacts<'a> {
    pub results: &'a [PathBuf],
    pub findings: u64,
    /// Sheets after the Overview, with the guide text of each base sheet.
    pub sheets: Vec<(String, &'static str)>,
}

fn when(s: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(s).map_or_else(
        |_| s.to_string(),
        |d| d.format("%Y-%m-%d %H:%M").to_string(),
    )
}

pub(crate) fn overview_sheet(
    sh: &mut Sheet,
    report: &Report,
    f: &OverviewFacts,
) -> Result<(), XlsxError> {
    let (l, s, m) = (report.l, &report.s, report.m);
    sh.text_free(0, 0, l.t_summary, &s.title)?;
    let mut r: RowNum = 2;
    // Values of every kind line up on the left, like the text beside them.
    let left = |f: &Format| f.clone().set_align(FormatAlign::Left);
    let (int, score, pct) = (left(&s.int), left(&s.score), left(&s.pct));
    let warn = s.bad.clone().set_text_wrap();
    let mut kv = |sh: &mut Sheet, key: &str, val: Val| -> Result<(), XlsxError> {
        sh.text(r, 0, key, &s.key)?;
        match val {
            Val::Text(t) => sh.wrapped(r, 1, &t, &s.wrap)?,
            Val::Int(n) => sh.int(r, 1, n, &int)?,
            Val::Score(x) => sh.opt_num(r, 1, x, &score)?,
            Val::Pct(x) => sh.opt_num(r, 1, x, &pct)?,
            Val::Warn(t) => sh.wrapped(r, 1, &t, &warn)?,
        }
        r += 1;
        Ok(())
    };
    let agg = report.agg;
    kv(sh, l.k_run_date, Val::Text(when(&m.finished_at)))?;
    kv(sh, l.k_period, Val::Text(report.period()))?;
    kv(sh, l.k_inputs, Val::Text(m.inputs.join(", ")))?;
    kv(
        sh,
        l.k_results,
        Val::Text(
            f.results
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
    )?;
    kv(sh, l.k_discovered, Val::Int(m.discovered))?;
    kv(sh, l.k_processed, Val::Int(m.processed))?;
    kv(sh, l.k_rejected, Val::Int(m.rejected))?;
    if m.other_shards > 0 {
        kv(sh, l.k_other_shards, Val::Int(m.other_shards))?;
    }
    if m.processed + m.rejected != m.discovered {
        let t = format!("{} + {} ≠ {}", m.processed, m.rejected, m.discovered);
        kv(sh, l.k_counts_mismatch, Val::Warn(t))?;
    }
    if !m.skipped.is_empty() {
        let list: Vec<&str> = m.skipped.iter().take(10).map(|x| x.path.as_str()).collect();
        let more = if m.skipped.len() > 10 { ", …" } else { "" };
        kv(
            sh,
            l.k_skipped,
            Val::Text(format!("{}: {}{more}", m.skipped.len(), list.join(", "))),
        )?;
    }
    kv(sh, l.k_scored, Val::Int(agg.overall.scored))?;
    if agg.overall.partial > 0 {
        kv(sh, report.w.k_partial, Val::Warn(partial_text(report)))?;
    }
    kv(sh, l.k_findings, Val::Int(f.findings))?;
    kv(sh, l.k_agents, Val::Int(agg.agents.len() as u64))?;
    kv(sh, l.k_teams, Val::Int(agg.teams.len() as u64))?;
    kv(sh, l.k_mean, Val::Score(agg.overall.scores.mean()))?;
    // Scorecards may set different targets: then each contact is held to
    // its own card's, and the run, each team and each agent to those
    // targets weighted by their contacts on each card (the Scorecards table
    // below lists each card's).
    let target_key = if report.score_targets_differ() {
        l.k_target_weighted
    } else {
        l.k_target
    };
    kv(
        sh,
        target_key,
        Val::Score(report.score_target(&agg.overall)),
    )?;
    for sev in Severity::CRITICAL {
        kv(
            sh,
            &format!("{}: {}", l.c_accuracy, sev.label(l.lang)),
            Val::Pct(acc(&agg.overall, sev)),
        )?;
    }
    kv(
        sh,
        l.k_masking,
        Val::Text(if m.masked { l.on } else { l.off }.into()),
    )?;
    kv(sh, l.k_min_n, Val::Int(report.opts.min_n))?;
    if let Some(prev) = &report.opts.previous {
        let files: Vec<String> = prev.iter().map(|p| p.display().to_string()).collect();
        let period = report
            .prev
            .and_then(|p| {
                Some(format!(
                    " ({} — {})",
                    short_date(p.first_started.as_ref()?),
                    short_date(p.last_started.as_ref()?)
                ))
            })
            .unwrap_or_default();
        kv(
            sh,
            l.k_previous,
            Val::Text(format!("{}{period}", files.join(", "))),
        )?;
    }
    kv(sh, l.k_version, Val::Text(m.cqa_version.clone()))?;
    kv(
        sh,
        l.k_report_version,
        Val::Text(env!("CARGO_PKG_VERSION").into()),
    )?;
    for note in &report.opts.notes {
        kv(sh, l.k_note, Val::Warn(note.clone()))?;
    }

    // Scorecards.
    r += 1;
    sh.text_free(r, 0, l.t_scorecards, &s.subtitle)?;
    r += 1;
    let headers = [
        l.c_scorecard,
        l.c_title,
        l.c_version,
        l.c_targets,
        l.c_sha,
        l.c_path,
    ];
    let cols: Vec<TableColumn> = headers
        .iter()
        .map(|h| {
            TableColumn::new()
                .set_header(*h)
                .set_header_format(&s.header)
        })
        .collect();
    let n = m.scorecards.len().max(1) as RowNum;
    sh.ws.add_table(
        r,
        0,
        r + n,
        5,
        &Table::new()
            .set_columns(&cols)
            .set_style(TableStyle::Light9),
    )?;
    super::glossary::note_headers(sh, report, r, &headers.map(String::from))?;
    if m.scorecards.is_empty() {
        sh.text_free(r + 1, 0, l.unknown, &s.note)?;
    }
    for (i, c) in m.scorecards.iter().enumerate() {
        let row = r + 1 + i as RowNum;
        sh.text(row, 0, &c.id, &s.text)?;
        sh.wrapped(row, 1, &c.title, &s.wrap)?;
        sh.text(row, 2, &c.version, &s.text)?;
        let mut t = Vec::new();
        if let Some(x) = c.targets.score {
            t.push(format!("{}: {x}", l.c_score));
        }
        for sev in Severity::CRITICAL {
            if let Some(x) = c.targets.accuracy(sev) {
                t.push(format!("{}: {x}%", l.class_short(sev)));
            }
        }
        sh.wrapped(row, 3, &t.join("; "), &s.wrap)?;
        sh.text(row, 4, &c.sha256, &s.text)?;
        sh.text(row, 5, &c.path, &s.text)?;
    }
    r += n + 2;

    // Guide to the sheets, each name a link.
    sh.text_free(r, 0, l.t_sheets, &s.subtitle)?;
    r += 1;
    sh.header(r, 0, l.c_sheet, &s.header)?;
    sh.header(r, 1, l.c_what, &s.header)?;
    super::glossary::note_headers(sh, report, r, &[l.c_sheet.into(), l.c_what.into()])?;
    for (name, what) in &f.sheets {
        r += 1;
        let url = Url::new(format!("internal:{}", super::kit::sheet_ref(name, 0, 0)))
            .set_text(name.as_str());
        sh.ws.write_url_with_format(r, 0, url, &s.link)?;
        sh.wrapped(r, 1, what, &s.wrap)?;
    }
    sh.cap(0, 42.0);
    sh.cap(1, 70.0);
    sh.cap(3, 40.0);
    sh.cap(4, 66.0);
    Ok(())
}

/// "54 of 54; answers missing: title (card) — 35; …": how many scores
/// leave out criteria awaiting a controller, and which criteria, most first.
fn partial_text(report: &Report) -> String {
    let (w, all) = (report.w, &report.agg.overall);
    let mut pending: Vec<_> = report
        .agg
        .criteria()
        .iter()
        .filter(|c| c.pending + c.review > 0)
        .collect();
    // Criteria the model left for a person (`review`) await a controller
    // just as manual ones do.
    pending.sort_by_key(|c| std::cmp::Reverse(c.pending + c.review));
    let list: Vec<String> = pending
        .iter()
        .map(|c| {
            let title = report.title(Some(&c.scorecard_id), &c.id);
            format!("{title} ({}) — {}", c.scorecard_id, c.pending + c.review)
        })
        .collect();
    format!(
        "{} {} {}; {}: {}",
        all.partial,
        w.partial_of,
        all.contacts,
        w.awaiting,
        list.join("; ")
    )
}

enum Val {
    Text(String),
    Int(u64),
    Score(Option<f64>),
    Pct(Option<f64>),
    Warn(String),
}
