//! Compiling a scorecard once: every phrase of every criterion goes into one
//! phrase set over normalised words (and one over stems, `phrases`), every
//! regex is compiled once (and run lazily, once per turn it is needed on),
//! and the rules become a plan that refers to them by number.

use super::describe::pii_name;
use super::phrases::PhraseSet;
use super::plan::{
    JudgeNode, Matchers, MetadataNode, Node, Pattern, PiiNode, TextNode, TimingNode,
};
use crate::input::scorecard::{
    Alternatives, MatchMode, Must, PhraseRule, RegexRule, Rule, Scorecard, SpeakerSel, TextScope,
};
use crate::text::pii::PiiKind;
use crate::words::reasons::ReasonWords;
use crate::words::Lang;
use regex::RegexBuilder;
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    #[error("scorecard `{0}`: invalid regex `{1}`: {2}")]
    Regex(String, String, String),
}

#[derive(Default)]
struct Builder {
    patterns: Vec<Pattern>,
    pattern_ids: HashMap<Pattern, u32>,
    regexes: Vec<(String, bool)>,
    regex_ids: HashMap<(String, bool), u32>,
    default_stem: bool,
    needs_pii: bool,
    /// The title of the criterion being compiled: what an unlabelled regex
    /// is described by in reasons.
    title: String,
}

impl Builder {
    fn pattern(&mut self, phrase: &str, p: &PhraseRule) -> u32 {
        let norm = crate::text::normalize(phrase);
        let words: Vec<String> = norm.split(' ').map(str::to_string).collect();
        let stem = match p.match_mode {
            Some(m) => m == MatchMode::Stem,
            None => self.default_stem,
        };
        let stems = if stem {
            crate::text::stem::stem_words(&words)
        } else {
            Vec::new()
        };
        let pat = Pattern {
            words,
            stems,
            stem,
            fuzzy: p.fuzzy.unwrap_or(0),
            near: p.near.unwrap_or(0),
        };
        let next = self.patterns.len() as u32;
        *self.pattern_ids.entry(pat.clone()).or_insert_with(|| {
            self.patterns.push(pat);
            next
        })
    }

    fn regex(&mut self, pattern: &str, case_sensitive: bool) -> u32 {
        let key = (pattern.to_string(), case_sensitive);
        let next = self.regexes.len() as u32;
        *self.regex_ids.entry(key.clone()).or_insert_with(|| {
            self.regexes.push(key);
            next
        })
    }

    fn text(
        &mut self,
        scope: &TextScope,
        alts: &Alternatives,
        ids: Vec<u32>,
        is_regex: bool,
    ) -> TextNode {
        TextNode::new(
            (scope.speaker, scope.window, scope.must),
            alts.is_all(),
            is_regex,
            ids,
            alts.items().to_vec(),
        )
    }

    fn phrase_node(&mut self, p: &PhraseRule) -> TextNode {
        let alts = p.phrases();
        let ids = alts.items().iter().map(|x| self.pattern(x, p)).collect();
        let mut node = self.text(&p.scope, &alts, ids, false);
        node.negation = p
            .unless_preceded_by
            .iter()
            .flatten()
            .map(|w| {
                crate::text::normalize(w)
                    .split(' ')
                    .map(str::to_string)
                    .collect()
            })
            .collect();
        node.negation_window = p.unless_window.unwrap_or(2) as usize;
        node
    }

    fn regex_node(&mut self, r: &RegexRule) -> TextNode {
        let alts = r.patterns();
        let ids: Vec<u32> = alts
            .items()
            .iter()
            .map(|x| self.regex(x, r.case_sensitive))
            .collect();
        // Reasons never show the source: the label, or the criterion's title.
        let shown = r.label.clone().unwrap_or_else(|| self.title.clone());
        let display = vec![shown; ids.len()];
        let s = &r.scope;
        TextNode::new(
            (s.speaker, s.window, s.must),
            alts.is_all(),
            true,
            ids,
            display,
        )
    }

    fn node(&mut self, rule: &Rule) -> Node {
        match rule {
            Rule::Phrase(p) => Node::Text(self.phrase_node(p)),
            Rule::Regex(r) => Node::Text(self.regex_node(r)),
            Rule::Order { first, then } => {
                let part = |b: &mut Builder, r: &Rule| match b.node(r) {
                    Node::Text(t) => t,
                    // Validation guarantees phrase/regex parts; an empty node never matches.
                    _ => TextNode::new(
                        (SpeakerSel::Any, None, Must::Present),
                        false,
                        false,
                        Vec::new(),
                        Vec::new(),
                    ),
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
            Rule::Timing(t) => Node::Timing(TimingNode::new(t.clone())),
            Rule::Metadata(m) => Node::Metadata(Box::new(MetadataNode::new(m.clone()))),
            Rule::All { rules } => Node::All(rules.iter().map(|r| self.node(r)).collect()),
            Rule::Any { rules } => Node::Any(rules.iter().map(|r| self.node(r)).collect()),
            Rule::Not { rule } => Node::Not(Box::new(self.node(rule))),
            Rule::Manual {} => Node::Manual,
            Rule::Judge(j) => Node::Judge(Box::new(JudgeNode {
                hash: crate::check::judge::prompt::rule_hash(j),
                rule: j.clone(),
            })),
            Rule::Pii(p) => {
                self.needs_pii = true;
                let kinds: Vec<PiiKind> =
                    p.kinds.iter().filter_map(|k| PiiKind::parse(k)).collect();
                let (speaker, window) = (p.scope.speaker, p.scope.window);
                let where_ = [Lang::Ru, Lang::En]
                    .map(|lang| crate::check::describe::window(speaker, window, lang));
                let none = [Lang::Ru, Lang::En].map(|lang| {
                    let w = ReasonWords::for_lang(lang);
                    let names: Vec<&str> = kinds.iter().map(|k| pii_name(*k, w)).collect();
                    let where_ = crate::check::describe::window(speaker, window, lang);
                    (w.pii_none)(&where_, &names.join(", "))
                });
                Node::Pii(Box::new(PiiNode {
                    speaker,
                    window,
                    kinds,
                    where_,
                    none,
                }))
            }
        }
    }
}

/// Variants of a normalised phrase with known recognition errors put in:
/// for `{"кэш бэк": "кэшбэк"}`, "начислим кэшбэк" also yields "начислим кэш бэк".
fn variants(phrase: &str, subs: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    let padded = format!(" {phrase} ");
    for (heard, meant) in subs {
        let needle = format!(" {meant} ");
        if padded.contains(&needle) {
            let v = padded.replace(&needle, &format!(" {heard} "));
            out.push(v.trim().to_string());
        }
    }
    out
}

pub(crate) fn compile(card: &Scorecard) -> Result<(Vec<Node>, Matchers), CompileError> {
    let mut b = Builder {
        default_stem: card.match_mode != Some(MatchMode::Exact),
        ..Default::default()
    };
    let nodes = card
        .criteria()
        .map(|(_, c)| {
            b.title.clone_from(&c.title);
            b.node(&c.rule)
        })
        .collect();
    let subs: Vec<(String, String)> = card
        .substitutions
        .iter()
        .map(|(h, m)| (crate::text::normalize(h), crate::text::normalize(m)))
        .collect();
    let (mut exact, mut exact_ids, mut stemmed, mut stem_ids, mut token_patterns) =
        (vec![], vec![], vec![], vec![], vec![]);
    for (i, p) in b.patterns.iter().enumerate() {
        let id = i as u32;
        if p.by_tokens() {
            token_patterns.push(id);
            continue;
        }
        let phrase = p.words.join(" ");
        let mut forms = vec![phrase.clone()];
        forms.extend(variants(&phrase, &subs));
        for f in forms {
            if p.stem {
                stemmed.push(crate::text::stem::stem_phrase(&f));
                stem_ids.push(id);
            }
            exact.push(f);
            exact_ids.push(id);
        }
    }
    let needs_stems = b.patterns.iter().any(|p| p.stem);
    let build = |(p, cs): &(String, bool)| {
        RegexBuilder::new(p)
            .case_insensitive(!cs)
            .build()
            .map_err(|e| CompileError::Regex(card.id.clone(), p.clone(), e.to_string()))
    };
    let regexes = b.regexes.iter().map(build).collect::<Result<Vec<_>, _>>()?;
    let prefilters = b
        .regexes
        .iter()
        .map(|(p, cs)| crate::text::prefilter::prefix_prefilter(p, !cs))
        .collect();
    static KEYS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let forms = |f: &[String], ids: &[u32]| {
        PhraseSet::new(f.iter().map(String::as_str).zip(ids.iter().copied()))
    };
    Ok((
        nodes,
        Matchers {
            exact: forms(&exact, &exact_ids),
            stemmed: forms(&stemmed, &stem_ids),
            key: KEYS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            token_patterns,
            needs_stems,
            needs_pii: b.needs_pii,
            patterns: b.patterns,
            regexes,
            prefilters,
        },
    ))
}
