//! What every column a person reads means: a «Пояснения» sheet in
//! summary.xlsx, and the same text in a note on each column header, so that
//! «Оценка по баллам» beside «Средняя оценка», or COPC «Точность», need no
//! one to explain them.

use super::kit::Sheet;
use super::report::Report;
use crate::words::report::{GlossaryWords, Labels, Words};
use rust_xlsxwriter::{ColNum, Note, RowNum, XlsxError};

/// (column header, meaning) in the run's language. A header "X: y" (a class
/// or an error count) is explained by its "X" entry.
pub(crate) fn entries(l: &Labels, w: &Words) -> Vec<(&'static str, &'static str)> {
    let g = GlossaryWords::for_lang(l.lang);
    vec![
        (l.c_rank, g.c_rank),
        (l.c_agent, g.c_agent),
        (l.c_agent_id, g.c_agent_id),
        (l.c_team, g.c_team),
        (l.c_agents_n, g.c_agents_n),
        (l.c_contacts, g.c_contacts),
        (l.c_scored, g.c_scored),
        (w.c_partial_n, g.c_partial_n),
        (l.c_mean, g.c_mean),
        (l.c_sd, g.c_sd),
        (l.c_ci_low, g.c_ci_low),
        (l.c_ci_high, g.c_ci_high),
        (l.c_sample, g.c_sample),
        (l.c_target, g.c_target),
        (l.c_target_met, g.c_target_met),
        (l.c_pooled, g.c_pooled),
        (l.c_accuracy, g.c_accuracy),
        (l.c_auto_fails, g.c_auto_fails),
        (l.c_top, g.c_top),
        (l.c_delta_score, g.c_delta_score),
        (l.c_delta_acc, g.c_delta_acc),
        (l.c_top_trend, g.c_top_trend),
        (l.c_scorecard, g.c_scorecard),
        (l.c_section, g.c_section),
        (l.c_criterion_id, g.c_criterion_id),
        (l.c_criterion, g.c_criterion),
        (l.c_severity, g.c_severity),
        (l.c_weight, g.c_weight),
        (l.c_auto_fail, g.c_auto_fail),
        (l.c_applicable, g.c_applicable),
        (l.c_fails, g.c_fails),
        (l.c_fail_rate, g.c_fail_rate),
        (l.c_cumulative, g.c_cumulative),
        (l.c_na, g.c_na),
        (l.c_pending, g.c_pending),
        (l.c_review, g.c_review),
        (l.c_with_error, g.c_with_error),
        (l.c_contact, g.c_contact),
        (l.c_date, g.c_date),
        (l.c_channel, g.c_channel),
        (l.c_score, g.c_score),
        (l.c_partial, g.c_partial),
        (l.c_errors, g.c_errors),
        (l.c_findings, g.c_findings),
        (l.c_source, g.c_source),
        (l.c_reason, g.c_reason),
        (l.c_quote, g.c_quote),
        (l.c_turn, g.c_turn),
        (l.c_time, g.c_time),
        (l.c_metric, g.c_metric),
        (l.c_group_mean, g.c_group_mean),
        (l.c_overall_mean, g.c_overall_mean),
        (l.c_status, g.c_status),
        (l.c_before, g.c_before),
        (l.c_change, g.c_change),
        (l.c_share, g.c_share),
        (l.c_recommendation, g.c_recommendation),
        (l.c_examples, g.c_examples),
        (w.c_pending_contacts, g.c_pending_contacts),
        (w.c_week_change, g.c_week_change),
        (l.c_title, g.c_title),
        (l.c_version, g.c_version),
        (l.c_targets, g.c_targets),
        (l.c_sha, g.c_sha),
        (l.c_path, g.c_path),
        (l.c_sheet, g.c_sheet),
        (l.c_what, g.c_what),
    ]
}

/// The explanation of a column header, if the glossary has one.
pub(crate) fn meaning(report: &Report, header: &str) -> Option<&'static str> {
    let all = entries(report.l, report.w);
    let find = |h: &str| all.iter().find(|(k, _)| *k == h).map(|(_, v)| *v);
    find(header)
        .or_else(|| {
            let (head, _) = header.split_once(':')?;
            find(head).or_else(|| {
                // "Частое нарушение 1": the numbered columns share one entry.
                find(head.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' '))
            })
        })
        .or_else(|| find(header.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ')))
}

/// The explained columns of `headers`, with their meaning.
pub(crate) fn notes_of(report: &Report, headers: &[String]) -> Vec<(ColNum, &'static str)> {
    headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| meaning(report, h).map(|m| (i as ColNum, m)))
        .collect()
}

/// A glossary note at one cell: a header, or a row label where the
/// figures run in rows («Каналы», the figures tables).
pub(crate) fn note(sh: &mut Sheet, row: RowNum, col: ColNum, text: &str) -> Result<(), XlsxError> {
    let note = Note::new(text)
        .set_author("cqa")
        .set_width(320)
        .set_height(110);
    sh.ws.insert_note(row, col, &note)?;
    Ok(())
}

/// Notes on the row labels in column `col` (rows from `row0`) that the
/// glossary explains.
pub(crate) fn note_rows(
    sh: &mut Sheet,
    report: &Report,
    row0: RowNum,
    col: ColNum,
    labels: &[String],
) -> Result<(), XlsxError> {
    for (i, h) in labels.iter().enumerate() {
        if let Some(text) = meaning(report, h) {
            note(sh, row0 + i as RowNum, col, text)?;
        }
    }
    Ok(())
}

/// Notes on the headers in `row` that the glossary explains.
pub(crate) fn note_headers(
    sh: &mut Sheet,
    report: &Report,
    row: RowNum,
    headers: &[String],
) -> Result<(), XlsxError> {
    for (i, h) in headers.iter().enumerate() {
        if let Some(text) = meaning(report, h) {
            note(sh, row, i as ColNum, text)?;
        }
    }
    Ok(())
}

/// The «Пояснения» sheet: every column and what it means.
pub(crate) fn glossary_sheet(sh: &mut Sheet, report: &Report) -> Result<(), XlsxError> {
    let (l, w, s) = (report.l, report.w, &report.s);
    sh.header(0, 0, w.c_column, &s.header)?;
    sh.header(0, 1, w.c_meaning, &s.header)?;
    for (i, (k, v)) in entries(l, w).iter().enumerate() {
        let r = 1 + i as RowNum;
        sh.text(r, 0, k, &s.key)?;
        sh.wrapped(r, 1, v, &s.wrap)?;
    }
    sh.cap(0, 30.0);
    sh.cap(1, 100.0);
    sh.ws.set_freeze_panes(1, 0)?;
    let n = entries(l, w).len() as RowNum;
    sh.print_setup((n, 1), Some(0), &[])
}
