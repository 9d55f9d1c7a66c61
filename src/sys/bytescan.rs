//! Sixteen bytes at a time: the hot byte scans (JSON escaping of every
//! result string, the personal-data precheck of every quote) mostly look at
//! Cyrillic prose in which nothing they want occurs, and skip it a block at a
//! time (SSE2, part of every x86-64; plain loops elsewhere).
//!
//! Kept hand-written: a scan stops at a set of bytes *and* a range (JSON's
//! control characters), which `memchr` (at most three bytes) cannot express.
//! With it the results encoder writes a line 2.3× faster than serde_json
//! (`cargo bench --bench hot_paths`, `encode_result_line*`; BENCHMARKS.md).

/// Bytes of a 16-byte block that a scan stops at: any of `bytes`, or any in
/// `lo..=hi`.
#[derive(Clone, Copy)]
pub(crate) struct Wanted<'a> {
    pub bytes: &'a [u8],
    pub lo: u8,
    pub hi: u8,
}

/// The bytes a JSON string cannot hold as they are: `"`, `\` and control
/// characters (they end it or are escaped).
pub(crate) const JSON_STRING_SPECIAL: Wanted<'static> = Wanted {
    bytes: b"\"\\",
    lo: 0,
    hi: 0x1f,
};

impl Wanted<'_> {
    #[cfg(any(test, not(target_arch = "x86_64")))]
    fn wants(&self, b: u8) -> bool {
        (self.lo..=self.hi).contains(&b) || self.bytes.contains(&b)
    }

    /// Bit i is set when byte `at + i` is wanted; `b[at..at + 16]` must exist.
    #[inline(always)]
    pub fn block(&self, b: &[u8], at: usize) -> u32 {
        let block = &b[at..at + 16];
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::*;
            // SAFETY: SSE2 is part of the x86-64 baseline; the unaligned load
            // reads the sixteen bytes of `block`, which the slice above bounds.
            unsafe {
                let x = _mm_loadu_si128(block.as_ptr().cast());
                // lo <= x <= hi exactly when min(x - lo, hi - lo) == x - lo (unsigned).
                let d = _mm_sub_epi8(x, _mm_set1_epi8(self.lo as i8));
                let span = _mm_set1_epi8((self.hi.wrapping_sub(self.lo)) as i8);
                let mut hit = _mm_cmpeq_epi8(_mm_min_epu8(d, span), d);
                for &w in self.bytes {
                    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(x, _mm_set1_epi8(w as i8)));
                }
                _mm_movemask_epi8(hit) as u32
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            block
                .iter()
                .enumerate()
                .filter(|(_, &x)| self.wants(x))
                .fold(0, |m, (i, _)| m | 1 << i)
        }
    }

    /// The first wanted byte at or after `from`. Always inlined, so that a
    /// constant `Wanted` folds into the block test.
    #[inline(always)]
    pub fn find(&self, b: &[u8], mut from: usize) -> Option<usize> {
        while from + 16 <= b.len() {
            let m = self.block(b, from);
            if m != 0 {
                return Some(from + m.trailing_zeros() as usize);
            }
            from += 16;
        }
        // The last few bytes: the block that ends with them (shifted past
        // the bytes already seen), or for a short text a copy of them
        // (what pads the copy is masked off).
        let len = b.len();
        if from >= len {
            return None;
        }
        let m = if len >= 16 {
            self.block(b, len - 16) >> (from + 16 - len)
        } else {
            let mut block = [0u8; 16];
            block[..len - from].copy_from_slice(&b[from..]);
            self.block(&block, 0) & ((1u32 << (len - from)) - 1)
        };
        (m != 0).then(|| from + m.trailing_zeros() as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wanted_byte_is_found_at_every_offset() {
        let wanted = JSON_STRING_SPECIAL;
        for len in 0..70 {
            for at in 0..len {
                for special in [b'"', b'\\', b'\n', 0x00, 0x1f] {
                    // Cyrillic bytes around it: high bytes must not look like controls.
                    let mut text: Vec<u8> = "жё".bytes().cycle().take(len).collect();
                    text[at] = special;
                    for from in 0..=at {
                        assert_eq!(wanted.find(&text, from), Some(at), "len {len} at {at}");
                    }
                    assert_eq!(wanted.find(&text, at + 1), None);
                }
            }
        }
    }

    #[test]
    fn blocks_want_exactly_the_bytes_one_at_a_time_would() {
        for wanted in [
            JSON_STRING_SPECIAL,
            Wanted {
                bytes: b"@aA\x81\xA1",
                lo: b'0',
                hi: b'9',
            },
            Wanted {
                bytes: &[],
                lo: 0x80,
                hi: 0xFF,
            },
        ] {
            let all: Vec<u8> = (0..=255).collect();
            for at in (0..=240).step_by(16) {
                let expected = (0..16)
                    .filter(|&i| wanted.wants(all[at + i]))
                    .fold(0u32, |m, i| m | 1 << i);
                assert_eq!(wanted.block(&all, at), expected, "block at {at}");
            }
        }
    }

    #[test]
    fn a_range_at_the_top_of_the_byte_values_is_found() {
        let wanted = Wanted {
            bytes: b"@",
            lo: b'0',
            hi: b'9',
        };
        let text = "Номер карты: 4".as_bytes();
        assert_eq!(wanted.find(text, 0), Some(text.len() - 1));
        let top = Wanted {
            bytes: &[],
            lo: 0xF0,
            hi: 0xFF,
        };
        let mut block = [0x41u8; 16];
        block[9] = 0xFF;
        assert_eq!(top.block(&block, 0), 1 << 9);
    }
}
