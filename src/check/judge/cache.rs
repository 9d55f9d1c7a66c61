//! Answers kept between runs in an embedded SQLite database, so that a
//! re-run asks nothing and gives byte-identical results.
//!
//! The key (computed by the caller) covers the model, the prompt version,
//! the criterion's question and examples, and (by its SHA-256) the masked
//! window text: any
//! change to what the model would see asks again. Only answers are kept,
//! never faults: a timeout is retried on the next run. The first answer
//! kept for a key stays (until `--judge-refresh`), and every criterion
//! asked under that key uses it, in this run and the next.

use super::Reply;
use crate::input::scorecard::JudgeAnswer;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cannot create the folder of the judge cache {}: {source}", path.display())]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open the judge cache {}: {source}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
}

/// Connections to one database, one per worker at a time: SQLite in WAL
/// mode reads in parallel, so workers do not queue behind one connection.
pub struct Cache {
    idle: Mutex<Vec<Connection>>,
    pub path: PathBuf,
}

fn connect(path: &Path) -> rusqlite::Result<Connection> {
    let db = Connection::open(path)?;
    // Several shards may share one cache: wait for each other's writes.
    db.busy_timeout(std::time::Duration::from_secs(30))?;
    db.pragma_update(None, "synchronous", "NORMAL")?;
    // A warm re-run reads an answer for every judge criterion of every
    // contact: pages mapped and cached (64 MB) rather than read a call at a time.
    db.pragma_update(None, "mmap_size", 256i64 * 1024 * 1024)?;
    db.pragma_update(None, "cache_size", -65_536i64)?;
    Ok(db)
}

/// The default database: `$XDG_CACHE_HOME/cqa/judge.sqlite`, else
/// `~/.cache/cqa/judge.sqlite` (`%LOCALAPPDATA%\cqa` on Windows); `None`
/// when none of these is known.
pub fn default_path() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = env("XDG_CACHE_HOME")
        .or_else(|| env("LOCALAPPDATA"))
        .or_else(|| env("HOME").map(|h| h.join(".cache")))?;
    Some(base.join("cqa").join("judge.sqlite"))
}

impl Cache {
    pub fn open(path: &Path) -> Result<Cache, CacheError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| CacheError::Folder {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let open = |path: &Path| -> rusqlite::Result<Connection> {
            let db = connect(path)?;
            db.pragma_update(None, "journal_mode", "WAL")?;
            db.execute_batch(
                "CREATE TABLE IF NOT EXISTS answers (
                    key TEXT PRIMARY KEY,
                    answer TEXT NOT NULL,
                    quote TEXT NOT NULL,
                    turn INTEGER,
                    confidence REAL,
                    model TEXT NOT NULL,
                    prompt_version TEXT NOT NULL
                )",
            )?;
            Ok(db)
        };
        let db = open(path).map_err(|source| CacheError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(Cache {
            idle: Mutex::new(vec![db]),
            path: path.to_path_buf(),
        })
    }

    /// Runs `f` on an idle connection (a new one when all are busy), then
    /// returns it to the pool.
    fn with<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> rusqlite::Result<T> {
        let idle = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let db = match idle {
            Some(db) => db,
            None => connect(&self.path)?,
        };
        let out = f(&db);
        self.idle.lock().unwrap_or_else(|p| p.into_inner()).push(db);
        out
    }

    /// The kept answer for `key`; an unreadable row counts as absent.
    pub fn get(&self, key: &str) -> Option<Reply> {
        self.with(|db| Ok(Self::read(db, key))).ok().flatten()
    }

    fn read(db: &Connection, key: &str) -> Option<Reply> {
        let mut st = db
            .prepare_cached("SELECT answer, quote, turn, confidence FROM answers WHERE key = ?1")
            .ok()?;
        st.query_row(params![key], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, Option<f64>>(3)?,
            ))
        })
        .optional()
        .ok()
        .flatten()
        .and_then(|(a, quote, turn, confidence)| {
            Some(Reply {
                answer: JudgeAnswer::parse(&a)?,
                quote,
                turn: turn.and_then(|t| usize::try_from(t).ok()),
                confidence,
            })
        })
    }

    /// Keeps `r` for `key` (over an answer already kept only when `replace`)
    /// and returns the answer the cache now holds, read back in the same
    /// transaction: the one to use, since a re-run will read exactly it. It
    /// differs from `r` when the same question was answered first elsewhere
    /// (another worker or shard asking at the same time).
    pub fn keep(
        &self,
        key: &str,
        r: &Reply,
        (model, prompt_version): (&str, &str),
        replace: bool,
    ) -> rusqlite::Result<Option<Reply>> {
        self.with(|db| {
            let tx = db.unchecked_transaction()?;
            Self::write(&tx, key, r, (model, prompt_version), replace)?;
            let kept = Self::read(&tx, key);
            tx.commit()?;
            Ok(kept)
        })
    }

    fn write(
        db: &Connection,
        key: &str,
        r: &Reply,
        (model, prompt_version): (&str, &str),
        replace: bool,
    ) -> rusqlite::Result<()> {
        let mut st = db.prepare_cached(if replace {
            "INSERT OR REPLACE INTO answers (key, answer, quote, turn, confidence, model, prompt_version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        } else {
            "INSERT OR IGNORE INTO answers (key, answer, quote, turn, confidence, model, prompt_version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        })?;
        st.execute(params![
            key,
            r.answer.id(),
            r.quote,
            r.turn.and_then(|t| i64::try_from(t).ok()),
            r.confidence,
            model,
            prompt_version
        ])?;
        Ok(())
    }
}
