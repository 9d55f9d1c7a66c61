//! One file per subcommand; each owns its arguments and usage text.

mod calibrate;
mod check;
mod explain;
mod forms;
mod gen;
mod judge;
mod report;
mod sample;
mod sample_size;
mod schema;
mod scorecards;
mod validate;

use clap::{Parser, Subcommand};

/// cqa — contact-centre quality monitoring: transcripts in, scorecards checked, Excel reports out.
#[derive(Parser, Debug)]
#[command(name = "cqa", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Score contacts against scorecards and write results (the main job).
    Check(check::Args),
    /// Check scorecard files and print every problem with its JSON path.
    Validate(validate::Args),
    /// Show one contact criterion by criterion, with reasons and evidence.
    Explain(explain::Args),
    /// Print the scorecard JSON Schema.
    Schema(schema::Args),
    /// Generate a corpus with planted errors for tests and benchmarks.
    Gen(gen::Args),
    /// Draw a reproducible stratified sample of contacts for monitoring.
    Sample(sample::Args),
    /// Contacts needed per agent for a given margin, or the Wilson interval of a rate.
    SampleSize(sample_size::Args),
    /// Write blank evaluation workbooks for controllers (drop-down answers).
    Forms(forms::Args),
    /// Agreement between controllers (and the automatic checks) on the same contacts.
    Calibrate(calibrate::Args),
    /// Rebuild the Excel workbooks from results.jsonl files (e.g. shards) without re-checking.
    Report(report::Args),
}

/// An error with the exit code it deserves: 2 for usage and scorecard errors,
/// 1 when output cannot be written.
pub struct Failure {
    pub code: i32,
    pub error: anyhow::Error,
}

impl Failure {
    pub fn usage(e: impl Into<anyhow::Error>) -> Self {
        Failure {
            code: 2,
            error: e.into(),
        }
    }
    pub fn output(e: impl Into<anyhow::Error>) -> Self {
        Failure {
            code: 1,
            error: e.into(),
        }
    }
}

pub fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Check(a) => check::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Schema(a) => schema::run(a),
        Command::Gen(a) => gen::run(a),
        Command::Sample(a) => sample::run(a),
        Command::SampleSize(a) => sample_size::run(a),
        Command::Forms(a) => forms::run(a),
        Command::Calibrate(a) => calibrate::run(a),
        Command::Report(a) => report::run(a),
    }
}
