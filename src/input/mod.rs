//! Stage 1: what comes in — contacts in every supported format, and scorecards.

pub mod contact;
mod range;
pub mod scorecard;

pub use range::{LineRange, RANGE_BYTES};
