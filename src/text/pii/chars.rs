//! Character tests and literal matching for the hand-written PII scanners.
//!
//! The detectors used to be regular expressions with `(?i)` and Unicode `\b` /
//! `\w`; on Cyrillic text those keep the regex crate on its slowest engines.
//! The scanners in `context`, `runs`, `phones`, `cvv` and `detectors`
//! reproduce those regexes by hand with the helpers below, which follow the
//! regex crate's definitions exactly (checked against regex-syntax for every
//! character in the tests):
//! * a *word character* is Unicode `\w` (letters, marks, decimal digits,
//!   connector punctuation, joiners), and `\b` lies between a word character
//!   and a non-word character (or the edge of the text);
//! * `(?i)` compares characters by Unicode simple case folding; [`fold`]
//!   gives the canonical lower-case form for every character that can match a
//!   letter of the built-in patterns (the rest map to themselves).

/// Unicode `\w`, as the regex crate defines it; Russian and ASCII letters
/// answered without the Unicode tables.
#[inline]
pub(super) fn is_word(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' | '_' | 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё' => true,
        _ if c.is_ascii() => false,
        _ => regex_syntax::is_word_character(c),
    }
}

/// The canonical form of `c` under the regex crate's `(?i)` (simple case
/// folding) for the characters the built-in patterns use: ASCII and Russian
/// letters, plus the few other characters that fold to them (KELVIN SIGN,
/// LONG S, the Old Church Slavonic letter variants U+1C80–U+1C86).
#[inline]
pub(super) fn fold(c: char) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        'А'..='Я' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
        'Ѐ'..='Џ' => char::from_u32(c as u32 + 0x50).unwrap_or(c),
        '\u{212A}' => 'k',
        '\u{17F}' => 's',
        '\u{1C80}' => 'в',
        '\u{1C81}' => 'д',
        '\u{1C82}' => 'о',
        '\u{1C83}' => 'с',
        '\u{1C84}' | '\u{1C85}' => 'т',
        '\u{1C86}' => 'ъ',
        _ => c,
    }
}

/// The character before byte offset `at`, if any.
#[inline]
pub(super) fn char_before(text: &str, at: usize) -> Option<char> {
    text[..at].chars().next_back()
}

/// Whether `\b` holds at byte offset `at`.
#[inline]
pub(super) fn boundary(text: &str, at: usize) -> bool {
    char_before(text, at).is_some_and(is_word) != text[at..].chars().next().is_some_and(is_word)
}

/// The end of `(?i)literal` matched at `at`; `lit` is in folded form.
#[inline]
pub(super) fn match_folded(text: &str, at: usize, lit: &str) -> Option<usize> {
    // Text written as the literal (lower case) needs no folding.
    if text.as_bytes()[at..].starts_with(lit.as_bytes()) {
        return Some(at + lit.len());
    }
    let mut chars = text[at..].chars();
    let mut end = at;
    for l in lit.chars() {
        let c = chars.next()?;
        if fold(c) != l {
            return None;
        }
        end += c.len_utf8();
    }
    Some(end)
}

/// The end of `\w*` (greedy) from `at`.
#[inline]
pub(super) fn skip_word(text: &str, at: usize) -> usize {
    text[at..]
        .char_indices()
        .find(|&(_, c)| !is_word(c))
        .map_or(text.len(), |(i, _)| at + i)
}

/// One step of a case-insensitive pattern written in the regex syntax the
/// built-in patterns use: `\b`, `\w*` and literal text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Piece {
    Boundary,
    Word,
    Lit(&'static str),
}

/// Splits a pattern such as `\bстрахов\w* номер\w*` into pieces. Literal text
/// is kept as written: the patterns are lower case, and `fold` maps text to it.
pub(super) fn pieces(pattern: &'static str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix(r"\b") {
            out.push(Piece::Boundary);
            rest = r;
        } else if let Some(r) = rest.strip_prefix(r"\w*") {
            out.push(Piece::Word);
            rest = r;
        } else {
            let end = [rest.find(r"\b"), rest.find(r"\w*")]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(rest.len());
            out.push(Piece::Lit(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

/// The end of a match of `pieces` starting at `at`, as the regex crate finds
/// it. No backtracking is needed: `\w*` is greedy and every literal that
/// follows it starts with a non-word character (checked in the tests), so a
/// shorter `\w*` can never let the rest match.
pub(super) fn match_pieces(text: &str, at: usize, pieces: &[Piece]) -> Option<usize> {
    let mut i = at;
    for piece in pieces {
        match piece {
            Piece::Boundary => {
                if !boundary(text, i) {
                    return None;
                }
            }
            Piece::Word => i = skip_word(text, i),
            Piece::Lit(l) => i = match_folded(text, i, l)?,
        }
    }
    Some(i)
}

/// Random texts for the tests that check the scanners against the regexes
/// they replace.
#[cfg(test)]
pub(super) mod testgen {
    /// xorshift64: deterministic, good enough to mix tokens.
    pub(in crate::text) struct Rng(pub u64);

    impl Rng {
        pub(in crate::text) fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        pub(in crate::text) fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
            xs[self.below(xs.len())]
        }
    }

    /// `s` in a random case, sometimes with letters that only `(?i)` equates
    /// to the usual ones (KELVIN SIGN, LONG S, Old Church Slavonic variants).
    pub(in crate::text) fn recase(rng: &mut Rng, s: &str) -> String {
        match rng.below(6) {
            0 => s.to_uppercase(),
            1 => {
                let mut cs = s.chars();
                cs.next()
                    .map(|c| c.to_uppercase().chain(cs).collect())
                    .unwrap_or_default()
            }
            2 => s
                .chars()
                .map(|c| {
                    if rng.below(2) == 0 {
                        c.to_uppercase().next().unwrap_or(c)
                    } else {
                        c
                    }
                })
                .collect(),
            3 => s
                .chars()
                .map(|c| match (c, rng.below(2)) {
                    ('k', 0) => '\u{212A}',
                    ('s', 0) => '\u{17F}',
                    ('в', 0) => '\u{1C80}',
                    ('о', 0) => '\u{1C82}',
                    ('с', 0) => '\u{1C83}',
                    ('т', 0) => '\u{1C84}',
                    ('е', 0) => 'ё',
                    ('ё', 0) => 'е',
                    _ => c,
                })
                .collect(),
            _ => s.to_string(),
        }
    }

    /// The characters the literals of the built-in patterns may use, each in
    /// its folded form; [`super::fold`] is checked for all of them.
    pub(in crate::text) const PATTERN_CHARS: &str =
        "abcdefghijklmnopqrstuvwxyzабвгдежзийклмнопрстуфхцчшщъыьэюяё .-+₽$€%№,:0123456789";

    /// Whether every character of `lit` is one of [`PATTERN_CHARS`].
    pub(in crate::text) fn folded_literal(lit: &str) -> bool {
        lit.chars().all(|c| PATTERN_CHARS.contains(c))
    }

    /// Separators worth trying between tokens: word and non-word characters,
    /// marks, digits and nothing at all.
    pub(in crate::text) const SEPARATORS: [&str; 16] = [
        " ", " ", " ", "", ", ", ".", "-", "_", "1", "ы", "x", "\u{301}", "\n", "«", "@", ": ",
    ];

    /// `n` texts of up to `max` tokens from `vocab`, recased, joined by
    /// [`SEPARATORS`].
    pub(in crate::text) fn texts(vocab: &[&str], n: usize, max: usize, seed: u64) -> Vec<String> {
        let mut rng = Rng(seed);
        (0..n)
            .map(|_| {
                let mut text = String::new();
                for _ in 0..1 + rng.below(max) {
                    text.push_str(rng.pick(&SEPARATORS));
                    let token = rng.pick(vocab);
                    text.push_str(&recase(&mut rng, token));
                }
                text.push_str(rng.pick(&SEPARATORS));
                text
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_syntax::hir::{Class, HirKind};

    fn all_chars() -> impl Iterator<Item = char> {
        (0..=0x10FFFFu32).filter_map(char::from_u32)
    }

    /// The characters `(?i)<c>` matches, according to regex-syntax.
    fn case_class(c: char) -> Vec<(char, char)> {
        let pattern = format!("(?i){}", regex_syntax::escape(&c.to_string()));
        let hir = regex_syntax::parse(&pattern).unwrap();
        match hir.kind() {
            HirKind::Class(Class::Unicode(cls)) => {
                cls.ranges().iter().map(|r| (r.start(), r.end())).collect()
            }
            HirKind::Literal(_) => vec![(c, c)],
            other => panic!("unexpected {other:?}"),
        }
    }

    /// Marks the characters of `ranges` in a table indexed by code point.
    fn table(ranges: impl Iterator<Item = (char, char)>) -> Vec<bool> {
        let mut t = vec![false; 0x11_0000];
        for (a, b) in ranges {
            t[a as usize..=b as usize].fill(true);
        }
        t
    }

    #[test]
    fn fold_agrees_with_regex_case_insensitivity_for_every_pattern_character() {
        // `fold(c) == l` exactly when `(?i)l` matches `c`: every character
        // `(?i)l` matches folds to `l`, and every character that folds to a
        // pattern character is matched by it.
        let classes: Vec<(char, Vec<(char, char)>)> = testgen::PATTERN_CHARS
            .chars()
            .map(|l| (l, case_class(l)))
            .collect();
        for (l, class) in &classes {
            assert_eq!(fold(*l), *l, "{l} is its own canonical form");
            for &(a, b) in class {
                for c in (a as u32..=b as u32).filter_map(char::from_u32) {
                    assert_eq!(fold(c), *l, "{c:?} ({:X})", c as u32);
                }
            }
        }
        let mut class_of = vec![None; 0x11_0000];
        for (l, class) in &classes {
            class_of[*l as usize] = Some(class);
        }
        for c in all_chars() {
            if let Some(class) = class_of[fold(c) as usize] {
                let matched = class.iter().any(|&(a, b)| a <= c && c <= b);
                assert!(matched, "{c:?} ({:X}) folds to {}", c as u32, fold(c));
            }
        }
    }

    #[test]
    fn is_word_agrees_with_regex_syntax_for_every_character() {
        for c in all_chars() {
            assert_eq!(is_word(c), regex_syntax::is_word_character(c), "{c:?}");
        }
    }

    #[test]
    fn case_insensitive_word_class_is_the_word_class() {
        let hir = regex_syntax::parse(r"(?i)\w").unwrap();
        let HirKind::Class(Class::Unicode(cls)) = hir.kind() else {
            panic!("\\w is a class")
        };
        let in_class = table(cls.ranges().iter().map(|r| (r.start(), r.end())));
        for c in all_chars() {
            assert_eq!(in_class[c as usize], is_word(c), "{c:?}");
        }
    }

    #[test]
    fn boundaries_agree_with_the_regex_crate() {
        let re = regex::Regex::new(r"\b").unwrap();
        for text in [
            "карта 4111",
            "Ёлка-ёж",
            "a\u{301}b c",
            "日本 x",
            "_x_ y",
            "",
        ] {
            let expected: Vec<usize> = re.find_iter(text).map(|m| m.start()).collect();
            let got: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i) && boundary(text, i))
                .collect();
            assert_eq!(got, expected, "{text}");
        }
    }

    #[test]
    fn patterns_split_into_pieces() {
        assert_eq!(
            pieces(r"\bстрахов\w* номер\w*"),
            [
                Piece::Boundary,
                Piece::Lit("страхов"),
                Piece::Word,
                Piece::Lit(" номер"),
                Piece::Word
            ]
        );
        assert_eq!(pieces("тел."), [Piece::Lit("тел.")]);
        assert_eq!(pieces(r"шт\b"), [Piece::Lit("шт"), Piece::Boundary]);
    }

    #[test]
    fn literals_match_case_insensitively() {
        assert_eq!(match_folded("КАРТА", 0, "карт"), Some(8));
        assert_eq!(match_folded("\u{212A}m", 0, "km"), Some(4));
        assert_eq!(match_folded("кар", 0, "карт"), None);
        assert_eq!(skip_word("картой, да", 0), "картой".len());
    }
}
