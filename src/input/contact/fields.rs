//! The shared vocabulary of the non-native loaders: column and header names
//! (Russian and English, any case), speaker labels, channel names, times and
//! dates as exports write them.
//!
//! Kept in one place so that a `.txt` header, a CSV column, a registry column
//! and a mapping's speaker values all understand the same words: a QA
//! department should not have to learn that «ФИО оператора» works in one file
//! and not in another.

use super::Speaker;
use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};

/// A contact-level or turn-level field a column or header line can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Field {
    ContactId,
    AgentId,
    AgentName,
    Team,
    Channel,
    StartedAt,
    Queue,
    Language,
    Duration,
    TeamLead,
    Speaker,
    Text,
    Start,
    End,
    StartMs,
    EndMs,
}

impl Field {
    /// The canonical name, used in messages and as the native field name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Field::ContactId => "contact_id",
            Field::AgentId => "agent_id",
            Field::AgentName => "agent_name",
            Field::Team => "team",
            Field::Channel => "channel",
            Field::StartedAt => "started_at",
            Field::Queue => "queue",
            Field::Language => "language",
            Field::Duration => "duration_s",
            Field::TeamLead => "team_lead",
            Field::Speaker => "speaker",
            Field::Text => "text",
            Field::Start => "start",
            Field::End => "end",
            Field::StartMs => "start_ms",
            Field::EndMs => "end_ms",
        }
    }

    /// A few of the accepted names, for "expected one of" messages.
    pub(crate) fn examples(self) -> &'static str {
        match self {
            Field::ContactId => "contact_id, id, call_id, «ID обращения», «Номер обращения»",
            Field::AgentId => "agent_id, operator_id, login, «ID оператора», «Табельный номер»",
            Field::Speaker => "speaker, role, «Спикер», «Роль», «Кто»",
            Field::Text => "text, message, «Текст», «Реплика», «Сообщение»",
            _ => self.name(),
        }
    }
}

/// The names a table column or TXT header may give the agent's id, for the
/// "missing `agent_id`" message (the full list is in docs/contacts.md).
pub(crate) const AGENT_ID_NAMES: &str = "agent_id, operator_id, agent, login, employee_id, «ID оператора», «Табельный номер», «Логин», «Код оператора»; or, with no id column, «Оператор», «ФИО», operator, agent_name (the name is then the id)";

/// A table with the agent's name but no id column («Оператор»: Иванова
/// Мария): the name is the agent's id, with a load warning — better than
/// rejecting every contact of the table for a missing `agent_id`.
pub(crate) fn agent_id_from_name(c: &mut super::Contact) {
    if !c.agent_id.trim().is_empty() {
        return;
    }
    if let Some(name) = c.agent_name.clone().filter(|n| !n.trim().is_empty()) {
        c.agent_id = name.trim().to_string();
        warn(
            c,
            format!(
                "agent_id: no agent-id column; the agent's name «{}» is used as the id",
                c.agent_id
            ),
        );
    }
}

/// Lower case, `ё` -> `е`, every run of spaces, `_`, `-`, `.` and `/` -> one `_`.
pub(crate) fn norm_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut sep = false;
    for ch in s.trim().trim_start_matches('\u{feff}').chars() {
        if ch.is_whitespace() || matches!(ch, '_' | '-' | '.' | '/' | '№' | '#') {
            sep = !out.is_empty();
            continue;
        }
        if sep {
            out.push('_');
            sep = false;
        }
        for l in ch.to_lowercase() {
            out.push(if l == 'ё' { 'е' } else { l });
        }
    }
    out
}

#[rustfmt::skip]
const ALIASES: &[(Field, &[&str])] = &[
    (
        Field::ContactId,
        &[
            "id", "contact_id", "contactid", "contact", "call_id", "callid", "chat_id",
            "conversation_id", "conversationid", "session_id", "interaction_id", "ticket_id",
            "id_контакта", "id_обращения", "id_звонка", "id_чата", "id_сессии", "ид",
            "ид_обращения", "ид_звонка", "номер_обращения", "номер_контакта", "номер_звонка",
            "обращение", "контакт", "звонок", "идентификатор", "идентификатор_обращения",
            "идентификатор_звонка", "идентификатор_контакта",
        ],
    ),
    (
        Field::AgentId,
        &[
            "agent_id", "agentid", "agent", "operator_id", "operatorid", "employee_id",
            "agent_login", "login", "id_оператора", "ид_оператора", "табельный_номер",
            "таб_номер", "логин", "логин_оператора", "код_оператора", "идентификатор_оператора",
            "номер_оператора", "id_сотрудника",
        ],
    ),
    (
        Field::AgentName,
        &[
            "agent_name", "agentname", "operator_name", "operator", "employee", "employee_name",
            "фио", "фио_оператора", "оператор", "имя_оператора", "сотрудник", "фио_сотрудника",
            "специалист",
        ],
    ),
    (
        Field::Team,
        &[
            "team", "group", "team_name", "группа", "команда", "отдел", "подразделение",
            "группа_оператора",
        ],
    ),
    (
        Field::Channel,
        &["channel", "media_type", "mediatype", "канал", "канал_обращения", "канал_связи"],
    ),
    (
        Field::StartedAt,
        &[
            "started_at", "started", "call_start", "contact_start", "datetime", "date",
            "date_time", "call_date", "дата", "дата_время", "дата_и_время", "дата_звонка",
            "дата_обращения", "время_звонка", "время_обращения", "начало_звонка",
            "начало_обращения", "дата_начала",
        ],
    ),
    (
        Field::Queue,
        &["queue", "queue_name", "skill", "очередь", "линия", "скилл", "скилл_группа"],
    ),
    (Field::Language, &["language", "lang", "язык"]),
    (
        Field::Duration,
        &[
            "duration", "duration_s", "duration_sec", "длительность", "продолжительность",
            "длительность_разговора",
        ],
    ),
    (
        Field::TeamLead,
        &[
            "team_lead", "teamlead", "lead", "supervisor", "руководитель",
            "руководитель_группы", "тимлид", "старший", "супервайзер",
        ],
    ),
    (
        Field::Speaker,
        &[
            "speaker", "role", "participant", "participant_role", "speaker_role", "side", "who",
            "author", "sender", "спикер", "роль", "говорящий", "участник", "кто", "сторона",
            "отправитель", "автор",
        ],
    ),
    (
        Field::Text,
        &[
            "text", "message", "utterance", "content", "transcript", "phrase", "body", "текст",
            "реплика", "сообщение", "фраза", "расшифровка", "текст_реплики", "текст_сообщения",
        ],
    ),
    (
        Field::Start,
        &[
            "start", "start_s", "start_sec", "begin", "offset", "start_time", "time", "начало",
            "начало_реплики", "время", "время_реплики", "старт",
        ],
    ),
    (
        Field::End,
        &["end", "end_s", "end_sec", "stop", "end_time", "finish", "конец", "окончание", "конец_реплики"],
    ),
    (
        Field::StartMs,
        &["start_ms", "begin_ms", "offset_ms", "beginoffsetmillis", "start_time_ms", "начало_мс"],
    ),
    (Field::EndMs, &["end_ms", "endoffsetmillis", "end_time_ms", "конец_мс"]),
];

/// The field a column header or header-line key names, if any.
pub(crate) fn field_for(name: &str) -> Option<Field> {
    let k = norm_key(name);
    ALIASES
        .iter()
        .find(|(_, names)| names.contains(&k.as_str()))
        .map(|(f, _)| *f)
}

#[rustfmt::skip]
const SPEAKERS: &[(Speaker, &[&str])] = &[
    (
        Speaker::Agent,
        &[
            "agent", "operator", "оператор", "агент", "специалист", "менеджер", "консультант",
            "сотрудник", "internal",
        ],
    ),
    (
        Speaker::Customer,
        &["customer", "client", "caller", "клиент", "абонент", "звонящий", "покупатель", "external"],
    ),
    (Speaker::Bot, &["bot", "ivr", "бот", "робот", "автоинформатор"]),
    (Speaker::System, &["system", "система"]),
];

/// A speaker label as people write it («Оператор», `CUSTOMER`, «бот»), any case.
pub(crate) fn speaker_label(s: &str) -> Option<Speaker> {
    let k = norm_key(s);
    SPEAKERS
        .iter()
        .find(|(_, names)| names.contains(&k.as_str()))
        .map(|(sp, _)| *sp)
}

pub(crate) const SPEAKER_HELP: &str =
    "Оператор/Агент/Специалист/Agent/Operator, Клиент/Абонент/Customer/Client/Caller, Бот/Bot/IVR";

/// Channel names from registries and headers («Звонок», «Чат», `CHAT`) to the
/// ids scorecards use in `applies_to`; anything else is kept as written.
pub(crate) fn channel(s: &str) -> String {
    let k = norm_key(s);
    let id = match k.as_str() {
        "voice"
        | "call"
        | "phone"
        | "звонок"
        | "голос"
        | "телефон"
        | "входящий_звонок"
        | "исходящий_звонок"
        | "телефония" => "voice",
        "chat" | "webchat" | "web_chat" | "чат" | "онлайн_чат" | "веб_чат" => {
            "chat"
        }
        "email" | "e_mail" | "mail" | "почта" | "письмо" | "электронная_почта" => {
            "email"
        }
        "messenger"
        | "message"
        | "messaging"
        | "мессенджер"
        | "whatsapp"
        | "telegram"
        | "viber"
        | "вконтакте"
        | "vk" => "messenger",
        _ => return s.trim().to_string(),
    };
    id.to_string()
}

/// Seconds as exports write them: `12`, `12.5`, `12,5` (Russian Excel),
/// `mm:ss`, `hh:mm:ss`, `d-hh:mm:ss`, with an optional fraction. `None` for anything else,
/// negative or not finite.
pub(crate) fn parse_seconds(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty() || s.len() > 40 {
        return None;
    }
    let num = |p: &str| -> Option<f64> {
        let p = p.replace(',', ".");
        if p.is_empty() || !p.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return None;
        }
        p.parse::<f64>().ok()
    };
    // `6-01:08:11`: days before a dash (as some databases print intervals).
    if let Some((days, rest)) = s.split_once('-') {
        let days: u32 = days.parse().ok()?;
        return parse_seconds(rest)
            .filter(|_| rest.contains(':'))
            .map(|r| f64::from(days) * 86_400.0 + r);
    }
    let parts: Vec<&str> = s.split(':').collect();
    let v = match parts.as_slice() {
        [x] => num(x)?,
        [m, sec] => num(m)? * 60.0 + num(sec)?,
        [h, m, sec] => num(h)? * 3600.0 + num(m)? * 60.0 + num(sec)?,
        _ => return None,
    };
    (v.is_finite() && v >= 0.0).then_some(v)
}

/// A date-time as Russian and international exports write it, normalised to
/// ISO 8601 (`2026-11-02T10:15:00`, with the offset when one was given), so
/// that reports can sort and group by period. `None` when it is not a date.
pub(crate) fn normalise_datetime(s: &str) -> Option<String> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.to_rfc3339_opts(SecondsFormat::AutoSi, true));
    }
    naive_datetime(s).map(|d| d.format("%Y-%m-%dT%H:%M:%S").to_string())
}

/// The wall-clock date-time of a value, ignoring any offset: what a
/// controller compares when a registry writes local time without an offset.
pub(crate) fn wall_clock(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.naive_local());
    }
    naive_datetime(s)
}

fn naive_datetime(s: &str) -> Option<NaiveDateTime> {
    const DT: &[&str] = &[
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y %H:%M",
        "%d.%m.%Y, %H:%M:%S",
        "%d.%m.%Y, %H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
    ];
    for f in DT {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d);
        }
    }
    for f in ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return d.and_hms_opt(0, 0, 0);
        }
    }
    None
}

/// Milliseconds since 1970 to an RFC 3339 UTC time; `None` outside years 1970–9999.
pub(crate) fn epoch_ms_to_iso(ms: f64) -> Option<String> {
    if !ms.is_finite() || !(0.0..253_402_300_800_000.0).contains(&ms) {
        return None;
    }
    let d = DateTime::<Utc>::from_timestamp_millis(ms as i64)?;
    let fmt = if (ms as i64) % 1000 == 0 {
        SecondsFormat::Secs
    } else {
        SecondsFormat::Millis
    };
    Some(d.to_rfc3339_opts(fmt, true))
}

/// Seconds since 1970 of an RFC 3339 or plain ISO date-time (taken as UTC).
pub(crate) fn epoch_seconds(s: &str) -> Option<f64> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.timestamp_millis() as f64 / 1000.0);
    }
    naive_datetime(s).map(|d| d.and_utc().timestamp_millis() as f64 / 1000.0)
}

/// Line numbers of a csv reader's records. The csv crate's own
/// `position().line()` skips blank lines and miscounts CRLF, and its byte
/// position points at the previous record's line end; so: from that byte,
/// skip line ends, and count the newlines before.
pub(crate) struct LineIndex(Vec<usize>);

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        LineIndex(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }

    pub(crate) fn line(&self, text: &str, byte: u64) -> u64 {
        let bytes = text.as_bytes();
        let mut at = (byte as usize).min(bytes.len());
        while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
            at += 1;
        }
        self.0.partition_point(|&nl| nl < at) as u64 + 1
    }
}

/// Notes an optional contact-level value that could not be read (a negative
/// duration, say): the field stays empty and the contact is still scored —
/// rejecting a whole conversation for an optional field would lose more than
/// it protects — but the note travels with the contact and the run lists it.
pub(crate) fn warn(c: &mut super::Contact, msg: String) {
    c.load_warnings.push(msg);
}

/// Text compared the way a person would: trimmed, case and `ё` ignored, runs of spaces as one.
pub(crate) fn same_text(a: &str, b: &str) -> bool {
    let n = |s: &str| {
        s.split_whitespace()
            .map(|w| w.to_lowercase().replace('ё', "е"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    n(a) == n(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_and_english_headers_name_the_same_fields() {
        assert_eq!(field_for("ID обращения"), Some(Field::ContactId));
        assert_eq!(field_for("  Табельный номер "), Some(Field::AgentId));
        assert_eq!(field_for("ФИО оператора"), Some(Field::AgentName));
        assert_eq!(field_for("AGENT_ID"), Some(Field::AgentId));
        assert_eq!(field_for("Реплика"), Some(Field::Text));
        assert_eq!(field_for("\u{feff}contact_id"), Some(Field::ContactId));
        assert_eq!(field_for("Дата и время"), Some(Field::StartedAt));
        assert_eq!(field_for("настроение"), None);
    }

    #[test]
    fn speaker_labels_in_any_case_and_language() {
        assert_eq!(speaker_label("ОПЕРАТОР"), Some(Speaker::Agent));
        assert_eq!(speaker_label("Специалист"), Some(Speaker::Agent));
        assert_eq!(speaker_label("абонент"), Some(Speaker::Customer));
        assert_eq!(speaker_label("Caller"), Some(Speaker::Customer));
        assert_eq!(speaker_label("IVR"), Some(Speaker::Bot));
        assert_eq!(speaker_label("Бот"), Some(Speaker::Bot));
        assert_eq!(speaker_label("Иван"), None);
    }

    #[test]
    fn seconds_in_the_forms_exports_use() {
        assert_eq!(parse_seconds("12"), Some(12.0));
        assert_eq!(parse_seconds("3,5"), Some(3.5));
        assert_eq!(parse_seconds("01:05"), Some(65.0));
        assert_eq!(parse_seconds("1:02:03.5"), Some(3723.5));
        assert_eq!(parse_seconds("-1"), None);
        assert_eq!(parse_seconds("-12:14:20."), None);
        assert_eq!(parse_seconds("6-01:08:11"), Some(6.0 * 86_400.0 + 4091.0));
        assert_eq!(parse_seconds("десять"), None);
        assert_eq!(parse_seconds("1e400"), None);
    }

    #[test]
    fn russian_dates_become_iso() {
        assert_eq!(
            normalise_datetime("02.11.2026 10:15").as_deref(),
            Some("2026-11-02T10:15:00")
        );
        assert_eq!(
            normalise_datetime("2026-11-02T10:15:00+03:00").as_deref(),
            Some("2026-11-02T10:15:00+03:00")
        );
        assert_eq!(normalise_datetime("вчера"), None);
        assert_eq!(
            wall_clock("2026-11-02T10:15:00+03:00"),
            wall_clock("02.11.2026 10:15:00")
        );
    }

    #[test]
    fn channel_names_become_scorecard_ids() {
        assert_eq!(channel("Звонок"), "voice");
        assert_eq!(channel("CHAT"), "chat");
        assert_eq!(channel("Электронная почта"), "email");
        assert_eq!(channel("Telegram"), "messenger");
        assert_eq!(channel("видеозвонок"), "видеозвонок");
    }

    #[test]
    fn epoch_milliseconds_become_utc_times() {
        assert_eq!(
            epoch_ms_to_iso(1_591_056_783_191.0).as_deref(),
            Some("2020-06-02T00:13:03.191Z")
        );
        assert_eq!(epoch_ms_to_iso(-5.0), None);
    }
}
