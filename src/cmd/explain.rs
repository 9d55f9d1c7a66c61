//! `cqa explain`

use super::Failure;
use anyhow::anyhow;
use cqa::check::{clock, EvalOptions};
use cqa::input::contact::{load_file, InputKind};
use cqa::qa::sampling::pool::Reading;
use cqa::text::terminal::escape as esc;
use cqa::words::cli::cli;
use cqa::words::Lang;
use std::path::PathBuf;

/// Show one contact criterion by criterion: status, reason and the quoted
/// evidence, so a controller can check every automatic decision.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Russian terms (default --lang ru): выполнено / нарушение / неприменимо / ожидает оценки = pass / fail / n/a / pending; оператор / клиент = agent / customer; частичная = partial; правило = rule (--verbose)."
)]
pub struct Args {
    /// A contact file (.json, .jsonl, .txt, .csv, .tsv, cloud exports)
    #[arg(value_name = "CONTACT")]
    contact: PathBuf,
    /// Which contact of a multi-contact file [default: the first]
    #[arg(long, value_name = "ID")]
    id: Option<String>,
    /// Scorecard file or folder [default: scorecards]
    #[arg(short, long = "scorecard", value_name = "FILE_OR_DIR")]
    scorecards: Vec<PathBuf>,
    #[arg(long, default_value = "ru", value_name = "ru|en")]
    pub(super) lang: Lang,
    /// Keep personal data unmasked in quotes
    #[arg(long)]
    no_mask: bool,
    /// Also print each criterion's rule as the scorecard writes it (regex
    /// sources included: reasons describe a regex by its label instead)
    #[arg(short, long)]
    verbose: bool,
    #[command(flatten)]
    read: super::reading::MappingArgs,
    #[command(flatten)]
    registry: super::reading::RegistryArg,
}

pub fn run(a: Args) -> Result<(), Failure> {
    // The contact first: a wrong path says so before any scorecard is read.
    // What the messages below quote from the input is masked, as quotes are.
    let label = cqa::text::pii::mask_all(&a.contact.display().to_string()).into_owned();
    if a.contact.is_dir() {
        return Err(Failure::usage(anyhow!(
            "{label}: {}",
            cli(a.lang).explain_folder
        )));
    }
    if !a.contact.exists() {
        return Err(Failure::usage(anyhow!(
            "{label}: {}",
            cli(a.lang).file_not_found
        )));
    }
    let cards = if a.scorecards.is_empty() {
        vec![PathBuf::from("scorecards")]
    } else {
        a.scorecards.clone()
    };
    let (set, infos) = super::scorecards::load(&cards)?;
    let kind = InputKind::from_path(&a.contact).ok_or_else(|| {
        Failure::usage(anyhow!(
            "{label}: unknown file type (expected .json, .jsonl, .txt, .csv or .tsv)"
        ))
    })?;
    let (load, join) = super::reading::open(&a.read, a.registry.registry.as_deref())?;
    let mut chosen = None;
    let mut problems = Vec::new();
    for l in load_file(&a.contact, kind, &load) {
        match l.contact {
            Ok(c) if a.id.as_ref().is_none_or(|id| *id == c.id) => {
                chosen = Some(c);
                break;
            }
            Ok(_) => {}
            Err(e) => problems.push(
                cqa::text::pii::mask_all(&format!(
                    "{label}{}: {e}",
                    l.line.map_or(String::new(), |n| format!(":{n}"))
                ))
                .into_owned(),
            ),
        }
    }
    let contact = chosen.ok_or_else(|| match (&a.id, problems.first()) {
        (Some(id), _) => Failure::usage(anyhow!("{label}: no contact with id `{id}`")),
        (None, Some(p)) => Failure::usage(anyhow!("{p}")),
        (None, None) => Failure::usage(anyhow!("{label}: no contact in the file")),
    })?;
    // As the check would see it: joined, with an agent, and a card for its channel and language.
    let read = Reading {
        load: Some(&load),
        join: Some(&join),
        cards: None,
    };
    let contact = read.accept(contact, &a.contact).map_err(|e| {
        Failure::usage(anyhow!(
            "{}",
            cqa::text::pii::mask_all(&format!("{label}: {e}"))
        ))
    })?;
    let card = set.choose(&contact).map_err(|e| {
        Failure::usage(anyhow!(
            "{}",
            cqa::text::pii::mask_all(&format!("{label}: {e}"))
        ))
    })?;
    let r = cqa::run::evaluate(
        card,
        &contact,
        &label,
        None,
        &EvalOptions {
            lang: a.lang,
            mask: !a.no_mask,
        },
    );
    let info = infos.iter().find(|i| i.id == card.card.id);
    let lang = a.lang;
    println!(
        "{} {} — {} {} ({})",
        cli(lang).contact,
        esc(&r.contact_id),
        cli(lang).agent,
        esc(r.agent_label()),
        esc(&r.agent_id)
    );
    println!(
        "{} {} {}",
        cli(lang).scorecard,
        esc(&card.card.id),
        esc(&card.card.version)
    );
    let score = r.score.map_or("—".into(), |s| format!("{s:.1}"));
    println!(
        "{} {score}{}{}\n",
        cli(lang).score,
        if r.partial { cli(lang).partial } else { "" },
        if r.auto_failed {
            cli(lang).auto_failed
        } else {
            ""
        }
    );
    for c in &r.criteria {
        let title = info
            .and_then(|i| i.criteria.iter().find(|x| x.id == c.id))
            .map_or(c.id.as_str(), |x| x.title.as_str());
        let mark = match c.status {
            cqa::results::Status::Pass => "✓",
            cqa::results::Status::Fail => "✗",
            cqa::results::Status::Na => "–",
            cqa::results::Status::Pending | cqa::results::Status::Review => "?",
        };
        println!(
            "{mark} [{}] {} — {} ({})",
            c.status.label(lang),
            esc(&c.id),
            esc(title),
            c.severity.label(lang)
        );
        if !c.reason.is_empty() {
            println!("    {}", esc(&c.reason));
        }
        if a.verbose {
            let rule = card
                .card
                .criteria()
                .find(|(_, x)| x.id == c.id)
                .and_then(|(_, x)| serde_json::to_string(&x.rule).ok());
            if let Some(rule) = rule {
                println!("    {} {rule}", cli(lang).rule);
            }
        }
        for e in &c.evidence {
            let at = e
                .start
                .map(|s| format!(" {}", clock(s)))
                .unwrap_or_default();
            println!(
                "    #{} {}{at}: «{}»",
                e.turn + 1,
                speaker_word(e.speaker, lang),
                esc(&e.quote)
            );
        }
    }
    Ok(())
}

/// Who spoke, in the run's language.
fn speaker_word(s: cqa::input::contact::Speaker, lang: Lang) -> &'static str {
    use cqa::input::contact::Speaker;
    let w = cli(lang);
    match s {
        Speaker::Agent => w.agent,
        Speaker::Customer => w.customer,
        Speaker::Bot => w.bot,
        Speaker::System => w.system,
    }
}
