//! Hashers for maps whose keys are short strings (words, criterion ids), and
//! the one stable hash of names. SipHash's setup costs more than the rest of
//! such a lookup. FNV-1a (the `fnv` crate) for keys cqa or a scorecard
//! chooses and for [`fnv1a`]; [`WordHash`], eight bytes a step, for the
//! per-word memories of the hot path, whose keys are transcript words. Both
//! maps are bounded, so keys crafted to collide can slow a run but not
//! exhaust memory.
//!
//! FNV-1a was written out by hand three times (here, the shard split and the
//! sampling draw); the crate gives the same hashes at the same speed
//! (`cargo bench --bench crates`: `fnv/*`, `fnv_map_lookup/*`, BENCHMARKS.md).
//! [`WordHash`] stays hand-written: no well-kept crate hashes in this way, and
//! the per-word memories rely on its eight-bytes-a-step speed.

use std::collections::HashMap;
use std::hash::Hasher;

/// A `HashMap` hashed with FNV-1a.
pub type FnvMap<K, V> = fnv::FnvHashMap<K, V>;

/// FNV-1a of `bytes`: the same on every platform and in every release,
/// unlike std's hasher. A contract where it picks work: `--shard K/N` splits
/// inputs by it (the same split across releases), and sampling draws by it
/// (the same sample for the same seed).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h = fnv::FnvHasher::default();
    h.write(bytes);
    h.finish()
}

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

    #[test]
    fn hashes_as_the_published_fnv_1a_vectors() {
        // From the FNV reference test suite (Landon Curt Noll).
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn names_hash_as_the_hand_written_loop_of_earlier_releases_did() {
        // Values of the loop run/shard.rs and qa/sampling had: shards split a
        // batch, and a seed draws a sample, as they did before.
        assert_eq!(
            fnv1a("calls/2026-12-08.jsonl".as_bytes()),
            0x7535_3bc9_0b02_bd86
        );
        assert_eq!(
            fnv1a("звонки/день-1.json".as_bytes()),
            0x2e8f_3729_2a87_e62b
        );
        assert_eq!(fnv1a("C-000123".as_bytes()), 0x4894_cc38_c636_b401);
    }

    #[test]
    fn fnv_maps_hash_keys_with_fnv_1a() {
        use std::hash::BuildHasher;
        let build = FnvMap::<String, ()>::default().hasher().clone();
        // A `str` key is hashed as its bytes then 0xff (std's `Hash for str`).
        let mut bytes = "слово".as_bytes().to_vec();
        bytes.push(0xff);
        assert_eq!(build.hash_one("слово"), fnv1a(&bytes));
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
