//! Tolerance for speech-recognition errors: a bounded edit distance counted
//! in characters (a Cyrillic letter is one edit, not two bytes).

/// Levenshtein distance between `a` and `b` if it is at most `max`, else `None`.
/// Bails out as soon as every cell of a row exceeds `max`.
pub fn within(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            row_min = row_min.min(cur[j]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[b.len()] <= max).then_some(prev[b.len()])
}

/// Words shorter than this are never matched fuzzily: one edit turns «код» into «кот».
pub const MIN_FUZZY_LEN: usize = 5;

/// Whether `word` may stand for `expected` with at most `k` edits.
pub fn word_matches(expected: &str, word: &str, k: u8) -> bool {
    if expected == word {
        return true;
    }
    k > 0
        && expected.chars().count() >= MIN_FUZZY_LEN
        && within(expected, word, k as usize).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_cyrillic_letters_as_one_edit() {
        assert_eq!(within("здравствуйте", "здраствуйте", 1), Some(1));
        assert_eq!(within("кодовое", "кодавое", 1), Some(1));
    }

    #[test]
    fn gives_up_beyond_the_bound() {
        assert_eq!(within("здравствуйте", "добрый", 2), None);
    }

    #[test]
    fn short_words_must_match_exactly() {
        assert!(!word_matches("код", "кот", 1));
        assert!(word_matches("карту", "карут", 2));
    }
}
