//! Plain-text transcripts (`.txt`): what speech analytics and chat systems
//! export when nothing else is configured, and what people type by hand.
//!
//! ```text
//! id: C-000123
//! agent_id: A017
//! Канал: Звонок
//!
//! [00:00] Оператор: Банк «Пример», Мария, здравствуйте!
//! [00:03] Клиент: Здравствуйте, у меня заблокировали карту.
//! Уже второй раз за месяц.        <- no speaker: continues the previous turn
//! [01:02:15] Оператор: Сейчас проверю.
//! ```
//!
//! Decisions, each so that nothing is silently misread:
//! - The header is the leading block of `key: value` lines up to the first
//!   blank line. A key that is a speaker label («Оператор: …») is never a
//!   header key, so a transcript without a header is read as turns. Without a
//!   blank line the block counts as a header only if every key is a known
//!   field (`id`, `agent_id`, «ID оператора», «Дата», …).
//! - Known keys fill contact fields; any other key goes to `metadata` under its
//!   normalised name («Тематика» -> `тематика`).
//! - A timed line (`[mm:ss]`, `[hh:mm:ss]`, or a range `[00:05 - 00:09]`) must
//!   carry a known speaker label; an unknown one is rejected with its line
//!   number rather than glued to the previous turn. An untimed line whose
//!   prefix is not a speaker label continues the previous turn (as the format
//!   promises); text before the first turn is rejected.
//! - The contact id defaults to the file name. `agent_id` may be absent here:
//!   a registry can supply it; if none does, the pipeline rejects the contact.

use super::fields::{self, Field};
use super::{Contact, Speaker, Turn};
use serde_json::Value;

/// Reads one transcript. `agent_id` is left empty when the header has none.
pub(crate) fn parse_txt(text: &str, file_stem: &str, max_turns: usize) -> Result<Contact, String> {
    let lines: Vec<&str> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .collect();
    if lines.iter().all(|l| l.trim().is_empty()) {
        return Err("empty file".into());
    }
    let mut c = Contact {
        id: file_stem.to_string(),
        ..Contact::default()
    };
    let body = read_header(&lines, &mut c)?;
    let mut turns_seen = 0usize;
    for (idx, raw) in lines.iter().enumerate().skip(body) {
        let line_no = idx + 1;
        if raw.trim().is_empty() {
            continue;
        }
        match parse_line(raw) {
            Line::Turn {
                speaker,
                start,
                end,
                text,
            } => {
                turns_seen += 1;
                if c.turns.len() < max_turns {
                    let (text, event) = if speaker == Speaker::System {
                        (String::new(), Some(text))
                    } else {
                        (text, None)
                    };
                    c.turns.push(Turn {
                        speaker,
                        text,
                        event,
                        start,
                        end,
                    });
                }
            }
            Line::TimedUnknown(label) => {
                return Err(format!(
                    "line {line_no}: unknown speaker `{label}`; expected {}",
                    fields::SPEAKER_HELP
                ))
            }
            Line::BadTime(inner) => {
                return Err(format!(
                    "line {line_no}: `{inner}` is not a time: expected [mm:ss] or [hh:mm:ss], seconds and minutes under 60, nothing negative; the line is not read as a turn"
                ))
            }
            Line::TimedNoSpeaker => {
                return Err(format!(
                    "line {line_no}: a timed line needs a speaker, e.g. `[00:05] Оператор: …`"
                ))
            }
            Line::Plain(t) => match c.turns.last_mut() {
                Some(last) if turns_seen <= max_turns => {
                    if !last.text.is_empty() {
                        last.text.push('\n');
                    }
                    last.text.push_str(t);
                }
                Some(_) => {}
                None => {
                    return Err(format!(
                        "line {line_no}: text before the first speaker line; expected `Оператор: …` or `[00:05] Клиент: …`"
                    ))
                }
            },
        }
    }
    if turns_seen > max_turns {
        return Err(format!(
            "contact `{}` has {turns_seen} turns, more than the limit of {max_turns}",
            c.id
        ));
    }
    if c.turns.is_empty() {
        return Err(
            "no turns: expected lines such as `[00:05] Оператор: Здравствуйте` after the header"
                .into(),
        );
    }
    Ok(c)
}

/// Fills contact fields from the header block; returns the index of the first body line.
///
/// In a transcript whose turns are timed, an *untimed* speaker line in the
/// leading block («Оператор: Иванова Мария») is a header line naming the
/// person, not a turn: exports put the operator's name there. In untimed
/// transcripts such lines stay turns.
fn read_header(lines: &[&str], c: &mut Contact) -> Result<usize, String> {
    let first = lines
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(lines.len());
    let mut block: Vec<(usize, (&str, &str), bool)> = Vec::new();
    let mut end = first;
    while end < lines.len() && !lines[end].trim().is_empty() {
        if let Some(kv) = header_kv(lines[end]) {
            block.push((end + 1, kv, false));
        } else if let Some(kv) = untimed_speaker_line(lines[end]) {
            block.push((end + 1, kv, true));
        } else {
            break;
        }
        end += 1;
    }
    let mut ended_by_blank = end >= lines.len() || lines[end].trim().is_empty();
    let timed_body = || {
        lines[end..]
            .iter()
            .any(|l| matches!(parse_line(l), Line::Turn { start: Some(_), .. }))
    };
    if let Some(k) = block.iter().position(|(_, _, sp)| *sp) {
        if !(ended_by_blank && timed_body()) {
            // Speaker lines are turns here: the header, if any, ends before them.
            end = block[k].0 - 1;
            block.truncate(k);
            ended_by_blank = false;
        }
    }
    let all_known = block
        .iter()
        .all(|(_, (k, _), sp)| !sp && fields::field_for(k).is_some());
    if block.is_empty() || !(ended_by_blank || all_known) {
        return Ok(first);
    }
    let mut seen: Vec<(String, usize, String)> = Vec::new();
    for (line_no, (key, value), speaker_line) in block {
        let nk = fields::norm_key(key);
        if let Some((_, l, v)) = seen.iter().find(|(k, _, _)| *k == nk) {
            if v != value {
                return Err(format!(
                    "line {line_no}: header `{key}` given twice with different values (`{v}` on line {l}, `{value}` here)"
                ));
            }
            continue;
        }
        seen.push((nk.clone(), line_no, value.to_string()));
        match label_speaker(key) {
            Some(Speaker::Agent) if speaker_line && c.agent_name.is_none() && !value.is_empty() => {
                c.agent_name = Some(value.to_string())
            }
            _ if speaker_line => {
                c.metadata
                    .insert(nk.clone(), Value::String(value.to_string()));
            }
            _ => set_header(c, key, &nk, value, line_no),
        }
    }
    Ok(end)
}

/// `Оператор: …` without a time prefix: a candidate header line naming a person.
fn untimed_speaker_line(line: &str) -> Option<(&str, &str)> {
    if line.trim_start().starts_with('[') {
        return None;
    }
    let (k, v) = line.split_once(':')?;
    label_speaker(k.trim()).map(|_| (k.trim(), v.trim()))
}

fn set_header(c: &mut Contact, key: &str, nk: &str, value: &str, line_no: usize) {
    let v = || (!value.is_empty()).then(|| value.to_string());
    match fields::field_for(key) {
        Some(Field::ContactId) if !value.is_empty() => c.id = value.to_string(),
        Some(Field::ContactId) => {}
        Some(Field::AgentId) => c.agent_id = value.to_string(),
        Some(Field::AgentName) => c.agent_name = v(),
        Some(Field::Team) => c.team = v(),
        Some(Field::Channel) => c.channel = v().map(|s| fields::channel(&s)),
        Some(Field::Queue) => c.queue = v(),
        Some(Field::Language) => c.language = v(),
        Some(Field::StartedAt) => {
            c.started_at = v().map(|s| fields::normalise_datetime(&s).unwrap_or(s))
        }
        Some(Field::Start) if fields::normalise_datetime(value).is_some() => {
            c.started_at = fields::normalise_datetime(value)
        }
        Some(Field::Duration) if !value.is_empty() => match fields::parse_seconds(value) {
            Some(d) => c.duration_s = Some(d),
            None => fields::warn(
                c,
                format!("line {line_no}: `{key}` is not a duration: `{value}` (expected seconds or mm:ss); left empty"),
            ),
        },
        _ => {
            c.metadata
                .insert(nk.to_string(), Value::String(value.to_string()));
        }
    }
}

/// `key: value` where the key looks like a field name and is not a speaker label.
fn header_kv(line: &str) -> Option<(&str, &str)> {
    let (k, v) = line.split_once(':')?;
    let key = k.trim();
    let ok_chars = key
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.' | '№' | '#' | '(' | ')'));
    if key.is_empty()
        || key.chars().count() > 40
        || key.split_whitespace().count() > 4
        || !ok_chars
        || line.trim_start().starts_with('[')
        || label_speaker(key).is_some()
    {
        return None;
    }
    Some((key, v.trim()))
}

enum Line<'a> {
    Turn {
        speaker: Speaker,
        start: Option<f64>,
        end: Option<f64>,
        text: String,
    },
    TimedUnknown(&'a str),
    /// `[…]` that looks like a time and is not one (`[-1:00]`, `[99:99]`),
    /// brackets included: read as text it would glue a customer's words to
    /// the agent's turn.
    BadTime(&'a str),
    TimedNoSpeaker,
    Plain(&'a str),
}

fn parse_line(raw: &str) -> Line<'_> {
    let line = raw.trim();
    let (times, rest) = match time_prefix(line) {
        Some((s, e, rest)) => (Some((s, e)), rest.trim_start()),
        None => match time_like(line).or_else(|| stamp_before_label(line)) {
            Some(inner) => return Line::BadTime(inner),
            None => (None, aside_before_label(line).unwrap_or(line)),
        },
    };
    let labelled = rest.split_once(':').and_then(|(label, text)| {
        let label = label.trim();
        let plausible = !label.is_empty()
            && label.chars().count() <= 40
            && label.split_whitespace().count() <= 4;
        plausible.then_some((label, text))
    });
    match (times, labelled) {
        (t, Some((label, text))) => match label_speaker(label) {
            Some(speaker) => Line::Turn {
                speaker,
                start: t.map(|(s, _)| s),
                end: t.and_then(|(_, e)| e),
                text: text.trim().to_string(),
            },
            None if t.is_some() => Line::TimedUnknown(label),
            None => Line::Plain(line),
        },
        (Some(_), None) => Line::TimedNoSpeaker,
        (None, None) => Line::Plain(line),
    }
}

/// A speaker label, optionally with a name or number: «Оператор (Мария)», «Клиент 2».
fn label_speaker(label: &str) -> Option<Speaker> {
    let base = label.split(['(', '[']).next().unwrap_or(label);
    let base = base
        .trim()
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == '#' || c == ' ');
    fields::speaker_label(base)
}

/// `[mm:ss]`, `[hh:mm:ss]` (fractions allowed) or a range `[a - b]`, then the rest.
fn time_prefix(line: &str) -> Option<(f64, Option<f64>, &str)> {
    let inner_end = line.strip_prefix('[')?.find(']')? + 1;
    let inner = &line[1..inner_end];
    let rest = &line[inner_end + 1..];
    let clock = strict_clock;
    if let Some(s) = clock(inner) {
        return Some((s, None, rest));
    }
    let (a, b) = inner.split_once(['-', '–', '—'])?;
    Some((clock(a)?, Some(clock(b)?), rest))
}

/// A clock time `mm:ss` or `hh:mm:ss` (a fraction of a second allowed):
/// seconds and minutes after the first part under 60, nothing negative.
/// Stricter than durations elsewhere: here a wrong reading moves a turn.
fn strict_clock(s: &str) -> Option<f64> {
    let parts: Vec<&str> = s.trim().split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let mut total = 0.0;
    for (i, p) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let p = if last {
            p.replace(',', ".")
        } else {
            p.to_string()
        };
        let digits_first = p.starts_with(|c: char| c.is_ascii_digit());
        let ok = digits_first && p.chars().all(|c| c.is_ascii_digit() || (last && c == '.'));
        if !ok {
            return None;
        }
        let v: f64 = p.parse().ok()?;
        if i > 0 && v >= 60.0 {
            return None;
        }
        total = total * 60.0 + v;
    }
    Some(total)
}

/// The inside of a leading `[…]` made of digits, colons, dots, dashes and
/// spaces: meant as a time, whether or not it is one.
fn time_like(line: &str) -> Option<&str> {
    let end = line.strip_prefix('[')?.find(']')? + 1;
    let inner = &line[1..end];
    let looks = inner.contains(':')
        && inner.chars().any(|c| c.is_ascii_digit())
        && inner
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | ',' | '-' | '–' | '—' | ' '));
    looks.then_some(&line[..=end])
}

/// A bracketed prefix that is no time we read, before a speaker label:
/// `[００:０５] Клиент:` (full-width or other Unicode digits), `[00.05]`,
/// `[]`, `(00:05)`, `[неразборчиво] Клиент:`. Read as an untimed line it
/// would continue the previous turn, giving the customer's words to the
/// agent; so it is refused like any other bad time. Round brackets count
/// only with a digit inside (`(смеётся) Клиент:` is not a time stamp).
fn stamp_before_label(line: &str) -> Option<&str> {
    let (open, close) = match line.chars().next()? {
        '[' => ('[', ']'),
        '(' => ('(', ')'),
        _ => return None,
    };
    let end = line.find(close)?;
    let inner = &line[open.len_utf8()..end];
    if open == '(' && !inner.chars().any(char::is_numeric) {
        return None;
    }
    let (label, _) = line[end + close.len_utf8()..].split_once(':')?;
    let label = label.trim();
    let plausible = !label.is_empty() && label.split_whitespace().count() <= 4;
    (plausible && label_speaker(label).is_some()).then_some(&line[..end + close.len_utf8()])
}

/// The rest of `(смеётся) Клиент: …`: an aside in round brackets before a
/// speaker label is dropped, so that the line is that speaker's turn rather
/// than text continuing the previous one.
fn aside_before_label(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('(')?;
    let rest = rest[rest.find(')')? + 1..].trim_start();
    let (label, _) = rest.split_once(':')?;
    label_speaker(label.trim()).map(|_| rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call_with(line: &str) -> String {
        format!("id: C-000777\nagent_id: A017\n\n[00:00] Оператор: Банк «Пример», здравствуйте!\n{line}\n")
    }

    #[test]
    fn a_negative_or_four_part_timestamp_rejects_the_contact_instead_of_joining_the_agents_turn() {
        for bad in ["[-1:00]", "[00:00:00:00]"] {
            let err = parse_txt(
                &call_with(&format!("{bad} Клиент: Мне карту заблокировали")),
                "f",
                100,
            )
            .expect_err(bad);
            assert!(
                err.starts_with("line 5:") && err.contains("is not a time"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn a_stamp_in_other_digits_or_brackets_never_gives_the_customers_words_to_the_agent() {
        for bad in [
            "[００:０５]",
            "[٠٠:٠٥]",
            "[00.05]",
            "[]",
            "[:]",
            "[OO:05]",
            "(00:05)",
            "[неразборчиво]",
        ] {
            // The message quotes the stamp as written.
            let err = parse_txt(
                &call_with(&format!("{bad} Клиент: Мне карту заблокировали")),
                "f",
                100,
            )
            .expect_err(bad);
            assert!(
                err.starts_with("line 5:") && err.contains(&format!("`{bad}` is not a time")),
                "{bad}: {err}"
            );
        }
        // An aside in round brackets is no stamp: the label still makes a turn.
        let c = parse_txt(&call_with("(смеётся) Клиент: Спасибо"), "f", 100).expect("read");
        assert_eq!(c.turns.len(), 2, "{:?}", c.turns);
        assert_eq!(c.turns[1].speaker, Speaker::Customer);
        assert_eq!(c.turns[1].text, "Спасибо");
    }

    #[test]
    fn minutes_or_seconds_of_sixty_and_more_are_not_a_time() {
        let err = parse_txt(&call_with("[99:99] Клиент: Алло"), "f", 100).expect_err("99:99");
        assert!(err.contains("`[99:99]` is not a time"), "{err}");
        assert_eq!(strict_clock("01:02:03.5"), Some(3723.5));
        assert_eq!(strict_clock("75:10"), Some(4510.0));
        assert_eq!(strict_clock("00:60"), None);
    }

    const CALL: &str = "id: C-000123\nagent_id: A017\nФИО оператора: Иванова Мария\nКанал: Звонок\nТематика: блокировка карты\n\n[00:00] Оператор: Банк «Пример», Мария, здравствуйте!\n[00:03] Клиент: Здравствуйте, у меня заблокировали карту.\nУже второй раз за месяц.\n[01:02:15] ОПЕРАТОР: Сейчас проверю.\n";

    #[test]
    fn header_fills_fields_and_unknown_keys_go_to_metadata() {
        let c = parse_txt(CALL, "file", 100).unwrap();
        assert_eq!(c.id, "C-000123");
        assert_eq!(c.agent_id, "A017");
        assert_eq!(c.agent_name.as_deref(), Some("Иванова Мария"));
        assert_eq!(c.channel.as_deref(), Some("voice"));
        assert_eq!(c.metadata["тематика"], "блокировка карты");
    }

    #[test]
    fn untimed_line_continues_the_previous_turn_and_times_are_read() {
        let c = parse_txt(CALL, "file", 100).unwrap();
        assert_eq!(c.turns.len(), 3);
        assert_eq!(
            c.turns[1].text,
            "Здравствуйте, у меня заблокировали карту.\nУже второй раз за месяц."
        );
        assert_eq!(c.turns[1].speaker, Speaker::Customer);
        assert_eq!(c.turns[2].start, Some(3735.0));
        assert_eq!(c.turns[2].speaker, Speaker::Agent);
    }

    #[test]
    fn transcript_without_header_uses_the_file_name_as_id() {
        let c = parse_txt(
            "Агент: Добрый день!\nАбонент: Алло\nБот: Оцените разговор",
            "C-77",
            100,
        )
        .unwrap();
        assert_eq!(c.id, "C-77");
        assert!(c.agent_id.is_empty());
        let who: Vec<Speaker> = c.turns.iter().map(|t| t.speaker).collect();
        assert_eq!(who, [Speaker::Agent, Speaker::Customer, Speaker::Bot]);
    }

    #[test]
    fn labels_with_names_and_time_ranges() {
        let c = parse_txt(
            "[00:05 - 00:09] Оператор (Мария): Слушаю вас\n[0:10] Клиент 2: Да",
            "x",
            10,
        )
        .unwrap();
        assert_eq!((c.turns[0].start, c.turns[0].end), (Some(5.0), Some(9.0)));
        assert_eq!(c.turns[1].speaker, Speaker::Customer);
    }

    #[test]
    fn a_colon_inside_a_continuation_is_not_a_speaker() {
        let c = parse_txt(
            "Оператор: Уточню детали.\nИтак, по вашей карте: лимит снят.",
            "x",
            10,
        )
        .unwrap();
        assert_eq!(c.turns.len(), 1);
        assert!(c.turns[0].text.ends_with("по вашей карте: лимит снят."));
    }

    #[test]
    fn unknown_timed_speaker_is_rejected_with_its_line() {
        let e = parse_txt(
            "agent_id: A1\n\n[00:01] Оператор: Да\n[00:02] Стажёр: Нет",
            "x",
            10,
        )
        .unwrap_err();
        assert!(e.starts_with("line 4: unknown speaker `Стажёр`"), "{e}");
    }

    #[test]
    fn text_before_the_first_turn_is_rejected() {
        let e = parse_txt("Примечание: перевод\nОператор: Здравствуйте", "x", 10).unwrap_err();
        assert!(
            e.starts_with("line 1: text before the first speaker line"),
            "{e}"
        );
    }

    #[test]
    fn header_without_turns_is_rejected() {
        let e = parse_txt("id: C-1\nagent_id: A1\n", "x", 10).unwrap_err();
        assert!(e.starts_with("no turns"), "{e}");
    }

    #[test]
    fn header_may_name_the_operator_when_turns_are_timed() {
        let text = "Дата: 02.11.2026 10:15\nОператор: Иванова Мария\nКлиент: Петров\n\n[00:00] Оператор: Здравствуйте!\n[00:02] Клиент: Добрый день.";
        let c = parse_txt(text, "C-5", 10).unwrap();
        assert_eq!(c.agent_name.as_deref(), Some("Иванова Мария"));
        assert_eq!(c.metadata["клиент"], "Петров");
        assert_eq!(c.turns.len(), 2);
        assert_eq!(c.turns[0].text, "Здравствуйте!");
    }

    #[test]
    fn untimed_speaker_lines_before_a_blank_line_stay_turns_in_untimed_transcripts() {
        let c = parse_txt(
            "Оператор: Добрый день\nКлиент: Здравствуйте\n\nОператор: Чем помочь?",
            "C-6",
            10,
        )
        .unwrap();
        assert_eq!(c.turns.len(), 3);
        assert_eq!(c.agent_name, None);
    }

    #[test]
    fn known_header_keys_need_no_blank_line_before_untimed_turns() {
        let c = parse_txt(
            "agent_id: A017\nДата: 02.11.2026\nОператор: Добрый день\nКлиент: Алло",
            "C-7",
            10,
        )
        .unwrap();
        assert_eq!(c.agent_id, "A017");
        assert_eq!(c.turns.len(), 2);
    }

    #[test]
    fn too_many_turns_are_counted_not_kept() {
        let text = "Оператор: да\n".repeat(50);
        let e = parse_txt(&text, "C-9", 10).unwrap_err();
        assert_eq!(e, "contact `C-9` has 50 turns, more than the limit of 10");
    }

    #[test]
    fn unreadable_duration_is_left_empty_with_a_warning_naming_line_and_key() {
        let c = parse_txt("Длительность: долго\n\nОператор: Да", "x", 10).unwrap();
        assert_eq!(c.duration_s, None);
        let w = &c.load_warnings[0];
        assert!(
            w.starts_with("line 1: `Длительность` is not a duration"),
            "{w}"
        );
    }
}
