//! CVV codes: a three- or four-digit code right after a card or after a
//! phrase naming it («код с обратной стороны»), never an amount or a duration.

use super::chars::{self, Piece};
use super::context::{Cue, Cues};
use super::detectors::Candidate;
use super::runs::{glue, run_at, runs_of, Glue, Joins};
use super::{PiiKind, PiiMatch};
use std::ops::Range;
use std::sync::LazyLock;

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
    ctx: &Cues,
    from: usize,
    window: usize,
    four: bool,
) -> Option<Range<usize>> {
    let sizes: &[usize] = if four { &[3, 4] } else { &[3] };
    let mut pos = from;
    while let Some(m) = run_at(text, pos, Joins::Plain) {
        pos = m.end;
        if text[from..m.start].chars().count() > window
            || ctx.foreign_between(from..m.start, &[Cue::Card, Cue::Cvv])
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
pub(super) fn cvv_candidates(text: &str, ctx: &Cues, chosen: &[PiiMatch]) -> Vec<Candidate> {
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
        .filter(|(_, c)| *c == Cue::Cvv)
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

/// The unit scanner against the regex it replaces.
#[cfg(test)]
mod scanners {
    use super::super::chars::testgen;
    use super::super::context::re;
    use super::*;

    const UNIT_AFTER: &str = r"(?i)^ ?(?:руб|р\.|₽|\$|€|%|usd|eur|rub|евро|доллар|процент|тыс|штук|шт\b|минут|мин\b|час|сек|дн|день|дня|лет\b|год|раз\b|dollar|rouble|ruble|pound|minute|hour|day|year|times|item|percent|km|км\b|кг\b|kg\b)";

    #[test]
    fn units_are_written_in_folded_form() {
        // `chars::match_folded` relies on it.
        for unit in UNITS {
            let lit = unit.trim_end_matches(r"\b");
            assert!(testgen::folded_literal(lit), "{unit}");
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
