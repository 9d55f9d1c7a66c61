//! `cqa validate SCORECARD…`

use super::Failure;
use anyhow::anyhow;
use cqa::check::{card_languages, overlap};
use cqa::input::scorecard::{load_scorecard, Scorecard, ScorecardError};
use cqa::words::cli::cli;
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
    pub(super) lang: Lang,
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
            cli(a.lang).validate_not_found
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
                println!("{}", (cli(a.lang).card_ok)(&name, &id, &v, n));
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
        eprintln!("{}: {w}", cli(a.lang).warning);
    }
    if bad > 0 {
        return Err(Failure::usage(anyhow!(
            "{}",
            (cli(a.lang).cards_invalid)(bad, files.len())
        )));
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
                out.push((cli(lang).card_any_language)(f, &c.id, l));
            }
        }
    }
    for (i, (fa, a)) in cards.iter().enumerate() {
        for (fb, b) in &cards[i + 1..] {
            if let Some(both) = overlap(a, b) {
                out.push((cli(lang).cards_overlap)(fa, fb, &both, &a.id, &b.id));
            }
        }
    }
    out
}
