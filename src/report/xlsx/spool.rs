//! Per-agent spool files: each agent's contact and finding rows, set aside
//! during the one streaming pass over all results so that each agent
//! workbook can later stream its own rows (see the module docs of `xlsx` for
//! why). Rows are buffered in memory up to a fixed total and then appended to
//! the agents' files one at a time, so memory stays bounded and only one file
//! is open at once whatever the number of agents.

use super::rows::{ContactRow, FindingRow};
use super::ReportError;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Write};
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

    pub fn push(&mut self, agent: usize, rec: &Rec) -> Result<(), ReportError> {
        let Some(buf) = self.bufs.get_mut(agent) else {
            return Err(ReportError::Io {
                path: self.dir.clone(),
                source: std::io::Error::other(format!("no spool for agent #{agent}")),
            });
        };
        let before = buf.len();
        serde_json::to_writer(&mut *buf, rec).map_err(|e| ReportError::Io {
            path: self.dir.clone(),
            source: e.into(),
        })?;
        buf.push(b'\n');
        self.buffered += buf.len() - before;
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

pub(crate) struct SpoolReader {
    path: PathBuf,
    lines: Option<std::io::Lines<BufReader<std::fs::File>>>,
}

impl Iterator for SpoolReader {
    type Item = Result<Rec, ReportError>;
    fn next(&mut self) -> Option<Self::Item> {
        let line = self.lines.as_mut()?.next()?;
        Some(match line {
            Ok(l) => serde_json::from_str(&l).map_err(|e| ReportError::Io {
                path: self.path.clone(),
                source: e.into(),
            }),
            Err(e) => Err(ReportError::io(&self.path)(e)),
        })
    }
}
