//! Byte ranges of large `.jsonl` inputs: how `--shard` splits a file, and
//! what a shard records so that `cqa report` can number the whole file's lines.

/// The size of a `.jsonl` byte range under `--shard`. Part of the sharding
/// contract: every shard of a run must split files the same way, so it
/// never changes with the machine or the thread count. 1 MiB keeps the
/// shares even (394 MB in 8 shards: 47 or 48 ranges each) at one seek each.
pub const RANGE_BYTES: u64 = 1 << 20;

/// The lines of one byte range of a `.jsonl` file a `--shard` run read: with
/// every shard's list, `cqa report` numbers the lines of the whole file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LineRange {
    /// The file, as results name it.
    pub source: String,
    /// The byte the range starts at.
    pub start: u64,
    /// Lines starting in the range (blank ones included).
    pub lines: u64,
}
