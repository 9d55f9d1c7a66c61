//! Verdicts that rest on a search cqa stopped: when a contact used up the
//! word comparisons fuzzy and `near` phrases may cost
//! ([`crate::check::index::MAX_TOKEN_WORK`]), a rule that found nothing in
//! the turns left unsearched cannot say that nothing is there. Its verdict
//! becomes `pending` with a reason, for a controller to decide, never a pass
//! or fail on text that was not read. A verdict resting on a match found
//! (a phrase present, a forbidden phrase heard) stands.

use super::{EvalContext, Verdict, Win};
use crate::check::plan::TextNode;
use crate::input::scorecard::Must;
use crate::results::Status;

impl EvalContext<'_> {
    /// `v`, the verdict of text rule `t`, or `pending` when it may rest on
    /// turns whose fuzzy and `near` search was stopped.
    pub(super) fn bounded_text(&self, t: &TextNode, v: Verdict) -> Verdict {
        let settled_by_a_match = match t.must {
            Must::Present => v.status == Status::Pass,
            Must::Absent => v.status == Status::Fail,
        };
        if settled_by_a_match || !self.searched_in_part(t) {
            return v;
        }
        self.stopped(v)
    }

    /// `v`, the verdict of an order rule, or `pending` when either part may
    /// rest on turns whose search was stopped.
    pub(super) fn bounded_order(&self, first: &TextNode, then: &TextNode, v: Verdict) -> Verdict {
        if self.searched_in_part(first) || self.searched_in_part(then) {
            self.stopped(v)
        } else {
            v
        }
    }

    /// Whether `t` has fuzzy or `near` phrases and its window holds a turn
    /// that was not fully searched for them.
    fn searched_in_part(&self, t: &TextNode) -> bool {
        let Some(cut) = self.index.token_cut() else {
            return false;
        };
        if t.is_regex
            || !t
                .ids
                .iter()
                .any(|&id| self.m.patterns[id as usize].by_tokens())
        {
            return false;
        }
        match self.window(t.speaker, t.window) {
            Win::Turns(turns) => turns.iter().any(|&turn| turn >= cut),
            Win::Na(_) => false,
        }
    }

    fn stopped(&self, v: Verdict) -> Verdict {
        let cut = self.index.token_cut().unwrap_or(0) + 1;
        let limit = crate::check::index::MAX_TOKEN_WORK;
        let reason = (self.words().search_stopped)(cut, limit);
        v.with_status(Status::Pending, reason)
    }
}

#[cfg(test)]
mod tests {
    //! The library's tests use a budget of 5,000 word comparisons
    //! (`MAX_TOKEN_WORK` under `cfg(test)`), so a turn of 2,000 words and a
    //! few fuzzy phrases reach it.
    use crate::check::{CompiledScorecard, EvalOptions};
    use crate::input::contact::parse_contact;
    use crate::results::{CriterionResult, Status};
    use crate::words::Lang;
    use serde_json::json;

    fn verdict(rule: serde_json::Value, turns: serde_json::Value) -> CriterionResult {
        let card = json!({"id": "bank", "version": "1", "sections": [{"id": "s", "title": "Продажи", "criteria": [
            {"id": "offer", "title": "Предложил кредитную карту", "weight": 1, "severity": "non_critical", "rule": rule}
        ]}]});
        let card =
            crate::input::scorecard::parse_scorecard(&card.to_string(), "bank.json").unwrap();
        let card = CompiledScorecard::compile(card).unwrap();
        let contact = json!({"id": "C-1", "agent_id": "A001", "agent_name": "Иванова Мария",
            "channel": "voice", "turns": turns});
        let contact = parse_contact(&contact.to_string()).unwrap();
        let opts = EvalOptions {
            lang: Lang::Ru,
            mask: true,
        };
        card.evaluate(&contact, "test", None, &opts)
            .criteria
            .remove(0)
    }

    /// 2,000 words of an agent reading out tariff terms.
    fn long_turn() -> String {
        [
            "тарифный",
            "план",
            "предусматривает",
            "ежемесячное",
            "обслуживание",
        ]
        .repeat(400)
        .join(" ")
    }

    fn offers() -> serde_json::Value {
        json!([
            "кредитную карту",
            "рассрочку платежа",
            "страхование жизни",
            "вклад пополняемый"
        ])
    }

    #[test]
    fn a_fuzzy_search_stopped_by_the_budget_leaves_the_criterion_pending() {
        let v = verdict(
            json!({"type": "phrase", "speaker": "agent", "any": offers(), "fuzzy": 1, "near": 2}),
            json!([{"speaker": "agent", "text": long_turn()}]),
        );
        assert_eq!(v.status, Status::Pending, "{}", v.reason);
        assert!(v.reason.contains("остановлен на реплике 1"), "{}", v.reason);
        assert!(v.reason.contains("проверьте вручную"), "{}", v.reason);
    }

    #[test]
    fn a_forbidden_phrase_unseen_past_the_budget_is_not_a_pass() {
        let v = verdict(
            json!({"type": "phrase", "speaker": "agent", "must": "absent", "any": offers(), "fuzzy": 1}),
            json!([{"speaker": "agent", "text": long_turn()}]),
        );
        assert_eq!(v.status, Status::Pending, "{}", v.reason);
    }

    #[test]
    fn a_phrase_found_before_the_search_stopped_still_passes() {
        let v = verdict(
            json!({"type": "phrase", "speaker": "agent", "any": offers(), "fuzzy": 1, "near": 2}),
            json!([
                {"speaker": "agent", "text": "Могу предложить кридитную карту с кэшбэком."},
                {"speaker": "customer", "text": "Расскажите подробнее."},
                {"speaker": "agent", "text": long_turn()}
            ]),
        );
        assert_eq!(v.status, Status::Pass, "{}", v.reason);
    }

    #[test]
    fn a_short_contact_is_searched_whole() {
        let v = verdict(
            json!({"type": "phrase", "speaker": "agent", "any": offers(), "fuzzy": 1}),
            json!([{"speaker": "agent", "text": "Здравствуйте, банк «Пример», слушаю вас."}]),
        );
        assert_eq!(v.status, Status::Fail, "{}", v.reason);
    }
}
