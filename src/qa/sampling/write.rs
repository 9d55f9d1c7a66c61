//! The sample manifest (`sample.csv` for tools, `sample.xlsx` for people)
//! and the copies of the sampled transcripts.

use super::{How, Sample, SampleConfig};
use crate::output::xlsx::kit::{safe_file_stem, save_atomically, Clip, Sheet};
use crate::words::qa::SampleWords;
use crate::words::Lang;
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet, XlsxError};
use std::path::{Path, PathBuf};

pub const SAMPLE_CSV: &str = "sample.csv";
pub const SAMPLE_XLSX: &str = "sample.xlsx";

/// The manifest columns, stable for `cqa forms --sample` and other tools.
pub const COLUMNS: [&str; 12] = [
    "contact_id",
    "agent_id",
    "agent_name",
    "channel",
    "period",
    "started_at",
    "selected_by",
    "flags",
    "reason",
    "stratum_size",
    "source",
    "line",
];

fn row(s: &super::Selected, lang: Lang) -> [String; 12] {
    let c = &s.contact;
    [
        c.contact_id.clone(),
        c.agent_id.clone(),
        c.agent_name.clone().unwrap_or_default(),
        c.channel.clone().unwrap_or_default(),
        s.period.clone(),
        c.started_at.clone().unwrap_or_default(),
        match s.how {
            How::Random => "random".into(),
            How::Included => "included".into(),
        },
        s.flags.iter().map(|f| f.id()).collect::<Vec<_>>().join(";"),
        s.reason(lang),
        s.stratum_size.to_string(),
        // A file named after personal data is shown masked (forms then
        // finds that transcript through --contacts, by its masked id).
        c.source
            .as_ref()
            .map(|p| crate::text::pii::mask_all(&p.display().to_string()).into_owned())
            .unwrap_or_default(),
        c.line.map(|l| l.to_string()).unwrap_or_default(),
    ]
}

/// Writes `sample.csv` (UTF-8 with BOM, so Excel opens Cyrillic correctly).
pub fn write_csv(path: &Path, sample: &Sample, lang: Lang) -> std::io::Result<()> {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut bytes);
        w.write_record(COLUMNS)?;
        for s in &sample.selected {
            w.write_record(row(s, lang))?;
        }
        w.flush()?;
    }
    std::fs::write(path, bytes)
}

/// Writes `sample.xlsx`: the sample, and a sheet with the parameters that
/// reproduce it.
pub fn write_xlsx(
    path: &Path,
    sample: &Sample,
    cfg: &SampleConfig,
    pool_label: &str,
    lang: Lang,
) -> Result<(), XlsxError> {
    let w = SampleWords::for_lang(lang);
    let mut wb = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border(FormatBorder::Thin);
    let mut sh = Sheet::fixed(Worksheet::new(), w.sh_sample, Clip::Ellipsis)?;
    let widths = [
        13.0, 10.0, 22.0, 10.0, 11.0, 26.0, 11.0, 16.0, 60.0, 10.0, 40.0, 6.0,
    ];
    for (i, (h, w)) in COLUMNS.iter().zip(widths).enumerate() {
        sh.text(0, i as u16, h, &header)?;
        sh.ws.set_column_width(i as u16, w)?;
    }
    for (r, s) in sample.selected.iter().enumerate() {
        for (i, v) in row(s, lang).iter().enumerate() {
            let r = r as u32 + 1;
            match (i, v.parse::<f64>()) {
                (9 | 11, Ok(n)) => {
                    sh.ws.write_number(r, i as u16, n)?;
                }
                _ => sh.plain(r, i as u16, v)?,
            };
        }
    }
    sh.ws.set_freeze_panes(1, 1)?;
    if !sample.selected.is_empty() {
        sh.ws
            .autofilter(0, 0, sample.selected.len() as u32, COLUMNS.len() as u16 - 1)?;
    }
    wb.push_worksheet(sh.into_worksheet()?);
    let mut ps = Sheet::fixed(Worksheet::new(), w.sh_parameters, Clip::Ellipsis)?;
    ps.ws.set_column_width(0, 34)?;
    ps.ws.set_column_width(1, 60)?;
    let rules = &cfg.rules;
    let quotas: Vec<String> = cfg
        .per_channel
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let lines: Vec<(&str, String)> = vec![
        (w.k_pool, pool_label.to_string()),
        ("seed", cfg.seed.to_string()),
        (w.k_period, format!("{:?}", cfg.period).to_lowercase()),
        (w.k_per, cfg.per.to_string()),
        (w.k_quotas, quotas.join(", ")),
        (w.k_complaints, rules.complaint_categories.join(", ")),
        (
            w.k_long,
            rules
                .long_over_s
                .map(|x| format!("> {x}"))
                .unwrap_or_default(),
        ),
        (
            w.k_low_csat,
            rules
                .low_csat_max
                .map(|x| format!("≤ {x}"))
                .unwrap_or_default(),
        ),
        (
            w.k_flagged,
            match rules.action {
                super::FlaggedAction::Ignore => w.flagged_ignored.into(),
                super::FlaggedAction::Include => w.flagged_included.into(),
                super::FlaggedAction::Weight(k) => format!("{} ×{k}", w.weight),
            },
        ),
        (w.k_pool_contacts, sample.pool.to_string()),
        (w.k_excluded, sample.excluded.to_string()),
        (w.k_strata, sample.strata.to_string()),
        (w.k_short_strata, sample.short_strata.to_string()),
        (w.k_undated, sample.undated.to_string()),
        (w.k_selected, sample.selected.len().to_string()),
    ];
    for (i, (k, v)) in lines.iter().enumerate() {
        ps.text(i as u32, 0, k, &Format::new().set_bold())?;
        ps.plain(i as u32, 1, v)?;
    }
    wb.push_worksheet(ps.into_worksheet()?);
    Ok(save_atomically(&mut wb, path)?)
}

/// Copies each sampled transcript into `dir` as `<contact id>.json` (a
/// `.jsonl` line becomes a file of its own). Returns the problems, one per
/// contact that could not be copied.
pub fn copy_transcripts(dir: &Path, sample: &Sample) -> std::io::Result<Vec<String>> {
    std::fs::create_dir_all(dir)?;
    let mut problems = Vec::new();
    let mut used = std::collections::HashSet::new();
    for s in &sample.selected {
        let c = &s.contact;
        let Some(src) = &c.source else {
            problems.push(format!(
                "{}: the pool gives no transcript path (registry without a `source` column)",
                c.contact_id
            ));
            continue;
        };
        let mut stem = safe_file_stem(&c.contact_id);
        while !used.insert(stem.to_lowercase()) {
            stem.push('_');
        }
        let target: PathBuf = dir.join(format!("{stem}.json"));
        let res = match c.line {
            None => std::fs::copy(src, &target).map(|_| ()),
            Some(n) => std::fs::read(src).and_then(|b| {
                let line = b
                    .split(|&x| x == b'\n')
                    .nth(n as usize - 1)
                    .unwrap_or_default();
                std::fs::write(&target, line)
            }),
        };
        if let Err(e) = res {
            problems.push(format!(
                "{}: cannot copy {}: {e}",
                c.contact_id,
                src.display()
            ));
        }
    }
    Ok(problems)
}
