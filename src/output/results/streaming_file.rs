//! A file written once from start to end and not read back in the same run
//! (`results.jsonl`): written back to disk as it grows and dropped from the
//! page cache behind itself.
//!
//! Why: results are about three times the size of their input (11.6 KB a
//! contact), so a million contacts write 12 GB. Left to the page cache, every
//! byte lands in a newly allocated page; on a virtual machine whose balloon
//! hands free memory back to the host (as on the machines cqa is benchmarked
//! on) a fresh page costs a host fault, and the kernel's copy of our output
//! took a third of the run's CPU (2.4 s of system time per GB, against 0.3 s
//! for pages used a moment ago). Streaming the file out in windows keeps the
//! cache it uses small and warm, starts disk writes early instead of in one
//! burst at the dirty limit, and leaves the cache to the inputs and to other
//! programs. It is the recipe used by streaming writers on Linux:
//! `sync_file_range` to start writeback of each window as it is written, and
//! `posix_fadvise(DONTNEED)` on the window handed over two windows earlier
//! (its pages already on disk are dropped; any still being written stay).
//!
//! Elsewhere than Linux, and on files where the calls are not supported (a
//! pipe, some network file systems), it is a plain file.

use std::fs::File;
use std::io::{self, Write};

/// Bytes between two writeback requests: large enough that the calls cost
/// nothing against the copy, small enough that the cache in use stays a few
/// tens of MB.
const WINDOW: u64 = 16 << 20;

/// How many windows back a window is dropped from the cache: the disk has
/// had the time to write that much since it was handed over.
const LAG: usize = 2;

/// A [`File`] that streams itself out to disk (see the module comment).
pub struct StreamingFile {
    file: File,
    window: u64,
    /// Bytes written so far (the file's length: it is written from the start).
    written: u64,
    /// Ends of the windows handed to writeback and not yet dropped, oldest first.
    kicked: std::collections::VecDeque<u64>,
    /// Everything before this offset has been dropped from the cache.
    dropped: u64,
    /// Off once the file turned out not to support the calls.
    streaming: bool,
    /// A failure the disk reported to a writeback request, returned by the
    /// next `write` or `flush` (not by the `write` whose bytes were already
    /// taken: an `Err` there would make the caller write them again).
    failed: Option<io::Error>,
    /// The calls made, for the tests: (writeback?, offset, length).
    #[cfg(test)]
    calls: Vec<(bool, u64, u64)>,
}

impl StreamingFile {
    /// Takes a newly created (empty) file.
    pub fn new(file: File) -> Self {
        Self::with_window(file, WINDOW)
    }

    pub(crate) fn with_window(file: File, window: u64) -> Self {
        StreamingFile {
            file,
            // A zero length would mean "to the end of the file" to both calls.
            window: window.max(1),
            written: 0,
            kicked: std::collections::VecDeque::with_capacity(LAG + 1),
            dropped: 0,
            streaming: cfg!(target_os = "linux"),
            failed: None,
            #[cfg(test)]
            calls: Vec::new(),
        }
    }

    /// Start of the bytes not yet handed to writeback.
    fn unkicked(&self) -> u64 {
        self.kicked.back().copied().unwrap_or(self.dropped)
    }

    /// Hands the bytes since the last request to writeback, and drops from
    /// the cache the window handed over `LAG` windows ago. Neither call
    /// waits for the pages to reach the disk (the first may wait for room in
    /// the disk's queue): a page still being written is not dropped, so a
    /// slow disk only means a larger cache, as without streaming. A file
    /// that does not support the calls is left to the page cache from then
    /// on.
    fn kick(&mut self) -> io::Result<()> {
        let from = self.unkicked();
        #[cfg(test)]
        self.calls.push((true, from, self.written - from));
        if let Err(e) = sys::start_writeback(&self.file, from, self.written - from) {
            return self.unsupported(e);
        }
        self.kicked.push_back(self.written);
        if self.kicked.len() > LAG {
            if let Some(end) = self.kicked.pop_front() {
                #[cfg(test)]
                self.calls.push((false, self.dropped, end - self.dropped));
                if let Err(e) = sys::drop_cached(&self.file, self.dropped, end - self.dropped) {
                    return self.unsupported(e);
                }
                self.dropped = end;
            }
        }
        Ok(())
    }

    fn unsupported(&mut self, e: io::Error) -> io::Result<()> {
        if sys::is_unsupported(&e) {
            self.streaming = false;
            Ok(())
        } else {
            Err(e)
        }
    }
}

impl Write for StreamingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        let n = self.file.write(buf)?;
        self.written += n as u64;
        if self.streaming && self.written - self.unkicked() >= self.window {
            if let Err(e) = self.kick() {
                self.streaming = false;
                self.failed = Some(e);
            }
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        self.file.flush()
    }
}

#[cfg(target_os = "linux")]
mod sys {
    use nix::errno::Errno;
    use nix::fcntl::{posix_fadvise, PosixFadviseAdvice};
    use std::fs::File;
    use std::io;
    use std::os::fd::AsRawFd;

    pub fn start_writeback(file: &File, at: u64, len: u64) -> io::Result<()> {
        let (at, len) = (offset(at)?, offset(len)?);
        // nix has no wrapper for sync_file_range (Linux only), so this one
        // call stays on libc.
        // SAFETY: a plain system call on a descriptor the `File` owns for the
        // duration of the call; it reads no memory of ours.
        match unsafe {
            libc::sync_file_range(file.as_raw_fd(), at, len, libc::SYNC_FILE_RANGE_WRITE)
        } {
            0 => Ok(()),
            _ => Err(io::Error::last_os_error()),
        }
    }

    pub fn drop_cached(file: &File, at: u64, len: u64) -> io::Result<()> {
        let (at, len) = (offset(at)?, offset(len)?);
        posix_fadvise(file, at, len, PosixFadviseAdvice::POSIX_FADV_DONTNEED)
            .map_err(io::Error::from)
    }

    /// An offset as the call takes it (`off64_t` for `sync_file_range` on
    /// glibc, `off_t` elsewhere: 32 bits on 32-bit glibc, where `fadvise`
    /// past 2 GiB is refused as an overflow and streaming stops).
    fn offset<T: TryFrom<u64>>(n: u64) -> io::Result<T> {
        T::try_from(n).map_err(|_| Errno::EOVERFLOW.into())
    }

    /// Errors that mean "this file cannot do that", not "the disk failed".
    pub fn is_unsupported(e: &io::Error) -> bool {
        e.raw_os_error().map(Errno::from_raw).is_some_and(|e| {
            matches!(
                e,
                Errno::ESPIPE
                    | Errno::EINVAL
                    | Errno::ENOSYS
                    | Errno::EOPNOTSUPP
                    | Errno::EOVERFLOW
            )
        })
    }
}

#[cfg(not(target_os = "linux"))]
mod sys {
    use std::fs::File;
    use std::io;

    pub fn start_writeback(_: &File, _: u64, _: u64) -> io::Result<()> {
        Ok(())
    }
    pub fn drop_cached(_: &File, _: u64, _: u64) -> io::Result<()> {
        Ok(())
    }
    pub fn is_unsupported(_: &io::Error) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufWriter, Read};

    /// A results line of realistic size and content, numbered so that a
    /// lost, doubled or reordered window shows.
    fn line(n: usize) -> String {
        format!(
            "{{\"contact_id\":\"C-{n:06}\",\"agent_name\":\"Иванова Мария\",\"criteria\":[{{\"id\":\"greet_standard\",\"status\":\"pass\",\"reason\":\"Найдена фраза «здравствуйте» в первых 2 репликах оператора (реплика 1 (0:00)).\"}}]}}\n"
        )
    }

    #[test]
    fn a_file_streamed_in_many_windows_reads_back_byte_for_byte() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("results.jsonl");
        let file = File::create(&path).expect("the results file");
        let mut w = BufWriter::with_capacity(1000, StreamingFile::with_window(file, 4096));
        let mut expected = String::new();
        for n in 0..5000 {
            let l = line(n);
            w.write_all(l.as_bytes()).expect("written");
            expected.push_str(&l);
        }
        w.flush().expect("flushed");
        if cfg!(target_os = "linux") {
            let streamed = w.get_ref();
            assert!(streamed.streaming, "a file on disk supports streaming");
            assert!(
                streamed.dropped > 0,
                "windows behind the writer were dropped"
            );
        }
        drop(w);
        assert_eq!(std::fs::read_to_string(&path).expect("read back"), expected);
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_is_written_whole_without_streaming() {
        let (mut reader, writer) = std::io::pipe().expect("a pipe");
        let reading = std::thread::spawn(move || {
            let mut got = String::new();
            reader.read_to_string(&mut got).map(|_| got)
        });
        let file = File::from(std::os::fd::OwnedFd::from(writer));
        let mut w = StreamingFile::with_window(file, 4096);
        let mut expected = String::new();
        for n in 0..200 {
            let l = line(n);
            w.write_all(l.as_bytes()).expect("written");
            expected.push_str(&l);
        }
        assert!(!w.streaming, "a pipe cannot be written back or dropped");
        drop(w);
        let got = reading.join().expect("the reader").expect("read");
        assert_eq!(got, expected);
    }
}
