//! The folder a run writes into, written so that it never looks complete
//! when it is not, and cleared without touching what is not cqa's.
//!
//! A run writes everything into a hidden spool folder inside its output
//! folder (`.cqa-run-<pid>/`, same file system, so moving is a rename):
//! results.jsonl and rejected.jsonl as the contacts are scored, then the
//! workbooks. Only when all of it is written are the files moved into place,
//! and `run.json` last: a folder with a `run.json` holds a complete run, and
//! `run.json` lists every file the run wrote (`files`).
//!
//! - Ctrl-C or SIGTERM: [`RunDir::abandon`] removes the spool and anything
//!   already moved; the folder is as the run found it.
//! - SIGKILL or a power cut: the spool stays behind, hidden; the next
//!   `--force` run into the folder removes it ([`clear_previous`]).
//! - `--force` removes the files of the earlier run — the fixed names cqa
//!   writes and the files its `run.json` lists — and nothing else: a user's
//!   `agents/mine.xlsx` stays.

use crate::output::manifest::MANIFEST;
use crate::output::results::{REJECTED, RESULTS};
use std::io;
use std::path::{Component, Path, PathBuf};

/// The hidden spool folders of runs (`.cqa-run-<pid>`) and of the workbook
/// writer (`.cqa-spool-<pid>`, output/xlsx/spool.rs).
const SPOOL_PREFIXES: [&str; 2] = [".cqa-run-", ".cqa-spool-"];

/// A file in every run spool that the run holds an exclusive `flock` on for
/// its lifetime. The kernel (or the NFS lock manager) drops the lock when the
/// process dies, SIGKILL included, so whether the lock is free says whether a
/// spool is a leftover — also when the run was on another machine writing to
/// the same shared folder, or its process number now belongs to another
/// process (a Slurm retry on another node, a restarted container).
const LOCK: &str = ".cqa-lock";

/// The `run.json` key listing the files the run wrote, relative to its folder.
pub const FILES_KEY: &str = "files";

/// Where `cqa report` lists the workbooks it wrote into a folder that has no
/// run.json (shards merged into a folder of their own), so that the next
/// report there replaces them and `--force` knows them: `{"files": [...]}`.
pub const REPORT_FILES: &str = "report.json";

/// Folders of per-agent and per-team workbooks (removed when a clear empties them).
const WORKBOOK_DIRS: [&str; 2] = ["agents", "teams"];

/// Names a run writes whatever its inputs: removed by `--force` even when
/// the earlier run.json is missing (a run killed before it was written).
fn fixed_names() -> [&'static str; 7] {
    use crate::output::results::{DISAGREEMENTS, EVALUATION_ERRORS};
    [
        RESULTS,
        REJECTED,
        DISAGREEMENTS,
        EVALUATION_ERRORS,
        "summary.xlsx",
        REPORT_FILES,
        MANIFEST,
    ]
}

/// An output folder with this run's spool in it.
#[derive(Debug)]
pub struct RunDir {
    dir: PathBuf,
    spool: PathBuf,
    /// Files moved into `dir`, relative, in the order moved.
    published: Vec<String>,
    /// Folders this run created in `dir` (removed again if the run is abandoned).
    created: Vec<PathBuf>,
    finished: bool,
    /// The open [`LOCK`] file, locked while the run lives (`None` where
    /// locks are not supported).
    _lock: Option<std::fs::File>,
}

impl RunDir {
    /// Makes `dir/.cqa-run-<pid>/` (and `dir` if needed).
    pub fn create(dir: &Path) -> io::Result<RunDir> {
        std::fs::create_dir_all(dir)?;
        let spool = dir.join(format!("{}{}", SPOOL_PREFIXES[0], std::process::id()));
        if spool.exists() {
            // The same process number on another machine sharing the folder.
            if is_locked(&spool) {
                return Err(in_use(dir, std::process::id()));
            }
            std::fs::remove_dir_all(&spool)?;
        }
        std::fs::create_dir(&spool)?;
        let lock = take_lock(&spool.join(LOCK));
        Ok(RunDir {
            dir: dir.to_path_buf(),
            spool,
            published: Vec::new(),
            created: Vec::new(),
            finished: false,
            _lock: lock,
        })
    }

    /// The output folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the run writes until it is complete.
    pub fn spool(&self) -> &Path {
        &self.spool
    }

    /// Where a file written into the spool will be once moved into place.
    pub fn final_path(&self, in_spool: &Path) -> PathBuf {
        match in_spool.strip_prefix(&self.spool) {
            Ok(rel) => self.dir.join(rel),
            Err(_) => in_spool.to_path_buf(),
        }
    }

    /// Files moved into the output folder so far (relative paths).
    pub fn published(&self) -> &[String] {
        &self.published
    }

    /// Moves every file of the spool into the output folder, sorted, keeping
    /// sub-folders (agents/, teams/); files of the same name are replaced.
    pub fn publish_all(&mut self) -> io::Result<()> {
        let mut files = Vec::new();
        for e in walkdir::WalkDir::new(&self.spool).sort_by_file_name() {
            let e = e.map_err(io::Error::other)?;
            if e.file_type().is_file() && e.file_name() != LOCK {
                if let Ok(rel) = e.path().strip_prefix(&self.spool) {
                    files.push(rel.to_path_buf());
                }
            }
        }
        for rel in files {
            self.publish(&rel)?;
        }
        Ok(())
    }

    /// Moves one file of the spool (relative path) into the output folder.
    pub fn publish(&mut self, rel: &Path) -> io::Result<()> {
        let from = self.spool.join(rel);
        if !from.is_file() {
            return Ok(());
        }
        let to = self.dir.join(rel);
        if let Some(parent) = to.parent() {
            if !parent.exists() {
                std::fs::create_dir_all(parent)?;
                self.created.push(parent.to_path_buf());
            }
        }
        std::fs::rename(&from, &to).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot move {} into place: {e}", to.display()),
            )
        })?;
        self.published.push(portable(rel));
        Ok(())
    }

    /// Completes the run: writes `run.json` (the document given, plus the
    /// list of files under [`FILES_KEY`]) under a temporary name, renames it
    /// into place last, and removes the spool.
    pub fn commit(mut self, mut run: serde_json::Value) -> io::Result<()> {
        self.publish_all()?;
        let mut files = self.published.clone();
        files.push(MANIFEST.to_string());
        if let Some(o) = run.as_object_mut() {
            o.insert(FILES_KEY.into(), serde_json::json!(files));
        }
        let text = serde_json::to_string_pretty(&run).map_err(io::Error::other)?;
        let tmp = self.spool.join(MANIFEST);
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, self.dir.join(MANIFEST))?;
        self.finished = true;
        let _ = std::fs::remove_dir_all(&self.spool);
        Ok(())
    }

    /// Completes a `cqa report` into this folder: the workbooks the folder's
    /// run.json (or an earlier report's [`REPORT_FILES`]) lists, and
    /// summary.xlsx, give way to the new ones, which that list then names
    /// instead; other files stay.
    pub fn commit_workbooks(mut self) -> io::Result<()> {
        let is_workbook = |p: &Path| p.extension().is_some_and(|x| x == "xlsx");
        for f in listed_files(&self.dir)
            .into_iter()
            .chain([self.dir.join("summary.xlsx")])
        {
            if is_workbook(&f) {
                remove_file(&f)?;
            }
        }
        self.publish_all()?;
        let run_json = match self.dir.join(MANIFEST) {
            p if p.is_file() => p,
            _ => {
                let p = self.dir.join(REPORT_FILES);
                std::fs::write(&p, serde_json::json!({ FILES_KEY: [] }).to_string())?;
                p
            }
        };
        if let Ok(text) = std::fs::read_to_string(&run_json) {
            if let Ok(mut doc) = serde_json::from_str::<serde_json::Value>(&text) {
                let mut files: Vec<String> = doc
                    .get(FILES_KEY)
                    .and_then(|f| f.as_array())
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_str())
                    .filter(|s| !is_workbook(Path::new(s)))
                    .map(str::to_string)
                    .collect();
                files.extend(self.published.iter().cloned());
                if let Some(o) = doc.as_object_mut() {
                    o.insert(FILES_KEY.into(), serde_json::json!(files));
                }
                let tmp = self.spool.join(MANIFEST);
                std::fs::write(
                    &tmp,
                    serde_json::to_string_pretty(&doc).map_err(io::Error::other)?,
                )?;
                std::fs::rename(&tmp, &run_json)?;
            }
        }
        self.finished = true;
        let _ = std::fs::remove_dir_all(&self.spool);
        for d in WORKBOOK_DIRS {
            let _ = std::fs::remove_dir(self.dir.join(d));
        }
        Ok(())
    }

    /// Gives the run up (a signal, an error): removes the spool and every file
    /// already moved into place, and the folders the run created if empty.
    pub fn abandon(mut self) {
        self.undo();
    }

    fn undo(&mut self) {
        self.finished = true;
        let _ = std::fs::remove_dir_all(&self.spool);
        for rel in &self.published {
            let _ = std::fs::remove_file(self.dir.join(rel));
        }
        for d in self.created.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    }
}

impl Drop for RunDir {
    /// A run that ends without [`RunDir::commit`] (an error: a full disk while
    /// the workbooks are written) is abandoned: no spool, and no
    /// rejected.jsonl already moved into place that would pass for a run's.
    fn drop(&mut self) {
        if !self.finished {
            self.undo();
        }
    }
}

/// A relative path with `/` separators, as run.json lists it.
fn portable(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A path from run.json's file list that stays inside the folder: relative,
/// without `..` (a run.json edited by hand must not make `--force` remove
/// files elsewhere).
fn inside(dir: &Path, listed: &str) -> Option<PathBuf> {
    let rel = Path::new(listed);
    rel.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| dir.join(rel))
}

/// The files an earlier run's `run.json` in `dir` lists, and an earlier
/// report's [`REPORT_FILES`] (none for runs before the lists were kept).
pub fn listed_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for list in [MANIFEST, REPORT_FILES] {
        let Ok(text) = std::fs::read_to_string(dir.join(list)) else {
            continue;
        };
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        out.extend(
            doc.get(FILES_KEY)
                .and_then(|f| f.as_array())
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str())
                .filter_map(|s| inside(dir, s)),
        );
    }
    out
}

fn remove_file(p: &Path) -> io::Result<()> {
    crate::output::remove_if_present(p)
        .map_err(|e| io::Error::new(e.kind(), format!("cannot remove {}: {e}", p.display())))
}

// The locks are std's `File::try_lock` (flock(2) with LOCK_NB on Linux and
// the BSDs), not nix's `Flock`: that one unlocks when dropped and panics if
// the unlock fails, where closing the file releases the lock anyway.

/// Opens `path` and takes an exclusive lock on it, held while the file stays
/// open; `None` where the file system or platform has no locks (the run
/// then goes on, judged by its process number alone).
fn take_lock(path: &Path) -> Option<std::fs::File> {
    let f = std::fs::File::create(path).ok()?;
    #[cfg(unix)]
    {
        f.try_lock().is_ok().then_some(f)
    }
    #[cfg(not(unix))]
    {
        Some(f)
    }
}

/// Whether a live run holds the lock of the spool folder `spool`: `None`
/// when the spool has no lock file (made by a cqa without locks) or it
/// cannot be tried.
fn lock_held(spool: &Path) -> Option<bool> {
    let f = std::fs::File::open(spool.join(LOCK)).ok()?;
    #[cfg(unix)]
    {
        // A lock taken here is released when `f` is closed, at the end of
        // the function.
        match f.try_lock() {
            Ok(()) => Some(false),
            Err(std::fs::TryLockError::WouldBlock) => Some(true),
            Err(std::fs::TryLockError::Error(_)) => None,
        }
    }
    #[cfg(not(unix))]
    {
        drop(f);
        None
    }
}

fn is_locked(spool: &Path) -> bool {
    lock_held(spool) == Some(true)
}

/// The refusal to touch a folder another run writes into: of kind
/// `ResourceBusy`, which the commands report as a usage error (exit 2,
/// "an --out folder in use"), not as a failure to write.
pub fn in_use(dir: &Path, pid: u32) -> io::Error {
    io::Error::new(
        io::ErrorKind::ResourceBusy,
        format!(
            "another cqa run (process {pid}) is writing into {}; wait for it or stop it",
            dir.display()
        ),
    )
}

/// The process that owns a spool folder (`dir/name`, `.cqa-run-<pid>`), if
/// it is still running: its spool is its work in progress, not a leftover.
/// The spool's lock decides; only a spool without one is judged by whether
/// a process of that number runs here.
fn live_owner(dir: &Path, name: &str) -> Option<u32> {
    let pid: u32 = SPOOL_PREFIXES
        .iter()
        .find_map(|p| name.strip_prefix(p))?
        .parse()
        .ok()?;
    match lock_held(&dir.join(name)) {
        Some(true) => return Some(pid),
        Some(false) => return None,
        None => {}
    }
    if pid == std::process::id() {
        return None;
    }
    #[cfg(unix)]
    {
        use nix::sys::signal::kill;
        use nix::unistd::Pid;
        // No signal (None) only asks whether the process exists.
        let pid_t = Pid::from_raw(i32::try_from(pid).ok()?);
        let alive = matches!(kill(pid_t, None), Ok(()) | Err(nix::errno::Errno::EPERM));
        alive.then_some(pid)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Whether a name is a spool folder or a workbook's temporary file
/// (`.summary.xlsx.<pid>.tmp`, output/xlsx/save.rs) left by a killed run.
fn is_leftover(name: &str) -> bool {
    SPOOL_PREFIXES.iter().any(|p| name.starts_with(p))
        || (name.starts_with('.') && name.ends_with(".tmp") && name.contains(".xlsx."))
}

/// Removes what earlier runs wrote into `dir` (`--force`), and nothing else:
/// the files its `run.json` lists, the names every run writes, and the
/// hidden spools and temporary files of runs that were killed. Folders
/// agents/ and teams/ go only if that leaves them empty. Refused while
/// another cqa process is writing into the folder.
pub fn clear_previous(dir: &Path) -> io::Result<()> {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if let Some(pid) = live_owner(dir, &e.file_name().to_string_lossy()) {
                return Err(in_use(dir, pid));
            }
        }
    }
    for f in listed_files(dir) {
        if f.is_file() {
            remove_file(&f)?;
        }
    }
    for name in fixed_names() {
        remove_file(&dir.join(name))?;
    }
    for folder in std::iter::once(dir.to_path_buf()).chain(WORKBOOK_DIRS.map(|d| dir.join(d))) {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !is_leftover(&name) {
                continue;
            }
            let p = e.path();
            let gone = match e.file_type() {
                Ok(t) if t.is_dir() => std::fs::remove_dir_all(&p),
                _ => std::fs::remove_file(&p),
            };
            gone.map_err(|e| {
                io::Error::new(e.kind(), format!("cannot remove {}: {e}", p.display()))
            })?;
        }
    }
    for d in WORKBOOK_DIRS {
        let _ = std::fs::remove_dir(dir.join(d));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(p: &Path) {
        std::fs::create_dir_all(p.parent().expect("parent")).expect("folder");
        std::fs::write(p, b"x").expect("written");
    }

    #[test]
    fn force_removes_the_files_the_last_run_listed_and_keeps_the_users() {
        let t = tempfile::tempdir().expect("temp");
        let run = t.path().join("run");
        let d = run.as_path();
        touch(&d.join("agents/Иванова_Мария.xlsx"));
        touch(&d.join("agents/mine.xlsx"));
        touch(&d.join("notes.txt"));
        touch(&d.join("results.jsonl"));
        std::fs::write(
            d.join(MANIFEST),
            r#"{"files": ["results.jsonl", "agents/Иванова_Мария.xlsx", "../outside.txt", "run.json"]}"#,
        )
        .expect("run.json");
        touch(&t.path().join("outside.txt"));
        clear_previous(d).expect("cleared");
        assert!(!d.join("agents/Иванова_Мария.xlsx").exists());
        assert!(!d.join("results.jsonl").exists());
        assert!(!d.join(MANIFEST).exists());
        assert!(d.join("agents/mine.xlsx").exists());
        assert!(d.join("notes.txt").exists());
        assert!(t.path().join("outside.txt").exists());
    }

    #[test]
    fn force_removes_the_hidden_spool_of_a_killed_run() {
        let t = tempfile::tempdir().expect("temp");
        // Above any pid_max: no process has it.
        touch(&t.path().join(".cqa-run-99999999/results.jsonl"));
        touch(&t.path().join(".cqa-spool-99999999/0.jsonl"));
        touch(&t.path().join("agents/.Петров.xlsx.99999999.tmp"));
        touch(&t.path().join(".hidden-of-the-user"));
        clear_previous(t.path()).expect("cleared");
        assert!(!t.path().join(".cqa-run-99999999").exists());
        assert!(!t.path().join(".cqa-spool-99999999").exists());
        assert!(!t.path().join("agents").exists());
        assert!(t.path().join(".hidden-of-the-user").exists());
    }

    #[test]
    fn an_abandoned_run_leaves_the_folder_as_it_found_it() {
        let t = tempfile::tempdir().expect("temp");
        touch(&t.path().join("mine.txt"));
        let mut run = RunDir::create(t.path()).expect("run dir");
        touch(&run.spool().join(RESULTS));
        touch(&run.spool().join("agents/Иванова.xlsx"));
        run.publish_all().expect("moved");
        assert!(t.path().join("agents/Иванова.xlsx").exists());
        run.abandon();
        let left: Vec<_> = std::fs::read_dir(t.path())
            .expect("read")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(left, ["mine.txt"]);
    }

    #[test]
    fn a_committed_run_lists_its_files_in_run_json_written_last() {
        let t = tempfile::tempdir().expect("temp");
        let run = RunDir::create(t.path()).expect("run dir");
        touch(&run.spool().join(RESULTS));
        touch(&run.spool().join("teams/Группа_1.xlsx"));
        run.commit(serde_json::json!({"processed": 1}))
            .expect("committed");
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(t.path().join(MANIFEST)).expect("run"))
                .expect("json");
        assert_eq!(
            doc[FILES_KEY],
            serde_json::json!(["results.jsonl", "teams/Группа_1.xlsx", "run.json"])
        );
        assert_eq!(listed_files(t.path()).len(), 3);
        assert!(!t
            .path()
            .join(format!(".cqa-run-{}", std::process::id()))
            .exists());
    }

    #[cfg(unix)]
    #[test]
    fn force_refuses_while_another_run_is_writing_into_the_folder() {
        let t = tempfile::tempdir().expect("temp");
        // Process 1 (init) is always running, and is not this test.
        touch(&t.path().join(".cqa-run-1/results.jsonl"));
        let e = clear_previous(t.path()).expect_err("in use");
        assert!(e.to_string().contains("process 1"), "{e}");
        assert!(t.path().join(".cqa-run-1/results.jsonl").exists());
    }
}
