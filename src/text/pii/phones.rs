//! Phones beyond the Russian forms `detectors` reads: international
//! numbers after `+`, and local seven-digit numbers named as phones.

use super::context::{Context, Ctx};
use super::detectors::{standalone, Candidate, Span};
use super::PiiKind;

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
pub(super) fn local_phones(text: &str, runs: &[Span], ctx: &Context, out: &mut Vec<Candidate>) {
    for span in runs.iter().filter(|s| s.digits == 7 && !s.in_word) {
        let lens: Vec<usize> = text[span.range.clone()]
            .split([' ', '-'])
            .map(str::len)
            .collect();
        if matches!(lens[..], [3, 2, 2] | [3, 4])
            && ctx.nearest(span.range.start, span.range.end) == Some(Ctx::Phone)
        {
            out.push(Candidate {
                kind: PiiKind::Phone,
                range: span.range.clone(),
                score: 70,
            });
        }
    }
}
