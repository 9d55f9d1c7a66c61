//! Normalised text (DESIGN.md, "Rule reference"): lower case, `ё` -> `е`,
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

/// Normalises into a reusable buffer (cleared first): the hot path keeps one
/// buffer per thread instead of allocating per turn.
///
/// Works on bytes: ASCII and the Russian alphabet (two-byte sequences
/// starting 0xD0/0xD1) are folded without decoding characters; anything
/// else goes through the general per-character path.
pub fn normalize_into(text: &str, out: &mut String) {
    out.clear();
    let bytes = text.as_bytes();
    let mut pending_space = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if b.is_ascii_alphanumeric() {
                separate(out, &mut pending_space);
                out.push(char::from(b.to_ascii_lowercase()));
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
                separate(out, &mut pending_space);
                out.push_str(s);
                i += 2;
                continue;
            }
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if is_word_char(c) {
            separate(out, &mut pending_space);
            push_lower(c, out);
        } else {
            pending_space = true;
        }
        i += c.len_utf8();
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

/// Normalises and also returns, for every byte of the result, the byte offset
/// in `text` of the character it came from, so a match in normalised text can
/// be quoted from the original.
pub fn normalize_with_map(text: &str) -> (String, Vec<usize>) {
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
