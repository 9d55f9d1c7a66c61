//! `cqa validate SCORECARD…`

use super::Failure;
use anyhow::anyhow;
use cqa::check::{card_languages, overlap};
use cqa::input::scorecard::{load_scorecard, Scorecard, ScorecardError};
use cqa::words::say::in_lang;
use cqa::words::Lang;
use std::path::PathBuf;

/// Check scorecards: invalid JSON (line:column), unknown rule types and fields,
/// invalid regexes, duplicate ids, bad weights, severities and speakers — every
/// problem at once, each with its file and JSON path. Exit code 2 when any is invalid.
/// Warns (without failing) when two cards can match the same contact — `cqa check`
/// scores it with the first in this order (a folder's files by name) — and when a
/// card written in one language applies to contacts of any language.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Russian terms (default --lang ru): чек-лист = scorecard; критерий = criterion; правило = rule; ок = valid; предупреждение = warning. Problems are named by JSON path and criterion id (e.g. sections[0].criteria[1] (greet_name).rule.pattern); the path and field names stay as in the file."
)]
pub struct Args {
    /// Scorecard files or folders of them.
    #[arg(required = true, value_name = "SCORECARD")]
    paths: Vec<PathBuf>,
    /// Language of the messages
    #[arg(long, default_value = "ru", value_name = "ru|en")]
    lang: Lang,
}

/// A load error in `lang`, one line per problem: the file and JSON path
/// stay as written, the message is translated where it is printed.
fn problems(e: &ScorecardError, lang: Lang) -> String {
    match e {
        ScorecardError::Invalid { file, issues } => issues
            .iter()
            .map(|i| {
                let m = in_lang(&i.message, lang);
                if i.path.is_empty() {
                    format!("{file}: {m}")
                } else {
                    format!("{file}: {}: {m}", i.located())
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
        ScorecardError::Json {
            file,
            line,
            column,
            message,
        } => format!(
            "{file}: {}",
            in_lang(
                &format!("invalid JSON at line {line}, column {column}: {message}"),
                lang
            )
        ),
        ScorecardError::Io { file, source } => {
            format!(
                "{file}: {}",
                in_lang(&format!("cannot read: {source}"), lang)
            )
        }
    }
}

pub fn run(a: Args) -> Result<(), Failure> {
    let mut bad = 0;
    // Named as given: these are validate's arguments, not a --scorecard option.
    if let Some(p) = a.paths.iter().find(|p| !p.exists()) {
        return Err(Failure::usage(anyhow!(
            "{}: {}",
            p.display(),
            a.lang.pick(
                "файл не найден (нет такого файла или папки)",
                "file not found (no such file or folder)"
            )
        )));
    }
    let files = super::scorecards::files(&a.paths)?;
    let mut valid: Vec<(PathBuf, Scorecard)> = Vec::new();
    for f in &files {
        match load_scorecard(f) {
            Ok(card) => {
                let n = card.criteria().count();
                let (name, id, v) = (
                    cqa::text::terminal::escape(&f.display().to_string()).into_owned(),
                    cqa::text::terminal::escape(&card.id).into_owned(),
                    cqa::text::terminal::escape(&card.version).into_owned(),
                );
                match a.lang {
                    Lang::Ru => println!("{name}: ок — `{id}`, версия {v}, критериев: {n}"),
                    Lang::En => println!("{name}: ok — `{id}` version {v}, {n} criteria"),
                }
                valid.push((f.clone(), card));
            }
            Err(e) => {
                bad += 1;
                eprintln!(
                    "{}",
                    cqa::text::terminal::escape_keeping_lines(&problems(&e, a.lang))
                );
            }
        }
    }
    for w in warnings(&valid, a.lang) {
        eprintln!("{}: {w}", a.lang.pick("предупреждение", "warning"));
    }
    if bad > 0 {
        return Err(Failure::usage(match a.lang {
            Lang::Ru => anyhow!("неверных чек-листов: {bad} из {}", files.len()),
            Lang::En => anyhow!("{bad} of {} scorecard(s) invalid", files.len()),
        }));
    }
    Ok(())
}

/// Overlapping cards (the first wins, as in `cqa check`) and cards whose
/// language does not restrict the contacts they score.
fn warnings(cards: &[(PathBuf, Scorecard)], lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for (f, c) in cards {
        if let Some(l) = c.language.as_deref().filter(|l| !l.trim().is_empty()) {
            if card_languages(c).is_empty() {
                out.push(match lang {
                    Lang::Ru => format!(
                        "{}: `{}` написан на языке `{l}`, но применяется к контактам на любом языке; добавьте \"languages\": [\"{l}\"] в applies_to",
                        f.display(),
                        c.id
                    ),
                    Lang::En => format!(
                        "{}: `{}` is written in `{l}` but applies to contacts of any language; add \"languages\": [\"{l}\"] to applies_to",
                        f.display(),
                        c.id
                    ),
                });
            }
        }
    }
    for (i, (fa, a)) in cards.iter().enumerate() {
        for (fb, b) in &cards[i + 1..] {
            if let Some(both) = overlap(a, b) {
                out.push(match lang {
                    Lang::Ru => format!(
                        "{} и {} могут подойти к одним и тем же контактам ({both}): выигрывает `{}`, первый по имени файла; `{}` оценивает только то, что не взял `{}`",
                        fa.display(),
                        fb.display(),
                        a.id,
                        b.id,
                        a.id
                    ),
                    Lang::En => format!(
                        "{} and {} can match the same contacts ({both}): `{}` wins, being first in file-name order; `{}` scores only what `{}` does not take",
                        fa.display(),
                        fb.display(),
                        a.id,
                        b.id,
                        a.id
                    ),
                });
            }
        }
    }
    out
}
