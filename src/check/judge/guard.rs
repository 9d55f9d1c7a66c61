//! The evidence guard: a model's yes or no counts only when its quote is
//! really in the window, in a turn of the rule's speaker. Text is compared
//! normalised (case, punctuation, `ё`), word-bounded, and the whole window
//! is searched, since the turn number a model gives may be off.

use crate::input::contact::Speaker;
use crate::input::scorecard::SpeakerSel;
use crate::text::normalize;

/// One turn of the window as the model saw it.
#[derive(Debug, Clone)]
pub struct Line {
    /// Index into the contact's turns.
    pub turn: usize,
    pub speaker: Speaker,
    /// The turn's text as sent (masked unless `--no-mask`).
    pub text: String,
    /// `text` normalised, as quotes are compared: made when a quote is
    /// first checked (a warm re-run of `na` answers never needs it).
    pub norm: std::cell::OnceCell<String>,
}

impl Line {
    pub fn new(turn: usize, speaker: Speaker, text: String) -> Line {
        Line {
            turn,
            speaker,
            text,
            norm: std::cell::OnceCell::new(),
        }
    }
    fn norm(&self) -> &str {
        self.norm.get_or_init(|| normalize(&self.text))
    }
}

/// Why a quote is not evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Miss {
    /// Empty, or too short to prove anything.
    NoQuote,
    /// In no turn of the window.
    NotFound,
    /// Only in turns of another speaker.
    WrongSpeaker,
}

/// Shortest quote (normalised characters) taken as evidence.
const MIN_QUOTE: usize = 3;

pub(crate) fn speaker_ok(sel: SpeakerSel, s: Speaker) -> bool {
    match sel {
        SpeakerSel::Any => s != Speaker::System,
        SpeakerSel::Agent => s == Speaker::Agent,
        SpeakerSel::Customer => s == Speaker::Customer,
        SpeakerSel::Bot => s == Speaker::Bot,
    }
}

/// A quote without what models add around it: the `[3] Agent:` label of
/// the transcript, quotation marks and ellipses (split into fragments that
/// must all occur, in order, in one turn).
fn fragments(quote: &str) -> Vec<String> {
    let mut q = quote.trim();
    if let Some(rest) = q.strip_prefix('[') {
        if let Some(end) = rest.find(']') {
            if rest[..end].trim().chars().all(|c| c.is_ascii_digit()) {
                q = rest[end + 1..].trim_start();
            }
        }
    }
    for label in super::prompt::SPEAKER_LABELS {
        if let Some(rest) = q.strip_prefix(label).and_then(|r| r.strip_prefix(':')) {
            q = rest.trim_start();
        }
    }
    q.split("...")
        .flat_map(|p| p.split('…'))
        .map(normalize)
        .filter(|f| !f.is_empty())
        .collect()
}

fn contains_in_order(hay: &str, frags: &[String]) -> bool {
    let padded = format!(" {hay} ");
    let mut from = 0;
    for f in frags {
        let needle = format!(" {f} ");
        match padded[from..].find(&needle) {
            // The next fragment may share the space that ends this one.
            Some(i) => from += i + needle.len() - 1,
            None => return false,
        }
    }
    true
}

/// Which line of `lines` holds `quote` in a turn of `speaker`: the turn the
/// model named when it is one, else the first in the window.
pub fn locate(
    quote: &str,
    named_turn: Option<usize>,
    lines: &[Line],
    speaker: SpeakerSel,
) -> Result<usize, Miss> {
    let frags = fragments(quote);
    if frags.iter().map(|f| f.chars().count()).sum::<usize>() < MIN_QUOTE {
        return Err(Miss::NoQuote);
    }
    let holds: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| contains_in_order(l.norm(), &frags))
        .map(|(i, _)| i)
        .collect();
    let ok: Vec<usize> = holds
        .iter()
        .copied()
        .filter(|&i| speaker_ok(speaker, lines[i].speaker))
        .collect();
    match (ok.is_empty(), holds.is_empty()) {
        (false, _) => Ok(named_turn
            .and_then(|n| ok.iter().copied().find(|&i| lines[i].turn == n))
            .unwrap_or(ok[0])),
        (true, false) => Err(Miss::WrongSpeaker),
        (true, true) => Err(Miss::NotFound),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call() -> Vec<Line> {
        let l = |turn, speaker, text: &str| Line::new(turn, speaker, text.into());
        vec![
            l(0, Speaker::Agent, "Банк «Пример», Мария, здравствуйте!"),
            l(
                1,
                Speaker::Customer,
                "Не могу войти в приложение, пишет «ошибка 403».",
            ),
            l(
                3,
                Speaker::Agent,
                "Подскажите, какая версия приложения у вас стоит?",
            ),
        ]
    }

    #[test]
    fn a_quote_differing_in_case_and_punctuation_is_found_in_its_turn() {
        assert_eq!(
            locate(
                "подскажите какая Версия приложения",
                None,
                &call(),
                SpeakerSel::Agent
            ),
            Ok(2)
        );
    }

    #[test]
    fn a_quote_from_the_customer_is_not_evidence_for_an_agent_question() {
        assert_eq!(
            locate(
                "не могу войти в приложение",
                Some(1),
                &call(),
                SpeakerSel::Agent
            ),
            Err(Miss::WrongSpeaker)
        );
    }

    #[test]
    fn a_fabricated_quote_is_not_found() {
        assert_eq!(
            locate(
                "Я понимаю ваше беспокойство",
                Some(3),
                &call(),
                SpeakerSel::Agent
            ),
            Err(Miss::NotFound)
        );
    }

    #[test]
    fn a_label_and_an_ellipsis_are_not_part_of_the_quote() {
        assert_eq!(
            locate(
                "[4] Agent: Подскажите… у вас стоит",
                None,
                &call(),
                SpeakerSel::Agent
            ),
            Ok(2)
        );
    }

    #[test]
    fn part_of_a_word_is_not_a_quote_of_it() {
        assert_eq!(
            locate("дравствуйте", None, &call(), SpeakerSel::Agent),
            Err(Miss::NotFound)
        );
    }

    #[test]
    fn an_empty_quote_is_no_evidence() {
        assert_eq!(
            locate(" … ", Some(1), &call(), SpeakerSel::Any),
            Err(Miss::NoQuote)
        );
    }
}
