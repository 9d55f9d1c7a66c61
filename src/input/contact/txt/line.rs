//! One line of a transcript's body: a turn with its time and speaker label,
//! a continuation, or a time stamp or label cqa refuses to guess at.

use crate::input::contact::{fields, Speaker};

/// What one line of a transcript is.
pub(super) enum Line<'a> {
    Turn {
        speaker: Speaker,
        start: Option<f64>,
        end: Option<f64>,
        text: String,
    },
    TimedUnknown(&'a str),
    /// `[…]` that looks like a time and is not one (`[-1:00]`, `[99:99]`),
    /// brackets included: read as text it would glue a customer's words to
    /// the agent's turn.
    BadTime(&'a str),
    TimedNoSpeaker,
    Plain(&'a str),
}

pub(super) fn parse_line(raw: &str) -> Line<'_> {
    let line = raw.trim();
    let (times, rest) = match time_prefix(line) {
        Some((s, e, rest)) => (Some((s, e)), rest.trim_start()),
        None => match time_like(line).or_else(|| stamp_before_label(line)) {
            Some(inner) => return Line::BadTime(inner),
            None => (None, aside_before_label(line).unwrap_or(line)),
        },
    };
    let labelled = rest.split_once(':').and_then(|(label, text)| {
        let label = label.trim();
        let plausible = !label.is_empty()
            && label.chars().count() <= 40
            && label.split_whitespace().count() <= 4;
        plausible.then_some((label, text))
    });
    match (times, labelled) {
        (t, Some((label, text))) => match label_speaker(label) {
            Some(speaker) => Line::Turn {
                speaker,
                start: t.map(|(s, _)| s),
                end: t.and_then(|(_, e)| e),
                text: text.trim().to_string(),
            },
            None if t.is_some() => Line::TimedUnknown(label),
            None => Line::Plain(line),
        },
        (Some(_), None) => Line::TimedNoSpeaker,
        (None, None) => Line::Plain(line),
    }
}

/// A speaker label, optionally with a name or number: «Оператор (Мария)», «Клиент 2».
pub(super) fn label_speaker(label: &str) -> Option<Speaker> {
    let base = label.split(['(', '[']).next().unwrap_or(label);
    let base = base
        .trim()
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == '#' || c == ' ');
    fields::speaker_label(base)
}

/// `[mm:ss]`, `[hh:mm:ss]` (fractions allowed) or a range `[a - b]`, then the rest.
fn time_prefix(line: &str) -> Option<(f64, Option<f64>, &str)> {
    let inner_end = line.strip_prefix('[')?.find(']')? + 1;
    let inner = &line[1..inner_end];
    let rest = &line[inner_end + 1..];
    let clock = strict_clock;
    if let Some(s) = clock(inner) {
        return Some((s, None, rest));
    }
    let (a, b) = inner.split_once(['-', '–', '—'])?;
    Some((clock(a)?, Some(clock(b)?), rest))
}

/// A clock time `mm:ss` or `hh:mm:ss` (a fraction of a second allowed):
/// seconds and minutes after the first part under 60, nothing negative.
/// Stricter than durations elsewhere: here a wrong reading moves a turn.
pub(super) fn strict_clock(s: &str) -> Option<f64> {
    let parts: Vec<&str> = s.trim().split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let mut total = 0.0;
    for (i, p) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let p = if last {
            p.replace(',', ".")
        } else {
            p.to_string()
        };
        let digits_first = p.starts_with(|c: char| c.is_ascii_digit());
        let ok = digits_first && p.chars().all(|c| c.is_ascii_digit() || (last && c == '.'));
        if !ok {
            return None;
        }
        let v: f64 = p.parse().ok()?;
        if i > 0 && v >= 60.0 {
            return None;
        }
        total = total * 60.0 + v;
    }
    Some(total)
}

/// The inside of a leading `[…]` made of digits, colons, dots, dashes and
/// spaces: meant as a time, whether or not it is one.
fn time_like(line: &str) -> Option<&str> {
    let end = line.strip_prefix('[')?.find(']')? + 1;
    let inner = &line[1..end];
    let looks = inner.contains(':')
        && inner.chars().any(|c| c.is_ascii_digit())
        && inner
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | ',' | '-' | '–' | '—' | ' '));
    looks.then_some(&line[..=end])
}

/// A bracketed prefix that is no time we read, before a speaker label:
/// `[００:０５] Клиент:` (full-width or other Unicode digits), `[00.05]`,
/// `[]`, `(00:05)`, `[неразборчиво] Клиент:`. Read as an untimed line it
/// would continue the previous turn, giving the customer's words to the
/// agent; so it is refused like any other bad time. Round brackets count
/// only with a digit inside (`(смеётся) Клиент:` is not a time stamp).
fn stamp_before_label(line: &str) -> Option<&str> {
    let (open, close) = match line.chars().next()? {
        '[' => ('[', ']'),
        '(' => ('(', ')'),
        _ => return None,
    };
    let end = line.find(close)?;
    let inner = &line[open.len_utf8()..end];
    if open == '(' && !inner.chars().any(char::is_numeric) {
        return None;
    }
    let (label, _) = line[end + close.len_utf8()..].split_once(':')?;
    let label = label.trim();
    let plausible = !label.is_empty() && label.split_whitespace().count() <= 4;
    (plausible && label_speaker(label).is_some()).then_some(&line[..end + close.len_utf8()])
}

/// The rest of `(смеётся) Клиент: …`: an aside in round brackets before a
/// speaker label is dropped, so that the line is that speaker's turn rather
/// than text continuing the previous one.
fn aside_before_label(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('(')?;
    let rest = rest[rest.find(')')? + 1..].trim_start();
    let (label, _) = rest.split_once(':')?;
    label_speaker(label.trim()).map(|_| rest)
}
