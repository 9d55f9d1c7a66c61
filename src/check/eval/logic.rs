//! Rules made of rules: `all`, `any`, `not` and `if`, whose verdicts and
//! reasons combine those of their parts.

use super::{EvalContext, Verdict};
use crate::check::describe as d;
use crate::check::plan::Node;
use crate::results::Status;

impl EvalContext<'_> {
    /// `if`: the `then` rule's verdict when `when` holds; not applicable
    /// when it does not; for review when it is undecided.
    pub(super) fn condition(&self, when: &Node, then: &Node) -> Verdict {
        let w = self.eval(when);
        if w.status == Status::Review {
            return Verdict::new(
                Status::Review,
                d::cat(&[self.words().condition_undecided, &w.reason]),
                w.evidence,
            );
        }
        if w.status == Status::Pass {
            let mut v = self.eval(then);
            v.reason = d::cat(&[
                self.words().condition_holds,
                w.reason.trim_end_matches('.'),
                "; ",
                &v.reason,
            ]);
            v
        } else {
            Verdict::na(d::cat(&[self.words().condition_fails, &w.reason]))
        }
    }

    /// `not`: pass and fail swapped; other verdicts stand.
    pub(super) fn negation(&self, inner: &Node) -> Verdict {
        let v = self.eval(inner);
        let status = match v.status {
            Status::Pass => Status::Fail,
            Status::Fail => Status::Pass,
            s => s,
        };
        let prefix = self.words().negated;
        Verdict::new(status, d::cat(&[prefix, &v.reason]), v.evidence)
    }

    pub(super) fn all(&self, parts: &[Node]) -> Verdict {
        let vs: Vec<Verdict> = parts.iter().map(|p| self.eval(p)).collect();
        if let Some(f) = vs.iter().find(|v| v.status == Status::Fail) {
            return f.clone();
        }
        let status = if vs.iter().any(|v| v.status == Status::Review) {
            Status::Review
        } else if vs.iter().any(|v| v.status == Status::Pending) {
            Status::Pending
        } else if vs.iter().any(|v| v.status == Status::Pass) {
            Status::Pass
        } else {
            Status::Na
        };
        combine(status, vs.iter().filter(|v| v.status == status))
    }

    pub(super) fn any(&self, parts: &[Node]) -> Verdict {
        let vs: Vec<Verdict> = parts.iter().map(|p| self.eval(p)).collect();
        if let Some(p) = vs.iter().find(|v| v.status == Status::Pass) {
            return p.clone();
        }
        let status = [Status::Review, Status::Pending, Status::Fail]
            .into_iter()
            .find(|s| vs.iter().any(|v| v.status == *s))
            .unwrap_or(Status::Na);
        combine(status, vs.iter().filter(|v| v.status == status))
    }
}

fn combine<'v>(status: Status, vs: impl Iterator<Item = &'v Verdict>) -> Verdict {
    let mut reasons = Vec::new();
    let mut evidence = Vec::new();
    for v in vs {
        let r = v.reason.trim_end_matches('.').to_string();
        if !r.is_empty() && !reasons.contains(&r) {
            reasons.push(r);
        }
        for h in &v.evidence {
            if !evidence.contains(h) {
                evidence.push(*h);
            }
        }
    }
    let mut reason = reasons.join("; ");
    if !reason.is_empty() {
        reason.push('.');
    }
    Verdict::new(status, reason, evidence)
}
