//! The gateway and REST: retries with a nonce, reconnects, lost channels, slow databases,
//! the API base and the token in the logs.

use axum::http::StatusCode;
use serde_json::json;

use crate::*;

#[tokio::test]
async fn a_daily_post_that_fails_twice_with_500_is_delivered_once_with_one_nonce() {
    let bot = Bot::start().await;
    bot.schedule(GENERAL).await;
    let path = format!("/channels/{GENERAL}/messages");
    let error = json!({"message": "Internal Server Error", "code": 0});
    bot.fake
        .fail("POST", &path, 2, StatusCode::INTERNAL_SERVER_ERROR, error);
    let post = bot.post_daily(GENERAL).await;
    let tries: Vec<_> = bot
        .fake
        .calls()
        .into_iter()
        .filter(|c| c.method == "POST" && c.path == path)
        .collect();
    assert_eq!(tries.len(), 3, "two failures, then the post");
    assert!(tries.iter().all(|c| c.body["nonce"] == post.body["nonce"]));
    assert!(tries.iter().all(|c| c.body["enforce_nonce"] == true));
    assert_eq!(tries.iter().filter(|c| c.status == 200).count(), 1);
    // The round is confirmed: the next pass sends nothing, and members can answer.
    assert!(!bot.deliver().await);
    let receipt = bot.click(ALICE, GENERAL, &post, &button(&post, "B")).await;
    assert!(
        receipt.shown().contains("Recorded your answer B"),
        "{}",
        receipt.shown()
    );
}

#[tokio::test]
async fn after_a_database_reset_the_first_post_is_a_new_message_not_mistaken_for_the_old_one() {
    let before = Bot::start().await;
    before.schedule(GENERAL).await;
    let old = before.post_daily(GENERAL).await;
    // A fresh database, same server and channel, within Discord's nonce window: its first
    // round has the same number as the old database's first round.
    let after = Bot::start_on(before.fake.clone(), ONE).await;
    after.schedule(GENERAL).await;
    let new = after.post_daily(GENERAL).await;
    assert_ne!(new.body["nonce"], old.body["nonce"]);
    assert_ne!(
        new.message_id(),
        old.message_id(),
        "Discord would answer a repeated nonce with the old message"
    );
}

#[tokio::test]
async fn a_rate_limited_post_is_not_tried_again_before_its_retry_after() {
    let bot = Bot::start().await;
    bot.schedule(GENERAL).await;
    let path = format!("/channels/{GENERAL}/messages");
    let limited = json!({"message": "You are being rate limited.", "retry_after": 2.0, "global": false, "code": 0});
    bot.fake
        .fail("POST", &path, 1, StatusCode::TOO_MANY_REQUESTS, limited);
    // Behind DISCORD_API_BASE serenity passes the 429 on without its retry_after; the
    // outbox waits its own floor, which is longer (serenity waits it itself without one).
    let post = bot.post_daily(GENERAL).await;
    assert!(post.shown().contains("Daily question"), "{}", post.shown());
    let tries: Vec<_> = bot
        .fake
        .calls()
        .into_iter()
        .filter(|c| c.path == path)
        .collect();
    assert_eq!(
        tries.iter().map(|c| c.status).collect::<Vec<_>>(),
        [429, 200]
    );
    let gap = tries[1].at - tries[0].at;
    assert!(
        gap >= std::time::Duration::from_secs(2),
        "tried again after {gap:?}"
    );
}

#[tokio::test]
async fn a_post_resent_after_a_lost_confirmation_appears_once() {
    let bot = Bot::start().await;
    bot.schedule(GENERAL).await;
    bot.advance_to("2026-11-24T09:00:00+09:00");
    let delivery = bot.engine.tick(bot.clock.now());
    assert_eq!(delivery.len(), 1);
    // Sent, but the bot "crashed" before confirming: the same delivery goes out again.
    let first = bot.outbox.send(&delivery[0]).await.unwrap();
    let second = bot.outbox.send(&delivery[0]).await.unwrap();
    assert_eq!(
        first, second,
        "Discord dropped the second copy by its nonce"
    );
}

#[tokio::test]
async fn after_the_socket_drops_the_bot_reconnects_and_keeps_answering() {
    let bot = Bot::start().await;
    bot.fake.drop_socket();
    // serenity resumes the session (or identifies anew); either way the bot serves again.
    bot.fake.sessions(1, 1).await;
    let help = bot.ask(BOB, GENERAL, "help", json!([])).await;
    assert!(help.shown().contains("/practice"), "{}", help.shown());
}

#[tokio::test]
async fn a_reconnect_request_is_followed_and_service_goes_on() {
    let bot = Bot::start().await;
    bot.fake.send_reconnect();
    bot.fake.sessions(1, 1).await;
    let question = bot.ask(ALICE, GENERAL, "practice", json!([])).await;
    assert!(
        question.shown().contains("CloudFront"),
        "{}",
        question.shown()
    );
}

#[tokio::test]
async fn an_invalid_session_makes_the_bot_identify_again_and_serve() {
    let bot = Bot::start().await;
    bot.fake.send_invalid_session();
    bot.fake.sessions(2, 0).await;
    let help = bot.ask(CAROL, GENERAL, "help", json!([])).await;
    assert!(help.shown().contains("/practice"), "{}", help.shown());
}

#[tokio::test]
async fn a_deleted_channel_stops_its_schedule_and_status_says_why_and_how_to_restart_it() {
    let bot = Bot::start().await;
    bot.schedule(GENERAL).await;
    let path = format!("/channels/{GENERAL}/messages");
    let error = json!({"message": "Unknown Channel", "code": 10003});
    bot.fake
        .fail("POST", &path, 1, StatusCode::NOT_FOUND, error);
    bot.advance_to("2026-11-24T09:00:00+09:00");
    assert!(!bot.deliver().await, "a gone channel is not retried");
    let status = bot.quiz_status(GENERAL).await.shown();
    assert!(status.contains("Unknown Channel"), "why: {status}");
    assert!(status.contains("stopped"), "that it is stopped: {status}");
    assert!(
        status.contains("run /quiz schedule again"),
        "how to start it again: {status}"
    );
    assert!(
        !status.contains("Next question"),
        "a stopped schedule has no next question: {status}"
    );
    // The next day nothing is tried again.
    bot.advance_to("2026-11-25T09:00:00+09:00");
    assert!(!bot.deliver().await);
    let tries = bot
        .fake
        .calls()
        .into_iter()
        .filter(|c| c.path == path)
        .count();
    assert_eq!(tries, 1);
    assert!(log::text().contains("channel unusable: schedule stopped"));
}

#[tokio::test]
async fn a_slow_database_defers_the_interaction_and_the_answer_follows() {
    let bot = Bot::start().await;
    let lock = rusqlite::Connection::open(&bot.db).unwrap();
    lock.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let sent = bot.command(ALICE, GENERAL, "practice", json!([]));
    let deferred = bot.fake.response_to(&sent.id).await;
    assert_eq!(deferred.body["type"], 5, "deferred within Discord's 3 s");
    assert!(deferred.ephemeral());
    lock.execute_batch("COMMIT").unwrap();
    let path = format!("/webhooks/{}/{}/messages/@original", fake::APP, sent.token);
    let answer = bot
        .fake
        .take("the deferred answer", |c| {
            c.method == "PATCH" && c.path == path
        })
        .await;
    assert!(answer.shown().contains("CloudFront"), "{}", answer.shown());
    assert_eq!(
        answer.buttons().len(),
        5,
        "four letters and the unsure toggle"
    );
}

#[tokio::test]
async fn the_log_names_the_api_base_and_never_the_token() {
    let bot = Bot::start().await;
    bot.ask(ALICE, GENERAL, "help", json!([])).await;
    let log = log::text();
    assert!(
        log.contains(&format!("api_base=\"{}\"", bot.fake.base())),
        "the REST base is logged:\n{}",
        log.lines()
            .filter(|l| l.contains("Discord: connecting"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(!log.contains(TOKEN), "the token reached the log");
    let secret = TOKEN.rsplit('.').next().unwrap();
    assert!(!log.contains(secret), "part of the token reached the log");
}
