//! Reading what a report is built from: results files (possibly the shards
//! of one run), the `run.json` beside each, and the rejections beside each.
//! `cqa report` merges these so that shards give the same workbooks as one run.

use super::spool::ListRows;
use super::ReportError;
use crate::input::{LineRange, RANGE_BYTES};
use crate::output::jsonl::{for_each_line, ReadError, ResultReader, REJECTED};
use crate::output::manifest::{Manifest, ScorecardInfo, SkippedInfo, MANIFEST};
use crate::results::ContactResult;
use crate::score::aggregate::Aggregates;
use crate::words::Lang;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Builds the aggregates of several results files in one streaming pass each,
/// exactly as if they were one file, setting aside each result's list rows
/// when asked; also returns each file's contact count.
pub fn aggregate_files(
    files: &[PathBuf],
    mut rows: Option<&mut ListRows>,
) -> Result<(Aggregates, Vec<u64>), ReportError> {
    let mut agg = Aggregates::default();
    let mut counts = vec![0; files.len()];
    let mut failed = None;
    visit_results(files, |i, _, r| {
        counts[i] += 1;
        agg.add(&r);
        if let (Some(rows), None) = (rows.as_deref_mut(), &failed) {
            failed = rows.add(&r).err();
        }
        Ok(())
    })?;
    if let (Some(e), Some(rows)) = (failed, rows.as_deref()) {
        return Err(ReportError::Io {
            path: rows.dir().to_path_buf(),
            source: e,
        });
    }
    Ok((agg, counts))
}

/// Hands every result of `files` to `f` with its file's number and its
/// line of text, streaming. The shards of one run (`--shard`, each file's
/// run.json says so) come back in input order, their results read from
/// `.jsonl` byte ranges numbered with the file's lines, as a single run
/// gives them; other files one after another, as they are.
pub fn visit_results(
    files: &[PathBuf],
    mut f: impl FnMut(usize, &str, ContactResult) -> Result<(), serde_json::Error>,
) -> Result<(), ReadError> {
    let lines = ShardLines::beside(files);
    if files.len() > 1 && all_shards(files) {
        return merge_in_input_order(files, |i, line, mut r| {
            lines.number(&mut r);
            f(i, line, r)
        });
    }
    for (i, path) in files.iter().enumerate() {
        for_each_line(path, |line| {
            let mut r: ContactResult = serde_json::from_str(line)?;
            lines.number(&mut r);
            f(i, line, r)
        })?;
    }
    Ok(())
}

/// Whether every results file is a `--shard` run's (its run.json says so).
fn all_shards(files: &[PathBuf]) -> bool {
    folders(files).iter().all(|d| {
        std::fs::read_to_string(d.join(MANIFEST))
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .is_some_and(|v| v.get("shard").is_some_and(|s| s.is_string()))
    })
}

/// The shards' results interleaved back into input order, streaming: each
/// shard's file is in input order (files in discovery order, which sorts
/// paths, then lines), so the next result is always the smallest head by
/// (source path, line); ties keep the files' order. A single run's workbooks
/// list contacts in this order.
fn merge_in_input_order(
    files: &[PathBuf],
    mut f: impl FnMut(usize, &str, ContactResult) -> Result<(), serde_json::Error>,
) -> Result<(), ReadError> {
    let mut readers = files
        .iter()
        .map(|f| ResultReader::open(f))
        .collect::<Result<Vec<_>, _>>()?;
    let mut heads = readers
        .iter_mut()
        .map(|r| r.next_result())
        .collect::<Result<Vec<_>, _>>()?;
    let key = |r: &ContactResult| (r.range_start.unwrap_or(0), r.line.unwrap_or(0));
    loop {
        let mut best: Option<usize> = None;
        for (i, h) in heads.iter().enumerate() {
            let Some(h) = h else { continue };
            let better = match best.and_then(|b| heads[b].as_ref()) {
                None => true,
                Some(b) => (Path::new(&h.source), key(h)) < (Path::new(&b.source), key(b)),
            };
            if better {
                best = Some(i);
            }
        }
        let Some(i) = best else { break };
        if let Some(r) = heads[i].take() {
            f(i, readers[i].line(), r).map_err(|e| readers[i].error(e.to_string()))?;
        }
        heads[i] = readers[i].next_result()?;
    }
    Ok(())
}

/// The lines of the `.jsonl` byte ranges that `--shard` runs read, from
/// the run.json beside each results file: a result read from a range counts
/// its line from the range's start, and the lines of the ranges before it
/// (read by other shards) give the file's line, as a single run numbers it.
struct ShardLines(HashMap<String, BTreeMap<u64, u64>>);

impl ShardLines {
    fn beside(files: &[PathBuf]) -> Self {
        let mut by_source: HashMap<String, BTreeMap<u64, u64>> = HashMap::new();
        for dir in folders(files) {
            let Ok(text) = std::fs::read_to_string(dir.join(MANIFEST)) else {
                continue;
            };
            let ranges = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v.get("line_ranges").cloned())
                .and_then(|v| serde_json::from_value::<Vec<LineRange>>(v).ok())
                .unwrap_or_default();
            for r in ranges {
                by_source
                    .entry(r.source)
                    .or_default()
                    .insert(r.start, r.lines);
            }
        }
        ShardLines(by_source)
    }

    /// Gives a result read from a range its line in the whole file, when the
    /// ranges before it are all known (else it keeps its range and line).
    fn number(&self, r: &mut ContactResult) {
        let (Some(start), Some(line)) = (r.range_start, r.line) else {
            return;
        };
        let Some(ranges) = self.0.get(&r.source) else {
            return;
        };
        let before: Vec<(&u64, &u64)> = ranges.range(..start).collect();
        let whole = before
            .iter()
            .enumerate()
            .all(|(i, (s, _))| **s == i as u64 * RANGE_BYTES)
            && before.len() as u64 * RANGE_BYTES == start;
        if whole {
            r.line = Some(line + before.iter().map(|(_, n)| **n).sum::<u64>());
            r.range_start = None;
        }
    }
}

/// The folders holding the given results files, each once, in order.
pub(crate) fn folders(results: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for r in results {
        let d = r.parent().map(Path::to_path_buf).unwrap_or_default();
        if !out.contains(&d) {
            out.push(d);
        }
    }
    out
}

/// `rejected.jsonl` files beside the results, one per folder.
pub(crate) fn rejected_files(results: &[PathBuf]) -> Vec<PathBuf> {
    folders(results)
        .into_iter()
        .map(|d| d.join(REJECTED))
        .filter(|p| p.is_file())
        .collect()
}

/// Lines with content in a file (rejections are counted before they are listed).
pub(crate) fn count_lines(path: &Path) -> Result<u64, ReportError> {
    let f = std::fs::File::open(path).map_err(ReportError::io(path))?;
    let mut n = 0;
    for line in std::io::BufReader::new(f).lines() {
        if !line.map_err(ReportError::io(path))?.trim().is_empty() {
            n += 1;
        }
    }
    Ok(n)
}

/// Passes each distinct rejection once. An input that cannot be read has no
/// contact id to shard by, so every shard of a run rejects it: merged, it is
/// one input, counted and listed once.
pub(crate) struct Distinct(HashSet<u64>);

impl Distinct {
    pub fn new() -> Self {
        Distinct(HashSet::new())
    }
    /// True the first time this rejection (a `rejected.jsonl` line) is seen.
    pub fn first(&mut self, line: &str) -> bool {
        let mut h = DefaultHasher::new();
        line.trim().hash(&mut h);
        self.0.insert(h.finish())
    }
}

/// Rejections in the given `rejected.jsonl` files: (all lines, distinct ones).
pub(crate) fn count_rejections(files: &[PathBuf]) -> Result<(u64, u64), ReportError> {
    let (mut all, mut distinct) = (0, 0);
    let mut seen = Distinct::new();
    for path in files {
        let f = std::fs::File::open(path).map_err(ReportError::io(path))?;
        for line in std::io::BufReader::new(f).lines() {
            let line = line.map_err(ReportError::io(path))?;
            if !line.trim().is_empty() {
                all += 1;
                distinct += u64::from(seen.first(&line));
            }
        }
    }
    Ok((all, distinct))
}

/// A manifest for several results files, and what the report should say about it.
#[derive(Debug, Clone)]
pub struct LoadedInputs {
    pub manifest: Manifest,
    /// Remarks for the Overview sheet.
    pub notes: Vec<String>,
}

/// Merges the `run.json` beside each results file (one per folder) into one
/// manifest. Counts add up; a contact left to other shards by one shard and
/// processed by another is counted once. `counts[i]` is the number of results
/// read from `results[i]`; processed is always what the results hold.
pub fn load_manifest(
    results: &[PathBuf],
    counts: &[u64],
    lang: Option<Lang>,
) -> Result<LoadedInputs, ReportError> {
    let mut notes = Vec::new();
    let mut found: Vec<Manifest> = Vec::new();
    let mut merged = Manifest {
        cqa_version: String::new(),
        masked: true,
        ..Default::default()
    };
    let mut any_missing = false;
    for dir in folders(results) {
        let read_here: u64 = results
            .iter()
            .zip(counts)
            .filter(|(r, _)| r.parent().map(Path::to_path_buf).unwrap_or_default() == dir)
            .map(|(_, n)| n)
            .sum();
        let path = dir.join(MANIFEST);
        if !path.is_file() {
            any_missing = true;
            let rejected = match dir.join(REJECTED) {
                p if p.is_file() => count_lines(&p)?,
                _ => 0,
            };
            merged.discovered += read_here + rejected;
            merged.rejected += rejected;
            notes.push(format!(
                "{}: {MANIFEST} not found; counts come from the results alone, scorecard titles and targets are unknown",
                dir.display()
            ));
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(ReportError::io(&path))?;
        let m: Manifest = serde_json::from_str(&text).map_err(|e| ReportError::Manifest {
            path: path.clone(),
            message: e.to_string(),
        })?;
        if m.processed != read_here {
            notes.push(format!(
                "{}: {MANIFEST} counts {} processed contacts, the results files read from this folder hold {read_here}",
                path.display(),
                m.processed
            ));
        }
        found.push(m);
    }
    for m in &found {
        merged.discovered += m.discovered;
        merged.rejected += m.rejected;
        merged.bytes_read += m.bytes_read;
        merged.seconds += m.seconds;
        merged.masked &= m.masked;
        for i in &m.inputs {
            if !merged.inputs.contains(i) {
                merged.inputs.push(i.clone());
            }
        }
        for s in &m.skipped {
            if !merged
                .skipped
                .iter()
                .any(|x: &SkippedInfo| x.path == s.path)
            {
                merged.skipped.push(s.clone());
            }
        }
        for c in &m.scorecards {
            let same =
                |x: &&ScorecardInfo| x.id == c.id && x.version == c.version && x.sha256 == c.sha256;
            if !merged.scorecards.iter().any(|x| same(&x)) {
                merged.scorecards.push(c.clone());
            }
        }
        if merged.started_at.is_empty() || m.started_at < merged.started_at {
            merged.started_at = m.started_at.clone();
        }
        if m.finished_at > merged.finished_at {
            merged.finished_at = m.finished_at.clone();
        }
        if merged.cqa_version.is_empty() {
            merged.cqa_version = m.cqa_version.clone();
        }
    }
    // An input rejected by several shards is one input.
    let (all, distinct) = count_rejections(&rejected_files(results))?;
    merged.rejected = merged.rejected.saturating_sub(all - distinct);
    merged.discovered = merged.discovered.saturating_sub(all - distinct);
    // Each shard saw every contact: its own, plus those it left to others.
    let total_seen = found
        .iter()
        .map(|m| m.discovered + m.other_shards)
        .max()
        .unwrap_or(0);
    merged.other_shards = total_seen.saturating_sub(merged.discovered);
    let shards: Vec<&str> = found.iter().filter_map(|m| m.shard.as_deref()).collect();
    if !shards.is_empty() {
        merged.shard = Some(shards.join(", "));
    }
    merged.processed = counts.iter().sum();
    merged.masked &= !any_missing;
    merged.lang = lang
        .or_else(|| found.first().map(|m| m.lang))
        .unwrap_or_default();
    if merged.cqa_version.is_empty() {
        merged.cqa_version = "?".into();
    }
    Ok(LoadedInputs {
        manifest: merged,
        notes,
    })
}
