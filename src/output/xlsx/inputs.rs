//! Reading what a report is built from: results files (possibly the shards
//! of one run), the `run.json` beside each, and the rejections beside each.
//! `cqa report` merges these so that shards give the same workbooks as one run.

use super::spool::ListRows;
use super::ReportError;
use crate::output::manifest::{Manifest, ScorecardInfo, SkippedInfo, MANIFEST};
pub(crate) use crate::output::results::read::folders;
use crate::output::results::read::visit_results;
use crate::output::results::REJECTED;
use crate::score::aggregate::Aggregates;
use crate::words::Lang;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashSet;
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
