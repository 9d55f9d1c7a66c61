//! Links and paths: digits inside `https://web.archive.org/web/20200401224734/…`
//! or `support.google.com/youtube/answer/185111` are part of an address, not
//! a card a person wrote. Masking still hides them (a false positive only
//! hides a number); a `pii` rule, whose failure is an auto-fail, does not
//! count them (see [`super::detect_for_rules`]).
//!
//! A token (text between whitespace) is a link when it holds `://`, starts
//! with `www.` (after opening brackets or quotes), or is a path: it has a `/`
//! next to a letter and digits next to a `/`. «4276/3800/1234/5679» and
//! «карта:4276/3800/1234/5679» are not paths: their slashes stand between
//! digits only, so they are digit groups, as the issue demands.

use std::ops::Range;

/// The whitespace-delimited token of `text` around byte `at`.
fn token_at(text: &str, at: usize) -> Range<usize> {
    let start = text[..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[at..]
        .char_indices()
        .find(|&(_, c)| c.is_whitespace())
        .map_or(text.len(), |(i, _)| at + i);
    start..end
}

/// Whether `token` is a URL or a path-like token (see the module doc).
fn link_like(token: &str) -> bool {
    if token.contains("://") {
        return true;
    }
    let bare = token.trim_start_matches(|c: char| !c.is_alphanumeric());
    if bare
        .get(..4)
        .is_some_and(|s| s.eq_ignore_ascii_case("www."))
    {
        return true;
    }
    let chars: Vec<char> = token.chars().collect();
    let mut letter_slash = false;
    let mut digit_slash = false;
    for (i, &c) in chars.iter().enumerate() {
        if c != '/' {
            continue;
        }
        let near = [
            i.checked_sub(1).map(|j| chars[j]),
            chars.get(i + 1).copied(),
        ];
        for n in near.into_iter().flatten() {
            letter_slash |= n.is_alphabetic();
            digit_slash |= n.is_ascii_digit();
        }
    }
    letter_slash && digit_slash
}

/// Whether the bytes `range` of `text` lie wholly inside one link or path
/// token. A number that runs out of the token («…/id/4276 3800 1234 5679»)
/// is not inside it.
pub(super) fn inside_link(text: &str, range: &Range<usize>) -> bool {
    if range.start >= range.end || range.end > text.len() || !text.is_char_boundary(range.start) {
        return false;
    }
    let token = token_at(text, range.start);
    range.end <= token.end && link_like(&text[token])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inside(text: &str, needle: &str) -> bool {
        let at = text.find(needle).expect("needle in text");
        inside_link(text, &(at..at + needle.len()))
    }

    #[test]
    fn archived_link_timestamp_is_inside_a_link() {
        let t = "Here's how: https://web.archive.org/web/20200401224734/https://support.google.com/youtube/answer/185111 Hope this helps!";
        assert!(inside(t, "20200401224734"));
        assert!(inside(t, "185111"));
    }

    #[test]
    fn link_starting_with_www_or_in_brackets_is_a_link() {
        assert!(inside(
            "see (www.example.com/order/4111111111111111)",
            "4111111111111111"
        ));
        assert!(inside(
            "see «https://example.com/4111111111111111»",
            "4111111111111111"
        ));
    }

    #[test]
    fn path_with_words_and_digits_is_a_link() {
        assert!(inside(
            "twitter.com/TeamYouTube/status/1245425308704149506",
            "1245425308704149506"
        ));
    }

    #[test]
    fn card_grouped_by_slashes_or_dots_is_not_a_link() {
        assert!(!inside(
            "номер 4276/3800/1234/5679, верно?",
            "4276/3800/1234/5679"
        ));
        assert!(!inside(
            "номер 4276.3800.1234.5679, верно?",
            "4276.3800.1234.5679"
        ));
        assert!(!inside("карта:4276/3800/1234/5679", "4276/3800/1234/5679"));
    }

    #[test]
    fn card_after_a_link_is_not_inside_it() {
        assert!(!inside(
            "https://example.com/card 4276 3800 1234 5679",
            "4276 3800 1234 5679"
        ));
        let t = "https://example.com/id/4276 3800 1234 5679";
        let at = t.find("4276").unwrap();
        assert!(!inside_link(t, &(at..t.len())));
    }

    fn rule_cards(text: &str) -> usize {
        let found = crate::text::pii::detect_for_rules(text);
        found
            .matches
            .iter()
            .filter(|m| m.kind == crate::text::pii::PiiKind::Card)
            .count()
    }

    #[test]
    fn rule_does_not_count_a_card_shaped_number_inside_an_archived_link() {
        let t = "Here's how: https://web.archive.org/web/20200401224734/https://example.com/order/4111111111111111 Hope this helps!";
        assert_eq!(rule_cards(t), 0);
    }

    #[test]
    fn masking_still_hides_a_card_shaped_number_inside_a_link() {
        let t =
            "https://web.archive.org/web/20200401224734/https://example.com/order/4111111111111111";
        let masked = crate::text::pii::mask(t, crate::text::pii::MaskLang::En);
        assert!(!masked.contains("4111111111111111"), "{masked}");
    }

    #[test]
    fn rule_counts_a_card_grouped_by_slashes_dots_or_spaces() {
        for t in [
            "Записал: 4276/3800/1234/5679, верно?",
            "Записал: 4276.3800.1234.5679, верно?",
            "Записал: 4276 3800 1234 5679, верно?",
            "Ссылка https://example.com/help, а карта 4276 3800 1234 5679.",
        ] {
            assert_eq!(rule_cards(t), 1, "{t}");
        }
    }
}
