//! `--threads`: how many worker threads a command may start.
//!
//! Why capped: each thread costs a stack and a share of the cores; asked for
//! 100,000, rayon kept creating threads for minutes. More threads than 4 per
//! core only add switching, so the request is capped there (and at 256 in
//! all), with a warning that says what was used.

use super::Failure;
use anyhow::anyhow;
use cqa::words::cli::cli;
use cqa::words::Lang;

/// The most threads any command starts.
pub const MAX_THREADS: usize = 256;

/// The cap for this machine: 4 per core, at most [`MAX_THREADS`].
pub fn cap() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.saturating_mul(4).clamp(1, MAX_THREADS)
}

/// The thread pool for `--threads` (`None`: one thread per core); 0 is a
/// usage error, more than [`cap`] is lowered to it with a warning on stderr.
pub fn pool(requested: Option<usize>, lang: Lang) -> Result<rayon::ThreadPool, Failure> {
    let n = match requested {
        Some(0) => return Err(Failure::usage(anyhow!("--threads must be at least 1"))),
        Some(n) if n > cap() => {
            eprintln!("cqa: {} {n} → {}", cli(lang).threads_lowered, cap());
            cap()
        }
        Some(n) => n,
        None => 0, // rayon: one per core
    };
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .map_err(|e| Failure::usage(anyhow!("--threads: {e}")))
}
