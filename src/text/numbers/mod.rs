//! Numbers in transcripts: spoken number words turned into digits (the
//! check-digit algorithms of identifiers and cards are in `checksum`).
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
//! * Thousands make one group with what follows: «четыре тысячи двести
//!   семьдесят шесть» → `4276`, as a card is sometimes read in fours;
//!   «пятнадцать тысяч» → `15000`. Runs that turn out not to be personal
//!   data are put back as words when masking, so amounts read as said.
//! * English "oh" is zero only between number words ("four oh one"), "and"
//!   only inside "one hundred and twenty", "double"/"triple" only before a
//!   digit word ("double four" → `4 4`), so ordinary prose keeps these words.
//! * «семью» is not read as «семь»: in calls it is far more often «семья»
//!   (family) in the accusative. Every other case form is recognised.
//! * An isolated word is converted too («одна минута» → `1 минута`); that keeps
//!   the rule simple and such text stays readable.

mod shape;
mod words;

pub use shape::may_hold_number_word;
use shape::{is_letter, Shape};
use std::ops::Range;
use words::{word_of, Word, MAX_WORD};

/// A word of the input: byte range and its classification.
struct Token {
    range: Range<usize>,
    word: Option<Word>,
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word: Option<(usize, Shape)> = None;
    let mut buf = String::with_capacity(MAX_WORD + 8);
    let mut push = |s: usize, e: usize, shape: Shape| {
        tokens.push(Token {
            range: s..e,
            word: if shape.may_be_number() {
                word_of(&text[s..e], &mut buf)
            } else {
                None
            },
        });
    };
    for (i, c) in text.char_indices() {
        match (is_letter(c), &mut word) {
            (true, None) => word = Some((i, Shape::start(c))),
            (true, Some((_, shape))) => shape.push(c),
            (false, Some((s, shape))) => {
                push(*s, i, *shape);
                word = None;
            }
            (false, None) => {}
        }
    }
    if let Some((s, shape)) = word {
        push(s, text.len(), shape);
    }
    tokens
}

/// Words of one run may be separated by spaces or tabs and at most one hyphen
/// ("twenty-three"); a comma, a full stop or a line break ends the run.
/// Any Unicode space counts as a space, any dash as a hyphen.
fn joinable(gap: &str) -> bool {
    let hyphen = |c: char| c == '-' || crate::text::pii::is_wide_dash(c);
    !gap.is_empty()
        && gap
            .chars()
            .all(|c| c == ' ' || c == '\t' || hyphen(c) || crate::text::pii::is_wide_separator(c))
        && gap.chars().filter(|&c| hyphen(c)).count() <= 1
}

fn is_digit_word(w: Option<Word>) -> bool {
    matches!(
        w,
        Some(
            Word::Zero
                | Word::Unit(_)
                | Word::Teen(_)
                | Word::Ten(_)
                | Word::Hundreds(_)
                | Word::Thousand
        )
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
    // The thousands of the group being built («четыре тысячи …» → 4000).
    let mut base = 0;
    let value = |s: State| match s {
        State::Hundreds(v) | State::Ten(v) | State::Unit(v) | State::Done(v) => v,
    };
    for w in words {
        let w = if w == Word::Oh { Word::Zero } else { w };
        if w == Word::Thousand {
            match (base, cur.map(value)) {
                (0, Some(v)) if v > 0 => base = v * 1000,
                (0, _) => base = 1000,
                (b, v) => {
                    groups.push((b + v.unwrap_or(0)).to_string());
                    base = 1000;
                }
            }
            cur = None;
            continue;
        }
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
                    groups.push((base + value(s)).to_string());
                    base = 0;
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
                    Word::Oh | Word::And | Word::Thousand => None,
                }
            }
        };
    }
    match cur {
        Some(s) => groups.push((base + value(s)).to_string()),
        None if base > 0 => groups.push(base.to_string()),
        None => {}
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

#[cfg(test)]
mod tests {
    use super::words::{classify, fold_word, FORMS, SOFT_STEMS, WORDS};
    use super::*;
    use proptest::strategy::Strategy;

    #[test]
    fn words_fold_as_lower_case_with_yo_as_ye() {
        for word in [
            "Двух",
            "ТРЁХ",
            "ёЁ",
            "İstanbul",
            "\u{212A}",
            "ǅ",
            "Straße",
            "ﬀ",
            "тыщщщщщщщщщщщщщщщщщщ",
            "",
        ] {
            let expected = word.to_lowercase().replace('ё', "е");
            let mut buf = String::new();
            if fold_word(word, &mut buf) {
                assert_eq!(buf, expected);
            } else {
                assert!(expected.len() > MAX_WORD, "{word}");
            }
        }
    }

    #[test]
    fn no_number_word_is_ruled_out_by_its_shape() {
        let mut forms: Vec<String> = WORDS.keys().cloned().collect();
        forms.extend(
            ["ТРЁХ", "Четыре", "ДВУХ", "Пятьсот", "One", "TWENTY", "ДвУх"].map(String::from),
        );
        for form in &forms {
            for variant in [form.clone(), form.to_uppercase(), form.replace('е', "ё")] {
                let tokens = tokenize(&variant);
                let mut buf = String::new();
                assert_eq!(tokens.len(), 1, "{variant}");
                assert_eq!(tokens[0].word, word_of(&variant, &mut buf), "{variant}");
            }
        }
    }

    #[test]
    fn a_text_ruled_out_by_shape_is_left_as_it_is() {
        for text in [
            "Здравствуйте, банк «Пример», чем могу помочь?",
            "Спасибо за ожидание!",
            "",
            "…ожидание…",
        ] {
            assert!(!may_hold_number_word(text), "{text}");
            assert_eq!(convert_spoken_numbers(text).text, text);
        }
        for text in ["номер три", "Пять", "twenty-one", "ДВА!", "семи"] {
            assert!(may_hold_number_word(text), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn reading_bytes_rules_out_what_reading_characters_does(
            text in proptest::prop_oneof![
                "[а-яА-ЯёЁa-zA-Z0-9 ,.!?«»іїґЂѐѠ\u{212A}αΩ-]{0,40}",
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "сто", "СТО", "стол", "трёх", "Трех", "сорок", "сорокІ", "one", "ONE",
                        "onE1", "карта", "пять-шесть", "ѐсто", "\u{212A}", " ", ", ",
                    ]),
                    0..6,
                ).prop_map(|w: Vec<&str>| w.concat()),
            ],
        ) {
            let by_chars = {
                let mut out = false;
                let mut word: Option<Shape> = None;
                for c in text.chars().chain([' ']) {
                    match (is_letter(c), &mut word) {
                        (true, None) => word = Some(Shape::start(c)),
                        (true, Some(shape)) => shape.push(c),
                        (false, Some(shape)) => {
                            out |= shape.may_be_number();
                            word = None;
                        }
                        (false, None) => {}
                    }
                }
                out
            };
            proptest::prop_assert_eq!(may_hold_number_word(&text), by_chars);
        }
    }

    #[test]
    fn ordinary_words_are_ruled_out_by_shape_alone() {
        for word in ["пожалуйста", "здравствуйте", "Спасибо", "карту", "please"]
        {
            let mut chars = word.chars();
            let mut shape = Shape::start(chars.next().unwrap());
            chars.for_each(|c| shape.push(c));
            assert!(!shape.may_be_number(), "{word}");
        }
    }

    #[test]
    fn every_listed_form_is_a_number_word_short_enough_to_fold() {
        for (word, forms) in FORMS {
            for form in *forms {
                assert_eq!(classify(form), Some(*word), "{form}");
                assert!(form.len() <= MAX_WORD, "{form}");
            }
        }
        for (stem, word) in SOFT_STEMS {
            for end in ["ь", "и", "ью"] {
                let form = format!("{stem}{end}");
                assert_eq!(classify(&form), Some(word), "{form}");
                assert!(form.len() <= MAX_WORD, "{form}");
            }
            assert_eq!(classify(&format!("{stem}ая")), None);
        }
        assert_eq!(classify("семью"), None);
    }

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
    fn thousands_join_the_group_they_multiply() {
        assert_eq!(
            spoken_numbers_to_digits(
                "четыре тысячи двести семьдесят шесть три тысячи восемьсот \
                 тысяча двести тридцать четыре пять тысяч шестьсот семьдесят девять"
            ),
            "4276 3800 1234 5679"
        );
        assert_eq!(
            spoken_numbers_to_digits("пятнадцать тысяч рублей"),
            "15000 рублей"
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
}
