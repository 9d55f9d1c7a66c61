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

mod header;
mod line;

use super::fields;
use super::{Contact, Turn};
use header::read_header;
use line::{parse_line, Line};

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
                    c.turns.push(Turn::said(speaker, text, start, end));
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

#[cfg(test)]
mod tests {
    use super::line::strict_clock;
    use super::*;
    use crate::input::contact::Speaker;

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
