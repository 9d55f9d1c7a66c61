//! The ordered drain: outcomes reach the sink in input order, each contact
//! counted once; a second copy of a contact id is rejected, naming where the
//! first was read; what rejections and warnings quote is masked.

use super::stage::{Done, Outcome};
use super::{LoadWarning, RunCounts, KEEP_CONFLICTS};
use crate::input::contact::Conflict;
use crate::output::Sink;
use crate::results::Rejection;
use std::collections::hash_map::Entry;
use std::collections::HashMap;

/// What the drain keeps between batches.
pub(super) struct State<'a> {
    /// Contact id (as a 128-bit hash: a million ids in ~50 MB, and a false
    /// duplicate less likely than a disk error) -> where it was first read
    /// (source number, line), to name both sources of a duplicate.
    /// The value is packed in 8 bytes (see [`pack_place`]): at a million
    /// contacts the table is most of the run's memory.
    pub(super) seen: HashMap<u128, u64>,
    /// Source files by number, each stored once.
    pub(super) sources: Vec<String>,
    pub(super) source_ids: HashMap<String, u32>,
    pub(super) counts: &'a mut RunCounts,
    /// Mask personal data in what rejections quote (as in quotes).
    pub(super) mask: bool,
    /// The input bytes of the whole run, for the progress bar (0: unknown).
    pub(super) total_bytes: u64,
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

pub(super) fn drain(
    outcomes: Vec<Vec<Done>>,
    st: &mut State<'_>,
    sink: &mut dyn Sink,
) -> std::io::Result<()> {
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
    sink.progress(crate::output::Progress {
        contacts: st.counts.discovered,
        bytes: st.counts.bytes,
        total_bytes: st.total_bytes,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
