//! Text as rules see it: normalisation (and, later, stems, fuzzy matching,
//! spoken numbers and personal-data masking).

pub mod fuzzy;
mod normalize;
pub mod numbers;
pub mod pii;
pub mod prefilter;
pub mod stem;

pub use normalize::{normalize, normalize_into, normalize_with_map, truncate_chars};

/// Masks personal data in a quote that leaves cqa: card numbers keep the
/// first 6 and last 4 digits (PCI DSS), CVV codes disappear, phones, e-mails,
/// passports, SNILS and INN become labels; numbers dictated in words too.
pub fn mask(quote: &str, lang: crate::lang::Lang) -> String {
    let l = match lang {
        crate::lang::Lang::Ru => pii::MaskLang::Ru,
        crate::lang::Lang::En => pii::MaskLang::En,
    };
    pii::mask_with_spoken(quote, l)
}
