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
    /// Called after each batch with how far the run has got.
    fn progress(&mut self, _done: Progress) {}
    /// Whether [`Self::progress`] is shown to someone: only then does the run
    /// add up the size of its inputs beforehand (one `stat` per file).
    fn wants_progress(&self) -> bool {
        false
    }
}

/// How far a run has got, for a progress bar: a million contacts take a
/// minute, and a bar over the input bytes says how much of it is left.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Contacts handled so far, scored or rejected.
    pub contacts: u64,
    /// Input bytes handled so far.
    pub bytes: u64,
    /// The input bytes of the whole run; 0 when not known beforehand (a
    /// `--shard` reads byte ranges it finds while reading).
    pub total_bytes: u64,
}

/// `cqa check`'s sink: each result goes to the results file, then into the
/// aggregates, then (when workbooks follow) into the list rows, so that the
/// workbooks are written without reading the results back; each rejection
/// goes to the rejections file.
pub struct Tee {
    file: ResultsWriter,
    aggregates: Aggregates,
    rows: Option<ListRows>,
    on_progress: Option<Box<dyn FnMut(Progress) + Send>>,
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

    /// Calls `f` with how far the run has got after each batch (for a progress bar).
    pub fn with_progress(mut self, f: impl FnMut(Progress) + Send + 'static) -> Self {
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
    fn progress(&mut self, done: Progress) {
        if let Some(f) = &mut self.on_progress {
            f(done);
        }
    }
    fn wants_progress(&self) -> bool {
        self.on_progress.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::scorecard::Severity;
    use crate::results::{CriterionResult, ErrorCounts, Status};
    use crate::words::Lang;

    fn result(id: &str, agent: &str, status: Status) -> ContactResult {
        ContactResult {
            contact_id: id.into(),
            source: format!("звонки/{id}.json"),
            line: None,
            range_start: None,
            agent_id: agent.into(),
            agent_name: Some("Иванова Мария".into()),
            team: Some("Группа 3".into()),
            channel: Some("voice".into()),
            queue: None,
            started_at: Some("2026-11-02T10:15:00+03:00".into()),
            duration_s: Some(184.0),
            scorecard_id: "bank-voice-ru".into(),
            scorecard_version: "2026-11".into(),
            score: Some(if status == Status::Pass { 100.0 } else { 0.0 }),
            partial: false,
            auto_failed: false,
            errors: ErrorCounts::default(),
            criteria: vec![CriterionResult {
                id: "greet".into(),
                section: "greeting".into(),
                status,
                severity: Severity::NonCritical,
                weight: Some(4.0),
                penalty: None,
                auto_fail: false,
                reason: "Не найдена фраза «здравствуйте» в первых 2 репликах оператора.".into(),
                evidence: Vec::new(),
                auto_status: None,
                auto_reason: None,
                evaluator: None,
                comment: None,
            }],
        }
    }

    #[test]
    fn each_result_reaches_the_file_the_aggregates_and_the_list_rows_and_a_rejection_only_its_file()
    {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let file = ResultsWriter::create(dir.path())
            .expect("the files")
            .with_lang(Lang::Ru);
        let rows = ListRows::create(dir.path()).expect("the list rows");
        let mut tee = Tee::new(file).with_list_rows(rows);
        let mut lines = Vec::new();
        for r in [
            result("C-000001", "A017", Status::Fail),
            result("C-000002", "A018", Status::Pass),
        ] {
            let line = crate::output::results::line(&r, crate::output::results::Detail::Full);
            tee.result(&r, &line).expect("written");
            lines.extend_from_slice(&line);
        }
        tee.rejection(&Rejection {
            source: "звонки/C-000003.json".into(),
            line: None,
            reason: "empty file".into(),
        })
        .expect("written");
        let done = tee.finish().expect("finished");

        let read = |name: &str| std::fs::read(dir.path().join(name)).expect("a file");
        assert_eq!(read(crate::output::results::RESULTS), lines);
        assert_eq!(
            String::from_utf8(read(crate::output::results::REJECTED)).expect("UTF-8"),
            "{\"source\":\"звонки/C-000003.json\",\"line\":null,\"reason\":\"пустой файл\"}\n"
        );
        assert_eq!(done.aggregates.overall.contacts, 2);
        assert_eq!(done.aggregates.agents.len(), 2);
        let rows = done
            .rows
            .expect("rows were asked for")
            .read()
            .expect("read back");
        // The failed criterion's finding, then each contact's row.
        assert_eq!(rows.count(), 3);
    }

    #[test]
    fn without_workbooks_no_list_rows_are_set_aside() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut tee = Tee::new(ResultsWriter::create(dir.path()).expect("the files"));
        let r = result("C-000001", "A017", Status::Fail);
        tee.result(&r, &crate::output::results::line(&r, Default::default()))
            .expect("written");
        let done = tee.finish().expect("finished");
        assert!(done.rows.is_none());
        assert_eq!(done.aggregates.overall.contacts, 1);
    }
}
