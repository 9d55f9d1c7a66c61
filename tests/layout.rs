//! The layout is the data flow: each top-level module of the library uses
//! only the modules the table in src/lib.rs allows (docs/design.md). This
//! reads every production line of src/ for `crate::<module>` and fails on a
//! reference the table does not allow, naming the file and line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const FOUNDATIONS: [&str; 4] = ["sys", "words", "text", "stats"];

/// What each top-level module may use besides itself.
fn allowed(module: &str) -> Option<Vec<&'static str>> {
    let with_foundations = |more: &[&'static str]| {
        let mut v: Vec<&'static str> = FOUNDATIONS.to_vec();
        v.extend_from_slice(more);
        v
    };
    Some(match module {
        "sys" => vec![],
        "words" => vec!["sys"],
        "stats" => vec!["sys"],
        "text" => vec!["sys", "words"],
        "input" => with_foundations(&[]),
        "results" => with_foundations(&["input"]),
        "check" => with_foundations(&["input", "results"]),
        "score" => with_foundations(&["input", "results"]),
        "output" => with_foundations(&["input", "results", "score"]),
        "run" => with_foundations(&["input", "results", "check", "score", "output"]),
        "qa" => with_foundations(&["input", "results", "score", "output", "run"]),
        "generate" => with_foundations(&["input"]),
        _ => return None,
    })
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file of src/ belongs to (`src/check/eval/mod.rs` → `check`).
fn top_module(relative: &Path) -> String {
    let first = relative.components().next().expect("a path under src/");
    let name = first.as_os_str().to_string_lossy();
    name.strip_suffix(".rs").unwrap_or(&name).to_string()
}

/// The `crate::<module>` references of a file's production code: comments
/// are skipped, and so is everything from the first `#[cfg(test)]` on (the
/// unit tests at the end of a file) and files named `tests.rs`.
fn references(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.trim_start();
        if code.starts_with("#[cfg(test)]") {
            break;
        }
        if code.starts_with("//") {
            continue;
        }
        let code = match code.find("//") {
            Some(i) => &code[..i],
            None => code,
        };
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let preceded_by_dollar = i > 0 && rest.as_bytes()[i - 1] == b'$';
            if !name.is_empty() && !preceded_by_dollar {
                out.push((n + 1, name));
            }
            rest = after;
        }
    }
    out
}

#[test]
fn every_module_uses_only_what_the_layout_allows() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut broken: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in &files {
        let relative = path.strip_prefix(&src).expect("under src/");
        let module = top_module(relative);
        if matches!(module.as_str(), "lib" | "main" | "cmd")
            || path.file_name().is_some_and(|n| n == "tests.rs")
        {
            continue;
        }
        let Some(allowed) = allowed(&module) else {
            panic!(
                "src/{} belongs to `{module}`, a top-level module the layout table does not \
                 know: add it to src/lib.rs and to this test",
                relative.display()
            );
        };
        let text = std::fs::read_to_string(path).expect("a readable source file");
        for (line, used) in references(&text) {
            if used != module && !allowed.contains(&used.as_str()) {
                broken
                    .entry(format!("{module} → {used}"))
                    .or_default()
                    .push(format!("src/{}:{line}", relative.display()));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "dependencies the layout (src/lib.rs) does not allow:\n{}",
        broken
            .iter()
            .map(|(edge, places)| format!("  {edge}: {}", places.join(", ")))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_reference_reader_skips_comments_and_unit_tests() {
    let text = "use crate::input::contact::Contact;\n\
                // crate::run is mentioned in a comment\n\
                let x = crate::words::clock(1.0); // crate::qa\n\
                #[cfg(test)]\n\
                mod tests { use crate::generate::Rng; }\n";
    let found: Vec<String> = references(text).into_iter().map(|(_, m)| m).collect();
    assert_eq!(found, ["input", "words"]);
}

#[test]
fn no_source_file_is_over_the_split_size() {
    // A file over ~600 lines is asking to be split (CONTRIBUTING in README).
    const LIMIT: usize = 600;
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|p| {
            let n = std::fs::read_to_string(p).ok()?.lines().count();
            let name = p.strip_prefix(&src).ok()?.display().to_string();
            (n > LIMIT).then(|| format!("{name} ({n} lines)"))
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over {LIMIT} lines: {}",
        long.join(", ")
    );
}
