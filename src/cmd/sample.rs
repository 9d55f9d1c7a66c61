//! `cqa sample`

use super::Failure;
use anyhow::{anyhow, Context};
use cqa::qa::sampling::pool::Reading;
use cqa::qa::sampling::write::{copy_transcripts, write_csv, write_xlsx, SAMPLE_CSV, SAMPLE_XLSX};
use cqa::qa::sampling::{
    draw, exclude::read_exclusions, pool_from_contacts, pool_from_registry, FlaggedAction, Period,
    Rules, SampleConfig,
};
use cqa::words::cli_qa::QaCliWords;
use cqa::words::Lang;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

/// Draw a reproducible stratified sample of contacts for monitoring: N per
/// agent × channel × period, complaints, long contacts and low CSAT
/// over-weighted (or always included), contacts already evaluated left out.
/// Writes sample.csv and sample.xlsx (contact, agent, channel, period, why
/// selected). The same --seed and pool give the same sample on any machine.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Russian terms: the sample workbook and its messages use выборка = sample, страта = stratum, оператор = agent, канал = channel."
)]
pub struct Args {
    /// Contact files (.json, .jsonl) or folders to draw from [default: samples]
    #[arg(value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Draw from a registry table (csv/xlsx with contact_id, agent_id, channel, started_at;
    /// optional agent_name, duration_s, category, csat, source) instead of transcripts
    #[arg(long, value_name = "FILE", conflicts_with = "inputs")]
    registry: Option<PathBuf>,
    /// The registry's sheet [default: the first with the required columns]
    #[arg(long, value_name = "NAME", requires = "registry")]
    sheet: Option<String>,
    /// Seed of the draw; the same seed and pool give the same sample
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Contacts per agent × channel × period
    #[arg(long, default_value_t = 5, value_name = "N")]
    per: usize,
    /// A channel's own quota, e.g. chat=3; repeat for several channels
    #[arg(long = "per-channel", value_name = "CHANNEL=N", value_parser = channel_quota)]
    per_channel: Vec<(String, usize)>,
    /// Stratum period of started_at: day, week (ISO) or month
    #[arg(long, default_value = "week", value_name = "day|week|month")]
    period: Period,
    /// A metadata `category` that marks a complaint; repeat for several
    #[arg(long = "complaint-category", value_name = "NAME", default_values_t = vec!["complaint".to_string()])]
    complaint_categories: Vec<String>,
    /// Flag contacts longer than this many seconds, or `off`
    #[arg(long, default_value = "600", value_name = "SECONDS|off")]
    long_over_s: Threshold,
    /// Flag contacts with metadata `csat` at or below this, or `off`
    #[arg(long, default_value = "2", value_name = "CSAT|off")]
    low_csat_max: Threshold,
    /// Flagged contacts: a whole weight (3 = three times as likely), `include` (all of
    /// them on top of the quota), or `off`
    #[arg(long, default_value = "3", value_name = "WEIGHT|include|off")]
    flagged: FlaggedAction,
    /// Leave out contacts already evaluated: an evaluations folder, a previous
    /// sample.csv, or a list of ids; repeat for several
    #[arg(long, value_name = "FILE_OR_DIR")]
    exclude: Vec<PathBuf>,
    /// Folder for sample.csv and sample.xlsx
    #[arg(short, long, default_value = "sample", value_name = "DIR")]
    out: PathBuf,
    /// Replace an existing sample in --out
    #[arg(long)]
    force: bool,
    /// Also copy the sampled transcripts into this folder (one <id>.json each)
    #[arg(long, value_name = "DIR")]
    copy_to: Option<PathBuf>,
    /// Worker threads for reading the pool [default: all cores; at most 4 per core and 256]
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Language of the reasons and the workbook
    #[arg(long, default_value = "ru", value_name = "ru|en")]
    pub(super) lang: Lang,
    /// Print nothing but errors
    #[arg(short, long)]
    quiet: bool,
    /// Draw only contacts one of these scorecards applies to, as `cqa check` would
    /// score them; repeat for several [default: scorecards, when that folder exists]
    #[arg(
        short,
        long = "scorecard",
        value_name = "FILE_OR_DIR",
        conflicts_with = "registry"
    )]
    scorecards: Vec<PathBuf>,
    #[command(flatten)]
    read: super::reading::MappingArgs,
}

fn channel_quota(s: &str) -> Result<(String, usize), String> {
    let (c, n) = s
        .split_once('=')
        .ok_or_else(|| format!("expected CHANNEL=N such as chat=3, got `{s}`"))?;
    let n: usize = n
        .trim()
        .parse()
        .map_err(|_| format!("`{n}` in `{s}` is not a whole number"))?;
    Ok((c.trim().to_lowercase(), n))
}

/// A rule's threshold, or `off`.
#[derive(Debug, Clone, Copy)]
struct Threshold(Option<f64>);

impl std::str::FromStr for Threshold {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.eq_ignore_ascii_case("off") {
            return Ok(Threshold(None));
        }
        s.replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(|x| Threshold(Some(x)))
            .ok_or_else(|| format!("expected a number or `off`, got `{s}`"))
    }
}

pub fn run(a: Args) -> Result<(), Failure> {
    let w = QaCliWords::for_lang(a.lang);
    if let Some(0) = a.threads {
        return Err(Failure::usage(anyhow!("--threads must be at least 1")));
    }
    let csv_path = a.out.join(SAMPLE_CSV);
    let xlsx_path = a.out.join(SAMPLE_XLSX);
    if (csv_path.exists() || xlsx_path.exists()) && !a.force {
        return Err(Failure::usage(anyhow!(
            "--out {}: a sample is already there; choose another folder or add --force",
            a.out.display()
        )));
    }
    let mut exclude = HashSet::new();
    for p in &a.exclude {
        exclude.extend(read_exclusions(p).map_err(Failure::usage)?);
    }
    let (pool, label) = match &a.registry {
        Some(r) => (
            pool_from_registry(r, a.sheet.as_deref()).map_err(Failure::usage)?,
            r.display().to_string(),
        ),
        None => {
            let inputs = if a.inputs.is_empty() {
                vec![PathBuf::from("samples")]
            } else {
                a.inputs.clone()
            };
            super::require_paths(&inputs, "", a.lang)?;
            let threads = super::threads::pool(a.threads, a.lang)?;
            let label = inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ");
            // Only contacts the check can score are drawn: with an agent, within
            // the limits, and with a scorecard for their channel and language.
            let cards = if a.scorecards.is_empty() {
                Some(PathBuf::from("scorecards"))
                    .filter(|p| p.is_dir())
                    .into_iter()
                    .collect()
            } else {
                a.scorecards.clone()
            };
            let set = if cards.is_empty() {
                None
            } else {
                Some(super::scorecards::load(&cards)?.0)
            };
            let (load, join) = super::reading::open(&a.read, None)?;
            let read = Reading {
                load: Some(&load),
                join: Some(&join),
                cards: set.as_ref(),
            };
            (threads.install(|| pool_from_contacts(&inputs, read)), label)
        }
    };
    let cfg = SampleConfig {
        seed: a.seed,
        per: a.per,
        per_channel: a.per_channel.iter().cloned().collect::<BTreeMap<_, _>>(),
        period: a.period,
        rules: Rules {
            complaint_categories: a.complaint_categories.clone(),
            long_over_s: a.long_over_s.0,
            low_csat_max: a.low_csat_max.0,
            action: a.flagged,
        },
    };
    let sample = draw(&pool.contacts, &exclude, &cfg);
    if sample.selected.is_empty() {
        // An empty sample would send controllers nothing and look done.
        return Err(Failure::nothing(anyhow!(
            "{} {label}: {} {}, {} {}, {} {}",
            w.nothing_to_draw,
            w.pool_contacts,
            sample.pool,
            w.excluded_evaluated,
            sample.excluded,
            w.not_read,
            pool.problems.len()
        )));
    }
    std::fs::create_dir_all(&a.out)
        .with_context(|| format!("cannot create --out {}", a.out.display()))
        .map_err(Failure::output)?;
    write_csv(&csv_path, &sample, a.lang)
        .with_context(|| format!("cannot write {}", csv_path.display()))
        .map_err(Failure::output)?;
    write_xlsx(&xlsx_path, &sample, &cfg, &label, a.lang)
        .with_context(|| format!("cannot write {}", xlsx_path.display()))
        .map_err(Failure::output)?;
    let copy_problems = match &a.copy_to {
        Some(dir) => copy_transcripts(dir, &sample)
            .with_context(|| format!("--copy-to {}", dir.display()))
            .map_err(Failure::output)?,
        None => Vec::new(),
    };
    if !a.quiet {
        println!(
            "{} {} {} {} (seed {}); {} {}, {} {}, {} {}.",
            w.selected,
            sample.selected.len(),
            w.of,
            sample.pool,
            a.seed,
            w.strata,
            sample.strata,
            w.below_quota,
            sample.short_strata,
            w.excluded_evaluated,
            sample.excluded
        );
        if sample.undated > 0 {
            println!("{} {}", w.undated, sample.undated);
        }
        for (what, list) in [
            (w.left_out_pool, &pool.problems),
            (w.not_copied, &copy_problems),
        ] {
            if !list.is_empty() {
                println!("{what}: {}", list.len());
                for p in list.iter().take(5) {
                    println!(
                        "  {}",
                        cqa::text::terminal::escape(&cqa::words::say::in_lang(p, a.lang))
                    );
                }
            }
        }
        println!("{}\n{}", csv_path.display(), xlsx_path.display());
    }
    Ok(())
}
