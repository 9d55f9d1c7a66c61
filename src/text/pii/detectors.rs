//! Detectors: digit runs read as cards, phones, passports, СНИЛС and ИНН;
//! e-mails; CVV codes next to a card or a CVV phrase. Each proposes scored
//! candidates; [`super::detect`] settles overlaps.

use super::chars::{self, boundary, Piece};
use super::context::{re, Context, Ctx};
use super::{inn_valid, luhn_valid, snils_valid, PiiKind, PiiMatch};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// How digit groups may be joined into one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Joins {
    /// Single spaces or hyphens: «4111 1111 1111 1111», «112-233-445 95»,
    /// «8 916 123 45 67» (the regex `[0-9]+(?:[ \-][0-9]+)*`).
    Plain,
    /// Also comma pauses, as transcribed dictation often comes out ("eight
    /// nine one six, one two three, …"); only read where a context word names
    /// the number, since lists of small numbers look alike (the regex
    /// `[0-9]+(?:(?:, |[ \-])[0-9]+)*`).
    Listed,
}

/// The first run of digit groups starting at or after `from`: what
/// `find_at` of the regex in [`Joins`] returns, found without a regex.
fn run_at(text: &str, from: usize, joins: Joins) -> Option<Range<usize>> {
    let b = text.as_bytes();
    let start = from + b.get(from..)?.iter().position(u8::is_ascii_digit)?;
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut i = start;
    loop {
        while digit(i) {
            i += 1;
        }
        match b.get(i) {
            Some(b' ' | b'-') if digit(i + 1) => i += 1,
            Some(b',') if joins == Joins::Listed && b.get(i + 1) == Some(&b' ') && digit(i + 2) => {
                i += 2
            }
            _ => return Some(start..i),
        }
    }
}

/// Every run of `text`, in order (the regex's `find_iter`).
fn runs_of(text: &str, joins: Joins) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        let r = run_at(text, pos, joins)?;
        pos = r.end;
        Some(r)
    })
}

/// A run of digit groups as found: only the few runs long enough to be
/// personal data are spelled out as a [`Run`].
pub(super) struct Span {
    pub(super) range: Range<usize>,
    pub(super) digits: usize,
    /// Glued to a letter: part of a code such as an IBAN or «RA123…RU».
    pub(super) in_word: bool,
}

struct Run {
    range: Range<usize>,
    groups: Vec<Range<usize>>,
    digits: String,
    in_word: bool,
}

impl Run {
    fn read(text: &str, span: &Span) -> Run {
        let range = span.range.clone();
        let s = &text[range.clone()];
        // Groups alternate with one-byte (or ", ") separators.
        let mut groups = Vec::with_capacity(s.len().div_ceil(2));
        let mut start = None;
        for (i, b) in s.bytes().enumerate() {
            match (b.is_ascii_digit(), start) {
                (true, None) => start = Some(range.start + i),
                (false, Some(s)) => {
                    groups.push(s..range.start + i);
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            groups.push(s..range.end);
        }
        let mut digits = String::with_capacity(span.digits);
        digits.extend(s.chars().filter(char::is_ascii_digit));
        Run {
            range,
            groups,
            digits,
            in_word: span.in_word,
        }
    }

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

/// The first two characters of `chars`.
fn two(mut chars: impl Iterator<Item = char>) -> (Option<char>, Option<char>) {
    (chars.next(), chars.next())
}

/// The two characters before `range` (nearest first) and the two after it.
fn sides(text: &str, range: &Range<usize>) -> [(Option<char>, Option<char>); 2] {
    [
        two(text[..range.start].chars().rev()),
        two(text[range.end..].chars()),
    ]
}

fn glue(text: &str, range: &Range<usize>) -> Glue {
    let [before, after] = sides(text, range);
    let side = |s: (Option<char>, Option<char>)| match s {
        (Some('.' | ',' | '/' | ':'), Some(d)) if d.is_ascii_digit() => Glue::Number,
        (Some(c), _) if c.is_alphabetic() || c == '_' || c == '@' => Glue::Letter,
        _ => Glue::Free,
    };
    match (side(before), side(after)) {
        (Glue::Number, _) | (_, Glue::Number) => Glue::Number,
        (Glue::Letter, _) | (_, Glue::Letter) => Glue::Letter,
        _ => Glue::Free,
    }
}

/// Runs of digit groups, without those that are part of a date, time or decimal.
fn digit_runs(text: &str, joins: Joins) -> Vec<Span> {
    let mut runs = Vec::new();
    for range in runs_of(text, joins) {
        let g = glue(text, &range);
        if g == Glue::Number {
            continue;
        }
        runs.push(Span {
            digits: text[range.clone()]
                .bytes()
                .filter(u8::is_ascii_digit)
                .count(),
            in_word: g == Glue::Letter,
            range,
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

/// Every reading of [`run_candidates`] needs at least this many digits (a
/// foreign passport); shorter runs are never read.
const MIN_DIGITS: usize = 9;

fn run_candidates(run: &Run, ctx: &Context, out: &mut Vec<Candidate>) {
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

/// How a phone may start, in the regex's order of preference.
const PHONE_OPENINGS: [&str; 5] = ["+7", "плюс 7", "plus 7", "7", "8"];

/// The end of a phone in one of the usual written forms (parentheses, «+7»)
/// starting at `at`: what the case-insensitive regex
/// `(?:(?:\+|плюс |plus )?7|8)[ \-]?(?:\( ?[0-9]{3} ?\)|[0-9]{3})[ \-]?[0-9]{3}[ \-]?[0-9]{2}[ \-]?[0-9]{2}`
/// `|\([0-9]{3}\) ?[0-9]{3}[ \-]?[0-9]{2}[ \-]?[0-9]{2}` matches there. Its
/// choices are all forced: the openings exclude each other by their first
/// character, and skipping an optional space, hyphen or parenthesis that is
/// there leaves a character that the next digit group cannot match.
fn phone_at(text: &str, at: usize) -> Option<usize> {
    let b = text.as_bytes();
    let digits = |i: usize, n: usize| {
        b.get(i..i + n)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
            .then_some(i + n)
    };
    let byte = |i: usize, c: u8| (b.get(i) == Some(&c)).then_some(i + 1);
    let optional = |i: usize, cs: &[u8]| b.get(i).filter(|c| cs.contains(c)).map_or(i, |_| i + 1);
    let sep = |i: usize| optional(i, b" -");
    let tail = |i: usize| {
        let i = digits(i, 3)?;
        let i = digits(sep(i), 2)?;
        digits(sep(i), 2)
    };
    if b.get(at) == Some(&b'(') {
        let i = digits(at + 1, 3)?;
        let i = byte(i, b')')?;
        return tail(optional(i, b" "));
    }
    // The openings start with different characters: at most one can match.
    let open = match b.get(at..) {
        Some([b'+', ..]) => PHONE_OPENINGS[0],
        Some([0xD0, 0xBF | 0x9F, ..]) => PHONE_OPENINGS[1], // «п», «П»
        Some([b'p' | b'P', ..]) => PHONE_OPENINGS[2],
        Some([b'7', ..]) => PHONE_OPENINGS[3],
        Some([b'8', ..]) => PHONE_OPENINGS[4],
        _ => return None,
    };
    let i = chars::match_folded(text, at, open)?;
    let i = sep(i);
    let i = if b.get(i) == Some(&b'(') {
        let i = digits(optional(i + 1, b" "), 3)?;
        byte(optional(i, b" "), b')')?
    } else {
        digits(i, 3)?
    };
    tail(sep(i))
}

/// The first phone starting at or after `from` (the regex's `find_at`).
fn phone_from(text: &str, from: usize) -> Option<Range<usize>> {
    // Only these bytes start a phone: `+`, `(`, 7, 8, p, P, and 0xD0 of «п», «П».
    text.as_bytes()[from..]
        .iter()
        .enumerate()
        .filter(|(_, b)| matches!(b, b'+' | b'(' | b'7' | b'8' | b'p' | b'P' | 0xD0))
        .find_map(|(i, _)| phone_at(text, from + i).map(|end| from + i..end))
}

/// A phone must be a whole number: not preceded or followed by more digits,
/// directly or after one space or hyphen (that would make it an 11-digit
/// slice of a longer run).
pub(super) fn standalone(text: &str, range: &Range<usize>) -> bool {
    let touches = |side: (Option<char>, Option<char>)| match side {
        (Some(c), _) if c.is_alphanumeric() => true,
        (Some(' ' | '-'), Some(d)) => d.is_ascii_digit(),
        _ => false,
    };
    let [before, after] = sides(text, range);
    !touches(before) && !touches(after)
}

/// Every phone has at least ten digits.
const PHONE_DIGITS: usize = 10;

fn phone_candidates(text: &str, ctx: &Context, out: &mut Vec<Candidate>) {
    if text.contains('+') {
        super::phones::international_phones(text, out);
    }
    // Most texts have too few digits for a phone.
    if text.bytes().filter(u8::is_ascii_digit).count() < PHONE_DIGITS {
        return;
    }
    let mut pos = 0;
    while let Some(m) = phone_from(text, pos) {
        let span = &text[m.clone()];
        let digits: String = span.chars().filter(char::is_ascii_digit).collect();
        let contiguous = span
            .trim_start_matches('+')
            .bytes()
            .all(|b| b.is_ascii_digit());
        let other = || ctx.nearest(m.start, m.end) == Some(Ctx::Other);
        if standalone(text, &m) && national_ok(&digits) && !(contiguous && other()) {
            pos = m.end;
            out.push(Candidate {
                kind: PiiKind::Phone,
                range: m,
                score: 70,
            });
        } else {
            pos = m.start + text[m.start..].chars().next().map_or(1, char::len_utf8);
        }
    }
}

/// «серия 4506 номер 123456», «45 06 № 123456», "series 45 06 and the number is
/// 123456", or dictated «45 0 6 номер 1 2 3 4 5 6».
static PASSPORT_GAP: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^[ ,:]*(?:(?:№|номер|number|no\.?|and|the|is|а|и)[ ,:]*){0,4}$"));

fn passport_pairs(text: &str, runs: &[Span], ctx: &Context, out: &mut Vec<Candidate>) {
    for pair in runs.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.digits == 4
            && b.digits == 6
            && PASSPORT_GAP.is_match(&text[a.range.end..b.range.start])
            && ctx.nearest(a.range.start, a.range.end) == Some(Ctx::Passport)
        {
            out.push(Candidate {
                kind: PiiKind::Passport,
                range: a.range.start..b.range.end,
                score: 60,
            });
        }
    }
}

// ---------------------------------------------------------------- CVV

/// Amounts and durations are not codes: «150 рублей», "120 minutes". The
/// alternatives of the case-insensitive regex `^ ?(?:руб|р\.|…)`.
#[rustfmt::skip]
const UNITS: &[&str] = &[
    "руб", "р.", "₽", "$", "€", "%", "usd", "eur", "rub", "евро", "доллар", "процент", "тыс",
    "штук", r"шт\b", "минут", r"мин\b", "час", "сек", "дн", "день", "дня", r"лет\b", "год",
    r"раз\b", "dollar", "rouble", "ruble", "pound", "minute", "hour", "day", "year", "times",
    "item", "percent", "km", r"км\b", r"кг\b", r"kg\b",
];

static UNIT_PIECES: LazyLock<Vec<Vec<Piece>>> =
    LazyLock::new(|| UNITS.iter().map(|u| chars::pieces(u)).collect());

/// Whether a unit follows at `at` (after at most one space).
fn unit_after(text: &str, at: usize) -> bool {
    // No unit starts with a space, so `^ ?` is: skip one if there is one.
    let at = if text[at..].starts_with(' ') {
        at + 1
    } else {
        at
    };
    UNIT_PIECES
        .iter()
        .any(|p| chars::match_pieces(text, at, p).is_some())
}

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
    while let Some(m) = run_at(text, pos, Joins::Plain) {
        pos = m.end;
        if text[from..m.start].chars().count() > window
            || ctx.foreign_between(from..m.start, &[Ctx::Card, Ctx::Cvv])
        {
            return None;
        }
        if glue(text, &m) != Glue::Free || unit_after(text, m.end) {
            continue;
        }
        let groups: Vec<_> = text[m.clone()].split([' ', '-']).map(str::len).collect();
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
                let start = m.start + groups[..k].iter().map(|l| l + 1).sum::<usize>();
                return Some(start..m.end);
            }
        }
    }
    None
}

/// CVV right after a card (within 60 characters) or after a CVV phrase.
pub(super) fn cvv_candidates(text: &str, ctx: &Context, chosen: &[PiiMatch]) -> Vec<Candidate> {
    // A code has three digits or more, and a run found from inside another
    // has no more digits than the whole: without a card or such a run, there
    // is no need to look for CVV phrases.
    let code_digits = |r: Range<usize>| text[r].bytes().filter(u8::is_ascii_digit).count() >= 3;
    if !chosen.iter().any(|m| m.kind == PiiKind::Card)
        && !runs_of(text, Joins::Plain).any(code_digits)
    {
        return Vec::new();
    }
    let cards = chosen.iter().filter(|m| m.kind == PiiKind::Card).map(|m| {
        let amex = text[m.start..m.end]
            .bytes()
            .filter(u8::is_ascii_digit)
            .count()
            == 15;
        code_after(text, ctx, m.end, 60, amex)
    });
    let phrases = ctx
        .words()
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
pub(super) fn candidates(text: &str, ctx: &Context) -> Vec<Candidate> {
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
                    Some(Ctx::Card | Ctx::Phone | Ctx::Passport | Ctx::Snils | Ctx::Inn)
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

/// The scanners above against the regexes they replace.
#[cfg(test)]
mod scanners {
    use super::super::chars::testgen;
    use super::*;

    const RUN: &str = r"[0-9]+(?:[ \-][0-9]+)*";
    const LISTED_RUN: &str = r"[0-9]+(?:(?:, |[ \-])[0-9]+)*";
    const DOTTED_CARD: &str = r"\b[0-9]{4}\.[0-9]{4}\.[0-9]{4}\.[0-9]{4}\b";
    const UNIT_AFTER: &str = r"(?i)^ ?(?:руб|р\.|₽|\$|€|%|usd|eur|rub|евро|доллар|процент|тыс|штук|шт\b|минут|мин\b|час|сек|дн|день|дня|лет\b|год|раз\b|dollar|rouble|ruble|pound|minute|hour|day|year|times|item|percent|km|км\b|кг\b|kg\b)";

    const DIGITS: [&str; 12] = [
        "1", "23", "4111", "0", "56789", "4111", "1111", "12", "7", "2024", "9", "05",
    ];

    #[test]
    fn runs_are_what_the_run_regexes_find_from_any_position() {
        for (joins, pattern) in [(Joins::Plain, RUN), (Joins::Listed, LISTED_RUN)] {
            let regex = re(pattern);
            for text in testgen::texts(&DIGITS, 3000, 8, 11) {
                for from in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                    let expected = regex.find_at(&text, from).map(|m| m.range());
                    assert_eq!(run_at(&text, from, joins), expected, "{text:?} from {from}");
                }
                let all: Vec<_> = regex.find_iter(&text).map(|m| m.range()).collect();
                assert_eq!(runs_of(&text, joins).collect::<Vec<_>>(), all, "{text:?}");
            }
        }
    }

    const PHONE: &str = r"(?i)(?:(?:\+|плюс |plus )?7|8)[ \-]?(?:\( ?[0-9]{3} ?\)|[0-9]{3})[ \-]?[0-9]{3}[ \-]?[0-9]{2}[ \-]?[0-9]{2}|\([0-9]{3}\) ?[0-9]{3}[ \-]?[0-9]{2}[ \-]?[0-9]{2}";

    #[test]
    fn phones_are_what_the_phone_regex_finds_from_any_position() {
        let regex = re(PHONE);
        #[rustfmt::skip]
        let vocab = [
            "8", "7", "+7", "+", "плюс", "plus", "916", "123", "45", "67", "(", ")", "(916)",
            "( 916 )", "495", "1", "12", "89161234567", "9161234567", "8 916 123 45 67",
            "+7 (916) 123-45-67", "(916) 123-45-67", "8(495)123-45-67", "плюс 7", "plus 7", "п",
        ];
        for text in testgen::texts(&vocab, 4000, 9, 15) {
            for from in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let expected = regex.find_at(&text, from).map(|m| m.range());
                assert_eq!(phone_from(&text, from), expected, "{text:?} from {from}");
            }
        }
    }

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

    #[test]
    fn units_and_phone_openings_are_written_in_folded_form() {
        // `chars::match_folded` relies on it.
        for unit in UNITS {
            let lit = unit.trim_end_matches(r"\b");
            assert!(testgen::folded_literal(lit), "{unit}");
        }
        for open in PHONE_OPENINGS {
            assert!(testgen::folded_literal(open), "{open}");
        }
    }

    #[test]
    fn units_are_what_the_unit_regex_finds() {
        let regex = re(UNIT_AFTER);
        let mut vocab: Vec<&str> = UNITS.iter().map(|u| u.trim_end_matches(r"\b")).collect();
        vocab.extend(["лей", "ки", "а", "s", "1", "р", "шту", "дне"]);
        for text in testgen::texts(&vocab, 3000, 3, 13) {
            for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let expected = regex.is_match(&text[at..]);
                assert_eq!(unit_after(&text, at), expected, "{text:?} at {at}");
            }
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
