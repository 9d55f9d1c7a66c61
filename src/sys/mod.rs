//! The process around the checks: exit codes, signals, limits on hostile input, hashing and byte scans.

pub(crate) mod bytescan;
pub mod exit;
pub mod guard;
pub(crate) mod hash;
pub mod interrupt;
