//! Reading a registry or roster as a grid of text cells, from `.xlsx`
//! (calamine) or `.csv`/`.tsv`, with hard bounds.
//!
//! Why bounded: an `.xlsx` is a zip of XML. calamine's `worksheet_range`
//! allocates the sheet's *declared* dimensions, and it loads the whole
//! shared-strings table; a small hostile or broken file can ask for
//! gigabytes. So: the file and its unpacked parts are capped before calamine
//! opens it ([`super::unpack`]), cells are streamed with
//! `worksheet_cells_reader` (no dimension-sized allocation), columns past
//! [`MAX_COLS`] are ignored and the cells and text kept are capped.
//! Old `.xls` is refused with a hint (calamine can only read it whole).

use super::decode_bytes;
use super::unpack::{check_spreadsheet, Budget};
use calamine::{DataRef, Reader, Xlsx};
use std::collections::BTreeMap;
use std::path::Path;

pub(crate) const MAX_COLS: u32 = 256;

/// Rows with their 1-based line (csv) or row number (xlsx), cells as text.
pub(crate) type Grid = Vec<(u64, Vec<String>)>;

/// Reads every sheet's rows lazily: returns the first sheet (or the csv) for
/// which `accept` finds a header; errors name the file.
pub(crate) fn read_grid(
    path: &Path,
    max_bytes: u64,
    accept: impl Fn(&Grid) -> bool,
) -> Result<Grid, String> {
    check_spreadsheet(path, max_bytes)?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" => crate::sys::guard::survive_panic(|| read_xlsx(path, accept))?,
        "xls" => Err("old .xls workbooks are not read; save it as .xlsx or .csv".into()),
        _ => {
            let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
            let (text, _) = decode_bytes(&bytes).map_err(|e| e.to_string())?;
            let grid = read_csv(&text, ext == "tsv")?;
            if accept(&grid) {
                Ok(grid)
            } else {
                Err("no header row with the required column".into())
            }
        }
    }
}

fn read_csv(text: &str, tsv: bool) -> Result<Grid, String> {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("");
    let count = |c: char| first.matches(c).count();
    let delim = if tsv || count('\t') > count(';').max(count(',')) {
        b'\t'
    } else if count(';') >= count(',') && count(';') > 0 {
        b';'
    } else {
        b','
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let index = super::fields::LineIndex::new(text);
    let mut budget = Budget::default();
    rdr.records()
        .filter_map(Result::ok)
        .map(|r| {
            let line = r.position().map_or(0, |p| index.line(text, p.byte()));
            let cells: Vec<String> = r
                .iter()
                .take(MAX_COLS as usize)
                .map(|c| c.trim().to_string())
                .collect();
            budget.take(cells.len(), cells.iter().map(String::len).sum())?;
            Ok((line, cells))
        })
        .collect()
}

fn read_xlsx(path: &Path, accept: impl Fn(&Grid) -> bool) -> Result<Grid, String> {
    let mut wb: Xlsx<_> =
        calamine::open_workbook(path).map_err(|e| format!("cannot open workbook: {e}"))?;
    let names = wb.sheet_names();
    for name in &names {
        let mut reader = wb
            .worksheet_cells_reader(name)
            .map_err(|e| format!("sheet `{name}`: {e}"))?;
        let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
        let mut budget = Budget::default();
        while let Some(cell) = reader
            .next_cell()
            .map_err(|e| format!("sheet `{name}`: {e}"))?
        {
            let (r, c) = cell.get_position();
            if c >= MAX_COLS {
                continue;
            }
            let text = cell_text(cell.get_value());
            if text.is_empty() {
                continue;
            }
            let row = rows.entry(r).or_default();
            // A row holds every cell up to its last one: a lone cell in
            // column 200 of each row costs 200 cells, and is counted so.
            let grown = (c as usize + 1).saturating_sub(row.len());
            budget
                .take(grown, text.len())
                .map_err(|e| format!("sheet `{name}`: {e}"))?;
            if grown > 0 {
                row.resize(c as usize + 1, String::new());
            }
            row[c as usize] = text;
        }
        let grid: Grid = rows
            .into_iter()
            .map(|(r, v)| (u64::from(r) + 1, v))
            .collect();
        if accept(&grid) {
            return Ok(grid);
        }
    }
    Err(format!(
        "no sheet has a header row with the required column (sheets: {})",
        names.join(", ")
    ))
}

fn cell_text(v: &DataRef<'_>) -> String {
    match v {
        DataRef::String(s) => s.trim().to_string(),
        DataRef::SharedString(s) => s.trim().to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) if d.is_datetime() => {
            let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
            if d.as_f64() < 1.0 {
                format!("{h:02}:{mi:02}:{s:02}")
            } else {
                format!("{y:04}-{mo:02}-{day:02}T{h:02}:{mi:02}:{s:02}")
            }
        }
        DataRef::DateTime(d) => number_text(d.as_f64() * 86_400.0),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

/// Whole numbers without `.0`: an id typed as 17 must not become `17.0`.
pub(crate) fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// An Excel date serial (days since 1899-12-30) as an ISO date-time, for date
/// columns Excel did not format as dates.
pub(crate) fn excel_serial(s: &str) -> Option<String> {
    let v: f64 = s.parse().ok()?;
    if !(20_000.0..80_000.0).contains(&v) {
        return None;
    }
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    let d = base + chrono::Duration::milliseconds((v * 86_400_000.0).round() as i64);
    Some(d.format("%Y-%m-%dT%H:%M:%S").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials_become_dates() {
        assert_eq!(
            excel_serial("46328.4270833333").as_deref(),
            Some("2026-11-02T10:15:00")
        );
        assert_eq!(excel_serial("17"), None);
    }

    #[test]
    fn whole_numbers_lose_their_fraction() {
        assert_eq!(number_text(17.0), "17");
        assert_eq!(number_text(3.5), "3.5");
    }

    #[test]
    fn semicolon_csv_is_read_with_line_numbers() {
        let g = read_csv("ID;Оператор\nC-1;Иванова\n\nC-2;Петров\n", false).unwrap();
        assert_eq!(g[2], (4, vec!["C-2".to_string(), "Петров".to_string()]));
    }
}
