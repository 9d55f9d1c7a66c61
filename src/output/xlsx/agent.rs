//! `agents/<agent>.xlsx`: written feedback for one agent and their team lead:
//! the agent's score against the target and the team
//! mean, accuracy per error class, each failed criterion with how often, a
//! few evidence quotes and the scorecard's recommendation; then the agent's
//! contacts and findings, streamed from the agent's spool file.

use super::kit::{Sheet, UniqueNames};
use super::list_sheet::ListSheet;
use super::report::{acc, acc_delta, score_delta, Report, AGENTS_DIR};
use super::report::{new_workbook, save};
use super::rows::Layout;
use super::spool::{Rec, SpoolReader};
use super::style::Styles;
use super::ReportError;
use crate::input::scorecard::Severity;
use crate::score::aggregate::{CriterionKey, Group, NO_TEAM};
use rust_xlsxwriter::{RowNum, Table, TableColumn, TableStyle, Worksheet, XlsxError};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Example quotes kept per criterion while the agent's findings stream by.
/// Per criterion of a card: (contact id, quote) of the first failures.
type Examples = HashMap<CriterionKey, Vec<(String, String)>>;

/// Per criterion of a card awaiting a controller: the contacts it awaits in.
type Pending = std::collections::BTreeMap<CriterionKey, Vec<String>>;

pub(crate) fn write(
    dir: &Path,
    report: &Report,
    key: &str,
    g: &Group,
    rows: SpoolReader,
) -> Result<PathBuf, ReportError> {
    let l = report.l;
    let stem = report
        .agent_files
        .get(key)
        .cloned()
        .unwrap_or_else(|| super::kit::safe_file_stem(key));
    let path = dir.join(AGENTS_DIR).join(format!("{stem}.xlsx"));
    let x = |e| ReportError::xlsx(&path)(e);
    let mut wb = new_workbook(dir, &format!("{} — {}", l.t_feedback, g.name))?;
    let mut names = UniqueNames::sheets();
    names.reserve(l.sh_feedback);
    let layout = Layout::new(true);
    let fails: u64 = g.criterion_fails.values().sum();
    let mut contacts = ListSheet::new(
        layout.contacts_spec(report, g.contacts),
        &path,
        l,
        &report.s,
    );
    let mut findings = ListSheet::new(layout.findings_spec(report, fails), &path, l, &report.s);
    let mut examples: Examples = HashMap::new();
    let mut pending: Pending = Pending::new();
    let mut first: Option<(String, u32)> = None;
    for rec in rows {
        match rec? {
            Rec::F(f) => {
                let (sh, row) = findings.next(&mut wb, &mut names)?;
                layout.write_finding(sh, row, &f, report).map_err(x)?;
                if first.is_none() {
                    first = Some((sh.name.clone(), row));
                }
                let key = CriterionKey {
                    scorecard_id: f.scorecard.clone(),
                    id: f.criterion.clone(),
                };
                let ex = examples.entry(key).or_default();
                if ex.len() < report.opts.examples && !f.quote.is_empty() {
                    let quote: String = f.quote.chars().take(300).collect();
                    ex.push((f.contact_id, quote));
                }
            }
            Rec::C(c) => {
                for id in &c.pending {
                    let key = CriterionKey {
                        scorecard_id: c.scorecard.clone(),
                        id: id.clone(),
                    };
                    pending.entry(key).or_default().push(c.id.clone());
                }
                let (sh, row) = contacts.next(&mut wb, &mut names)?;
                let link = first.take();
                layout
                    .write_contact(
                        sh,
                        row,
                        &c,
                        link.as_ref().map(|(n, r)| (n.as_str(), *r)),
                        report,
                    )
                    .map_err(x)?;
            }
        }
    }
    let contact_parts = contacts.finish(&mut wb, &mut names)?;
    let finding_parts = findings.finish(&mut wb, &mut names)?;
    let mut fb = Sheet::new(Worksheet::new(), l.sh_feedback, l).map_err(x)?;
    let next = feedback(&mut fb, report, g, &examples).map_err(x)?;
    awaiting(&mut fb, report, next, &pending).map_err(x)?;
    for sh in std::iter::once(fb)
        .chain(contact_parts)
        .chain(finding_parts)
    {
        wb.push_worksheet(sh.into_worksheet().map_err(x)?);
    }
    save(&mut wb, &path)?;
    Ok(path)
}

/// The heading lines of a feedback or team sheet; returns the next free row.
pub(crate) fn heading(
    sh: &mut Sheet,
    report: &Report,
    title: &str,
    lines: &[(&str, String)],
) -> Result<RowNum, XlsxError> {
    let s = &report.s;
    sh.text_free(0, 0, title, &s.title)?;
    let mut r = 2;
    for (k, v) in lines {
        sh.text(r, 0, k, &s.key)?;
        sh.text_free(r, 1, v, &s.text)?;
        r += 1;
    }
    Ok(r + 1)
}

/// A row of the period figures table: value, comparison, target, status, before, change.
pub(crate) struct Kpi<'a> {
    pub metric: String,
    pub value: Option<f64>,
    /// One value per comparison column.
    pub compare: Vec<Option<f64>>,
    pub target: Option<f64>,
    pub before: Option<f64>,
    pub change: Option<f64>,
    pub fmt: &'a rust_xlsxwriter::Format,
    pub change_fmt: &'a rust_xlsxwriter::Format,
    /// Whether to judge against the target (not for a sample too small).
    pub judge: bool,
}

/// The figures table: headers (measure, value, the comparisons, target,
/// status, before, change) then one row per measure; returns the next free row.
pub(crate) fn kpi_table(
    sh: &mut Sheet,
    report: &Report,
    r0: RowNum,
    headers: &[&str],
    rows: &[Kpi],
) -> Result<RowNum, XlsxError> {
    let (l, s) = (report.l, &report.s);
    let nc = headers.len().saturating_sub(6) as u16;
    let cols: Vec<TableColumn> = headers
        .iter()
        .map(|h| {
            TableColumn::new()
                .set_header(*h)
                .set_header_format(&s.header)
        })
        .collect();
    for (i, h) in headers.iter().enumerate() {
        sh.header_width(i as u16, h);
    }
    // Column 1 is the agent's (or team's) own value, whatever its header.
    let mut named: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    if let Some(own) = named.get_mut(1) {
        own.clear();
    }
    super::glossary::note_headers(sh, report, r0, &named)?;
    super::glossary::note(sh, r0, 1, report.w.own_value)?;
    let labels: Vec<String> = rows.iter().map(|k| k.metric.clone()).collect();
    super::glossary::note_rows(sh, report, r0 + 1, 0, &labels)?;
    let last = r0 + rows.len().max(1) as RowNum;
    let table = Table::new()
        .set_columns(&cols)
        .set_style(TableStyle::Light9)
        .set_autofilter(false);
    sh.ws
        .add_table(r0, 0, last, (headers.len() - 1) as u16, &table)?;
    sh.ws.set_row_height(r0, 32)?;
    for (i, k) in rows.iter().enumerate() {
        let r = r0 + 1 + i as RowNum;
        sh.text(r, 0, &k.metric, &s.key)?;
        sh.opt_num(r, 1, k.value, k.fmt)?;
        for (j, c) in k.compare.iter().enumerate() {
            sh.opt_num(r, 2 + j as u16, *c, k.fmt)?;
        }
        sh.opt_num(r, 2 + nc, k.target, k.fmt)?;
        if let (Some(v), Some(t), true) = (k.value, k.target, k.judge) {
            let (text, f) = if v >= t {
                (l.met, &s.good)
            } else {
                (l.not_met, &s.bad)
            };
            sh.text(r, 3 + nc, text, f)?;
        }
        sh.opt_num(r, 4 + nc, k.before, k.fmt)?;
        sh.opt_num(r, 5 + nc, k.change, k.change_fmt)?;
    }
    Ok(last + 2)
}

/// The standard figures of a group, compared with two others (team and all, or all only).
pub(crate) fn kpis<'a>(
    report: &Report,
    s: &'a Styles,
    g: &Group,
    cmp: &[Option<&Group>],
    before: Option<&Group>,
) -> Vec<Kpi<'a>> {
    let l = report.l;
    let ranked = report.ranked(g);
    let mut v = vec![Kpi {
        metric: l.m_score.into(),
        value: g.scores.mean(),
        compare: cmp
            .iter()
            .map(|c| c.and_then(|c| c.scores.mean()))
            .collect(),
        target: report.score_target(g),
        before: before.and_then(|b| b.scores.mean()),
        change: score_delta(g, before),
        fmt: &s.score,
        change_fmt: &s.delta,
        judge: ranked,
    }];
    v.push(Kpi {
        metric: l.c_pooled.into(),
        value: g.pooled_score(),
        compare: cmp
            .iter()
            .map(|c| c.and_then(|c| c.pooled_score()))
            .collect(),
        target: report.score_target(g),
        before: before.and_then(|b| b.pooled_score()),
        change: before.and_then(|b| {
            Some(crate::stats::shown(
                g.pooled_score()? - b.pooled_score()?,
                1,
            ))
        }),
        fmt: &s.score,
        change_fmt: &s.delta,
        judge: ranked,
    });
    for sev in Severity::ALL {
        v.push(Kpi {
            metric: format!("{}: {}", l.c_accuracy, sev.label(l.lang)),
            value: acc(g, sev),
            compare: cmp.iter().map(|c| c.and_then(|c| acc(c, sev))).collect(),
            target: report.class_target(sev),
            before: before.and_then(|b| acc(b, sev)),
            change: acc_delta(g, before, sev),
            fmt: &s.pct,
            change_fmt: &s.delta_pp,
            judge: ranked,
        });
    }
    let count = |metric: &str, f: fn(&Group) -> u64| Kpi {
        metric: metric.into(),
        value: Some(f(g) as f64),
        compare: vec![None; cmp.len()],
        target: None,
        before: before.map(|b| f(b) as f64),
        change: before.map(|b| f(g) as f64 - f(b) as f64),
        fmt: &s.int,
        change_fmt: &s.delta_int,
        judge: false,
    };
    v.push(count(l.c_contacts, |g| g.contacts));
    v.push(count(l.c_scored, |g| g.scored));
    v.push(count(l.c_auto_fails, |g| g.auto_fails));
    v
}

/// The feedback sheet down to the failed criteria; returns the next free row.
fn feedback(
    sh: &mut Sheet,
    report: &Report,
    g: &Group,
    examples: &Examples,
) -> Result<RowNum, XlsxError> {
    let (l, s) = (report.l, &report.s);
    let team_key = g.team.as_deref().unwrap_or(NO_TEAM);
    let team = report.agg.teams.get(team_key);
    let before = report.prev_agent(&g.key);
    let mut lines = vec![
        (l.k_agent, format!("{} ({})", g.name, g.key)),
        (l.k_team, report.team_label(team_key)),
        (l.k_period, report.period()),
        (l.k_scorecards, report.cards_of(g)),
    ];
    if let Some((lo, hi)) = super::report::ci95(g) {
        lines.push((l.m_ci, format!("{lo:.1} – {hi:.1}")));
    }
    if g.partial > 0 {
        let w = report.w;
        let t = format!("{} {} {}", g.partial, w.partial_of, g.contacts);
        lines.push((w.c_partial_n, t));
    }
    if report.ranked(g) && report.has_targets(g) {
        lines.push((
            report.w.k_all_targets,
            report.targets_text(&report.missed_targets(g)),
        ));
    }
    let mut r = heading(sh, report, l.t_feedback, &lines)?;
    if !report.ranked(g) {
        sh.text_free(
            r - 1,
            0,
            &format!("{}: n = {} < {}", l.too_small, g.scored, report.opts.min_n),
            &s.warn,
        )?;
        r += 1;
    }
    sh.text_free(r, 0, l.t_kpi, &s.subtitle)?;
    let headers = [
        l.c_metric,
        l.k_agent,
        l.c_group_mean,
        l.c_overall_mean,
        l.c_target,
        l.c_status,
        l.c_before,
        l.c_change,
    ];
    let rows = kpis(report, s, g, &[team, Some(&report.agg.overall)], before);
    r = kpi_table(sh, report, r + 1, &headers, &rows)?;

    sh.text_free(r, 0, l.t_failed, &s.subtitle)?;
    sh.text_free(r, 2, &format!("({})", report.w.coaching_order), &s.note)?;
    r += 1;
    // The narrow columns line up under the figures table above; the wide
    // recommendation and examples come after its last column, so that they
    // do not stretch it.
    let headers = [
        l.c_criterion,
        l.c_severity,
        l.c_fails,
        l.c_share,
        l.c_before,
        l.c_change,
        l.c_section,
        l.c_auto_fail,
        l.c_recommendation,
        l.c_examples,
    ];
    let cols: Vec<TableColumn> = headers
        .iter()
        .map(|h| {
            TableColumn::new()
                .set_header(*h)
                .set_header_format(&s.header)
        })
        .collect();
    let failed = coaching_order(report, g.top_failed(usize::MAX));
    let last = r + failed.len().max(1) as RowNum;
    let table = Table::new()
        .set_columns(&cols)
        .set_style(TableStyle::Light9);
    sh.ws
        .add_table(r, 0, last, headers.len() as u16 - 1, &table)?;
    sh.ws.set_row_height(r, 32)?;
    let named: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    super::glossary::note_headers(sh, report, r, &named)?;
    if failed.is_empty() {
        sh.text_free(r + 1, 0, l.no_failures, &s.note)?;
    }
    let share = |gr: &Group, key: &CriterionKey| {
        (gr.contacts > 0).then(|| gr.fails_of(key) as f64 / gr.contacts as f64)
    };
    for (i, (key, n)) in failed.iter().enumerate() {
        let row = r + 1 + i as RowNum;
        let info = report.criterion(Some(&key.scorecard_id), &key.id);
        sh.wrapped(row, 0, &report.failed_title(key), &s.wrap)?;
        if let Some(c) = info {
            let f = if c.severity == Severity::NonCritical {
                &s.text
            } else {
                &s.bad
            };
            sh.text(row, 1, c.severity.label(l.lang), f)?;
            sh.text(row, 6, &c.section_title, &s.text)?;
            sh.text(row, 7, l.yes_no(c.auto_fail), &s.flag)?;
        }
        sh.int(row, 2, *n, &s.int)?;
        let (now, then) = (share(g, key), before.and_then(|b| share(b, key)));
        sh.opt_num(row, 3, now, &s.pct)?;
        sh.opt_num(row, 4, then, &s.pct)?;
        sh.opt_num(
            row,
            5,
            now.zip(then)
                .map(|(a, b)| crate::stats::shown(100.0 * (a - b), 1)),
            &s.delta_pp,
        )?;
        if let Some(rec) = info.and_then(|c| c.recommendation.as_deref()) {
            sh.wrapped(row, 8, rec, &s.wrap)?;
        }
        let ex: Vec<String> = examples
            .get(key)
            .map(|v| v.iter().map(|(c, q)| format!("«{q}» ({c})")).collect())
            .unwrap_or_default();
        sh.wrapped(row, 9, &ex.join("\n"), &s.wrap)?;
    }
    if !failed.is_empty() && before.is_some() {
        super::groups::sign_rule(sh, (r + 1, last), 5, report, false)?;
    }
    for (i, h) in headers.iter().enumerate() {
        sh.header_width(i as u16, h);
    }
    sh.cap(0, 45.0);
    sh.cap(1, 24.0);
    sh.cap(6, 22.0);
    sh.cap(8, 50.0);
    sh.cap(9, 70.0);
    Ok(last + 2)
}

/// The order to coach in: auto-fails first, then by severity class
/// (critical before non-critical), then most frequent first; a frequent
/// slip must not hide a compliance breach below it.
fn coaching_order(
    report: &Report,
    mut failed: Vec<(CriterionKey, u64)>,
) -> Vec<(CriterionKey, u64)> {
    let rank = |key: &CriterionKey| {
        report
            .criterion(Some(&key.scorecard_id), &key.id)
            .map_or((1, Severity::NonCritical.index()), |c| {
                (u8::from(!c.auto_fail), c.severity.index())
            })
    };
    failed.sort_by(|a, b| {
        rank(&a.0)
            .cmp(&rank(&b.0))
            .then(b.1.cmp(&a.1))
            .then_with(|| a.0.cmp(&b.0))
    });
    failed
}

/// What a controller still has to answer for this agent: each criterion
/// awaiting an answer, in how many contacts, and which.
fn awaiting(
    sh: &mut Sheet,
    report: &Report,
    r: RowNum,
    pending: &Pending,
) -> Result<(), XlsxError> {
    let (l, w, s) = (report.l, report.w, &report.s);
    sh.text_free(r, 0, w.t_pending, &s.subtitle)?;
    if pending.is_empty() {
        return sh.text_free(r + 1, 0, w.no_pending, &s.note);
    }
    let h = r + 1;
    sh.header(h, 0, l.c_criterion, &s.header)?;
    sh.header(h, 1, l.c_severity, &s.header)?;
    sh.header(h, 2, w.c_pending_contacts, &s.header)?;
    sh.header(h, 3, w.c_contact_ids, &s.header)?;
    let named = [l.c_criterion, l.c_severity, w.c_pending_contacts].map(String::from);
    super::glossary::note_headers(sh, report, h, &named)?;
    super::glossary::note(sh, h, 3, w.contact_ids_note)?;
    let mut list: Vec<(&CriterionKey, &Vec<String>)> = pending.iter().collect();
    list.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(b.0)));
    for (i, (key, ids)) in list.into_iter().enumerate() {
        let row = h + 1 + i as RowNum;
        // Not failed, only awaited: the criterion's own title.
        let title = report.title(Some(&key.scorecard_id), &key.id);
        sh.wrapped(row, 0, &title, &s.wrap)?;
        if let Some(c) = report.criterion(Some(&key.scorecard_id), &key.id) {
            sh.text(row, 1, c.severity.label(l.lang), &s.text)?;
        }
        sh.int(row, 2, ids.len() as u64, &s.int)?;
        sh.wrapped(row, 3, &ids.join(", "), &s.wrap)?;
    }
    Ok(())
}
