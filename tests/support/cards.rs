//! Every card a member can see for every question of the shipped bank, in both languages:
//! the practice question, feedback to a wrong answer (every option explained), the daily
//! post, its reveal after a crowd answered (long "who got it right" lines) and the closed
//! question. Shared by the platforms' limit tests, which each check their own limits.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use quizbot::bank::{self, Lang, Letters};
use quizbot::quiz::{
    Card, CardKind, Command, DeliveryKind, Engine, Member, Place, QuizCommand, Request,
};
use quizbot::store::Store;

/// How a card is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// With its controls (buttons, menus).
    Open,
    /// A daily question after its reveal.
    Closed,
}

fn request(lang: Lang, who: &str, channel: &str, command: Command) -> Request {
    Request {
        place: Place {
            server: "test:limits".into(),
            channel: format!("test:{channel}"),
        },
        member: Member {
            key: format!("test:{who}"),
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

/// Calls `visit(card, lang, shown, what)` for every card of every shipped question.
pub fn every_bank_card(start: Timestamp, mut visit: impl FnMut(&Card, Lang, Shown, &str)) {
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
    let mut now = start;
    for lang in Lang::ALL {
        let channel = format!("limits-{}", lang.code());
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
            visit(
                card,
                lang,
                Shown::Open,
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
            let line = format!("/answer {wrong}");
            let feedback = engine.handle(&request(lang, "member", &channel, parse(&line)), now);
            assert!(matches!(feedback[0].card.kind, CardKind::Feedback { .. }));
            let what = format!("{question_id} feedback ({lang:?})");
            visit(&feedback[0].card, lang, Shown::Open, &what);

            // Daily: post, answers from a crowd, reveal, and the closed question.
            let post = Command::Quiz(QuizCommand::Post);
            engine.handle(&request(lang, "admin", &channel, post), now);
            for delivery in engine.tick(now) {
                assert_eq!(delivery.kind, DeliveryKind::Post);
                visit(&delivery.card, lang, Shown::Open, "daily question");
                engine.confirm_post(delivery.round, Some("1".into()), now);
            }
            for i in 0..40 {
                let letters = if i % 3 == 0 { wrong } else { *answer };
                let line = format!("/answer {letters}");
                let who = format!("m{i:02}");
                engine.handle(&request(lang, &who, &channel, parse(&line)), now);
            }
            let reveal = Command::Quiz(QuizCommand::Reveal);
            engine.handle(&request(lang, "admin", &channel, reveal), now);
            for delivery in engine.tick(now) {
                let DeliveryKind::Reveal { closed, .. } = &delivery.kind else {
                    panic!("expected a reveal")
                };
                let CardKind::Reveal { question_id, .. } = &delivery.card.kind else {
                    panic!("expected a reveal card")
                };
                revealed.insert(question_id.to_string());
                visit(
                    &delivery.card,
                    lang,
                    Shown::Open,
                    &format!("{question_id} reveal"),
                );
                visit(
                    closed,
                    lang,
                    Shown::Closed,
                    &format!("{question_id} closed"),
                );
                engine.confirm_reveal(delivery.round, now);
            }
        }
        assert_eq!(practiced, ids, "every question practiced in {lang:?}");
        assert_eq!(revealed, ids, "every question revealed in {lang:?}");
    }
}

/// A card far past every platform's limits: long everything, six options, sixty fields.
pub fn oversized_question() -> Card {
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
    card.footer("footer & <more> ".repeat(400))
}

/// The same, as wrong-answer feedback with a "next" button.
pub fn oversized_feedback() -> Card {
    Card {
        kind: CardKind::Feedback {
            question_id: quizbot::bank::QuestionId::parse("q").unwrap(),
            correct: false,
        },
        next: Some(quizbot::quiz::PrivateMode::Review),
        ..oversized_question()
    }
}
