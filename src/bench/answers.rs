//! The answer burst: N members answer one daily question at once through the engine into
//! SQLite on disk, each acknowledged only after its commit. Compared in the same run with
//! the ceiling (the same statements in one big transaction) and the naive way (one
//! transaction and fsync per answer).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use serde_json::{Value, json};

use super::{Scratch, generate, percentile_ms, round3};
use crate::bank::{Bank, Lang};
use crate::quiz::{CardKind, Command, DeliveryKind, Engine, Member, Place, Request, RoundId};
use crate::store::{NewAnswer, Store, baseline};

#[derive(Debug, Clone)]
pub struct Options {
    /// How many members answer.
    pub members: usize,
    /// Threads submitting at once (tokio's blocking pool, which the chat adapters run the
    /// engine on, allows 512).
    pub workers: usize,
    /// The paced run spreads arrivals evenly over this window (the real "first minute",
    /// compressed).
    pub window: Duration,
    /// Answers timed for the naive way, which is too slow to run for all of them.
    pub naive_sample: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            members: 10_000,
            workers: 512,
            window: Duration::from_secs(1),
            naive_sample: 500,
        }
    }
}

const SERVER: &str = "bench:server";
const CHANNEL: &str = "bench:channel";

fn t0() -> Timestamp {
    "2026-01-05T09:00:00Z".parse().expect("a valid instant")
}

/// An engine on a fresh database with one open daily round; returns it and the round.
fn open_round(bank: &Arc<Bank>, db: &Path) -> Result<(Engine, RoundId), String> {
    let store = Store::open(db).map_err(|e| e.to_string())?;
    let engine = Engine::new(bank.clone(), store, Lang::En);
    let schedule = crate::quiz::parse("/quiz schedule 09:00 UTC", &|u| u.to_owned())
        .map_err(|e| e.to_string())?;
    engine.handle(
        &request("admin", schedule),
        t0() - jiff::SignedDuration::from_mins(1),
    );
    let post = engine
        .tick(t0())
        .into_iter()
        .find(|d| d.kind == DeliveryKind::Post)
        .ok_or("no round was posted")?;
    engine.confirm_post(post.round, None, t0());
    Ok((engine, post.round))
}

fn request(member: &str, command: Command) -> Request {
    Request {
        place: Place {
            server: SERVER.into(),
            channel: CHANNEL.into(),
        },
        member: Member {
            key: format!("bench:{member}"),
            name: member.to_owned(),
        },
        lang: None,
        manager: true,
        command,
    }
}

/// Member `i`'s answer: every third member answers wrong, so grading runs both ways.
fn answer(bank: &Bank, member: usize) -> Command {
    let right = bank.questions()[0].answer;
    let wrong = crate::bank::Letters::single(usize::from(right.highest() == 0)).unwrap_or(right);
    Command::Answer {
        letters: if member.is_multiple_of(3) {
            wrong
        } else {
            right
        },
        target: None,
        unsure: false,
    }
}

/// Submits every member's answer from `workers` threads. `arrival(i)` is when member `i`
/// arrives; latency runs from arrival to acknowledgment. Returns the latencies and the time
/// from the first arrival to the last acknowledgment.
fn submit(
    engine: &Engine,
    bank: &Bank,
    opts: &Options,
    arrival: impl Fn(usize) -> Instant + Sync,
) -> Result<(Vec<Duration>, Duration), String> {
    let next = AtomicUsize::new(0);
    let failures = AtomicUsize::new(0);
    let start = arrival(0);
    let latencies: Vec<Vec<Duration>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..opts.workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= opts.members {
                            return mine;
                        }
                        let arrive = arrival(i);
                        if let Some(wait) = arrive.checked_duration_since(Instant::now()) {
                            std::thread::sleep(wait);
                        }
                        let replies =
                            engine.handle(&request(&format!("m{i:05}"), answer(bank, i)), t0());
                        if replies.first().map(|r| &r.card.kind) != Some(&CardKind::Receipt) {
                            failures.fetch_add(1, Ordering::Relaxed);
                        }
                        mine.push(arrive.elapsed());
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_default())
            .collect()
    });
    let total = start.elapsed();
    let failures = failures.into_inner();
    if failures > 0 {
        return Err(format!("{failures} answers were not acknowledged"));
    }
    Ok((latencies.into_iter().flatten().collect(), total))
}

fn rows(bank: &Bank, n: usize) -> Vec<NewAnswer> {
    let q = &bank.questions()[0];
    (0..n)
        .map(|i| NewAnswer {
            server: SERVER.into(),
            member: format!("bench:m{i:05}"),
            member_name: format!("m{i:05}"),
            question_id: q.id.to_string(),
            letters: q.answer,
            correct: true,
            domain: q.domain.key().into(),
            task: q.task.code().into(),
            services: q.services.join("\n"),
            at: t0(),
            unsure: false,
        })
        .collect()
}

pub fn run(opts: &Options) -> Result<Value, String> {
    let scratch = Scratch::new("answers")?;
    let db = |name: &str| -> PathBuf { scratch.0.join(format!("{name}.db")) };
    let bank = Arc::new(generate::bank(&scratch.0.join("bank"), 1)?);
    let per_s = |n: usize, d: Duration| n as f64 / d.as_secs_f64();

    // All members at once: throughput, and latency dominated by waiting in line.
    let (engine, _) = open_round(&bank, &db("burst"))?;
    let now = Instant::now();
    let (mut burst, burst_total) = submit(&engine, &bank, opts, |_| now)?;
    drop(engine);

    // Arrivals spread evenly over the window: latency as members would feel it.
    let (engine, _) = open_round(&bank, &db("paced"))?;
    let start = Instant::now() + Duration::from_millis(50);
    let step = opts.window.as_secs_f64() / opts.members as f64;
    let (mut paced, _) = submit(&engine, &bank, opts, |i| {
        start + Duration::from_secs_f64(step * i as f64)
    })?;
    drop(engine);

    let (engine, round) = open_round(&bank, &db("ceiling"))?;
    let ceiling =
        baseline::insert_in_one_transaction(&db("ceiling"), round, &rows(&bank, opts.members))
            .map_err(|e| e.to_string())?;
    drop(engine);
    let (engine, round) = open_round(&bank, &db("naive"))?;
    let sample = opts.naive_sample.min(opts.members);
    let naive = baseline::insert_one_by_one(&db("naive"), round, &rows(&bank, sample))
        .map_err(|e| e.to_string())?;
    drop(engine);

    let answers_per_s = per_s(opts.members, burst_total);
    let ceiling_per_s = per_s(opts.members, ceiling);
    let naive_per_s = per_s(sample, naive);
    Ok(json!({
        "bench": "answers",
        "members": opts.members,
        "workers": opts.workers,
        "answers_per_s": answers_per_s.round(),
        "p50_ms": percentile_ms(&mut paced, 50.0),
        "p99_ms": percentile_ms(&mut paced, 99.0),
        "max_ms": percentile_ms(&mut paced, 100.0),
        "window_ms": opts.window.as_millis() as u64,
        "burst_p50_ms": percentile_ms(&mut burst, 50.0),
        "burst_p99_ms": percentile_ms(&mut burst, 99.0),
        "burst_max_ms": percentile_ms(&mut burst, 100.0),
        "ceiling_per_s": ceiling_per_s.round(),
        "naive_per_s": naive_per_s.round(),
        "naive_sample": sample,
        "vs_ceiling": round3(answers_per_s / ceiling_per_s),
        "vs_naive": round3(answers_per_s / naive_per_s),
    }))
}
