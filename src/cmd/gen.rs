//! `cqa gen`

use super::Failure;
use anyhow::{anyhow, Context};
use cqa::generate::{contact, GenConfig};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Generate a realistic corpus for tests and benchmarks: Russian voice calls
/// and chats and English e-mails of a retail bank, with errors planted at
/// known rates. Writes `DIR/contacts/contacts-NNNN.jsonl` and `DIR/.truth.jsonl` (what was
/// planted in each contact, and which criterion of
/// `scorecards/bank-voice-ru.json` must catch it). The truth file is hidden so
/// that `cqa check DIR` (which skips hidden files) reads only the contacts.
/// Every other criterion of the bundled cards passes or does not apply.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Russian terms: the generated contacts are Russian bank calls and chats (Оператор / Клиент turns)."
)]
pub struct Args {
    /// Number of contacts
    #[arg(long, default_value_t = 10_000)]
    contacts: usize,
    /// Number of agents
    #[arg(long, default_value_t = 50)]
    agents: usize,
    /// Random seed: the same seed gives the same files
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output folder
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Contacts per .jsonl file
    #[arg(long, default_value_t = 50_000, value_name = "N")]
    per_file: usize,
    /// Write into a non-empty --out folder: the files of an earlier `cqa gen` there
    /// are removed first (contacts/contacts-NNNN.jsonl, .truth.jsonl); others are left alone
    #[arg(long)]
    force: bool,
}

/// The answer key: hidden, so that `cqa check DIR` does not read it as contacts.
pub const TRUTH: &str = ".truth.jsonl";

/// Refuses a non-empty `out` without `force`; with it, removes what an
/// earlier `cqa gen` wrote there, so no stale contacts file survives.
fn prepare(out: &Path, force: bool) -> Result<(), Failure> {
    if out.is_file() {
        return Err(Failure::usage(anyhow!(
            "--out {}: is a file, not a folder",
            out.display()
        )));
    }
    let non_empty = std::fs::read_dir(out)
        .map(|mut r| r.next().is_some())
        .unwrap_or(false);
    if !non_empty {
        return Ok(());
    }
    if !force {
        return Err(Failure::usage(anyhow!(
            "--out {}: the folder is not empty; choose another or add --force",
            out.display()
        )));
    }
    let mut old = vec![out.join(TRUTH)];
    if let Ok(entries) = std::fs::read_dir(out.join("contacts")) {
        old.extend(
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("contacts-") && n.ends_with(".jsonl"))
                }),
        );
    }
    for f in old {
        cqa::output::remove_if_present(&f)
            .map_err(|e| Failure::output(anyhow!("cannot remove {}: {e}", f.display())))?;
    }
    Ok(())
}

pub fn run(a: Args) -> Result<(), Failure> {
    if a.agents == 0 || a.per_file == 0 {
        return Err(Failure::usage(anyhow!(
            "--agents and --per-file must be at least 1"
        )));
    }
    prepare(&a.out, a.force)?;
    let contacts_dir = a.out.join("contacts");
    std::fs::create_dir_all(&contacts_dir)
        .with_context(|| format!("cannot create {}", contacts_dir.display()))
        .map_err(Failure::output)?;
    let cfg = GenConfig {
        contacts: a.contacts,
        agents: a.agents,
        seed: a.seed,
    };
    let open = |name: String| -> Result<std::io::BufWriter<std::fs::File>, Failure> {
        let p = a.out.join(&name);
        std::fs::File::create(&p)
            .map(|f| std::io::BufWriter::with_capacity(1 << 20, f))
            .with_context(|| format!("cannot write {}", p.display()))
            .map_err(Failure::output)
    };
    let mut truth = open(TRUTH.into())?;
    let mut file_no = 0;
    let mut start = 0;
    while start < a.contacts {
        let end = (start + a.per_file).min(a.contacts);
        file_no += 1;
        let mut out = open(format!("contacts/contacts-{file_no:04}.jsonl"))?;
        for chunk in (start..end).collect::<Vec<_>>().chunks(8192) {
            let lines: Vec<(String, String)> = chunk
                .par_iter()
                .map(|&i| {
                    let (c, t) = contact(&cfg, i);
                    (
                        serde_json::to_string(&c).unwrap_or_default(),
                        serde_json::to_string(&t).unwrap_or_default(),
                    )
                })
                .collect();
            for (c, t) in lines {
                writeln!(out, "{c}")
                    .and_then(|_| writeln!(truth, "{t}"))
                    .map_err(Failure::output)?;
            }
        }
        out.flush().map_err(Failure::output)?;
        start = end;
    }
    truth.flush().map_err(Failure::output)?;
    println!(
        "{} contacts in {}; what was planted: {}",
        a.contacts,
        contacts_dir.display(),
        a.out.join(TRUTH).display()
    );
    Ok(())
}
