//! Every card a member can see for every question of the shipped bank, in both languages:
//! the practice question, feedback to a wrong answer (every option explained), the daily
//! post, its reveal after a crowd answered (long "who got it right" lines) and the closed
//! question. Shared by the platforms' limit tests, which each check their own limits.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use jiff::{SignedDuration, Timestamp};
use quizbot::bank::{self, Bank, Lang, Letters};
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

/// The shipped bank (`data/bank`).
pub fn shipped_bank() -> &'static Bank {
    static BANK: OnceLock<Bank> = OnceLock::new();
    BANK.get_or_init(|| {
        bank::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bank")]).unwrap()
    })
}

/// One card a member sees.
struct Seen {
    card: Card,
    lang: Lang,
    shown: Shown,
    what: String,
}

/// Calls `visit(card, lang, shown, what)` for every card of every shipped question. The
/// cards are made once per test binary (from `start` the first time), and shared by every
/// test that walks them.
pub fn every_bank_card(start: Timestamp, mut visit: impl FnMut(&Card, Lang, Shown, &str)) {
    static SEEN: OnceLock<Vec<Seen>> = OnceLock::new();
    let seen = SEEN.get_or_init(|| {
        let mut seen = Vec::new();
        walk_bank(start, |card, lang, shown, what| {
            seen.push(Seen {
                card: card.clone(),
                lang,
                shown,
                what: what.to_owned(),
            });
        });
        seen
    });
    for s in seen {
        visit(&s.card, s.lang, s.shown, &s.what);
    }
}

/// Checks that every feedback and reveal of the shipped bank, in both languages, shows each
/// option with its whole `why_wrong` line together in one piece of text. `pieces` is what a
/// platform shows of a card (field values, sections…), `escape` its escaping of bank text.
pub fn assert_every_option_shown_whole(
    start: Timestamp,
    pieces: impl Fn(&Card, Lang) -> Vec<String>,
    escape: impl Fn(&str) -> String,
) {
    let mut explained = 0;
    every_bank_card(start, |card, lang, shown, what| {
        let Some(options) = explained_options(card, lang) else {
            return;
        };
        if shown == Shown::Closed {
            return;
        }
        let pieces = pieces(card, lang);
        for (choice, why) in options {
            let (choice, why) = (escape(&choice), escape(&why));
            assert!(
                pieces
                    .iter()
                    .any(|p| p.contains(&choice) && p.contains(&why)),
                "{what}: the option {choice:?} with its explanation {why:?} is not shown whole in\n{pieces:#?}"
            );
        }
        explained += 1;
    });
    // Feedback and reveal, in both languages, for every question.
    assert_eq!(explained, 4 * shipped_bank().questions().len());
}

/// For a card that explains every option (feedback and reveal): each option's text, with
/// its whole `why_wrong` line (empty for a right option), as the shipped bank has them.
fn explained_options(card: &Card, lang: Lang) -> Option<Vec<(String, String)>> {
    let id = match &card.kind {
        CardKind::Feedback { question_id, .. } | CardKind::Reveal { question_id, .. } => {
            question_id
        }
        _ => return None,
    };
    let question = shipped_bank().get(id).expect("a shipped question");
    let wording = question.wording(lang);
    let why = |i: usize| {
        wording
            .why_wrong
            .as_ref()
            .and_then(|lines| lines.get(i).cloned())
            .unwrap_or_default()
    };
    Some(
        wording
            .choices
            .iter()
            .enumerate()
            .map(|(i, choice)| (choice.clone(), why(i)))
            .collect(),
    )
}

fn walk_bank(start: Timestamp, mut visit: impl FnMut(&Card, Lang, Shown, &str)) {
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
        // A member per language, so each language's walk starts with every question unseen.
        let member = format!("member-{}", lang.code());
        let mut practiced = BTreeSet::new();
        let mut revealed = BTreeSet::new();
        for _ in 0..ids.len() {
            now += SignedDuration::from_mins(1);
            // Practice: the member is served every question once before any comes back.
            let replies = engine.handle(&request(lang, &member, &channel, parse("/practice")), now);
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
            let feedback = engine.handle(&request(lang, &member, &channel, parse(&line)), now);
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

/// Wrong-answer feedback with a short explanation, no options, and `fields` fields whose
/// values are `value(i)`: for what a platform does with a card longer than one message.
pub fn feedback_with_fields(fields: usize, value: impl Fn(usize) -> String) -> Card {
    let mut card = oversized_feedback();
    card.body = "explanation ".repeat(150);
    card.choices.clear();
    card.footer = Some("footer".into());
    card.fields = (0..fields)
        .map(|i| quizbot::quiz::Field {
            name: format!("Field {i}"),
            value: value(i),
        })
        .collect();
    card
}
