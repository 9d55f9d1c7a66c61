//! `teams/<team>.xlsx`, for a team lead: the
//! team's figures against the target and the whole run with a chart of its
//! agents' scores; its agents side by side (with links to their feedback
//! workbooks); and which agent fails which criterion how often.

use super::agent::{heading, kpi_table, kpis};
use super::charts::score_chart;
use super::groups::{sorted, write_table, Kind};
use super::kit::{Sheet, UniqueNames};
use super::report::{new_workbook, save};
use super::report::{Report, TEAMS_DIR};
use super::ReportError;
use crate::input::scorecard::Severity;
use crate::score::aggregate::Group;
use rust_xlsxwriter::{ColNum, ConditionalFormat2ColorScale, RowNum, Worksheet, XlsxError};
use std::path::{Path, PathBuf};

pub(crate) fn write(
    dir: &Path,
    report: &Report,
    key: &str,
    g: &Group,
) -> Result<PathBuf, ReportError> {
    let l = report.l;
    let stem = report
        .team_files
        .get(key)
        .cloned()
        .unwrap_or_else(|| super::kit::safe_file_stem(key));
    let path = dir.join(TEAMS_DIR).join(format!("{stem}.xlsx"));
    let x = |e| ReportError::xlsx(&path)(e);
    let label = report.team_label(key);
    let mut wb = new_workbook(dir, &format!("{} — {label}", l.t_team))?;
    let mut names = UniqueNames::sheets();
    let members: Vec<&Group> = sorted(
        report,
        g.members.iter().filter_map(|id| report.agg.agents.get(id)),
    );

    let mut main = Sheet::new(Worksheet::new(), &names.claim(l.sh_team), l).map_err(x)?;
    let mut agents = Sheet::new(Worksheet::new(), &names.claim(l.sh_agents), l).map_err(x)?;
    (|| -> Result<(), XlsxError> {
        let s = &report.s;
        let lines = vec![
            (l.k_team, label.clone()),
            (l.k_period, report.period()),
            (l.k_agents, g.members.len().to_string()),
            (l.k_scorecards, report.cards_of(g)),
        ];
        let mut r = heading(&mut main, report, l.t_team, &lines)?;
        if !report.ranked(g) {
            let warn = format!("{}: n = {} < {}", l.too_small, g.scored, report.opts.min_n);
            main.text_free(r - 1, 0, &warn, &s.warn)?;
            r += 1;
        }
        main.text_free(r, 0, l.t_kpi, &s.subtitle)?;
        let headers = [
            l.c_metric,
            l.k_team,
            l.c_overall_mean,
            l.c_target,
            l.c_status,
            l.c_before,
            l.c_change,
        ];
        let rows = kpis(
            report,
            s,
            g,
            &[Some(&report.agg.overall)],
            report.prev_team(key),
        );
        r = kpi_table(&mut main, report, r + 1, &headers, &rows)?;
        main.cap(0, 40.0);
        // The agents side by side on their own sheet, so that the wide table
        // does not stretch the figures above; the chart stays on the first sheet.
        let prefix = format!("../{}/", super::report::AGENTS_DIR);
        let placed = write_table(&mut agents, report, 0, Kind::Agent, &members, Some(&prefix))?;
        agents.ws.set_freeze_panes(1, 2)?;
        super::summary::print_group_sheet(&mut agents, &placed, None)?;
        // The chart on a page of its own after the figures.
        let chart = score_chart(&mut main, report, &members, (r, 0), l.t_agents_chart, false)?;
        match chart {
            Some(b) => main.print_setup((b.next, 9), None, &[b.page])?,
            None => main.print_setup((r, 7), None, &[])?,
        }
        Ok(())
    })()
    .map_err(x)?;

    let mut matrix = Sheet::new(Worksheet::new(), &names.claim(l.sh_criteria), l).map_err(x)?;
    criteria_by_agent(&mut matrix, report, g, report.prev_team(key), &members).map_err(x)?;
    for sh in [main, agents, matrix] {
        wb.push_worksheet(sh.into_worksheet().map_err(x)?);
    }
    save(&mut wb, &path)?;
    Ok(path)
}

/// Rows: the criteria the team failed, most failed first; columns: the agents.
/// With a previous period, the team's share of contacts failing each criterion then.
fn criteria_by_agent(
    sh: &mut Sheet,
    report: &Report,
    g: &Group,
    before: Option<&Group>,
    members: &[&Group],
) -> Result<(), XlsxError> {
    let (l, s) = (report.l, &report.s);
    sh.text_free(0, 0, l.t_criteria_by_agent, &s.subtitle)?;
    let h: RowNum = 2;
    let mut fixed = vec![l.c_criterion, l.c_severity, l.c_fails, l.c_share];
    if report.prev.is_some() {
        fixed.push(l.c_before);
    }
    for (i, t) in fixed.iter().enumerate() {
        sh.header(h, i as ColNum, t, &s.header)?;
    }
    let first_agent = fixed.len() as ColNum;
    for (j, a) in members.iter().enumerate() {
        sh.header(h, first_agent + j as ColNum, &a.name, &s.header)?;
    }
    sh.ws.set_row_height(h, 45)?;
    let failed = g.top_failed(usize::MAX);
    if failed.is_empty() {
        sh.text_free(h + 1, 0, l.no_failures, &s.note)?;
    }
    for (i, (key, n)) in failed.iter().enumerate() {
        let r = h + 1 + i as RowNum;
        let info = report.criterion(Some(&key.scorecard_id), &key.id);
        sh.text(r, 0, &report.failed_title(key), &s.text)?;
        if let Some(c) = info {
            sh.text(
                r,
                1,
                c.severity.label(l.lang),
                if c.severity == Severity::NonCritical {
                    &s.text
                } else {
                    &s.bad
                },
            )?;
        }
        sh.int(r, 2, *n, &s.int)?;
        if g.contacts > 0 {
            sh.num(r, 3, *n as f64 / g.contacts as f64, &s.pct)?;
        }
        if let Some(b) = before.filter(|b| b.contacts > 0) {
            let then = b.fails_of(key);
            sh.num(r, 4, then as f64 / b.contacts as f64, &s.pct)?;
        }
        for (j, a) in members.iter().enumerate() {
            sh.int(r, first_agent + j as ColNum, a.fails_of(key), &s.int)?;
        }
    }
    let last_row = h + failed.len().max(1) as RowNum;
    let last_col = first_agent + members.len().max(1) as ColNum - 1;
    sh.ws
        .autofilter(h, 0, last_row, last_col.max(first_agent - 1))?;
    sh.ws.set_freeze_panes(h + 1, 1)?;
    if !failed.is_empty() && !members.is_empty() {
        let scale = ConditionalFormat2ColorScale::new()
            .set_minimum_color(0xFFFFFF)
            .set_maximum_color(0xF8696B);
        sh.ws
            .add_conditional_format(h + 1, first_agent, last_row, last_col, &scale)?;
    }
    sh.cap(0, 60.0);
    for j in 0..members.len() {
        sh.cap(first_agent + j as ColNum, 16.0);
    }
    Ok(())
}
