//! Wording of reasons. Every automatic verdict carries one sentence that says
//! where cqa looked and what it found, in the report language, so that a
//! controller can agree or disagree from the report alone.

use crate::input::scorecard::{Measure, SpeakerSel, Window};
use crate::words::{push_clock, push_uint, Lang};

fn speaker_gen(s: SpeakerSel, lang: Lang) -> &'static str {
    match (s, lang) {
        (SpeakerSel::Agent, Lang::Ru) => "оператора",
        (SpeakerSel::Customer, Lang::Ru) => "клиента",
        (SpeakerSel::Bot, Lang::Ru) => "бота",
        (SpeakerSel::Any, Lang::Ru) => "участников",
        (SpeakerSel::Agent, Lang::En) => "the agent's",
        (SpeakerSel::Customer, Lang::En) => "the customer's",
        (SpeakerSel::Bot, Lang::En) => "the bot's",
        (SpeakerSel::Any, Lang::En) => "all",
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
    match (w, lang) {
        (None, Lang::Ru) if s == SpeakerSel::Any => "в разговоре".into(),
        (None, Lang::Ru) => format!("в репликах {sp}"),
        (None, Lang::En) => format!("in {sp} turns"),
        (Some(Window::FirstTurns(1)), Lang::Ru) => format!("в первой реплике {sp}"),
        (Some(Window::FirstTurns(n)), Lang::Ru) => format!("в первых {n} репликах {sp}"),
        (Some(Window::LastTurns(1)), Lang::Ru) => format!("в последней реплике {sp}"),
        (Some(Window::LastTurns(n)), Lang::Ru) => format!("в последних {n} репликах {sp}"),
        (Some(Window::FirstSeconds(x)), Lang::Ru) => {
            format!("в репликах {sp} за первые {} с", num(x))
        }
        (Some(Window::LastSeconds(x)), Lang::Ru) => {
            format!("в репликах {sp} за последние {} с", num(x))
        }
        (Some(Window::FirstTurns(n)), Lang::En) => format!("in {sp} first {n} turn(s)"),
        (Some(Window::LastTurns(n)), Lang::En) => format!("in {sp} last {n} turn(s)"),
        (Some(Window::FirstSeconds(x)), Lang::En) => {
            format!("in {sp} turns within the first {} s", num(x))
        }
        (Some(Window::LastSeconds(x)), Lang::En) => {
            format!("in {sp} turns within the last {} s", num(x))
        }
    }
}

/// Up to five wordings, quoted, then "и ещё N".
pub(crate) fn list(items: &[String], lang: Lang) -> String {
    const SHOWN: usize = 5;
    let (open, close) = match lang {
        Lang::Ru => ("«", "»"),
        Lang::En => ("\"", "\""),
    };
    let mut s: Vec<String> = items
        .iter()
        .take(SHOWN)
        .map(|i| cat(&[open, i, close]))
        .collect();
    if items.len() > SHOWN {
        let more = items.len() - SHOWN;
        s.push(match lang {
            Lang::Ru => format!("и ещё {more}"),
            Lang::En => format!("and {more} more"),
        });
    }
    s.join(", ")
}

pub(crate) fn quote(item: &str, lang: Lang) -> String {
    match lang {
        Lang::Ru => cat(&["«", item, "»"]),
        Lang::En => cat(&["\"", item, "\""]),
    }
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
    s.push_str(lang.pick("реплика ", "turn "));
    push_uint(s, turn as u64 + 1);
    if let Some(t) = start {
        s.push_str(" (");
        push_clock(s, t);
        s.push(')');
    }
}

pub(crate) fn measure(m: Measure, lang: Lang) -> &'static str {
    match m {
        Measure::MaxSilenceS => lang.pick("самая долгая пауза", "longest silence"),
        Measure::MaxHoldS => lang.pick("самое долгое удержание", "longest hold"),
        Measure::HoldCount => lang.pick("число удержаний", "number of holds"),
        Measure::FirstResponseS => lang.pick("время первого ответа", "first response time"),
        Measure::MaxResponseGapS => {
            lang.pick("самое долгое ожидание ответа", "longest wait for a reply")
        }
        Measure::AgentTalkShare => lang.pick("доля речи оператора", "agent talk share"),
        Measure::Interruptions => {
            lang.pick("число перебиваний клиента", "interruptions of the customer")
        }
        Measure::DurationS => lang.pick("длительность контакта", "contact duration"),
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
        _ => (v, lang.pick(" с", " s")),
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
            s.push_str(lang.pick(" с", " s"));
            s
        }
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
