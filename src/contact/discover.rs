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

/// A file found in an input folder that cqa does not read (counted and listed, never silently dropped).
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedFile {
    pub path: PathBuf,
    pub reason: String,
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

/// Walks `paths` (files or folders) in order; within a folder, sorted by path,
/// hidden files and folders skipped. A file named explicitly is read whatever
/// its name, as long as its type is known.
pub fn discover(paths: &[PathBuf]) -> Discovered {
    let mut out = Discovered::default();
    for p in paths {
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                out.unusable.push((p.clone(), format!("cannot open: {e}")));
                continue;
            }
        };
        if meta.is_file() {
            match InputKind::from_path(p) {
                Some(k) => out.inputs.push((p.clone(), k)),
                None => out.skipped.push(SkippedFile {
                    path: p.clone(),
                    reason: UNKNOWN_TYPE.into(),
                }),
            }
            continue;
        }
        let walker = walkdir::WalkDir::new(p)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => match InputKind::from_path(e.path()) {
                    Some(k) => out.inputs.push((e.into_path(), k)),
                    None => out.skipped.push(SkippedFile {
                        path: e.into_path(),
                        reason: UNKNOWN_TYPE.into(),
                    }),
                },
                Ok(_) => {}
                Err(err) => {
                    let path = err
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| p.clone());
                    out.unusable.push((path, format!("cannot read: {err}")));
                }
            }
        }
    }
    out
}
