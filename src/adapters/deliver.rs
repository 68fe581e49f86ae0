//! The delivery loop shared by every chat platform: ask the engine what is due, hand each
//! post or reveal to the platform that owns the channel, confirm what was delivered, and
//! sleep until the next due time (or until woken by a command such as `/quiz post`).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use tokio::sync::Notify;

use super::clock::Clock;
use crate::bank::Lang;
use crate::quiz::{CardKind, Delivery, DeliveryKind, Engine};

/// How a platform send failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth trying again later (5xx, timeout, rate limit the platform client gave up on).
    #[error("temporary failure: {0}")]
    Transient(String),
    /// Will never work as things stand (channel deleted, permission lost): stop the schedule.
    #[error("{0}")]
    Gone(String),
}

pub type SendFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Option<String>, SendError>> + Send + 'a>>;

/// One platform's side of delivery. `send` returns the posted message's id, if any.
pub trait Outbox: Send + Sync {
    /// Whether this platform owns the channel key (`discord:…`, `slack:…`).
    fn owns(&self, channel: &str) -> bool;
    fn send<'a>(&'a self, delivery: &'a Delivery) -> SendFuture<'a>;
}

/// The first wait after a transient failure, doubled on each further failure.
const FIRST_BACKOFF: SignedDuration = SignedDuration::from_secs(5);
const MAX_BACKOFF: SignedDuration = SignedDuration::from_mins(5);

/// Runs until the task is dropped. `wake` lets request handlers say "something changed".
pub async fn run(engine: Engine, outboxes: Vec<Arc<dyn Outbox>>, clock: Clock, wake: Arc<Notify>) {
    let mut backoff = FIRST_BACKOFF;
    loop {
        let now = clock.now();
        let failed = deliver_due(&engine, &outboxes, now).await;
        let next = if failed {
            let retry = now + backoff;
            backoff = (backoff * 2).min(MAX_BACKOFF);
            retry
        } else {
            backoff = FIRST_BACKOFF;
            let engine = engine.clone();
            let due = tokio::task::spawn_blocking(move || engine.next_due(now))
                .await
                .ok()
                .flatten();
            // With nothing scheduled, look again in an hour (a safety net, not polling).
            due.unwrap_or(now + SignedDuration::from_hours(1))
        };
        tokio::select! {
            () = clock.sleep_until(next) => {}
            () = wake.notified() => {}
        }
    }
}

/// One pass: tick, send, confirm. True if some delivery should be retried later.
pub async fn deliver_due(engine: &Engine, outboxes: &[Arc<dyn Outbox>], now: Timestamp) -> bool {
    let ticking = engine.clone();
    let deliveries = match tokio::task::spawn_blocking(move || ticking.tick(now)).await {
        Ok(deliveries) => deliveries,
        Err(error) => {
            tracing::error!(%error, "the scheduler tick panicked");
            return true;
        }
    };
    crate::metrics::delivery_queue(deliveries.len());
    let mut failed = false;
    for delivery in deliveries {
        // Another process's platform (or one not configured here): not ours to send.
        let Some(outbox) = outboxes.iter().find(|o| o.owns(&delivery.channel)) else {
            continue;
        };
        // Claimed in the store first: another process on the database may be sending it.
        let (claiming, claimed) = (engine.clone(), delivery.clone());
        let claim = move || claiming.claim(&claimed, now);
        if !tokio::task::spawn_blocking(claim).await.unwrap_or(false) {
            continue;
        }
        let result = outbox.send(&delivery).await;
        let engine = engine.clone();
        let settle = move || settle(&engine, &delivery, result, now);
        failed |= tokio::task::spawn_blocking(settle).await.unwrap_or(true);
    }
    failed
}

fn settle(
    engine: &Engine,
    delivery: &Delivery,
    result: Result<Option<String>, SendError>,
    now: Timestamp,
) -> bool {
    match result {
        Ok(message) => {
            crate::metrics::delivery_sent(&delivery.channel, now.duration_since(delivery.due));
            match delivery.kind {
                DeliveryKind::Post => engine.confirm_post(delivery.round, message, now),
                DeliveryKind::Reveal { .. } => {
                    engine.confirm_reveal_with(delivery.round, message, now)
                }
                DeliveryKind::Recap { recap } => engine.confirm_recap(recap, message, now),
            }
            false
        }
        Err(SendError::Gone(reason)) => {
            crate::metrics::delivery_gone(&delivery.channel);
            tracing::warn!(channel = %delivery.channel, round = %delivery.round, %reason, "channel unusable: schedule stopped");
            engine.disable_channel(&delivery.channel, &reason, now);
            false
        }
        Err(SendError::Transient(reason)) => {
            crate::metrics::delivery_retried(&delivery.channel);
            tracing::warn!(channel = %delivery.channel, round = %delivery.round, %reason, "delivery failed; will retry");
            true
        }
    }
}

/// How long to wait before retry `attempt` (0-based) of one HTTP call: 0.5 s doubling, at
/// most 8 s. Shared by the platform clients so both back off alike.
pub fn retry_delay(attempt: u32) -> Duration {
    Duration::from_millis(500u64.saturating_mul(1 << attempt.min(4)))
}

/// The language for the few words on a delivery's controls (a choose-N question's, open or
/// closed, and the reveal's 📌 button): the round's, which is the schedule's.
pub async fn words_lang(engine: &Engine, delivery: &Delivery) -> Lang {
    let default = engine.default_lang();
    let words_on_controls = match &delivery.kind {
        DeliveryKind::Post => {
            matches!(delivery.card.kind, CardKind::Question { picks, .. } if picks > 1)
        }
        DeliveryKind::Reveal { .. } => true,
        DeliveryKind::Recap { .. } => false,
    };
    if !words_on_controls {
        return default;
    }
    let (engine, round) = (engine.clone(), delivery.round);
    tokio::task::spawn_blocking(move || engine.store().round(round))
        .await
        .ok()
        .and_then(Result::ok)
        .flatten()
        .map_or(default, |r| r.lang)
}
