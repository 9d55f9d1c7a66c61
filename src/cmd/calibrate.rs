//! `cqa calibrate`

use super::Failure;
use anyhow::Context;
use cqa::check::EvalOptions;
use cqa::output::manifest::{Manifest, MANIFEST};
use cqa::output::results::read::for_each_result;
use cqa::qa::calibration::workbook::{icc_word, write_workbook};
use cqa::qa::calibration::{
    analyse, to_json, CardMeta, Report, Session, SessionError, CALIBRATION_JSON, CALIBRATION_XLSX,
};
use cqa::qa::evaluation::read_evaluations;
use cqa::qa::sampling::pool::{load_contacts, Reading};
use cqa::results::ContactResult;
use cqa::words::cli_qa::QaCliWords;
use cqa::words::Lang;
use std::collections::HashSet;
use std::path::PathBuf;

/// Agreement of controllers who scored the same contacts — and of the
/// automatic checks with them: per criterion percent agreement,
/// Krippendorff's alpha, Fleiss' kappa and agreement with the automatic
/// verdict; per contact the spread of total scores; ICC(2,1); per controller
/// the mean deviation from the reference (or the others) and the criteria
/// where they disagree most. With --out: calibration.xlsx for the session
/// room and calibration.json for other tools (both replaced if present).
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Russian terms (default --lang ru): согласие = agreement; α = Krippendorff's alpha, κ = Fleiss' kappa; авто = the automatic checks; разброс = score spread; отклонение = deviation; эталон = reference; Пропуски = missing answers (blanks on calibration forms)."
)]
pub struct Args {
    /// Filled forms and flat tables (csv/xlsx) of the session
    #[arg(long, value_name = "DIR")]
    evaluations: PathBuf,
    /// Compare everyone with this controller [default: with the mean of the others]
    #[arg(long, value_name = "NAME")]
    reference: Option<String>,
    /// Scorecard file or folder, for titles, weights and scoring; repeat for several
    /// [default with --contacts: scorecards]
    #[arg(short, long = "scorecard", value_name = "FILE_OR_DIR")]
    scorecards: Vec<PathBuf>,
    /// Contact files or folders: run the automatic checks on the session's contacts
    #[arg(long, value_name = "DIR", conflicts_with = "results")]
    contacts: Vec<PathBuf>,
    /// Or take the automatic verdicts from a results.jsonl of `cqa check`
    #[arg(long, value_name = "FILE")]
    results: Option<PathBuf>,
    /// Write calibration.xlsx and calibration.json into this folder
    #[arg(short, long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Language of the workbook and the terminal summary
    #[arg(long, default_value = "ru", value_name = "ru|en")]
    pub(super) lang: Lang,
    /// Print nothing but errors
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    read: super::reading::MappingArgs,
    #[command(flatten)]
    registry: super::reading::RegistryArg,
}

pub fn run(a: Args) -> Result<(), Failure> {
    let w = QaCliWords::for_lang(a.lang);
    super::require_paths(
        std::slice::from_ref(&a.evaluations),
        "--evaluations",
        a.lang,
    )?;
    super::require_paths(&a.contacts, "--contacts", a.lang)?;
    super::require_paths(a.results.as_slice(), "--results", a.lang)?;
    let evals = read_evaluations(&a.evaluations).map_err(Failure::usage)?;
    let wanted: HashSet<String> = evals.answers.iter().map(|x| x.contact_id.clone()).collect();
    let card_paths = if a.scorecards.is_empty() && !a.contacts.is_empty() {
        vec![PathBuf::from("scorecards")]
    } else {
        a.scorecards.clone()
    };
    let set = if card_paths.is_empty() {
        None
    } else {
        Some(super::scorecards::load(&card_paths)?.0)
    };
    let mut cards: Vec<CardMeta> = set
        .iter()
        .flat_map(|s| s.cards.iter().map(|c| CardMeta::from_scorecard(&c.card)))
        .collect();
    let mut auto: Vec<ContactResult> = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    if let (Some(set), false) = (&set, a.contacts.is_empty()) {
        let (load, join) = super::reading::open(&a.read, a.registry.registry.as_deref())?;
        let read = Reading {
            load: Some(&load),
            join: Some(&join),
            cards: Some(set),
        };
        let (found, p) = load_contacts(&a.contacts, Some(&wanted), read);
        problems.extend(p);
        let opts = EvalOptions {
            lang: a.lang,
            mask: true,
        };
        for l in found {
            match set.select(&l.contact) {
                Some(card) => auto.push(cqa::run::evaluate(
                    card,
                    &l.contact,
                    &l.source.display().to_string(),
                    l.line,
                    &opts,
                )),
                None => problems.push(format!("{}: no scorecard applies to it", l.contact.id)),
            }
        }
    }
    if let Some(path) = &a.results {
        for_each_result(path, |r| {
            if wanted.contains(&r.contact_id) {
                auto.push(r);
            }
        })
        .map_err(Failure::usage)?;
        if cards.is_empty() {
            let run = path.with_file_name(MANIFEST);
            match std::fs::read_to_string(&run)
                .ok()
                .and_then(|t| serde_json::from_str::<Manifest>(&t).ok())
            {
                Some(m) => cards = m.scorecards.iter().map(CardMeta::from_info).collect(),
                None => {
                    for r in &auto {
                        if !cards.iter().any(|c| c.id == r.scorecard_id) {
                            cards.push(CardMeta::from_result(r));
                        }
                    }
                }
            }
        }
    }
    let (session, bad) =
        Session::build(&evals, cards, &auto, a.reference.as_deref()).map_err(|e| {
            // When nothing could be read, say which files were refused and why.
            let refused: Vec<String> = evals.bad.iter().take(10).map(|b| b.to_string()).collect();
            let nothing = matches!(e, SessionError::Empty);
            let e = match refused.is_empty() {
                true => anyhow::Error::new(e),
                false => anyhow::anyhow!("{e}\n  {}", refused.join("\n  ")),
            };
            // No answers at all: nothing to calibrate (exit 3), not a usage error.
            match nothing {
                true => Failure::nothing(e),
                false => Failure::usage(e),
            }
        })?;
    if session.shared_contacts() == 0 {
        // Ordinary forms share the contacts out, one controller each:
        // there is no agreement to measure.
        return Err(Failure::nothing(anyhow::anyhow!("{}", w.no_pairs)));
    }
    let report = analyse(&session);
    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create --out {}", dir.display()))
            .map_err(Failure::output)?;
        let json = serde_json::to_string_pretty(&to_json(&report)).map_err(Failure::output)?;
        std::fs::write(dir.join(CALIBRATION_JSON), json)
            .with_context(|| format!("cannot write {}", dir.join(CALIBRATION_JSON).display()))
            .map_err(Failure::output)?;
        write_workbook(&dir.join(CALIBRATION_XLSX), &report, a.lang)
            .with_context(|| format!("cannot write {}", dir.join(CALIBRATION_XLSX).display()))
            .map_err(Failure::output)?;
    }
    if !a.quiet {
        print!(
            "{}",
            cqa::text::terminal::escape_keeping_lines(&summary(&report, a.lang))
        );
        let bad_rows: Vec<String> = evals
            .bad
            .iter()
            .chain(&bad)
            .map(|b| {
                let said = cqa::words::say::in_lang(&b.message, a.lang);
                format!("{}: {said}", b.at.shown(a.lang))
            })
            .collect();
        let mut without_auto: Vec<String> = Vec::new();
        if !a.contacts.is_empty() || a.results.is_some() {
            let have: HashSet<&str> = auto.iter().map(|r| r.contact_id.as_str()).collect();
            without_auto = session
                .contacts
                .iter()
                .filter(|c| !have.contains(c.as_str()))
                .cloned()
                .collect();
            without_auto.extend(
                problems
                    .iter()
                    .map(|p| format!("({})", cqa::words::say::in_lang(p, a.lang))),
            );
            if without_auto.len() == problems.len() {
                without_auto.clear(); // every session contact was found: unrelated files do not matter
            }
        }
        for (what, list) in [
            (w.rows_not_used, &bad_rows),
            (w.without_auto, &without_auto),
        ] {
            if !list.is_empty() {
                println!("{what}: {}", list.len());
                for p in list.iter().take(10) {
                    println!("  {}", cqa::text::terminal::escape(p));
                }
            }
        }
        if let Some(dir) = &a.out {
            println!(
                "{}\n{}",
                dir.join(CALIBRATION_XLSX).display(),
                dir.join(CALIBRATION_JSON).display()
            );
        }
    }
    Ok(())
}

fn num(x: Option<f64>, pct: bool) -> String {
    match x {
        Some(v) if pct => format!("{:.0}%", 100.0 * v),
        Some(v) => format!("{v:.2}"),
        None => "—".into(),
    }
}

/// Judge criteria (a language model decides them): agreement of its
/// verdicts with the controllers, and the share it left to them.
fn judge_summary(r: &Report, lang: Lang) -> String {
    let w = QaCliWords::for_lang(lang);
    use std::fmt::Write;
    let judged: Vec<_> = r.criteria.iter().filter(|c| c.judge).collect();
    let mut s = String::new();
    if judged.is_empty() {
        return s;
    }
    let _ = writeln!(
        s,
        "\n{}\n{:<28} {:>7} {:>9} {:>9} {:>9}",
        w.judge_title, w.c_criterion, w.c_answers, w.c_auto, w.c_review, w.c_missed
    );
    for c in judged {
        let _ = writeln!(
            s,
            "{:<28} {:>7} {:>9} {:>9} {:>9}",
            cqa::text::truncate_chars(&c.id, 28),
            c.auto_compared,
            num(c.auto_agreement, true),
            num(c.review_rate(), true),
            c.auto_missed
        );
    }
    s
}

/// The terminal version of the workbook: worst criteria first, then controllers.
pub fn summary(r: &Report, lang: Lang) -> String {
    let w = QaCliWords::for_lang(lang);
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} {}; {} {}; ICC(2,1) {}: {}",
        w.k_contacts,
        r.contacts.len(),
        w.k_evaluators,
        r.evaluators.len(),
        w.of_scores,
        r.icc_2_1
            .map_or("—".into(), |x| format!("{x:.2} ({})", icc_word(x, lang)))
    );
    let mut crit = r.criteria.clone();
    crit.sort_by(|a, b| match (a.krippendorff_alpha, b.krippendorff_alpha) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.id.cmp(&b.id),
    });
    let _ = writeln!(
        s,
        "\n{:<28} {:>9} {:>6} {:>6} {:>7}",
        w.c_criterion, w.c_agree, "α", "κ", w.c_auto
    );
    for c in crit.iter().take(15) {
        let _ = writeln!(
            s,
            "{:<28} {:>9} {:>6} {:>6} {:>7}",
            cqa::text::truncate_chars(&c.id, 28),
            num(c.percent_agreement, true),
            num(c.krippendorff_alpha, false),
            num(c.fleiss_kappa, false),
            num(c.auto_agreement, true)
        );
    }
    if crit.len() > 15 {
        let _ = writeln!(s, "… {} {}", crit.len() - 15, w.more);
    }
    if !r.missing.is_empty() {
        let mut by_evaluator: std::collections::BTreeMap<&str, u64> = Default::default();
        for (who, _, n) in &r.missing {
            *by_evaluator.entry(who.as_str()).or_default() += n;
        }
        let list: Vec<String> = by_evaluator
            .iter()
            .map(|(w, n)| format!("{w}: {n}"))
            .collect();
        let _ = writeln!(
            s,
            "\n{} {} ({})",
            w.k_missing,
            r.missing.iter().map(|m| m.2).sum::<u64>(),
            list.join(", ")
        );
    }
    s.push_str(&judge_summary(r, lang));
    let _ = writeln!(
        s,
        "\n{:<24} {:>11}  {}",
        w.c_evaluator, w.c_deviation, w.c_disagrees_on
    );
    for e in &r.evaluators {
        let dev = if r.reference.as_deref() == Some(e.name.as_str()) {
            w.reference.to_string()
        } else {
            e.mean_deviation
                .map_or("—".into(), |d| format!("{:+.1}", cqa::stats::shown(d, 1)))
        };
        let worst: Vec<&str> = e.worst.iter().map(|(id, _)| id.as_str()).collect();
        let _ = writeln!(
            s,
            "{:<24} {:>11}  {}",
            cqa::text::truncate_chars(&e.name, 24),
            dev,
            worst.join(", ")
        );
    }
    s
}
