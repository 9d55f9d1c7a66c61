//! What every column a person reads means: a «Пояснения» sheet in
//! summary.xlsx, and the same text in a note on each column header, so that
//! «Оценка по баллам» beside «Средняя оценка», or COPC «Точность», need no
//! one to explain them.

use super::kit::Sheet;
use super::report::Report;
use crate::words::report::Labels;
use crate::words::report::Words;
use crate::words::Lang;
use rust_xlsxwriter::{ColNum, Note, RowNum, XlsxError};

/// (column header, meaning) in the run's language. A header "X: y" (a class
/// or an error count) is explained by its "X" entry.
pub(crate) fn entries(l: &Labels, w: &Words) -> Vec<(&'static str, &'static str)> {
    let ru = l.lang == Lang::Ru;
    let t = |r: &'static str, e: &'static str| if ru { r } else { e };
    vec![
        (l.c_rank, t("Место в рейтинге: сначала выполнившие все цели, затем остальные по автопровалам и отставанию точности от целей; внутри — по средней оценке. Без места — мало контактов.", "Rank: first those meeting every target, then the others by auto-fails and accuracy shortfalls; within each, by mean score. No rank: sample too small.")),
        (l.c_agent, t("Оператор; ссылка открывает его файл обратной связи.", "The agent; the link opens their feedback workbook.")),
        (l.c_agent_id, t("Табельный или системный идентификатор оператора.", "The agent's id in the source systems.")),
        (l.c_team, t("Группа (команда) оператора.", "The agent's team.")),
        (l.c_agents_n, t("Сколько операторов в группе.", "Agents in the team.")),
        (l.c_contacts, t("Все проверенные контакты, с оценкой и без.", "Every contact checked, with or without a score.")),
        (l.c_scored, t("Контакты, у которых есть оценка (хотя бы один применимый критерий).", "Contacts with a score (at least one applicable criterion).")),
        (w.c_partial_n, t("Контакты, чья оценка частичная: ручные критерии ждут ответа контролёра (отмечены *).", "Contacts whose score is partial: manual criteria await a controller (marked *).")),
        (l.c_mean, t("Среднее оценок контактов (0–100): каждый контакт весит одинаково.", "The mean of the contacts' scores (0–100): every contact weighs the same.")),
        (l.c_sd, t("Стандартное отклонение оценок: насколько контакты разнятся.", "Standard deviation of the scores: how much the contacts differ.")),
        (l.c_ci_low, t("Нижняя граница 95% доверительного интервала средней: с малым n интервал широк.", "Lower bound of the mean's 95% confidence interval: wide when n is small.")),
        (l.c_ci_high, t("Верхняя граница 95% доверительного интервала средней.", "Upper bound of the mean's 95% confidence interval.")),
        (l.c_sample, t("«мало контактов» — меньше минимума (--min-n): в рейтинг не входит.", "\"sample too small\" — fewer than the minimum (--min-n): not ranked.")),
        (l.c_target, t("Цель по оценке из чек-листов (при разных чек-листах — взвешенная по контактам).", "The scorecards' score target (weighted by contacts when cards differ).")),
        (l.c_target_met, t("«выполнена» — выполнены все цели: оценка и точность по каждому классу; иначе перечислено, какие нет.", "\"met\" — every target is met: score and each class accuracy; otherwise the missed ones are listed.")),
        (l.c_pooled, t("Оценка по баллам: набранные баллы всех контактов / возможные. Длинные контакты с многими критериями весят больше, чем в средней оценке.", "Points score: points earned over points possible across all contacts; long contacts with many criteria weigh more than in the mean score.")),
        (l.c_accuracy, t("Точность (COPC): доля контактов без единой ошибки этого класса критичности.", "Accuracy (COPC): share of contacts with no error of this class.")),
        (l.c_auto_fails, t("Контакты, обнулённые критической ошибкой (автопровал).", "Contacts zeroed by a critical error (auto-fail).")),
        (l.c_top, t("Чаще всего невыполненные критерии и сколько раз.", "The most failed criteria and how often.")),
        (l.c_delta_score, t("Изменение средней оценки с прошлого периода (--previous).", "Change of the mean score since the previous period (--previous).")),
        (l.c_delta_acc, t("Изменение точности с прошлого периода, в процентных пунктах.", "Change of accuracy since the previous period, in percentage points.")),
        (l.c_top_trend, t("Доля контактов с частыми нарушениями тогда и сейчас.", "Share of contacts failing the frequent criteria then and now.")),
        (l.c_scorecard, t("Чек-лист (и версия), по которому оценён контакт.", "The scorecard (and version) the contact was scored with.")),
        (l.c_section, t("Раздел чек-листа.", "The scorecard section.")),
        (l.c_criterion_id, t("Идентификатор критерия в чек-листе.", "The criterion's id in the scorecard.")),
        (l.c_criterion, t("Критерий (или как читается его нарушение).", "The criterion (or how its failure reads).")),
        (l.c_severity, t("Класс ошибки: критичная для клиента, бизнеса, регулятора или некритичная.", "Error class: customer-, business-, compliance-critical or non-critical.")),
        (l.c_weight, t("Вес критерия (или штраф при оценке вычитанием).", "The criterion's weight (or penalty in deduction scoring).")),
        (l.c_auto_fail, t("Нарушение обнуляет контакт (или раздел).", "A failure zeroes the contact (or section).")),
        (l.c_applicable, t("Контакты, где критерий применим (выполнен или нарушен).", "Contacts where the criterion applies (passed or failed).")),
        (l.c_fails, t("Сколько раз критерий нарушен.", "How often the criterion failed.")),
        (l.c_fail_rate, t("Нарушений / применимых контактов.", "Failures over applicable contacts.")),
        (l.c_cumulative, t("Накопленная доля всех нарушений (Парето): первые строки дают большую часть.", "Cumulative share of all failures (Pareto): the first rows cause most.")),
        (l.c_na, t("Контакты, где критерий неприменим.", "Contacts where the criterion does not apply.")),
        (l.c_pending, t("Контакты, где ручной критерий ждёт ответа контролёра.", "Contacts where a manual criterion awaits a controller.")),
        (l.c_review, t("Контакты, где языковая модель (правило judge) не уверена и оставила решение контролёру.", "Contacts where the language model (a judge rule) was unsure and left the verdict to a controller.")),
        (l.c_with_error, t("Контакты хотя бы с одной ошибкой этого класса.", "Contacts with at least one error of this class.")),
        (l.c_contact, t("Идентификатор контакта.", "The contact's id.")),
        (l.c_date, t("Дата и время начала контакта.", "When the contact started.")),
        (l.c_channel, t("Канал: звонок, чат, мессенджер, e-mail.", "Channel: call, chat, messenger, e-mail.")),
        (l.c_score, t("Оценка контакта 0–100; * — частичная.", "The contact's score 0–100; * — partial.")),
        (l.c_partial, t("«да» — оценка частичная: ручные критерии ещё не оценены.", "\"yes\" — the score is partial: manual criteria are not answered yet.")),
        (l.c_errors, t("Число нарушенных критериев этого класса в контакте.", "Failed criteria of this class in the contact.")),
        (l.c_findings, t("Нарушения контакта; ссылка ведёт к первому на листе «Нарушения».", "The contact's failures; the link goes to the first on the Findings sheet.")),
        (l.c_source, t("Файл (и строка), откуда прочитан контакт.", "The file (and line) the contact was read from.")),
        (l.c_reason, t("Почему вынесен вердикт — его можно проверить по цитате.", "Why the verdict was given — checkable against the quote.")),
        (l.c_quote, t("Цитата из разговора (персональные данные скрыты).", "The quote from the contact (personal data masked).")),
        (l.c_turn, t("Номер реплики в разговоре.", "The turn's number in the contact.")),
        (l.c_time, t("Время реплики от начала контакта.", "The turn's time from the start.")),
        (l.c_metric, t("Показатель: что измерено; строки объяснены в примечаниях к ним.", "Measure: what is measured; each row has a note.")),
        (l.c_group_mean, t("Тот же показатель в среднем по группе оператора.", "The same measure for the agent's team.")),
        (l.c_overall_mean, t("Тот же показатель по всем контактам отчёта.", "The same measure over every contact of the report.")),
        (l.c_status, t("«выполнена» или «не выполнена»: значение против цели.", "\"met\" or \"not met\": the value against the target.")),
        (l.c_before, t("Значение в прошлом периоде (--previous).", "The value in the previous period (--previous).")),
        (l.c_change, t("Изменение с прошлого периода.", "Change since the previous period.")),
        (l.c_share, t("Доля контактов с этим нарушением.", "Share of contacts with this failure.")),
        (l.c_recommendation, t("Что делать: совет из чек-листа.", "What to do: the scorecard's advice.")),
        (l.c_examples, t("Цитаты из контактов с этим нарушением (персональные данные скрыты).", "Quotes from contacts with this failure (personal data masked).")),
        (w.c_pending_contacts, t("Контакты, где критерий ждёт ответа контролёра: оценка без него частичная.", "Contacts where the criterion awaits a controller: the score leaves it out.")),
        (w.c_week_change, t("Средняя оценка последней недели минус первой: рост — зелёный, спад — красный.", "The last week's mean score minus the first's: a rise is green, a fall red.")),
        (l.c_title, t("Название чек-листа.", "The scorecard's title.")),
        (l.c_version, t("Версия чек-листа.", "The scorecard's version.")),
        (l.c_targets, t("Цели чек-листа: оценка и точность по классам ошибок.", "The scorecard's targets: score and accuracy per error class.")),
        (l.c_sha, t("Контрольная сумма файла чек-листа: по ней видно, что он не менялся между отчётами.", "Checksum of the scorecard file: shows it did not change between reports.")),
        (l.c_path, t("Файл чек-листа.", "The scorecard file.")),
        (l.c_sheet, t("Лист книги; ссылка открывает его.", "A sheet of the workbook; the link opens it.")),
        (l.c_what, t("Что показывает лист.", "What the sheet shows.")),
    ]
}

/// The explanation of a column header, if the glossary has one.
pub(crate) fn meaning(report: &Report, header: &str) -> Option<&'static str> {
    let all = entries(report.l, report.w);
    let find = |h: &str| all.iter().find(|(k, _)| *k == h).map(|(_, v)| *v);
    find(header)
        .or_else(|| {
            let (head, _) = header.split_once(':')?;
            find(head).or_else(|| {
                // "Частое нарушение 1": the numbered columns share one entry.
                find(head.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' '))
            })
        })
        .or_else(|| find(header.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ')))
}

/// The explained columns of `headers`, with their meaning.
pub(crate) fn notes_of(report: &Report, headers: &[String]) -> Vec<(ColNum, &'static str)> {
    headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| meaning(report, h).map(|m| (i as ColNum, m)))
        .collect()
}

/// A glossary note at one cell: a header, or a row label where the
/// figures run in rows («Каналы», the figures tables).
pub(crate) fn note(sh: &mut Sheet, row: RowNum, col: ColNum, text: &str) -> Result<(), XlsxError> {
    let note = Note::new(text)
        .set_author("cqa")
        .set_width(320)
        .set_height(110);
    sh.ws.insert_note(row, col, &note)?;
    Ok(())
}

/// Notes on the row labels in column `col` (rows from `row0`) that the
/// glossary explains.
pub(crate) fn note_rows(
    sh: &mut Sheet,
    report: &Report,
    row0: RowNum,
    col: ColNum,
    labels: &[String],
) -> Result<(), XlsxError> {
    for (i, h) in labels.iter().enumerate() {
        if let Some(text) = meaning(report, h) {
            note(sh, row0 + i as RowNum, col, text)?;
        }
    }
    Ok(())
}

/// Notes on the headers in `row` that the glossary explains.
pub(crate) fn note_headers(
    sh: &mut Sheet,
    report: &Report,
    row: RowNum,
    headers: &[String],
) -> Result<(), XlsxError> {
    for (i, h) in headers.iter().enumerate() {
        if let Some(text) = meaning(report, h) {
            note(sh, row, i as ColNum, text)?;
        }
    }
    Ok(())
}

/// The «Пояснения» sheet: every column and what it means.
pub(crate) fn glossary_sheet(sh: &mut Sheet, report: &Report) -> Result<(), XlsxError> {
    let (l, w, s) = (report.l, report.w, &report.s);
    sh.header(0, 0, w.c_column, &s.header)?;
    sh.header(0, 1, w.c_meaning, &s.header)?;
    for (i, (k, v)) in entries(l, w).iter().enumerate() {
        let r = 1 + i as RowNum;
        sh.text(r, 0, k, &s.key)?;
        sh.wrapped(r, 1, v, &s.wrap)?;
    }
    sh.cap(0, 30.0);
    sh.cap(1, 100.0);
    sh.ws.set_freeze_panes(1, 0)?;
    let n = entries(l, w).len() as RowNum;
    sh.print_setup((n, 1), Some(0), &[])
}
