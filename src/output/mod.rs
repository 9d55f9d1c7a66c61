//! Everything cqa writes: `results.jsonl` / `rejected.jsonl` ([`jsonl`]), the
//! run manifest ([`manifest`]), and the Excel workbooks.

pub mod jsonl;
pub mod manifest;
pub mod merge;
pub mod run_dir;
mod sink;
mod stream;
pub mod xlsx;

pub use sink::Sink;

/// Removes `path` if it is there: clearing an earlier run's files, where a
/// file that was never written is not an error.
pub fn remove_if_present(path: &std::path::Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
