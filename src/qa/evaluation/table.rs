//! Reading the tables people fill in and export: CSV (comma, semicolon or
//! tab; UTF-8 or Windows-1251, as Russian Excel saves it) and workbooks (xlsx,
//! xlsm, xls, ods) through calamine. Every row keeps its file, sheet and row
//! number, because a QA controller fixes a bad answer by going to that cell.

use crate::input::contact::unpack::{check_spreadsheet, Budget, MAX_FILE_BYTES};
use calamine::{Data, Reader};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One cell as read; dates become ISO text so callers need not know Excel serials.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// `YYYY-MM-DDTHH:MM:SS` from a date-formatted cell.
    Date(String),
}

impl Cell {
    /// The cell as trimmed text; a whole number prints without `.0`, so an
    /// id typed as `123` in Excel (stored as 123.0) reads back as `123`.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Number(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", *x as i64),
            Cell::Number(x) => x.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Date(s) => s.clone(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// A number, also from text with a decimal comma (`4,5`); never NaN or
    /// infinite (Rust would read the text `NaN` or `inf` as one).
    pub fn number(&self) -> Option<f64> {
        let x = match self {
            Cell::Number(x) => Some(*x),
            Cell::Text(s) => s.trim().replace(',', ".").parse().ok(),
            _ => None,
        };
        x.filter(|x: &f64| x.is_finite())
    }
}

/// One row with its number as the user sees it (Excel row, or CSV line).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<Cell>,
}

/// A sheet of a workbook, or a whole CSV file (`sheet` is `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub file: PathBuf,
    pub sheet: Option<String>,
    pub rows: Vec<Row>,
}

/// A header row found in a table: where it is and which column holds what.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// Index into [`Table::rows`] of the header row; data follows it.
    pub at: usize,
    columns: HashMap<String, usize>,
}

impl Header {
    /// The column index of a (normalised) header name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.get(name).copied()
    }

    /// The cell of `row` under header `name`; `Empty` when the column or cell is absent.
    pub fn cell<'a>(&self, row: &'a Row, name: &str) -> &'a Cell {
        static EMPTY: Cell = Cell::Empty;
        self.column(name)
            .and_then(|i| row.cells.get(i))
            .unwrap_or(&EMPTY)
    }
}

/// Header names compare in lower case with spaces and dashes as `_`, so
/// `Contact ID` and `contact-id` both mean `contact_id`.
pub fn header_key(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

impl Table {
    /// Finds the first row, among the first 20, that has every `required`
    /// header. `aliases` maps other spellings to the canonical names.
    pub fn find_header(&self, required: &[&str], aliases: &[(&str, &str)]) -> Option<Header> {
        self.rows.iter().take(20).enumerate().find_map(|(at, row)| {
            let mut columns = HashMap::new();
            for (i, c) in row.cells.iter().enumerate() {
                let key = header_key(&c.text());
                let key = aliases
                    .iter()
                    .find(|(alias, _)| *alias == key)
                    .map_or(key, |(_, canon)| canon.to_string());
                columns.entry(key).or_insert(i);
            }
            required
                .iter()
                .all(|r| columns.contains_key(*r))
                .then_some(Header { at, columns })
        })
    }

    /// "file", or "file, sheet «name»": how messages name this table.
    pub fn label(&self) -> String {
        match &self.sheet {
            Some(s) => format!("{}, sheet «{s}»", self.file.display()),
            None => self.file.display().to_string(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Format { path: PathBuf, message: String },
    #[error("{path}: not a table cqa reads (expected .csv, .tsv, .xlsx, .xlsm, .xls or .ods)")]
    UnknownType { path: PathBuf },
}

/// Whether a file in a folder of evaluations is a table, by its extension;
/// Excel's `~$` lock files and notes (`.txt`, `.md`) are not.
pub fn is_table_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with("~$") || name.starts_with('.') {
        return false;
    }
    matches!(
        extension(path).as_str(),
        "csv" | "tsv" | "xlsx" | "xlsm" | "xls" | "ods"
    )
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Columns beyond this are ignored: no form or registry is that wide, and a
/// file that declares more is either broken or hostile.
const MAX_COLUMNS: usize = 256;

/// Reads every sheet of a workbook, or a CSV file as one table, keeping at
/// most `max_rows` rows per sheet (a sheet that declares a huge size is not
/// allocated whole: xlsx sheets are streamed). A file that is too large,
/// unpacks to too much or holds too many cells is refused with the limit it
/// passes ([`crate::input::contact::unpack`]), so a zip bomb costs little memory.
pub fn read_tables(path: &Path, max_rows: usize) -> Result<Vec<Table>, TableError> {
    if is_table_file(path) || extension(path) == "txt" {
        check_spreadsheet(path, MAX_FILE_BYTES).map_err(|e| format_err(path, e))?;
    }
    match extension(path).as_str() {
        "csv" | "tsv" | "txt" => read_csv(path, max_rows).map(|t| vec![t]),
        "xlsx" | "xlsm" => crate::sys::guard::survive_panic(|| read_xlsx(path, max_rows))
            .map_err(|e| format_err(path, e))?,
        "xls" | "ods" => crate::sys::guard::survive_panic(|| read_other_workbook(path, max_rows))
            .map_err(|e| format_err(path, e))?,
        _ => Err(TableError::UnknownType {
            path: path.to_path_buf(),
        }),
    }
}

fn format_err(path: &Path, message: impl std::fmt::Display) -> TableError {
    TableError::Format {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

/// The separator Excel used: the most frequent of `;`, `,` and tab in the first line.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',')
}

fn read_csv(path: &Path, max_rows: usize) -> Result<Table, TableError> {
    let bytes = std::fs::read(path).map_err(|source| TableError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let (text, _) = crate::input::contact::decode_bytes(&bytes).map_err(|e| format_err(path, e))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(&text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut budget = Budget::default();
    for record in reader.records().take(max_rows) {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            format_err(path, format!("line {line}: {e}"))
        })?;
        let number = record
            .position()
            .map_or(rows.len() + 1, |p| p.line() as usize);
        let cells = record
            .iter()
            .take(MAX_COLUMNS)
            .map(|s| {
                if s.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(s.to_string())
                }
            })
            .collect::<Vec<_>>();
        let text = cells.iter().map(cell_bytes).sum();
        budget
            .take(cells.len(), text)
            .map_err(|e| format_err(path, e))?;
        rows.push(Row { number, cells });
    }
    Ok(Table {
        file: path.to_path_buf(),
        sheet: None,
        rows,
    })
}

fn convert(d: Data) -> Cell {
    match d {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) => Cell::Text(s),
        Data::Int(i) => Cell::Number(i as f64),
        Data::Float(f) => Cell::Number(f),
        Data::Bool(b) => Cell::Bool(b),
        Data::DateTime(dt) => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            Cell::Date(format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}"))
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Date(s),
    }
}

/// Bytes of text a cell holds.
fn cell_bytes(c: &Cell) -> usize {
    match c {
        Cell::Text(s) | Cell::Date(s) => s.len(),
        _ => 0,
    }
}

/// Puts a cell at (row, col), growing the rows, and charges the budget with
/// the cells the row grows by (a row is stored up to its last cell).
fn place(
    rows: &mut Vec<Row>,
    budget: &mut Budget,
    row: u32,
    col: u32,
    cell: Cell,
) -> Result<(), String> {
    let (row, col) = (row as usize, col as usize);
    if col >= MAX_COLUMNS || cell == Cell::Empty {
        return Ok(());
    }
    let r = match rows.last_mut() {
        Some(r) if r.number == row + 1 => r,
        _ => {
            rows.push(Row {
                number: row + 1,
                cells: Vec::new(),
            });
            let last = rows.len() - 1;
            &mut rows[last]
        }
    };
    budget.take((col + 1).saturating_sub(r.cells.len()), cell_bytes(&cell))?;
    if r.cells.len() <= col {
        r.cells.resize(col + 1, Cell::Empty);
    }
    r.cells[col] = cell;
    Ok(())
}

fn read_xlsx(path: &Path, max_rows: usize) -> Result<Vec<Table>, TableError> {
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook(path).map_err(|e| format_err(path, e))?;
    let mut tables = Vec::new();
    let mut budget = Budget::default();
    for sheet in wb.sheet_names() {
        let mut cells = wb
            .worksheet_cells_reader(&sheet)
            .map_err(|e| format_err(path, format!("sheet «{sheet}»: {e}")))?;
        let mut rows: Vec<Row> = Vec::new();
        while let Some(c) = cells
            .next_cell()
            .map_err(|e| format_err(path, format!("sheet «{sheet}»: {e}")))?
        {
            let (r, col) = c.get_position();
            if r as usize >= max_rows {
                break;
            }
            place(
                &mut rows,
                &mut budget,
                r,
                col,
                convert(c.get_value().clone().into()),
            )
            .map_err(|e| format_err(path, format!("sheet «{sheet}»: {e}")))?;
        }
        tables.push(Table {
            file: path.to_path_buf(),
            sheet: Some(sheet),
            rows,
        });
    }
    Ok(tables)
}

fn read_other_workbook(path: &Path, max_rows: usize) -> Result<Vec<Table>, TableError> {
    let mut wb = calamine::open_workbook_auto(path).map_err(|e| format_err(path, e))?;
    let mut tables = Vec::new();
    let mut budget = Budget::default();
    for sheet in wb.sheet_names() {
        let range = wb
            .worksheet_range(&sheet)
            .map_err(|e| format_err(path, format!("sheet «{sheet}»: {e}")))?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut rows = Vec::new();
        for (i, row) in range.rows().enumerate().take(max_rows) {
            for (j, d) in row.iter().enumerate() {
                place(
                    &mut rows,
                    &mut budget,
                    r0 + i as u32,
                    c0 + j as u32,
                    convert(d.clone()),
                )
                .map_err(|e| format_err(path, format!("sheet «{sheet}»: {e}")))?;
            }
        }
        tables.push(Table {
            file: path.to_path_buf(),
            sheet: Some(sheet),
            rows,
        });
    }
    Ok(tables)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_number_reads_back_without_a_decimal_point() {
        assert_eq!(Cell::Number(101.0).text(), "101");
        assert_eq!(Cell::Number(4.5).text(), "4.5");
        assert_eq!(Cell::Text(" 4,5 ".into()).number(), Some(4.5));
        assert_eq!(Cell::Text("NaN".into()).number(), None);
        assert_eq!(Cell::Text("inf".into()).number(), None);
    }

    #[test]
    fn header_names_ignore_case_spaces_and_dashes() {
        assert_eq!(header_key(" Contact ID "), "contact_id");
        assert_eq!(header_key("criterion-id"), "criterion_id");
    }

    #[test]
    fn semicolon_csv_from_russian_excel_in_windows_1251_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("оценки.csv");
        let (bytes, _, _) = encoding_rs::WINDOWS_1251
            .encode("evaluator;contact_id;criterion_id;answer\nИванова;C-1;greet;Да\n");
        std::fs::write(&p, &bytes).unwrap();
        let t = read_csv(&p, 100).unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].number, 2);
        assert_eq!(t.rows[1].cells[0].text(), "Иванова");
        assert_eq!(t.rows[1].cells[3].text(), "Да");
        let h = t.find_header(&["contact_id", "answer"], &[]).unwrap();
        assert_eq!(h.at, 0);
        assert_eq!(h.cell(&t.rows[1], "criterion_id").text(), "greet");
    }

    #[test]
    fn lock_files_and_unknown_types_are_not_tables() {
        assert!(is_table_file(Path::new("forms/Иванова.xlsx")));
        assert!(!is_table_file(Path::new("forms/~$Иванова.xlsx")));
        assert!(!is_table_file(Path::new("forms/readme.md")));
    }
}
