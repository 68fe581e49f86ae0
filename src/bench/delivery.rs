//! Many channels due at one instant (09:00 in Seoul is everybody's 09:00), sent by the real
//! delivery loop (tick, claim, send, confirm in SQLite) to an in-process fake platform that
//! takes `latency` per call, within a global rate limit, with 1 % of the channels hanging
//! until the loop's time limit. The same run one delivery at a time shows what it replaced.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use serde_json::{Value, json};
use tokio::sync::Notify;

use super::{Scratch, generate, round3};
use crate::adapters::clock::Clock;
use crate::adapters::deliver::{self, Outbox, Pace, SendError, SendFuture};
use crate::bank::Lang;
use crate::quiz::{Delivery, Engine};
use crate::schedule::{DailyTime, RevealRule, Schedule, Weekdays, Zone};
use crate::store::{ScheduleRow, Store};

#[derive(Debug, Clone)]
pub struct Options {
    pub channels: usize,
    pub latency_ms: u64,
    /// Deliveries started a second (the platform's global limit).
    pub rate: u32,
    /// Deliveries in flight at once.
    pub concurrency: usize,
    /// Percent of channels whose call hangs until the loop's time limit.
    pub hanging_percent: f64,
    /// The loop's time limit on one delivery, in milliseconds.
    pub timeout_ms: u64,
}

/// One run's figures, in seconds from the due instant.
struct Run {
    /// When each healthy channel had its question.
    posted: Vec<Duration>,
    /// The most sends started within any one second.
    peak_per_second: usize,
}

pub fn run(opts: &Options) -> Result<Value, String> {
    let rate = std::num::NonZeroU32::new(opts.rate).ok_or("--rate must be at least 1")?;
    let concurrency =
        std::num::NonZeroUsize::new(opts.concurrency).ok_or("--concurrency must be at least 1")?;
    let paced = Pace {
        concurrency,
        per_second: Some(rate),
    };
    let one_at_a_time = Pace {
        concurrency: std::num::NonZeroUsize::MIN,
        per_second: Some(rate),
    };
    let mut concurrent = measure(opts, paced, opts.hanging_percent)?;
    let mut calm = measure(opts, paced, 0.0)?;
    let mut sequential = measure(opts, one_at_a_time, opts.hanging_percent)?;
    let hanging = hanging_count(opts.channels, opts.hanging_percent);
    Ok(json!({
        "bench": "delivery",
        "channels": opts.channels,
        "rate": opts.rate,
        "concurrency": opts.concurrency,
        "latency_ms": opts.latency_ms,
        "hanging": hanging,
        "timeout_s": round3(opts.timeout_ms as f64 / 1e3),
        "floor_s": round3(opts.channels as f64 / f64::from(opts.rate)),
        "last_healthy_s": last(&concurrent.posted),
        "lag_p50_s": seconds(&mut concurrent.posted, 50.0),
        "lag_p99_s": seconds(&mut concurrent.posted, 99.0),
        "peak_per_s": concurrent.peak_per_second,
        "without_hanging_last_s": last(&calm.posted),
        "without_hanging_lag_p99_s": seconds(&mut calm.posted, 99.0),
        "sequential_last_s": last(&sequential.posted),
        "sequential_lag_p50_s": seconds(&mut sequential.posted, 50.0),
    }))
}

fn hanging_count(channels: usize, percent: f64) -> usize {
    ((channels as f64) * percent / 100.0).round() as usize
}

fn last(posted: &[Duration]) -> f64 {
    round3(
        posted
            .iter()
            .max()
            .copied()
            .unwrap_or_default()
            .as_secs_f64(),
    )
}

fn seconds(posted: &mut [Duration], p: f64) -> f64 {
    round3(super::percentile_ms(posted, p) / 1e3)
}

/// The due instant: a Monday's 09:00 in Seoul.
const NINE: &str = "2026-01-05T09:00:00+09:00";

fn measure(opts: &Options, pace: Pace, hanging_percent: f64) -> Result<Run, String> {
    let scratch = Scratch::new("delivery")?;
    let bank = Arc::new(generate::bank(&scratch.0.join("bank"), 200)?);
    let store = Store::open(&scratch.0.join("delivery.db")).map_err(|e| e.to_string())?;
    let nine: Timestamp = NINE.parse().map_err(|e: jiff::Error| e.to_string())?;
    let schedule = Schedule {
        time: DailyTime::parse("09:00").map_err(|e| e.to_string())?,
        zone: Zone::parse("Asia/Seoul").map_err(|e| e.to_string())?,
        days: Weekdays::EVERY_DAY,
        reveal: RevealRule::DEFAULT,
    };
    let since = nine - jiff::SignedDuration::from_mins(1);
    let rows = (0..opts.channels)
        .map(|i| {
            ScheduleRow::new(
                format!("bench:channel{i:05}"),
                format!("bench:server{}", i / 100),
                schedule.clone(),
                Lang::En,
                since,
            )
        })
        .collect();
    store.save_schedules(rows).map_err(|e| e.to_string())?;
    let engine = Engine::new(bank, store, Lang::En);
    let hanging = hanging_count(opts.channels, hanging_percent);
    // Spread evenly: every n-th channel hangs.
    let every = opts.channels.checked_div(hanging).unwrap_or(usize::MAX);
    let platform = Arc::new(Platform {
        pace,
        latency: Duration::from_millis(opts.latency_ms),
        hanging: (0..hanging)
            .map(|k| format!("bench:channel{:05}", k * every + every / 2))
            .collect(),
        healthy: opts.channels - hanging,
        record: Mutex::default(),
        all_posted: Notify::new(),
    });
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let guard = Duration::from_millis(
        (opts.latency_ms + 1_000 / u64::from(pace.per_second.map_or(1, |r| r.get())))
            .saturating_mul(opts.channels as u64)
            .saturating_add(opts.timeout_ms.saturating_mul(hanging as u64 + 1))
            .saturating_mul(3),
    ) + Duration::from_secs(60);
    let posted = runtime.block_on(async {
        let waiting = platform.all_posted.notified();
        let start = Instant::now();
        let looping = tokio::spawn(
            deliver::Loop::new(
                engine,
                vec![Arc::new(Shared(platform.clone())) as Arc<dyn Outbox>],
                // The quiz's clock stands at the due instant; the run is timed on the real one.
                Clock::manual(nine),
                Arc::new(Notify::new()),
            )
            .send_timeout(Duration::from_millis(opts.timeout_ms))
            .run(),
        );
        let done = tokio::time::timeout(guard, waiting).await;
        looping.abort();
        let record = platform.record.lock().map_err(|e| e.to_string())?;
        if done.is_err() {
            return Err(format!(
                "only {} of {} healthy channels were posted within {} s",
                record.posted.len(),
                platform.healthy,
                guard.as_secs()
            ));
        }
        let posted: Vec<Duration> = record.posted.iter().map(|t| *t - start).collect();
        Ok((posted, peak(&record.started)))
    })?;
    Ok(Run {
        posted: posted.0,
        peak_per_second: posted.1,
    })
}

/// The most instants within any one second.
fn peak(started: &[Instant]) -> usize {
    let mut started = started.to_vec();
    started.sort_unstable();
    let (mut most, mut from) = (0, 0);
    for (i, t) in started.iter().enumerate() {
        while *t - started[from] >= Duration::from_secs(1) {
            from += 1;
        }
        most = most.max(i + 1 - from);
    }
    most
}

struct Platform {
    pace: Pace,
    latency: Duration,
    hanging: std::collections::HashSet<String>,
    healthy: usize,
    record: Mutex<Record>,
    all_posted: Notify,
}

#[derive(Default)]
struct Record {
    started: Vec<Instant>,
    posted: Vec<Instant>,
}

impl Platform {
    async fn deliver(&self, delivery: &Delivery) -> Result<Option<String>, SendError> {
        if let Ok(mut record) = self.record.lock() {
            record.started.push(Instant::now());
        }
        if self.hanging.contains(&delivery.channel) {
            std::future::pending::<()>().await;
        }
        tokio::time::sleep(self.latency).await;
        let now = Instant::now();
        if let Ok(mut record) = self.record.lock() {
            record.posted.push(now);
            if record.posted.len() == self.healthy {
                self.all_posted.notify_one();
            }
        }
        Ok(Some(format!("m{}", delivery.round)))
    }
}

struct Shared(Arc<Platform>);

impl Outbox for Shared {
    fn owns(&self, channel: &str) -> bool {
        channel.starts_with("bench:")
    }

    fn send<'a>(&'a self, delivery: &'a Delivery) -> SendFuture<'a> {
        Box::pin(self.0.deliver(delivery))
    }

    fn pace(&self) -> Pace {
        self.0.pace
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peak_counts_the_busiest_second() {
        let t = Instant::now();
        let at = |ms| t + Duration::from_millis(ms);
        assert_eq!(peak(&[at(0), at(500), at(999), at(1000), at(1500)]), 3);
        assert_eq!(peak(&[]), 0);
    }

    #[test]
    fn a_small_run_posts_every_healthy_channel_and_reports_its_figures() {
        let report = run(&Options {
            channels: 40,
            latency_ms: 1,
            rate: 1_000,
            concurrency: 8,
            hanging_percent: 5.0,
            timeout_ms: 50,
        })
        .unwrap();
        assert_eq!(report["hanging"], 2);
        assert!(report["last_healthy_s"].as_f64().unwrap() > 0.0, "{report}");
        assert!(report["sequential_last_s"].is_number(), "{report}");
    }
}
