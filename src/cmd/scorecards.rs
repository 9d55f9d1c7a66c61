//! Loading the scorecards named on the command line (files or folders).

use super::Failure;
use anyhow::anyhow;
use cqa::check::{CompiledScorecard, ScorecardSet};
use cqa::input::scorecard::parse_scorecard;
use cqa::output::manifest::ScorecardInfo;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Scorecard files: each file as given, each folder's `*.json` in name order.
pub fn files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| {
                    Failure::usage(anyhow!(
                        "--scorecard {}: cannot read the folder: {e}",
                        p.display()
                    ))
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file())
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(Failure::usage(anyhow!(
                    "--scorecard {}: the folder has no .json scorecards",
                    p.display()
                )));
            }
            out.extend(found);
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            return Err(Failure::usage(anyhow!(
                "--scorecard {}: no such file or folder",
                p.display()
            )));
        }
    }
    Ok(out)
}

/// Loads, validates and compiles; any invalid scorecard stops the run with every message.
pub fn load(paths: &[PathBuf]) -> Result<(ScorecardSet, Vec<ScorecardInfo>), Failure> {
    let mut cards = Vec::new();
    let mut infos = Vec::new();
    let mut problems = Vec::new();
    // In parallel (rayon keeps the order): compiling a card's automata takes tens of milliseconds.
    let loaded: Vec<_> = files(paths)?.par_iter().map(|f| load_one(f)).collect();
    for one in loaded {
        match one {
            Ok((c, info)) => {
                cards.push(c);
                infos.push(info);
            }
            Err(e) => problems.push(e),
        }
    }
    if !problems.is_empty() {
        return Err(Failure::usage(anyhow!(
            "invalid scorecard(s):\n{}",
            problems.join("\n")
        )));
    }
    Ok((ScorecardSet { cards }, infos))
}

fn load_one(f: &Path) -> Result<(CompiledScorecard, ScorecardInfo), String> {
    let label = f.display().to_string();
    let bytes = std::fs::read(f).map_err(|e| format!("{label}: cannot read: {e}"))?;
    let text = String::from_utf8_lossy(&bytes);
    let card = parse_scorecard(&text, &label).map_err(|e| e.to_string())?;
    let info = ScorecardInfo::new(&card, &label, &bytes);
    let compiled = CompiledScorecard::compile(card).map_err(|e| format!("{label}: {e}"))?;
    Ok((compiled, info))
}
