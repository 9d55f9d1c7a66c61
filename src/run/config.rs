//! What a batch is asked to do ([`CheckConfig`], [`Limits`]) and what it
//! comes to ([`RunCounts`], with the [`LoadWarning`]s run.json lists).

use super::Shard;
use crate::check::EvalOptions;
use crate::input::contact::{Conflict, Join, LoadOptions, Mapping, SkippedFile};
use crate::input::LineRange;
use crate::output::results::Detail;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Limits that keep one bad input from taking the machine down.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_file_bytes: u64,
    pub max_turns: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 64 * 1024 * 1024,
            max_turns: 20_000,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct CheckConfig {
    pub inputs: Vec<PathBuf>,
    pub opts: EvalOptions,
    pub limits: Limits,
    pub shard: Option<Shard>,
    /// Work units per parallel batch.
    pub batch: usize,
    /// How to read JSON exports that are neither native nor a known cloud format.
    pub mapping: Option<Arc<Mapping>>,
    /// Registry and roster that fill missing fields (and report conflicts).
    pub join: Arc<Join>,
    /// The language model for `judge` criteria (`None`: they are `review`).
    pub judge: Option<Arc<crate::check::judge::Judge>>,
    /// How much of each criterion results.jsonl carries (`--detail`).
    pub detail: Detail,
    /// Quote passed criteria even in lean results: controllers' answers
    /// (`--evaluations`) may turn a pass into a finding, which shows its quote.
    pub quote_passes: bool,
}

impl CheckConfig {
    pub(super) fn load_options(&self) -> LoadOptions {
        LoadOptions {
            mapping: self.mapping.clone(),
            max_turns: self.limits.max_turns,
            max_file_bytes: self.limits.max_file_bytes,
        }
    }
}

/// Conflicts and load warnings kept in memory (and in run.json); beyond
/// this many each is only counted.
pub const KEEP_CONFLICTS: usize = 100_000;

/// An optional value a loader could not read (the contact was scored without
/// it); see `contact::fields::warn`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LoadWarning {
    pub source: String,
    pub line: Option<u64>,
    pub contact_id: String,
    pub warning: String,
}

/// Counts of a finished run.
#[derive(Debug, Clone, Default)]
pub struct RunCounts {
    pub discovered: u64,
    pub processed: u64,
    pub rejected: u64,
    pub skipped: Vec<SkippedFile>,
    /// Bytes of input read.
    pub bytes: u64,
    /// The `.jsonl` byte ranges read under `--shard` (see [`LineRange`]).
    pub line_ranges: Vec<LineRange>,
    /// Registry/roster disagreements, in input order (at most [`KEEP_CONFLICTS`]).
    pub conflicts: Vec<Conflict>,
    pub conflicts_total: u64,
    /// Contacts that found their row in the registry.
    pub registry_matched: u64,
    /// Optional values that could not be read, in input order (at most [`KEEP_CONFLICTS`]).
    pub warnings: Vec<LoadWarning>,
    pub warnings_total: u64,
    /// Contacts scored by each scorecard id (ones that scored none are absent).
    pub by_card: HashMap<String, u64>,
}
