//! Word stems (Snowball, via frostem) so that a phrase matches other forms of
//! its words: "заблокировать карту" matches «заблокировали карту».
//!
//! The stemmer is chosen per word by its script — Cyrillic words get the
//! Russian stemmer, Latin words the English one — so mixed-language turns
//! («оформить cashback») work without knowing the contact's language. Other
//! scripts and digits are left as they are.

use frostem::{Algorithm, Stemmer};
use std::cell::RefCell;
use std::sync::OnceLock;

fn stemmers() -> &'static (Stemmer, Stemmer) {
    static S: OnceLock<(Stemmer, Stemmer)> = OnceLock::new();
    S.get_or_init(|| {
        (
            Stemmer::new(Algorithm::Russian),
            Stemmer::new(Algorithm::English),
        )
    })
}

/// Entries kept per thread before the cache starts over (contact-centre speech
/// repeats a small vocabulary, so hits are the rule).
const CACHE_LIMIT: usize = 200_000;

/// FNV-hashed: the keys are short words.
type Cache = crate::sys::hash::WordMap<String, String>;

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

fn script(word: &str) -> Option<bool> {
    // Some(true) = Cyrillic, Some(false) = Latin: the first letter decides.
    // Russian and Latin letters are answered without the Unicode tables.
    for c in word.chars() {
        match c {
            'а'..='я' | 'ё' | 'А'..='Я' | 'Ё' => return Some(true),
            'a'..='z' | 'A'..='Z' => return Some(false),
            '0'..='9' => {}
            c if c.is_alphabetic() => return None,
            _ => {}
        }
    }
    None
}

/// The stem of one normalised word (lower case, no punctuation).
pub fn stem_word(word: &str) -> String {
    let mut out = String::new();
    stem_append(word, &mut out);
    out
}

/// Appends the stem of `word` to `out`: the hot path stems a turn's words
/// into one buffer without a string per word.
pub fn stem_append(word: &str, out: &mut String) {
    let Some(cyr) = script(word) else {
        out.push_str(word);
        return;
    };
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if let Some(s) = c.get(word) {
            out.push_str(s);
            return;
        }
        let (ru, en) = stemmers();
        let s = if cyr { ru.stem(word) } else { en.stem(word) }.into_owned();
        if c.len() >= CACHE_LIMIT {
            c.clear();
        }
        out.push_str(&s);
        c.insert(word.to_string(), s);
    })
}

/// Stems each word of a list (a phrase's words at compile time, a turn's words per turn).
pub fn stem_words<S: AsRef<str>>(words: &[S]) -> Vec<String> {
    words.iter().map(|w| stem_word(w.as_ref())).collect()
}

/// Stems every word of a normalised phrase, keeping single spaces.
pub fn stem_phrase(normalized: &str) -> String {
    normalized
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(stem_word)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_word_forms_share_a_stem() {
        assert_eq!(stem_word("заблокировать"), stem_word("заблокировали"));
        assert_eq!(stem_word("карту"), stem_word("карта"));
        assert_eq!(stem_word("кэшбэк"), stem_word("кэшбэку"));
    }

    #[test]
    fn english_word_forms_share_a_stem() {
        assert_eq!(stem_word("blocked"), stem_word("blocking"));
    }

    #[test]
    fn digits_and_other_scripts_are_kept() {
        assert_eq!(stem_word("4111"), "4111");
        assert_eq!(stem_word("録音"), "録音");
    }

    #[test]
    fn a_phrase_is_stemmed_word_by_word() {
        assert_eq!(
            stem_phrase("заблокировать карту"),
            stem_phrase("заблокировали карта")
        );
    }
}
