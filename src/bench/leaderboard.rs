//! Leaderboards at scale: a year of history (1,000,000 answers by 10,000 members in 50
//! teams), then every period and board asked for again and again.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use serde_json::{Map, Value, json};

use super::{Scratch, generate, mix, percentile_ms, round3};
use crate::bank::Lang;
use crate::quiz::{
    Board, CardKind, Command, Engine, Member, Period, Place, Request, RoundKind, period_starts,
};
use crate::schedule::{Schedule, Zone};
use crate::store::baseline::{self, SeedRound};
use crate::store::{NewRound, ScheduleRow, Store};

#[derive(Debug, Clone)]
pub struct Options {
    pub answers: usize,
    pub members: usize,
    pub teams: usize,
    pub days: usize,
    /// Requests timed per period and board.
    pub iterations: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            answers: 1_000_000,
            members: 10_000,
            teams: 50,
            days: 365,
            iterations: 300,
        }
    }
}

const SERVER: &str = "bench:server";
const CHANNEL: &str = "bench:channel";
const ZONE: &str = "Asia/Seoul";

fn today() -> Timestamp {
    "2026-11-24T13:00:00Z".parse().expect("a valid instant")
}

pub fn run(opts: &Options) -> Result<Value, String> {
    let scratch = Scratch::new("leaderboard")?;
    let bank = Arc::new(generate::bank(&scratch.0.join("bank"), 1)?);
    let db = scratch.0.join("history.db");
    let store = Store::open(&db).map_err(|e| e.to_string())?;
    let zone = Zone::parse(ZONE).map_err(|e| e.to_string())?;

    let seeding = Instant::now();
    let members: Vec<(String, String)> = (0..opts.members)
        .map(|i| (format!("bench:m{i:05}"), format!("member{i:05}")))
        .collect();
    let teams: Vec<(String, Vec<String>)> = (0..opts.teams)
        .map(|t| {
            let keys = members
                .iter()
                .skip(t)
                .step_by(opts.teams)
                .map(|m| m.0.clone())
                .collect();
            (format!("{SERVER}|team{t:02}"), keys)
        })
        .collect();
    let per_day = opts.answers / opts.days;
    let first_day = zone.local(today()).date() - jiff::Span::new().days(opts.days as i64 - 1);
    let question = bank.questions()[0].clone();
    let schedule = crate::quiz::parse("/quiz schedule 09:00 Asia/Seoul", &|u| u.to_owned())
        .map_err(|e| e.to_string())?;
    let crate::quiz::Command::Quiz(crate::quiz::QuizCommand::Schedule { schedule, .. }) = schedule
    else {
        return Err("not a schedule".into());
    };
    let rounds: Vec<SeedRound> = (0..opts.days)
        .map(|d| {
            let date = first_day + jiff::Span::new().days(d as i64);
            let posted = slot(&schedule, date);
            let answers = (0..per_day)
                .map(|k| {
                    let m = (d * per_day + k) % opts.members;
                    (members[m].0.clone(), mix((d * per_day + k) as u64) % 10 < 6)
                })
                .collect();
            SeedRound {
                round: NewRound {
                    server: SERVER.into(),
                    channel: CHANNEL.into(),
                    question: question.clone(),
                    kind: RoundKind::Scheduled { date },
                    zone: ZONE.into(),
                    lang: Lang::En,
                    created_at: posted,
                    reveal_at: posted + SignedDuration::from_hours(9),
                },
                periods: period_starts(posted, &zone),
                answers,
            }
        })
        .collect();
    baseline::seed_history(&db, &members, &teams, &rounds).map_err(|e| e.to_string())?;
    store
        .save_schedule(ScheduleRow::new(
            CHANNEL.into(),
            SERVER.into(),
            schedule,
            Lang::En,
            today(),
        ))
        .map_err(|e| e.to_string())?;
    let seed_s = seeding.elapsed().as_secs_f64();

    let engine = Engine::new(bank, store, Lang::En);
    let mut results = Map::new();
    let mut worst: f64 = 0.0;
    for board in [Board::Members, Board::Teams] {
        for period in [Period::Day, Period::Week, Period::Month, Period::All] {
            let request = Request {
                place: Place {
                    server: SERVER.into(),
                    channel: CHANNEL.into(),
                },
                member: Member {
                    key: "bench:m00000".into(),
                    name: "member00000".into(),
                },
                lang: None,
                manager: false,
                command: Command::Leaderboard { period, board },
            };
            let mut entries = 0;
            let mut times: Vec<Duration> = (0..opts.iterations)
                .map(|_| {
                    let start = Instant::now();
                    let replies = engine.handle(&request, today());
                    let took = start.elapsed();
                    if let Some(CardKind::Leaderboard { entries: e }) =
                        replies.first().map(|r| &r.card.kind)
                    {
                        entries = e.len();
                    }
                    took
                })
                .collect();
            let p99 = percentile_ms(&mut times, 99.0);
            worst = worst.max(p99);
            results.insert(
                format!("{}/{}", period.key(), board.key()),
                json!({"p50_ms": percentile_ms(&mut times, 50.0), "p99_ms": p99, "entries": entries}),
            );
        }
    }
    Ok(json!({
        "bench": "leaderboard",
        "answers": per_day * opts.days,
        "members": opts.members,
        "teams": opts.teams,
        "days": opts.days,
        "seed_s": round3(seed_s),
        "db_mb": round3(baseline::file_size(&db) as f64 / 1e6),
        "worst_p99_ms": worst,
        "results": results,
    }))
}

fn slot(schedule: &Schedule, date: jiff::civil::Date) -> Timestamp {
    schedule.slot_on(date).map_or_else(today, |s| s.at)
}
