//! Memory over many daily rounds: 100 channels posting and revealing every day until 10,000
//! rounds are done, resident memory sampled along the way. Every round's question passes
//! through the store's per-round cache, so a cache without a bound shows here as growth.

use serde_json::{Value, json};

use super::{proc_status_kb, round3};
use crate::quiz::DeliveryKind;

#[derive(Debug, Clone)]
pub struct Options {
    pub rounds: usize,
    pub channels: usize,
}

pub fn run(opts: &Options) -> Result<Value, String> {
    let channels = opts.channels.max(1);
    let (_scratch, _, engine, start) = super::scheduler::scheduled_engine("rounds", channels)?;
    let every = (opts.rounds / 10).max(1);
    let (mut posted, mut samples) = (0usize, Vec::new());
    let mut now = start;
    while posted < opts.rounds {
        let Some(due) = engine.next_due(now) else {
            break;
        };
        now = due.max(now);
        for delivery in engine.tick(now) {
            match delivery.kind {
                DeliveryKind::Post => {
                    engine.confirm_post(delivery.round, None, now);
                    posted += 1;
                    if posted % every == 0 {
                        let rss = proc_status_kb("VmRSS").map(|kb| round3(kb as f64 / 1024.0));
                        samples.push(json!({"rounds": posted, "rss_mb": rss}));
                    }
                }
                DeliveryKind::Reveal { .. } => engine.confirm_reveal(delivery.round, now),
                DeliveryKind::Recap { recap } => engine.confirm_recap(recap, None, now),
            }
        }
        now += jiff::SignedDuration::from_secs(1);
    }
    let rss = |i: usize| samples.get(i).and_then(|s| s["rss_mb"].as_f64());
    let growth_kb_per_round = match (rss(0), rss(samples.len().saturating_sub(1))) {
        (Some(first), Some(last)) if samples.len() > 1 => {
            let rounds = (samples.len() - 1) * every;
            Some(round3((last - first) * 1024.0 / rounds as f64))
        }
        _ => None,
    };
    Ok(json!({
        "bench": "rounds",
        "channels": channels,
        "rounds": posted,
        "samples": samples,
        "growth_kb_per_round_after_first_sample": growth_kb_per_round,
    }))
}
