//! `cqa forms`

use super::Failure;
use anyhow::{anyhow, Context};
use cqa::check::EvalOptions;
use cqa::output::xlsx::safe_file_stem;
use cqa::qa::evaluation::form::{write_form, FormItem, FormOptions};
use cqa::qa::evaluation::table::read_tables;
use cqa::qa::sampling::pool::{load_contacts, load_one, Loaded, Reading};
use cqa::words::cli_qa::QaCliWords;
use cqa::words::Lang;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Blank evaluation workbooks, one per controller: each contact × criterion
/// with the automatic verdict and reason beside an answer drop-down
/// (Да/Нет/Н/П), a comment cell and the controller's name, and the transcript
/// of each contact on its own sheet. The sample is shared out among the
/// controllers in turn, or given whole to each with --calibration.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Russian terms (default --lang ru): Да / Нет / Н/П = Yes / No / N/A; Оценка = the evaluation sheet; Автоматически = the automatic verdict; Причина и цитата = reason and quote (neither is shown on blind --calibration forms); открыть = open the transcript."
)]
pub struct Args {
    /// A sample manifest (sample.csv from `cqa sample`, or any table with contact_id)
    #[arg(long, value_name = "MANIFEST", required_unless_present = "contacts")]
    sample: Option<PathBuf>,
    /// Contact files or folders: the contacts to evaluate, or where to find the
    /// manifest's contacts by id; repeat for several
    #[arg(long, value_name = "DIR")]
    contacts: Vec<PathBuf>,
    /// Scorecard file or folder; repeat for several [default: scorecards]
    #[arg(short, long = "scorecard", value_name = "FILE_OR_DIR")]
    scorecards: Vec<PathBuf>,
    /// Controllers' names, comma-separated: "Иванова,Петров"
    #[arg(long, value_name = "NAMES", value_delimiter = ',', required = true)]
    evaluators: Vec<String>,
    /// Give every controller every contact, blind (for a calibration session):
    /// no automatic verdict or reason is shown, every criterion must be
    /// answered, and a blank answer counts as missing in `cqa calibrate`
    #[arg(long)]
    calibration: bool,
    /// Folder for the workbooks
    #[arg(short, long, default_value = "forms", value_name = "DIR")]
    out: PathBuf,
    /// Replace existing workbooks in --out
    #[arg(long)]
    force: bool,
    /// Language of the form: drop-down words, labels and reasons
    #[arg(long, default_value = "ru", value_name = "ru|en")]
    pub(super) lang: Lang,
    /// Keep personal data unmasked in transcripts and quotes
    #[arg(long)]
    no_mask: bool,
    /// Print nothing but errors
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    read: super::reading::MappingArgs,
    #[command(flatten)]
    registry: super::reading::RegistryArg,
    /// The model's suggestions for judge criteria (from its cache after a check)
    #[command(flatten)]
    judge: super::judge::JudgeArgs,
}

/// A manifest row: contact id, transcript path, line in a `.jsonl`.
type ManifestRow = (String, Option<PathBuf>, Option<u64>);

/// The manifest's contacts in its order.
fn read_manifest(path: &Path) -> Result<Vec<ManifestRow>, Failure> {
    let tables = read_tables(path, 1_048_576).map_err(Failure::usage)?;
    let (t, h) = tables
        .iter()
        .find_map(|t| t.find_header(&["contact_id"], &[]).map(|h| (t, h)))
        .ok_or_else(|| {
            Failure::usage(anyhow!("--sample {}: no contact_id column", path.display()))
        })?;
    let base = path.parent().unwrap_or(Path::new(""));
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for r in &t.rows[h.at + 1..] {
        let id = h.cell(r, "contact_id").text();
        if id.is_empty() || !seen.insert(id.clone()) {
            continue;
        }
        let source = Some(h.cell(r, "source").text())
            .filter(|s| !s.is_empty())
            .map(|s| {
                let p = PathBuf::from(&s);
                if p.is_relative() && !p.exists() {
                    base.join(p)
                } else {
                    p
                }
            });
        let line = h.cell(r, "line").number().map(|n| n as u64);
        out.push((id, source, line));
    }
    Ok(out)
}

pub fn run(a: Args) -> Result<(), Failure> {
    let w = QaCliWords::for_lang(a.lang);
    let cards = if a.scorecards.is_empty() {
        vec![PathBuf::from("scorecards")]
    } else {
        a.scorecards.clone()
    };
    super::require_paths(&a.contacts, "--contacts", a.lang)?;
    super::require_paths(a.sample.as_slice(), "--sample", a.lang)?;
    let (set, _) = super::scorecards::load(&cards)?;
    let judge = a.judge.open(&set, !a.no_mask)?;
    let evaluators: Vec<String> = a
        .evaluators
        .iter()
        .map(|e| e.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|e| !e.is_empty())
        .collect();
    if evaluators.is_empty() {
        return Err(Failure::usage(anyhow!("--evaluators: no names given")));
    }
    let (load, join) = super::reading::open(&a.read, a.registry.registry.as_deref())?;
    let read = Reading {
        load: Some(&load),
        join: Some(&join),
        cards: Some(&set),
    };
    let mut problems = Vec::new();
    let contacts: Vec<Loaded> = match &a.sample {
        Some(m) => {
            let wanted = read_manifest(m)?;
            let ids: HashSet<String> = wanted.iter().map(|w| w.0.clone()).collect();
            // Files that could not be read matter only for the sampled
            // contacts they may hold: the others were never in the sample.
            let (found, unreadable) = if a.contacts.is_empty() {
                (Vec::new(), Vec::new())
            } else {
                load_contacts(&a.contacts, Some(&ids), read)
            };
            let mut by_id: HashMap<String, Loaded> = found
                .into_iter()
                .map(|l| (l.contact.id.clone(), l))
                .collect();
            let mut out = Vec::new();
            for (id, source, line) in wanted {
                if let Some(l) = by_id.remove(&id) {
                    out.push(l);
                    continue;
                }
                match source {
                    Some(src) => match load_one(&src, line, read) {
                        Ok(c) if c.id == id => out.push(Loaded { contact: c, source: src, line }),
                        Ok(c) => problems.push(format!("{id}: {} holds contact `{}` instead", src.display(), c.id)),
                        Err(e) => problems.push(format!("{id}: {e}")),
                    },
                    None => problems.push(match unreadable.iter().find(|u| u.contains(&format!("`{id}`"))) {
                        Some(why) => format!("{id}: {why}"),
                        None if unreadable.is_empty() => format!(
                            "{id}: no transcript (the manifest has no source and --contacts does not have it)"
                        ),
                        None => format!(
                            "{id}: no transcript (the manifest has no source and --contacts does not have it; {} input(s) there could not be read, e.g. {})",
                            unreadable.len(),
                            unreadable[0]
                        ),
                    }),
                }
            }
            out
        }
        None => {
            let (found, p) = load_contacts(&a.contacts, None, read);
            problems.extend(p);
            found
        }
    };
    let opts = EvalOptions {
        lang: a.lang,
        mask: !a.no_mask,
    };
    let mut items = Vec::new();
    for l in contacts {
        match set.select(&l.contact) {
            Some(card) => {
                let result = cqa::run::evaluate_with(
                    card,
                    &l.contact,
                    &l.source.display().to_string(),
                    l.line,
                    &opts,
                    judge.as_deref(),
                    true,
                );
                items.push(FormItem {
                    contact: l.contact,
                    result,
                });
            }
            None => problems.push(format!("{}: no scorecard applies to it", l.contact.id)),
        }
    }
    if items.is_empty() {
        return Err(Failure::nothing(anyhow!(
            "no contacts to evaluate{}",
            problems
                .first()
                .map_or(String::new(), |p| format!(" ({p})"))
        )));
    }
    std::fs::create_dir_all(&a.out)
        .with_context(|| format!("cannot create --out {}", a.out.display()))
        .map_err(Failure::output)?;
    let scorecards: Vec<cqa::input::scorecard::Scorecard> =
        set.cards.iter().map(|c| c.card.clone()).collect();
    let form_opts = FormOptions {
        lang: a.lang,
        mask: !a.no_mask,
        blind: a.calibration,
    };
    let mut used = HashSet::new();
    let k = evaluators.len();
    for (i, who) in evaluators.iter().enumerate() {
        let share: Vec<&FormItem> = items
            .iter()
            .enumerate()
            .filter(|(j, _)| a.calibration || j % k == i)
            .map(|(_, it)| it)
            .collect();
        let mut stem = safe_file_stem(who);
        while !used.insert(stem.to_lowercase()) {
            stem.push('_');
        }
        let path = a.out.join(format!("{stem}.xlsx"));
        if path.exists() && !a.force {
            return Err(Failure::usage(anyhow!(
                "{}: already exists; choose another --out or add --force",
                path.display()
            )));
        }
        write_form(&path, who, &scorecards, &share, &form_opts)
            .with_context(|| format!("cannot write {}", path.display()))
            .map_err(Failure::output)?;
        if !a.quiet {
            let rows: usize = share.iter().map(|it| it.result.criteria.len()).sum();
            println!(
                "{}: {} {}, {rows} {} -> {}",
                cqa::text::terminal::escape(who),
                share.len(),
                w.contacts,
                w.rows,
                path.display()
            );
        }
    }
    if !a.quiet && !problems.is_empty() {
        println!("{}: {}", w.left_out_forms, problems.len());
        for p in problems.iter().take(10) {
            println!(
                "  {}",
                cqa::text::terminal::escape(&cqa::words::say::in_lang(p, a.lang))
            );
        }
    }
    Ok(())
}
