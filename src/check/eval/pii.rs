//! `pii` rules: personal data (cards, phones, passports…) said in a window,
//! from the kinds the match index detected once per turn.

use super::{EvalContext, Hit, Span, Verdict, Win};
use crate::check::describe as d;
use crate::input::scorecard::{SpeakerSel, Window};
use crate::results::Status;
use crate::text::pii::PiiKind;
use crate::words::reasons::ReasonWords;

impl EvalContext<'_> {
    pub(super) fn pii(
        &self,
        speaker: SpeakerSel,
        window: Option<Window>,
        kinds: &[PiiKind],
    ) -> Verdict {
        let turns = match self.window(speaker, window) {
            Win::Turns(v) => v,
            Win::Na(r) => return Verdict::na(r),
        };
        let lang = self.lang;
        let names: Vec<String> = kinds
            .iter()
            .map(|k| pii_name(*k, self.words()).to_string())
            .collect();
        let where_ = d::window(speaker, window, lang);
        let mut found: Vec<(usize, PiiKind)> = Vec::new();
        for &turn in turns.iter() {
            for k in &self.index.turns[turn].pii {
                if kinds.contains(k) {
                    found.push((turn, *k));
                }
            }
        }
        if let Some(&(turn, kind)) = found.first() {
            let h = Hit {
                turn,
                span: Span::Turn,
            };
            let reason =
                (self.words().pii_said)(pii_name(kind, self.words()), &where_, &self.at(&h));
            let mut ev: Vec<Hit> = Vec::new();
            for (t, _) in &found {
                if ev.len() < 3 && !ev.iter().any(|e| e.turn == *t) {
                    ev.push(Hit {
                        turn: *t,
                        span: Span::Turn,
                    });
                }
            }
            return Verdict::new(Status::Fail, reason, ev);
        }
        let reason = (self.words().pii_none)(&where_, &names.join(", "));
        Verdict::new(Status::Pass, reason, Vec::new())
    }
}

/// What a kind of personal data is called in reasons.
fn pii_name(k: PiiKind, w: &'static ReasonWords) -> &'static str {
    match k {
        PiiKind::Card => w.pii_card,
        PiiKind::Cvv => w.pii_cvv,
        PiiKind::Phone => w.pii_phone,
        PiiKind::Email => w.pii_email,
        PiiKind::Passport => w.pii_passport,
        PiiKind::Snils => w.pii_snils,
        PiiKind::Inn => w.pii_inn,
    }
}
