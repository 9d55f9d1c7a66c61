//! Digit runs: groups of digits joined by single spaces or hyphens (or, for
//! dictation, comma pauses), and how each touches the text around it. Cards,
//! identity numbers, local phones and CVV codes are read from these runs.

use std::ops::Range;

/// How digit groups may be joined into one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Joins {
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
pub(super) fn run_at(text: &str, from: usize, joins: Joins) -> Option<Range<usize>> {
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
pub(super) fn runs_of(text: &str, joins: Joins) -> impl Iterator<Item = Range<usize>> + '_ {
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

pub(super) struct Run {
    pub(super) range: Range<usize>,
    pub(super) groups: Vec<Range<usize>>,
    pub(super) digits: String,
    pub(super) in_word: bool,
}

impl Run {
    pub(super) fn read(text: &str, span: &Span) -> Run {
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

    pub(super) fn lens(&self) -> Vec<usize> {
        self.groups.iter().map(|g| g.len()).collect()
    }
}

/// How a run of digits touches the text around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Glue {
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
pub(super) fn sides(text: &str, range: &Range<usize>) -> [(Option<char>, Option<char>); 2] {
    [
        two(text[..range.start].chars().rev()),
        two(text[range.end..].chars()),
    ]
}

pub(super) fn glue(text: &str, range: &Range<usize>) -> Glue {
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
pub(super) fn digit_runs(text: &str, joins: Joins) -> Vec<Span> {
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

/// The run scanners against the regexes they replace.
#[cfg(test)]
mod scanners {
    use super::super::chars::testgen;
    use super::super::context::re;
    use super::*;

    const RUN: &str = r"[0-9]+(?:[ \-][0-9]+)*";
    const LISTED_RUN: &str = r"[0-9]+(?:(?:, |[ \-])[0-9]+)*";

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
}
