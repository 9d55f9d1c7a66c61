//! Phones: the Russian written forms («+7 (916) 123-45-67», «8 916 123 45
//! 67»), international numbers after `+`, and local seven-digit numbers named
//! as phones. (Grouped digit runs read as phones are in `detectors`, beside
//! the other readings of the same digits.)

use super::chars;
use super::context::{Cue, Cues};
use super::detectors::Candidate;
use super::runs::{sides, Span};
use super::PiiKind;
use std::ops::Range;

/// Russian numbering: the first digit of the ten-digit national number is
/// 3, 4, 8 or 9 (5–7 are Kazakhstan's +7 numbers, kept as phones too).
pub(super) fn national_ok(digits: &str) -> bool {
    let national = if digits.len() == 11 {
        &digits[1..]
    } else {
        digits
    };
    national.len() == 10 && matches!(national.as_bytes()[0], b'3'..=b'9')
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

pub(super) fn phone_candidates(text: &str, ctx: &Cues, out: &mut Vec<Candidate>) {
    if text.contains('+') {
        international_phones(text, out);
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
        let other = || ctx.nearest(m.start, m.end) == Some(Cue::Other);
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

/// An international number: `+`, a country code and groups of digits
/// separated by single spaces, hyphens or parentheses, 10 to 15 digits in
/// all (E.164): «+44 20 7946 0958», «+1 (212) 555-0199», «+380 44 123 4567».
pub(super) fn international_phones(text: &str, out: &mut Vec<Candidate>) {
    let b = text.as_bytes();
    for (at, _) in text.match_indices('+') {
        let mut i = at + 1;
        let mut digits = 0;
        let mut end = i;
        while let Some(&c) = b.get(i) {
            match c {
                b'0'..=b'9' => {
                    digits += 1;
                    i += 1;
                    end = i;
                }
                b' ' | b'-' | b'(' | b')'
                    if b.get(i + 1)
                        .is_some_and(|n| n.is_ascii_digit() || *n == b'(') =>
                {
                    i += 1
                }
                b')' => i += 1,
                _ => break,
            }
        }
        // The first character after `+` is a digit; a longer run is not a phone.
        let first_digit = b.get(at + 1).is_some_and(u8::is_ascii_digit);
        if first_digit && (10..=15).contains(&digits) && standalone(text, &(at..end)) {
            out.push(Candidate {
                kind: PiiKind::Phone,
                range: at..end,
                score: 70,
            });
        }
    }
}

/// A local number «555-12-34» (or «555 1234») is a phone when the nearest
/// context word says so: «телефон 555-12-34».
pub(super) fn local_phones(text: &str, runs: &[Span], ctx: &Cues, out: &mut Vec<Candidate>) {
    for span in runs.iter().filter(|s| s.digits == 7 && !s.in_word) {
        let lens: Vec<usize> = text[span.range.clone()]
            .split([' ', '-'])
            .map(str::len)
            .collect();
        if matches!(lens[..], [3, 2, 2] | [3, 4])
            && ctx.nearest(span.range.start, span.range.end) == Some(Cue::Phone)
        {
            out.push(Candidate {
                kind: PiiKind::Phone,
                range: span.range.clone(),
                score: 70,
            });
        }
    }
}

/// The phone scanner against the regex it replaces.
#[cfg(test)]
mod scanners {
    use super::super::chars::testgen;
    use super::super::context::re;
    use super::*;

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
    fn phone_openings_are_written_in_folded_form() {
        // `chars::match_folded` relies on it.
        for open in PHONE_OPENINGS {
            assert!(testgen::folded_literal(open), "{open}");
        }
    }
}
