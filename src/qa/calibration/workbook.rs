//! `calibration.xlsx`, made for the session room: read from a projector at
//! the back of the room, so big fonts, few columns per sheet, worst first,
//! and colours that say "discuss this" without reading a number.
//!
//! Thresholds: Krippendorff's alpha ≥ 0.8 reliable, 0.667–0.8 tentative,
//! below that not to be relied on (Krippendorff 2004); percent agreement
//! and agreement with the automatic checks ≥ 90% good, 80–90% watch; score
//! spread on a contact ≥ 20 points red, ≥ 10 amber; ICC(2,1) read with Koo &
//! Li (2016): < 0.5 poor, < 0.75 moderate, < 0.9 good, else excellent.

use super::analyse::Report;
use crate::output::xlsx::kit::{save_atomically, Clip, Sheet, UniqueNames};
use crate::words::qa::CalibrationWords;
use crate::words::Lang;
use rust_xlsxwriter::{
    Color, ConditionalFormatFormula, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};
use std::path::Path;

const BODY: f64 = 16.0;
const GREEN: u32 = 0xC6EFCE;
const AMBER: u32 = 0xFFEB9C;
const RED: u32 = 0xFFC7CE;

struct Fmt {
    title: Format,
    head: Format,
    text: Format,
    pct: Format,
    num: Format,
    score: Format,
    dash: Format,
    note: Format,
}

fn fmt() -> Fmt {
    let cell = || {
        Format::new()
            .set_font_size(BODY)
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0xBFBFBF))
            .set_align(FormatAlign::VerticalCenter)
    };
    Fmt {
        title: Format::new().set_bold().set_font_size(28.0),
        head: cell()
            .set_bold()
            .set_text_wrap()
            .set_background_color(Color::RGB(0x1F4E78))
            .set_font_color(Color::White),
        text: cell().set_text_wrap(),
        pct: cell().set_num_format("0%").set_align(FormatAlign::Center),
        num: cell().set_num_format("0.00").set_align(FormatAlign::Center),
        score: cell().set_num_format("0.0").set_align(FormatAlign::Center),
        dash: cell()
            .set_align(FormatAlign::Center)
            .set_font_color(Color::Gray),
        note: Format::new()
            .set_font_size(12.0)
            .set_italic()
            .set_font_color(Color::Gray),
    }
}

fn colour(rgb: u32) -> Format {
    Format::new().set_background_color(Color::RGB(rgb))
}

/// Colours numeric cells of a column by `(condition, colour)` pairs, the
/// first that holds winning. Conditions are Excel expressions over `{c}`,
/// the cell; formulas rather than cell-value rules, because Excel ranks text
/// above every number and would colour the "—" of an undefined statistic.
fn colour_rules(
    sh: &mut Sheet,
    rows: (u32, u32),
    col: u16,
    rules: &[(String, u32)],
) -> Result<(), XlsxError> {
    if rows.1 < rows.0 {
        return Ok(());
    }
    let cell = rust_xlsxwriter::utility::row_col_to_cell(rows.0, col);
    for (cond, rgb) in rules {
        let formula = format!("=AND(ISNUMBER({cell}),{})", cond.replace("{c}", &cell));
        let cf = ConditionalFormatFormula::new()
            .set_rule(formula.as_str())
            .set_format(colour(*rgb))
            .set_stop_if_true(true);
        sh.ws
            .add_conditional_format(rows.0, col, rows.1, col, &cf)?;
    }
    Ok(())
}

/// Green at or above `good`, amber from `watch`, red below (higher is better).
fn traffic_light(
    sh: &mut Sheet,
    rows: (u32, u32),
    col: u16,
    good: f64,
    watch: f64,
) -> Result<(), XlsxError> {
    colour_rules(
        sh,
        rows,
        col,
        &[
            (format!("{{c}}>={good}"), GREEN),
            (format!("{{c}}>={watch}"), AMBER),
            ("TRUE".into(), RED),
        ],
    )
}

fn opt(
    sh: &mut Sheet,
    row: u32,
    col: u16,
    v: Option<f64>,
    f: &Format,
    dash: &Format,
) -> Result<(), XlsxError> {
    match v {
        Some(x) => {
            sh.ws.write_number_with_format(row, col, x, f)?;
            Ok(())
        }
        None => sh.text(row, col, "—", dash),
    }
}

fn header(sh: &mut Sheet, f: &Fmt, cols: &[(&str, f64)]) -> Result<(), XlsxError> {
    for (i, (h, w)) in cols.iter().enumerate() {
        sh.text(0, i as u16, h, &f.head)?;
        sh.ws.set_column_width(i as u16, *w)?;
    }
    sh.ws.set_row_height(0, 48)?;
    sh.ws.set_freeze_panes(1, 1)?;
    sh.ws.set_landscape();
    sh.ws.set_print_fit_to_pages(1, 0);
    sh.ws.set_zoom(120);
    Ok(())
}

/// Koo & Li (2016) reading of an ICC.
pub fn icc_word(icc: f64, lang: Lang) -> &'static str {
    let w = CalibrationWords::for_lang(lang);
    match icc {
        x if x < 0.5 => w.icc_poor,
        x if x < 0.75 => w.icc_moderate,
        x if x < 0.9 => w.icc_good,
        _ => w.icc_excellent,
    }
}

/// Blank answers of calibration forms per controller and criterion, most first.
fn missing_sheet(
    wb: &mut Workbook,
    names: &mut UniqueNames,
    f: &Fmt,
    r: &Report,
    lang: Lang,
) -> Result<(), XlsxError> {
    let w = CalibrationWords::for_lang(lang);
    let mut sh = Sheet::fixed(Worksheet::new(), &names.claim(w.sh_missing), Clip::Ellipsis)?;
    header(
        &mut sh,
        f,
        &[
            (w.c_evaluator, 24.0),
            (w.c_criterion, 62.0),
            (w.c_missing, 18.0),
        ],
    )?;
    let mut rows = r.missing.clone();
    rows.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| (&a.0, &a.1).cmp(&(&b.0, &b.1))));
    let count = f.score.clone().set_num_format("0");
    for (i, (who, id, n)) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        let title = r
            .criteria
            .iter()
            .find(|c| &c.id == id)
            .map_or(id.as_str(), |c| c.title.as_str());
        sh.text(row, 0, who, &f.text)?;
        sh.text(row, 1, title, &f.text)?;
        sh.ws.write_number_with_format(row, 2, *n as f64, &count)?;
    }
    wb.push_worksheet(sh.into_worksheet()?);
    Ok(())
}

/// Sorts worst first: lowest value first, undefined last.
fn worst_first<T>(items: &mut [T], key: impl Fn(&T) -> Option<f64>) {
    items.sort_by(|a, b| match (key(a), key(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
}

pub fn write_workbook(path: &Path, r: &Report, lang: Lang) -> Result<(), XlsxError> {
    let w = CalibrationWords::for_lang(lang);
    let f = fmt();
    let mut wb = Workbook::new();
    let mut names = UniqueNames::sheets();

    // Summary.
    let mut sh = Sheet::fixed(Worksheet::new(), &names.claim(w.sh_summary), Clip::Ellipsis)?;
    sh.ws.set_column_width(0, 100)?;
    sh.ws.set_landscape();
    sh.ws.set_print_fit_to_pages(1, 1);
    sh.text(0, 0, w.title, &f.title)?;
    sh.ws.set_row_height(0, 40)?;
    let scored = r.contacts.iter().filter(|c| !c.scores.is_empty()).count();
    let spreads: Vec<f64> = r.contacts.iter().filter_map(|c| c.spread).collect();
    let weak = r
        .criteria
        .iter()
        .filter(|c| c.krippendorff_alpha.is_some_and(|a| a < 0.667))
        .count();
    let mut lines = vec![
        format!("{} {}", w.k_contacts, r.contacts.len()),
        format!(
            "{} {}{}",
            w.k_evaluators,
            r.evaluators.len(),
            r.reference
                .as_ref()
                .map_or(String::new(), |n| format!(" ({} {n})", w.reference_is))
        ),
        match r.icc_2_1 {
            Some(x) => format!("ICC(2,1) {}: {x:.2} — {}", w.of_scores, icc_word(x, lang)),
            None => format!("ICC(2,1): — ({})", w.icc_needs),
        },
        format!(
            "{} {}",
            w.k_mean_spread,
            crate::stats::mean(&spreads).map_or("—".into(), |m| format!("{m:.1}"))
        ),
        format!("{} {weak} {} {}", w.k_weak_criteria, w.of, r.criteria.len()),
    ];
    let missing: u64 = r.missing.iter().map(|m| m.2).sum();
    if missing > 0 {
        lines.push(format!("{} {missing}", w.k_missing));
    }
    if scored == 0 {
        lines.push(w.no_scores.into());
    }
    let big = Format::new().set_font_size(20.0);
    for (i, l) in lines.iter().enumerate() {
        sh.text(i as u32 + 2, 0, l, &big)?;
        sh.ws.set_row_height(i as u32 + 2, 30)?;
    }
    let legend = w.legend;
    sh.text(
        lines.len() as u32 + 3,
        0,
        legend,
        &f.note.clone().set_text_wrap(),
    )?;
    sh.ws.set_row_height(lines.len() as u32 + 3, 36)?;

    wb.push_worksheet(sh.into_worksheet()?);

    // Criteria, worst alpha first.
    let mut crit = r.criteria.clone();
    worst_first(&mut crit, |c| c.krippendorff_alpha);
    let mut sh = Sheet::fixed(
        Worksheet::new(),
        &names.claim(w.sh_criteria),
        Clip::Ellipsis,
    )?;
    header(
        &mut sh,
        &f,
        &[
            (w.c_criterion, 62.0),
            (w.c_agreement, 15.0),
            ("α", 11.0),
            ("κ", 11.0),
            (w.c_with_auto, 17.0),
        ],
    )?;
    for (i, c) in crit.iter().enumerate() {
        let row = i as u32 + 1;
        sh.ws.set_row_height(row, 42)?;
        sh.text(row, 0, &c.title, &f.text)?;
        opt(&mut sh, row, 1, c.percent_agreement, &f.pct, &f.dash)?;
        opt(&mut sh, row, 2, c.krippendorff_alpha, &f.num, &f.dash)?;
        opt(&mut sh, row, 3, c.fleiss_kappa, &f.num, &f.dash)?;
        opt(&mut sh, row, 4, c.auto_agreement, &f.pct, &f.dash)?;
    }
    let last = crit.len() as u32;
    traffic_light(&mut sh, (1, last), 1, 0.9, 0.8)?;
    traffic_light(&mut sh, (1, last), 2, 0.8, 0.667)?;
    traffic_light(&mut sh, (1, last), 3, 0.8, 0.667)?;
    traffic_light(&mut sh, (1, last), 4, 0.9, 0.8)?;

    wb.push_worksheet(sh.into_worksheet()?);

    // Contacts, widest spread first.
    let mut contacts = r.contacts.clone();
    worst_first(&mut contacts, |c| c.spread.map(|s| -s));
    let evaluators: Vec<&str> = r.evaluators.iter().map(|e| e.name.as_str()).collect();
    let has_auto = contacts.iter().any(|c| c.auto_score.is_some());
    let mut sh = Sheet::fixed(
        Worksheet::new(),
        &names.claim(w.sh_contacts),
        Clip::Ellipsis,
    )?;
    let mut cols: Vec<(&str, f64)> = vec![(w.c_contact, 16.0)];
    cols.extend(evaluators.iter().map(|e| (*e, 14.0)));
    if has_auto {
        cols.push((w.c_auto, 11.0));
    }
    cols.push((w.c_spread, 13.0));
    cols.push((w.c_sd, 11.0));
    header(&mut sh, &f, &cols)?;
    for (i, c) in contacts.iter().enumerate() {
        let row = i as u32 + 1;
        sh.ws.set_row_height(row, 28)?;
        sh.text(row, 0, &c.id, &f.text)?;
        let mut col = 1u16;
        for e in &evaluators {
            opt(
                &mut sh,
                row,
                col,
                c.scores.get(*e).copied(),
                &f.score,
                &f.dash,
            )?;
            col += 1;
        }
        if has_auto {
            opt(&mut sh, row, col, c.auto_score, &f.score, &f.dash)?;
            col += 1;
        }
        opt(&mut sh, row, col, c.spread, &f.score, &f.dash)?;
        opt(&mut sh, row, col + 1, c.sd, &f.score, &f.dash)?;
    }
    if !contacts.is_empty() {
        let spread_col = cols.len() as u16 - 2;
        let last = contacts.len() as u32;
        colour_rules(
            &mut sh,
            (1, last),
            spread_col,
            &[
                ("{c}>=20".into(), RED),
                ("{c}>=10".into(), AMBER),
                ("TRUE".into(), GREEN),
            ],
        )?;
    }

    wb.push_worksheet(sh.into_worksheet()?);

    // Evaluators: who is lenient or harsh, and where.
    let mut sh = Sheet::fixed(
        Worksheet::new(),
        &names.claim(w.sh_evaluators),
        Clip::Ellipsis,
    )?;
    let dev_head = if r.reference.is_some() {
        w.c_dev_reference
    } else {
        w.c_dev_others
    };
    header(
        &mut sh,
        &f,
        &[
            (w.c_evaluator, 24.0),
            (dev_head, 20.0),
            (w.c_disagree_most, 80.0),
        ],
    )?;
    let signed = f.score.clone().set_num_format("+0.0;−0.0;0.0");
    for (i, e) in r.evaluators.iter().enumerate() {
        let row = i as u32 + 1;
        let worst: Vec<String> = e
            .worst
            .iter()
            .map(|(id, rate)| {
                let title = r
                    .criteria
                    .iter()
                    .find(|c| &c.id == id)
                    .map_or(id.as_str(), |c| c.title.as_str());
                format!("{title} — {:.0}%", rate * 100.0)
            })
            .collect();
        sh.ws
            .set_row_height(row, (22 * worst.len().max(1) + 10) as f64)?;
        sh.text(row, 0, &e.name, &f.text)?;
        if r.reference.as_deref() == Some(e.name.as_str()) {
            sh.text(row, 1, w.reference, &f.dash)?;
        } else {
            let shown = e.mean_deviation.map(|d| crate::stats::shown(d, 1));
            opt(&mut sh, row, 1, shown, &signed, &f.dash)?;
        }
        sh.text(row, 2, &worst.join("\n"), &f.text)?;
    }
    if !r.evaluators.is_empty() {
        let last = r.evaluators.len() as u32;
        colour_rules(
            &mut sh,
            (1, last),
            1,
            &[("ABS({c})>=10".into(), RED), ("ABS({c})>=5".into(), AMBER)],
        )?;
    }

    wb.push_worksheet(sh.into_worksheet()?);

    if !r.missing.is_empty() {
        missing_sheet(&mut wb, &mut names, &f, r, lang)?;
    }

    // The rules to fix first.
    let mut auto: Vec<_> = r
        .criteria
        .iter()
        .filter(|c| c.auto_compared > 0)
        .cloned()
        .collect();
    if !auto.is_empty() {
        worst_first(&mut auto, |c| c.auto_agreement);
        let mut sh = Sheet::fixed(Worksheet::new(), &names.claim(w.sh_auto), Clip::Ellipsis)?;
        header(
            &mut sh,
            &f,
            &[
                (w.c_rule, 56.0),
                (w.c_agree_people, 17.0),
                (w.c_missed, 17.0),
                (w.c_false_alarm, 15.0),
                (w.c_na_mismatch, 15.0),
            ],
        )?;
        for (i, c) in auto.iter().enumerate() {
            let row = i as u32 + 1;
            sh.ws.set_row_height(row, 42)?;
            sh.text(row, 0, &c.title, &f.text)?;
            opt(&mut sh, row, 1, c.auto_agreement, &f.pct, &f.dash)?;
            let count = f.score.clone().set_num_format("0");
            sh.ws
                .write_number_with_format(row, 2, c.auto_missed as f64, &count)?;
            sh.ws
                .write_number_with_format(row, 3, c.auto_false_alarms as f64, &count)?;
            sh.ws
                .write_number_with_format(row, 4, c.auto_na_mismatch as f64, &count)?;
        }
        traffic_light(&mut sh, (1, auto.len() as u32), 1, 0.9, 0.8)?;
        wb.push_worksheet(sh.into_worksheet()?);
    }
    Ok(save_atomically(&mut wb, path)?)
}
