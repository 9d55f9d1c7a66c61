//! One contact and its findings as list rows: the Contacts and Findings
//! sheets of summary.xlsx and of each agent workbook. The row types are also
//! what the per-agent spool stores, so they carry only what the sheets show.

use super::kit::{excel_date, sheet_ref, Sheet};
use super::list_sheet::{ListSpec, PickFormat};
use super::report::Report;
use super::style::{card_label, TargetRule};
use crate::input::scorecard::Severity;
use crate::results::{ContactResult, Status};
use rust_xlsxwriter::{ColNum, RowNum, XlsxError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ContactRow {
    pub id: String,
    pub started_at: Option<String>,
    pub agent: String,
    pub agent_id: String,
    pub team: Option<String>,
    pub channel: Option<String>,
    pub scorecard: String,
    pub version: String,
    pub score: Option<f64>,
    pub partial: bool,
    /// Criteria awaiting a controller's answer (ids of the contact's card):
    /// manual ones and those left to a person for review (a judge rule
    /// without a model), the criteria a partial score leaves out.
    #[serde(default)]
    pub pending: Vec<String>,
    pub auto_failed: bool,
    pub errors: [u32; 4],
    pub findings: u32,
    pub source: String,
    pub line: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct FindingRow {
    pub contact_id: String,
    pub agent: String,
    pub agent_id: String,
    pub team: Option<String>,
    pub scorecard: String,
    pub section: String,
    pub criterion: String,
    pub severity: Severity,
    pub auto_fail: bool,
    pub reason: String,
    pub quote: String,
    /// Index into the contact's turns (shown 1-based, as the reasons count them).
    pub turn: Option<usize>,
    pub start: Option<f64>,
}

/// Splits a result into its contact row and one row per failed criterion.
pub(crate) fn split(r: &ContactResult) -> (ContactRow, Vec<FindingRow>) {
    let agent = r.agent_label().to_string();
    let mut findings = Vec::new();
    for c in r.criteria.iter().filter(|c| c.status == Status::Fail) {
        let mut quotes: Vec<&str> = Vec::new();
        for e in &c.evidence {
            if !e.quote.is_empty() && !quotes.contains(&e.quote.as_str()) {
                quotes.push(&e.quote);
            }
        }
        let first = c.evidence.first();
        findings.push(FindingRow {
            contact_id: r.contact_id.clone(),
            agent: agent.clone(),
            agent_id: r.agent_id.clone(),
            team: r.team.clone(),
            scorecard: r.scorecard_id.clone(),
            section: c.section.to_string(),
            criterion: c.id.to_string(),
            severity: c.severity,
            auto_fail: c.auto_fail,
            reason: c.reason.clone(),
            quote: quotes.join(" … "),
            turn: first.map(|e| e.turn),
            start: first.and_then(|e| e.start),
        });
    }
    let e = r.errors;
    let row = ContactRow {
        id: r.contact_id.clone(),
        started_at: r.started_at.clone(),
        agent,
        agent_id: r.agent_id.clone(),
        team: r.team.clone(),
        channel: r.channel.clone(),
        scorecard: r.scorecard_id.clone(),
        version: r.scorecard_version.clone(),
        score: r.score,
        partial: r.partial,
        pending: r
            .criteria
            .iter()
            .filter(|c| c.status.awaits_person())
            .map(|c| c.id.to_string())
            .collect(),
        auto_failed: r.auto_failed,
        errors: [
            e.customer_critical,
            e.business_critical,
            e.compliance_critical,
            e.non_critical,
        ],
        findings: findings.len() as u32,
        source: r.source.clone(),
        line: r.line,
    };
    (row, findings)
}

#[derive(Clone, Copy, PartialEq)]
enum CCol {
    Id,
    Date,
    Agent,
    AgentId,
    Team,
    Channel,
    Scorecard,
    Score,
    Partial,
    AutoFail,
    Err(Severity),
    Findings,
    Source,
}

#[derive(Clone, Copy, PartialEq)]
enum FCol {
    Contact,
    Agent,
    AgentId,
    Team,
    Scorecard,
    Section,
    CriterionId,
    Criterion,
    Severity,
    AutoFail,
    Reason,
    Quote,
    Turn,
    Time,
}

/// Column layouts. An agent's own workbook leaves out the agent and team columns.
pub(crate) struct Layout {
    contact: Vec<CCol>,
    finding: Vec<FCol>,
}

/// What a Contacts sheet's scores are coloured against: the run's target,
/// or, when its scorecards set different ones, each contact's own card's.
fn contact_target(report: &Report, card_col: Option<ColNum>) -> Option<TargetRule> {
    let t = report.targets.score?;
    if !report.score_targets_differ() {
        return Some(TargetRule::Fixed(t));
    }
    let targets = report
        .card_targets()
        .iter()
        .map(|&(id, version, t)| (card_label(id, version), t))
        .collect();
    Some(TargetRule::ByCard {
        col: card_col?,
        targets,
    })
}

impl Layout {
    pub fn new(for_agent: bool) -> Self {
        let mut contact = vec![CCol::Id, CCol::Date];
        if !for_agent {
            contact.extend([CCol::Agent, CCol::AgentId, CCol::Team]);
        }
        contact.extend([
            CCol::Channel,
            CCol::Scorecard,
            CCol::Score,
            CCol::Partial,
            CCol::AutoFail,
        ]);
        contact.extend(Severity::ALL.map(CCol::Err));
        contact.extend([CCol::Findings, CCol::Source]);
        let mut finding = vec![FCol::Contact];
        if !for_agent {
            finding.extend([FCol::Agent, FCol::AgentId, FCol::Team]);
        }
        finding.extend([
            FCol::Scorecard,
            FCol::Section,
            FCol::CriterionId,
            FCol::Criterion,
            FCol::Severity,
            FCol::AutoFail,
            FCol::Reason,
            FCol::Quote,
            FCol::Turn,
            FCol::Time,
        ]);
        Layout { contact, finding }
    }

    pub fn contacts_spec(&self, report: &Report, expected: u64) -> ListSpec {
        let l = report.l;
        let headers: Vec<String> = self
            .contact
            .iter()
            .map(|c| match c {
                CCol::Id => l.c_contact.to_string(),
                CCol::Date => l.c_date.into(),
                CCol::Agent => l.c_agent.into(),
                CCol::AgentId => l.c_agent_id.into(),
                CCol::Team => l.c_team.into(),
                CCol::Channel => l.c_channel.into(),
                CCol::Scorecard => l.c_scorecard.into(),
                CCol::Score => l.c_score.into(),
                CCol::Partial => l.c_partial.into(),
                CCol::AutoFail => l.c_auto_fail.into(),
                CCol::Err(s) => format!("{}: {}", l.c_errors, l.class_short(*s)),
                CCol::Findings => l.c_findings.into(),
                CCol::Source => l.c_source.into(),
            })
            .collect();
        let pos = |c: CCol| {
            self.contact
                .iter()
                .position(|x| *x == c)
                .map(|p| p as ColNum)
        };
        let notes = super::glossary::notes_of(report, &headers);
        ListSpec {
            notes,
            base: l.sh_contacts.into(),
            headers,
            caps: pos(CCol::Source)
                .map(|p| vec![(p, 60.0)])
                .unwrap_or_default(),
            expected,
            row_limit: report.opts.row_limit,
            target: pos(CCol::Score).zip(contact_target(report, pos(CCol::Scorecard))),
            body: self
                .contact
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    let pick: PickFormat = match c {
                        CCol::Date => |s| &s.date,
                        CCol::Score => |s| &s.score,
                        CCol::Partial | CCol::AutoFail => |s| &s.flag,
                        CCol::Err(_) => |s| &s.int,
                        CCol::Findings => return None,
                        _ => |s| &s.text,
                    };
                    Some((i as ColNum, pick))
                })
                .collect(),
        }
    }

    pub fn findings_spec(&self, report: &Report, expected: u64) -> ListSpec {
        let l = report.l;
        let headers: Vec<String> = self
            .finding
            .iter()
            .map(|c| match c {
                FCol::Contact => l.c_contact,
                FCol::Agent => l.c_agent,
                FCol::AgentId => l.c_agent_id,
                FCol::Team => l.c_team,
                FCol::Scorecard => l.c_scorecard,
                FCol::Section => l.c_section,
                FCol::CriterionId => l.c_criterion_id,
                FCol::Criterion => l.c_criterion,
                FCol::Severity => l.c_severity,
                FCol::AutoFail => l.c_auto_fail,
                FCol::Reason => l.c_reason,
                FCol::Quote => l.c_quote,
                FCol::Turn => l.c_turn,
                FCol::Time => l.c_time,
            })
            .map(String::from)
            .collect();
        let mut caps = Vec::new();
        for (i, c) in self.finding.iter().enumerate() {
            let cap = match c {
                FCol::Reason | FCol::Quote => 80.0,
                FCol::Criterion => 50.0,
                FCol::Section => 25.0,
                _ => continue,
            };
            caps.push((i as ColNum, cap));
        }
        let notes = super::glossary::notes_of(report, &headers);
        ListSpec {
            notes,
            base: l.sh_findings.into(),
            headers,
            caps,
            expected,
            row_limit: report.opts.row_limit,
            target: None,
            body: self
                .finding
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let pick: PickFormat = match c {
                        FCol::Criterion | FCol::Reason | FCol::Quote => |s| &s.wrap,
                        FCol::AutoFail => |s| &s.flag,
                        FCol::Turn => |s| &s.int,
                        FCol::Time => |s| &s.time,
                        _ => |s| &s.text,
                    };
                    (i as ColNum, pick)
                })
                .collect(),
        }
    }

    /// Writes a contact row; `first_finding` is where its first finding landed.
    pub fn write_contact(
        &self,
        sh: &mut Sheet,
        r: RowNum,
        row: &ContactRow,
        first_finding: Option<(&str, RowNum)>,
        report: &Report,
    ) -> Result<(), XlsxError> {
        let (l, s) = (report.l, &report.s);
        for (i, c) in self.contact.iter().enumerate() {
            let col = i as ColNum;
            match *c {
                CCol::Id => sh.text(r, col, &row.id, &s.text)?,
                CCol::Date => {
                    if let Some(d) = row.started_at.as_deref() {
                        match excel_date(d) {
                            Some(serial) => {
                                sh.num(r, col, serial, &s.date)?;
                                // "yyyy-mm-dd hh:mm" is wider than a plain number.
                                sh.header_width(col, "2026-11-02_10:15");
                            }
                            None => sh.text(r, col, d, &s.text)?,
                        }
                    }
                }
                CCol::Agent => sh.text(r, col, &row.agent, &s.text)?,
                CCol::AgentId => sh.text(r, col, &row.agent_id, &s.text)?,
                CCol::Team => sh.opt_text(r, col, row.team.as_deref(), &s.text)?,
                CCol::Channel => sh.opt_text(r, col, row.channel.as_deref(), &s.text)?,
                CCol::Scorecard => {
                    sh.text(r, col, &card_label(&row.scorecard, &row.version), &s.text)?
                }
                CCol::Score => {
                    let f = if row.partial {
                        &s.score_partial
                    } else {
                        &s.score
                    };
                    sh.opt_num(r, col, row.score, f)?
                }
                CCol::Partial => sh.text(r, col, l.yes_no(row.partial), &s.flag)?,
                CCol::AutoFail => sh.text(
                    r,
                    col,
                    l.yes_no(row.auto_failed),
                    if row.auto_failed {
                        &s.flag_bad
                    } else {
                        &s.flag
                    },
                )?,
                CCol::Err(sev) => {
                    let n = row.errors[sev.index()];
                    let f = if n > 0 && sev != Severity::NonCritical {
                        &s.bad_int
                    } else {
                        &s.int
                    };
                    sh.int(r, col, u64::from(n), f)?
                }
                CCol::Findings => match first_finding {
                    Some((sheet, at)) => {
                        let shown = format!("{} →", row.findings);
                        sh.link_formula(
                            r,
                            col,
                            &format!("#{}", sheet_ref(sheet, at, 0)),
                            &shown,
                            &s.link_center,
                        )?
                    }
                    None => sh.int(r, col, u64::from(row.findings), &s.int_center)?,
                },
                CCol::Source => {
                    let src = match row.line {
                        Some(n) => format!("{}:{n}", row.source),
                        None => row.source.clone(),
                    };
                    sh.text(r, col, &src, &s.text)?
                }
            }
        }
        Ok(())
    }

    pub fn write_finding(
        &self,
        sh: &mut Sheet,
        r: RowNum,
        f: &FindingRow,
        report: &Report,
    ) -> Result<(), XlsxError> {
        let (l, s) = (report.l, &report.s);
        let info = report.criterion(Some(&f.scorecard), &f.criterion);
        for (i, c) in self.finding.iter().enumerate() {
            let col = i as ColNum;
            match *c {
                FCol::Contact => sh.text(r, col, &f.contact_id, &s.text)?,
                FCol::Agent => sh.text(r, col, &f.agent, &s.text)?,
                FCol::AgentId => sh.text(r, col, &f.agent_id, &s.text)?,
                FCol::Team => sh.opt_text(r, col, f.team.as_deref(), &s.text)?,
                FCol::Scorecard => sh.text(r, col, &f.scorecard, &s.text)?,
                FCol::Section => sh.text(
                    r,
                    col,
                    info.map_or(&f.section, |c| &c.section_title),
                    &s.text,
                )?,
                FCol::CriterionId => sh.text(r, col, &f.criterion, &s.text)?,
                FCol::Criterion => {
                    sh.wrapped(r, col, info.map_or(&f.criterion, |c| &c.title), &s.wrap)?
                }
                FCol::Severity => {
                    let fmt = if f.severity == Severity::NonCritical {
                        &s.text
                    } else {
                        &s.bad
                    };
                    sh.text(r, col, f.severity.label(l.lang), fmt)?
                }
                FCol::AutoFail => sh.text(r, col, l.yes_no(f.auto_fail), &s.flag)?,
                FCol::Reason => sh.wrapped(r, col, &f.reason, &s.wrap)?,
                FCol::Quote => sh.wrapped(r, col, &f.quote, &s.wrap)?,
                FCol::Turn => {
                    if let Some(t) = f.turn {
                        sh.int(r, col, t as u64 + 1, &s.int)?
                    }
                }
                FCol::Time => sh.opt_num(r, col, f.start.map(|t| t / 86_400.0), &s.time)?,
            }
        }
        Ok(())
    }
}
