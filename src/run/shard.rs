//! `--shard K/N`: which files and byte ranges of the inputs a shard reads.
//!
//! Shards split a batch without talking to each other, each reading about
//! 1/N of the bytes: whole files by a stable hash of their path under their
//! input folder, `.jsonl` files over [`RANGE_BYTES`] by line-aligned byte
//! ranges, as Hadoop splits its input.

use super::read::{read_jsonl, Batcher, Stopped};
use super::{display, CheckConfig};
use crate::input::{LineRange, RANGE_BYTES};
use std::path::{Path, PathBuf};

/// Which share of the inputs this process reads and scores (`--shard K/N`),
/// so that N machines split a batch without talking, each reading about 1/N
/// of the bytes: whole files by a stable hash of their path relative to the
/// input root they were found under, and `.jsonl` files larger than
/// [`RANGE_BYTES`] by byte ranges (Hadoop's input splits), range `i` of a
/// file going to shard `(hash + i) mod N`. A range holds the lines that
/// *start* in it, so a line is read by exactly one shard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// Whether part `part` (a byte range; 0 for a whole file) of the input at
    /// `relative` (its path under its input root) is this shard's.
    pub fn owns(&self, relative: &str, part: u64) -> bool {
        // FNV-1a: stable across platforms and releases, unlike std's hasher.
        let h = crate::sys::hash::fnv1a(relative.as_bytes());
        (h.wrapping_add(part) % u64::from(self.count)) as u32 == self.index
    }
}

/// An input's path relative to the input root it was found under (`/`
/// separated), or its file name when named itself: the same on every machine
/// whatever the root is mounted as, so shards agree on who reads it.
pub(super) fn relative_to_roots(path: &Path, roots: &[PathBuf]) -> String {
    let rel = roots
        .iter()
        .filter(|r| r.as_path() != path)
        .find_map(|r| path.strip_prefix(r).ok())
        .filter(|r| !r.as_os_str().is_empty())
        .or_else(|| path.file_name().map(Path::new))
        .unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("expected K/N such as 1/4, got `{s}`"))?;
        let index: u32 = k
            .trim()
            .parse()
            .map_err(|_| format!("shard number `{k}` is not a whole number"))?;
        let count: u32 = n
            .trim()
            .parse()
            .map_err(|_| format!("shard count `{n}` is not a whole number"))?;
        if count == 0 || index == 0 || index > count {
            return Err(format!("shard must be K/N with 1 <= K <= N, got `{s}`"));
        }
        Ok(Shard {
            index: index - 1,
            count,
        })
    }
}

/// This shard's byte ranges of a large `.jsonl` file, each read on its own.
pub(super) fn read_jsonl_ranges(
    cfg: &CheckConfig,
    shard: Shard,
    path: PathBuf,
    size: u64,
    out: &mut Batcher,
    ranges: &mut Vec<LineRange>,
) -> Result<(), Stopped> {
    let relative = relative_to_roots(&path, &cfg.inputs);
    let count = size.div_ceil(RANGE_BYTES);
    for part in (0..count).filter(|&i| shard.owns(&relative, i)) {
        let start = part * RANGE_BYTES;
        // The last range runs to the end, should the file have grown since.
        let end = if part + 1 == count {
            u64::MAX
        } else {
            start + RANGE_BYTES
        };
        let lines = read_jsonl(cfg, path.clone(), Span { start, end }, out)?;
        ranges.push(LineRange {
            source: display(&path),
            start,
            lines,
        });
    }
    Ok(())
}

/// The bytes of a `.jsonl` file to read: the lines starting in `start..end`.
#[derive(Clone, Copy)]
pub(super) struct Span {
    pub start: u64,
    pub end: u64,
}

impl Span {
    pub const WHOLE: Span = Span {
        start: 0,
        end: u64::MAX,
    };
}

#[cfg(test)]
mod tests {
    use super::super::read::{read_jsonl, Batcher, Unit};
    use super::super::CheckConfig;
    use super::*;

    #[test]
    fn a_file_under_an_input_folder_is_named_by_its_path_below_it() {
        let roots = [PathBuf::from("/mnt/data/week48")];
        let p = Path::new("/mnt/data/week48/calls/monday.jsonl");
        assert_eq!(relative_to_roots(p, &roots), "calls/monday.jsonl");
    }

    #[test]
    fn a_file_named_on_the_command_line_is_named_by_its_file_name() {
        let roots = [PathBuf::from("/mnt/data/week48/monday.jsonl")];
        assert_eq!(relative_to_roots(&roots[0], &roots), "monday.jsonl");
    }

    #[test]
    fn the_ranges_of_a_file_go_round_the_shards() {
        for index in 0..4 {
            let shard = Shard { index, count: 4 };
            let owned = (0..8).filter(|&i| shard.owns("calls/monday.jsonl", i));
            assert_eq!(owned.count(), 2, "shard {index}");
        }
    }

    /// The lines `read_jsonl` hands on for `span` of `text`, with their numbers.
    fn lines_in(text: &str, start: u64, end: u64) -> Vec<(u64, String)> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("calls.jsonl");
        std::fs::write(&path, text).unwrap();
        let (tx, rx) = std::sync::mpsc::sync_channel(100);
        let mut out = Batcher {
            batch: Vec::new(),
            size: 1,
            tx,
        };
        let cfg = CheckConfig::default();
        assert!(read_jsonl(&cfg, path, Span { start, end }, &mut out).is_ok());
        drop(out);
        rx.iter()
            .flatten()
            .filter_map(|u| match u {
                Unit::Line { line, text, .. } => Some((line, text.unwrap_or_default())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_range_holds_the_lines_that_start_in_it() {
        // Lines start at bytes 0, 6, 12 and 18.
        let text = "{\"a\"}\n{\"b\"}\n{\"c\"}\n{\"d\"}\n";
        let line = |n: u64, s: &str| (n, s.to_string());
        assert_eq!(
            lines_in(text, 0, 6),
            [line(1, "{\"a\"}")],
            "a line starting at the end belongs to the next range"
        );
        assert_eq!(
            lines_in(text, 6, 13),
            [line(1, "{\"b\"}"), line(2, "{\"c\"}")]
        );
        assert_eq!(
            lines_in(text, 13, u64::MAX),
            [line(1, "{\"d\"}")],
            "the line running into a range is the previous range's"
        );
    }
}
