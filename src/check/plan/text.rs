//! A compiled text rule (phrases or regexes) and the constant parts of its
//! reasons, worded once per language when the scorecard compiles.

use crate::check::describe;
use crate::input::scorecard::{Must, SpeakerSel, Window};
use crate::words::reasons::ReasonWords;
use crate::words::Lang;

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
        let w = ReasonWords::for_lang(lang);
        let where_ = describe::window(node.speaker, node.window, lang);
        // A regex is shown by its label (or criterion title), once.
        let mut shown = node.display.clone();
        shown.dedup();
        let list = describe::list(&shown, lang);
        let found = match (node.is_regex, node.must) {
            (true, Must::Present) => w.found_match,
            (false, Must::Present) => w.found_phrase,
            (true, Must::Absent) => w.forbidden_match,
            (false, Must::Absent) => w.forbidden_phrase,
        };
        let settled = match (node.must, node.all) {
            _ if node.is_regex && node.must == Must::Absent => (w.no_match)(&list, &where_),
            (_, false) if node.is_regex => (w.no_match)(&list, &where_),
            (_, true) if node.is_regex => (w.every_match)(&list, &where_),
            (Must::Present, false) => (w.no_phrase)(&where_, &list),
            (Must::Present, true) => (w.every_phrase)(&where_, &list),
            (Must::Absent, _) => (w.none_occurred)(&where_, &list),
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
            after_quote: match node.must {
                Must::Absent => w.forbidden_after_quote,
                Must::Present => " ",
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
