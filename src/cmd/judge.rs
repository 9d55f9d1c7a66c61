//! The `check` options of the language-model judge (src/check/judge), and
//! what a run says about it in the terminal summary (run.json's `judge`:
//! `cqa::run::record::JudgeUse`).

use super::Failure;
use anyhow::anyhow;
use cqa::check::judge::{Judge, JudgeConfig};
use cqa::check::ScorecardSet;
use cqa::words::cli::cli;
use cqa::words::Lang;
use std::path::PathBuf;
use std::sync::Arc;

/// Where the key comes from: an environment variable, so that it is never
/// on a command line, in a log or in run.json.
pub const API_KEY_VAR: &str = "CQA_JUDGE_API_KEY";

#[derive(clap::Args, Debug)]
pub struct JudgeArgs {
    /// OpenAI-compatible API for `judge` criteria, e.g. http://127.0.0.1:8080/v1
    /// (key, if needed: CQA_JUDGE_API_KEY). Without it judge criteria are `review`
    #[arg(long, value_name = "URL")]
    judge_url: Option<String>,
    /// Model name sent to the API
    #[arg(long, value_name = "NAME", default_value = "default")]
    judge_model: String,
    /// SQLite file of the model's answers [default: the user's cache folder, cqa/judge.sqlite]
    #[arg(long, value_name = "FILE")]
    judge_cache: Option<PathBuf>,
    /// Ask the model again even where the cache has an answer
    #[arg(long)]
    judge_refresh: bool,
    /// Requests to the model at once
    #[arg(long, default_value_t = 4, value_name = "N")]
    judge_concurrency: usize,
    /// Seconds to wait for one answer
    #[arg(long, default_value_t = 120, value_name = "SECONDS")]
    judge_timeout: u64,
}

impl JudgeArgs {
    /// The judge, when a URL is given and some scorecard has judge criteria.
    pub fn open(&self, set: &ScorecardSet, mask: bool) -> Result<Option<Arc<Judge>>, Failure> {
        let Some(url) = &self.judge_url else {
            return Ok(None);
        };
        if self.judge_timeout == 0 {
            return Err(Failure::usage(anyhow!(
                "--judge-timeout must be at least 1 second"
            )));
        }
        if !set.cards.iter().any(|c| c.uses_judge()) {
            return Ok(None);
        }
        let judge = Judge::new(JudgeConfig {
            url: url.clone(),
            model: self.judge_model.clone(),
            api_key: std::env::var(API_KEY_VAR).ok().filter(|k| !k.is_empty()),
            cache: self.judge_cache.clone(),
            refresh: self.judge_refresh,
            concurrency: self.judge_concurrency,
            timeout: std::time::Duration::from_secs(self.judge_timeout),
            mask,
        })
        .map_err(|e| Failure::usage(anyhow!(e)))?;
        Ok(Some(Arc::new(judge)))
    }

    /// Worker threads when the pool of `threads` is too small to keep
    /// `--judge-concurrency` requests in flight (workers block on the model).
    pub fn threads(&self, threads: usize, judging: bool) -> Option<usize> {
        (judging && threads < self.judge_concurrency).then_some(self.judge_concurrency)
    }
}

/// One line for the terminal: what the model did, or that none was set up.
pub fn summary(set: &ScorecardSet, judge: Option<&Judge>, lang: Lang) -> String {
    match judge {
        Some(j) => {
            let r = j.report();
            (cli(lang).judge_report)(
                &r.model,
                &r.endpoint_host,
                r.questions,
                r.requests,
                r.cache_hits,
                r.errors,
            )
        }
        None if set.cards.iter().any(|c| c.uses_judge()) => {
            cli(lang).judge_not_configured.to_string()
        }
        None => String::new(),
    }
}
