//! Personal data in transcripts: detection and masking.
//!
//! QA controllers read and export transcripts; card numbers, CVV codes, phones,
//! e-mails and Russian identity numbers (passport, СНИЛС, ИНН) must not reach a
//! report. [`detect`] finds them, [`mask`] hides them, and the `*_with_spoken`
//! variants first turn dictated numbers («четыре один один один …») into digits.
//!
//! Precision comes from checks rather than from digit counts alone:
//! * cards must pass Luhn and look like a card (one 13–19 digit block, the
//!   usual 4-4-4-4 / 4-6-5 / 4-6-4 groupings, or a dictated sequence of small
//!   groups), never a slice of a longer regularly grouped number;
//! * СНИЛС and ИНН must pass their check digits;
//! * numbers without a check (passport) or with a weak one (10-digit ИНН,
//!   plain 11-digit СНИЛС, CVV) need a context word, and the *nearest* context
//!   word decides between readings of the same digits («паспорт» vs «ИНН»);
//! * digits joined by `.`, `,`, `/`, `:` to further digits (dates, times,
//!   decimals) are never personal data; digits glued to letters (IBAN, tracking
//!   codes) are not either, except a whole 13–19 digit Luhn-valid block, which
//!   is masked as a card wherever it stands.
//!
//! Masking errs towards hiding: a false positive only hides a number from a QA
//! reader, a miss leaks it. Card numbers in particular are masked whatever the
//! context says («номер заказа 4111 1111 1111 1111» is still hidden).
//!
//! Layout: `fold` reads every Unicode space, dash and digit (and `.`/`/`
//! between digits) as ASCII and maps findings back to the text as written;
//! `context` finds the words that name numbers; `runs` finds digit runs;
//! `detectors`, `phones`, `cvv` and `emails` propose scored candidates; this
//! file settles overlaps; `mask` masks (on the whole text, before any cut)
//! and `ident` masks identifiers. Context words,
//! digit runs, phones, dotted cards and units are found by hand-written
//! scanners (`chars` holds their character tests) rather than by regexes with
//! `(?i)` and Unicode `\b`/`\w`, which run on the regex crate's slowest engines
//! for Cyrillic text; their tests check them against those regexes. Context
//! words are only looked for once a number needs them; the e-mail and passport
//! regexes only run on texts that could hold a match.

mod chars;
mod context;
mod cvv;
mod detectors;
mod emails;
mod fold;
mod ident;
mod links;
mod mask;
mod phones;
mod runs;

pub use crate::text::checksum::{inn_valid, luhn_valid, snils_valid};
use crate::text::numbers::{convert_spoken_numbers, SpokenRun};
use context::{Cue, Cues};
use detectors::Candidate;
pub use fold::{digit_value, is_wide_dash, is_wide_separator};
pub use ident::mask_identifier;
pub use mask::{
    mask, mask_all, mask_card_digits, mask_then_cut, masked_slice, may_need_masking, spans,
    MaskedSpan,
};

/// A kind of personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PiiKind {
    Card,
    Cvv,
    Phone,
    Email,
    Passport,
    Snils,
    Inn,
}

/// Language of the labels that replace masked data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MaskLang {
    #[default]
    Ru,
    En,
}

impl PiiKind {
    pub const ALL: [PiiKind; 7] = [
        PiiKind::Card,
        PiiKind::Cvv,
        PiiKind::Phone,
        PiiKind::Email,
        PiiKind::Passport,
        PiiKind::Snils,
        PiiKind::Inn,
    ];

    /// Stable identifier used in configuration files and reports.
    pub fn id(&self) -> &'static str {
        match self {
            PiiKind::Card => "card",
            PiiKind::Cvv => "cvv",
            PiiKind::Phone => "phone",
            PiiKind::Email => "email",
            PiiKind::Passport => "passport",
            PiiKind::Snils => "snils",
            PiiKind::Inn => "inn",
        }
    }

    /// Inverse of [`PiiKind::id`]; ignores case and surrounding spaces.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.id().eq_ignore_ascii_case(s))
    }

    /// The label that replaces the data. [`mask`] keeps part of a card number
    /// instead (PCI DSS), so the card label is only for callers that hide all.
    pub fn mask_label(&self, lang: MaskLang) -> &'static str {
        let (ru, en) = match self {
            PiiKind::Card => ("[карта]", "[card]"),
            PiiKind::Cvv => ("[CVV]", "[CVV]"),
            PiiKind::Phone => ("[телефон]", "[phone]"),
            PiiKind::Email => ("[e-mail]", "[e-mail]"),
            PiiKind::Passport => ("[паспорт]", "[passport]"),
            PiiKind::Snils => ("[СНИЛС]", "[SNILS]"),
            PiiKind::Inn => ("[ИНН]", "[INN]"),
        };
        match lang {
            MaskLang::Ru => ru,
            MaskLang::En => en,
        }
    }
}

/// One finding: byte offsets into the text that was searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PiiMatch {
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
}

/// Result of [`detect_with_spoken`]: matches refer to `text`, the converted
/// text; `runs` map converted number words back to the original.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SpokenDetection {
    pub text: String,
    pub matches: Vec<PiiMatch>,
    pub runs: Vec<SpokenRun>,
}

// ---------------------------------------------------------------- detection

/// Keeps the best-scoring candidates that do not overlap, in text order.
fn resolve(mut cands: Vec<Candidate>, mut chosen: Vec<PiiMatch>) -> Vec<PiiMatch> {
    cands.sort_by(|a, b| {
        (b.score, a.range.start, b.range.len()).cmp(&(a.score, b.range.start, a.range.len()))
    });
    for c in cands {
        if chosen
            .iter()
            .all(|m| c.range.end <= m.start || c.range.start >= m.end)
        {
            chosen.push(PiiMatch {
                kind: c.kind,
                start: c.range.start,
                end: c.range.end,
            });
        }
    }
    chosen.sort_by_key(|m| m.start);
    chosen
}

/// A cheap necessary condition: every kind needs a digit (of any script),
/// except e-mail, which needs `@` or a dictated «собака» / "at". Most turns fail it, and
/// skipping them is most of the speed of masking.
fn may_hold_pii(text: &str) -> bool {
    // ASCII letters are single bytes and no byte of another character is an
    // ASCII letter, so a word "at" is two bytes between non-letter bytes.
    let b = text.as_bytes();
    let letter = |i: usize| b.get(i).is_some_and(u8::is_ascii_alphabetic);
    let here = |i: usize| match b[i] {
        b'0'..=b'9' | b'@' => true,
        b'a' | b'A' => {
            b[i..].len() >= 2
                && b[i + 1].eq_ignore_ascii_case(&b't')
                && (i == 0 || !letter(i - 1))
                && !letter(i + 2)
        }
        0xD0 | 0xD1 => sobak_at(&b[i..]),
        // Lead bytes of the other scripts' decimal digits («４», «٣»).
        0xD9 | 0xDB | 0xDF | 0xE0 | 0xE1 | 0xEA | 0xEF | 0xF0 => text
            .get(i..)
            .and_then(|t| t.chars().next())
            .and_then(fold::digit_value)
            .is_some(),
        _ => false,
    };
    // In blocks of sixteen, only the bytes where `here` could say yes are
    // looked at: a digit, `@`, `a`, `A`, and the second byte of «с» / «С»
    // (0x81 / 0xA1), whose first byte may end the block before.
    const WANTED: crate::sys::bytescan::Wanted<'static> = crate::sys::bytescan::Wanted {
        bytes: &[
            b'@', b'a', b'A', 0x81, 0xA1, 0xD9, 0xDB, 0xDF, 0xE0, 0xE1, 0xEA, 0xEF, 0xF0,
        ],
        lo: b'0',
        hi: b'9',
    };
    let mut from = 0;
    while from + 16 <= b.len() {
        let mut m = WANTED.block(b, from);
        while m != 0 {
            let i = from + m.trailing_zeros() as usize;
            m &= m - 1;
            let yes = match b[i] {
                0x81 | 0xA1 => i > 0 && here(i - 1),
                _ => here(i),
            };
            if yes {
                return true;
            }
        }
        from += 16;
    }
    (from.saturating_sub(1)..b.len()).any(here)
}

/// Whether `text` starts with «собак» in any case: together with the loop
/// above, `text.to_lowercase().contains("собак")` without building the
/// lower-case copy (only «С», «О», «Б», «А», «К» lower-case to those letters).
fn sobak_at(text: &[u8]) -> bool {
    /// Both cases of each letter; every one is two bytes of UTF-8.
    const LETTERS: [[[u8; 2]; 2]; 5] = [
        [utf8("с"), utf8("С")],
        [utf8("о"), utf8("О")],
        [utf8("б"), utf8("Б")],
        [utf8("а"), utf8("А")],
        [utf8("к"), utf8("К")],
    ];
    const fn utf8(letter: &str) -> [u8; 2] {
        let b = letter.as_bytes();
        [b[0], b[1]]
    }
    text.len() >= 2 * LETTERS.len()
        && LETTERS
            .iter()
            .zip(text.chunks_exact(2))
            .all(|(cases, at)| cases.iter().any(|c| c == at))
}

/// Finds personal data in `text`: sorted, non-overlapping byte ranges.
/// Every Unicode space, dash and decimal digit counts as its ASCII form, and
/// `.` or `/` between digits as a separator of digit groups; the ranges are
/// those of the text as written. Numbers spelled in words are not seen; use
/// [`detect_with_spoken`] for them.
pub fn detect(text: &str) -> Vec<PiiMatch> {
    folded(text, detect_ascii)
}

/// Runs `find` on `text` folded to ASCII separators and digits when it
/// needs folding, and maps the matches back.
fn folded(text: &str, find: fn(&str) -> Vec<PiiMatch>) -> Vec<PiiMatch> {
    // Every kind needs a digit (or `@` for e-mail): most turns have neither,
    // and skipping them is most of the speed of masking.
    if !may_hold_pii(text) {
        return Vec::new();
    }
    if !fold::needs_folding(text) {
        return find(text);
    }
    let f = fold::Folded::new(text);
    let mut found = find(&f.text);
    for m in &mut found {
        m.start = f.original(m.start);
        m.end = f.original(m.end);
    }
    found
}

/// [`detect`] on a text already in ASCII separators and digits.
fn detect_ascii(text: &str) -> Vec<PiiMatch> {
    // Context words are looked for only once a number needs them.
    let ctx = Cues::new(text);
    let mut cands = detectors::candidates(text, &ctx);
    for c in &mut cands {
        // No context word names e-mail: skip the look-up.
        if c.kind != PiiKind::Email
            && ctx.nearest(c.range.start, c.range.end) == Some(Cue::of(c.kind))
        {
            c.score += 50;
        }
    }
    let chosen = resolve(cands, Vec::new());
    let cvv = cvv::cvv_candidates(text, &ctx, &chosen);
    resolve(cvv, chosen)
}

/// What masking hides: [`detect`]'s findings, and any other run of 13 or
/// more digits, as a card: one digit misheard by speech recognition breaks
/// the Luhn check but not the leak.
fn detect_for_masking(text: &str) -> Vec<PiiMatch> {
    folded(text, |t| {
        let found = detect_ascii(t);
        let shaped = detectors::card_shaped(t)
            .into_iter()
            .filter(|r| found.iter().all(|m| r.end <= m.start || r.start >= m.end))
            .map(|r| PiiMatch {
                kind: PiiKind::Card,
                start: r.start,
                end: r.end,
            });
        let mut all: Vec<PiiMatch> = found.iter().copied().chain(shaped).collect();
        all.sort_by_key(|m| m.start);
        all
    })
}

/// [`mask`], as a `String`: numbers dictated in words are masked by [`mask`]
/// itself now; the name stays for callers that said so.
pub fn mask_with_spoken(text: &str, lang: MaskLang) -> String {
    mask(text, lang).into_owned()
}

/// Converts spoken numbers to digits, then detects; matches refer to the
/// converted text returned alongside.
pub fn detect_with_spoken(text: &str) -> SpokenDetection {
    let conv = convert_spoken_numbers(text);
    SpokenDetection {
        matches: detect(&conv.text),
        text: conv.text,
        runs: conv.runs,
    }
}

/// What a `pii` rule counts: [`detect_with_spoken`] without card numbers
/// that lie inside a link or path (`https://web.archive.org/web/20200401224734/…`),
/// where the digits are an address, not a card a person wrote: an auto-fail
/// must not come from a link. Masking still hides those digits.
pub fn detect_for_rules(text: &str) -> SpokenDetection {
    let mut found = detect_with_spoken(text);
    let conv = &found.text;
    found
        .matches
        .retain(|m| m.kind != PiiKind::Card || !links::inside_link(conv, &(m.start..m.end)));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prefilter_is_the_one_it_replaces() {
        let original = |text: &str| {
            text.chars()
                .any(|c| fold::digit_value(c).is_some() || c == '@')
                || text.to_lowercase().contains("собак")
                || text
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .any(|w| w.eq_ignore_ascii_case("at"))
        };
        let vocab = [
            "собака",
            "собак",
            "соба",
            "ка",
            "at",
            "cat",
            "ат",
            "СОБАКА",
            "слово",
            "word",
            "ёж",
            "４",
            "٣",
            "۹",
            "\u{1D7CE}",
            "\u{0E50}",
            "—",
            "«",
        ];
        for text in chars::testgen::texts(&vocab, 3000, 6, 21) {
            let without_digits: String = text
                .chars()
                .filter(|&c| fold::digit_value(c).is_none())
                .collect();
            for t in [&text, &without_digits] {
                assert_eq!(may_hold_pii(t), original(t), "{t:?}");
            }
        }
    }

    #[test]
    fn the_prefilter_sees_each_sign_at_every_offset_of_a_long_text() {
        for sign in ["Собака", "собака", "at", "7", "@"] {
            for pad in 0..40 {
                // Cyrillic and spaces around it, so that «с» straddles blocks too.
                let text = format!("{} {sign} {}", "ж".repeat(pad), "ё".repeat(20));
                assert!(may_hold_pii(&text), "{text}");
                assert!(!may_hold_pii(&text.replace(sign, "кот")), "{text}");
            }
        }
    }

    #[test]
    fn only_the_five_letters_in_either_case_lower_case_into_sobak() {
        let cases = "собакСОБАК";
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if c.to_lowercase().any(|l| "собак".contains(l)) {
                assert!(cases.contains(c), "{c:?}");
            }
        }
    }

    #[test]
    fn kind_ids_round_trip_through_parse() {
        for kind in PiiKind::ALL {
            assert_eq!(PiiKind::parse(kind.id()), Some(kind));
        }
        assert_eq!(PiiKind::parse(" SNILS "), Some(PiiKind::Snils));
        assert_eq!(PiiKind::parse("iban"), None);
    }

    #[test]
    fn labels_follow_the_report_language() {
        assert_eq!(PiiKind::Phone.mask_label(MaskLang::Ru), "[телефон]");
        assert_eq!(PiiKind::Snils.mask_label(MaskLang::En), "[SNILS]");
        assert_eq!(PiiKind::Email.mask_label(MaskLang::Ru), "[e-mail]");
    }

    #[test]
    fn matches_are_sorted_and_do_not_overlap() {
        let text = "Телефон 8 916 123 45 67, почта a@b.ru, карта 4111 1111 1111 1111 cvv 123";
        let found = detect(text);
        assert_eq!(found.len(), 4);
        assert!(found.windows(2).all(|w| w[0].end <= w[1].start));
    }

    #[test]
    fn card_keeps_first_six_and_last_four_digits_and_its_separators() {
        assert_eq!(
            mask("Карта 4111 1111 1111 1111.", MaskLang::Ru),
            "Карта 4111 11** **** 1111."
        );
        assert_eq!(
            mask("card 4242-4242-4242-4242", MaskLang::En),
            "card 4242-42**-****-4242"
        );
    }

    #[test]
    fn other_kinds_become_labels_in_the_chosen_language() {
        let text = "Паспорт 4509 112233, СНИЛС 112-233-445 95, тел. 8 916 123 45 67";
        assert_eq!(
            mask(text, MaskLang::Ru),
            "Паспорт [паспорт], СНИЛС [СНИЛС], тел. [телефон]"
        );
        assert_eq!(
            mask("INN 1234567894, email ivan@mail.ru", MaskLang::En),
            "INN [INN], email [e-mail]"
        );
    }

    #[test]
    fn cvv_is_replaced_whole() {
        assert_eq!(
            mask("Карта 4111 1111 1111 1111, CVV 123", MaskLang::Ru),
            "Карта 4111 11** **** 1111, CVV [CVV]"
        );
    }

    #[test]
    fn masking_a_masked_text_changes_nothing() {
        let once = mask(
            "Карта 4111 1111 1111 1111 код 123, ИНН 500100732259, паспорт 4509 112233",
            MaskLang::Ru,
        );
        assert_eq!(mask(&once, MaskLang::Ru), once);
    }

    #[test]
    fn dictated_card_is_masked_and_other_number_words_stay_words() {
        let text = "Одну минуту. Карта четыре один один один один один один один \
                    один один один один один один один один";
        assert_eq!(
            mask_with_spoken(text, MaskLang::Ru),
            "Одну минуту. Карта 4 1 1 1 1 1 * * * * * * 1 1 1 1"
        );
    }

    proptest::proptest! {
        /// Masking leaves no card for the detectors to find, and a text with
        /// nothing to mask is borrowed as it is.
        #[test]
        fn masking_leaves_no_card(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "карта", "4111", "1111", "код", "123", "CVV", "телефон", "+7", "916",
                "123-45-67", "ИНН", "500100732259", "паспорт", "4509", "112233",
                "мама@example.ru", "сто", "два", "пять", "семь", "рублей", "2000",
                "Баланс", "составляет", "at", "собака", "four", "one",
            ]), 0..14),
            ru in proptest::bool::ANY,
        ) {
            let text = words.join(" ");
            let lang = if ru { MaskLang::Ru } else { MaskLang::En };
            let once = mask(&text, lang).into_owned();
            proptest::prop_assert!(detect(&once).iter().all(|m| m.kind != PiiKind::Card));
            if !may_need_masking(&text) {
                proptest::prop_assert!(matches!(mask(&text, lang), std::borrow::Cow::Borrowed(_)));
            }
        }
    }

    #[test]
    fn dictated_phone_becomes_a_label() {
        assert_eq!(
            mask_with_spoken(
                "Мой номер восемь девятьсот шестнадцать сто двадцать три сорок пять шестьдесят семь",
                MaskLang::Ru
            ),
            "Мой номер [телефон]"
        );
    }

    #[test]
    fn spoken_detection_reports_offsets_in_the_converted_text() {
        let found = detect_with_spoken("код с обратной стороны сто двадцать три");
        assert_eq!(found.text, "код с обратной стороны 123");
        let m = found.matches[0];
        assert_eq!((m.kind, &found.text[m.start..m.end]), (PiiKind::Cvv, "123"));
        assert_eq!(found.runs.len(), 1);
    }

    #[test]
    fn plain_detection_ignores_number_words() {
        assert!(detect("четыре один один один один один один один").is_empty());
    }

    /// PCI DSS: whatever surrounds it, no Luhn-valid card survives masking.
    #[test]
    fn generated_cards_in_usual_formats_never_survive_masking() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let frames = [
            "Номер карты {}",
            "{}, срок 12/26",
            "карта: {}.",
            "My card is {} and CVV 123",
            "оплатил {} вчера",
        ];
        for _ in 0..500 {
            let mut digits: Vec<u8> = (0..15).map(|_| next(10) as u8).collect();
            digits[0] = [2, 4, 5][next(3) as usize];
            let check = (0..10u8)
                .find(|c| {
                    let s: String = digits
                        .iter()
                        .chain([c])
                        .map(|d| char::from(b'0' + d))
                        .collect();
                    luhn_valid(&s)
                })
                .unwrap_or(0);
            digits.push(check);
            let plain: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
            let sep = [" ", "-", ""][next(3) as usize];
            let grouped = plain
                .as_bytes()
                .chunks(4)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join(sep);
            let text = frames[next(frames.len() as u64) as usize].replace("{}", &grouped);
            let masked: String = mask(&text, MaskLang::Ru)
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            assert!(!masked.contains(&plain), "{text} → {masked}");
        }
    }
}
