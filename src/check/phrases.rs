//! Phrases found by their words. A phrase matches only whole words («пин»
//! never inside «пингвин»), so a turn need not be scanned byte by byte: each
//! of its words is numbered once by a look-up in the scorecard's phrase
//! vocabulary, and phrases are compared as sequences of numbers. A word's
//! numbers are remembered per thread, so a word said again in a later contact
//! costs one look-up instead of a stemming and two scans of its letters.

use crate::sys::hash::WordMap;

/// The number of a word that no phrase of the set contains.
pub(crate) const OTHER: u32 = u32::MAX;

/// The forms of a scorecard's phrases (normalised, or stemmed), each a
/// sequence of words joined by single spaces as normalised text is.
#[derive(Debug, Default)]
pub(crate) struct PhraseSet {
    /// Every word of every form, numbered from 0.
    vocab: WordMap<Box<str>, u32>,
    /// By the number of their first word: the forms that start with it, as
    /// (pattern id, the numbers of the words after the first).
    by_first: Vec<Vec<(u32, Box<[u32]>)>>,
}

impl PhraseSet {
    /// The set of `forms`, each with the pattern id it matches; `None` when
    /// there are none.
    pub fn new<'a>(forms: impl IntoIterator<Item = (&'a str, u32)>) -> Option<Self> {
        let mut set = PhraseSet::default();
        for (form, id) in forms {
            // Split on every space, as turns are: a form and a turn agree
            // word for word exactly when their texts agree.
            let words: Vec<u32> = form.split(' ').map(|w| set.number(w)).collect();
            set.by_first[words[0] as usize].push((id, words[1..].into()));
        }
        (!set.vocab.is_empty()).then_some(set)
    }

    fn number(&mut self, word: &str) -> u32 {
        if let Some(&n) = self.vocab.get(word) {
            return n;
        }
        let n = self.vocab.len() as u32;
        self.vocab.insert(word.into(), n);
        self.by_first.push(Vec::new());
        n
    }

    /// The number of `word` in this set, or [`OTHER`].
    pub fn word(&self, word: &str) -> u32 {
        self.vocab.get(word).copied().unwrap_or(OTHER)
    }

    /// Adds every occurrence of every form in `words` (a turn's words by
    /// number) to `hits` as (pattern id, first word, one past the last). Two
    /// forms of one pattern at one place give the same hit twice: callers
    /// sort and dedup (checking each hit against the others would be
    /// quadratic in a turn that repeats a phrase thousands of times).
    pub fn find(&self, words: &[u32], hits: &mut Vec<(u32, u32, u32)>) {
        for (start, &first) in words.iter().enumerate() {
            let Some(forms) = self.by_first.get(first as usize) else {
                continue;
            };
            for (id, rest) in forms {
                let end = start + 1 + rest.len();
                if words.get(start + 1..end) == Some(&rest[..]) {
                    hits.push((*id, start as u32, end as u32));
                }
            }
        }
    }
}

/// A word's numbers in a scorecard's exact and stemmed phrase sets.
pub(crate) type WordIds = (u32, u32);

/// Entries kept per thread and scorecard before the memory starts over
/// (contact-centre speech repeats a small vocabulary, so hits are the rule).
const MEMO_LIMIT: usize = 200_000;

/// Scorecards whose words a thread remembers at once.
const MEMO_CARDS: usize = 16;

/// One scorecard's remembered words, by [`super::compile::Matchers::key`].
type Memo = (u64, WordMap<Box<str>, WordIds>);

thread_local! {
    static MEMO: std::cell::RefCell<Vec<Memo>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Numbers the words `tokens` of `text` for the scorecard `key`, computing a
/// word's numbers with `fresh` only the first time this thread sees it.
pub(crate) fn number_words(
    key: u64,
    text: &str,
    tokens: &[(u32, u32)],
    fresh: impl Fn(&str) -> WordIds,
    out: &mut Vec<WordIds>,
) {
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        let at = match memo.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                // A process that compiles scorecards again and again (tests)
                // keeps the latest few.
                if memo.len() >= MEMO_CARDS {
                    memo.remove(0);
                }
                memo.push((key, WordMap::default()));
                memo.len() - 1
            }
        };
        let words = &mut memo[at].1;
        for &(s, e) in tokens {
            let w = &text[s as usize..e as usize];
            let ids = match words.get(w) {
                Some(&ids) => ids,
                None => {
                    let ids = fresh(w);
                    if words.len() >= MEMO_LIMIT {
                        words.clear();
                    }
                    words.insert(w.into(), ids);
                    ids
                }
            };
            out.push(ids);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, MatchKind};
    use proptest::prelude::*;

    /// What the set replaces: an overlapping Aho–Corasick scan of the text,
    /// keeping matches that start and end on word boundaries.
    fn by_bytes(forms: &[(&str, u32)], text: &str) -> Vec<(u32, u32, u32)> {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(forms.iter().map(|f| f.0))
            .unwrap();
        let tokens = super::super::index::tokens_of(text);
        let mut hits = Vec::new();
        for m in ac.find_overlapping_iter(text) {
            let first = tokens.binary_search_by_key(&(m.start() as u32), |t| t.0);
            let last = tokens.binary_search_by_key(&(m.end() as u32), |t| t.1);
            if let (Ok(first), Ok(last)) = (first, last) {
                let hit = (
                    forms[m.pattern().as_usize()].1,
                    first as u32,
                    last as u32 + 1,
                );
                if !hits.contains(&hit) {
                    hits.push(hit);
                }
            }
        }
        hits.sort_unstable();
        hits
    }

    fn by_words(forms: &[(&str, u32)], text: &str) -> Vec<(u32, u32, u32)> {
        let Some(set) = PhraseSet::new(forms.iter().copied()) else {
            return Vec::new();
        };
        let words: Vec<u32> = super::super::index::tokens_of(text)
            .iter()
            .map(|&(s, e)| set.word(&text[s as usize..e as usize]))
            .collect();
        let mut hits = Vec::new();
        set.find(&words, &mut hits);
        hits.sort_unstable();
        hits.dedup();
        hits
    }

    const FORMS: &[(&str, u32)] = &[
        ("здравствуйте", 0),
        ("банк пример", 1),
        ("пин", 2),
        ("пин код", 3),
        ("код", 4),
        ("назовите пожалуйста кодовое слово", 5),
        ("кодовое слово", 5),
        ("слово", 6),
        ("пин пин", 7),
    ];

    #[test]
    fn a_phrase_matches_whole_words_only() {
        let text = "назовите пин код пингвин кодовое слово";
        assert_eq!(
            by_words(FORMS, text),
            vec![(2, 1, 2), (3, 1, 3), (4, 2, 3), (5, 4, 6), (6, 5, 6)]
        );
        assert_eq!(by_words(FORMS, text), by_bytes(FORMS, text));
    }

    #[test]
    fn forms_of_one_pattern_at_one_place_count_once() {
        let forms = [("кодовое слово", 1), ("кодовое слово", 1), ("слово", 1)];
        assert_eq!(
            by_words(&forms, "кодовое слово"),
            vec![(1, 0, 2), (1, 1, 2)]
        );
    }

    #[test]
    fn a_turn_repeating_a_phrase_reports_every_occurrence_once() {
        let text = vec!["пин код"; 20_000].join(" ");
        let hits = by_words(FORMS, &text);
        // «пин», «код», «пин код» at each repetition, and «пин пин» never
        // («код» stands between).
        assert_eq!(hits.len(), 3 * 20_000);
        assert!(hits.iter().all(|h| h.0 != 7));
    }

    proptest! {
        #[test]
        fn words_find_what_a_byte_scan_finds(
            words in prop::collection::vec(
                prop::sample::select(vec![
                    "здравствуйте", "банк", "пример", "пин", "код", "пингвин", "кодовое",
                    "слово", "назовите", "пожалуйста", "", "пи", "кодовоеслово",
                ]),
                0..24,
            ),
        ) {
            let text = words.join(" ");
            prop_assert_eq!(by_words(FORMS, &text), by_bytes(FORMS, &text));
        }
    }
}
