//! The number words: every Russian and English form a transcript may hold,
//! what each contributes to a digit group, and how a word as written is
//! folded (lower case, «ё» as «е») and looked up.

use crate::sys::hash::FnvMap;
use std::sync::LazyLock;
use Word::*;

/// What one number word contributes to a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Word {
    /// 0 ("ноль", "zero", and "oh" once accepted).
    Zero,
    /// 1–9.
    Unit(u32),
    /// 10–19.
    Teen(u32),
    /// 20, 30 … 90.
    Ten(u32),
    /// 100 … 900 said as one Russian word («сто», «девятьсот»).
    Hundreds(u32),
    /// English "hundred": multiplies the unit before it.
    HundredMul,
    /// English "oh": a zero only between number words.
    Oh,
    /// English "and": only inside "one hundred and twenty".
    And,
    /// English "double"/"triple" before a digit word.
    Repeat(u32),
    /// «тысяча», "thousand": multiplies the group before it (or is 1000).
    Thousand,
}

/// Russian stems whose forms end in -ь / -и / -ью (пять, пяти, пятью …).
pub(super) const SOFT_STEMS: [(&str, Word); 15] = [
    ("пят", Word::Unit(5)),
    ("шест", Word::Unit(6)),
    ("девят", Word::Unit(9)),
    ("десят", Word::Teen(10)),
    ("одиннадцат", Word::Teen(11)),
    ("двенадцат", Word::Teen(12)),
    ("тринадцат", Word::Teen(13)),
    ("четырнадцат", Word::Teen(14)),
    ("пятнадцат", Word::Teen(15)),
    ("шестнадцат", Word::Teen(16)),
    ("семнадцат", Word::Teen(17)),
    ("восемнадцат", Word::Teen(18)),
    ("девятнадцат", Word::Teen(19)),
    ("двадцат", Word::Ten(20)),
    ("тридцат", Word::Ten(30)),
];

/// The other forms of number words (lower case, «ё» as «е») and their meaning.
/// «семью» is missing on purpose (module docs).
#[rustfmt::skip]
pub(super) const FORMS: &[(Word, &[&str])] = &[
    (Zero, &["ноль", "нуль", "ноля", "нуля", "нолю", "нулю", "нолем", "нулем", "ноле", "нуле", "zero", "nought"]),
    (Unit(1), &["один", "одна", "одно", "одного", "одной", "одному", "одним", "одном", "одну", "одною", "one"]),
    (Unit(2), &["два", "две", "двух", "двум", "двумя", "two"]),
    (Unit(3), &["три", "трех", "трем", "тремя", "three"]),
    (Unit(4), &["четыре", "четырех", "четырем", "четырьмя", "four"]),
    (Unit(5), &["five"]),
    (Unit(6), &["six"]),
    (Unit(7), &["семь", "семи", "seven"]),
    (Unit(8), &["восемь", "восьми", "восемью", "восьмью", "eight"]),
    (Unit(9), &["nine"]),
    (Teen(10), &["ten"]),
    (Teen(11), &["eleven"]),
    (Teen(12), &["twelve"]),
    (Teen(13), &["thirteen"]),
    (Teen(14), &["fourteen"]),
    (Teen(15), &["fifteen"]),
    (Teen(16), &["sixteen"]),
    (Teen(17), &["seventeen"]),
    (Teen(18), &["eighteen"]),
    (Teen(19), &["nineteen"]),
    (Ten(20), &["twenty"]),
    (Ten(30), &["thirty"]),
    (Ten(40), &["сорок", "сорока", "forty"]),
    (Ten(50), &["пятьдесят", "пятидесяти", "пятьюдесятью", "fifty"]),
    (Ten(60), &["шестьдесят", "шестидесяти", "шестьюдесятью", "sixty"]),
    (Ten(70), &["семьдесят", "семидесяти", "семьюдесятью", "seventy"]),
    (Ten(80), &["восемьдесят", "восьмидесяти", "восемьюдесятью", "восьмьюдесятью", "eighty"]),
    (Ten(90), &["девяносто", "девяноста", "ninety"]),
    (Hundreds(100), &["сто", "ста"]),
    (Hundreds(200), &["двести", "двухсот", "двумстам", "двумястами", "двухстах"]),
    (Hundreds(300), &["триста", "трехсот", "тремстам", "тремястами", "трехстах"]),
    (Hundreds(400), &["четыреста", "четырехсот", "четыремстам", "четырьмястами", "четырехстах"]),
    (Hundreds(500), &["пятьсот", "пятисот", "пятистам", "пятьюстами", "пятистах"]),
    (Hundreds(600), &["шестьсот", "шестисот", "шестистам", "шестьюстами", "шестистах"]),
    (Hundreds(700), &["семьсот", "семисот", "семистам", "семьюстами", "семистах"]),
    (Hundreds(800), &["восемьсот", "восьмисот", "восьмистам", "восемьюстами", "восьмьюстами", "восьмистах"]),
    (Hundreds(900), &["девятьсот", "девятисот", "девятистам", "девятьюстами", "девятистах"]),
    (HundredMul, &["hundred"]),
    (Oh, &["oh"]),
    (And, &["and"]),
    (Repeat(2), &["double"]),
    (Repeat(3), &["triple"]),
    (Thousand, &["тысяча", "тысячи", "тысяч", "тысячу", "тысячей", "тысячею", "тысяче", "тысячам", "тысячами", "тысячах", "thousand"]),
];

/// Every number word, folded, with what it means: the soft-stem forms first
/// (in [`SOFT_STEMS`] order), then [`FORMS`]; the first meaning of a word wins.
pub(super) static WORDS: LazyLock<FnvMap<String, Word>> = LazyLock::new(|| {
    let mut words = FnvMap::default();
    for (stem, word) in SOFT_STEMS {
        for end in ["ь", "и", "ью"] {
            words.entry(format!("{stem}{end}")).or_insert(word);
        }
    }
    for (word, forms) in FORMS {
        for form in *forms {
            words.entry(form.to_string()).or_insert(*word);
        }
    }
    words
});

/// Classifies one lower-cased word with «ё» already folded to «е».
pub(super) fn classify(w: &str) -> Option<Word> {
    WORDS.get(w).copied()
}

/// Index of a lower-case ASCII or Russian letter (every number word starts
/// with one).
pub(super) fn letter_index(c: char) -> Option<usize> {
    match c {
        'a'..='z' => Some(c as usize - 'a' as usize),
        'а'..='я' => Some(26 + c as usize - 'а' as usize),
        _ => None,
    }
}

/// The letters number words start with, by [`letter_index`]: most words of
/// a transcript start with another one and need not be looked up.
static FIRST_LETTERS: LazyLock<[bool; 58]> = LazyLock::new(|| {
    let mut first = [false; 58];
    for w in WORDS.keys() {
        let i = w.chars().next().and_then(letter_index);
        first[i.expect("number words start with a letter")] = true;
    }
    first
});

/// The first character of `fold_word(word)`.
fn folded_first(word: &str) -> Option<char> {
    let c = word.chars().next()?;
    let l = match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        'a'..='z' | 'а'..='я' => c,
        'А'..='Я' => char::from_u32(c as u32 + 0x20)?,
        _ => c.to_lowercase().next()?,
    };
    Some(if l == 'ё' { 'е' } else { l })
}

/// What `word` (as written) means, if it is a number word.
pub(super) fn word_of(word: &str, buf: &mut String) -> Option<Word> {
    let first = folded_first(word).and_then(letter_index)?;
    if !FIRST_LETTERS[first] || !fold_word(word, buf) {
        return None;
    }
    classify(buf)
}

/// Longer (in UTF-8 bytes, lower-cased) than any number word: «восьмьюдесятью»
/// has 28 bytes.
pub(super) const MAX_WORD: usize = 32;

/// `word.to_lowercase().replace('ё', "е")` written into `buf` (cleared first);
/// `false` when it is longer than any number word. (`str::to_lowercase`
/// differs from lower-casing each character only for a final Greek sigma,
/// which no number word holds.)
pub(super) fn fold_word(word: &str, buf: &mut String) -> bool {
    buf.clear();
    for c in word.chars() {
        match c {
            'A'..='Z' => buf.push(c.to_ascii_lowercase()),
            'ё' | 'Ё' => buf.push('е'),
            'a'..='z' | 'а'..='я' => buf.push(c),
            'А'..='Я' => buf.extend(char::from_u32(c as u32 + 0x20)),
            _ => buf.extend(c.to_lowercase().map(|l| if l == 'ё' { 'е' } else { l })),
        }
        if buf.len() > MAX_WORD {
            return false;
        }
    }
    true
}
