//! A `judge` rule for one contact: the window over every speaker's turns,
//! handed to check/judge, which asks the model and applies the evidence guard.

use super::{EvalContext, Hit, Span, Verdict, Win};
use crate::check::judge::prompt::Transcript;
use crate::check::plan::JudgeNode;
use crate::input::scorecard::{SpeakerSel, Window};
use std::rc::Rc;

/// The windows of one contact already rendered (and masked) for the model:
/// a card's judge criteria mostly read the same whole conversation.
pub(super) type JudgeTexts = std::cell::RefCell<Vec<(Option<Window>, Rc<Transcript>)>>;

impl EvalContext<'_> {
    pub(super) fn judge(&self, n: &JudgeNode) -> Verdict {
        // The model sees the whole conversation in the window (both sides
        // are needed to judge a dialogue); the quote must come from `speaker`.
        let turns = match self.window(SpeakerSel::Any, n.rule.window) {
            Win::Turns(v) => v,
            Win::Na(r) => return Verdict::na(r),
        };
        let d = match self.judge {
            None => crate::check::judge::unconfigured(&n.rule, self.lang),
            Some(j) => {
                let mask = self.mask && j.masks();
                let text = self.judge_text(n.rule.window, &turns, mask);
                crate::check::judge::decide(
                    j,
                    &n.rule,
                    &n.hash,
                    self.contact,
                    &text,
                    self.lang,
                    mask,
                )
            }
        };
        let evidence = d
            .turn
            .map(|turn| Hit {
                turn,
                span: Span::Turn,
            })
            .into_iter()
            .collect();
        Verdict::new(d.status, d.reason, evidence)
    }

    fn judge_text(&self, w: Option<Window>, turns: &[usize], mask: bool) -> Rc<Transcript> {
        if let Some((_, t)) = self.judge_texts.borrow().iter().find(|(x, _)| *x == w) {
            return t.clone();
        }
        let t = Rc::new(crate::check::judge::prompt::transcript(
            self.contact,
            turns,
            mask.then_some(self.lang),
        ));
        self.judge_texts.borrow_mut().push((w, t.clone()));
        t
    }
}
