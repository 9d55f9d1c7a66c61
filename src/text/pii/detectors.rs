//! Detectors: digit runs read as cards, phones, passports, СНИЛС and ИНН;
//! e-mails; CVV codes next to a card or a CVV phrase. Each proposes scored
//! candidates; [`super::detect`] settles overlaps.

use super::context::{re, Context, Ctx};
use super::{inn_valid, luhn_valid, snils_valid, PiiKind, PiiMatch};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// Digit groups joined by single spaces or hyphens: «4111 1111 1111 1111»,
/// «112-233-445 95», «8 916 123 45 67».
static RUN: LazyLock<Regex> = LazyLock::new(|| re(r"[0-9]+(?:[ \-][0-9]+)*"));

/// The same with comma pauses, as transcribed dictation often comes out
/// ("eight nine one six, one two three, …"); only read where a context word
/// names the number, since lists of small numbers look alike.
static LISTED_RUN: LazyLock<Regex> = LazyLock::new(|| re(r"[0-9]+(?:(?:, |[ \-])[0-9]+)*"));

struct Run {
    range: Range<usize>,
    groups: Vec<Range<usize>>,
    digits: String,
    /// Glued to a letter: part of a code such as an IBAN or «RA123…RU».
    in_word: bool,
}

impl Run {
    fn lens(&self) -> Vec<usize> {
        self.groups.iter().map(|g| g.len()).collect()
    }
}

/// How a run of digits touches the text around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Glue {
    Free,
    /// A letter, `_` or `@` directly before or after: «DE89…», «RA123…RU».
    Letter,
    /// `.`, `,`, `/` or `:` and another digit: dates, times, decimals.
    Number,
}

fn glue(text: &str, range: &Range<usize>) -> Glue {
    let before: Vec<char> = text[..range.start].chars().rev().take(2).collect();
    let after: Vec<char> = text[range.end..].chars().take(2).collect();
    let side = |s: &[char]| match s {
        ['.' | ',' | '/' | ':', d, ..] if d.is_ascii_digit() => Glue::Number,
        [c, ..] if c.is_alphabetic() || *c == '_' || *c == '@' => Glue::Letter,
        _ => Glue::Free,
    };
    match (side(&before), side(&after)) {
        (Glue::Number, _) | (_, Glue::Number) => Glue::Number,
        (Glue::Letter, _) | (_, Glue::Letter) => Glue::Letter,
        _ => Glue::Free,
    }
}

/// Runs of `pattern`, without those that are part of a date, time or decimal.
fn digit_runs(text: &str, pattern: &Regex) -> Vec<Run> {
    let mut runs = Vec::new();
    for m in pattern.find_iter(text) {
        let g = glue(text, &m.range());
        if g == Glue::Number {
            continue;
        }
        let mut groups = Vec::new();
        let mut start = None;
        for (i, b) in m.as_str().bytes().enumerate() {
            match (b.is_ascii_digit(), start) {
                (true, None) => start = Some(m.start() + i),
                (false, Some(s)) => {
                    groups.push(s..m.start() + i);
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            groups.push(s..m.end());
        }
        runs.push(Run {
            range: m.range(),
            groups,
            digits: m.as_str().chars().filter(char::is_ascii_digit).collect(),
            in_word: g == Glue::Letter,
        });
    }
    runs
}

// ---------------------------------------------------------------- candidates

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
            if g.len() == 1 || (usual && !continues) || dictated {
                return Some((i, j));
            }
        }
    }
    None
}

/// «4111.1111.1111.1111», as some chat users type it; dates and versions
/// never have four 4-digit groups.
static DOTTED_CARD: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b[0-9]{4}\.[0-9]{4}\.[0-9]{4}\.[0-9]{4}\b"));

/// Russian numbering: the first digit of the ten-digit national number is
/// 3, 4, 8 or 9 (5–7 are Kazakhstan's +7 numbers, kept as phones too).
fn national_ok(digits: &str) -> bool {
    let national = if digits.len() == 11 {
        &digits[1..]
    } else {
        digits
    };
    national.len() == 10 && matches!(national.as_bytes()[0], b'3'..=b'9')
}

fn run_candidates(text: &str, run: &Run, ctx: &Context, out: &mut Vec<Candidate>) {
    let near = ctx.nearest(text, run.range.start, run.range.end);
    let lens = run.lens();
    let d = run.digits.as_str();
    let mut push = |kind, range, score| out.push(Candidate { kind, range, score });
    // A whole 13–19 digit block is masked even inside a word («карта4111…»):
    // a leaked card costs more than a hidden code.
    if run.in_word && run.groups.len() > 1 {
        return;
    }
    if let Some((i, j)) = card_in_run(run) {
        push(PiiKind::Card, run.groups[i].start..run.groups[j].end, 90);
    }
    if run.in_word {
        return;
    }
    let whole = run.range.clone();
    // The printed form 123-456-789 01 speaks for itself; plain digits need «СНИЛС».
    let snils_named = near == Some(Ctx::Snils);
    let snils_shaped = lens == [3, 3, 3, 2] && near != Some(Ctx::Other);
    if d.len() == 11 && (snils_shaped || snils_named) && snils_valid(d) {
        push(PiiKind::Snils, whole.clone(), 80);
    }
    // Grouped 11-digit numbers read as phones unless shaped or named as
    // another identifier («СНИЛС 868-282-880 81» with a wrong check).
    let other_id = matches!(near, Some(Ctx::Snils | Ctx::Inn | Ctx::Passport));
    let phone_shape = !other_id
        && match d.len() {
            11 => lens.len() >= 2 && lens != [3, 3, 3, 2] && matches!(d.as_bytes()[0], b'7' | b'8'),
            10 => d.starts_with('9') && (lens == [3, 3, 2, 2] || near == Some(Ctx::Phone)),
            _ => false,
        };
    if phone_shape && national_ok(d) {
        push(PiiKind::Phone, whole.clone(), 70);
    }
    let foreign_passport = d.len() == 9 && lens.len() == 2 && lens[0] == 2;
    if near == Some(Ctx::Passport) && (d.len() == 10 || foreign_passport) {
        push(PiiKind::Passport, whole.clone(), 60);
    }
    let inn_context = match d.len() {
        10 => near == Some(Ctx::Inn),
        12 => near != Some(Ctx::Other),
        _ => false,
    };
    if inn_context && inn_valid(d) {
        push(PiiKind::Inn, whole, 50);
    }
}

/// Phones in the usual written forms, including parentheses and «+7».
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:(?:\+|плюс |plus )?7|8)[ \-]?(?:\( ?[0-9]{3} ?\)|[0-9]{3})[ \-]?[0-9]{3}[ \-]?[0-9]{2}[ \-]?[0-9]{2}|\([0-9]{3}\) ?[0-9]{3}[ \-]?[0-9]{2}[ \-]?[0-9]{2}",
    )
});

/// A phone must be a whole number: not preceded or followed by more digits,
/// directly or after one space or hyphen (that would make it an 11-digit
/// slice of a longer run).
fn standalone(text: &str, range: &Range<usize>) -> bool {
    let before: Vec<char> = text[..range.start].chars().rev().take(2).collect();
    let after: Vec<char> = text[range.end..].chars().take(2).collect();
    let touches = |side: &[char]| match side {
        [c, ..] if c.is_alphanumeric() => true,
        [' ' | '-', d, ..] => d.is_ascii_digit(),
        _ => false,
    };
    !touches(&before) && !touches(&after)
}

fn phone_candidates(text: &str, ctx: &Context, out: &mut Vec<Candidate>) {
    let mut pos = 0;
    while let Some(m) = PHONE.find_at(text, pos) {
        let digits: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
        let contiguous = m
            .as_str()
            .trim_start_matches('+')
            .bytes()
            .all(|b| b.is_ascii_digit());
        let other = ctx.nearest(text, m.start(), m.end()) == Some(Ctx::Other);
        if standalone(text, &m.range()) && national_ok(&digits) && !(contiguous && other) {
            out.push(Candidate {
                kind: PiiKind::Phone,
                range: m.range(),
                score: 70,
            });
            pos = m.end();
        } else {
            pos = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
        }
    }
}

/// «серия 4506 номер 123456», «45 06 № 123456», "series 45 06 and the number is
/// 123456", or dictated «45 0 6 номер 1 2 3 4 5 6».
static PASSPORT_GAP: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^[ ,:]*(?:(?:№|номер|number|no\.?|and|the|is|а|и)[ ,:]*){0,4}$"));

fn passport_pairs(text: &str, runs: &[Run], ctx: &Context, out: &mut Vec<Candidate>) {
    for pair in runs.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.digits.len() == 4
            && b.digits.len() == 6
            && PASSPORT_GAP.is_match(&text[a.range.end..b.range.start])
            && ctx.nearest(text, a.range.start, a.range.end) == Some(Ctx::Passport)
        {
            out.push(Candidate {
                kind: PiiKind::Passport,
                range: a.range.start..b.range.end,
                score: 60,
            });
        }
    }
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}|\b[\p{L}\p{N}_\-]+(?: (?:точка|dot) [\p{L}\p{N}_\-]+)* (?:собака|собачка|at) [\p{L}\p{N}\-]+(?:(?: (?:точка|dot) |\.)[\p{L}\p{N}\-]+)*(?: (?:точка|dot) |\.)(?:ru|ру|com|ком|net|org|рф|su|info|io|biz|me|uk|de|by|kz|ua|edu|gov)\b",
    )
});

// ---------------------------------------------------------------- CVV

/// Amounts and durations are not codes: «150 рублей», "120 minutes".
static UNIT_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^ ?(?:руб|р\.|₽|\$|€|%|usd|eur|rub|евро|доллар|процент|тыс|штук|шт\b|минут|мин\b|час|сек|дн|день|дня|лет\b|год|раз\b|dollar|rouble|ruble|pound|minute|hour|day|year|times|item|percent|km|км\b|кг\b|kg\b)",
    )
});

/// The first code-shaped number starting within `window` characters after
/// `from`: a 3-digit (or, when `four` allows, 4-digit) group, the same
/// dictated digit by digit, or such a tail after an expiry date.
fn code_after(
    text: &str,
    ctx: &Context,
    from: usize,
    window: usize,
    four: bool,
) -> Option<Range<usize>> {
    let sizes: &[usize] = if four { &[3, 4] } else { &[3] };
    let mut pos = from;
    while let Some(m) = RUN.find_at(text, pos) {
        pos = m.end();
        if text[from..m.start()].chars().count() > window
            || ctx.foreign_between(from..m.start(), &[Ctx::Card, Ctx::Cvv])
        {
            return None;
        }
        if glue(text, &m.range()) != Glue::Free || UNIT_AFTER.is_match(&text[m.end()..]) {
            continue;
        }
        let groups: Vec<_> = m.as_str().split([' ', '-']).map(str::len).collect();
        let total: usize = groups.iter().sum();
        if total > 8 {
            return None;
        }
        // Try the whole number, then tails after a 3–4 digit expiry date.
        for k in 0..groups.len() {
            let head: usize = groups[..k].iter().sum();
            let tail = &groups[k..];
            // «123», «1 2 3», «12 3» (двенадцать три); never «12 25», an expiry.
            let code_shape = tail.len() == 1
                || tail.iter().all(|&l| l == 1)
                || (tail.len() == 2 && tail.iter().sum::<usize>() == 3);
            if (k == 0 || (3..=4).contains(&head)) && code_shape && sizes.contains(&(total - head))
            {
                let start = m.start() + groups[..k].iter().map(|l| l + 1).sum::<usize>();
                return Some(start..m.end());
            }
        }
    }
    None
}

/// CVV right after a card (within 60 characters) or after a CVV phrase.
pub(super) fn cvv_candidates(text: &str, ctx: &Context, chosen: &[PiiMatch]) -> Vec<Candidate> {
    let cards = chosen.iter().filter(|m| m.kind == PiiKind::Card).map(|m| {
        let amex = text[m.start..m.end]
            .bytes()
            .filter(u8::is_ascii_digit)
            .count()
            == 15;
        code_after(text, ctx, m.end, 60, amex)
    });
    let phrases = ctx
        .words
        .iter()
        .filter(|(_, c)| *c == Ctx::Cvv)
        .map(|(r, _)| code_after(text, ctx, r.end, 40, true));
    cards
        .chain(phrases)
        .flatten()
        .map(|range| Candidate {
            kind: PiiKind::Cvv,
            range,
            score: 40,
        })
        .collect()
}

/// All candidates except CVV, which depends on the cards chosen first.
pub(super) fn candidates(text: &str, ctx: &Context) -> Vec<Candidate> {
    let runs = digit_runs(text, &RUN);
    let mut cands: Vec<Candidate> = EMAIL
        .find_iter(text)
        .map(|m| Candidate {
            kind: PiiKind::Email,
            range: m.range(),
            score: 100,
        })
        .collect();
    for run in &runs {
        run_candidates(text, run, ctx, &mut cands);
    }
    for run in digit_runs(text, &LISTED_RUN) {
        let named = matches!(
            ctx.nearest(text, run.range.start, run.range.end),
            Some(Ctx::Card | Ctx::Phone | Ctx::Passport | Ctx::Snils | Ctx::Inn)
        );
        if named
            && text[run.range.clone()].contains(", ")
            && run.groups.iter().all(|g| g.len() <= 4)
        {
            run_candidates(text, &run, ctx, &mut cands);
        }
    }
    cands.extend(
        DOTTED_CARD
            .find_iter(text)
            .filter(|m| luhn_valid(&m.as_str().replace('.', "")))
            .map(|m| Candidate {
                kind: PiiKind::Card,
                range: m.range(),
                score: 90,
            }),
    );
    phone_candidates(text, ctx, &mut cands);
    passport_pairs(text, &runs, ctx, &mut cands);
    cands
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
