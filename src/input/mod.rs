//! Stage 1: what comes in — contacts in every supported format, and scorecards.

pub mod contact;
pub mod scorecard;
