//! Cell text cut to what Excel keeps. Excel's limit is 32,767 UTF-16 code
//! units, not characters: an emoji or another character outside the Basic
//! Multilingual Plane is two units, so a chat turn of 20,000 emoji is 40,000
//! units, and rust_xlsxwriter refuses it (`MaxStringLengthExceeded`), failing
//! the whole workbook. Every text cell of every workbook goes through
//! [`clip`].

use std::borrow::Cow;

/// Excel's cell text limit, in UTF-16 units.
pub(crate) const MAX_CELL: usize = 32_767;

/// How text over the limit shows that it was cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Clip {
    /// A trailing `…` (forms and calibration: the cell is for reading).
    Ellipsis,
    /// `… [<label>: <n>]`, saying how many characters are missing (the
    /// report's sheets, where a cut quote must not pass for the whole).
    Counted(&'static str),
}

/// The length of `s` as Excel counts it.
pub(crate) fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// The longest prefix of `s` that fits in `max` UTF-16 units, cut on a character boundary.
pub(crate) fn truncate_utf16(s: &str, max: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        used += c.len_utf16();
        if used > max {
            return &s[..i];
        }
    }
    s
}

/// `s` as it fits in one cell: itself when it does, else cut with the marker of `how`.
pub(crate) fn clip(s: &str, how: Clip) -> Cow<'_, str> {
    // Most text is far below the limit: a byte count is an upper bound of the units.
    if s.len() <= MAX_CELL || utf16_len(s) <= MAX_CELL {
        return s.into();
    }
    match how {
        Clip::Ellipsis => {
            let mut t = truncate_utf16(s, MAX_CELL - 1).to_string();
            t.push('…');
            t.into()
        }
        Clip::Counted(label) => {
            // The marker's own length depends on the number it carries; 12 digits is plenty.
            let room = MAX_CELL - 40 - label.chars().count() * 2;
            let kept = truncate_utf16(s, room);
            let missing = s[kept.len()..].chars().count();
            format!("{kept} … [{label}: {missing}]").into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chat turn of a customer who answers in emoji: 20,000 characters,
    /// 40,000 UTF-16 units. Counting characters (the forms' old `clip`) kept
    /// it whole, and Excel's limit was passed.
    fn emoji_turn() -> String {
        let mut s = String::from("Клиент: ");
        while s.chars().count() < 20_000 {
            s.push_str("😡👎🙄");
        }
        s
    }

    #[test]
    fn an_emoji_heavy_turn_is_cut_to_excels_limit_in_utf16_units() {
        let turn = emoji_turn();
        assert!(
            turn.chars().count() <= MAX_CELL,
            "fits when counted in characters"
        );
        let cut = clip(&turn, Clip::Ellipsis);
        assert!(utf16_len(&cut) <= MAX_CELL, "{} units", utf16_len(&cut));
        assert!(cut.starts_with("Клиент: 😡") && cut.ends_with('…'));
    }

    #[test]
    fn an_emoji_heavy_turn_is_accepted_by_the_excel_writer() {
        let turn = emoji_turn();
        let cut = clip(&turn, Clip::Ellipsis);
        let mut ws = rust_xlsxwriter::Worksheet::new();
        assert!(ws.write_string(0, 0, cut.as_ref()).is_ok());
    }

    #[test]
    fn text_within_the_limit_is_kept_as_it_is() {
        let s = "Оператор: «Добрый день!» 👋";
        assert!(matches!(clip(s, Clip::Ellipsis), Cow::Borrowed(x) if x == s));
        let exact = "я".repeat(MAX_CELL);
        assert_eq!(clip(&exact, Clip::Ellipsis), exact);
    }

    #[test]
    fn long_text_is_cut_with_a_counted_marker_within_the_limit() {
        let s = "я".repeat(40_000);
        let c = clip(&s, Clip::Counted("обрезано"));
        assert!(utf16_len(&c) <= MAX_CELL);
        assert!(c.ends_with(']') && c.contains("обрезано: "));
        let astral = "😀".repeat(20_000);
        assert!(utf16_len(&clip(&astral, Clip::Counted("cut"))) <= MAX_CELL);
    }

    #[test]
    fn an_ellipsis_cut_of_plain_text_keeps_as_many_characters_as_before() {
        // Where every character is one unit the cut is the old one: 32,766 and `…`.
        let long = "ж".repeat(40_000);
        let c = clip(&long, Clip::Ellipsis);
        assert_eq!(c.chars().count(), MAX_CELL);
        assert_eq!(c.chars().filter(|&x| x == 'ж').count(), MAX_CELL - 1);
    }
}
