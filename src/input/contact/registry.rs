//! The join: a contact registry (`--registry`: contact id -> agent, team,
//! date, channel, queue, any other column) and an agent roster (`--roster`:
//! agent id -> name, team, team lead, …) fill what transcripts leave out.
//!
//! **Precedence.** The contact's own file wins; the registry fills fields the
//! file leaves empty; the roster then fills from the (possibly just filled)
//! `agent_id`. Where a source disagrees with a value already there (registry
//! says agent A018, transcript says A017), the contact keeps its value and a
//! [`Conflict`] is reported — in `run.json` and the terminal summary — so a
//! controller decides; nothing is silently overwritten. Rationale: the file is
//! what the controller reads and what the evidence quotes; a registry row can
//! be matched to the wrong contact, a transcript header rarely is. The one
//! exception is `--roster-wins`: team leads keep the roster current when agents
//! move teams, so with it the roster's agent name and team replace the
//! contact's (the replaced values are still reported).
//!
//! Comparisons are lenient where exports differ in form only: text ignores
//! case, `ё` and spacing; channels compare by id («Звонок» = `voice`); times
//! compare to the minute, and a whole-hour difference when only one side has
//! an offset is taken as a time-zone difference, not a conflict. Durations are
//! filled but never compared (ring and wrap-up time make them differ).

use super::fields::{self, Field};
use super::grid::{self, Grid};
use super::Contact;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::Path;

/// A disagreement between a contact and its registry or roster row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub contact_id: String,
    pub field: String,
    /// The value the contact keeps, and where it comes from.
    pub kept: String,
    pub kept_from: String,
    /// The value that was not used, and where it comes from.
    pub other: String,
    pub other_from: String,
}

#[derive(Debug, Clone, Default)]
struct Row {
    at: String,
    fields: Vec<(Field, String)>,
    meta: Map<String, Value>,
}

/// A registry or roster read into memory, keyed by contact or agent id.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub path: String,
    rows: HashMap<String, Row>,
    /// Rows read (with a key).
    pub len: usize,
    /// Disagreeing duplicate keys inside the table itself (first row kept).
    pub duplicates: Vec<Conflict>,
}

impl Table {
    /// Reads a registry (`key` = contact id) or roster (`key` = agent id).
    fn load(path: &Path, key: Field, max_bytes: u64) -> Result<Table, String> {
        let shown = path.display().to_string();
        let accept = |g: &Grid| header_index(g, key).is_some();
        let grid = grid::read_grid(path, max_bytes, accept).map_err(|e| {
            format!(
                "{shown}: {e} (expected a column such as {})",
                key.examples()
            )
        })?;
        let Some(h) = header_index(&grid, key) else {
            return Err(format!("{shown}: no `{}` column", key.name()));
        };
        let cols: Vec<Option<Result<Field, String>>> =
            grid[h].1.iter().map(|name| column(name, key)).collect();
        let mut t = Table {
            path: shown.clone(),
            ..Table::default()
        };
        for (line, cells) in grid.iter().skip(h + 1) {
            let mut row = Row {
                at: format!("{shown}, row {line}"),
                ..Row::default()
            };
            let mut id = String::new();
            for (i, cell) in cells.iter().enumerate() {
                match cols.get(i) {
                    Some(Some(Ok(f))) if *f == key => id = cell.clone(),
                    Some(Some(Ok(f))) if !cell.is_empty() => row.fields.push((*f, cell.clone())),
                    Some(Some(Err(k))) if !cell.is_empty() => {
                        row.meta.insert(k.clone(), Value::String(cell.clone()));
                    }
                    _ => {}
                }
            }
            if id.is_empty() {
                continue;
            }
            t.len += 1;
            match t.rows.get(&id) {
                None => {
                    t.rows.insert(id, row);
                }
                Some(first) => {
                    for (f, v) in &row.fields {
                        if let Some((_, w)) = first.fields.iter().find(|(g, _)| g == f) {
                            if !same(*f, w, v) {
                                t.duplicates.push(Conflict {
                                    contact_id: id.clone(),
                                    field: f.name().into(),
                                    kept: w.clone(),
                                    kept_from: first.at.clone(),
                                    other: v.clone(),
                                    other_from: row.at.clone(),
                                });
                            }
                        }
                    }
                }
            }
        }
        Ok(t)
    }
}

/// The first of the top 20 rows that names the key column.
fn header_index(g: &Grid, key: Field) -> Option<usize> {
    g.iter().take(20).position(|(_, cells)| {
        cells
            .iter()
            .any(|c| matches!(column(c, key), Some(Ok(f)) if f == key))
    })
}

/// A header cell's meaning in a registry (`key` = contact id) or roster
/// (`key` = agent id): a field, or a metadata key. In a roster a bare «ID» is
/// the agent's id; in a registry a «Начало» column is the contact's start.
fn column(name: &str, key: Field) -> Option<Result<Field, String>> {
    if name.trim().is_empty() {
        return None;
    }
    let f = match (fields::field_for(name), key) {
        (Some(Field::ContactId), Field::AgentId) => Some(Field::AgentId),
        (Some(Field::Start), _) => Some(Field::StartedAt),
        (Some(Field::Speaker | Field::Text | Field::End | Field::StartMs | Field::EndMs), _) => {
            None
        }
        (f, _) => f,
    };
    Some(f.ok_or_else(|| fields::norm_key(name)))
}

/// Registry and roster together; empty when neither was given.
#[derive(Debug, Clone, Default)]
pub struct Join {
    pub registry: Option<Table>,
    pub roster: Option<Table>,
    /// `--roster-wins`: the roster's agent name and team replace the contact's
    /// own (team leads keep the roster current when agents move teams); the
    /// replaced values are still reported as conflicts.
    pub roster_wins: bool,
}

impl Join {
    /// Reads the files given with `--registry` and `--roster`.
    pub fn load(
        registry: Option<&Path>,
        roster: Option<&Path>,
        max_bytes: u64,
    ) -> Result<Join, String> {
        Ok(Join {
            registry: registry
                .map(|p| Table::load(p, Field::ContactId, max_bytes))
                .transpose()?,
            roster: roster
                .map(|p| Table::load(p, Field::AgentId, max_bytes))
                .transpose()?,
            roster_wins: false,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.registry.is_none() && self.roster.is_none()
    }

    /// Fills `c` from its registry row and its agent's roster row; returns
    /// the disagreements (see the module docs for precedence) and whether a
    /// registry row was found.
    pub fn apply(&self, c: &mut Contact, source: &str) -> (Vec<Conflict>, bool) {
        let mut out = Vec::new();
        let mut matched = false;
        if let Some(row) = self.registry.as_ref().and_then(|t| t.rows.get(c.id.trim())) {
            matched = true;
            fill(c, row, source, false, &mut out);
        }
        if let Some(row) = self
            .roster
            .as_ref()
            .and_then(|t| t.rows.get(c.agent_id.trim()))
        {
            fill(c, row, source, self.roster_wins, &mut out);
        }
        (out, matched)
    }
}

/// Fills `c` from `row`; with `row_wins` the row's agent name and team
/// replace the contact's (the conflict then names the row's value as kept).
fn fill(c: &mut Contact, row: &Row, source: &str, row_wins: bool, out: &mut Vec<Conflict>) {
    let id = c.id.clone();
    let mut replaced = Vec::new();
    let mut conflict = |field: &str, kept: String, other: &str| {
        out.push(Conflict {
            contact_id: id.clone(),
            field: field.into(),
            kept,
            kept_from: source.into(),
            other: other.into(),
            other_from: row.at.clone(),
        })
    };
    for (f, v) in &row.fields {
        let slot = match f {
            Field::AgentId => {
                if c.agent_id.trim().is_empty() {
                    c.agent_id = v.clone();
                } else if !same(*f, &c.agent_id, v) {
                    conflict("agent_id", c.agent_id.clone(), v);
                }
                continue;
            }
            Field::Duration => {
                if c.duration_s.is_none() {
                    c.duration_s = fields::parse_seconds(v);
                }
                continue;
            }
            Field::TeamLead => {
                meta(c, "team_lead", v, &mut conflict);
                continue;
            }
            Field::AgentName => &mut c.agent_name,
            Field::Team => &mut c.team,
            Field::Channel => &mut c.channel,
            Field::StartedAt => &mut c.started_at,
            Field::Queue => &mut c.queue,
            Field::Language => &mut c.language,
            _ => continue,
        };
        let wins = row_wins && matches!(f, Field::AgentName | Field::Team);
        match slot {
            Some(have) if !have.trim().is_empty() => {
                if !same(*f, have, v) {
                    if wins {
                        replaced.push((f.name(), std::mem::replace(have, v.clone()), v));
                    } else {
                        conflict(f.name(), have.clone(), v);
                    }
                }
            }
            _ => *slot = Some(normalised(*f, v)),
        }
    }
    for (k, v) in &row.meta {
        let text = v.as_str().unwrap_or_default();
        meta(c, k, text, &mut conflict);
    }
    for (field, theirs, ours) in replaced {
        out.push(Conflict {
            contact_id: c.id.clone(),
            field: field.into(),
            kept: ours.clone(),
            kept_from: row.at.clone(),
            other: theirs,
            other_from: source.into(),
        });
    }
}

fn meta(c: &mut Contact, key: &str, v: &str, conflict: &mut impl FnMut(&str, String, &str)) {
    match c.metadata.get(key) {
        None | Some(Value::Null) => {
            c.metadata.insert(key.into(), Value::String(v.into()));
        }
        Some(have) => {
            let have = match have {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if !fields::same_text(&have, v) {
                conflict(key, have, v);
            }
        }
    }
}

fn normalised(f: Field, v: &str) -> String {
    match f {
        Field::Channel => fields::channel(v),
        Field::StartedAt => grid::excel_serial(v)
            .or_else(|| fields::normalise_datetime(v))
            .unwrap_or_else(|| v.to_string()),
        _ => v.to_string(),
    }
}

/// Whether two values of a field mean the same (see the module docs).
fn same(f: Field, a: &str, b: &str) -> bool {
    match f {
        Field::Channel => fields::channel(a) == fields::channel(b),
        Field::StartedAt => same_time(&normalised(f, a), &normalised(f, b)),
        _ => fields::same_text(a, b),
    }
}

fn same_time(a: &str, b: &str) -> bool {
    let offset = |s: &str| chrono::DateTime::parse_from_rfc3339(s.trim()).ok();
    let minute = |d: chrono::NaiveDateTime| d.and_utc().timestamp().div_euclid(60);
    match (offset(a), offset(b)) {
        (Some(x), Some(y)) => x.timestamp().div_euclid(60) == y.timestamp().div_euclid(60),
        (ox, oy) => match (fields::wall_clock(a), fields::wall_clock(b)) {
            (Some(x), Some(y)) => {
                let diff = minute(x) - minute(y);
                diff == 0
                    || ((ox.is_some() != oy.is_some()) && diff % 60 == 0 && diff.abs() <= 14 * 60)
            }
            _ => fields::same_text(a, b),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[(&str, &[(Field, &str)])]) -> Table {
        let mut t = Table {
            path: "registry.xlsx".into(),
            ..Table::default()
        };
        for (i, (id, fs)) in rows.iter().enumerate() {
            let row = Row {
                at: format!("registry.xlsx, row {}", i + 2),
                fields: fs.iter().map(|(f, v)| (*f, v.to_string())).collect(),
                meta: Map::from_iter([("тематика".to_string(), Value::String("карты".into()))]),
            };
            t.rows.insert(id.to_string(), row);
        }
        t
    }

    #[test]
    fn registry_fills_missing_fields_and_reports_a_different_agent() {
        let reg = table(&[(
            "C-1",
            &[
                (Field::AgentId, "A018"),
                (Field::Team, "Группа 3"),
                (Field::Channel, "Звонок"),
            ],
        )]);
        let join = Join {
            registry: Some(reg),
            roster: None,
            ..Join::default()
        };
        let mut c = Contact {
            id: "C-1".into(),
            agent_id: "A017".into(),
            ..Contact::default()
        };
        let (conflicts, matched) = join.apply(&mut c, "in/C-1.txt");
        assert!(matched);
        assert_eq!(c.agent_id, "A017", "the file's agent is kept");
        assert_eq!(c.team.as_deref(), Some("Группа 3"));
        assert_eq!(c.channel.as_deref(), Some("voice"));
        assert_eq!(c.metadata["тематика"], "карты");
        assert_eq!(conflicts.len(), 1);
        assert_eq!(
            (
                conflicts[0].field.as_str(),
                conflicts[0].kept.as_str(),
                conflicts[0].other.as_str()
            ),
            ("agent_id", "A017", "A018")
        );
        assert_eq!(conflicts[0].other_from, "registry.xlsx, row 2");
    }

    #[test]
    fn roster_fills_from_the_agent_the_registry_supplied() {
        let reg = table(&[("C-1", &[(Field::AgentId, "A017")])]);
        let ros = table(&[(
            "A017",
            &[
                (Field::AgentName, "Иванова Мария"),
                (Field::TeamLead, "Петров П."),
            ],
        )]);
        let join = Join {
            registry: Some(reg),
            roster: Some(ros),
            ..Join::default()
        };
        let mut c = Contact {
            id: "C-1".into(),
            ..Contact::default()
        };
        let (conflicts, _) = join.apply(&mut c, "x");
        assert!(conflicts.is_empty(), "{conflicts:?}");
        assert_eq!(c.agent_name.as_deref(), Some("Иванова Мария"));
        assert_eq!(c.metadata["team_lead"], "Петров П.");
    }

    #[test]
    fn same_values_in_another_form_are_not_conflicts() {
        assert!(same(Field::AgentName, "Иванова  Мария", "иванова мария"));
        assert!(same(Field::Channel, "voice", "Звонок"));
        assert!(same(
            Field::StartedAt,
            "2026-11-02T10:15:00+03:00",
            "02.11.2026 10:15"
        ));
        assert!(same(
            Field::StartedAt,
            "2026-11-02T07:15:00Z",
            "02.11.2026 10:15"
        ));
        assert!(same(
            Field::StartedAt,
            "2026-11-02T10:15:40",
            "46328.4270833333"
        ));
        assert!(!same(
            Field::StartedAt,
            "2026-11-02T10:15:00+03:00",
            "02.11.2026 11:40"
        ));
    }
}
