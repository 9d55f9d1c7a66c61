//! The use case of `cqa check`, in its three steps: [`check`] scores every
//! contact into the run folder's spool and gathers run.json
//! ([`RunRecord`]); [`Checked::write_workbooks`] writes the Excel
//! workbooks from what was gathered; [`Checked::commit`] moves everything
//! into place, run.json last. The command line prints between the steps.
//!
//! What the run does not know (the controllers' answers of `qa::evaluation`)
//! comes in as a [`Layer`] in front of the results file.

use super::record::{JudgeUse, RegistryUse, RosterUse, RunRecord};
use super::{run_check, CheckConfig, ScorecardSet};
use crate::output::manifest::{Manifest, ScorecardInfo, SkippedInfo};
use crate::output::results::write::ResultsWriter;
use crate::output::results::{DISAGREEMENTS, EVALUATION_ERRORS, REJECTED, RESULTS};
use crate::output::run_dir::RunDir;
use crate::output::xlsx::{ListRows, ReportError, ReportOptions, WrittenReport};
use crate::output::Sink;
use crate::output::Tee;
use crate::score::aggregate::Aggregates;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What one `cqa check` is asked to do, beyond the batch itself ([`CheckConfig`]).
pub struct Job<'a> {
    pub set: &'a ScorecardSet,
    /// The scorecards as run.json describes them (hashes, criteria).
    pub scorecards: Vec<ScorecardInfo>,
    pub cfg: CheckConfig,
    /// The `--mapping` file as given (run.json names it).
    pub mapping: Option<PathBuf>,
    /// When the command started: run.json's `started_at` and `seconds`.
    pub started: chrono::DateTime<chrono::Local>,
    pub clock: Instant,
    /// Set aside list rows for the workbooks (`--no-workbooks`: false).
    pub workbooks: bool,
    /// Called after each batch with the number of contacts handled (a progress bar).
    pub progress: Option<Box<dyn FnMut(crate::output::Progress) + Send>>,
}

/// A step in front of the results file that the caller supplies: it sees
/// each result before it is written and may change it (the controllers'
/// answers, `cqa check --evaluations`), then writes its own files.
pub trait Layer: Send {
    /// The sink the run writes into: this step in front of `inner`.
    fn wrap<'a>(&'a mut self, inner: &'a mut dyn Sink) -> Box<dyn Sink + 'a>;
    /// After the last result: writes this step's files into `spool`
    /// (disagreements.jsonl, evaluation_errors.jsonl). `whole_run` is false
    /// for one `--shard` of a run, which sees only part of the contacts.
    fn finish(&mut self, spool: &Path, whole_run: bool) -> io::Result<()>;
}

/// Why a run stopped before its run.json was written (nothing of it is kept
/// on a signal; on a write error the spool stays for `--force` to clear).
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// An output that could not be written; `context` says which.
    #[error("{context}")]
    Write {
        context: String,
        #[source]
        source: io::Error,
    },
    /// An output error that names its file itself.
    #[error(transparent)]
    Io(#[from] io::Error),
    #[error(transparent)]
    Workbooks(#[from] ReportError),
    /// Ctrl-C or SIGTERM: the run folder's spool was abandoned.
    #[error("stopped by signal {signal}")]
    Stopped { signal: i32, dir: PathBuf },
}

fn write_error(context: String) -> impl FnOnce(io::Error) -> JobError {
    move |source| JobError::Write { context, source }
}

/// After Ctrl-C or SIGTERM (`crate::sys::interrupt`) the run is abandoned:
/// nothing half-written stays in its folder.
fn stop_if_signalled(run: RunDir) -> Result<RunDir, JobError> {
    match crate::sys::interrupt::received() {
        None => Ok(run),
        Some(signal) => {
            let dir = run.dir().to_path_buf();
            run.abandon();
            Err(JobError::Stopped { signal, dir })
        }
    }
}

/// A check whose results are written into the spool, with its run.json
/// gathered, waiting for its workbooks and its commit.
pub struct Checked {
    run: RunDir,
    pub record: RunRecord,
    pub aggregates: Aggregates,
    /// The list rows for the workbooks; `None` with `--no-workbooks` or when
    /// nothing was scored (empty workbooks would look like a result).
    rows: Option<ListRows>,
}

/// Scores every contact of `job` on `pool` into `run`'s spool, with `layer`
/// (if any) in front of the results file; moves rejected.jsonl and the
/// layer's lists into place and gathers run.json.
pub fn check(
    job: Job<'_>,
    pool: &rayon::ThreadPool,
    run: RunDir,
    layer: Option<&mut dyn Layer>,
) -> Result<Checked, JobError> {
    let Job {
        set,
        scorecards,
        cfg,
        mapping,
        started,
        clock,
        workbooks,
        progress,
    } = job;
    let dir = run.dir().to_path_buf();
    let cannot_write = || format!("cannot write into {}", dir.display());
    let mut sink = Tee::new(
        ResultsWriter::create(run.spool())
            .map_err(write_error(cannot_write()))?
            .with_lang(cfg.opts.lang),
    );
    if workbooks {
        let rows = ListRows::create(run.spool()).map_err(write_error(cannot_write()))?;
        sink = sink.with_list_rows(rows);
    }
    if let Some(f) = progress {
        sink = sink.with_progress(f);
    }
    let mut layer = layer;
    let counts = pool.install(|| match layer.as_deref_mut() {
        Some(layer) => run_check(set, &cfg, &mut *layer.wrap(&mut sink)),
        None => run_check(set, &cfg, &mut sink),
    });
    let mut run = stop_if_signalled(run)?;
    let counts = counts.map_err(write_error(format!(
        "cannot write results into {}",
        dir.display()
    )))?;
    let finished = sink.finish()?;
    if let Some(layer) = layer {
        layer
            .finish(run.spool(), cfg.shard.is_none())
            .map_err(write_error(format!(
                "cannot write evaluation reports into {}",
                dir.display()
            )))?;
    }
    let manifest = Manifest {
        cqa_version: env!("CARGO_PKG_VERSION").into(),
        started_at: started.to_rfc3339(),
        finished_at: chrono::Local::now().to_rfc3339(),
        inputs: cfg.inputs.iter().map(|p| p.display().to_string()).collect(),
        discovered: counts.discovered,
        processed: counts.processed,
        rejected: counts.rejected,
        // A shard reads only its own files and byte ranges, so it never
        // counts contacts left to the others (older shards' run.json may).
        other_shards: 0,
        shard: cfg.shard.map(|s| format!("{}/{}", s.index + 1, s.count)),
        skipped: counts
            .skipped
            .iter()
            .map(|s| SkippedInfo {
                path: s.path.display().to_string(),
                reason: s.reason.clone(),
                documentation: s.documentation,
            })
            .collect(),
        masked: cfg.opts.mask,
        lang: cfg.opts.lang,
        scorecards,
        bytes_read: counts.bytes,
        seconds: clock.elapsed().as_secs_f64(),
    };
    // The registry's and roster's own duplicate keys come first.
    let mut conflicts: Vec<_> = cfg
        .join
        .registry
        .iter()
        .chain(&cfg.join.roster)
        .flat_map(|t| t.duplicates.clone())
        .collect();
    let conflicts_total = counts.conflicts_total + conflicts.len() as u64;
    conflicts.extend(counts.conflicts.iter().cloned());
    let mut scored_by_card: Vec<(String, u64)> = Vec::new();
    for c in &set.cards {
        if !scored_by_card.iter().any(|(id, _)| *id == c.card.id) {
            let n = counts.by_card.get(&c.card.id).copied().unwrap_or(0);
            scored_by_card.push((c.card.id.clone(), n));
        }
    }
    let record = RunRecord {
        manifest,
        detail: cfg.detail,
        line_ranges: counts.line_ranges.clone(),
        process_read_bytes: read_chars(),
        mapping: mapping.map(|p| p.display().to_string()),
        registry: RegistryUse::of(&cfg.join, &counts),
        roster: RosterUse::of(&cfg.join),
        load_warnings_total: counts.warnings_total,
        load_warnings: counts.warnings,
        scored_by_card,
        judge: JudgeUse::of(set, cfg.judge.as_deref()),
        conflicts_total,
        conflicts,
    };
    // The rejections and the controllers' lists (disagreements, evaluation
    // errors) go into place now: the workbooks read them beside the results,
    // which they name by their final place. results.jsonl itself stays in
    // the spool until run.json can follow it.
    for name in [REJECTED, DISAGREEMENTS, EVALUATION_ERRORS] {
        run.publish(Path::new(name)).map_err(write_error(format!(
            "cannot move {name} into {}",
            dir.display()
        )))?;
    }
    let rows = finished.rows.filter(|_| record.manifest.processed > 0);
    Ok(Checked {
        run,
        record,
        aggregates: finished.aggregates,
        rows,
    })
}

impl Checked {
    /// The run folder.
    pub fn dir(&self) -> &Path {
        self.run.dir()
    }

    /// Whether [`Self::write_workbooks`] will write any.
    pub fn has_workbooks(&self) -> bool {
        self.rows.is_some()
    }

    /// Writes the workbooks into the spool on `pool` (none with
    /// `--no-workbooks` or when nothing was scored); the summary's path is
    /// the one it will have once in place.
    pub fn write_workbooks(
        mut self,
        pool: &rayon::ThreadPool,
        opts: &ReportOptions,
    ) -> Result<(Checked, Option<WrittenReport>), JobError> {
        let Some(rows) = self.rows.take() else {
            return Ok((self, None));
        };
        let results = [self.run.dir().join(RESULTS)];
        let written = pool.install(|| {
            crate::output::xlsx::write_workbooks_with(
                self.run.spool(),
                &self.record.manifest,
                &results,
                &self.aggregates,
                rows,
                opts,
            )
        });
        self.run = stop_if_signalled(self.run)?;
        let mut written = written?;
        written.summary = self.run.final_path(&written.summary);
        Ok((self, Some(written)))
    }

    /// Moves every file into place and writes run.json last.
    pub fn commit(self) -> Result<RunRecord, JobError> {
        let context = || {
            format!(
                "cannot write {}",
                self.run
                    .dir()
                    .join(crate::output::manifest::MANIFEST)
                    .display()
            )
        };
        let doc = serde_json::to_value(&self.record).map_err(io::Error::other)?;
        let context = context();
        self.run.commit(doc).map_err(write_error(context))?;
        Ok(self.record)
    }
}

/// `rchar` of /proc/self/io: bytes read so far by this process (None off Linux).
fn read_chars() -> Option<u64> {
    let io = std::fs::read_to_string("/proc/self/io").ok()?;
    io.lines()
        .find_map(|l| l.strip_prefix("rchar:"))
        .and_then(|n| n.trim().parse().ok())
}
