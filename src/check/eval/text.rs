//! Phrase and regex rules: a wording present or absent in a window, one of
//! them or all of them, and a negation word that cancels a match.

use super::{EvalContext, Hit, Span, Verdict, Win};
use crate::check::describe as d;
use crate::check::plan::TextNode;
use crate::input::scorecard::Must;
use crate::results::Status;

impl EvalContext<'_> {
    /// The turns of `turns` that may hold one of the node's phrases: those
    /// holding none are skipped by one bitset test (regexes are decided per
    /// turn when asked).
    pub(super) fn may_hit_in<'t>(
        &'t self,
        t: &'t TextNode,
        turns: &'t [usize],
    ) -> impl Iterator<Item = &'t usize> {
        turns
            .iter()
            .filter(move |&&turn| t.is_regex || self.index.any_of(turn, &t.mask))
    }

    /// The first hit of pattern `k` of node `t` in `turn` (not cancelled by a negation).
    pub(super) fn hit(&self, t: &TextNode, turn: usize, k: usize) -> Option<Hit> {
        let id = t.ids[k];
        if t.is_regex {
            let (a, b) = self.index.regex_at(self.contact, self.m, turn, id)?;
            let span = Span::Orig(a, b);
            return Some(Hit { turn, span });
        }
        let (first, end) = self
            .index
            .phrase_hits(turn, id)
            .find(|&(first, _)| !self.negated(t, turn, first as usize))?;
        let (a, b) = self.index.original_range(turn, first, end);
        Some(Hit {
            turn,
            span: Span::Orig(a, b),
        })
    }

    /// Whether a negation word of the rule stands within its window before word `first`.
    fn negated(&self, t: &TextNode, turn: usize, first: usize) -> bool {
        if t.negation.is_empty() {
            return false;
        }
        // A negation may be several words once normalised ("don't" -> "don t"):
        // it counts when it ends within the window before the match.
        (first.saturating_sub(t.negation_window)..first).any(|end| {
            t.negation.iter().any(|words| {
                end + 1 >= words.len()
                    && words
                        .iter()
                        .rev()
                        .enumerate()
                        .all(|(k, w)| self.index.word(turn, end - k) == *w)
            })
        })
    }

    pub(super) fn text(&self, t: &TextNode) -> Verdict {
        let turns = match self.window(t.speaker, t.window) {
            Win::Turns(v) => v,
            Win::Na(r) => return Verdict::na(r),
        };
        let lang = self.lang;
        let wording = t.wording(lang);
        // "Найдена фраза «…» в первых 2 репликах оператора (реплика 1 (0:00))" and the like:
        // the constant parts are worded at compile time.
        let found = |k: usize, h: &Hit, tail: &str| {
            let mut s = String::with_capacity(
                wording.found.len() + wording.quoted[k].len() + wording.where_.len() + 48,
            );
            s.push_str(wording.found);
            s.push_str(&wording.quoted[k]);
            s.push_str(wording.after_quote);
            s.push_str(&wording.where_);
            s.push_str(" (");
            d::push_at_turn(&mut s, h.turn, self.contact.turns[h.turn].start, lang);
            s.push(')');
            s.push_str(tail);
            s.push('.');
            s
        };
        match (t.must, t.all) {
            (Must::Present, false) => {
                for &turn in self.may_hit_in(t, &turns) {
                    if let Some((k, h)) =
                        (0..t.ids.len()).find_map(|k| self.hit(t, turn, k).map(|h| (k, h)))
                    {
                        return Verdict::new(Status::Pass, found(k, &h, ""), vec![h]);
                    }
                }
                Verdict::new(Status::Fail, wording.settled.clone(), Vec::new())
            }
            (Must::Present, true) => {
                let mut found = Vec::new();
                let mut missing = Vec::new();
                for k in 0..t.ids.len() {
                    match turns.iter().find_map(|&turn| self.hit(t, turn, k)) {
                        Some(h) => found.push(h),
                        None => missing.push(t.display[k].clone()),
                    }
                }
                if missing.is_empty() {
                    Verdict::new(Status::Pass, wording.settled.clone(), found)
                } else {
                    let reason = (self.words().missing_some)(
                        &wording.where_,
                        &d::list(&missing, lang),
                        t.display.len(),
                    );
                    Verdict::new(Status::Fail, reason, found)
                }
            }
            (Must::Absent, _) => {
                let mut hits: Vec<(usize, Hit)> = Vec::new();
                for &turn in self.may_hit_in(t, &turns) {
                    for k in 0..t.ids.len() {
                        if let Some(h) = self.hit(t, turn, k) {
                            hits.push((k, h));
                        }
                    }
                }
                if let Some((k, h)) = hits.first() {
                    let tail = match hits.len() - 1 {
                        0 => String::new(),
                        n => (self.words().more_times)(n),
                    };
                    let ev = hits.iter().take(3).map(|(_, h)| *h).collect();
                    Verdict::new(Status::Fail, found(*k, h, &tail), ev)
                } else {
                    Verdict::new(Status::Pass, wording.settled.clone(), Vec::new())
                }
            }
        }
    }
}
