//! A `judge` rule for one contact: the window over every speaker's turns,
//! handed to src/judge, which asks the model and applies the evidence guard.

use super::{Ctx, Hit, Span, Verdict, Win};
use crate::engine::compile::JudgeNode;
use crate::scorecard::SpeakerSel;

impl Ctx<'_> {
    pub(super) fn judge(&self, n: &JudgeNode) -> Verdict {
        // The model sees the whole conversation in the window (both sides
        // are needed to judge a dialogue); the quote must come from `speaker`.
        let turns = match self.window(SpeakerSel::Any, n.rule.window) {
            Win::Turns(v) => v,
            Win::Na(r) => return Verdict::na(r),
        };
        let d = crate::judge::decide(
            self.judge,
            &n.rule,
            &n.hash,
            self.contact,
            &turns,
            self.lang,
            self.mask,
        );
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
}
