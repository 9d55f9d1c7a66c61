//! E-mail addresses, written («ivan.petrov@mail.ru»), spaced, dictated
//! («иванов собака яндекс точка ру») or disguised («ivan [at] example [dot]
//! ru»): each is proposed whole, local part included.

use super::chars;
use super::context::re;
use super::detectors::Candidate;
use super::PiiKind;
use regex::Regex;
use std::sync::LazyLock;

/// Written addresses: `ivan.petrov@mail.ru`, also with spaces around `@`.
const EMAIL_WRITTEN: &str =
    r"[\p{L}\p{N}._%+\-]+ ?@ ?[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}";

/// Dictated or disguised addresses: «иванов собака яндекс точка ру», "john
/// dot smith at gmail dot com", «ivan [at] example [dot] ru»,
/// «ivan.petrovich собака example точка ru» — the whole address, dotted
/// local part included. `at`/`dot` may stand in brackets of any kind.
const EMAIL_DICTATED: &str = concat!(
    r"\b[\p{L}\p{N}_\-]+(?:(?: ?[\[({] ?(?:точка|dot) ?[\])}] ?| (?:точка|dot) |\.)[\p{L}\p{N}_\-]+)*",
    r"(?: ?[\[({] ?(?:собака|собачка|at) ?[\])}] ?| (?:собака|собачка|at) )",
    r"[\p{L}\p{N}\-]+(?:(?: ?[\[({] ?(?:точка|dot) ?[\])}] ?| (?:точка|dot) |\.)[\p{L}\p{N}\-]+)*",
    r"(?: ?[\[({] ?(?:точка|dot) ?[\])}] ?| (?:точка|dot) |\.)",
    r"(?:ru|ру|com|ком|net|org|рф|su|info|io|biz|me|uk|de|by|kz|ua|edu|gov)\b",
);

/// Either form. Where only one form can occur, its own regex finds the same
/// matches (the other alternative never matches) faster: the written one
/// has no `\b` and runs on the fast engines.
static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| re(&format!("(?i){EMAIL_WRITTEN}|{EMAIL_DICTATED}")));
static WRITTEN: LazyLock<Regex> = LazyLock::new(|| re(&format!("(?i){EMAIL_WRITTEN}")));
static DICTATED: LazyLock<Regex> = LazyLock::new(|| re(&format!("(?i){EMAIL_DICTATED}")));

/// Whether a dictated address can occur: it needs «соба(ка|чка)» or "at" in
/// any case after a space or an opening bracket, "at" followed by a space or
/// a closing bracket.
fn may_be_dictated(text: &str) -> bool {
    let b = text.as_bytes();
    (0..b.len()).any(|i| {
        // After the space: an ASCII «a», or the lead byte of a Cyrillic «с»
        // or of its variant U+1C83.
        matches!(b[i], b' ' | b'[' | b'(' | b'{')
            && matches!(b.get(i + 1), Some(b'a' | b'A' | 0xD0 | 0xD1 | 0xE1))
            && (chars::match_folded(text, i + 1, "соба").is_some()
                || (chars::match_folded(text, i + 1, "at").is_some()
                    && matches!(b.get(i + 3), Some(b' ' | b']' | b')' | b'}'))))
    })
}

pub(super) fn email_candidates(text: &str, out: &mut Vec<Candidate>) {
    let regex = match (text.as_bytes().contains(&b'@'), may_be_dictated(text)) {
        (false, false) => return,
        (true, false) => &*WRITTEN,
        (false, true) => &*DICTATED,
        (true, true) => &*EMAIL,
    };
    out.extend(regex.find_iter(text).map(|m| Candidate {
        kind: PiiKind::Email,
        range: m.range(),
        score: 100,
    }));
}

#[cfg(test)]
mod tests {
    use super::super::chars::testgen;
    use super::*;

    /// The e-mail regex as it was, in one piece.
    fn email_regex() -> String {
        format!("(?i){EMAIL_WRITTEN}|{EMAIL_DICTATED}")
    }

    #[test]
    fn emails_are_what_the_email_regex_finds() {
        assert_eq!(EMAIL.as_str(), email_regex());
        let regex = re(&email_regex());
        #[rustfmt::skip]
        let vocab = [
            "ivan", "@", "mail", ".", "ru", "собака", "собачка", "at", "dot", "точка", "ру",
            "yandex", "com", "соба", "a", "t", "ivan.petrov@mail.ru", "x@y.com", "me", "рф",
            "[at]", "(dot)", "[", ")", "{at}",
        ];
        for text in testgen::texts(&vocab, 3000, 9, 14) {
            let expected: Vec<_> = regex.find_iter(&text).map(|m| m.range()).collect();
            let mut found = Vec::new();
            email_candidates(&text, &mut found);
            let found: Vec<_> = found.into_iter().map(|c| c.range).collect();
            assert_eq!(found, expected, "{text:?}");
        }
    }
}
