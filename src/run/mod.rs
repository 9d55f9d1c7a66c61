//! The batch: discover inputs, load contacts in parallel, score each with the
//! first scorecard that applies, and hand results to a sink in input order.
//!
//! Every discovered contact ends in exactly one place — a result or a
//! rejection with a reason — so `processed + rejected == discovered` always.
//! Work goes in bounded batches: memory does not grow with the number of
//! contacts (only the set of ids seen, to catch duplicates), and results come
//! out in input order whatever the thread count.
//!
//! The files, in the order a contact meets them: `config.rs` (what a batch
//! is asked to do and what it counts), `read.rs` (inputs cut into work
//! units; `shard.rs` for `--shard`), `stage.rs` (join, choose the scorecard,
//! check, score), `drain.rs` (input order, duplicate ids, counts). Around
//! the batch: `job.rs`, the use case of `cqa check`; `record.rs`, its
//! run.json; `summary.rs`, its terminal summary.

mod config;
mod drain;
pub mod job;
mod read;
pub mod record;
mod shard;
mod stage;
pub mod summary;

pub use crate::check::ScorecardSet;
pub use crate::input::{LineRange, RANGE_BYTES};
pub use crate::output::Sink;
pub use config::{CheckConfig, Limits, LoadWarning, RunCounts, KEEP_CONFLICTS};
pub use shard::Shard;
pub use stage::{evaluate, evaluate_with};

use crate::input::contact;
use drain::{drain, State};
use rayon::prelude::*;
use read::{read_inputs, Batcher, Unit};
use stage::{run_unit, Done};
use std::collections::HashMap;
use std::path::Path;

fn display(p: &Path) -> String {
    p.display().to_string()
}

/// Runs the batch over `cfg.inputs`, in input order, into `sink`.
///
/// Three stages overlap: a reader thread cuts the inputs into batches, the
/// pool scores batch n (each worker also encodes its results.jsonl lines),
/// and meanwhile the sink writes batch n-1. Output order is input order
/// whatever the thread count.
pub fn run_check(
    set: &ScorecardSet,
    cfg: &CheckConfig,
    sink: &mut dyn Sink,
) -> std::io::Result<RunCounts> {
    let found = contact::discover(&cfg.inputs);
    let mut counts = RunCounts {
        skipped: found.skipped,
        ..Default::default()
    };
    let batch_size = if cfg.batch == 0 { 512 } else { cfg.batch };
    // A bar needs the whole: the size of every input, when someone watches
    // and the run reads whole files (a shard finds its ranges as it reads).
    let total_bytes = match sink.wants_progress() && cfg.shard.is_none() {
        true => found
            .inputs
            .iter()
            .map(|(p, _)| std::fs::metadata(p).map_or(0, |m| m.len()))
            .sum(),
        false => 0,
    };
    if total_bytes > 0 {
        // The bar shows from the start, not from the first batch's end.
        sink.progress(crate::output::Progress {
            total_bytes,
            ..Default::default()
        });
    }
    let mut state = State {
        seen: HashMap::new(),
        sources: Vec::new(),
        source_ids: HashMap::new(),
        counts: &mut counts,
        mask: cfg.opts.mask,
        total_bytes,
    };
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Unit>>(1);
    let mut batcher = Batcher {
        batch: Vec::with_capacity(batch_size),
        size: batch_size,
        tx,
    };
    let inputs = found.inputs;
    let unusable = found.unusable;
    let (written, (table_bytes, line_ranges)) = std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let mut ranges = Vec::new();
            let bytes = read_inputs(cfg, unusable, inputs, &mut batcher, &mut ranges);
            let sent = batcher.send();
            (bytes.and_then(|b| sent.map(|()| b)).unwrap_or(0), ranges)
        });
        let written = consume(set, cfg, &rx, &mut state, sink);
        // Unblocks the reader if the output failed mid-run.
        drop(rx);
        let bytes = match reader.join() {
            Ok(b) => b,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        (written, bytes)
    });
    written?;
    counts.bytes += table_bytes;
    counts.line_ranges = line_ranges;
    Ok(counts)
}

/// Scores each batch in parallel while the sink takes the batch before it.
fn consume(
    set: &ScorecardSet,
    cfg: &CheckConfig,
    rx: &std::sync::mpsc::Receiver<Vec<Unit>>,
    st: &mut State<'_>,
    sink: &mut dyn Sink,
) -> std::io::Result<()> {
    let mut pending: Option<Vec<Vec<Done>>> = None;
    for units in rx.iter() {
        if let Some(sig) = crate::sys::interrupt::received() {
            return Err(crate::sys::interrupt::stopped_error(sig));
        }
        let previous = pending.take();
        let (outcomes, written) = rayon::join(
            || {
                units
                    .into_par_iter()
                    .map(|u| run_unit(set, cfg, u))
                    .collect::<Vec<_>>()
            },
            || previous.map_or(Ok(()), |p| drain(p, st, sink)),
        );
        written?;
        pending = Some(outcomes);
    }
    pending.map_or(Ok(()), |p| drain(p, st, sink))
}
