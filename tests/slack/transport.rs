//! Socket Mode and the Web API: connecting, acks, reconnects, retries, lost channels, logs.

use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::json;

use crate::fake::FakeSlack;
use crate::*;

#[tokio::test]
async fn connecting_checks_both_tokens_opens_a_socket_and_acks_every_envelope() {
    let bot = Bot::start().await;
    let auth = bot.fake.calls("auth.test");
    assert_eq!(auth.len(), 1);
    assert_eq!(auth[0].token.as_deref(), Some(BOT_TOKEN));
    let opens = bot.fake.calls("apps.connections.open");
    assert!(!opens.is_empty());
    assert!(opens.iter().all(|c| c.token.as_deref() == Some(APP_TOKEN)));

    let id = bot.fake.command(ALICE, GENERAL, "/help", "").await;
    let ack = bot.fake.ack(&id).await;
    // A bare ack: a slash command's ack payload (even `{}`) would be shown to the member.
    assert_eq!(ack, serde_json::json!({"envelope_id": id}));
    let help = bot.fake.private_to(ALICE).await;
    assert_eq!(help.token.as_deref(), Some(BOT_TOKEN));
    assert_eq!(help.channel(), GENERAL);
    assert!(help.shown().contains("/practice"), "{}", help.shown());

    // A click on something that is not ours is acked and otherwise ignored.
    let id = bot
        .fake
        .click(ALICE, GENERAL, "1.2", ("another-app:thing", "x"), None)
        .await;
    let ack = bot.fake.ack(&id).await;
    assert_eq!(ack, serde_json::json!({"envelope_id": id}));
}

#[tokio::test]
async fn an_envelope_is_acked_before_its_slow_work_is_done() {
    let bot = Bot::start().await;
    let gate = bot.fake.hold("users.info");
    let id = bot.fake.command(ALICE, GENERAL, "/help", "").await;
    // users.info is held, so the reply cannot be sent yet, and still the ack comes.
    bot.fake
        .take("users.info", |c| c.body["user"] == ALICE)
        .await;
    bot.fake.ack(&id).await;
    assert!(bot.fake.calls("chat.postEphemeral").is_empty());
    gate.add_permits(100);
    let help = bot.fake.private_to(ALICE).await;
    assert!(help.shown().contains("/practice"));
}

#[tokio::test]
async fn after_a_disconnect_envelope_the_bot_reconnects_and_keeps_serving() {
    let bot = Bot::start().await;
    let opened_before = bot.fake.calls("apps.connections.open").len();
    bot.fake.disconnect().await;
    bot.fake.sockets_opened(2).await;
    assert!(bot.fake.calls("apps.connections.open").len() > opened_before);

    let practice = bot.ask(ALICE, GENERAL, "/practice").await;
    assert!(
        practice.shown().contains("CloudFront"),
        "{}",
        practice.shown()
    );
}

#[tokio::test]
async fn after_the_socket_drops_the_bot_reconnects_and_keeps_serving() {
    let bot = Bot::start().await;
    bot.fake.drop_socket().await;
    bot.fake.sockets_opened(2).await;
    let help = bot.ask(BOB, GENERAL, "/help").await;
    assert!(help.shown().contains("/practice"));

    bot.fake.close_socket().await;
    bot.fake.sockets_opened(3).await;
    let help = bot.ask(BOB, GENERAL, "/help").await;
    assert!(help.shown().contains("/practice"));
    assert_eq!(bot.fake.live_sockets(), 1);
}

#[tokio::test]
async fn a_refused_bot_token_is_a_clear_startup_error() {
    let fake = FakeSlack::start().await;
    fake.fail("auth.test", None, 1, "invalid_auth");
    let dir = tempfile::TempDir::new().unwrap();
    let config = quizbot::config::Config::from_lookup(|name| match name {
        "SLACK_APP_TOKEN" => Some(APP_TOKEN.into()),
        "SLACK_BOT_TOKEN" => Some(BOT_TOKEN.into()),
        "SLACK_API_URL" => Some(fake.api_url()),
        _ => None,
    })
    .unwrap();
    let engine = engine_over(ONE, &dir, quizbot::bank::Lang::En);
    let clock = quizbot::adapters::clock::Clock::manual(at(START));
    let wake = Arc::new(tokio::sync::Notify::new());
    let Err(error) = quizbot::adapters::slack::connect(&engine, &config, &clock, &wake).await
    else {
        panic!("a refused token must not connect");
    };
    assert!(error.contains("SLACK_BOT_TOKEN"), "{error}");
    assert!(error.contains("invalid_auth"), "{error}");
    assert!(!error.contains(BOT_TOKEN), "{error}");
}

#[tokio::test]
async fn a_transient_failure_is_retried_and_the_post_goes_through() {
    let bot = Bot::start().await;
    bot.schedule(GENERAL).await;
    bot.fake.fail_with(
        "chat.postMessage",
        Some(GENERAL),
        1,
        StatusCode::SERVICE_UNAVAILABLE,
        None,
        json!({"ok": false, "error": "service_unavailable"}),
    );
    bot.fake.fail_with(
        "chat.postMessage",
        Some(GENERAL),
        1,
        StatusCode::TOO_MANY_REQUESTS,
        Some(0),
        json!({"ok": false, "error": "ratelimited"}),
    );
    let post = bot.post_daily(GENERAL).await;
    assert!(!post.response["ok"].as_bool().unwrap_or(true));
    let post = bot.fake.posted_in(GENERAL).await;
    assert!(!post.response["ok"].as_bool().unwrap_or(true));
    let post = bot.fake.posted_in(GENERAL).await;
    assert_eq!(post.response["ok"], true);
    let round = bot
        .engine
        .store()
        .open_round_in(&format!("slack:{GENERAL}"))
        .unwrap()
        .expect("the round opened once the post went through");
    assert_eq!(round.message, Some(ts(&post)));
}

#[tokio::test]
async fn a_rate_limited_post_waits_for_its_retry_after_before_slack_is_called_again() {
    let bot = Bot::start().await;
    bot.schedule(GENERAL).await;
    bot.fake.fail_with(
        "chat.postMessage",
        Some(GENERAL),
        1,
        StatusCode::TOO_MANY_REQUESTS,
        Some(2),
        json!({"ok": false, "error": "ratelimited"}),
    );
    bot.post_daily(GENERAL).await;
    let tries: Vec<_> = bot
        .fake
        .calls("chat.postMessage")
        .into_iter()
        .filter(|c| c.body["channel"] == GENERAL)
        .skip_while(|c| c.response["ok"] == true) // the schedule's own reply
        .collect();
    assert_eq!(tries.len(), 2, "the 429, then the post");
    assert_eq!(tries[0].response["error"], "ratelimited");
    assert_eq!(tries[1].response["ok"], true);
    let gap = tries[1].at - tries[0].at;
    assert!(
        gap >= std::time::Duration::from_secs(2),
        "called again after {gap:?}"
    );
}

#[tokio::test]
async fn a_channel_the_bot_was_removed_from_stops_its_schedule_with_the_reason() {
    let bot = Bot::start().await;
    bot.schedule(STUDY).await;
    bot.fake.fail(
        "chat.postMessage",
        Some(STUDY),
        usize::MAX,
        "not_in_channel",
    );
    bot.advance_to("2026-11-24T09:00:00+09:00");
    bot.deliver().await;
    bot.fake.posted_in(STUDY).await;
    let status = bot.ask(DANA, STUDY, "/quiz status").await;
    assert!(
        status.shown().contains("Delivery is stopped") && status.shown().contains("not_in_channel"),
        "{}",
        status.shown()
    );
    // Nothing is retried for a channel that is gone.
    bot.advance_to("2026-11-24T09:30:00+09:00");
    bot.deliver().await;
    assert_eq!(
        bot.fake
            .calls("chat.postMessage")
            .iter()
            .filter(|c| c.channel() == STUDY)
            .count(),
        2
    );
}

#[tokio::test]
async fn a_channel_reply_where_the_bot_is_not_a_member_comes_back_privately_with_the_fix() {
    let bot = Bot::start().await;
    bot.fake.fail(
        "chat.postMessage",
        Some(STUDY),
        usize::MAX,
        "not_in_channel",
    );
    bot.fake.fail(
        "chat.postEphemeral",
        Some(STUDY),
        usize::MAX,
        "not_in_channel",
    );
    bot.command(DANA, STUDY, "/quiz schedule 09:00 Asia/Seoul")
        .await;
    let confirmation = bot.fake.private_to(DANA).await;
    assert_eq!(confirmation.method, "response_url");
    assert!(confirmation.shown().contains("daily question"));
    let notice = bot.fake.private_to(DANA).await;
    assert!(notice.shown().contains("/invite"), "{}", notice.shown());
}

#[tokio::test]
async fn private_replies_go_through_the_response_url_where_ephemeral_messages_cannot() {
    let bot = Bot::start().await;
    let dm = "D0DIRECT1";
    bot.fake.fail(
        "chat.postEphemeral",
        Some(dm),
        usize::MAX,
        "channel_not_found",
    );
    let question = bot.ask(ALICE, dm, "/practice").await;
    assert_eq!(question.method, "response_url");
    assert!(question.shown().contains("CloudFront"));
    assert!(!question.buttons().is_empty());
    // No `response_type`: Slack shows a response_url message to the member only.
    assert!(question.body.get("response_type").is_none());
}

#[tokio::test]
async fn the_log_names_the_api_url_and_never_a_token() {
    let bot = Bot::start().await;
    bot.ask(ALICE, GENERAL, "/practice").await;
    bot.fake.disconnect().await;
    bot.fake.sockets_opened(2).await;
    bot.ask(ALICE, GENERAL, "/help").await;
    // Everything every test in this binary logged so far, at trace level for the bot and
    // slack-morphism: the API URL is named, and no token appears (all contain "secret").
    let log = crate::log::text();
    assert!(log.contains(&bot.fake.api_url()), "{log}");
    assert!(log.contains("Slack: Socket Mode connected"), "{log}");
    assert!(!log.contains("secret"), "a token reached the log:\n{log}");
}

/// Asks the health check until it is healthy (`true`) or not, at most 2,000 times: the
/// bot notices an event a moment after the fake has seen it.
async fn health_turns(health: &quizbot::adapters::health::Health, healthy: bool) -> String {
    let mut last = Ok(());
    for _ in 0..2_000 {
        last = health.check().await;
        if last.is_ok() == healthy {
            return last.err().unwrap_or_default();
        }
        tokio::task::yield_now().await;
    }
    panic!("the health check stayed at {last:?}");
}

#[tokio::test]
async fn health_fails_while_the_socket_is_down_and_recovers_with_the_next_hello() {
    let bot = Bot::start().await;
    let health =
        quizbot::adapters::health::Health::new(bot.engine.store().clone(), vec![bot.link.clone()]);
    health_turns(&health, true).await;
    // The reconnection waits at apps.connections.open until the gate opens.
    let gate = bot.fake.hold("apps.connections.open");
    bot.fake.drop_socket().await;
    let reason = health_turns(&health, false).await;
    assert_eq!(reason, "slack: Socket Mode not connected");
    gate.add_permits(1);
    bot.fake.sockets_opened(2).await;
    health_turns(&health, true).await;
}
