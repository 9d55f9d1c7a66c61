//! A calibration session as data: who answered what on which contact, the
//! scorecard(s) the contacts belong to, and the automatic verdicts as one
//! more rater.

use crate::input::scorecard::{Method, Scorecard, ScoringConfig, Severity};
use crate::output::manifest::ScorecardInfo;
use crate::qa::evaluation::{Answer, BadRow, Evaluations};
use crate::results::{ContactResult, Status};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What scoring and the workbook need to know about a criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionMeta {
    pub id: String,
    pub title: String,
    pub section: String,
    pub weight: Option<f64>,
    pub penalty: Option<f64>,
    pub severity: Severity,
    pub auto_fail: bool,
    pub manual: bool,
    /// Decided by a language model: calibration reports its review rate.
    pub judge: bool,
}

/// A scorecard reduced to what calibration uses.
#[derive(Debug, Clone, PartialEq)]
pub struct CardMeta {
    pub id: String,
    pub scoring: ScoringConfig,
    pub criteria: Vec<CriterionMeta>,
}

impl CardMeta {
    pub fn from_scorecard(card: &Scorecard) -> Self {
        CardMeta {
            id: card.id.clone(),
            scoring: card.scoring,
            criteria: card
                .criteria()
                .map(|(s, c)| CriterionMeta {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    section: s.id.clone(),
                    weight: c.weight,
                    penalty: c.penalty,
                    severity: c.severity,
                    auto_fail: c.auto_fail,
                    manual: c.is_manual(),
                    judge: c.uses_judge(),
                })
                .collect(),
        }
    }

    /// From a run manifest (`run.json`), which has titles and weights but
    /// not the scoring method: a scorecard whose criteria all carry a
    /// penalty and none a weight is taken to be a deduction scorecard.
    /// Section-mode auto-fail cannot be told from it; pass the scorecard
    /// itself where that matters.
    pub fn from_info(info: &ScorecardInfo) -> Self {
        let deduction = !info.criteria.is_empty()
            && info
                .criteria
                .iter()
                .all(|c| c.penalty.is_some() && c.weight.is_none());
        CardMeta {
            id: info.id.clone(),
            scoring: ScoringConfig {
                method: if deduction {
                    Method::Deduction
                } else {
                    Method::Weighted
                },
                ..Default::default()
            },
            criteria: info
                .criteria
                .iter()
                .map(|c| CriterionMeta {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    section: c.section.clone(),
                    weight: c.weight,
                    penalty: c.penalty,
                    severity: c.severity,
                    auto_fail: c.auto_fail,
                    manual: c.manual,
                    judge: c.judge,
                })
                .collect(),
        }
    }

    /// From a result alone (titles are the ids); the method is guessed as in [`CardMeta::from_info`].
    pub fn from_result(r: &ContactResult) -> Self {
        let deduction = r
            .criteria
            .iter()
            .all(|c| c.penalty.is_some() && c.weight.is_none());
        CardMeta {
            id: r.scorecard_id.clone(),
            scoring: ScoringConfig {
                method: if deduction && !r.criteria.is_empty() {
                    Method::Deduction
                } else {
                    Method::Weighted
                },
                ..Default::default()
            },
            criteria: r
                .criteria
                .iter()
                .map(|c| CriterionMeta {
                    id: c.id.to_string(),
                    title: c.id.to_string(),
                    section: c.section.to_string(),
                    weight: c.weight,
                    penalty: c.penalty,
                    severity: c.severity,
                    auto_fail: c.auto_fail,
                    manual: c.status == Status::Pending,
                    judge: c.status == Status::Review,
                })
                .collect(),
        }
    }
}

/// Answers of one criterion: contact → evaluator → answer.
pub type CriterionAnswers = BTreeMap<String, BTreeMap<String, Answer>>;

/// Everything a calibration report is computed from.
#[derive(Debug, Clone, Default)]
pub struct Session {
    /// Criterion id → its answers. Criteria in `order`.
    pub answers: BTreeMap<String, CriterionAnswers>,
    /// Criterion ids in scorecard order, then any others by id.
    pub order: Vec<String>,
    pub evaluators: Vec<String>,
    pub contacts: Vec<String>,
    pub cards: Vec<CardMeta>,
    /// Contact → the scorecard it was scored with, when known.
    pub contact_card: HashMap<String, String>,
    /// (contact, criterion) → the automatic verdict.
    pub auto: HashMap<(String, String), Status>,
    /// The evaluator everyone is compared with; `None` for the consensus.
    pub reference: Option<String>,
    /// Blank answers on calibration forms: (evaluator, criterion id) → contacts.
    pub missing: BTreeMap<(String, String), u64>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SessionError {
    #[error("--reference {name}: no such evaluator in the evaluations; evaluators: {known}")]
    UnknownReference { name: String, known: String },
    #[error("no answers in the evaluations: nothing to calibrate")]
    Empty,
}

impl Session {
    /// Builds a session. Answers on criteria no given scorecard has are
    /// returned as bad rows (when scorecards are given at all).
    pub fn build(
        evals: &Evaluations,
        cards: Vec<CardMeta>,
        auto: &[ContactResult],
        reference: Option<&str>,
    ) -> Result<(Session, Vec<BadRow>), SessionError> {
        if evals.answers.is_empty() {
            return Err(SessionError::Empty);
        }
        let evaluators = evals.evaluators();
        if let Some(r) = reference {
            if !evaluators.iter().any(|e| e == r) {
                return Err(SessionError::UnknownReference {
                    name: r.into(),
                    known: evaluators.join(", "),
                });
            }
        }
        let known: BTreeSet<&str> = cards
            .iter()
            .flat_map(|c| c.criteria.iter().map(|k| k.id.as_str()))
            .collect();
        let mut bad = Vec::new();
        let mut answers: BTreeMap<String, CriterionAnswers> = BTreeMap::new();
        for a in &evals.answers {
            if !cards.is_empty() && !known.contains(a.criterion_id.as_str()) {
                bad.push(BadRow {
                    at: a.at.clone(),
                    message: format!(
                        "criterion `{}` is in none of the scorecards",
                        a.criterion_id
                    ),
                });
                continue;
            }
            answers
                .entry(a.criterion_id.clone())
                .or_default()
                .entry(a.contact_id.clone())
                .or_default()
                .insert(a.evaluator.clone(), a.answer);
        }
        let mut order: Vec<String> = Vec::new();
        for c in cards.iter().flat_map(|c| &c.criteria) {
            if answers.contains_key(&c.id) && !order.contains(&c.id) {
                order.push(c.id.clone());
            }
        }
        for id in answers.keys() {
            if !order.contains(id) {
                order.push(id.clone());
            }
        }
        let contacts: BTreeSet<String> = answers.values().flat_map(|m| m.keys().cloned()).collect();
        let mut contact_card = HashMap::new();
        let mut auto_map = HashMap::new();
        for r in auto.iter().filter(|r| contacts.contains(&r.contact_id)) {
            contact_card.insert(r.contact_id.clone(), r.scorecard_id.clone());
            for c in &r.criteria {
                // Results of a run with --evaluations: the machine's verdict
                // is `auto_status`; a manual criterion a person answered had none.
                let machine = match (c.auto_status, &c.evaluator) {
                    (Some(s), _) => s,
                    (None, Some(_)) => Status::Pending,
                    (None, None) => c.status,
                };
                auto_map.insert((r.contact_id.clone(), c.id.to_string()), machine);
            }
        }
        Ok((
            Session {
                answers,
                order,
                evaluators,
                contacts: contacts.into_iter().collect(),
                cards,
                contact_card,
                auto: auto_map,
                reference: reference.map(str::to_string),
                missing: evals.missing.iter().fold(BTreeMap::new(), |mut m, x| {
                    *m.entry((x.evaluator.clone(), x.criterion_id.clone()))
                        .or_default() += 1;
                    m
                }),
            },
            bad,
        ))
    }

    /// The scorecard a contact belongs to: the one it was scored with, or
    /// the only one given.
    pub fn card_of(&self, contact: &str) -> Option<&CardMeta> {
        match self.contact_card.get(contact) {
            Some(id) => self.cards.iter().find(|c| &c.id == id),
            None if self.cards.len() == 1 => self.cards.first(),
            None => None,
        }
    }

    /// A criterion's title for people (its id when no scorecard names it).
    pub fn title(&self, id: &str) -> String {
        self.meta(id)
            .map_or_else(|| id.to_string(), |m| m.title.clone())
    }

    pub fn meta(&self, id: &str) -> Option<&CriterionMeta> {
        self.cards
            .iter()
            .flat_map(|c| &c.criteria)
            .find(|c| c.id == id)
    }

    /// Contacts that at least two evaluators answered (on any criterion):
    /// only these say anything about agreement.
    pub fn shared_contacts(&self) -> usize {
        let mut raters: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for by_contact in self.answers.values() {
            for (contact, by_evaluator) in by_contact {
                raters
                    .entry(contact.as_str())
                    .or_default()
                    .extend(by_evaluator.keys().map(String::as_str));
            }
        }
        raters.values().filter(|r| r.len() >= 2).count()
    }

    /// Whether automatic verdicts are known for any contact.
    pub fn has_auto(&self) -> bool {
        !self.auto.is_empty()
    }
}
