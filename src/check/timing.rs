//! Timing measures (docs/scorecard.md, "Rules": `timing`). Each returns `None` when the
//! contact lacks the times it needs, which makes the rule N/A, never a guess.

use crate::input::contact::{Contact, Speaker, Turn};
use crate::input::scorecard::Measure;

/// The value and, when it comes from particular turns, the turn it rests on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Measured {
    pub value: f64,
    pub turn: Option<usize>,
}

fn text_turns(c: &Contact) -> impl Iterator<Item = (usize, &Turn)> {
    c.turns.iter().enumerate().filter(|(_, t)| t.is_text())
}

fn all_started(c: &Contact) -> bool {
    let mut any = false;
    for (_, t) in text_turns(c) {
        if t.start.is_none() {
            return false;
        }
        any = true;
    }
    any
}

fn all_ended(c: &Contact) -> bool {
    all_started(c) && text_turns(c).all(|(_, t)| t.end.is_some())
}

/// Hold intervals from `hold_start` / `hold_end` events; an unclosed hold lasts to the contact's end.
pub(crate) fn holds(c: &Contact) -> Vec<(f64, f64, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(f64, usize)> = None;
    for (i, t) in c.turns.iter().enumerate() {
        if t.speaker != Speaker::System {
            continue;
        }
        match (t.event.as_deref(), t.start) {
            (Some("hold_start"), Some(s)) if open.is_none() => open = Some((s, i)),
            (Some("hold_end"), Some(e)) => {
                if let Some((s, si)) = open.take() {
                    out.push((s, e.max(s), si));
                }
            }
            _ => {}
        }
    }
    if let (Some((s, si)), Some(end)) = (open, c.end_time()) {
        out.push((s, end.max(s), si));
    }
    out
}

fn overlap(a: f64, b: f64, holds: &[(f64, f64, usize)]) -> f64 {
    holds
        .iter()
        .map(|(s, e, _)| (e.min(b) - s.max(a)).max(0.0))
        .sum()
}

pub(crate) fn measure(c: &Contact, m: Measure) -> Option<Measured> {
    let at = |value: f64, turn: Option<usize>| Some(Measured { value, turn });
    match m {
        Measure::DurationS => c.end_time().and_then(|d| at(d, None)),
        Measure::MaxHoldS | Measure::HoldCount => {
            if !all_started(c) {
                return None;
            }
            let h = holds(c);
            if m == Measure::HoldCount {
                return at(h.len() as f64, h.first().map(|x| x.2));
            }
            let longest = h
                .iter()
                .fold(None, |best: Option<(f64, usize)>, (s, e, i)| match best {
                    Some((d, _)) if d >= e - s => best,
                    _ => Some((e - s, *i)),
                });
            match longest {
                Some((d, i)) => at(d, Some(i)),
                None => at(0.0, None),
            }
        }
        Measure::MaxSilenceS => {
            if !all_ended(c) {
                return None;
            }
            let h = holds(c);
            let mut best = (0.0, None);
            let mut last_end: Option<f64> = None;
            for (i, t) in text_turns(c) {
                let (s, e) = (t.start?, t.end?);
                if let Some(le) = last_end {
                    if s > le {
                        let gap = (s - le) - overlap(le, s, &h);
                        if gap > best.0 {
                            best = (gap, Some(i));
                        }
                    }
                }
                last_end = Some(last_end.map_or(e, |le: f64| le.max(e)));
            }
            at(best.0, best.1)
        }
        Measure::FirstResponseS => {
            let first = |sp: Speaker| text_turns(c).find(|(_, t)| t.speaker == sp);
            let (ci, cust) = first(Speaker::Customer)?;
            let (ai, agent) = first(Speaker::Agent)?;
            let _ = ci;
            at(agent.start? - cust.start?, Some(ai))
        }
        Measure::MaxResponseGapS => {
            let turns: Vec<(usize, &Turn)> = text_turns(c).collect();
            let mut best: Option<(f64, usize)> = None;
            for (k, (_, t)) in turns.iter().enumerate() {
                if t.speaker != Speaker::Customer {
                    continue;
                }
                let Some(next) = turns[k + 1..]
                    .iter()
                    .find(|(_, x)| x.speaker == Speaker::Agent)
                else {
                    continue;
                };
                let gap = next.1.start? - t.start?;
                if best.is_none_or(|(b, _)| gap > b) {
                    best = Some((gap, next.0));
                }
            }
            best.and_then(|(v, i)| at(v, Some(i)))
        }
        Measure::AgentTalkShare => {
            if !all_ended(c) {
                return None;
            }
            let (mut agent, mut all) = (0.0, 0.0);
            for (_, t) in text_turns(c) {
                let d = (t.end? - t.start?).max(0.0);
                all += d;
                if t.speaker == Speaker::Agent {
                    agent += d;
                }
            }
            if all <= 0.0 {
                return None;
            }
            at(agent / all, None)
        }
        Measure::Interruptions => {
            if !all_ended(c) {
                return None;
            }
            let mut count = 0.0;
            let mut first = None;
            let mut last_customer_end: Option<f64> = None;
            for (i, t) in text_turns(c) {
                match t.speaker {
                    Speaker::Customer => last_customer_end = t.end,
                    Speaker::Agent => {
                        if let (Some(ce), Some(s)) = (last_customer_end, t.start) {
                            if s < ce {
                                count += 1.0;
                                first.get_or_insert(i);
                            }
                        }
                    }
                    _ => {}
                }
            }
            at(count, first)
        }
    }
}
