//! Bytes to text. Russian exports arrive in UTF-8, UTF-16 and Windows-1251;
//! a wrong guess would put mojibake into every quote, so an undecidable file
//! is rejected instead.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use std::borrow::Cow;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DecodeError {
    #[error("binary data (NUL byte at offset {0}), not a text transcript")]
    Binary(usize),
    #[error("text encoding could not be determined (not UTF-8, UTF-16 with BOM or a recognisable legacy encoding)")]
    Undetermined,
}

/// Decodes a whole file, returning the text and the name of the encoding used.
pub fn decode_bytes(bytes: &[u8]) -> Result<(Cow<'_, str>, &'static str), DecodeError> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        let (text, had_errors) = enc.decode_without_bom_handling(body);
        if had_errors {
            return Err(DecodeError::Undetermined);
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
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(DecodeError::Binary(pos));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((Cow::Borrowed(s), "UTF-8"));
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    let enc = det.guess(None, true);
    if enc == UTF_8 {
        return Err(DecodeError::Undetermined);
    }
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors || text.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(DecodeError::Undetermined);
    }
    Ok((Cow::Owned(text.into_owned()), enc.name()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1251_russian_text_decodes_without_mojibake() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251
            .encode("Оператор: Здравствуйте, чем могу помочь? Клиент: у меня заблокировали карту");
        let (text, enc) = decode_bytes(&bytes).unwrap();
        assert!(text.starts_with("Оператор: Здравствуйте"), "{text}");
        assert_eq!(enc, "windows-1251");
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
    fn binary_data_is_refused_with_the_offset() {
        assert_eq!(
            decode_bytes(b"PK\x03\x04\x00\x00").unwrap_err(),
            DecodeError::Binary(4)
        );
    }
}
