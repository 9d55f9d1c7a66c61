//! Hashers for maps whose keys are short strings (words, criterion ids):
//! SipHash's setup costs more than the rest of such a lookup. FNV-1a for keys
//! cqa or a scorecard chooses; [`WordHash`], eight bytes a step, for the
//! per-word memories of the hot path, whose keys are transcript words. Both
//! maps are bounded, so keys crafted to collide can slow a run but not
//! exhaust memory.

use std::collections::HashMap;

/// The FNV-1a hasher state.
#[derive(Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Builds [`Fnv`] hashers for a `HashMap`.
pub type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

/// A `HashMap` hashed with FNV-1a.
pub type FnvMap<K, V> = HashMap<K, V, FnvBuild>;

/// A multiply-rotate hash that takes eight bytes a step (the FxHash
/// scheme): a Cyrillic word of 12 bytes is two steps instead of twelve.
#[derive(Clone, Copy, Default)]
pub struct WordHash(u64);

impl WordHash {
    const K: u64 = 0x517c_c1b7_2722_0a95;

    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }
}

impl std::hash::Hasher for WordHash {
    fn finish(&self) -> u64 {
        self.0
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // The length goes in the byte the padding leaves free, so that
            // "a" and "a\0" differ.
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            w[7] = rest.len() as u8;
            self.add(u64::from_le_bytes(w));
        }
    }
    #[inline]
    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }
}

/// A `HashMap` hashed with [`WordHash`].
pub type WordMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<WordHash>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hasher;

    #[test]
    fn hashes_as_the_published_fnv_1a_vectors() {
        // From the FNV reference test suite (Landon Curt Noll).
        let h = |s: &[u8]| {
            let mut f = Fnv::default();
            f.write(s);
            f.finish()
        };
        assert_eq!(h(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(h(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(h(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn words_that_differ_anywhere_hash_apart() {
        use std::hash::{BuildHasher, BuildHasherDefault};
        let h = |s: &str| BuildHasherDefault::<WordHash>::default().hash_one(s);
        let words = [
            "здравствуйте",
            "здравствуйтe",
            "здравствуйт",
            "а",
            "б",
            "",
            "ab",
            "ba",
        ];
        for (i, a) in words.iter().enumerate() {
            for b in &words[i + 1..] {
                assert_ne!(h(a), h(b), "{a} {b}");
            }
        }
    }
}
