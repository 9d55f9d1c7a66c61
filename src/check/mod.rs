//! The rule engine: a scorecard compiled once, applied to many contacts.
//!
//! [`CompiledScorecard::compile`] puts every phrase of every criterion into one
//! multi-pattern matcher; [`CompiledScorecard::evaluate`] normalises and scans
//! each turn once, decides every criterion from that match index, and returns
//! a [`ContactResult`] with a reason and evidence for each criterion.
//!
//! `compile` builds the `plan` (the node tree and the shared matchers) once;
//! `index` scans a contact's turns against the plan's matchers; `eval`
//! decides each node from that index, one file per rule family; `describe`
//! words where a rule looked, with the words of src/words/reasons.rs.

mod compile;
mod describe;
mod eval;
mod index;
pub mod judge;
mod phrases;
mod plan;
mod select;
mod timing;

pub use crate::words::clock;
pub use compile::CompileError;
pub(crate) use describe::at_turn as describe_turn;
pub use select::{card_languages, describe_applies_to, overlap, NoScorecard};

use crate::input::contact::Contact;
use crate::input::scorecard::Scorecard;
use crate::results::{ContactResult, CriterionResult, Evidence, Id, Status};
use crate::words::Lang;
use eval::{EvalContext, Hit, Span};
use plan::{Matchers, Node};

/// How results are worded and protected.
#[derive(Debug, Clone, Copy)]
pub struct EvalOptions {
    pub lang: Lang,
    /// Mask personal data in quotes (the default; `--no-mask` turns it off).
    pub mask: bool,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            lang: Lang::Ru,
            mask: true,
        }
    }
}

/// Longest quote kept around a match, in characters.
const QUOTE_CONTEXT: usize = 90;

pub struct CompiledScorecard {
    pub card: Scorecard,
    nodes: Vec<Node>,
    matchers: Matchers,
}

impl CompiledScorecard {
    pub fn compile(card: Scorecard) -> Result<Self, CompileError> {
        let (nodes, matchers) = compile::compile(&card)?;
        Ok(CompiledScorecard {
            card,
            nodes,
            matchers,
        })
    }

    /// Number of distinct phrases in the shared matcher (for diagnostics and benchmarks).
    pub fn phrase_count(&self) -> usize {
        self.matchers.patterns.len()
    }

    /// How many phrase occurrences the match index finds in the turns of
    /// `contact` (normalise, stem, scan): the per-turn part of scoring on
    /// its own, for benchmarks and diagnostics.
    pub fn count_phrase_hits(&self, contact: &Contact) -> usize {
        index::MatchIndex::build(contact, &self.matchers).hit_count()
    }

    /// Checks one contact: a verdict for each criterion, the score left empty
    /// (`crate::score::score_result`; `run::evaluate` does both). `source` and
    /// `line` say where it came from, for the results file.
    pub fn evaluate(
        &self,
        contact: &Contact,
        source: &str,
        line: Option<u64>,
        opts: &EvalOptions,
    ) -> ContactResult {
        self.evaluate_judged(contact, source, line, opts, None)
    }

    /// Whether a language model decides any criterion of this scorecard.
    pub fn uses_judge(&self) -> bool {
        self.card.criteria().any(|(_, c)| c.uses_judge())
    }

    /// [`Self::evaluate`] with a language model for `judge` criteria
    /// (`None`: they are `review`, «модель не настроена»).
    pub fn evaluate_judged(
        &self,
        contact: &Contact,
        source: &str,
        line: Option<u64>,
        opts: &EvalOptions,
        judge: Option<&crate::check::judge::Judge>,
    ) -> ContactResult {
        self.evaluate_with(contact, source, line, opts, judge, true)
    }

    /// [`Self::evaluate_judged`], quoting the evidence of passed criteria
    /// only when `quote_passes`: lean results (`--detail failures`) keep a
    /// pass's turn numbers alone, so its quotes need not be cut and masked
    /// (most criteria pass; masking is a tenth of a check). The evidence
    /// keeps its turns, speakers and times, with empty quotes.
    pub fn evaluate_with(
        &self,
        contact: &Contact,
        source: &str,
        line: Option<u64>,
        opts: &EvalOptions,
        judge: Option<&crate::check::judge::Judge>,
        quote_passes: bool,
    ) -> ContactResult {
        let index = index::MatchIndex::build(contact, &self.matchers);
        let cx = EvalContext::new(contact, &index, &self.matchers, opts.lang)
            .with_judge(judge, opts.mask);
        let mut quotes = Quotes::default();
        let criteria: Vec<CriterionResult> = self
            .card
            .criteria()
            .zip(&self.nodes)
            .map(|((section, c), node)| {
                let v = cx.eval(node);
                CriterionResult {
                    id: Id::from(c.id.as_str()),
                    section: Id::from(section.id.as_str()),
                    status: v.status,
                    severity: c.severity,
                    weight: c.weight,
                    penalty: c.penalty,
                    auto_fail: c.auto_fail,
                    reason: v.reason,
                    // One quote per turn: `all` rules may rest on one turn twice.
                    evidence: v
                        .evidence
                        .iter()
                        .enumerate()
                        .filter(|(i, h)| !v.evidence[..*i].iter().any(|e| e.turn == h.turn))
                        .map(|(_, h)| {
                            if quote_passes || v.status != Status::Pass {
                                evidence(contact, h, opts, &mut quotes)
                            } else {
                                let t = &contact.turns[h.turn];
                                Evidence {
                                    turn: h.turn,
                                    speaker: t.speaker,
                                    start: t.start,
                                    quote: String::new(),
                                }
                            }
                        })
                        .collect(),
                    auto_status: None,
                    auto_reason: None,
                    evaluator: None,
                    comment: None,
                }
            })
            .collect();
        // Identifiers are shown to people (results, workbooks, file and sheet
        // names, the terminal): one that is itself personal data is masked.
        let id = |s: &str| match opts.mask {
            true => crate::text::pii::mask_identifier(s).into_owned(),
            false => s.to_string(),
        };
        let opt = |s: &Option<String>| s.as_deref().map(id);
        ContactResult {
            contact_id: id(&contact.id),
            source: id(source),
            line,
            agent_id: id(&contact.agent_id),
            agent_name: opt(&contact.agent_name),
            team: opt(&contact.team),
            channel: opt(&contact.channel),
            queue: opt(&contact.queue),
            started_at: opt(&contact.started_at),
            range_start: None,
            duration_s: contact.duration_s,
            scorecard_id: self.card.id.clone(),
            scorecard_version: self.card.version.clone(),
            // The check gives verdicts; the score is the next stage's
            // (`score::score_result`, which `run::evaluate` applies).
            score: None,
            partial: false,
            auto_failed: false,
            errors: Default::default(),
            criteria,
        }
    }
}

/// The quotes of one contact so far, by what they quote (a turn, and the
/// words within it or the whole turn), masked when the run masks: criteria
/// often quote the same turn, and a quote is cut and masked once (found by
/// its place, without hashing its text). A long turn's masked spans are
/// found once, on the whole turn.
#[derive(Default)]
struct Quotes {
    quotes: crate::sys::hash::FnvMap<(usize, usize, usize), String>,
    spans: crate::sys::hash::FnvMap<usize, Vec<crate::text::pii::MaskedSpan>>,
}

/// Quotes the words a verdict rests on: the whole turn when short, else the
/// match with some context; personal data masked unless the run says otherwise.
fn evidence(contact: &Contact, h: &Hit, opts: &EvalOptions, quotes: &mut Quotes) -> Evidence {
    let t = &contact.turns[h.turn];
    let text = t.text.as_str();
    let long = text.len() > 2 * QUOTE_CONTEXT && text.chars().count() > 2 * QUOTE_CONTEXT;
    let range = match h.span {
        _ if !long => None,
        Span::Turn => None,
        Span::Orig(s, e) => Some((s, e)),
    };
    let key = match range {
        Some((s, e)) => (h.turn, s, e),
        None => (h.turn, usize::MAX, usize::MAX),
    };
    let Quotes { quotes, spans } = quotes;
    let quote = quotes
        .entry(key)
        .or_insert_with(|| {
            if !opts.mask {
                return quote(t, text, range, long, None);
            }
            // Short turns are quoted whole; a long one is masked whole
            // first, then cut where no masked span is split.
            if !long || !crate::text::pii::may_need_masking(text) {
                let q = quote(t, text, range, long, None);
                return crate::text::mask(&q, opts.lang);
            }
            let found = spans.entry(h.turn).or_insert_with(|| {
                crate::text::pii::spans(text, crate::text::mask_lang(opts.lang))
            });
            quote(t, text, range, long, Some(found))
        })
        .clone();
    Evidence {
        turn: h.turn,
        speaker: t.speaker,
        start: t.start,
        quote,
    }
}

/// The words `range` of turn `t` (whose text is `text`) with some context,
/// or the whole turn; with the turn's masked spans, masked (the cut widened
/// so as never to split one), else as said.
fn quote(
    t: &crate::input::contact::Turn,
    text: &str,
    range: Option<(usize, usize)>,
    long: bool,
    masked: Option<&[crate::text::pii::MaskedSpan]>,
) -> String {
    let slice = |a: usize, b: usize| match masked {
        Some(found) => crate::text::pii::masked_slice(text, found, a, b),
        None => (a, b, text[a..b].to_string()),
    };
    let quote = match range {
        Some((s, e)) => {
            let before: usize = text[..s]
                .chars()
                .rev()
                .take(QUOTE_CONTEXT)
                .map(char::len_utf8)
                .sum();
            let after: usize = text[e..]
                .chars()
                .take(QUOTE_CONTEXT)
                .map(char::len_utf8)
                .sum();
            let (a, b, body) = slice(s - before, e + after);
            format!(
                "{}{}{}",
                if a > 0 { "…" } else { "" },
                body,
                if b < text.len() { "…" } else { "" }
            )
        }
        // A short turn is quoted whole: no need to count its characters again.
        None if !long => text.to_string(),
        _ => {
            let end = text
                .char_indices()
                .nth(2 * QUOTE_CONTEXT)
                .map_or(text.len(), |(i, _)| i);
            let (_, b, mut body) = slice(0, end);
            if b < text.len() {
                body.push('…');
            }
            body
        }
    };
    if t.event.is_some() && quote.is_empty() {
        let event = t.event.clone().unwrap_or_default();
        match masked {
            Some(_) => crate::text::pii::mask_all(&event).into_owned(),
            None => event,
        }
    } else {
        quote
    }
}

/// Several scorecards at once: a contact is scored with the first whose
/// `applies_to` matches it (channel, queue and language; see `select.rs`).
pub struct ScorecardSet {
    pub cards: Vec<CompiledScorecard>,
}
