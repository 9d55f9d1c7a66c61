//! Everything cqa writes: `results.jsonl` / `rejected.jsonl` ([`jsonl`]), the
//! run manifest ([`manifest`]), and the Excel workbooks.

pub mod jsonl;
pub mod manifest;
pub mod xlsx;
