//! `cqa report`

use super::Failure;
use anyhow::anyhow;
use cqa::lang::Lang;
use cqa::report::jsonl::RESULTS;
use cqa::report::xlsx::{
    aggregate_files, load_manifest, write_workbooks_with, ListRows, ReportError, ReportOptions,
    WrittenReport,
};
use std::path::{Path, PathBuf};

/// Rebuild the Excel workbooks (summary.xlsx, agents/*.xlsx, teams/*.xlsx)
/// from one or more results.jsonl files without checking contacts again —
/// e.g. the shards of one run (`--shard`), which then add up to the same
/// numbers as a single run. The run.json and rejected.jsonl beside each
/// results file are used when present.
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
    lang: Option<Lang>,
    /// Agents and teams with fewer scored contacts are marked "sample too small", not ranked
    #[arg(long, default_value_t = 5, value_name = "N")]
    min_n: u64,
    /// An earlier period's results.jsonl (or its run folder): adds the change since then; repeat for shards
    #[arg(long, value_name = "RESULTS")]
    previous: Vec<PathBuf>,
    /// Print nothing but errors
    #[arg(short, long)]
    quiet: bool,
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
    match lang {
        Lang::Ru => format!(
            "Отчёты Excel: {} (операторов: {}, групп: {})",
            w.summary.display(),
            w.agents.len(),
            w.teams.len()
        ),
        Lang::En => format!(
            "Excel reports: {} ({} agents, {} teams)",
            w.summary.display(),
            w.agents.len(),
            w.teams.len()
        ),
    }
}

pub fn run(a: Args) -> Result<(), Failure> {
    let results: Vec<PathBuf> = a.results.iter().map(|p| resolve(p)).collect();
    for r in &results {
        if !r.is_file() {
            return Err(Failure::usage(anyhow!(
                "{}: no such results file",
                r.display()
            )));
        }
    }
    check_previous(&a.previous)?;
    let out = match (&a.out, results.as_slice()) {
        (Some(d), _) => d.clone(),
        (None, [one]) => one
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        (None, _) => {
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
    let mut rows = ListRows::create(&out)
        .map_err(|e| Failure::output(anyhow!("cannot write into {}: {e}", out.display())))?;
    // Results that cannot be read are the user's to fix; rows that cannot be
    // set aside (a full disk) are an output failure.
    let (agg, counts) = aggregate_files(&results, Some(&mut rows)).map_err(|e| match e {
        ReportError::Read(_) => Failure::usage(e),
        _ => Failure::output(e),
    })?;
    let loaded = load_manifest(&results, &counts, a.lang).map_err(Failure::usage)?;
    let lang = loaded.manifest.lang;
    let mut opts = options(lang, a.min_n, &a.previous);
    opts.notes = loaded.notes;
    let written = write_workbooks_with(&out, &loaded.manifest, &results, &agg, rows, &opts)
        .map_err(Failure::output)?;
    if !a.quiet {
        for n in &opts.notes {
            eprintln!("cqa: note: {n}");
        }
        println!("{}", written_line(&written, lang));
    }
    Ok(())
}
