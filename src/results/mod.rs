//! The verdicts: what a check produces, in the shape of the `results.jsonl`
//! contract (docs/results.md). Every later stage (scoring, the workbooks,
//! calibration, `cqa report`) reads these types, never the check's
//! internals; how they are written and read back is `output::results`.

use crate::input::contact::Speaker;
use crate::input::scorecard::Severity;
use serde::{Deserialize, Serialize};

/// The verdict on one criterion for one contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    /// Not applicable: the rule's precondition or data is absent. Leaves the score's sums.
    Na,
    /// A manual criterion no controller has answered yet.
    Pending,
    /// The language model could not decide with evidence (no quote, low
    /// confidence, no model, an error): a person decides. Counts like `pending`.
    Review,
}

impl Status {
    pub fn id(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Na => "na",
            Status::Pending => "pending",
            Status::Review => "review",
        }
    }
    /// The status as a controller reads it (src/words/results.rs).
    pub fn label(self, lang: crate::words::Lang) -> &'static str {
        let w = crate::words::results::ResultsWords::for_lang(lang);
        match self {
            Status::Pass => w.pass,
            Status::Fail => w.fail,
            Status::Na => w.na,
            Status::Pending => w.pending,
            Status::Review => w.review,
        }
    }
    /// Left out of the score until a person answers: `pending` and `review`.
    pub fn awaits_person(self) -> bool {
        matches!(self, Status::Pending | Status::Review)
    }
}

/// Where a verdict comes from in the transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Index into the contact's `turns`.
    pub turn: usize,
    pub speaker: Speaker,
    #[serde(default)]
    pub start: Option<f64>,
    /// The quoted words, personal data masked unless the run says otherwise.
    #[serde(default)]
    pub quote: String,
}

/// A criterion's or section's id: short, and the same in every result of a
/// scorecard, so kept inline (up to 24 bytes) rather than allocated again for
/// each of a contact's criteria (two of every five allocations of a check).
pub type Id = compact_str::CompactString;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionResult {
    pub id: Id,
    pub section: Id,
    pub status: Status,
    pub severity: Severity,
    #[serde(default)]
    pub weight: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub penalty: Option<f64>,
    pub auto_fail: bool,
    /// One sentence a controller can check against the transcript. Empty
    /// when read back from a lean results file (`--detail failures`), which
    /// leaves it out of `pass` criteria.
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    // --- Set only when a controller's evaluation was applied (`cqa check --evaluations`). ---
    /// The automatic verdict of an automatic criterion a controller answered
    /// (changed or confirmed), so reports can show both and who changed what.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_status: Option<Status>,
    /// The automatic reason that went with `auto_status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_reason: Option<String>,
    /// Who decided this status (several names when controllers agreed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluator: Option<String>,
    /// The controller's comment, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// Failed criteria per COPC class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorCounts {
    pub customer_critical: u32,
    pub business_critical: u32,
    pub compliance_critical: u32,
    pub non_critical: u32,
}

impl ErrorCounts {
    pub fn get(&self, s: Severity) -> u32 {
        match s {
            Severity::CustomerCritical => self.customer_critical,
            Severity::BusinessCritical => self.business_critical,
            Severity::ComplianceCritical => self.compliance_critical,
            Severity::NonCritical => self.non_critical,
        }
    }
    pub fn add(&mut self, s: Severity) {
        match s {
            Severity::CustomerCritical => self.customer_critical += 1,
            Severity::BusinessCritical => self.business_critical += 1,
            Severity::ComplianceCritical => self.compliance_critical += 1,
            Severity::NonCritical => self.non_critical += 1,
        }
    }
}

/// The name to show for an agent: the name when known, else the id.
pub fn agent_label<'a>(name: Option<&'a str>, id: &'a str) -> &'a str {
    name.filter(|s| !s.is_empty()).unwrap_or(id)
}

/// One line of `results.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactResult {
    pub contact_id: String,
    pub source: String,
    /// Line in a multi-contact file (1-based); absent for one-contact files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Set only by a `--shard` run that read part of a large `.jsonl` file
    /// (a byte range): the byte where that range starts, `line` then
    /// counting from the range's first line. Lines before the range were not
    /// read, so only `cqa report`, with every shard's run.json, knows the
    /// file's line; it puts that in `line` and drops this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range_start: Option<u64>,
    pub agent_id: String,
    #[serde(default)]
    pub agent_name: Option<String>,
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub queue: Option<String>,
    #[serde(default)]
    pub started_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_s: Option<f64>,
    pub scorecard_id: String,
    pub scorecard_version: String,
    /// Null when no criterion applies.
    pub score: Option<f64>,
    /// Some manual criteria still await a controller.
    pub partial: bool,
    pub auto_failed: bool,
    pub errors: ErrorCounts,
    pub criteria: Vec<CriterionResult>,
}

impl ContactResult {
    /// The name to show for the agent: the name when known, else the id.
    pub fn agent_label(&self) -> &str {
        agent_label(self.agent_name.as_deref(), &self.agent_id)
    }
}

/// One line of `rejected.jsonl`: an input that could not be scored, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rejection {
    pub source: String,
    pub line: Option<u64>,
    pub reason: String,
}

impl Rejection {
    /// Masks personal data in what the rejection quotes from its input (an
    /// unknown speaker, the columns found, a value serde could not read)
    /// and in the file name: rejected.jsonl, the workbook and the terminal
    /// show it.
    pub fn mask(&mut self) {
        use crate::text::pii::mask_all;
        if let std::borrow::Cow::Owned(s) = mask_all(&self.source) {
            self.source = s;
        }
        if let std::borrow::Cow::Owned(s) = mask_all(&self.reason) {
            self.reason = s;
        }
    }
}
