//! What is measured: every metric's name, labels and unit in one place, and one function
//! per event for the code that sees it. Recording goes through the `metrics` facade, a
//! no-op until [`install`] sets the Prometheus recorder (only `quizbot run` with
//! `QUIZBOT_METRICS_ADDR` does), so tests and `play` are unaffected.
//!
//! Labels carry only bounded, public words: the platform (`discord`, `slack`, `terminal`),
//! the command's name, the answer's mode, the outcome. Never a token, a member, a channel
//! or a server.

use std::sync::OnceLock;
use std::time::Duration;

use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Interactions (slash commands, clicks) answered, by `platform` and `command`.
pub const INTERACTIONS: &str = "quizbot_interactions_total";
/// From an interaction's arrival to its last reply sent, by `platform` and `command`.
pub const INTERACTION_SECONDS: &str = "quizbot_interaction_seconds";
/// Answers committed to the store, by `platform` and `mode` (daily, practice, review, mock).
pub const ANSWERS: &str = "quizbot_answers_recorded_total";
/// Deliveries (posts and reveals) the platform confirmed, by `platform`.
pub const DELIVERIES_SENT: &str = "quizbot_deliveries_sent_total";
/// Deliveries that failed for now and will be tried again, by `platform`.
pub const DELIVERIES_RETRIED: &str = "quizbot_deliveries_retried_total";
/// Deliveries to a channel that is gone (deleted, permission lost), by `platform`.
pub const DELIVERIES_GONE: &str = "quizbot_deliveries_gone_total";
/// How long after its due time a delivery was confirmed, by `platform`.
pub const DELIVERY_LAG_SECONDS: &str = "quizbot_delivery_lag_seconds";
/// Deliveries due in the last pass of the delivery loop (this process's share).
pub const DELIVERY_QUEUE: &str = "quizbot_delivery_queue_depth";
/// One write transaction of the store, begin to commit (the fsync included).
pub const STORE_COMMIT_SECONDS: &str = "quizbot_store_commit_seconds";
/// Discord shards of this process that are connected, and how many it runs.
pub const SHARDS_CONNECTED: &str = "quizbot_discord_shards_connected";
pub const SHARDS: &str = "quizbot_discord_shards";

/// Histogram buckets (seconds) for interaction and commit latency.
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];
/// Buckets (seconds) for a delivery's lag: from on time to an hour late.
const LAG_BUCKETS: &[f64] = &[
    0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 900.0, 3600.0,
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the Prometheus recorder for the process (once; later calls return the same
/// handle) and describes the metrics. Its handle renders `/metrics`.
pub fn install() -> Result<PrometheusHandle, String> {
    if let Some(handle) = HANDLE.get() {
        return Ok(handle.clone());
    }
    let recorder = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full(INTERACTION_SECONDS.into()), LATENCY_BUCKETS)
        .and_then(|b| {
            b.set_buckets_for_metric(Matcher::Full(STORE_COMMIT_SECONDS.into()), LATENCY_BUCKETS)
        })
        .and_then(|b| {
            b.set_buckets_for_metric(Matcher::Full(DELIVERY_LAG_SECONDS.into()), LAG_BUCKETS)
        })
        .map_err(|e| format!("cannot set up the metrics: {e}"))?
        .build_recorder();
    let handle = recorder.handle();
    match metrics::set_global_recorder(recorder) {
        Ok(()) => {
            describe();
            Ok(HANDLE.get_or_init(|| handle).clone())
        }
        // Another thread installed it first.
        Err(_) => HANDLE
            .get()
            .cloned()
            .ok_or_else(|| "another metrics recorder is installed".to_owned()),
    }
}

fn describe() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_counter!(
        INTERACTIONS,
        "Interactions answered, by platform and command"
    );
    describe_histogram!(
        INTERACTION_SECONDS,
        Unit::Seconds,
        "From an interaction's arrival to its replies sent"
    );
    describe_counter!(ANSWERS, "Answers recorded, by platform and mode");
    describe_counter!(DELIVERIES_SENT, "Posts and reveals delivered");
    describe_counter!(
        DELIVERIES_RETRIED,
        "Deliveries failed for now, to be retried"
    );
    describe_counter!(DELIVERIES_GONE, "Deliveries to a channel that is gone");
    describe_histogram!(
        DELIVERY_LAG_SECONDS,
        Unit::Seconds,
        "How long after its due time a delivery was confirmed"
    );
    describe_gauge!(DELIVERY_QUEUE, "Deliveries due in the last delivery pass");
    describe_histogram!(
        STORE_COMMIT_SECONDS,
        Unit::Seconds,
        "One write transaction of the store, begin to commit"
    );
    describe_gauge!(SHARDS_CONNECTED, "Discord shards of this process connected");
    describe_gauge!(SHARDS, "Discord shards this process runs");
}

/// The platform label of a key (`discord:…`, `slack:…`; anything else is the terminal).
/// Read from the key's prefix here, so the store can record without knowing the engine.
fn platform(key: &str) -> &'static str {
    match key.split_once(':').map(|(platform, _)| platform) {
        Some("discord") => "discord",
        Some("slack") => "slack",
        _ => "terminal",
    }
}

/// An interaction in `place` (its server key) was answered; `command` is the command's
/// [`crate::quiz::Command::name`], or `"invalid"` for one
/// refused before it reached the engine, `"other"` for a control not ours.
pub fn interaction(place: &str, command: &'static str, took: Duration) {
    let labels = [("platform", platform(place)), ("command", command)];
    counter!(INTERACTIONS, &labels).increment(1);
    histogram!(INTERACTION_SECONDS, &labels).record(took.as_secs_f64());
}

/// An answer was committed (`mode`: daily, practice, review, mock).
pub fn answer_recorded(server: &str, mode: &'static str) {
    counter!(ANSWERS, "platform" => platform(server), "mode" => mode).increment(1);
}

/// The platform confirmed a delivery to `channel`, `lag` after it was due.
pub fn delivery_sent(channel: &str, lag: jiff::SignedDuration) {
    let platform = platform(channel);
    counter!(DELIVERIES_SENT, "platform" => platform).increment(1);
    let lag = lag.as_secs_f64().max(0.0);
    histogram!(DELIVERY_LAG_SECONDS, "platform" => platform).record(lag);
}

/// A delivery to `channel` failed for now; it will be tried again.
pub fn delivery_retried(channel: &str) {
    counter!(DELIVERIES_RETRIED, "platform" => platform(channel)).increment(1);
}

/// A delivery to `channel` found it gone; its schedule stops.
pub fn delivery_gone(channel: &str) {
    counter!(DELIVERIES_GONE, "platform" => platform(channel)).increment(1);
}

/// How many deliveries the delivery loop found due in this pass.
pub fn delivery_queue(due: usize) {
    gauge!(DELIVERY_QUEUE).set(due as f64);
}

/// One write transaction of the store took `took`, begin to commit.
pub fn store_commit(took: Duration) {
    histogram!(STORE_COMMIT_SECONDS).record(took.as_secs_f64());
}

/// `connected` of this process's `shards` Discord shards are connected.
pub fn shards(connected: u32, shards: u32) {
    gauge!(SHARDS_CONNECTED).set(f64::from(connected));
    gauge!(SHARDS).set(f64::from(shards));
}
