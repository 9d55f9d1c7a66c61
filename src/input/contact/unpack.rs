//! Bounds on what a spreadsheet may cost to read, shared by every reader of
//! spreadsheets: the `--registry`/`--roster` grid and the tables of
//! evaluations, `forms --sample`, the sample's registry and exclusions.
//!
//! Why: an `.xlsx` (or `.ods`) is a zip of XML, and XML of repeated cells
//! compresses a thousandfold: a 26 MB file can unpack to gigabytes and, read
//! into rows, take gigabytes of memory. So, before calamine opens a file, its
//! size is capped and the zip's central directory is read (no data) to refuse
//! parts that unpack to too much; the zip reader itself refuses a part that
//! unpacks to more than it declared. While cells are read, a [`Budget`] caps
//! the cells kept (counting the empty ones a sparse row allocates) and their
//! text. Together they keep reading any one spreadsheet well under 600 MB.
//! The limits are documented in docs/scorecard.md ("Limits").

use std::path::Path;

/// A spreadsheet file larger than this is not read (the `--max-file-mb`
/// default; the registry and roster use `--max-file-mb` itself).
pub const MAX_FILE_BYTES: u64 = 64 << 20;
/// A part calamine reads whole (shared strings, styles, an `.ods` content)
/// may unpack to at most this.
pub const MAX_LOADED_PART: u64 = 32 << 20;
/// A worksheet part (streamed, never held whole) may unpack to at most this.
pub const MAX_SHEET_PART: u64 = 512 << 20;
/// All parts of one workbook together may unpack to at most this.
pub const MAX_UNPACKED: u64 = 1 << 30;
/// Cells kept from one file, counting the empty cells before the last
/// filled one of each row (a row is stored up to its last cell).
pub const MAX_CELLS: usize = 5_000_000;
/// Bytes of cell text kept from one file.
pub const MAX_TEXT_BYTES: usize = 128 << 20;

/// Refuses a spreadsheet before it is opened when its file size, or (for the
/// zip formats `.xlsx`, `.xlsm`, `.ods`) the unpacked size of a part or of
/// all parts, passes the limits. The message does not name the file: callers
/// add it.
pub(crate) fn check_spreadsheet(path: &Path, max_file_bytes: u64) -> Result<(), String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot open: {e}"))?
        .len();
    if size > max_file_bytes {
        return Err(format!(
            "file is {} MiB, over the limit of {} MiB; not read",
            size >> 20,
            max_file_bytes >> 20
        ));
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if matches!(ext.as_str(), "xlsx" | "xlsm" | "ods") {
        check_zip(path)?;
    }
    if ext == "ods" {
        check_ods_cells(path)?;
    }
    Ok(())
}

/// Reads only the zip's central directory (zip64 too) and sums the declared
/// unpacked sizes.
fn check_zip(path: &Path) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| format!("not a readable workbook (zip: {e})"))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let part = zip
            .by_index_raw(i)
            .map_err(|e| format!("not a readable workbook (zip: {e})"))?;
        let name = part
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| String::from_utf8_lossy(part.name_raw()).into_owned());
        let size = part.size();
        let streamed = name.starts_with("xl/worksheets/") && !name.ends_with(".rels");
        let limit = if streamed {
            MAX_SHEET_PART
        } else {
            MAX_LOADED_PART
        };
        total = total.saturating_add(size);
        if size > limit {
            return Err(format!(
                "workbook part `{}` unpacks to {} MiB, over the limit of {} MiB; not read",
                crate::text::terminal::escape(&name),
                size >> 20,
                limit >> 20
            ));
        }
        if total > MAX_UNPACKED {
            return Err(format!(
                "the workbook unpacks to more than {} MiB; not read",
                MAX_UNPACKED >> 20
            ));
        }
    }
    Ok(())
}

/// calamine reads an `.ods` sheet whole, as a rectangle of every row by the
/// widest row, and `number-rows-repeated` / `number-columns-repeated` make an
/// 800-byte file declare a billion cells (calamine stops at 100 million,
/// which is still gigabytes). So the content is scanned first (it is at most
/// [`MAX_LOADED_PART`]) and the rectangles it declares are added up.
fn check_ods_cells(path: &Path) -> Result<(), String> {
    use std::io::Read;
    let zip_err = |e: zip::result::ZipError| format!("not a readable workbook (zip: {e})");
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(zip_err)?;
    let mut xml = Vec::new();
    zip.by_name("content.xml")
        .map_err(zip_err)?
        .take(MAX_LOADED_PART)
        .read_to_end(&mut xml)
        .map_err(|e| format!("cannot read content.xml: {e}"))?;
    let cells = ods_declared_cells(&String::from_utf8_lossy(&xml));
    if cells > MAX_CELLS as u64 {
        return Err(format!(
            "the sheets declare {cells} cells (repeated rows and columns), more than {MAX_CELLS}; not read"
        ));
    }
    Ok(())
}

/// For each `table:table` of an ODS content: the rows up to the last one
/// holding a value, times the widest such row up to its last value (what
/// calamine allocates), summed over the tables.
fn ods_declared_cells(xml: &str) -> u64 {
    let repeat = |tag: &str, attr: &str| -> u64 {
        tag.find(attr)
            .and_then(|at| tag[at + attr.len()..].split('"').nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
    };
    let (mut total, mut rows, mut filled_rows, mut width) = (0u64, 0u64, 0u64, 0u64);
    let (mut row_repeat, mut col, mut last) = (1u64, 0u64, 0u64);
    for tag in xml.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        let (closing, rest) = match tag.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, tag),
        };
        let name = rest
            .split([' ', '/', '\t', '\n', '\r'])
            .next()
            .unwrap_or("");
        match (closing, name) {
            (false, "table:table-row") => {
                row_repeat = repeat(tag, "table:number-rows-repeated");
                (col, last) = (0, 0);
                if tag.ends_with('/') {
                    rows = rows.saturating_add(row_repeat);
                }
            }
            (false, "table:table-cell" | "table:covered-table-cell") => {
                col = col.saturating_add(repeat(tag, "table:number-columns-repeated"));
                let empty = tag.ends_with('/') && !tag.contains("office:value-type");
                if !empty {
                    last = col;
                }
            }
            (true, "table:table-row") => {
                rows = rows.saturating_add(row_repeat);
                if last > 0 {
                    filled_rows = rows;
                    width = width.max(last);
                }
            }
            (true, "table:table") => {
                total = total.saturating_add(filled_rows.saturating_mul(width));
                (rows, filled_rows, width) = (0, 0, 0);
            }
            _ => {}
        }
    }
    total
}

/// What is left to keep from one file: cells (a row counts up to its last
/// filled cell) and bytes of text.
#[derive(Debug, Clone)]
pub(crate) struct Budget {
    cells: usize,
    text: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            cells: MAX_CELLS,
            text: MAX_TEXT_BYTES,
        }
    }
}

impl Budget {
    /// Takes `cells` more cells holding `text` more bytes, or says which
    /// limit the file passes.
    pub(crate) fn take(&mut self, cells: usize, text: usize) -> Result<(), String> {
        self.cells = self.cells.checked_sub(cells).ok_or_else(|| {
            format!("more than {MAX_CELLS} cells; split the table into smaller files")
        })?;
        self.text = self.text.checked_sub(text).ok_or_else(|| {
            format!(
                "more than {} MiB of cell text; split the table into smaller files",
                MAX_TEXT_BYTES >> 20
            )
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_refuses_the_cell_past_the_limit() {
        let mut b = Budget::default();
        assert!(b.take(MAX_CELLS, 10).is_ok());
        let e = b.take(1, 0).unwrap_err();
        assert!(e.contains("more than 5000000 cells"), "{e}");
    }

    #[test]
    fn an_ods_sheet_declares_its_rows_times_its_widest_row() {
        let sheet = |rows: &str| {
            format!(
                r#"<office:spreadsheet><table:table table:name="Оценки">
                <table:table-row><table:table-cell office:value-type="string"><text:p>contact_id</text:p></table:table-cell></table:table-row>
                {rows}
                <table:table-row table:number-rows-repeated="1048553"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
                </table:table></office:spreadsheet>"#
            )
        };
        // LibreOffice's trailing empty rows cost nothing.
        assert_eq!(ods_declared_cells(&sheet("")), 1);
        let bomb = sheet(
            r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16000" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>"#,
        );
        assert_eq!(ods_declared_cells(&bomb), 6001 * 16000);
    }

    #[test]
    fn the_budget_refuses_too_much_text() {
        let mut b = Budget::default();
        let e = b.take(1, MAX_TEXT_BYTES + 1).unwrap_err();
        assert!(e.contains("128 MiB of cell text"), "{e}");
    }
}
