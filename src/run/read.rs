//! Input reading: the inputs cut into work units in input order, on a
//! thread of their own — JSON Lines split line by line (a byte-order mark
//! dropped, each line bounded in size), files over the size limit rejected
//! unread, many-contact tables loaded here.

use super::shard::{read_jsonl_ranges, relative_to_roots, Span};
use super::{display, CheckConfig};
use crate::input::contact::{self, decode_bytes, InputKind, Loaded};
use crate::input::{LineRange, RANGE_BYTES};
use crate::results::Rejection;
use std::io::{BufRead, BufReader, Read, Seek};
use std::path::{Path, PathBuf};

/// One piece of work for the pool: a file, a line, a contact already read,
/// or a rejection found while reading.
pub(super) enum Unit {
    File(PathBuf, InputKind),
    Line {
        path: PathBuf,
        line: u64,
        /// The start of the `--shard` byte range `line` counts from (None: the file's start).
        range: Option<u64>,
        text: Result<String, String>,
    },
    /// A contact of a many-contact file, already read (tables, mapped records).
    Loaded(PathBuf, Box<Loaded>),
    Rejected(Rejection),
}

/// Reads one line of at most `max` bytes (its newline included); a longer
/// line is consumed and reported by its length. Lines are found with the
/// standard library's vectorised newline search.
pub(super) fn read_line_bounded(
    r: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: u64,
) -> std::io::Result<Option<Result<(), u64>>> {
    buf.clear();
    let n = (&mut *r)
        .take(max.saturating_add(1))
        .read_until(b'\n', buf)? as u64;
    if n == 0 {
        return Ok(None);
    }
    if n <= max {
        return Ok(Some(Ok(())));
    }
    let rest = if buf.ends_with(b"\n") {
        0
    } else {
        r.skip_until(b'\n')? as u64
    };
    buf.clear();
    Ok(Some(Err(n + rest)))
}

/// Work units on their way from the reader thread to the workers, a batch at a time.
pub(super) struct Batcher {
    pub(super) batch: Vec<Unit>,
    pub(super) size: usize,
    pub(super) tx: std::sync::mpsc::SyncSender<Vec<Unit>>,
}

/// The consumer stopped (the output failed): the reader stops too.
pub(super) struct Stopped;

impl Batcher {
    pub(super) fn push(&mut self, u: Unit) -> Result<(), Stopped> {
        // Ctrl-C / SIGTERM: stop reading at once (`crate::sys::interrupt`).
        if crate::sys::interrupt::received().is_some() {
            return Err(Stopped);
        }
        self.batch.push(u);
        if self.batch.len() >= self.size {
            self.send()
        } else {
            Ok(())
        }
    }
    pub(super) fn send(&mut self) -> Result<(), Stopped> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let full = std::mem::replace(&mut self.batch, Vec::with_capacity(self.size));
        self.tx.send(full).map_err(|_| Stopped)
    }
}

/// Cuts the inputs into work units, in input order; returns the bytes of
/// many-contact tables read here (other inputs count their bytes when loaded).
/// Under `--shard` only this shard's files and byte ranges are read; the
/// ranges read go to `ranges`.
pub(super) fn read_inputs(
    cfg: &CheckConfig,
    unusable: Vec<(PathBuf, String)>,
    inputs: Vec<(PathBuf, InputKind)>,
    out: &mut Batcher,
    ranges: &mut Vec<LineRange>,
) -> Result<u64, Stopped> {
    let mut table_bytes = 0;
    let mine = |path: &Path| {
        cfg.shard
            .is_none_or(|s| s.owns(&relative_to_roots(path, &cfg.inputs), 0))
    };
    for (path, reason) in unusable {
        if !mine(&path) {
            continue;
        }
        out.push(Unit::Rejected(Rejection {
            source: display(&path),
            line: None,
            reason,
        }))?;
    }
    for (path, kind) in inputs {
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        if let (Some(shard), InputKind::Jsonl, true) = (cfg.shard, kind, size > RANGE_BYTES) {
            if !contact::holds_many(kind, &cfg.load_options()) {
                read_jsonl_ranges(cfg, shard, path, size, out, ranges)?;
                continue;
            }
        }
        if !mine(&path) {
            continue;
        }
        // A .jsonl file is streamed line by line, so only its lines are bounded.
        if kind != InputKind::Jsonl && size > cfg.limits.max_file_bytes {
            out.push(Unit::Rejected(Rejection {
                source: display(&path),
                line: None,
                reason: format!(
                    "file is {} MiB, over the limit of {} MiB (--max-file-mb); not read",
                    size / (1024 * 1024),
                    cfg.limits.max_file_bytes / (1024 * 1024)
                ),
            }))?;
            continue;
        }
        match kind {
            k if contact::holds_many(k, &cfg.load_options()) => {
                table_bytes += size;
                for loaded in contact::load_file(&path, k, &cfg.load_options()) {
                    out.push(Unit::Loaded(path.clone(), Box::new(loaded)))?;
                }
            }
            InputKind::Json | InputKind::Txt | InputKind::Csv | InputKind::Tsv => {
                out.push(Unit::File(path, kind))?
            }
            InputKind::Jsonl => {
                read_jsonl(cfg, path, Span::WHOLE, out)?;
            }
        }
    }
    Ok(table_bytes)
}

/// One unit per non-blank line of a `.jsonl` file (or of the lines starting
/// in `span`), each line bounded in size. Returns the lines read, blank ones
/// included. Lines are numbered from the span's first line; a whole file
/// with no contact is rejected as empty.
pub(super) fn read_jsonl(
    cfg: &CheckConfig,
    path: PathBuf,
    span: Span,
    out: &mut Batcher,
) -> Result<u64, Stopped> {
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            return out
                .push(Unit::Rejected(Rejection {
                    source: display(&path),
                    line: None,
                    reason: format!("cannot read: {e}"),
                }))
                .map(|()| 0);
        }
    };
    let mut r = BufReader::with_capacity(1 << 16, file);
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    let mut units_in_file = 0u64;
    // Where the next line starts. A range after the first begins after the
    // first newline at or past its start - 1: the line running into it is
    // the previous range's.
    let mut at = 0u64;
    let range = (span.start > 0).then_some(span.start);
    if let Some(start) = range {
        let skipped = r
            .seek(std::io::SeekFrom::Start(start - 1))
            .and_then(|_| r.skip_until(b'\n'));
        match skipped {
            Ok(n) => at = start - 1 + n as u64,
            Err(e) => {
                return out
                    .push(Unit::Rejected(Rejection {
                        source: display(&path),
                        line: None,
                        reason: format!("cannot read from byte {start}: {e}"),
                    }))
                    .map(|()| 0);
            }
        }
    }
    while at < span.end {
        let next = match read_line_bounded(&mut r, &mut buf, cfg.limits.max_file_bytes) {
            Ok(n) => n,
            Err(e) => {
                // The rest of the file is this one rejection (not also "empty").
                return out
                    .push(Unit::Rejected(Rejection {
                        source: display(&path),
                        line: Some(line_no + 1),
                        reason: format!("cannot read: {e}"),
                    }))
                    .map(|()| line_no);
            }
        };
        let Some(line) = next else { break };
        line_no += 1;
        at += match line {
            Ok(()) => buf.len() as u64,
            Err(len) => len,
        };
        let text = match line {
            Err(len) => Err(format!("line is {len} bytes, over the limit; not read")),
            Ok(()) => {
                let mut bytes: &[u8] = &buf;
                if line_no == 1 && range.is_none() && bytes.starts_with(b"\xEF\xBB\xBF") {
                    bytes = &bytes[3..];
                }
                while let [rest @ .., b'\n' | b'\r'] = bytes {
                    bytes = rest;
                }
                if bytes.iter().all(|b| b.is_ascii_whitespace()) {
                    continue;
                }
                decode_bytes(bytes)
                    .map(|(t, _)| t.into_owned())
                    .map_err(|e| e.to_string())
            }
        };
        units_in_file += 1;
        out.push(Unit::Line {
            path: path.clone(),
            line: line_no,
            range,
            text,
        })?;
    }
    if units_in_file == 0 && span.start == 0 && span.end == u64::MAX {
        out.push(Unit::Rejected(Rejection {
            source: display(&path),
            line: None,
            reason: "empty file: no contacts".into(),
        }))?;
    }
    Ok(line_no)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, max: u64) -> Vec<Result<String, u64>> {
        let mut r = BufReader::with_capacity(4, text.as_bytes());
        let mut buf = Vec::new();
        let mut out = Vec::new();
        while let Some(line) = read_line_bounded(&mut r, &mut buf, max).unwrap() {
            out.push(line.map(|()| String::from_utf8(buf.clone()).unwrap()));
        }
        out
    }

    #[test]
    fn lines_over_the_limit_are_reported_by_length_and_skipped_whole() {
        assert_eq!(
            lines("{\"id\":1}\n0123456789abcdef\n{}", 10),
            vec![Ok("{\"id\":1}\n".into()), Err(17), Ok("{}".into())]
        );
    }

    #[test]
    fn a_line_of_exactly_the_limit_is_read() {
        assert_eq!(lines("12345\n", 6), vec![Ok("12345\n".into())]);
        assert_eq!(lines("12345\n", 5), vec![Err(6)]);
    }
}
