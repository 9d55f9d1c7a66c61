//! `cqa report`

use super::Failure;
use anyhow::anyhow;
use cqa::output::merge::{merge_results, repeated_note, MergeError};
use cqa::output::results::RESULTS;
use cqa::output::run_dir::RunDir;
use cqa::output::xlsx::{
    load_manifest, write_workbooks_with, ListRows, ReportOptions, WrittenReport,
};
use cqa::words::cli::cli;
use cqa::words::Lang;
use std::path::{Path, PathBuf};

/// Rebuild the Excel workbooks (summary.xlsx, agents/*.xlsx, teams/*.xlsx)
/// from one or more results.jsonl files without checking contacts again —
/// e.g. the shards of one run (`--shard`), which then add up to the same
/// numbers as a single run. The run.json and rejected.jsonl beside each
/// results file are used. Results without a complete run.json beside them
/// (an interrupted or failed check) are refused unless --allow-incomplete;
/// a contact found in two inputs is an error, unless both results are
/// identical (counted once, with a note).
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Russian terms (default --lang ru): оценка = score (частичная = partial, marked *); автопровал = auto-fail; точность = COPC accuracy; критичная для клиента / бизнеса / регулятора = customer- / business- / compliance-critical; цель выполнена = target met; мало контактов = sample too small; Операторы / Группы / Критерии / Нарушения / Отклонённые = the Agents / Teams / Criteria / Findings / Rejected sheets."
)]
pub struct Args {
    /// results.jsonl files, or run folders holding one
    #[arg(value_name = "RESULTS", required = true)]
    results: Vec<PathBuf>,
    /// Where to write the workbooks [default: the folder of the results file, when there is one]
    #[arg(short, long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Language of the labels [default: the run's]
    #[arg(long, value_name = "ru|en")]
    pub(super) lang: Option<Lang>,
    /// Agents and teams with fewer scored contacts are marked "sample too small", not ranked
    #[arg(long, default_value_t = 5, value_name = "N")]
    min_n: u64,
    /// An earlier period's results.jsonl (or its run folder): adds the change since then; repeat for shards
    #[arg(long, value_name = "RESULTS")]
    previous: Vec<PathBuf>,
    /// Print nothing but errors
    #[arg(short, long)]
    quiet: bool,
    /// Build the workbooks even from results without a complete run.json beside them
    /// (an interrupted or failed check): the report then says so
    #[arg(long)]
    allow_incomplete: bool,
}

/// Results are whole only beside the run.json their check wrote last: one
/// that is missing, or counts other results than the folder holds, means
/// the check did not finish (`output/run_dir.rs`). `read[i]` is the number of
/// results in `results[i]`.
fn incomplete(results: &[PathBuf], read: &[u64], lang: Lang) -> Option<String> {
    let mut folders: Vec<(PathBuf, u64)> = Vec::new();
    for (r, n) in results.iter().zip(read) {
        let d = r.parent().map_or_else(PathBuf::new, Path::to_path_buf);
        match folders.iter_mut().find(|(f, _)| *f == d) {
            Some((_, total)) => *total += n,
            None => folders.push((d, *n)),
        }
    }
    for (d, n) in folders {
        let run = d.join(cqa::output::manifest::MANIFEST);
        let processed = std::fs::read_to_string(&run).ok().and_then(|t| {
            serde_json::from_str::<cqa::output::manifest::Manifest>(&t)
                .ok()
                .map(|m| m.processed)
        });
        let why = match processed {
            None => cli(lang).no_complete_run_json.to_string(),
            Some(p) if p != n => format!(
                "{} {p}, {} {n}",
                cli(lang).run_json_counts,
                cli(lang).files_hold
            ),
            Some(_) => continue,
        };
        return Some(format!("{}: {why}", run.display()));
    }
    None
}

/// A results file, or the results.jsonl of a run folder.
fn resolve(p: &Path) -> PathBuf {
    if p.is_dir() {
        p.join(RESULTS)
    } else {
        p.to_path_buf()
    }
}

/// Every `--previous` must name a results file (or a run folder holding
/// one); checked before any work, so a typo never costs a whole run.
pub fn check_previous(previous: &[PathBuf]) -> Result<(), Failure> {
    for p in previous {
        if !resolve(p).is_file() {
            return Err(Failure::usage(anyhow!(
                "--previous {}: no such results file",
                resolve(p).display()
            )));
        }
    }
    Ok(())
}

/// Report options from the command line, shared with `cqa check`.
pub fn options(lang: Lang, min_n: u64, previous: &[PathBuf]) -> ReportOptions {
    ReportOptions {
        lang,
        min_n,
        previous: (!previous.is_empty()).then(|| previous.iter().map(|p| resolve(p)).collect()),
        ..Default::default()
    }
}

/// One line saying where the workbooks went.
pub fn written_line(w: &WrittenReport, lang: Lang) -> String {
    (cli(lang).workbooks_written)(&w.summary, w.agents.len(), w.teams.len())
}

pub fn run(a: Args) -> Result<(), Failure> {
    let mut results: Vec<PathBuf> = Vec::new();
    // The same file named twice (`out out`, `s1 s1/results.jsonl`) is read once.
    let mut named: Vec<PathBuf> = Vec::new();
    let mut twice: Vec<PathBuf> = Vec::new();
    for r in a.results.iter().map(|p| resolve(p)) {
        let real = std::fs::canonicalize(&r).unwrap_or_else(|_| r.clone());
        if named.contains(&real) {
            twice.push(r);
        } else {
            named.push(real);
            results.push(r);
        }
    }
    for r in &results {
        if !r.is_file() {
            return Err(Failure::usage(anyhow!(
                "{}: no such results file",
                r.display()
            )));
        }
    }
    check_previous(&a.previous)?;
    // Several names need --out, even when they name one file twice.
    let out = match (&a.out, results.as_slice(), twice.is_empty()) {
        (Some(d), _, _) => d.clone(),
        (None, [one], true) => one
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        (None, _, _) => {
            return Err(Failure::usage(anyhow!(
                "several results files: say where the workbooks go with --out DIR"
            )))
        }
    };
    if out.is_file() {
        return Err(Failure::usage(anyhow!(
            "--out {}: is a file, not a folder",
            out.display()
        )));
    }
    std::fs::create_dir_all(&out)
        .map_err(|e| Failure::output(anyhow!("cannot create {}: {e}", out.display())))?;
    // The workbooks are written into a hidden spool and moved into place
    // when all are written (output/run_dir.rs).
    cqa::sys::interrupt::install()
        .map_err(|e| Failure::output(anyhow!("cannot install the Ctrl-C handler: {e}")))?;
    let run = RunDir::create(&out)
        .map_err(|e| super::io_failure(e, format!("cannot write into {}", out.display())))?;
    let mut rows = ListRows::create(run.spool())
        .map_err(|e| Failure::output(anyhow!("cannot write into {}: {e}", out.display())))?;
    // Results that cannot be read, or a contact twice, are the user's to fix;
    // rows that cannot be set aside (a full disk) are an output failure.
    let merged = merge_results(&results, Some(&mut rows));
    let run = super::stop_if_signalled(run, a.lang.unwrap_or_default())?;
    let merged = merged.map_err(|e| match e {
        MergeError::Rows { .. } => Failure::output(e),
        _ => Failure::usage(e),
    })?;
    let msg_lang = a.lang.unwrap_or_default();
    if merged.read.iter().all(|&n| n == 0) {
        // Empty workbooks would look like a report (exit 3).
        return Err(Failure::nothing(anyhow!("{}", cli(msg_lang).no_results)));
    }
    let gap = incomplete(&results, &merged.read, msg_lang);
    if let (Some(why), false) = (&gap, a.allow_incomplete) {
        return Err(Failure::usage(anyhow!(
            "{why}; {}",
            cli(msg_lang).incomplete_needs_flag
        )));
    }
    let mut loaded = load_manifest(&results, &merged.read, a.lang).map_err(Failure::usage)?;
    let lang = loaded.manifest.lang;
    // Identical results given twice are one contact each.
    let m = &mut loaded.manifest;
    m.processed = m.processed.saturating_sub(merged.repeated);
    m.discovered = m.discovered.saturating_sub(merged.repeated);
    let mut opts = options(lang, a.min_n, &a.previous);
    opts.notes = loaded.notes;
    opts.notes.extend(repeated_note(&merged, lang));
    opts.notes.extend(
        twice
            .iter()
            .map(|p| format!("{}: {}", p.display(), cli(lang).given_twice)),
    );
    opts.notes.extend(gap.filter(|_| a.allow_incomplete));
    let agg = merged.aggregates;
    let written = write_workbooks_with(run.spool(), &loaded.manifest, &results, &agg, rows, &opts);
    let run = super::stop_if_signalled(run, lang)?;
    let mut written = written.map_err(Failure::output)?;
    written.summary = run.final_path(&written.summary);
    run.commit_workbooks().map_err(|e| {
        Failure::output(anyhow!(
            "cannot move the workbooks into {}: {e}",
            out.display()
        ))
    })?;
    if !a.quiet {
        for n in &opts.notes {
            eprintln!(
                "cqa: note: {}",
                cqa::text::terminal::escape_keeping_lines(n)
            );
        }
        println!("{}", written_line(&written, lang));
    }
    Ok(())
}
