//! A delivery loop's observer for tests: every event it reports, in order, to await one by
//! one (an explicit signal, never a sleep).

use std::sync::Arc;

use jiff::Timestamp;
use quizbot::adapters::deliver::{Depth, Watch};
use quizbot::quiz::{Delivery, DeliveryKind};
use tokio::sync::{Mutex, mpsc};

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Sent {
        channel: String,
        round: i64,
        kind: &'static str,
    },
    Retried {
        channel: String,
        round: i64,
        at: Timestamp,
    },
    Gone {
        channel: String,
    },
    Pass {
        now: Timestamp,
        depth: Depth,
    },
}

pub fn kind(delivery: &Delivery) -> &'static str {
    match delivery.kind {
        DeliveryKind::Post => "post",
        DeliveryKind::Reveal { .. } => "reveal",
        DeliveryKind::Recap { .. } => "recap",
    }
}

struct Reporter(mpsc::UnboundedSender<Event>);

impl Watch for Reporter {
    fn sent(&self, delivery: &Delivery, _lag: jiff::SignedDuration) {
        let _ = self.0.send(Event::Sent {
            channel: delivery.channel.clone(),
            round: delivery.round.0,
            kind: kind(delivery),
        });
    }
    fn retried(&self, delivery: &Delivery, _reason: &str, at: Timestamp) {
        let _ = self.0.send(Event::Retried {
            channel: delivery.channel.clone(),
            round: delivery.round.0,
            at,
        });
    }
    fn gone(&self, delivery: &Delivery, _reason: &str) {
        let _ = self.0.send(Event::Gone {
            channel: delivery.channel.clone(),
        });
    }
    fn queue(&self, now: Timestamp, depth: Depth) {
        let _ = self.0.send(Event::Pass { now, depth });
    }
}

/// What the loop reported, to await: each finder takes the first event it wants that no
/// finder took before, whenever it came.
pub struct Events(Mutex<Inbox>, std::time::Duration);

struct Inbox {
    rx: mpsc::UnboundedReceiver<Event>,
    /// Every event so far, and whether a finder took it.
    seen: Vec<(Event, bool)>,
}

/// A watch to hand the loop, and its events; a wait longer than 20 s fails the test.
#[allow(dead_code)]
pub fn watch() -> (Arc<dyn Watch>, Events) {
    watch_within(std::time::Duration::from_secs(20))
}

/// [`watch`], with a wait longer than `guard` failing the test (a guard, not a timing;
/// on tokio's paused clock it is virtual time).
pub fn watch_within(guard: std::time::Duration) -> (Arc<dyn Watch>, Events) {
    let (tx, rx) = mpsc::unbounded_channel();
    let inbox = Inbox {
        rx,
        seen: Vec::new(),
    };
    (Arc::new(Reporter(tx)), Events(Mutex::new(inbox), guard))
}

impl Events {
    /// The first event not yet taken that `pick` keeps, waiting for it if need be.
    pub async fn next<T>(&self, pick: impl Fn(&Event) -> Option<T>) -> T {
        match tokio::time::timeout(self.1, self.find(pick)).await {
            Ok(found) => found,
            Err(_) => panic!("the delivery loop did not report what was awaited"),
        }
    }

    async fn find<T>(&self, pick: impl Fn(&Event) -> Option<T>) -> T {
        let mut inbox = self.0.lock().await;
        for (event, taken) in &mut inbox.seen {
            if !*taken && let Some(found) = pick(event) {
                *taken = true;
                return found;
            }
        }
        loop {
            let event = inbox.rx.recv().await.expect("the delivery loop stopped");
            let found = pick(&event);
            let taken = found.is_some();
            inbox.seen.push((event, taken));
            if let Some(found) = found {
                return found;
            }
        }
    }

    /// Waits until a `kind` delivery to `channel` was sent and confirmed.
    #[allow(dead_code)]
    pub async fn sent(&self, channel: &str, kind: &str) {
        self.next(|e| match e {
            Event::Sent {
                channel: c,
                kind: k,
                ..
            } if c == channel && *k == kind => Some(()),
            _ => None,
        })
        .await;
    }

    /// Waits until `n` more deliveries were sent and confirmed.
    #[allow(dead_code)]
    pub async fn sends(&self, n: usize) {
        for _ in 0..n {
            self.next(|e| matches!(e, Event::Sent { .. }).then_some(()))
                .await;
        }
    }

    /// Waits for the next retry the loop schedules: (channel, when).
    #[allow(dead_code)]
    pub async fn retried(&self) -> (String, Timestamp) {
        self.next(|e| match e {
            Event::Retried { channel, at, .. } => Some((channel.clone(), *at)),
            _ => None,
        })
        .await
    }

    /// Waits for a pass at `now` to end; its queue.
    #[allow(dead_code)]
    pub async fn pass_at(&self, now: Timestamp) -> Depth {
        self.next(|e| match e {
            Event::Pass { now: n, depth } if *n == now => Some(*depth),
            _ => None,
        })
        .await
    }
}
