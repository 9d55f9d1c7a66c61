//! The batch: discover inputs, load contacts in parallel, score each with the
//! first scorecard that applies, and hand results to a sink in input order.
//!
//! Every discovered contact ends in exactly one place — a result or a
//! rejection with a reason — so `processed + rejected == discovered` always.
//! Work goes in bounded batches: memory does not grow with the number of
//! contacts (only the set of ids seen, to catch duplicates), and results come
//! out in input order whatever the thread count.

mod shard;

pub use crate::check::ScorecardSet;
pub use crate::input::{LineRange, RANGE_BYTES};
pub use crate::output::Sink;
pub use shard::Shard;

use crate::check::EvalOptions;
use crate::input::contact::{
    self, decode_bytes, Conflict, InputKind, Join, LoadOptions, Loaded, Mapping, SkippedFile,
};
use crate::output::results::Detail;
use crate::results::{ContactResult, Rejection};
use rayon::prelude::*;
use shard::{read_jsonl_ranges, relative_to_roots, Span};
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Limits that keep one bad input from taking the machine down.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_file_bytes: u64,
    pub max_turns: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 64 * 1024 * 1024,
            max_turns: 20_000,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct CheckConfig {
    pub inputs: Vec<PathBuf>,
    pub opts: EvalOptions,
    pub limits: Limits,
    pub shard: Option<Shard>,
    /// Work units per parallel batch.
    pub batch: usize,
    /// How to read JSON exports that are neither native nor a known cloud format.
    pub mapping: Option<Arc<Mapping>>,
    /// Registry and roster that fill missing fields (and report conflicts).
    pub join: Arc<Join>,
    /// The language model for `judge` criteria (`None`: they are `review`).
    pub judge: Option<Arc<crate::check::judge::Judge>>,
    /// How much of each criterion results.jsonl carries (`--detail`).
    pub detail: Detail,
    /// Quote passed criteria even in lean results: controllers' answers
    /// (`--evaluations`) may turn a pass into a finding, which shows its quote.
    pub quote_passes: bool,
}

impl CheckConfig {
    fn load_options(&self) -> LoadOptions {
        LoadOptions {
            mapping: self.mapping.clone(),
            max_turns: self.limits.max_turns,
            max_file_bytes: self.limits.max_file_bytes,
        }
    }
}

/// Conflicts and load warnings kept in memory (and in run.json); beyond
/// this many each is only counted.
pub const KEEP_CONFLICTS: usize = 100_000;

/// An optional value a loader could not read (the contact was scored without
/// it); see `contact::fields::warn`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LoadWarning {
    pub source: String,
    pub line: Option<u64>,
    pub contact_id: String,
    pub warning: String,
}

/// Counts of a finished run.
#[derive(Debug, Clone, Default)]
pub struct RunCounts {
    pub discovered: u64,
    pub processed: u64,
    pub rejected: u64,
    pub skipped: Vec<SkippedFile>,
    /// Bytes of input read.
    pub bytes: u64,
    /// The `.jsonl` byte ranges read under `--shard` (see [`LineRange`]).
    pub line_ranges: Vec<LineRange>,
    /// Registry/roster disagreements, in input order (at most [`KEEP_CONFLICTS`]).
    pub conflicts: Vec<Conflict>,
    pub conflicts_total: u64,
    /// Contacts that found their row in the registry.
    pub registry_matched: u64,
    /// Optional values that could not be read, in input order (at most [`KEEP_CONFLICTS`]).
    pub warnings: Vec<LoadWarning>,
    pub warnings_total: u64,
    /// Contacts scored by each scorecard id (ones that scored none are absent).
    pub by_card: HashMap<String, u64>,
}

enum Unit {
    File(PathBuf, InputKind),
    Line {
        path: PathBuf,
        line: u64,
        /// The start of the `--shard` byte range `line` counts from (None: the file's start).
        range: Option<u64>,
        text: Result<String, String>,
    },
    /// A contact of a many-contact file, already read (tables, mapped records).
    Loaded(PathBuf, Box<Loaded>),
    Rejected(Rejection),
}

enum Outcome {
    /// The result, its results.jsonl line and the key of the contact's id
    /// as read (the result's may be masked: two ids masked alike are still
    /// two contacts).
    Scored(Box<ContactResult>, Vec<u8>, u128),
    Rejected(Rejection),
}

/// What one contact came to, with what the join found on the way.
struct Done {
    outcome: Outcome,
    bytes: u64,
    conflicts: Vec<Conflict>,
    warnings: Vec<LoadWarning>,
    matched: bool,
}

impl From<Outcome> for Done {
    fn from(outcome: Outcome) -> Self {
        Done {
            outcome,
            bytes: 0,
            conflicts: Vec::new(),
            warnings: Vec::new(),
            matched: false,
        }
    }
}

fn display(p: &Path) -> String {
    p.display().to_string()
}

fn reject(source: &Path, line: Option<u64>, reason: impl Into<String>) -> Outcome {
    Outcome::Rejected(Rejection {
        source: display(source),
        line,
        reason: reason.into(),
    })
}

/// Join, check and score one loaded contact (`range`: see [`Unit::Line`]).
fn score(
    set: &ScorecardSet,
    cfg: &CheckConfig,
    source: &Path,
    loaded: Loaded,
    range: Option<u64>,
) -> Done {
    let line = loaded.line;
    let mut c = match loaded.contact {
        Ok(c) => c,
        Err(e) => return reject(source, line, e).into(),
    };
    // The source as results name it, made once per contact.
    let shown = display(source);
    let (conflicts, matched) = cfg.join.apply(&mut c, &shown);
    contact::settle_date(&mut c); // a registry's date too
    let registry = cfg.join.registry.as_ref().map(|t| t.path.as_str());
    if let Err(e) = contact::require_agent(&c, registry) {
        return reject(source, line, e).into();
    }
    let warnings = c
        .metadata
        .get(contact::LOAD_WARNINGS)
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .filter_map(|w| w.as_str())
        .map(|w| LoadWarning {
            source: shown.clone(),
            line,
            contact_id: c.id.clone(),
            warning: crate::words::say::in_lang(w, cfg.opts.lang),
        })
        .collect();
    Done {
        outcome: evaluate(set, cfg, (source, &shown), (line, range), &c),
        bytes: 0,
        conflicts,
        warnings,
        matched,
    }
}

fn evaluate(
    set: &ScorecardSet,
    cfg: &CheckConfig,
    (source, shown): (&Path, &str),
    (line, range): (Option<u64>, Option<u64>),
    c: &contact::Contact,
) -> Outcome {
    if c.turns.len() > cfg.limits.max_turns {
        return reject(
            source,
            line,
            contact::ContactError::TooManyTurns {
                count: c.turns.len(),
                limit: cfg.limits.max_turns,
            }
            .to_string(),
        );
    }
    match set.choose(c) {
        Ok(card) => {
            let quote_passes = cfg.quote_passes || cfg.detail == Detail::Full;
            let judge = cfg.judge.as_deref();
            let mut r = card.evaluate_with(c, shown, line, &cfg.opts, judge, quote_passes);
            r.range_start = range;
            let json = crate::output::results::line(&r, cfg.detail);
            Outcome::Scored(Box::new(r), json, id_key(&c.id))
        }
        Err(none) => reject(source, line, none.to_string()),
    }
}

/// One unit of work to its outcomes: one for most, several for a `.jsonl`
/// line or file that a mapping splits into records.
fn run_unit(set: &ScorecardSet, cfg: &CheckConfig, u: Unit) -> Vec<Done> {
    let opts = cfg.load_options();
    let (path, items, bytes, range) = match u {
        Unit::Rejected(r) => return vec![Outcome::Rejected(r).into()],
        Unit::Loaded(path, loaded) => (path, vec![*loaded], 0, None),
        Unit::Line {
            path,
            line,
            range,
            text,
        } => match text {
            Ok(t) => {
                let items = contact::load_json(&path, &t, Some(line), &opts);
                (path, items, t.len() as u64, range)
            }
            Err(reason) => return vec![reject(&path, Some(line), reason).into()],
        },
        Unit::File(path, kind) => {
            let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
            let items = contact::load_file(&path, kind, &opts);
            (path, items, bytes, None)
        }
    };
    let mut out: Vec<Done> = items
        .into_iter()
        .map(|l| score(set, cfg, &path, l, range))
        .collect();
    if let Some(first) = out.first_mut() {
        first.bytes = bytes;
    }
    out
}

/// Reads one line of at most `max` bytes (its newline included); a longer
/// line is consumed and reported by its length. Lines are found with the
/// standard library's vectorised newline search.
fn read_line_bounded(
    r: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: u64,
) -> std::io::Result<Option<Result<(), u64>>> {
    buf.clear();
    let n = (&mut *r)
        .take(max.saturating_add(1))
        .read_until(b'\n', buf)? as u64;
    if n == 0 {
        return Ok(None);
    }
    if n <= max {
        return Ok(Some(Ok(())));
    }
    let rest = if buf.ends_with(b"\n") {
        0
    } else {
        r.skip_until(b'\n')? as u64
    };
    buf.clear();
    Ok(Some(Err(n + rest)))
}

/// Work units on their way from the reader thread to the workers, a batch at a time.
struct Batcher {
    batch: Vec<Unit>,
    size: usize,
    tx: std::sync::mpsc::SyncSender<Vec<Unit>>,
}

/// The consumer stopped (the output failed): the reader stops too.
struct Stopped;

impl Batcher {
    fn push(&mut self, u: Unit) -> Result<(), Stopped> {
        // Ctrl-C / SIGTERM: stop reading at once (`crate::sys::interrupt`).
        if crate::sys::interrupt::received().is_some() {
            return Err(Stopped);
        }
        self.batch.push(u);
        if self.batch.len() >= self.size {
            self.send()
        } else {
            Ok(())
        }
    }
    fn send(&mut self) -> Result<(), Stopped> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let full = std::mem::replace(&mut self.batch, Vec::with_capacity(self.size));
        self.tx.send(full).map_err(|_| Stopped)
    }
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
    let mut state = State {
        seen: HashMap::new(),
        sources: Vec::new(),
        source_ids: HashMap::new(),
        counts: &mut counts,
        mask: cfg.opts.mask,
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

/// Cuts the inputs into work units, in input order; returns the bytes of
/// many-contact tables read here (other inputs count their bytes when loaded).
/// Under `--shard` only this shard's files and byte ranges are read; the
/// ranges read go to `ranges`.
fn read_inputs(
    cfg: &CheckConfig,
    unusable: Vec<(PathBuf, String)>,
    inputs: Vec<(PathBuf, InputKind)>,
    out: &mut Batcher,
    ranges: &mut Vec<LineRange>,
) -> Result<u64, Stopped> {
    let mut table_bytes = 0;
    let mine = |path: &Path| {
        cfg.shard
            .is_none_or(|s| s.owns(&relative_to_roots(path, &cfg.inputs), 0))
    };
    for (path, reason) in unusable {
        if !mine(&path) {
            continue;
        }
        out.push(Unit::Rejected(Rejection {
            source: display(&path),
            line: None,
            reason,
        }))?;
    }
    for (path, kind) in inputs {
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        if let (Some(shard), InputKind::Jsonl, true) = (cfg.shard, kind, size > RANGE_BYTES) {
            if !contact::holds_many(kind, &cfg.load_options()) {
                read_jsonl_ranges(cfg, shard, path, size, out, ranges)?;
                continue;
            }
        }
        if !mine(&path) {
            continue;
        }
        // A .jsonl file is streamed line by line, so only its lines are bounded.
        if kind != InputKind::Jsonl && size > cfg.limits.max_file_bytes {
            out.push(Unit::Rejected(Rejection {
                source: display(&path),
                line: None,
                reason: format!(
                    "file is {} MiB, over the limit of {} MiB (--max-file-mb); not read",
                    size / (1024 * 1024),
                    cfg.limits.max_file_bytes / (1024 * 1024)
                ),
            }))?;
            continue;
        }
        match kind {
            k if contact::holds_many(k, &cfg.load_options()) => {
                table_bytes += size;
                for loaded in contact::load_file(&path, k, &cfg.load_options()) {
                    out.push(Unit::Loaded(path.clone(), Box::new(loaded)))?;
                }
            }
            InputKind::Json | InputKind::Txt | InputKind::Csv | InputKind::Tsv => {
                out.push(Unit::File(path, kind))?
            }
            InputKind::Jsonl => {
                read_jsonl(cfg, path, Span::WHOLE, out)?;
            }
        }
    }
    Ok(table_bytes)
}

/// One unit per non-blank line of a `.jsonl` file (or of the lines starting
/// in `span`), each line bounded in size. Returns the lines read, blank ones
/// included. Lines are numbered from the span's first line; a whole file
/// with no contact is rejected as empty.
fn read_jsonl(
    cfg: &CheckConfig,
    path: PathBuf,
    span: Span,
    out: &mut Batcher,
) -> Result<u64, Stopped> {
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            return out
                .push(Unit::Rejected(Rejection {
                    source: display(&path),
                    line: None,
                    reason: format!("cannot read: {e}"),
                }))
                .map(|()| 0);
        }
    };
    let mut r = BufReader::with_capacity(1 << 16, file);
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    let mut units_in_file = 0u64;
    // Where the next line starts. A range after the first begins after the
    // first newline at or past its start - 1: the line running into it is
    // the previous range's.
    let mut at = 0u64;
    let range = (span.start > 0).then_some(span.start);
    if let Some(start) = range {
        let skipped = r
            .seek(std::io::SeekFrom::Start(start - 1))
            .and_then(|_| r.skip_until(b'\n'));
        match skipped {
            Ok(n) => at = start - 1 + n as u64,
            Err(e) => {
                return out
                    .push(Unit::Rejected(Rejection {
                        source: display(&path),
                        line: None,
                        reason: format!("cannot read from byte {start}: {e}"),
                    }))
                    .map(|()| 0);
            }
        }
    }
    while at < span.end {
        let next = match read_line_bounded(&mut r, &mut buf, cfg.limits.max_file_bytes) {
            Ok(n) => n,
            Err(e) => {
                // The rest of the file is this one rejection (not also "empty").
                return out
                    .push(Unit::Rejected(Rejection {
                        source: display(&path),
                        line: Some(line_no + 1),
                        reason: format!("cannot read: {e}"),
                    }))
                    .map(|()| line_no);
            }
        };
        let Some(line) = next else { break };
        line_no += 1;
        at += match line {
            Ok(()) => buf.len() as u64,
            Err(len) => len,
        };
        let text = match line {
            Err(len) => Err(format!("line is {len} bytes, over the limit; not read")),
            Ok(()) => {
                let mut bytes: &[u8] = &buf;
                if line_no == 1 && range.is_none() && bytes.starts_with(b"\xEF\xBB\xBF") {
                    bytes = &bytes[3..];
                }
                while let [rest @ .., b'\n' | b'\r'] = bytes {
                    bytes = rest;
                }
                if bytes.iter().all(|b| b.is_ascii_whitespace()) {
                    continue;
                }
                decode_bytes(bytes)
                    .map(|(t, _)| t.into_owned())
                    .map_err(|e| e.to_string())
            }
        };
        units_in_file += 1;
        out.push(Unit::Line {
            path: path.clone(),
            line: line_no,
            range,
            text,
        })?;
    }
    if units_in_file == 0 && span.start == 0 && span.end == u64::MAX {
        out.push(Unit::Rejected(Rejection {
            source: display(&path),
            line: None,
            reason: "empty file: no contacts".into(),
        }))?;
    }
    Ok(line_no)
}

struct State<'a> {
    /// Contact id (as a 128-bit hash: a million ids in ~50 MB, and a false
    /// duplicate less likely than a disk error) -> where it was first read
    /// (source number, line), to name both sources of a duplicate.
    /// The value is packed in 8 bytes (see [`pack_place`]): at a million
    /// contacts the table is most of the run's memory.
    seen: HashMap<u128, u64>,
    /// Source files by number, each stored once.
    sources: Vec<String>,
    source_ids: HashMap<String, u32>,
    counts: &'a mut RunCounts,
    /// Mask personal data in what rejections quote (as in quotes).
    mask: bool,
}

/// Source number and line in one word: the line in the low 32 bits, plus
/// one (0 = no line); a line past 4,294,967,294 is named as that line.
fn pack_place(source: u32, line: Option<u64>) -> u64 {
    let line = line.map_or(0, |l| l.saturating_add(1).min(u64::from(u32::MAX)));
    (u64::from(source) << 32) | line
}

fn unpack_place(packed: u64) -> (u32, Option<u64>) {
    let line = packed & u64::from(u32::MAX);
    ((packed >> 32) as u32, (line > 0).then(|| line - 1))
}

fn id_key(id: &str) -> u128 {
    use std::hash::{Hash, Hasher};
    let half = |salt: u8| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        salt.hash(&mut h);
        id.hash(&mut h);
        h.finish()
    };
    (u128::from(half(1)) << 64) | u128::from(half(2))
}

fn place(source: &str, line: Option<u64>) -> String {
    match line {
        Some(l) => format!("{source}:{l}"),
        None => source.to_string(),
    }
}

/// Masks personal data in the registry disagreements and load warnings of
/// one contact: they quote values as read, and reach the terminal and run.json.
fn mask_quoted(conflicts: &mut [Conflict], warnings: &mut [LoadWarning]) {
    let mask = |s: &mut String| {
        if let std::borrow::Cow::Owned(m) = crate::text::pii::mask_all(s) {
            *s = m;
        }
    };
    for c in conflicts {
        for s in [
            &mut c.contact_id,
            &mut c.kept,
            &mut c.other,
            &mut c.kept_from,
            &mut c.other_from,
        ] {
            mask(s);
        }
    }
    for w in warnings {
        for s in [&mut w.source, &mut w.contact_id, &mut w.warning] {
            mask(s);
        }
    }
}

fn drain(outcomes: Vec<Vec<Done>>, st: &mut State<'_>, sink: &mut dyn Sink) -> std::io::Result<()> {
    for done in outcomes.into_iter().flatten() {
        st.counts.bytes += done.bytes;
        st.counts.registry_matched += u64::from(done.matched);
        let (mut conflicts, mut warnings) = (done.conflicts, done.warnings);
        if st.mask {
            mask_quoted(&mut conflicts, &mut warnings);
        }
        if !matches!(done.outcome, Outcome::Rejected(_)) {
            st.counts.conflicts_total += conflicts.len() as u64;
            let room = KEEP_CONFLICTS.saturating_sub(st.counts.conflicts.len());
            st.counts.conflicts.extend(conflicts.into_iter().take(room));
            st.counts.warnings_total += warnings.len() as u64;
            let room = KEEP_CONFLICTS.saturating_sub(st.counts.warnings.len());
            st.counts.warnings.extend(warnings.into_iter().take(room));
        }
        match done.outcome {
            Outcome::Rejected(mut r) => {
                st.counts.discovered += 1;
                st.counts.rejected += 1;
                if st.mask {
                    r.mask();
                }
                sink.rejection(&r)?;
            }
            Outcome::Scored(r, line, key) => {
                st.counts.discovered += 1;
                match st.seen.entry(key) {
                    Entry::Occupied(seen) => {
                        let (src, line) = unpack_place(*seen.get());
                        let first = place(&st.sources[src as usize], line);
                        let here = place(&r.source, r.line);
                        st.counts.rejected += 1;
                        sink.rejection(&Rejection {
                            source: r.source.clone(),
                            line: r.line,
                            reason: format!("duplicate contact id `{}`: already read from {first}; this copy ({here}) is not scored", r.contact_id),
                        })?;
                    }
                    Entry::Vacant(new) => {
                        // Most contacts come from a source already numbered:
                        // look it up before copying its name.
                        let src = match st.source_ids.get(r.source.as_str()) {
                            Some(&src) => src,
                            None => {
                                let src = st.sources.len() as u32;
                                st.sources.push(r.source.clone());
                                st.source_ids.insert(r.source.clone(), src);
                                src
                            }
                        };
                        new.insert(pack_place(src, r.line));
                        st.counts.processed += 1;
                        match st.counts.by_card.get_mut(r.scorecard_id.as_str()) {
                            Some(n) => *n += 1,
                            None => {
                                st.counts.by_card.insert(r.scorecard_id.clone(), 1);
                            }
                        }
                        sink.result(&r, &line)?;
                    }
                }
            }
        }
    }
    sink.progress(st.counts.discovered);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, max: u64) -> Vec<Result<String, u64>> {
        let mut r = BufReader::with_capacity(4, text.as_bytes());
        let mut buf = Vec::new();
        let mut out = Vec::new();
        while let Some(line) = read_line_bounded(&mut r, &mut buf, max).unwrap() {
            out.push(line.map(|()| String::from_utf8(buf.clone()).unwrap()));
        }
        out
    }

    #[test]
    fn lines_over_the_limit_are_reported_by_length_and_skipped_whole() {
        assert_eq!(
            lines("{\"id\":1}\n0123456789abcdef\n{}", 10),
            vec![Ok("{\"id\":1}\n".into()), Err(17), Ok("{}".into())]
        );
    }

    #[test]
    fn a_line_of_exactly_the_limit_is_read() {
        assert_eq!(lines("12345\n", 6), vec![Ok("12345\n".into())]);
        assert_eq!(lines("12345\n", 5), vec![Err(6)]);
    }

    #[test]
    fn where_a_contact_was_first_read_survives_packing() {
        for (src, line) in [
            (0, None),
            (0, Some(0)),
            (7, Some(12)),
            (u32::MAX, Some(4_000_000_000)),
        ] {
            assert_eq!(unpack_place(pack_place(src, line)), (src, line));
        }
    }
}
