//! The Excel kit every workbook cqa writes goes through — the run's report
//! (summary, agents, teams) and the controllers' workbooks (sample, forms,
//! calibration):
//!
//! - [`Sheet`]: text cells only ever written as strings (input text never
//!   becomes a formula), cut at Excel's cell limit in UTF-16 units
//!   ([`clip`]), columns fitted or fixed;
//! - [`names`]: sheet and file names Excel and file systems accept, unique
//!   case-insensitively, and quoted references to sheets;
//! - [`drop_down`]: drop-down lists of any length;
//! - [`save`]: a workbook saved under a temporary name and renamed into place.

pub(crate) mod clip;
mod drop_down;
pub(crate) mod names;
pub(crate) mod save;
mod sheet;

pub(crate) use clip::Clip;
pub(crate) use drop_down::drop_down;
/// Safe, unique sheet and file names, for every workbook cqa writes.
pub use names::{file_stem as safe_file_stem, UniqueNames};
pub(crate) use names::{sheet_link, sheet_ref};
pub(crate) use save::{new_workbook, save_atomically, SaveError};
pub(crate) use sheet::{excel_date, Sheet};
