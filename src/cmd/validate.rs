//! `cqa validate SCORECARD…`

use super::Failure;
use anyhow::anyhow;
use cqa::scorecard::load_scorecard;
use std::path::PathBuf;

/// Check scorecards: invalid JSON (line:column), unknown rule types and fields,
/// invalid regexes, duplicate ids, bad weights, severities and speakers — every
/// problem at once, each with its file and JSON path. Exit code 2 when any is invalid.
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
    for f in &files {
        match load_scorecard(f) {
            Ok(card) => {
                let n = card.criteria().count();
                println!(
                    "{}: ok — `{}` version {}, {} criteria",
                    f.display(),
                    card.id,
                    card.version,
                    n
                );
            }
            Err(e) => {
                bad += 1;
                eprintln!("{e}");
            }
        }
    }
    if bad > 0 {
        return Err(Failure::usage(anyhow!(
            "{bad} of {} scorecard(s) invalid",
            files.len()
        )));
    }
    Ok(())
}
