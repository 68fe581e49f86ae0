//! Every card fits Discord's limits: every question of the shipped bank, in both languages,
//! as a question, as feedback and as a reveal (and the closed question); and a card far
//! past every limit. Checked on the JSON Discord would receive. And nothing of a question's
//! explanation is lost on the way: every option, with its whole `why_wrong` line.

use quizbot::adapters::discord::render::{self, Message};
use quizbot::bank::Lang;
use serde_json::Value;

use crate::cards::{
    Shown, assert_every_option_shown_whole, every_bank_card, feedback_with_fields,
    oversized_feedback, oversized_question,
};

fn len(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

/// Checks every message of a card against Discord's limits.
fn check(messages: &[Message], what: &str) {
    assert!(!messages.is_empty(), "{what}: no message");
    assert!(messages.len() <= 4, "{what}: {} messages", messages.len());
    for (i, message) in messages.iter().enumerate() {
        check_one(message, i == 0, &format!("{what}, message {}", i + 1));
    }
}

/// Checks a message against Discord's limits (reference/discord.md). Only a card's first
/// message has a title and description.
fn check_one(message: &Message, first: bool, what: &str) {
    let embed = serde_json::to_value(&message.embed).unwrap();
    let rows = serde_json::to_value(&message.components).unwrap();
    let fail = |why: String| panic!("{what}: {why}\n{embed:#}\n{rows:#}");
    let fields = embed["fields"].as_array().cloned().unwrap_or_default();
    if len(&embed["title"]) > 256 || len(&embed["description"]) > 4096 {
        fail("title or description too long".into());
    }
    if first && len(&embed["description"]) == 0 {
        fail("empty description".into());
    }
    if !first && fields.is_empty() {
        fail("a follow-up with nothing to show".into());
    }
    if fields.len() > 25 {
        fail(format!("{} fields", fields.len()));
    }
    for f in &fields {
        let (name, value) = (len(&f["name"]), len(&f["value"]));
        if name == 0 || name > 256 || value == 0 || value > 1024 {
            fail(format!("field of {name}/{value}"));
        }
    }
    let footer = len(&embed["footer"]["text"]);
    if footer > 2048 {
        fail(format!("footer of {footer}"));
    }
    let total = len(&embed["title"])
        + len(&embed["description"])
        + footer
        + fields
            .iter()
            .map(|f| len(&f["name"]) + len(&f["value"]))
            .sum::<usize>();
    if total > 6000 {
        fail(format!("embed total of {total}"));
    }
    let rows = rows.as_array().unwrap();
    if rows.len() > 5 {
        fail(format!("{} action rows", rows.len()));
    }
    for row in rows {
        let parts = row["components"].as_array().unwrap();
        if parts.is_empty() || parts.len() > 5 {
            fail(format!("{} components in a row", parts.len()));
        }
        for part in parts {
            let id = len(&part["custom_id"]);
            if id == 0 || id > 100 {
                fail(format!("custom_id of {id}"));
            }
            match part["type"].as_u64() {
                Some(2) => {
                    if len(&part["label"]) == 0 || len(&part["label"]) > 80 {
                        fail("button label".into());
                    }
                }
                Some(3) => {
                    let options = part["options"].as_array().unwrap();
                    if options.is_empty() || options.len() > 25 || len(&part["placeholder"]) > 150 {
                        fail("select menu".into());
                    }
                    for o in options {
                        if len(&o["label"]) > 100 || len(&o["value"]) > 100 {
                            fail("select option".into());
                        }
                    }
                    let max = part["max_values"].as_u64().unwrap_or(1);
                    if max as usize > options.len() || part["min_values"].as_u64() > Some(max) {
                        fail("select picks".into());
                    }
                }
                other => fail(format!("unexpected component {other:?}")),
            }
        }
    }
}

#[test]
fn every_bank_question_fits_discord_as_question_feedback_and_reveal_in_both_languages() {
    every_bank_card(crate::at(crate::START), |card, lang, shown, what| {
        let message = match shown {
            Shown::Open => render::render(card, lang),
            Shown::Closed => render::render_closed(card, lang),
        };
        check(&message, what);
    });
}

#[test]
fn a_card_far_past_every_limit_is_cut_at_a_word_with_a_mark_and_keeps_its_buttons() {
    let card = oversized_question();
    for lang in Lang::ALL {
        let messages = render::render(&card, lang);
        check(&messages, "the oversized question");
        let embed = serde_json::to_value(&messages[0].embed).unwrap();
        let description = embed["description"].as_str().unwrap();
        assert!(description.ends_with('…'), "the cut is marked");
        assert!(description.starts_with("word word"), "the start is kept");
        let last = messages.last().unwrap();
        let tail = serde_json::to_value(&last.embed).unwrap();
        assert!(
            tail["footer"]["text"].as_str().is_some(),
            "the footer is kept, on the last message"
        );
        let fields = tail["fields"].as_array().unwrap();
        let end = fields.last().unwrap()["value"].as_str().unwrap();
        assert!(end.ends_with('…'), "where the fields stop is marked");
        let buttons = serde_json::to_value(&last.components).unwrap();
        assert_eq!(buttons[0]["components"].as_array().unwrap().len(), 5);
        assert_eq!(buttons[1]["components"].as_array().unwrap().len(), 1);
    }
    check(
        &render::render(&oversized_feedback(), Lang::Ko),
        "oversized feedback",
    );
    check(
        &render::render_closed(&card, Lang::En),
        "oversized closed question",
    );
}

/// Each description and field value of the messages: the pieces a member reads.
fn pieces(messages: &[Message]) -> Vec<String> {
    let mut out = Vec::new();
    for message in messages {
        let embed = serde_json::to_value(&message.embed).unwrap();
        out.extend(embed["description"].as_str().map(str::to_owned));
        for field in embed["fields"].as_array().into_iter().flatten() {
            out.extend(field["value"].as_str().map(str::to_owned));
        }
    }
    out
}

#[test]
fn every_reveal_and_feedback_shows_every_option_with_its_whole_why_wrong_line() {
    assert_every_option_shown_whole(
        crate::at(crate::START),
        |card, lang| pieces(&render::render(card, lang)),
        str::to_owned,
    );
}

#[test]
fn a_card_longer_than_one_message_goes_on_in_a_follow_up_with_the_controls_last() {
    let card = feedback_with_fields(6, |i| format!("line {i} ").repeat(150));
    let messages = render::render(&card, Lang::En);
    check(&messages, "a long feedback");
    assert_eq!(messages.len(), 2, "one follow-up");
    let shown = pieces(&messages).join("\n");
    for i in 0..6 {
        let words = shown.matches(&format!("line {i}")).count();
        assert_eq!(words, 150, "field {i} is shown whole, over two fields");
    }
    assert!(messages[0].components.is_empty());
    assert!(
        !messages[1].components.is_empty(),
        "the next button is last"
    );
}
