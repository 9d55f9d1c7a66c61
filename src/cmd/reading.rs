//! The inputs options `cqa check` takes, shared by the controllers' commands
//! (`explain`, `sample`, `forms`, `calibrate`), so that what the check can read
//! they can read too: other JSON exports through a mapping, the agent roster
//! and, where the command has no `--registry` of its own, the contact registry.

use super::Failure;
use anyhow::anyhow;
use cqa::input::contact::{Join, LoadOptions, Mapping};
use std::path::{Path, PathBuf};

/// `--mapping`, `--roster`, `--roster-wins`.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct MappingArgs {
    /// Read other JSON exports through this field mapping (docs/mapping.md; examples: mappings/*.json)
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// Agent roster (.xlsx or .csv): agent id -> name, team, team lead
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    /// The roster's agent name and team replace the contacts' own
    #[arg(long, requires = "roster")]
    pub roster_wins: bool,
}

/// `--registry` as `cqa check` takes it: contact id -> agent, team, date, channel, queue.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct RegistryArg {
    /// Contact registry (.xlsx or .csv): contact id -> agent, team, date, channel,
    /// queue; fills what contacts leave empty, as `cqa check --registry` does
    #[arg(long, value_name = "FILE")]
    pub registry: Option<PathBuf>,
}

/// Load options and the join, read once before any contact.
pub fn open(m: &MappingArgs, registry: Option<&Path>) -> Result<(LoadOptions, Join), Failure> {
    let mut load = LoadOptions::default();
    if let Some(p) = &m.mapping {
        let mapping = Mapping::load(p)
            .map_err(|e| Failure::usage(anyhow!("--mapping {}: {e}", p.display())))?;
        load.mapping = Some(std::sync::Arc::new(mapping));
    }
    let mut join = Join::load(registry, m.roster.as_deref(), load.max_file_bytes)
        .map_err(|e| Failure::usage(anyhow!("--registry/--roster: {e}")))?;
    join.roster_wins = m.roster_wins;
    Ok((load, join))
}
