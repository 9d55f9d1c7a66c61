//! Spreadsheet bombs (issue 16, item 5): a small xlsx whose sheet unpacks to
//! gigabytes, or to millions of cells, is refused with a message naming the
//! file wherever cqa reads a spreadsheet, and reading it stays far under
//! 600 MB of memory. The bombs are built here, bit by bit: a deflate stream of
//! one row of cells and then back-references that repeat it, so a workbook of
//! a few megabytes unpacks to hundreds of megabytes or more in milliseconds.

// The shared work-folder helpers, in this binary of its own too.
#[allow(dead_code)]
#[path = "workdir.rs"]
mod workdir;

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use workdir::{cqa, mini_card};

/// Writes deflate bits least-significant first, as RFC 1951 wants.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u32, count: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }
    /// A Huffman code goes in most-significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        let rev = code.reverse_bits() >> (32 - len);
        self.put(rev, len);
    }
    fn literal(&mut self, b: u8) {
        match b {
            0..=143 => self.code(0x30 + u32::from(b), 8),
            _ => self.code(0x190 + u32::from(b) - 144, 9),
        }
    }
    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// The distance code, its extra bits and their count for `d` (RFC 1951, 3.2.5).
fn distance_code(d: u32) -> (u32, u32, u32) {
    let mut base = 1;
    for code in 0..30 {
        let extra = if code < 4 { 0 } else { code / 2 - 1 };
        if d < base + (1 << extra) {
            return (code, d - base, extra);
        }
        base += 1 << extra;
    }
    panic!("distance {d} too far");
}

/// One fixed-Huffman deflate block: `head`, then `unit` repeated `times`, then `tail`.
fn deflate_repeat(head: &[u8], unit: &[u8], times: u64, tail: &[u8]) -> Vec<u8> {
    let mut b = Bits::default();
    b.put(1, 1); // final block
    b.put(1, 2); // fixed Huffman codes
    head.iter().for_each(|&c| b.literal(c));
    unit.iter().for_each(|&c| b.literal(c));
    let mut left = unit.len() as u64 * (times - 1);
    let (dcode, dextra, dbits) = distance_code(unit.len() as u32);
    let mut at = 0usize; // position within the unit of the next byte
    while left >= 258 {
        b.code(0xC5, 8); // length code 285: 258 bytes
        b.code(dcode, 5);
        b.put(dextra, dbits);
        left -= 258;
        at = (at + 258) % unit.len();
    }
    for _ in 0..left {
        b.literal(unit[at]);
        at = (at + 1) % unit.len();
    }
    tail.iter().for_each(|&c| b.literal(c));
    b.code(0, 7); // end of block
    b.finish()
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A minimal zip writer: (name, method, crc, unpacked size, data) per part.
fn zip(parts: &[(&str, u16, u32, u64, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, method, crc, size, data) in parts {
        let offset = out.len() as u32;
        let header = |sig: u32, central_entry: bool| {
            let mut h = Vec::new();
            h.extend(sig.to_le_bytes());
            if central_entry {
                h.extend(20u16.to_le_bytes()); // made by
            }
            h.extend(20u16.to_le_bytes()); // needed
            h.extend(0u16.to_le_bytes()); // flags
            h.extend(method.to_le_bytes());
            h.extend([0u8; 4]); // time, date
            h.extend(crc.to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend((*size as u32).to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central_entry {
                h.extend([0u8; 6]); // comment, disk, internal attributes
                h.extend([0u8; 4]); // external attributes
                h.extend(offset.to_le_bytes());
            }
            h.extend(name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend(data);
        central.extend(header(0x0201_4b50, true));
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

fn stored<'a>(name: &'a str, text: &str) -> (&'a str, u16, u32, u64, Vec<u8>) {
    let data = text.as_bytes().to_vec();
    (name, 0, crc32(&data), data.len() as u64, data)
}

/// An xlsx whose one sheet holds a header row of evaluation columns and then
/// `rows` rows of 256 numeric cells: 3,851 bytes a row unpacked, about 45
/// bytes packed once repeated by back-references. The CRC of the
/// sheet is not computed (the reader must refuse long before it would check it).
fn bomb(path: &Path, rows: u64) {
    let head = concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
        r#"<row><c t="inlineStr"><is><t>evaluator</t></is></c><c t="inlineStr"><is><t>contact_id</t></is></c>"#,
        r#"<c t="inlineStr"><is><t>criterion_id</t></is></c><c t="inlineStr"><is><t>answer</t></is></c></row>"#
    );
    let unit = format!("<row>{}</row>", "<c><v>1</v></c>".repeat(256));
    let tail = "</sheetData></worksheet>";
    let size = head.len() as u64 + unit.len() as u64 * rows + tail.len() as u64;
    let sheet = deflate_repeat(head.as_bytes(), unit.as_bytes(), rows, tail.as_bytes());
    write_xlsx(path, ("xl/worksheets/sheet1.xml", 8, 0, size, sheet));
}

/// A one-sheet workbook around the given sheet part.
fn write_xlsx(path: &Path, sheet: (&str, u16, u32, u64, Vec<u8>)) {
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let workbook = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Оценки" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let wb_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    let bytes = zip(&[
        stored("[Content_Types].xml", types),
        stored("_rels/.rels", rels),
        stored("xl/workbook.xml", workbook),
        stored("xl/_rels/workbook.xml.rels", wb_rels),
        sheet,
    ]);
    std::fs::write(path, bytes).unwrap();
}

/// An xlsx whose sheet is stored (not compressed): `rows` rows, each with a
/// single cell in column IV (the 256th), so each row allocates 256 cells.
fn sparse(path: &Path, rows: u32) {
    let mut sheet = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
    ));
    for r in 1..=rows {
        sheet.push_str(&format!(
            r#"<row r="{r}"><c r="IV{r}"><v>{r}</v></c></row>"#
        ));
    }
    sheet.push_str("</sheetData></worksheet>");
    write_xlsx(path, stored("xl/worksheets/sheet1.xml", &sheet));
}

/// A sheet that unpacks to 3 GiB from a file of about 40 MB would be too
/// slow to build here; 1 GiB (past the 512 MiB a sheet may unpack to) makes
/// the same point from 12 MB.
const GIB_ROWS: u64 = (1 << 30) / 3851 + 1;
/// The largest resident memory of any child process so far, in MB.
fn children_max_rss_mb() -> u64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct it is given.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0);
    usage.ru_maxrss as u64 / 1024
}

fn one_contact(dir: &Path) -> PathBuf {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let c = serde_json::json!({"id": "C-1", "agent_id": "A001", "agent_name": "Иванова Мария", "channel": "voice",
        "turns": [{"speaker": "agent", "text": "Банк «Пример», здравствуйте!"},
                  {"speaker": "customer", "text": "Здравствуйте, вопрос по карте."}]});
    std::fs::write(input.join("C-1.json"), c.to_string()).unwrap();
    input
}

/// Runs `cqa` and returns everything it said plus the run.json it wrote, if any.
fn said(cmd: &mut Command, out: Option<&Path>) -> String {
    let o = cmd.output().unwrap();
    let mut text = String::from_utf8_lossy(&o.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&o.stderr));
    if let Some(run) = out.map(|d| d.join("run.json")) {
        text.push_str(&std::fs::read_to_string(run).unwrap_or_default());
    }
    text
}

#[test]
fn check_refuses_evaluations_whose_sheet_unpacks_to_a_gigabyte() {
    let dir = tempfile::tempdir().unwrap();
    let evals = dir.path().join("оценки");
    std::fs::create_dir(&evals).unwrap();
    bomb(&evals.join("бомба.xlsx"), GIB_ROWS);
    let input = one_contact(dir.path());
    let out = dir.path().join("out");
    let text = said(
        cqa(dir.path())
            .args(["check", "--no-workbooks", "-s"])
            .arg(mini_card())
            .arg("--evaluations")
            .arg(&evals)
            .arg("-o")
            .arg(&out)
            .arg(&input),
        Some(&out),
    );
    assert!(text.contains("бомба.xlsx"), "the file is named:\n{text}");
    assert!(
        // In the run's language (Russian by default).
        text.contains(
            "часть книги `xl/worksheets/sheet1.xml` распаковывается в 1024 МиБ — больше предела 512 МиБ"
        ),
        "{text}"
    );
    assert!(children_max_rss_mb() < 600, "{} MB", children_max_rss_mb());
}

#[test]
fn calibrate_refuses_evaluations_with_millions_of_cells() {
    let dir = tempfile::tempdir().unwrap();
    let evals = dir.path().join("оценки");
    std::fs::create_dir(&evals).unwrap();
    // 25,000 cells, but 6.4 million once each row is stored up to its cell.
    sparse(&evals.join("много-ячеек.xlsx"), 25_000);
    let text = said(
        cqa(dir.path())
            .args(["calibrate", "--evaluations"])
            .arg(&evals),
        None,
    );
    assert!(
        text.contains("много-ячеек.xlsx"),
        "the file is named:\n{text}"
    );
    assert!(text.contains("more than 5000000 cells"), "{text}");
    assert!(children_max_rss_mb() < 600, "{} MB", children_max_rss_mb());
}

#[test]
fn forms_refuses_a_sample_manifest_that_unpacks_to_a_gigabyte() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("выборка.xlsx");
    bomb(&manifest, GIB_ROWS);
    let o = cqa(dir.path())
        .args(["forms", "-s"])
        .arg(mini_card())
        .arg("--sample")
        .arg(&manifest)
        .arg("--evaluators")
        .arg("Петрова")
        .arg("-o")
        .arg(dir.path().join("формы"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("выборка.xlsx"), "the file is named:\n{err}");
    assert!(err.contains("больше предела 512 МиБ"), "{err}");
    assert!(children_max_rss_mb() < 600, "{} MB", children_max_rss_mb());
}

#[test]
fn the_registry_counts_the_empty_cells_a_wide_row_allocates() {
    let dir = tempfile::tempdir().unwrap();
    let registry = dir.path().join("реестр.xlsx");
    // 25,000 cells, but 6.4 million once each row is stored up to its cell.
    sparse(&registry, 25_000);
    let input = one_contact(dir.path());
    let o = cqa(dir.path())
        .args(["check", "--no-workbooks", "-s"])
        .arg(mini_card())
        .arg("--registry")
        .arg(&registry)
        .arg("-o")
        .arg(dir.path().join("out"))
        .arg(&input)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("реестр.xlsx"), "the file is named:\n{err}");
    assert!(err.contains("more than 5000000 cells"), "{err}");
    assert!(children_max_rss_mb() < 600, "{} MB", children_max_rss_mb());
}

#[test]
fn calibrate_refuses_an_ods_whose_repeated_cells_declare_a_hundred_million() {
    let dir = tempfile::tempdir().unwrap();
    let evals = dir.path().join("оценки");
    std::fs::create_dir(&evals).unwrap();
    let content = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Оценки">"#,
        r#"<table:table-row><table:table-cell office:value-type="string"><text:p>contact_id</text:p></table:table-cell></table:table-row>"#,
        r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16000" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>"#,
        r#"</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let bytes = zip(&[
        stored("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        stored("META-INF/manifest.xml", manifest),
        stored("content.xml", content),
    ]);
    std::fs::write(evals.join("повторы.ods"), bytes).unwrap();
    let text = said(
        cqa(dir.path())
            .args(["calibrate", "--evaluations"])
            .arg(&evals),
        None,
    );
    assert!(text.contains("повторы.ods"), "the file is named:\n{text}");
    assert!(
        text.contains("the sheets declare 96016000 cells (repeated rows and columns), more than 5000000; not read"),
        "{text}"
    );
    assert!(children_max_rss_mb() < 600, "{} MB", children_max_rss_mb());
}
