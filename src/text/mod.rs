//! Text as rules see it: normalisation, stems, fuzzy words, spoken numbers
//! (`numbers`), personal data found and masked (`pii`), regex prefilters,
//! check digits, and input made safe to print on a terminal.

pub mod checksum;
pub mod fuzzy;
mod normalize;
pub mod numbers;
pub mod pii;
pub mod prefilter;
pub mod stem;
pub mod terminal;

pub use normalize::{
    normalize, normalize_into, normalize_into_words, truncate_chars, WordRanges, WordSpans,
};

/// Masks personal data in a quote that leaves cqa: card numbers keep the
/// first 6 and last 4 digits (PCI DSS), CVV codes disappear, phones, e-mails,
/// passports, SNILS and INN become labels; numbers dictated in words too,
/// and any remaining run of 13 or more digits is masked as a card:
/// one digit misheard by speech recognition breaks the Luhn check but not
/// the leak. Masking errs towards hiding text.
pub fn mask(quote: &str, lang: crate::words::Lang) -> String {
    pii::mask(quote, mask_lang(lang)).into_owned()
}

/// The labels' language for the report's language.
pub fn mask_lang(lang: crate::words::Lang) -> pii::MaskLang {
    match lang {
        crate::words::Lang::Ru => pii::MaskLang::Ru,
        crate::words::Lang::En => pii::MaskLang::En,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::Lang;

    #[test]
    fn a_card_number_with_a_misheard_digit_is_still_masked() {
        assert_eq!(
            mask("Ваша карта 4276 3800 1234 5675, верно?", Lang::Ru),
            "Ваша карта 4276 38** **** 5675, верно?"
        );
    }

    #[test]
    fn short_numbers_are_left_alone() {
        assert_eq!(
            mask("Баланс составляет 15 500 рублей", Lang::Ru),
            "Баланс составляет 15 500 рублей"
        );
    }
}
