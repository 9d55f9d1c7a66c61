//! The language-model judge: `judge` criteria asked of any OpenAI-compatible
//! chat-completions endpoint (llama.cpp's server, Ollama, vLLM, hosted APIs),
//! with the guarantees users of such products miss (issue 19):
//! - every yes or no rests on a quote found in the transcript (`guard`),
//!   else the criterion is `review` and a person decides;
//! - the transcript is masked before it leaves cqa (`prompt::transcript`);
//! - temperature 0, a fixed seed, and a cache (`cache`), so a re-run gives
//!   the same answers without asking again;
//! - timeouts, HTTP errors and malformed answers become `review` with the
//!   cause; the run goes on.
//!
//! Requests go out from the check's worker threads, at most
//! `concurrency` at once (a gate), so results keep their input order.

pub mod cache;
mod client;
mod decide;
pub mod guard;
pub mod prompt;

pub use decide::{decide, unconfigured, Decision};
pub use prompt::PROMPT_VERSION;

use crate::input::scorecard::JudgeAnswer;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// A model's verdict on one question, as it answered (before the guard).
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub answer: JudgeAnswer,
    pub quote: String,
    /// The turn number the model named (as shown to it, from 1).
    pub turn: Option<usize>,
    /// Probability of the chosen answer, when the server gives log-probabilities.
    pub confidence: Option<f64>,
}

/// Why a question got no answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    Timeout,
    Http(u16, String),
    /// The server answered, but not with a usable verdict.
    BadJson(String),
    /// No connection, or it broke (e.g. the server died).
    Connection(String),
}

impl Fault {
    pub fn describe(&self, lang: crate::words::Lang, timeout: Duration) -> String {
        let secs = timeout.as_secs();
        match (self, lang) {
            (Fault::Timeout, crate::words::Lang::Ru) => {
                format!("истекло время ожидания ответа ({secs} с)")
            }
            (Fault::Timeout, crate::words::Lang::En) => format!("no answer within {secs} s"),
            (Fault::Http(code, body), crate::words::Lang::Ru) => {
                format!("ошибка HTTP {code}: {body}")
            }
            (Fault::Http(code, body), crate::words::Lang::En) => {
                format!("HTTP error {code}: {body}")
            }
            (Fault::BadJson(m), crate::words::Lang::Ru) => format!("некорректный ответ: {m}"),
            (Fault::BadJson(m), crate::words::Lang::En) => format!("malformed answer: {m}"),
            (Fault::Connection(m), crate::words::Lang::Ru) => {
                format!("нет соединения с сервером: {m}")
            }
            (Fault::Connection(m), crate::words::Lang::En) => {
                format!("cannot reach the server: {m}")
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum JudgeError {
    #[error("--judge-url `{0}`: expected an http:// or https:// address such as http://127.0.0.1:8080/v1")]
    Url(String),
    #[error("--judge-concurrency must be at least 1")]
    Concurrency,
    #[error(transparent)]
    Cache(#[from] cache::CacheError),
    #[error("--judge-cache: no cache folder is known (set HOME or XDG_CACHE_HOME, or give --judge-cache FILE)")]
    NoCacheFolder,
}

/// How to reach the model.
#[derive(Debug, Clone)]
pub struct JudgeConfig {
    /// Base URL of the API, e.g. `http://127.0.0.1:8080/v1`.
    pub url: String,
    pub model: String,
    /// From `CQA_JUDGE_API_KEY`: sent to the server, never logged or written.
    pub api_key: Option<String>,
    /// SQLite file; `None` for the default in the user's cache folder.
    pub cache: Option<PathBuf>,
    /// Ask again even when the cache has an answer (and keep the new one).
    pub refresh: bool,
    pub concurrency: usize,
    pub timeout: Duration,
    /// Whether transcripts are masked before sending (false with `--no-mask`).
    pub mask: bool,
}

/// At most N requests in flight.
struct Gate {
    free: Mutex<usize>,
    cv: Condvar,
}

impl Gate {
    fn run<T>(&self, f: impl FnOnce() -> T) -> T {
        {
            let mut free = self.free.lock().unwrap_or_else(|p| p.into_inner());
            while *free == 0 {
                free = self.cv.wait(free).unwrap_or_else(|p| p.into_inner());
            }
            *free -= 1;
        }
        let out = f();
        *self.free.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        self.cv.notify_one();
        out
    }
}

/// What the judge did in a run, for run.json (the key is never part of it).
#[derive(Debug, Clone, Serialize)]
pub struct JudgeReport {
    /// Host (and port) of the endpoint: no path, no credentials.
    pub endpoint_host: String,
    pub model: String,
    pub prompt_version: &'static str,
    pub masked: bool,
    pub concurrency: usize,
    pub cache: String,
    /// Questions asked (cache misses), HTTP requests, answers from the cache.
    pub questions: u64,
    pub requests: u64,
    pub cache_hits: u64,
    /// Questions that got no usable answer (each such criterion is `review`).
    pub errors: u64,
    /// Wall time spent waiting for the server, summed over requests.
    pub request_seconds: f64,
}

pub struct Judge {
    client: client::Client,
    cache: cache::Cache,
    cfg: JudgeConfig,
    gate: Gate,
    /// Under `--judge-refresh`, the keys whose answer this run has kept (so
    /// that only the first replaces the old one); locked while any answer is
    /// kept. Empty otherwise, as the cache itself serves repeats.
    kept: Mutex<std::collections::HashSet<String>>,
    questions: AtomicU64,
    requests: AtomicU64,
    hits: AtomicU64,
    errors: AtomicU64,
    nanos: AtomicU64,
}

/// Shows where and which model, never the key.
impl std::fmt::Debug for Judge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Judge")
            .field("endpoint_host", &endpoint_host(&self.cfg.url))
            .field("model", &self.cfg.model)
            .finish_non_exhaustive()
    }
}

/// `http://user:pw@host:8080/v1` -> `host:8080`.
pub fn endpoint_host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    authority.rsplit('@').next().unwrap_or("").to_string()
}

impl Judge {
    pub fn new(cfg: JudgeConfig) -> Result<Judge, JudgeError> {
        let lower = cfg.url.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://"))
            || endpoint_host(&cfg.url).is_empty()
        {
            return Err(JudgeError::Url(cfg.url.clone()));
        }
        if cfg.concurrency == 0 {
            return Err(JudgeError::Concurrency);
        }
        let path = match &cfg.cache {
            Some(p) => p.clone(),
            None => cache::default_path().ok_or(JudgeError::NoCacheFolder)?,
        };
        let cache = cache::Cache::open(&path)?;
        Ok(Judge {
            client: client::Client::new(&cfg.url, &cfg.model, cfg.api_key.clone(), cfg.timeout),
            cache,
            gate: Gate {
                free: Mutex::new(cfg.concurrency),
                cv: Condvar::new(),
            },
            cfg,
            kept: Mutex::default(),
            questions: AtomicU64::new(0),
            requests: AtomicU64::new(0),
            hits: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            nanos: AtomicU64::new(0),
        })
    }

    pub fn masks(&self) -> bool {
        self.cfg.mask
    }

    pub fn timeout(&self) -> Duration {
        self.cfg.timeout
    }

    fn key(&self, rule_hash: &str, transcript_hash: &str) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for part in [&self.cfg.model, PROMPT_VERSION, rule_hash, transcript_hash] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        prompt::hex(&h.finalize())
    }

    /// The answer to `rule` on `transcript`: from the cache, else from the
    /// server (waiting for a free slot), kept in the cache when it is one.
    /// What is used is what the cache holds afterwards, so a re-run that
    /// reads it writes the same results: two criteria or contacts with the
    /// same key asked at once may get different answers from a server
    /// (llama.cpp reuses its attention cache from the previous prompt), and
    /// the first one kept serves both.
    pub fn ask(
        &self,
        rule: &crate::input::scorecard::JudgeRule,
        rule_hash: &str,
        transcript: &prompt::Transcript,
    ) -> Result<Reply, Fault> {
        let key = self.key(rule_hash, &transcript.hash);
        if !self.cfg.refresh || self.kept_now(&key) {
            if let Some(r) = self.cache.get(&key) {
                self.hits.fetch_add(1, Ordering::Relaxed);
                return Ok(r);
            }
        }
        self.questions.fetch_add(1, Ordering::Relaxed);
        let messages = prompt::messages(rule, &transcript.text);
        // The turns the model may quote (see `client::schema`).
        let quotes: Vec<&str> = transcript
            .lines
            .iter()
            .filter(|l| guard::speaker_ok(rule.speaker, l.speaker))
            .map(|l| l.text.as_str())
            .collect();
        let schema = client::schema(&quotes);
        let sent = self.gate.run(|| {
            let t = Instant::now();
            let s = self.client.send(&messages, &schema);
            self.nanos
                .fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
            s
        });
        self.requests.fetch_add(sent.requests, Ordering::Relaxed);
        match sent.result {
            Ok(r) => {
                let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
                let replace = self.cfg.refresh && !kept.contains(&key);
                let version = (self.cfg.model.as_str(), PROMPT_VERSION);
                match self.cache.keep(&key, &r, version, replace) {
                    Ok(Some(stored)) => {
                        if self.cfg.refresh {
                            kept.insert(key);
                        }
                        Ok(stored)
                    }
                    // A cache that cannot be written costs a re-ask next run, nothing more.
                    _ => Ok(r),
                }
            }
            Err(f) => {
                self.errors.fetch_add(1, Ordering::Relaxed);
                Err(f)
            }
        }
    }

    /// Whether this run has already kept an answer for `key`.
    fn kept_now(&self, key: &str) -> bool {
        self.kept
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(key)
    }

    pub fn report(&self) -> JudgeReport {
        JudgeReport {
            endpoint_host: endpoint_host(&self.cfg.url),
            model: self.cfg.model.clone(),
            prompt_version: PROMPT_VERSION,
            masked: self.cfg.mask,
            concurrency: self.cfg.concurrency,
            cache: self.cache.path.display().to_string(),
            questions: self.questions.load(Ordering::Relaxed),
            requests: self.requests.load(Ordering::Relaxed),
            cache_hits: self.hits.load(Ordering::Relaxed),
            errors: self.errors.load(Ordering::Relaxed),
            request_seconds: self.nanos.load(Ordering::Relaxed) as f64 / 1e9,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_json_gets_the_host_without_credentials_or_path() {
        assert_eq!(
            endpoint_host("https://user:secret@api.example.com:8443/v1?x=1"),
            "api.example.com:8443"
        );
        assert_eq!(endpoint_host("http://127.0.0.1:8080/v1"), "127.0.0.1:8080");
    }
}
