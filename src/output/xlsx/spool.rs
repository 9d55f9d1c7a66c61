//! Per-agent spool files: each agent's contact and finding rows, set aside
//! during the one streaming pass over the list rows so that each agent
//! workbook can later stream its own rows (see the module docs of `xlsx` for
//! why). Rows are buffered in memory up to a fixed total and then appended to
//! the agents' files one at a time, so memory stays bounded and only one file
//! is open at once whatever the number of agents.

use super::rows::{split, ContactRow, FindingRow};
use super::ReportError;
use crate::results::ContactResult;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Total bytes buffered before every buffer is appended to its file.
const BUDGET: usize = 8 << 20;

/// Findings come before their contact, so that reading back, the contact row
/// can link to its first finding.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Rec {
    F(FindingRow),
    C(ContactRow),
}

pub(crate) struct Spool {
    dir: PathBuf,
    bufs: Vec<Vec<u8>>,
    buffered: usize,
}

impl Spool {
    /// A fresh hidden folder inside the output folder (same disk, cleaned up after).
    pub fn create(out: &Path, agents: usize) -> Result<Self, ReportError> {
        let dir = out.join(format!(".cqa-spool-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(ReportError::io(&dir))?;
        }
        std::fs::create_dir_all(&dir).map_err(ReportError::io(&dir))?;
        Ok(Spool {
            dir,
            bufs: vec![Vec::new(); agents],
            buffered: 0,
        })
    }

    fn file(&self, agent: usize) -> PathBuf {
        self.dir.join(format!("{agent}.jsonl"))
    }

    /// Appends one row, as a [`ListRows`] line (without its newline).
    pub fn push_line(&mut self, agent: usize, line: &str) -> Result<(), ReportError> {
        let Some(buf) = self.bufs.get_mut(agent) else {
            return Err(ReportError::Io {
                path: self.dir.clone(),
                source: std::io::Error::other(format!("no spool for agent #{agent}")),
            });
        };
        buf.extend_from_slice(line.as_bytes());
        buf.push(b'\n');
        self.buffered += line.len() + 1;
        if self.buffered > BUDGET {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ReportError> {
        for i in 0..self.bufs.len() {
            if self.bufs[i].is_empty() {
                continue;
            }
            let path = self.file(i);
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .map_err(ReportError::io(&path))?;
            f.write_all(&self.bufs[i]).map_err(ReportError::io(&path))?;
            self.bufs[i] = Vec::new();
        }
        self.buffered = 0;
        Ok(())
    }

    /// Writes out what is still buffered: after this, every agent's file is whole.
    pub fn finish(&mut self) -> Result<(), ReportError> {
        if self.buffered > 0 {
            self.flush()?;
        }
        Ok(())
    }

    /// Streams one agent's rows back, in the order they were pushed (after [`Spool::finish`]).
    pub fn reader(&self, agent: usize) -> Result<SpoolReader, ReportError> {
        let path = self.file(agent);
        let lines = match std::fs::File::open(&path) {
            Ok(f) => Some(BufReader::new(f).lines()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(ReportError::io(&path)(e)),
        };
        Ok(SpoolReader { path, lines })
    }
}

/// The folder goes when the spool does: after the last agent workbook, or on an error.
impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The Contacts and Findings rows of a whole run, in result order, set aside
/// in an unnamed temporary file in the output folder as the results are
/// written (`cqa check`) or first read (`cqa report`). The list sheets then
/// read these rows (a contact row and its failed criteria, about a tenth of
/// a results line) instead of parsing every results line a second time,
/// which took more time than the rest of the report. The file has no name
/// (where the system allows), so even a killed run leaves nothing behind.
pub struct ListRows {
    dir: PathBuf,
    out: BufWriter<File>,
}

impl ListRows {
    pub fn create(out: &Path) -> std::io::Result<Self> {
        let f = tempfile::tempfile_in(out).map_err(named)?;
        Ok(ListRows {
            dir: out.to_path_buf(),
            out: BufWriter::with_capacity(1 << 20, f),
        })
    }

    /// The folder the rows are set aside in, for error messages.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Sets aside the rows of one result (its failed criteria, then the contact).
    pub fn add(&mut self, r: &ContactResult) -> std::io::Result<()> {
        let (contact, findings) = split(r);
        for f in findings {
            self.write(&Rec::F(f))?;
        }
        self.write(&Rec::C(contact))
    }

    fn write(&mut self, rec: &Rec) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.out, rec)
            .map_err(std::io::Error::from)
            .and_then(|()| self.out.write_all(b"\n"))
            .map_err(named)
    }

    /// The rows back, in the order they were added.
    pub(crate) fn read(self) -> Result<SpoolReader, ReportError> {
        let dir = self.dir;
        let mut f = self
            .out
            .into_inner()
            .map_err(|e| ReportError::io(&dir)(e.into_error()))?;
        f.seek(SeekFrom::Start(0)).map_err(ReportError::io(&dir))?;
        Ok(SpoolReader {
            path: dir,
            lines: Some(BufReader::with_capacity(1 << 20, f).lines()),
        })
    }
}

/// The error of setting rows aside; callers name the folder (the file has none).
fn named(e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("cannot set aside the list rows: {e}"))
}

pub(crate) struct SpoolReader {
    path: PathBuf,
    lines: Option<std::io::Lines<BufReader<std::fs::File>>>,
}

impl SpoolReader {
    /// The next row with the line it was read from.
    pub(crate) fn next_line(&mut self) -> Option<Result<(Rec, String), ReportError>> {
        // Ctrl-C / SIGTERM during the workbooks stops them within a row
        // (`crate::sys::interrupt`; the check then removes what was written).
        if let Some(sig) = crate::sys::interrupt::received() {
            return Some(Err(ReportError::io(&self.path)(
                crate::sys::interrupt::stopped_error(sig),
            )));
        }
        let line = self.lines.as_mut()?.next()?;
        Some(match line {
            Ok(l) => match serde_json::from_str(&l) {
                Ok(rec) => Ok((rec, l)),
                Err(e) => Err(ReportError::Io {
                    path: self.path.clone(),
                    source: e.into(),
                }),
            },
            Err(e) => Err(ReportError::io(&self.path)(e)),
        })
    }
}

impl Iterator for SpoolReader {
    type Item = Result<Rec, ReportError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_line().map(|r| r.map(|(rec, _)| rec))
    }
}
