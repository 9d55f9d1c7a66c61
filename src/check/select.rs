//! Which scorecard scores a contact: the first, in the order given (a
//! folder's files by name), whose `applies_to` fits the contact's channel,
//! queue and language. A contact no card fits is rejected with a reason that
//! names what the contact is and what the cards are for.

use super::{CompiledScorecard, ScorecardSet};
use crate::input::contact::language::{self, ContactLanguage};
use crate::input::contact::Contact;
use crate::input::scorecard::Scorecard;

/// The languages a card scores (normalised `applies_to.languages`); empty:
/// any language. The card's own `language` (what its phrases are written in)
/// does not restrict on its own, so cards written before languages existed keep
/// working; `cqa validate` warns about such a card.
pub fn card_languages(card: &Scorecard) -> Vec<String> {
    card.applies_to
        .languages
        .iter()
        .map(|l| language::normalise(l))
        .collect()
}

/// What a card applies to, for people: `chat, messenger; ru`.
pub fn describe_applies_to(card: &Scorecard) -> String {
    let a = &card.applies_to;
    let mut what: Vec<String> = a.channels.clone();
    what.extend(a.queues.iter().map(|q| format!("queue {q}")));
    let mut s = if what.is_empty() {
        "all channels".to_string()
    } else {
        what.join(", ")
    };
    let langs = card_languages(card);
    s.push_str("; ");
    s.push_str(&if langs.is_empty() {
        "any language".to_string()
    } else {
        langs.join(", ")
    });
    s
}

/// No scorecard fits a contact: why, in one line for rejected.jsonl.
#[derive(Debug, Clone, PartialEq)]
pub struct NoScorecard {
    pub contact_id: String,
    pub channel: Option<String>,
    pub queue: Option<String>,
    /// The contact's language, when it had to be known.
    pub language: Option<ContactLanguage>,
    /// Cards that fit the channel and queue but not the language.
    pub other_language: Vec<String>,
    /// Every card, with what it applies to.
    pub cards: Vec<String>,
}

impl std::fmt::Display for NoScorecard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "contact `{}` (channel `{}`, queue `{}`",
            self.contact_id,
            self.channel.as_deref().unwrap_or("-"),
            self.queue.as_deref().unwrap_or("-"),
        )?;
        match &self.language {
            Some(l) => write!(f, ", language {l}")?,
            None if !self.other_language.is_empty() => write!(
                f,
                ", language unknown: no `language` field and no text to detect it from"
            )?,
            None => {}
        }
        write!(f, "): no scorecard applies to it")?;
        if !self.other_language.is_empty() {
            write!(
                f,
                "; for its channel there are only cards in another language ({}) — add a card for its language or set `language`",
                self.other_language.join(", ")
            )?;
        }
        write!(f, "; scorecards: {}", self.cards.join("; "))
    }
}

impl std::error::Error for NoScorecard {}

impl ScorecardSet {
    /// The card that scores `contact`; see the module docs.
    pub fn select(&self, contact: &Contact) -> Option<&CompiledScorecard> {
        self.choose(contact).ok()
    }

    /// Every language some card is restricted to (normalised, first seen first).
    pub fn languages(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for l in self.cards.iter().flat_map(|c| card_languages(&c.card)) {
            if !out.contains(&l) {
                out.push(l);
            }
        }
        out
    }

    /// As [`ScorecardSet::select`], with the reason when no card fits.
    pub fn choose(&self, contact: &Contact) -> Result<&CompiledScorecard, Box<NoScorecard>> {
        let fits: Vec<&CompiledScorecard> = self
            .cards
            .iter()
            .filter(|c| {
                c.card
                    .applies_to
                    .matches(contact.channel.as_deref(), contact.queue.as_deref())
            })
            .collect();
        let restricted = fits.iter().any(|c| !card_languages(&c.card).is_empty());
        // Detection reads the text: only when a fitting card asks for a language.
        let lang = if restricted {
            language::of(contact, || self.languages())
        } else {
            None
        };
        let mut other = Vec::new();
        for c in fits {
            let langs = card_languages(&c.card);
            let ok = langs.is_empty() || lang.as_ref().is_some_and(|l| langs.contains(&l.code));
            if ok {
                return Ok(c);
            }
            other.push(format!("{}: {}", c.card.id, langs.join(", ")));
        }
        Err(Box::new(NoScorecard {
            contact_id: contact.id.clone(),
            channel: contact.channel.clone(),
            queue: contact.queue.clone(),
            language: lang,
            other_language: other,
            cards: self
                .cards
                .iter()
                .map(|c| format!("{} ({})", c.card.id, describe_applies_to(&c.card)))
                .collect(),
        }))
    }
}

/// Where two cards' `applies_to` overlap — the channels, queues and languages
/// a contact could have and fit both — or `None` when no contact fits both.
/// Used by `cqa validate` to warn that the later card loses those contacts.
pub fn overlap(a: &Scorecard, b: &Scorecard) -> Option<String> {
    fn common(
        x: &[String],
        y: &[String],
        same: impl Fn(&str, &str) -> bool,
    ) -> Option<Vec<String>> {
        match (x.is_empty(), y.is_empty()) {
            (true, true) => Some(Vec::new()),
            (true, false) => Some(y.to_vec()),
            (false, true) => Some(x.to_vec()),
            (false, false) => {
                let both: Vec<String> = x
                    .iter()
                    .filter(|v| y.iter().any(|w| same(v, w)))
                    .cloned()
                    .collect();
                (!both.is_empty()).then_some(both)
            }
        }
    }
    let (x, y) = (&a.applies_to, &b.applies_to);
    let ci = |p: &str, q: &str| p.eq_ignore_ascii_case(q);
    let channels = common(&x.channels, &y.channels, ci)?;
    let queues = common(&x.queues, &y.queues, ci)?;
    let languages = common(&card_languages(a), &card_languages(b), |p, q| p == q)?;
    let any = |v: Vec<String>, what: &str| {
        if v.is_empty() {
            format!("any {what}")
        } else {
            format!("{what} {}", v.join(", "))
        }
    };
    Some(format!(
        "{}; {}; {}",
        any(channels, "channel"),
        any(queues, "queue"),
        any(languages, "language")
    ))
}
