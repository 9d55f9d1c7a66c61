//! Every word a person reads: the report language and the message catalogue.

pub mod cli;
pub mod cli_qa;
mod clock;
mod lang;
pub(crate) mod qa;
pub(crate) mod reasons;
pub(crate) mod report;
pub(crate) mod results;
pub mod say;

pub use clock::clock;
pub(crate) use clock::{push_clock, push_uint};

pub use lang::*;
