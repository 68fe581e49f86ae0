//! `/mock 65` for a member who has seen many questions of a large bank: the whole request
//! through the real engine (the running-exam check, the member's history, the draw, the
//! exam stored with its commit, the first question's card), again and again. Each exam is
//! stopped, untimed, before the next.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::{Scratch, generate, percentile_ms};
use crate::bank::Lang;
use crate::quiz::{CardKind, Command, Engine, Member, MockCommand, Place, PrivateMode, Request};
use crate::store::Store;

const MEMBER: &str = "bench:ana";
const SERVER: &str = "bench:server";

fn request(command: Command) -> Request {
    Request {
        place: Place {
            server: SERVER.into(),
            channel: "bench:channel".into(),
        },
        member: Member {
            key: MEMBER.into(),
            name: "ana".into(),
        },
        lang: Some(Lang::En),
        manager: false,
        command,
    }
}

pub fn run(questions: usize, seen: usize, iterations: usize) -> Result<Value, String> {
    let scratch = Scratch::new("mock")?;
    let bank = Arc::new(generate::bank(&scratch.0.join("bank"), questions)?);
    let store = Store::open(&scratch.0.join("mock.db")).map_err(|e| e.to_string())?;
    let engine = Engine::new(bank.clone(), store, Lang::En);
    let mut now: Timestamp = "2026-11-24T01:00:00Z".parse().map_err(|e| format!("{e}"))?;
    // The member has seen `seen` questions before, at different times.
    for q in bank.questions().iter().step_by(2).take(seen) {
        engine
            .store()
            .serve_private(MEMBER, SERVER, &q.id, PrivateMode::Practice, now)
            .map_err(|e| e.to_string())?;
        now += SignedDuration::from_mins(3);
    }
    let mut samples: Vec<Duration> = Vec::with_capacity(iterations);
    let mut draws: Vec<Duration> = Vec::with_capacity(iterations);
    for i in 0..iterations {
        let started = Instant::now();
        let replies = engine.handle(&request(Command::Mock(MockCommand::Start(65))), now);
        samples.push(started.elapsed());
        if !replies
            .iter()
            .any(|r| matches!(r.card.kind, CardKind::Question { .. }))
        {
            return Err(format!("/mock 65 served no question: {replies:?}"));
        }
        engine.handle(&request(Command::Mock(MockCommand::Stop)), now);
        now += SignedDuration::from_mins(1);
        // The draw alone, the part that grows with the bank and the member's history.
        let served: HashMap<String, Timestamp> = engine
            .store()
            .served(MEMBER)
            .map_err(|e| e.to_string())?
            .into_iter()
            .collect();
        let started = Instant::now();
        let exam = crate::quiz::mock::draw(&bank, 65, &format!("{MEMBER}:{i}"), &served);
        draws.push(started.elapsed());
        if exam.len() != 65.min(bank.len()) {
            return Err(format!("the draw gave {} questions", exam.len()));
        }
    }
    Ok(json!({
        "bench": "mock",
        "questions": bank.len(),
        "seen": seen,
        "iterations": iterations,
        "p50_ms": percentile_ms(&mut samples, 50.0),
        "p99_ms": percentile_ms(&mut samples, 99.0),
        "draw_p99_ms": percentile_ms(&mut draws, 99.0),
        "target_p99_ms": 50,
    }))
}
