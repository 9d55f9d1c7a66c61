//! Numbers in transcripts: spoken number words turned into digits, and the
//! check-digit algorithms of Russian identifiers and payment cards.
//!
//! Speech recognition writes what the customer said, so a card number comes out
//! as «четыре один один один …» and a phone as «восемь девятьсот шестнадцать
//! сто двадцать три сорок пять шестьдесят семь». The PII detectors only see
//! digits, so [`spoken_numbers_to_digits`] rewrites runs of number words first.
//!
//! Choices, and why:
//! * Each *group* is composed the way people dictate: hundreds + tens + units
//!   («сто двадцать три» → `123`, "twenty three" → `23`); a word that cannot
//!   extend the current group starts the next one («восемь девятьсот
//!   шестнадцать» → `8 916`). Groups are joined by one space, so a dictated
//!   number keeps the shape the speaker gave it and the detectors, which accept
//!   space-separated digit groups, see the whole digit sequence.
//! * Thousands («тысяча», "thousand") are left as words: amounts are not
//!   personal data and «пятнадцать тысяч» → `15 тысяч` reads fine.
//! * English "oh" is zero only between number words ("four oh one"), "and"
//!   only inside "one hundred and twenty", "double"/"triple" only before a
//!   digit word ("double four" → `4 4`), so ordinary prose keeps these words.
//! * «семью» is not read as «семь»: in calls it is far more often «семья»
//!   (family) in the accusative. Every other case form is recognised.
//! * An isolated word is converted too («одна минута» → `1 минута`); that keeps
//!   the rule simple and such text stays readable.

use std::ops::Range;

/// What one number word contributes to a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
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
}

/// Russian stems whose forms end in -ь / -и / -ью (пять, пяти, пятью …).
const SOFT_STEMS: [(&str, Word); 15] = [
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

/// Classifies one lower-cased word with «ё» already folded to «е».
fn classify(w: &str) -> Option<Word> {
    use Word::*;
    for (stem, word) in SOFT_STEMS {
        if let Some(end) = w.strip_prefix(stem) {
            if matches!(end, "ь" | "и" | "ью") {
                return Some(word);
            }
        }
    }
    Some(match w {
        "ноль" | "нуль" | "ноля" | "нуля" | "нолю" | "нулю" | "нолем" | "нулем" | "ноле"
        | "нуле" | "zero" | "nought" => Zero,
        "один" | "одна" | "одно" | "одного" | "одной" | "одному" | "одним" | "одном" | "одну"
        | "одною" | "one" => Unit(1),
        "два" | "две" | "двух" | "двум" | "двумя" | "two" => Unit(2),
        "три" | "трех" | "трем" | "тремя" | "three" => Unit(3),
        "четыре" | "четырех" | "четырем" | "четырьмя" | "four" => {
            Unit(4)
        }
        "five" => Unit(5),
        "six" => Unit(6),
        "семь" | "семи" | "seven" => Unit(7),
        "восемь" | "восьми" | "восемью" | "восьмью" | "eight" => Unit(8),
        "nine" => Unit(9),
        "ten" => Teen(10),
        "eleven" => Teen(11),
        "twelve" => Teen(12),
        "thirteen" => Teen(13),
        "fourteen" => Teen(14),
        "fifteen" => Teen(15),
        "sixteen" => Teen(16),
        "seventeen" => Teen(17),
        "eighteen" => Teen(18),
        "nineteen" => Teen(19),
        "twenty" => Ten(20),
        "thirty" => Ten(30),
        "сорок" | "сорока" | "forty" => Ten(40),
        "пятьдесят" | "пятидесяти" | "пятьюдесятью" | "fifty" => {
            Ten(50)
        }
        "шестьдесят" | "шестидесяти" | "шестьюдесятью" | "sixty" => {
            Ten(60)
        }
        "семьдесят" | "семидесяти" | "семьюдесятью" | "seventy" => {
            Ten(70)
        }
        "восемьдесят" | "восьмидесяти" | "восемьюдесятью" | "восьмьюдесятью" | "eighty" => {
            Ten(80)
        }
        "девяносто" | "девяноста" | "ninety" => Ten(90),
        "сто" | "ста" => Hundreds(100),
        "двести" | "двухсот" | "двумстам" | "двумястами" | "двухстах" => {
            Hundreds(200)
        }
        "триста" | "трехсот" | "тремстам" | "тремястами" | "трехстах" => {
            Hundreds(300)
        }
        "четыреста" | "четырехсот" | "четыремстам" | "четырьмястами" | "четырехстах" => {
            Hundreds(400)
        }
        "пятьсот" | "пятисот" | "пятистам" | "пятьюстами" | "пятистах" => {
            Hundreds(500)
        }
        "шестьсот" | "шестисот" | "шестистам" | "шестьюстами" | "шестистах" => {
            Hundreds(600)
        }
        "семьсот" | "семисот" | "семистам" | "семьюстами" | "семистах" => {
            Hundreds(700)
        }
        "восемьсот"
        | "восьмисот"
        | "восьмистам"
        | "восемьюстами"
        | "восьмьюстами"
        | "восьмистах" => Hundreds(800),
        "девятьсот" | "девятисот" | "девятистам" | "девятьюстами" | "девятистах" => {
            Hundreds(900)
        }
        "hundred" => HundredMul,
        "oh" => Oh,
        "and" => And,
        "double" => Repeat(2),
        "triple" => Repeat(3),
        _ => return None,
    })
}

/// A word of the input: byte range and its classification.
struct Token {
    range: Range<usize>,
    word: Option<Word>,
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut start: Option<usize> = None;
    let mut push = |s: usize, e: usize| {
        let folded = text[s..e].to_lowercase().replace('ё', "е");
        tokens.push(Token {
            range: s..e,
            word: classify(&folded),
        });
    };
    for (i, c) in text.char_indices() {
        match (c.is_alphabetic(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                push(s, i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        push(s, text.len());
    }
    tokens
}

/// Words of one run may be separated by spaces or tabs and at most one hyphen
/// ("twenty-three"); a comma, a full stop or a line break ends the run.
fn joinable(gap: &str) -> bool {
    !gap.is_empty()
        && gap.chars().all(|c| c == ' ' || c == '\t' || c == '-')
        && gap.chars().filter(|&c| c == '-').count() <= 1
}

fn is_digit_word(w: Option<Word>) -> bool {
    matches!(
        w,
        Some(Word::Zero | Word::Unit(_) | Word::Teen(_) | Word::Ten(_) | Word::Hundreds(_))
    )
}

/// Finds runs of number words: `[first, last]` token indices.
fn find_runs(text: &str, tokens: &[Token]) -> Vec<(usize, usize)> {
    let gap = |a: usize, b: usize| joinable(&text[tokens[a].range.end..tokens[b].range.start]);
    // Is token `i` an acceptable word of a run (joined to `i - 1` if it continues one)?
    let accept = |i: usize| -> bool {
        let next_is = |pred: &dyn Fn(Option<Word>) -> bool| {
            tokens.get(i + 1).is_some_and(|t| pred(t.word)) && gap(i, i + 1)
        };
        match tokens[i].word {
            Some(Word::HundredMul) => true,
            Some(Word::And) => {
                matches!(tokens[i - 1].word, Some(Word::HundredMul))
                    && next_is(&|w| matches!(w, Some(Word::Unit(_) | Word::Teen(_) | Word::Ten(_))))
            }
            Some(Word::Repeat(_)) => {
                next_is(&|w| matches!(w, Some(Word::Zero | Word::Unit(_) | Word::Oh)))
            }
            Some(Word::Oh) => {
                // Only ever joins a run already started; after any further
                // "oh"s a digit word must follow.
                let mut j = i + 1;
                while j < tokens.len() && gap(j - 1, j) {
                    match tokens[j].word {
                        Some(Word::Oh) => j += 1,
                        w => return is_digit_word(w),
                    }
                }
                false
            }
            w => is_digit_word(w),
        }
    };
    let mut runs = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let starts = match tokens[i].word {
            Some(Word::Repeat(_)) => accept(i),
            w => is_digit_word(w),
        };
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < tokens.len() && gap(j, j + 1) && accept(j + 1) {
            j += 1;
        }
        runs.push((i, j));
        i = j + 1;
    }
    runs
}

/// Composes the words of one run into digit groups.
fn compose(words: impl Iterator<Item = Word>) -> Vec<String> {
    /// The group being built and what may still extend it.
    #[derive(Clone, Copy)]
    enum State {
        Hundreds(u32),
        Ten(u32),
        Unit(u32),
        Done(u32),
    }
    let mut groups = Vec::new();
    let mut cur: Option<State> = None;
    let mut repeat = 1;
    let value = |s: State| match s {
        State::Hundreds(v) | State::Ten(v) | State::Unit(v) | State::Done(v) => v,
    };
    for w in words {
        let w = if w == Word::Oh { Word::Zero } else { w };
        cur = match (cur, w) {
            (_, Word::And) => cur,
            (Some(State::Hundreds(v)), Word::Ten(t)) => Some(State::Ten(v + t)),
            (Some(State::Hundreds(v)), Word::Unit(u) | Word::Teen(u)) => Some(State::Done(v + u)),
            (Some(State::Ten(v)), Word::Unit(u)) => Some(State::Done(v + u)),
            (Some(State::Unit(u)), Word::HundredMul) => Some(State::Hundreds(u * 100)),
            (Some(State::Done(t)), Word::HundredMul) if (10..20).contains(&t) => {
                Some(State::Hundreds(t * 100))
            }
            (prev, w) => {
                if let Some(s) = prev {
                    groups.push(value(s).to_string());
                }
                match w {
                    Word::Repeat(n) => {
                        repeat = n;
                        None
                    }
                    Word::Zero | Word::Unit(_) if repeat > 1 => {
                        let digit = if let Word::Unit(u) = w { u } else { 0 };
                        groups.extend((1..repeat).map(|_| digit.to_string()));
                        repeat = 1;
                        Some(State::Done(digit))
                    }
                    Word::Zero => Some(State::Done(0)),
                    Word::Unit(u) => Some(State::Unit(u)),
                    Word::Teen(t) => Some(State::Done(t)),
                    Word::Ten(t) => Some(State::Ten(t)),
                    Word::Hundreds(h) => Some(State::Hundreds(h)),
                    Word::HundredMul => Some(State::Hundreds(100)),
                    Word::Oh | Word::And => None,
                }
            }
        };
    }
    if let Some(s) = cur {
        groups.push(value(s).to_string());
    }
    groups
}

/// One rewritten run: where it was in the input and where its digits are in
/// the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpokenRun {
    /// Byte range of the number words in the original text.
    pub original: Range<usize>,
    /// Byte range of the digit groups in [`SpokenConversion::text`].
    pub converted: Range<usize>,
}

/// The converted text and the runs that were rewritten, so that a caller can
/// map a finding back or restore words that turned out not to matter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SpokenConversion {
    pub text: String,
    pub runs: Vec<SpokenRun>,
}

/// Rewrites runs of Russian and English number words into digit groups and
/// reports where each run went. Text outside the runs is copied unchanged.
pub fn convert_spoken_numbers(text: &str) -> SpokenConversion {
    let tokens = tokenize(text);
    let mut out = SpokenConversion {
        text: String::with_capacity(text.len()),
        runs: Vec::new(),
    };
    let mut copied = 0;
    for (first, last) in find_runs(text, &tokens) {
        let original = tokens[first].range.start..tokens[last].range.end;
        let groups = compose(tokens[first..=last].iter().filter_map(|t| t.word));
        out.text.push_str(&text[copied..original.start]);
        let start = out.text.len();
        out.text.push_str(&groups.join(" "));
        out.runs.push(SpokenRun {
            original: original.clone(),
            converted: start..out.text.len(),
        });
        copied = original.end;
    }
    out.text.push_str(&text[copied..]);
    out
}

/// Rewrites spoken numbers as digit groups separated by spaces:
/// «восемь девятьсот шестнадцать» → `8 916`, "four one one one" → `4 1 1 1`.
pub fn spoken_numbers_to_digits(text: &str) -> String {
    convert_spoken_numbers(text).text
}

/// ASCII digits of `s` if it holds only digits, spaces and hyphens.
fn digits_of(s: &str) -> Option<Vec<u32>> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '0'..='9' => out.push(c as u32 - '0' as u32),
            ' ' | '-' => {}
            _ => return None,
        }
    }
    Some(out)
}

/// Luhn check of a card number; spaces and hyphens are ignored, any other
/// character fails. Length is not checked here (cards are 13–19 digits).
pub fn luhn_valid(number: &str) -> bool {
    let Some(d) = digits_of(number) else {
        return false;
    };
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| match (i % 2 == 1, x * 2) {
            (true, y) if y > 9 => y - 9,
            (true, y) => y,
            (false, _) => x,
        })
        .sum();
    d.len() >= 2 && sum.is_multiple_of(10)
}

/// СНИЛС check: 11 digits (spaces and hyphens ignored); the last two equal the
/// weighted sum of the first nine (weights 9…1) reduced modulo 101, with 100
/// and 101 written as 00.
pub fn snils_valid(number: &str) -> bool {
    let Some(d) = digits_of(number).filter(|d| d.len() == 11) else {
        return false;
    };
    let s: u32 = d[..9].iter().zip((1..=9).rev()).map(|(x, w)| x * w).sum();
    let check = match s {
        0..=99 => s,
        100 | 101 => 0,
        _ => (s % 101) % 100,
    };
    check == d[9] * 10 + d[10]
}

/// ИНН check: 10 digits (organisation, one check digit) or 12 digits (person,
/// two check digits); check = (Σ wᵢdᵢ mod 11) mod 10.
pub fn inn_valid(number: &str) -> bool {
    const W12: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    let Some(d) = digits_of(number) else {
        return false;
    };
    let check = |n: usize| -> u32 {
        let w = &W12[11 - n..];
        d[..n].iter().zip(w).map(|(x, w)| x * w).sum::<u32>() % 11 % 10
    };
    match d.len() {
        10 => check(9) == d[9],
        12 => check(10) == d[10] && check(11) == d[11],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dictated_card_digits_become_single_digit_groups() {
        assert_eq!(
            spoken_numbers_to_digits("четыре один один один ноль ноль"),
            "4 1 1 1 0 0"
        );
    }

    #[test]
    fn dictated_phone_keeps_the_speakers_grouping() {
        assert_eq!(
            spoken_numbers_to_digits(
                "восемь девятьсот шестнадцать сто двадцать три сорок пять шестьдесят семь"
            ),
            "8 916 123 45 67"
        );
    }

    #[test]
    fn hundreds_tens_and_units_compose_into_one_group() {
        assert_eq!(spoken_numbers_to_digits("сто двадцать три"), "123");
        assert_eq!(spoken_numbers_to_digits("двести пять"), "205");
        assert_eq!(spoken_numbers_to_digits("девятьсот девятнадцать"), "919");
    }

    #[test]
    fn english_tens_and_hundreds_compose() {
        assert_eq!(spoken_numbers_to_digits("twenty three"), "23");
        assert_eq!(spoken_numbers_to_digits("twenty-three"), "23");
        assert_eq!(
            spoken_numbers_to_digits("one hundred and twenty five"),
            "125"
        );
        assert_eq!(spoken_numbers_to_digits("four one one one"), "4 1 1 1");
    }

    #[test]
    fn case_forms_and_capitals_are_recognised() {
        assert_eq!(
            spoken_numbers_to_digits("Двух пятисот сорока трёх"),
            "2 543"
        );
        assert_eq!(spoken_numbers_to_digits("Нулю одному"), "0 1");
    }

    #[test]
    fn surrounding_prose_is_copied_unchanged() {
        assert_eq!(
            spoken_numbers_to_digits("Номер: три пять, спасибо!"),
            "Номер: 3 5, спасибо!"
        );
    }

    #[test]
    fn a_comma_ends_a_run() {
        assert_eq!(spoken_numbers_to_digits("один, два"), "1, 2");
    }

    #[test]
    fn isolated_number_word_becomes_a_digit() {
        assert_eq!(spoken_numbers_to_digits("одна минута"), "1 минута");
    }

    #[test]
    fn thousands_stay_words() {
        assert_eq!(
            spoken_numbers_to_digits("пятнадцать тысяч рублей"),
            "15 тысяч рублей"
        );
    }

    #[test]
    fn family_is_not_seven() {
        assert_eq!(
            spoken_numbers_to_digits("застраховать всю семью"),
            "застраховать всю семью"
        );
    }

    #[test]
    fn words_containing_number_words_are_untouched() {
        assert_eq!(spoken_numbers_to_digits("стол пятерка"), "стол пятерка");
    }

    #[test]
    fn oh_is_zero_only_between_number_words() {
        assert_eq!(spoken_numbers_to_digits("four oh one"), "4 0 1");
        assert_eq!(spoken_numbers_to_digits("oh I see"), "oh I see");
        assert_eq!(spoken_numbers_to_digits("seven oh"), "7 oh");
    }

    #[test]
    fn and_outside_hundreds_is_prose() {
        assert_eq!(spoken_numbers_to_digits("one and two"), "1 and 2");
    }

    #[test]
    fn double_repeats_the_next_digit() {
        assert_eq!(spoken_numbers_to_digits("double four one"), "4 4 1");
        assert_eq!(spoken_numbers_to_digits("double check"), "double check");
    }

    #[test]
    fn runs_report_both_ranges() {
        let c = convert_spoken_numbers("код сто двадцать три");
        assert_eq!(c.text, "код 123");
        assert_eq!(c.runs.len(), 1);
        assert_eq!(&c.text[c.runs[0].converted.clone()], "123");
        assert_eq!(
            &"код сто двадцать три"[c.runs[0].original.clone()],
            "сто двадцать три"
        );
    }

    #[test]
    fn luhn_accepts_test_cards_and_rejects_a_changed_digit() {
        assert!(luhn_valid("4111111111111111"));
        assert!(luhn_valid("4242 4242 4242 4242"));
        assert!(luhn_valid("5555-5555-5555-4444"));
        assert!(!luhn_valid("4111111111111112"));
        assert!(!luhn_valid("4111a111111111111"));
    }

    #[test]
    fn snils_check_digits_follow_the_pension_fund_rule() {
        assert!(snils_valid("112-233-445 95"));
        assert!(snils_valid("010-242-368 77"));
        assert!(!snils_valid("010-242-368 00"));
        assert!(!snils_valid("112-233-445"));
    }

    #[test]
    fn inn_checks_ten_and_twelve_digit_numbers() {
        assert!(inn_valid("1234567894"));
        assert!(!inn_valid("1234567895"));
        assert!(inn_valid("123456789047"));
        assert!(!inn_valid("123456789037"));
        assert!(!inn_valid("12345678904"));
    }
}
