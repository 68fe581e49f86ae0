//! Every card fits Slack's limits: every question of the shipped bank, in both languages,
//! as a question, as feedback and as a reveal (and the closed question); and a card far
//! past every limit.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use jiff::SignedDuration;
use quizbot::adapters::slack::render::{self, Message};
use quizbot::bank::{self, Lang, Letters};
use quizbot::quiz::{
    Card, CardKind, Command, DeliveryKind, Engine, Member, Place, QuizCommand, Request,
};
use quizbot::store::Store;
use serde_json::Value;

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

fn request(lang: Lang, who: &str, channel: &str, command: Command) -> Request {
    Request {
        place: Place {
            server: "slack:T0LIMITS1".into(),
            channel: format!("slack:{channel}"),
        },
        member: Member {
            key: format!("slack:{who}"),
            // Long names make the longest "who got it right" lines.
            name: format!("{who} with a display name that is rather long indeed"),
        },
        lang: Some(lang),
        manager: true,
        command,
    }
}

fn parse(line: &str) -> Command {
    quizbot::quiz::parse(line, &|u| u.to_owned()).unwrap()
}

#[test]
fn every_bank_question_fits_slack_as_question_feedback_and_reveal_in_both_languages() {
    let bank = bank::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bank")]).unwrap();
    let ids: BTreeSet<String> = bank.questions().iter().map(|q| q.id.to_string()).collect();
    let answers: Vec<(String, Letters, usize)> = bank
        .questions()
        .iter()
        .map(|q| (q.id.to_string(), q.answer, q.choice_count()))
        .collect();
    let dir = tempfile::TempDir::new().unwrap();
    let store = Store::open(&dir.path().join("limits.db")).unwrap();
    let engine = Engine::new(Arc::new(bank), store, Lang::En);
    let mut now = crate::at(crate::START);
    for lang in Lang::ALL {
        let channel = format!("C0LIMITS{}", lang.code().to_uppercase());
        let mut practiced = BTreeSet::new();
        let mut revealed = BTreeSet::new();
        for _ in 0..ids.len() {
            now += SignedDuration::from_mins(1);
            // Practice: the member is served every question once before any comes back.
            let replies =
                engine.handle(&request(lang, "member", &channel, parse("/practice")), now);
            let card = &replies[0].card;
            let CardKind::Question { question_id, .. } = &card.kind else {
                panic!("{card:?}")
            };
            practiced.insert(question_id.to_string());
            check(
                &render::render(card, lang),
                &format!("{question_id} question ({lang:?})"),
            );
            let (_, answer, choices) = answers
                .iter()
                .find(|(id, ..)| id == question_id.as_str())
                .unwrap();
            // A wrong answer shows every option explained.
            let wrong_first = (0..*choices)
                .filter(|i| !answer.contains(*i))
                .chain(answer.indices());
            let wrong = Letters::from_indices(wrong_first.take(answer.count())).unwrap();
            let feedback = engine.handle(
                &request(lang, "member", &channel, parse(&format!("/answer {wrong}"))),
                now,
            );
            assert!(matches!(feedback[0].card.kind, CardKind::Feedback { .. }));
            check(
                &render::render(&feedback[0].card, lang),
                &format!("{question_id} feedback ({lang:?})"),
            );

            // Daily: post, answers from a crowd, reveal, and the closed question.
            engine.handle(
                &request(lang, "admin", &channel, Command::Quiz(QuizCommand::Post)),
                now,
            );
            for delivery in engine.tick(now) {
                assert_eq!(delivery.kind, DeliveryKind::Post);
                check(&render::render(&delivery.card, lang), "daily question");
                engine.confirm_post(delivery.round, Some("1.1".into()), now);
            }
            for i in 0..40 {
                let letters = if i % 3 == 0 { wrong } else { *answer };
                let line = format!("/answer {letters}");
                engine.handle(
                    &request(lang, &format!("m{i:02}"), &channel, parse(&line)),
                    now,
                );
            }
            engine.handle(
                &request(lang, "admin", &channel, Command::Quiz(QuizCommand::Reveal)),
                now,
            );
            for delivery in engine.tick(now) {
                let DeliveryKind::Reveal { closed, .. } = &delivery.kind else {
                    panic!("expected a reveal")
                };
                let CardKind::Reveal { question_id, .. } = &delivery.card.kind else {
                    panic!("expected a reveal card")
                };
                revealed.insert(question_id.to_string());
                check(
                    &render::render(&delivery.card, lang),
                    &format!("{question_id} reveal"),
                );
                check(
                    &render::render_closed(closed),
                    &format!("{question_id} closed"),
                );
                engine.confirm_reveal(delivery.round, now);
            }
        }
        assert_eq!(practiced, ids, "every question practiced in {lang:?}");
        assert_eq!(revealed, ids, "every question revealed in {lang:?}");
    }
}

#[test]
fn a_card_far_past_every_limit_is_cut_to_fit_and_keeps_its_buttons() {
    let mut card = Card::new(
        CardKind::Question {
            question_id: quizbot::bank::QuestionId::parse(&"q".repeat(64)).unwrap(),
            target: quizbot::quiz::AnswerTarget::Round(quizbot::quiz::RoundId(i64::MAX)),
            picks: 1,
        },
        "T".repeat(500),
        "word ".repeat(5_000) + &"x".repeat(4_000),
    );
    card.choices = (0..6).map(|i| format!("choice {i} ").repeat(500)).collect();
    for i in 0..60 {
        card = card.field(format!("field {i} ").repeat(100), "value ".repeat(1_000));
    }
    card = card.footer("footer & <more> ".repeat(400));
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
    let feedback = Card {
        kind: CardKind::Feedback {
            question_id: quizbot::bank::QuestionId::parse("q").unwrap(),
            correct: false,
        },
        next: Some(quizbot::quiz::PrivateMode::Review),
        ..card.clone()
    };
    check(&render::render(&feedback, Lang::Ko), "oversized feedback");
    check(&render::render_closed(&card), "oversized closed question");
}
