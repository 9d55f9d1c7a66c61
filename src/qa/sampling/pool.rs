//! The pool a sample is drawn from: contact folders (read with the same
//! discovery and parser as `cqa check`) or a registry table exported from
//! the ACD or CRM (csv/xlsx, one contact a row).

use crate::input::contact::{self, InputKind};
use crate::qa::evaluation::table::{read_tables, Cell, Table, TableError};
use crate::run::ScorecardSet;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// How `sample`, `forms`, `calibrate` and `explain` read contacts: as `cqa
/// check` does — the same loaders and mapping, the registry and roster join,
/// the agent and turn-limit checks, and (when given) only contacts a scorecard
/// applies to — so a controller is never sent a contact the check rejects.
#[derive(Default, Clone, Copy)]
pub struct Reading<'a> {
    pub load: Option<&'a contact::LoadOptions>,
    pub join: Option<&'a contact::Join>,
    pub cards: Option<&'a ScorecardSet>,
}

impl Reading<'_> {
    /// The contact as the check would score it, or why the check rejects it.
    pub fn accept(
        &self,
        mut c: contact::Contact,
        source: &Path,
    ) -> Result<contact::Contact, String> {
        if let Some(join) = self.join {
            join.apply(&mut c, &source.display().to_string());
        }
        let registry = self
            .join
            .and_then(|j| j.registry.as_ref())
            .map(|t| t.path.as_str());
        contact::require_agent(&c, registry)?;
        let max_turns = self.load.map_or(20_000, |o| o.max_turns);
        if c.turns.len() > max_turns {
            return Err(contact::ContactError::TooManyTurns {
                count: c.turns.len(),
                limit: max_turns,
            }
            .to_string());
        }
        if let Some(set) = self.cards {
            set.choose(&c).map_err(|e| e.to_string())?;
        }
        Ok(c)
    }
}

/// What sampling needs to know of a contact.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolContact {
    pub contact_id: String,
    pub agent_id: String,
    pub agent_name: Option<String>,
    pub channel: Option<String>,
    pub started_at: Option<String>,
    pub duration_s: Option<f64>,
    /// `metadata.category` (or the registry's `category` column).
    pub category: Option<String>,
    /// `metadata.csat` (or the registry's `csat` column).
    pub csat: Option<f64>,
    /// Where the transcript is, for `--copy-to` and `cqa forms`.
    pub source: Option<PathBuf>,
    /// Line in a `.jsonl` source.
    pub line: Option<u64>,
}

/// The pool and what could not be put in it.
#[derive(Debug, Default)]
pub struct Pool {
    pub contacts: Vec<PoolContact>,
    /// "file[:line]: reason" for inputs that could not be read.
    pub problems: Vec<String>,
}

impl PoolContact {
    fn from_contact(c: &contact::Contact, source: &Path, line: Option<u64>) -> Self {
        let csat = c.metadata.get("csat").and_then(|v| match v {
            serde_json::Value::Number(n) => n.as_f64(),
            serde_json::Value::String(s) => s.trim().replace(',', ".").parse().ok(),
            _ => None,
        });
        let category = c
            .metadata
            .get("category")
            .and_then(|v| v.as_str())
            .map(str::to_string);
        PoolContact {
            contact_id: c.id.clone(),
            agent_id: c.agent_id.clone(),
            agent_name: c.agent_name.clone(),
            channel: c.channel.clone(),
            started_at: c.started_at.clone(),
            duration_s: c.duration_s,
            category,
            csat,
            source: Some(source.to_path_buf()),
            line,
        }
    }
}

/// Reads every contact under `paths` in parallel. The pool's order does not
/// matter: the draw sorts by contact id and keys every contact by its id.
/// A duplicate id keeps its first occurrence in discovery order.
pub fn pool_from_contacts(paths: &[PathBuf], read: Reading<'_>) -> Pool {
    let found = contact::discover(paths);
    let mut pool = Pool::default();
    for (p, reason) in found.unusable {
        pool.problems.push(format!("{}: {reason}", p.display()));
    }
    // Only the few fields sampling needs are kept, so a month of contacts fits.
    let per_file: Vec<(Vec<PoolContact>, Vec<String>)> = found
        .inputs
        .par_iter()
        .map(|(path, kind)| {
            let (contacts, problems) = parse_file(path, *kind, read);
            let pooled = contacts
                .iter()
                .map(|(c, line)| PoolContact::from_contact(c, path, *line))
                .collect();
            (pooled, problems)
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    for (contacts, problems) in per_file {
        pool.problems.extend(problems);
        for c in contacts {
            if seen.insert(c.contact_id.clone()) {
                pool.contacts.push(c);
            } else {
                pool.problems.push(format!(
                    "{}: duplicate contact id `{}`; the first one is kept",
                    c.source.as_deref().unwrap_or(Path::new("")).display(),
                    c.contact_id
                ));
            }
        }
    }
    pool
}

/// A whole contact with where it came from (for forms and calibration).
#[derive(Debug, Clone)]
pub struct Loaded {
    pub contact: contact::Contact,
    pub source: PathBuf,
    pub line: Option<u64>,
}

/// Loads the contacts under `paths` whose ids are in `wanted` (all when
/// `None`), in discovery order, first occurrence of an id kept; problems as
/// "file[:line]: reason".
pub fn load_contacts(
    paths: &[PathBuf],
    wanted: Option<&std::collections::HashSet<String>>,
    read: Reading<'_>,
) -> (Vec<Loaded>, Vec<String>) {
    let found = contact::discover(paths);
    let mut problems: Vec<String> = found
        .unusable
        .iter()
        .map(|(p, r)| format!("{}: {r}", p.display()))
        .collect();
    let per_file: Vec<(Vec<Loaded>, Vec<String>)> = found
        .inputs
        .par_iter()
        .map(|(path, kind)| {
            let (contacts, problems) = parse_file(path, *kind, read);
            let kept = contacts
                .into_iter()
                .filter(|(c, _)| wanted.is_none_or(|w| w.contains(&c.id)))
                .map(|(contact, line)| Loaded {
                    contact,
                    source: path.clone(),
                    line,
                })
                .collect();
            (kept, problems)
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (loaded, p) in per_file {
        problems.extend(p);
        out.extend(
            loaded
                .into_iter()
                .filter(|l| seen.insert(l.contact.id.clone())),
        );
    }
    (out, problems)
}

/// Loads one contact from a file, or from line `line` of a multi-contact file.
pub fn load_one(
    path: &Path,
    line: Option<u64>,
    read: Reading<'_>,
) -> Result<contact::Contact, String> {
    let kind = InputKind::from_path(path).unwrap_or(if line.is_some() {
        InputKind::Jsonl
    } else {
        InputKind::Json
    });
    let (contacts, problems) = parse_file(path, kind, read);
    contacts
        .into_iter()
        .find(|(_, l)| *l == line)
        .map(|(c, _)| c)
        .ok_or_else(|| {
            problems.into_iter().next().unwrap_or_else(|| {
                format!(
                    "{}{}: no contact there",
                    path.display(),
                    line.map_or(String::new(), |l| format!(":{l}"))
                )
            })
        })
}

/// Parses a file's contacts with the same loaders as `cqa check` (every
/// format it reads), with their line numbers, keeping those `read` accepts;
/// problems as "file[:line]: reason".
pub fn parse_file(
    path: &Path,
    kind: InputKind,
    read: Reading<'_>,
) -> (Vec<(contact::Contact, Option<u64>)>, Vec<String>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    // Identifiers and problems are shown to people (sample.csv, forms,
    // the terminal): masked as results are.
    let default = contact::LoadOptions::default();
    let opts = read.load.unwrap_or(&default);
    for l in contact::load_file(path, kind, opts) {
        match l.contact.and_then(|c| read.accept(c, path)) {
            Ok(mut c) => {
                c.mask_identifiers();
                out.push((c, l.line))
            }
            Err(e) => problems.push(
                crate::text::pii::mask_all(&format!(
                    "{}{}: {e}",
                    path.display(),
                    l.line.map_or(String::new(), |n| format!(":{n}"))
                ))
                .into_owned(),
            ),
        }
    }
    (out, problems)
}

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error(transparent)]
    Table(#[from] TableError),
    #[error("--registry {path}: no sheet has the columns {missing}; found none of them together in the first 20 rows")]
    NoHeader { path: PathBuf, missing: String },
    #[error("--registry {path}: no sheet named «{sheet}» (sheets: {sheets})")]
    NoSheet {
        path: PathBuf,
        sheet: String,
        sheets: String,
    },
}

/// Columns a registry must have.
pub const REGISTRY_REQUIRED: [&str; 4] = ["contact_id", "agent_id", "channel", "started_at"];

const REGISTRY_ALIASES: &[(&str, &str)] = &[
    ("id", "contact_id"),
    ("agent", "agent_id"),
    ("duration", "duration_s"),
    ("path", "source"),
    ("file", "source"),
];

/// Registry rows at most (Excel's own limit).
const REGISTRY_MAX_ROWS: usize = 1_048_576;

/// Reads a registry: the first sheet (or `sheet`) with the required columns.
/// Optional columns: `agent_name`, `duration_s`, `category`, `csat`, and
/// `source` (a transcript path, relative to the registry's folder). A row
/// without a contact or agent id is a problem, not a contact.
pub fn pool_from_registry(path: &Path, sheet: Option<&str>) -> Result<Pool, RegistryError> {
    let tables = read_tables(path, REGISTRY_MAX_ROWS)?;
    let candidates: Vec<&Table> = match sheet {
        Some(name) => {
            let t: Vec<&Table> = tables
                .iter()
                .filter(|t| t.sheet.as_deref() == Some(name))
                .collect();
            if t.is_empty() {
                return Err(RegistryError::NoSheet {
                    path: path.to_path_buf(),
                    sheet: name.into(),
                    sheets: tables
                        .iter()
                        .filter_map(|t| t.sheet.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
            t
        }
        None => tables.iter().collect(),
    };
    let found = candidates.iter().find_map(|t| {
        t.find_header(&REGISTRY_REQUIRED, REGISTRY_ALIASES)
            .map(|h| (t, h))
    });
    let Some((t, h)) = found else {
        return Err(RegistryError::NoHeader {
            path: path.to_path_buf(),
            missing: REGISTRY_REQUIRED.join(", "),
        });
    };
    let base = path.parent().unwrap_or(Path::new(""));
    let mut pool = Pool::default();
    let mut seen = std::collections::HashSet::new();
    for row in &t.rows[h.at + 1..] {
        let text = |name: &str| Some(h.cell(row, name).text()).filter(|s| !s.is_empty());
        let (Some(id), Some(agent)) = (text("contact_id"), text("agent_id")) else {
            if row.cells.iter().any(|c| !c.is_empty()) {
                pool.problems.push(format!(
                    "{}, row {}: no contact_id or agent_id",
                    t.label(),
                    row.number
                ));
            }
            continue;
        };
        if !seen.insert(id.clone()) {
            pool.problems.push(format!(
                "{}, row {}: duplicate contact id `{id}`; the first one is kept",
                t.label(),
                row.number
            ));
            continue;
        }
        let started_at = match h.cell(row, "started_at") {
            Cell::Number(serial) => Some(excel_serial_to_iso(*serial)),
            c => Some(c.text()).filter(|s| !s.is_empty()),
        };
        pool.contacts.push(PoolContact {
            contact_id: id,
            agent_id: agent,
            agent_name: text("agent_name"),
            channel: text("channel"),
            started_at,
            duration_s: h.cell(row, "duration_s").number(),
            category: text("category"),
            csat: h.cell(row, "csat").number(),
            source: text("source").map(|s| base.join(s)),
            line: None,
        });
    }
    Ok(pool)
}

/// An Excel serial date (days since 1899-12-30, the 1900 system) as ISO
/// text, for date cells whose number format calamine did not recognise.
pub fn excel_serial_to_iso(serial: f64) -> String {
    let days = serial.floor() as i64;
    let secs = ((serial - serial.floor()) * 86_400.0).round() as i64;
    let date = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
        .zip(chrono::TimeDelta::try_days(days))
        .and_then(|(d, delta)| d.checked_add_signed(delta));
    match date.and_then(|d| d.and_hms_opt(0, 0, 0)) {
        Some(dt) => (dt + chrono::Duration::seconds(secs))
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string(),
        None => serial.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serial_dates_become_iso_text() {
        assert_eq!(excel_serial_to_iso(46328.5), "2026-11-02T12:00:00");
        assert!(
            !excel_serial_to_iso(1e300).contains('T'),
            "out of range: no date, no panic"
        );
    }
}
