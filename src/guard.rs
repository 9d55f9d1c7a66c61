//! A fence around third-party readers of untrusted files, and around the
//! Excel writer when the disk fills up.
//!
//! The Excel reader (calamine) can panic on a damaged workbook — for
//! instance an arithmetic overflow on a reversed sheet dimension. One bad
//! registry or evaluation file must become a clear error naming the file,
//! never a crash of the whole batch.

use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs `read`; a panic inside it becomes `Err` with the panic's message.
pub fn survive_panic<T>(read: impl FnOnce() -> T) -> Result<T, String> {
    catch_panic(read)
        .map_err(|what| format!("the file is damaged: the Excel reader failed on it ({what})"))
}

/// Runs `f`; a panic inside it becomes `Err` with the panic's message. The
/// Excel writer, too, panics where it should return an error (it expects
/// every write of a sheet's temporary file to succeed).
pub fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|panic| {
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
    fn a_normal_result_passes_through() {
        assert_eq!(survive_panic(|| 42), Ok(42));
    }
}
