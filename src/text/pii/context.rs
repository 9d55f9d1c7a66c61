//! Context words: what the speaker called a number («паспорт», «ИНН», «номер
//! заказа»). Numbers without a strong check are only read as personal data
//! when the nearest context word names that kind.

use super::PiiKind;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// What a context word says about the numbers near it. `Other` marks
/// identifiers that are not personal data (orders, contracts, tracking, SMS
/// codes): near them, weak readings are dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ctx {
    Card,
    Cvv,
    Phone,
    Email,
    Passport,
    Snils,
    Inn,
    Other,
}

impl Ctx {
    /// The context words that speak for `kind`.
    pub(super) fn of(kind: PiiKind) -> Ctx {
        match kind {
            PiiKind::Card => Ctx::Card,
            PiiKind::Cvv => Ctx::Cvv,
            PiiKind::Phone => Ctx::Phone,
            PiiKind::Email => Ctx::Email,
            PiiKind::Passport => Ctx::Passport,
            PiiKind::Snils => Ctx::Snils,
            PiiKind::Inn => Ctx::Inn,
        }
    }
}

pub(super) fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in PII pattern compiles")
}

/// Literal prefilters of the context patterns: most turns hold none of the words.
static CONTEXT_PREFILTERS: LazyLock<Vec<Option<aho_corasick::AhoCorasick>>> = LazyLock::new(|| {
    CONTEXT
        .iter()
        .map(|(_, re)| crate::text::prefilter::prefix_prefilter(re.as_str(), false))
        .collect()
});

static CONTEXT: LazyLock<Vec<(Ctx, Regex)>> = LazyLock::new(|| {
    vec![
        (
            Ctx::Card,
            re(r"(?i)\b(?:карт\w*|card\w*|visa|виза|mastercard|maestro)"),
        ),
        (
            Ctx::Cvv,
            re(
                r"(?i)\b(?:cvv2?|cvc2?|на оборот\w*|(?:на|с) обратной сторон\w*|security code|код безопасности|on the back|back of (?:the|your) card|тр[её]хзначн\w*|three-digit)",
            ),
        ),
        (
            Ctx::Phone,
            re(
                r"(?i)\b(?:телефон\w*|тел\.|мобильн\w*|сотов\w*|phone\w*|mobile|cell|whatsapp|ватсап\w*|перезвон\w*|позвон\w*|call (?:me|back)|reach me|text me|dial\w*|набер\w*|набрать|по номеру|(?:мой|my|contact) (?:номер|number)|номер для связи)",
            ),
        ),
        (
            Ctx::Passport,
            re(r"(?i)(?:паспорт\w*|\bсери(?:я|и|ю|ей)\b|passport\w*|\bseries\b)"),
        ),
        (
            Ctx::Snils,
            re(
                r"(?i)\b(?:снилс\w*|страхов\w* (?:номер|свидетельств)\w*|snils|insurance (?:number|certificate)|social security)",
            ),
        ),
        (
            Ctx::Inn,
            re(
                r"(?i)\b(?:инн|inn|налогоплательщик\w*|taxpayer\w*|tax (?:id|identification|number))\b",
            ),
        ),
        (
            Ctx::Other,
            re(
                r"(?i)\b(?:заказ\w*|order\w*|договор\w*|contract\w*|сч[её]т\w*|account\w*|трек\w*|track\w*|накладн\w*|заявк\w*|обращени\w*|ticket\w*|invoice\w*|полис\w*|policy|артикул\w*|reference|ref|посылк\w*|parcel|отправлени\w*|booking|брон\w*|смс|sms|пароль|password|pin|пин\w*)\b",
            ),
        ),
    ]
});

/// Context words found in one text, in order of position.
pub(super) struct Context {
    pub(super) words: Vec<(Range<usize>, Ctx)>,
}

impl Context {
    pub(super) fn new(text: &str) -> Self {
        let mut words: Vec<_> = CONTEXT
            .iter()
            .zip(CONTEXT_PREFILTERS.iter())
            .filter(|(_, pf)| crate::text::prefilter::may_match(pf.as_ref(), text))
            .flat_map(|((ctx, re), _)| re.find_iter(text).map(|m| (m.range(), *ctx)))
            .collect();
        words.sort_by_key(|(r, _)| r.start);
        Context { words }
    }

    /// The closest context word before `start` (within 60 characters), else
    /// the closest after `end` (within 30): people name a number, then say it.
    pub(super) fn nearest(&self, text: &str, start: usize, end: usize) -> Option<Ctx> {
        // A character is at most 4 bytes: compare bytes first, count chars only nearby.
        let within = |a: usize, b: usize, max: usize| {
            b - a <= 4 * max && text.get(a..b).is_some_and(|s| s.chars().count() <= max)
        };
        let before = self
            .words
            .iter()
            .filter(|(r, _)| r.end <= start && within(r.end, start, 60))
            .max_by_key(|(r, _)| r.end);
        let after = || {
            self.words
                .iter()
                .find(|(r, _)| r.start >= end && within(end, r.start, 30))
        };
        before.or_else(after).map(|(_, c)| *c)
    }

    /// Whether a context word of a kind not in `allowed` lies inside `range`.
    pub(super) fn foreign_between(&self, range: Range<usize>, allowed: &[Ctx]) -> bool {
        self.words
            .iter()
            .any(|(r, c)| r.start >= range.start && r.end <= range.end && !allowed.contains(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nearest(text: &str, number: &str) -> Option<Ctx> {
        let start = text.find(number).unwrap_or(0);
        Context::new(text).nearest(text, start, start + number.len())
    }

    #[test]
    fn the_closest_word_before_a_number_decides() {
        assert_eq!(
            nearest("паспорт есть, ИНН 7707083893", "7707083893"),
            Some(Ctx::Inn)
        );
    }

    #[test]
    fn a_word_after_the_number_counts_when_none_precedes() {
        assert_eq!(
            nearest("4509 112233 — это мой паспорт", "4509"),
            Some(Ctx::Passport)
        );
    }

    #[test]
    fn words_beyond_sixty_characters_do_not_count() {
        let text = format!("паспорт {} 4509 112233", "слово ".repeat(12));
        assert_eq!(nearest(&text, "4509"), None);
    }

    #[test]
    fn letters_inside_longer_words_are_not_context() {
        assert_eq!(nearest("длинный номер 7707083893", "7707083893"), None);
    }

    #[test]
    fn order_words_mark_numbers_as_not_personal() {
        assert_eq!(
            nearest("номер заказа 4509 112233", "4509"),
            Some(Ctx::Other)
        );
    }
}
