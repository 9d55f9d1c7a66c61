//! `cqa gen`

use super::Failure;
use anyhow::{anyhow, Context};
use cqa::generate::{contact, GenConfig};
use rayon::prelude::*;
use std::io::Write;
use std::path::PathBuf;

/// Generate a realistic corpus for tests and benchmarks: Russian voice calls
/// and chats and English e-mails of a retail bank, with errors planted at
/// known rates. Writes `DIR/contacts/contacts-NNNN.jsonl` and `DIR/truth.jsonl` (what was
/// planted in each contact, and which criterion of
/// `scorecards/bank-voice-ru.json` must catch it).
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
}

pub fn run(a: Args) -> Result<(), Failure> {
    if a.agents == 0 || a.per_file == 0 {
        return Err(Failure::usage(anyhow!(
            "--agents and --per-file must be at least 1"
        )));
    }
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
    let mut truth = open("truth.jsonl".into())?;
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
    Ok(())
}
