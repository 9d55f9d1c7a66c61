//! The controllers' side of a run in summary.xlsx: the disagreements
//! between controllers and the evaluation rows that could not be applied,
//! read from the `disagreements.jsonl` and `evaluation_errors.jsonl` that
//! `cqa check --evaluations` writes beside the results, so that the QA lead
//! settles them from the workbook rather than from JSON lines.

use super::inputs::folders;
use super::kit::Sheet;
use super::report::Report;
use super::ReportError;
use crate::output::results::{DISAGREEMENTS, EVALUATION_ERRORS};
use crate::results::Status;
use rust_xlsxwriter::{RowNum, Worksheet, XlsxError};
use serde_json::Value;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// The lines of every `name` file beside the results (none when no run had
/// evaluations); `None` when no such file exists at all.
fn lines_of(results: &[PathBuf], name: &str) -> Result<Option<Vec<Value>>, ReportError> {
    let files: Vec<PathBuf> = folders(results)
        .into_iter()
        .map(|d| d.join(name))
        .filter(|p| p.is_file())
        .collect();
    if files.is_empty() {
        return Ok(None);
    }
    let mut out = Vec::new();
    for f in &files {
        let file = std::fs::File::open(f).map_err(ReportError::io(f))?;
        for line in std::io::BufReader::new(file).lines() {
            let line = line.map_err(ReportError::io(f))?;
            if let Ok(v) = serde_json::from_str::<Value>(&line) {
                out.push(v);
            }
        }
    }
    Ok(Some(out))
}

fn s<'v>(v: &'v Value, k: &str) -> &'v str {
    v[k].as_str().unwrap_or("")
}

/// "file, sheet «S», row 7" of a location written flat into a JSON object.
fn place(v: &Value) -> String {
    let mut t = s(v, "file").to_string();
    if let Some(sh) = v["sheet"].as_str() {
        t.push_str(&format!(", «{sh}»"));
    }
    if let Some(r) = v["row"].as_u64() {
        t.push_str(&format!(", {r}"));
    }
    t
}

/// Most rows a controllers' sheet lists (the .jsonl has them all).
const MAX_ROWS: usize = 100_000;

/// The Disagreements and Evaluation errors sheets, when the run had evaluations.
pub(crate) fn sheets(
    report: &Report,
    results: &[PathBuf],
    path: &Path,
) -> Result<Vec<Sheet>, ReportError> {
    let (l, w) = (report.l, report.w);
    let x = |e| ReportError::xlsx(path)(e);
    let mut out = Vec::new();
    if let Some(rows) = lines_of(results, DISAGREEMENTS)? {
        let mut sh = Sheet::new(Worksheet::new(), w.sh_disagreements, l).map_err(x)?;
        disagreements(&mut sh, report, &rows).map_err(x)?;
        out.push(sh);
    }
    if let Some(rows) = lines_of(results, EVALUATION_ERRORS)? {
        let mut sh = Sheet::new(Worksheet::new(), w.sh_eval_errors, l).map_err(x)?;
        errors(&mut sh, report, &rows).map_err(x)?;
        out.push(sh);
    }
    Ok(out)
}

fn headers(sh: &mut Sheet, report: &Report, h: &[&str]) -> Result<(), XlsxError> {
    for (i, t) in h.iter().enumerate() {
        sh.header(0, i as u16, t, &report.s.header)?;
    }
    sh.ws.set_row_height(0, 32)?;
    sh.ws.set_freeze_panes(1, 0)?;
    sh.ws.set_repeat_rows(0, 0)?;
    Ok(())
}

fn too_many(sh: &mut Sheet, report: &Report, r: RowNum, total: usize) -> Result<(), XlsxError> {
    let t = format!("… {} {}", total - MAX_ROWS, report.w.more_in_jsonl);
    sh.text_free(r, 0, &t, &report.s.note)
}

fn disagreements(sh: &mut Sheet, report: &Report, rows: &[Value]) -> Result<(), XlsxError> {
    let (l, w, st) = (report.l, report.w, &report.s);
    headers(
        sh,
        report,
        &[
            l.c_contact,
            l.c_criterion,
            l.c_criterion_id,
            w.c_status_kept,
            w.c_answers,
            w.c_where,
        ],
    )?;
    if rows.is_empty() {
        return sh.text_free(1, 0, w.no_disagreements, &st.note);
    }
    for (i, d) in rows.iter().take(MAX_ROWS).enumerate() {
        let r = 1 + i as RowNum;
        let id = s(d, "criterion_id");
        sh.text(r, 0, s(d, "contact_id"), &st.text)?;
        sh.wrapped(r, 1, &report.title(None, id), &st.wrap)?;
        sh.text(r, 2, id, &st.text)?;
        let kept = serde_json::from_value::<Status>(d["status_kept"].clone()).map_or_else(
            |_| s(d, "status_kept").to_string(),
            |k| k.label(l.lang).into(),
        );
        sh.text(r, 3, &kept, &st.text)?;
        let answers = d["answers"].as_array().map(Vec::as_slice).unwrap_or(&[]);
        let said: Vec<String> = answers
            .iter()
            .map(|a| {
                let c = s(a, "comment");
                if c.is_empty() {
                    format!("{}: {}", s(a, "evaluator"), s(a, "answer"))
                } else {
                    format!("{}: {} («{c}»)", s(a, "evaluator"), s(a, "answer"))
                }
            })
            .collect();
        sh.wrapped(r, 4, &said.join("\n"), &st.wrap)?;
        let at: Vec<String> = answers.iter().map(place).collect();
        sh.wrapped(r, 5, &at.join("\n"), &st.wrap)?;
    }
    if rows.len() > MAX_ROWS {
        too_many(sh, report, 1 + MAX_ROWS as RowNum, rows.len())?;
    }
    sh.cap(1, 45.0);
    sh.cap(4, 60.0);
    sh.cap(5, 60.0);
    Ok(())
}

fn errors(sh: &mut Sheet, report: &Report, rows: &[Value]) -> Result<(), XlsxError> {
    let (l, w, st) = (report.l, report.w, &report.s);
    headers(sh, report, &[w.c_file, w.c_sheet, l.c_line, l.c_reason])?;
    if rows.is_empty() {
        return sh.text_free(1, 0, w.no_eval_errors, &st.note);
    }
    for (i, e) in rows.iter().take(MAX_ROWS).enumerate() {
        let r = 1 + i as RowNum;
        sh.text(r, 0, s(e, "file"), &st.text)?;
        sh.text(r, 1, s(e, "sheet"), &st.text)?;
        if let Some(n) = e["row"].as_u64() {
            sh.int(r, 2, n, &st.int)?;
        }
        sh.wrapped(r, 3, s(e, "message"), &st.wrap)?;
    }
    if rows.len() > MAX_ROWS {
        too_many(sh, report, 1 + MAX_ROWS as RowNum, rows.len())?;
    }
    sh.cap(0, 50.0);
    sh.cap(3, 90.0);
    Ok(())
}
