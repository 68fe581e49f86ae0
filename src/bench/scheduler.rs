//! The scheduler: 10,000 channels with daily schedules across 50 time zones, run through a
//! whole simulated day; then the real delivery loop left idle to show it sleeps, not polls.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::{Scratch, cpu_time, generate, ms, percentile_ms, round3};
use crate::adapters::clock::Clock;
use crate::adapters::deliver;
use crate::bank::{Bank, Lang};
use crate::quiz::{DeliveryKind, Engine};
use crate::schedule::{DailyTime, RevealRule, Schedule, Weekdays, Zone};
use crate::store::{ScheduleRow, Store};

pub const ZONES: [&str; 50] = [
    "Asia/Seoul",
    "Asia/Tokyo",
    "Asia/Shanghai",
    "Asia/Singapore",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Asia/Jakarta",
    "Asia/Manila",
    "Asia/Bangkok",
    "Asia/Ho_Chi_Minh",
    "Asia/Taipei",
    "Asia/Hong_Kong",
    "Asia/Karachi",
    "Asia/Dhaka",
    "Asia/Tehran",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Europe/Lisbon",
    "Europe/Athens",
    "Europe/Dublin",
    "Africa/Cairo",
    "Africa/Lagos",
    "Africa/Nairobi",
    "Africa/Johannesburg",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Phoenix",
    "America/Anchorage",
    "America/Toronto",
    "America/Vancouver",
    "America/Mexico_City",
    "America/Bogota",
    "America/Lima",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "America/Santiago",
    "Australia/Sydney",
    "Australia/Perth",
    "Pacific/Auckland",
    "Pacific/Honolulu",
];

#[derive(Debug, Clone)]
pub struct Options {
    pub channels: usize,
    /// Real seconds the delivery loop is watched while idle.
    pub idle_seconds: u64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            channels: 10_000,
            idle_seconds: 5,
        }
    }
}

/// Channel `i`'s schedule: a zone from the list and a time on the quarter hour.
fn schedule(i: usize) -> Result<Schedule, String> {
    let quarter = super::mix(i as u64) % 96;
    let time = format!("{:02}:{:02}", quarter / 4, (quarter % 4) * 15);
    Ok(Schedule {
        time: DailyTime::parse(&time).map_err(|e| e.to_string())?,
        zone: Zone::parse(ZONES[i % ZONES.len()]).map_err(|e| e.to_string())?,
        days: Weekdays::EVERY_DAY,
        reveal: RevealRule::DEFAULT,
    })
}

fn engine_with_schedules(
    bank: &Arc<Bank>,
    db: &std::path::Path,
    channels: usize,
    since: Timestamp,
) -> Result<Engine, String> {
    let store = Store::open(db).map_err(|e| e.to_string())?;
    let rows = (0..channels)
        .map(|i| {
            let server = format!("bench:server{}", i / 100);
            Ok(ScheduleRow::new(
                format!("bench:channel{i:05}"),
                server,
                schedule(i)?,
                Lang::En,
                since,
            ))
        })
        .collect::<Result<Vec<_>, String>>()?;
    store.save_schedules(rows).map_err(|e| e.to_string())?;
    Ok(Engine::new(bank.clone(), store, Lang::En))
}

/// A scratch folder with a generated bank of 200 questions and an engine whose `channels`
/// schedules start on Monday 2026-01-05 (UTC), which is returned as the start.
pub(super) fn scheduled_engine(
    name: &str,
    channels: usize,
) -> Result<(Scratch, Arc<Bank>, Engine, Timestamp), String> {
    let scratch = Scratch::new(name)?;
    let bank = Arc::new(generate::bank(&scratch.0.join("bank"), 200)?);
    let start: Timestamp = "2026-01-05T00:00:00Z"
        .parse()
        .map_err(|e: jiff::Error| e.to_string())?;
    let db = scratch.0.join(format!("{name}.db"));
    let engine = engine_with_schedules(&bank, &db, channels, start)?;
    Ok((scratch, bank, engine, start))
}

pub fn run(opts: &Options) -> Result<Value, String> {
    let (scratch, bank, engine, start) = scheduled_engine("scheduler", opts.channels)?;

    // A whole day, stopping wherever something is due, as the delivery loop does.
    let end = start + SignedDuration::from_hours(24);
    let (mut ticks, mut due_times, mut busiest, mut posts) = (Vec::new(), Vec::new(), 0, 0);
    let mut now = start;
    loop {
        let asked = Instant::now();
        let Some(due) = engine.next_due(now) else {
            break;
        };
        due_times.push(asked.elapsed());
        if due >= end || (due == now && !ticks.is_empty()) {
            break;
        }
        now = due;
        let ticking = Instant::now();
        let deliveries = engine.tick(now);
        ticks.push(ticking.elapsed());
        busiest = busiest.max(deliveries.len());
        for d in &deliveries {
            match d.kind {
                DeliveryKind::Post => {
                    posts += 1;
                    engine.confirm_post(d.round, None, now);
                }
                DeliveryKind::Reveal { .. } => engine.confirm_reveal(d.round, now),
                DeliveryKind::Recap { recap } => engine.confirm_recap(recap, None, now),
            }
        }
    }
    // A tick with nothing due: what every wake-up that finds nothing costs.
    let mut idle_ticks: Vec<Duration> = (0..100)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(engine.tick(now));
            t.elapsed()
        })
        .collect();
    drop(engine);

    let idle_cpu = idle_cpu(&bank, &scratch, opts)?;
    Ok(json!({
        "bench": "scheduler",
        "channels": opts.channels,
        "zones": ZONES.len(),
        "posts": posts,
        "ticks": ticks.len(),
        "busiest_tick_deliveries": busiest,
        "tick_p50_ms": percentile_ms(&mut ticks, 50.0),
        "tick_p99_ms": percentile_ms(&mut ticks, 99.0),
        "tick_max_ms": percentile_ms(&mut ticks, 100.0),
        "idle_tick_ms": percentile_ms(&mut idle_ticks, 50.0),
        "next_due_p99_ms": percentile_ms(&mut due_times, 99.0),
        "idle_seconds": opts.idle_seconds,
        "idle_cpu_ms": idle_cpu.map(ms),
        "idle_cpu_percent": idle_cpu.map(|c| round3(100.0 * c.as_secs_f64() / opts.idle_seconds as f64)),
    }))
}

/// CPU the real delivery loop uses while nothing is due: schedules set "now" on the real
/// clock, so the loop has nothing to do until the first slot and should simply sleep.
fn idle_cpu(
    bank: &Arc<Bank>,
    scratch: &Scratch,
    opts: &Options,
) -> Result<Option<Duration>, String> {
    let engine = engine_with_schedules(
        bank,
        &scratch.0.join("idle.db"),
        opts.channels,
        Timestamp::now(),
    )?;
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let wake = Arc::new(tokio::sync::Notify::new());
        let looping = tokio::spawn(deliver::run(engine, Vec::new(), Clock::System, wake));
        // Let the first pass (one tick, one next-due query) finish before watching.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let before = cpu_time();
        tokio::time::sleep(Duration::from_secs(opts.idle_seconds)).await;
        let used = cpu_time()
            .zip(before)
            .map(|(after, before)| after.saturating_sub(before));
        looping.abort();
        Ok(used)
    })
}
