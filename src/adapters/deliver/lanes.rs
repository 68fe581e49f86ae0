//! The delivery loop's state between passes: one lane per channel, so a channel's
//! deliveries go out in order (a round's post before its reveal, a reveal before the next
//! post) while different channels go out at once, each platform through its own [`Gate`];
//! and, for a delivery that failed, its own retry time, so nothing else waits for it.

use std::collections::{HashMap, HashSet};
use std::mem::Discriminant;
use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use tokio::task::JoinSet;

use super::pace::Gate;
use super::watch::{Depth, Watch};
use super::{Outbox, SendError};
use crate::adapters::clock::Clock;
use crate::quiz::{Delivery, DeliveryKind, Engine, RoundId};

/// The first wait after a transient failure, doubled on each further failure.
pub(super) const FIRST_BACKOFF: SignedDuration = SignedDuration::from_secs(5);
const MAX_BACKOFF: SignedDuration = SignedDuration::from_mins(5);
/// With nothing scheduled, look again in an hour (a safety net, not polling).
const IDLE_LOOK: SignedDuration = SignedDuration::from_hours(1);

/// One delivery of one round: a round has at most one of each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    round: RoundId,
    kind: Discriminant<DeliveryKind>,
}

impl Key {
    fn of(delivery: &Delivery) -> Self {
        Self {
            round: delivery.round,
            kind: std::mem::discriminant(&delivery.kind),
        }
    }
}

/// A delivery that failed and is tried again at `at`.
#[derive(Debug, Clone)]
struct Retry {
    channel: String,
    failures: u32,
    at: Timestamp,
}

struct Platform {
    outbox: Arc<dyn Outbox>,
    gate: Arc<Gate>,
}

/// How one delivery of a lane ended.
enum Settled {
    Sent,
    Gone(String),
    Failed {
        reason: String,
        retry_after: Option<Duration>,
    },
    /// Another process holds its claim (or it was done meanwhile): left to it.
    Held,
}

/// A lane's end: what happened to each delivery it tried (it stops at the first that
/// did not go out, so the channel's order holds).
pub(super) struct Done {
    channel: String,
    settled: Vec<(Delivery, Settled)>,
}

/// What a lane needs, cloned into its task.
#[derive(Clone)]
struct Sender {
    engine: Engine,
    clock: Clock,
    watch: Arc<dyn Watch>,
    send_timeout: Duration,
}

pub(super) struct Lanes {
    sender: Sender,
    platforms: Vec<Platform>,
    /// Channels with a lane in flight.
    busy: HashSet<String>,
    /// Channels no platform here owns (another process's, or one not configured).
    foreign: HashSet<String>,
    /// Deliveries that failed, by their own retry time.
    waiting: HashMap<Key, Retry>,
    /// When each pending delivery fell due (its round's decision or reveal time; at the
    /// latest when this loop first found it), for its lag.
    seen: HashMap<Key, Timestamp>,
    pub(super) tasks: JoinSet<Done>,
    /// The channel of each lane's task, so a lane that panicked frees its channel.
    lane_of: HashMap<tokio::task::Id, String>,
}

impl Lanes {
    pub(super) fn new(
        engine: Engine,
        outboxes: Vec<Arc<dyn Outbox>>,
        clock: Clock,
        watch: Arc<dyn Watch>,
        send_timeout: Duration,
    ) -> Self {
        let platforms = outboxes
            .into_iter()
            .map(|outbox| Platform {
                gate: Arc::new(Gate::new(outbox.pace())),
                outbox,
            })
            .collect();
        Self {
            sender: Sender {
                engine,
                clock,
                watch,
                send_timeout,
            },
            platforms,
            busy: HashSet::new(),
            foreign: HashSet::new(),
            waiting: HashMap::new(),
            seen: HashMap::new(),
            tasks: JoinSet::new(),
            lane_of: HashMap::new(),
        }
    }

    /// One pass at `now`: asks the engine what is due and starts a lane for every channel
    /// of ours that has none running and is not waiting for a retry. False if the tick
    /// itself failed.
    pub(super) async fn dispatch(&mut self, now: Timestamp) -> bool {
        let ticking = self.sender.engine.clone();
        let deliveries = match tokio::task::spawn_blocking(move || ticking.tick(now)).await {
            Ok(deliveries) => deliveries,
            Err(error) => {
                tracing::error!(%error, "the scheduler tick panicked");
                return false;
            }
        };
        let pending: HashSet<Key> = deliveries.iter().map(Key::of).collect();
        self.waiting.retain(|key, _| pending.contains(key));
        self.seen.retain(|key, _| pending.contains(key));
        self.foreign.clear();
        // The channels in the order their first delivery came (rounds in id order), each
        // with its deliveries in that order.
        let mut order: Vec<String> = Vec::new();
        let mut by_channel: HashMap<String, Vec<Delivery>> = HashMap::new();
        for delivery in deliveries {
            self.seen
                .entry(Key::of(&delivery))
                .or_insert(delivery.due.min(now));
            let lane = by_channel
                .entry(delivery.channel.clone())
                .or_insert_with(|| {
                    order.push(delivery.channel.clone());
                    Vec::new()
                });
            lane.push(delivery);
        }
        let due = pending.len();
        for channel in order {
            let Some(lane) = by_channel.remove(&channel) else {
                continue;
            };
            if self.busy.contains(&channel) {
                continue;
            }
            let Some(platform) = self.platforms.iter().find(|p| p.outbox.owns(&channel)) else {
                self.foreign.insert(channel);
                continue;
            };
            let later = lane
                .iter()
                .any(|d| self.waiting.get(&Key::of(d)).is_some_and(|r| r.at > now));
            if later {
                continue;
            }
            let seen: Vec<Timestamp> = lane
                .iter()
                .map(|d| self.seen.get(&Key::of(d)).copied().unwrap_or(now))
                .collect();
            let (sender, outbox, gate) = (
                self.sender.clone(),
                platform.outbox.clone(),
                platform.gate.clone(),
            );
            let task = self
                .tasks
                .spawn(sender.lane(channel.clone(), lane, seen, outbox, gate));
            self.lane_of.insert(task.id(), channel.clone());
            self.busy.insert(channel);
        }
        let depth = Depth {
            due,
            in_flight: self.busy.len(),
            waiting: self.waiting.len(),
        };
        self.sender.watch.queue(now, depth);
        true
    }

    /// Takes in a finished lane at `now`. True if the next wake should be worked out
    /// again (something was left for later).
    pub(super) fn finish(
        &mut self,
        joined: Result<(tokio::task::Id, Done), tokio::task::JoinError>,
        now: Timestamp,
    ) -> bool {
        let done = match joined {
            Ok((id, done)) => {
                self.lane_of.remove(&id);
                done
            }
            Err(error) => {
                let channel = self.lane_of.remove(&error.id());
                tracing::error!(%error, ?channel, "a delivery lane panicked");
                if let Some(channel) = channel {
                    self.busy.remove(&channel);
                }
                return true;
            }
        };
        self.busy.remove(&done.channel);
        let mut again = false;
        for (delivery, settled) in done.settled {
            let key = Key::of(&delivery);
            match settled {
                Settled::Sent | Settled::Gone(_) => {
                    self.waiting.remove(&key);
                    self.seen.remove(&key);
                }
                Settled::Held => again = true,
                Settled::Failed {
                    reason,
                    retry_after,
                } => {
                    let failures = self.waiting.get(&key).map_or(0, |r| r.failures) + 1;
                    let at = now + wait(failures, retry_after);
                    tracing::warn!(channel = %delivery.channel, round = %delivery.round, %reason, %at, "delivery failed; will retry");
                    self.sender.watch.retried(&delivery, &reason, at);
                    self.waiting.insert(
                        key,
                        Retry {
                            channel: delivery.channel.clone(),
                            failures,
                            at,
                        },
                    );
                    again = true;
                }
            }
        }
        again
    }

    /// When the loop should look again after `now`: the engine's next due time besides our
    /// own lanes' (running, waiting or foreign), or the first retry, whichever is first.
    pub(super) async fn next_wake(&self, now: Timestamp) -> Timestamp {
        let mut besides: HashSet<String> = self.busy.union(&self.foreign).cloned().collect();
        besides.extend(self.waiting.values().map(|r| r.channel.clone()));
        let engine = self.sender.engine.clone();
        let due = tokio::task::spawn_blocking(move || engine.next_due_besides(now, &besides))
            .await
            .ok()
            .flatten();
        // A retry whose lane is running is under way, not due.
        let retry = self
            .waiting
            .values()
            .filter(|r| !self.busy.contains(&r.channel))
            .map(|r| r.at)
            .min();
        let next = due
            .into_iter()
            .chain(retry)
            .min()
            .unwrap_or(now + IDLE_LOOK);
        // Everything due at `now` has just been started or set aside, so nothing should be
        // due at once; a pending delivery the tick could not build (its answers unreadable)
        // would look due forever: look again after a while instead of spinning.
        if next <= now {
            tracing::debug!(%now, "something looks due at once after a pass; looking again later");
            now + FIRST_BACKOFF
        } else {
            next
        }
    }

    /// Deliveries waiting for a retry.
    pub(super) fn waiting(&self) -> usize {
        self.waiting.len()
    }
}

/// How long to wait after a delivery's `failures`-th failure: 5 s doubling to 5 min, and
/// never less than the platform asked.
fn wait(failures: u32, retry_after: Option<Duration>) -> SignedDuration {
    let backoff = FIRST_BACKOFF
        .checked_mul(1 << failures.saturating_sub(1).min(10))
        .unwrap_or(MAX_BACKOFF)
        .min(MAX_BACKOFF);
    let asked = retry_after
        .and_then(|d| SignedDuration::try_from(d).ok())
        .unwrap_or(SignedDuration::ZERO);
    backoff.max(asked)
}

impl Sender {
    /// Sends one channel's deliveries in order, each through the platform's gate, claimed
    /// just before it is sent and confirmed (off the async threads) once the platform took
    /// it; stops at the first that does not go out.
    async fn lane(
        self,
        channel: String,
        lane: Vec<Delivery>,
        seen: Vec<Timestamp>,
        outbox: Arc<dyn Outbox>,
        gate: Arc<Gate>,
    ) -> Done {
        let mut settled = Vec::new();
        for (delivery, seen) in lane.into_iter().zip(seen) {
            let outcome = self.one(&delivery, seen, outbox.as_ref(), &gate).await;
            let stop = !matches!(outcome, Settled::Sent);
            settled.push((delivery, outcome));
            if stop {
                break;
            }
        }
        Done { channel, settled }
    }

    async fn one(
        &self,
        delivery: &Delivery,
        seen: Timestamp,
        outbox: &dyn Outbox,
        gate: &Gate,
    ) -> Settled {
        let Some(slot) = gate.enter().await else {
            return Settled::Held;
        };
        // Claimed in the store first: another process on the database may be sending it.
        let (engine, claimed, now) = (self.engine.clone(), delivery.clone(), self.clock.now());
        let claim = move || engine.claim(&claimed, now);
        if !tokio::task::spawn_blocking(claim).await.unwrap_or(false) {
            return Settled::Held;
        }
        let result = tokio::time::timeout(self.send_timeout, outbox.send(delivery))
            .await
            .unwrap_or_else(|_| Err(SendError::transient("timed out")));
        drop(slot);
        let (engine, settling, now) = (self.engine.clone(), delivery.clone(), self.clock.now());
        let settled = tokio::task::spawn_blocking(move || settle(&engine, &settling, result, now))
            .await
            .unwrap_or_else(|error| Settled::Failed {
                reason: format!("confirming panicked: {error}"),
                retry_after: None,
            });
        match &settled {
            Settled::Sent => self.watch.sent(delivery, seen.duration_until(now)),
            Settled::Gone(reason) => self.watch.gone(delivery, reason),
            Settled::Failed { .. } | Settled::Held => {}
        }
        settled
    }
}

/// Records what the platform said, in the store.
fn settle(
    engine: &Engine,
    delivery: &Delivery,
    result: Result<Option<String>, SendError>,
    now: Timestamp,
) -> Settled {
    match result {
        Ok(message) => {
            engine.confirm(delivery, message, now);
            Settled::Sent
        }
        Err(SendError::Gone(reason)) => {
            tracing::warn!(channel = %delivery.channel, round = %delivery.round, %reason, "channel unusable: schedule stopped");
            engine.disable_channel(&delivery.channel, &reason, now);
            Settled::Gone(reason)
        }
        Err(SendError::Transient {
            reason,
            retry_after,
        }) => Settled::Failed {
            reason,
            retry_after,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retry_backs_off_by_doubling_and_never_comes_before_the_platform_asked() {
        assert_eq!(wait(1, None), SignedDuration::from_secs(5));
        assert_eq!(wait(2, None), SignedDuration::from_secs(10));
        assert_eq!(wait(30, None), MAX_BACKOFF);
        assert_eq!(
            wait(1, Some(Duration::from_secs(42))),
            SignedDuration::from_secs(42)
        );
        assert_eq!(
            wait(3, Some(Duration::from_secs(2))),
            SignedDuration::from_secs(20)
        );
    }
}
