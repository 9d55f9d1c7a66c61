//! summary.xlsx: the streaming pass over the run's list rows (Contacts,
//! Findings, and the per-agent spool), the Rejected list, and the small sheets built
//! from the aggregates (Overview, Agents, Teams, Criteria, Classes).

use super::charts::score_chart;
use super::criteria::{classes_sheet, criteria_sheet};
use super::groups::{sorted, write_table, Kind};
use super::inputs::{count_rejections, rejected_files, Distinct};
use super::kit::{Sheet, UniqueNames};
use super::list_sheet::{ListSheet, ListSpec};
use super::overview::{overview_sheet, OverviewFacts};
use super::report::{new_workbook, save};
use super::report::{Report, AGENTS_DIR, SUMMARY, TEAMS_DIR};
use super::rows::Layout;
use super::spool::{ListRows, Rec, Spool};
use super::{ReportError, WrittenReport};
use crate::output::results::read::ReadError;
use crate::results::Rejection;
use rust_xlsxwriter::{ColNum, Workbook, Worksheet};
use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

pub(crate) fn write(
    dir: &Path,
    report: &Report,
    results: &[PathBuf],
    rows: ListRows,
    spool: &mut Spool,
) -> Result<(WrittenReport, Unsaved), ReportError> {
    let l = report.l;
    let path = dir.join(SUMMARY);
    let x = |e| ReportError::xlsx(&path)(e);
    let mut wb = new_workbook(dir, l.t_summary)?;
    let mut names = UniqueNames::sheets();
    for n in [
        l.sh_overview,
        l.sh_agents,
        l.sh_teams,
        l.sh_criteria,
        l.sh_classes,
        report.w.sh_disagreements,
        report.w.sh_eval_errors,
        report.w.sh_channels,
        report.w.sh_trends,
        report.w.sh_glossary,
    ] {
        names.reserve(n);
    }
    let layout = Layout::new(false);
    let agg = report.agg;
    let findings_total: u64 = agg.criteria().iter().map(|c| c.fail).sum();
    let mut contacts = ListSheet::new(
        layout.contacts_spec(report, agg.overall.contacts),
        &path,
        l,
        &report.s,
    );
    let mut findings = ListSheet::new(
        layout.findings_spec(report, findings_total),
        &path,
        l,
        &report.s,
    );
    let index: HashMap<&str, usize> = agg
        .agents
        .keys()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();

    // Findings come before their contact, so the contact row can link to
    // its first finding; each line goes on to its agent's spool unchanged.
    let mut first: Option<(String, u32)> = None;
    let mut rows = rows.read()?;
    while let Some(rec) = rows.next_line() {
        let (rec, line) = rec?;
        let agent_id = match &rec {
            Rec::F(f) => &f.agent_id,
            Rec::C(c) => &c.agent_id,
        };
        // Rows and aggregates come from one pass over the same results, so
        // this holds unless a caller hands over rows of other results.
        let Some(&agent) = index.get(agent_id.as_str()) else {
            return Err(ReportError::Io {
                path: path.clone(),
                source: std::io::Error::other(format!(
                    "the list rows name agent `{agent_id}`, whom the aggregates do not hold: \
                     rows and aggregates must come from the same results"
                )),
            });
        };
        match &rec {
            Rec::F(f) => {
                let (sh, row) = findings.next(&mut wb, &mut names)?;
                layout.write_finding(sh, row, f, report).map_err(x)?;
                if first.is_none() {
                    first = Some((sh.name.clone(), row));
                }
            }
            Rec::C(c) => {
                let (sh, row) = contacts.next(&mut wb, &mut names)?;
                let link = first.take();
                let link = link.as_ref().map(|(n, r)| (n.as_str(), *r));
                layout.write_contact(sh, row, c, link, report).map_err(x)?;
            }
        }
        spool.push_line(agent, &line)?;
    }
    let contact_parts = contacts.finish(&mut wb, &mut names)?;
    let finding_parts = findings.finish(&mut wb, &mut names)?;
    let rejected_parts = rejected(&mut wb, &mut names, report, results, &path)?;
    let controllers = super::evaluations::sheets(report, results, &path)?;

    let mut agents = Sheet::new(Worksheet::new(), l.sh_agents, l).map_err(x)?;
    let list = sorted(report, agg.agents.values());
    let placed = write_table(
        &mut agents,
        report,
        0,
        Kind::Agent,
        &list,
        Some(&format!("{AGENTS_DIR}/")),
    )
    .map_err(x)?;
    agents.ws.set_freeze_panes(1, 2).map_err(x)?;
    let at = (placed.below, 1);
    let block = score_chart(&mut agents, report, &list, at, l.t_agents_chart, false).map_err(x)?;
    print_group_sheet(&mut agents, &placed, block).map_err(x)?;

    let mut teams = Sheet::new(Worksheet::new(), l.sh_teams, l).map_err(x)?;
    let list = sorted(report, agg.teams.values());
    let placed = write_table(
        &mut teams,
        report,
        0,
        Kind::Team,
        &list,
        Some(&format!("{TEAMS_DIR}/")),
    )
    .map_err(x)?;
    teams.ws.set_freeze_panes(1, 2).map_err(x)?;
    let at = (placed.below, 1);
    let block = score_chart(&mut teams, report, &list, at, l.t_teams_chart, true).map_err(x)?;
    print_group_sheet(&mut teams, &placed, block).map_err(x)?;

    let mut criteria = Sheet::new(Worksheet::new(), l.sh_criteria, l).map_err(x)?;
    criteria_sheet(&mut criteria, report).map_err(x)?;
    let mut classes = Sheet::new(Worksheet::new(), l.sh_classes, l).map_err(x)?;
    classes_sheet(&mut classes, report).map_err(x)?;
    let mut channels = Sheet::new(Worksheet::new(), report.w.sh_channels, l).map_err(x)?;
    super::channels::channels_sheet(&mut channels, report).map_err(x)?;
    let mut trends = Sheet::new(Worksheet::new(), report.w.sh_trends, l).map_err(x)?;
    super::channels::trends_sheet(&mut trends, report).map_err(x)?;
    let mut glossary = Sheet::new(Worksheet::new(), report.w.sh_glossary, l).map_err(x)?;
    super::glossary::glossary_sheet(&mut glossary, report).map_err(x)?;

    let mut guide: Vec<(String, &'static str)> = vec![
        (agents.name.clone(), l.g_agents),
        (teams.name.clone(), l.g_teams),
        (criteria.name.clone(), l.g_criteria),
        (classes.name.clone(), l.g_classes),
    ];
    for (parts, what) in [
        (&contact_parts, l.g_contacts),
        (&finding_parts, l.g_findings),
        (&rejected_parts, l.g_rejected),
    ] {
        guide.extend(parts.iter().map(|p| (p.name.clone(), what)));
    }
    guide.push((channels.name.clone(), report.w.g_channels));
    guide.push((trends.name.clone(), report.w.g_trends));
    guide.push((glossary.name.clone(), report.w.g_glossary));
    for sh in &controllers {
        let what = if sh.name == report.w.sh_disagreements {
            report.w.g_disagreements
        } else {
            report.w.g_eval_errors
        };
        guide.push((sh.name.clone(), what));
    }
    let mut overview = Sheet::new(Worksheet::new(), l.sh_overview, l).map_err(x)?;
    let facts = OverviewFacts {
        results,
        findings: findings_total,
        sheets: guide,
    };
    overview_sheet(&mut overview, report, &facts).map_err(x)?;

    let mut out = WrittenReport {
        summary: path.clone(),
        contacts: agg.overall.contacts,
        findings: findings_total,
        ..Default::default()
    };
    // The views added later go after the lists, so that the first sheets
    // keep their places (tools address them by position too).
    let all = [overview, agents, teams, criteria, classes]
        .into_iter()
        .chain(contact_parts)
        .chain(finding_parts)
        .chain(rejected_parts)
        .chain([channels, trends, glossary])
        .chain(controllers);
    for sh in all {
        out.summary_sheets.push(sh.name.clone());
        wb.push_worksheet(sh.into_worksheet().map_err(x)?);
    }
    Ok((out, Unsaved { wb, path }))
}

/// Prints an Agents or Teams sheet: the table with its header on every
/// page, then the chart and its data on a page of their own.
pub(crate) fn print_group_sheet(
    sh: &mut Sheet,
    placed: &super::groups::Placed,
    chart: Option<super::charts::Block>,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    match chart {
        Some(b) => sh.print_setup((b.next, placed.last_col.max(4)), Some(0), &[b.page]),
        None => sh.print_setup((placed.below, placed.last_col), Some(0), &[]),
    }
}

/// The filled summary workbook, saved (compressed) while the agent
/// workbooks are written: the save is the largest single step of the report.
pub(crate) struct Unsaved {
    wb: Workbook,
    path: PathBuf,
}

impl Unsaved {
    pub fn save(mut self) -> Result<(), ReportError> {
        save(&mut self.wb, &self.path)
    }
}

/// The Rejected list, streamed from the `rejected.jsonl` beside the results.
fn rejected(
    wb: &mut Workbook,
    names: &mut UniqueNames,
    report: &Report,
    results: &[PathBuf],
    path: &Path,
) -> Result<Vec<Sheet>, ReportError> {
    let l = report.l;
    let files = rejected_files(results);
    let expected = count_rejections(&files)?.1;
    let mut seen = Distinct::new();
    let spec = ListSpec {
        base: l.sh_rejected.into(),
        headers: vec![l.c_source.into(), l.c_line.into(), l.c_reason.into()],
        caps: vec![(0, 60.0), (2 as ColNum, 90.0)],
        expected,
        row_limit: report.opts.row_limit,
        target: None,
        body: Vec::new(),
        notes: Vec::new(),
    };
    let mut stream = ListSheet::new(spec, path, l, &report.s);
    let s = &report.s;
    for f in &files {
        let file = std::fs::File::open(f).map_err(ReportError::io(f))?;
        for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(ReportError::io(f))?;
            if line.trim().is_empty() || !seen.first(&line) {
                continue;
            }
            let rej: Rejection = serde_json::from_str(&line).map_err(|e| {
                ReportError::Read(ReadError::Parse {
                    path: f.clone(),
                    line: i as u64 + 1,
                    message: e.to_string(),
                })
            })?;
            let (sh, row) = stream.next(wb, names)?;
            (|| {
                sh.text(row, 0, &rej.source, &s.text)?;
                if let Some(n) = rej.line {
                    sh.int(row, 1, n, &s.int)?;
                }
                sh.text(row, 2, &rej.reason, &s.text)
            })()
            .map_err(ReportError::xlsx(path))?;
        }
    }
    stream.finish(wb, names)
}
