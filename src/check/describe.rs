//! Wording of reasons. Every automatic verdict carries one sentence that says
//! where cqa looked and what it found, in the report language, so that a
//! controller can agree or disagree from the report alone.

use crate::input::scorecard::{Measure, SpeakerSel, Window};
use crate::text::pii::PiiKind;
use crate::words::reasons::ReasonWords;
use crate::words::{push_clock, push_uint, Lang};

/// Whose turns, in the genitive («реплик оператора»): shared by every reason
/// that names a speaker, the judge's included.
pub(crate) fn speaker_gen(s: SpeakerSel, lang: Lang) -> &'static str {
    let w = ReasonWords::for_lang(lang);
    match s {
        SpeakerSel::Agent => w.of_agent,
        SpeakerSel::Customer => w.of_customer,
        SpeakerSel::Bot => w.of_bot,
        SpeakerSel::Any => w.of_anyone,
    }
}

fn num(x: f64) -> String {
    // Signed zero goes the slow way: `format!` writes -0.0 as "-0".
    if x.fract() == 0.0 && x.is_sign_positive() && x < 1e15 {
        let mut s = String::with_capacity(8);
        push_uint(&mut s, x as u64);
        s
    } else if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// `parts` joined, sized in advance: reasons are put together for every
/// criterion of every contact, and `format!` costs several times more.
pub(crate) fn cat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

/// "в первых 2 репликах оператора" / "in the agent's first 2 turns".
pub(crate) fn window(s: SpeakerSel, w: Option<Window>, lang: Lang) -> String {
    let sp = speaker_gen(s, lang);
    let words = ReasonWords::for_lang(lang);
    match w {
        None => (words.in_turns)(sp, s == SpeakerSel::Any),
        Some(Window::FirstTurns(n)) => (words.in_first_turns)(sp, n),
        Some(Window::LastTurns(n)) => (words.in_last_turns)(sp, n),
        Some(Window::FirstSeconds(x)) => (words.in_first_seconds)(sp, &num(x)),
        Some(Window::LastSeconds(x)) => (words.in_last_seconds)(sp, &num(x)),
    }
}

/// Up to five wordings, quoted, then "и ещё N".
pub(crate) fn list(items: &[String], lang: Lang) -> String {
    const SHOWN: usize = 5;
    let w = ReasonWords::for_lang(lang);
    let (open, close) = (w.quote_open, w.quote_close);
    let mut s: Vec<String> = items
        .iter()
        .take(SHOWN)
        .map(|i| cat(&[open, i, close]))
        .collect();
    if items.len() > SHOWN {
        let more = items.len() - SHOWN;
        s.push((w.and_more)(more));
    }
    s.join(", ")
}

pub(crate) fn quote(item: &str, lang: Lang) -> String {
    let w = ReasonWords::for_lang(lang);
    cat(&[w.quote_open, item, w.quote_close])
}

/// "реплика 3 (0:42)" — turn numbers are 1-based for people.
pub(crate) fn at_turn(turn: usize, start: Option<f64>, lang: Lang) -> String {
    let mut s = String::with_capacity(24);
    push_at_turn(&mut s, turn, start, lang);
    s
}

/// [`at_turn`] written onto the end of `s`: reasons quote a turn for nearly
/// every criterion of every contact.
pub(crate) fn push_at_turn(s: &mut String, turn: usize, start: Option<f64>, lang: Lang) {
    s.push_str(ReasonWords::for_lang(lang).turn);
    push_uint(s, turn as u64 + 1);
    if let Some(t) = start {
        s.push_str(" (");
        push_clock(s, t);
        s.push(')');
    }
}

pub(crate) fn measure(m: Measure, lang: Lang) -> &'static str {
    let w = ReasonWords::for_lang(lang);
    match m {
        Measure::MaxSilenceS => w.max_silence,
        Measure::MaxHoldS => w.max_hold,
        Measure::HoldCount => w.hold_count,
        Measure::FirstResponseS => w.first_response,
        Measure::MaxResponseGapS => w.max_response_gap,
        Measure::AgentTalkShare => w.agent_talk_share,
        Measure::Interruptions => w.interruptions,
        Measure::DurationS => w.duration,
    }
}

/// A measured value beside the bound it broke, with as many decimals as it
/// takes (up to four) not to read the same as the bound: «71.4%», not «70%
/// — больше допустимого (70%)».
pub(crate) fn measure_value_beside(m: Measure, v: f64, bound: f64, lang: Lang) -> String {
    let plain = measure_value(m, v, lang);
    if plain != measure_value(m, bound, lang) {
        return plain;
    }
    let (x, unit) = match m {
        Measure::AgentTalkShare => (v * 100.0, "%"),
        Measure::HoldCount | Measure::Interruptions => return plain,
        _ => (v, ReasonWords::for_lang(lang).seconds),
    };
    let b = if m == Measure::AgentTalkShare {
        bound * 100.0
    } else {
        bound
    };
    for k in 1..=4usize {
        let (a, c) = (format!("{x:.k$}"), format!("{b:.k$}"));
        if a != c {
            return format!("{a}{unit}");
        }
    }
    format!("{x}{unit}")
}

pub(crate) fn measure_value(m: Measure, v: f64, lang: Lang) -> String {
    match m {
        Measure::HoldCount | Measure::Interruptions if v.fract() == 0.0 => num(v),
        Measure::HoldCount | Measure::Interruptions => format!("{v:.0}"),
        Measure::AgentTalkShare => format!("{:.0}%", v * 100.0),
        _ => {
            let mut s = num((v * 10.0).round() / 10.0);
            s.push_str(ReasonWords::for_lang(lang).seconds);
            s
        }
    }
}

/// What a kind of personal data is called in reasons.
pub(crate) fn pii_name(k: PiiKind, w: &'static ReasonWords) -> &'static str {
    match k {
        PiiKind::Card => w.pii_card,
        PiiKind::Cvv => w.pii_cvv,
        PiiKind::Phone => w.pii_phone,
        PiiKind::Email => w.pii_email,
        PiiKind::Passport => w.pii_passport,
        PiiKind::Snils => w.pii_snils,
        PiiKind::Inn => w.pii_inn,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::clock;

    #[test]
    fn numbers_read_as_format_writes_them() {
        for x in [
            0.0,
            -0.0,
            2.0,
            2.5,
            -3.0,
            1e15,
            1e16,
            0.1,
            f64::NAN,
            f64::INFINITY,
        ] {
            let want = if x.fract() == 0.0 {
                format!("{x:.0}")
            } else {
                format!("{x}")
            };
            assert_eq!(num(x), want, "{x}");
        }
    }

    #[test]
    fn turn_positions_read_as_minutes_and_seconds() {
        assert_eq!(at_turn(0, Some(0.4), Lang::Ru), "реплика 1 (0:00)");
        assert_eq!(at_turn(30, Some(107.6), Lang::Ru), "реплика 31 (1:48)");
        assert_eq!(at_turn(4, None, Lang::En), "turn 5");
        assert_eq!(clock(3_725.0), "1:02:05");
        assert_eq!(clock(-5.0), "0:00");
    }
}
