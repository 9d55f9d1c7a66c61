//! The match index of one contact: each text turn normalised, split into
//! words, each word numbered in the scorecard's phrase sets (exact and
//! stemmed), and the phrases found as sequences of those numbers; regexes run
//! lazily. Rules are then decided from this index, never by rescanning the
//! text per criterion.

use super::phrases::{self, WordIds, OTHER};
use super::plan::{Matchers, Pattern};
use crate::input::contact::Contact;
use crate::text::fuzzy;

/// What one turn holds for the rules.
#[derive(Debug, Default, Clone)]
pub(crate) struct TurnIndex {
    /// Where the turn's normalised text is in [`MatchIndex::norm`] (bytes)
    /// and its words in [`MatchIndex::tokens`].
    norm: (u32, u32),
    tokens: (u32, u32),
    /// Where the turn's phrase occurrences are in [`MatchIndex::hits`].
    hits: (u32, u32),
    /// Kinds of personal data found in the turn (numbers said in words included).
    pub pii: Vec<crate::text::pii::PiiKind>,
}

/// A regex's first match range in a turn, if any.
type RegexFound = Option<(usize, usize)>;

pub(crate) struct MatchIndex {
    pub turns: Vec<TurnIndex>,
    /// Every turn's normalised text, one after another: one buffer a contact
    /// instead of a `String` and a `Vec` a turn.
    norm: String,
    /// Every turn's words: byte ranges within the turn's own normalised text.
    tokens: Vec<(u32, u32)>,
    /// The same words' byte ranges in the turn's original text, for quotes.
    orig: Vec<(u32, u32)>,
    /// Every turn's phrase occurrences, each turn's sorted: (pattern, first
    /// word, one past the last word).
    hits: Vec<(u32, u32, u32)>,
    /// Which patterns occur in which turn, one bit each (`stride` words a
    /// turn): most (turn, phrase) questions a scorecard asks are answered
    /// "no" by one bit test.
    present: Vec<u64>,
    stride: usize,
    /// Regex results computed so far: each regex runs on a turn at most
    /// once, and only on turns some rule looks at.
    regexes: std::cell::RefCell<RegexCache>,
    /// The first turn whose fuzzy and `near` phrases were not fully searched
    /// because the contact used up [`MAX_TOKEN_WORK`]; later turns were not
    /// searched for them either.
    token_cut: Option<usize>,
}

/// Word comparisons that fuzzy and `near` phrases may cost one contact
/// (docs/scorecard.md, "Limits"). Each such phrase is compared word by word
/// with every word of a turn, so 2,000 of them on a 90,000-word turn took
/// 54 s; past this bound the search stops, and the criteria that needed it
/// become `pending` with a reason instead of passing or failing unseen.
#[cfg(not(test))]
pub const MAX_TOKEN_WORK: u64 = 10_000_000;
/// Small in the library's own tests, so that a short contact reaches it.
#[cfg(test)]
pub const MAX_TOKEN_WORK: u64 = 5_000;

/// Cells in a contact's regex table at most (24 bytes each): beyond it (a
/// chat of thousands of turns and a scorecard of many regexes), results go
/// to a map, so that memory follows the questions asked, not turns x regexes.
#[cfg(not(test))]
const MAX_REGEX_TABLE: usize = 1 << 16;
/// Small in the library's own tests, so that its rule tests go through the
/// map (the integration tests and the binary use the table).
#[cfg(test)]
const MAX_REGEX_TABLE: usize = 4;

/// Regex results by (turn, regex): a table of `regex_count` cells a turn,
/// made at the first answer (one allocation a contact, not one a turn), or a
/// map for contacts too large for a table.
struct RegexCache {
    turns: usize,
    regex_count: usize,
    /// Whether the contact is small enough for the table.
    tabled: bool,
    table: Vec<Option<RegexFound>>,
    map: crate::sys::hash::FnvMap<(usize, u32), RegexFound>,
}

impl RegexCache {
    fn new(turns: usize, regex_count: usize) -> Self {
        RegexCache {
            turns,
            regex_count,
            tabled: turns.saturating_mul(regex_count) <= MAX_REGEX_TABLE,
            table: Vec::new(),
            map: Default::default(),
        }
    }

    /// The result of regex `id` on `turn`, if computed.
    fn get(&self, turn: usize, id: u32) -> Option<RegexFound> {
        if self.tabled {
            self.table
                .get(turn * self.regex_count + id as usize)
                .copied()
                .flatten()
        } else {
            self.map.get(&(turn, id)).copied()
        }
    }

    /// Remembers the result of regex `id` on `turn`.
    fn put(&mut self, turn: usize, id: u32, found: RegexFound) {
        if !self.tabled {
            self.map.insert((turn, id), found);
            return;
        }
        if self.table.is_empty() {
            self.table.resize(self.turns * self.regex_count, None);
        }
        let slot = turn * self.regex_count + id as usize;
        debug_assert!(
            slot < self.table.len(),
            "turn {turn} and regex {id} are in the table"
        );
        if let Some(cell) = self.table.get_mut(slot) {
            *cell = Some(found);
        }
    }
}

/// Keeps the first of each run of equal elements of sorted `v` at its
/// front; returns how many there are.
fn dedup_sorted<T: PartialEq + Copy>(v: &mut [T]) -> usize {
    if v.is_empty() {
        return 0;
    }
    let mut kept = 1;
    for i in 1..v.len() {
        if v[i] != v[kept - 1] {
            v[kept] = v[i];
            kept += 1;
        }
    }
    kept
}

/// Byte ranges of the words of normalised `text` (split on every space): the
/// definition the normaliser's own word ranges are held to in tests.
#[cfg(test)]
pub(super) fn tokens_of(text: &str) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut start = 0usize;
    for (i, b) in text.bytes().enumerate() {
        if b == b' ' {
            out.push((start as u32, i as u32));
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push((start as u32, text.len() as u32));
    }
    out
}

/// The words of `text` at byte ranges `spans`.
fn slices<'t>(text: &'t str, spans: &[(u32, u32)]) -> Vec<&'t str> {
    spans
        .iter()
        .map(|&(s, e)| &text[s as usize..e as usize])
        .collect()
}

/// Word-by-word matching for fuzzy and proximity phrases, each word
/// comparison taken from `budget`; `false` when the budget ran out (the
/// search of this turn is then incomplete).
fn scan_tokens(
    p: &Pattern,
    id: u32,
    words: &[&str],
    stems: &[&str],
    hits: &mut Vec<(u32, u32, u32)>,
    budget: &mut u64,
) -> bool {
    let left = std::cell::Cell::new(*budget);
    let matches = |j: usize, i: usize| {
        left.set(left.get().saturating_sub(1));
        fuzzy::word_matches(&p.words[j], words[i], p.fuzzy)
            || (p.stem && !stems.is_empty() && p.stems[j] == stems[i])
    };
    let gap = p.near as usize;
    for start in 0..words.len() {
        if left.get() == 0 {
            *budget = 0;
            return false;
        }
        if !matches(0, start) {
            continue;
        }
        let mut pos = start;
        let mut ok = true;
        for j in 1..p.words.len() {
            let limit = (pos + 1 + gap).min(words.len().saturating_sub(1));
            match (pos + 1..=limit).find(|&i| i < words.len() && matches(j, i)) {
                Some(i) => pos = i,
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            hits.push((id, start as u32, pos as u32 + 1));
        }
    }
    *budget = left.get();
    true
}

/// A word's numbers in the scorecard's exact and stemmed phrase sets.
fn numbers_of(m: &Matchers, word: &str) -> WordIds {
    let exact = m.exact.as_ref().map_or(OTHER, |set| set.word(word));
    let stemmed = m
        .stemmed
        .as_ref()
        .map_or(OTHER, |set| set.word(&crate::text::stem::stem_word(word)));
    (exact, stemmed)
}

impl MatchIndex {
    pub fn build(contact: &Contact, m: &Matchers) -> Self {
        let mut turns = Vec::with_capacity(contact.turns.len());
        let stride = m.patterns.len().div_ceil(64);
        let mut present = vec![0u64; stride * contact.turns.len()];
        let text_bytes: usize = contact.turns.iter().map(|t| t.text.len()).sum();
        let mut all_norm = String::with_capacity(text_bytes);
        let mut all_tokens = Vec::with_capacity(text_bytes / 6);
        let mut all_orig = Vec::with_capacity(text_bytes / 6);
        let mut all_hits = Vec::new();
        // Buffers for one turn, reused across turns.
        let (mut norm, mut ids, mut exact, mut stemmed) =
            (String::new(), Vec::new(), Vec::new(), Vec::new());
        let mut budget = MAX_TOKEN_WORK;
        let mut token_cut = None;
        for (i, t) in contact.turns.iter().enumerate() {
            let mut ti = TurnIndex::default();
            let first_hit = all_hits.len();
            if t.is_text() && !t.text.is_empty() {
                if !m.patterns.is_empty() {
                    let first = all_tokens.len();
                    crate::text::normalize_into_words(
                        &t.text,
                        &mut norm,
                        &mut crate::text::WordRanges {
                            orig: &mut all_orig,
                            norm: &mut all_tokens,
                        },
                    );
                    ti.norm = (all_norm.len() as u32, (all_norm.len() + norm.len()) as u32);
                    all_norm.push_str(&norm);
                    ti.tokens = (first as u32, all_tokens.len() as u32);
                    debug_assert_eq!(all_tokens.len(), all_orig.len(), "a span a word");
                    let tokens = &all_tokens[first..];
                    ids.clear();
                    phrases::number_words(m.key, &norm, tokens, |w| numbers_of(m, w), &mut ids);
                    if let Some(set) = &m.exact {
                        exact.clear();
                        exact.extend(ids.iter().map(|i| i.0));
                        set.find(&exact, &mut all_hits);
                    }
                    if let Some(set) = &m.stemmed {
                        stemmed.clear();
                        stemmed.extend(ids.iter().map(|i| i.1));
                        set.find(&stemmed, &mut all_hits);
                    }
                    // Each (pattern, place) once, whichever forms and sets found it.
                    let found = &mut all_hits[first_hit..];
                    found.sort_unstable();
                    let kept = dedup_sorted(found);
                    all_hits.truncate(first_hit + kept);
                    // Fuzzy and proximity phrases compare words and stems as text.
                    // Once the budget ran out, later turns are not searched.
                    if !m.token_patterns.is_empty() && token_cut.is_none() {
                        let words = slices(&norm, tokens);
                        let stems: Vec<String> = if m.needs_stems {
                            words
                                .iter()
                                .map(|w| crate::text::stem::stem_word(w))
                                .collect()
                        } else {
                            Vec::new()
                        };
                        let stems: Vec<&str> = stems.iter().map(String::as_str).collect();
                        for &id in &m.token_patterns {
                            let complete = scan_tokens(
                                &m.patterns[id as usize],
                                id,
                                &words,
                                &stems,
                                &mut all_hits,
                                &mut budget,
                            );
                            if !complete {
                                token_cut = Some(i);
                                break;
                            }
                        }
                    }
                }
                if m.needs_pii {
                    let found = crate::text::pii::detect_for_rules(&t.text);
                    for mat in found.matches {
                        if !ti.pii.contains(&mat.kind) {
                            ti.pii.push(mat.kind);
                        }
                    }
                }
            }
            let found = &mut all_hits[first_hit..];
            found.sort_unstable();
            for &(id, _, _) in found.iter() {
                present[i * stride + id as usize / 64] |= 1 << (id % 64);
            }
            ti.hits = (first_hit as u32, all_hits.len() as u32);
            turns.push(ti);
        }
        MatchIndex {
            turns,
            norm: all_norm,
            tokens: all_tokens,
            orig: all_orig,
            present,
            stride,
            hits: all_hits,
            regexes: std::cell::RefCell::new(RegexCache::new(contact.turns.len(), m.regexes.len())),
            token_cut,
        }
    }

    /// The first turn not fully searched for fuzzy and `near` phrases (see
    /// [`MAX_TOKEN_WORK`]), if the contact used up the budget.
    pub fn token_cut(&self) -> Option<usize> {
        self.token_cut
    }

    /// Phrase occurrences in all turns (for benchmarks and diagnostics).
    pub fn hit_count(&self) -> usize {
        self.hits.len()
    }

    /// The byte ranges of the words of `turn`'s normalised text.
    fn tokens(&self, turn: usize) -> &[(u32, u32)] {
        let (a, b) = self.turns[turn].tokens;
        &self.tokens[a as usize..b as usize]
    }

    /// The byte range in `turn`'s original text of its words `first..end`
    /// (`end` > `first`): from the first character of the first word to the
    /// end of the last.
    pub fn original_range(&self, turn: usize, first: u32, end: u32) -> (usize, usize) {
        let (a, _) = self.turns[turn].tokens;
        let words = &self.orig[(a + first) as usize..(a + end) as usize];
        match (words.first(), words.last()) {
            (Some(f), Some(l)) => (f.0 as usize, l.1 as usize),
            _ => (0, 0),
        }
    }

    /// Word `i` of `turn`, normalised.
    pub fn word(&self, turn: usize, i: usize) -> &str {
        let (a, _) = self.turns[turn].norm;
        let (s, e) = self.tokens(turn)[i];
        &self.norm[(a + s) as usize..(a + e) as usize]
    }

    /// Whether `turn` holds any of the patterns in `mask` (see `TextNode::mask`).
    pub fn any_of(&self, turn: usize, mask: &[(usize, u64)]) -> bool {
        let row = turn * self.stride;
        mask.iter()
            .any(|&(w, bits)| self.present.get(row + w).is_some_and(|x| x & bits != 0))
    }

    /// Occurrences of pattern `id` in `turn`, first word first.
    pub fn phrase_hits(&self, turn: usize, id: u32) -> impl Iterator<Item = (u32, u32)> + '_ {
        let here = self
            .present
            .get(turn * self.stride + id as usize / 64)
            .is_some_and(|w| w & (1 << (id % 64)) != 0);
        // `hits` is sorted once when the turn is indexed: no per-lookup allocation.
        let hits: &[(u32, u32, u32)] = if here {
            let (a, b) = self.turns[turn].hits;
            &self.hits[a as usize..b as usize]
        } else {
            &[]
        };
        let from = hits.partition_point(|h| h.0 < id);
        hits[from..]
            .iter()
            .take_while(move |h| h.0 == id)
            .map(|h| (h.1, h.2))
    }

    /// The first match of regex `id` in `turn`, computed once and remembered.
    pub fn regex_at(
        &self,
        contact: &Contact,
        m: &Matchers,
        turn: usize,
        id: u32,
    ) -> Option<(usize, usize)> {
        if let Some(known) = self.regexes.borrow().get(turn, id) {
            return known;
        }
        let t = &contact.turns[turn];
        let start =
            crate::text::prefilter::match_start(m.prefilters[id as usize].as_ref(), &t.text);
        let found = match start {
            // From the first place a match can start, with the text before
            // it still seen by look-arounds such as `\b`.
            Some(at) if t.is_text() => m.regexes[id as usize]
                .find_at(&t.text, at)
                .map(|x| (x.start(), x.end())),
            _ => None,
        };
        self.regexes.borrow_mut().put(turn, id, found);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::dedup_sorted;

    proptest::proptest! {
        /// The in-place dedup of a turn's hits keeps what `Vec::dedup` keeps.
        #[test]
        fn dedup_sorted_is_vec_dedup(mut v in proptest::collection::vec((0u32..4, 0u32..3, 0u32..3), 0..30)) {
            v.sort_unstable();
            let mut expected = v.clone();
            expected.dedup();
            let kept = dedup_sorted(&mut v);
            proptest::prop_assert_eq!(&v[..kept], &expected[..]);
        }
    }
}
