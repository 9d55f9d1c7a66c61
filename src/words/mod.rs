//! Every word a person reads: the report language and the message catalogue.

mod lang;
pub mod say;

pub use lang::*;
