//! Literal prefilters for regular expressions.
//!
//! A regex with Unicode `\b` or `\w` cannot use the regex crate's fast DFA
//! engines on Cyrillic text, so every search falls back to a slow one. Most
//! turns cannot match anyway: every match starts with one of a small set of
//! literal prefixes (`0`..`9` for a card number, «меня зов» for an
//! introduction). Checking for those first with one Aho-Corasick pass skips
//! the regex on most turns, and is sound: no prefix, no match.

use aho_corasick::AhoCorasick;

/// The literal prefixes of a regex, as the cheapest test that finds them.
#[derive(Debug, Clone)]
pub struct Prefilter {
    /// The first bytes of the prefixes: a text with none of them holds no
    /// prefix (sound), and most turns are rejected here at a table lookup a byte.
    first: Box<[bool; 256]>,
    /// The exact test, when the prefixes are longer than one byte.
    literals: Option<AhoCorasick>,
}

impl Prefilter {
    /// Whether `text` holds one of the prefixes (so the regex may match).
    pub fn is_match(&self, text: &str) -> bool {
        let Some(at) = text.bytes().position(|b| self.first[usize::from(b)]) else {
            return false;
        };
        // The automaton starts where the first candidate byte is, not again at 0.
        self.literals
            .as_ref()
            .is_none_or(|ac| ac.is_match(aho_corasick::Input::new(text).span(at..text.len())))
    }
}

/// Longest prefix literal kept: short prefixes keep case-folded sets small.
const PREFIX_LEN: usize = 4;
/// Beyond this many literals the prefilter is not worth it (Unicode `\d` alone is ~700).
const MAX_LITERALS: usize = 2000;

/// The prefix literals every match of `pattern` starts with, as a matcher;
/// `None` when they are unbounded or include the empty string.
pub fn prefix_prefilter(pattern: &str, case_insensitive: bool) -> Option<Prefilter> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .build()
        .parse(pattern)
        .ok()?;
    let mut ex = regex_syntax::hir::literal::Extractor::new();
    ex.limit_literal_len(PREFIX_LEN)
        .limit_total(MAX_LITERALS)
        .limit_class(MAX_LITERALS);
    let seq = ex.extract(&hir);
    let lits = seq.literals()?;
    if lits.is_empty() || lits.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    let mut first = Box::new([false; 256]);
    for l in lits {
        first[usize::from(l.as_bytes()[0])] = true;
    }
    let literals = if lits.iter().all(|l| l.as_bytes().len() == 1) {
        None
    } else {
        // A DFA: it runs over every turn a regex rule looks at.
        Some(
            AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(lits.iter().map(|l| l.as_bytes()))
                .ok()?,
        )
    };
    Some(Prefilter { first, literals })
}

/// Whether `text` may hold a match, according to `prefilter` (always, without one).
pub fn may_match(prefilter: Option<&Prefilter>, text: &str) -> bool {
    prefilter.is_none_or(|p| p.is_match(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_byte_prefixes_are_a_byte_table() {
        let p = prefix_prefilter(r"[0-9]", false).unwrap();
        assert!(p.literals.is_none());
        assert!(p.is_match("код 7"));
        assert!(!p.is_match("кодовое слово"));
    }

    #[test]
    fn a_card_number_regex_needs_a_digit() {
        let p = prefix_prefilter(r"\b(?:\d{4}[ -]?){3}\d{4}\b", true).unwrap();
        assert!(!p.is_match("Баланс карты в норме"));
        assert!(p.is_match("карта 4111"));
    }

    #[test]
    fn case_insensitive_words_match_any_case() {
        let p = prefix_prefilter(r"(?i)\b(?:карт\w*|visa)", false).unwrap();
        assert!(p.is_match("КАРТА заблокирована"));
        assert!(p.is_match("Visa"));
        assert!(!p.is_match("Счёт открыт"));
    }

    #[test]
    fn patterns_that_can_start_anywhere_get_no_prefilter() {
        assert!(prefix_prefilter(r"\w+", false).is_none());
        assert!(prefix_prefilter(r"a?", false).is_none());
    }
}
