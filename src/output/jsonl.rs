//! The `results.jsonl` and `rejected.jsonl` contracts, written as results
//! arrive (streamed, in input order) and read back for `cqa report`.

use crate::output::stream::StreamingFile;
use crate::output::xlsx::ListRows;
use crate::output::Sink;
use crate::results::{ContactResult, Rejection};
use crate::score::aggregate::Aggregates;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

pub const RESULTS: &str = "results.jsonl";
pub const REJECTED: &str = "rejected.jsonl";
/// Where a controller's answer differs from the automatic check (`--evaluations`).
pub const DISAGREEMENTS: &str = "disagreements.jsonl";
/// Controllers' answers that could not be applied, each with its reason.
pub const EVALUATION_ERRORS: &str = "evaluation_errors.jsonl";

/// Writes both files into a folder and keeps the period aggregates.
pub struct JsonlSink {
    results: BufWriter<StreamingFile>,
    rejected: BufWriter<File>,
    pub aggregates: Aggregates,
    pub rejections: Vec<Rejection>,
    on_progress: Option<Box<dyn FnMut(u64) + Send>>,
    rows: Option<ListRows>,
    /// The language rejection reasons are written in ([`crate::words::say`]).
    lang: crate::words::Lang,
}

impl JsonlSink {
    pub fn create(dir: &Path) -> std::io::Result<Self> {
        let open = |name: &str| -> std::io::Result<BufWriter<File>> {
            Ok(BufWriter::with_capacity(
                1 << 20,
                File::create(dir.join(name))?,
            ))
        };
        Ok(JsonlSink {
            results: BufWriter::with_capacity(
                1 << 20,
                StreamingFile::new(File::create(dir.join(RESULTS))?),
            ),
            rejected: open(REJECTED)?,
            aggregates: Aggregates::default(),
            rejections: Vec::new(),
            on_progress: None,
            rows: None,
            lang: crate::words::Lang::En,
        })
    }

    /// Writes rejection reasons in `lang` (the loaders word them in English).
    pub fn with_lang(mut self, lang: crate::words::Lang) -> Self {
        self.lang = lang;
        self
    }

    /// Calls `f` with the number of contacts handled after each batch (for a progress bar).
    pub fn with_progress(mut self, f: impl FnMut(u64) + Send + 'static) -> Self {
        self.on_progress = Some(Box::new(f));
        self
    }

    /// Also sets aside each result's list rows, for workbooks written right
    /// after the check without reading the results back.
    pub fn with_list_rows(mut self, rows: ListRows) -> Self {
        self.rows = Some(rows);
        self
    }

    pub fn finish(mut self) -> std::io::Result<Finished> {
        self.results.flush()?;
        self.rejected.flush()?;
        Ok(Finished {
            aggregates: self.aggregates,
            rejections: self.rejections,
            rows: self.rows,
        })
    }
}

/// What a [`JsonlSink`] gathered besides its files.
pub struct Finished {
    pub aggregates: Aggregates,
    /// The first rejections (all are in `rejected.jsonl`).
    pub rejections: Vec<Rejection>,
    /// The list rows, when asked for with [`JsonlSink::with_list_rows`].
    pub rows: Option<ListRows>,
}

/// Rejections are kept in memory for the summary only up to this many; all go to the file.
const KEEP_REJECTIONS: usize = 100_000;

impl Sink for JsonlSink {
    fn result(&mut self, r: &ContactResult, line: &[u8]) -> std::io::Result<()> {
        self.results.write_all(line)?;
        self.aggregates.add(r);
        match &mut self.rows {
            Some(rows) => rows.add(r),
            None => Ok(()),
        }
    }
    fn rejection(&mut self, r: &Rejection) -> std::io::Result<()> {
        let said = Rejection {
            reason: crate::words::say::in_lang(&r.reason, self.lang),
            ..r.clone()
        };
        let r = &said;
        serde_json::to_writer(&mut self.rejected, r)?;
        self.rejected.write_all(b"\n")?;
        if self.rejections.len() < KEEP_REJECTIONS {
            self.rejections.push(r.clone());
        }
        Ok(())
    }
    fn progress(&mut self, done: u64) {
        if let Some(f) = &mut self.on_progress {
            f(done);
        }
    }
}

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

/// Reads a `rejected.jsonl` whole (rejections are few).
pub fn read_rejections(path: &Path) -> Result<Vec<Rejection>, ReadError> {
    let text = std::fs::read_to_string(path).map_err(|source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| ReadError::Parse {
                path: path.to_path_buf(),
                line: i as u64 + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
