//! `pii` rules: personal data (cards, phones, passports…) said in a window,
//! from the kinds the match index detected once per turn.

use super::{EvalContext, Hit, Span, Verdict, Win};
use crate::check::describe as d;
use crate::input::scorecard::{SpeakerSel, Window};
use crate::results::Status;
use crate::text::pii::PiiKind;
use crate::words::Lang;

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
            .map(|k| pii_name(*k, lang).to_string())
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
            let reason = match lang {
                Lang::Ru => format!(
                    "Прозвучали персональные данные: {} {where_} ({}).",
                    pii_name(kind, lang),
                    self.at(&h)
                ),
                Lang::En => format!(
                    "Personal data disclosed: {} {where_} ({}).",
                    pii_name(kind, lang),
                    self.at(&h)
                ),
            };
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
        let reason = match lang {
            Lang::Ru => format!("Не прозвучало {where_}: {}.", names.join(", ")),
            Lang::En => format!("None disclosed {where_}: {}.", names.join(", ")),
        };
        Verdict::new(Status::Pass, reason, Vec::new())
    }
}

fn pii_name(k: PiiKind, lang: Lang) -> &'static str {
    match k {
        PiiKind::Card => lang.pick("номер карты", "card number"),
        PiiKind::Cvv => lang.pick("CVV-код", "CVV code"),
        PiiKind::Phone => lang.pick("номер телефона", "phone number"),
        PiiKind::Email => lang.pick("e-mail", "e-mail address"),
        PiiKind::Passport => lang.pick("паспортные данные", "passport number"),
        PiiKind::Snils => lang.pick("СНИЛС", "SNILS"),
        PiiKind::Inn => lang.pick("ИНН", "INN"),
    }
}
