//! Charts a team lead reads at a glance, each on its own printed page with
//! the few numbers it is drawn from beside it:
//!
//! - the groups' mean scores, sorted, on an axis that starts near the data,
//!   with each group's target as a line; past [`MAX_BARS`] groups a wall of
//!   bars says nothing, so the chart shows how many agents of each team fall
//!   in each score band instead;
//! - one Pareto chart per error class: failures by criterion (by how a
//!   failure reads), the rest in one "other" bar, and the cumulative share
//!   reaching 100%.

use super::report::Report;
use crate::input::scorecard::Severity;
use crate::score::aggregate::{CriterionStat, Group};
use rust_xlsxwriter::{
    Chart, ChartFormat, ChartLegendPosition, ChartLine, ChartSolidFill, ChartType, ColNum, RowNum,
    XlsxError,
};

use super::kit::Sheet;

/// Most groups a score chart shows bar by bar.
pub(crate) const MAX_BARS: usize = 30;
/// Bars of a Pareto chart, the "other" bar included.
const PARETO_BARS: usize = 12;
/// Rows a chart covers (a 520-pixel chart on 20-pixel rows, and a margin).
const CHART_ROWS: RowNum = 28;
/// Score bands of the distribution chart: lower bounds.
const BANDS: [f64; 5] = [0.0, 60.0, 70.0, 80.0, 90.0];

/// Where a chart block landed: the row after it, and the row its page starts at.
pub(crate) struct Block {
    pub next: RowNum,
    pub page: RowNum,
}

/// The mean scores of the ranked `groups` (agents or teams) from `at`: a
/// sorted bar chart with the targets, or past [`MAX_BARS`] agents the
/// distribution per team. The data the chart reads is written under it.
pub(crate) fn score_chart(
    sh: &mut Sheet,
    report: &Report,
    groups: &[&Group],
    at: (RowNum, ColNum),
    title: &str,
    teams: bool,
) -> Result<Option<Block>, XlsxError> {
    let mut ranked: Vec<&Group> = groups
        .iter()
        .copied()
        .filter(|g| report.ranked(g))
        .collect();
    if ranked.is_empty() {
        return Ok(None);
    }
    if ranked.len() > MAX_BARS {
        return distribution(sh, report, &ranked, at).map(Some);
    }
    let mean = |g: &Group| g.scores.mean().unwrap_or(0.0);
    ranked.sort_by(|a, b| mean(b).total_cmp(&mean(a)).then_with(|| a.key.cmp(&b.key)));
    let (l, s) = (report.l, &report.s);
    let (r0, c0) = at;
    let data = r0 + CHART_ROWS;
    sh.text(data, c0, if teams { l.c_team } else { l.c_agent }, &s.key)?;
    sh.text(data, c0 + 1, l.c_mean, &s.key)?;
    sh.text(data, c0 + 2, l.c_target, &s.key)?;
    let mut lowest = 100.0f64;
    for (i, g) in ranked.iter().enumerate() {
        let r = data + 1 + i as RowNum;
        let name = if teams {
            report.team_label(&g.key)
        } else {
            g.name.clone()
        };
        sh.text(r, c0, &name, &s.text)?;
        sh.opt_num(r, c0 + 1, g.scores.mean(), &s.score)?;
        let target = report.score_target(g);
        sh.opt_num(r, c0 + 2, target, &s.score)?;
        lowest = lowest.min(mean(g)).min(target.unwrap_or(100.0));
    }
    let last = data + ranked.len() as RowNum;
    let n = sh.name.clone();
    let n = n.as_str();
    let (r1, r2) = (data + 1, last);
    let mut chart = Chart::new(ChartType::Column);
    chart
        .add_series()
        .set_name(l.c_mean)
        .set_categories((n, r1, c0, r2, c0))
        .set_values((n, r1, c0 + 1, r2, c0 + 1))
        .set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(0x2E75B6)))
        .set_gap(60);
    if ranked.iter().any(|g| report.score_target(g).is_some()) {
        let mut line = Chart::new(ChartType::Line);
        line.add_series()
            .set_name(l.c_target)
            .set_categories((n, r1, c0, r2, c0))
            .set_values((n, r1, c0 + 2, r2, c0 + 2))
            .set_format(
                ChartFormat::new().set_line(ChartLine::new().set_color(0xC00000).set_width(2.25)),
            );
        chart.combine(&line);
    }
    chart.title().set_name(title);
    // Near the data: the lowest mean (or target) less a margin, in tens.
    let floor = (((lowest - 5.0) / 10.0).floor() * 10.0).clamp(0.0, 90.0);
    chart
        .y_axis()
        .set_min(floor)
        .set_max(100)
        .set_num_format("0");
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart.set_width(960).set_height(520);
    sh.ws.insert_chart(r0, c0, &chart)?;
    Ok(Some(Block {
        next: last + 2,
        page: r0,
    }))
}

/// Agents per team in each score band: a stacked column per team.
fn distribution(
    sh: &mut Sheet,
    report: &Report,
    agents: &[&Group],
    at: (RowNum, ColNum),
) -> Result<Block, XlsxError> {
    let (l, w, s) = (report.l, report.w, &report.s);
    let (r0, c0) = at;
    let mut teams: std::collections::BTreeMap<String, [u64; 5]> = Default::default();
    for g in agents {
        let m = g.scores.mean().unwrap_or(0.0);
        let band = BANDS.iter().rposition(|b| m >= *b).unwrap_or(0);
        let team = g
            .team
            .as_deref()
            .unwrap_or(crate::score::aggregate::NO_TEAM);
        teams.entry(report.team_label(team)).or_default()[band] += 1;
    }
    let data = r0 + CHART_ROWS;
    sh.text(data, c0, l.c_team, &s.key)?;
    let band_names: Vec<String> = BANDS
        .iter()
        .enumerate()
        .map(|(i, b)| match BANDS.get(i + 1) {
            Some(next) => format!("{b:.0}–{next:.0}"),
            None => format!("{b:.0}–100"),
        })
        .collect();
    for (j, b) in band_names.iter().enumerate() {
        sh.text(data, c0 + 1 + j as ColNum, b, &s.key)?;
    }
    for (i, (team, counts)) in teams.iter().enumerate() {
        let r = data + 1 + i as RowNum;
        sh.text(r, c0, team, &s.text)?;
        for (j, n) in counts.iter().enumerate() {
            sh.int(r, c0 + 1 + j as ColNum, *n, &s.int)?;
        }
    }
    let last = data + teams.len() as RowNum;
    let n = sh.name.clone();
    let n = n.as_str();
    let mut chart = Chart::new(ChartType::ColumnStacked);
    let colours = [0xC00000, 0xF4B183, 0xFFE699, 0xA9D18E, 0x548235];
    for (j, b) in band_names.iter().enumerate() {
        let col = c0 + 1 + j as ColNum;
        chart
            .add_series()
            .set_name(b.as_str())
            .set_categories((n, data + 1, c0, last, c0))
            .set_values((n, data + 1, col, last, col))
            .set_format(
                ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(colours[j])),
            )
            .set_gap(50);
    }
    let title = match report.targets.score {
        Some(t) => format!(
            "{} ({} {t:.0})",
            w.t_distribution,
            l.c_target.to_lowercase()
        ),
        None => w.t_distribution.to_string(),
    };
    chart.title().set_name(&title);
    chart.y_axis().set_min(0).set_name(w.agents_count);
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart.set_width(960).set_height(520);
    sh.ws.insert_chart(r0, c0, &chart)?;
    Ok(Block {
        next: last + 2,
        page: r0,
    })
}

/// One Pareto chart per error class with failures, from row `at` of the
/// Criteria sheet down; returns where each page starts and the next free row.
pub(crate) fn pareto_charts(
    sh: &mut Sheet,
    report: &Report,
    rows: &[&CriterionStat],
    at: RowNum,
) -> Result<(Vec<RowNum>, RowNum), XlsxError> {
    let (l, w, s) = (report.l, report.w, &report.s);
    let mut pages = Vec::new();
    let mut r0 = at;
    for sev in Severity::ALL {
        let mut failed: Vec<&&CriterionStat> = rows
            .iter()
            .filter(|c| c.severity == Some(sev) && c.fail > 0)
            .collect();
        if failed.is_empty() {
            continue;
        }
        failed.sort_by_key(|c| std::cmp::Reverse(c.fail));
        let total: u64 = failed.iter().map(|c| c.fail).sum();
        // The first bars as they are; the rest in one "other" bar.
        let shown = if failed.len() > PARETO_BARS {
            PARETO_BARS - 1
        } else {
            failed.len()
        };
        let mut bars: Vec<(String, u64)> = failed[..shown]
            .iter()
            .map(|c| {
                let t = report.fail_title(Some(&c.scorecard_id), &c.id);
                (crate::text::truncate_chars(&t, 45), c.fail)
            })
            .collect();
        if failed.len() > shown {
            let rest: u64 = failed[shown..].iter().map(|c| c.fail).sum();
            bars.push((format!("{} ({})", w.other, failed.len() - shown), rest));
        }
        let data = r0 + CHART_ROWS;
        sh.text(data, 0, l.c_criterion, &s.key)?;
        sh.text(data, 1, l.c_fails, &s.key)?;
        sh.text(data, 2, l.c_cumulative, &s.key)?;
        let mut cumulative = 0;
        for (i, (title, n)) in bars.iter().enumerate() {
            let r = data + 1 + i as RowNum;
            cumulative += n;
            sh.text(r, 0, title, &s.text)?;
            sh.int(r, 1, *n, &s.int)?;
            sh.num(r, 2, cumulative as f64 / total as f64, &s.pct)?;
        }
        let last = data + bars.len() as RowNum;
        let name = sh.name.clone();
        let n = name.as_str();
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_name(l.c_fails)
            .set_categories((n, data + 1, 0, last, 0))
            .set_values((n, data + 1, 1, last, 1))
            .set_format(
                ChartFormat::new()
                    .set_solid_fill(ChartSolidFill::new().set_color(class_colour(sev))),
            )
            .set_gap(40);
        let mut line = Chart::new(ChartType::Line);
        line.add_series()
            .set_name(l.c_cumulative)
            .set_categories((n, data + 1, 0, last, 0))
            .set_values((n, data + 1, 2, last, 2))
            .set_secondary_axis(true)
            .set_format(
                ChartFormat::new().set_line(ChartLine::new().set_color(0x1F4E78).set_width(2.25)),
            );
        chart.combine(&line);
        chart
            .title()
            .set_name(&format!("{}: {}", l.t_pareto, sev.label(l.lang)));
        chart.y_axis().set_name(l.c_fails).set_min(0);
        chart.y2_axis().set_min(0).set_max(1).set_num_format("0%");
        chart.legend().set_position(ChartLegendPosition::Bottom);
        chart.set_width(960).set_height(520);
        sh.ws.insert_chart(r0, 0, &chart)?;
        pages.push(r0);
        r0 = last + 2;
    }
    Ok((pages, r0))
}

fn class_colour(s: Severity) -> u32 {
    match s {
        Severity::CustomerCritical => 0xC0504D,
        Severity::BusinessCritical => 0xF79646,
        Severity::ComplianceCritical => 0x8064A2,
        Severity::NonCritical => 0x4F81BD,
    }
}
