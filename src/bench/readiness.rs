//! Readiness for a member who has answered 2,000 questions: every practice answer goes through
//! the real engine (so each has a memory), then `/readiness` is asked again and again: the
//! whole command (figures, card and chart PNG), and apart the figures and the chart.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::{Scratch, generate, percentile_ms};
use crate::bank::Lang;
use crate::quiz::{Command, Engine, Member, Place, Request};
use crate::store::Store;

fn request(command: Command) -> Request {
    Request {
        place: Place {
            server: "bench:server".into(),
            channel: "bench:channel".into(),
        },
        member: Member {
            key: "bench:ana".into(),
            name: "ana".into(),
        },
        lang: Some(Lang::En),
        manager: false,
        command,
    }
}

pub fn run(answered: usize, iterations: usize) -> Result<Value, String> {
    let scratch = Scratch::new("readiness")?;
    let bank = Arc::new(generate::bank(&scratch.0.join("bank"), answered)?);
    let store = Store::open(&scratch.0.join("readiness.db")).map_err(|e| e.to_string())?;
    let engine = Engine::new(bank.clone(), store, Lang::En);
    let mut now: Timestamp = "2026-11-24T01:00:00Z".parse().map_err(|e| format!("{e}"))?;
    let seeding = Instant::now();
    for (i, q) in bank.questions().iter().enumerate() {
        let practice = Command::Practice {
            domain: None,
            task: None,
            service: None,
        };
        engine.handle(&request(practice), now);
        // Every fifth answer is a miss, so the history has both grades.
        let letters = if i % 5 == 0 {
            crate::bank::Letters::single(usize::from(q.answer.highest() == 0)).unwrap_or(q.answer)
        } else {
            q.answer
        };
        let answer = Command::Answer {
            letters,
            target: None,
            unsure: false,
        };
        engine.handle(&request(answer), now);
        now += SignedDuration::from_mins(7);
    }
    let seeded = seeding.elapsed();
    let mut samples: Vec<Duration> = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let started = Instant::now();
        let replies = engine.handle(&request(Command::Readiness), now);
        samples.push(started.elapsed());
        if replies.is_empty() {
            return Err("readiness gave no reply".into());
        }
    }
    let mut figures: Vec<Duration> = Vec::with_capacity(iterations);
    let mut charts: Vec<Duration> = Vec::with_capacity(iterations);
    let mut chart_bytes = 0;
    for _ in 0..iterations {
        let started = Instant::now();
        let r = engine
            .readiness_of("bench:ana", "bench:server", now)
            .map_err(|e| e.to_string())?;
        figures.push(started.elapsed());
        let started = Instant::now();
        chart_bytes = crate::quiz::chart::draw(&r, Lang::En)
            .map_err(|e| e.to_string())?
            .len();
        charts.push(started.elapsed());
    }
    let memories = engine
        .store()
        .memories("bench:ana", "bench:server")
        .map_err(|e| e.to_string())?
        .len();
    Ok(json!({
        "bench": "readiness",
        "answered": memories,
        "iterations": iterations,
        "seed_s": super::round3(seeded.as_secs_f64()),
        "p50_ms": percentile_ms(&mut samples, 50.0),
        "p99_ms": percentile_ms(&mut samples, 99.0),
        "figures_p50_ms": percentile_ms(&mut figures, 50.0),
        "figures_p99_ms": percentile_ms(&mut figures, 99.0),
        "chart_p50_ms": percentile_ms(&mut charts, 50.0),
        "chart_p99_ms": percentile_ms(&mut charts, 99.0),
        "chart_bytes": chart_bytes,
        "target_p99_ms": 20,
    }))
}
