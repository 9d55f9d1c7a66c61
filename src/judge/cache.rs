//! Answers kept between runs in an embedded SQLite database, so that a
//! re-run asks nothing and gives byte-identical results.
//!
//! The key (computed by the caller) covers the model, the prompt version,
//! the criterion's question and examples, and the masked window text: any
//! change to what the model would see asks again. Only answers are kept,
//! never faults: a timeout is retried on the next run.

use super::Reply;
use crate::scorecard::JudgeAnswer;
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

pub struct Cache {
    db: Mutex<Connection>,
    pub path: PathBuf,
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
            let db = Connection::open(path)?;
            // Several shards may share one cache: wait for each other's writes.
            db.busy_timeout(std::time::Duration::from_secs(30))?;
            db.pragma_update(None, "journal_mode", "WAL")?;
            db.pragma_update(None, "synchronous", "NORMAL")?;
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
            db: Mutex::new(db),
            path: path.to_path_buf(),
        })
    }

    fn db(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic elsewhere while holding the lock leaves the connection usable.
        self.db.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The kept answer for `key`; an unreadable row counts as absent.
    pub fn get(&self, key: &str) -> Option<Reply> {
        let db = self.db();
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

    pub fn put(
        &self,
        key: &str,
        r: &Reply,
        model: &str,
        prompt_version: &str,
    ) -> rusqlite::Result<()> {
        let db = self.db();
        let mut st = db.prepare_cached(
            "INSERT OR REPLACE INTO answers (key, answer, quote, turn, confidence, model, prompt_version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
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
