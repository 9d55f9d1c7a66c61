//! Drawing the contacts QA controllers monitor (`cqa sample`).
//!
//! A stratified random sample: N contacts per agent × channel × period
//! (day, ISO week or month of `started_at`), where contacts that matter more
//! — complaints, long calls, low CSAT — are either over-weighted or always
//! included, and contacts already evaluated are left out.
//!
//! **Reproducible by construction.** Every contact's random key comes from
//! SplitMix64 seeded with the run's seed and an FNV-1a hash of the contact
//! id alone, and weights are whole numbers, so the key of a weight-w contact
//! is the largest of w integer draws (which has the distribution of u^(1/w),
//! Efraimidis–Spirakis weighted sampling without replacement) — no floating
//! point anywhere in the draw. A stratum takes the N largest keys, ties
//! broken by id. So the same seed and pool give the same sample on any
//! machine, whatever the order of files on disk or the number of threads,
//! and adding contacts to one stratum never changes another's draw.

pub mod exclude;
pub mod pool;
pub mod write;

pub use pool::{pool_from_contacts, pool_from_registry, Pool, PoolContact};

use crate::stats::Rng;
use crate::words::qa::SampleWords;
use crate::words::Lang;
use chrono::Datelike;
use std::collections::{BTreeMap, HashSet};

/// The reporting period a contact falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    /// ISO week, Monday to Sunday (`2026-W45`).
    Week,
    Month,
}

impl std::str::FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "day" => Ok(Period::Day),
            "week" => Ok(Period::Week),
            "month" => Ok(Period::Month),
            _ => Err(format!("unknown period `{s}`: expected day, week or month")),
        }
    }
}

/// The date part of `started_at` as written (the local date of the contact
/// centre, not UTC: a call at 00:30+03:00 on Monday is Monday's call).
/// Takes ISO dates (`2026-11-02T10:15:00+03:00`, `2026-11-02 10:15`) and
/// Russian ones (`02.11.2026 10:15`).
pub fn local_date(started_at: &str) -> Option<chrono::NaiveDate> {
    let s = started_at.trim();
    let day = s.split(['T', ' ']).next()?;
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(day, "%d.%m.%Y"))
        .ok()
}

impl Period {
    /// The period's label for a start time; `None` when the date is unreadable.
    pub fn key(self, started_at: &str) -> Option<String> {
        let d = local_date(started_at)?;
        Some(match self {
            Period::Day => d.format("%Y-%m-%d").to_string(),
            Period::Week => {
                let w = d.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            Period::Month => d.format("%Y-%m").to_string(),
        })
    }
}

/// What to do with contacts a rule flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlaggedAction {
    /// Rules are not applied.
    Ignore,
    /// A flagged contact is this many times as likely to be drawn (2..=1000).
    Weight(u32),
    /// Every flagged contact is taken, on top of the N drawn from the rest.
    Include,
}

impl std::str::FromStr for FlaggedAction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "include" => Ok(FlaggedAction::Include),
            "off" | "ignore" | "1" => Ok(FlaggedAction::Ignore),
            n => match n.parse::<u32>() {
                Ok(w @ 2..=1000) => Ok(FlaggedAction::Weight(w)),
                _ => Err(format!(
                    "`{s}`: expected include, off, or a whole weight from 2 to 1000"
                )),
            },
        }
    }
}

/// The rules that mark a contact as worth monitoring.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    /// `category` values that mean a complaint (compared case-insensitively).
    pub complaint_categories: Vec<String>,
    /// Contacts longer than this many seconds.
    pub long_over_s: Option<f64>,
    /// Contacts with CSAT at or below this.
    pub low_csat_max: Option<f64>,
    pub action: FlaggedAction,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            complaint_categories: vec!["complaint".into()],
            long_over_s: Some(600.0),
            low_csat_max: Some(2.0),
            action: FlaggedAction::Weight(3),
        }
    }
}

/// Why a rule flagged a contact.
#[derive(Debug, Clone, PartialEq)]
pub enum Flag {
    Complaint(String),
    Long { seconds: f64, over: f64 },
    LowCsat { csat: f64, max: f64 },
}

impl Flag {
    pub fn id(&self) -> &'static str {
        match self {
            Flag::Complaint(_) => "complaint",
            Flag::Long { .. } => "long",
            Flag::LowCsat { .. } => "low_csat",
        }
    }
    pub fn describe(&self, lang: Lang) -> String {
        let w = SampleWords::for_lang(lang);
        match self {
            Flag::Complaint(c) => {
                format!("{} (category = {c})", w.complaint)
            }
            Flag::Long { seconds, over } => format!(
                "{} {seconds:.0} {s} > {over:.0} {s}",
                w.duration,
                s = w.seconds
            ),
            Flag::LowCsat { csat, max } => format!("CSAT {csat} ≤ {max}"),
        }
    }
}

impl Rules {
    /// The rules that flag this contact, in a fixed order.
    pub fn flags(&self, c: &PoolContact) -> Vec<Flag> {
        let mut out = Vec::new();
        if self.action == FlaggedAction::Ignore {
            return out;
        }
        if let Some(cat) = &c.category {
            if self
                .complaint_categories
                .iter()
                .any(|x| x.eq_ignore_ascii_case(cat.trim()))
            {
                out.push(Flag::Complaint(cat.trim().to_string()));
            }
        }
        if let (Some(d), Some(over)) = (c.duration_s, self.long_over_s) {
            if d > over {
                out.push(Flag::Long { seconds: d, over });
            }
        }
        if let (Some(csat), Some(max)) = (c.csat, self.low_csat_max) {
            if csat <= max {
                out.push(Flag::LowCsat { csat, max });
            }
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SampleConfig {
    pub seed: u64,
    /// Contacts per agent × channel × period.
    pub per: usize,
    /// Per-channel quotas overriding `per` (channel in lower case).
    pub per_channel: BTreeMap<String, usize>,
    pub period: Period,
    pub rules: Rules,
}

impl SampleConfig {
    fn quota(&self, channel: &str) -> usize {
        self.per_channel
            .get(&channel.to_lowercase())
            .copied()
            .unwrap_or(self.per)
    }
}

/// How a contact got into the sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    Random,
    /// Flagged with `--flagged include`.
    Included,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Selected {
    pub contact: PoolContact,
    /// The period label; empty when `started_at` is missing or unreadable.
    pub period: String,
    pub how: How,
    pub flags: Vec<Flag>,
    /// Contacts in the stratum (after exclusions) and the quota asked.
    pub stratum_size: usize,
    pub quota: usize,
    /// Weight used in the draw (1 unless flagged and over-weighted).
    pub weight: u32,
}

impl Selected {
    /// Why this contact was selected, in words for the manifest.
    pub fn reason(&self, lang: Lang) -> String {
        let w = SampleWords::for_lang(lang);
        let flags: Vec<String> = self.flags.iter().map(|f| f.describe(lang)).collect();
        match self.how {
            How::Included => format!("{}: {}", w.always_included, flags.join("; ")),
            How::Random => {
                let mut s = if self.stratum_size <= self.quota {
                    format!(
                        "{} {} ({} {})",
                        w.all, self.stratum_size, w.quota, self.quota
                    )
                } else {
                    format!(
                        "{}: {} {} {}",
                        w.random_draw, self.quota, w.of, self.stratum_size
                    )
                };
                if !flags.is_empty() {
                    s.push_str(&format!("; {}", flags.join("; ")));
                    if self.weight > 1 {
                        s.push_str(&format!(", {} ×{}", w.weight, self.weight));
                    }
                }
                s
            }
        }
    }
}

/// The sample and the counts a QA lead checks it by.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sample {
    /// Sorted by agent, channel, period, contact id.
    pub selected: Vec<Selected>,
    pub pool: usize,
    pub excluded: usize,
    pub strata: usize,
    /// Strata with fewer contacts than their quota (all were taken).
    pub short_strata: usize,
    /// Contacts without a readable `started_at` (grouped in an empty period).
    pub undated: usize,
}

/// FNV-1a of the contact id: stable across platforms and releases.
fn id_hash(id: &str) -> u64 {
    crate::sys::hash::fnv1a(id.as_bytes())
}

/// A contact's random key: the largest of `weight` draws from its own stream.
fn key(seed: u64, id: &str, weight: u32) -> u64 {
    let mut rng = Rng::new(seed ^ id_hash(id).rotate_left(17));
    (0..weight.max(1))
        .map(|_| rng.next_u64())
        .max()
        .unwrap_or(0)
}

/// Draws the sample; see the module docs for why it is reproducible.
pub fn draw(pool: &[PoolContact], exclude: &HashSet<String>, cfg: &SampleConfig) -> Sample {
    let mut out = Sample {
        pool: pool.len(),
        ..Default::default()
    };
    type Stratum<'a> = Vec<(&'a PoolContact, Vec<Flag>)>;
    let mut strata: BTreeMap<(String, String, String), Stratum> = BTreeMap::new();
    for c in pool {
        if exclude.contains(&c.contact_id) {
            out.excluded += 1;
            continue;
        }
        let period = c
            .started_at
            .as_deref()
            .and_then(|s| cfg.period.key(s))
            .unwrap_or_default();
        out.undated += usize::from(period.is_empty());
        let channel = c.channel.clone().unwrap_or_default();
        strata
            .entry((c.agent_id.clone(), channel, period))
            .or_default()
            .push((c, cfg.rules.flags(c)));
    }
    out.strata = strata.len();
    for ((_, channel, period), members) in strata {
        let quota = cfg.quota(&channel);
        let size = members.len();
        out.short_strata += usize::from(size < quota);
        let (included, mut drawn): (Stratum, Stratum) = members
            .into_iter()
            .partition(|(_, f)| cfg.rules.action == FlaggedAction::Include && !f.is_empty());
        let weight_of = |f: &[Flag]| match cfg.rules.action {
            FlaggedAction::Weight(w) if !f.is_empty() => w,
            _ => 1,
        };
        // Largest key first; ties (astronomically rare) by id.
        drawn.sort_by_cached_key(|(c, f)| {
            (
                std::cmp::Reverse(key(cfg.seed, &c.contact_id, weight_of(f))),
                c.contact_id.clone(),
            )
        });
        let pick = |(c, flags): (&PoolContact, Vec<Flag>), how: How| Selected {
            contact: c.clone(),
            period: period.clone(),
            how,
            weight: if how == How::Random {
                weight_of(&flags)
            } else {
                1
            },
            flags,
            stratum_size: size,
            quota,
        };
        for m in included {
            out.selected.push(pick(m, How::Included));
        }
        for m in drawn.into_iter().take(quota) {
            out.selected.push(pick(m, How::Random));
        }
    }
    out.selected.sort_by(|a, b| {
        (
            &a.contact.agent_id,
            &a.contact.channel,
            &a.period,
            &a.contact.contact_id,
        )
            .cmp(&(
                &b.contact.agent_id,
                &b.contact.channel,
                &b.period,
                &b.contact.contact_id,
            ))
    });
    out
}

#[cfg(test)]
mod tests;
