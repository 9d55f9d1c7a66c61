//! `cqa sample-size`

use super::Failure;
use anyhow::anyhow;
use cqa::stats::{normal_quantile, sample_size, wilson_interval};
use cqa::words::cli_qa::QaCliWords;

/// How many contacts to monitor per agent to know an error rate within
/// ±margin (with the finite-population correction), or — with --wilson K/N —
/// the Wilson interval of an observed rate. The answer goes to stdout alone,
/// so scripts can use it; the explanation goes to stderr.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Russian terms (default --lang ru): контактов на проверку = contacts to monitor; п.п. = percentage points; доверие = confidence; интервал Уилсона = Wilson interval."
)]
pub struct Args {
    /// Half-width of the interval, as a fraction (0.05 = ±5 points)
    #[arg(long, default_value_t = 0.05)]
    margin: f64,
    /// Confidence level, as a fraction
    #[arg(long, default_value_t = 0.95)]
    confidence: f64,
    /// Contacts the agent handles in the period (finite-population correction)
    #[arg(long, value_name = "N")]
    population: Option<u64>,
    /// Expected error rate; 0.5 is the safe worst case
    #[arg(long = "p", visible_alias = "proportion", default_value_t = 0.5)]
    p: f64,
    /// Instead: the interval for K errors in N monitored contacts, e.g. 3/30
    #[arg(long, value_name = "K/N", conflicts_with_all = ["margin", "population", "p"])]
    wilson: Option<String>,
    /// Print only the answer
    #[arg(short, long)]
    quiet: bool,
    /// Language of the explanation on stderr
    #[arg(long, default_value = "ru", value_name = "ru|en")]
    pub(super) lang: cqa::words::Lang,
}

fn parse_fraction(s: &str) -> Result<(u64, u64), String> {
    let (k, n) = s
        .split_once('/')
        .ok_or_else(|| format!("--wilson expects K/N such as 3/30, got `{s}`"))?;
    let k: u64 = k
        .trim()
        .parse()
        .map_err(|_| format!("--wilson {s}: `{k}` is not a whole number"))?;
    let n: u64 = n
        .trim()
        .parse()
        .map_err(|_| format!("--wilson {s}: `{n}` is not a whole number"))?;
    if n == 0 || k > n {
        return Err(format!("--wilson {s}: need 0 <= K <= N and N >= 1"));
    }
    Ok((k, n))
}

pub fn run(a: Args) -> Result<(), Failure> {
    let w = QaCliWords::for_lang(a.lang);
    let z = if a.confidence > 0.0 && a.confidence < 1.0 {
        normal_quantile(0.5 + a.confidence / 2.0)
    } else {
        None
    }
    .ok_or_else(|| {
        Failure::usage(anyhow!(
            "--confidence must be between 0 and 1 (exclusive), got {}",
            a.confidence
        ))
    })?;
    if let Some(fraction) = &a.wilson {
        let (k, n) = parse_fraction(fraction).map_err(|e| Failure::usage(anyhow!(e)))?;
        let (lo, hi) = wilson_interval(k, n, z)
            .ok_or_else(|| Failure::usage(anyhow!("--wilson {fraction}: no interval")))?;
        println!("[{lo:.4}, {hi:.4}]");
        if !a.quiet {
            eprintln!(
                "{k}/{n} = {:.1}%: {} {:.0}%: {:.1}% – {:.1}%",
                100.0 * k as f64 / n as f64,
                w.wilson,
                100.0 * a.confidence,
                100.0 * lo,
                100.0 * hi
            );
        }
        return Ok(());
    }
    let n = sample_size(a.margin, a.confidence, a.p, a.population).map_err(Failure::usage)?;
    println!("{n}");
    if !a.quiet {
        eprintln!(
            "{} ±{:.1} {} {:.0}%, {} {}{}",
            w.to_monitor,
            100.0 * a.margin,
            w.points_at,
            100.0 * a.confidence,
            w.expected_rate,
            a.p,
            a.population.map_or(String::new(), |p| format!(
                ", {} {p} {}",
                w.out_of, w.contacts
            ))
        );
    }
    Ok(())
}
