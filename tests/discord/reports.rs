//! The 🚩 button: on a reveal and on practice feedback it opens the report form (a modal),
//! and the form's submission is stored, once per member and question.

use crate::*;

/// Schedules, posts at 09:00, Alice answers B, and the reveal goes out at 18:00.
async fn revealed(bot: &Bot) -> Call {
    bot.schedule(GENERAL).await;
    let post = bot.post_daily(GENERAL).await;
    bot.click(ALICE, GENERAL, &post, &button(&post, "B")).await;
    bot.advance_to("2026-11-24T18:00:00+09:00");
    assert!(!bot.deliver().await);
    bot.fake.posted_in(GENERAL).await
}

#[tokio::test]
async fn the_report_button_on_a_reveal_opens_a_form_and_its_submission_is_stored() {
    let bot = Bot::start().await;
    let reveal = revealed(&bot).await;
    let report = button(&reveal, "🚩 Report");
    assert!(report.starts_with("qb:f:q-cache:"), "{report}");

    let opened = bot.click(BOB, GENERAL, &reveal, &report).await;
    let modal = opened.modal().expect("the click opens a modal");
    assert_eq!(modal["custom_id"], report.as_str());
    assert_eq!(modal["title"], "Report this question");
    let inputs = opened.text_inputs();
    assert_eq!(inputs.len(), 2, "{inputs:?}");
    assert_eq!((inputs[0].0.as_str(), inputs[0].1), ("reason", 1));
    assert_eq!(
        (inputs[1].0.as_str(), inputs[1].1, inputs[1].3),
        ("comment", 2, Some(500))
    );
    assert!(inputs.iter().all(|i| i.2.chars().count() <= 45));

    let saved = bot
        .submit(
            BOB,
            GENERAL,
            &report,
            &[("reason", "1"), ("comment", "C is right too")],
        )
        .await;
    assert!(saved.ephemeral());
    assert!(saved.shown().contains("Thank you"), "{}", saved.shown());
    let again = bot
        .submit(
            BOB,
            GENERAL,
            &report,
            &[("reason", "typo"), ("comment", "")],
        )
        .await;
    assert!(again.shown().contains("replaces"), "{}", again.shown());
    let rows = bot.engine.store().open_reports(None).unwrap();
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0].member, format!("discord:{}", BOB.id));
    assert_eq!(rows[0].reason, "typo");
    assert!(rows[0].round.is_some());

    let listed = bot
        .ask(
            DANA,
            GENERAL,
            "quiz",
            json!([{"type": 1, "name": "reports", "options": []}]),
        )
        .await;
    assert!(listed.ephemeral());
    assert!(
        listed.shown().contains("q-cache: 1 report(s)"),
        "{}",
        listed.shown()
    );
}

#[tokio::test]
async fn a_form_with_a_reason_that_is_not_one_gets_a_private_error_and_stores_nothing() {
    let bot = Bot::start().await;
    let question = bot.ask(ALICE, GENERAL, "practice", json!([])).await;
    let feedback = bot
        .click(ALICE, GENERAL, &question, &button(&question, "B"))
        .await;
    let report = button(&feedback, "🚩 Report");
    assert_eq!(report, "qb:f:q-cache");
    let opened = bot.click(ALICE, GENERAL, &feedback, &report).await;
    assert!(opened.modal().is_some());
    let refused = bot
        .submit(
            ALICE,
            GENERAL,
            &report,
            &[("reason", "boring"), ("comment", "")],
        )
        .await;
    assert!(refused.ephemeral());
    assert!(
        refused.shown().contains("`boring` is not a reason"),
        "{}",
        refused.shown()
    );
    assert!(bot.engine.store().open_reports(None).unwrap().is_empty());
}
