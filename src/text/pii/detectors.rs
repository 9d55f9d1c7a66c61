//! Detectors: digit runs read as cards, phones, passports, СНИЛС and ИНН;
//! e-mails; dotted cards. Each proposes scored candidates; [`super::detect`]
//! settles overlaps. The runs themselves are found in `runs`; phones in their
//! written forms in `phones`; CVV codes, which depend on the cards chosen, in
//! `cvv`.

use super::chars::boundary;
use super::context::{re, Cue, Cues};
use super::phones::{national_ok, phone_candidates};
use super::runs::{digit_runs, runs_of, Joins, Run, Span};
use super::{inn_valid, luhn_valid, snils_valid, PiiKind};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// A possible finding; overlaps are settled by `score` (higher wins).
pub(super) struct Candidate {
    pub(super) kind: PiiKind,
    pub(super) range: Range<usize>,
    pub(super) score: i32,
}

/// Card lengths, most common first: a dictated card followed by its CVV must
/// be read as 16 + 3, not as one 19-digit number.
const CARD_LENGTHS: [usize; 7] = [16, 19, 18, 17, 15, 14, 13];

/// Finds a card inside a run: group indices `i..=j`.
fn card_in_run(run: &Run) -> Option<(usize, usize)> {
    let lens = run.lens();
    let total = run.digits.len();
    for i in 0..lens.len() {
        let offset: usize = lens[..i].iter().sum();
        for target in CARD_LENGTHS {
            let mut sum = 0;
            let Some(j) = (i..lens.len()).find(|&j| {
                sum += lens[j];
                sum >= target
            }) else {
                continue;
            };
            let g = &lens[i..=j];
            if sum != target
                || !run
                    .digits
                    .get(offset..offset + target)
                    .is_some_and(luhn_valid)
            {
                continue;
            }
            let usual = matches!(
                g,
                [4, 4, 4, 4] | [4, 4, 4, 4, 1..=3] | [4, 6, 5] | [4, 6, 4]
            );
            let continues = (i > 0 && lens[i - 1] == 4) || lens.get(j + 1) == Some(&4);
            // Spoken groups have at most three digits («сто двадцать три»).
            let dictated = i == 0
                && g.iter().all(|&l| l <= 3)
                && g.iter().any(|&l| l <= 2)
                && total - target <= 7;
            // Digits then dictated digits («42763800 один два …»), or any
            // other grouping of exactly a card's length: the whole run.
            let whole = i == 0 && j + 1 == lens.len();
            if g.len() == 1 || (usual && !continues) || dictated || whole {
                return Some((i, j));
            }
        }
    }
    None
}

/// «4111.1111.1111.1111», as some chat users type it; dates and versions
/// never have four 4-digit groups. The matches of the regex
/// `\b[0-9]{4}\.[0-9]{4}\.[0-9]{4}\.[0-9]{4}\b`.
fn dotted_cards(text: &str) -> Vec<Range<usize>> {
    const LEN: usize = 19;
    let b = text.as_bytes();
    let shaped = |at: usize| {
        b.get(at..at + LEN).is_some_and(|s| {
            s.iter().enumerate().all(|(i, &c)| {
                if i % 5 == 4 {
                    c == b'.'
                } else {
                    c.is_ascii_digit()
                }
            })
        })
    };
    let mut found = Vec::new();
    let mut at = 0;
    while at + LEN <= b.len() {
        if b[at + 4] == b'.' && shaped(at) && boundary(text, at) && boundary(text, at + LEN) {
            found.push(at..at + LEN);
            at += LEN;
        } else {
            at += 1;
        }
    }
    found
}

/// Every reading of [`run_candidates`] needs at least this many digits (a
/// foreign passport); shorter runs are never read.
const MIN_DIGITS: usize = 9;

fn run_candidates(run: &Run, ctx: &Cues, out: &mut Vec<Candidate>) {
    let d = run.digits.as_str();
    // A whole 13–19 digit block is masked even inside a word («карта4111…»):
    // a leaked card costs more than a hidden code.
    if run.in_word && run.groups.len() > 1 {
        return;
    }
    let mut push = |kind, range, score| out.push(Candidate { kind, range, score });
    if let Some((i, j)) = card_in_run(run) {
        push(PiiKind::Card, run.groups[i].start..run.groups[j].end, 90);
    }
    if run.in_word {
        return;
    }
    let near = ctx.nearest(run.range.start, run.range.end);
    let lens = run.lens();
    let whole = run.range.clone();
    // The printed form 123-456-789 01 speaks for itself; plain digits need «СНИЛС».
    let snils_named = near == Some(Cue::Snils);
    let snils_shaped = lens == [3, 3, 3, 2] && near != Some(Cue::Other);
    if d.len() == 11 && (snils_shaped || snils_named) && snils_valid(d) {
        push(PiiKind::Snils, whole.clone(), 80);
    }
    // Grouped 11-digit numbers read as phones unless shaped or named as
    // another identifier («СНИЛС 868-282-880 81» with a wrong check).
    let other_id = matches!(near, Some(Cue::Snils | Cue::Inn | Cue::Passport));
    let phone_shape = !other_id
        && match d.len() {
            11 => lens.len() >= 2 && lens != [3, 3, 3, 2] && matches!(d.as_bytes()[0], b'7' | b'8'),
            10 => d.starts_with('9') && (lens == [3, 3, 2, 2] || near == Some(Cue::Phone)),
            _ => false,
        };
    if phone_shape && national_ok(d) {
        push(PiiKind::Phone, whole.clone(), 70);
    }
    let foreign_passport = d.len() == 9 && lens.len() == 2 && lens[0] == 2;
    if near == Some(Cue::Passport) && (d.len() == 10 || foreign_passport) {
        push(PiiKind::Passport, whole.clone(), 60);
    }
    let inn_context = match d.len() {
        10 => near == Some(Cue::Inn),
        12 => near != Some(Cue::Other),
        _ => false,
    };
    if inn_context && inn_valid(d) {
        push(PiiKind::Inn, whole, 50);
    }
}

/// «серия 4506 номер 123456», «45 06 № 123456», "series 45 06 and the number is
/// 123456", or dictated «45 0 6 номер 1 2 3 4 5 6».
static PASSPORT_GAP: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^[ ,:]*(?:(?:№|номер|number|no\.?|and|the|is|а|и)[ ,:]*){0,4}$"));

fn passport_pairs(text: &str, runs: &[Span], ctx: &Cues, out: &mut Vec<Candidate>) {
    for pair in runs.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.digits == 4
            && b.digits == 6
            && PASSPORT_GAP.is_match(&text[a.range.end..b.range.start])
            && ctx.nearest(a.range.start, a.range.end) == Some(Cue::Passport)
        {
            out.push(Candidate {
                kind: PiiKind::Passport,
                range: a.range.start..b.range.end,
                score: 60,
            });
        }
    }
}

/// Runs of 13 or more digits, joined by single spaces or hyphens: card-shaped
/// whatever their check digit (masking only; see `detect_for_masking`).
pub(super) fn card_shaped(text: &str) -> Vec<Range<usize>> {
    if text.bytes().filter(u8::is_ascii_digit).nth(12).is_none() {
        return Vec::new();
    }
    runs_of(text, Joins::Plain)
        .filter(|r| {
            text[r.clone()]
                .bytes()
                .filter(u8::is_ascii_digit)
                .nth(12)
                .is_some()
        })
        .collect()
}

/// All candidates except CVV, which depends on the cards chosen first.
pub(super) fn candidates(text: &str, ctx: &Cues) -> Vec<Candidate> {
    let runs = digit_runs(text, Joins::Plain);
    let mut cands = Vec::new();
    super::emails::email_candidates(text, &mut cands);
    for span in runs.iter().filter(|s| s.digits >= MIN_DIGITS) {
        run_candidates(&Run::read(text, span), ctx, &mut cands);
    }
    // Listed runs matter only where a comma joins groups.
    if text.contains(", ") {
        for span in digit_runs(text, Joins::Listed) {
            if span.digits < MIN_DIGITS || !text[span.range.clone()].contains(", ") {
                continue;
            }
            let run = Run::read(text, &span);
            let named = || {
                matches!(
                    ctx.nearest(run.range.start, run.range.end),
                    Some(Cue::Card | Cue::Phone | Cue::Passport | Cue::Snils | Cue::Inn)
                )
            };
            if run.groups.iter().all(|g| g.len() <= 4) && named() {
                run_candidates(&run, ctx, &mut cands);
            }
        }
    }
    cands.extend(
        dotted_cards(text)
            .into_iter()
            .filter(|r| luhn_valid(&text[r.clone()].replace('.', "")))
            .map(|range| Candidate {
                kind: PiiKind::Card,
                range,
                score: 90,
            }),
    );
    phone_candidates(text, ctx, &mut cands);
    super::phones::local_phones(text, &runs, ctx, &mut cands);
    passport_pairs(text, &runs, ctx, &mut cands);
    cands
}

/// The dotted-card scanner against the regex it replaces.
#[cfg(test)]
mod scanners {
    use super::super::chars::testgen;
    use super::*;

    const DOTTED_CARD: &str = r"\b[0-9]{4}\.[0-9]{4}\.[0-9]{4}\.[0-9]{4}\b";

    #[test]
    fn dotted_cards_are_what_the_regex_finds() {
        let regex = re(DOTTED_CARD);
        let vocab = [
            "4111",
            "1111",
            ".",
            "4111.1111.1111.1111",
            "12",
            "а",
            "_",
            "ы",
        ];
        for text in testgen::texts(&vocab, 3000, 10, 12) {
            let expected: Vec<_> = regex.find_iter(&text).map(|m| m.range()).collect();
            assert_eq!(dotted_cards(&text), expected, "{text:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::text::pii::{detect, PiiKind};

    /// What `detect` found: kind and the matched text.
    fn found(text: &str) -> Vec<(PiiKind, &str)> {
        detect(text)
            .into_iter()
            .map(|m| (m.kind, &text[m.start..m.end]))
            .collect()
    }

    fn kinds(text: &str) -> Vec<PiiKind> {
        found(text).into_iter().map(|(k, _)| k).collect()
    }

    #[test]
    fn card_grouped_by_fours_is_found_with_spaces_or_hyphens() {
        for card in [
            "4276 5260 1815 9080",
            "4276-5260-1815-9080",
            "4276526018159080",
        ] {
            let text = format!("Номер карты {card}, всё верно");
            assert_eq!(found(&text), [(PiiKind::Card, card)], "{text}");
        }
    }

    #[test]
    fn amex_grouped_four_six_five_is_a_card() {
        assert_eq!(kinds("Карта 3784 656321 22338"), [PiiKind::Card]);
    }

    #[test]
    fn sixteen_digits_failing_luhn_are_not_a_card() {
        assert!(kinds("Карта 4111 1111 1111 1112").is_empty());
    }

    #[test]
    fn twelve_digit_order_number_is_not_a_card() {
        assert!(kinds("Номер заказа 4111 2222 3333").is_empty());
    }

    #[test]
    fn luhn_valid_slice_of_a_twenty_digit_account_is_not_a_card() {
        // 4111 1111 1111 1111 passes Luhn, but here it is the start of an account.
        assert!(kinds("Счёт 4111 1111 1111 1111 2222").is_empty());
    }

    #[test]
    fn iban_is_not_a_card_even_when_its_digits_pass_luhn() {
        assert!(kinds("IBAN GB12 4111 1111 1111 1111 00").is_empty());
    }

    #[test]
    fn card_glued_to_a_word_is_still_a_card() {
        assert_eq!(kinds("карта4111111111111111"), [PiiKind::Card]);
    }

    #[test]
    fn card_dictated_digit_by_digit_is_found() {
        assert_eq!(
            kinds("карта 4 2 7 6 5 2 6 0 1 8 1 5 9 0 8 0"),
            [PiiKind::Card]
        );
    }

    #[test]
    fn three_digits_after_a_card_are_its_cvv_but_the_expiry_is_not() {
        assert_eq!(
            found("Карта 4276 5260 1815 9080, срок 08/27, код 123"),
            [
                (PiiKind::Card, "4276 5260 1815 9080"),
                (PiiKind::Cvv, "123")
            ]
        );
    }

    #[test]
    fn cvv_phrase_marks_the_following_code() {
        assert_eq!(
            found("Назовите код с обратной стороны: 5 0 9"),
            [(PiiKind::Cvv, "5 0 9")]
        );
    }

    #[test]
    fn sms_code_after_a_card_is_not_a_cvv() {
        assert_eq!(
            kinds("Карта 4276 5260 1815 9080, код из СМС 123"),
            [PiiKind::Card]
        );
    }

    #[test]
    fn amount_after_a_card_is_not_a_cvv() {
        assert_eq!(
            kinds("С карты 4276 5260 1815 9080 списали 150 рублей"),
            [PiiKind::Card]
        );
    }

    #[test]
    fn phone_is_found_in_every_usual_grouping() {
        for phone in [
            "+7 (916) 123-45-67",
            "8 916 123 45 67",
            "89161234567",
            "+79161234567",
            "8-916-123-45-67",
            "8(495)123-45-67",
            "916 123-45-67",
        ] {
            let text = format!("Мой телефон {phone}, звоните");
            assert_eq!(found(&text), [(PiiKind::Phone, phone)], "{text}");
        }
    }

    #[test]
    fn eleven_digits_inside_a_longer_run_are_not_a_phone() {
        assert!(kinds("Код 1289161234567").is_empty());
        assert!(kinds("Номер 8 916 123 45 67 89").is_empty());
    }

    #[test]
    fn phone_missing_a_digit_is_not_a_phone() {
        assert!(kinds("Мой номер 8 916 123 45 6").is_empty());
    }

    #[test]
    fn order_number_shaped_like_a_phone_is_not_a_phone() {
        assert!(kinds("Номер заказа 89161234567").is_empty());
    }

    #[test]
    fn email_is_found_written_or_dictated() {
        assert_eq!(kinds("Почта ivan.petrov@mail.ru"), [PiiKind::Email]);
        assert_eq!(kinds("иванов собака яндекс точка ру"), [PiiKind::Email]);
        assert_eq!(kinds("john dot smith at gmail dot com"), [PiiKind::Email]);
    }

    #[test]
    fn passport_needs_a_context_word() {
        assert_eq!(kinds("Паспорт 4509 112233"), [PiiKind::Passport]);
        assert!(kinds("Номер договора 4509 112233").is_empty());
        assert!(kinds("Вот цифры 4509 112233").is_empty());
    }

    #[test]
    fn passport_series_and_number_may_be_split_by_words() {
        assert_eq!(
            found("Паспорт серия 45 06 номер 123456"),
            [(PiiKind::Passport, "45 06 номер 123456")]
        );
    }

    #[test]
    fn nearest_context_word_decides_between_passport_and_inn() {
        assert_eq!(
            kinds("Паспорт 4503123456, ИНН 7707083893"),
            [PiiKind::Passport, PiiKind::Inn]
        );
    }

    #[test]
    fn snils_in_printed_form_needs_only_a_valid_check() {
        assert_eq!(kinds("Вот: 112-233-445 95"), [PiiKind::Snils]);
    }

    #[test]
    fn snils_with_wrong_check_digits_is_neither_snils_nor_phone() {
        assert!(kinds("СНИЛС 868-282-880 81").is_empty());
        assert!(kinds("СНИЛС 010-242-368 00").is_empty());
    }

    #[test]
    fn plain_eleven_digits_are_snils_only_when_named() {
        assert_eq!(kinds("СНИЛС 11223344595"), [PiiKind::Snils]);
        assert!(kinds("Номер 11223344595").is_empty());
    }

    #[test]
    fn ten_digit_inn_needs_the_word_inn() {
        assert_eq!(kinds("ИНН организации 7707083893"), [PiiKind::Inn]);
        assert!(kinds("Заявка 7707083893").is_empty());
    }

    #[test]
    fn twelve_digit_inn_passes_on_its_checksum_alone() {
        assert_eq!(kinds("Вот мой номер 500100732259"), [PiiKind::Inn]);
    }

    #[test]
    fn inn_with_a_wrong_check_digit_is_ignored() {
        assert!(kinds("ИНН 123456789037").is_empty());
        assert!(kinds("ИНН 1234567895").is_empty());
    }

    #[test]
    fn order_context_overrides_a_valid_inn_checksum() {
        assert!(kinds("Номер заказа 500100732259").is_empty());
    }

    #[test]
    fn dates_times_amounts_and_codes_are_not_personal_data() {
        for text in [
            "Перевёл 120 000 рублей 12.03.2024 в 14:35",
            "С вас списали 1 250,50 руб.",
            "Трек-номер RA644000655RU",
            "Код из СМС 4821",
            "Индекс 125009, Москва",
        ] {
            assert!(kinds(text).is_empty(), "{text}");
        }
    }
}
