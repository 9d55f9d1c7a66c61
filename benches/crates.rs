//! The hand-written helpers against the well-kept crates that do the same job
//! (issue 20: "well-kept crates where they do the same job at the same
//! speed"). Each pair is first checked to give the same bytes or the same
//! hash on the values cqa writes, then timed in the same run, so that the
//! ratios, not the absolute times, are read on a noisy machine.
//! Run: `cargo bench --bench crates` (about a minute).
//!
//! The hand-written versions are copies of what cqa had before it moved to
//! the crates (src/sys/num.rs's `decimal`, the FNV-1a loops of src/sys/hash.rs,
//! src/run/shard.rs and src/qa/sampling): the baseline the choice was made on.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::hash::{BuildHasher, Hasher};

/// `decimal()` as src/sys/num.rs wrote it.
fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[i..]).unwrap_or_default()
}

/// FNV-1a as the three hand-written copies computed it.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The map hasher of src/sys/hash.rs.
struct HandFnv(u64);

impl Default for HandFnv {
    fn default() -> Self {
        HandFnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for HandFnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The integers of a results line: turn numbers, counts, the odd large id.
fn integers() -> Vec<u64> {
    let mut v: Vec<u64> = (0..200).collect();
    v.extend([1_000, 65_535, 1_234_567, 4_294_967_295, u64::MAX]);
    v
}

/// Scores, weights and recording times as the results encoder writes them.
fn floats() -> Vec<f64> {
    let mut v = vec![0.0, 4.0, 100.0, 98.18181818181819, 66.66666666666667, 12.5];
    v.extend((0..200).map(|i| f64::from(i) * 0.37 + 0.1));
    v.extend((0..50).map(|i| 100.0 * f64::from(i) / 7.0));
    v
}

/// Keys of the FNV maps and hashes: words, criterion ids, input paths.
fn keys() -> Vec<String> {
    let mut v: Vec<String> = [
        "четыре",
        "девятьсот",
        "восьмьюдесятью",
        "thousand",
        "greeting",
        "verify_identity",
        "contacts/2026-12/day-08/calls-0001.jsonl",
    ]
    .map(String::from)
    .to_vec();
    v.extend((0..100).map(|i| format!("crit_{i}")));
    v
}

fn same_results() {
    for n in integers() {
        assert_eq!(decimal(n, &mut [0; 20]), itoa::Buffer::new().format(n));
    }
    // From 1e16 up ryu writes `1e16`, serde_json 1.0.154 (zmij inside)
    // `1e+16`: not the same bytes for a hostile `start` or `duration_s`, so
    // results/json.rs keeps serde_json; below that they agree, and are timed.
    for x in floats()
        .into_iter()
        .chain([f64::NAN, f64::INFINITY, -0.0, 1e15, 1e-7, 0.000_1])
    {
        let serde = serde_json::to_string(&x).expect("serialises");
        let ryu = if x.is_finite() {
            ryu::Buffer::new().format_finite(x).to_string()
        } else {
            "null".to_string()
        };
        assert_eq!(serde, ryu, "{x}");
    }
    for k in keys() {
        let mut f = fnv::FnvHasher::default();
        f.write(k.as_bytes());
        assert_eq!(fnv1a(k.as_bytes()), f.finish(), "{k}");
        let hand = std::hash::BuildHasherDefault::<HandFnv>::default().hash_one(&k);
        let krate = fnv::FnvBuildHasher::default().hash_one(&k);
        assert_eq!(hand, krate, "{k}");
    }
}

fn benches(c: &mut Criterion) {
    same_results();
    let ints = integers();
    c.bench_function("integers/hand_decimal", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(2048);
            for &n in black_box(&ints) {
                out.extend_from_slice(decimal(n, &mut [0; 20]).as_bytes());
            }
            out
        })
    });
    c.bench_function("integers/itoa", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(2048);
            for &n in black_box(&ints) {
                out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
            }
            out
        })
    });
    let xs = floats();
    c.bench_function("floats/serde_json_to_writer", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(8192);
            for &x in black_box(&xs) {
                if serde_json::to_writer(&mut out, &x).is_err() {
                    out.extend_from_slice(b"null");
                }
            }
            out
        })
    });
    c.bench_function("floats/ryu", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(8192);
            for &x in black_box(&xs) {
                if x.is_finite() {
                    out.extend_from_slice(ryu::Buffer::new().format_finite(x).as_bytes());
                } else {
                    out.extend_from_slice(b"null");
                }
            }
            out
        })
    });
    let ks = keys();
    c.bench_function("fnv/hand", |b| {
        b.iter(|| {
            black_box(&ks)
                .iter()
                .fold(0u64, |acc, k| acc ^ fnv1a(k.as_bytes()))
        })
    });
    c.bench_function("fnv/crate", |b| {
        b.iter(|| {
            black_box(&ks).iter().fold(0u64, |acc, k| {
                let mut f = fnv::FnvHasher::default();
                f.write(k.as_bytes());
                acc ^ f.finish()
            })
        })
    });
    let hand_map: std::collections::HashMap<&str, usize, std::hash::BuildHasherDefault<HandFnv>> =
        ks.iter()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i))
            .collect();
    let crate_map: fnv::FnvHashMap<&str, usize> = ks
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    c.bench_function("fnv_map_lookup/hand", |b| {
        b.iter(|| {
            black_box(&ks)
                .iter()
                .map(|k| hand_map[k.as_str()])
                .sum::<usize>()
        })
    });
    c.bench_function("fnv_map_lookup/crate", |b| {
        b.iter(|| {
            black_box(&ks)
                .iter()
                .map(|k| crate_map[k.as_str()])
                .sum::<usize>()
        })
    });
}

criterion_group!(
    name = crates;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = benches
);
criterion_main!(crates);
