//! The per-contact stage: join the registry and roster, choose the
//! scorecard, check the contact and score it — one work unit to its
//! outcomes, on the pool's threads.

use super::read::Unit;
use super::{display, CheckConfig, LoadWarning, ScorecardSet};
use crate::check::judge::Judge;
use crate::check::{CompiledScorecard, EvalOptions};
use crate::input::contact::{self, Conflict, Contact, Loaded};
use crate::output::results::Detail;
use crate::results::{ContactResult, Rejection};
use std::path::Path;

/// Checks and scores one contact: the check's verdicts for each criterion
/// ([`CompiledScorecard::evaluate`]), then the contact's score from them
/// ([`crate::score::score_result`]). `source` and `line` say where it came
/// from, for the results file. What every command that scores calls.
pub fn evaluate(
    card: &CompiledScorecard,
    contact: &Contact,
    source: &str,
    line: Option<u64>,
    opts: &EvalOptions,
) -> ContactResult {
    evaluate_with(card, contact, source, line, opts, None, true)
}

/// [`evaluate`] with a language model for `judge` criteria (`None`: they
/// are `review`) and, unless `quote_passes`, passed criteria without their
/// quotes (see [`CompiledScorecard::evaluate_with`]).
pub fn evaluate_with(
    card: &CompiledScorecard,
    contact: &Contact,
    source: &str,
    line: Option<u64>,
    opts: &EvalOptions,
    judge: Option<&Judge>,
    quote_passes: bool,
) -> ContactResult {
    let mut r = card.evaluate_with(contact, source, line, opts, judge, quote_passes);
    crate::score::score_result(&card.card.scoring, &mut r);
    r
}

pub(super) enum Outcome {
    /// The result, its results.jsonl line and the key of the contact's id
    /// as read (the result's may be masked: two ids masked alike are still
    /// two contacts).
    Scored(Box<ContactResult>, Vec<u8>, u128),
    Rejected(Rejection),
}

/// What one contact came to, with what the join found on the way.
pub(super) struct Done {
    pub(super) outcome: Outcome,
    pub(super) bytes: u64,
    pub(super) conflicts: Vec<Conflict>,
    pub(super) warnings: Vec<LoadWarning>,
    pub(super) matched: bool,
}

impl From<Outcome> for Done {
    fn from(outcome: Outcome) -> Self {
        Done {
            outcome,
            bytes: 0,
            conflicts: Vec::new(),
            warnings: Vec::new(),
            matched: false,
        }
    }
}

fn reject(source: &Path, line: Option<u64>, reason: impl Into<String>) -> Outcome {
    Outcome::Rejected(Rejection {
        source: display(source),
        line,
        reason: reason.into(),
    })
}

/// Join, check and score one loaded contact (`range`: see [`Unit::Line`]).
fn join_and_evaluate(
    set: &ScorecardSet,
    cfg: &CheckConfig,
    source: &Path,
    loaded: Loaded,
    range: Option<u64>,
) -> Done {
    let line = loaded.line;
    let mut c = match loaded.contact {
        Ok(c) => c,
        Err(e) => return reject(source, line, e).into(),
    };
    // The source as results name it, made once per contact.
    let shown = display(source);
    let (conflicts, matched) = cfg.join.apply(&mut c, &shown);
    contact::settle_date(&mut c); // a registry's date too
    let registry = cfg.join.registry.as_ref().map(|t| t.path.as_str());
    if let Err(e) = contact::require_agent(&c, registry) {
        return reject(source, line, e).into();
    }
    let warnings = c
        .load_warnings
        .iter()
        .map(|w| LoadWarning {
            source: shown.clone(),
            line,
            contact_id: c.id.clone(),
            warning: crate::words::say::in_lang(w, cfg.opts.lang),
        })
        .collect();
    Done {
        outcome: choose_and_evaluate(set, cfg, (source, &shown), (line, range), &c),
        bytes: 0,
        conflicts,
        warnings,
        matched,
    }
}

/// The contact checked and scored with the first scorecard that applies,
/// and its results.jsonl line; or its rejection.
fn choose_and_evaluate(
    set: &ScorecardSet,
    cfg: &CheckConfig,
    (source, shown): (&Path, &str),
    (line, range): (Option<u64>, Option<u64>),
    c: &Contact,
) -> Outcome {
    if c.turns.len() > cfg.limits.max_turns {
        return reject(
            source,
            line,
            contact::ContactError::TooManyTurns {
                count: c.turns.len(),
                limit: cfg.limits.max_turns,
            }
            .to_string(),
        );
    }
    match set.choose(c) {
        Ok(card) => {
            let quote_passes = cfg.quote_passes || cfg.detail == Detail::Full;
            let judge = cfg.judge.as_deref();
            let mut r = evaluate_with(card, c, shown, line, &cfg.opts, judge, quote_passes);
            r.range_start = range;
            let json = crate::output::results::line(&r, cfg.detail);
            Outcome::Scored(Box::new(r), json, id_key(&c.id))
        }
        Err(none) => reject(source, line, none.to_string()),
    }
}

/// One unit of work to its outcomes: one for most, several for a `.jsonl`
/// line or file that a mapping splits into records.
pub(super) fn run_unit(set: &ScorecardSet, cfg: &CheckConfig, u: Unit) -> Vec<Done> {
    let opts = cfg.load_options();
    let (path, items, bytes, range) = match u {
        Unit::Rejected(r) => return vec![Outcome::Rejected(r).into()],
        Unit::Loaded(path, loaded) => (path, vec![*loaded], 0, None),
        Unit::Line {
            path,
            line,
            range,
            text,
        } => match text {
            Ok(t) => {
                let items = contact::load_json(&path, &t, Some(line), &opts);
                (path, items, t.len() as u64, range)
            }
            Err(reason) => return vec![reject(&path, Some(line), reason).into()],
        },
        Unit::File(path, kind) => {
            let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
            let items = contact::load_file(&path, kind, &opts);
            (path, items, bytes, None)
        }
    };
    let mut out: Vec<Done> = items
        .into_iter()
        .map(|l| join_and_evaluate(set, cfg, &path, l, range))
        .collect();
    if let Some(first) = out.first_mut() {
        first.bytes = bytes;
    }
    out
}

/// A 128-bit key of a contact id, for the drain's duplicate check.
fn id_key(id: &str) -> u128 {
    use std::hash::{Hash, Hasher};
    let half = |salt: u8| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        salt.hash(&mut h);
        id.hash(&mut h);
        h.finish()
    };
    (u128::from(half(1)) << 64) | u128::from(half(2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A greeting worth 1 and a compliance phrase that fails the contact.
    fn card() -> CompiledScorecard {
        let card = json!({"id": "bank", "version": "1", "sections": [{"id": "s", "title": "Разговор",
        "criteria": [
            {"id": "greet", "title": "Поздоровался", "weight": 1, "severity": "non_critical",
             "rule": {"type": "phrase", "speaker": "agent", "any": ["здравствуйте"]}},
            {"id": "recorded", "title": "Предупредил о записи", "weight": 1,
             "severity": "compliance_critical", "auto_fail": true,
             "rule": {"type": "phrase", "speaker": "agent", "any": ["разговор записывается"]}}
        ]}]});
        let card = crate::input::scorecard::parse_scorecard(&card.to_string(), "bank.json")
            .unwrap_or_else(|e| panic!("{e}"));
        CompiledScorecard::compile(card).unwrap_or_else(|e| panic!("{e}"))
    }

    fn call() -> Contact {
        let c = json!({"id": "C-1", "agent_id": "A001", "channel": "voice", "turns": [
            {"speaker": "agent", "text": "Банк «Пример», здравствуйте! Чем могу помочь?"},
            {"speaker": "customer", "text": "Заблокировали карту."}]});
        contact::parse_contact(&c.to_string()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_check_gives_verdicts_and_evaluate_adds_the_score() {
        let (card, c) = (card(), call());
        let opts = EvalOptions::default();
        let checked = card.evaluate(&c, "звонок.json", None, &opts);
        assert_eq!((checked.score, checked.auto_failed), (None, false));
        let r = evaluate(&card, &c, "звонок.json", None, &opts);
        // The missed recording notice is an auto-fail: the contact scores 0.
        assert_eq!((r.score, r.auto_failed), (Some(0.0), true));
        assert_eq!(r.errors.compliance_critical, 1);
        assert_eq!(r.criteria, checked.criteria);
    }
}
