//! The contract between the run and what it writes: results in input order,
//! rejections with their reasons, and progress; and `cqa check`'s sink, a
//! [`Tee`] that hands each result to the parts that each do one job.

use crate::output::results::write::ResultsWriter;
use crate::output::xlsx::ListRows;
use crate::results::{ContactResult, Rejection};
use crate::score::aggregate::Aggregates;

/// Where results go; the CLI writes files, tests collect in memory.
pub trait Sink: Send {
    /// One scored contact and its `results.jsonl` line (newline included).
    fn result(&mut self, r: &ContactResult, line: &[u8]) -> std::io::Result<()>;
    fn rejection(&mut self, r: &Rejection) -> std::io::Result<()>;
    /// Called after each batch with the number of contacts handled so far.
    fn progress(&mut self, _done: u64) {}
}

/// `cqa check`'s sink: each result goes to the results file, then into the
/// aggregates, then (when workbooks follow) into the list rows, so that the
/// workbooks are written without reading the results back; each rejection
/// goes to the rejections file.
pub struct Tee {
    file: ResultsWriter,
    aggregates: Aggregates,
    rows: Option<ListRows>,
    on_progress: Option<Box<dyn FnMut(u64) + Send>>,
}

impl Tee {
    pub fn new(file: ResultsWriter) -> Self {
        Tee {
            file,
            aggregates: Aggregates::default(),
            rows: None,
            on_progress: None,
        }
    }

    /// Also sets aside each result's list rows, for workbooks written right
    /// after the check.
    pub fn with_list_rows(mut self, rows: ListRows) -> Self {
        self.rows = Some(rows);
        self
    }

    /// Calls `f` with the number of contacts handled after each batch (for a progress bar).
    pub fn with_progress(mut self, f: impl FnMut(u64) + Send + 'static) -> Self {
        self.on_progress = Some(Box::new(f));
        self
    }

    /// Finishes the files; hands back what the parts gathered.
    pub fn finish(self) -> std::io::Result<Finished> {
        self.file.finish()?;
        Ok(Finished {
            aggregates: self.aggregates,
            rows: self.rows,
        })
    }
}

/// What a [`Tee`] gathered besides its files.
pub struct Finished {
    pub aggregates: Aggregates,
    /// The list rows, when asked for with [`Tee::with_list_rows`].
    pub rows: Option<ListRows>,
}

impl Sink for Tee {
    fn result(&mut self, r: &ContactResult, line: &[u8]) -> std::io::Result<()> {
        self.file.result(line)?;
        self.aggregates.add(r);
        match &mut self.rows {
            Some(rows) => rows.add(r),
            None => Ok(()),
        }
    }
    fn rejection(&mut self, r: &Rejection) -> std::io::Result<()> {
        self.file.rejection(r)
    }
    fn progress(&mut self, done: u64) {
        if let Some(f) = &mut self.on_progress {
            f(done);
        }
    }
}
