//! Blank evaluation workbooks (`cqa forms`): one per controller.
//!
//! The first sheet is the form: one row per contact × criterion with the
//! criterion's title, the automatic verdict and its reason for reference, an
//! answer cell with a drop-down, a comment cell and the controller's name.
//! The columns `contact_id`, `criterion_id`, `answer`, `comment` and
//! `evaluator` carry those exact headers so that `cqa check --evaluations`
//! and other tools read the form back whatever else is in it. Each contact
//! then gets a sheet with its transcript (personal data masked), linked from
//! its rows, so the controller reads the dialogue beside the form.

use super::answer::choices;
use crate::input::contact::{Contact, Speaker};
use crate::input::scorecard::Scorecard;
use crate::output::xlsx::kit::{drop_down, save_atomically, sheet_link, Clip, Sheet, UniqueNames};
use crate::results::ContactResult;
use crate::words::qa::EvaluationWords;
use crate::words::Lang;
use rust_xlsxwriter::{
    Color, Format, FormatAlign, FormatBorder, Note, Url, Workbook, Worksheet, XlsxError,
};
use std::path::Path;

/// A contact to evaluate with its automatic result.
pub struct FormItem {
    pub contact: Contact,
    pub result: ContactResult,
}

#[derive(Debug, Clone, Copy)]
pub struct FormOptions {
    pub lang: Lang,
    /// Mask personal data in the transcript sheets (the default).
    pub mask: bool,
    /// A calibration form: blind (no automatic verdict, reason or quote,
    /// which would anchor the raters), every criterion asked, and a blank
    /// answer is missing, not "agrees" ([`BLANK_MEANS`]).
    pub blind: bool,
}

/// Header of the hidden column that tells the reader what a blank answer
/// means on this row: [`BLANK_MISSING`] on calibration forms. Regular forms
/// have no such column, and there a blank agrees with the automatic verdict.
pub const BLANK_MEANS: &str = "blank_means";
/// The value of [`BLANK_MEANS`] on calibration forms.
pub const BLANK_MISSING: &str = "missing";

/// The stable column headers other tools rely on.
pub const STABLE_HEADERS: [&str; 5] = [
    "contact_id",
    "criterion_id",
    "answer",
    "comment",
    "evaluator",
];

struct Styles {
    header: Format,
    wrap: Format,
    band: Format,
    answer: Format,
    must: Format,
    link: Format,
    big: Format,
}

fn styles() -> Styles {
    let border = |f: Format| {
        f.set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0xBFBFBF))
    };
    Styles {
        header: border(
            Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_align(FormatAlign::VerticalCenter),
        ),
        wrap: border(Format::new().set_text_wrap().set_align(FormatAlign::Top)),
        band: border(
            Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xF2F2F2)),
        ),
        answer: border(
            Format::new()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xFFF2CC)),
        ),
        must: border(
            Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_font_color(Color::RGB(0x9C5700))
                .set_background_color(Color::RGB(0xFFEB9C)),
        ),
        link: Format::new()
            .set_font_color(Color::RGB(0x0563C1))
            .set_underline(rust_xlsxwriter::FormatUnderline::Single)
            .set_align(FormatAlign::Top),
        big: Format::new().set_bold().set_font_size(13),
    }
}

/// Writes one controller's form. `cards` are the scorecards the results were
/// scored with (for titles); a criterion missing from them shows its id.
pub fn write_form(
    path: &Path,
    evaluator: &str,
    cards: &[Scorecard],
    items: &[&FormItem],
    opts: &FormOptions,
) -> Result<(), XlsxError> {
    let w = EvaluationWords::for_lang(opts.lang);
    let lang = opts.lang;
    let st = styles();
    let mut wb = Workbook::new();
    let mut names = UniqueNames::sheets();
    let form_name = names.claim(w.sh_form);
    let lists_name = names.claim(w.sh_lists);
    let sheet_of: Vec<String> = items.iter().map(|it| names.claim(&it.contact.id)).collect();
    let (validation, lists_sheet) = drop_down(&choices(lang), &lists_name)?;
    let validation = validation
        .set_input_title(w.answer_title)?
        .set_input_message(if opts.blind {
            w.answer_blind
        } else {
            w.answer_regular
        })?;

    let mut sh = Sheet::fixed(Worksheet::new(), &form_name, Clip::Ellipsis)?;
    let headers: [(&str, f64); 13] = [
        ("contact_id", 13.0),
        (w.c_dialogue, 10.0),
        (w.c_agent, 18.0),
        ("criterion_id", 24.0),
        (w.c_criterion, 42.0),
        (w.c_automatic, 15.0),
        (w.c_reason, 55.0),
        ("answer", 10.0),
        ("comment", 32.0),
        ("evaluator", 18.0),
        (w.c_section, 18.0),
        (w.c_weight, 7.0),
        (w.c_severity, 20.0),
    ];
    for (i, (h, w)) in headers.iter().enumerate() {
        sh.text(0, i as u16, h, &st.header)?;
        sh.ws.set_column_width(i as u16, *w)?;
    }
    sh.ws.set_row_height(0, 30)?;
    let note = if opts.blind {
        w.note_blind
    } else {
        w.note_regular
    };
    sh.ws
        .insert_note(0, 7, &Note::new(note).set_author("cqa"))?;
    if opts.blind {
        // No automatic verdict and reason to anchor on: the columns stay
        // (tools read by header) but are empty and hidden.
        sh.ws.set_column_hidden(5)?;
        sh.ws.set_column_hidden(6)?;
        sh.text(0, 13, BLANK_MEANS, &st.header)?;
        sh.ws.set_column_hidden(13)?;
    }
    sh.ws.set_freeze_panes(1, 2)?;
    let mut row = 1u32;
    for (k, it) in items.iter().enumerate() {
        let card = cards.iter().find(|c| c.id == it.result.scorecard_id);
        let base = if k % 2 == 1 { &st.band } else { &st.wrap };
        for c in &it.result.criteria {
            let (section, title) = card
                .and_then(|card| {
                    card.criteria()
                        .find(|(_, x)| x.id == c.id)
                        .map(|(s, x)| (s.title.clone(), x.title.clone()))
                })
                .unwrap_or_else(|| (c.section.to_string(), c.id.to_string()));
            let mut reason = c.reason.clone();
            if let Some(e) = c.evidence.first() {
                if !e.quote.is_empty() {
                    reason.push_str(&format!("\n«{}»", e.quote));
                }
            }
            sh.text(row, 0, &it.result.contact_id, base)?;
            sh.ws.write_url_with_format(
                row,
                1,
                Url::new(sheet_link(&sheet_of[k])).set_text(w.open),
                &st.link,
            )?;
            sh.text(row, 2, it.result.agent_label(), base)?;
            sh.text(row, 3, &c.id, base)?;
            sh.text(row, 4, &title, base)?;
            if opts.blind {
                sh.ws.write_blank(row, 5, base)?;
                sh.ws.write_blank(row, 6, base)?;
                sh.plain(row, 13, BLANK_MISSING)?;
            } else {
                let status_fmt = if c.status.awaits_person() {
                    &st.must
                } else {
                    base
                };
                sh.text(row, 5, c.status.label(lang), status_fmt)?;
                sh.text(row, 6, &reason, base)?;
            }
            sh.ws.write_blank(row, 7, &st.answer)?;
            sh.ws.write_blank(row, 8, base)?;
            sh.text(row, 9, evaluator, base)?;
            sh.text(row, 10, &section, base)?;
            match c.weight.or(c.penalty) {
                Some(w) => sh.ws.write_number_with_format(row, 11, w, base)?,
                None => sh.ws.write_blank(row, 11, base)?,
            };
            sh.text(row, 12, c.severity.label(lang), base)?;
            // Excel does not grow rows for wrapped text written by a program.
            let shown_reason = if opts.blind { String::new() } else { reason };
            let lines = [(&title, 42.0), (&shown_reason, 55.0)]
                .iter()
                .map(|(t, w)| wrapped_lines(t, *w))
                .max()
                .unwrap_or(1);
            sh.ws.set_row_height(row, 15.0 * lines.min(8) as f64)?;
            row += 1;
        }
    }
    if row > 1 {
        sh.ws.add_data_validation(1, 7, row - 1, 7, &validation)?;
        sh.ws.autofilter(0, 0, row - 1, headers.len() as u16 - 1)?;
    }
    sh.ws.set_landscape();
    sh.ws.set_print_fit_to_pages(1, 0);
    sh.ws.set_repeat_rows(0, 0)?;
    sh.ws.set_active(true);
    wb.push_worksheet(sh.into_worksheet()?);

    if let Some(lists) = lists_sheet {
        wb.push_worksheet(lists);
    }
    for (k, it) in items.iter().enumerate() {
        let ws = transcript_sheet(&sheet_of[k], &form_name, &it.contact, opts, &st)?;
        wb.push_worksheet(ws);
    }
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title(format!("cqa: {evaluator}"))
            .set_author("cqa"),
    );
    Ok(save_atomically(&mut wb, path)?)
}

/// Lines a text takes in a wrapped column `width` characters wide (roughly:
/// Excel's width unit is about one digit of the default font).
pub fn wrapped_lines(text: &str, width: f64) -> usize {
    let per_line = (width * 1.1).max(1.0) as usize;
    text.lines()
        .map(|l| l.chars().count().div_ceil(per_line).max(1))
        .sum::<usize>()
        .max(1)
}

fn speaker_label(s: Speaker, lang: Lang) -> &'static str {
    let w = EvaluationWords::for_lang(lang);
    match s {
        Speaker::Agent => w.speaker_agent,
        Speaker::Customer => w.speaker_customer,
        Speaker::Bot => w.speaker_bot,
        Speaker::System => w.speaker_system,
    }
}

fn transcript_sheet(
    name: &str,
    form: &str,
    c: &Contact,
    opts: &FormOptions,
    st: &Styles,
) -> Result<Worksheet, XlsxError> {
    let w = EvaluationWords::for_lang(opts.lang);
    let lang = opts.lang;
    let mut sh = Sheet::fixed(Worksheet::new(), name, Clip::Ellipsis)?;
    sh.ws.set_column_width(0, 5)?;
    sh.ws.set_column_width(1, 8)?;
    sh.ws.set_column_width(2, 11)?;
    sh.ws.set_column_width(3, 90)?;
    sh.text(0, 0, &format!("{} {}", w.contact, c.id), &st.big)?;
    sh.ws
        .write_url(0, 3, Url::new(sheet_link(form)).set_text(w.back_to_form))?;
    let facts = [
        (
            w.fact_agent,
            c.agent_name.clone().unwrap_or_else(|| c.agent_id.clone()),
        ),
        (w.fact_channel, c.channel.clone().unwrap_or_default()),
        (w.fact_started, c.started_at.clone().unwrap_or_default()),
        (
            w.fact_duration,
            c.duration_s.map(crate::words::clock).unwrap_or_default(),
        ),
    ];
    let mut row = 1u32;
    for (k, v) in facts.iter().filter(|(_, v)| !v.is_empty()) {
        sh.plain(row, 0, &format!("{k}: {v}"))?;
        row += 1;
    }
    row += 1;
    let heads = ["#", w.c_time, w.c_who, w.c_text];
    for (i, h) in heads.iter().enumerate() {
        sh.text(row, i as u16, h, &st.header)?;
    }
    sh.ws.set_freeze_panes(row + 1, 0)?;
    row += 1;
    for (i, t) in c.turns.iter().enumerate() {
        let text = match (&t.event, t.text.is_empty()) {
            (Some(ev), true) => format!("[{ev}]"),
            _ if opts.mask => crate::text::mask(&t.text, lang),
            _ => t.text.clone(),
        };
        let f = if t.speaker == Speaker::Agent {
            &st.band
        } else {
            &st.wrap
        };
        // 1-based, as the reasons number turns ("реплика 3").
        sh.ws.write_number_with_format(row, 0, (i + 1) as f64, f)?;
        match t.start {
            Some(s) => sh.text(row, 1, &crate::words::clock(s), f)?,
            None => {
                sh.ws.write_blank(row, 1, f)?;
            }
        };
        sh.text(row, 2, speaker_label(t.speaker, lang), f)?;
        sh.text(row, 3, &text, f)?;
        sh.ws
            .set_row_height(row, 15.0 * wrapped_lines(&text, 90.0).min(20) as f64)?;
        row += 1;
    }
    sh.ws.set_print_fit_to_pages(1, 0);
    sh.into_worksheet()
}
