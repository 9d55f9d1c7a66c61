//! Drop-down lists (data validation) of any length: Excel refuses a literal
//! list over 255 characters, so a longer one is kept on a hidden sheet.

use rust_xlsxwriter::{DataValidation, Formula, Worksheet, XlsxError};

/// Excel's limit on a literal drop-down list, commas included.
const LITERAL_LIST_MAX: usize = 255;

/// A drop-down over `choices`. A list short enough is written into the
/// validation itself; a longer one (Excel rejects those) goes into
/// column A of a hidden sheet named `hidden_sheet`, returned for the caller
/// to add to the workbook (after the visible sheets), and is referenced as a
/// range.
pub(crate) fn drop_down(
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

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::Workbook;

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
