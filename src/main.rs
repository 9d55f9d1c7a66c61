//! The `cqa` command line: parse, run, print the error chain, exit.

mod cmd;

use clap::Parser;

// Scoring allocates many small strings (reasons, quotes, ids) on every
// worker thread; mimalloc's thread-local heaps cut that cost to a fraction
// of glibc malloc's (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    cqa::guard::quiet_guarded_panics();
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
