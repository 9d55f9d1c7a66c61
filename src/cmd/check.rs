//! `cqa check`

use super::Failure;
use anyhow::{anyhow, Context};
use cqa::check::EvalOptions;
use cqa::input::contact::{Conflict, Join, Mapping};
use cqa::input::scorecard::Severity;
use cqa::output::manifest::{Manifest, SkippedInfo, MANIFEST};
use cqa::output::results::write::ResultsWriter;
use cqa::output::results::Detail;
use cqa::output::run_dir::RunDir;
use cqa::output::Tee;
use cqa::run::{run_check, CheckConfig, Limits, LoadWarning, Shard};
use cqa::score::aggregate::Aggregates;
use cqa::text::terminal::{escape as esc, escape_keeping_lines as esc_lines};
use cqa::words::Lang;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

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
    lang: Lang,
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
    #[command(flatten)]
    judge: super::judge::JudgeArgs,
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
/// Agents the terminal summary lists (worst first); the workbook has them all.
const SHOW_AGENTS: usize = 20;

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
    // Controllers' answers are applied to each result before it is written.
    let mut applier = match &a.evaluations {
        Some(d) => Some(cqa::qa::evaluation::Applier::new(
            cqa::qa::evaluation::read_evaluations(d).map_err(Failure::usage)?,
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
    let mut join = Join::load(a.registry.as_deref(), a.roster.as_deref(), max_file_bytes)
        .map_err(|e| Failure::usage(anyhow!("--registry/--roster: {e}")))?;
    join.roster_wins = a.roster_wins;
    let dir = out_dir(a.out.as_deref(), a.force)?;
    // Everything is written into a hidden spool and moved into place when
    // complete, run.json last (output/run_dir.rs); Ctrl-C / SIGTERM abandon it.
    cqa::sys::interrupt::install()
        .context("cannot install the Ctrl-C handler")
        .map_err(Failure::output)?;
    let run = RunDir::create(&dir)
        .map_err(|e| super::io_failure(e, format!("cannot write into {}", dir.display())))?;
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
        judge: judge.clone(),
        detail: a.detail,
        quote_passes: a.evaluations.is_some(),
    };
    let mut sink = Tee::new(
        ResultsWriter::create(run.spool())
            .with_context(|| format!("cannot write into {}", dir.display()))
            .map_err(Failure::output)?
            .with_lang(a.lang),
    );
    if !a.no_workbooks {
        let rows = cqa::output::xlsx::ListRows::create(run.spool())
            .with_context(|| format!("cannot write into {}", dir.display()))
            .map_err(Failure::output)?;
        sink = sink.with_list_rows(rows);
    }
    // A live count on a terminal only: nothing in pipes, logs or with --quiet.
    let live = !a.quiet && std::io::stderr().is_terminal();
    let progress = live.then(|| {
        spinner(a.lang.pick(
            "{spinner} {pos} контактов  {per_sec}  {elapsed}",
            "{spinner} {pos} contacts  {per_sec}  {elapsed}",
        ))
    });
    if let Some(bar) = &progress {
        let b = bar.clone();
        sink = sink.with_progress(move |n| b.set_position(n));
    }
    let counts = pool.install(|| match applier.as_mut() {
        Some(ap) => run_check(&set, &cfg, &mut ap.sink(&mut sink, a.detail)),
        None => run_check(&set, &cfg, &mut sink),
    });
    let mut run = super::stop_if_signalled(run, a.lang)?;
    let counts = counts
        .with_context(|| format!("cannot write results into {}", dir.display()))
        .map_err(Failure::output)?;
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    let finished = sink.finish().map_err(Failure::output)?;
    let agg = finished.aggregates;
    let applied = match applier {
        Some(ap) => Some(
            ap.finish(run.spool(), a.shard.is_none())
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
        // A shard reads only its own files and byte ranges, so it never
        // counts contacts left to the others (older shards' run.json may).
        other_shards: 0,
        shard: a.shard.map(|s| format!("{}/{}", s.index + 1, s.count)),
        skipped: counts
            .skipped
            .iter()
            .map(|s| SkippedInfo {
                path: s.path.display().to_string(),
                reason: s.reason.clone(),
                documentation: s.documentation,
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
    // Contacts per scorecard, in the cards' order (a card that scored none shows 0).
    let mut by_card: Vec<(String, u64)> = Vec::new();
    for c in &set.cards {
        if !by_card.iter().any(|(id, _)| *id == c.card.id) {
            let n = counts.by_card.get(&c.card.id).copied().unwrap_or(0);
            by_card.push((c.card.id.clone(), n));
        }
    }
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
            serde_json::json!(cfg.join.roster.as_ref().map(
                |t| serde_json::json!({"path": t.path, "rows": t.len, "wins": cfg.join.roster_wins})
            )),
        );
        o.insert(
            "load_warnings_total".into(),
            serde_json::json!(counts.warnings_total),
        );
        o.insert(
            "load_warnings".into(),
            serde_json::to_value(&counts.warnings).map_err(Failure::output)?,
        );
        o.insert(
            "scored_by_card".into(),
            serde_json::Value::Object(
                by_card
                    .iter()
                    .map(|(id, n)| (id.clone(), serde_json::json!(n)))
                    .collect(),
            ),
        );
        if let Some(j) = super::judge::manifest(&set, judge.as_deref()) {
            o.insert("judge".into(), j);
        }
        o.insert("conflicts_total".into(), serde_json::json!(conflicts_total));
        o.insert(
            "conflicts".into(),
            serde_json::to_value(&conflicts).map_err(Failure::output)?,
        );
    }
    // The rejections and the controllers' lists (disagreements, evaluation
    // errors) go into place now: the workbooks read them beside the results,
    // which they name by their final place. results.jsonl itself stays in
    // the spool until run.json can follow it.
    {
        use cqa::qa::evaluation::apply::{DISAGREEMENTS, EVALUATION_ERRORS};
        for name in [
            cqa::output::results::REJECTED,
            DISAGREEMENTS,
            EVALUATION_ERRORS,
        ] {
            run.publish(Path::new(name))
                .with_context(|| format!("cannot move {name} into {}", dir.display()))
                .map_err(Failure::output)?;
        }
    }
    if !a.quiet {
        // Everything printed passes through one escaper (input-derived text inside).
        print!(
            "{}",
            esc_lines(&summary(
                &manifest,
                &agg,
                &dir,
                a.lang,
                &InputNotes {
                    conflicts: &conflicts,
                    conflicts_total,
                    warnings: &counts.warnings,
                    warnings_total: counts.warnings_total,
                    by_card: &by_card,
                    roster_wins: a.roster_wins,
                    min_n: a.min_n,
                    workbooks: !a.no_workbooks,
                }
            ))
        );
        if let Some(s) = &applied {
            print!("{}", esc_lines(&s.render(a.lang)));
        }
        print!("{}", super::judge::summary(&set, judge.as_deref(), a.lang));
    }
    // --- Excel workbooks (src/report/xlsx) ---
    // Not for a run that scored nothing: empty workbooks would look like a result.
    let rows = finished.rows.filter(|_| manifest.processed > 0);
    if let Some(rows) = rows {
        let opts = super::report::options(a.lang, a.min_n, &a.previous);
        let results = [dir.join(cqa::output::results::RESULTS)];
        let bar = live.then(|| {
            spinner(a.lang.pick(
                "{spinner} отчёты Excel…  {elapsed}",
                "{spinner} Excel reports…  {elapsed}",
            ))
        });
        let written = pool.install(|| {
            cqa::output::xlsx::write_workbooks_with(
                run.spool(),
                &manifest,
                &results,
                &agg,
                rows,
                &opts,
            )
        });
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        run = super::stop_if_signalled(run, a.lang)?;
        let mut written = written.map_err(Failure::output)?;
        written.summary = run.final_path(&written.summary);
        if !a.quiet {
            println!(
                "{}",
                esc_lines(&super::report::written_line(&written, a.lang))
            );
        }
    }
    run.commit(doc)
        .with_context(|| format!("cannot write {}", dir.join(MANIFEST).display()))
        .map_err(Failure::output)?;
    match (nothing_scored(&manifest, a.lang), &manifest.shard) {
        // One share of an array job with nothing to score is normal (few
        // files, many shards); exit 3 would fail the array and hold back the
        // `cqa report` that waits on it, which judges the whole batch.
        (Some(why), Some(shard)) => {
            if !a.quiet {
                eprintln!(
                    "cqa: note: {} {shard}: {}; {}",
                    a.lang.pick("часть", "shard"),
                    esc(&why),
                    a.lang.pick(
                        "для одной части это не ошибка: итог по всем частям подведёт cqa report",
                        "not an error for one shard: cqa report judges all shards together"
                    )
                );
            }
            Ok(())
        }
        (Some(why), None) => Err(Failure::nothing(anyhow!(why))),
        (None, _) => Ok(()),
    }
}

/// Why a run that scored no contact did so, in one line (exit 3); `None` when it scored some.
fn nothing_scored(m: &Manifest, lang: Lang) -> Option<String> {
    if m.processed > 0 {
        return None;
    }
    let inputs = m.inputs.join(", ");
    Some(if m.discovered == 0 {
        format!(
            "{}: {} {inputs} ({} {})",
            lang.pick("ничего не оценено", "nothing scored"),
            lang.pick("не найдено ни одного контакта в", "no contact found in"),
            lang.pick("пропущено файлов:", "files skipped:"),
            m.skipped.len()
        )
    } else {
        format!(
            "{}: {} ({} {} {}); {}",
            lang.pick("ничего не оценено", "nothing scored"),
            lang.pick(
                "отклонены все найденные контакты",
                "every contact found was rejected"
            ),
            m.rejected,
            lang.pick("из", "of"),
            m.discovered,
            lang.pick("причины — rejected.jsonl", "reasons in rejected.jsonl")
        )
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

/// What the loaders and the registry join found, for the summary: conflicts
/// and unreadable optional values (both listed in full in run.json).
pub struct InputNotes<'a> {
    pub conflicts: &'a [Conflict],
    pub conflicts_total: u64,
    pub warnings: &'a [LoadWarning],
    pub warnings_total: u64,
    /// Contacts scored by each scorecard, in the cards' order.
    pub by_card: &'a [(String, u64)],
    /// `--roster-wins`: agent names and teams were taken from the roster.
    pub roster_wins: bool,
    /// Agents with fewer scored contacts are marked "sample too small".
    pub min_n: u64,
    /// Whether the workbooks are written (the summary points to them).
    pub workbooks: bool,
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
    for (card, n) in notes.by_card {
        let _ = writeln!(
            s,
            "  {} {card}: {n}",
            lang.pick("оценено по карте", "scored with")
        );
    }
    // Documentation beside the contacts (README.md) is listed in run.json only.
    let skipped: Vec<_> = m.skipped.iter().filter(|f| !f.documentation).collect();
    if !skipped.is_empty() {
        let _ = writeln!(
            s,
            "{} {}",
            lang.pick("Пропущено файлов:", "Files skipped:"),
            skipped.len()
        );
        for f in skipped.iter().take(5) {
            let _ = writeln!(s, "  {}: {}", esc(&f.path), esc(&f.reason));
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
            if notes.roster_wins {
                lang.pick(
                    "(имя оператора и группа взяты из списка операторов, --roster-wins; остальное — из файлов контактов; полный список — run.json, «conflicts»)",
                    "(agent names and teams taken from the roster, --roster-wins; other values from the contacts' files; full list in run.json, \"conflicts\")"
                )
            } else {
                lang.pick(
                    "(в контактах оставлены значения из их файлов; полный список — run.json, «conflicts»)",
                    "(contacts keep the values of their own files; full list in run.json, \"conflicts\")"
                )
            }
        );
        for c in notes.conflicts.iter().take(SHOW_CONFLICTS) {
            let _ = writeln!(
                s,
                "  {} {}: «{}» ({}) ≠ «{}» ({})",
                esc(&c.contact_id),
                esc(&c.field),
                esc(&c.kept),
                esc(&c.kept_from),
                esc(&c.other),
                esc(&c.other_from)
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
            let _ = writeln!(
                s,
                "  {} ({}): {}",
                esc(&w.contact_id),
                esc(&w.source),
                esc(&w.warning)
            );
        }
    }
    if !agg.agents.is_empty() {
        let _ = writeln!(
            s,
            "\n{:<32} {:>5} {:>8}",
            lang.pick("Оператор (худшие сначала)", "Agent (worst first)"),
            "n",
            lang.pick("средний", "mean")
        );
        // Worst first, so a thousand agents do not bury the ones to look at;
        // agents without a score last.
        let mut agents: Vec<_> = agg.agents.values().collect();
        let key = |g: &cqa::score::aggregate::Group| g.scores.mean().unwrap_or(f64::INFINITY);
        agents.sort_by(|a, b| key(a).total_cmp(&key(b)).then_with(|| a.key.cmp(&b.key)));
        let hidden = agents.len().saturating_sub(SHOW_AGENTS);
        for g in agents.into_iter().take(SHOW_AGENTS) {
            let small = if g.scored < notes.min_n {
                lang.pick("  мало контактов", "  sample too small")
            } else {
                ""
            };
            let name = format!("{} ({})", esc(&g.name), esc(&g.key));
            let mean = g.scores.mean().map_or("—".into(), |v| format!("{v:.1}"));
            let _ = writeln!(
                s,
                "{:<32} {:>5} {:>8}{small}",
                cqa::text::truncate_chars(&name, 32),
                g.contacts,
                mean
            );
        }
        if hidden > 0 {
            let _ = writeln!(
                s,
                "… {} {hidden} {}",
                lang.pick("и ещё", "and"),
                lang.pick("операторов", "more agents")
            );
        }
        if notes.workbooks {
            let _ = writeln!(
                s,
                "{} {}",
                lang.pick(
                    "Все операторы, места и цели — лист «Операторы»:",
                    "Every agent, rank and target: the Agents sheet of"
                ),
                dir.join("summary.xlsx").display()
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
        esc(&dir.display().to_string())
    );
    if m.rejected > 0 {
        let _ = writeln!(
            s,
            "{} {}",
            lang.pick(
                "Отклонённые входы и причины:",
                "Rejected inputs and reasons:"
            ),
            esc(&dir.join("rejected.jsonl").display().to_string())
        );
    }
    s
}
