//! Reading controllers' answers: filled `cqa forms` workbooks and flat tables
//! (csv/xlsx with `evaluator, contact_id, criterion_id, answer, comment`).
//! Both are found by their header row, so a form's readable columns, an
//! instruction sheet or a transcript sheet never get in the way.
//!
//! A blank answer is "not evaluated" and skipped — except on a calibration
//! form (`cqa forms --calibration`, whose hidden `blank_means` column says
//! `missing`), where it is a [`Missing`] answer, counted per controller and
//! criterion by `cqa calibrate`; anything else that cannot
//! be used becomes a [`BadRow`] naming file, sheet and row — one bad cell
//! never stops a session's import.

use super::answer::Answer;
use super::table::{is_table_file, read_tables, Header, Table, TableError};
use crate::words::qa::EvaluationWords;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Where an answer (or a problem) is: file, sheet, row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Location {
    pub file: PathBuf,
    pub sheet: Option<String>,
    /// 1-based, as Excel or a text editor shows it; `None` for the whole file.
    pub row: Option<usize>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(s) = &self.sheet {
            write!(f, ", sheet «{s}»")?;
        }
        if let Some(r) = self.row {
            write!(f, ", row {r}")?;
        }
        Ok(())
    }
}

impl Location {
    /// "file, лист «S», строка 7" in the run's language.
    pub fn shown(&self, lang: crate::words::Lang) -> String {
        let w = EvaluationWords::for_lang(lang);
        let mut s = self.file.display().to_string();
        if let Some(sh) = &self.sheet {
            s.push_str(&format!(", {} «{sh}»", w.sheet));
        }
        if let Some(r) = self.row {
            s.push_str(&format!(", {} {r}", w.row));
        }
        s
    }
}

/// One controller's answer on one criterion of one contact.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    pub evaluator: String,
    pub contact_id: String,
    pub criterion_id: String,
    pub answer: Answer,
    pub comment: String,
    pub at: Location,
}

/// A blank answer on a calibration form: the controller was asked and did not answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Missing {
    pub evaluator: String,
    pub contact_id: String,
    pub criterion_id: String,
    pub at: Location,
}

/// A row (or file) that could not be used, and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BadRow {
    #[serde(flatten)]
    pub at: Location,
    pub message: String,
}

impl fmt::Display for BadRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

/// Everything read from an evaluations folder.
#[derive(Debug, Clone, Default)]
pub struct Evaluations {
    /// In file, sheet and row order; at most one per evaluator × contact × criterion.
    pub answers: Vec<Answered>,
    pub bad: Vec<BadRow>,
    pub files: Vec<PathBuf>,
    /// Blank answers on calibration forms.
    pub missing: Vec<Missing>,
}

impl Evaluations {
    /// Evaluators in name order.
    pub fn evaluators(&self) -> Vec<String> {
        let mut v: Vec<String> = self.answers.iter().map(|a| a.evaluator.clone()).collect();
        v.sort();
        v.dedup();
        v
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EvaluationError {
    #[error("--evaluations {path}: no such file or folder")]
    Missing { path: PathBuf },
    #[error("--evaluations {path}: cannot read the folder: {source}")]
    Folder {
        path: PathBuf,
        #[source]
        source: walkdir::Error,
    },
}

/// Rows kept per sheet: Excel's own limit.
const MAX_ROWS: usize = 1_048_576;

/// Names the evaluation columns go by besides the stable ones.
pub const ALIASES: &[(&str, &str)] = &[
    ("контролер", "evaluator"),
    ("контролёр", "evaluator"),
    ("оценщик", "evaluator"),
    ("id_контакта", "contact_id"),
    ("id_критерия", "criterion_id"),
    ("ответ", "answer"),
    ("оценка", "answer"),
    ("комментарий", "comment"),
];

/// Masks personal data in what controllers wrote (comments, names, ids)
/// and in the messages that quote their cells: comments reach
/// results.jsonl, disagreements.jsonl, the workbooks and the terminal.
fn mask_evaluations(out: &mut Evaluations) {
    let mask = |s: &mut String| {
        if let std::borrow::Cow::Owned(m) = crate::text::pii::mask_all(s) {
            *s = m;
        }
    };
    for a in &mut out.answers {
        for s in [&mut a.evaluator, &mut a.contact_id, &mut a.comment] {
            mask(s);
        }
    }
    for b in &mut out.bad {
        mask(&mut b.message);
        if let Some(sheet) = &mut b.at.sheet {
            mask(sheet);
        }
    }
}

/// Reads a folder of evaluation files (walked in sorted order, hidden and
/// `~$` lock files skipped) or one file.
pub fn read_evaluations(path: &Path) -> Result<Evaluations, EvaluationError> {
    if !path.exists() {
        return Err(EvaluationError::Missing {
            path: path.to_path_buf(),
        });
    }
    let mut files = Vec::new();
    if path.is_file() {
        files.push(path.to_path_buf());
    } else {
        for e in walkdir::WalkDir::new(path).sort_by_file_name() {
            let e = e.map_err(|source| EvaluationError::Folder {
                path: path.to_path_buf(),
                source,
            })?;
            if e.file_type().is_file() && is_table_file(e.path()) {
                files.push(e.into_path());
            }
        }
    }
    let mut out = Evaluations::default();
    for f in &files {
        read_file(f, &mut out);
    }
    mask_evaluations(&mut out);
    out.files = files;
    dedupe(&mut out);
    // A blank in one file and an answer in another: answered.
    let answered: std::collections::HashSet<(&str, &str, &str)> = out
        .answers
        .iter()
        .map(|a| {
            (
                a.evaluator.as_str(),
                a.contact_id.as_str(),
                a.criterion_id.as_str(),
            )
        })
        .collect();
    let missing: Vec<Missing> = out
        .missing
        .iter()
        .filter(|m| {
            !answered.contains(&(
                m.evaluator.as_str(),
                m.contact_id.as_str(),
                m.criterion_id.as_str(),
            ))
        })
        .cloned()
        .collect();
    out.missing = missing;
    Ok(out)
}

fn read_file(path: &Path, out: &mut Evaluations) {
    let whole = |message: String| BadRow {
        at: Location {
            file: path.to_path_buf(),
            sheet: None,
            row: None,
        },
        message,
    };
    let tables = match read_tables(path, MAX_ROWS) {
        Ok(t) => t,
        Err(TableError::Io { source, .. }) => {
            out.bad.push(whole(format!("cannot read: {source}")));
            return;
        }
        Err(e) => {
            let text = e.to_string();
            let prefix = format!("{}: ", path.display());
            let msg = text.strip_prefix(&prefix).unwrap_or(&text).to_string();
            out.bad.push(whole(msg));
            return;
        }
    };
    let mut found = false;
    for t in &tables {
        if let Some(h) = t.find_header(&["contact_id", "criterion_id", "answer"], ALIASES) {
            found = true;
            read_table(t, &h, out);
        }
    }
    if !found {
        out.bad.push(whole(
            "no sheet has the columns contact_id, criterion_id and answer; not an evaluation form or table".into(),
        ));
    }
}

fn read_table(t: &Table, h: &Header, out: &mut Evaluations) {
    let has_evaluator = h.column("evaluator").is_some();
    for row in &t.rows[h.at + 1..] {
        let at = Location {
            file: t.file.clone(),
            sheet: t.sheet.clone(),
            row: Some(row.number),
        };
        let answer_cell = h.cell(row, "answer");
        if answer_cell.is_empty() {
            let missing = h.cell(row, super::form::BLANK_MEANS).text();
            let (contact_id, criterion_id, evaluator) = (
                h.cell(row, "contact_id").text(),
                h.cell(row, "criterion_id").text(),
                squeeze(&h.cell(row, "evaluator").text()),
            );
            let known = !contact_id.is_empty() && !criterion_id.is_empty() && !evaluator.is_empty();
            if missing == super::form::BLANK_MISSING && known {
                out.missing.push(Missing {
                    evaluator,
                    contact_id,
                    criterion_id,
                    at,
                });
            }
            continue; // not evaluated (regular forms: agrees with the automatic verdict)
        }
        let mut bad = |message: String| {
            out.bad.push(BadRow {
                at: at.clone(),
                message,
            })
        };
        let answer = match answer_cell {
            super::table::Cell::Bool(true) => Some(Answer::Yes),
            super::table::Cell::Bool(false) => Some(Answer::No),
            super::table::Cell::Number(x) => Some(Answer::Number(*x)),
            c => Answer::parse(&c.text()),
        };
        let Some(answer) = answer else {
            bad(format!(
                "answer `{}` is not one of Да/Нет/Н/П, Yes/No/N/A, pass/fail/na or a number",
                answer_cell.text()
            ));
            continue;
        };
        let contact_id = h.cell(row, "contact_id").text();
        let criterion_id = h.cell(row, "criterion_id").text();
        let evaluator = squeeze(&h.cell(row, "evaluator").text());
        if contact_id.is_empty() {
            bad("an answer without a contact_id".into());
            continue;
        }
        if criterion_id.is_empty() {
            bad("an answer without a criterion_id".into());
            continue;
        }
        if evaluator.is_empty() {
            bad(if has_evaluator {
                "an answer without an evaluator name".into()
            } else {
                "the table has no evaluator column: whose answers are these?".into()
            });
            continue;
        }
        out.answers.push(Answered {
            evaluator,
            contact_id,
            criterion_id,
            answer,
            comment: h.cell(row, "comment").text(),
            at,
        });
    }
}

/// Collapses runs of whitespace, so "Иванова  М." and "Иванова М." are one person.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One evaluator answering the same criterion twice: the same answer is kept
/// once; different answers are both reported and neither is used, since
/// nothing says which one the controller meant.
fn dedupe(out: &mut Evaluations) {
    let mut groups: BTreeMap<(String, String, String), Vec<usize>> = BTreeMap::new();
    for (i, a) in out.answers.iter().enumerate() {
        groups
            .entry((
                a.evaluator.clone(),
                a.contact_id.clone(),
                a.criterion_id.clone(),
            ))
            .or_default()
            .push(i);
    }
    let mut drop = vec![false; out.answers.len()];
    for ((who, contact, criterion), idx) in groups {
        let first = &out.answers[idx[0]];
        let conflict = idx
            .iter()
            .any(|&i| out.answers[i].answer.key() != first.answer.key());
        for &i in &idx[1..] {
            drop[i] = true;
        }
        if conflict {
            drop[idx[0]] = true;
            let all: Vec<String> = idx
                .iter()
                .map(|&i| {
                    let a = &out.answers[i];
                    format!("{} ({})", a.answer.key(), a.at)
                })
                .collect();
            for &i in &idx {
                out.bad.push(BadRow {
                    at: out.answers[i].at.clone(),
                    message: format!(
                        "{who} answered criterion `{criterion}` of contact `{contact}` differently: {}; none of these answers is used",
                        all.join(", ")
                    ),
                });
            }
        }
    }
    let mut i = 0;
    out.answers.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
}
