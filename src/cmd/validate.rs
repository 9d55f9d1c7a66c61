//! `cqa validate SCORECARD…`

use super::Failure;
use anyhow::anyhow;
use cqa::engine::{card_languages, overlap};
use cqa::scorecard::{load_scorecard, Scorecard};
use std::path::PathBuf;

/// Check scorecards: invalid JSON (line:column), unknown rule types and fields,
/// invalid regexes, duplicate ids, bad weights, severities and speakers — every
/// problem at once, each with its file and JSON path. Exit code 2 when any is invalid.
/// Warns (without failing) when two cards can match the same contact — `cqa check`
/// scores it with the first in this order (a folder's files by name) — and when a
/// card written in one language applies to contacts of any language.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Russian terms: none; problems are named by JSON path and criterion id (e.g. sections[0].criteria[1] (greet_name).rule.pattern)."
)]
pub struct Args {
    /// Scorecard files or folders of them.
    #[arg(required = true, value_name = "SCORECARD")]
    paths: Vec<PathBuf>,
}

pub fn run(a: Args) -> Result<(), Failure> {
    let mut bad = 0;
    // Named as given: these are validate's arguments, not a --scorecard option.
    if let Some(p) = a.paths.iter().find(|p| !p.exists()) {
        return Err(Failure::usage(anyhow!(
            "{}: file not found (no such file or folder)",
            p.display()
        )));
    }
    let files = super::scorecards::files(&a.paths)?;
    let mut valid: Vec<(PathBuf, Scorecard)> = Vec::new();
    for f in &files {
        match load_scorecard(f) {
            Ok(card) => {
                let n = card.criteria().count();
                println!(
                    "{}: ok — `{}` version {}, {} criteria",
                    cqa::text::terminal::escape(&f.display().to_string()),
                    cqa::text::terminal::escape(&card.id),
                    cqa::text::terminal::escape(&card.version),
                    n
                );
                valid.push((f.clone(), card));
            }
            Err(e) => {
                bad += 1;
                eprintln!(
                    "{}",
                    cqa::text::terminal::escape_keeping_lines(&e.to_string())
                );
            }
        }
    }
    for w in warnings(&valid) {
        eprintln!("warning: {w}");
    }
    if bad > 0 {
        return Err(Failure::usage(anyhow!(
            "{bad} of {} scorecard(s) invalid",
            files.len()
        )));
    }
    Ok(())
}

/// Overlapping cards (the first wins, as in `cqa check`) and cards whose
/// language does not restrict the contacts they score.
fn warnings(cards: &[(PathBuf, Scorecard)]) -> Vec<String> {
    let mut out = Vec::new();
    for (f, c) in cards {
        if let Some(l) = c.language.as_deref().filter(|l| !l.trim().is_empty()) {
            if card_languages(c).is_empty() {
                out.push(format!(
                    "{}: `{}` is written in `{l}` but applies to contacts of any language; add \"languages\": [\"{l}\"] to applies_to",
                    f.display(),
                    c.id
                ));
            }
        }
    }
    for (i, (fa, a)) in cards.iter().enumerate() {
        for (fb, b) in &cards[i + 1..] {
            if let Some(both) = overlap(a, b) {
                out.push(format!(
                    "{} and {} can match the same contacts ({both}): `{}` wins, being first in file-name order; `{}` scores only what `{}` does not take",
                    fa.display(),
                    fb.display(),
                    a.id,
                    b.id,
                    a.id
                ));
            }
        }
    }
    out
}
