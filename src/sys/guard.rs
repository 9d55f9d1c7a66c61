//! A fence around third-party readers of untrusted files, and around the
//! Excel writer when the disk fills up.
//!
//! The Excel reader (calamine) can panic on a damaged workbook — for
//! instance an arithmetic overflow on a reversed sheet dimension. One bad
//! registry or evaluation file must become a clear error naming the file,
//! never a crash of the whole batch.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

thread_local! {
    /// Whether this thread works for a [`catch_panic`] (see [`marked`]).
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Installs a panic hook that stays quiet about a third-party library's
/// panic inside [`catch_panic`]: the guard reports it as an error naming the
/// file, and the default hook's "thread 'main' panicked at
/// …/rust_xlsxwriter/…" line before that error only alarms. Every other
/// panic — ours anywhere, a library's outside a guard, any panic when
/// `RUST_BACKTRACE` asks for a backtrace — goes to the default hook as
/// before. Called once, by the command line.
pub fn quiet_guarded_panics() {
    let default = std::panic::take_hook();
    let backtrace = std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0");
    std::panic::set_hook(Box::new(move |info| {
        let file = info.location().map_or("", |l| l.file());
        if backtrace || !(GUARDED.with(Cell::get) && is_third_party(file)) {
            default(info);
        }
    }));
}

/// Our own source files, as the compiler names them: `src/…` in a checkout,
/// a full path when built by `cargo install`. A dependency's are in the
/// cargo registry or the standard library.
fn is_third_party(file: &str) -> bool {
    let ours = file!().strip_suffix("sys/guard.rs").unwrap_or("src/");
    !file.starts_with(ours)
}

/// Runs `f` as part of the work of a [`catch_panic`] on another thread (a
/// rayon task of the guarded work), so that the panic hook treats a panic in
/// it as the guard's to report.
pub fn marked<T>(f: impl FnOnce() -> T) -> T {
    let _mark = Mark::set();
    f()
}

/// Sets this thread's mark, and puts the outer value back when dropped,
/// also while unwinding.
struct Mark(bool);

impl Mark {
    fn set() -> Self {
        Mark(GUARDED.with(|g| g.replace(true)))
    }
}

impl Drop for Mark {
    fn drop(&mut self) {
        GUARDED.with(|g| g.set(self.0));
    }
}

/// Runs `read`; a panic inside it becomes `Err` with the panic's message.
pub fn survive_panic<T>(read: impl FnOnce() -> T) -> Result<T, String> {
    catch_panic(read)
        .map_err(|what| format!("the file is damaged: the Excel reader failed on it ({what})"))
}

/// Runs `f`; a panic inside it becomes `Err` with the panic's message. The
/// Excel writer, too, panics where it should return an error (it expects
/// every write of a sheet's temporary file to succeed).
pub fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let caught = catch_unwind(AssertUnwindSafe(|| marked(f)));
    caught.map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_with_its_message() {
        let r: Result<(), String> = survive_panic(|| panic!("attempt to subtract with overflow"));
        assert!(r.unwrap_err().contains("attempt to subtract with overflow"));
    }

    #[test]
    fn a_writer_panic_on_a_full_disk_becomes_its_message() {
        let r: Result<(), String> = catch_panic(|| {
            let e = std::io::Error::from(std::io::ErrorKind::StorageFull);
            panic!("Couldn't write to xml file: {e}")
        });
        assert!(r.unwrap_err().starts_with("Couldn't write to xml file"));
    }

    #[test]
    fn only_a_librarys_panic_inside_a_guard_is_left_to_the_guard_to_report() {
        let registry = "/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/rust_xlsxwriter-0.102.0/src/worksheet.rs";
        assert!(is_third_party(registry));
        assert!(is_third_party(
            "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/num/mod.rs"
        ));
        assert!(!is_third_party("src/output/xlsx/mod.rs"));
        assert!(!is_third_party(file!()), "this very file is ours");
    }

    #[test]
    fn the_guard_mark_is_set_inside_and_restored_after() {
        assert!(!GUARDED.with(Cell::get));
        let inside = catch_panic(|| GUARDED.with(Cell::get));
        assert_eq!(inside, Ok(true));
        let _ = catch_panic(|| -> () { panic!("Couldn't write to xml file") });
        assert!(!GUARDED.with(Cell::get), "restored after a panic too");
    }

    #[test]
    fn work_handed_to_another_thread_is_marked_there() {
        let on_other = catch_panic(|| {
            std::thread::scope(|s| {
                let plain = s.spawn(|| GUARDED.with(Cell::get)).join();
                let marked = s.spawn(|| marked(|| GUARDED.with(Cell::get))).join();
                (plain.ok(), marked.ok())
            })
        });
        assert_eq!(on_other, Ok((Some(false), Some(true))));
    }

    #[test]
    fn a_normal_result_passes_through() {
        assert_eq!(survive_panic(|| 42), Ok(42));
    }
}
