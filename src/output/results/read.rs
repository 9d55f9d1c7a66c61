//! Reading `results.jsonl` and `rejected.jsonl` back, streaming: for
//! `cqa report` and its merge of several runs (`output::merge`), the
//! `--previous` period, `cqa calibrate`, and the workbooks. The shards of
//! one run come back in input order with their file's line numbers
//! ([`visit_results`]), as a single run writes them.

use crate::input::{LineRange, RANGE_BYTES};
use crate::output::manifest::MANIFEST;
use crate::results::ContactResult;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// A results file that cannot be read back, named with the line at fault.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}, line {line}: not a cqa result: {message}")]
    Parse {
        path: PathBuf,
        line: u64,
        message: String,
    },
}

/// Streams the results of one file to `f`, in file order, without loading the file whole.
pub fn for_each_result(path: &Path, mut f: impl FnMut(ContactResult)) -> Result<u64, ReadError> {
    for_each_line(path, |line| {
        f(serde_json::from_str(line)?);
        Ok(())
    })
}

/// Hands each non-blank line of a results file to `f` (without its line
/// ending), read into one reused buffer (no `String` per line); an error
/// names the file and line.
pub fn for_each_line(
    path: &Path,
    mut f: impl FnMut(&str) -> Result<(), serde_json::Error>,
) -> Result<u64, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut r = BufReader::with_capacity(1 << 20, File::open(path).map_err(io)?);
    let mut buf = Vec::with_capacity(1 << 16);
    let (mut n, mut at) = (0, 0u64);
    loop {
        buf.clear();
        if r.read_until(b'\n', &mut buf).map_err(io)? == 0 {
            return Ok(n);
        }
        at += 1;
        let parse = |message: String| ReadError::Parse {
            path: path.to_path_buf(),
            line: at,
            message,
        };
        // One (SIMD) UTF-8 check of the whole line; the parser then reads it
        // as text. std's check runs again only to word an error.
        let line = match simdutf8::basic::from_utf8(&buf) {
            Ok(line) => line,
            Err(_) => {
                let e = std::str::from_utf8(&buf).err();
                return Err(parse(
                    e.map_or_else(|| "invalid UTF-8".into(), |e| e.to_string()),
                ));
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let line = line.trim_end_matches(['\n', '\r']);
        f(line).map_err(|e| parse(e.to_string()))?;
        n += 1;
    }
}

/// Results of one file, pulled one at a time (for merging several files in
/// order); the same checks and messages as [`for_each_line`].
pub struct ResultReader {
    path: PathBuf,
    reader: BufReader<File>,
    buf: Vec<u8>,
    at: u64,
}

impl ResultReader {
    pub fn open(path: &Path) -> Result<Self, ReadError> {
        let file = File::open(path).map_err(|source| ReadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(ResultReader {
            path: path.to_path_buf(),
            reader: BufReader::with_capacity(1 << 20, file),
            buf: Vec::with_capacity(1 << 16),
            at: 0,
        })
    }

    /// The text of the line the last result was read from (without its ending).
    pub fn line(&self) -> &str {
        std::str::from_utf8(&self.buf)
            .unwrap_or_default()
            .trim_end_matches(['\n', '\r'])
    }

    /// An error about the line the last result was read from.
    pub fn error(&self, message: String) -> ReadError {
        ReadError::Parse {
            path: self.path.clone(),
            line: self.at,
            message,
        }
    }

    /// The next result, or None at the end of the file.
    pub fn next_result(&mut self) -> Result<Option<ContactResult>, ReadError> {
        loop {
            self.buf.clear();
            let n = self
                .reader
                .read_until(b'\n', &mut self.buf)
                .map_err(|source| ReadError::Io {
                    path: self.path.clone(),
                    source,
                })?;
            if n == 0 {
                return Ok(None);
            }
            self.at += 1;
            let parse = |message: String| ReadError::Parse {
                path: self.path.clone(),
                line: self.at,
                message,
            };
            let line = simdutf8::basic::from_utf8(&self.buf).map_err(|_| {
                parse(
                    std::str::from_utf8(&self.buf)
                        .err()
                        .map_or_else(|| "invalid UTF-8".into(), |e| e.to_string()),
                )
            })?;
            if line.trim().is_empty() {
                continue;
            }
            let line = line.trim_end_matches(['\n', '\r']);
            return serde_json::from_str(line)
                .map(Some)
                .map_err(|e| parse(e.to_string()));
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().expect("temp file");
        f.write_all(bytes).expect("written");
        f
    }

    #[test]
    fn lines_come_without_their_endings_and_blank_ones_are_skipped() {
        let f = file(b"{\"a\":1}\r\n\n  \xc2\xa0\n{\"a\":\"\xd0\x9e\xd0\xba\"}");
        let mut seen = Vec::new();
        let n = for_each_line(f.path(), |l| {
            seen.push(l.to_string());
            Ok(())
        })
        .expect("read");
        assert_eq!(n, 2);
        assert_eq!(seen, ["{\"a\":1}", "{\"a\":\"Ок\"}"]);
    }

    #[test]
    fn a_line_that_is_not_utf8_is_an_error_naming_its_line() {
        let f = file(b"{\"contact_id\":\"C-1\"}\n{\"contact_id\":\"\xd0\"}\n");
        let err = for_each_line(f.path(), |_| Ok(())).expect_err("invalid UTF-8");
        match err {
            ReadError::Parse { line, message, .. } => {
                assert_eq!(line, 2);
                assert!(message.contains("invalid utf-8"), "{message}");
            }
            other => panic!("expected a parse error, got {other}"),
        }
    }

    #[test]
    fn a_result_line_with_a_missing_field_names_the_line() {
        let f = file(b"\n{\"contact_id\":\"C-1\"}\n");
        let err = for_each_result(f.path(), |_| {}).expect_err("not a result");
        assert!(
            matches!(&err, ReadError::Parse { line: 2, message, .. } if message.contains("missing field")),
            "{err}"
        );
    }
}
