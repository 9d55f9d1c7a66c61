//! Contacts already evaluated, so a new sample does not send controllers
//! back to them: an evaluations folder (filled forms and flat tables), a
//! previous sample manifest, or a plain list of ids.

use crate::qa::evaluation::read::read_evaluations;
use crate::qa::evaluation::table::{read_tables, TableError};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ExcludeError {
    #[error("--exclude {path}: no such file or folder")]
    Missing { path: PathBuf },
    #[error("--exclude {path}: {message}")]
    Read { path: PathBuf, message: String },
}

/// Contact ids from `path`:
/// - a folder: every contact answered in the evaluation files in it;
/// - a table with a `contact_id` column (a sample manifest, an evaluation
///   table, a CRM export): that column;
/// - otherwise a csv/txt list: the first column of every non-empty line.
pub fn read_exclusions(path: &Path) -> Result<HashSet<String>, ExcludeError> {
    let read_err = |message: String| ExcludeError::Read {
        path: path.to_path_buf(),
        message,
    };
    if !path.exists() {
        return Err(ExcludeError::Missing {
            path: path.to_path_buf(),
        });
    }
    if path.is_dir() {
        let ev = read_evaluations(path).map_err(|e| read_err(e.to_string()))?;
        return Ok(ev.answers.into_iter().map(|a| a.contact_id).collect());
    }
    let tables = read_tables(path, 1_048_576).map_err(|e| match e {
        TableError::Io { source, .. } => read_err(format!("cannot read: {source}")),
        other => read_err(other.to_string()),
    })?;
    let mut ids = HashSet::new();
    let with_header: Vec<_> = tables
        .iter()
        .filter_map(|t| t.find_header(&["contact_id"], &[]).map(|h| (t, h)))
        .collect();
    if with_header.is_empty() {
        for t in &tables {
            for r in &t.rows {
                if let Some(c) = r.cells.first() {
                    let id = c.text();
                    if !id.is_empty() {
                        ids.insert(id);
                    }
                }
            }
        }
    } else {
        for (t, h) in with_header {
            for r in &t.rows[h.at + 1..] {
                let id = h.cell(r, "contact_id").text();
                if !id.is_empty() {
                    ids.insert(id);
                }
            }
        }
    }
    Ok(ids)
}
