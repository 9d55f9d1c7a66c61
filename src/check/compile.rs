//! Compiling a scorecard once: every phrase of every criterion goes into one
//! phrase set over normalised words (and one over stems, `phrases`), every
//! regex is compiled once (and run lazily, once per turn it is needed on),
//! and the rules become a plan that refers to them by number.

use super::describe;
use super::phrases::PhraseSet;
use crate::input::scorecard::{
    Alternatives, MatchMode, Must, PhraseRule, RegexRule, Rule, Scorecard, SpeakerSel, TextScope,
    Window,
};
use crate::text::pii::PiiKind;
use crate::words::Lang;
use regex::{Regex, RegexBuilder};
use std::collections::HashMap;

/// Phrases or regexes of one text rule, by their index in the shared matchers.
#[derive(Debug, Clone)]
pub(crate) struct TextNode {
    pub speaker: SpeakerSel,
    pub window: Option<Window>,
    pub must: Must,
    pub all: bool,
    pub is_regex: bool,
    /// Indices into `Matchers::patterns` or `Matchers::regexes`, parallel to `display`.
    pub ids: Vec<u32>,
    /// The wording as the scorecard gives it, for reasons.
    pub display: Vec<String>,
    /// Normalised words that cancel a match when they come just before it.
    /// Normalised negations, each split into its words once, here.
    pub negation: Vec<Vec<String>>,
    pub negation_window: usize,
    /// Where the rule looks and what it lists, worded once here in both
    /// languages: reasons quote them for every contact.
    pub wording: Box<[Wording; 2]>,
    /// The phrase ids as (64-bit word, bits) of the match index's per-turn
    /// bitset, so that a turn holding none of them is skipped in one test.
    pub mask: Vec<(usize, u64)>,
}

/// The constant parts of a text rule's reasons in one language.
#[derive(Debug, Clone, Default)]
pub(crate) struct Wording {
    /// "в первых 2 репликах оператора".
    pub where_: String,
    /// Up to five wordings, quoted, then "и ещё N".
    pub list: String,
    /// Each wording of `display`, quoted.
    pub quoted: Vec<String>,
    /// What comes before the quoted wording when one is found: "Найдена фраза ".
    pub found: &'static str,
    /// What comes between the quoted wording and `where_`: " " or " occurred ".
    pub after_quote: &'static str,
    /// The whole reason when the rule's phrases are looked for and none is
    /// found, or (for `all`) every one is: it depends on nothing in the contact.
    pub settled: String,
}

impl Wording {
    fn new(node: &TextNode, lang: Lang) -> Self {
        let where_ = describe::window(node.speaker, node.window, lang);
        // A regex is shown by its label (or criterion title), once.
        let mut shown = node.display.clone();
        shown.dedup();
        let list = describe::list(&shown, lang);
        let (one_of, found) = match (node.is_regex, node.must, lang) {
            (true, Must::Present, Lang::Ru) => ("", "Найдено совпадение по правилу "),
            (false, Must::Present, Lang::Ru) => ("ни одной из фраз", "Найдена фраза "),
            (true, Must::Absent, Lang::Ru) => ("", "Недопустимо: совпадение по правилу "),
            (false, Must::Absent, Lang::Ru) => ("", "Недопустимо: прозвучала фраза "),
            (true, Must::Present, Lang::En) => ("", "Found a match for the rule "),
            (false, Must::Present, Lang::En) => ("none of the phrases", "Found the phrase "),
            (true, Must::Absent, Lang::En) => ("", "Not allowed: a match for the rule "),
            (false, Must::Absent, Lang::En) => ("", "Not allowed: the phrase "),
        };
        let settled = match (node.must, node.all, lang) {
            (_, _, Lang::Ru) if node.is_regex && node.must == Must::Absent => {
                format!("Не найдено совпадений по правилу {list} {where_}.")
            }
            (_, _, Lang::En) if node.is_regex && node.must == Must::Absent => {
                format!("No match for the rule {list} {where_}.")
            }
            (_, false, Lang::Ru) if node.is_regex => {
                format!("Не найдено совпадений по правилу {list} {where_}.")
            }
            (_, false, Lang::En) if node.is_regex => {
                format!("No match for the rule {list} {where_}.")
            }
            (_, true, Lang::Ru) if node.is_regex => {
                format!("Найдены все совпадения по правилу {list} {where_}.")
            }
            (_, true, Lang::En) if node.is_regex => {
                format!("Found every match for the rule {list} {where_}.")
            }
            (Must::Present, false, Lang::Ru) => {
                format!("Не найдено {one_of} {where_}; ожидалось одно из: {list}.")
            }
            (Must::Present, false, Lang::En) => {
                format!("Found {one_of} {where_}; expected one of: {list}.")
            }
            (Must::Present, true, Lang::Ru) => {
                format!("Найдены все требуемые фразы {where_}: {list}.")
            }
            (Must::Present, true, Lang::En) => {
                format!("Found every required phrase {where_}: {list}.")
            }
            (Must::Absent, _, Lang::Ru) => format!("Не прозвучало {where_}: {list}."),
            (Must::Absent, _, Lang::En) => format!("None occurred {where_}: {list}."),
        };
        Wording {
            quoted: node
                .display
                .iter()
                .map(|x| describe::quote(x, lang))
                .collect(),
            where_,
            list,
            found,
            after_quote: match (node.must, lang) {
                (Must::Absent, Lang::En) => " occurred ",
                _ => " ",
            },
            settled,
        }
    }
}

impl TextNode {
    /// Builds a node and words its reasons' constant parts.
    pub fn new(
        scope: (SpeakerSel, Option<Window>, Must),
        all: bool,
        is_regex: bool,
        ids: Vec<u32>,
        display: Vec<String>,
    ) -> Self {
        let (speaker, window, must) = scope;
        let mut mask: Vec<(usize, u64)> = Vec::new();
        for &id in &ids {
            let (word, bit) = (id as usize / 64, 1u64 << (id % 64));
            match mask.iter_mut().find(|(w, _)| *w == word) {
                Some((_, bits)) => *bits |= bit,
                None => mask.push((word, bit)),
            }
        }
        let mut node = TextNode {
            speaker,
            window,
            must,
            all,
            is_regex,
            ids,
            display,
            negation: Vec::new(),
            negation_window: 0,
            wording: Box::default(),
            mask,
        };
        node.wording = Box::new([Lang::Ru, Lang::En].map(|lang| Wording::new(&node, lang)));
        node
    }

    pub fn wording(&self, lang: Lang) -> &Wording {
        match lang {
            Lang::Ru => &self.wording[0],
            Lang::En => &self.wording[1],
        }
    }
}

/// One distinct phrase as matched: its words, and how they may vary.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Pattern {
    pub words: Vec<String>,
    pub stems: Vec<String>,
    pub stem: bool,
    pub fuzzy: u8,
    pub near: u32,
}

impl Pattern {
    /// Fuzzy and proximity phrases are matched word by word over the turn's
    /// tokens; all others by the automata.
    pub fn by_tokens(&self) -> bool {
        self.fuzzy > 0 || self.near > 0
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Node {
    Text(TextNode),
    Order {
        first: TextNode,
        then: TextNode,
    },
    If {
        when: Box<Node>,
        then: Box<Node>,
    },
    Timing(super::eval::TimingNode),
    Metadata(Box<super::eval::MetadataNode>),
    All(Vec<Node>),
    Any(Vec<Node>),
    Not(Box<Node>),
    Manual,
    Pii {
        speaker: SpeakerSel,
        window: Option<Window>,
        kinds: Vec<PiiKind>,
    },
    Judge(Box<JudgeNode>),
}

/// A `judge` rule and the hash of what in it shapes the prompt (a cache key part).
#[derive(Debug, Clone)]
pub(crate) struct JudgeNode {
    pub rule: crate::input::scorecard::JudgeRule,
    pub hash: String,
}

/// The shared matchers of one scorecard.
pub(crate) struct Matchers {
    pub patterns: Vec<Pattern>,
    /// Normalised phrases (and their substitution variants).
    pub exact: Option<PhraseSet>,
    /// Stemmed phrases.
    pub stemmed: Option<PhraseSet>,
    /// Tells this scorecard's remembered word numbers from another's (see
    /// `phrases::number_words`); unique in the process.
    pub key: u64,
    /// Patterns matched word by word (fuzzy or near).
    pub token_patterns: Vec<u32>,
    /// Whether any pattern needs the stems of a turn's words.
    pub needs_stems: bool,
    /// Whether any rule looks for personal data (detected once per turn).
    pub needs_pii: bool,
    /// Regexes run lazily, at most once per turn, only on turns a rule looks at.
    pub regexes: Vec<Regex>,
    /// For each regex, the literals every match must start with, when there
    /// are few: a turn without any of them is skipped without running the regex
    /// (Unicode `\b` on Cyrillic text keeps the regex crate off its fast engines).
    pub prefilters: Vec<Option<crate::text::prefilter::Prefilter>>,
}

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
            Rule::Timing(t) => Node::Timing(super::eval::TimingNode::new(t.clone())),
            Rule::Metadata(m) => {
                Node::Metadata(Box::new(super::eval::MetadataNode::new(m.clone())))
            }
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
                Node::Pii {
                    speaker: p.scope.speaker,
                    window: p.scope.window,
                    kinds: p.kinds.iter().filter_map(|k| PiiKind::parse(k)).collect(),
                }
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
