//! `pii` rules: personal data (cards, phones, passports…) said in a window,
//! from the kinds the match index detected once per turn. The words that do
//! not depend on the contact were written when the card compiled (PiiNode).

use super::{EvalContext, Hit, Span, Verdict, Win};
use crate::check::describe::pii_name;
use crate::check::plan::PiiNode;
use crate::results::Status;

/// Quotes a failed `pii` rule keeps (one per turn).
const QUOTED_TURNS: usize = 3;

impl EvalContext<'_> {
    pub(super) fn pii(&self, p: &PiiNode) -> Verdict {
        let turns = match self.window(p.speaker, p.window) {
            Win::Turns(v) => v,
            Win::Na(r) => return Verdict::na(r),
        };
        let mut first_kind = None;
        let mut ev: Vec<Hit> = Vec::new();
        for &turn in turns.iter() {
            let Some(kind) = self.index.turns[turn]
                .pii
                .iter()
                .find(|k| p.kinds.contains(k))
            else {
                continue;
            };
            first_kind.get_or_insert(*kind);
            ev.push(Hit {
                turn,
                span: Span::Turn,
            });
            if ev.len() == QUOTED_TURNS {
                break;
            }
        }
        match (first_kind, ev.first()) {
            (Some(kind), Some(first)) => {
                let w = self.words();
                let reason = (w.pii_said)(pii_name(kind, w), p.where_(self.lang), &self.at(first));
                Verdict::new(Status::Fail, reason, ev)
            }
            _ => Verdict::new(Status::Pass, p.none(self.lang).to_string(), Vec::new()),
        }
    }
}
