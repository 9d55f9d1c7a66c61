//! A thin worksheet wrapper that every text cell goes through.
//!
//! The wrapper exists for three reasons: (1) input text is only ever written
//! with `write_string*` — never through a path that could turn `=…` into a
//! formula; (2) text over Excel's 32,767-unit cell limit is cut with a visible
//! marker instead of failing the whole workbook ([`super::clip`]); (3) on a
//! fitted sheet, column widths are fitted from what was written, because
//! rust_xlsxwriter's `autofit()` only sees the current row in constant-memory
//! mode.

use super::clip::{clip, Clip};
use rust_xlsxwriter::{ColNum, Format, Formula, RowNum, Worksheet, XlsxError};
use std::borrow::Cow;

/// Display width of text in Excel's character units, roughly: Cyrillic and
/// other non-ASCII letters are a little wider than digits in Calibri.
fn text_width(s: &str) -> f64 {
    let line = s
        .lines()
        .map(|l| {
            l.chars()
                .map(|c| if c.is_ascii() { 1.0 } else { 1.1 })
                .sum::<f64>()
        })
        .fold(0.0, f64::max);
    line + 1.5
}

/// Excel's serial date (days since 1899-12-30) for an RFC 3339 timestamp, in
/// the timestamp's own offset: the clock time the contact centre saw.
pub(crate) fn excel_date(s: &str) -> Option<f64> {
    let dt = chrono::DateTime::parse_from_rfc3339(s)
        .map(|d| d.naive_local())
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|d| d.and_time(chrono::NaiveTime::MIN))
        })
        .ok()?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?.and_time(chrono::NaiveTime::MIN);
    let secs = (dt - epoch).num_milliseconds() as f64 / 1000.0;
    // Excel cannot show dates before 1900-03-01 correctly (its 1900 leap-year bug).
    (secs >= 61.0 * 86_400.0).then_some(secs / 86_400.0)
}

/// A worksheet plus the widths of what was written into it.
pub(crate) struct Sheet {
    pub ws: Worksheet,
    pub name: String,
    widths: Vec<f64>,
    caps: Vec<f64>,
    /// Wrapped cells (row, column, width of each line): neither Excel nor
    /// LibreOffice grows a row for wrapped text written by a library, so
    /// `fit()` sets the heights once the column widths are known.
    wrapped: Vec<(RowNum, ColNum, Vec<f64>)>,
    /// A constant-memory sheet: a row's height must be set while it is the
    /// current row, so wrapped text sizes its row at once (against the column's cap).
    pub streaming: bool,
    /// The current row's height in lines, and rows given a height so far (streaming only).
    row_lines: (RowNum, f64),
    height_rows: u32,
    /// Per column, the address of the format set as the column's own (0: none).
    column_formats: Vec<usize>,
    /// How text over the cell limit is cut.
    clip: Clip,
    /// Whether [`Sheet::into_worksheet`] fits the columns to what was
    /// written ([`Sheet::new`]), or the caller set them ([`Sheet::fixed`]).
    fitted: bool,
}

/// Lines a streamed row grows to at most; the rest of the text stays in the cell.
const STREAM_MAX_LINES: f64 = 6.0;
/// Rows of a streamed sheet that get a height. rust_xlsxwriter keeps every
/// row's options until save even in constant-memory mode (~500 bytes a row:
/// 85 MB for 170,000 findings), so past this many rows wrapped cells keep the
/// default height: they show their first line and still hold all the text.
const STREAM_HEIGHT_ROWS: u32 = 20_000;
/// Text of width w fits in a column of width w / WRAP_SLACK: the width
/// estimate is deliberately generous, so that columns are never too narrow.
const WRAP_SLACK: f64 = 1.15;

/// Lines a text needs in a column of the given width.
fn lines_needed(line_widths: &[f64], col_width: f64) -> f64 {
    let w = (col_width * WRAP_SLACK - 1.0).max(1.0);
    line_widths
        .iter()
        .map(|x| ((x - 1.5) / w).ceil().max(1.0))
        .sum()
}

/// Width cap for columns not given one.
const DEFAULT_CAP: f64 = 50.0;

impl Sheet {
    /// A sheet laid out by the kit: printed (and converted to PDF) landscape
    /// on A4, one page wide, and its columns fitted to what was written.
    pub fn new(mut ws: Worksheet, name: &str, clip: impl Into<Clip>) -> Result<Self, XlsxError> {
        ws.set_landscape();
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
        ws.set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3);
        let mut sheet = Sheet::fixed(ws, name, clip.into())?;
        sheet.fitted = true;
        Ok(sheet)
    }

    /// A sheet whose column widths, row heights and printing the caller
    /// sets on [`Sheet::ws`]: the kit only makes its text cells safe.
    pub fn fixed(mut ws: Worksheet, name: &str, clip: Clip) -> Result<Self, XlsxError> {
        ws.set_name(name)?;
        Ok(Sheet {
            ws,
            name: name.to_string(),
            widths: Vec::new(),
            caps: Vec::new(),
            wrapped: Vec::new(),
            streaming: false,
            row_lines: (0, 1.0),
            height_rows: 0,
            column_formats: Vec::new(),
            clip,
            fitted: false,
        })
    }

    /// Caps the fitted width of a column (long reasons and quotes).
    pub fn cap(&mut self, col: ColNum, width: f64) {
        let i = col as usize;
        if self.caps.len() <= i {
            self.caps.resize(i + 1, DEFAULT_CAP);
        }
        self.caps[i] = width;
    }

    fn seen(&mut self, col: ColNum, w: f64) {
        let i = col as usize;
        if self.widths.len() <= i {
            self.widths.resize(i + 1, 0.0);
        }
        if w > self.widths[i] {
            self.widths[i] = w;
        }
    }

    /// Makes `f` the column's own format: cells written with this very
    /// format (same address) are then written without one and take it from
    /// the column, sparing rust_xlsxwriter a hash of the whole format per
    /// cell (a sixth of writing the list sheets). Only for formats that do
    /// not show on empty cells (alignment, wrapping, number formats).
    pub fn column_format(&mut self, c: ColNum, f: &Format) -> Result<(), XlsxError> {
        self.ws.set_column_format(c, f)?;
        let i = c as usize;
        if self.column_formats.len() <= i {
            self.column_formats.resize(i + 1, 0);
        }
        self.column_formats[i] = std::ptr::from_ref(f) as usize;
        Ok(())
    }

    /// `f` when the cell needs it, `None` when the column already has it.
    fn own<'f>(&self, c: ColNum, f: &'f Format) -> Option<&'f Format> {
        let set = self.column_formats.get(c as usize).copied();
        (set != Some(std::ptr::from_ref(f) as usize)).then_some(f)
    }

    fn string(&mut self, r: RowNum, c: ColNum, s: &str, f: &Format) -> Result<(), XlsxError> {
        match self.own(c, f) {
            Some(f) => self.ws.write_string_with_format(r, c, s, f)?,
            None => self.ws.write_string(r, c, s)?,
        };
        Ok(())
    }

    fn number(&mut self, r: RowNum, c: ColNum, v: f64, f: &Format) -> Result<(), XlsxError> {
        match self.own(c, f) {
            Some(f) => self.ws.write_number_with_format(r, c, v, f)?,
            None => self.ws.write_number(r, c, v)?,
        };
        Ok(())
    }

    /// `s` as it fits in a cell of this sheet.
    pub fn cut<'s>(&self, s: &'s str) -> Cow<'s, str> {
        clip(s, self.clip)
    }

    /// Text in a cell without a format of its own (the column's or the default).
    pub fn plain(&mut self, r: RowNum, c: ColNum, s: &str) -> Result<(), XlsxError> {
        let s = self.cut(s);
        self.seen(c, text_width(&s));
        self.ws.write_string(r, c, s.as_ref())?;
        Ok(())
    }

    /// Input or label text: always a string cell, cut at the cell limit.
    pub fn text(&mut self, r: RowNum, c: ColNum, s: &str, f: &Format) -> Result<(), XlsxError> {
        let s = self.cut(s);
        self.seen(c, text_width(&s));
        self.string(r, c, s.as_ref(), f)
    }

    /// Text wrapped within its column (capped width); the row grows to show it all.
    pub fn wrapped(&mut self, r: RowNum, c: ColNum, s: &str, f: &Format) -> Result<(), XlsxError> {
        let s = self.cut(s);
        let lines: Vec<f64> = s.lines().map(text_width).collect();
        self.seen(c, lines.iter().copied().fold(0.0, f64::max));
        self.string(r, c, s.as_ref(), f)?;
        if self.streaming {
            let cap = self.caps.get(c as usize).copied().unwrap_or(DEFAULT_CAP);
            let n = lines_needed(&lines, cap).min(STREAM_MAX_LINES);
            if self.row_lines.0 != r {
                if self.row_lines.1 > 1.0 {
                    self.height_rows += 1;
                }
                self.row_lines = (r, 1.0);
            }
            if n > self.row_lines.1 && self.height_rows < STREAM_HEIGHT_ROWS {
                self.row_lines.1 = n;
                self.ws.set_row_height(r, 15.0 * n)?;
            }
        } else {
            self.wrapped.push((r, c, lines));
        }
        Ok(())
    }

    /// Text that does not widen its column (titles that may overflow to the right).
    pub fn text_free(
        &mut self,
        r: RowNum,
        c: ColNum,
        s: &str,
        f: &Format,
    ) -> Result<(), XlsxError> {
        let s = self.cut(s);
        self.ws.write_string_with_format(r, c, s.as_ref(), f)?;
        Ok(())
    }

    pub fn opt_text(
        &mut self,
        r: RowNum,
        c: ColNum,
        s: Option<&str>,
        f: &Format,
    ) -> Result<(), XlsxError> {
        match s {
            Some(s) => self.text(r, c, s, f),
            None => Ok(()),
        }
    }

    /// A header cell: wraps, so only its longest word has to fit.
    pub fn header(&mut self, r: RowNum, c: ColNum, s: &str, f: &Format) -> Result<(), XlsxError> {
        let s = self.cut(s);
        let longest = s.split_whitespace().map(text_width).fold(0.0, f64::max);
        self.seen(c, longest.max(8.0) + 2.0);
        self.ws.write_string_with_format(r, c, s.as_ref(), f)?;
        Ok(())
    }

    /// Notes the width of a header written by a table.
    pub fn header_width(&mut self, c: ColNum, s: &str) {
        let longest = s.split_whitespace().map(text_width).fold(0.0, f64::max);
        self.seen(c, longest.max(8.0) + 2.5);
    }

    pub fn num(&mut self, r: RowNum, c: ColNum, v: f64, f: &Format) -> Result<(), XlsxError> {
        if !v.is_finite() {
            return Ok(());
        }
        self.seen(c, 9.0);
        self.number(r, c, v, f)
    }

    pub fn opt_num(
        &mut self,
        r: RowNum,
        c: ColNum,
        v: Option<f64>,
        f: &Format,
    ) -> Result<(), XlsxError> {
        match v {
            Some(v) => self.num(r, c, v, f),
            None => Ok(()),
        }
    }

    pub fn int(&mut self, r: RowNum, c: ColNum, v: u64, f: &Format) -> Result<(), XlsxError> {
        self.seen(c, (v.max(1) as f64).log10().floor() + 3.0);
        self.number(r, c, v as f64, f)
    }

    /// A link made by cqa (sheet names are ours, never input text), as a
    /// HYPERLINK formula: unlike worksheet hyperlinks these are not held in
    /// memory until save and have no 65,530-per-sheet limit.
    pub fn link_formula(
        &mut self,
        r: RowNum,
        c: ColNum,
        target: &str,
        shown: &str,
        format: &Format,
    ) -> Result<(), XlsxError> {
        let esc = |s: &str| s.replace('"', "\"\"");
        let f = Formula::new(format!("HYPERLINK(\"{}\",\"{}\")", esc(target), esc(shown)))
            .set_result(shown);
        self.seen(c, text_width(shown) + 1.0);
        self.ws.write_formula_with_format(r, c, f, format)?;
        Ok(())
    }

    /// Sets every column to its fitted width (within its cap), and the
    /// height of rows with wrapped text.
    pub fn fit(&mut self) -> Result<(), XlsxError> {
        let width = |i: usize| {
            let cap = self.caps.get(i).copied().unwrap_or(DEFAULT_CAP);
            self.widths.get(i).copied().unwrap_or(8.43).clamp(4.0, cap)
        };
        for i in 0..self.widths.len() {
            self.ws.set_column_width(i as ColNum, width(i))?;
        }
        let mut lines: std::collections::BTreeMap<RowNum, f64> = std::collections::BTreeMap::new();
        for (r, c, ws) in &self.wrapped {
            let n = lines_needed(ws, width(*c as usize));
            let e = lines.entry(*r).or_insert(1.0);
            *e = e.max(n);
        }
        for (r, n) in lines {
            if n > 1.0 {
                self.ws.set_row_height(r, (15.0 * n).min(409.0))?;
            }
        }
        Ok(())
    }

    /// Printing: the area from A1 to `last` (row, column), the header row
    /// repeated on every page, and a page break before each of `pages` (a
    /// chart and its data start a page of their own, never split by one).
    pub fn print_setup(
        &mut self,
        last: (RowNum, ColNum),
        header: Option<RowNum>,
        pages: &[RowNum],
    ) -> Result<(), XlsxError> {
        self.ws.set_print_area(0, 0, last.0, last.1)?;
        if let Some(h) = header {
            self.ws.set_repeat_rows(h, h)?;
        }
        let breaks: Vec<RowNum> = pages.iter().copied().filter(|r| *r > 0).collect();
        if !breaks.is_empty() {
            self.ws.set_page_breaks(&breaks)?;
        }
        Ok(())
    }

    /// The worksheet, fitted if the sheet is ([`Sheet::new`]), for the workbook.
    pub fn into_worksheet(mut self) -> Result<Worksheet, XlsxError> {
        if self.fitted {
            self.fit()?;
        }
        Ok(self.ws)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::Reader;

    /// The cells of the first sheet of a saved workbook, as calamine reads them.
    fn read_back(sheet: Sheet) -> Vec<Vec<calamine::Data>> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.push_worksheet(sheet.into_worksheet().expect("fits"));
        let bytes = wb.save_to_buffer().expect("saved");
        let mut xl = calamine::Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook");
        let range = xl
            .worksheet_range_at(0)
            .expect("a sheet")
            .expect("readable");
        range.rows().map(|r| r.to_vec()).collect()
    }

    #[test]
    fn input_that_looks_like_a_formula_stays_text() {
        let mut sh = Sheet::fixed(Worksheet::new(), "Оценка", Clip::Ellipsis).expect("named");
        sh.plain(0, 0, "=HYPERLINK(\"http://evil\",\"жми\")")
            .expect("written");
        sh.text(0, 1, "+7 (999) 123-45-67", &Format::new())
            .expect("written");
        let rows = read_back(sh);
        assert_eq!(
            rows[0][0],
            calamine::Data::String("=HYPERLINK(\"http://evil\",\"жми\")".into())
        );
        assert_eq!(
            rows[0][1],
            calamine::Data::String("+7 (999) 123-45-67".into())
        );
    }

    #[test]
    fn an_emoji_heavy_cell_is_written_cut_instead_of_failing_the_workbook() {
        let mut sh = Sheet::fixed(Worksheet::new(), "Контакт", Clip::Ellipsis).expect("named");
        let turn = "🙂".repeat(20_000);
        sh.text(0, 0, &turn, &Format::new())
            .expect("cut to the limit, not refused");
        let rows = read_back(sh);
        let calamine::Data::String(kept) = &rows[0][0] else {
            panic!("a text cell: {:?}", rows[0][0]);
        };
        assert!(
            kept.ends_with('…') && kept.chars().count() == 16_384,
            "{}",
            kept.len()
        );
    }

    #[test]
    fn dates_become_excel_serials_in_their_own_offset() {
        let d = excel_date("2026-11-02T10:15:00+03:00").unwrap_or_default();
        // 2026-11-02 is serial 46328; 10:15 is 0.427083…
        assert!((d - (46328.0 + 10.25 / 24.0)).abs() < 1e-9, "{d}");
        assert_eq!(excel_date("not a date"), None);
        assert_eq!(excel_date("1899-12-31T00:00:00Z"), None);
    }
}
