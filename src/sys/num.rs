//! Whole numbers in decimal, without the formatting machinery: the results
//! encoder and the reasons write millions of them.

/// `n` in decimal, written into `buf` without the formatting machinery
/// (results lines and reasons write numbers for every criterion).
pub(crate) fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    std::str::from_utf8(&buf[i..]).unwrap_or_default()
}
