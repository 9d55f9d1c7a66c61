//! Context words: what the speaker called a number («паспорт», «ИНН», «номер
//! заказа»). Numbers without a strong check are only read as personal data
//! when the nearest context word names that kind.

use super::chars::{self, fold, is_word, Piece};
use super::PiiKind;
use regex::Regex;
use std::cell::OnceCell;
use std::ops::Range;
use std::sync::LazyLock;

/// What a context word says about the numbers near it. `Other` marks
/// identifiers that are not personal data (orders, contracts, tracking, SMS
/// codes): near them, weak readings are dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cue {
    Card,
    Cvv,
    Phone,
    Email,
    Passport,
    Snils,
    Inn,
    Other,
}

impl Cue {
    /// The context words that speak for `kind`.
    pub(super) fn of(kind: PiiKind) -> Cue {
        match kind {
            PiiKind::Card => Cue::Card,
            PiiKind::Cvv => Cue::Cvv,
            PiiKind::Phone => Cue::Phone,
            PiiKind::Email => Cue::Email,
            PiiKind::Passport => Cue::Passport,
            PiiKind::Snils => Cue::Snils,
            PiiKind::Inn => Cue::Inn,
        }
    }
}

pub(super) fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in PII pattern compiles")
}

/// The context words of each kind, as alternatives of a case-insensitive
/// regex (`\b`, `\w*` and literal text; see [`chars::pieces`]), in the order
/// the regex crate tries them: at each position the first alternative that
/// matches wins, and a kind's matches do not overlap. Groups such as
/// `(?:на|с) обратной` are written out, `cvv2?` as `cvv2` before `cvv`.
const CONTEXT: [(Cue, &[&str]); 7] = [
    (
        Cue::Card,
        &[
            r"\bкарт\w*",
            r"\bcard\w*",
            r"\bvisa",
            r"\bвиза",
            r"\bmastercard",
            r"\bmaestro",
        ],
    ),
    (
        Cue::Cvv,
        &[
            r"\bcvv2",
            r"\bcvv",
            r"\bcvc2",
            r"\bcvc",
            r"\bна оборот\w*",
            r"\bна обратной сторон\w*",
            r"\bс обратной сторон\w*",
            r"\bsecurity code",
            r"\bкод безопасности",
            r"\bon the back",
            r"\bback of the card",
            r"\bback of your card",
            r"\bтрехзначн\w*",
            r"\bтрёхзначн\w*",
            r"\bthree-digit",
        ],
    ),
    (
        Cue::Phone,
        &[
            r"\bтелефон\w*",
            r"\bтел.",
            r"\bмобильн\w*",
            r"\bсотов\w*",
            r"\bphone\w*",
            r"\bmobile",
            r"\bcell",
            r"\bwhatsapp",
            r"\bватсап\w*",
            r"\bперезвон\w*",
            r"\bпозвон\w*",
            r"\bcall me",
            r"\bcall back",
            r"\breach me",
            r"\btext me",
            r"\bdial\w*",
            r"\bнабер\w*",
            r"\bнабрать",
            r"\bпо номеру",
            r"\bмой номер",
            r"\bмой number",
            r"\bmy номер",
            r"\bmy number",
            r"\bcontact номер",
            r"\bcontact number",
            r"\bномер для связи",
        ],
    ),
    (
        Cue::Passport,
        &[
            r"паспорт\w*",
            r"\bсерия\b",
            r"\bсерии\b",
            r"\bсерию\b",
            r"\bсерией\b",
            r"passport\w*",
            r"\bseries\b",
        ],
    ),
    (
        Cue::Snils,
        &[
            r"\bснилс\w*",
            r"\bстрахов\w* номер\w*",
            r"\bстрахов\w* свидетельств\w*",
            r"\bsnils",
            r"\binsurance number",
            r"\binsurance certificate",
            r"\bsocial security",
        ],
    ),
    (
        Cue::Inn,
        &[
            r"\bинн\b",
            r"\binn\b",
            r"\bналогоплательщик\w*\b",
            r"\btaxpayer\w*\b",
            r"\btax id\b",
            r"\btax identification\b",
            r"\btax number\b",
        ],
    ),
    (
        Cue::Other,
        &[
            r"\bзаказ\w*\b",
            r"\border\w*\b",
            r"\bдоговор\w*\b",
            r"\bcontract\w*\b",
            r"\bсчет\w*\b",
            r"\bсчёт\w*\b",
            r"\baccount\w*\b",
            r"\bтрек\w*\b",
            r"\btrack\w*\b",
            r"\bнакладн\w*\b",
            r"\bзаявк\w*\b",
            r"\bобращени\w*\b",
            r"\bticket\w*\b",
            r"\binvoice\w*\b",
            r"\bполис\w*\b",
            r"\bpolicy\b",
            r"\bартикул\w*\b",
            r"\breference\b",
            r"\bref\b",
            r"\bпосылк\w*\b",
            r"\bparcel\b",
            r"\bотправлени\w*\b",
            r"\bbooking\b",
            r"\bброн\w*\b",
            r"\bсмс\b",
            r"\bsms\b",
            r"\bпароль\b",
            r"\bpassword\b",
            r"\bpin\b",
            r"\bпин\w*\b",
        ],
    ),
];

/// One alternative of [`CONTEXT`], ready to match.
struct Alt {
    kind: usize,
    /// Starts with `\b` (then `pieces` hold the rest).
    bounded: bool,
    /// The second letter: a cheap test before matching the pieces.
    second: char,
    pieces: Vec<Piece>,
}

/// Where an alternative can start: one slot per folded first letter.
fn slot(c: char) -> Option<usize> {
    match c {
        'a'..='z' => Some(c as usize - 'a' as usize),
        'а'..='я' => Some(26 + c as usize - 'а' as usize),
        'ё' => Some(58),
        _ => None,
    }
}

/// Whether `c` is a word character, and the slot of its folded form:
/// `(is_word(c), slot(fold(c)))`, with ASCII and Russian letters answered
/// first.
#[inline]
fn class(c: char) -> (bool, Option<usize>) {
    match c {
        'a'..='z' => (true, Some(c as usize - 'a' as usize)),
        'A'..='Z' => (true, Some(c as usize - 'A' as usize)),
        'а'..='я' => (true, Some(26 + c as usize - 'а' as usize)),
        'А'..='Я' => (true, Some(26 + c as usize - 'А' as usize)),
        _ if c.is_ascii() => (c.is_ascii_digit() || c == '_', None),
        _ => (is_word(c), slot(fold(c))),
    }
}

/// The alternatives of every kind, by the slot of their first letter, in
/// kind order and then pattern order.
struct Table {
    by_slot: Vec<Vec<Alt>>,
    /// Slots holding an alternative without a leading `\b` («паспорт»).
    inner: [bool; 59],
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let mut by_slot: Vec<Vec<Alt>> = (0..59).map(|_| Vec::new()).collect();
    let mut inner = [false; 59];
    for (kind, (_, alts)) in CONTEXT.iter().enumerate() {
        for pattern in alts.iter() {
            let mut pieces = chars::pieces(pattern);
            let bounded = pieces.first() == Some(&Piece::Boundary);
            if bounded {
                pieces.remove(0);
            }
            let (first, second) = match pieces.first() {
                Some(Piece::Lit(l)) => {
                    let mut cs = l.chars();
                    (cs.next(), cs.next())
                }
                _ => (None, None),
            };
            let s = first
                .and_then(slot)
                .expect("context words start with a letter");
            inner[s] |= !bounded;
            by_slot[s].push(Alt {
                kind,
                bounded,
                second: second.expect("context words have two letters or more"),
                pieces,
            });
        }
    }
    Table { by_slot, inner }
});

/// All context words of `text`, ordered by start (ties in [`CONTEXT`] order):
/// what running each kind's regex with `find_iter` and sorting would give.
fn find_words(text: &str) -> Vec<(Range<usize>, Cue)> {
    let table = &*TABLE;
    let mut words = Vec::new();
    // Where each kind may match next: its matches do not overlap.
    let mut next = [0usize; CONTEXT.len()];
    let mut prev_word = false;
    for (at, c) in text.char_indices() {
        let (word, s) = class(c);
        let at_boundary = word != prev_word;
        prev_word = word;
        let Some(s) = s else { continue };
        if !at_boundary && !table.inner[s] {
            continue;
        }
        let second = text[at + c.len_utf8()..].chars().next().map(fold);
        let mut found = [false; CONTEXT.len()];
        for alt in &table.by_slot[s] {
            if found[alt.kind]
                || next[alt.kind] > at
                || (alt.bounded && !at_boundary)
                || second != Some(alt.second)
            {
                continue;
            }
            if let Some(end) = chars::match_pieces(text, at, &alt.pieces) {
                words.push((at..end, CONTEXT[alt.kind].0));
                next[alt.kind] = end;
                found[alt.kind] = true;
            }
        }
    }
    words
}

/// Context words of one text, in order of position; found on first use, since
/// most texts hold no number that needs them.
pub(super) struct Cues<'t> {
    text: &'t str,
    words: OnceCell<Vec<(Range<usize>, Cue)>>,
}

impl<'t> Cues<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        Cues {
            text,
            words: OnceCell::new(),
        }
    }

    pub(super) fn words(&self) -> &[(Range<usize>, Cue)] {
        self.words.get_or_init(|| find_words(self.text))
    }

    /// The closest context word before `start` (within 60 characters), else
    /// the closest after `end` (within 30): people name a number, then say it.
    pub(super) fn nearest(&self, start: usize, end: usize) -> Option<Cue> {
        let text = self.text;
        // A character is at most 4 bytes: compare bytes first, count chars only nearby.
        let within = |a: usize, b: usize, max: usize| {
            b - a <= 4 * max && text.get(a..b).is_some_and(|s| s.chars().count() <= max)
        };
        let words = self.words();
        let before = words
            .iter()
            .filter(|(r, _)| r.end <= start && within(r.end, start, 60))
            .max_by_key(|(r, _)| r.end);
        let after = || {
            words
                .iter()
                .find(|(r, _)| r.start >= end && within(end, r.start, 30))
        };
        before.or_else(after).map(|(_, c)| *c)
    }

    /// Whether a context word of a kind not in `allowed` lies inside `range`.
    pub(super) fn foreign_between(&self, range: Range<usize>, allowed: &[Cue]) -> bool {
        self.words()
            .iter()
            .any(|(r, c)| r.start >= range.start && r.end <= range.end && !allowed.contains(c))
    }
}

#[cfg(test)]
mod tests {
    use super::super::chars::testgen;
    use super::*;

    /// The regexes [`CONTEXT`] replaces, as they were: the reference.
    const REGEXES: [(Cue, &str); 7] = [
        (
            Cue::Card,
            r"(?i)\b(?:карт\w*|card\w*|visa|виза|mastercard|maestro)",
        ),
        (
            Cue::Cvv,
            r"(?i)\b(?:cvv2?|cvc2?|на оборот\w*|(?:на|с) обратной сторон\w*|security code|код безопасности|on the back|back of (?:the|your) card|тр[её]хзначн\w*|three-digit)",
        ),
        (
            Cue::Phone,
            r"(?i)\b(?:телефон\w*|тел\.|мобильн\w*|сотов\w*|phone\w*|mobile|cell|whatsapp|ватсап\w*|перезвон\w*|позвон\w*|call (?:me|back)|reach me|text me|dial\w*|набер\w*|набрать|по номеру|(?:мой|my|contact) (?:номер|number)|номер для связи)",
        ),
        (
            Cue::Passport,
            r"(?i)(?:паспорт\w*|\bсери(?:я|и|ю|ей)\b|passport\w*|\bseries\b)",
        ),
        (
            Cue::Snils,
            r"(?i)\b(?:снилс\w*|страхов\w* (?:номер|свидетельств)\w*|snils|insurance (?:number|certificate)|social security)",
        ),
        (
            Cue::Inn,
            r"(?i)\b(?:инн|inn|налогоплательщик\w*|taxpayer\w*|tax (?:id|identification|number))\b",
        ),
        (
            Cue::Other,
            r"(?i)\b(?:заказ\w*|order\w*|договор\w*|contract\w*|сч[её]т\w*|account\w*|трек\w*|track\w*|накладн\w*|заявк\w*|обращени\w*|ticket\w*|invoice\w*|полис\w*|policy|артикул\w*|reference|ref|посылк\w*|parcel|отправлени\w*|booking|брон\w*|смс|sms|пароль|password|pin|пин\w*)\b",
        ),
    ];

    /// What the regexes find: every kind's `find_iter`, sorted by start.
    fn by_regex(text: &str) -> Vec<(Range<usize>, Cue)> {
        static RES: LazyLock<Vec<(Cue, Regex)>> =
            LazyLock::new(|| REGEXES.iter().map(|(c, p)| (*c, re(p))).collect());
        let mut words: Vec<_> = RES
            .iter()
            .flat_map(|(ctx, re)| re.find_iter(text).map(|m| (m.range(), *ctx)))
            .collect();
        words.sort_by_key(|(r, _)| r.start);
        words
    }

    /// Every literal of [`CONTEXT`], parts of them, and endings.
    fn vocabulary() -> Vec<&'static str> {
        let mut vocab: Vec<&'static str> = CONTEXT
            .iter()
            .flat_map(|(_, alts)| alts.iter())
            .flat_map(|a| chars::pieces(a))
            .filter_map(|p| match p {
                Piece::Lit(l) => Some(l),
                _ => None,
            })
            .collect();
        vocab.extend([
            "ами",
            "s",
            "ов",
            "номер",
            "number",
            "the",
            "card",
            "сери",
            "tax",
            "на",
            "с",
            "мой",
            "паспорт",
            "ref",
            "ин",
            "и",
            "я",
            "ей",
            "2",
            "code",
            "back",
            "обратной",
            "сторон",
        ]);
        vocab
    }

    #[test]
    fn scanner_finds_what_the_regexes_find() {
        for text in testgen::texts(&vocabulary(), 2000, 8, 0x5eed) {
            assert_eq!(find_words(&text), by_regex(&text), "{text:?}");
        }
    }

    #[test]
    fn every_context_word_is_found_as_the_regexes_find_it() {
        let mut rng = testgen::Rng(7);
        for lit in vocabulary() {
            for before in ["", " ", "ы", "1", "\u{301}"] {
                for after in ["", " ", "x", "ами", "1", ".", " номер", " number"] {
                    let text = format!("{before}{}{after}", testgen::recase(&mut rng, lit));
                    assert_eq!(find_words(&text), by_regex(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn literals_are_written_in_folded_form() {
        // `chars::match_folded` relies on it.
        for lit in vocabulary() {
            assert!(testgen::folded_literal(lit), "{lit}");
        }
    }

    #[test]
    fn character_classes_agree_with_the_general_tests() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(class(c), (is_word(c), slot(fold(c))), "{c:?}");
        }
    }

    #[test]
    fn literals_after_a_word_tail_start_with_a_non_word_character() {
        // What lets `chars::match_pieces` do without backtracking.
        for (_, alts) in CONTEXT {
            for pieces in alts.iter().map(|a| chars::pieces(a)) {
                for pair in pieces.windows(2) {
                    if let [Piece::Word, Piece::Lit(l)] = pair {
                        assert!(!l.chars().next().is_some_and(is_word), "{l}");
                    }
                }
            }
        }
    }

    fn nearest(text: &str, number: &str) -> Option<Cue> {
        let start = text.find(number).unwrap_or(0);
        Cues::new(text).nearest(start, start + number.len())
    }

    #[test]
    fn the_closest_word_before_a_number_decides() {
        assert_eq!(
            nearest("паспорт есть, ИНН 7707083893", "7707083893"),
            Some(Cue::Inn)
        );
    }

    #[test]
    fn a_word_after_the_number_counts_when_none_precedes() {
        assert_eq!(
            nearest("4509 112233 — это мой паспорт", "4509"),
            Some(Cue::Passport)
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
            Some(Cue::Other)
        );
    }
}
