//! One file per subcommand; each owns its arguments and usage text.

mod calibrate;
mod check;
mod explain;
mod forms;
mod gen;
mod judge;
mod reading;
mod report;
mod sample;
mod sample_size;
mod schema;
mod scorecards;
mod threads;
mod validate;

use anyhow::anyhow;
use clap::{Parser, Subcommand};
use cqa::output::run_dir::RunDir;
use cqa::sys::exit::Exit;
use cqa::words::cli::cli;
use cqa::words::Lang;
use std::path::PathBuf;

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

impl Cli {
    /// The language the command was asked to speak (`--lang`), for the error
    /// that may end it; commands without the option speak Russian.
    pub fn lang(&self) -> Lang {
        match &self.command {
            Command::Check(a) => a.lang,
            Command::Validate(a) => a.lang,
            Command::Explain(a) => a.lang,
            Command::Sample(a) => a.lang,
            Command::SampleSize(a) => a.lang,
            Command::Forms(a) => a.lang,
            Command::Calibrate(a) => a.lang,
            Command::Report(a) => a.lang.unwrap_or_default(),
            Command::Schema(_) | Command::Gen(_) => Lang::default(),
        }
    }
}

/// The exit codes, under every command's options (`cqa <command> --help`).
const EXIT_HELP: &str = cqa::sys::exit::HELP;

impl Cli {
    /// Parses the command line with the exit codes under every command's
    /// help, after the command's own notes (its Russian terms): a
    /// `#[command(after_help)]` on the subcommand would replace those.
    pub fn parse_with_exit_help() -> Self {
        use clap::{CommandFactory, FromArgMatches};
        let mut command = Self::command();
        let names: Vec<String> = command
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        for name in names {
            command = command.mut_subcommand(name, |c| {
                let help = match c.get_after_help() {
                    Some(own) => format!("{own}\n\n{EXIT_HELP}"),
                    None => EXIT_HELP.to_string(),
                };
                c.after_help(help)
            });
        }
        let matches = command.get_matches();
        Self::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
    }
}

/// An error with the exit code it deserves ([`Exit`]): usage and scorecard
/// errors, output that cannot be written, nothing to work on, a signal.
pub struct Failure {
    pub code: i32,
    pub error: anyhow::Error,
}

impl Failure {
    pub fn new(exit: Exit, e: impl Into<anyhow::Error>) -> Self {
        Failure {
            code: exit.code(),
            error: e.into(),
        }
    }
    pub fn usage(e: impl Into<anyhow::Error>) -> Self {
        Failure::new(Exit::Usage, e)
    }
    pub fn output(e: impl Into<anyhow::Error>) -> Self {
        Failure::new(Exit::Output, e)
    }
    /// The command had nothing to work on (exit 3); `e` says why in one line.
    pub fn nothing(e: impl Into<anyhow::Error>) -> Self {
        Failure::new(Exit::Nothing, e)
    }
}

/// An I/O error on the output folder, with `context`: another run writing
/// into it is a usage error (exit 2, "an --out folder in use"), anything else
/// a failure to write (exit 1).
pub fn io_failure(e: std::io::Error, context: String) -> Failure {
    let busy = e.kind() == std::io::ErrorKind::ResourceBusy;
    let e = anyhow::Error::new(e).context(context);
    if busy {
        Failure::usage(e)
    } else {
        Failure::output(e)
    }
}

/// Every path named on the command line must exist: a typo is a usage error
/// (exit 2) before any work starts, not a run of nothing. `what` names the
/// option («--contacts»), or is empty for positional inputs.
pub fn require_paths(paths: &[PathBuf], what: &str, lang: Lang) -> Result<(), Failure> {
    for p in paths {
        // symlink_metadata: a dangling link is there (discovery reports it).
        if std::fs::symlink_metadata(p).is_err() {
            let opt = if what.is_empty() {
                String::new()
            } else {
                format!("{what} ")
            };
            return Err(Failure::usage(anyhow::anyhow!(
                "{opt}{}: {}",
                p.display(),
                cli(lang).no_such_path
            )));
        }
    }
    Ok(())
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

/// After Ctrl-C or SIGTERM (`cqa::sys::interrupt`): the run is abandoned
/// (nothing half-written stays in its folder) and ends with 130 or 143.
pub fn stop_if_signalled(run: RunDir, lang: Lang) -> Result<RunDir, Failure> {
    let Some(sig) = cqa::sys::interrupt::received() else {
        return Ok(run);
    };
    let dir = run.dir().display().to_string();
    run.abandon();
    Err(Failure::new(
        Exit::for_signal(sig),
        anyhow!(
            "{} {sig}; {dir}: {}",
            cli(lang).stopped_by_signal,
            cli(lang).nothing_kept
        ),
    ))
}
