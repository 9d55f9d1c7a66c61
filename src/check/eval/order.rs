//! `order` rules: the earliest match of one text rule must come before the
//! earliest of another.

use super::{EvalContext, Hit, Span, Verdict, Win};
use crate::check::plan::TextNode;
use crate::results::Status;

/// (turn, byte offset in the original text), the hit, and which wording matched.
type Earliest = ((usize, usize), Hit, usize);

impl EvalContext<'_> {
    /// Earliest match of a text node: (position in the original text, hit, wording index).
    fn earliest(&self, t: &TextNode) -> Result<Option<Earliest>, String> {
        let turns = match self.window(t.speaker, t.window) {
            Win::Turns(v) => v,
            Win::Na(r) => return Err(r),
        };
        for &turn in self.may_hit_in(t, &turns) {
            let mut best: Option<Earliest> = None;
            for k in 0..t.ids.len() {
                if let Some(h) = self.hit(t, turn, k) {
                    let off = self.orig_offset(&h);
                    if best.is_none_or(|(p, _, _)| (turn, off) < p) {
                        best = Some(((turn, off), h, k));
                    }
                }
            }
            if best.is_some() {
                return Ok(best);
            }
        }
        Ok(None)
    }

    fn orig_offset(&self, h: &Hit) -> usize {
        match h.span {
            Span::Turn => 0,
            Span::Orig(s, _) => s,
        }
    }

    pub(super) fn order(&self, first: &TextNode, then: &TextNode) -> Verdict {
        let lang = self.lang;
        let then_hit = match self.earliest(then) {
            Err(r) => return Verdict::na(r),
            Ok(None) => {
                let reason = (self.words().order_nothing_to_check)(&then.wording(lang).list);
                return Verdict::na(reason);
            }
            Ok(Some(h)) => h,
        };
        let (tpos, th, tk) = then_hit;
        let then_q = &then.wording(lang).quoted[tk];
        match self.earliest(first) {
            Err(r) => Verdict::na(r),
            Ok(None) => {
                let reason = (self.words().order_nothing_before)(
                    then_q,
                    &self.at(&th),
                    &first.wording(lang).list,
                );
                Verdict::new(Status::Fail, reason, vec![th])
            }
            Ok(Some((fpos, fh, fk))) => {
                let first_q = &first.wording(lang).quoted[fk];
                if tpos < fpos {
                    let reason =
                        (self.words().order_broken)(then_q, &self.at(&th), first_q, &self.at(&fh));
                    Verdict::new(Status::Fail, reason, vec![th, fh])
                } else {
                    let reason =
                        (self.words().order_kept)(first_q, &self.at(&fh), then_q, &self.at(&th));
                    Verdict::new(Status::Pass, reason, vec![fh, th])
                }
            }
        }
    }
}
