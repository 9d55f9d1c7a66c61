//! The JSON scanner under the hand reader of native contacts: white space,
//! strings with their escapes, numbers as serde_json reads them, and the
//! exact text of a value the reader hands on to serde_json whole. Each gives
//! up (`None`) where serde's reader would report an error or read otherwise.

use std::borrow::Cow;

/// How deep unknown values may nest before the reader leaves them to serde
/// (serde_json's own limit is 128).
pub(super) const MAX_DEPTH: u32 = 100;

/// Exact powers of ten, as serde_json divides by them (`f64_from_parts`).
const POW10: [f64; 19] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18,
];

/// A cursor over one contact's JSON text.
pub(super) struct Reader<'a> {
    pub text: &'a str,
    /// The same text as bytes.
    pub s: &'a [u8],
    /// Where the next byte is read.
    pub i: usize,
}

impl<'a> Reader<'a> {
    pub(super) fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    /// The next byte after white space, not consumed.
    pub(super) fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }

    pub(super) fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek()? == b).then(|| self.i += 1)
    }

    /// Calls `member` with each key of an object; it must read the value.
    pub(super) fn object(
        &mut self,
        mut member: impl FnMut(&mut Self, Cow<'a, str>) -> Option<()>,
    ) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(());
        }
        loop {
            self.ws();
            let key = self.string()?;
            self.eat(b':')?;
            member(self, key)?;
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// A string at the reader (no white space before it), escapes decoded.
    pub(super) fn string(&mut self) -> Option<Cow<'a, str>> {
        if self.s.get(self.i) != Some(&b'"') {
            return None;
        }
        let start = self.i + 1;
        let special = crate::sys::bytescan::JSON_STRING_SPECIAL;
        let mut at = special.find(self.s, start)?;
        if self.s[at] == b'"' {
            self.i = at + 1;
            return Some(Cow::Borrowed(&self.text[start..at]));
        }
        let mut out = String::with_capacity(at - start + 16);
        let mut from = start;
        loop {
            // `at` is an ASCII byte, so a character boundary.
            out.push_str(&self.text[from..at]);
            match self.s[at] {
                b'"' => {
                    self.i = at + 1;
                    return Some(Cow::Owned(out));
                }
                b'\\' => {
                    let (c, len) = self.escape(at + 1)?;
                    out.push(c);
                    from = at + 1 + len;
                }
                // A raw control character: not JSON.
                _ => return None,
            }
            at = special.find(self.s, from)?;
        }
    }

    /// The escape after a backslash at `at`: the character and how many
    /// bytes it took. Lone surrogates are left to serde (an error there).
    pub(super) fn escape(&self, at: usize) -> Option<(char, usize)> {
        let c = match *self.s.get(at)? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4(at + 1)?;
                return match hi {
                    0xD800..=0xDBFF => {
                        if self.s.get(at + 5..at + 7)? != b"\\u" {
                            return None;
                        }
                        let lo = self.hex4(at + 7)?;
                        if !(0xDC00..=0xDFFF).contains(&lo) {
                            return None;
                        }
                        let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                        Some((char::from_u32(c)?, 11))
                    }
                    0xDC00..=0xDFFF => None,
                    _ => Some((char::from_u32(hi)?, 5)),
                };
            }
            _ => return None,
        };
        Some((c, 1))
    }

    pub(super) fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.s.get(at..at + 4)?;
        digits.iter().try_fold(0u32, |n, &d| {
            let v = (d as char).to_digit(16)?;
            Some(n * 16 + v)
        })
    }

    /// A non-negative number without exponent and of at most 18 digits, as
    /// serde_json computes it: the digits as an integer, divided by a power
    /// of ten for the digits after the point. Anything else is left to serde.
    pub(super) fn number(&mut self) -> Option<f64> {
        self.ws();
        let (mut significand, mut digits, mut frac) = (0u64, 0usize, 0usize);
        let mut at = self.i;
        let mut point = None;
        while let Some(&b) = self.s.get(at) {
            match b {
                b'0'..=b'9' => {
                    // Wrapping: more than 18 digits is left to serde below anyway.
                    significand = significand
                        .wrapping_mul(10)
                        .wrapping_add(u64::from(b - b'0'));
                    digits += 1;
                    frac += usize::from(point.is_some());
                }
                b'.' if point.is_none() => point = Some(at),
                _ => break,
            }
            at += 1;
        }
        let int = digits - frac;
        let leading_zero = int > 1 && self.s[self.i] == b'0';
        if int == 0
            || leading_zero
            || point.is_some_and(|_| frac == 0)
            || digits > 18
            || matches!(self.s.get(at), Some(b'e' | b'E'))
        {
            return None;
        }
        self.i = at;
        Some(significand as f64 / POW10[frac])
    }

    /// `null` at the reader, consumed.
    pub(super) fn null(&mut self) -> bool {
        if self.peek() == Some(b'n') && self.s[self.i..].starts_with(b"null") {
            self.i += 4;
            true
        } else {
            false
        }
    }

    pub(super) fn opt_string(&mut self) -> Option<Option<String>> {
        if self.null() {
            return Some(None);
        }
        self.owned_string().map(Some)
    }

    pub(super) fn opt_number(&mut self) -> Option<Option<f64>> {
        if self.null() {
            return Some(None);
        }
        Some(Some(self.number()?))
    }

    /// The text of the value at the reader, skipped over; serde_json reads
    /// (and checks) it afterwards.
    pub(super) fn value_text(&mut self, depth: u32) -> Option<&'a str> {
        self.ws();
        let start = self.i;
        match *self.s.get(self.i)? {
            b'"' => {
                self.string()?;
            }
            b'{' => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                self.object(|r, _| r.value_text(depth + 1).map(drop))?;
            }
            b'[' => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                self.i += 1;
                if self.peek()? == b']' {
                    self.i += 1;
                } else {
                    loop {
                        self.value_text(depth + 1)?;
                        match self.peek()? {
                            b',' => self.i += 1,
                            b']' => {
                                self.i += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
            }
            _ => {
                // A number or a literal: its characters, checked by serde_json.
                let len = self.s[self.i..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.'))
                    .count();
                if len == 0 {
                    return None;
                }
                self.i += len;
            }
        }
        Some(&self.text[start..self.i])
    }
}
