//! Masking: what replaces each finding, found on the whole text (spoken
//! numbers converted, separators and digits folded) and placed in the text
//! as it was written. [`spans`] gives the replacements by their place in the
//! original, so that a quote can be cut from the masked text without ever
//! cutting a masked span in two.

use super::fold::digit_value;
use super::{detect_for_masking, MaskLang, PiiKind, PiiMatch};
use crate::text::numbers::{convert_spoken_numbers, may_hold_number_word, SpokenRun};
use std::borrow::Cow;
use std::ops::Range;

/// One masked piece of a text: the bytes `range` of the original are shown
/// as `with`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaskedSpan {
    pub range: Range<usize>,
    pub with: String,
}

/// A card number as it may be shown: the first six and last four digits and
/// every separator kept, the digits between starred. Digits of any script
/// count («４２７６…»).
pub fn mask_card_digits(span: &str) -> String {
    let total = span.chars().filter(|&c| digit_value(c).is_some()).count();
    let mut seen = 0;
    span.chars()
        .map(|c| {
            if digit_value(c).is_none() {
                return c;
            }
            seen += 1;
            if seen <= 6 || seen > total.saturating_sub(4) {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// The replacement for one match of `text`: cards keep the first six and
/// last four digits and every separator (PCI DSS display rule); the rest
/// get labels.
fn replacement(text: &str, m: &PiiMatch, lang: MaskLang) -> String {
    if m.kind != PiiKind::Card {
        return m.kind.mask_label(lang).to_string();
    }
    mask_card_digits(&text[m.start..m.end])
}

/// Applies non-overlapping replacements sorted by start.
pub(super) fn splice<'a>(text: &str, ops: impl IntoIterator<Item = &'a MaskedSpan>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for op in ops {
        out.push_str(&text[copied..op.range.start]);
        out.push_str(&op.with);
        copied = op.range.end;
    }
    out.push_str(&text[copied..]);
    out
}

/// Whether [`mask`] could change `text`: `false` when it holds nothing a
/// detector reads (no digit of any script, `@` or "at"/«собака») and no word
/// that could be a number word, the case of most quotes.
pub fn may_need_masking(text: &str) -> bool {
    super::may_hold_pii(text) || may_hold_number_word(text)
}

/// Where each finding of `text` lies in the original and what shows in its
/// place, sorted and never overlapping. Findings inside numbers dictated in
/// words widen to the whole run of number words, shown as masked digits;
/// other number words are not touched.
pub fn spans(text: &str, lang: MaskLang) -> Vec<MaskedSpan> {
    if !may_need_masking(text) {
        return Vec::new();
    }
    if !may_hold_number_word(text) {
        return detect_for_masking(text)
            .iter()
            .map(|m| MaskedSpan {
                range: m.start..m.end,
                with: replacement(text, m, lang),
            })
            .collect();
    }
    let conv = convert_spoken_numbers(text);
    let found = detect_for_masking(&conv.text);
    spoken_spans(text, &conv.text, &conv.runs, &found, lang)
}

/// [`spans`] of a text whose spoken numbers were converted into `conv`
/// (`runs` say where), from the findings in `conv`.
fn spoken_spans(
    text: &str,
    conv: &str,
    runs: &[SpokenRun],
    found: &[PiiMatch],
    lang: MaskLang,
) -> Vec<MaskedSpan> {
    // Each finding widened to the spoken runs it touches; overlapping ones
    // merged, with the findings they hold.
    let mut groups: Vec<(Range<usize>, Vec<&PiiMatch>)> = Vec::new();
    for m in found {
        let mut r = m.start..m.end;
        for run in runs {
            let c = &run.converted;
            if c.start < r.end && r.start < c.end {
                r.start = r.start.min(c.start);
                r.end = r.end.max(c.end);
            }
        }
        match groups.last_mut() {
            Some((g, ms)) if r.start < g.end => {
                g.end = g.end.max(r.end);
                ms.push(m);
            }
            _ => groups.push((r, vec![m])),
        }
    }
    // Offsets outside the runs (or on their edges) shift by what the runs
    // before them changed in length.
    let original = |p: usize| -> usize {
        let mut shift: isize = 0;
        for run in runs {
            if run.converted.end <= p {
                shift += run.converted.len() as isize - run.original.len() as isize;
            }
        }
        (p as isize - shift).clamp(0, text.len() as isize) as usize
    };
    groups
        .into_iter()
        .map(|(r, ms)| {
            let inner: Vec<MaskedSpan> = ms
                .iter()
                .map(|m| MaskedSpan {
                    range: m.start - r.start..m.end - r.start,
                    with: replacement(conv, m, lang),
                })
                .collect();
            MaskedSpan {
                range: original(r.start)..original(r.end),
                with: splice(&conv[r.clone()], &inner),
            }
        })
        .collect()
}

/// Hides personal data: «карта 4111 1111 1111 1111» → «карта 4111 11** ****
/// 1111», «8 916 123-45-67» → «`[телефон]`», numbers dictated in words and
/// written with any spaces, dashes or digits too; any other run of 13 or more
/// digits is masked as a card (one misheard digit breaks the Luhn check, not
/// the leak). Masks contain no digits a detector could read again, so masking
/// a masked text changes nothing. Borrowed when there is nothing to mask,
/// the case of most texts.
pub fn mask(text: &str, lang: MaskLang) -> Cow<'_, str> {
    let found = spans(text, lang);
    if found.is_empty() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(splice(text, &found))
}

/// [`mask`] with Russian labels: the one function every string that came
/// from input goes through before cqa writes it (identifiers, comments,
/// rejection reasons, file names).
pub fn mask_all(text: &str) -> Cow<'_, str> {
    mask(text, MaskLang::Ru)
}

/// [`mask`] of a text cut to at most `max_chars` characters, with `…` at the
/// end when cut: detected on the whole text, masked, then cut, so a cut never
/// splits a masked span and never shows a digit the whole mask hides.
pub fn mask_then_cut(text: &str, max_chars: usize, lang: MaskLang) -> String {
    let found = spans(text, lang);
    let end = text
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(i, _)| i);
    let (_, b, mut out) = masked_slice(text, &found, 0, end);
    if b < text.len() {
        out.push('…');
    }
    out
}

/// The masked text of the bytes `a..b` of `text` (`found` are its
/// [`spans`]), widened so that neither end falls inside a masked span:
/// the widened ends and the text.
pub fn masked_slice(
    text: &str,
    found: &[MaskedSpan],
    a: usize,
    b: usize,
) -> (usize, usize, String) {
    let (mut a, mut b) = (a, b);
    for s in found {
        if s.range.start < a && a < s.range.end {
            a = s.range.start;
        }
        if s.range.start < b && b < s.range.end {
            b = s.range.end;
        }
    }
    let inner: Vec<MaskedSpan> = found
        .iter()
        .filter(|s| s.range.start >= a && s.range.end <= b)
        .map(|s| MaskedSpan {
            range: s.range.start - a..s.range.end - a,
            with: s.with.clone(),
        })
        .collect();
    (a, b, splice(&text[a..b], &inner))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ru(text: &str) -> String {
        mask(text, MaskLang::Ru).into_owned()
    }

    #[test]
    fn a_card_with_non_breaking_or_thin_spaces_is_masked_in_place() {
        assert_eq!(
            ru("Карта 4276\u{a0}3800\u{a0}1234\u{a0}5679, верно?"),
            "Карта 4276\u{a0}38**\u{a0}****\u{a0}5679, верно?"
        );
        assert_eq!(
            ru("Карта 4276\u{2009}3800\u{202f}1234\u{3000}5679"),
            "Карта 4276\u{2009}38**\u{202f}****\u{3000}5679"
        );
    }

    #[test]
    fn a_card_with_dashes_slashes_or_dots_is_masked() {
        for (card, masked) in [
            ("4276–3800–1234–5679", "4276–38**–****–5679"),
            (
                "4276\u{2212}3800\u{2212}1234\u{2212}5679",
                "4276\u{2212}38**\u{2212}****\u{2212}5679",
            ),
            ("4276/3800/1234/5679", "4276/38**/****/5679"),
            ("4276.3800.1234.5679", "4276.38**.****.5679"),
        ] {
            assert_eq!(ru(&format!("карта {card}")), format!("карта {masked}"));
        }
    }

    #[test]
    fn full_width_and_arabic_indic_digits_are_read_as_digits() {
        assert_eq!(
            ru("карта ４２７６ ３８００ １２３４ ５６７９"),
            "карта ４２７６ ３８** **** ５６７９"
        );
        assert_eq!(ru("карта ٤٢٧٦ ٣٨٠٠ ١٢٣٤ ٥٦٧٩"), "карта ٤٢٧٦ ٣٨** **** ٥٦٧٩");
        assert_eq!(
            ru("телефон ８ ９１６ １２３ ４５ ６７"),
            "телефон [телефон]"
        );
    }

    #[test]
    fn digits_followed_by_spoken_digits_are_one_card() {
        let masked = ru("карта 42763800 один два три четыре пять шесть семь девять");
        assert_eq!(masked, "карта 427638** * * * * 5 6 7 9");
    }

    #[test]
    fn a_card_read_in_thousands_is_masked() {
        let masked = ru(
            "карта четыре тысячи двести семьдесят шесть три тысячи восемьсот \
             тысяча двести тридцать четыре пять тысяч шестьсот семьдесят девять",
        );
        assert_eq!(masked, "карта 4276 38** **** 5679");
        assert_eq!(
            ru("Баланс пятнадцать тысяч рублей"),
            "Баланс пятнадцать тысяч рублей"
        );
    }

    #[test]
    fn phones_of_other_countries_and_local_numbers_by_a_phone_word() {
        assert_eq!(ru("Звоните на +44 20 7946 0958"), "Звоните на [телефон]");
        assert_eq!(ru("Call +1 (212) 555-0199 please"), "Call [телефон] please");
        assert_eq!(ru("Мой телефон 555-12-34"), "Мой телефон [телефон]");
        assert_eq!(ru("Заказ 555-12-34"), "Заказ 555-12-34");
    }

    #[test]
    fn disguised_e_mails_are_masked_whole() {
        for text in [
            "ivan [at] example [dot] ru",
            "ivan(at)example(dot)ru",
            "ivan.petrovich собака example точка ru",
            "ivan.petrovich [собака] example [точка] ru",
            "ivan @ example.ru",
        ] {
            assert_eq!(ru(&format!("Почта: {text}.")), "Почта: [e-mail].", "{text}");
        }
    }

    #[test]
    fn a_cut_never_splits_a_masked_card() {
        let text = format!("карта 4276 3800 1234 5679, верно? {}", "x".repeat(200));
        for max in 0..40 {
            let quote = mask_then_cut(&text, max, MaskLang::Ru);
            assert!(!quote.contains("3800"), "{max}: {quote}");
            assert!(!quote.contains("1234"), "{max}: {quote}");
        }
    }

    #[test]
    fn a_slice_widens_to_the_masked_span_it_falls_in() {
        let text = "Номер 4276 3800 1234 5679 верно";
        let found = spans(text, MaskLang::Ru);
        let inside = text.find("3800").unwrap();
        let (a, b, quote) = masked_slice(text, &found, inside, text.len());
        assert_eq!(a, text.find("4276").unwrap());
        assert_eq!(b, text.len());
        assert_eq!(quote, "4276 38** **** 5679 верно");
    }

    #[test]
    fn a_spoken_card_is_cut_only_after_masking() {
        let text = format!(
            "карта четыре два семь шесть три восемь ноль ноль один два три четыре \
             пять шесть семь девять {}",
            "x".repeat(200)
        );
        for max in [20, 40, 60, 80, 100] {
            let quote = mask_then_cut(&text, max, MaskLang::Ru);
            assert!(!quote.contains("ноль ноль один"), "{max}: {quote}");
        }
    }

    #[test]
    fn text_without_personal_data_is_borrowed() {
        assert!(matches!(
            mask_all("Здравствуйте, чем могу помочь?"),
            Cow::Borrowed(_)
        ));
        assert_eq!(mask_all("ivan.petrovich@example.ru"), "[e-mail]");
    }
}
