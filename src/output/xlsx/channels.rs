//! Two views across one run: the channels side by side («Каналы»: calls,
//! chats, e-mail in columns, the same figures in rows), and each agent's
//! mean score per ISO week («Динамика»), so a trend shows without an
//! earlier period's results.

use super::kit::Sheet;
use super::report::{acc, Report};
use crate::input::scorecard::Severity;
use crate::score::aggregate::Group;
use crate::words::report::Words;
use rust_xlsxwriter::{ColNum, ConditionalFormat3ColorScale, RowNum, XlsxError};

/// The channels' figures, one column per channel.
pub(crate) fn channels_sheet(sh: &mut Sheet, report: &Report) -> Result<(), XlsxError> {
    let (l, w, s) = (report.l, report.w, &report.s);
    // Calls, chats, messengers, e-mail, then any other, as people list them.
    let order = |k: &str| {
        ["voice", "chat", "messenger", "email"]
            .iter()
            .position(|c| *c == k)
            .unwrap_or(4)
    };
    let mut channels: Vec<(&String, &Group)> = report.agg.channels.iter().collect();
    channels.sort_by_key(|(k, _)| (order(k), k.as_str()));
    sh.header(0, 0, l.c_metric, &s.header)?;
    for (j, (key, _)) in channels.iter().enumerate() {
        sh.header(0, 1 + j as ColNum, &w.channel(key), &s.header)?;
    }
    sh.ws.set_row_height(0, 32)?;
    type Figure<'a> = (String, Box<dyn Fn(&Group) -> Cell + 'a>);
    let mut rows: Vec<Figure> = vec![
        (
            l.c_contacts.into(),
            Box::new(|g: &Group| Cell::Int(g.contacts)),
        ),
        (l.c_scored.into(), Box::new(|g: &Group| Cell::Int(g.scored))),
        (
            w.c_partial_n.into(),
            Box::new(|g: &Group| Cell::Int(g.partial)),
        ),
        (
            l.c_mean.into(),
            Box::new(|g: &Group| Cell::Score(g.scores.mean())),
        ),
    ];
    for sev in Severity::CRITICAL {
        rows.push((
            format!("{}: {}", l.c_accuracy, l.class_short(sev)),
            Box::new(move |g: &Group| Cell::Pct(acc(g, sev))),
        ));
    }
    rows.push((
        l.c_auto_fails.into(),
        Box::new(|g: &Group| Cell::Int(g.auto_fails)),
    ));
    for k in 0..3 {
        rows.push((
            format!("{} {}", l.c_top, k + 1),
            Box::new(move |g: &Group| Cell::Text(report.top_text(g, k))),
        ));
    }
    for (i, (name, f)) in rows.iter().enumerate() {
        let r = 1 + i as RowNum;
        sh.text(r, 0, name, &s.key)?;
        for (j, (_, g)) in channels.iter().enumerate() {
            let c = 1 + j as ColNum;
            match f(g) {
                Cell::Int(n) => sh.int(r, c, n, &s.int)?,
                Cell::Score(x) => sh.opt_num(r, c, x, &s.score)?,
                Cell::Pct(x) => sh.opt_num(r, c, x, &s.pct)?,
                Cell::Text(Some(t)) => sh.wrapped(r, c, &t, &s.wrap)?,
                Cell::Text(None) => {}
            }
        }
    }
    // The figures run in rows: their notes are on the row labels.
    super::glossary::note_headers(sh, report, 0, &[l.c_metric.to_string()])?;
    let labels: Vec<String> = rows.iter().map(|(name, _)| name.clone()).collect();
    super::glossary::note_rows(sh, report, 1, 0, &labels)?;
    sh.cap(0, 34.0);
    for j in 0..channels.len() {
        sh.cap(1 + j as ColNum, 36.0);
    }
    sh.ws.set_freeze_panes(1, 1)?;
    sh.print_setup(
        (rows.len() as RowNum, channels.len() as ColNum),
        Some(0),
        &[],
    )
}

enum Cell {
    Int(u64),
    Score(Option<f64>),
    Pct(Option<f64>),
    Text(Option<String>),
}

/// Agents × ISO weeks: each agent's mean score per week and the change from
/// their first week to their last.
pub(crate) fn trends_sheet(sh: &mut Sheet, report: &Report) -> Result<(), XlsxError> {
    let (l, w, s) = (report.l, report.w, &report.s);
    let weeks: std::collections::BTreeSet<&String> =
        report.agg.weeks.values().flat_map(|m| m.keys()).collect();
    let weeks: Vec<&String> = weeks.into_iter().collect();
    sh.header(0, 0, l.c_agent, &s.header)?;
    sh.header(0, 1, l.c_agent_id, &s.header)?;
    for (j, wk) in weeks.iter().enumerate() {
        sh.header(0, 2 + j as ColNum, wk, &s.header)?;
    }
    let change_col = 2 + weeks.len() as ColNum;
    sh.header(0, change_col, w.c_week_change, &s.header)?;
    sh.ws.set_row_height(0, 48)?;
    sh.cap(change_col, 16.0);
    let mut headers = vec![l.c_agent.to_string(), l.c_agent_id.to_string()];
    headers.extend(weeks.iter().map(|_| String::new()));
    headers.push(w.c_week_change.to_string());
    super::glossary::note_headers(sh, report, 0, &headers)?;
    for j in 0..weeks.len() {
        super::glossary::note(sh, 0, 2 + j as ColNum, w.weeks_note)?;
    }
    if weeks.is_empty() {
        return sh.text_free(1, 0, w.no_weeks, &s.note);
    }
    let mut r: RowNum = 1;
    for (key, g) in &report.agg.agents {
        let Some(by_week) = report.agg.weeks.get(key) else {
            continue;
        };
        sh.text(r, 0, &g.name, &s.text)?;
        sh.text(r, 1, key, &s.text)?;
        let mut seen: Vec<f64> = Vec::new();
        for (j, wk) in weeks.iter().enumerate() {
            if let Some(m) = by_week.get(*wk).and_then(|m| m.mean()) {
                sh.num(r, 2 + j as ColNum, m, &s.score)?;
                seen.push(m);
            }
        }
        if let (Some(first), Some(last), true) = (seen.first(), seen.last(), seen.len() > 1) {
            sh.num(
                r,
                change_col,
                crate::stats::shown(last - first, 1),
                &s.delta,
            )?;
        }
        r += 1;
    }
    let last = r - 1;
    if last >= 1 {
        let scale = ConditionalFormat3ColorScale::new()
            .set_minimum_color(0xF8696B)
            .set_midpoint_color(0xFFEB84)
            .set_maximum_color(0x63BE7B);
        sh.ws
            .add_conditional_format(1, 2, last, change_col - 1, &scale)?;
        super::groups::sign_rule(sh, (1, last), change_col, report, true)?;
    }
    sh.text_free(last + 2, 0, w.weeks_note, &s.note)?;
    sh.ws.set_freeze_panes(1, 2)?;
    sh.print_setup((last + 2, change_col), Some(0), &[])
}

// Here, not beside the words: `words` may not know the aggregates' key for
// "no channel" (the layout of src/lib.rs).
impl Words {
    /// A channel as people name it: its key when the words have no name for it.
    pub fn channel(&self, key: &str) -> String {
        match key {
            "voice" => self.ch_voice,
            "chat" => self.ch_chat,
            "messenger" => self.ch_messenger,
            "email" => self.ch_email,
            crate::score::aggregate::NO_TEAM => self.ch_none,
            other => other,
        }
        .to_string()
    }
}
