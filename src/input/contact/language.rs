//! The language of a contact, so that a contact is never scored with a card
//! written for another language (a Russian card fails every English chat on
//! «здравствуйте»).
//!
//! **Where it comes from**, first found wins: the contact's own `language`
//! (native field, TXT header, CSV column, cloud export's `LanguageCode`), the
//! mapping's constants (`mappings/ibm_twitter.json` sets `en`), the registry;
//! else it is detected from the contact's text with `whatlang` (trigram
//! statistics over ~70 languages, no model files, pure Rust, MIT). Whatlang
//! was chosen over a script heuristic (Cyrillic → ru, Latin → en) because it
//! tells Russian from Ukrainian, Bulgarian or Kazakh and English from German or
//! Spanish: a script rule would hand a Ukrainian call to the Russian card.
//! Short texts are where trigram statistics are weak (a short Russian call
//! full of numbers is "reliably" Bulgarian): under 300 letters, or when
//! whatlang is not confident, the choice is narrowed to the languages the
//! loaded scorecards are for; a text in none of them gets whatlang's best
//! guess, marked as such, so that its rejection can name it. Only a contact
//! without letters has no language.
//!
//! Codes are compared by their primary subtag, case-insensitively, with
//! three-letter and English/Russian names folded to ISO 639-1: `en-US`,
//! `eng`, `English` and `EN` are all `en`.

use super::{Contact, Speaker};

/// How a contact's language was found, for rejection reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The contact, its mapping or the registry said so.
    Given,
    /// Detected from the text with confidence.
    Detected,
    /// Detected, but only by choosing among the scorecards' languages.
    Guessed,
}

/// A contact's language and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactLanguage {
    /// ISO 639-1 where one exists (`en`, `ru`), else whatlang's 639-3 code.
    pub code: String,
    pub source: Source,
}

impl std::fmt::Display for ContactLanguage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.source {
            Source::Given => write!(f, "`{}`", self.code),
            Source::Detected => write!(f, "`{}`, detected from the text", self.code),
            Source::Guessed => write!(
                f,
                "`{}`, detected from the text with low confidence",
                self.code
            ),
        }
    }
}

/// Bytes of turn text read for detection: enough for trigram statistics to
/// settle (300 letters and more), little enough to keep a batch of contacts
/// without a `language` field within ~25% of the speed of one with it.
const SAMPLE_CHARS: usize = 800;

/// Letters of text from which whatlang's verdict over all its languages is
/// trusted (see [`detect`]).
const CONFIDENT_LETTERS: usize = 300;

/// ISO 639-3 (and English/Russian names) to 639-1, for the languages a
/// contact centre is likely to meet; other codes are kept as they are.
const CODES: &[(&str, &str)] = &[
    ("eng", "en"),
    ("english", "en"),
    ("английский", "en"),
    ("rus", "ru"),
    ("russian", "ru"),
    ("русский", "ru"),
    ("ukr", "uk"),
    ("bel", "be"),
    ("kaz", "kk"),
    ("uzb", "uz"),
    ("aze", "az"),
    ("tat", "tt"),
    ("kat", "ka"),
    ("hye", "hy"),
    ("bul", "bg"),
    ("srp", "sr"),
    ("mkd", "mk"),
    ("deu", "de"),
    ("fra", "fr"),
    ("spa", "es"),
    ("ita", "it"),
    ("por", "pt"),
    ("nld", "nl"),
    ("pol", "pl"),
    ("ces", "cs"),
    ("slk", "sk"),
    ("slv", "sl"),
    ("hrv", "hr"),
    ("ron", "ro"),
    ("hun", "hu"),
    ("fin", "fi"),
    ("swe", "sv"),
    ("dan", "da"),
    ("nob", "nb"),
    ("lit", "lt"),
    ("lav", "lv"),
    ("est", "et"),
    ("ell", "el"),
    ("tur", "tr"),
    ("heb", "he"),
    ("ara", "ar"),
    ("pes", "fa"),
    ("hin", "hi"),
    ("cmn", "zh"),
    ("jpn", "ja"),
    ("kor", "ko"),
    ("vie", "vi"),
    ("tha", "th"),
    ("ind", "id"),
];

/// A language code as cqa compares it: lower-case primary subtag, ISO 639-1
/// where known (`en-US` → `en`, `RUS` → `ru`, `English` → `en`).
pub fn normalise(code: &str) -> String {
    let primary = code
        .trim()
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_lowercase();
    CODES
        .iter()
        .find(|(from, _)| *from == primary)
        .map_or(primary, |(_, to)| (*to).to_string())
}

/// Whether two codes name the same language (see [`normalise`]).
pub fn same(a: &str, b: &str) -> bool {
    normalise(a) == normalise(b)
}

/// The contact's language: given, or detected from its text. `candidates`
/// (normalised codes; the languages the scorecards are for) settle a
/// detection whatlang is not confident about. `None` when the contact has no
/// text to tell by.
/// `candidates` is asked for only when the text has to be read: a contact
/// that names its language costs no list of the cards' languages.
pub fn of(c: &Contact, candidates: impl FnOnce() -> Vec<String>) -> Option<ContactLanguage> {
    if let Some(given) = c.language.as_deref().filter(|l| !l.trim().is_empty()) {
        return Some(ContactLanguage {
            code: normalise(given),
            source: Source::Given,
        });
    }
    detect(&sample(c), &candidates())
}

/// Agent and customer text, up to [`SAMPLE_CHARS`] bytes: both sides speak the
/// contact's language, and the bot's canned prompts may not.
fn sample(c: &Contact) -> String {
    let mut text = String::new();
    for t in c
        .turns
        .iter()
        .filter(|t| matches!(t.speaker, Speaker::Agent | Speaker::Customer))
    {
        if text.len() >= SAMPLE_CHARS {
            break;
        }
        let room = SAMPLE_CHARS - text.len();
        let cut = if t.text.len() <= room {
            t.text.len()
        } else {
            (0..=room)
                .rev()
                .find(|&i| t.text.is_char_boundary(i))
                .unwrap_or(0)
        };
        text.push_str(&t.text[..cut]);
        text.push('\n');
    }
    text
}

/// Letters of Cyrillic text that settle "Russian" by spelling alone (see
/// [`russian_by_spelling`]).
const SPELLING_LETTERS: usize = 40;

/// Russian told by its alphabet, without trigram statistics: Cyrillic text
/// whose letters all belong to the Russian alphabet and that uses `ы` or `э`.
/// Ukrainian and Belarusian write `і`/`ї`/`є`/`ґ`/`ў`, Serbian and
/// Macedonian `ј`/`љ`/`њ`/`џ`/`ђ`/`ћ`/`ѓ`/`ќ`, Kazakh, Tatar and Uzbek their
/// own letters; Bulgarian has neither `ы` nor `э`. Whatlang over every
/// Cyrillic language cost ~60 µs a contact (2,000 contacts a second of the
/// check's ~20,000); this scan costs a pass over at most 800 bytes.
fn russian_by_spelling(text: &str) -> bool {
    let (mut russian, mut marker, mut other) = (0usize, false, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        match c.to_lowercase().next().unwrap_or(c) {
            'ы' | 'э' => {
                russian += 1;
                marker = true;
            }
            'а'..='я' | 'ё' => russian += 1,
            // Latin letters (product names, e-mail addresses) are not a
            // verdict on the language around them; other scripts are.
            'a'..='z' => {}
            _ => other += 1,
        }
    }
    marker && other == 0 && russian >= SPELLING_LETTERS
}

/// Detects the language of `text`; see the module docs for the fallbacks.
pub fn detect(text: &str, candidates: &[String]) -> Option<ContactLanguage> {
    if russian_by_spelling(text) {
        return Some(ContactLanguage {
            code: "ru".into(),
            source: Source::Detected,
        });
    }
    let code = |l: whatlang::Lang| normalise(l.code());
    // Trigram statistics need text: a short Russian call («Ваша карта …,
    // верно?») is "reliably" Bulgarian to whatlang. Below this many letters
    // only the scorecards' languages are considered.
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let full = (letters >= CONFIDENT_LETTERS)
        .then(|| whatlang::detect(text))
        .flatten();
    if let Some(info) = &full {
        if info.is_reliable() {
            return Some(ContactLanguage {
                code: code(info.lang()),
                source: Source::Detected,
            });
        }
    }
    // Each candidate's whatlang language: `ru` -> `rus` by the table, or a
    // three-letter code as it is.
    let allowed: Vec<whatlang::Lang> = candidates
        .iter()
        .filter_map(|c| {
            let three = CODES
                .iter()
                .find(|(from, to)| to == c && from.len() == 3)
                .map_or(c.as_str(), |(from, _)| from);
            whatlang::Lang::from_code(three)
        })
        .collect();
    let among_cards = if allowed.is_empty() {
        None
    } else {
        whatlang::Detector::with_allowlist(allowed).detect_lang(text)
    };
    // Not one of the cards' languages (English text, Russian cards only):
    // whatlang's best guess, so the rejection can still name it.
    among_cards
        .or_else(|| full.as_ref().map(|i| i.lang()))
        .or_else(|| {
            (letters < CONFIDENT_LETTERS)
                .then(|| whatlang::detect_lang(text))
                .flatten()
        })
        .map(|l| ContactLanguage {
            code: code(l),
            source: Source::Guessed,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_is_told_by_its_alphabet() {
        assert!(russian_by_spelling(
            "Здравствуйте, банк «Прогресс», меня зовут Ирина. Вы хотите заблокировать карту?"
        ));
    }

    #[test]
    fn ukrainian_is_not_taken_for_russian_by_its_alphabet() {
        assert!(!russian_by_spelling(
            "Добрий день, мене звуть Ірина. Ви хочете заблокувати картку? Це можна зробити зараз, є хвилинка?"
        ));
    }

    #[test]
    fn bulgarian_without_the_russian_letters_goes_to_whatlang() {
        assert!(!russian_by_spelling(
            "Добър ден, казвам се Ирина. Искате ли да блокирате картата си? Мога да го направя веднага."
        ));
    }
    use crate::input::contact::Turn;

    fn contact(language: Option<&str>, lines: &[(Speaker, &str)]) -> Contact {
        Contact {
            id: "C-1".into(),
            agent_id: "A001".into(),
            language: language.map(str::to_string),
            turns: lines
                .iter()
                .map(|(s, t)| Turn {
                    speaker: *s,
                    text: t.to_string(),
                    event: None,
                    start: None,
                    end: None,
                })
                .collect(),
            ..Contact::default()
        }
    }

    fn both() -> Vec<String> {
        vec!["ru".into(), "en".into()]
    }

    #[test]
    fn codes_compare_by_primary_subtag_and_fold_to_two_letters() {
        for (a, b) in [
            ("en-US", "en"),
            ("EN", "en"),
            ("eng", "en"),
            ("English", "en"),
            ("ru_RU", "ru"),
            ("rus", "ru"),
            ("Русский", "ru"),
        ] {
            assert!(same(a, b), "{a} = {b}");
        }
        assert!(!same("uk", "ru"));
    }

    #[test]
    fn the_contacts_own_language_wins_over_its_text() {
        let c = contact(
            Some("en-GB"),
            &[(Speaker::Agent, "Здравствуйте, чем могу помочь?")],
        );
        assert_eq!(
            of(&c, both),
            Some(ContactLanguage {
                code: "en".into(),
                source: Source::Given
            })
        );
    }

    #[test]
    fn a_russian_call_without_a_language_is_detected_as_russian() {
        let c = contact(
            None,
            &[
                (
                    Speaker::Agent,
                    "Банк «Пример», Мария, здравствуйте! Разговор записывается.",
                ),
                (
                    Speaker::Customer,
                    "Добрый день, у меня заблокировали карту, не могу расплатиться в магазине.",
                ),
            ],
        );
        assert_eq!(of(&c, both).map(|l| l.code), Some("ru".into()));
    }

    #[test]
    fn an_english_tweet_thread_is_detected_as_english() {
        let c = contact(
            None,
            &[
                (
                    Speaker::Customer,
                    "my flight got cancelled and nobody at the desk can tell me when the next one is",
                ),
                (
                    Speaker::Agent,
                    "We're sorry to hear that. Please DM us your confirmation number and we'll look into it.",
                ),
            ],
        );
        assert_eq!(of(&c, both).map(|l| l.code), Some("en".into()));
    }

    #[test]
    fn a_short_uncertain_text_is_settled_among_the_cards_languages() {
        let c = contact(None, &[(Speaker::Agent, "Ок")]);
        let got = of(&c, both);
        assert_eq!(got.as_ref().map(|l| l.code.as_str()), Some("ru"));
        assert_ne!(got.map(|l| l.source), Some(Source::Given));
    }

    #[test]
    fn a_short_russian_call_full_of_numbers_is_not_taken_for_bulgarian() {
        let c = contact(
            None,
            &[
                (
                    Speaker::Agent,
                    "Банк «Пример», Мария, здравствуйте! Ваша карта 4276 3800 1234 5678, верно?",
                ),
                (
                    Speaker::Customer,
                    "Да. Перезвоните мне на +7 916 123-45-67 или напишите на ivan.petrov@example.ru.",
                ),
                (
                    Speaker::Agent,
                    "Записала: +7 916 123-45-67, ivan.petrov@example.ru. Назовите CVV, пожалуйста.",
                ),
                (Speaker::Agent, "Всего доброго!"),
            ],
        );
        assert_eq!(of(&c, both).map(|l| l.code), Some("ru".into()));
    }

    #[test]
    fn a_long_ukrainian_text_is_told_from_russian() {
        let text = "Доброго дня! Мене звати Оксана, чим можу допомогти? Я хотів би дізнатися, чому мені \
            досі не повернули гроші за скасоване замовлення. Минуло вже два тижні, а коштів на картці \
            немає. Зрозуміло, зараз перевірю інформацію щодо вашого платежу. Дякую за очікування: \
            повернення було оформлене вчора, гроші надійдуть протягом трьох робочих днів. Чи можу я \
            ще чимось допомогти? Ні, дякую, гарного дня!";
        let c = contact(None, &[(Speaker::Agent, text)]);
        assert_eq!(of(&c, both).map(|l| l.code), Some("uk".into()));
    }

    #[test]
    fn a_contact_without_text_has_no_language() {
        let c = contact(None, &[(Speaker::Agent, "")]);
        assert_eq!(of(&c, both), None);
    }
}
