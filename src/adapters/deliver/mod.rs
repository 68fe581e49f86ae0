//! The delivery loop shared by every chat platform: ask the engine what is due, hand each
//! post or reveal to the platform that owns the channel, confirm what was delivered, and
//! sleep until the next due time (or until woken by a command such as `/quiz post`).
//!
//! Channels go out at once, each platform within its own [`Pace`] (deliveries in flight and
//! started a second); each channel's deliveries go out in order, one at a time (`lanes`).
//! A failed delivery waits for its own retry time, never sooner than the platform asked,
//! and nothing else waits for it. [`Watch`] sees what happens (the seam for metrics).

mod lanes;
mod pace;
mod watch;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::Notify;

use super::clock::Clock;
use crate::bank::Lang;
use crate::quiz::{CardKind, Delivery, DeliveryKind, Engine};
pub use pace::Pace;
pub use watch::{Depth, MetricsWatch, NoWatch, Watch};

/// How a platform send failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth trying again later (5xx, timeout, rate limit the platform client gave up on);
    /// `retry_after`: the platform asked not to be called again before then.
    #[error("temporary failure: {reason}")]
    Transient {
        reason: String,
        retry_after: Option<Duration>,
    },
    /// Will never work as things stand (channel deleted, permission lost): stop the schedule.
    #[error("{0}")]
    Gone(String),
}

impl SendError {
    /// A transient failure with no word from the platform on when to try again.
    pub fn transient(reason: impl Into<String>) -> Self {
        SendError::Transient {
            reason: reason.into(),
            retry_after: None,
        }
    }
}

pub type SendFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Option<String>, SendError>> + Send + 'a>>;

/// One platform's side of delivery. `send` returns the posted message's id, if any.
pub trait Outbox: Send + Sync {
    /// Whether this platform owns the channel key (`discord:…`, `slack:…`).
    fn owns(&self, channel: &str) -> bool;
    fn send<'a>(&'a self, delivery: &'a Delivery) -> SendFuture<'a>;
    /// How many of this platform's deliveries may be in flight, and how many start a second.
    fn pace(&self) -> Pace {
        Pace::DEFAULT
    }
}

/// The longest one delivery may take (its calls and their retries) before it counts as a
/// transient failure: shorter than a claim's lease, so no other process takes it meanwhile.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(90);

/// The delivery loop, set up; [`Loop::run`] runs it until its task is dropped.
pub struct Loop {
    engine: Engine,
    outboxes: Vec<Arc<dyn Outbox>>,
    clock: Clock,
    wake: Arc<Notify>,
    watch: Arc<dyn Watch>,
    send_timeout: Duration,
}

impl Loop {
    /// `wake` lets request handlers say "something changed".
    pub fn new(
        engine: Engine,
        outboxes: Vec<Arc<dyn Outbox>>,
        clock: Clock,
        wake: Arc<Notify>,
    ) -> Self {
        Self {
            engine,
            outboxes,
            clock,
            wake,
            watch: Arc::new(NoWatch),
            send_timeout: SEND_TIMEOUT,
        }
    }

    /// Tells `watch` what happens.
    #[must_use]
    pub fn watch(mut self, watch: Arc<dyn Watch>) -> Self {
        self.watch = watch;
        self
    }

    /// The longest one delivery may take ([`SEND_TIMEOUT`] unless set).
    #[must_use]
    pub fn send_timeout(mut self, limit: Duration) -> Self {
        self.send_timeout = limit;
        self
    }

    /// Runs until the task is dropped.
    pub async fn run(self) {
        let Loop {
            engine,
            outboxes,
            clock,
            wake,
            watch,
            send_timeout,
        } = self;
        let mut lanes = lanes::Lanes::new(engine, outboxes, clock.clone(), watch, send_timeout);
        let mut next = pass(&mut lanes, clock.now()).await;
        loop {
            tokio::select! {
                () = clock.sleep_until(next) => {}
                () = wake.notified() => {}
                Some(joined) = lanes.tasks.join_next_with_id(), if !lanes.tasks.is_empty() => {
                    let now = clock.now();
                    if lanes.finish(joined, now) {
                        next = lanes.next_wake(now).await;
                    }
                    continue;
                }
            }
            next = pass(&mut lanes, clock.now()).await;
        }
    }
}

/// One pass of the loop: start what is due; the time to look again.
async fn pass(lanes: &mut lanes::Lanes, now: Timestamp) -> Timestamp {
    if lanes.dispatch(now).await {
        lanes.next_wake(now).await
    } else {
        now + lanes::FIRST_BACKOFF
    }
}

/// Runs until the task is dropped. `wake` lets request handlers say "something changed".
pub async fn run(engine: Engine, outboxes: Vec<Arc<dyn Outbox>>, clock: Clock, wake: Arc<Notify>) {
    Loop::new(engine, outboxes, clock, wake).run().await;
}

/// One pass at `now`, waiting for every delivery it starts: tick, send (channels at once,
/// each in order), confirm. True if some delivery should be retried later.
pub async fn deliver_due(engine: &Engine, outboxes: &[Arc<dyn Outbox>], now: Timestamp) -> bool {
    let mut lanes = lanes::Lanes::new(
        engine.clone(),
        outboxes.to_vec(),
        Clock::manual(now),
        Arc::new(NoWatch),
        SEND_TIMEOUT,
    );
    if !lanes.dispatch(now).await {
        return true;
    }
    let mut failed = false;
    while let Some(joined) = lanes.tasks.join_next_with_id().await {
        failed |= joined.is_err();
        lanes.finish(joined, now);
    }
    failed || lanes.waiting() > 0
}

/// Tries per platform call; the delivery loop retries a failed delivery later anyway.
pub const CALL_ATTEMPTS: u32 = 3;
/// One platform call's time limit.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// A wait the platform asks for that is longer than this is left to the delivery loop's own
/// retry, freeing the slot.
pub const LONGEST_WAIT: Duration = Duration::from_secs(10);

/// A platform refused the reveal's discussion thread: threads stop for the channel's
/// schedule, with the platform's words for `/quiz status`. The reveal itself stands.
pub async fn block_threads(engine: &Engine, channel: &str, reason: String) {
    tracing::warn!(%channel, %reason, "the platform refused a thread: threads off for this schedule");
    let (engine, key) = (engine.clone(), channel.to_owned());
    let block = move || engine.block_threads(&key, &reason);
    if tokio::task::spawn_blocking(block).await.is_err() {
        tracing::error!(%channel, "could not record the refused thread");
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
