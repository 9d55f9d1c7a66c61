//! Check digits of payment cards (Luhn) and Russian identifiers (СНИЛС,
//! ИНН): personal-data detectors use them to tell an identifier from any
//! other number of the same length.

/// Whether `s` holds only ASCII digits, spaces and hyphens.
fn only_digits(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || b == b' ' || b == b'-')
}

/// The digit values of `s`, in order (other characters skipped).
fn digits(s: &str) -> impl DoubleEndedIterator<Item = u32> + '_ {
    s.bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| u32::from(b - b'0'))
}

/// The digits of `s` if it holds only digits, spaces and hyphens and exactly
/// `N` digits.
fn exactly<const N: usize>(s: &str) -> Option<[u32; N]> {
    if !only_digits(s) {
        return None;
    }
    let mut out = [0; N];
    let mut n = 0;
    for d in digits(s) {
        *out.get_mut(n)? = d;
        n += 1;
    }
    (n == N).then_some(out)
}

/// Luhn check of a card number; spaces and hyphens are ignored, any other
/// character fails. Length is not checked here (cards are 13–19 digits).
pub fn luhn_valid(number: &str) -> bool {
    if !only_digits(number) {
        return false;
    }
    let sum: u32 = digits(number)
        .rev()
        .enumerate()
        .map(|(i, x)| match (i % 2 == 1, x * 2) {
            (true, y) if y > 9 => y - 9,
            (true, y) => y,
            (false, _) => x,
        })
        .sum();
    digits(number).nth(1).is_some() && sum.is_multiple_of(10)
}

/// СНИЛС check: 11 digits (spaces and hyphens ignored); the last two equal the
/// weighted sum of the first nine (weights 9…1) reduced modulo 101, with 100
/// and 101 written as 00.
pub fn snils_valid(number: &str) -> bool {
    let Some(d) = exactly::<11>(number) else {
        return false;
    };
    let s: u32 = d[..9].iter().zip((1..=9).rev()).map(|(x, w)| x * w).sum();
    let check = match s {
        0..=99 => s,
        100 | 101 => 0,
        _ => (s % 101) % 100,
    };
    check == d[9] * 10 + d[10]
}

/// ИНН check: 10 digits (organisation, one check digit) or 12 digits (person,
/// two check digits); check = (Σ wᵢdᵢ mod 11) mod 10.
pub fn inn_valid(number: &str) -> bool {
    const W12: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    let check = |d: &[u32], n: usize| -> u32 {
        let w = &W12[11 - n..];
        d[..n].iter().zip(w).map(|(x, w)| x * w).sum::<u32>() % 11 % 10
    };
    if let Some(d) = exactly::<10>(number) {
        check(&d, 9) == d[9]
    } else if let Some(d) = exactly::<12>(number) {
        check(&d, 10) == d[10] && check(&d, 11) == d[11]
    } else {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_accepts_test_cards_and_rejects_a_changed_digit() {
        assert!(luhn_valid("4111111111111111"));
        assert!(luhn_valid("4242 4242 4242 4242"));
        assert!(luhn_valid("5555-5555-5555-4444"));
        assert!(!luhn_valid("4111111111111112"));
        assert!(!luhn_valid("4111a111111111111"));
    }

    #[test]
    fn snils_check_digits_follow_the_pension_fund_rule() {
        assert!(snils_valid("112-233-445 95"));
        assert!(snils_valid("010-242-368 77"));
        assert!(!snils_valid("010-242-368 00"));
        assert!(!snils_valid("112-233-445"));
    }

    #[test]
    fn inn_checks_ten_and_twelve_digit_numbers() {
        assert!(inn_valid("1234567894"));
        assert!(!inn_valid("1234567895"));
        assert!(inn_valid("123456789047"));
        assert!(!inn_valid("123456789037"));
        assert!(!inn_valid("12345678904"));
    }
}
