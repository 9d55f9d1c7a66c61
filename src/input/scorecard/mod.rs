//! The scorecard: what a QA department checks, how much each criterion
//! weighs, and how bad each kind of error is.
//!
//! Scorecards are JSON files written by people, so [`load_scorecard`] reports
//! every problem at once with its JSON path ([`validate`]); the same types
//! derive the published JSON Schema ([`schema`]) so editors complete them.

pub mod limits;
mod locate;
mod model;
mod parse;
pub mod schema;

pub use model::*;
pub use parse::{load_scorecard, parse_scorecard, Issue, ScorecardError};
