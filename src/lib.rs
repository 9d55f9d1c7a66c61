//! cqa — contact-centre quality monitoring.
//!
//! Transcripts of calls, chats and e-mails go in; each is checked against a
//! scorecard; every criterion gets a status with the evidence and a sentence a
//! QA controller can verify; contacts and agents are scored; results stream to
//! `results.jsonl` and Excel workbooks. The modules are the stages of that flow
//! (docs/design.md):
//!
//! ```text
//!   input ──► check ──► score ──► output        run drives them for `cqa check`;
//!     contacts   rules     contacts   results.jsonl  qa is the controllers' side
//!     scorecards judge     agents     workbooks      (sampling, forms, evaluations,
//!                                                     calibration)
//! ```
//!
//! Dependencies run one way, and the `layout` module of the integration tests
//! (tests/layout.rs, in the `tests` binary) reads every
//! `use crate::` line against this table:
//!
//! | module     | may use                                                        |
//! |------------|----------------------------------------------------------------|
//! | `sys`      | nothing                                                        |
//! | `words`, `stats` | `sys`                                                    |
//! | `text`     | `sys`, `words`                                                 |
//! | `input`    | the foundations (`sys`, `words`, `text`, `stats`)              |
//! | `results`  | `input`, foundations (the verdicts every later stage reads)    |
//! | `check`    | `input`, `results`, foundations — never `score`                |
//! | `score`    | `input`, `results`, foundations                                |
//! | `output`   | `input`, `results`, `score`, foundations — never `run`, `check` |
//! | `run`      | `input`, `check`, `score`, `output`, `results`, foundations     |
//! | `qa`       | `run`, `output`, `score`, `input`, `results`, foundations       |
//! | `generate` | `input`, foundations; nothing in production uses it            |
//!
//! The binary's `cmd` (one file per subcommand) sits on top and may use all of
//! them; docs/design.md says where each contract lives.

pub mod check;
pub mod generate;
pub mod input;
pub mod output;
pub mod qa;
pub mod results;
pub mod run;
pub mod score;
pub mod stats;
pub mod sys;
pub mod text;
pub mod words;
