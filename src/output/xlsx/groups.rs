//! The table of agents (or teams) with their period figures, shared by the
//! Agents and Teams sheets of summary.xlsx and by each team workbook, so the
//! same agent shows the same numbers everywhere.

use super::kit::Sheet;
use super::report::{acc, acc_delta, ci95, score_delta, Report};
use super::style::TargetRule;
use crate::input::scorecard::Severity;
use crate::score::aggregate::Group;
use rust_xlsxwriter::{
    ColNum, ConditionalFormatFormula, RowNum, Table, TableColumn, TableStyle, Url, XlsxError,
};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Agent,
    Team,
}

#[derive(Clone, Copy, PartialEq)]
enum Col {
    Rank,
    Name,
    AgentId,
    Team,
    Members,
    Contacts,
    Scored,
    Partial,
    Mean,
    Sd,
    CiLow,
    CiHigh,
    Sample,
    Target,
    TargetMet,
    Pooled,
    Acc(Severity),
    AutoFails,
    Top(usize),
    DScore,
    DAcc(Severity),
    TopTrend,
}

fn columns(kind: Kind, trend: bool) -> Vec<Col> {
    let mut v = vec![Col::Rank, Col::Name];
    match kind {
        Kind::Agent => v.extend([Col::AgentId, Col::Team]),
        Kind::Team => v.push(Col::Members),
    }
    v.extend([
        Col::Contacts,
        Col::Scored,
        Col::Partial,
        Col::Mean,
        Col::Sd,
        Col::CiLow,
        Col::CiHigh,
        Col::Sample,
        Col::Target,
        Col::TargetMet,
        Col::Pooled,
    ]);
    v.extend(Severity::CRITICAL.map(Col::Acc));
    v.extend([Col::AutoFails, Col::Top(0), Col::Top(1), Col::Top(2)]);
    if trend {
        v.push(Col::DScore);
        v.extend(Severity::CRITICAL.map(Col::DAcc));
        v.push(Col::TopTrend);
    }
    v
}

fn header(report: &Report, kind: Kind, c: Col) -> String {
    let l = report.l;
    match c {
        Col::Rank => l.c_rank.into(),
        Col::Name => if kind == Kind::Agent {
            l.c_agent
        } else {
            l.c_team
        }
        .into(),
        Col::AgentId => l.c_agent_id.into(),
        Col::Team => l.c_team.into(),
        Col::Members => l.c_agents_n.into(),
        Col::Contacts => l.c_contacts.into(),
        Col::Scored => l.c_scored.into(),
        Col::Partial => report.w.c_partial_n.into(),
        Col::Mean => l.c_mean.into(),
        Col::Sd => l.c_sd.into(),
        Col::CiLow => l.c_ci_low.into(),
        Col::CiHigh => l.c_ci_high.into(),
        Col::Sample => l.c_sample.into(),
        Col::Target => l.c_target.into(),
        Col::TargetMet => l.c_target_met.into(),
        Col::Pooled => l.c_pooled.into(),
        Col::Acc(s) => format!("{}: {}", l.c_accuracy, l.class_short(s)),
        Col::AutoFails => l.c_auto_fails.into(),
        Col::Top(k) => format!("{} {}", l.c_top, k + 1),
        Col::DScore => l.c_delta_score.into(),
        Col::DAcc(s) => format!("{}: {}", l.c_delta_acc, l.class_short(s)),
        Col::TopTrend => l.c_top_trend.into(),
    }
}

/// Ranked groups first, in their standing ([`Report::standing_cmp`]: those
/// meeting every target, then the others by critical errors, each by mean
/// score), then the rest by name; ties by key.
pub(crate) fn sorted<'g>(
    report: &Report,
    groups: impl Iterator<Item = &'g Group>,
) -> Vec<&'g Group> {
    let mut v: Vec<&Group> = groups.collect();
    v.sort_by(|a, b| {
        let (ra, rb) = (report.ranked(a), report.ranked(b));
        rb.cmp(&ra)
            .then_with(|| {
                if ra && rb {
                    report.standing_cmp(a, b)
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.key.cmp(&b.key))
    });
    v
}

/// Where a written table landed, for charts placed after it.
pub(crate) struct Placed {
    /// The first free row under the table and its note on the order.
    pub below: RowNum,
    pub last_col: ColNum,
}

/// Worksheet hyperlinks are kept in memory until save and Excel stops at
/// 65,530 a sheet; past this many rows names are written without links.
const MAX_LINKS: usize = 65_000;

/// Writes the table at `row0` (header row) and returns where it landed.
/// `link_prefix` is the relative folder of the group workbooks (e.g. `agents/`).
pub(crate) fn write_table(
    sh: &mut Sheet,
    report: &Report,
    row0: RowNum,
    kind: Kind,
    groups: &[&Group],
    link_prefix: Option<&str>,
) -> Result<Placed, XlsxError> {
    let (l, s) = (report.l, &report.s);
    let cols = columns(kind, report.prev.is_some());
    let pos = |c: Col| cols.iter().position(|x| *x == c).unwrap_or(0) as ColNum;
    let last_col = (cols.len() - 1) as ColNum;
    let first_data = row0 + 1;
    let last_row = row0 + groups.len().max(1) as RowNum;
    let headers: Vec<String> = cols.iter().map(|c| header(report, kind, *c)).collect();
    let table_cols: Vec<TableColumn> = headers
        .iter()
        .map(|h| {
            TableColumn::new()
                .set_header(h)
                .set_header_format(&s.header)
        })
        .collect();
    for (i, h) in headers.iter().enumerate() {
        sh.header_width(i as ColNum, h);
    }
    sh.ws.add_table(
        row0,
        0,
        last_row,
        last_col,
        &Table::new()
            .set_columns(&table_cols)
            .set_style(TableStyle::Medium2),
    )?;
    sh.ws.set_row_height(row0, 45)?;
    super::glossary::note_headers(sh, report, row0, &headers)?;
    if groups.is_empty() {
        sh.text_free(first_data, 1, l.none_rows, &s.note)?;
    }
    let mut rank = 0u32;
    let mut last_ranked: Option<&Group> = None;
    let mut ranked = 0u32;
    for (i, g) in groups.iter().enumerate() {
        let r = first_data + i as RowNum;
        let is_ranked = report.ranked(g);
        let mean = g.scores.mean();
        let before = match kind {
            Kind::Agent => report.prev_agent(&g.key),
            Kind::Team => report.prev_team(&g.key),
        };
        if is_ranked {
            ranked += 1;
            if last_ranked.is_none_or(|p| report.standing_cmp(p, g).is_ne()) {
                rank = ranked;
            }
            last_ranked = Some(g);
        }
        for (ci, c) in cols.iter().enumerate() {
            let ci = ci as ColNum;
            match *c {
                Col::Rank if is_ranked => sh.int(r, ci, u64::from(rank), &s.int)?,
                Col::Rank => {}
                Col::Name => {
                    let name = match kind {
                        Kind::Agent => g.name.clone(),
                        Kind::Team => report.team_label(&g.key),
                    };
                    let file = match kind {
                        Kind::Agent => report.agent_files.get(&g.key),
                        Kind::Team => report.team_files.get(&g.key),
                    };
                    match (link_prefix, file) {
                        (Some(prefix), Some(file)) if i < MAX_LINKS => {
                            let shown = sh.cut(&name).into_owned();
                            sh.header_width(ci, &shown.replace(' ', "_"));
                            let url =
                                Url::new(format!("file:///{prefix}{file}.xlsx")).set_text(shown);
                            sh.ws.write_url_with_format(r, ci, url, &s.link)?;
                        }
                        _ => sh.text(r, ci, &name, &s.text)?,
                    }
                }
                Col::AgentId => sh.text(r, ci, &g.key, &s.text)?,
                Col::Team => sh.text(
                    r,
                    ci,
                    &report.team_label(
                        g.team
                            .as_deref()
                            .unwrap_or(crate::score::aggregate::NO_TEAM),
                    ),
                    &s.text,
                )?,
                Col::Members => sh.int(r, ci, g.members.len() as u64, &s.int)?,
                Col::Contacts => sh.int(r, ci, g.contacts, &s.int)?,
                Col::Scored => sh.int(r, ci, g.scored, &s.int)?,
                Col::Partial => sh.int(r, ci, g.partial, &s.int)?,
                Col::Mean => {
                    let f = if g.partial > 0 {
                        &s.score_partial
                    } else {
                        &s.score
                    };
                    sh.opt_num(r, ci, mean, f)?
                }
                Col::Sd => sh.opt_num(r, ci, g.scores.sd(), &s.score)?,
                Col::CiLow => sh.opt_num(r, ci, ci95(g).map(|c| c.0), &s.score)?,
                Col::CiHigh => sh.opt_num(r, ci, ci95(g).map(|c| c.1), &s.score)?,
                Col::Sample if !is_ranked => sh.text(r, ci, l.too_small, &s.warn)?,
                Col::Sample => {}
                Col::Target => sh.opt_num(r, ci, report.score_target(g), &s.score)?,
                Col::TargetMet if is_ranked && report.has_targets(g) => {
                    let missed = report.missed_targets(g);
                    let f = if missed.is_empty() { &s.good } else { &s.bad };
                    // Wrapped, so the column stays narrow on a printed page.
                    let f = f.clone().set_text_wrap();
                    sh.wrapped(r, ci, &report.targets_text(&missed), &f)?
                }
                Col::TargetMet => {}
                Col::Pooled => sh.opt_num(r, ci, g.pooled_score(), &s.score)?,
                Col::Acc(sev) => sh.opt_num(r, ci, acc(g, sev), &s.pct)?,
                Col::AutoFails => sh.int(r, ci, g.auto_fails, &s.int)?,
                Col::Top(k) => {
                    if let Some(t) = report.top_text(g, k) {
                        sh.wrapped(r, ci, &t, &s.wrap)?
                    }
                }
                Col::DScore => sh.opt_num(r, ci, score_delta(g, before), &s.delta)?,
                Col::DAcc(sev) => sh.opt_num(r, ci, acc_delta(g, before, sev), &s.delta_pp)?,
                Col::TopTrend => sh.wrapped(r, ci, &report.top_trend(g, before), &s.wrap)?,
            }
        }
    }
    let data = (first_data, last_row);
    if let Some(t) = report.targets.score {
        // Scorecards with different targets: each row against its own
        // (weighted) target in the Target column.
        let rule = if report.score_targets_differ() {
            TargetRule::Column(pos(Col::Target))
        } else {
            TargetRule::Fixed(t)
        };
        sh.target_rule(data, pos(Col::Mean), &rule, s)?;
        sh.target_rule(data, pos(Col::Pooled), &rule, s)?;
    }
    for sev in Severity::CRITICAL {
        if let Some(t) = report.class_target(sev) {
            sh.target_rule(data, pos(Col::Acc(sev)), &TargetRule::Fixed(t), s)?;
        }
    }
    if report.prev.is_some() {
        sign_rule(sh, data, pos(Col::DScore), report, true)?;
        for sev in Severity::CRITICAL {
            sign_rule(sh, data, pos(Col::DAcc(sev)), report, true)?;
        }
        sh.cap(pos(Col::TopTrend), 70.0);
    }
    // Narrow, wrapped text columns: the page fits one sheet wide in larger
    // print (issue 18 item 9).
    for k in 0..3 {
        sh.cap(pos(Col::Top(k)), 26.0);
    }
    sh.cap(pos(Col::TargetMet), 20.0);
    // Rarely read columns fold into outline groups (the [+] above them), so
    // that a printed page keeps the ones people act on in readable print.
    // The agent's id (the name beside it is what people read) and all his
    // contacts (beside those with a score) fold away too.
    let mut folded = vec![
        (Col::Sd, Col::CiHigh),
        (Col::Pooled, Col::Pooled),
        (Col::Top(1), Col::Top(2)),
        (Col::Contacts, Col::Contacts),
        (Col::Partial, Col::Partial),
    ];
    if kind == Kind::Agent {
        folded.push((Col::AgentId, Col::AgentId));
    }
    for (a, b) in folded {
        sh.ws.group_columns_collapsed(pos(a), pos(b))?;
    }
    sh.ws.set_repeat_rows(row0, row0)?;
    // The notes wrap across the table's width: a single long line ran past
    // the printed page's edge once the columns were narrowed.
    let note = s
        .note
        .clone()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let mut under = |r: RowNum, text: &str| -> Result<(), XlsxError> {
        sh.ws.merge_range(r, 0, r, last_col, text, &note)?;
        sh.ws.set_row_height(r, 30)?;
        Ok(())
    };
    under(last_row + 2, report.w.rank_order)?;
    if groups.iter().any(|g| g.partial > 0) {
        under(last_row + 3, report.w.partial_note)?;
    }
    Ok(Placed {
        below: last_row + 5,
        last_col,
    })
}

/// Colours a change: green for a rise and red for a fall, or the other way
/// round when a rise is bad (more failures).
pub(crate) fn sign_rule(
    sh: &mut Sheet,
    rows: (RowNum, RowNum),
    col: ColNum,
    report: &Report,
    rise_is_good: bool,
) -> Result<(), XlsxError> {
    let (rise, fall) = if rise_is_good {
        (&report.s.cf_good, &report.s.cf_bad)
    } else {
        (&report.s.cf_bad, &report.s.cf_good)
    };
    let cell = format!(
        "{}{}",
        rust_xlsxwriter::utility::column_number_to_name(col),
        rows.0 + 1
    );
    let up = ConditionalFormatFormula::new()
        .set_rule(format!("AND(ISNUMBER({cell}),{cell}>0)").as_str())
        .set_format(rise);
    let down = ConditionalFormatFormula::new()
        .set_rule(format!("AND(ISNUMBER({cell}),{cell}<0)").as_str())
        .set_format(fall);
    sh.ws
        .add_conditional_format(rows.0, col, rows.1, col, &up)?;
    sh.ws
        .add_conditional_format(rows.0, col, rows.1, col, &down)?;
    Ok(())
}
