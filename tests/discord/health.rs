//! `/healthz`, `/metrics` and `quizbot health` against the real `quizbot run` serving (the
//! adapters' `serve`) on the fake Discord: healthy while the gateway is up, 503 with the
//! reason while Discord is unreachable, healthy again once it is back; counters that move
//! with an interaction, an answer and a delivery.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use quizbot::adapters::clock::Clock;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::sync::Notify;

use crate::*;

/// GET `path` on `addr`: the status and the body.
async fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, body.to_owned())
}

/// How many times `/healthz` is asked, after the event that should change it, before the
/// test fails: the bot takes a moment to notice an event the fake has already seen.
const TRIES: usize = 2_000;

/// Asks `/healthz` until it answers `status`, at most [`TRIES`] times; the last body.
async fn health_turns(addr: SocketAddr, status: u16) -> String {
    let mut last = (0, String::new());
    for _ in 0..TRIES {
        last = get(addr, "/healthz").await;
        if last.0 == status {
            return last.1;
        }
        tokio::task::yield_now().await;
    }
    panic!("/healthz never answered {status}; last {last:?}");
}

/// `/metrics` in the Prometheus text format: `name{labels} value` per sample line.
fn samples(text: &str) -> HashMap<String, f64> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            Some((series.to_owned(), value.parse().ok()?))
        })
        .collect()
}

async fn sample(addr: SocketAddr, series: &str) -> f64 {
    let (status, body) = get(addr, "/metrics").await;
    assert_eq!(status, 200);
    samples(&body).get(series).copied().unwrap_or(0.0)
}

/// Asks `/metrics` until `series` reaches `at_least`, at most [`TRIES`] times.
async fn metric_reaches(addr: SocketAddr, series: &str, at_least: f64) {
    let mut seen = 0.0;
    for _ in 0..TRIES {
        seen = sample(addr, series).await;
        if seen >= at_least {
            return;
        }
        tokio::task::yield_now().await;
    }
    panic!("{series} stayed at {seen}, below {at_least}");
}

/// `quizbot health --addr ADDR`: whether it exited 0, and what it said.
async fn quizbot_health(addr: SocketAddr) -> (bool, String) {
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_quizbot"))
            .args(["health", "--addr", &addr.to_string()])
            .env_remove("QUIZBOT_METRICS_ADDR")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit 0 or 1, never Docker's reserved 2: {out:?}"
    );
    (out.status.success(), said)
}

/// The bot served with `/healthz` and `/metrics` on a port of the test's.
async fn serve_with_metrics(fake: FakeDiscord) -> (Bot, SocketAddr) {
    let config = config_for(&fake, &[]);
    let dir = tempfile::TempDir::new().unwrap();
    let engine = engine_over(ONE, &dir, Lang::En);
    let clock = Clock::manual(at(START));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn({
        let (engine, clock) = (engine.clone(), clock.clone());
        async move { quizbot::adapters::serve_with(engine, &config, clock, Some(listener)).await }
    });
    fake.sessions(1, 0).await;
    let mut bot = Bot::attach(fake, engine, clock, Arc::new(Notify::new()));
    bot._dir = Some(dir);
    (bot, addr)
}

#[tokio::test]
async fn healthz_turns_503_while_the_gateway_is_down_and_200_once_it_is_back() {
    log::install();
    let (bot, addr) = serve_with_metrics(FakeDiscord::start().await).await;
    assert_eq!(health_turns(addr, 200).await, "ok\n");
    let (healthy, said) = quizbot_health(addr).await;
    assert!(healthy && said.contains("ok"), "healthy: exit 0; {said}");

    let identified = bot.fake.identified();
    bot.fake.close_gateway();
    // serenity's resume is refused; the shard is then restarted and stays down.
    bot.fake.refused(1).await;
    let reason = health_turns(addr, 503).await;
    assert!(
        reason.contains("discord: 0 of 1 shards connected"),
        "{reason}"
    );
    assert!(!reason.contains(TOKEN), "{reason}");
    let (healthy, said) = quizbot_health(addr).await;
    assert!(!healthy && said.contains("503"), "{said}");
    assert_eq!(sample(addr, "quizbot_discord_shards_connected").await, 0.0);

    bot.fake.open_gateway();
    // serenity tries again on its own (every 5 s) and identifies anew.
    bot.fake.sessions(identified + 1, 0).await;
    assert_eq!(health_turns(addr, 200).await, "ok\n");
    assert_eq!(sample(addr, "quizbot_discord_shards_connected").await, 1.0);
}

#[tokio::test]
async fn metrics_count_interactions_answers_and_deliveries() {
    log::install();
    let (bot, addr) = serve_with_metrics(FakeDiscord::start().await).await;
    let (status, text) = get(addr, "/metrics").await;
    assert_eq!(status, 200);
    assert!(!text.contains(TOKEN));
    let schedules = r#"quizbot_interactions_total{platform="discord",command="quiz"}"#;
    let answers = r#"quizbot_answers_recorded_total{platform="discord",mode="daily"}"#;
    let sent = r#"quizbot_deliveries_sent_total{platform="discord"}"#;
    let lag = r#"quizbot_delivery_lag_seconds_count{platform="discord"}"#;
    let before: Vec<f64> = {
        let all = samples(&text);
        [schedules, answers, sent, lag]
            .iter()
            .map(|s| all.get(*s).copied().unwrap_or(0.0))
            .collect()
    };

    bot.schedule(GENERAL).await;
    metric_reaches(addr, schedules, before[0] + 1.0).await;
    bot.advance_to("2026-11-24T09:00:00+09:00");
    let post = bot.fake.posted_in(GENERAL).await;
    metric_reaches(addr, sent, before[2] + 1.0).await;
    metric_reaches(addr, lag, before[3] + 1.0).await;
    let receipt = bot.click(ALICE, GENERAL, &post, &button(&post, "B")).await;
    assert!(
        receipt.shown().contains("Recorded your answer B"),
        "{}",
        receipt.shown()
    );
    metric_reaches(addr, answers, before[1] + 1.0).await;
    let clicks = r#"quizbot_interactions_total{platform="discord",command="answer"}"#;
    metric_reaches(addr, clicks, 1.0).await;

    let text = get(addr, "/metrics").await.1;
    let all = samples(&text);
    // The latency histogram has buckets by platform and command, and the store's commits.
    assert!(
        all.keys()
            .any(|k| k.starts_with("quizbot_interaction_seconds_bucket{")
                && k.contains(r#"platform="discord""#)
                && k.contains(r#"command="answer""#)),
        "{text}"
    );
    assert!(
        all.get("quizbot_store_commit_seconds_count")
            .is_some_and(|n| *n >= 1.0),
        "{text}"
    );
    assert_eq!(all.get("quizbot_discord_shards"), Some(&1.0), "{text}");
}

#[tokio::test]
async fn quizbot_health_fails_on_a_closed_port() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let (healthy, said) = quizbot_health(closed).await;
    assert!(!healthy, "{said}");
    assert!(said.contains("cannot connect"), "{said}");
}
