//! The terminal summary of a check: counts, what the join and the loaders
//! found, each agent's mean (worst first), the COPC accuracies, and where
//! the results are. Everything input-derived in it is escaped.

use super::record::RunRecord;
use crate::input::scorecard::Severity;
use crate::output::manifest::Manifest;
use crate::score::aggregate::Aggregates;
use crate::text::terminal::escape as esc;
use crate::words::cli::cli;
use crate::words::Lang;
use std::path::Path;

/// Conflicts printed in the terminal summary; all are in run.json.
const SHOW_CONFLICTS: usize = 5;
/// Agents the terminal summary lists (worst first); the workbook has them all.
const SHOW_AGENTS: usize = 20;

/// Why a run that scored no contact did so, in one line (exit 3); `None` when it scored some.
pub fn nothing_scored(m: &Manifest, lang: Lang) -> Option<String> {
    if m.processed > 0 {
        return None;
    }
    let w = cli(lang);
    let inputs = m.inputs.join(", ");
    Some(if m.discovered == 0 {
        format!(
            "{}: {} {inputs} ({} {})",
            w.nothing_scored,
            w.no_contact_in,
            w.files_skipped_lower,
            m.skipped.len()
        )
    } else {
        format!(
            "{}: {} ({} {} {}); {}",
            w.nothing_scored, w.all_rejected, m.rejected, w.of, m.discovered, w.reasons_in_rejected
        )
    })
}

/// What the summary says beyond run.json.
pub struct SummaryOptions {
    /// `--roster-wins`: agent names and teams were taken from the roster.
    pub roster_wins: bool,
    /// Agents with fewer scored contacts are marked "sample too small".
    pub min_n: u64,
    /// Whether the workbooks are written (the summary points to them).
    pub workbooks: bool,
}

fn pct(x: Option<f64>) -> String {
    x.map_or("—".into(), |v| format!("{v:.1}%"))
}

/// The short terminal summary: counts, each agent's mean and n, COPC accuracies.
pub fn summary(
    r: &RunRecord,
    agg: &Aggregates,
    dir: &Path,
    lang: Lang,
    notes: &SummaryOptions,
) -> String {
    use std::fmt::Write;
    let m = &r.manifest;
    let mut s = String::new();
    let w = cli(lang);
    let _ = writeln!(s, "{}", (w.counts)(m.discovered, m.processed, m.rejected));
    for (card, n) in &r.scored_by_card {
        let _ = writeln!(s, "  {} {card}: {n}", w.scored_with);
    }
    // Documentation beside the contacts (README.md) is listed in run.json only.
    let skipped: Vec<_> = m.skipped.iter().filter(|f| !f.documentation).collect();
    if !skipped.is_empty() {
        let _ = writeln!(s, "{} {}", w.files_skipped, skipped.len());
        for f in skipped.iter().take(5) {
            let reason = crate::words::say::in_lang(&f.reason, lang);
            let _ = writeln!(s, "  {}: {}", esc(&f.path), esc(&reason));
        }
    }
    if r.conflicts_total > 0 {
        let _ = writeln!(
            s,
            "{} {} {}",
            w.disagreements,
            r.conflicts_total,
            if notes.roster_wins {
                w.disagreements_roster_wins
            } else {
                w.disagreements_kept
            }
        );
        for c in r.conflicts.iter().take(SHOW_CONFLICTS) {
            let _ = writeln!(
                s,
                "  {} {}: «{}» ({}) ≠ «{}» ({})",
                esc(&c.contact_id),
                esc(&c.field),
                esc(&c.kept),
                esc(&c.kept_from),
                esc(&c.other),
                esc(&c.other_from)
            );
        }
    }
    if r.load_warnings_total > 0 {
        let _ = writeln!(
            s,
            "{} {} {}",
            w.load_warnings, r.load_warnings_total, w.load_warnings_note
        );
        for w in r.load_warnings.iter().take(SHOW_CONFLICTS) {
            let _ = writeln!(
                s,
                "  {} ({}): {}",
                esc(&w.contact_id),
                esc(&w.source),
                esc(&w.warning)
            );
        }
    }
    if !agg.agents.is_empty() {
        let _ = writeln!(s, "\n{:<32} {:>5} {:>8}", w.agents_worst_first, "n", w.mean);
        // Worst first, so a thousand agents do not bury the ones to look at;
        // agents without a score last.
        let mut agents: Vec<_> = agg.agents.values().collect();
        let key = |g: &crate::score::aggregate::Group| g.scores.mean().unwrap_or(f64::INFINITY);
        agents.sort_by(|a, b| key(a).total_cmp(&key(b)).then_with(|| a.key.cmp(&b.key)));
        let hidden = agents.len().saturating_sub(SHOW_AGENTS);
        for g in agents.into_iter().take(SHOW_AGENTS) {
            let small = if g.scored < notes.min_n {
                w.sample_too_small
            } else {
                ""
            };
            let name = format!("{} ({})", esc(&g.name), esc(&g.key));
            let mean = g.scores.mean().map_or("—".into(), |v| format!("{v:.1}"));
            let _ = writeln!(
                s,
                "{:<32} {:>5} {:>8}{small}",
                crate::text::truncate_chars(&name, 32),
                g.contacts,
                mean
            );
        }
        if hidden > 0 {
            let _ = writeln!(s, "… {} {hidden} {}", w.and_more, w.more_agents);
        }
        if notes.workbooks {
            let _ = writeln!(
                s,
                "{} {}",
                w.every_agent_in,
                dir.join("summary.xlsx").display()
            );
        }
        let _ = writeln!(s, "\n{}", w.copc_accuracy);
        for sev in Severity::CRITICAL {
            let _ = writeln!(
                s,
                "  {:<28} {}",
                sev.label(lang),
                pct(agg.overall.accuracy(sev))
            );
        }
    }
    let _ = writeln!(s, "\n{} {}", w.results, esc(&dir.display().to_string()));
    if m.rejected > 0 {
        let _ = writeln!(
            s,
            "{} {}",
            w.rejected_inputs,
            esc(&dir.join("rejected.jsonl").display().to_string())
        );
    }
    s
}
