//! Sharding: `quizbot run` connects as many shards as `GET /gateway/bot` recommends and
//! serves interactions on each; with `DISCORD_SHARDS`, a process delivers only to the
//! servers of its own shards and leaves the others' deliveries unclaimed for the process
//! that runs them.

use std::sync::Arc;

use quizbot::adapters::Connected;
use quizbot::adapters::clock::Clock;
use quizbot::adapters::deliver;
use quizbot::quiz::Scope;
use tokio::sync::Notify;

use crate::*;

#[tokio::test]
async fn interactions_arriving_on_both_recommended_shards_are_served() {
    log::install();
    let fake = FakeDiscord::start_sharded(2).await;
    let config = config_for(&fake, &[]);
    let dir = tempfile::TempDir::new().unwrap();
    let engine = engine_over(ONE, &dir, Lang::En);
    let clock = Clock::manual(at(START));
    tokio::spawn({
        let (engine, clock) = (engine.clone(), clock.clone());
        async move { quizbot::adapters::serve(engine, &config, clock).await }
    });
    // serenity waits 5 s between two IDENTIFYs, as Discord asks.
    fake.shards_connected(2).await;
    let mut shards = fake.identified_shards();
    shards.sort_unstable();
    assert_eq!(shards, [0, 1], "one IDENTIFY per recommended shard");
    let bot = Bot::attach(fake, engine, clock, Arc::new(Notify::new()));

    // GUILD is on shard 1, OTHER_GUILD on shard 0: each command comes on its own socket.
    let on_one = bot
        .ask_in_server(GUILD, ALICE, GENERAL, "help", json!([]))
        .await;
    let on_zero = bot
        .ask_in_server(OTHER_GUILD, ALICE, ELSEWHERE, "help", json!([]))
        .await;
    for response in [on_one, on_zero] {
        assert!(
            response.shown().contains("/practice"),
            "{}",
            response.shown()
        );
    }
}

#[tokio::test]
async fn a_process_delivers_only_to_servers_on_its_shards_and_leaves_the_rest_unclaimed() {
    log::install();
    let fake = Arc::new(FakeDiscord::start_sharded(2).await);
    let dir = tempfile::TempDir::new().unwrap();
    let clock = Clock::manual(at(START));
    let wake = Arc::new(Notify::new());
    // Two processes on one database: shard 0 of 2 (OTHER_GUILD) and shard 1 (GUILD).
    let mut processes = Vec::new();
    for shards in ["0/2", "1/2"] {
        let config = config_for(&fake, &[("DISCORD_SHARDS", shards.to_owned())]);
        let engine = engine_over(ONE, &dir, Lang::En);
        let Connected {
            outbox,
            task,
            serves,
            ..
        } = quizbot::adapters::discord::connect(&engine, &config, &clock, &wake)
            .await
            .expect("connects to the fake Discord");
        let delivering = engine.delivering_for(Scope::only(move |server| serves(server)));
        processes.push((delivering, outbox, task));
    }
    fake.shards_connected(2).await;
    assert_eq!(
        fake.identified(),
        2,
        "each process identified its one shard"
    );
    let bot = Bot::attach_shared(fake.clone(), processes[0].0.clone(), clock.clone(), wake);
    // Each server's `/quiz schedule` is served by the process that runs its shard.
    bot.schedule_in(GUILD, GENERAL).await;
    bot.schedule_in(OTHER_GUILD, ELSEWHERE).await;

    bot.advance_to("2026-11-24T09:00:00+09:00");
    let now = clock.now();
    let (first, first_outbox, _) = &processes[0];
    assert!(
        !deliver::deliver_due(first, std::slice::from_ref(first_outbox), now).await,
        "the first process's pass had nothing to retry"
    );
    let post = bot.fake.posted_in(ELSEWHERE).await;
    assert!(
        post.shown().contains("What is the cheapest way"),
        "{}",
        post.shown()
    );
    let general = format!("/channels/{GENERAL}/messages");
    assert!(
        !bot.fake.calls().iter().any(|c| c.path == general),
        "nothing was sent to the other shard's server"
    );
    // Nor does it wait on that delivery: its next due time is the reveal, not now.
    assert!(first.next_due(now).is_some_and(|due| due > now));

    // Unclaimed, so the process of shard 1 sends it at once (no claim lease to wait out).
    let (second, second_outbox, _) = &processes[1];
    assert!(!deliver::deliver_due(second, std::slice::from_ref(second_outbox), now).await);
    let post = bot.fake.posted_in(GENERAL).await;
    assert!(
        post.shown().contains("What is the cheapest way"),
        "{}",
        post.shown()
    );
    assert!(
        bot.fake
            .calls()
            .iter()
            .filter(|c| c.method == "POST" && c.path.ends_with("/messages"))
            .count()
            == 2,
        "each server's question was posted once"
    );
}
