//! Deciding a compiled rule for one contact from its match index, one file
//! per rule family: phrases and regexes (`text`), `order`, `pii`, timing and
//! metadata (`measure`), `judge`, and the logic that combines rules (`logic`);
//! `window` picks the turns a rule reads, `bounded` the verdicts resting on a
//! search cut short.

mod bounded;
mod judge;
mod logic;
mod measure;
mod order;
mod pii;
mod text;
mod window;

use super::describe as d;
use super::index::MatchIndex;
use super::plan::{Matchers, Node};
use crate::input::contact::Contact;
use crate::results::Status;
use crate::words::reasons::ReasonWords;
use crate::words::Lang;
use window::{Win, WindowCache};

/// Where a verdict rests: a turn and, when known, the matched span.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Span {
    Turn,
    /// Byte range in the turn's original text.
    Orig(usize, usize),
}

#[derive(Debug, Clone, Copy, PartialEq)]
/// One place a verdict rests on.
pub(crate) struct Hit {
    pub turn: usize,
    pub span: Span,
}

#[derive(Debug, Clone)]
/// A rule's decision for one contact: a status, the reason a person reads,
/// and the turns it rests on.
pub(crate) struct Verdict {
    pub status: Status,
    pub reason: String,
    pub evidence: Vec<Hit>,
}

impl Verdict {
    fn new(status: Status, reason: String, evidence: Vec<Hit>) -> Self {
        Verdict {
            status,
            reason,
            evidence,
        }
    }
    fn na(reason: String) -> Self {
        Verdict::new(Status::Na, reason, Vec::new())
    }
}

/// Everything one contact's rules are decided from: the contact, its match
/// index, the scorecard's matchers, the report language, and what the rules
/// already computed for it (windows, texts rendered for the model).
pub(crate) struct EvalContext<'a> {
    pub contact: &'a Contact,
    pub index: &'a MatchIndex,
    pub m: &'a Matchers,
    pub lang: Lang,
    windows: WindowCache,
    judge: Option<&'a crate::check::judge::Judge>,
    mask: bool,
    judge_texts: judge::JudgeTexts,
}

impl<'a> EvalContext<'a> {
    pub fn new(contact: &'a Contact, index: &'a MatchIndex, m: &'a Matchers, lang: Lang) -> Self {
        EvalContext {
            contact,
            index,
            m,
            lang,
            windows: WindowCache::default(),
            judge: None,
            mask: true,
            judge_texts: judge::JudgeTexts::default(),
        }
    }

    /// Who answers `judge` criteria, and whether text leaves cqa masked.
    pub fn with_judge(mut self, judge: Option<&'a crate::check::judge::Judge>, mask: bool) -> Self {
        self.judge = judge;
        self.mask = mask;
        self
    }

    /// The verdict of rule `n`, by its family.
    pub fn eval(&self, n: &Node) -> Verdict {
        match n {
            Node::Text(t) => self.bounded_text(t, self.text(t)),
            Node::Order { first, then } => self.bounded_order(first, then, self.order(first, then)),
            Node::If { when, then } => self.condition(when, then),
            Node::Timing(t) => self.timing(t),
            Node::Pii(p) => self.pii(p),
            Node::Metadata(m) => self.metadata(m),
            Node::All(parts) => self.all(parts),
            Node::Any(parts) => self.any(parts),
            Node::Not(inner) => self.negation(inner),
            Node::Judge(j) => self.judge(j),
            Node::Manual => {
                Verdict::na(String::new()).with_status(Status::Pending, self.words().manual.into())
            }
        }
    }

    /// The words of reasons in the report language.
    pub(super) fn words(&self) -> &'static ReasonWords {
        ReasonWords::for_lang(self.lang)
    }

    /// "реплика 3 (0:42)": where hit `h` is, for a reason.
    fn at(&self, h: &Hit) -> String {
        d::at_turn(h.turn, self.contact.turns[h.turn].start, self.lang)
    }
}

impl Verdict {
    fn with_status(mut self, s: Status, reason: String) -> Self {
        self.status = s;
        self.reason = reason;
        self
    }
}
