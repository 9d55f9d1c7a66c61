//! Finding inputs: files and folders from the command line, walked in sorted
//! path order so that runs are reproducible.

use std::path::{Path, PathBuf};

/// What a file is read as, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// One contact per file.
    Json,
    /// One contact per line.
    Jsonl,
    /// A plain-text transcript, one contact per file.
    Txt,
    /// An utterance table, one row per turn, many contacts per file
    /// (delimiter detected; `.tsv` hints at tabs).
    Csv,
    Tsv,
}

impl InputKind {
    /// The kind of a file by its extension; `None` for types cqa does not read.
    pub fn from_path(p: &Path) -> Option<Self> {
        let ext = p.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(InputKind::Json),
            "jsonl" | "ndjson" => Some(InputKind::Jsonl),
            "txt" => Some(InputKind::Txt),
            "csv" => Some(InputKind::Csv),
            "tsv" | "tab" => Some(InputKind::Tsv),
            _ => None,
        }
    }
}

const UNKNOWN_TYPE: &str = "unknown file type (expected .json, .jsonl, .txt, .csv or .tsv)";
const DOCUMENTATION: &str = "documentation (.md, README, LICENSE…): not a contact";
const NOT_REGULAR: &str = "not a regular file (a FIFO, socket or device): not opened";
const BROKEN_LINK: &str = "symbolic link to nothing: not read";
const LINK_LOOP: &str = "symbolic link loop: not followed";
const CQA_OUTPUT: &str = "a cqa output folder (its run.json): results are not contacts, not read";
const HIDDEN: &str = "hidden (its name starts with a dot): not read";

/// A file found in an input folder that cqa does not read (counted and listed, never silently dropped).
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedFile {
    pub path: PathBuf,
    pub reason: String,
    /// Expected beside contacts (documentation such as samples/README.md,
    /// hidden files, an earlier run's output folder): listed in run.json,
    /// not warned about.
    pub documentation: bool,
}

impl SkippedFile {
    fn new(path: PathBuf, reason: &str) -> Self {
        SkippedFile {
            path,
            reason: reason.into(),
            documentation: false,
        }
    }
}

/// The result of discovery: inputs to read, files skipped, and command-line
/// paths that could not be used at all (these become rejections).
#[derive(Debug, Default)]
pub struct Discovered {
    pub inputs: Vec<(PathBuf, InputKind)>,
    pub skipped: Vec<SkippedFile>,
    pub unusable: Vec<(PathBuf, String)>,
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|s| s.starts_with('.') && s != "." && s != "..")
}

/// Documentation people keep beside their data: `*.md`, and README, LICENSE,
/// CHANGELOG… with no extension or a text one (`README.txt` is not a
/// transcript: read as one, it was rejected in every public data set).
fn is_documentation(p: &Path) -> bool {
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if matches!(ext.as_deref(), Some("md" | "markdown" | "rst")) {
        return true;
    }
    let stem = p
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_ascii_uppercase();
    let doc_name = [
        "README",
        "LICENSE",
        "LICENCE",
        "COPYING",
        "CHANGELOG",
        "NOTICE",
        "AUTHORS",
    ]
    .iter()
    .any(|d| {
        stem == *d || stem.starts_with(&format!("{d}-")) || stem.starts_with(&format!("{d}_"))
    });
    doc_name && matches!(ext.as_deref(), None | Some("txt" | "html" | "pdf"))
}

/// Listed without a warning (see [`SkippedFile::documentation`]).
fn quiet(path: PathBuf, reason: &str) -> SkippedFile {
    SkippedFile {
        documentation: true,
        ..SkippedFile::new(path, reason)
    }
}

/// A folder an earlier `cqa check` (its run.json) or `cqa report` (report.json
/// beside summary.xlsx) wrote: kept inside the data folder (`-o data/week48`),
/// its results.jsonl would be read next time as contacts, each line rejected.
fn is_cqa_output(dir: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 64];
    let run_json = std::fs::File::open(dir.join("run.json"))
        .and_then(|mut f| f.read(&mut head))
        .is_ok_and(|n| String::from_utf8_lossy(&head[..n]).contains("\"cqa_version\""));
    run_json || (dir.join("report.json").is_file() && dir.join("summary.xlsx").is_file())
}

/// A regular file found in a folder: an input, or skipped with its reason.
fn found_file(out: &mut Discovered, path: PathBuf) {
    if is_documentation(&path) {
        out.skipped.push(SkippedFile {
            documentation: true,
            ..SkippedFile::new(path, DOCUMENTATION)
        });
        return;
    }
    match InputKind::from_path(&path) {
        Some(k) => out.inputs.push((path, k)),
        None => out.skipped.push(SkippedFile::new(path, UNKNOWN_TYPE)),
    }
}

/// Walks `paths` (files or folders) in order; within a folder, sorted by path,
/// hidden files and folders and earlier runs' output folders skipped (listed
/// quietly).
///
/// One policy for links and special files, on the command line and in
/// folders alike: symbolic links are followed to what they point to (loops
/// detected); only regular files are ever opened — a FIFO would block the
/// run and a link to /dev/zero never end. Every path walked is either an
/// input or listed in `skipped` with the reason. A file named explicitly is
/// read whatever its name, as long as its type is known.
pub fn discover(paths: &[PathBuf]) -> Discovered {
    let mut out = Discovered::default();
    for p in paths {
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                let reason = if std::fs::symlink_metadata(p).is_ok() {
                    BROKEN_LINK.to_string()
                } else {
                    format!("cannot open: {e}")
                };
                out.unusable.push((p.clone(), reason));
                continue;
            }
        };
        if meta.is_file() {
            match InputKind::from_path(p) {
                Some(k) => out.inputs.push((p.clone(), k)),
                None => out.skipped.push(SkippedFile::new(p.clone(), UNKNOWN_TYPE)),
            }
            continue;
        }
        if !meta.is_dir() {
            out.unusable.push((p.clone(), NOT_REGULAR.into()));
            continue;
        }
        let mut walker = walkdir::WalkDir::new(p)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter();
        while let Some(entry) = walker.next() {
            match entry {
                Ok(e) if e.depth() > 0 && is_hidden(e.file_name()) => {
                    if e.file_type().is_dir() {
                        walker.skip_current_dir();
                    }
                    out.skipped.push(quiet(e.into_path(), HIDDEN));
                }
                Ok(e) if e.file_type().is_file() => found_file(&mut out, e.into_path()),
                Ok(e) if e.file_type().is_dir() => {
                    // The folder named on the command line is read whatever it holds.
                    if e.depth() > 0 && is_cqa_output(e.path()) {
                        walker.skip_current_dir();
                        out.skipped.push(quiet(e.into_path(), CQA_OUTPUT));
                    }
                }
                Ok(e) => out
                    .skipped
                    .push(SkippedFile::new(e.into_path(), NOT_REGULAR)),
                Err(err) => {
                    let path = err
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| p.clone());
                    if err.loop_ancestor().is_some() {
                        out.skipped.push(SkippedFile::new(path, LINK_LOOP));
                    } else if std::fs::metadata(&path).is_err()
                        && std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_symlink())
                    {
                        out.skipped.push(SkippedFile::new(path, BROKEN_LINK));
                    } else {
                        out.unusable.push((path, format!("cannot read: {err}")));
                    }
                }
            }
        }
    }
    out
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn reasons(d: &Discovered) -> Vec<(String, String)> {
        d.skipped
            .iter()
            .map(|s| {
                let name = s.path.file_name().map(|n| n.to_string_lossy().into_owned());
                (name.unwrap_or_default(), s.reason.clone())
            })
            .collect()
    }

    #[test]
    fn a_link_to_a_contact_in_a_folder_is_read_like_the_contact_itself() {
        let t = tempfile::tempdir().expect("temp");
        let real = t.path().join("elsewhere.json");
        std::fs::write(&real, "{}").expect("written");
        let dir = t.path().join("in");
        std::fs::create_dir(&dir).expect("folder");
        symlink(&real, dir.join("C-000001.json")).expect("link");
        let d = discover(std::slice::from_ref(&dir));
        assert_eq!(d.inputs, [(dir.join("C-000001.json"), InputKind::Json)]);
        assert!(d.skipped.is_empty());
    }

    #[test]
    fn fifos_devices_broken_links_and_loops_are_listed_and_never_opened() {
        let t = tempfile::tempdir().expect("temp");
        let dir = t.path();
        nix::unistd::mkfifo(
            &dir.join("pipe.json"),
            nix::sys::stat::Mode::S_IRUSR | nix::sys::stat::Mode::S_IWUSR,
        )
        .expect("fifo");
        symlink("/dev/zero", dir.join("zero.json")).expect("link");
        symlink(dir.join("nothing.json"), dir.join("gone.json")).expect("link");
        symlink(dir, dir.join("loop")).expect("link");
        let d = discover(&[dir.to_path_buf()]);
        assert!(d.inputs.is_empty(), "{:?}", d.inputs);
        assert!(d.unusable.is_empty(), "{:?}", d.unusable);
        let r = reasons(&d);
        assert!(
            r.contains(&("pipe.json".into(), NOT_REGULAR.into())),
            "{r:?}"
        );
        assert!(
            r.contains(&("zero.json".into(), NOT_REGULAR.into())),
            "{r:?}"
        );
        assert!(
            r.contains(&("gone.json".into(), BROKEN_LINK.into())),
            "{r:?}"
        );
        assert!(r.contains(&("loop".into(), LINK_LOOP.into())), "{r:?}");
    }

    #[test]
    fn documentation_beside_contacts_is_skipped_quietly_but_listed() {
        let t = tempfile::tempdir().expect("temp");
        for f in [
            "README.md",
            "LICENSE",
            "LICENSE-SUMMARY",
            "README.txt",
            "notes.md",
            "export.xml",
            "C-000001.txt",
        ] {
            std::fs::write(t.path().join(f), "x").expect("written");
        }
        let d = discover(&[t.path().to_path_buf()]);
        let docs: Vec<(String, bool)> = d
            .skipped
            .iter()
            .map(|s| {
                (
                    s.path
                        .file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned(),
                    s.documentation,
                )
            })
            .collect();
        let want = [
            ("LICENSE", true),
            ("LICENSE-SUMMARY", true),
            ("README.md", true),
            ("README.txt", true),
            ("export.xml", false),
            ("notes.md", true),
        ];
        assert_eq!(docs, want.map(|(n, d)| (n.to_string(), d)));
        assert_eq!(d.inputs.len(), 1, "a transcript is still read");
    }

    #[test]
    fn hidden_files_and_an_earlier_runs_output_folder_are_listed_quietly_not_read() {
        let t = tempfile::tempdir().expect("temp");
        let d = t.path();
        std::fs::write(d.join("C-000001.json"), "{}").expect("contact");
        std::fs::write(d.join("._C-000001.json"), "\0\u{5}\u{16}\u{7}").expect("AppleDouble");
        std::fs::create_dir_all(d.join(".git")).expect("git");
        std::fs::write(d.join(".git/HEAD.json"), "{}").expect("inside .git");
        let week = d.join("week48");
        std::fs::create_dir_all(&week).expect("out");
        std::fs::write(week.join("run.json"), "{\n  \"cqa_version\": \"0.1.0\"}").expect("run");
        std::fs::write(
            week.join("results.jsonl"),
            "{\"contact_id\": \"C-000001\"}\n",
        )
        .expect("r");
        let found = discover(&[d.to_path_buf()]);
        let inputs: Vec<_> = found.inputs.iter().map(|(p, _)| p.clone()).collect();
        assert_eq!(inputs, [d.join("C-000001.json")]);
        let skipped: Vec<_> = found
            .skipped
            .iter()
            .map(|s| {
                (
                    s.path.strip_prefix(d).expect("inside").to_path_buf(),
                    s.documentation,
                )
            })
            .collect();
        assert_eq!(
            skipped,
            [
                (PathBuf::from("._C-000001.json"), true),
                (PathBuf::from(".git"), true),
                (PathBuf::from("week48"), true),
            ]
        );
    }

    #[test]
    fn a_fifo_named_on_the_command_line_is_refused_not_opened() {
        let t = tempfile::tempdir().expect("temp");
        let path = t.path().join("pipe.jsonl");
        nix::unistd::mkfifo(
            &path,
            nix::sys::stat::Mode::S_IRUSR | nix::sys::stat::Mode::S_IWUSR,
        )
        .expect("fifo");
        let d = discover(std::slice::from_ref(&path));
        assert_eq!(d.unusable, [(path, NOT_REGULAR.to_string())]);
    }
}
