//! The report's formats, and its target colouring: what a score column is
//! held against, as conditional formats on a kit [`Sheet`].

use super::kit::{Clip, Sheet};
use crate::input::scorecard::Severity;
use crate::words::report::Labels;
use rust_xlsxwriter::{
    ColNum, ConditionalFormatFormula, Format, FormatAlign, FormatBorder, RowNum, XlsxError,
};

const BLUE: u32 = 0x1F4E78;
const GREEN_BG: u32 = 0xC6EFCE;
const GREEN_FG: u32 = 0x006100;
const RED_BG: u32 = 0xFFC7CE;
const RED_FG: u32 = 0x9C0006;
const AMBER_BG: u32 = 0xFFEB9C;
const AMBER_FG: u32 = 0x9C5700;

/// The formats of the workbooks of a run, built once and shared (`Arc`),
/// never cloned: list sheets recognise a column's own format by its address
/// (`Sheet::column_format`), and a copy would only look like a different one.
pub(crate) struct Styles {
    pub title: Format,
    pub subtitle: Format,
    pub header: Format,
    pub key: Format,
    pub text: Format,
    pub wrap: Format,
    pub note: Format,
    pub int: Format,
    pub score: Format,
    /// A score that leaves out criteria awaiting a controller: "81.2*".
    pub score_partial: Format,
    pub pct: Format,
    pub date: Format,
    pub time: Format,
    pub link: Format,
    pub link_center: Format,
    pub delta: Format,
    pub delta_pp: Format,
    pub delta_int: Format,
    pub good: Format,
    pub bad: Format,
    pub warn: Format,
    pub bad_int: Format,
    /// For conditional formats (colours only: alignment does not belong in a rule's format).
    pub cf_good: Format,
    pub cf_bad: Format,
    /// Yes/no flags, centred so they do not run into the numbers beside them.
    pub flag: Format,
    pub flag_bad: Format,
    pub int_center: Format,
}

impl Styles {
    pub fn new(l: &Labels) -> Self {
        let base = Format::new().set_align(FormatAlign::Top);
        let top = base.clone();
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_font_color(BLUE),
            subtitle: Format::new()
                .set_bold()
                .set_font_size(12)
                .set_font_color(BLUE),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_font_color(0xFFFFFF)
                .set_background_color(BLUE)
                .set_border(FormatBorder::Thin),
            key: base.clone().set_bold(),
            text: base.clone(),
            wrap: base.clone().set_text_wrap(),
            note: Format::new().set_italic().set_font_color(0x595959),
            int: base.clone().set_num_format("0"),
            score: base.clone().set_num_format("0.0"),
            score_partial: base.clone().set_num_format("0.0\"*\""),
            pct: base.clone().set_num_format("0.0%"),
            date: base.clone().set_num_format("yyyy-mm-dd hh:mm"),
            time: base.clone().set_num_format("[m]:ss"),
            link: base.clone().set_hyperlink(),
            link_center: base.clone().set_hyperlink().set_align(FormatAlign::Center),
            delta: base.clone().set_num_format("+0.0;-0.0;0.0"),
            delta_pp: base.clone().set_num_format(format!(
                "+0.0\" {pp}\";-0.0\" {pp}\";0.0\" {pp}\"",
                pp = l.pp
            )),
            delta_int: base.set_num_format("+0;-0;0"),
            good: top
                .clone()
                .set_indent(1)
                .set_font_color(GREEN_FG)
                .set_background_color(GREEN_BG),
            bad: top
                .clone()
                .set_indent(1)
                .set_font_color(RED_FG)
                .set_background_color(RED_BG),
            warn: top
                .clone()
                .set_indent(1)
                .set_font_color(AMBER_FG)
                .set_background_color(AMBER_BG),
            bad_int: top
                .clone()
                .set_num_format("0")
                .set_font_color(RED_FG)
                .set_background_color(RED_BG),
            cf_good: Format::new()
                .set_font_color(GREEN_FG)
                .set_background_color(GREEN_BG),
            cf_bad: Format::new()
                .set_font_color(RED_FG)
                .set_background_color(RED_BG),
            flag: top.clone().set_align(FormatAlign::Center),
            flag_bad: top
                .clone()
                .set_align(FormatAlign::Center)
                .set_font_color(RED_FG)
                .set_background_color(RED_BG),
            int_center: top.set_num_format("0").set_align(FormatAlign::Center),
        }
    }
}

/// The report's sheets cut overlong text with a marker that says how much
/// is missing, in the report's language.
impl From<&'static Labels> for Clip {
    fn from(l: &'static Labels) -> Self {
        Clip::Counted(l.cut)
    }
}

/// What a score column is coloured against.
#[derive(Debug, Clone, PartialEq)]
pub enum TargetRule {
    /// One number for every row.
    Fixed(f64),
    /// The number in another column of the same row (a group's own target).
    Column(ColNum),
    /// The target of the row's own scorecard, named by the text of a column
    /// of the row ([`card_label`]): (label, target) for each card.
    ByCard {
        col: ColNum,
        targets: Vec<(String, f64)>,
    },
}

/// How a scorecard version is named in a cell, and found again by a rule.
pub fn card_label(id: &str, version: &str) -> String {
    format!("{id} {version}")
}

/// Cards beyond which a by-card rule would pass Excel's limit of 64 nested
/// functions: the column is then not coloured.
const MAX_RULE_CARDS: usize = 30;

impl Sheet {
    /// Highlights a numeric column against a target: green when met, red when not, blank cells untouched.
    pub fn target_rule(
        &mut self,
        rows: (RowNum, RowNum),
        col: ColNum,
        target: &TargetRule,
        s: &Styles,
    ) -> Result<(), XlsxError> {
        if rows.1 < rows.0 {
            return Ok(());
        }
        // References for the range's first row: Excel moves them with the row.
        let at = |c: ColNum| rust_xlsxwriter::utility::row_col_to_cell(rows.0, c);
        let cell = at(col);
        let t = match target {
            TargetRule::Fixed(t) => t.to_string(),
            TargetRule::Column(c) => format!("${}", at(*c)),
            TargetRule::ByCard { col: c, targets } => {
                // Excel refuses a text constant over 255 characters in a formula.
                if targets.len() > MAX_RULE_CARDS
                    || targets.iter().any(|(label, _)| label.chars().count() > 255)
                {
                    return Ok(());
                }
                let card = format!("${}", at(*c));
                let mut expr = "\"\"".to_string();
                for (label, t) in targets.iter().rev() {
                    let label = label.replace('"', "\"\"");
                    expr = format!("IF(EXACT({card},\"{label}\"),{t},{expr})");
                }
                expr
            }
        };
        // A row whose target is not a number (its card sets none) is not
        // coloured: in a comparison Excel puts every number below every text.
        let known = match target {
            TargetRule::Fixed(_) => String::new(),
            _ => format!(",ISNUMBER({t})"),
        };
        let below = ConditionalFormatFormula::new()
            .set_rule(format!("AND(ISNUMBER({cell}){known},{cell}<{t})").as_str())
            .set_format(&s.cf_bad);
        let met = ConditionalFormatFormula::new()
            .set_rule(format!("AND(ISNUMBER({cell}){known},{cell}>={t})").as_str())
            .set_format(&s.good);
        self.ws
            .add_conditional_format(rows.0, col, rows.1, col, &below)?;
        self.ws
            .add_conditional_format(rows.0, col, rows.1, col, &met)?;
        Ok(())
    }
}

// Here, not beside the words: `words` may not know the scorecard's
// Severity (the layout of src/lib.rs).
impl Labels {
    /// Short class names for column headers ("Точность: клиент").
    pub fn class_short(&self, s: Severity) -> &'static str {
        match s {
            Severity::CustomerCritical => self.class_customer,
            Severity::BusinessCritical => self.class_business,
            Severity::ComplianceCritical => self.class_compliance,
            Severity::NonCritical => self.class_non_critical,
        }
    }
}
