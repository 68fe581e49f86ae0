//! Every card fits Slack's limits: every question of the shipped bank, in both languages,
//! as a question, as feedback and as a reveal (and the closed question); and a card far
//! past every limit.

use quizbot::adapters::slack::render::{self, Message};
use quizbot::bank::Lang;
use serde_json::Value;

use crate::cards::{Shown, every_bank_card, oversized_feedback, oversized_question};

/// Checks a message against Slack's limits, reading the JSON Slack would receive.
fn check(message: &Message, what: &str) {
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
        let message = render::render(&card, lang);
        check(&message, "the oversized question");
        assert_eq!(message.blocks.len(), 50);
        let json = serde_json::to_string(&message.blocks).unwrap();
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
