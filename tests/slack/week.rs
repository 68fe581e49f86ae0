//! The study group's week on Slack: the reveal goes in the question's thread with "also
//! send to channel", the 📌 meetup pick counts once per member, and the weekly recap links
//! to the reveal by its permalink.

use crate::{ALICE, BOB, Bot, GENERAL, button, fake, ts};

/// The question posted at 09:00 (Mon-Fri), answered by Alice (B) and revealed at 18:00.
async fn revealed(bot: &Bot) -> (fake::Call, fake::Call) {
    bot.schedule(GENERAL).await;
    let post = bot.post_daily(GENERAL).await;
    let (b, _) = button(&post, "B");
    bot.click(ALICE, GENERAL, &ts(&post), (&b, "B"), None).await;
    bot.fake.private_to(ALICE).await;
    bot.advance_to("2026-11-24T18:00:00+09:00");
    bot.deliver().await;
    (post, bot.fake.posted_in(GENERAL).await)
}

#[tokio::test]
async fn the_reveal_is_posted_in_the_question_s_thread_and_also_sent_to_the_channel() {
    let bot = Bot::start().await;
    let (post, reveal) = revealed(&bot).await;
    assert_eq!(reveal.body["thread_ts"], ts(&post).as_str());
    assert_eq!(reveal.body["reply_broadcast"], true);
    assert!(reveal.shown().contains("Reveal: the answer is B"));
    // The question itself was posted in the channel, not in a thread.
    assert!(post.body.get("thread_ts").is_none_or(|t| t.is_null()));
}

#[tokio::test]
async fn the_meetup_pin_counts_once_per_member() {
    let bot = Bot::start().await;
    let (_, reveal) = revealed(&bot).await;
    let (pin, value) = button(&reveal, "📌 Discuss at the meetup");
    let reveal_ts = ts(&reveal);
    let press = |who| bot.click(who, GENERAL, &reveal_ts, (&pin, &value), None);
    press(ALICE).await;
    let first = bot.fake.private_to(ALICE).await;
    assert!(
        first.shown().contains("(1 picks so far)"),
        "{}",
        first.shown()
    );
    press(BOB).await;
    let bob = bot.fake.private_to(BOB).await;
    assert!(bob.shown().contains("(2 picks so far)"), "{}", bob.shown());
    press(ALICE).await;
    let again = bot.fake.private_to(ALICE).await;
    assert!(
        again
            .shown()
            .contains("took your meetup pick back (1 picks left)"),
        "{}",
        again.shown()
    );
}

#[tokio::test]
async fn the_weekly_recap_is_posted_with_the_reveal_s_permalink() {
    let bot = Bot::start().await;
    let (_, reveal) = revealed(&bot).await;
    let (pin, value) = button(&reveal, "📌 Discuss at the meetup");
    bot.click(BOB, GENERAL, &ts(&reveal), (&pin, &value), None)
        .await;
    bot.fake.private_to(BOB).await;
    // Mon-Fri, revealed at 18:00: the recap comes Friday at 19:00.
    bot.advance_to("2026-11-27T19:00:00+09:00");
    bot.deliver().await;
    let recap = bot
        .fake
        .take("chat.postMessage", |c| {
            c.channel() == GENERAL && c.shown().contains("recap")
        })
        .await;
    let shown = recap.shown();
    assert!(shown.contains("The week of 2026-11-23: recap"), "{shown}");
    let link = format!(
        "https://study.slack.com/archives/{GENERAL}/p{}",
        ts(&reveal).replace('.', "")
    );
    assert!(shown.contains(&link), "{link} in {shown}");
    assert!(recap.body.get("thread_ts").is_none_or(|t| t.is_null()));
}

#[tokio::test]
async fn a_refused_thread_reply_posts_the_reveal_in_the_channel_and_status_says_why() {
    let bot = Bot::start().await;
    bot.schedule(GENERAL).await;
    let post = bot.post_daily(GENERAL).await;
    bot.fake.fail(
        "chat.postMessage",
        Some(GENERAL),
        1,
        "cannot_reply_to_message",
    );
    bot.advance_to("2026-11-24T18:00:00+09:00");
    bot.deliver().await;
    let refused = bot.fake.posted_in(GENERAL).await;
    assert_eq!(refused.body["thread_ts"], ts(&post).as_str());
    let reveal = bot.fake.posted_in(GENERAL).await;
    assert!(reveal.body.get("thread_ts").is_none_or(|t| t.is_null()));
    assert!(reveal.shown().contains("Reveal: the answer is B"));
    let status = bot.ask(crate::DANA, GENERAL, "/quiz status").await;
    let shown = status.shown();
    assert!(shown.contains("Threads: off"), "{shown}");
    assert!(shown.contains("cannot_reply_to_message"), "{shown}");
    assert!(
        shown.contains("This channel gets a daily question"),
        "{shown}"
    );
}
