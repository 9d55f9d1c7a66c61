//! A fence around third-party readers of untrusted files.
//!
//! The Excel reader (calamine) can panic on a damaged workbook — for
//! instance an arithmetic overflow on a reversed sheet dimension. One bad
//! registry or evaluation file must become a clear error naming the file,
//! never a crash of the whole batch.

use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs `read`; a panic inside it becomes `Err` with the panic's message.
pub fn survive_panic<T>(read: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(read)).map_err(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".into());
        format!("the file is damaged: the Excel reader failed on it ({what})")
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
    fn a_normal_result_passes_through() {
        assert_eq!(survive_panic(|| 42), Ok(42));
    }
}
