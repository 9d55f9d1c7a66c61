//! Writing `results.jsonl` and `rejected.jsonl` into a run's folder, as the
//! results arrive (in input order). This part only writes: the aggregates
//! and the workbooks' list rows are other parts of the check's sink
//! ([`crate::output::Tee`]).

use super::streaming_file::StreamingFile;
use super::{REJECTED, RESULTS};
use crate::results::Rejection;
use crate::words::Lang;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// The two files of a run, open for writing.
pub struct ResultsWriter {
    results: BufWriter<StreamingFile>,
    rejected: BufWriter<File>,
    /// The language rejection reasons are written in ([`crate::words::say`]).
    lang: Lang,
}

impl ResultsWriter {
    /// Creates (or empties) both files in `dir`.
    pub fn create(dir: &Path) -> std::io::Result<Self> {
        Ok(ResultsWriter {
            results: BufWriter::with_capacity(
                1 << 20,
                StreamingFile::new(File::create(dir.join(RESULTS))?),
            ),
            rejected: BufWriter::with_capacity(1 << 20, File::create(dir.join(REJECTED))?),
            lang: Lang::En,
        })
    }

    /// Writes rejection reasons in `lang` (the loaders word them in English).
    pub fn with_lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }

    /// Appends one encoded results line ([`super::line`], newline included).
    pub fn result(&mut self, line: &[u8]) -> std::io::Result<()> {
        self.results.write_all(line)
    }

    /// Appends one rejection, its reason in the run's language.
    pub fn rejection(&mut self, r: &Rejection) -> std::io::Result<()> {
        let said = Rejection {
            reason: crate::words::say::in_lang(&r.reason, self.lang),
            ..r.clone()
        };
        serde_json::to_writer(&mut self.rejected, &said)?;
        self.rejected.write_all(b"\n")
    }

    /// Writes out what is buffered: after this both files are whole.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.results.flush()?;
        self.rejected.flush()
    }
}
