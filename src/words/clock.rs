//! Numbers as people read them in reasons: whole numbers and recording times.

/// A whole number in decimal, without the formatting machinery (itoa: the
/// same digits as `format!`, faster than the hand-written loop it replaced;
/// `cargo bench --bench crates`, `integers/*`).
pub(crate) fn push_uint(s: &mut String, n: u64) {
    s.push_str(itoa::Buffer::new().format(n));
}

/// Seconds as m:ss (or h:mm:ss), the way controllers read recordings.
pub fn clock(s: f64) -> String {
    let mut out = String::with_capacity(8);
    push_clock(&mut out, s);
    out
}

pub(crate) fn push_clock(out: &mut String, s: f64) {
    let total = s.max(0.0).round() as u64;
    let (h, m, sec) = (total / 3600, (total / 60) % 60, total % 60);
    let two = |out: &mut String, x: u64| {
        out.push(char::from(b'0' + (x / 10) as u8));
        out.push(char::from(b'0' + (x % 10) as u8));
    };
    if h > 0 {
        push_uint(out, h);
        out.push(':');
        two(out, m);
    } else {
        push_uint(out, m);
    }
    out.push(':');
    two(out, sec);
}
