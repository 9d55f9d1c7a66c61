//! cqa — contact-centre quality monitoring.
//!
//! Transcripts of calls, chats and e-mails go in; each is checked against a
//! scorecard whose rules are compiled once ([`engine`]); every criterion gets a
//! status with the evidence and a sentence a QA controller can verify; contacts
//! and agents are scored ([`scoring`]); results stream to `results.jsonl` and
//! Excel workbooks ([`report`]).
//!
//! Dependencies run one way: [`contact`], [`scorecard`] and [`text`] stand
//! alone; [`engine`] uses them; [`results`] holds what the engine produces;
//! [`scoring`] and [`report`] read results, never the engine's insides.

pub(crate) mod bytescan;
pub mod calibration;
pub mod contact;
pub mod engine;
pub mod evaluation;
pub mod exit;
pub mod generate;
pub mod guard;
pub(crate) mod hash;
pub mod interrupt;
pub mod judge;
pub mod lang;
pub mod pipeline;
pub mod report;
pub mod results;
pub mod sampling;
pub mod say;
pub mod scorecard;
pub mod scoring;
pub mod stats;
pub mod text;
