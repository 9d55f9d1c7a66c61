//! `cqa explain`

use super::Failure;
use anyhow::anyhow;
use cqa::contact::{decode_bytes, parse_contact};
use cqa::engine::{clock, EvalOptions};
use cqa::lang::Lang;
use std::path::PathBuf;

/// Show one contact criterion by criterion: status, reason and the quoted
/// evidence, so a controller can check every automatic decision.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A contact file (.json)
    #[arg(value_name = "CONTACT")]
    contact: PathBuf,
    /// Scorecard file or folder [default: scorecards]
    #[arg(short, long = "scorecard", value_name = "FILE_OR_DIR")]
    scorecards: Vec<PathBuf>,
    #[arg(long, default_value = "ru", value_name = "ru|en")]
    lang: Lang,
    /// Keep personal data unmasked in quotes
    #[arg(long)]
    no_mask: bool,
}

pub fn run(a: Args) -> Result<(), Failure> {
    let cards = if a.scorecards.is_empty() {
        vec![PathBuf::from("scorecards")]
    } else {
        a.scorecards.clone()
    };
    let (set, infos) = super::scorecards::load(&cards)?;
    let label = a.contact.display().to_string();
    let bytes = std::fs::read(&a.contact)
        .map_err(|e| Failure::usage(anyhow!("{label}: cannot read: {e}")))?;
    let (text, _) = decode_bytes(&bytes).map_err(|e| Failure::usage(anyhow!("{label}: {e}")))?;
    let contact = parse_contact(&text).map_err(|e| Failure::usage(anyhow!("{label}: {e}")))?;
    let card = set.select(&contact).ok_or_else(|| {
        Failure::usage(anyhow!(
            "{label}: no scorecard applies to contact `{}` (channel {:?})",
            contact.id,
            contact.channel
        ))
    })?;
    let r = card.evaluate(
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
        lang.pick("Контакт", "Contact"),
        r.contact_id,
        lang.pick("оператор", "agent"),
        r.agent_label(),
        r.agent_id
    );
    println!(
        "{} {} {}",
        lang.pick("Карта оценки:", "Scorecard:"),
        card.card.id,
        card.card.version
    );
    let score = r.score.map_or("—".into(), |s| format!("{s:.1}"));
    println!(
        "{} {score}{}{}\n",
        lang.pick("Оценка:", "Score:"),
        if r.partial {
            lang.pick(
                " (частичная: есть ручные критерии)",
                " (partial: manual criteria pending)",
            )
        } else {
            ""
        },
        if r.auto_failed {
            lang.pick(" — критическая ошибка обнуляет оценку", " — auto-fail")
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
            cqa::results::Status::Pending => "?",
        };
        println!(
            "{mark} [{}] {} — {} ({})",
            c.status.label(lang),
            c.id,
            title,
            c.severity.label(lang)
        );
        if !c.reason.is_empty() {
            println!("    {}", c.reason);
        }
        for e in &c.evidence {
            let at = e
                .start
                .map(|s| format!(" {}", clock(s)))
                .unwrap_or_default();
            println!(
                "    #{} {}{at}: «{}»",
                e.turn + 1,
                e.speaker.as_str(),
                e.quote
            );
        }
    }
    Ok(())
}
