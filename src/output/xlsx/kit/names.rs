//! Sheet and file names made from input text (agent ids and names, team
//! names) or from labels. Excel refuses a workbook whose sheet names contain
//! `[]:*?/\`, start or end with `'`, pass 31 UTF-16 units or repeat another
//! name case-insensitively — and rust_xlsxwriter only finds duplicates at
//! `save()`, after all the work. File names come from people's names, so they
//! must never leave the output folder (`../x`), never be a Windows device
//! (`con`, `nul`), and never collide on case-insensitive file systems. And
//! references to a sheet, in a formula or a link, quote its name.

use super::clip::{truncate_utf16, utf16_len};
use rust_xlsxwriter::{ColNum, RowNum};
use std::collections::HashSet;

const SHEET_FORBIDDEN: [char; 7] = ['[', ']', ':', '*', '?', '/', '\\'];
pub(crate) const SHEET_MAX_UTF16: usize = 31;
/// Bytes kept of a file stem: ext4 and NTFS allow 255 per component; room is left for
/// the ` (N)` suffix, the `.xlsx` extension and the temporary-name decoration.
const FILE_STEM_MAX_BYTES: usize = 150;
/// Characters Windows, macOS or a hyperlink would choke on (`#` starts a link anchor,
/// `%` an escape).
const FILE_FORBIDDEN: [char; 11] = ['<', '>', ':', '"', '/', '\\', '|', '?', '*', '#', '%'];

fn truncate_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A sheet name Excel accepts, as close to `raw` as possible.
pub(crate) fn sheet_name(raw: &str) -> String {
    let cleaned: String = raw
        .chars()
        .map(|c| {
            if SHEET_FORBIDDEN.contains(&c) || crate::text::terminal::is_unsafe(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let mut s = cleaned.trim().trim_matches('\'').trim().to_string();
    if s.is_empty() {
        s.push('_');
    }
    // Excel reserves "History" for its change-tracking sheet.
    if s.eq_ignore_ascii_case("history") {
        s.push('_');
    }
    let s = truncate_utf16(&s, SHEET_MAX_UTF16);
    // Truncation may expose a trailing apostrophe or space.
    let s = s.trim_end_matches(['\'', ' ']);
    if s.is_empty() {
        "_".into()
    } else {
        s.to_string()
    }
}

/// Windows device names, reserved with any extension (`con.txt` is the console too).
fn is_windows_device(stem: &str) -> bool {
    let base = stem
        .split('.')
        .next()
        .unwrap_or(stem)
        .trim_end()
        .to_ascii_uppercase();
    matches!(
        base.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) || ((base.starts_with("COM") || base.starts_with("LPT"))
        && base.len() == 4
        && base[3..]
            .chars()
            .all(|c| c.is_ascii_digit() || "¹²³".contains(c)))
        || ((base.starts_with("COM") || base.starts_with("LPT"))
            && ["¹", "²", "³"].contains(&&base[3..]))
}

/// A file stem (no extension) that is one path component on every common file system.
/// Personal data in the name (an e-mail as an agent name) is masked first; bidi
/// controls (U+202E makes a name read backwards) go like control characters; a
/// leading `-` is dropped, so no shell or tool reads the file as an option.
pub fn file_stem(raw: &str) -> String {
    let masked = crate::text::mask(raw, crate::words::Lang::Ru);
    let cleaned: String = masked
        .chars()
        .map(|c| {
            if FILE_FORBIDDEN.contains(&c) || crate::text::terminal::is_unsafe(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let collapsed = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    // Leading dots hide the file (and `..` would be the parent); trailing dots and
    // spaces are silently dropped by Windows.
    let trimmed = collapsed
        .trim_matches(|c: char| c == '.' || c == ' ')
        .trim_start_matches('-');
    let cut = truncate_bytes(trimmed, FILE_STEM_MAX_BYTES).trim_end_matches(['.', ' ']);
    let mut s = if cut.is_empty() {
        "_".to_string()
    } else {
        cut.to_string()
    };
    if is_windows_device(&s) {
        s.insert(0, '_');
    }
    s
}

/// Hands out names that differ case-insensitively from every name handed out
/// before, by appending ` (2)`, ` (3)`… within the length limit.
pub struct UniqueNames {
    used: HashSet<String>,
    kind: Kind,
}

#[derive(Clone, Copy)]
enum Kind {
    Sheet,
    File,
}

impl UniqueNames {
    pub fn sheets() -> Self {
        UniqueNames {
            used: HashSet::new(),
            kind: Kind::Sheet,
        }
    }
    pub fn files() -> Self {
        UniqueNames {
            used: HashSet::new(),
            kind: Kind::File,
        }
    }

    /// A safe, unused name derived from `raw`.
    pub fn claim(&mut self, raw: &str) -> String {
        let base = match self.kind {
            Kind::Sheet => sheet_name(raw),
            Kind::File => file_stem(raw),
        };
        if self.used.insert(base.to_lowercase()) {
            return base;
        }
        for n in 2u64.. {
            let suffix = format!(" ({n})");
            let head = match self.kind {
                Kind::Sheet => truncate_utf16(&base, SHEET_MAX_UTF16 - utf16_len(&suffix)),
                Kind::File => truncate_bytes(&base, FILE_STEM_MAX_BYTES - suffix.len()),
            };
            let candidate = format!("{}{suffix}", head.trim_end());
            if self.used.insert(candidate.to_lowercase()) {
                return candidate;
            }
        }
        unreachable!("some numbered name is always free")
    }

    /// Like `claim`, but for a name that must be used exactly (a fixed label).
    pub fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_lowercase());
    }
}

/// Quotes a sheet name for a cell reference: `'Нарушения 2'!A5`.
pub(crate) fn sheet_ref(sheet: &str, row: RowNum, col: ColNum) -> String {
    format!(
        "'{}'!{}{}",
        sheet.replace('\'', "''"),
        rust_xlsxwriter::utility::column_number_to_name(col),
        row + 1
    )
}

/// An `internal:` link to cell A1 of a sheet, quoting the name as Excel wants.
pub(crate) fn sheet_link(sheet: &str) -> String {
    format!("internal:'{}'!A1", sheet.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_lose_forbidden_characters_and_fit() {
        assert_eq!(sheet_name("a[b]c:d*e?f/g\\h"), "a_b_c_d_e_f_g_h");
        assert_eq!(sheet_name("'quoted'"), "quoted");
        assert_eq!(sheet_name(""), "_");
        assert_eq!(sheet_name("history"), "history_");
        let long = "Операторы группы продаж и удержания клиентов";
        assert!(utf16_len(&sheet_name(long)) <= 31);
        // Astral characters count two units each.
        let emoji = "😀".repeat(20);
        assert_eq!(utf16_len(&sheet_name(&emoji)), 30);
    }

    #[test]
    fn unique_sheet_names_ignore_case_and_keep_the_limit() {
        let mut u = UniqueNames::sheets();
        assert_eq!(u.claim("Группа"), "Группа");
        assert_eq!(u.claim("группа"), "группа (2)");
        let long = "x".repeat(40);
        let a = u.claim(&long);
        let b = u.claim(&long.to_uppercase());
        assert_eq!(utf16_len(&a), 31);
        assert!(utf16_len(&b) <= 31 && b.ends_with(" (2)"));
    }

    #[test]
    fn file_stems_stay_in_the_folder() {
        assert_eq!(file_stem("../x"), "_x");
        assert_eq!(file_stem(".."), "_");
        assert_eq!(file_stem("a/../../b"), "a_.._.._b");
        assert_eq!(file_stem("con"), "_con");
        assert_eq!(file_stem("NUL.txt"), "_NUL.txt");
        assert_eq!(file_stem("com1"), "_com1");
        assert_eq!(file_stem("Иванова Мария (A017)"), "Иванова Мария (A017)");
        assert_eq!(file_stem("a:b*c?\"d<e>f|g#h%i"), "a_b_c__d_e_f_g_h_i");
        assert_eq!(file_stem("  .hidden. "), "hidden");
        assert!(file_stem(&"ж".repeat(300)).len() <= FILE_STEM_MAX_BYTES);
        assert_eq!(file_stem("tab\there"), "tab_here");
    }

    #[test]
    fn file_stems_never_start_with_a_dash_or_hold_bidi_controls() {
        assert_eq!(file_stem("-rf Иванова"), "rf Иванова");
        assert_eq!(file_stem("--"), "_");
        assert_eq!(file_stem("Иванова\u{202e}xslx.exe"), "Иванова_xslx.exe");
        assert_eq!(file_stem("\u{2066}Петров\u{2069}"), "_Петров_");
    }

    #[test]
    fn an_e_mail_as_a_name_is_masked_in_the_file_stem() {
        let stem = file_stem("ivan.petrovich@example.ru");
        assert!(!stem.contains("ivan.petrovich"), "{stem}");
        assert!(!stem.contains("example.ru"), "{stem}");
    }

    #[test]
    fn sheet_refs_and_links_quote_names() {
        assert_eq!(sheet_ref("Нарушения 2", 4, 0), "'Нарушения 2'!A5");
        assert_eq!(sheet_ref("it's", 0, 1), "'it''s'!B1");
        assert_eq!(
            sheet_link("Контакт o'neil"),
            "internal:'Контакт o''neil'!A1"
        );
    }

    #[test]
    fn unique_file_stems_ignore_case() {
        let mut u = UniqueNames::files();
        assert_eq!(u.claim("Ivanov"), "Ivanov");
        assert_eq!(u.claim("IVANOV"), "IVANOV (2)");
        assert_eq!(u.claim("ivanov"), "ivanov (3)");
        assert_eq!(u.claim("con"), "_con");
    }
}
