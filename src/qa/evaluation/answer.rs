//! A controller's answer on one criterion, read from whatever they typed:
//! the drop-down words of a Russian or English form, the status ids of
//! `results.jsonl`, or a number on a rating scale (calibration of scales
//! such as −2…2 uses numbers, not verdicts).

use crate::results::Status;
use crate::words::qa::EvaluationWords;
use crate::words::Lang;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Answer {
    /// Да / Yes / pass: the criterion is met.
    Yes,
    /// Нет / No / fail: the agent made this error.
    No,
    /// Н/П / N/A: the criterion does not apply to this contact. A category
    /// of its own in agreement statistics, never the same as a missing answer.
    Na,
    /// A rating on a numeric scale.
    Number(f64),
}

impl Answer {
    /// Reads an answer; `None` when the text means nothing cqa knows (the
    /// caller reports the row). Blank text is not an answer at all and must
    /// be filtered out before.
    pub fn parse(text: &str) -> Option<Answer> {
        let t = text.trim().to_lowercase().replace('ё', "е");
        let t = t.trim_end_matches('.');
        let words: &[(&[&str], Answer)] = &[
            (
                &["да", "yes", "y", "pass", "passed", "выполнено", "true"],
                Answer::Yes,
            ),
            (
                &["нет", "no", "n", "fail", "failed", "нарушение", "false"],
                Answer::No,
            ),
            (
                &[
                    "н/п",
                    "нп",
                    "н.п",
                    "n/a",
                    "na",
                    "n.a",
                    "неприменимо",
                    "не применимо",
                    "not applicable",
                ],
                Answer::Na,
            ),
        ];
        if let Some((_, a)) = words.iter().find(|(w, _)| w.contains(&t)) {
            return Some(*a);
        }
        t.replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(Answer::Number)
    }

    /// The verdict this answer gives a criterion; numbers give none.
    pub fn status(self) -> Option<Status> {
        match self {
            Answer::Yes => Some(Status::Pass),
            Answer::No => Some(Status::Fail),
            Answer::Na => Some(Status::Na),
            Answer::Number(_) => None,
        }
    }

    /// The word of the form's drop-down.
    pub fn word(self, lang: Lang) -> String {
        let w = EvaluationWords::for_lang(lang);
        match self {
            Answer::Yes => w.yes.into(),
            Answer::No => w.no.into(),
            Answer::Na => w.na.into(),
            Answer::Number(x) => format_number(x),
        }
    }

    /// A stable category key for agreement statistics: `yes`, `no`, `na`,
    /// or the number.
    pub fn key(self) -> String {
        match self {
            Answer::Yes => "yes".into(),
            Answer::No => "no".into(),
            Answer::Na => "na".into(),
            Answer::Number(x) => format_number(x),
        }
    }
}

/// The drop-down list of a form, in its language.
pub fn choices(lang: Lang) -> [String; 3] {
    [Answer::Yes, Answer::No, Answer::Na].map(|a| a.word(lang))
}

fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        x.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_and_english_drop_down_words_are_read() {
        for (text, want) in [
            ("Да", Answer::Yes),
            ("нет", Answer::No),
            ("Н/П", Answer::Na),
            ("н/п", Answer::Na),
            ("Yes", Answer::Yes),
            ("No", Answer::No),
            ("N/A", Answer::Na),
            ("pass", Answer::Yes),
            ("fail", Answer::No),
            ("na", Answer::Na),
            (" Нарушение. ", Answer::No),
        ] {
            assert_eq!(Answer::parse(text), Some(want), "{text}");
        }
    }

    #[test]
    fn numbers_are_ratings_and_other_words_are_unreadable() {
        assert_eq!(Answer::parse("-2"), Some(Answer::Number(-2.0)));
        assert_eq!(Answer::parse("4,5"), Some(Answer::Number(4.5)));
        assert_eq!(Answer::parse("скорее да"), None);
        assert_eq!(Answer::parse("NaN"), None);
    }

    #[test]
    fn na_is_a_category_of_its_own() {
        assert_eq!(Answer::Na.status(), Some(Status::Na));
        assert_ne!(Answer::Na.key(), Answer::No.key());
        assert_eq!(Answer::Number(2.0).status(), None);
    }
}
