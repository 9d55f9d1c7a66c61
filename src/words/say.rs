//! Messages for people in the run's language, at the edge where they are
//! written (rejection reasons, load warnings, evaluation errors).
//!
//! The loaders and readers word their problems once, in English, deep in
//! code that knows no language (a contact loader runs before any option is
//! read, and the same message goes into tests, logs and errors). Rather than
//! thread `--lang` through every one of them, this catalogue rewrites the
//! known messages, piece by piece, where they leave cqa: a Russian run reads
//! «пустой файл», not "empty file". Values inside backticks (ids, field
//! names, file names) are kept as they are. A message the catalogue does not
//! know is kept whole inside «» behind a Russian lead-in, so a reader still
//! sees what kind of text it is; a test over every output of a Russian run
//! keeps the catalogue complete for what cqa says.
//!
//! English runs need the other direction in one place: the TXT loader shows
//! Russian line examples («Оператор: …»), which English runs give as
//! "Agent: …" (both are accepted).

use crate::words::Lang;
use regex::Regex;
use std::sync::OnceLock;

/// (English pattern, Russian template). `$n` are the pattern's groups; a
/// group written `%n` is itself translated (a nested message).
const RU: &[(&str, &str)] = &[
    (r"^empty file: no contacts$", "пустой файл: контактов нет"),
    (r"^empty file$", "пустой файл"),
    (r"^invalid JSON at line (\d+), column (\d+): (.*)$", "неверный JSON: строка $1, столбец $2: %3"),
    (r"^invalid JSON at column (\d+): (.*)$", "неверный JSON: столбец $1: %2"),
    (r"^EOF while parsing a string$", "файл оборвался посреди строки"),
    (r"^EOF while parsing (?:an object|a list|a value)$", "файл оборвался, JSON не закончен"),
    (r"^expected value$", "ожидалось значение"),
    (r"^trailing characters$", "лишние символы после JSON"),
    (r"^key must be a string$", "ключ должен быть строкой"),
    (
        r"^missing required field `([^`]+)` for contact `([^`]*)` \(give it in the file, or supply it with --registry\)$",
        "нет обязательного поля `$1` у контакта `$2` (укажите его в файле или добавьте через --registry)",
    ),
    (
        r"^missing required field `([^`]+)` for contact `([^`]*)` \(give it in the file: JSON `agent_id`, or a table column / TXT header named (.*); or, with no id column, (.*) \(the name is then the id\) — see docs/contacts.md; or supply it with --registry\)$",
        "нет обязательного поля `$1` у контакта `$2` (укажите его в файле: в JSON — `agent_id`, в таблице или заголовке TXT — столбец с одним из имён: $3; или, если столбца с кодом нет, $4 (тогда кодом станет имя) — см. docs/contacts.md; или добавьте через --registry)",
    ),
    (
        r"^missing required field `([^`]+)` for contact `([^`]*)`: not in the file, and the registry (.*) has no agent for it$",
        "нет обязательного поля `$1` у контакта `$2`: в файле его нет, и в реестре $3 нет оператора для него",
    ),
    (r"^missing required field `([^`]+)`$", "нет обязательного поля `$1`"),
    (r"^field `([^`]+)` is empty$", "поле `$1` пустое"),
    (
        r"^unknown speaker `([^`]*)`; expected agent, customer, bot or system$",
        "неизвестный говорящий `$1`; ожидался agent, customer, bot или system",
    ),
    (r"^unknown speaker `([^`]*)`; expected one of: (.*)$", "неизвестный говорящий `$1`; ожидался один из: $2"),
    (r"^unknown speaker `([^`]*)`; expected (.*)$", "неизвестный говорящий `$1`; ожидался один из: $2"),
    (r"^unknown speaker `([^`]*)`$", "неизвестный говорящий `$1`"),
    (r"^turns\[(\d+)\]: (.*)$", "turns[$1]: %2"),
    (r"^line (\d+), column `([^`]+)`: (.*)$", "строка $1, столбец `$2`: %3"),
    (r"^line (\d+): (.*)$", "строка $1: %2"),
    (r"^column `([^`]+)`: `(.*)` is not a time$", "столбец `$1`: `$2` — не время"),
    (r"^`([^`]*)` is not a time$", "`$1` — не время"),
    (
        r"^`([^`]*)` is not a time: expected \[mm:ss\] or \[hh:mm:ss\], seconds and minutes under 60, nothing negative; the line is not read as a turn$",
        "`$1` — не время: ожидалось [мм:сс] или [чч:мм:сс], секунды и минуты меньше 60, без минусов; строка не прочитана как реплика",
    ),
    (
        r"^`([^`]*)` is not a time \(expected seconds such as 12\.5, or mm:ss\)$",
        "`$1` — не время (ожидались секунды, например 12.5, или мм:сс)",
    ),
    (
        r"^`([^`]*)` is not a duration: `(.*)` \(expected seconds or mm:ss\); left empty$",
        "`$1` — не длительность: `$2` (ожидались секунды или мм:сс); оставлено пустым",
    ),
    (r"^`([^`]*)` is not a duration$", "`$1` — не длительность"),
    (r"^duration_s: `(.*)` is not a duration; left empty$", "duration_s: `$1` — не длительность; оставлено пустым"),
    (
        r"^duration `(.*)` is not a number of seconds or mm:ss; left empty$",
        "длительность `$1` — не число секунд и не мм:сс; оставлено пустым",
    ),
    (r"^contact has (\d+) turns, more than the limit of (\d+)$", "в контакте $1 реплик — больше предела $2"),
    (
        r"^contact `([^`]*)` has (\d+) turns, more than the limit of (\d+)$",
        "в контакте `$1` $2 реплик — больше предела $3",
    ),
    (
        r"^contact `([^`]*)`: rows disagree on `([^`]+)`: `(.*)` \(line (\d+)\) and `(.*)` \(line (\d+)\)$",
        "контакт `$1`: строки расходятся в поле `$2`: `$3` (строка $4) и `$5` (строка $6)",
    ),
    (
        r"^binary data \(NUL byte at offset (\d+)\), not a text transcript$",
        "двоичные данные (байт NUL на позиции $1), а не текст разговора",
    ),
    (
        r"^damaged UTF-8: invalid byte sequence at offset (\d+) .*$",
        "повреждённый UTF-8: неверная последовательность байтов на позиции $1 (файл обрезан или испорчен?); другая кодировка не угадывается, чтобы не исказить текст",
    ),
    (
        r"^text encoding could not be determined .*$",
        "не удалось определить кодировку текста (не UTF-8, не UTF-16 и не Windows-1251); пересохраните файл в UTF-8",
    ),
    (
        r"^file is (\S+) MiB, over the limit of (\S+) MiB \(--max-file-mb\); not read$",
        "файл $1 МиБ — больше предела $2 МиБ (--max-file-mb); не прочитан",
    ),
    (
        r"^line is (\d+) bytes, over the limit; not read$",
        "строка $1 байт — больше предела; не прочитана",
    ),
    (
        r"^file is (\S+) MiB, over the limit of (\S+) MiB$",
        "файл $1 МиБ — больше предела $2 МиБ",
    ),
    (
        r"^workbook part `([^`]*)` unpacks to (\S+) MiB, over the limit of (\S+) MiB; not read$",
        "часть книги `$1` распаковывается в $2 МиБ — больше предела $3 МиБ; не прочитана",
    ),
    (r"^cannot read: (.*)$", "не удалось прочитать: «$1»"),
    (
        r"^duplicate contact id `([^`]*)`: already read from (.*); this copy \((.*)\) is not scored$",
        "повторный id контакта `$1`: он уже прочитан из $2; эта копия ($3) не оценивается",
    ),
    (
        r"^not a cqa contact \(no `turns`\) and not a recognised export .*; describe it with --mapping FILE$",
        "не контакт cqa (нет `turns`) и не известная выгрузка (Amazon Transcribe Call Analytics, Amazon Connect Contact Lens, Genesys Cloud); опишите её через --mapping FILE",
    ),
    (
        r"^the file holds a JSON array, not one contact: .*$",
        "в файле JSON-массив, а не один контакт: положите по контакту на строку в файл .jsonl или опишите выгрузку через --mapping FILE (с `records`)",
    ),
    (
        r"^a timed line needs a speaker, e\.g\. `(.*)`$",
        "у строки со временем нет говорящего; пример: `$1`",
    ),
    (
        r"^text before the first speaker line; expected `(.*)` or `(.*)`$",
        "текст до первой строки с говорящим; ожидалось `$1` или `$2`",
    ),
    (
        r"^no turns: expected lines such as `(.*)` after the header$",
        "нет реплик: после заголовка ожидались строки вида `$1`",
    ),
    (
        r"^header `([^`]+)` given twice with different values \(`(.*)` on line (\d+), `(.*)` here\)$",
        "заголовок `$1` указан дважды с разными значениями (`$2` в строке $3, `$4` здесь)",
    ),
    (
        r"^(\d+) fields but the header has (\d+) \(an unquoted delimiter inside the text\?\)$",
        "полей: $1, а в заголовке $2 (разделитель внутри текста без кавычек?)",
    ),
    (
        r"^no `([^`]+)` column \(columns found: (.*); delimiter `(.*)`\); expected one of: (.*)$",
        "нет столбца `$1` (найдены столбцы: $2; разделитель `$3`); ожидался один из: $4",
    ),
    (
        r"^contact `([^`]*)` \(channel `(.*)`, queue `(.*)`\): no scorecard applies to it; scorecards: (.*)$",
        "контакт `$1` (канал `$2`, очередь `$3`): к нему не подходит ни один чек-лист; чек-листы: $4",
    ),
    (
        r"^([^:`]+): no scorecard applies to it$",
        "$1: к нему не подходит ни один чек-лист",
    ),
    (
        r"^([^:`]+): no transcript \(the manifest has no source and --contacts does not have it\)$",
        "$1: нет текста разговора (в списке выборки нет source, и в --contacts его нет)",
    ),
    (
        r"^([^:`]+): no transcript \(the manifest has no source and --contacts does not have it; (\d+) input\(s\) there could not be read, e\.g\. (.*)\)$",
        "$1: нет текста разговора (в списке выборки нет source, и в --contacts его нет; там не прочитано входов: $2, например %3)",
    ),
    (
        r"^the pool gives no transcript path \(registry without a `source` column\)$",
        "в пуле нет пути к тексту разговора (в реестре нет столбца `source`)",
    ),
    (
        r"^duplicate contact id `([^`]*)`; the first one is kept$",
        "повторный id контакта `$1`; оставлен первый",
    ),
    (r"^no contact_id or agent_id$", "нет contact_id или agent_id"),
    (r"^cannot copy (.*?): (.*)$", "не удалось скопировать $1: «$2»"),
    (r"^(.*), row (\d+): (.*)$", "$1, строка $2: %3"),
    (
        r"^([^:`]+): (.*) holds contact `([^`]*)` instead$",
        "$1: в $2 другой контакт — `$3`",
    ),
    // Evaluation rows.
    (
        r"^answer `(.*)` is not one of Да/Нет/Н/П, Yes/No/N/A, pass/fail/na or a number$",
        "ответ `$1` — не Да/Нет/Н/П, не Yes/No/N/A, не pass/fail/na и не число",
    ),
    (r"^an answer without a contact_id$", "ответ без contact_id"),
    (r"^an answer without a criterion_id$", "ответ без criterion_id"),
    (r"^an answer without an evaluator name$", "ответ без имени контролёра"),
    (
        r"^the table has no evaluator column: whose answers are these\?$",
        "в таблице нет столбца evaluator: чьи это ответы?",
    ),
    (
        r"^no sheet has the columns contact_id, criterion_id and answer; not an evaluation form or table$",
        "ни на одном листе нет столбцов contact_id, criterion_id и answer: это не форма оценки и не таблица ответов",
    ),
    (
        r"^(.*) answered criterion `([^`]*)` of contact `([^`]*)` differently: (.*); none of these answers is used$",
        "$1 по-разному ответил(а) на критерий `$2` контакта `$3`: $4; ни один из этих ответов не применён",
    ),
    (
        r"^contact `([^`]*)` is not among the scored contacts$",
        "контакта `$1` нет среди оценённых",
    ),
    (
        r"^contact `([^`]*)` was scored with scorecard `([^`]*)`, which has no criterion `([^`]*)`$",
        "контакт `$1` оценён по чек-листу `$2`, в котором нет критерия `$3`",
    ),
    (
        r"^answer `(.*)` on criterion `([^`]*)` is a number; this criterion takes Да/Нет/Н/П \(Yes/No/N/A\)$",
        "ответ `$1` на критерий `$2` — число, а этот критерий принимает Да/Нет/Н/П (Yes/No/N/A)",
    ),
    (
        r"^criterion `([^`]*)` is in none of the scorecards$",
        "критерия `$1` нет ни в одном чек-листе",
    ),
    (r"^expected a string or a number, got (.*)$", "ожидалась строка или число, получено: $1"),
    // Scorecard problems (`cqa validate`, `--scorecard`): the JSON path is
    // kept; `%n` translates the kind of value found.
    (r"^required field is missing$", "обязательное поле отсутствует"),
    (r"^must not be empty$", "не должно быть пустым"),
    (r"^expected an object, got (.*)$", "ожидался объект, получено: %1"),
    (r"^expected a string, got (.*)$", "ожидалась строка, получено: %1"),
    (r"^expected a non-empty string, got (.*)$", "ожидалась непустая строка, получено: %1"),
    (r"^expected a number, got (.*)$", "ожидалось число, получено: %1"),
    (r"^expected true or false, got (.*)$", "ожидалось true или false, получено: %1"),
    (r"^expected a list of strings, got (.*)$", "ожидался список строк, получено: %1"),
    (r"^expected a list of sections, got (.*)$", "ожидался список разделов, получено: %1"),
    (r"^expected a list of criteria, got (.*)$", "ожидался список критериев, получено: %1"),
    (r"^expected a list of rules, got (.*)$", "ожидался список правил, получено: %1"),
    (r"^expected a non-empty list, got (.*)$", "ожидался непустой список, получено: %1"),
    (r"^a string$", "строка"),
    (r"^a number$", "число"),
    (r"^a boolean$", "true/false"),
    (r"^an array$", "массив"),
    (r"^an object$", "объект"),
    (r"^null$", "null"),
    (r"^unknown field `([^`]*)`; expected one of: (.*)$", "неизвестное поле `$1`; допустимые: $2"),
    (r"^unknown rule type `([^`]*)`; expected one of: (.*)$", "неизвестный тип правила `$1`; допустимые: $2"),
    (r"^unknown severity `([^`]*)`; expected one of: (.*)$", "неизвестный класс критичности `$1`; допустимые: $2"),
    (r"^unknown scoring method `([^`]*)`; expected (.*)$", "неизвестный способ подсчёта `$1`; допустимые: $2"),
    (r"^unknown auto_fail mode `([^`]*)`; expected (.*)$", "неизвестный режим auto_fail `$1`; допустимые: $2"),
    (r"^unknown (kind|match mode|measure|window|value) `([^`]*)`; expected (?:one of: )?(.*)$", "неизвестное значение `$2`; допустимые: $3"),
    (
        r"^duplicate criterion id `([^`]*)` \(first at (.*)\)$",
        "повторный id критерия `$1` (впервые в $2)",
    ),
    (
        r"^duplicate section id `([^`]*)` \(first at (.*)\)$",
        "повторный id раздела `$1` (впервые в $2)",
    ),
    (
        r"^(\S+) must be from (\S+) to (\S+), got (\S+)$",
        "$1 должно быть от $2 до $3, получено $4",
    ),
    (
        r"^(\S+) must be greater than 0 and at most (\S+), got (\S+)$",
        "$1 должно быть больше 0 и не больше $2, получено $3",
    ),
    (
        r"^a target is a percentage from 0 to 100, got (\S+)$",
        "цель — процент от 0 до 100, получено $1",
    ),
    (
        r"^expected a whole number from (\S+) to (\S+), got (\S+)$",
        "ожидалось целое число от $1 до $2, получено $3",
    ),
    (
        r"^fuzzy is a number of character edits from 0 to 3, got (\S+)$",
        "fuzzy — число правок символов от 0 до 3, получено $1",
    ),
    (r"^min \((\S+)\) is greater than max \((\S+)\)$", "min ($1) больше max ($2)"),
    (r"^invalid regex: (.*)$", "неверное регулярное выражение: %1"),
    (r"^phrase `(.*)` has no letters or digits$", "во фразе `$1` нет букв и цифр"),
    (r"^needs (.*)$", "нужно одно из: $1"),
    (r"^give only one of (.*)$", "укажите только одно из: $1"),
    (r"^a window has exactly one of: (.*)$", "у окна ровно одно из: $1"),
    // The errors that end a command (printed by main in the run's language).
    (r"^no such results file$", "нет такого файла результатов"),
    (r"^unknown key `([^`]*)`; expected (.*)$", "неизвестный ключ `$1`; ожидался один из: $2"),
    (r"^no such file or folder$", "нет такого файла или папки"),
    (r"^not a cqa result: (.*)$", "это не результат cqa: %1"),
    (r"^not a cqa run\.json: (.*)$", "это не run.json cqa: %1"),
    (r"^(.*), line (\d+): (.*)$", "$1, строка $2: %3"),
    (r"^cannot write into (.*)$", "не удалось записать в $1"),
    (r"^cannot write results into (.*)$", "не удалось записать результаты в $1"),
    (r"^cannot write evaluation reports into (.*)$", "не удалось записать отчёты об ответах контролёров в $1"),
    (r"^cannot move (\S+) into (.*)$", "не удалось перенести $1 в $2"),
    (r"^cannot write (.*)$", "не удалось записать $1"),
    (r"^cannot read from byte (\d+): (.*)$", "не удалось прочитать с байта $1: %2"),
    // Files a run skips (input/contact/discover.rs), as the summary lists them.
    (r"^unknown file type \(expected (.*)\)$", "неизвестный тип файла (ожидались $1)"),
    (r"^documentation \(\.md, README, LICENSE…\): not a contact$", "документация (.md, README, LICENSE…): не контакт"),
    (r"^not a regular file \(a FIFO, socket or device\): not opened$", "не обычный файл (FIFO, сокет или устройство): не открыт"),
    (r"^symbolic link to nothing: not read$", "символическая ссылка в никуда: не прочитана"),
    (r"^symbolic link loop: not followed$", "символические ссылки по кругу: не пройдены"),
    (r"^a cqa output folder \(its run\.json\): results are not contacts, not read$", "папка с результатами cqa (в ней run.json): результаты — не контакты, не прочитана"),
    (r"^hidden \(its name starts with a dot\): not read$", "скрытый (имя начинается с точки): не прочитан"),
    (r"^cannot write the workbooks?: (.*)$", "не удалось записать книгу Excel: %1"),
    (r"^missing field `([^`]+)` at line (\d+) column (\d+)$", "нет поля `$1` (строка $2, столбец $3)"),
    (r"^unknown field `([^`]+)`, expected (.*) at line (\d+) column (\d+)$", "неизвестное поле `$1`, ожидалось $2 (строка $3, столбец $4)"),
    (r"^No such file or directory \(os error (\d+)\)$", "нет такого файла или папки (ошибка ОС $1)"),
    (r"^Permission denied \(os error (\d+)\)$", "нет доступа (ошибка ОС $1)"),
    (r"^No space left on device \(os error (\d+)\)$", "нет места на диске (ошибка ОС $1)"),
    (r"^Is a directory \(os error (\d+)\)$", "это папка (ошибка ОС $1)"),
    (r"^Not a directory \(os error (\d+)\)$", "это не папка (ошибка ОС $1)"),
    (r"^Read-only file system \(os error (\d+)\)$", "файловая система только для чтения (ошибка ОС $1)"),
];

/// A line of the error that ends a command, in `lang`: an English message
/// the catalogue knows is translated for a Russian run (also when a Russian
/// file name stands in it); a line already in Russian stays as it is. A
/// message of several lines (a scorecard's list of problems, which
/// `validate --lang` words itself) is kept whole.
pub fn error_line(line: &str, lang: Lang) -> String {
    if lang == Lang::En || line.contains('\n') {
        return line.to_string();
    }
    let translated = ru(line, 0);
    let cyrillic = line
        .chars()
        .any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'));
    match translated.starts_with(UNTRANSLATED) && cyrillic {
        true => line.to_string(),
        false => translated,
    }
}

/// Russian line examples in English messages, and their English forms.
const EN: &[(&str, &str)] = &[
    ("Оператор: Здравствуйте", "Agent: Hello"),
    ("Оператор: …", "Agent: …"),
    ("Клиент: …", "Customer: …"),
];

fn catalogue() -> &'static [(Regex, &'static str)] {
    static C: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    C.get_or_init(|| {
        RU.iter()
            .filter_map(|(p, t)| Regex::new(&format!("(?s){p}")).ok().map(|r| (r, *t)))
            .collect()
    })
}

/// `msg` (a cqa message in English) in `lang`.
pub fn in_lang(msg: &str, lang: Lang) -> String {
    match lang {
        Lang::En => {
            let mut s = msg.to_string();
            for (ru, en) in EN {
                s = s.replace(ru, en);
            }
            s
        }
        Lang::Ru => ru(msg, 0),
    }
}

fn ru(msg: &str, depth: u8) -> String {
    for (re, template) in catalogue() {
        let Some(c) = re.captures(msg) else { continue };
        let mut out = String::with_capacity(template.len() + msg.len());
        let mut chars = template.char_indices().peekable();
        while let Some((_, ch)) = chars.next() {
            let nested = ch == '%';
            if (ch == '$' || nested) && chars.peek().is_some_and(|(_, d)| d.is_ascii_digit()) {
                let (_, d) = chars.next().unwrap_or((0, '0'));
                let g = c
                    .get(d.to_digit(10).unwrap_or(0) as usize)
                    .map_or("", |m| m.as_str());
                if nested && depth < 4 {
                    out.push_str(&ru(g, depth + 1));
                } else {
                    out.push_str(g);
                }
            } else {
                out.push(ch);
            }
        }
        return out;
    }
    // "place: message" (a file, a line, a contact id before a known
    // message): the place kept, the message translated.
    for (i, _) in msg.match_indices(": ") {
        let tail = &msg[i + 2..];
        if catalogue().iter().any(|(re, _)| re.is_match(tail)) {
            return format!("{}: {}", &msg[..i], ru(tail, depth.saturating_add(1)));
        }
    }
    if depth > 0 {
        // A nested part (a parser's own words): shown as quoted text.
        return format!("«{msg}»");
    }
    format!("{UNTRANSLATED}«{msg}»")
}

/// The lead-in of a message the catalogue does not know.
const UNTRANSLATED: &str = "сообщение без перевода: ";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_russian_run_ends_with_its_error_in_russian() {
        assert_eq!(
            error_line("nope: no such results file", Lang::Ru),
            "nope: нет такого файла результатов"
        );
        assert_eq!(
            error_line(
                "bad.jsonl, line 1: not a cqa result: missing field `contact_id` at line 1 column 7",
                Lang::Ru
            ),
            "bad.jsonl, строка 1: это не результат cqa: нет поля `contact_id` (строка 1, столбец 7)"
        );
        assert_eq!(
            error_line("--exclude nope: no such file or folder", Lang::Ru),
            "--exclude nope: нет такого файла или папки"
        );
        assert_eq!(
            error_line("Permission denied (os error 13)", Lang::Ru),
            "нет доступа (ошибка ОС 13)"
        );
    }

    #[test]
    fn a_known_message_naming_a_russian_file_is_translated_too() {
        assert_eq!(
            error_line("выгрузка за ноябрь.jsonl: no such results file", Lang::Ru),
            "выгрузка за ноябрь.jsonl: нет такого файла результатов"
        );
    }

    #[test]
    fn a_scorecards_list_of_problems_is_kept_whole() {
        let list =
            "invalid scorecard(s):\n  bad.json: sections[0].weight: weight must be greater than 0";
        assert_eq!(error_line(list, Lang::Ru), list);
    }

    #[test]
    fn an_error_already_in_russian_or_an_english_run_keeps_its_words() {
        let ru = "--contacts nope: нет такого файла или папки";
        assert_eq!(error_line(ru, Lang::Ru), ru);
        assert_eq!(
            error_line("nope: no such results file", Lang::En),
            "nope: no such results file"
        );
    }

    #[test]
    fn known_messages_read_in_russian_with_their_values_kept() {
        assert_eq!(
            in_lang(
                "turns[2]: unknown speaker `operator`; expected agent, customer, bot or system",
                Lang::Ru
            ),
            "turns[2]: неизвестный говорящий `operator`; ожидался agent, customer, bot или system"
        );
        assert_eq!(
            in_lang(
                "invalid JSON at line 16, column 45: EOF while parsing a string",
                Lang::Ru
            ),
            "неверный JSON: строка 16, столбец 45: файл оборвался посреди строки"
        );
    }

    #[test]
    fn scorecard_problems_read_in_russian_with_paths_and_ids_kept() {
        assert_eq!(
            in_lang(
                "duplicate criterion id `greet` (first at sections[0].criteria[0])",
                Lang::Ru
            ),
            "повторный id критерия `greet` (впервые в sections[0].criteria[0])"
        );
        assert_eq!(
            in_lang("expected a number, got a string", Lang::Ru),
            "ожидалось число, получено: строка"
        );
        assert_eq!(
            in_lang(
                "weight must be greater than 0 and at most 10000, got 1e308",
                Lang::Ru
            ),
            "weight должно быть больше 0 и не больше 10000, получено 1e308"
        );
    }

    #[test]
    fn contacts_left_out_of_forms_are_named_in_russian() {
        assert_eq!(
            in_lang("C-000101: no scorecard applies to it", Lang::Ru),
            "C-000101: к нему не подходит ни один чек-лист"
        );
    }

    #[test]
    fn a_known_message_behind_a_place_is_translated_and_the_place_kept() {
        assert_eq!(
            in_lang(
                "C-999999: no transcript (the manifest has no source and --contacts does not have it; 5 input(s) there could not be read, e.g. samples/broken/empty.json: empty file)",
                Lang::Ru
            ),
            "C-999999: нет текста разговора (в списке выборки нет source, и в --contacts его нет; там не прочитано входов: 5, например samples/broken/empty.json: пустой файл)"
        );
        assert_eq!(
            in_lang("samples/broken/empty.json:3: empty file", Lang::Ru),
            "samples/broken/empty.json:3: пустой файл"
        );
    }

    #[test]
    fn an_unknown_message_is_quoted_behind_a_russian_lead_in() {
        assert_eq!(
            in_lang("something new", Lang::Ru),
            "сообщение без перевода: «something new»"
        );
    }

    #[test]
    fn english_messages_give_english_line_examples() {
        assert_eq!(
            in_lang(
                "line 3: text before the first speaker line; expected `Оператор: …` or `[00:05] Клиент: …`",
                Lang::En
            ),
            "line 3: text before the first speaker line; expected `Agent: …` or `[00:05] Customer: …`"
        );
    }
}
