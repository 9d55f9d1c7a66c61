//! Everything cqa writes: `results.jsonl` / `rejected.jsonl`, written and
//! read back ([`results`]), the results of several runs merged for `cqa
//! report` ([`merge`]), the run manifest ([`manifest`]), the run's folder
//! ([`run_dir`]) and the Excel workbooks ([`xlsx`]); the run hands them its
//! results through a [`Sink`].
//!
//! Inside, dependencies run one way: `xlsx` reads `results` back; `merge`
//! and `sink` feed both; neither `results` nor `xlsx` uses `merge` or `sink`.

pub mod manifest;
pub mod merge;
pub mod results;
pub mod run_dir;
mod sink;
pub mod xlsx;

pub use sink::Progress;
pub use sink::{Finished, Sink, Tee};

/// Removes `path` if it is there: clearing an earlier run's files, where a
/// file that was never written is not an error.
pub fn remove_if_present(path: &std::path::Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
