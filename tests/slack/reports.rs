//! The 🚩 button on Slack: it opens a modal view (`views.open` with the click's trigger_id)
//! of a reason select and a comment, and the view_submission is stored.

use serde_json::json;

use crate::fake::Call;
use crate::*;

async fn revealed(bot: &Bot) -> Call {
    bot.schedule(GENERAL).await;
    let post = bot.post_daily(GENERAL).await;
    let (b, _) = button(&post, "B");
    bot.click(ALICE, GENERAL, &ts(&post), (&b, "B"), None).await;
    bot.fake.private_to(ALICE).await;
    bot.advance_to("2026-11-24T18:00:00+09:00");
    bot.deliver().await;
    bot.fake.posted_in(GENERAL).await
}

fn state(reason: &str, comment: &str) -> serde_json::Value {
    json!({
        "reason": {"reason": {"type": "static_select", "selected_option": {
            "text": {"type": "plain_text", "text": reason}, "value": reason}}},
        "comment": {"comment": {"type": "plain_text_input", "value": comment}},
    })
}

#[tokio::test]
async fn the_report_button_opens_a_view_and_its_submission_is_stored() {
    let bot = Bot::start().await;
    let reveal = revealed(&bot).await;
    let (report, value) = button(&reveal, "🚩 Report");
    assert!(report.starts_with("qb:f:q-cache:"), "{report}");
    bot.click(BOB, GENERAL, &ts(&reveal), (&report, &value), None)
        .await;
    let opened = bot.fake.take("views.open", |_| true).await;
    assert_eq!(opened.body["trigger_id"], "1.2.3");
    let view = opened.body["view"].clone();
    assert_eq!(view["type"], "modal");
    assert_eq!(view["title"]["text"], "Report this question");
    let blocks = view["blocks"].as_array().unwrap();
    assert_eq!(blocks[0]["element"]["type"], "static_select");
    let reasons: Vec<&str> = blocks[0]["element"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["value"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        ["wrong-key", "several-right", "outdated", "unclear", "typo"]
    );
    assert_eq!(blocks[1]["element"]["type"], "plain_text_input");
    assert_eq!(blocks[1]["element"]["multiline"], true);
    assert_eq!(blocks[1]["element"]["max_length"], 500);
    assert_eq!(blocks[1]["optional"], true);

    let id = bot
        .fake
        .submit_view(BOB, &view, state("outdated", "S3 changed this in 2023"))
        .await;
    bot.fake.ack(&id).await;
    let receipt = bot.fake.private_to(BOB).await;
    assert_eq!(receipt.channel(), GENERAL);
    assert!(receipt.text().contains("Thank you"), "{}", receipt.text());
    let rows = bot.engine.store().open_reports(None).unwrap();
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0].member, format!("slack:{BOB}"));
    assert_eq!(rows[0].reason, "outdated");
    assert_eq!(rows[0].comment.as_deref(), Some("S3 changed this in 2023"));
    assert!(rows[0].round.is_some());

    let listed = bot.ask(DANA, GENERAL, "/quiz reports").await;
    assert!(
        listed.text().contains("q-cache: 1 report(s): Outdated ×1"),
        "{}",
        listed.text()
    );
}
