//! Ctrl-C and SIGTERM during a long run: the run stops at the next batch,
//! removes what it had half written and exits 130 or 143 (`crate::sys::exit`).
//!
//! The handler only records which signal came (an atomic store, the one
//! thing a signal handler may safely do); the batch loop polls
//! [`received`] between batches and the reader between work units. A second
//! signal, while the first is being handled, ends the process at once with
//! the same code: a clean-up that hangs (a stalled network disk) must not
//! make Ctrl-C useless. What a killed process leaves behind is a hidden spool
//! folder (`crate::output::run_dir`), removed by the next `--force` run.
//!
//! `signal-hook` rather than `ctrlc`: it tells SIGINT from SIGTERM (the two
//! exit codes differ), sets a flag from the handler without a thread of its
//! own, and arms the "second signal ends it" shutdown in one call.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// The signal received (0: none), set by the handler.
static RECEIVED: OnceLock<Arc<AtomicUsize>> = OnceLock::new();

/// Installs the handlers for SIGINT and SIGTERM (once; later calls do nothing).
/// Until this is called, [`received`] is always `None`.
pub fn install() -> std::io::Result<()> {
    if RECEIVED.get().is_some() {
        return Ok(());
    }
    let flag = Arc::new(AtomicUsize::new(0));
    let armed = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    for sig in [crate::sys::exit::SIGINT, crate::sys::exit::SIGTERM] {
        let code = crate::sys::exit::Exit::for_signal(sig).code();
        // Order matters: the shutdown is checked before the first signal arms it.
        signal_hook::flag::register_conditional_shutdown(sig, code, Arc::clone(&armed))?;
        signal_hook::flag::register(sig, Arc::clone(&armed))?;
        signal_hook::flag::register_usize(sig, Arc::clone(&flag), sig as usize)?;
    }
    let _ = RECEIVED.set(flag);
    Ok(())
}

/// The signal that asked the run to stop, if one came.
pub fn received() -> Option<i32> {
    let n = RECEIVED.get()?.load(Ordering::Relaxed);
    (n != 0).then_some(n as i32)
}

/// The error a stopped run returns through I/O-shaped interfaces (the sink,
/// the batch loop): `ErrorKind::Interrupted` with the signal named.
pub fn stopped_error(signal: i32) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::Interrupted,
        format!("stopped by signal {signal}"),
    )
}
