//! The batch: discover inputs, load contacts in parallel, score each with the
//! first scorecard that applies, and hand results to a sink in input order.
//!
//! Every discovered contact ends in exactly one place — a result or a
//! rejection with a reason — so `processed + rejected == discovered` always.
//! Work goes in bounded batches: memory does not grow with the number of
//! contacts (only the set of ids seen, to catch duplicates), and results come
//! out in input order whatever the thread count.

use crate::contact::{self, decode_bytes, InputKind, SkippedFile};
use crate::engine::{EvalOptions, ScorecardSet};
use crate::results::{ContactResult, Rejection};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

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

/// Which slice of the contacts this process scores (`--shard K/N`), by a
/// stable hash of the contact id, so that N machines split a batch without talking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    pub fn contains(&self, contact_id: &str) -> bool {
        // FNV-1a: stable across platforms and releases, unlike std's hasher.
        let mut h: u64 = 0xcbf29ce484222325;
        for b in contact_id.as_bytes() {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x100000001b3);
        }
        (h % u64::from(self.count)) as u32 == self.index
    }
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("expected K/N such as 1/4, got `{s}`"))?;
        let index: u32 = k
            .trim()
            .parse()
            .map_err(|_| format!("shard number `{k}` is not a whole number"))?;
        let count: u32 = n
            .trim()
            .parse()
            .map_err(|_| format!("shard count `{n}` is not a whole number"))?;
        if count == 0 || index == 0 || index > count {
            return Err(format!("shard must be K/N with 1 <= K <= N, got `{s}`"));
        }
        Ok(Shard {
            index: index - 1,
            count,
        })
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
}

/// Where results go; the CLI writes files, tests collect in memory.
pub trait Sink {
    fn result(&mut self, r: &ContactResult) -> std::io::Result<()>;
    fn rejection(&mut self, r: &Rejection) -> std::io::Result<()>;
    /// Called after each batch with the number of contacts handled so far.
    fn progress(&mut self, _done: u64) {}
}

/// Counts of a finished run.
#[derive(Debug, Clone, Default)]
pub struct RunCounts {
    pub discovered: u64,
    pub processed: u64,
    pub rejected: u64,
    /// Contacts left to other shards (`--shard`): neither processed nor rejected here.
    pub other_shards: u64,
    pub skipped: Vec<SkippedFile>,
    /// Bytes of input read.
    pub bytes: u64,
}

enum Unit {
    File(PathBuf),
    Line {
        path: PathBuf,
        line: u64,
        text: Result<String, String>,
    },
    Rejected(Rejection),
}

enum Outcome {
    Scored(Box<ContactResult>),
    Rejected(Rejection),
    OtherShard,
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

fn score(
    set: &ScorecardSet,
    cfg: &CheckConfig,
    source: &Path,
    line: Option<u64>,
    text: &str,
) -> Outcome {
    let c = match contact::parse_contact(text) {
        Ok(c) => c,
        // A .jsonl line is one line: its column is all that locates the error.
        Err(contact::ContactError::Json {
            line: 1,
            column,
            message,
        }) if line.is_some() => {
            return reject(
                source,
                line,
                format!("invalid JSON at column {column}: {message}"),
            )
        }
        Err(e) => return reject(source, line, e.to_string()),
    };
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
    if let Some(shard) = cfg.shard {
        if !shard.contains(&c.id) {
            return Outcome::OtherShard;
        }
    }
    match set.select(&c) {
        Some(card) => Outcome::Scored(Box::new(card.evaluate(
            &c,
            &display(source),
            line,
            &cfg.opts,
        ))),
        None => {
            let cards: Vec<String> = set
                .cards
                .iter()
                .map(|s| {
                    let a = &s.card.applies_to;
                    let mut what: Vec<String> = a.channels.clone();
                    what.extend(a.queues.iter().map(|q| format!("queue {q}")));
                    format!(
                        "{} ({})",
                        s.card.id,
                        if what.is_empty() {
                            "all".into()
                        } else {
                            what.join(", ")
                        }
                    )
                })
                .collect();
            reject(
                source,
                line,
                format!(
                    "contact `{}` (channel `{}`, queue `{}`): no scorecard applies to it; scorecards: {}",
                    c.id,
                    c.channel.as_deref().unwrap_or("-"),
                    c.queue.as_deref().unwrap_or("-"),
                    cards.join("; ")
                ),
            )
        }
    }
}

fn run_unit(set: &ScorecardSet, cfg: &CheckConfig, u: Unit) -> (Outcome, u64) {
    match u {
        Unit::Rejected(r) => (Outcome::Rejected(r), 0),
        Unit::Line { path, line, text } => match text {
            Ok(t) => {
                let n = t.len() as u64;
                (score(set, cfg, &path, Some(line), &t), n)
            }
            Err(reason) => (reject(&path, Some(line), reason), 0),
        },
        Unit::File(path) => {
            let bytes = match std::fs::read(&path) {
                Ok(b) => b,
                Err(e) => return (reject(&path, None, format!("cannot read: {e}")), 0),
            };
            let n = bytes.len() as u64;
            if bytes.iter().all(|b| b.is_ascii_whitespace()) {
                return (reject(&path, None, "empty file"), n);
            }
            match decode_bytes(&bytes) {
                Ok((text, _)) => (score(set, cfg, &path, None, &text), n),
                Err(e) => (reject(&path, None, e.to_string()), n),
            }
        }
    }
}

/// Reads one line of at most `max` bytes; a longer line is consumed and reported by its length.
fn read_line_bounded(
    r: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: u64,
) -> std::io::Result<Option<Result<(), u64>>> {
    buf.clear();
    let mut total: u64 = 0;
    let mut too_long = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            return Ok(if total == 0 {
                None
            } else if too_long {
                Some(Err(total))
            } else {
                Some(Ok(()))
            });
        }
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        total += take as u64;
        if total > max {
            too_long = true;
            buf.clear();
        } else if !too_long {
            buf.extend_from_slice(&chunk[..take]);
        }
        r.consume(take);
        if done {
            return Ok(Some(if too_long { Err(total) } else { Ok(()) }));
        }
    }
}

/// Runs the batch over `cfg.inputs`, in input order, into `sink`.
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
    let batch_size = if cfg.batch == 0 { 2048 } else { cfg.batch };
    let mut state = State {
        seen: HashMap::new(),
        counts: &mut counts,
    };
    let mut batch: Vec<Unit> = Vec::with_capacity(batch_size);
    for (path, reason) in found.unusable {
        batch.push(Unit::Rejected(Rejection {
            source: display(&path),
            line: None,
            reason,
        }));
    }
    for (path, kind) in found.inputs {
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        // A .jsonl file is streamed line by line, so only its lines are bounded.
        if kind != InputKind::Jsonl && size > cfg.limits.max_file_bytes {
            batch.push(Unit::Rejected(Rejection {
                source: display(&path),
                line: None,
                reason: format!(
                    "file is {} MiB, over the limit of {} MiB (--max-file-mb); not read",
                    size / (1024 * 1024),
                    cfg.limits.max_file_bytes / (1024 * 1024)
                ),
            }));
        } else {
            match kind {
                InputKind::Json => batch.push(Unit::File(path)),
                InputKind::Jsonl => {
                    let file = match std::fs::File::open(&path) {
                        Ok(f) => f,
                        Err(e) => {
                            batch.push(Unit::Rejected(Rejection {
                                source: display(&path),
                                line: None,
                                reason: format!("cannot read: {e}"),
                            }));
                            continue;
                        }
                    };
                    let mut r = BufReader::with_capacity(1 << 16, file);
                    let mut buf = Vec::new();
                    let mut line_no = 0u64;
                    let mut units_in_file = 0u64;
                    loop {
                        let next =
                            match read_line_bounded(&mut r, &mut buf, cfg.limits.max_file_bytes) {
                                Ok(n) => n,
                                Err(e) => {
                                    batch.push(Unit::Rejected(Rejection {
                                        source: display(&path),
                                        line: Some(line_no + 1),
                                        reason: format!("cannot read: {e}"),
                                    }));
                                    break;
                                }
                            };
                        let Some(line) = next else { break };
                        line_no += 1;
                        let text = match line {
                            Err(len) => {
                                Err(format!("line is {len} bytes, over the limit; not read"))
                            }
                            Ok(()) => {
                                let mut bytes: &[u8] = &buf;
                                if line_no == 1 && bytes.starts_with(b"\xEF\xBB\xBF") {
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
                        batch.push(Unit::Line {
                            path: path.clone(),
                            line: line_no,
                            text,
                        });
                        if batch.len() >= batch_size {
                            flush(set, cfg, &mut batch, &mut state, sink)?;
                        }
                    }
                    if units_in_file == 0 {
                        batch.push(Unit::Rejected(Rejection {
                            source: display(&path),
                            line: None,
                            reason: "empty file: no contacts".into(),
                        }));
                    }
                }
            }
        }
        if batch.len() >= batch_size {
            flush(set, cfg, &mut batch, &mut state, sink)?;
        }
    }
    flush(set, cfg, &mut batch, &mut state, sink)?;
    Ok(counts)
}

struct State<'a> {
    /// Contact id -> where it was first read, to name both sources of a duplicate.
    seen: HashMap<String, String>,
    counts: &'a mut RunCounts,
}

fn flush(
    set: &ScorecardSet,
    cfg: &CheckConfig,
    batch: &mut Vec<Unit>,
    st: &mut State<'_>,
    sink: &mut dyn Sink,
) -> std::io::Result<()> {
    let units = std::mem::take(batch);
    let outcomes: Vec<(Outcome, u64)> = units
        .into_par_iter()
        .map(|u| run_unit(set, cfg, u))
        .collect();
    for (o, bytes) in outcomes {
        st.counts.bytes += bytes;
        match o {
            Outcome::OtherShard => st.counts.other_shards += 1,
            Outcome::Rejected(r) => {
                st.counts.discovered += 1;
                st.counts.rejected += 1;
                sink.rejection(&r)?;
            }
            Outcome::Scored(r) => {
                st.counts.discovered += 1;
                let here = match r.line {
                    Some(l) => format!("{}:{l}", r.source),
                    None => r.source.clone(),
                };
                if let Some(first) = st.seen.get(&r.contact_id) {
                    st.counts.rejected += 1;
                    sink.rejection(&Rejection {
                        source: r.source.clone(),
                        line: r.line,
                        reason: format!("duplicate contact id `{}`: already read from {first}; this copy ({here}) is not scored", r.contact_id),
                    })?;
                } else {
                    st.seen.insert(r.contact_id.clone(), here);
                    st.counts.processed += 1;
                    sink.result(&r)?;
                }
            }
        }
    }
    sink.progress(st.counts.discovered);
    Ok(())
}
