//! Folding for detection: the detectors read ASCII digits, spaces and
//! hyphens, but people and speech recognisers also write non-breaking and
//! thin spaces, en dashes and minus signs, full-width or Arabic-Indic digits,
//! and `4276/3800/1234/5679` or `8.916.123.45.67`. [`Folded`] is the text the
//! detectors see, with every byte mapped back to the original, so that a
//! finding is masked in the text as it was written.

/// The code point of digit zero of every run of Unicode decimal digits
/// (category Nd), which always come in runs of ten from zero to nine.
/// Unicode 16; ASCII `0` first.
const ZEROS: [u32; 75] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x10D40, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0,
    0x11650, 0x116C0, 0x116D0, 0x11730, 0x118E0, 0x11950, 0x11BF0, 0x11C50, 0x11D50, 0x11DA0,
    0x11F50, 0x16130, 0x16A60, 0x16AC0, 0x16B50, 0x16D70, 0x1CCF0, 0x1D7CE, 0x1D7D8, 0x1D7E2,
    0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E5F1, 0x1E950, 0x1FBF0,
];

/// The value of a decimal digit of any script: `'7'`, `'７'` (full-width) and
/// `'٧'` (Arabic-Indic) are all 7.
pub fn digit_value(c: char) -> Option<u8> {
    let c = c as u32;
    if c < 0x80 {
        return (0x30..=0x39).contains(&c).then(|| (c - 0x30) as u8);
    }
    let i = ZEROS.partition_point(|&z| z <= c).checked_sub(1)?;
    let d = c - ZEROS[i];
    (d < 10).then_some(d as u8)
}

/// Whether `c` is a space of category Zs other than the ASCII space.
fn wide_space(c: char) -> bool {
    matches!(
        c,
        '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// Hyphens and dashes read as `-`: U+2010–U+2015 and the minus sign.
fn dash(c: char) -> bool {
    matches!(c, '\u{2010}'..='\u{2015}' | '\u{2212}')
}

/// The ASCII byte a non-ASCII character is read as, if any.
fn fold_char(c: char) -> Option<u8> {
    if let Some(d) = digit_value(c) {
        return Some(b'0' + d);
    }
    if wide_space(c) {
        Some(b' ')
    } else if dash(c) {
        Some(b'-')
    } else {
        None
    }
}

/// A space of category Zs other than U+0020: number words joined by it
/// still make one run (`numbers::joinable`).
pub fn is_wide_separator(c: char) -> bool {
    wide_space(c)
}

/// A hyphen or dash other than `-` (U+2010–U+2015, U+2212).
pub fn is_wide_dash(c: char) -> bool {
    dash(c)
}

/// Lead bytes of UTF-8 sequences that may fold: U+00A0 (C2), Unicode
/// digits (D9, DB, DF, E0, E1, EA, EF, F0), spaces, dashes and the minus
/// sign (E1, E2, E3). Cyrillic (D0, D1) and most punctuation never fold.
fn may_fold(lead: u8) -> bool {
    matches!(
        lead,
        0xC2 | 0xD9 | 0xDB | 0xDF | 0xE0 | 0xE1 | 0xE2 | 0xE3 | 0xEA | 0xEF | 0xF0
    )
}

/// `.` or `/` between two digits, as in «4276/3800/1234/5679»: a separator
/// of digit groups, read as `-`.
fn joins_digits(b: &[u8], i: usize) -> bool {
    matches!(b[i], b'.' | b'/')
        && i > 0
        && b[i - 1].is_ascii_digit()
        && b.get(i + 1).is_some_and(u8::is_ascii_digit)
}

/// Whether [`Folded::new`] would change `text`: sixteen bytes at a time,
/// stopping only at `.`, `/` and the lead bytes that may fold, decoding only
/// those rare characters. Cyrillic prose is skipped a block at a time.
pub fn needs_folding(text: &str) -> bool {
    const WANTED: crate::sys::bytescan::Wanted<'static> = crate::sys::bytescan::Wanted {
        bytes: &[b'.', b'/', 0xC2, 0xD9, 0xDB, 0xDF],
        lo: 0xE0,
        hi: 0xF0,
    };
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(i) = WANTED.find(b, from) {
        from = i + 1;
        if b[i] < 0x80 {
            if joins_digits(b, i) {
                return true;
            }
        } else if may_fold(b[i]) {
            let c = text[i..].chars().next().unwrap_or(' ');
            if fold_char(c).is_some() {
                return true;
            }
        }
    }
    false
}

/// `text` with its digits, spaces and dashes in ASCII, and `.`/`/` between
/// digits read as `-`; `orig[i]` is where byte `i` came from in `text`
/// (one more entry for the end).
pub struct Folded {
    pub text: String,
    orig: Vec<usize>,
}

impl Folded {
    pub fn new(text: &str) -> Folded {
        let mut out = String::with_capacity(text.len());
        let mut orig = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.char_indices() {
            let folded = if c.is_ascii() { None } else { fold_char(c) };
            match folded {
                Some(f) => {
                    out.push(char::from(f));
                    orig.push(i);
                }
                None => {
                    out.push(c);
                    orig.extend(i..i + c.len_utf8());
                }
            }
        }
        orig.push(text.len());
        // `.` and `/` between digits, judged on the folded digits.
        let mut bytes = std::mem::take(&mut out).into_bytes();
        for i in 0..bytes.len() {
            if joins_digits(&bytes, i) {
                bytes[i] = b'-';
            }
        }
        let text = String::from_utf8(bytes).unwrap_or_default();
        Folded { text, orig }
    }

    /// The offset in the original text of folded offset `i` (a character
    /// boundary of the folded text, or its end).
    pub fn original(&self, i: usize) -> usize {
        self.orig[i.min(self.orig.len() - 1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unicode_decimal_digit_has_its_value() {
        let mut seen = 0;
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if let Some(d) = digit_value(c) {
                seen += 1;
                assert!(c.is_numeric(), "{c:?}");
                assert_eq!(
                    digit_value(char::from_u32(c as u32 - u32::from(d)).unwrap()),
                    Some(0)
                );
            }
        }
        assert!(seen >= 660, "{seen}");
        assert_eq!(digit_value('７'), Some(7));
        assert_eq!(digit_value('٣'), Some(3));
        assert_eq!(digit_value('۹'), Some(9));
        assert_eq!(digit_value('x'), None);
        assert_eq!(digit_value('½'), None);
    }

    #[test]
    fn folding_keeps_a_map_back_to_the_original_bytes() {
        let text = "карта\u{a0}４２７６\u{2009}3800–1234/5679 конец";
        assert!(needs_folding(text));
        let f = Folded::new(text);
        assert_eq!(f.text, "карта 4276 3800-1234-5679 конец");
        let start = f.text.find('4').unwrap();
        let end = f.text.find(" конец").unwrap();
        assert_eq!(
            &text[f.original(start)..f.original(end)],
            "４２７６\u{2009}3800–1234/5679"
        );
        assert_eq!(f.original(f.text.len()), text.len());
    }

    #[test]
    fn plain_russian_prose_needs_no_folding() {
        for text in [
            "Здравствуйте, банк «Пример», чем могу помочь…",
            "Списали 1 250,50 руб. в 14:35",
            "Конец.",
            "v. 2",
        ] {
            assert!(!needs_folding(text), "{text}");
        }
        assert!(needs_folding("12.03.2024"));
        assert!(needs_folding("Да — это я"));
        assert!(needs_folding("08/27"));
    }

    #[test]
    fn the_block_scan_agrees_with_folding_itself() {
        let pieces = [
            "ж",
            " ",
            "1",
            ".",
            "/",
            "\u{a0}",
            "«",
            "—",
            "…",
            "４",
            "٣",
            "a",
            "\u{1D7CE}",
            "😀",
        ];
        let mut seed = 7u64;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(seed % 40) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            assert_eq!(
                needs_folding(&text),
                Folded::new(&text).text != text,
                "{text:?}"
            );
        }
    }

    #[test]
    fn lead_bytes_that_may_fold_are_all_listed() {
        for c in (0x80..=0x10FFFFu32).filter_map(char::from_u32) {
            if fold_char(c).is_some() {
                let mut buf = [0; 4];
                let lead = c.encode_utf8(&mut buf).as_bytes()[0];
                assert!(may_fold(lead), "{c:?}");
            }
        }
    }
}
