//! Every card fits Slack's limits: every question of the shipped bank, in both languages,
//! as a question, as feedback and as a reveal (and the closed question); and a card far
//! past every limit. And nothing of a question's explanation is lost on the way: every
//! option, with its whole `why_wrong` line.

use quizbot::adapters::slack::render::{self, Message, escape};
use quizbot::bank::Lang;
use serde_json::Value;

use crate::cards::{
    Shown, assert_every_option_shown_whole, every_bank_card, feedback_with_fields,
    oversized_feedback, oversized_question,
};

/// Checks every message of a card against Slack's limits.
fn check(messages: &[Message], what: &str) {
    assert!(!messages.is_empty(), "{what}: no message");
    assert!(messages.len() <= 4, "{what}: {} messages", messages.len());
    for (i, message) in messages.iter().enumerate() {
        check_one(message, &format!("{what}, message {}", i + 1));
    }
}

/// Checks a message against Slack's limits, reading the JSON Slack would receive.
fn check_one(message: &Message, what: &str) {
    let blocks = serde_json::to_value(&message.blocks).unwrap();
    let blocks = blocks.as_array().unwrap();
    let fail = |why: String| panic!("{what}: {why}\n{blocks:#?}");
    if blocks.is_empty() || blocks.len() > 50 {
        fail(format!("{} blocks", blocks.len()));
    }
    if message.text.chars().count() > 40_000 {
        fail("notification text too long".into());
    }
    let len = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    for block in blocks {
        match block["type"].as_str().unwrap() {
            "header" => {
                let n = len(&block["text"]["text"]);
                if n == 0 || n > 150 {
                    fail(format!("header text of {n}"));
                }
            }
            "section" => {
                let n = len(&block["text"]["text"]);
                if n == 0 || n > 3000 {
                    fail(format!("section text of {n}"));
                }
            }
            "context" => {
                let elements = block["elements"].as_array().unwrap();
                if elements.len() > 10 || elements.iter().any(|e| len(&e["text"]) > 3000) {
                    fail("context too big".into());
                }
            }
            "actions" => {
                let elements = block["elements"].as_array().unwrap();
                if elements.is_empty() || elements.len() > 25 {
                    fail(format!("{} elements", elements.len()));
                }
                for e in elements {
                    if len(&e["action_id"]) == 0 || len(&e["action_id"]) > 255 {
                        fail("action_id".into());
                    }
                    match e["type"].as_str().unwrap() {
                        "button" => {
                            let text = len(&e["text"]["text"]);
                            if text == 0 || text > 75 || len(&e["value"]) > 2000 {
                                fail("button".into());
                            }
                        }
                        "checkboxes" => {
                            let options = e["options"].as_array().unwrap();
                            if options.is_empty() || options.len() > 10 {
                                fail("checkbox count".into());
                            }
                            for o in options {
                                if len(&o["text"]["text"]) > 75 || len(&o["value"]) > 150 {
                                    fail("checkbox option".into());
                                }
                            }
                        }
                        other => fail(format!("unexpected element {other}")),
                    }
                }
            }
            other => fail(format!("unexpected block {other}")),
        }
    }
}

#[test]
fn every_bank_question_fits_slack_as_question_feedback_and_reveal_in_both_languages() {
    every_bank_card(crate::at(crate::START), |card, lang, shown, what| {
        let message = match shown {
            Shown::Open => render::render(card, lang),
            Shown::Closed => render::render_closed(card),
        };
        check(&message, what);
    });
}

#[test]
fn a_card_far_past_every_limit_is_cut_to_fit_and_keeps_its_buttons() {
    let card = oversized_question();
    for lang in Lang::ALL {
        let messages = render::render(&card, lang);
        check(&messages, "the oversized question");
        assert_eq!(messages.len(), 4, "as many messages as a card may take");
        let last = messages.last().unwrap();
        assert_eq!(last.blocks.len(), 50);
        let json = serde_json::to_string(&last.blocks).unwrap();
        assert!(json.contains("\"text\":\"…\""), "the cut is marked");
        assert!(
            json.contains("\"actions\""),
            "the buttons must survive the cut"
        );
        assert!(
            json.contains("\"context\""),
            "the footer must survive the cut"
        );
    }
    check(
        &render::render(&oversized_feedback(), Lang::Ko),
        "oversized feedback",
    );
    check(&render::render_closed(&card), "oversized closed question");
}

/// The text of every section of the messages: the pieces a member reads.
fn pieces(messages: &[Message]) -> Vec<String> {
    let mut out = Vec::new();
    for message in messages {
        let blocks = serde_json::to_value(&message.blocks).unwrap();
        for block in blocks.as_array().into_iter().flatten() {
            out.extend(block["text"]["text"].as_str().map(str::to_owned));
        }
    }
    out
}

#[test]
fn every_reveal_and_feedback_shows_every_option_with_its_whole_why_wrong_line() {
    assert_every_option_shown_whole(
        crate::at(crate::START),
        |card, lang| pieces(&render::render(card, lang)),
        escape,
    );
}

#[test]
fn a_card_of_more_than_fifty_blocks_goes_on_in_a_follow_up_with_the_controls_last() {
    let card = feedback_with_fields(60, |i| format!("value {i}"));
    let messages = render::render(&card, Lang::En);
    check(&messages, "a feedback of 62 blocks");
    assert_eq!(messages.len(), 2, "one follow-up");
    let shown = pieces(&messages).join("\n");
    for i in 0..60 {
        assert!(
            shown.contains(&format!("*Field {i}*\nvalue {i}")),
            "field {i}"
        );
    }
    let actions = |m: &Message| {
        serde_json::to_string(&m.blocks)
            .unwrap()
            .contains("\"actions\"")
    };
    assert!(!actions(&messages[0]));
    assert!(actions(&messages[1]), "the next button is last");
}
