//! Text from input made safe to print on a terminal.
//!
//! Why: agent names, contact ids, file names and transcript text come from
//! files cqa does not control. Printed raw, an escape sequence in them can
//! retitle the window (OSC), clear the screen or rewrite earlier lines, and
//! bidi controls (U+202E) can make a line read differently from what it
//! holds. The workbooks already drop control characters; the terminal shows
//! them in a visible form, `\u{1b}`, so a controller sees that they are there.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as is: C0 controls (including
/// newline and tab), DEL, C1 controls, line and paragraph separators and
/// the bidi controls.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// `s` with every [`is_unsafe`] character written as `\u{…}` (hex): one
/// field — a name, an id, a quote — that must stay on its line.
pub fn escape(s: &str) -> Cow<'_, str> {
    escape_but(s, |_| false)
}

/// Like [`escape`], but line breaks stay: for whole messages and summaries
/// cqa assembled itself from lines.
pub fn escape_keeping_lines(s: &str) -> Cow<'_, str> {
    escape_but(s, |c| c == '\n')
}

fn escape_but(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe(c) && !keep(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_bidi_controls_become_visible() {
        assert_eq!(
            escape("Иванова\u{1b}]0;взлом\u{7}\u{1b}[2J"),
            "Иванова\\u{1b}]0;взлом\\u{7}\\u{1b}[2J"
        );
        assert_eq!(escape("a\u{9b}b\u{7f}c"), "a\\u{9b}b\\u{7f}c");
        assert_eq!(escape("C-1\u{202e}fdp.exe"), "C-1\\u{202e}fdp.exe");
        assert_eq!(escape("две\nстроки\t"), "две\\u{a}строки\\u{9}");
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        assert!(matches!(
            escape("Петров Иван (A017) — «Здравствуйте!»"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn whole_messages_keep_their_lines() {
        assert_eq!(
            escape_keeping_lines("раз\nдва\u{1b}[2J\r"),
            "раз\nдва\\u{1b}[2J\\u{d}"
        );
    }
}
