//! `cqa check`

use super::Failure;
use anyhow::{anyhow, Context};
use cqa::contact::{Conflict, Join, Mapping};
use cqa::engine::EvalOptions;
use cqa::lang::Lang;
use cqa::pipeline::{run_check, CheckConfig, Limits, LoadWarning, Shard};
use cqa::report::jsonl::JsonlSink;
use cqa::report::manifest::{Manifest, SkippedInfo, MANIFEST};
use cqa::results::Detail;
use cqa::scorecard::Severity;
use cqa::scoring::aggregate::Aggregates;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Score contacts against scorecards. With no arguments: every contact in
/// `samples/` against the scorecards in `scorecards/`, into a new
/// `reports/<YYYY-MM-DD_HHMMSS>/`. Each contact is scored with the first
/// scorecard whose `applies_to` matches it. Inputs that cannot be scored are
/// listed in rejected.jsonl with the reason; the run goes on.
#[derive(clap::Args, Debug)]
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
    /// (results, run.json, workbooks, evaluation lists); other files are left alone
    #[arg(long)]
    force: bool,
    /// Language of reasons, labels and the summary
    #[arg(long, default_value = "ru", value_name = "ru|en")]
    lang: Lang,
    /// Worker threads [default: all cores]
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
    // --- Excel workbooks (src/report/xlsx) ---
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
    /// What results.jsonl keeps of each criterion: `failures` gives passed criteria their
    /// turn numbers only (reasons and quotes for the rest); `full` gives every reason and
    /// quote (docs/results.md)
    #[arg(long, default_value = "failures", value_name = "failures|full")]
    detail: Detail,
}

/// `rchar` of /proc/self/io: bytes read so far by this process (None off Linux).
fn read_chars() -> Option<u64> {
    let io = std::fs::read_to_string("/proc/self/io").ok()?;
    io.lines()
        .find_map(|l| l.strip_prefix("rchar:"))
        .and_then(|n| n.trim().parse().ok())
}

/// Conflicts printed in the terminal summary; all are in run.json.
const SHOW_CONFLICTS: usize = 5;

/// Removes what an earlier run wrote into `dir` before a new one writes
/// there (`--force`), and nothing else:
/// - nothing stale survives: an agent's workbook from the last run, a summary the new results
///   do not match, the last run's disagreements;
/// - the new results go to new files instead of truncating old ones the disk may still be
///   writing out. Truncating stalled the check: ~10% of the time idle or in I/O wait, measured
///   on 100,000 contacts.
fn clear_previous_run(dir: &Path) -> anyhow::Result<()> {
    use cqa::evaluation::apply::{DISAGREEMENTS, EVALUATION_ERRORS};
    use cqa::report::jsonl::{REJECTED, RESULTS};
    for name in [
        RESULTS,
        REJECTED,
        MANIFEST,
        DISAGREEMENTS,
        EVALUATION_ERRORS,
    ] {
        let f = dir.join(name);
        cqa::report::remove_if_present(&f)
            .map_err(|e| anyhow!("cannot remove {}: {e}", f.display()))?;
    }
    cqa::report::xlsx::clear_workbooks(dir)?;
    Ok(())
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
                "--out {}: the folder is not empty; choose another or add --force",
                dir.display()
            )));
        }
        if non_empty {
            clear_previous_run(dir)
                .with_context(|| {
                    format!("--force: cannot clear the earlier run in {}", dir.display())
                })
                .map_err(Failure::output)?;
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

pub fn run(a: Args) -> Result<(), Failure> {
    let started = chrono::Local::now();
    let clock = std::time::Instant::now();
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
    super::report::check_previous(&a.previous)?;
    if let Some(0) = a.threads {
        return Err(Failure::usage(anyhow!("--threads must be at least 1")));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(a.threads.unwrap_or(0))
        .build()
        .map_err(|e| Failure::usage(anyhow!("--threads: {e}")))?;
    // Scorecards compile in parallel too: building their automata is most of the start-up.
    let (set, infos) = pool.install(|| super::scorecards::load(&cards))?;
    // Controllers' answers are applied to each result before it is written.
    let mut applier = match &a.evaluations {
        Some(d) => Some(cqa::evaluation::Applier::new(
            cqa::evaluation::read_evaluations(d).map_err(Failure::usage)?,
            set.cards.iter().map(|c| &c.card),
            a.lang,
        )),
        None => None,
    };
    let mapping = match &a.mapping {
        Some(p) => Some(std::sync::Arc::new(Mapping::load(p).map_err(|e| {
            Failure::usage(anyhow!("--mapping {}: {e}", p.display()))
        })?)),
        None => None,
    };
    let max_file_bytes = a.max_file_mb.saturating_mul(1024 * 1024);
    let join = Join::load(a.registry.as_deref(), a.roster.as_deref(), max_file_bytes)
        .map_err(|e| Failure::usage(anyhow!("--registry/--roster: {e}")))?;
    let dir = out_dir(a.out.as_deref(), a.force)?;
    let cfg = CheckConfig {
        inputs: inputs.clone(),
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
        join: std::sync::Arc::new(join),
        detail: a.detail,
        quote_passes: a.evaluations.is_some(),
    };
    let mut sink = JsonlSink::create(&dir)
        .with_context(|| format!("cannot write into {}", dir.display()))
        .map_err(Failure::output)?;
    if !a.no_workbooks {
        let rows = cqa::report::xlsx::ListRows::create(&dir)
            .with_context(|| format!("cannot write into {}", dir.display()))
            .map_err(Failure::output)?;
        sink = sink.with_list_rows(rows);
    }
    if !a.quiet && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {pos} contacts  {per_sec}  {elapsed}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        let b = bar.clone();
        sink = sink.with_progress(move |n| b.set_position(n));
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
    }
    let counts = pool
        .install(|| match applier.as_mut() {
            Some(ap) => run_check(&set, &cfg, &mut ap.sink(&mut sink, a.detail)),
            None => run_check(&set, &cfg, &mut sink),
        })
        .with_context(|| format!("cannot write results into {}", dir.display()))
        .map_err(Failure::output)?;
    let finished = sink.finish().map_err(Failure::output)?;
    let agg = finished.aggregates;
    let applied = match applier {
        Some(ap) => Some(
            ap.finish(&dir, a.shard.is_none())
                .with_context(|| format!("cannot write evaluation reports into {}", dir.display()))
                .map_err(Failure::output)?,
        ),
        None => None,
    };
    let manifest = Manifest {
        cqa_version: env!("CARGO_PKG_VERSION").into(),
        started_at: started.to_rfc3339(),
        finished_at: chrono::Local::now().to_rfc3339(),
        inputs: inputs.iter().map(|p| p.display().to_string()).collect(),
        discovered: counts.discovered,
        processed: counts.processed,
        rejected: counts.rejected,
        other_shards: counts.other_shards,
        shard: a.shard.map(|s| format!("{}/{}", s.index + 1, s.count)),
        skipped: counts
            .skipped
            .iter()
            .map(|s| SkippedInfo {
                path: s.path.display().to_string(),
                reason: s.reason.clone(),
            })
            .collect(),
        masked: !a.no_mask,
        lang: a.lang,
        scorecards: infos,
        bytes_read: counts.bytes,
        seconds: clock.elapsed().as_secs_f64(),
    };
    // Conflicts ride in run.json beside the manifest's own fields: the list,
    // its total, and which mapping, registry and roster the run used.
    let mut conflicts = cfg
        .join
        .registry
        .iter()
        .chain(&cfg.join.roster)
        .flat_map(|t| t.duplicates.clone())
        .collect::<Vec<_>>();
    let conflicts_total = counts.conflicts_total + conflicts.len() as u64;
    conflicts.extend(counts.conflicts.iter().cloned());
    let mut doc = serde_json::to_value(&manifest).map_err(Failure::output)?;
    if let Some(o) = doc.as_object_mut() {
        let path = |p: &Option<PathBuf>| p.as_ref().map(|p| p.display().to_string());
        o.insert("detail".into(), serde_json::json!(a.detail.id()));
        if !counts.line_ranges.is_empty() {
            o.insert(
                "line_ranges".into(),
                serde_json::to_value(&counts.line_ranges).map_err(Failure::output)?,
            );
        }
        // Every byte this process read through read(2) (Linux), inputs and
        // scorecards alike: what a shard's share of the reading comes to.
        if let Some(n) = read_chars() {
            o.insert("process_read_bytes".into(), serde_json::json!(n));
        }
        o.insert("mapping".into(), serde_json::json!(path(&a.mapping)));
        o.insert("registry".into(), serde_json::json!(cfg.join.registry.as_ref().map(|t| serde_json::json!({"path": t.path, "rows": t.len, "contacts_matched": counts.registry_matched}))));
        o.insert(
            "roster".into(),
            serde_json::json!(cfg
                .join
                .roster
                .as_ref()
                .map(|t| serde_json::json!({"path": t.path, "rows": t.len}))),
        );
        o.insert(
            "load_warnings_total".into(),
            serde_json::json!(counts.warnings_total),
        );
        o.insert(
            "load_warnings".into(),
            serde_json::to_value(&counts.warnings).map_err(Failure::output)?,
        );
        o.insert("conflicts_total".into(), serde_json::json!(conflicts_total));
        o.insert(
            "conflicts".into(),
            serde_json::to_value(&conflicts).map_err(Failure::output)?,
        );
    }
    let text = serde_json::to_string_pretty(&doc).map_err(Failure::output)?;
    std::fs::write(dir.join(MANIFEST), text)
        .with_context(|| format!("cannot write {}", dir.join(MANIFEST).display()))
        .map_err(Failure::output)?;
    if !a.quiet {
        print!(
            "{}",
            summary(
                &manifest,
                &agg,
                &dir,
                a.lang,
                &InputNotes {
                    conflicts: &conflicts,
                    conflicts_total,
                    warnings: &counts.warnings,
                    warnings_total: counts.warnings_total,
                }
            )
        );
        if let Some(s) = &applied {
            print!("{}", s.render(a.lang));
        }
    }
    // --- Excel workbooks (src/report/xlsx) ---
    if let Some(rows) = finished.rows {
        let opts = super::report::options(a.lang, a.min_n, &a.previous);
        let results = [dir.join(cqa::report::jsonl::RESULTS)];
        let written = pool
            .install(|| {
                cqa::report::xlsx::write_workbooks_with(
                    &dir, &manifest, &results, &agg, rows, &opts,
                )
            })
            .map_err(Failure::output)?;
        if !a.quiet {
            println!("{}", super::report::written_line(&written, a.lang));
        }
    }
    Ok(())
}

/// What the loaders and the registry join found, for the summary: conflicts
/// and unreadable optional values (both listed in full in run.json).
pub struct InputNotes<'a> {
    pub conflicts: &'a [Conflict],
    pub conflicts_total: u64,
    pub warnings: &'a [LoadWarning],
    pub warnings_total: u64,
}

fn pct(x: Option<f64>) -> String {
    x.map_or("—".into(), |v| format!("{v:.1}%"))
}

/// The short terminal summary: counts, each agent's mean and n, COPC accuracies.
pub fn summary(
    m: &Manifest,
    agg: &Aggregates,
    dir: &Path,
    lang: Lang,
    notes: &InputNotes<'_>,
) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = match lang {
        Lang::Ru => writeln!(
            s,
            "Найдено контактов: {}; обработано: {}; отклонено: {}.",
            m.discovered, m.processed, m.rejected
        ),
        Lang::En => writeln!(
            s,
            "Contacts discovered: {}; processed: {}; rejected: {}.",
            m.discovered, m.processed, m.rejected
        ),
    };
    if m.other_shards > 0 {
        let _ = writeln!(
            s,
            "{} {}",
            m.other_shards,
            lang.pick(
                "контактов оставлено другим частям (--shard).",
                "contacts left to other shards (--shard)."
            )
        );
    }
    if !m.skipped.is_empty() {
        let _ = writeln!(
            s,
            "{} {}",
            lang.pick(
                "Пропущено файлов неизвестного типа:",
                "Files of unknown type skipped:"
            ),
            m.skipped.len()
        );
        for f in m.skipped.iter().take(5) {
            let _ = writeln!(s, "  {}", f.path);
        }
    }
    if notes.conflicts_total > 0 {
        let _ = writeln!(
            s,
            "{} {} {}",
            lang.pick(
                "Расхождений с реестром/списком операторов:",
                "Disagreements with the registry/roster:"
            ),
            notes.conflicts_total,
            lang.pick(
                "(в контактах оставлены значения из их файлов; полный список — run.json, «conflicts»)",
                "(contacts keep the values of their own files; full list in run.json, \"conflicts\")"
            )
        );
        for c in notes.conflicts.iter().take(SHOW_CONFLICTS) {
            let _ = writeln!(
                s,
                "  {} {}: «{}» ({}) ≠ «{}» ({})",
                c.contact_id, c.field, c.kept, c.kept_from, c.other, c.other_from
            );
        }
    }
    if notes.warnings_total > 0 {
        let _ = writeln!(
            s,
            "{} {} {}",
            lang.pick("Предупреждений при чтении:", "Load warnings:"),
            notes.warnings_total,
            lang.pick(
                "(непрочитанные необязательные значения оставлены пустыми; список — run.json, «load_warnings»)",
                "(unreadable optional values left empty; list in run.json, \"load_warnings\")"
            )
        );
        for w in notes.warnings.iter().take(SHOW_CONFLICTS) {
            let _ = writeln!(s, "  {} ({}): {}", w.contact_id, w.source, w.warning);
        }
    }
    if !agg.agents.is_empty() {
        let _ = writeln!(
            s,
            "\n{:<32} {:>5} {:>8}",
            lang.pick("Оператор", "Agent"),
            "n",
            lang.pick("средний", "mean")
        );
        for g in agg.agents.values() {
            let name = format!("{} ({})", g.name, g.key);
            let mean = g.scores.mean().map_or("—".into(), |v| format!("{v:.1}"));
            let _ = writeln!(
                s,
                "{:<32} {:>5} {:>8}",
                cqa::text::truncate_chars(&name, 32),
                g.contacts,
                mean
            );
        }
        let _ = writeln!(
            s,
            "\n{}",
            lang.pick(
                "Точность по критичным ошибкам (COPC):",
                "Critical error accuracy (COPC):"
            )
        );
        for sev in Severity::CRITICAL {
            let _ = writeln!(
                s,
                "  {:<28} {}",
                sev.label(lang),
                pct(agg.overall.accuracy(sev))
            );
        }
    }
    let _ = writeln!(
        s,
        "\n{} {}",
        lang.pick("Результаты:", "Results:"),
        dir.display()
    );
    if m.rejected > 0 {
        let _ = writeln!(
            s,
            "{} {}",
            lang.pick(
                "Отклонённые входы и причины:",
                "Rejected inputs and reasons:"
            ),
            dir.join("rejected.jsonl").display()
        );
    }
    s
}
