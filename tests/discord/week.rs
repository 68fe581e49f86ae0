//! The study group's week on Discord: a thread started from each reveal message (and only
//! then), a refused thread that leaves the reveal out and the schedule running, the 📌
//! meetup pick, and the weekly recap with links to the reveals.

use crate::{ALICE, BOB, Bot, Call, GENERAL, GUILD, button, json, opt};

/// The daily question posted at 09:00, answered by Alice (B, right) and Bob (A), and
/// revealed at 18:00: the reveal message.
async fn answered_and_revealed(bot: &Bot) -> (Call, Call) {
    bot.schedule(GENERAL).await;
    let post = bot.post_daily(GENERAL).await;
    bot.click(ALICE, GENERAL, &post, &button(&post, "B")).await;
    bot.ask(BOB, GENERAL, "answer", json!([opt("choice", "A")]))
        .await;
    assert!(
        !bot.fake
            .calls()
            .iter()
            .any(|c| c.path.ends_with("/threads")),
        "no thread before the reveal"
    );
    bot.advance_to("2026-11-24T18:00:00+09:00");
    assert!(!bot.deliver().await, "the reveal was delivered");
    (post, bot.fake.posted_in(GENERAL).await)
}

#[tokio::test]
async fn the_reveal_starts_a_thread_from_its_message_named_after_the_topic() {
    let bot = Bot::start().await;
    let (_, reveal) = answered_and_revealed(&bot).await;
    let thread = bot.fake.thread_in(GENERAL).await;
    assert_eq!(
        thread.path,
        format!(
            "/channels/{GENERAL}/messages/{}/threads",
            reveal.message_id()
        )
    );
    assert!(thread.status < 300, "{thread:?}");
    let name = thread.body["name"].as_str().unwrap();
    assert!(name.chars().count() <= 100, "{name}");
    assert!(name.contains("2026-11-24"), "{name}");
    // Named after the topic, never the answer.
    assert!(!name.contains("CloudFront"), "{name}");
    let status = bot.quiz_status(GENERAL).await;
    assert!(status.shown().contains("Threads: on"), "{}", status.shown());
}

#[tokio::test]
async fn a_refused_thread_leaves_the_reveal_out_and_the_schedule_running_and_status_says_why() {
    let bot = Bot::start().await;
    bot.fake.refuse_threads();
    let (_, reveal) = answered_and_revealed(&bot).await;
    assert!(reveal.shown().contains("Reveal: the answer is B"));
    let refused = bot.fake.thread_in(GENERAL).await;
    assert_eq!(refused.status, 403);
    // Confirmed: another pass sends nothing again.
    assert!(!bot.deliver().await);
    let status = bot.quiz_status(GENERAL).await;
    let shown = status.shown();
    assert!(
        shown.contains("Threads: off — the bot lacks Create Public Threads in this channel"),
        "{shown}"
    );
    assert!(shown.contains("Missing Permissions"), "{shown}");
    assert!(
        shown.contains("This channel gets a daily question"),
        "the schedule runs: {shown}"
    );
    // The next day's question goes out, and its reveal tries no thread.
    bot.advance_to("2026-11-25T09:00:00+09:00");
    assert!(!bot.deliver().await);
    bot.fake.posted_in(GENERAL).await;
    bot.advance_to("2026-11-25T18:00:00+09:00");
    assert!(!bot.deliver().await);
    bot.fake.posted_in(GENERAL).await;
    let threads = bot
        .fake
        .calls()
        .iter()
        .filter(|c| c.path.ends_with("/threads"))
        .count();
    assert_eq!(threads, 1, "threads stay off after the refusal");
}

#[tokio::test]
async fn the_meetup_pin_counts_once_per_member_and_a_second_press_takes_it_back() {
    let bot = Bot::start().await;
    let (_, reveal) = answered_and_revealed(&bot).await;
    let pin = button(&reveal, "📌 Discuss at the meetup");
    assert!(pin.starts_with("qb:pin:"), "{pin}");
    let first = bot.click(ALICE, GENERAL, &reveal, &pin).await;
    assert!(first.ephemeral());
    assert!(
        first.shown().contains("(1 picks so far)"),
        "{}",
        first.shown()
    );
    let bob = bot.click(BOB, GENERAL, &reveal, &pin).await;
    assert!(bob.shown().contains("(2 picks so far)"), "{}", bob.shown());
    let again = bot.click(ALICE, GENERAL, &reveal, &pin).await;
    assert!(
        again
            .shown()
            .contains("took your meetup pick back (1 picks left)"),
        "{}",
        again.shown()
    );
}

#[tokio::test]
async fn the_weekly_recap_is_posted_once_with_a_link_to_the_reveal() {
    let bot = Bot::start().await;
    let (_, reveal) = answered_and_revealed(&bot).await;
    let pin = button(&reveal, "📌 Discuss at the meetup");
    bot.click(BOB, GENERAL, &reveal, &pin).await;
    // Daily, revealed at 18:00: the recap comes Sunday at 19:00 (a day's post is caught
    // up on the way).
    bot.advance_to("2026-11-29T19:00:00+09:00");
    assert!(!bot.deliver().await);
    let recap = bot
        .fake
        .take("the recap", |c| {
            c.method == "POST"
                && c.path == format!("/channels/{GENERAL}/messages")
                && c.embed()["title"]
                    .as_str()
                    .is_some_and(|t| t.contains("recap"))
        })
        .await;
    let shown = recap.shown();
    assert!(shown.contains("The week of 2026-11-23: recap"), "{shown}");
    assert!(shown.contains("Alice"), "{shown}");
    let link = format!(
        "https://discord.com/channels/{GUILD}/{GENERAL}/{}",
        reveal.message_id()
    );
    assert!(shown.contains("📌 1 · q-cache"), "{shown}");
    assert!(shown.contains(&link), "{link} in {shown}");
    assert_eq!(recap.body["enforce_nonce"], true);
    assert!(
        recap.body["nonce"]
            .as_str()
            .is_some_and(|n| n.ends_with("W0"))
    );
    // Another pass posts no second recap.
    assert!(!bot.deliver().await);
    let recaps = bot
        .fake
        .calls()
        .iter()
        .filter(|c| {
            c.embed()["title"]
                .as_str()
                .is_some_and(|t| t.contains("recap"))
        })
        .count();
    assert_eq!(recaps, 1);
}
