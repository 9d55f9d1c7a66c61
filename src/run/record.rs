//! run.json as a type: the [`Manifest`] that `cqa report` reads back, then
//! what a check adds for people and auditors — the detail asked for, the
//! byte ranges a shard read, what was joined (mapping, registry, roster),
//! load warnings, contacts per scorecard, the judge and the conflicts.
//!
//! The field order is the file's key order (serde_json keeps it): a run.json
//! written before this type existed and one written now differ only in their
//! clocks (scripts/same-output.sh).

use super::{LoadWarning, RunCounts, ScorecardSet};
use crate::check::judge::{Judge, JudgeReport, PROMPT_VERSION};
use crate::input::contact::{Conflict, Join};
use crate::input::LineRange;
use crate::output::manifest::Manifest;
use crate::output::results::Detail;
use serde::{Serialize, Serializer};

/// Everything run.json says, in its key order (`files` is added when the
/// run folder is committed: `output::run_dir`).
#[derive(Debug, Clone, Serialize)]
pub struct RunRecord {
    #[serde(flatten)]
    pub manifest: Manifest,
    /// `--detail`: what results.jsonl keeps of each criterion.
    #[serde(serialize_with = "detail_id")]
    pub detail: Detail,
    /// The `.jsonl` byte ranges a `--shard` run read (absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub line_ranges: Vec<LineRange>,
    /// Every byte this process read through read(2) (Linux only), inputs and
    /// scorecards alike: what a shard's share of the reading comes to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub process_read_bytes: Option<u64>,
    /// The `--mapping` file, as given.
    pub mapping: Option<String>,
    pub registry: Option<RegistryUse>,
    pub roster: Option<RosterUse>,
    pub load_warnings_total: u64,
    /// The first load warnings, in input order (all are counted).
    pub load_warnings: Vec<LoadWarning>,
    /// Contacts scored by each scorecard, in the cards' order (a card that
    /// scored none shows 0).
    #[serde(serialize_with = "as_map")]
    pub scored_by_card: Vec<(String, u64)>,
    /// Absent when no scorecard has judge criteria.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judge: Option<JudgeUse>,
    pub conflicts_total: u64,
    /// The registry's and roster's own duplicate keys, then the contacts'
    /// disagreements in input order.
    pub conflicts: Vec<Conflict>,
}

/// The registry a run joined: its file, rows, and contacts that found theirs.
#[derive(Debug, Clone, Serialize)]
pub struct RegistryUse {
    pub path: String,
    pub rows: usize,
    pub contacts_matched: u64,
}

/// The roster a run joined: its file, rows, and whether it won over the
/// contacts' own names and teams (`--roster-wins`).
#[derive(Debug, Clone, Serialize)]
pub struct RosterUse {
    pub path: String,
    pub rows: usize,
    pub wins: bool,
}

/// What run.json says of the language model: its report and
/// `"configured": true`, or only `"configured": false` with the prompt
/// version when the cards have judge criteria but no model was given.
#[derive(Debug, Clone, Serialize)]
pub struct JudgeUse {
    #[serde(flatten)]
    pub report: Option<JudgeReport>,
    pub configured: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt_version: Option<&'static str>,
}

impl JudgeUse {
    /// `None` when no scorecard of `set` has judge criteria and no model was used.
    pub fn of(set: &ScorecardSet, judge: Option<&Judge>) -> Option<JudgeUse> {
        match judge {
            Some(j) => Some(JudgeUse {
                report: Some(j.report()),
                configured: true,
                prompt_version: None,
            }),
            None if set.cards.iter().any(|c| c.uses_judge()) => Some(JudgeUse {
                report: None,
                configured: false,
                prompt_version: Some(PROMPT_VERSION),
            }),
            None => None,
        }
    }
}

impl RegistryUse {
    pub fn of(join: &Join, counts: &RunCounts) -> Option<RegistryUse> {
        join.registry.as_ref().map(|t| RegistryUse {
            path: t.path.clone(),
            rows: t.len,
            contacts_matched: counts.registry_matched,
        })
    }
}

impl RosterUse {
    pub fn of(join: &Join) -> Option<RosterUse> {
        join.roster.as_ref().map(|t| RosterUse {
            path: t.path.clone(),
            rows: t.len,
            wins: join.roster_wins,
        })
    }
}

fn detail_id<S: Serializer>(d: &Detail, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(d.id())
}

fn as_map<S: Serializer>(pairs: &[(String, u64)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(v: &serde_json::Value) -> Vec<&str> {
        v.as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect()
    }

    fn record() -> RunRecord {
        RunRecord {
            manifest: Manifest::default(),
            detail: Detail::Failures,
            line_ranges: Vec::new(),
            process_read_bytes: None,
            mapping: None,
            registry: None,
            roster: None,
            load_warnings_total: 0,
            load_warnings: Vec::new(),
            scored_by_card: vec![("bank-voice-ru".into(), 35), ("chat-ru".into(), 0)],
            judge: None,
            conflicts_total: 0,
            conflicts: Vec::new(),
        }
    }

    #[test]
    fn run_json_keeps_its_key_order_after_the_manifest() {
        let mut r = record();
        r.line_ranges.push(LineRange {
            source: "звонки.jsonl".into(),
            start: 1 << 20,
            lines: 812,
        });
        r.process_read_bytes = Some(266_503);
        let v = serde_json::to_value(&r).unwrap();
        let k = keys(&v);
        let after_manifest = &k[k.iter().position(|k| *k == "seconds").unwrap() + 1..];
        assert_eq!(
            after_manifest,
            [
                "detail",
                "line_ranges",
                "process_read_bytes",
                "mapping",
                "registry",
                "roster",
                "load_warnings_total",
                "load_warnings",
                "scored_by_card",
                "conflicts_total",
                "conflicts"
            ]
        );
        assert_eq!(v["detail"], "failures");
        assert_eq!(v["mapping"], serde_json::Value::Null);
    }

    #[test]
    fn contacts_per_scorecard_are_an_object_in_the_cards_order() {
        let v = serde_json::to_value(record()).unwrap();
        assert_eq!(keys(&v["scored_by_card"]), ["bank-voice-ru", "chat-ru"]);
        assert_eq!(v["scored_by_card"]["bank-voice-ru"], 35);
    }

    #[test]
    fn a_shard_without_byte_ranges_and_a_run_off_linux_leave_those_keys_out() {
        let v = serde_json::to_value(record()).unwrap();
        assert!(v.get("line_ranges").is_none());
        assert!(v.get("process_read_bytes").is_none());
        assert!(v.get("judge").is_none());
    }

    #[test]
    fn judge_criteria_without_a_model_say_not_configured_and_the_prompt_version() {
        let j = JudgeUse {
            report: None,
            configured: false,
            prompt_version: Some(PROMPT_VERSION),
        };
        let v = serde_json::to_value(j).unwrap();
        assert_eq!(keys(&v), ["configured", "prompt_version"]);
        assert_eq!(v["configured"], false);
    }
}
