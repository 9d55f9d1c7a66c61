//! The contract between the run and what it writes: results in input order,
//! rejections with their reasons, and progress.

use crate::results::{ContactResult, Rejection};

/// Where results go; the CLI writes files, tests collect in memory.
pub trait Sink: Send {
    /// One scored contact and its `results.jsonl` line (newline included).
    fn result(&mut self, r: &ContactResult, line: &[u8]) -> std::io::Result<()>;
    fn rejection(&mut self, r: &Rejection) -> std::io::Result<()>;
    /// Called after each batch with the number of contacts handled so far.
    fn progress(&mut self, _done: u64) {}
}
