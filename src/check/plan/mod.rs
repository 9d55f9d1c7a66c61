//! The compiled plan of a scorecard: what `compile` builds once and `index`
//! and `eval` read for every contact. These types have a home of their own so
//! that compile, index and eval each depend on the plan, not on one another.

mod measure;
mod text;

pub(crate) use measure::{show, MetadataNode, TimingNode};
pub(crate) use text::TextNode;

use crate::check::phrases::PhraseSet;
use crate::input::scorecard::{SpeakerSel, Window};
use crate::text::pii::PiiKind;
use regex::Regex;

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

/// A compiled rule, one per criterion: text rules refer to the shared
/// matchers by number; rules made of rules hold their parts.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Text(TextNode),
    Order { first: TextNode, then: TextNode },
    If { when: Box<Node>, then: Box<Node> },
    Timing(TimingNode),
    Metadata(Box<MetadataNode>),
    All(Vec<Node>),
    Any(Vec<Node>),
    Not(Box<Node>),
    Manual,
    Pii(Box<PiiNode>),
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

/// A `pii` rule: the kinds it looks for in its window, with the words of its
/// reasons that do not depend on the contact (where it looked, and the whole
/// sentence of a pass), written once per language when the card compiles.
#[derive(Debug, Clone)]
pub struct PiiNode {
    pub speaker: SpeakerSel,
    pub window: Option<Window>,
    pub kinds: Vec<PiiKind>,
    /// «в репликах оператора…» in Russian and English.
    pub where_: [String; 2],
    /// The reason of a pass («… не названы номер карты, CVV»), per language.
    pub none: [String; 2],
}

impl PiiNode {
    pub fn where_(&self, lang: crate::words::Lang) -> &str {
        match lang {
            crate::words::Lang::Ru => &self.where_[0],
            crate::words::Lang::En => &self.where_[1],
        }
    }
    pub fn none(&self, lang: crate::words::Lang) -> &str {
        match lang {
            crate::words::Lang::Ru => &self.none[0],
            crate::words::Lang::En => &self.none[1],
        }
    }
}
