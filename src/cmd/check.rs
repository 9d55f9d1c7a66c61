//! `cqa check`

use super::Failure;
use anyhow::{anyhow, Context};
use cqa::check::judge::Judge;
use cqa::check::{EvalOptions, ScorecardSet};
use cqa::input::contact::{Join, Mapping};
use cqa::output::manifest::Manifest;
use cqa::output::results::Detail;
use cqa::output::run_dir::RunDir;
use cqa::output::Sink;
use cqa::qa::evaluation::{read_evaluations, Applier, ApplySummary};
use cqa::results::{ContactResult, Rejection};
use cqa::run::job::{Job, JobError, Layer};
use cqa::run::summary::{nothing_scored, summary, SummaryOptions};
use cqa::run::{CheckConfig, Limits, Shard};
use cqa::sys::exit::Exit;
use cqa::text::terminal::{escape as esc, escape_keeping_lines as esc_lines};
use cqa::words::cli::cli;
use cqa::words::Lang;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Score contacts against scorecards. With no arguments: every contact in
/// `samples/` against the scorecards in `scorecards/`, into a new
/// `reports/<YYYY-MM-DD_HHMMSS>/`. Each contact is scored with the first
/// scorecard whose `applies_to` matches it. Inputs that cannot be scored are
/// listed in rejected.jsonl with the reason; the run goes on.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Russian terms (default --lang ru): оценка = score (частичная = partial: awaits a controller's answer, marked *); автопровал = auto-fail; точность = COPC accuracy; критичная для клиента / бизнеса / регулятора = customer- / business- / compliance-critical; некритичная = non-critical; цель выполнена = target met (every target: score and each class accuracy); мало контактов = sample too small; отклонено = rejected; расхождения = disagreements; ошибки оценок = evaluation errors."
)]
pub struct Args {
    /// Contact files (.json, .jsonl, .txt, .csv, .tsv) or folders of them [default: samples]
    #[arg(value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Scorecard file or folder; repeat for several [default: scorecards]
    #[arg(short, long = "scorecard", value_name = "FILE_OR_DIR")]
    scorecards: Vec<PathBuf>,
    /// Write into this folder itself (it must be empty unless --force)
    #[arg(short, long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Write into a non-empty --out folder: the files of an earlier run there are removed first
    /// (results, run.json, the workbooks its run.json lists, evaluation lists, the hidden spool
    /// of a killed run); other files are left alone
    #[arg(long)]
    force: bool,
    /// Language of reasons, labels and the summary
    #[arg(long, default_value = "ru", value_name = "ru|en")]
    pub(super) lang: Lang,
    /// Worker threads [default: all cores; at most 4 per core and 256]
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Print nothing but errors
    #[arg(short, long)]
    quiet: bool,
    /// Keep personal data (cards, phones, passports…) unmasked in quotes
    #[arg(long)]
    no_mask: bool,
    /// Read and score only share K of N, e.g. 2/8: whole files by a hash of their path under
    /// the input folder, large .jsonl files by 1 MiB byte ranges
    /// (`cqa report` merges the shards)
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// Reject input files larger than this
    #[arg(long, default_value_t = 64, value_name = "MIB")]
    max_file_mb: u64,
    /// Reject contacts with more turns than this
    #[arg(long, default_value_t = 20_000, value_name = "N")]
    max_turns: usize,
    /// Merge controllers' answers: filled `cqa forms` workbooks and tables (csv/xlsx
    /// with evaluator, contact_id, criterion_id, answer, comment) in this folder
    #[arg(long, value_name = "DIR")]
    evaluations: Option<PathBuf>,
    /// Read other JSON exports through this field mapping (examples: mappings/*.json)
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    /// Contact registry (.xlsx or .csv): contact id -> agent, team, date, channel,
    /// queue, other columns; fills what contacts leave empty, reports disagreements
    #[arg(long, value_name = "FILE")]
    registry: Option<PathBuf>,
    /// Agent roster (.xlsx or .csv): agent id -> name, team, team lead
    #[arg(long, value_name = "FILE")]
    roster: Option<PathBuf>,
    /// The roster's agent name and team replace the contacts' own (a team move
    /// fixed in the roster); the replaced values are listed as conflicts
    #[arg(long, requires = "roster")]
    roster_wins: bool,
    // --- Excel workbooks (src/output/xlsx) ---
    /// Agents and teams with fewer scored contacts are marked "sample too small", not ranked
    #[arg(long, default_value_t = 5, value_name = "N")]
    min_n: u64,
    /// An earlier period's results.jsonl (or its run folder): adds the change since then;
    /// repeat for shards
    #[arg(long, value_name = "RESULTS")]
    previous: Vec<PathBuf>,
    /// Write results.jsonl and run.json only, no Excel workbooks
    #[arg(long)]
    no_workbooks: bool,
    #[command(flatten)]
    judge: super::judge::JudgeArgs,
    /// What results.jsonl keeps of each criterion: `failures` gives passed criteria their
    /// turn numbers only (reasons and quotes for the rest); `full` gives every reason and
    /// quote (docs/results.md)
    #[arg(long, default_value = "failures", value_name = "failures|full")]
    detail: Detail,
}

/// The folder a run writes into.
fn out_dir(out: Option<&Path>, force: bool) -> Result<PathBuf, Failure> {
    if let Some(dir) = out {
        if dir.is_file() {
            return Err(Failure::usage(anyhow!(
                "--out {}: is a file, not a folder",
                dir.display()
            )));
        }
        let non_empty = std::fs::read_dir(dir)
            .map(|mut r| r.next().is_some())
            .unwrap_or(false);
        if non_empty && !force {
            return Err(Failure::usage(anyhow!(
                "--out {}: the folder is not empty; choose another or add --force \
                 (which removes only the files of an earlier cqa run there)",
                dir.display()
            )));
        }
        if non_empty {
            // The new results go to new files instead of truncating old ones
            // the disk may still be writing out (truncating stalled the check).
            cqa::output::run_dir::clear_previous(dir).map_err(|e| {
                super::io_failure(
                    e,
                    format!("--force: cannot clear the earlier run in {}", dir.display()),
                )
            })?;
        }
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create --out {}", dir.display()))
            .map_err(Failure::output)?;
        return Ok(dir.to_path_buf());
    }
    let stamp = chrono::Local::now().format("%Y-%m-%d_%H%M%S").to_string();
    let base = Path::new("reports");
    for n in 1.. {
        let name = if n == 1 {
            stamp.clone()
        } else {
            format!("{stamp}-{n}")
        };
        let dir = base.join(name);
        if !dir.exists() {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))
                .map_err(Failure::output)?;
            return Ok(dir);
        }
    }
    unreachable!("an unused folder name always exists")
}

/// `cqa check`: the options read, the batch run (`cqa::run::job`), its
/// summary printed, its workbooks written, everything moved into place.
pub fn run(a: Args) -> Result<(), Failure> {
    let started = chrono::Local::now();
    let clock = std::time::Instant::now();
    let words = cli(a.lang);
    let inputs = if a.inputs.is_empty() {
        vec![PathBuf::from("samples")]
    } else {
        a.inputs.clone()
    };
    let cards = if a.scorecards.is_empty() {
        vec![PathBuf::from("scorecards")]
    } else {
        a.scorecards.clone()
    };
    super::require_paths(&inputs, "", a.lang)?;
    super::report::check_previous(&a.previous)?;
    let pool = super::threads::pool(a.threads, a.lang)?;
    // Scorecards compile in parallel too: building their automata is most of the start-up.
    let (set, infos) = pool.install(|| super::scorecards::load(&cards))?;
    let judge = a.judge.open(&set, !a.no_mask)?;
    // Workers wait on the model: enough of them for --judge-concurrency requests at once.
    let pool = match a.judge.threads(pool.current_num_threads(), judge.is_some()) {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|e| Failure::usage(anyhow!("--threads: {e}")))?,
        None => pool,
    };
    let mut answers = answers(&a, &set)?;
    let cfg = config(&a, inputs, judge.clone())?;
    let dir = out_dir(a.out.as_deref(), a.force)?;
    // Everything is written into a hidden spool and moved into place when
    // complete, run.json last (output/run_dir.rs); Ctrl-C / SIGTERM abandon it.
    cqa::sys::interrupt::install()
        .context("cannot install the Ctrl-C handler")
        .map_err(Failure::output)?;
    let run = RunDir::create(&dir)
        .map_err(|e| super::io_failure(e, format!("cannot write into {}", dir.display())))?;
    // A live count on a terminal only: nothing in pipes, logs or with --quiet.
    let live = !a.quiet && std::io::stderr().is_terminal();
    let progress = live.then(|| spinner(words.progress_contacts));
    let job = Job {
        set: &set,
        scorecards: infos,
        cfg,
        mapping: a.mapping.clone(),
        started,
        clock,
        workbooks: !a.no_workbooks,
        progress: progress.clone().map(|bar| follow(bar, words.progress_bar)),
    };
    let layer = answers.as_mut().map(|l| l as &mut dyn Layer);
    let checked = cqa::run::job::check(job, &pool, run, layer).map_err(|e| failure(e, a.lang))?;
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    if !a.quiet {
        // Everything printed passes through one escaper (input-derived text inside).
        let shown = SummaryOptions {
            roster_wins: a.roster_wins,
            min_n: a.min_n,
            workbooks: !a.no_workbooks,
        };
        let (record, dir) = (&checked.record, checked.dir());
        let text = summary(record, &checked.aggregates, dir, a.lang, &shown);
        print!("{}", esc_lines(&text));
        if let Some(s) = answers.as_ref().and_then(|l| l.summary.as_ref()) {
            print!("{}", esc_lines(&s.render(a.lang)));
        }
        print!("{}", super::judge::summary(&set, judge.as_deref(), a.lang));
    }
    // --- Excel workbooks (src/output/xlsx) ---
    let bar = (live && checked.has_workbooks()).then(|| spinner(words.progress_workbooks));
    let opts = super::report::options(a.lang, a.min_n, &a.previous);
    let written = checked.write_workbooks(&pool, &opts);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let (checked, written) = written.map_err(|e| failure(e, a.lang))?;
    if let (Some(written), false) = (written, a.quiet) {
        println!(
            "{}",
            esc_lines(&super::report::written_line(&written, a.lang))
        );
    }
    let record = checked.commit().map_err(|e| failure(e, a.lang))?;
    outcome(&record.manifest, &a)
}

/// The batch `a` asks for: inputs, wording, limits, shard, the mapping,
/// registry and roster read, the judge.
fn config(
    a: &Args,
    inputs: Vec<PathBuf>,
    judge: Option<Arc<Judge>>,
) -> Result<CheckConfig, Failure> {
    let mapping = match &a.mapping {
        Some(p) => Some(Arc::new(Mapping::load(p).map_err(|e| {
            Failure::usage(anyhow!("--mapping {}: {e}", p.display()))
        })?)),
        None => None,
    };
    let max_file_bytes = a.max_file_mb.saturating_mul(1024 * 1024);
    let mut join = Join::load(a.registry.as_deref(), a.roster.as_deref(), max_file_bytes)
        .map_err(|e| Failure::usage(anyhow!("--registry/--roster: {e}")))?;
    join.roster_wins = a.roster_wins;
    Ok(CheckConfig {
        inputs,
        opts: EvalOptions {
            lang: a.lang,
            mask: !a.no_mask,
        },
        limits: Limits {
            max_file_bytes,
            max_turns: a.max_turns,
        },
        shard: a.shard,
        batch: 512,
        mapping,
        join: Arc::new(join),
        judge,
        detail: a.detail,
        quote_passes: a.evaluations.is_some(),
    })
}

/// `--evaluations`: the controllers' answers, applied to each result before
/// it is written.
fn answers(a: &Args, set: &ScorecardSet) -> Result<Option<Answers>, Failure> {
    let Some(d) = &a.evaluations else {
        return Ok(None);
    };
    Ok(Some(Answers {
        applier: Some(Applier::new(
            read_evaluations(d).map_err(Failure::usage)?,
            set.cards.iter().map(|c| &c.card),
            a.lang,
        )),
        detail: a.detail,
        summary: None,
    }))
}

/// How a committed run ends: exit 3 when it scored nothing, except for one
/// `--shard`, which only notes it.
fn outcome(manifest: &Manifest, a: &Args) -> Result<(), Failure> {
    match (nothing_scored(manifest, a.lang), &manifest.shard) {
        // One share of an array job with nothing to score is normal (few
        // files, many shards); exit 3 would fail the array and hold back the
        // `cqa report` that waits on it, which judges the whole batch.
        (Some(why), Some(shard)) => {
            if !a.quiet {
                let words = cli(a.lang);
                eprintln!(
                    "cqa: note: {} {shard}: {}; {}",
                    words.shard,
                    esc(&why),
                    words.shard_nothing_is_normal
                );
            }
            Ok(())
        }
        (Some(why), None) => Err(Failure::nothing(anyhow!(why))),
        (None, _) => Ok(()),
    }
}

/// The controllers' answers (`--evaluations`) in front of the results file.
struct Answers {
    /// Taken by [`Layer::finish`], which leaves its summary.
    applier: Option<Applier>,
    detail: Detail,
    summary: Option<ApplySummary>,
}

impl Layer for Answers {
    fn wrap<'a>(&'a mut self, inner: &'a mut dyn Sink) -> Box<dyn Sink + 'a> {
        match &mut self.applier {
            Some(ap) => Box::new(ap.sink(inner, self.detail)),
            None => Box::new(Through(inner)),
        }
    }
    fn finish(&mut self, spool: &Path, whole_run: bool) -> std::io::Result<()> {
        if let Some(ap) = self.applier.take() {
            self.summary = Some(ap.finish(spool, whole_run)?);
        }
        Ok(())
    }
}

/// A sink that passes everything on (an [`Answers`] already finished).
struct Through<'a>(&'a mut dyn Sink);

impl Sink for Through<'_> {
    fn result(&mut self, r: &ContactResult, line: &[u8]) -> std::io::Result<()> {
        self.0.result(r, line)
    }
    fn rejection(&mut self, r: &Rejection) -> std::io::Result<()> {
        self.0.rejection(r)
    }
    fn progress(&mut self, done: cqa::output::Progress) {
        self.0.progress(done)
    }
    fn wants_progress(&self) -> bool {
        self.0.wants_progress()
    }
}

/// A run's error with its exit code: a signal ends with 130 or 143, an
/// output that cannot be written with 1.
fn failure(e: JobError, lang: Lang) -> Failure {
    match e {
        JobError::Stopped { signal, dir } => Failure::new(
            Exit::for_signal(signal),
            anyhow!(
                "{} {signal}; {}: {}",
                cli(lang).stopped_by_signal,
                dir.display(),
                cli(lang).nothing_kept
            ),
        ),
        JobError::Write { context, source } => {
            Failure::output(anyhow::Error::new(source).context(context))
        }
        JobError::Io(e) => Failure::output(e),
        JobError::Workbooks(e) => Failure::output(e),
    }
}

/// Moves `bar` with the run: a bar over the input bytes once their total is
/// known (`bar_template`), else the spinner's count of contacts.
fn follow(
    bar: indicatif::ProgressBar,
    bar_template: &'static str,
) -> Box<dyn FnMut(cqa::output::Progress) + Send> {
    let mut sized = false;
    Box::new(move |p: cqa::output::Progress| {
        if p.total_bytes == 0 {
            bar.set_position(p.contacts);
            return;
        }
        bar.set_message(p.contacts.to_string());
        if !sized {
            sized = true;
            bar.set_length(p.total_bytes);
            if let Ok(style) = indicatif::ProgressStyle::with_template(bar_template) {
                bar.set_style(style.progress_chars("█▌ "));
            }
        }
        bar.set_position(p.bytes.min(p.total_bytes));
    })
}

/// A ticking indicatif spinner on stderr with `template`.
fn spinner(template: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template(template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}
