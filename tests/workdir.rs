//! The work folder the command-line tests share: the real `cqa` binary run
//! in a temporary folder, files put into it, and what the run wrote read
//! back. One copy here; a dozen test files had each defined their own.

use assert_cmd::Command;
use calamine::{open_workbook_auto, Data, Reader};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A path inside the repository (`repo("samples")`).
pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The small voice scorecard most command-line tests check against.
pub fn mini_card() -> PathBuf {
    repo("tests/fixtures/scorecards/mini-voice.json")
}

/// The scorecard that takes a contact of any channel (the input tests').
pub fn any_channel_card() -> PathBuf {
    repo("tests/fixtures/inputs/any-channel.json")
}

/// A file of the shared public data (`../shared/data` beside the
/// repository, or `$CQA_SHARED_DATA` when the checkout is elsewhere), or
/// None when this machine does not have it: the tests that need it then
/// skip, saying so.
pub fn shared_data(rel: &str) -> Option<PathBuf> {
    let base = std::env::var_os("CQA_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo("../shared/data"));
    let p = base.join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: {} not found", p.display());
        None
    }
}

/// The binary, run in `dir`.
pub fn cqa(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("cqa").expect("the cqa binary");
    c.current_dir(dir);
    c
}

/// `cqa gen` of `contacts` contacts (9 agents, seed 7) into `dir/gen`;
/// returns the folder of the contacts.
pub fn generated(dir: &Path, contacts: usize) -> PathBuf {
    cqa(dir)
        .args(["gen", "--contacts", &contacts.to_string()])
        .args(["--agents", "9", "--seed", "7", "--out", "gen"])
        .assert()
        .success();
    dir.join("gen/contacts")
}

/// Writes `contents` to `dir/rel`, making its folders.
pub fn put(dir: &Path, rel: &str, contents: impl AsRef<[u8]>) {
    write_file(&dir.join(rel), contents);
}

/// Writes `contents` to the file `path`, making its folders.
pub fn write_file(path: &Path, contents: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().expect("a file in a folder")).expect("the folder");
    std::fs::write(path, contents).expect("the file written");
}

/// Writes `v` to `dir/rel` as indented JSON, the way a person saves a file.
pub fn write_json(dir: &Path, rel: &str, v: &Value) {
    put(dir, rel, serde_json::to_string_pretty(v).expect("JSON"));
}

/// Every line of a JSON Lines file (results.jsonl, rejected.jsonl).
pub fn jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// The run.json of a run folder.
pub fn run_json(run: &Path) -> Value {
    let text = std::fs::read_to_string(run.join("run.json")).expect("run.json");
    serde_json::from_str(&text).expect("run.json is JSON")
}

/// What a finished command wrote to stderr.
pub fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file below `dir`, depth first.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("a readable folder").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Every cell of every sheet of every workbook below `dir`, keyed
/// `"<file relative to dir>: <sheet>"`.
pub fn workbooks(dir: &Path) -> BTreeMap<String, Vec<Vec<Data>>> {
    let mut all = BTreeMap::new();
    let books = walk(dir)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|x| x == "xlsx"));
    for f in books {
        let mut wb = open_workbook_auto(&f).expect("a workbook");
        let rel = f
            .strip_prefix(dir)
            .expect("below dir")
            .display()
            .to_string();
        for name in wb.sheet_names() {
            let range = wb.worksheet_range(&name).expect("a sheet");
            all.insert(
                format!("{rel}: {name}"),
                range.rows().map(|r| r.to_vec()).collect(),
            );
        }
    }
    all
}
