//! A word's shape (its first two letters and its length) read while
//! tokenizing: most words of a transcript share no shape with a number word
//! and are ruled out without being folded and looked up.

use super::words::WORDS;
use std::sync::LazyLock;

/// `char::is_alphabetic`, with ASCII and Russian letters answered without the
/// Unicode tables.
#[inline]
pub(super) fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё' => true,
        _ if c.is_ascii() => false,
        _ => c.is_alphabetic(),
    }
}

/// Index of a letter of the fast set (ASCII and Russian letters, either case)
/// after folding, as [`letter_index`](super::words::letter_index) numbers them; `None` for any other
/// character. These fold one character to one character, so a word made only
/// of them has its folded form's first letters and length.
#[inline]
pub(super) fn simple_letter(c: char) -> Option<usize> {
    match c {
        'a'..='z' => Some(c as usize - 'a' as usize),
        'A'..='Z' => Some(c as usize - 'A' as usize),
        'а'..='я' => Some(26 + c as usize - 'а' as usize),
        'А'..='Я' => Some(26 + c as usize - 'А' as usize),
        'ё' | 'Ё' => Some(26 + 'е' as usize - 'а' as usize),
        _ => None,
    }
}

/// Slots of [`SHAPES`]: a word's first letter, and its second (or
/// [`NO_SECOND`] for a one-letter word).
const NO_SECOND: usize = 58;

/// For each (first letter, second letter) of a number word, the lengths in
/// characters it comes in, one bit each. Most words of a transcript share no
/// shape with a number word («пожалуйста», «здравствуйте», «сейчас»), and are
/// ruled out without being folded and looked up.
static SHAPES: LazyLock<Vec<u32>> = LazyLock::new(|| {
    let mut shapes = vec![0u32; 58 * (NO_SECOND + 1)];
    for w in WORDS.keys() {
        let mut letters = w
            .chars()
            .map(|c| simple_letter(c).expect("number words are Russian or English"));
        let first = letters.next().expect("number words are not empty");
        let second = letters.next().unwrap_or(NO_SECOND);
        let chars = w.chars().count();
        assert!(chars < 32, "number words are short");
        shapes[first * (NO_SECOND + 1) + second] |= 1 << chars;
    }
    shapes
});

/// What the tokenizer learns of a word while reading it: enough to rule it
/// out as a number word without folding it.
#[derive(Clone, Copy)]
pub(super) struct Shape {
    first: usize,
    second: usize,
    chars: u32,
    /// Every character is in the fast set (see [`simple_letter`]).
    simple: bool,
}

impl Shape {
    pub(super) fn start(c: char) -> Self {
        Self::start_at(simple_letter(c))
    }

    /// A word starting with a letter of the fast set (`Some`, by index) or another.
    fn start_at(first: Option<usize>) -> Self {
        Shape {
            first: first.unwrap_or(0),
            second: NO_SECOND,
            chars: 1,
            simple: first.is_some(),
        }
    }

    #[inline]
    pub(super) fn push(&mut self, c: char) {
        self.push_at(simple_letter(c));
    }

    #[inline]
    fn push_at(&mut self, letter: Option<usize>) {
        match letter {
            Some(l) if self.chars == 1 => self.second = l,
            Some(_) => {}
            None => self.simple = false,
        }
        self.chars += 1;
    }

    /// `false` only for a word that cannot fold to a number word.
    pub(super) fn may_be_number(&self) -> bool {
        !self.simple
            || (self.chars < 32
                && SHAPES[self.first * (NO_SECOND + 1) + self.second] & (1 << self.chars) != 0)
    }
}

/// Whether `text` may hold a number word: `false` only when every word is
/// ruled out by its shape, as [`tokenize`](super::tokenize) would rule it out, so that
/// [`convert_spoken_numbers`](super::convert_spoken_numbers) would leave the text as it is. Masking asks
/// this of every quote, and most quotes say no number.
pub fn may_hold_number_word(text: &str) -> bool {
    let b = text.as_bytes();
    let mut word: Option<Shape> = None;
    let mut i = 0;
    while i < b.len() {
        // The character at `i` read byte-wise for ASCII and Russian letters:
        // whether it is a letter (and which, when in the fast set) and its length.
        let (letter, len) = match (b[i], b.get(i + 1).copied().unwrap_or(0)) {
            (x @ (b'a'..=b'z' | b'A'..=b'Z'), _) => (Some(Some(usize::from((x | 0x20) - b'a'))), 1),
            (x, _) if x < 0x80 => (None, 1),
            (0xD0, n @ 0x90..=0xAF) => (Some(Some(26 + usize::from(n - 0x90))), 2),
            (0xD0, n @ 0xB0..=0xBF) => (Some(Some(26 + usize::from(n - 0xB0))), 2),
            (0xD1, n @ 0x80..=0x8F) => (Some(Some(42 + usize::from(n - 0x80))), 2),
            (0xD0, 0x81) | (0xD1, 0x91) => (Some(simple_letter('е')), 2),
            _ => {
                let c = text[i..].chars().next().unwrap_or(' ');
                (is_letter(c).then(|| simple_letter(c)), c.len_utf8())
            }
        };
        match (letter, &mut word) {
            (Some(l), None) => word = Some(Shape::start_at(l)),
            (Some(l), Some(shape)) => shape.push_at(l),
            (None, Some(shape)) => {
                if shape.may_be_number() {
                    return true;
                }
                word = None;
            }
            (None, None) => {}
        }
        i += len;
    }
    word.is_some_and(|shape| shape.may_be_number())
}
