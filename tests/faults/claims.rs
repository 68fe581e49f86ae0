//! Two processes on one database: every delivery is claimed in the store before it is sent,
//! so each round is posted and revealed exactly once, and a crashed sender's claim runs out.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use quizbot::adapters::deliver::{self, Outbox, SendFuture};
use quizbot::quiz::{CLAIM_LEASE, Delivery, DeliveryKind};
use tokio::sync::Notify;

use super::*;

/// Where the two engines meet in each pass: neither sends before both have ticked (so
/// both have the same deliveries in hand), nor waits for one that has nothing to send.
#[derive(Default)]
struct Gate {
    arrived: Mutex<[bool; 2]>,
    changed: Notify,
}

impl Gate {
    fn arrive(&self, side: usize) {
        self.arrived.lock().unwrap()[side] = true;
        self.changed.notify_waiters();
    }

    async fn meet(&self, side: usize) {
        self.arrive(side);
        loop {
            let changed = self.changed.notified();
            if self.arrived.lock().unwrap()[1 - side] {
                return;
            }
            changed.await;
        }
    }

    fn reset(&self) {
        *self.arrived.lock().unwrap() = [false; 2];
    }
}

/// A fake chat platform: records every message sent, by round and kind.
struct FakePlatform {
    side: usize,
    gate: Arc<Gate>,
    sent: Arc<Mutex<Vec<(i64, &'static str)>>>,
}

impl Outbox for FakePlatform {
    fn owns(&self, _channel: &str) -> bool {
        true
    }

    fn send<'a>(&'a self, delivery: &'a Delivery) -> SendFuture<'a> {
        Box::pin(async move {
            self.gate.meet(self.side).await;
            let kind = match delivery.kind {
                DeliveryKind::Post => "post",
                DeliveryKind::Reveal { .. } => "reveal",
                DeliveryKind::Recap { .. } => "recap",
            };
            self.sent.lock().unwrap().push((delivery.round.0, kind));
            Ok(Some(format!("message-{}", delivery.round)))
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_engines_on_one_database_post_and_reveal_each_of_100_rounds_exactly_once() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("shared.db");
    let engines = [
        engine(&db, StoreOptions::default(), fixture_bank()),
        engine(&db, StoreOptions::default(), fixture_bank()),
    ];
    for channel in 0..20 {
        let replies = ask_in(
            &engines[0],
            &format!("test:channel-{channel}"),
            "ana",
            "/quiz schedule 09:00 Asia/Seoul reveal:18:00",
            at("2026-11-24T08:00:00+09:00"),
        );
        assert!(
            matches!(replies[0].card.kind, CardKind::Info),
            "{replies:?}"
        );
    }
    let gate = Arc::new(Gate::default());
    let sent = Arc::new(Mutex::new(Vec::new()));
    let outboxes: Vec<Vec<Arc<dyn Outbox>>> = (0..2)
        .map(|side| {
            let platform = FakePlatform {
                side,
                gate: gate.clone(),
                sent: sent.clone(),
            };
            vec![Arc::new(platform) as Arc<dyn Outbox>]
        })
        .collect();
    // Five days of twenty channels: 100 rounds, each a post at 09:00 and a reveal at 18:00.
    for day in 24..29 {
        for time in ["09:00", "18:00"] {
            let now = at(&format!("2026-11-{day}T{time}:00+09:00"));
            gate.reset();
            let pass = |side: usize| {
                let (engine, outboxes, gate) =
                    (engines[side].clone(), outboxes[side].clone(), gate.clone());
                async move {
                    let failed = deliver::deliver_due(&engine, &outboxes, now).await;
                    gate.arrive(side);
                    failed
                }
            };
            let (a, b) = tokio::join!(tokio::spawn(pass(0)), tokio::spawn(pass(1)));
            assert!(!a.unwrap() && !b.unwrap(), "nothing failed");
        }
    }
    let sent = sent.lock().unwrap();
    let mut times: HashMap<(i64, &str), usize> = HashMap::new();
    for key in sent.iter() {
        *times.entry(*key).or_default() += 1;
    }
    let posts = times.keys().filter(|(_, kind)| *kind == "post").count();
    let reveals = times.keys().filter(|(_, kind)| *kind == "reveal").count();
    assert_eq!(
        (posts, reveals),
        (100, 100),
        "every round posted and revealed"
    );
    let doubled: Vec<_> = times.iter().filter(|(_, n)| **n > 1).collect();
    assert!(doubled.is_empty(), "sent more than once: {doubled:?}");
}

#[test]
fn a_crashed_senders_claim_runs_out_and_the_round_is_then_sent_once_by_the_other() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("shared.db");
    let crashed = engine(&db, StoreOptions::default(), fixture_bank());
    let survivor = engine(&db, StoreOptions::default(), fixture_bank());
    ask(
        &crashed,
        "ana",
        "/quiz schedule 09:00 Asia/Seoul",
        at("2026-11-24T08:00:00+09:00"),
    );
    let nine = at("2026-11-24T09:00:00+09:00");
    let post = crashed.tick(nine).remove(0);
    assert!(
        crashed.claim(&post, nine),
        "the first process claims the post"
    );
    drop(crashed); // and dies before sending it

    let due = survivor.tick(nine);
    assert!(
        !survivor.claim(&due[0], nine),
        "the claim holds while it runs"
    );
    let expiry = nine + CLAIM_LEASE;
    assert_eq!(
        survivor.next_due(nine),
        Some(expiry),
        "waits for the claim, no busy loop"
    );
    let due = survivor.tick(expiry);
    assert!(
        survivor.claim(&due[0], expiry),
        "then the survivor takes it over"
    );
    survivor.confirm_post(due[0].round, None, expiry);
    assert!(survivor.tick(expiry).is_empty(), "posted once");
}
