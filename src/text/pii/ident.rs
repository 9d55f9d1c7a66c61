//! Identifiers as people see them: contact ids, agents, teams, queues,
//! channels, file names and timestamps. Every contact carries several, most
//! are short and almost none hold personal data, so [`mask_identifier`]
//! answers most of them without running the detectors.

use super::mask::mask_all;
use std::borrow::Cow;
use std::sync::LazyLock;

/// An ISO date or timestamp, as `started_at` holds: never personal data.
static TIMESTAMP: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?)?(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?$",
    )
    .expect("built-in pattern compiles")
});

/// Whether an identifier may hold personal data: seven digits (the
/// shortest phone), an e-mail sign, a number word, or a character other than
/// ASCII and Cyrillic (digits of other scripts, other spaces: left to the
/// detectors). A bare code of three to six digits (a CVV) without its card
/// is not read here. One pass over the bytes for most identifiers.
fn may_hold(s: &str) -> bool {
    let b = s.as_bytes();
    let mut digits = 0;
    for &c in b {
        match c {
            b'0'..=b'9' => digits += 1,
            b'@' => return true,
            // Lead bytes other than Cyrillic's.
            0xC0..=0xCF | 0xD2..=0xFF => return super::may_need_masking(s),
            _ => {}
        }
    }
    if digits >= 7 {
        return !TIMESTAMP.is_match(s);
    }
    b.windows(2).any(|w| w.eq_ignore_ascii_case(b"at"))
        || s.contains("обак")
        || s.contains("ОБАК")
        || crate::text::numbers::may_hold_number_word(s)
}

/// [`mask_all`] for identifiers shown to people: the same masking, with
/// what cannot hold personal data answered after one pass over its bytes.
pub fn mask_identifier(s: &str) -> Cow<'_, str> {
    if !may_hold(s) {
        return Cow::Borrowed(s);
    }
    mask_all(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_holding_personal_data_are_masked_as_text_is() {
        for s in [
            "ivan.petrovich@example.ru",
            "+7 903 111-22-33",
            "4276 3800 1234 5679",
            "4276-3800-1234-5679",
            "ivan [at] example [dot] ru",
            "восемь девятьсот шестнадцать сто двадцать три сорок пять шестьдесят семь",
        ] {
            assert_eq!(mask_identifier(s), mask_all(s), "{s}");
            assert_ne!(mask_identifier(s), s, "{s}");
        }
    }

    #[test]
    fn ordinary_identifiers_and_timestamps_are_borrowed() {
        for s in [
            "C-000123",
            "A017",
            "Иванова Мария",
            "Группа 2",
            "cards",
            "2026-11-03T15:27:00+03:00",
            "2026-11-03 15:27",
        ] {
            assert!(matches!(mask_identifier(s), Cow::Borrowed(_)), "{s}");
        }
    }
}
