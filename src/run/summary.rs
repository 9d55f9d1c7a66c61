//! The terminal summary of a check: counts, what the join and the loaders
//! found, each agent's mean (worst first), the COPC accuracies, and where
//! the results are. Everything input-derived in it is escaped.

use super::record::RunRecord;
use crate::input::scorecard::Severity;
use crate::output::manifest::Manifest;
use crate::score::aggregate::Aggregates;
use crate::text::terminal::escape as esc;
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
    let inputs = m.inputs.join(", ");
    Some(if m.discovered == 0 {
        format!(
            "{}: {} {inputs} ({} {})",
            lang.pick("ничего не оценено", "nothing scored"),
            lang.pick("не найдено ни одного контакта в", "no contact found in"),
            lang.pick("пропущено файлов:", "files skipped:"),
            m.skipped.len()
        )
    } else {
        format!(
            "{}: {} ({} {} {}); {}",
            lang.pick("ничего не оценено", "nothing scored"),
            lang.pick(
                "отклонены все найденные контакты",
                "every contact found was rejected"
            ),
            m.rejected,
            lang.pick("из", "of"),
            m.discovered,
            lang.pick("причины — rejected.jsonl", "reasons in rejected.jsonl")
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
    let _ = match lang {
        Lang::Ru => writeln!(
            s,
            "Найдено контактов: {}; обработано: {}; отклонено: {}.",
            m.discovered, m.processed, m.rejected
        ),
        Lang::En => writeln!(
            s,
            "Contacts discovered: {}; processed: {}; rejected: {}.",
            m.discovered, m.processed, m.rejected
        ),
    };
    for (card, n) in &r.scored_by_card {
        let _ = writeln!(
            s,
            "  {} {card}: {n}",
            lang.pick("оценено по карте", "scored with")
        );
    }
    // Documentation beside the contacts (README.md) is listed in run.json only.
    let skipped: Vec<_> = m.skipped.iter().filter(|f| !f.documentation).collect();
    if !skipped.is_empty() {
        let _ = writeln!(
            s,
            "{} {}",
            lang.pick("Пропущено файлов:", "Files skipped:"),
            skipped.len()
        );
        for f in skipped.iter().take(5) {
            let _ = writeln!(s, "  {}: {}", esc(&f.path), esc(&f.reason));
        }
    }
    if r.conflicts_total > 0 {
        let _ = writeln!(
            s,
            "{} {} {}",
            lang.pick(
                "Расхождений с реестром/списком операторов:",
                "Disagreements with the registry/roster:"
            ),
            r.conflicts_total,
            if notes.roster_wins {
                lang.pick(
                    "(имя оператора и группа взяты из списка операторов, --roster-wins; остальное — из файлов контактов; полный список — run.json, «conflicts»)",
                    "(agent names and teams taken from the roster, --roster-wins; other values from the contacts' files; full list in run.json, \"conflicts\")"
                )
            } else {
                lang.pick(
                    "(в контактах оставлены значения из их файлов; полный список — run.json, «conflicts»)",
                    "(contacts keep the values of their own files; full list in run.json, \"conflicts\")"
                )
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
            lang.pick("Предупреждений при чтении:", "Load warnings:"),
            r.load_warnings_total,
            lang.pick(
                "(непрочитанные необязательные значения оставлены пустыми; список — run.json, «load_warnings»)",
                "(unreadable optional values left empty; list in run.json, \"load_warnings\")"
            )
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
        let _ = writeln!(
            s,
            "\n{:<32} {:>5} {:>8}",
            lang.pick("Оператор (худшие сначала)", "Agent (worst first)"),
            "n",
            lang.pick("средний", "mean")
        );
        // Worst first, so a thousand agents do not bury the ones to look at;
        // agents without a score last.
        let mut agents: Vec<_> = agg.agents.values().collect();
        let key = |g: &crate::score::aggregate::Group| g.scores.mean().unwrap_or(f64::INFINITY);
        agents.sort_by(|a, b| key(a).total_cmp(&key(b)).then_with(|| a.key.cmp(&b.key)));
        let hidden = agents.len().saturating_sub(SHOW_AGENTS);
        for g in agents.into_iter().take(SHOW_AGENTS) {
            let small = if g.scored < notes.min_n {
                lang.pick("  мало контактов", "  sample too small")
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
            let _ = writeln!(
                s,
                "… {} {hidden} {}",
                lang.pick("и ещё", "and"),
                lang.pick("операторов", "more agents")
            );
        }
        if notes.workbooks {
            let _ = writeln!(
                s,
                "{} {}",
                lang.pick(
                    "Все операторы, места и цели — лист «Операторы»:",
                    "Every agent, rank and target: the Agents sheet of"
                ),
                dir.join("summary.xlsx").display()
            );
        }
        let _ = writeln!(
            s,
            "\n{}",
            lang.pick(
                "Точность по критичным ошибкам (COPC):",
                "Critical error accuracy (COPC):"
            )
        );
        for sev in Severity::CRITICAL {
            let _ = writeln!(
                s,
                "  {:<28} {}",
                sev.label(lang),
                pct(agg.overall.accuracy(sev))
            );
        }
    }
    let _ = writeln!(
        s,
        "\n{} {}",
        lang.pick("Результаты:", "Results:"),
        esc(&dir.display().to_string())
    );
    if m.rejected > 0 {
        let _ = writeln!(
            s,
            "{} {}",
            lang.pick(
                "Отклонённые входы и причины:",
                "Rejected inputs and reasons:"
            ),
            esc(&dir.join("rejected.jsonl").display().to_string())
        );
    }
    s
}
