//! Normalised text (docs/scorecard.md, "Phrase matching"): lower case, `ё` -> `е`,
//! every run of characters that are not letters or digits -> one space,
//! trimmed. Phrases and turns are normalised alike, so a phrase matches
//! whatever the punctuation, case or spacing of the transcript.

/// Letters and digits; Russian letters answered without the Unicode tables
/// (the general lookup is a noticeable share of the whole check).
#[inline]
fn is_word_char(c: char) -> bool {
    matches!(c, 'a'..='z' | 'A'..='Z' | '0'..='9' | 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё')
        || (!c.is_ascii() && c.is_alphanumeric())
}

/// Normalises `text` into a new string.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &mut out);
    out
}

#[inline]
fn push_lower(c: char, out: &mut String) -> usize {
    let before = out.len();
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if matches!(c, 'а'..='я') {
        out.push(c);
    } else if matches!(c, 'А'..='Я') {
        // The Russian capitals sit 0x20 below their small letters.
        out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c));
    } else if matches!(c, 'ё' | 'Ё') {
        out.push('е');
    } else {
        for l in c.to_lowercase() {
            out.push(if l == 'ё' { 'е' } else { l });
        }
    }
    out.len() - before
}

/// Normalises into a reusable buffer (cleared first), for callers that
/// normalise many texts; the match index uses [`normalize_into_words`].
pub fn normalize_into(text: &str, out: &mut String) {
    normalize_into_words(text, out, &mut NoSpans);
}

/// Where each word of the normalised text is, and where it came from in the
/// original.
pub trait WordSpans {
    /// A word is `norm` of the normalised text and came from `orig` of the
    /// original: from the first byte of its first character to the end of
    /// its last.
    fn word(&mut self, orig: (usize, usize), norm: (usize, usize));
}

struct NoSpans;

impl WordSpans for NoSpans {
    #[inline(always)]
    fn word(&mut self, _: (usize, usize), _: (usize, usize)) {}
}

/// Both ranges of each word, in order: the match index's words (the
/// normalised ranges, without a second pass over the text for its spaces)
/// and their quotes (the original ranges).
pub struct WordRanges<'a> {
    pub orig: &'a mut Vec<(u32, u32)>,
    pub norm: &'a mut Vec<(u32, u32)>,
}

impl WordSpans for WordRanges<'_> {
    #[inline(always)]
    fn word(&mut self, orig: (usize, usize), norm: (usize, usize)) {
        self.orig.push((orig.0 as u32, orig.1 as u32));
        self.norm.push((norm.0 as u32, norm.1 as u32));
    }
}

/// [`normalize_into`], also telling `spans` where each word came from, so
/// that a phrase found in normalised words is quoted from the original
/// without normalising the turn again.
///
/// Works on bytes: ASCII and the Russian alphabet (two-byte sequences
/// starting 0xD0/0xD1) are folded without decoding characters; anything
/// else goes through the general per-character path.
#[inline]
pub fn normalize_into_words(text: &str, out: &mut String, spans: &mut impl WordSpans) {
    out.clear();
    let bytes = text.as_bytes();
    let mut pending_space = false;
    // The word being read: where it started in the original and in `out`,
    // and where its last character so far ends in the original. Told to
    // `spans` when the next word starts.
    let mut open: Option<(usize, usize)> = None;
    let mut open_end = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if b.is_ascii_alphanumeric() {
                word_char(out, &mut pending_space, spans, (&mut open, open_end), i);
                out.push(char::from(b.to_ascii_lowercase()));
                open_end = i + 1;
            } else {
                pending_space = true;
            }
            i += 1;
            continue;
        }
        if let Some(&next) = bytes.get(i + 1) {
            // The Russian alphabet, lower-cased: а-п and р-я copied as they
            // are, А-Я moved to а-я (U+0410.. -> U+0430..), Ё and ё -> е.
            let small = match (b, next) {
                (0xD0, 0xB0..=0xBF) | (0xD1, 0x80..=0x8F) => Some(&text[i..i + 2]),
                (0xD0, 0x90..=0xAF) => Some(SMALL[usize::from(next - 0x90)]),
                (0xD0, 0x81) | (0xD1, 0x91) => Some("е"),
                _ => None,
            };
            if let Some(s) = small {
                word_char(out, &mut pending_space, spans, (&mut open, open_end), i);
                out.push_str(s);
                i += 2;
                open_end = i;
                continue;
            }
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if is_word_char(c) {
            word_char(out, &mut pending_space, spans, (&mut open, open_end), i);
            push_lower(c, out);
            open_end = i + c.len_utf8();
        } else {
            pending_space = true;
        }
        i += c.len_utf8();
    }
    if let Some((start, norm_start)) = open {
        spans.word((start, open_end), (norm_start, out.len()));
    }
}

/// Before a word character starting at `at` of the original is pushed: one
/// space between words (never at the start); a new word closes the last.
#[inline(always)]
fn word_char(
    out: &mut String,
    pending_space: &mut bool,
    spans: &mut impl WordSpans,
    (open, open_end): (&mut Option<(usize, usize)>, usize),
    at: usize,
) {
    if *pending_space || out.is_empty() {
        let norm_end = out.len();
        separate(out, pending_space);
        if let Some((start, norm_start)) = open.replace((at, out.len())) {
            spans.word((start, open_end), (norm_start, norm_end));
        }
    }
}

/// The small Russian letters а-я, in the order of their capitals А-Я.
const SMALL: [&str; 32] = [
    "а", "б", "в", "г", "д", "е", "ж", "з", "и", "й", "к", "л", "м", "н", "о", "п", "р", "с", "т",
    "у", "ф", "х", "ц", "ч", "ш", "щ", "ъ", "ы", "ь", "э", "ю", "я",
];

/// One space between words, never at the start.
#[inline]
fn separate(out: &mut String, pending_space: &mut bool) {
    if *pending_space && !out.is_empty() {
        out.push(' ');
    }
    *pending_space = false;
}

/// Cuts `s` to at most `max` characters, marking the cut with `…`.
pub fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((i, _)) => format!("{}…", &s[..i]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Normalises and also returns, for every byte of the result, the byte offset
    /// in `text` of the character it came from: the definition the word spans of
    /// [`normalize_into_words`] are tested against.
    fn normalize_with_map(text: &str) -> (String, Vec<usize>) {
        let mut out = String::with_capacity(text.len());
        let mut map = Vec::with_capacity(text.len());
        let mut pending: Option<usize> = None;
        for (i, c) in text.char_indices() {
            if is_word_char(c) {
                if let Some(sp) = pending.take() {
                    if !out.is_empty() {
                        out.push(' ');
                        map.push(sp);
                    }
                }
                let n = push_lower(c, &mut out);
                map.extend(std::iter::repeat_n(i, n));
            } else if pending.is_none() {
                pending = Some(i);
            }
        }
        (out, map)
    }

    #[test]
    fn yo_becomes_ye_and_case_is_folded() {
        assert_eq!(normalize("ЕЩЁ Раз"), "еще раз");
    }

    #[test]
    fn punctuation_and_spacing_runs_become_one_space() {
        assert_eq!(
            normalize("  Банк «Пример», Мария —   здравствуйте!!! "),
            "банк пример мария здравствуйте"
        );
    }

    #[test]
    fn every_russian_letter_folds_as_unicode_lowercase_does() {
        let upper: String = ('А'..='Я').chain(['Ё']).collect();
        let expected: String = upper.to_lowercase().replace('ё', "е");
        assert_eq!(normalize(&upper), expected);
        assert_eq!(normalize(&expected), expected);
    }

    /// The definition, one character at a time: the byte-level fast path must agree.
    fn reference(text: &str) -> String {
        let mut out = String::new();
        let mut pending_space = false;
        for c in text.chars() {
            if is_word_char(c) {
                separate(&mut out, &mut pending_space);
                push_lower(c, &mut out);
            } else {
                pending_space = true;
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn the_fast_path_agrees_with_the_definition(
            text in "\\PC*|[а-яА-ЯёЁa-zA-Z0-9 ,.!?«»ії–-]{0,60}"
        ) {
            proptest::prop_assert_eq!(normalize(&text), reference(&text));
        }

        /// Each word's original range is what the per-byte map of
        /// `normalize_with_map` gives for it (the quote of a phrase found in
        /// words is cut from the original with these ranges).
        #[test]
        fn word_spans_agree_with_the_byte_map(
            text in "\\PC*|[а-яА-ЯёЁa-zA-Z0-9 ,.!?«»ії–İẞ-]{0,60}"
        ) {
            let mut out = String::new();
            let (mut spans, mut words) = (Vec::new(), Vec::new());
            normalize_into_words(&text, &mut out, &mut WordRanges { orig: &mut spans, norm: &mut words });
            let (norm, map) = normalize_with_map(&text);
            proptest::prop_assert_eq!(&out, &norm);
            let mut expected = Vec::new();
            let mut expected_words = Vec::new();
            let mut start = 0;
            for word in norm.split(' ').filter(|w| !w.is_empty()) {
                let s = start;
                let e = s + word.len();
                start = e + 1;
                let last = map[e - 1];
                let end = last + text[last..].chars().next().map_or(1, char::len_utf8);
                expected.push((map[s] as u32, end as u32));
                expected_words.push((s as u32, e as u32));
            }
            proptest::prop_assert_eq!(spans, expected);
            // The normalised ranges are the words between the spaces.
            proptest::prop_assert_eq!(words, expected_words);
        }
    }

    #[test]
    fn a_word_span_covers_the_original_letters_and_not_the_punctuation() {
        let text = "Банк «Пример», ЁЛКИ-палки!";
        let mut out = String::new();
        let (mut spans, mut words) = (Vec::new(), Vec::new());
        normalize_into_words(
            text,
            &mut out,
            &mut WordRanges {
                orig: &mut spans,
                norm: &mut words,
            },
        );
        assert_eq!(out, "банк пример елки палки");
        assert_eq!(words, [(0, 8), (9, 21), (22, 30), (31, 41)]);
        let words: Vec<&str> = spans
            .iter()
            .map(|&(s, e)| &text[s as usize..e as usize])
            .collect();
        assert_eq!(words, ["Банк", "Пример", "ЁЛКИ", "палки"]);
    }

    #[test]
    fn digits_are_kept_as_words() {
        assert_eq!(normalize("Код: 12-34"), "код 12 34");
    }

    #[test]
    fn map_points_back_to_original_characters() {
        let text = "Да, Ёлка!";
        let (n, map) = normalize_with_map(text);
        assert_eq!(n, "да елка");
        assert_eq!(map.len(), n.len());
        let start = n.find("елка").unwrap();
        assert_eq!(&text[map[start]..], "Ёлка!");
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate_chars("здравствуйте", 5), "здрав…");
        assert_eq!(truncate_chars("да", 5), "да");
    }
}
