//! Compiling a scorecard once: every phrase of every criterion goes into one
//! Aho-Corasick automaton over normalised text, every regex into one RegexSet,
//! and the rules become a plan that refers to them by number.

use crate::scorecard::{
    Alternatives, MetadataRule, Must, Rule, Scorecard, SpeakerSel, TextScope, TimingRule, Window,
};
use aho_corasick::{AhoCorasick, MatchKind};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use std::collections::HashMap;

/// Phrases or regexes of one text rule, by their index in the shared matchers.
#[derive(Debug, Clone)]
pub(crate) struct TextNode {
    pub speaker: SpeakerSel,
    pub window: Option<Window>,
    pub must: Must,
    pub all: bool,
    pub is_regex: bool,
    /// Indices into `Matchers::phrases` or `Matchers::regexes`.
    pub ids: Vec<u32>,
    /// The wording as the scorecard gives it, for reasons.
    pub display: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) enum Node {
    Text(TextNode),
    Order { first: TextNode, then: TextNode },
    If { when: Box<Node>, then: Box<Node> },
    Timing(TimingRule),
    Metadata(MetadataRule),
    All(Vec<Node>),
    Any(Vec<Node>),
    Not(Box<Node>),
    Manual,
}

/// The shared matchers of one scorecard.
pub(crate) struct Matchers {
    /// Normalised phrases; the automaton's pattern i is phrases[i].
    pub phrases: Vec<String>,
    pub automaton: Option<AhoCorasick>,
    pub regexes: Vec<Regex>,
    pub regex_set: Option<RegexSet>,
}

#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    #[error("scorecard `{0}`: cannot build the phrase matcher: {1}")]
    Automaton(String, String),
    #[error("scorecard `{0}`: invalid regex `{1}`: {2}")]
    Regex(String, String, String),
}

#[derive(Default)]
struct Builder {
    phrases: Vec<String>,
    phrase_ids: HashMap<String, u32>,
    regexes: Vec<(String, bool)>,
    regex_ids: HashMap<(String, bool), u32>,
}

impl Builder {
    fn text(&mut self, scope: &TextScope, alts: &Alternatives, regex: Option<bool>) -> TextNode {
        let ids = alts
            .items()
            .iter()
            .map(|item| match regex {
                None => {
                    let norm = crate::text::normalize(item);
                    let next = self.phrases.len() as u32;
                    *self.phrase_ids.entry(norm.clone()).or_insert_with(|| {
                        self.phrases.push(norm);
                        next
                    })
                }
                Some(case_sensitive) => {
                    let key = (item.clone(), case_sensitive);
                    let next = self.regexes.len() as u32;
                    *self.regex_ids.entry(key.clone()).or_insert_with(|| {
                        self.regexes.push(key);
                        next
                    })
                }
            })
            .collect();
        TextNode {
            speaker: scope.speaker,
            window: scope.window,
            must: scope.must,
            all: alts.is_all(),
            is_regex: regex.is_some(),
            ids,
            display: alts.items().to_vec(),
        }
    }

    fn node(&mut self, rule: &Rule) -> Node {
        match rule {
            Rule::Phrase(p) => Node::Text(self.text(&p.scope, &p.phrases(), None)),
            Rule::Regex(r) => {
                Node::Text(self.text(&r.scope, &r.patterns(), Some(r.case_sensitive)))
            }
            Rule::Order { first, then } => {
                let part = |b: &mut Builder, r: &Rule| match b.node(r) {
                    Node::Text(t) => t,
                    // Validation guarantees phrase/regex parts; an empty node never matches.
                    _ => TextNode {
                        speaker: SpeakerSel::Any,
                        window: None,
                        must: Must::Present,
                        all: false,
                        is_regex: false,
                        ids: Vec::new(),
                        display: Vec::new(),
                    },
                };
                Node::Order {
                    first: part(self, first),
                    then: part(self, then),
                }
            }
            Rule::If { when, then } => Node::If {
                when: Box::new(self.node(when)),
                then: Box::new(self.node(then)),
            },
            Rule::Timing(t) => Node::Timing(t.clone()),
            Rule::Metadata(m) => Node::Metadata(m.clone()),
            Rule::All { rules } => Node::All(rules.iter().map(|r| self.node(r)).collect()),
            Rule::Any { rules } => Node::Any(rules.iter().map(|r| self.node(r)).collect()),
            Rule::Not { rule } => Node::Not(Box::new(self.node(rule))),
            Rule::Manual {} => Node::Manual,
        }
    }
}

pub(crate) fn compile(card: &Scorecard) -> Result<(Vec<Node>, Matchers), CompileError> {
    let mut b = Builder::default();
    let nodes = card.criteria().map(|(_, c)| b.node(&c.rule)).collect();
    let automaton = if b.phrases.is_empty() {
        None
    } else {
        Some(
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&b.phrases)
                .map_err(|e| CompileError::Automaton(card.id.clone(), e.to_string()))?,
        )
    };
    let build = |(p, cs): &(String, bool)| {
        RegexBuilder::new(p)
            .case_insensitive(!cs)
            .build()
            .map_err(|e| CompileError::Regex(card.id.clone(), p.clone(), e.to_string()))
    };
    let regexes = b.regexes.iter().map(build).collect::<Result<Vec<_>, _>>()?;
    let regex_set =
        if b.regexes.is_empty() {
            None
        } else {
            let pats: Vec<String> = b
                .regexes
                .iter()
                .map(|(p, cs)| if *cs { p.clone() } else { format!("(?i:{p})") })
                .collect();
            Some(RegexSetBuilder::new(&pats).build().map_err(|e| {
                CompileError::Regex(card.id.clone(), pats.join(" | "), e.to_string())
            })?)
        };
    Ok((
        nodes,
        Matchers {
            phrases: b.phrases,
            automaton,
            regexes,
            regex_set,
        },
    ))
}
