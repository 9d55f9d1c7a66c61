//! A list sheet written row by row in constant memory, continuing on
//! "<name> 2", "<name> 3"… when it reaches the row limit.
//!
//! Constant-memory worksheets drop any write to an earlier row with only a
//! printed warning, and a table must be declared before its rows are written,
//! so each part is sized up front from the row count of the first pass; a
//! count that does not match at the end is an error, never a silent loss.
//!
//! Parts of up to [`TABLE_MAX_ROWS`] rows are Excel tables. Longer parts get
//! an autofilter (the same filter buttons) instead: rust_xlsxwriter records
//! every cell of a table's range in a hash map to detect overlaps (~30 bytes a
//! cell), which for a million-row Findings sheet would be hundreds of MB.

use super::kit::{Sheet, UniqueNames};
use super::style::{Styles, TargetRule};
use super::ReportError;
use crate::words::report::Labels;
use rust_xlsxwriter::{ColNum, Format, RowNum, Table, TableColumn, TableStyle, Workbook};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub(crate) const TABLE_MAX_ROWS: u32 = 20_000;

/// Picks one of the shared formats.
pub(crate) type PickFormat = fn(&Styles) -> &Format;

/// What a list sheet needs besides its rows.
pub(crate) struct ListSpec {
    pub base: String,
    pub headers: Vec<String>,
    pub caps: Vec<(ColNum, f64)>,
    /// Data rows the first pass counted.
    pub expected: u64,
    /// Rows per sheet including the header.
    pub row_limit: u32,
    /// A score column to colour against the target.
    pub target: Option<(ColNum, TargetRule)>,
    /// The format most cells of a column carry, set as the column's own:
    /// cells written with it then need no per-cell format look-up.
    pub body: Vec<(ColNum, PickFormat)>,
    /// What each column means, as a note on its header ([`super::glossary`]).
    pub notes: Vec<(ColNum, &'static str)>,
}

pub(crate) struct ListSheet {
    spec: ListSpec,
    path: PathBuf,
    l: &'static Labels,
    s: Arc<Styles>,
    done: Vec<Sheet>,
    cur: Option<Sheet>,
    /// Data rows written into the current part, and the rows it was sized for.
    cur_rows: u32,
    cur_capacity: u32,
    written: u64,
}

impl ListSheet {
    pub fn new(spec: ListSpec, path: &Path, l: &'static Labels, s: &Arc<Styles>) -> Self {
        ListSheet {
            spec,
            path: path.to_path_buf(),
            l,
            s: Arc::clone(s),
            done: Vec::new(),
            cur: None,
            cur_rows: 0,
            cur_capacity: 0,
            written: 0,
        }
    }

    fn changed(&self, found: u64) -> ReportError {
        ReportError::Changed {
            path: self.path.clone(),
            expected: self.spec.expected,
            found,
        }
    }

    fn open_part(&mut self, wb: &mut Workbook, names: &mut UniqueNames) -> Result<(), ReportError> {
        let x = ReportError::xlsx(&self.path);
        if let Some(mut old) = self.cur.take() {
            old.fit().map_err(ReportError::xlsx(&self.path))?;
            self.done.push(old);
        }
        let part = self.done.len() + 1;
        let name = if part == 1 {
            names.claim(&self.spec.base)
        } else {
            names.claim(&format!("{} {part}", self.spec.base))
        };
        let ws = wb
            .new_worksheet_with_constant_memory()
            .map_err(ReportError::xlsx(&self.path))?;
        let mut sh = Sheet::new(ws, &name, self.l).map_err(ReportError::xlsx(&self.path))?;
        sh.streaming = true;
        let remaining = self.spec.expected.saturating_sub(self.written);
        let capacity = remaining.min(u64::from(self.spec.row_limit - 1)) as u32;
        let last_col = (self.spec.headers.len().max(1) - 1) as ColNum;
        let s = &self.s;
        (|| {
            sh.ws.set_row_height(0, 32)?;
            sh.ws.set_freeze_panes(1, 0)?;
            sh.ws.set_repeat_rows(0, 0)?;
            for (c, text) in &self.spec.notes {
                let note = rust_xlsxwriter::Note::new(*text)
                    .set_author("cqa")
                    .set_width(320)
                    .set_height(110);
                sh.ws.insert_note(0, *c, &note)?;
            }
            for (i, h) in self.spec.headers.iter().enumerate() {
                sh.header_width(i as ColNum, h);
            }
            if capacity == 0 {
                for (i, h) in self.spec.headers.iter().enumerate() {
                    sh.header(0, i as ColNum, h, &s.header)?;
                }
                sh.text_free(1, 0, self.l.none_rows, &s.note)?;
            } else if capacity <= TABLE_MAX_ROWS {
                let cols: Vec<TableColumn> = self
                    .spec
                    .headers
                    .iter()
                    .map(|h| {
                        TableColumn::new()
                            .set_header(h)
                            .set_header_format(&s.header)
                    })
                    .collect();
                let t = Table::new()
                    .set_columns(&cols)
                    .set_style(TableStyle::Light9);
                sh.ws.add_table(0, 0, capacity, last_col, &t)?;
            } else {
                for (i, h) in self.spec.headers.iter().enumerate() {
                    sh.header(0, i as ColNum, h, &s.header)?;
                }
                sh.ws.autofilter(0, 0, capacity, last_col)?;
            }
            for (c, w) in &self.spec.caps {
                sh.cap(*c, *w);
            }
            for (c, pick) in &self.spec.body {
                sh.column_format(*c, pick(s))?;
            }
            if let (Some((col, t)), true) = (&self.spec.target, capacity > 0) {
                sh.target_rule((1, capacity), *col, t, s)?;
            }
            Ok(())
        })()
        .map_err(x)?;
        self.cur = Some(sh);
        self.cur_rows = 0;
        self.cur_capacity = capacity;
        Ok(())
    }

    /// The sheet and row for the next data row.
    pub fn next(
        &mut self,
        wb: &mut Workbook,
        names: &mut UniqueNames,
    ) -> Result<(&mut Sheet, RowNum), ReportError> {
        if self.written >= self.spec.expected {
            return Err(self.changed(self.written + 1));
        }
        if self.cur.is_none() || self.cur_rows >= self.cur_capacity {
            self.open_part(wb, names)?;
        }
        self.cur_rows += 1;
        self.written += 1;
        let (row, written, expected) = (self.cur_rows, self.written, self.spec.expected);
        match &mut self.cur {
            Some(sh) => Ok((sh, row)),
            None => Err(ReportError::Changed {
                path: self.path.clone(),
                expected,
                found: written,
            }),
        }
    }

    /// The finished parts, in order. Fails if fewer rows came than were counted.
    pub fn finish(
        mut self,
        wb: &mut Workbook,
        names: &mut UniqueNames,
    ) -> Result<Vec<Sheet>, ReportError> {
        if self.written != self.spec.expected {
            return Err(self.changed(self.written));
        }
        if self.cur.is_none() && self.done.is_empty() {
            self.open_part(wb, names)?;
        }
        if let Some(mut last) = self.cur.take() {
            last.fit().map_err(ReportError::xlsx(&self.path))?;
            self.done.push(last);
        }
        Ok(self.done)
    }
}
