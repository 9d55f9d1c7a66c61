//! Excel workbooks for the people who act on a run (issue 3):
//!
//! - `summary.xlsx` for the QA department: Overview, Agents, Teams, Criteria
//!   (with a Pareto chart), Classes, Contacts, Findings, Rejected;
//! - `agents/<agent>.xlsx`: written feedback for one agent and their team lead;
//! - `teams/<team>.xlsx`: a team's agents side by side, for the team lead.
//!
//! # Memory
//!
//! Memory is bounded by the aggregates (agents × criteria), never by the
//! number of contacts. Results are read once, streaming, to build the
//! [`Aggregates`] and to set aside each contact's list rows ([`ListRows`]);
//! `cqa check` gathers both as it writes the results (two parts of its
//! sink, [`crate::output::Tee`]), so it reads nothing back. The Contacts and Findings sheets are then written from the rows
//! into constant-memory worksheets; the row counts known from the aggregates
//! size the tables up front, which constant-memory sheets need.
//!
//! Per-agent workbooks need each agent's contacts and findings, which arrive
//! interleaved with everyone else's. Rather than hold them (100,000 contacts
//! are gigabytes of quotes) or re-read all results once per agent (quadratic),
//! the list pass appends each agent's rows to that agent's spool file in a
//! temporary folder inside the output folder ([`spool`]), through a write
//! buffer of fixed total size; each agent workbook then streams its own spool
//! file. Only the aggregates and one agent's handful of example quotes are in
//! memory at any time. The spool is removed when the report is done, also on
//! error.
//!
//! # Safety
//!
//! Every workbook goes through the Excel [`kit`]: no input text is written as
//! a formula (every text cell goes through `kit::Sheet`, i.e. `write_string`);
//! sheet and file names are made safe and unique; cells are cut at Excel's
//! 32,767-unit limit with a visible marker; each workbook is saved under a
//! temporary name in its target folder and renamed into place. A sheet that
//! would pass the row limit continues on "<name> 2" ([`list_sheet`]).

mod agent;
mod channels;
mod charts;
mod criteria;
mod evaluations;
mod glossary;
mod groups;
mod inputs;
pub(crate) mod kit;
mod list_sheet;
mod overview;
mod report;
mod rows;
mod spool;
mod style;
mod summary;
mod team;

pub use inputs::{aggregate_files, load_manifest, LoadedInputs};
/// Safe, unique sheet and file names, for every workbook cqa writes.
pub use kit::{safe_file_stem, UniqueNames};
pub use spool::ListRows;

use crate::output::manifest::Manifest;
use crate::output::results::read::ReadError;
use crate::score::aggregate::{Aggregates, Group};
use crate::words::Lang;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Excel's row limit (header included).
pub const EXCEL_MAX_ROWS: u32 = 1_048_576;

/// How the workbooks are written.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub lang: Lang,
    /// Agents (and teams) with fewer scored contacts are marked "sample too small", not ranked.
    pub min_n: u64,
    /// An earlier period's results files: adds the change since then (trend).
    pub previous: Option<Vec<PathBuf>>,
    /// Rows per sheet, header included, before a list continues on "<name> 2".
    /// Excel's limit unless a test wants to see the continuation with a few rows.
    pub row_limit: u32,
    /// Example quotes per failed criterion on an agent's feedback sheet.
    pub examples: usize,
    /// Remarks shown on the Overview (e.g. results read without their run.json).
    pub notes: Vec<String>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            lang: Lang::Ru,
            min_n: 5,
            previous: None,
            row_limit: EXCEL_MAX_ROWS,
            examples: 3,
            notes: Vec::new(),
        }
    }
}

/// What was written, for the command line to tell the user.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WrittenReport {
    pub summary: PathBuf,
    pub agents: Vec<PathBuf>,
    pub teams: Vec<PathBuf>,
    pub contacts: u64,
    pub findings: u64,
    /// Sheet names of summary.xlsx, in order (continuations included).
    pub summary_sheets: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("{path}: cannot write the workbook: {source}")]
    Xlsx {
        path: PathBuf,
        #[source]
        source: rust_xlsxwriter::XlsxError,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a cqa run.json: {message}")]
    Manifest { path: PathBuf, message: String },
    #[error("{path}: the results changed while the report was written ({expected} rows expected, {found} found); run the report again")]
    Changed {
        path: PathBuf,
        expected: u64,
        found: u64,
    },
    #[error("--row-limit must be at least 2 (a header and one row), got {0}")]
    RowLimit(u32),
    #[error("{path}: cannot write the workbooks: writing stopped: {message}")]
    WriterStopped { path: PathBuf, message: String },
}

impl ReportError {
    pub(crate) fn xlsx(path: &Path) -> impl FnOnce(rust_xlsxwriter::XlsxError) -> ReportError + '_ {
        move |source| ReportError::Xlsx {
            path: path.to_path_buf(),
            source,
        }
    }
    pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ReportError + '_ {
        move |source| ReportError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Removes the workbooks an earlier run wrote into `dir` (summary.xlsx, and
/// the `.xlsx` files of agents/ and teams/, then those folders if empty), so
/// that no agent's workbook from the last run and no summary the new results
/// do not match survives. [`write_workbooks_with`] does this first; `cqa check
/// --force --no-workbooks` calls it alone. Other files stay.
pub fn clear_workbooks(dir: &Path) -> Result<(), ReportError> {
    let gone = |p: &Path| crate::output::remove_if_present(p).map_err(ReportError::io(p));
    gone(&dir.join(report::SUMMARY))?;
    for sub in [report::AGENTS_DIR, report::TEAMS_DIR] {
        let d = dir.join(sub);
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(ReportError::io(&d)(e)),
        };
        for e in entries {
            let p = e.map_err(ReportError::io(&d))?.path();
            if p.extension().is_some_and(|x| x == "xlsx") {
                gone(&p)?;
            }
        }
        // Only when empty: a file of the user's keeps its folder.
        let _ = std::fs::remove_dir(&d);
    }
    Ok(())
}

/// Writes every workbook into `dir` from the results files (read once, streaming).
pub fn write_workbooks(
    dir: &Path,
    manifest: &Manifest,
    results: &[PathBuf],
    opts: &ReportOptions,
) -> Result<WrittenReport, ReportError> {
    std::fs::create_dir_all(dir).map_err(ReportError::io(dir))?;
    let mut rows = ListRows::create(dir).map_err(ReportError::io(dir))?;
    let agg = aggregate_files(results, Some(&mut rows))?.0;
    write_workbooks_with(dir, manifest, results, &agg, rows, opts)
}

/// Like [`write_workbooks`], with the aggregates and list rows of exactly
/// these results already at hand (`cqa check` gathers both as it writes the
/// results): the results files are not read again, only their rejections.
///
/// The Excel writer panics when it cannot write a sheet's temporary file (a
/// full disk): a panic while writing becomes [`ReportError::WriterStopped`]
/// with its message. On any error once writing has begun (which first
/// removes an earlier run's workbooks) the workbooks written so far are
/// removed too, so a failed run leaves no workbook that looks whole.
pub fn write_workbooks_with(
    dir: &Path,
    manifest: &Manifest,
    results: &[PathBuf],
    agg: &Aggregates,
    rows: ListRows,
    opts: &ReportOptions,
) -> Result<WrittenReport, ReportError> {
    if opts.row_limit < 2 {
        return Err(ReportError::RowLimit(opts.row_limit));
    }
    let prev = match &opts.previous {
        Some(files) if !files.is_empty() => Some(aggregate_files(files, None)?.0),
        _ => None,
    };
    let report = report::Report::new(manifest, agg, prev.as_ref(), opts);
    let written = crate::sys::guard::catch_panic(|| write_all(dir, &report, results, agg, rows))
        .unwrap_or_else(|message| {
            Err(ReportError::WriterStopped {
                path: dir.to_path_buf(),
                message,
            })
        });
    if written.is_err() {
        // Best effort: the error is what matters.
        let _ = clear_workbooks(dir);
    }
    written
}

/// Writes the workbooks, from removing an earlier run's on.
fn write_all(
    dir: &Path,
    report: &report::Report<'_>,
    results: &[PathBuf],
    agg: &Aggregates,
    rows: ListRows,
) -> Result<WrittenReport, ReportError> {
    // Workbooks an earlier run left here would outlive agents no longer in the results.
    clear_workbooks(dir)?;
    for sub in [report::AGENTS_DIR, report::TEAMS_DIR] {
        let d = dir.join(sub);
        std::fs::create_dir_all(&d).map_err(ReportError::io(&d))?;
    }
    let mut spool = spool::Spool::create(dir, agg.agents.len())?;
    let (mut out, unsaved) = summary::write(dir, report, results, rows, &mut spool)?;
    spool.finish()?;
    // The workbooks are independent: the summary is compressed while the
    // agent and team workbooks are written on the other threads, each list
    // kept in its (sorted) order.
    let agents: Vec<(usize, (&String, &Group))> = agg.agents.iter().enumerate().collect();
    let teams: Vec<(&String, &Group)> = agg.teams.iter().collect();
    // Each task is marked as the guard's work (`write_workbooks_with`), so
    // that a writer's panic on a pool thread is reported once, as an error.
    use crate::sys::guard::marked;
    let (saved, (agent_files, team_files)) = rayon::join(
        || marked(|| unsaved.save()),
        || {
            rayon::join(
                || {
                    agents
                        .par_iter()
                        .map(|&(i, (key, g))| {
                            marked(|| agent::write(dir, report, key, g, spool.reader(i)?))
                        })
                        .collect::<Result<Vec<_>, _>>()
                },
                || {
                    teams
                        .par_iter()
                        .map(|&(key, g)| marked(|| team::write(dir, report, key, g)))
                        .collect::<Result<Vec<_>, _>>()
                },
            )
        },
    );
    saved?;
    out.agents = agent_files?;
    out.teams = team_files?;
    drop(spool);
    Ok(out)
}
