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
    /// prefix (sound), and most turns are rejected here.
    first: FirstBytes,
    /// The exact test, when the prefixes are longer than one byte.
    literals: Option<AhoCorasick>,
}

/// A set of bytes, as the fastest scan for them.
#[derive(Debug, Clone)]
enum FirstBytes {
    /// One run of bytes and a few others (a card number's ASCII digits and
    /// the lead bytes of other scripts' digits): looked for sixteen bytes at a
    /// time, which is most of the cost of a regex rule on a turn it skips.
    Block { lo: u8, hi: u8, others: Box<[u8]> },
    /// Any other set: one table look-up a byte.
    Table(Box<[bool; 256]>),
}

/// More single bytes than this and a block test costs more than the table.
const MAX_BLOCK_OTHERS: usize = 16;

impl FirstBytes {
    fn new(set: &[bool; 256]) -> Self {
        // The longest run of set bytes, then the rest one by one.
        let (mut best, mut at) = ((0usize, 0usize), 0usize);
        while at < 256 {
            let end = (at..256).find(|&b| !set[b]).unwrap_or(256);
            if end - at > best.1 - best.0 {
                best = (at, end);
            }
            at = end + 1;
        }
        let (lo, end) = best;
        let others: Box<[u8]> = (0..256usize)
            .filter(|&b| set[b] && !(lo..end).contains(&b))
            .map(|b| b as u8)
            .collect();
        if end == lo || others.len() > MAX_BLOCK_OTHERS {
            return FirstBytes::Table(Box::new(*set));
        }
        FirstBytes::Block {
            lo: lo as u8,
            hi: (end - 1) as u8,
            others,
        }
    }

    /// Where the first byte of the set is in `text`.
    fn find(&self, text: &[u8]) -> Option<usize> {
        match self {
            FirstBytes::Block { lo, hi, others } => crate::sys::bytescan::Wanted {
                bytes: others,
                lo: *lo,
                hi: *hi,
            }
            .find(text, 0),
            FirstBytes::Table(set) => text.iter().position(|&b| set[usize::from(b)]),
        }
    }
}

impl Prefilter {
    /// Whether `text` holds one of the prefixes (so the regex may match).
    pub fn is_match(&self, text: &str) -> bool {
        self.start(text).is_some()
    }

    /// Where a match of the regex may start at the earliest, or `None` when
    /// `text` holds none of the prefixes: the regex need not look before it.
    pub fn start(&self, text: &str) -> Option<usize> {
        let at = self.first.find(text.as_bytes())?;
        // The automaton starts where the first candidate byte is, not again
        // at 0. Its match is not the earliest start (it reports the match
        // that ends first), so the first candidate byte is the bound.
        self.literals
            .as_ref()
            .is_none_or(|ac| ac.is_match(aho_corasick::Input::new(text).span(at..text.len())))
            .then_some(at)
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
    let mut first = [false; 256];
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
    Some(Prefilter {
        first: FirstBytes::new(&first),
        literals,
    })
}

/// Where in `text` a match may start at the earliest, according to
/// `prefilter` (anywhere, without one); `None` when it cannot match.
pub fn match_start(prefilter: Option<&Prefilter>, text: &str) -> Option<usize> {
    match prefilter {
        Some(p) => p.start(text),
        None => Some(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_byte_prefixes_need_no_automaton() {
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
    fn a_card_number_regex_is_scanned_a_block_at_a_time() {
        let p = prefix_prefilter(r"\b(?:\d{4}[ -]?){3}\d{4}\b", false).unwrap();
        assert!(matches!(
            p.first,
            FirstBytes::Block {
                lo: b'0',
                hi: b'9',
                ..
            }
        ));
        assert!(p.is_match("Баланс составляет 2000 рублей."));
        // Another script's digits still count: Unicode `\d`.
        assert!(p.is_match("номер ٤١١١"));
    }

    proptest::proptest! {
        /// The regex searched from the prefilter's start finds what a search
        /// of the whole text finds, `\b` before the digits included.
        #[test]
        fn searching_from_the_start_finds_the_first_match(
            text in "[а-яА-Я0-9٤ \n-]{0,40}|(карта|КАРТА|Код|код|меня|Меня| |\n|1|23){0,8}",
            pattern in proptest::sample::select(vec![
                r"\b(?:\d{4}[ -]?){3}\d{4}\b",
                r"\b\d{3}\b",
                r"(?:[Мм]еня зовут\s+|[Пп]ример»?,\s*)[А-ЯЁ][а-яё]{2,}",
                // Anchors and case folding: the risky cases for a search
                // that starts past the beginning of the text.
                r"(?i)\bкарт[а-я]*",
                r"^\d{3}",
                r"\A[Мм]",
                r"(?m)^\d+",
                r"(?i)КОД \d",
            ]),
            // The scorecard's `case_sensitive: false`, as the engine builds it.
            folded in proptest::bool::ANY,
        ) {
            let re = regex::RegexBuilder::new(pattern)
                .case_insensitive(folded)
                .build()
                .unwrap();
            let Some(p) = prefix_prefilter(pattern, folded) else {
                return Ok(());
            };
            let whole = re.find(&text).map(|m| m.range());
            let from = p.start(&text).and_then(|at| re.find_at(&text, at)).map(|m| m.range());
            proptest::prop_assert_eq!(from, whole);
        }

        #[test]
        fn a_block_scan_finds_what_the_table_finds(
            members in proptest::collection::vec(proptest::num::u8::ANY, 1..18),
            text in proptest::collection::vec(proptest::num::u8::ANY, 0..80),
        ) {
            let mut set = [false; 256];
            for b in &members {
                set[usize::from(*b)] = true;
            }
            let table = FirstBytes::Table(Box::new(set));
            proptest::prop_assert_eq!(FirstBytes::new(&set).find(&text), table.find(&text));
        }
    }

    #[test]
    fn patterns_that_can_start_anywhere_get_no_prefilter() {
        assert!(prefix_prefilter(r"\w+", false).is_none());
        assert!(prefix_prefilter(r"a?", false).is_none());
    }
}
