//! The controllers' side: sampling contacts, forms, their evaluations, and calibration.

pub mod calibration;
pub mod evaluation;
pub mod sampling;
