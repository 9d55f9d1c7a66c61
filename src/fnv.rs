//! FNV-1a, for hash maps whose keys are short strings that cqa itself or a
//! scorecard chooses (word caches, number words, criterion ids): SipHash's
//! setup costs more than the rest of such a lookup, and no untrusted party
//! picks these keys to make them collide.

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
}
