//! Every word of the controllers' side (`qa`): the sample, the evaluation
//! forms and their answers, the calibration workbook. One table per area,
//! Russian and English side by side, so that a translation is reviewed in
//! one place and both languages always have the same words.

mod calibration;
mod evaluation;
mod sampling;

pub(crate) use calibration::CalibrationWords;
pub(crate) use evaluation::EvaluationWords;
pub(crate) use sampling::SampleWords;
