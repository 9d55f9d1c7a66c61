//! Bytes to text. Russian exports arrive in UTF-8, UTF-16 and Windows-1251;
//! a wrong guess would put mojibake into every quote, so an undecidable file
//! is rejected instead.
//!
//! The order of decisions matters:
//! 1. a byte-order mark decides (UTF-8, UTF-16LE/BE);
//! 2. UTF-16 without a BOM is recognised by its pattern of zero bytes (some
//!    exporters write it; calling it "binary" would send the user the wrong way);
//! 3. any other zero byte means binary data;
//! 4. valid UTF-8 is UTF-8;
//! 5. *damaged* UTF-8 (mostly valid multi-byte sequences, a few broken ones —
//!    a truncated or badly concatenated file) is rejected: reading it as
//!    Windows-1251 is exactly the «РџСЂРёРІРµС‚» mojibake this module exists to prevent;
//! 6. otherwise chardetng guesses (with a Russian hint), and the guess competes
//!    with the Cyrillic code pages on how Russian the decoded letters look —
//!    chardetng alone reads a short «Да» in Windows-1251 as Windows-1252 «Äà»;
//! 7. a decoding that still leaves control characters or mostly symbols is
//!    rejected as undetermined.

use encoding_rs::{Encoding, IBM866, KOI8_R, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1251};
use std::borrow::Cow;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DecodeError {
    #[error("binary data (NUL byte at offset {0}), not a text transcript")]
    Binary(usize),
    #[error("damaged UTF-8: invalid byte sequence at offset {0} in text that is otherwise UTF-8 (truncated or corrupted file?); not guessed as another encoding to avoid mojibake")]
    DamagedUtf8(usize),
    #[error("text encoding could not be determined (not UTF-8, UTF-16 or a recognisable legacy encoding such as Windows-1251); re-save the file as UTF-8")]
    Undetermined,
}

/// Decodes a whole file, returning the text and the name of the encoding used.
pub fn decode_bytes(bytes: &[u8]) -> Result<(Cow<'_, str>, &'static str), DecodeError> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        let (text, had_errors) = enc.decode_without_bom_handling(body);
        if had_errors {
            return Err(if enc == UTF_8 {
                DecodeError::DamagedUtf8(bom_len + utf8_error_offset(body))
            } else {
                DecodeError::Undetermined
            });
        }
        let name = if enc == UTF_16LE {
            "UTF-16LE"
        } else if enc == UTF_16BE {
            "UTF-16BE"
        } else {
            "UTF-8"
        };
        return Ok((text, name));
    }
    // The common case first: no NUL byte rules out UTF-16 and binary data,
    // so valid UTF-8 is UTF-8 (`contains` is a vectorised memchr; the check
    // is SIMD too: std's is a tenth of the speed on Cyrillic text).
    if !bytes.contains(&0) {
        if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
            return Ok((Cow::Borrowed(s), "UTF-8"));
        }
    }
    if let Some((enc, name)) = utf16_without_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors && !has_controls(&text) {
            return Ok((Cow::Owned(text.into_owned()), name));
        }
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(DecodeError::Binary(pos));
    }
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return Ok((Cow::Borrowed(s), "UTF-8"));
    }
    if looks_like_damaged_utf8(bytes) {
        return Err(DecodeError::DamagedUtf8(utf8_error_offset(bytes)));
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    let guess = det.guess(Some(b"ru"), false);
    // Candidates compete on a sample (cut at a line end, which no legacy
    // multi-byte encoding uses inside a character); only the winner decodes
    // the whole file.
    let sample = if bytes.len() > SAMPLE {
        bytes[..SAMPLE]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(bytes, |i| &bytes[..=i])
    } else {
        bytes
    };
    let mut best: Option<(i64, &'static Encoding)> = None;
    let mut tried: Vec<&'static Encoding> = Vec::new();
    for enc in [guess, WINDOWS_1251, KOI8_R, IBM866] {
        if enc == UTF_8 || tried.contains(&enc) {
            continue;
        }
        tried.push(enc);
        let (text, had_errors) = enc.decode_without_bom_handling(sample);
        if had_errors || has_controls(&text) {
            continue;
        }
        let score = russian_score(&text);
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, enc));
        }
    }
    let enc = best.ok_or(DecodeError::Undetermined)?.1;
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors || has_controls(&text) || mostly_symbols(&text) {
        return Err(DecodeError::Undetermined);
    }
    Ok((Cow::Owned(text.into_owned()), enc.name()))
}

/// Bytes of a legacy-encoded file on which candidate encodings are compared.
const SAMPLE: usize = 256 * 1024;

fn utf8_error_offset(bytes: &[u8]) -> usize {
    match std::str::from_utf8(bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    }
}

/// UTF-16 without a BOM: zero bytes only on one side of the 16-bit units, and
/// often enough (spaces, digits and punctuation are ASCII even in Russian text).
fn utf16_without_bom(bytes: &[u8]) -> Option<(&'static Encoding, &'static str)> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(1 << 16)];
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let units = sample.len() / 2;
    if even == 0 && odd * 10 >= units {
        Some((UTF_16LE, "UTF-16LE (no BOM)"))
    } else if odd == 0 && even * 10 >= units {
        Some((UTF_16BE, "UTF-16BE (no BOM)"))
    } else {
        None
    }
}

/// Mostly well-formed multi-byte UTF-8 with a few broken sequences. Real
/// Windows-1251 text almost never forms valid UTF-8 sequences (its lower-case
/// letters are 3-byte lead bytes followed by more letters), so the ratio tells
/// the two apart.
fn looks_like_damaged_utf8(bytes: &[u8]) -> bool {
    let (mut multi, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        multi += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    multi >= 4 && multi >= 4 * invalid
}

fn has_controls(text: &str) -> bool {
    text.chars()
        .any(|c| (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) || c == '\u{fffd}')
}

fn is_cyrillic(c: char) -> bool {
    ('\u{400}'..='\u{4ff}').contains(&c)
}

/// How much a decoding looks like Russian, word by word: a Cyrillic word in
/// lower case, Capitalised or ALL CAPS scores its length; a mixed-case word
/// («рТЙЧЕФ», KOI8 read as Windows-1251), a lower-case word of three letters
/// without a vowel («тхн») or a word mixing Cyrillic and Latin costs its
/// length; symbols cost. ASCII is the same in every candidate and is ignored.
fn russian_score(text: &str) -> i64 {
    const VOWELS: &str = "аеёиоуыэюяАЕЁИОУЫЭЮЯ";
    let mut score = 0i64;
    let mut word: Vec<char> = Vec::new();
    let flush = |w: &mut Vec<char>, score: &mut i64| {
        let cyr = w.iter().filter(|c| is_cyrillic(**c)).count() as i64;
        if cyr > 0 {
            let n = w.len() as i64;
            let latin = w.iter().any(|c| c.is_ascii_alphabetic());
            let upper = w.iter().filter(|c| c.is_uppercase()).count();
            let case_ok = upper == 0 || upper == w.len() || (upper == 1 && w[0].is_uppercase());
            let vowel = w.iter().any(|c| VOWELS.contains(*c));
            let caps = upper == w.len();
            *score += if latin || !case_ok || (w.len() >= 3 && !vowel && !caps) {
                -n
            } else {
                cyr
            };
        }
        w.clear();
    };
    for c in text.chars() {
        if c.is_alphabetic() {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut score);
        if !c.is_ascii() && !"«»—–…№‘’“”•°€₽\u{a0}".contains(c) {
            score -= 2;
        }
    }
    flush(&mut word, &mut score);
    score
}

/// More than a third of the non-ASCII characters are neither letters nor
/// ordinary punctuation: whatever this is, it is not a transcript we can read.
fn mostly_symbols(text: &str) -> bool {
    let (mut non_ascii, mut junk) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_ascii()) {
        non_ascii += 1;
        if !c.is_alphabetic() && !"«»—–…№‘’“”•°€₽\u{a0}".contains(c) {
            junk += 1;
        }
    }
    non_ascii > 0 && junk * 3 > non_ascii
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cp1251(s: &str) -> Vec<u8> {
        encoding_rs::WINDOWS_1251.encode(s).0.into_owned()
    }

    #[test]
    fn windows_1251_russian_text_decodes_without_mojibake() {
        let bytes =
            cp1251("Оператор: Здравствуйте, чем могу помочь? Клиент: у меня заблокировали карту");
        let (text, enc) = decode_bytes(&bytes).unwrap();
        assert!(text.starts_with("Оператор: Здравствуйте"), "{text}");
        assert_eq!(enc, "windows-1251");
    }

    #[test]
    fn short_windows_1251_words_are_not_read_as_western_code_pages() {
        for s in ["Да", "ФИО", "Клиент: Нет", "Ёжик", "Оператор: Угу."]
        {
            let bytes = cp1251(s);
            let (text, enc) = decode_bytes(&bytes).unwrap();
            assert_eq!((text.as_ref(), enc), (s, "windows-1251"));
        }
    }

    #[test]
    fn koi8_r_russian_text_is_still_recognised() {
        let bytes = encoding_rs::KOI8_R
            .encode("Оператор: Добрый день, банк «Пример», меня зовут Мария.")
            .0;
        let (text, _) = decode_bytes(&bytes).unwrap();
        assert!(text.starts_with("Оператор: Добрый день"), "{text}");
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let (text, _) = decode_bytes("\u{feff}{\"id\":1}".as_bytes()).unwrap();
        assert_eq!(text, "{\"id\":1}");
    }

    #[test]
    fn utf16le_with_bom_decodes() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Клиент".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_bytes(&bytes).unwrap().0, "Клиент");
    }

    #[test]
    fn utf16_without_bom_is_recognised_not_called_binary() {
        let text = "[00:01] Оператор: Добрый день!\n[00:03] Клиент: Здравствуйте.";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(
            decode_bytes(&le).unwrap(),
            (Cow::Borrowed(text), "UTF-16LE (no BOM)")
        );
        assert_eq!(decode_bytes(&be).unwrap().0, text);
    }

    #[test]
    fn damaged_utf8_is_rejected_rather_than_read_as_cp1251() {
        let mut bytes = "Оператор: Здравствуйте, чем могу помочь?"
            .as_bytes()
            .to_vec();
        bytes.truncate(bytes.len() - 2); // cut «?» and half of «ь»
        bytes.push(b'!');
        bytes.extend_from_slice("ещё текст".as_bytes());
        match decode_bytes(&bytes) {
            Err(DecodeError::DamagedUtf8(at)) => assert!(at > 10),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn binary_data_is_refused_with_the_offset() {
        assert_eq!(
            decode_bytes(b"PK\x03\x04\x00\x00").unwrap_err(),
            DecodeError::Binary(4)
        );
    }

    #[test]
    fn control_bytes_without_nul_are_undetermined() {
        let bytes: Vec<u8> = (1u8..=255)
            .filter(|b| *b != b'\n')
            .cycle()
            .take(2000)
            .collect();
        assert_eq!(decode_bytes(&bytes).unwrap_err(), DecodeError::Undetermined);
    }
}
