//! Scorecard types. Their serde shape *is* the file format of docs/scorecard.md; the
//! hand-written parser in `parse.rs` accepts exactly this shape but reports
//! every problem at once, with paths.

use crate::words::reasons::ReasonWords;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// COPC error classes. The four ids are fixed because accuracies are computed per class.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Harms the customer: wrong information, issue unresolved, rudeness.
    CustomerCritical,
    /// Harms the organisation: lost sale, wrong tariff, missed escalation.
    BusinessCritical,
    /// Breaks law or regulator rules: disclosure before identity check, CVV requested.
    ComplianceCritical,
    /// A deviation from the service standard with no such harm.
    NonCritical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::CustomerCritical,
        Severity::BusinessCritical,
        Severity::ComplianceCritical,
        Severity::NonCritical,
    ];
    pub const CRITICAL: [Severity; 3] = [
        Severity::CustomerCritical,
        Severity::BusinessCritical,
        Severity::ComplianceCritical,
    ];
    pub fn id(self) -> &'static str {
        match self {
            Severity::CustomerCritical => "customer_critical",
            Severity::BusinessCritical => "business_critical",
            Severity::ComplianceCritical => "compliance_critical",
            Severity::NonCritical => "non_critical",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.id() == s)
    }
    pub fn index(self) -> usize {
        self as usize
    }
    /// A label for people, in the report language.
    pub fn label(self, lang: crate::words::Lang) -> &'static str {
        let w = ReasonWords::for_lang(lang);
        match self {
            Severity::CustomerCritical => w.customer_critical,
            Severity::BusinessCritical => w.business_critical,
            Severity::ComplianceCritical => w.compliance_critical,
            Severity::NonCritical => w.non_critical,
        }
    }
}

/// Whose turns a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerSel {
    Agent,
    Customer,
    Bot,
    #[default]
    Any,
}

impl SpeakerSel {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "agent" => Some(Self::Agent),
            "customer" => Some(Self::Customer),
            "bot" => Some(Self::Bot),
            "any" => Some(Self::Any),
            _ => None,
        }
    }
    pub fn is_any(&self) -> bool {
        *self == SpeakerSel::Any
    }
}

/// Which part of the contact a text rule looks at. Turn counts are turns of the rule's speaker.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Window {
    FirstTurns(usize),
    LastTurns(usize),
    FirstSeconds(f64),
    LastSeconds(f64),
}

/// Whether the listed wording must occur or must not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Must {
    #[default]
    Present,
    Absent,
}

impl Must {
    pub fn is_present(&self) -> bool {
        *self == Must::Present
    }
}

/// `any`: one of the phrases suffices; `all`: every one must occur somewhere.
/// A view over the `any` / `all` (/ `pattern`) fields of text rules.
#[derive(Debug, Clone, PartialEq)]
pub enum Alternatives {
    Any(Vec<String>),
    All(Vec<String>),
}

impl Alternatives {
    pub fn items(&self) -> &[String] {
        match self {
            Alternatives::Any(v) | Alternatives::All(v) => v,
        }
    }
    pub fn is_all(&self) -> bool {
        matches!(self, Alternatives::All(_))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TextScope {
    #[serde(default, skip_serializing_if = "SpeakerSel::is_any")]
    pub speaker: SpeakerSel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<Window>,
    #[serde(default, skip_serializing_if = "Must::is_present")]
    pub must: Must,
}

/// Phrases matched on normalised text, whole words only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PhraseRule {
    #[serde(flatten)]
    pub scope: TextScope,
    /// Passes when at least one of these occurs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<String>>,
    /// Passes when every one of these occurs somewhere in the window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<Vec<String>>,
    /// Character edits tolerated per word (words of 5+ letters) for speech-recognition errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fuzzy: Option<u8>,
    /// `stem` (default) matches other forms of the words; `exact` only the forms given.
    #[serde(rename = "match", default, skip_serializing_if = "Option::is_none")]
    pub match_mode: Option<MatchMode>,
    /// Up to this many other words may stand between the words of a phrase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub near: Option<u32>,
    /// A match does not count when one of these words comes just before it
    /// («не могу помочь» is not «могу помочь»).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unless_preceded_by: Option<Vec<String>>,
    /// How many words before a match `unless_preceded_by` looks at (default 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unless_window: Option<u32>,
}

/// How phrase words are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MatchMode {
    /// Only the word forms written in the phrase.
    Exact,
    /// Any form with the same Snowball stem (Russian and English).
    Stem,
}

/// Regular expressions on the original turn text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RegexRule {
    #[serde(flatten)]
    pub scope: TextScope,
    /// One regular expression (the same as `any` with one item).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub case_sensitive: bool,
    /// What the pattern looks for, in words («представился по имени»):
    /// reasons quote it instead of the regex source, which no agent can
    /// read (without a label, the criterion's title). `cqa explain
    /// --verbose` still shows the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

fn alternatives(
    single: Option<&String>,
    any: Option<&Vec<String>>,
    all: Option<&Vec<String>>,
) -> Alternatives {
    match (all, any, single) {
        (Some(v), _, _) => Alternatives::All(v.clone()),
        (None, Some(v), _) => Alternatives::Any(v.clone()),
        (None, None, Some(p)) => Alternatives::Any(vec![p.clone()]),
        (None, None, None) => Alternatives::Any(Vec::new()),
    }
}

impl PhraseRule {
    pub fn phrases(&self) -> Alternatives {
        alternatives(None, self.any.as_ref(), self.all.as_ref())
    }
}

impl RegexRule {
    pub fn patterns(&self) -> Alternatives {
        alternatives(self.pattern.as_ref(), self.any.as_ref(), self.all.as_ref())
    }
}

/// What a `timing` rule measures (docs/scorecard.md gives each definition).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    MaxSilenceS,
    MaxHoldS,
    HoldCount,
    FirstResponseS,
    MaxResponseGapS,
    AgentTalkShare,
    Interruptions,
    DurationS,
}

impl Measure {
    pub const ALL: [Measure; 8] = [
        Measure::MaxSilenceS,
        Measure::MaxHoldS,
        Measure::HoldCount,
        Measure::FirstResponseS,
        Measure::MaxResponseGapS,
        Measure::AgentTalkShare,
        Measure::Interruptions,
        Measure::DurationS,
    ];
    pub fn id(self) -> &'static str {
        match self {
            Measure::MaxSilenceS => "max_silence_s",
            Measure::MaxHoldS => "max_hold_s",
            Measure::HoldCount => "hold_count",
            Measure::FirstResponseS => "first_response_s",
            Measure::MaxResponseGapS => "max_response_gap_s",
            Measure::AgentTalkShare => "agent_talk_share",
            Measure::Interruptions => "interruptions",
            Measure::DurationS => "duration_s",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.id() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TimingRule {
    pub measure: Measure,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// Tests on a contact field; every test given must hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MetadataRule {
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eq: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ne: Option<Value>,
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub in_: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gte: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lte: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exists: Option<bool>,
}

/// A rule: how a criterion is decided (docs/scorecard.md, "Rules").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Rule {
    Phrase(PhraseRule),
    Regex(RegexRule),
    /// `then` must not come before the first `first` (e.g. balance before identity check).
    Order {
        first: Box<Rule>,
        then: Box<Rule>,
    },
    /// `then` applies only when `when` would pass.
    If {
        when: Box<Rule>,
        then: Box<Rule>,
    },
    Timing(TimingRule),
    Metadata(MetadataRule),
    All {
        rules: Vec<Rule>,
    },
    Any {
        rules: Vec<Rule>,
    },
    Not {
        rule: Box<Rule>,
    },
    /// Decided by a controller in an evaluation form.
    Manual {},
    /// Fails when the speaker's turns contain personal data of these kinds
    /// (e.g. the agent read a full card number aloud).
    Pii(PiiRule),
    /// Decided by a language model that must quote the transcript (check/judge).
    Judge(JudgeRule),
}

/// A model's answer to a judge question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum JudgeAnswer {
    Yes,
    No,
    /// The question does not apply to this contact (`na_when`).
    Na,
}

impl JudgeAnswer {
    pub fn id(self) -> &'static str {
        match self {
            JudgeAnswer::Yes => "yes",
            JudgeAnswer::No => "no",
            JudgeAnswer::Na => "na",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "yes" => Some(JudgeAnswer::Yes),
            "no" => Some(JudgeAnswer::No),
            "na" | "n/a" => Some(JudgeAnswer::Na),
            _ => None,
        }
    }
    /// In the report language: «да», «нет», «неприменимо».
    pub fn label(self, lang: crate::words::Lang) -> &'static str {
        let w = ReasonWords::for_lang(lang);
        match self {
            JudgeAnswer::Yes => w.answer_yes,
            JudgeAnswer::No => w.answer_no,
            JudgeAnswer::Na => w.answer_na,
        }
    }
}

/// A worked example shown to the model: a short transcript and the right answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct JudgeExample {
    pub transcript: String,
    pub answer: JudgeAnswer,
    /// Why this answer is right: teaches the model the criterion's intent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// A yes/no question a language model answers with a quote from the
/// transcript; a verdict without a verifiable quote becomes `review`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct JudgeRule {
    pub question: String,
    /// Whose turn the quote must come from.
    #[serde(default, skip_serializing_if = "SpeakerSel::is_any")]
    pub speaker: SpeakerSel,
    /// The part of the contact the model sees; turns here are counted over all speakers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<Window>,
    /// When the answer is `na` (e.g. «клиент не обращался с проблемой»).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub na_when: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<JudgeExample>,
    /// Below this probability of the chosen answer the verdict is `review` (default 0.8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_confidence: Option<f64>,
    /// The answer that passes: `yes` (default), or `no` for a question about a violation.
    #[serde(default = "JudgeRule::default_pass_when")]
    pub pass_when: JudgeAnswer,
}

impl JudgeRule {
    pub const DEFAULT_MIN_CONFIDENCE: f64 = 0.8;
    fn default_pass_when() -> JudgeAnswer {
        JudgeAnswer::Yes
    }
}

/// Personal data a `pii` rule looks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PiiRule {
    #[serde(flatten)]
    pub scope: TextScope,
    /// Any of: card, cvv, phone, email, passport, snils, inn.
    pub kinds: Vec<String>,
}

impl Rule {
    /// Whether this rule or one inside it is a `judge` rule.
    pub fn uses_judge(&self) -> bool {
        match self {
            Rule::Judge(_) => true,
            Rule::Order { first, then } | Rule::If { when: first, then } => {
                first.uses_judge() || then.uses_judge()
            }
            Rule::All { rules } | Rule::Any { rules } => rules.iter().any(Rule::uses_judge),
            Rule::Not { rule } => rule.uses_judge(),
            _ => false,
        }
    }
    pub fn type_name(&self) -> &'static str {
        match self {
            Rule::Phrase(_) => "phrase",
            Rule::Regex(_) => "regex",
            Rule::Order { .. } => "order",
            Rule::If { .. } => "if",
            Rule::Timing(_) => "timing",
            Rule::Metadata(_) => "metadata",
            Rule::All { .. } => "all",
            Rule::Any { .. } => "any",
            Rule::Not { .. } => "not",
            Rule::Manual {} => "manual",
            Rule::Pii(_) => "pii",
            Rule::Judge(_) => "judge",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Criterion {
    pub id: String,
    pub title: String,
    /// How a failure reads ("Не предложил подходящий продукт банка"): the
    /// title says what is expected, and shown as a finding it reads as the
    /// error itself. Without one, findings read "Не выполнено: <title>".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_title: Option<String>,
    /// Share of the score in `weighted` scoring (> 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Points subtracted on failure in `deduction` scoring (> 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub penalty: Option<f64>,
    pub severity: Severity,
    /// A failure zeroes the contact (or its section, per `scoring.auto_fail`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub auto_fail: bool,
    pub rule: Rule,
    /// What the agent should do next time; goes into the agent's feedback workbook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<String>,
}

impl Criterion {
    pub fn is_manual(&self) -> bool {
        matches!(self.rule, Rule::Manual {})
    }
    /// Whether a language model decides this criterion (a `judge` rule anywhere in it).
    pub fn uses_judge(&self) -> bool {
        self.rule.uses_judge()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    #[default]
    Weighted,
    Deduction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AutoFailMode {
    #[default]
    Contact,
    Section,
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct ScoringConfig {
    #[serde(default)]
    pub method: Method,
    #[serde(default)]
    pub auto_fail: AutoFailMode,
}

/// KPI targets the reports compare against (percent).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Targets {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_critical_accuracy: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_critical_accuracy: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compliance_critical_accuracy: Option<f64>,
}

impl Targets {
    pub fn accuracy(&self, s: Severity) -> Option<f64> {
        match s {
            Severity::CustomerCritical => self.customer_critical_accuracy,
            Severity::BusinessCritical => self.business_critical_accuracy,
            Severity::ComplianceCritical => self.compliance_critical_accuracy,
            Severity::NonCritical => None,
        }
    }
}

/// Which contacts a scorecard is for; empty lists match everything.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct AppliesTo {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queues: Vec<String>,
    /// Contact languages (`ru`, `en`; `en-US` matches `en`); empty: any. A
    /// contact of another language is never scored with this card.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
}

impl AppliesTo {
    /// Channel and queue compare case-insensitively; a contact without the field does not match a non-empty list.
    pub fn matches(&self, channel: Option<&str>, queue: Option<&str>) -> bool {
        let ok = |list: &[String], v: Option<&str>| {
            list.is_empty() || v.is_some_and(|v| list.iter().any(|x| x.eq_ignore_ascii_case(v)))
        };
        ok(&self.channels, channel) && ok(&self.queues, queue)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Scorecard {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub id: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default)]
    pub applies_to: AppliesTo,
    #[serde(default)]
    pub scoring: ScoringConfig,
    #[serde(default)]
    pub targets: Targets,
    /// Default phrase matching for the whole scorecard (`stem` unless set).
    #[serde(rename = "match", default, skip_serializing_if = "Option::is_none")]
    pub match_mode: Option<MatchMode>,
    /// Known speech-recognition errors: what the recogniser writes -> what was said
    /// (`{"кэш бэк": "кэшбэк"}`); phrases also match the misrecognised wording.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub substitutions: std::collections::BTreeMap<String, String>,
    pub sections: Vec<Section>,
}

impl Scorecard {
    /// Every criterion with its section, in scorecard order.
    pub fn criteria(&self) -> impl Iterator<Item = (&Section, &Criterion)> {
        self.sections
            .iter()
            .flat_map(|s| s.criteria.iter().map(move |c| (s, c)))
    }
}
