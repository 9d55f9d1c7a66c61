//! The turns a rule reads: its speaker's, within its window (first or last
//! turns or seconds), computed once per contact and kept.

use super::EvalContext;
use crate::check::describe as d;
use crate::input::contact::Speaker;
use crate::input::scorecard::{SpeakerSel, Window};

/// The turns a window holds, or why it does not apply (the reason, for a
/// verdict of `na`).
#[derive(Clone)]
pub(super) enum Win {
    Turns(std::rc::Rc<[usize]>),
    Na(String),
}

/// The windows already computed for one contact: most rules look at the
/// same few (the agent's turns, the first two agent turns…).
pub(super) type WindowCache = std::cell::RefCell<Vec<(SpeakerSel, Option<Window>, Win)>>;

fn speaker_ok(sel: SpeakerSel, s: Speaker) -> bool {
    match sel {
        SpeakerSel::Any => s != Speaker::System,
        SpeakerSel::Agent => s == Speaker::Agent,
        SpeakerSel::Customer => s == Speaker::Customer,
        SpeakerSel::Bot => s == Speaker::Bot,
    }
}

impl EvalContext<'_> {
    pub(super) fn window(&self, speaker: SpeakerSel, w: Option<Window>) -> Win {
        if let Some((_, _, win)) = self
            .windows
            .borrow()
            .iter()
            .find(|(s, x, _)| *s == speaker && *x == w)
        {
            return win.clone();
        }
        let win = self.compute_window(speaker, w);
        self.windows.borrow_mut().push((speaker, w, win.clone()));
        win
    }

    fn compute_window(&self, speaker: SpeakerSel, w: Option<Window>) -> Win {
        let c = self.contact;
        let mut turns: Vec<usize> = c
            .turns
            .iter()
            .enumerate()
            .filter(|(_, t)| speaker_ok(speaker, t.speaker))
            .map(|(i, _)| i)
            .collect();
        let untimed = || turns.iter().any(|&i| c.turns[i].start.is_none());
        match w {
            None => {}
            Some(Window::FirstTurns(n)) => turns.truncate(n),
            Some(Window::LastTurns(n)) => {
                let skip = turns.len().saturating_sub(n);
                turns.drain(..skip);
            }
            Some(Window::FirstSeconds(s)) => {
                if untimed() {
                    return Win::Na(self.words().no_times_for_seconds.into());
                }
                turns.retain(|&i| c.turns[i].start.is_some_and(|x| x < s));
            }
            Some(Window::LastSeconds(s)) => {
                let end = c.end_time();
                if untimed() || end.is_none() {
                    return Win::Na(self.words().no_times_for_seconds.into());
                }
                let from = end.unwrap_or(0.0) - s;
                turns.retain(|&i| {
                    c.turns[i]
                        .end
                        .or(c.turns[i].start)
                        .is_some_and(|x| x >= from)
                });
            }
        }
        if turns.is_empty() {
            let where_ = d::window(speaker, w, self.lang);
            return Win::Na(d::cat(&[self.words().no_turns, " ", &where_, "."]));
        }
        Win::Turns(turns.into())
    }
}
