//! `run.json`: what a run was — its inputs, counts, scorecards (with content
//! hashes and criterion texts) and options — so that `cqa report` can rebuild
//! the workbooks from results alone, and an auditor can tell which scorecard
//! version produced a score.

use crate::input::scorecard::{Scorecard, Severity, Targets};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const MANIFEST: &str = "run.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionInfo {
    pub id: String,
    pub section: String,
    pub section_title: String,
    pub title: String,
    /// How a failure reads, when the scorecard says (`fail_title`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_title: Option<String>,
    pub severity: Severity,
    #[serde(default)]
    pub weight: Option<f64>,
    #[serde(default)]
    pub penalty: Option<f64>,
    #[serde(default)]
    pub auto_fail: bool,
    #[serde(default)]
    pub manual: bool,
    /// Decided by a language model (a `judge` rule).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub judge: bool,
    #[serde(default)]
    pub recommendation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorecardInfo {
    pub id: String,
    pub version: String,
    pub title: String,
    /// SHA-256 of the scorecard file as read.
    pub sha256: String,
    pub path: String,
    #[serde(default)]
    pub targets: Targets,
    pub criteria: Vec<CriterionInfo>,
}

impl ScorecardInfo {
    pub fn new(card: &Scorecard, path: &str, bytes: &[u8]) -> Self {
        let hash = Sha256::digest(bytes);
        ScorecardInfo {
            id: card.id.clone(),
            version: card.version.clone(),
            title: card.title.clone(),
            sha256: hash.iter().map(|b| format!("{b:02x}")).collect(),
            path: path.to_string(),
            targets: card.targets,
            criteria: card
                .criteria()
                .map(|(s, c)| CriterionInfo {
                    id: c.id.clone(),
                    section: s.id.clone(),
                    section_title: s.title.clone(),
                    title: c.title.clone(),
                    fail_title: c.fail_title.clone(),
                    severity: c.severity,
                    weight: c.weight,
                    penalty: c.penalty,
                    auto_fail: c.auto_fail,
                    manual: c.is_manual(),
                    judge: c.uses_judge(),
                    recommendation: c.recommendation.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SkippedInfo {
    pub path: String,
    pub reason: String,
    /// Documentation expected beside contacts (README.md): listed, not warned about.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub documentation: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub cqa_version: String,
    pub started_at: String,
    pub finished_at: String,
    pub inputs: Vec<String>,
    pub discovered: u64,
    pub processed: u64,
    pub rejected: u64,
    #[serde(default)]
    pub other_shards: u64,
    #[serde(default)]
    pub shard: Option<String>,
    #[serde(default)]
    pub skipped: Vec<SkippedInfo>,
    pub masked: bool,
    pub lang: crate::words::Lang,
    pub scorecards: Vec<ScorecardInfo>,
    #[serde(default)]
    pub bytes_read: u64,
    #[serde(default)]
    pub seconds: f64,
}

impl Manifest {
    pub fn criterion(&self, scorecard: &str, id: &str) -> Option<&CriterionInfo> {
        self.scorecards
            .iter()
            .filter(|s| s.id == scorecard)
            .flat_map(|s| &s.criteria)
            .find(|c| c.id == id)
    }
}
