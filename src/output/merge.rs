//! Merging the results files given to `cqa report` (the shards of a run) so
//! that no contact is counted twice.
//!
//! A full run plus one of its shards, or a shard given twice, used to add
//! up: 15,001 contacts "processed" out of 10,000. The same contact id in two
//! inputs is now an error naming both files — unless the two results are
//! identical (the same contact scored with the same scorecard to the same
//! line), which is the same result read twice: it is counted once, and the
//! report says so.

use crate::output::results::read::ReadError;
use crate::output::xlsx::ListRows;
use crate::score::aggregate::Aggregates;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

/// The results of several files, each contact once.
#[derive(Debug, Default)]
pub struct Merged {
    pub aggregates: Aggregates,
    /// Results read from each file, repeats included (what its run.json counts).
    pub read: Vec<u64>,
    /// Identical results met again in a later input and counted once.
    pub repeated: u64,
    /// The first pair of inputs that repeated a result, for the note.
    pub repeated_in: Option<(PathBuf, PathBuf)>,
}

#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("contact `{id}` is in two report inputs with different results: {first} and {second}; give each contact's results once (e.g. the shards of one run, not the full run as well)")]
    Duplicate {
        id: String,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("{path}: cannot set the list rows aside: {source}")]
    Rows {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn hash_of(bytes: &[u8], salt: u8) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    salt.hash(&mut h);
    bytes.hash(&mut h);
    h.finish()
}

/// A contact id as 128 bits (a million ids in tens of MB; a false match is
/// less likely than a disk error), as the check's own duplicate test keeps it.
fn id_key(id: &str) -> u128 {
    (u128::from(hash_of(id.as_bytes(), 1)) << 64) | u128::from(hash_of(id.as_bytes(), 2))
}

/// Reads every file once, streaming, into aggregates (and list rows when
/// asked), counting each contact once (see the module comment).
pub fn merge_results(
    files: &[PathBuf],
    mut rows: Option<&mut ListRows>,
) -> Result<Merged, MergeError> {
    let mut out = Merged::default();
    // Contact id -> (input number, hash of its results line).
    let mut seen: HashMap<u128, (u32, u64)> = HashMap::new();
    let mut failed: Option<MergeError> = None;
    out.read = vec![0; files.len()];
    // Shards come back in input order, with their files' line numbers.
    crate::output::results::read::visit_results(files, |i, line, r| {
        let f = &files[i];
        {
            if let Some(sig) = crate::sys::interrupt::received() {
                // Ctrl-C / SIGTERM: stop reading (the caller abandons the report).
                return Err(serde_json::Error::io(crate::sys::interrupt::stopped_error(
                    sig,
                )));
            }
            out.read[i] += 1;
            if failed.is_some() {
                return Ok(());
            }
            let this = (i as u32, hash_of(line.as_bytes(), 3));
            match seen.entry(id_key(&r.contact_id)) {
                Entry::Occupied(e) => {
                    let (first, hash) = *e.get();
                    let first = files[first as usize].clone();
                    if hash == this.1 {
                        out.repeated += 1;
                        out.repeated_in.get_or_insert((first, f.clone()));
                    } else {
                        failed = Some(MergeError::Duplicate {
                            id: r.contact_id.clone(),
                            first,
                            second: f.clone(),
                        });
                    }
                    return Ok(());
                }
                Entry::Vacant(e) => {
                    e.insert(this);
                }
            }
            out.aggregates.add(&r);
            if let Some(rows) = rows.as_deref_mut() {
                if let Err(source) = rows.add(&r) {
                    failed = Some(MergeError::Rows {
                        path: rows.dir().to_path_buf(),
                        source,
                    });
                }
            }
            Ok(())
        }
    })?;
    if let Some(e) = failed {
        return Err(e);
    }
    Ok(out)
}

/// The note a report shows when identical results were counted once.
pub fn repeated_note(m: &Merged, lang: crate::words::Lang) -> Option<String> {
    let (a, b) = m.repeated_in.as_ref()?;
    let w = crate::words::results::ResultsWords::for_lang(lang);
    Some((w.repeated)(
        m.repeated,
        &a.display().to_string(),
        &b.display().to_string(),
    ))
}
