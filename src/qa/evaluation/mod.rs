//! Controllers' evaluations: the blank forms they fill ([`form`]), reading
//! filled forms and flat tables back ([`read`]), and merging the answers into
//! check results ([`apply`]).
//!
//! Answers are read from the header row, never from fixed positions, so the
//! same reader takes `cqa forms` workbooks, flat tables exported from other
//! QA tools, and hand-made csv files.

pub mod answer;
pub mod apply;
pub mod form;
pub mod read;
pub mod table;

pub use answer::Answer;
pub use apply::{Applier, ApplySummary, Disagreement};
pub use read::{
    read_evaluations, Answered, BadRow, EvaluationError, Evaluations, Location, Missing,
};
