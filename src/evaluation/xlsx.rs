//! Small Excel helpers the forms, the sample manifest and the calibration
//! workbook share: sheet and file names that Excel and file systems accept,
//! and drop-down lists of any length.
//!
//! (The report branch has a twin in `src/report/xlsx/names.rs`; they are to
//! be merged into one.)

use rust_xlsxwriter::{DataValidation, Formula, Worksheet, XlsxError};
use std::collections::HashSet;

/// Excel's limit on a sheet name, in UTF-16 units.
const SHEET_NAME_MAX: usize = 31;

/// Hands out sheet names that Excel accepts: at most 31 UTF-16 units, none
/// of `[]:*?/\`, no leading or trailing `'`, never empty, and unique
/// case-insensitively (Excel compares them so; rust_xlsxwriter only finds
/// out at save time). Contact ids and evaluator names come from users, so
/// any of these may be violated.
#[derive(Debug, Default)]
pub struct SheetNames {
    taken: HashSet<String>,
}

impl SheetNames {
    pub fn new() -> Self {
        Self::default()
    }

    /// A safe, unused name close to `wanted`; a clash gets ` (2)`, ` (3)`…
    pub fn claim(&mut self, wanted: &str) -> String {
        let base: String = wanted
            .chars()
            .map(|c| match c {
                '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
                c if c.is_control() => ' ',
                c => c,
            })
            .collect();
        let base = base.trim().trim_matches('\'').trim().to_string();
        let base = if base.is_empty() {
            "Sheet".to_string()
        } else {
            base
        };
        for n in 1usize.. {
            let suffix = if n == 1 {
                String::new()
            } else {
                format!(" ({n})")
            };
            let room = SHEET_NAME_MAX - suffix.encode_utf16().count();
            let mut name = String::new();
            let mut units = 0;
            for c in base.chars() {
                units += c.len_utf16();
                if units > room {
                    break;
                }
                name.push(c);
            }
            let name = format!("{}{suffix}", name.trim_end_matches('\''));
            if self.taken.insert(name.to_lowercase()) {
                return name;
            }
        }
        unreachable!("some numbered name is always free")
    }
}

/// A file name stem safe on Windows, macOS and Linux: no `<>:"/\|?*`, no
/// control characters, no trailing dot or space, at most 100 characters,
/// not a reserved device name (`CON`, `NUL`…).
pub fn safe_file_stem(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .take(100)
        .collect();
    let cleaned = cleaned.trim().trim_end_matches(['.', ' ']).to_string();
    let upper = cleaned.to_uppercase();
    let reserved = ["CON", "PRN", "AUX", "NUL"].contains(&upper.as_str())
        || ((upper.starts_with("COM") || upper.starts_with("LPT"))
            && upper.len() == 4
            && upper.as_bytes()[3].is_ascii_digit());
    if cleaned.is_empty() {
        "_".into()
    } else if reserved {
        format!("_{cleaned}")
    } else {
        cleaned
    }
}

/// Excel's limit on a literal drop-down list, commas included.
const LITERAL_LIST_MAX: usize = 255;

/// A drop-down over `choices`. A list short enough is written into the
/// validation itself; a longer one (Excel rejects those, NOTES.md) goes into
/// column A of a hidden sheet named `hidden_sheet`, returned for the caller
/// to add to the workbook (after the visible sheets), and is referenced as a
/// range.
pub fn drop_down(
    choices: &[String],
    hidden_sheet: &str,
) -> Result<(DataValidation, Option<Worksheet>), XlsxError> {
    let joined: usize = choices
        .iter()
        .map(|c| c.replace('"', "\"\"").encode_utf16().count())
        .sum::<usize>()
        + choices.len().saturating_sub(1);
    if joined <= LITERAL_LIST_MAX {
        return Ok((DataValidation::new().allow_list_strings(choices)?, None));
    }
    let mut ws = Worksheet::new();
    ws.set_name(hidden_sheet)?;
    for (i, c) in choices.iter().enumerate() {
        ws.write_string(i as u32, 0, c)?;
    }
    ws.set_hidden(true);
    let quoted = hidden_sheet.replace('\'', "''");
    let range = format!("='{quoted}'!$A$1:$A${}", choices.len().max(1));
    Ok((
        DataValidation::new().allow_list_formula(Formula::new(range)),
        Some(ws),
    ))
}

/// An `internal:` link to cell A1 of a sheet, quoting the name as Excel wants.
pub fn sheet_link(sheet: &str) -> String {
    format!("internal:'{}'!A1", sheet.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::Workbook;

    #[test]
    fn sheet_names_lose_forbidden_characters_and_fit_31_units() {
        let mut n = SheetNames::new();
        assert_eq!(n.claim("C-1/2024:[звонок]?"), "C-1_2024__звонок__");
        let long = n.claim("Обращение клиента по кредитной карте №123456");
        assert_eq!(long.encode_utf16().count(), 31);
        assert_eq!(n.claim("'цитата'"), "цитата");
        assert_eq!(n.claim("   "), "Sheet");
    }

    #[test]
    fn sheet_names_are_unique_ignoring_case() {
        let mut n = SheetNames::new();
        assert_eq!(n.claim("Иванова"), "Иванова");
        assert_eq!(n.claim("ИВАНОВА"), "ИВАНОВА (2)");
        let a = n.claim(&"Ж".repeat(40));
        let b = n.claim(&"ж".repeat(40));
        assert_eq!(b.encode_utf16().count(), 31);
        assert!(b.ends_with(" (2)"), "{a} / {b}");
    }

    #[test]
    fn file_stems_are_safe_everywhere() {
        assert_eq!(safe_file_stem("Иванова М.А."), "Иванова М.А");
        assert_eq!(safe_file_stem("a/b:c*"), "a_b_c_");
        assert_eq!(safe_file_stem("con"), "_con");
        assert_eq!(safe_file_stem(" "), "_");
    }

    #[test]
    fn a_long_drop_down_list_goes_to_a_hidden_sheet() {
        let short = vec!["Да".to_string(), "Нет".into(), "Н/П".into()];
        let (_, sheet) = drop_down(&short, "Списки").unwrap();
        assert!(sheet.is_none());
        let long: Vec<String> = (1..=60).map(|i| format!("Контролёр {i}")).collect();
        let (_, sheet) = drop_down(&long, "Списки").unwrap();
        let mut ws = sheet.expect("a hidden sheet for a 600-character list");
        assert_eq!(ws.name(), "Списки");
        let mut wb = Workbook::new();
        wb.add_worksheet();
        wb.push_worksheet(std::mem::take(&mut ws));
        assert!(wb.save_to_buffer().is_ok());
    }
}
