//! Tolerance for speech-recognition errors: a bounded edit distance counted
//! in characters (a Cyrillic letter is one edit, not two bytes).

/// Levenshtein distance between `a` and `b` if it is at most `max`, else `None`.
/// Bails out as soon as every cell of a row exceeds `max`. Words of up to
/// [`STACK_CHARS`] characters are compared without allocating: fuzzy phrases
/// compare every word of a turn, and the allocations cost more than the
/// arithmetic.
pub fn within(a: &str, b: &str, max: usize) -> Option<usize> {
    let (mut ab, mut bb) = (['\0'; STACK_CHARS], ['\0'; STACK_CHARS]);
    match (on_stack(a, &mut ab), on_stack(b, &mut bb)) {
        (Some(la), Some(lb)) => {
            let (mut prev, mut cur) = ([0usize; STACK_CHARS + 1], [0usize; STACK_CHARS + 1]);
            distance(&ab[..la], &bb[..lb], max, &mut prev, &mut cur)
        }
        _ => {
            let a: Vec<char> = a.chars().collect();
            let b: Vec<char> = b.chars().collect();
            let (mut prev, mut cur) = (vec![0; b.len() + 1], vec![0; b.len() + 1]);
            distance(&a, &b, max, &mut prev, &mut cur)
        }
    }
}

/// Characters of a word compared on the stack.
const STACK_CHARS: usize = 40;

/// The characters of `s` in `buf`, or `None` when they do not fit.
fn on_stack(s: &str, buf: &mut [char; STACK_CHARS]) -> Option<usize> {
    let mut n = 0;
    for c in s.chars() {
        *buf.get_mut(n)? = c;
        n += 1;
    }
    Some(n)
}

/// The bounded distance, with two rows of at least `b.len() + 1` cells.
fn distance(
    a: &[char],
    b: &[char],
    max: usize,
    prev: &mut [usize],
    cur: &mut [usize],
) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let (mut prev, mut cur) = (prev, cur);
    for (j, p) in prev.iter_mut().enumerate().take(b.len() + 1) {
        *p = j;
    }
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

    /// The textbook distance, unbounded, for comparison.
    fn levenshtein(a: &str, b: &str) -> usize {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for i in 1..=a.len() {
            let mut cur = vec![i; b.len() + 1];
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            }
            prev = cur;
        }
        prev[b.len()]
    }

    proptest::proptest! {
        #[test]
        fn the_bounded_distance_is_the_distance_when_within_the_bound(
            a in "[абвгде]{0,45}",
            b in "[абвгде]{0,45}",
            max in 0usize..4,
        ) {
            let d = levenshtein(&a, &b);
            proptest::prop_assert_eq!(within(&a, &b, max), (d <= max).then_some(d));
        }
    }

    #[test]
    fn short_words_must_match_exactly() {
        assert!(!word_matches("код", "кот", 1));
        assert!(word_matches("карту", "карут", 2));
    }
}
