//! What the controllers' commands print (`cqa sample`, `sample-size`,
//! `forms`, `calibrate`): summaries on the terminal and their errors.

use crate::words::Lang;

/// Russian first, English second; a missing word is a compile error.
pub struct QaCliWords {
    // cqa calibrate: its error, summary lines and tables.
    pub no_pairs: &'static str,
    pub rows_not_used: &'static str,
    pub without_auto: &'static str,
    pub judge_title: &'static str,
    pub c_criterion: &'static str,
    pub c_answers: &'static str,
    pub c_auto: &'static str,
    pub c_review: &'static str,
    pub c_missed: &'static str,
    pub k_contacts: &'static str,
    pub k_evaluators: &'static str,
    pub of_scores: &'static str,
    pub c_agree: &'static str,
    pub more: &'static str,
    pub k_missing: &'static str,
    pub c_evaluator: &'static str,
    pub c_deviation: &'static str,
    pub c_disagrees_on: &'static str,
    pub reference: &'static str,
    // cqa sample: its error and summary.
    pub nothing_to_draw: &'static str,
    pub pool_contacts: &'static str,
    pub excluded_evaluated: &'static str,
    pub not_read: &'static str,
    pub selected: &'static str,
    pub of: &'static str,
    pub strata: &'static str,
    pub below_quota: &'static str,
    pub undated: &'static str,
    pub left_out_pool: &'static str,
    pub not_copied: &'static str,
    // cqa sample-size.
    pub wilson: &'static str,
    pub to_monitor: &'static str,
    pub points_at: &'static str,
    pub expected_rate: &'static str,
    pub out_of: &'static str,
    pub contacts: &'static str,
    // cqa forms.
    pub rows: &'static str,
    pub left_out_forms: &'static str,
}

pub static RU: QaCliWords = QaCliWords {
    no_pairs: "ни один контакт не оценён двумя контролёрами: это обычные формы \
                 (по одному контролёру на контакт), согласие считать не по чему. \
                 Для калибровки раздайте всем одни и те же контакты: \
                 `cqa forms --calibration …`",
    rows_not_used: "Строк оценок не учтено",
    without_auto: "Контакты без автоматической проверки",
    judge_title: "Критерии с языковой моделью (judge):",
    c_criterion: "Критерий",
    c_answers: "ответов",
    c_auto: "авто",
    c_review: "на пров.",
    c_missed: "промахи",
    k_contacts: "Контактов:",
    k_evaluators: "контролёров:",
    of_scores: "по баллам",
    c_agree: "согласие",
    more: "ещё",
    k_missing: "Пропущенных ответов:",
    c_evaluator: "Контролёр",
    c_deviation: "отклонение",
    c_disagrees_on: "где расходится",
    reference: "эталон",
    nothing_to_draw: "нечего отбирать из",
    pool_contacts: "контактов в пуле",
    excluded_evaluated: "исключено как оценённые",
    not_read: "не прочитано",
    selected: "Отобрано",
    of: "из",
    strata: "страт",
    below_quota: "меньше квоты",
    undated: "Без читаемой даты started_at (период пустой):",
    left_out_pool: "Не вошли в отбор (не прочитаны или не могут быть оценены)",
    not_copied: "Не скопировано",
    wilson: "интервал Уилсона с доверием",
    to_monitor: "контактов на проверку для точности",
    points_at: "п.п. с доверием",
    expected_rate: "ожидаемая доля ошибок",
    out_of: "из",
    contacts: "контактов",
    rows: "строк",
    left_out_forms: "Не вошли в формы",
};

pub static EN: QaCliWords = QaCliWords {
    no_pairs: "no contact was answered by two controllers: these are ordinary forms \
                 (one controller per contact), with no agreement to measure. For a \
                 calibration session give everyone the same contacts: \
                 `cqa forms --calibration …`",
    rows_not_used: "Evaluation rows not used",
    without_auto: "Contacts without automatic checks",
    judge_title: "Judge criteria (a language model):",
    c_criterion: "Criterion",
    c_answers: "answers",
    c_auto: "auto",
    c_review: "review",
    c_missed: "missed",
    k_contacts: "Contacts:",
    k_evaluators: "evaluators:",
    of_scores: "of scores",
    c_agree: "agree",
    more: "more",
    k_missing: "Missing answers:",
    c_evaluator: "Evaluator",
    c_deviation: "deviation",
    c_disagrees_on: "disagrees on",
    reference: "reference",
    nothing_to_draw: "nothing to draw from",
    pool_contacts: "contacts in the pool",
    excluded_evaluated: "excluded as evaluated",
    not_read: "not read",
    selected: "Selected",
    of: "of",
    strata: "strata",
    below_quota: "below quota",
    undated: "Without a readable started_at (empty period):",
    left_out_pool: "Left out of the pool (unreadable, or the check cannot score them)",
    not_copied: "Not copied",
    wilson: "Wilson interval at confidence",
    to_monitor: "contacts to monitor for",
    points_at: "points at confidence",
    expected_rate: "expected rate",
    out_of: "out of",
    contacts: "contacts",
    rows: "rows",
    left_out_forms: "Left out of the forms",
};

impl QaCliWords {
    pub fn for_lang(lang: Lang) -> &'static QaCliWords {
        match lang {
            Lang::Ru => &RU,
            Lang::En => &EN,
        }
    }
}
