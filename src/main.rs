//! The `cqa` command line: parse, run, print the error chain, exit.

mod cmd;

// Scoring allocates many small strings (reasons, quotes, ids) on every
// worker thread; mimalloc's thread-local heaps cut that cost to a fraction
// of glibc malloc's (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    cqa::sys::guard::quiet_guarded_panics();
    let cli = cmd::Cli::parse_with_exit_help();
    let lang = cli.lang();
    let words = cqa::words::cli::cli(lang);
    match cmd::run(cli) {
        Ok(()) => {}
        Err(e) => {
            // Messages quote file names and input: in the run's language,
            // with personal data masked (a card number in a file name the
            // user typed), printed escaped.
            let show = |m: String| {
                let m = cqa::words::say::error_line(&m, lang);
                let m = cqa::text::pii::mask_all(&m);
                cqa::text::terminal::escape_keeping_lines(&m).into_owned()
            };
            eprintln!("cqa: {}: {}", words.error, show(e.error.to_string()));
            for cause in e.error.chain().skip(1) {
                eprintln!("  {}: {}", words.caused_by, show(cause.to_string()));
            }
            std::process::exit(e.code);
        }
    }
}
