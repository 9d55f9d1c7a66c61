//! Every word of the check's reasons, in Russian (the default) and English:
//! the sentence each verdict carries, the names of measures, personal-data
//! kinds, severities and judge answers. One table per language, so that a
//! translation is reviewed in one place and both languages always have the
//! same set of words (a missing field is a compile error).
//!
//! Reasons are put together for every criterion of every contact: the words
//! a hot path uses are `&'static str` pieces that it pushes onto a string
//! (`turn`, the prefixes of `if` and `not`); a whole sentence with values in
//! it is a function, used where the reason was formatted before. The table
//! holds words only: which field a rule's kind or window picks is decided
//! where the rule is (src/check/describe.rs and the rule families), so this
//! foundation depends on no stage's types.

use crate::words::Lang;

/// The words of reasons in one language.
pub(crate) struct ReasonWords {
    // Where a rule looks (src/check/describe.rs).
    /// Whose turns, in the genitive: «оператора» / "the agent's".
    pub of_agent: &'static str,
    pub of_customer: &'static str,
    pub of_bot: &'static str,
    pub of_anyone: &'static str,
    /// The whole contact: (whose, whether anyone's) → «в репликах оператора».
    pub in_turns: fn(&str, bool) -> String,
    /// The first or last n turns: (whose, n).
    pub in_first_turns: fn(&str, usize) -> String,
    pub in_last_turns: fn(&str, usize) -> String,
    /// The first or last seconds: (whose, seconds as written).
    pub in_first_seconds: fn(&str, &str) -> String,
    pub in_last_seconds: fn(&str, &str) -> String,
    /// Quotation marks around a wording: «…» / "…".
    pub quote_open: &'static str,
    pub quote_close: &'static str,
    /// After the first five wordings of a list: «и ещё 3».
    pub and_more: fn(usize) -> String,
    /// Before a turn number: «реплика » (pushed for nearly every verdict).
    pub turn: &'static str,
    /// After a duration: « с» / " s".
    pub seconds: &'static str,
    // Timing measures.
    pub max_silence: &'static str,
    pub max_hold: &'static str,
    pub hold_count: &'static str,
    pub first_response: &'static str,
    pub max_response_gap: &'static str,
    pub agent_talk_share: &'static str,
    pub interruptions: &'static str,
    pub duration: &'static str,

    // Phrase and regex rules (worded once when a scorecard compiles).
    /// Before the quoted wording found: a regex's match, a phrase, a
    /// forbidden regex's match, a forbidden phrase.
    pub found_match: &'static str,
    pub found_phrase: &'static str,
    pub forbidden_match: &'static str,
    pub forbidden_phrase: &'static str,
    /// Between a forbidden phrase and where it was heard: « » / " occurred ".
    pub forbidden_after_quote: &'static str,
    /// The settled reasons, from (the rule's list, where it looks).
    pub no_match: fn(&str, &str) -> String,
    pub every_match: fn(&str, &str) -> String,
    /// From (where it looks, the list).
    pub no_phrase: fn(&str, &str) -> String,
    pub every_phrase: fn(&str, &str) -> String,
    pub none_occurred: fn(&str, &str) -> String,
    /// Some of the required phrases missing: (where, the missing ones listed, how many required).
    pub missing_some: fn(&str, &str, usize) -> String,
    /// After a forbidden phrase heard more than once: (times more).
    pub more_times: fn(usize) -> String,

    // Windows.
    pub no_times_for_seconds: &'static str,
    /// Before where the rule looks, when no turn is there.
    pub no_turns: &'static str,

    // Order rules.
    /// (the `then` rule's list).
    pub order_nothing_to_check: fn(&str) -> String,
    /// (then quoted, its turn, the `first` rule's list).
    pub order_nothing_before: fn(&str, &str, &str) -> String,
    /// (then quoted, its turn, first quoted, its turn).
    pub order_broken: fn(&str, &str, &str, &str) -> String,
    /// (first quoted, its turn, then quoted, its turn).
    pub order_kept: fn(&str, &str, &str, &str) -> String,

    // Personal data.
    pub pii_card: &'static str,
    pub pii_cvv: &'static str,
    pub pii_phone: &'static str,
    pub pii_email: &'static str,
    pub pii_passport: &'static str,
    pub pii_snils: &'static str,
    pub pii_inn: &'static str,
    /// (the kind said, where, its turn).
    pub pii_said: fn(&str, &str, &str) -> String,
    /// (where, the kinds looked for).
    pub pii_none: fn(&str, &str) -> String,

    // Rules made of rules, and manual ones.
    pub condition_undecided: &'static str,
    pub condition_holds: &'static str,
    pub condition_fails: &'static str,
    pub negated: &'static str,
    pub manual: &'static str,
    /// A search stopped at a turn: (the turn, the limit of word comparisons).
    pub search_stopped: fn(usize, u64) -> String,

    // Timing rules.
    pub allowed_range: &'static str,
    pub allowed_at_most: &'static str,
    pub required_at_least: &'static str,
    /// (the measure's name).
    pub no_times_to_measure: fn(&str) -> String,
    /// Around the maximum when the value is above it, and the minimum when below.
    pub above_before: &'static str,
    pub above_after: &'static str,
    pub below_before: &'static str,
    pub below_after: &'static str,

    // Metadata rules.
    /// Before a field's quoted name: «Поле ».
    pub field: &'static str,
    pub field_present: &'static str,
    pub field_missing: &'static str,
    /// (the field quoted).
    pub no_field: fn(&str) -> String,
    /// (the field quoted, its value quoted).
    pub not_a_number: fn(&str, &str) -> String,
    pub expected: &'static str,
    pub must_not_be: &'static str,
    pub expected_one_of: &'static str,
    pub expected_at_least: &'static str,
    pub expected_at_most: &'static str,

    // Judge rules.
    /// Before the model's confidence.
    pub confidence: &'static str,
    pub answer_yes: &'static str,
    pub answer_no: &'static str,
    pub answer_na: &'static str,

    // Severities.
    pub customer_critical: &'static str,
    pub business_critical: &'static str,
    pub compliance_critical: &'static str,
    pub non_critical: &'static str,
}

pub(crate) static RU: ReasonWords = ReasonWords {
    of_agent: "оператора",
    of_customer: "клиента",
    of_bot: "бота",
    of_anyone: "участников",
    in_turns: |sp, anyone| match anyone {
        true => "в разговоре".into(),
        false => format!("в репликах {sp}"),
    },
    in_first_turns: |sp, n| match n {
        1 => format!("в первой реплике {sp}"),
        n => format!("в первых {n} репликах {sp}"),
    },
    in_last_turns: |sp, n| match n {
        1 => format!("в последней реплике {sp}"),
        n => format!("в последних {n} репликах {sp}"),
    },
    in_first_seconds: |sp, x| format!("в репликах {sp} за первые {x} с"),
    in_last_seconds: |sp, x| format!("в репликах {sp} за последние {x} с"),
    quote_open: "«",
    quote_close: "»",
    and_more: |n| format!("и ещё {n}"),
    turn: "реплика ",
    seconds: " с",
    max_silence: "самая долгая пауза",
    max_hold: "самое долгое удержание",
    hold_count: "число удержаний",
    first_response: "время первого ответа",
    max_response_gap: "самое долгое ожидание ответа",
    agent_talk_share: "доля речи оператора",
    interruptions: "число перебиваний клиента",
    duration: "длительность контакта",

    found_match: "Найдено совпадение по правилу ",
    found_phrase: "Найдена фраза ",
    forbidden_match: "Недопустимо: совпадение по правилу ",
    forbidden_phrase: "Недопустимо: прозвучала фраза ",
    forbidden_after_quote: " ",
    no_match: |list, where_| format!("Не найдено совпадений по правилу {list} {where_}."),
    every_match: |list, where_| format!("Найдены все совпадения по правилу {list} {where_}."),
    no_phrase: |where_, list| {
        format!("Не найдено ни одной из фраз {where_}; ожидалось одно из: {list}.")
    },
    every_phrase: |where_, list| format!("Найдены все требуемые фразы {where_}: {list}."),
    none_occurred: |where_, list| format!("Не прозвучало {where_}: {list}."),
    missing_some: |where_, missing, n| {
        format!("Не найдены {where_}: {missing} (требуются все из {n}).")
    },
    more_times: |n| format!(" и ещё {n} раз(а)"),

    no_times_for_seconds: "В контакте нет временных меток реплик — окно по секундам не применимо.",
    no_turns: "Нет реплик для проверки:",

    order_nothing_to_check: |list| {
        format!(
            "Не применяется: не прозвучало ни одной из фраз {list} — порядок проверять не с чем."
        )
    },
    order_nothing_before: |then_q, at, list| {
        format!("{then_q} ({at}) прозвучало, но ему не предшествовало ни одно из: {list}.")
    },
    order_broken: |then_q, then_at, first_q, first_at| {
        format!(
            "Нарушен порядок: {then_q} ({then_at}) прозвучало раньше, чем {first_q} ({first_at})."
        )
    },
    order_kept: |first_q, first_at, then_q, then_at| {
        format!("Порядок соблюдён: {first_q} ({first_at}) прозвучало до {then_q} ({then_at}).")
    },

    pii_card: "номер карты",
    pii_cvv: "CVV-код",
    pii_phone: "номер телефона",
    pii_email: "e-mail",
    pii_passport: "паспортные данные",
    pii_snils: "СНИЛС",
    pii_inn: "ИНН",
    pii_said: |kind, where_, at| format!("Прозвучали персональные данные: {kind} {where_} ({at})."),
    pii_none: |where_, kinds| format!("Не прозвучало {where_}: {kinds}."),

    condition_undecided: "Условие не решено: ",
    condition_holds: "Условие выполнено: ",
    condition_fails: "Не применяется — условие не выполнено: ",
    negated: "Обратное условию: ",
    manual: "Оценивается контролёром вручную.",
    search_stopped: |cut, limit| {
        format!(
            "Не проверено автоматически: нечёткий поиск и поиск с «near» остановлен на реплике {cut} — \
             в контакте слишком много слов для фраз карты (предел {limit} сравнений слов на контакт); \
             проверьте вручную."
        )
    },

    allowed_range: "норма ",
    allowed_at_most: "норма — не более ",
    required_at_least: "норма — не менее ",
    no_times_to_measure: |name| format!("Нет временных меток, нужных для измерения: {name}."),
    above_before: " — больше допустимого (",
    above_after: ").",
    below_before: " — меньше требуемого (",
    below_after: ").",

    field: "Поле ",
    field_present: " заполнено.",
    field_missing: " отсутствует.",
    no_field: |field| format!("Поле {field} отсутствует в контакте."),
    not_a_number: |field, shown| {
        format!("Поле {field} = {shown} — не число, сравнение невозможно.")
    },
    expected: "ожидалось",
    must_not_be: "не должно быть",
    expected_one_of: "ожидалось одно из ",
    expected_at_least: "ожидалось не менее",
    expected_at_most: "ожидалось не более",

    confidence: ", уверенность",
    answer_yes: "да",
    answer_no: "нет",
    answer_na: "неприменимо",

    customer_critical: "критичная для клиента",
    business_critical: "критичная для бизнеса",
    compliance_critical: "критичная для регулятора",
    non_critical: "некритичная",
};

pub(crate) static EN: ReasonWords = ReasonWords {
    of_agent: "the agent's",
    of_customer: "the customer's",
    of_bot: "the bot's",
    of_anyone: "all",
    in_turns: |sp, _| format!("in {sp} turns"),
    in_first_turns: |sp, n| format!("in {sp} first {n} turn(s)"),
    in_last_turns: |sp, n| format!("in {sp} last {n} turn(s)"),
    in_first_seconds: |sp, x| format!("in {sp} turns within the first {x} s"),
    in_last_seconds: |sp, x| format!("in {sp} turns within the last {x} s"),
    quote_open: "\"",
    quote_close: "\"",
    and_more: |n| format!("and {n} more"),
    turn: "turn ",
    seconds: " s",
    max_silence: "longest silence",
    max_hold: "longest hold",
    hold_count: "number of holds",
    first_response: "first response time",
    max_response_gap: "longest wait for a reply",
    agent_talk_share: "agent talk share",
    interruptions: "interruptions of the customer",
    duration: "contact duration",

    found_match: "Found a match for the rule ",
    found_phrase: "Found the phrase ",
    forbidden_match: "Not allowed: a match for the rule ",
    forbidden_phrase: "Not allowed: the phrase ",
    forbidden_after_quote: " occurred ",
    no_match: |list, where_| format!("No match for the rule {list} {where_}."),
    every_match: |list, where_| format!("Found every match for the rule {list} {where_}."),
    no_phrase: |where_, list| {
        format!("Found none of the phrases {where_}; expected one of: {list}.")
    },
    every_phrase: |where_, list| format!("Found every required phrase {where_}: {list}."),
    none_occurred: |where_, list| format!("None occurred {where_}: {list}."),
    missing_some: |where_, missing, n| {
        format!("Missing {where_}: {missing} (all {n} are required).")
    },
    more_times: |n| format!(" and {n} more time(s)"),

    no_times_for_seconds: "The contact's turns have no times, so a seconds window does not apply.",
    no_turns: "No turns to check:",

    order_nothing_to_check: |list| {
        format!("Not applicable: none of {list} occurred, so there is no order to check.")
    },
    order_nothing_before: |then_q, at, list| {
        format!("{then_q} ({at}) occurred without any of {list} before it.")
    },
    order_broken: |then_q, then_at, first_q, first_at| {
        format!("Wrong order: {then_q} ({then_at}) came before {first_q} ({first_at}).")
    },
    order_kept: |first_q, first_at, then_q, then_at| {
        format!("Order kept: {first_q} ({first_at}) came before {then_q} ({then_at}).")
    },

    pii_card: "card number",
    pii_cvv: "CVV code",
    pii_phone: "phone number",
    pii_email: "e-mail address",
    pii_passport: "passport number",
    pii_snils: "SNILS",
    pii_inn: "INN",
    pii_said: |kind, where_, at| format!("Personal data disclosed: {kind} {where_} ({at})."),
    pii_none: |where_, kinds| format!("None disclosed {where_}: {kinds}."),

    condition_undecided: "Condition undecided: ",
    condition_holds: "Condition holds: ",
    condition_fails: "Not applicable — condition does not hold: ",
    negated: "Negated: ",
    manual: "Scored manually by a controller.",
    search_stopped: |cut, limit| {
        format!(
            "Not checked automatically: fuzzy and \"near\" matching stopped at turn {cut} — \
             the contact has too many words for the card's phrases (limit {limit} word \
             comparisons a contact); check by hand."
        )
    },

    allowed_range: "allowed ",
    allowed_at_most: "allowed at most ",
    required_at_least: "required at least ",
    no_times_to_measure: |name| {
        format!("The contact lacks the times needed to measure the {name}.")
    },
    above_before: ", above the allowed ",
    above_after: ".",
    below_before: ", below the required ",
    below_after: ".",

    field: "Field ",
    field_present: " is present.",
    field_missing: " is missing.",
    no_field: |field| format!("The contact has no field {field}."),
    not_a_number: |field, shown| {
        format!("Field {field} = {shown} is not a number, so it cannot be compared.")
    },
    expected: "expected",
    must_not_be: "must not be",
    expected_one_of: "expected one of ",
    expected_at_least: "expected at least",
    expected_at_most: "expected at most",

    confidence: ", confidence",
    answer_yes: "yes",
    answer_no: "no",
    answer_na: "not applicable",

    customer_critical: "customer-critical",
    business_critical: "business-critical",
    compliance_critical: "compliance-critical",
    non_critical: "non-critical",
};

impl ReasonWords {
    /// The table of `lang`.
    pub(crate) fn for_lang(lang: Lang) -> &'static ReasonWords {
        match lang {
            Lang::Ru => &RU,
            Lang::En => &EN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every piece and every sentence of a table, with sample values.
    fn sentences(w: &ReasonWords) -> Vec<String> {
        let mut out: Vec<String> = [
            w.of_agent,
            w.of_customer,
            w.of_bot,
            w.of_anyone,
            w.quote_open,
            w.quote_close,
            w.turn,
            w.seconds,
            w.max_silence,
            w.max_hold,
            w.hold_count,
            w.first_response,
            w.max_response_gap,
            w.agent_talk_share,
            w.interruptions,
            w.duration,
            w.found_match,
            w.found_phrase,
            w.forbidden_match,
            w.forbidden_phrase,
            w.forbidden_after_quote,
            w.no_times_for_seconds,
            w.no_turns,
            w.pii_card,
            w.pii_cvv,
            w.pii_phone,
            w.pii_email,
            w.pii_passport,
            w.pii_snils,
            w.pii_inn,
            w.condition_undecided,
            w.condition_holds,
            w.condition_fails,
            w.negated,
            w.manual,
            w.allowed_range,
            w.allowed_at_most,
            w.required_at_least,
            w.above_before,
            w.above_after,
            w.below_before,
            w.below_after,
            w.field,
            w.field_present,
            w.field_missing,
            w.expected,
            w.must_not_be,
            w.expected_one_of,
            w.expected_at_least,
            w.expected_at_most,
            w.confidence,
            w.answer_yes,
            w.answer_no,
            w.answer_na,
            w.customer_critical,
            w.business_critical,
            w.compliance_critical,
            w.non_critical,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (a, b) = ("x", "y");
        out.extend([
            (w.in_turns)(a, true),
            (w.in_turns)(a, false),
            (w.in_first_turns)(a, 1),
            (w.in_first_turns)(a, 2),
            (w.in_last_turns)(a, 1),
            (w.in_last_turns)(a, 2),
            (w.in_first_seconds)(a, "15"),
            (w.in_last_seconds)(a, "15"),
            (w.and_more)(3),
            (w.no_match)(a, b),
            (w.every_match)(a, b),
            (w.no_phrase)(a, b),
            (w.every_phrase)(a, b),
            (w.none_occurred)(a, b),
            (w.missing_some)(a, b, 2),
            (w.more_times)(2),
            (w.order_nothing_to_check)(a),
            (w.order_nothing_before)(a, b, a),
            (w.order_broken)(a, b, a, b),
            (w.order_kept)(a, b, a, b),
            (w.pii_said)(a, b, a),
            (w.pii_none)(a, b),
            (w.search_stopped)(4, 5_000),
            (w.no_times_to_measure)(a),
            (w.no_field)(a),
            (w.not_a_number)(a, b),
        ]);
        out
    }

    fn cyrillic(s: &str) -> bool {
        s.chars()
            .any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
    }

    #[test]
    fn english_reasons_hold_no_russian_word() {
        for s in sentences(&EN) {
            assert!(!cyrillic(&s), "Russian in the English table: {s}");
        }
    }

    #[test]
    fn russian_reasons_are_worded_in_russian() {
        let ru = sentences(&RU);
        let en = sentences(&EN);
        for (r, e) in ru.iter().zip(&en) {
            // Pieces that are the same in both (spaces, dots) and the
            // loanword «e-mail» aside.
            if r != e && r != "e-mail" && r.chars().any(char::is_alphabetic) {
                assert!(cyrillic(r), "no Russian in «{r}» (English: {e})");
            }
        }
    }

    #[test]
    fn one_turn_is_named_in_the_singular_in_russian() {
        assert_eq!(
            (RU.in_first_turns)("оператора", 1),
            "в первой реплике оператора"
        );
        assert_eq!(
            (RU.in_first_turns)("оператора", 2),
            "в первых 2 репликах оператора"
        );
        assert_eq!(
            (RU.in_last_turns)("клиента", 1),
            "в последней реплике клиента"
        );
        assert_eq!(
            (EN.in_last_turns)("the customer's", 1),
            "in the customer's last 1 turn(s)"
        );
    }

    #[test]
    fn everyone_s_turns_read_as_the_conversation_in_russian() {
        assert_eq!((RU.in_turns)("участников", true), "в разговоре");
        assert_eq!((RU.in_turns)("оператора", false), "в репликах оператора");
        assert_eq!((EN.in_turns)("all", true), "in all turns");
    }

    #[test]
    fn each_language_has_its_own_table() {
        assert_eq!(ReasonWords::for_lang(Lang::Ru).turn, "реплика ");
        assert_eq!(ReasonWords::for_lang(Lang::En).turn, "turn ");
    }
}
