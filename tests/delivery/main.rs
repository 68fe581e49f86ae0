//! The shared delivery loop under load: many channels due at once against a fake platform
//! with latency (tokio's paused clock, so 100 ms of latency costs no real time), a real
//! SQLite file, and the manual clock for the quiz's own time. Nothing sleeps to wait:
//! the tests await the loop's reports and the fake's explicit signals.

#[path = "../support/common.rs"]
#[allow(dead_code)]
mod common;
mod concurrent;
#[path = "../support/watch.rs"]
mod watch;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use quizbot::adapters::clock::Clock;
use quizbot::adapters::deliver::{self, Outbox, Pace, SendError, SendFuture};
use quizbot::bank::Lang;
use quizbot::quiz::{Delivery, Engine};
use quizbot::schedule::{DailyTime, RevealRule, Schedule, Weekdays, Zone};
use quizbot::store::ScheduleRow;
use tempfile::TempDir;
use tokio::sync::Notify;

pub use common::{ONE, at};
pub use watch::Events;

/// The day's slot: every channel's question is due at this instant.
pub const NINE: &str = "2026-11-24T09:00:00+09:00";
const BEFORE_NINE: &str = "2026-11-24T08:59:00+09:00";

/// A platform in memory: each send takes `latency` (a reveal three times as long, so a
/// reveal sent beside the next post would land after it), some channels hang until
/// released, some fail. It counts what is in flight, overall and per channel.
#[derive(Default)]
pub struct FakePlatform {
    pace: Option<Pace>,
    latency: Duration,
    state: Mutex<State>,
    /// Released hanging sends.
    release: Notify,
    changed: Notify,
}

#[derive(Default)]
struct State {
    /// What each channel received, in the order it completed: (round, "post" / "reveal").
    received: HashMap<String, Vec<(i64, &'static str)>>,
    /// Sends started per channel, finished or not.
    attempts: HashMap<String, usize>,
    in_flight: usize,
    most_in_flight: usize,
    per_channel: HashMap<String, usize>,
    most_per_channel: usize,
    hanging: HashSet<String>,
    released: bool,
    /// Transient failures still to give per channel, and the retry_after they carry.
    failing: HashMap<String, (usize, Option<Duration>)>,
}

impl FakePlatform {
    pub fn new(concurrency: usize, latency: Duration) -> Self {
        Self {
            pace: Some(Pace {
                concurrency: concurrency.try_into().unwrap(),
                per_second: None,
            }),
            latency,
            ..Self::default()
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `channel`'s sends wait until [`FakePlatform::release`].
    pub fn hang(&self, channel: &str) {
        self.lock().hanging.insert(channel.to_owned());
    }

    pub fn release(&self) {
        self.lock().released = true;
        self.release.notify_waiters();
    }

    /// `channel`'s next `times` sends fail as transient, with `retry_after`.
    pub fn fail(&self, channel: &str, times: usize, retry_after: Option<Duration>) {
        self.lock()
            .failing
            .insert(channel.to_owned(), (times, retry_after));
    }

    pub fn received(&self, channel: &str) -> Vec<(i64, &'static str)> {
        self.lock()
            .received
            .get(channel)
            .cloned()
            .unwrap_or_default()
    }

    pub fn attempts(&self, channel: &str) -> usize {
        self.lock().attempts.get(channel).copied().unwrap_or(0)
    }

    pub fn all_received(&self) -> HashMap<String, Vec<(i64, &'static str)>> {
        self.lock().received.clone()
    }

    /// The most sends in flight at once: overall, and in any one channel.
    pub fn most_in_flight(&self) -> (usize, usize) {
        let state = self.lock();
        (state.most_in_flight, state.most_per_channel)
    }

    /// Waits until `channel` has a send under way.
    pub async fn started(&self, channel: &str) {
        loop {
            let notified = self.changed.notified();
            if self.attempts(channel) > 0 {
                return;
            }
            notified.await;
        }
    }

    async fn deliver(&self, delivery: &Delivery) -> Result<Option<String>, SendError> {
        let channel = delivery.channel.clone();
        let kind = watch::kind(delivery);
        let (hangs, failure) = {
            let mut state = self.lock();
            *state.attempts.entry(channel.clone()).or_default() += 1;
            state.in_flight += 1;
            state.most_in_flight = state.most_in_flight.max(state.in_flight);
            let here = state.per_channel.entry(channel.clone()).or_default();
            *here += 1;
            let here = *here;
            state.most_per_channel = state.most_per_channel.max(here);
            let failure = match state.failing.get_mut(&channel) {
                Some((left, retry_after)) if *left > 0 => {
                    *left -= 1;
                    Some(*retry_after)
                }
                _ => None,
            };
            (state.hanging.contains(&channel), failure)
        };
        self.changed.notify_waiters();
        if hangs {
            loop {
                let released = self.release.notified();
                if self.lock().released {
                    break;
                }
                released.await;
            }
        }
        let latency = if kind == "reveal" {
            self.latency * 3
        } else {
            self.latency
        };
        tokio::time::sleep(latency).await;
        let mut state = self.lock();
        state.in_flight -= 1;
        if let Some(here) = state.per_channel.get_mut(&channel) {
            *here -= 1;
        }
        if let Some(retry_after) = failure {
            return Err(SendError::Transient {
                reason: "the fake is down".into(),
                retry_after,
            });
        }
        state
            .received
            .entry(channel)
            .or_default()
            .push((delivery.round.0, kind));
        Ok(Some(format!("m{}", delivery.round.0)))
    }
}

/// The platform as the loop sees it (the test keeps the `Arc` to look inside).
struct Shared(Arc<FakePlatform>);

impl Outbox for Shared {
    fn owns(&self, channel: &str) -> bool {
        channel.starts_with("test:")
    }

    fn send<'a>(&'a self, delivery: &'a Delivery) -> SendFuture<'a> {
        Box::pin(self.0.deliver(delivery))
    }

    fn pace(&self) -> Pace {
        self.0.pace.unwrap_or(Pace::DEFAULT)
    }
}

/// `channels` channels, each with a daily question at 09:00 Seoul and its reveal at 18:00,
/// and the real delivery loop running over them, watched.
pub struct Desk {
    pub engine: Engine,
    pub clock: Clock,
    pub wake: Arc<Notify>,
    pub platform: Arc<FakePlatform>,
    pub events: Events,
    pub channels: Vec<String>,
    looping: tokio::task::JoinHandle<()>,
    _dir: TempDir,
}

impl Desk {
    pub fn start(channels: usize, platform: FakePlatform) -> Self {
        let dir = TempDir::new().unwrap();
        let engine = common::engine_over(ONE, &dir, Lang::En);
        let clock = Clock::manual(at(BEFORE_NINE));
        let schedule = Schedule {
            time: DailyTime::parse("09:00").unwrap(),
            zone: Zone::parse("Asia/Seoul").unwrap(),
            days: Weekdays::EVERY_DAY,
            reveal: RevealRule::At(DailyTime::parse("18:00").unwrap()),
        };
        let names: Vec<String> = (0..channels)
            .map(|i| format!("test:channel{i:03}"))
            .collect();
        let rows = names
            .iter()
            .map(|channel| {
                ScheduleRow::new(
                    channel.clone(),
                    "test:server".into(),
                    schedule.clone(),
                    Lang::En,
                    clock.now(),
                )
            })
            .collect();
        engine.store().save_schedules(rows).unwrap();
        let platform = Arc::new(platform);
        let wake = Arc::new(Notify::new());
        // A guard in the paused clock's virtual time: far longer than any test needs.
        let (watch, events) = watch::watch_within(Duration::from_secs(24 * 3600));
        let outbox: Arc<dyn Outbox> = Arc::new(Shared(platform.clone()));
        let looping = tokio::spawn(
            deliver::Loop::new(engine.clone(), vec![outbox], clock.clone(), wake.clone())
                .watch(watch)
                .run(),
        );
        Self {
            engine,
            clock,
            wake,
            platform,
            events,
            channels: names,
            looping,
            _dir: dir,
        }
    }

    /// Moves the quiz's clock to `when` (the loop wakes by itself when something is due).
    pub fn advance_to(&self, when: &str) {
        self.advance(self.clock.now().duration_until(at(when)));
    }

    pub fn advance(&self, by: SignedDuration) {
        assert!(by >= SignedDuration::ZERO, "the clock only moves forward");
        self.clock.advance(by);
    }

    /// Makes the loop look now, and waits until that pass is done.
    pub async fn look(&self) {
        let now: Timestamp = self.clock.now();
        self.wake.notify_one();
        self.events.pass_at(now).await;
    }
}

impl Drop for Desk {
    fn drop(&mut self) {
        self.looping.abort();
    }
}
