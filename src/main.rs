//! The `cqa` command line: parse, run, print the error chain, exit.

mod cmd;

use clap::Parser;

fn main() {
    let cli = cmd::Cli::parse();
    match cmd::run(cli) {
        Ok(()) => {}
        Err(e) => {
            eprintln!("cqa: error: {}", e.error);
            for cause in e.error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            std::process::exit(e.code);
        }
    }
}
