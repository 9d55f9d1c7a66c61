//! The `results.jsonl` and `rejected.jsonl` contracts, written as results
//! arrive (streamed, in input order) and read back for `cqa report`.

use crate::pipeline::Sink;
use crate::results::{ContactResult, Rejection};
use crate::scoring::aggregate::Aggregates;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

pub const RESULTS: &str = "results.jsonl";
pub const REJECTED: &str = "rejected.jsonl";

/// Writes both files into a folder and keeps the period aggregates.
pub struct JsonlSink {
    results: BufWriter<File>,
    rejected: BufWriter<File>,
    pub aggregates: Aggregates,
    pub rejections: Vec<Rejection>,
    on_progress: Option<Box<dyn FnMut(u64) + Send>>,
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
            results: open(RESULTS)?,
            rejected: open(REJECTED)?,
            aggregates: Aggregates::default(),
            rejections: Vec::new(),
            on_progress: None,
        })
    }

    /// Calls `f` with the number of contacts handled after each batch (for a progress bar).
    pub fn with_progress(mut self, f: impl FnMut(u64) + Send + 'static) -> Self {
        self.on_progress = Some(Box::new(f));
        self
    }

    pub fn finish(mut self) -> std::io::Result<(Aggregates, Vec<Rejection>)> {
        self.results.flush()?;
        self.rejected.flush()?;
        Ok((self.aggregates, self.rejections))
    }
}

/// Rejections are kept in memory for the summary only up to this many; all go to the file.
const KEEP_REJECTIONS: usize = 100_000;

impl Sink for JsonlSink {
    fn result(&mut self, r: &ContactResult, line: &[u8]) -> std::io::Result<()> {
        self.results.write_all(line)?;
        self.aggregates.add(r);
        Ok(())
    }
    fn rejection(&mut self, r: &Rejection) -> std::io::Result<()> {
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
    let io = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let r = BufReader::with_capacity(1 << 20, File::open(path).map_err(io)?);
    let mut n = 0;
    for (i, line) in r.lines().enumerate() {
        let line = line.map_err(io)?;
        if line.trim().is_empty() {
            continue;
        }
        let res: ContactResult = serde_json::from_str(&line).map_err(|e| ReadError::Parse {
            path: path.to_path_buf(),
            line: i as u64 + 1,
            message: e.to_string(),
        })?;
        f(res);
        n += 1;
    }
    Ok(n)
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
