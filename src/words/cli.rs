//! Every word the command line says — the check's terminal summary and
//! notes, `explain`, `validate`, `report`, `--threads`, the judge line — in
//! Russian (the default) and English, in one table: a translation is
//! reviewed in one place, and a message missing in one language is a
//! compile error. Messages with values are functions of them.
//!
//! Public (not `pub(crate)` like the workbook labels) because the command
//! line is the binary crate (src/cmd), outside the library.

use crate::words::Lang;
use std::path::Path;

pub struct CliWords {
    // --- Anywhere on the command line ---
    /// `cqa: <error>: …`, the lead of the error that ended a command.
    pub error: &'static str,
    /// `  <caused by>: …`, each cause under it.
    pub caused_by: &'static str,
    /// A path named on the command line that is not there.
    pub no_such_path: &'static str,
    pub file_not_found: &'static str,
    /// `stopped by signal <n>; <dir>: nothing of this run was kept`.
    pub stopped_by_signal: &'static str,
    pub nothing_kept: &'static str,
    pub warning: &'static str,
    pub threads_lowered: &'static str,

    // --- `cqa check`: progress and the end of a run ---
    /// indicatif templates: contacts checked, then the workbooks.
    pub progress_contacts: &'static str,
    pub progress_workbooks: &'static str,
    /// The bar over the input bytes, once their total is known (`{msg}`: contacts).
    pub progress_bar: &'static str,
    pub shard: &'static str,
    pub shard_nothing_is_normal: &'static str,
    pub nothing_scored: &'static str,
    pub no_contact_in: &'static str,
    pub files_skipped_lower: &'static str,
    pub all_rejected: &'static str,
    pub of: &'static str,
    pub reasons_in_rejected: &'static str,

    // --- `cqa check`: the terminal summary ---
    /// `(discovered, processed, rejected)`.
    pub counts: fn(u64, u64, u64) -> String,
    pub scored_with: &'static str,
    pub files_skipped: &'static str,
    pub disagreements: &'static str,
    pub disagreements_roster_wins: &'static str,
    pub disagreements_kept: &'static str,
    pub load_warnings: &'static str,
    pub load_warnings_note: &'static str,
    pub agents_worst_first: &'static str,
    pub mean: &'static str,
    pub sample_too_small: &'static str,
    pub and_more: &'static str,
    pub more_agents: &'static str,
    pub every_agent_in: &'static str,
    pub copc_accuracy: &'static str,
    pub results: &'static str,
    pub rejected_inputs: &'static str,
    /// `(model, host, questions, requests, cache hits, errors)`.
    pub judge_report: fn(&str, &str, u64, u64, u64, u64) -> String,
    pub judge_not_configured: &'static str,

    // --- `cqa report` ---
    /// `(summary.xlsx, agents, teams)`.
    pub workbooks_written: fn(&Path, usize, usize) -> String,
    pub no_complete_run_json: &'static str,
    pub run_json_counts: &'static str,
    pub files_hold: &'static str,
    pub no_results: &'static str,
    pub incomplete_needs_flag: &'static str,
    pub given_twice: &'static str,

    // --- `cqa explain` ---
    pub explain_folder: &'static str,
    pub contact: &'static str,
    pub scorecard: &'static str,
    pub score: &'static str,
    pub partial: &'static str,
    pub auto_failed: &'static str,
    pub rule: &'static str,
    pub agent: &'static str,
    pub customer: &'static str,
    pub bot: &'static str,
    pub system: &'static str,

    // --- `cqa validate` ---
    pub validate_not_found: &'static str,
    /// `(file, id, version, criteria)`.
    pub card_ok: fn(&str, &str, &str, usize) -> String,
    /// `(invalid, files)`.
    pub cards_invalid: fn(usize, usize) -> String,
    /// `(file, id, language)`.
    pub card_any_language: fn(&Path, &str, &str) -> String,
    /// `(file a, file b, what both match, id a, id b)`.
    pub cards_overlap: fn(&Path, &Path, &str, &str, &str) -> String,
}

pub static RU: CliWords = CliWords {
    error: "ошибка",
    caused_by: "причина",
    no_such_path: "нет такого файла или папки",
    file_not_found: "файл не найден",
    stopped_by_signal: "остановлено сигналом",
    nothing_kept: "ничего из этого запуска не записано",
    warning: "предупреждение",
    threads_lowered: "предупреждение: --threads больше 4 на ядро, уменьшено:",

    progress_contacts: "{spinner} {pos} контактов  {per_sec}  {elapsed}",
    progress_workbooks: "{spinner} отчёты Excel…  {elapsed}",
    progress_bar: "{wide_bar} {percent:>3}%  {msg} контактов  {binary_bytes} из {binary_total_bytes}  осталось {eta}",
    shard: "часть",
    shard_nothing_is_normal:
        "для одной части это не ошибка: итог по всем частям подведёт cqa report",
    nothing_scored: "ничего не оценено",
    no_contact_in: "не найдено ни одного контакта в",
    files_skipped_lower: "пропущено файлов:",
    all_rejected: "отклонены все найденные контакты",
    of: "из",
    reasons_in_rejected: "причины — rejected.jsonl",

    counts: |d, p, r| format!("Найдено контактов: {d}; обработано: {p}; отклонено: {r}."),
    scored_with: "оценено по карте",
    files_skipped: "Пропущено файлов:",
    disagreements: "Расхождений с реестром/списком операторов:",
    disagreements_roster_wins: "(имя оператора и группа взяты из списка операторов, --roster-wins; остальное — из файлов контактов; полный список — run.json, «conflicts»)",
    disagreements_kept: "(в контактах оставлены значения из их файлов; полный список — run.json, «conflicts»)",
    load_warnings: "Предупреждений при чтении:",
    load_warnings_note: "(непрочитанные необязательные значения оставлены пустыми; список — run.json, «load_warnings»)",
    agents_worst_first: "Оператор (худшие сначала)",
    mean: "средний",
    sample_too_small: "  мало контактов",
    and_more: "и ещё",
    more_agents: "операторов",
    every_agent_in: "Все операторы, места и цели — лист «Операторы»:",
    copc_accuracy: "Точность по критичным ошибкам (COPC):",
    results: "Результаты:",
    rejected_inputs: "Отклонённые входы и причины:",
    judge_report: |model, host, questions, requests, hits, errors| {
        format!(
            "Языковая модель ({model}, {host}): вопросов {questions}, запросов {requests}, из кэша {hits}, ошибок {errors}.\n"
        )
    },
    judge_not_configured: "Критерии с языковой моделью (judge) отмечены «на проверку»: модель не настроена (--judge-url).\n",

    workbooks_written: |summary, agents, teams| {
        format!(
            "Отчёты Excel: {} (операторов: {agents}, групп: {teams})",
            summary.display()
        )
    },
    no_complete_run_json: "нет полного run.json: проверка не завершилась",
    run_json_counts: "run.json насчитывает результатов:",
    files_hold: "в файлах",
    no_results: "нет ни одного результата: отчёт не построен",
    incomplete_needs_flag: "отчёт по неполным результатам — только с --allow-incomplete",
    given_twice: "указан дважды, прочитан один раз",

    explain_folder: "это папка, а explain показывает один контакт: укажите один из её файлов (например, `cqa explain папка/C-000101.json`)",
    contact: "Контакт",
    scorecard: "Карта оценки:",
    score: "Оценка:",
    partial: " (частичная: есть ручные критерии)",
    auto_failed: " — критическая ошибка обнуляет оценку",
    rule: "правило:",
    agent: "оператор",
    customer: "клиент",
    bot: "бот",
    system: "система",

    validate_not_found: "файл не найден (нет такого файла или папки)",
    card_ok: |name, id, v, n| format!("{name}: ок — `{id}`, версия {v}, критериев: {n}"),
    cards_invalid: |bad, total| format!("неверных чек-листов: {bad} из {total}"),
    card_any_language: |f, id, l| {
        format!(
            "{}: `{id}` написан на языке `{l}`, но применяется к контактам на любом языке; добавьте \"languages\": [\"{l}\"] в applies_to",
            f.display()
        )
    },
    cards_overlap: |fa, fb, both, a, b| {
        format!(
            "{} и {} могут подойти к одним и тем же контактам ({both}): выигрывает `{a}`, первый по имени файла; `{b}` оценивает только то, что не взял `{a}`",
            fa.display(),
            fb.display()
        )
    },
};

pub static EN: CliWords = CliWords {
    error: "error",
    caused_by: "caused by",
    no_such_path: "no such file or folder",
    file_not_found: "file not found",
    stopped_by_signal: "stopped by signal",
    nothing_kept: "nothing of this run was kept",
    warning: "warning",
    threads_lowered: "warning: --threads over 4 per core, lowered:",

    progress_contacts: "{spinner} {pos} contacts  {per_sec}  {elapsed}",
    progress_workbooks: "{spinner} Excel reports…  {elapsed}",
    progress_bar: "{wide_bar} {percent:>3}%  {msg} contacts  {binary_bytes} of {binary_total_bytes}  {eta} left",
    shard: "shard",
    shard_nothing_is_normal: "not an error for one shard: cqa report judges all shards together",
    nothing_scored: "nothing scored",
    no_contact_in: "no contact found in",
    files_skipped_lower: "files skipped:",
    all_rejected: "every contact found was rejected",
    of: "of",
    reasons_in_rejected: "reasons in rejected.jsonl",

    counts: |d, p, r| format!("Contacts discovered: {d}; processed: {p}; rejected: {r}."),
    scored_with: "scored with",
    files_skipped: "Files skipped:",
    disagreements: "Disagreements with the registry/roster:",
    disagreements_roster_wins: "(agent names and teams taken from the roster, --roster-wins; other values from the contacts' files; full list in run.json, \"conflicts\")",
    disagreements_kept: "(contacts keep the values of their own files; full list in run.json, \"conflicts\")",
    load_warnings: "Load warnings:",
    load_warnings_note: "(unreadable optional values left empty; list in run.json, \"load_warnings\")",
    agents_worst_first: "Agent (worst first)",
    mean: "mean",
    sample_too_small: "  sample too small",
    and_more: "and",
    more_agents: "more agents",
    every_agent_in: "Every agent, rank and target: the Agents sheet of",
    copc_accuracy: "Critical error accuracy (COPC):",
    results: "Results:",
    rejected_inputs: "Rejected inputs and reasons:",
    judge_report: |model, host, questions, requests, hits, errors| {
        format!(
            "Language model ({model}, {host}): {questions} questions, {requests} requests, {hits} from the cache, {errors} errors.\n"
        )
    },
    judge_not_configured:
        "Judge criteria are marked \"to review\": no model is configured (--judge-url).\n",

    workbooks_written: |summary, agents, teams| {
        format!(
            "Excel reports: {} ({agents} agents, {teams} teams)",
            summary.display()
        )
    },
    no_complete_run_json: "no complete run.json: the check did not finish",
    run_json_counts: "run.json counts results:",
    files_hold: "the files hold",
    no_results: "no results in the inputs: no report written",
    incomplete_needs_flag: "a report from incomplete results needs --allow-incomplete",
    given_twice: "given twice, read once",

    explain_folder: "is a folder, and explain shows one contact: give one of its files (e.g. `cqa explain folder/C-000101.json`)",
    contact: "Contact",
    scorecard: "Scorecard:",
    score: "Score:",
    partial: " (partial: manual criteria pending)",
    auto_failed: " — auto-fail",
    rule: "rule:",
    agent: "agent",
    customer: "customer",
    bot: "bot",
    system: "system",

    validate_not_found: "file not found (no such file or folder)",
    card_ok: |name, id, v, n| format!("{name}: ok — `{id}` version {v}, {n} criteria"),
    cards_invalid: |bad, total| format!("{bad} of {total} scorecard(s) invalid"),
    card_any_language: |f, id, l| {
        format!(
            "{}: `{id}` is written in `{l}` but applies to contacts of any language; add \"languages\": [\"{l}\"] to applies_to",
            f.display()
        )
    },
    cards_overlap: |fa, fb, both, a, b| {
        format!(
            "{} and {} can match the same contacts ({both}): `{a}` wins, being first in file-name order; `{b}` scores only what `{a}` does not take",
            fa.display(),
            fb.display()
        )
    },
};

impl CliWords {
    pub fn for_lang(lang: Lang) -> &'static CliWords {
        match lang {
            Lang::Ru => &RU,
            Lang::En => &EN,
        }
    }
}

/// The command line's words in `lang`.
pub fn cli(lang: Lang) -> &'static CliWords {
    CliWords::for_lang(lang)
}
