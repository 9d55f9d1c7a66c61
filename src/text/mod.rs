//! Text as rules see it: normalisation (and, later, stems, fuzzy matching,
//! spoken numbers and personal-data masking).

pub mod fuzzy;
mod normalize;
pub mod stem;

pub use normalize::{normalize, normalize_into, normalize_with_map, truncate_chars};

/// Masks personal data in a quote that leaves cqa.
pub fn mask(quote: &str, _lang: crate::lang::Lang) -> String {
    // Replaced by the PII detectors (text::pii) as soon as they land.
    quote.to_string()
}
