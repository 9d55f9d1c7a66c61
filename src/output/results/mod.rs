//! The `results.jsonl` and `rejected.jsonl` contracts (docs/results.md):
//! each line encoded by hand (`encode.rs`), written as results arrive, in
//! input order, streamed out of the page cache ([`write`],
//! `streaming_file.rs`), and read back for `cqa report`, `--previous`,
//! `cqa calibrate` and the workbooks ([`read`]).
//!
//! The types the lines hold are the verdicts of [`crate::results`]; this is
//! only how they go to disk and come back.

mod encode;
pub mod read;
mod streaming_file;
pub mod write;

pub use encode::line;

pub const RESULTS: &str = "results.jsonl";
pub const REJECTED: &str = "rejected.jsonl";
/// Where a controller's answer differs from the automatic check (`--evaluations`).
pub const DISAGREEMENTS: &str = "disagreements.jsonl";
/// Controllers' answers that could not be applied, each with its reason.
pub const EVALUATION_ERRORS: &str = "evaluation_errors.jsonl";

/// How much of each criterion `results.jsonl` carries (`cqa check --detail`).
///
/// Every reason and quote of every criterion made results three times the
/// size of the contacts they describe (11.5 KB a generated contact), and
/// writing them cost more than reading the input. Most criteria pass, and a
/// pass is rarely read: by default a `pass` keeps only the turns its evidence
/// is in, and everything else keeps its reason and quotes. `cqa explain`
/// gives any contact's full reasons again; docs/results.md shows both forms.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Detail {
    /// `pass` criteria carry `"turns":[…]` instead of a reason and evidence.
    #[default]
    Failures,
    /// Every criterion carries its reason and evidence with quotes.
    Full,
}

impl Detail {
    pub fn id(self) -> &'static str {
        match self {
            Detail::Failures => "failures",
            Detail::Full => "full",
        }
    }
}

impl std::str::FromStr for Detail {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "failures" => Ok(Detail::Failures),
            "full" => Ok(Detail::Full),
            _ => Err(format!("expected `failures` or `full`, got `{s}`")),
        }
    }
}
