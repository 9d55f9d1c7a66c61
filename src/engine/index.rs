//! The match index of one contact: each text turn normalised and scanned once
//! by the scorecard's phrase automaton and regex set. Rules are then decided
//! from this index, never by rescanning the text.

use super::compile::Matchers;
use crate::contact::Contact;
use std::cell::RefCell;

/// Hits of one turn: (pattern index, byte offset in the normalised or original text).
#[derive(Debug, Default, Clone)]
pub(crate) struct TurnHits {
    pub phrases: Vec<(u32, u32)>,
    pub regexes: Vec<u32>,
}

pub(crate) struct MatchIndex {
    pub turns: Vec<TurnHits>,
}

thread_local! {
    static BUF: RefCell<String> = const { RefCell::new(String::new()) };
}

impl MatchIndex {
    pub fn build(contact: &Contact, m: &Matchers) -> Self {
        let mut turns = Vec::with_capacity(contact.turns.len());
        BUF.with(|buf| {
            let mut norm = buf.borrow_mut();
            for t in &contact.turns {
                let mut hits = TurnHits::default();
                if t.is_text() && !t.text.is_empty() {
                    if let Some(ac) = &m.automaton {
                        crate::text::normalize_into(&t.text, &mut norm);
                        let bytes = norm.as_bytes();
                        for mat in ac.find_overlapping_iter(norm.as_str()) {
                            let (s, e) = (mat.start(), mat.end());
                            let whole = (s == 0 || bytes[s - 1] == b' ')
                                && (e == bytes.len() || bytes[e] == b' ');
                            let id = mat.pattern().as_u32();
                            if whole && !hits.phrases.iter().any(|(p, _)| *p == id) {
                                hits.phrases.push((id, s as u32));
                            }
                        }
                    }
                    if let Some(set) = &m.regex_set {
                        hits.regexes
                            .extend(set.matches(&t.text).iter().map(|i| i as u32));
                    }
                }
                turns.push(hits);
            }
        });
        MatchIndex { turns }
    }

    /// Offset of the first hit of `id` in turn `turn`, if any.
    pub fn phrase_at(&self, turn: usize, id: u32) -> Option<u32> {
        self.turns[turn]
            .phrases
            .iter()
            .find(|(p, _)| *p == id)
            .map(|(_, o)| *o)
    }

    pub fn regex_at(&self, turn: usize, id: u32) -> bool {
        self.turns[turn].regexes.contains(&id)
    }
}
