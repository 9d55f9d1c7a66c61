//! The Criteria sheet (failure rate of every criterion, Pareto chart) and
//! the Classes sheet (COPC accuracy per error class, overall and per team,
//! against the scorecard targets, with a chart of errors by class).

use super::kit::Sheet;
use super::report::{acc, Report};
use super::style::TargetRule;
use crate::input::scorecard::Severity;
use crate::score::aggregate::{CriterionStat, Group};
use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartFormat, ChartPoint, ChartSolidFill, ChartType, ColNum,
    ConditionalFormatDataBar, RowNum, Table, TableColumn, TableStyle, XlsxError,
};

fn table(
    sh: &mut Sheet,
    report: &Report,
    headers: &[String],
    rows: usize,
) -> Result<RowNum, XlsxError> {
    let cols: Vec<TableColumn> = headers
        .iter()
        .map(|h| {
            TableColumn::new()
                .set_header(h)
                .set_header_format(&report.s.header)
        })
        .collect();
    for (i, h) in headers.iter().enumerate() {
        sh.header_width(i as ColNum, h);
    }
    let last = rows.max(1) as RowNum;
    sh.ws.add_table(
        0,
        0,
        last,
        (headers.len() - 1) as ColNum,
        &Table::new()
            .set_columns(&cols)
            .set_style(TableStyle::Medium2),
    )?;
    sh.ws.set_row_height(0, 45)?;
    sh.ws.set_freeze_panes(1, 0)?;
    super::glossary::note_headers(sh, report, 0, headers)?;
    if rows == 0 {
        sh.text_free(1, 0, report.l.none_rows, &report.s.note)?;
    }
    Ok(last)
}

/// Criteria in Pareto order: most failures first, then as the scorecards list them.
fn pareto<'a>(report: &'a Report) -> Vec<&'a CriterionStat> {
    let mut v: Vec<(usize, &CriterionStat)> = report.agg.criteria().iter().enumerate().collect();
    v.sort_by(|a, b| b.1.fail.cmp(&a.1.fail).then(a.0.cmp(&b.0)));
    v.into_iter().map(|(_, c)| c).collect()
}

pub(crate) fn criteria_sheet(sh: &mut Sheet, report: &Report) -> Result<(), XlsxError> {
    let (l, s) = (report.l, &report.s);
    let headers: Vec<String> = [
        l.c_scorecard,
        l.c_section,
        l.c_criterion_id,
        l.c_criterion,
        l.c_severity,
        l.c_weight,
        l.c_auto_fail,
        l.c_applicable,
        l.c_fails,
        l.c_fail_rate,
        l.c_cumulative,
        l.c_na,
        l.c_pending,
        l.c_review,
    ]
    .map(String::from)
    .to_vec();
    let rows = pareto(report);
    let last = table(sh, report, &headers, rows.len())?;
    let total_fails: u64 = rows.iter().map(|c| c.fail).sum();
    let mut cumulative = 0;
    for (i, c) in rows.iter().enumerate() {
        let r = 1 + i as RowNum;
        let info = report.criterion(Some(&c.scorecard_id), &c.id);
        cumulative += c.fail;
        sh.text(r, 0, &c.scorecard_id, &s.text)?;
        sh.text(r, 1, info.map_or(&c.section, |i| &i.section_title), &s.text)?;
        sh.text(r, 2, &c.id, &s.text)?;
        sh.text(r, 3, info.map_or(&c.id, |i| &i.title), &s.text)?;
        if let Some(sev) = c.severity {
            sh.text(
                r,
                4,
                sev.label(l.lang),
                if sev == Severity::NonCritical {
                    &s.text
                } else {
                    &s.bad
                },
            )?;
        }
        sh.opt_num(r, 5, info.and_then(|i| i.weight.or(i.penalty)), &s.score)?;
        sh.text(r, 6, l.yes_no(info.is_some_and(|i| i.auto_fail)), &s.flag)?;
        sh.int(r, 7, c.applicable(), &s.int)?;
        sh.int(r, 8, c.fail, &s.int)?;
        sh.opt_num(r, 9, c.failure_rate(), &s.pct)?;
        if total_fails > 0 {
            sh.num(r, 10, cumulative as f64 / total_fails as f64, &s.pct)?;
        }
        sh.int(r, 11, c.na, &s.int)?;
        sh.int(r, 12, c.pending, &s.int)?;
        sh.int(r, 13, c.review, &s.int)?;
    }
    sh.cap(3, 60.0);
    sh.cap(1, 25.0);
    if !rows.is_empty() {
        let bar = ConditionalFormatDataBar::new();
        sh.ws.add_conditional_format(1, 9, last, 9, &bar)?;
    }
    // Rarely read columns fold into outline groups: weight, auto-fail and
    // applicable; N/A and pending.
    sh.ws.group_columns_collapsed(5, 7)?;
    sh.ws.group_columns_collapsed(11, 12)?;
    let (pages, end) = super::charts::pareto_charts(sh, report, &rows, last + 2)?;
    sh.print_setup((end, 12), Some(0), &pages)?;
    Ok(())
}

pub(crate) fn classes_sheet(sh: &mut Sheet, report: &Report) -> Result<(), XlsxError> {
    let (l, s) = (report.l, &report.s);
    let mut headers: Vec<String> = vec![l.c_team.into(), l.c_contacts.into()];
    headers.extend(Severity::ALL.map(|sev| format!("{}: {}", l.c_accuracy, l.class_short(sev))));
    headers.extend(Severity::ALL.map(|sev| format!("{}: {}", l.c_with_error, l.class_short(sev))));
    let teams: Vec<(String, &Group)> = report
        .agg
        .teams
        .iter()
        .map(|(k, g)| (report.team_label(k), g))
        .collect();
    let last = table(sh, report, &headers, teams.len() + 2)?;
    // First row: the targets, so that every accuracy is read against its target.
    sh.text(1, 0, l.c_target, &s.key)?;
    for (i, sev) in Severity::ALL.iter().enumerate() {
        sh.opt_num(1, 2 + i as ColNum, report.class_target(*sev), &s.pct)?;
    }
    let groups = std::iter::once((l.c_overall.to_string(), &report.agg.overall)).chain(teams);
    for (i, (name, g)) in groups.enumerate() {
        let r = 2 + i as RowNum;
        sh.text(r, 0, &name, if i == 0 { &s.key } else { &s.text })?;
        sh.int(r, 1, g.contacts, &s.int)?;
        for (j, sev) in Severity::ALL.iter().enumerate() {
            sh.opt_num(r, 2 + j as ColNum, acc(g, *sev), &s.pct)?;
            sh.int(r, 6 + j as ColNum, g.class_errors[sev.index()], &s.int)?;
        }
    }
    for (j, sev) in Severity::ALL.iter().enumerate() {
        if let Some(t) = report.class_target(*sev) {
            sh.target_rule((2, last), 2 + j as ColNum, &TargetRule::Fixed(t), s)?;
        }
    }
    sh.cap(0, 30.0);
    let name = sh.name.clone();
    let n = name.as_str();
    let mut chart = Chart::new(ChartType::Column);
    let colors = [0xC0504D, 0xF79646, 0x8064A2, 0x4F81BD];
    let points: Vec<ChartPoint> = colors
        .iter()
        .map(|c| {
            ChartPoint::new()
                .set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(*c)))
        })
        .collect();
    chart
        .add_series()
        .set_name(l.c_with_error)
        .set_categories((n, 0, 6, 0, 9))
        .set_values((n, 2, 6, 2, 9))
        .set_points(&points)
        .set_data_label(ChartDataLabel::new().show_value())
        .set_gap(50);
    chart.title().set_name(l.t_classes_chart);
    chart.y_axis().set_min(0);
    chart.legend().set_hidden();
    chart.set_width(640).set_height(340);
    sh.ws.insert_chart(last + 2, 0, &chart)?;
    Ok(())
}
