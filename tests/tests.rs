//! Every integration test of cqa in one binary, as xsv does: a module per
//! area, each in its own file beside this one (`tests/rules.rs` is module
//! `rules`, so `cargo test --test tests rules::` runs it), and the helpers
//! in shared modules instead of a copy per file.
//!
//! Cargo builds only the `[[test]]` targets of Cargo.toml (`autotests =
//! false`): a new `tests/*.rs` file runs once it is named below, and
//! `every_test_file_is_built` fails until it is. The one other binary is
//! `hostile_sheets` (Cargo.toml says why).

// Shared helpers.
mod common;
mod evalkit;
mod judge {
    pub mod fixture;
    pub mod server;
}
mod report_support;
mod workdir;

// The library's own layout (src/lib.rs cites this module).
mod layout;

// Rules and phrase matching, checked in-process.
mod asr_fuzzy;
mod matching;
mod matching_quality;
mod peer_golden;
mod reasons_read;
mod rules;
mod samples_truth;
mod validate;
mod validate_messages;

// Inputs: contacts, exports, registries, rosters.
mod inputs_accounted;
mod inputs_cli;
mod inputs_datasets;
mod inputs_nasty;
mod inputs_proptest;
mod inputs_registry;

// Scorecards and controllers.
mod cards_contacts;
mod cards_controllers;
mod cards_language;
mod cards_overlap;
mod cards_roster;

// The check end to end, its runs and shards.
mod cli_check;
mod cli_runs;
mod generated_truth;
mod results_detail;
mod review_runs;
mod run_record;
mod shards;
mod terminal;

// The language-model judge against a stand-in server (in-process threads).
mod judge_protocol;

// Sampling, forms, evaluations, calibration.
mod cli_calibrate;
mod cli_evaluations;
mod cli_sample;
mod forms_cells;
mod stc3_agreement;

// Workbooks and reports.
mod language;
mod report_merge;
mod report_pages;
mod report_reads;
mod report_safety;
mod report_workbooks;

// Hostile inputs and personal data.
mod hostile_cost;
mod hostile_names;
mod hostile_numbers;
mod hostile_terminal;
mod pii_adversarial;
mod pii_leak;
mod pii_quality;

/// With `autotests = false` a test file nobody names is never compiled:
/// each `tests/*.rs` must be a module here or a `[[test]]` of Cargo.toml.
#[test]
fn every_test_file_is_built() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let here = std::fs::read_to_string(root.join("tests/tests.rs")).expect("tests/tests.rs");
    let cargo = std::fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
    let mut forgotten = Vec::new();
    for entry in std::fs::read_dir(root.join("tests")).expect("tests/") {
        let name = entry.expect("an entry").file_name();
        let name = name.to_string_lossy();
        let Some(stem) = name.strip_suffix(".rs") else {
            continue;
        };
        let as_module = format!("\nmod {stem};");
        let as_target = format!("path = \"tests/{name}\"");
        if !here.contains(&as_module) && !cargo.contains(&as_target) {
            forgotten.push(format!("tests/{name}"));
        }
    }
    forgotten.sort();
    assert!(
        forgotten.is_empty(),
        "never compiled: {} (add `mod <name>;` to tests/tests.rs)",
        forgotten.join(", ")
    );
}
