//! Small truths and safe public text on Discord: option descriptions that match the engine,
//! messages that cannot ping anyone, and names that cannot become markdown.

use crate::*;

#[tokio::test]
async fn the_schedule_reveal_option_names_the_engines_default_delay() {
    let bot = Bot::start().await;
    let registration = bot.fake.registered().await;
    let quiz = registration
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "quiz")
        .unwrap()
        .clone();
    let reveal = quiz["options"][0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "reveal")
        .unwrap()
        .clone();
    let default = format!("default {}", quizbot::schedule::RevealRule::DEFAULT);
    let description = reveal["description"].as_str().unwrap();
    assert!(
        description.ends_with(&default),
        "{description} vs {default}"
    );
    let korean = reveal["description_localizations"]["ko"].as_str().unwrap();
    assert!(
        korean.ends_with(&format!("기본 {}", quizbot::schedule::RevealRule::DEFAULT)),
        "{korean}"
    );
}

/// A member whose nickname is markdown: a masked link and a mass mention.
const MALLORY: Person = Person {
    id: "930000000000000066",
    name: "[free nitro](https://evil.example) @everyone",
    locale: "en-US",
    manager: false,
};

#[tokio::test]
async fn a_nickname_never_becomes_markdown_and_no_message_can_ping_anyone() {
    let bot = Bot::start().await;
    bot.schedule(GENERAL).await;
    let post = bot.post_daily(GENERAL).await;
    bot.click(MALLORY, GENERAL, &post, &button(&post, "B"))
        .await;
    bot.advance_to("2026-11-24T18:00:00+09:00");
    assert!(!bot.deliver().await, "the reveal was delivered");
    let reveal = bot.fake.posted_in(GENERAL).await;
    let shown = reveal.shown();
    assert!(
        shown.contains(r"\[free nitro\]\(https\://evil.example\) \@everyone"),
        "{shown}"
    );
    assert!(!shown.contains("[free nitro](https://"), "{shown}");
    // Every message the bot sent or edited, replies included, parses no mention at all.
    let messages: Vec<Call> = bot
        .fake
        .calls()
        .into_iter()
        .filter(|c| c.message().get("embeds").is_some())
        .collect();
    assert!(messages.len() >= 4, "{messages:#?}");
    for call in messages {
        let allowed = &call.message()["allowed_mentions"];
        assert_eq!(
            allowed["parse"],
            json!([]),
            "{} {}: {allowed}",
            call.method,
            call.path
        );
    }
}
