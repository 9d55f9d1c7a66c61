//! Words the workbooks gained for issue 18 (ranking by every target, partial
//! scores, coaching order, calibration sheets, glossary…), Russian and
//! English side by side like [`super::Labels`], kept apart so that the main
//! table stays under the file-size bar and parallel edits do not collide.

use crate::words::Lang;

pub(crate) struct Words {
    /// Channels as people name them (a channel of another name shows its key).
    pub ch_voice: &'static str,
    pub ch_chat: &'static str,
    pub ch_messenger: &'static str,
    pub ch_email: &'static str,
    pub ch_none: &'static str,
    /// Short name of the score target in "not met: score, customer".
    pub goal_score: &'static str,
    /// How the Agents and Teams tables are ordered, under the table.
    pub rank_order: &'static str,
    /// The feedback heading line on whether every target is met.
    pub k_all_targets: &'static str,
    /// Column: contacts whose score leaves out criteria awaiting a controller.
    pub c_partial_n: &'static str,
    /// What the star on a score means.
    pub partial_note: &'static str,
    /// Overview: how many scores are partial, and what they await.
    pub k_partial: &'static str,
    pub partial_of: &'static str,
    pub awaiting: &'static str,
    /// Feedback: what a controller still has to answer.
    pub t_pending: &'static str,
    pub c_pending_contacts: &'static str,
    pub c_contact_ids: &'static str,
    pub no_pending: &'static str,
    /// Header notes: the figures table's own-value column, the awaited
    /// contacts' ids.
    pub own_value: &'static str,
    pub contact_ids_note: &'static str,
    /// How the feedback's failed criteria are ordered.
    pub coaching_order: &'static str,
    /// Charts: agents per team in score bands; the Pareto's "other" bar.
    pub t_distribution: &'static str,
    pub agents_count: &'static str,
    pub other: &'static str,
    // The channels and the weeks.
    pub sh_channels: &'static str,
    pub sh_trends: &'static str,
    pub g_channels: &'static str,
    pub g_trends: &'static str,
    pub c_week_change: &'static str,
    pub no_weeks: &'static str,
    pub weeks_note: &'static str,
    // The glossary.
    pub sh_glossary: &'static str,
    pub g_glossary: &'static str,
    pub c_column: &'static str,
    pub c_meaning: &'static str,
    /// "Не выполнено: <title>" for a failed criterion without a `fail_title`.
    pub not_done: &'static str,
    // Controllers' sheets of summary.xlsx.
    pub sh_disagreements: &'static str,
    pub sh_eval_errors: &'static str,
    pub c_status_kept: &'static str,
    pub c_answers: &'static str,
    pub c_where: &'static str,
    pub c_file: &'static str,
    pub c_sheet: &'static str,
    pub no_disagreements: &'static str,
    pub no_eval_errors: &'static str,
    pub more_in_jsonl: &'static str,
    pub g_disagreements: &'static str,
    pub g_eval_errors: &'static str,
}

static RU: Words = Words {
    ch_voice: "Звонки",
    ch_chat: "Чат",
    ch_messenger: "Мессенджеры",
    ch_email: "E-mail",
    ch_none: "Канал не указан",
    goal_score: "оценка",
    rank_order: "Порядок мест: сначала выполнившие все цели (средняя оценка и точность по каждому \
                 классу критичных ошибок) — по средней оценке; затем не выполнившие хотя бы одну \
                 цель — по числу автопровалов (меньше — выше), затем по числу невыполненных целей \
                 по точности и отставанию от них, затем по средней оценке. С малой выборкой — в \
                 конце, без места. Невыполненные цели выделены красным.",
    k_all_targets: "Все цели",
    c_partial_n: "Частичных оценок",
    partial_note: "* — частичная оценка: в неё не вошли критерии, ожидающие ответа контролёра; \
                   после ответа оценка может измениться.",
    k_partial: "Частичных оценок (ожидают ответа контролёра)",
    partial_of: "из",
    awaiting: "не хватает ответов",
    t_pending: "Ожидают ответа контролёра (оценка частичная до ответа)",
    c_pending_contacts: "Контактов без ответа",
    c_contact_ids: "Контакты",
    no_pending: "Все критерии оценены: ответов контролёра не ждём.",
    own_value: "Значение оператора (на листе группы — группы) за период.",
    contact_ids_note: "Идентификаторы контактов, где критерий ждёт ответа.",
    t_distribution: "Средние оценки операторов по группам: сколько операторов в каждом диапазоне",
    agents_count: "Операторов",
    other: "Прочие",
    sh_channels: "Каналы",
    sh_trends: "Динамика",
    g_channels: "звонки, чаты и e-mail рядом: контакты, оценка, точность, автопровалы, частые нарушения",
    g_trends: "средняя оценка каждого оператора по неделям этого прогона и изменение с первой недели до последней",
    c_week_change: "Изменение: первая → последняя неделя",
    no_weeks: "У контактов нет дат (started_at): по неделям не разложить.",
    weeks_note: "Недели — ISO (с понедельника), по дате начала контакта; в ячейке — средняя оценка за неделю.",
    sh_glossary: "Пояснения",
    g_glossary: "что значит каждая колонка (то же — в примечании к заголовку колонки)",
    c_column: "Колонка",
    c_meaning: "Что значит",
    not_done: "Не выполнено",
    sh_disagreements: "Расхождения",
    sh_eval_errors: "Ошибки оценок",
    c_status_kept: "Оставлен статус",
    c_answers: "Ответы контролёров",
    c_where: "Где ответы",
    c_file: "Файл",
    c_sheet: "Лист",
    no_disagreements: "Контролёры нигде не разошлись.",
    no_eval_errors: "Все строки оценок применены.",
    more_in_jsonl: "ещё — полный список в файле .jsonl рядом с результатами",
    g_disagreements: "где контролёры ответили по-разному: ответы, комментарии и где они; \
                      оставлен автоматический статус или «ожидает оценки» — решите и внесите ответ",
    g_eval_errors: "строки оценок, которые не удалось применить, и почему (файл, лист, строка)",
    coaching_order: "сначала автопровалы, затем критичные для клиента, бизнеса, регулятора, \
                     затем некритичные; внутри класса — по частоте",
};

static EN: Words = Words {
    ch_voice: "Calls",
    ch_chat: "Chat",
    ch_messenger: "Messengers",
    ch_email: "E-mail",
    ch_none: "No channel",
    goal_score: "score",
    rank_order: "Ranking: first those who meet every target (mean score and the accuracy of \
                 each critical error class), by mean score; then those who miss any target, by \
                 auto-fails (fewer first), then by how many accuracy targets they miss and by \
                 how far, then by mean score. Samples too small come last, unranked. Missed \
                 targets are shown in red.",
    k_all_targets: "All targets",
    c_partial_n: "Partial scores",
    partial_note: "* — partial score: criteria awaiting a controller's answer are left out; \
                   the score may change once they are answered.",
    k_partial: "Partial scores (awaiting a controller)",
    partial_of: "of",
    awaiting: "answers missing",
    t_pending: "Awaiting a controller's answer (the score is partial until then)",
    c_pending_contacts: "Contacts unanswered",
    c_contact_ids: "Contacts",
    no_pending: "Every criterion is scored: no controller answer is awaited.",
    own_value: "The agent's value (on a team page, the team's) for the period.",
    contact_ids_note: "The ids of the contacts where the criterion awaits an answer.",
    t_distribution: "Agents' mean scores per team: how many agents in each band",
    agents_count: "Agents",
    other: "Other",
    sh_channels: "Channels",
    sh_trends: "Trends",
    g_channels: "calls, chats and e-mail side by side: contacts, score, accuracy, auto-fails, frequent failures",
    g_trends: "each agent's mean score per week of this run, and the change from the first week to the last",
    c_week_change: "Change: first → last week",
    no_weeks: "The contacts have no dates (started_at): no weeks to show.",
    weeks_note: "ISO weeks (from Monday), by the contact's start date; each cell is the week's mean score.",
    sh_glossary: "Glossary",
    g_glossary: "what every column means (also in a note on each column header)",
    c_column: "Column",
    c_meaning: "Meaning",
    not_done: "Not done",
    sh_disagreements: "Disagreements",
    sh_eval_errors: "Evaluation errors",
    c_status_kept: "Status kept",
    c_answers: "Controllers' answers",
    c_where: "Where the answers are",
    c_file: "File",
    c_sheet: "Sheet",
    no_disagreements: "The controllers agreed everywhere.",
    no_eval_errors: "Every evaluation row was applied.",
    more_in_jsonl: "more — the full list is in the .jsonl file beside the results",
    g_disagreements:
        "where controllers answered differently: answers, comments and where they \
                      are; the automatic status (or pending) is kept — settle it and add the answer",
    g_eval_errors: "evaluation rows that could not be applied, and why (file, sheet, row)",
    coaching_order: "auto-fails first, then customer-, business- and compliance-critical, then \
                     non-critical; within a class, most frequent first",
};

impl Words {
    pub fn for_lang(lang: Lang) -> &'static Words {
        match lang {
            Lang::Ru => &RU,
            Lang::En => &EN,
        }
    }
}
