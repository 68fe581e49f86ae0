//! Answering the daily question: privately, once, graded all-or-nothing, each mistake with
//! its own reply, and the reveal that follows.

use quizbot::bank::Lang;
use quizbot::quiz::{Audience, CardKind, DeliveryKind};

use crate::support::{TestApp, at, right_and_wrong};

const OPEN: &str = "2026-11-24T09:00:00+09:00";

/// An app whose channel has an open daily question; returns its id.
fn open_round(app: &TestApp) -> String {
    app.ask(
        "ana",
        "/quiz schedule 09:00 Asia/Seoul reveal:18:00",
        at("2026-11-24T08:00:00+09:00"),
    );
    TestApp::posted_question(&app.deliver(at(OPEN)))
}

#[test]
fn an_answer_gets_a_private_receipt_and_a_second_one_is_refused() {
    let app = TestApp::spawn();
    let id = open_round(&app);
    let (right, wrong) = right_and_wrong(&id);
    let receipt = app.ask_one(
        "ana",
        &format!("/answer {right}"),
        at("2026-11-24T09:05:00+09:00"),
    );
    assert_eq!(receipt.audience, Audience::Private);
    assert_eq!(receipt.card.kind, CardKind::Receipt);
    assert!(
        receipt
            .card
            .body
            .contains(&format!("Recorded your answer {right}"))
    );
    assert!(
        receipt.card.body.contains("18:00 (Asia/Seoul)"),
        "{}",
        receipt.card.body
    );
    // The receipt never says whether the answer was right.
    assert!(!receipt.card.plain_text().to_lowercase().contains("correct"));

    let again = app.ask_one(
        "ana",
        &format!("/answer {wrong}"),
        at("2026-11-24T09:06:00+09:00"),
    );
    assert_eq!(again.card.kind, CardKind::Error);
    assert!(
        again
            .card
            .body
            .contains(&format!("You already answered {right}")),
        "{}",
        again.card.body
    );
}

#[test]
fn an_unknown_letter_or_the_wrong_number_of_letters_is_refused_without_locking() {
    let app = TestApp::spawn();
    let id = open_round(&app);
    let (right, _) = right_and_wrong(&id);
    let unknown = app.ask_one("ana", "/answer F", at("2026-11-24T09:05:00+09:00"));
    assert!(
        unknown
            .card
            .body
            .contains("F is not one of this question's options"),
        "{}",
        unknown.card.body
    );
    let count = if right.len() == 1 { "AB" } else { "A" };
    let wrong_count = app.ask_one(
        "ana",
        &format!("/answer {count}"),
        at("2026-11-24T09:05:00+09:00"),
    );
    assert!(
        wrong_count.card.body.contains("give"),
        "{}",
        wrong_count.card.body
    );
    // Neither mistake used up the member's one answer.
    let receipt = app.ask_one(
        "ana",
        &format!("/answer {right}"),
        at("2026-11-24T09:06:00+09:00"),
    );
    assert_eq!(receipt.card.kind, CardKind::Receipt);
}

#[test]
fn answering_with_no_open_question_says_so() {
    let app = TestApp::spawn();
    let reply = app.ask_one("ana", "/answer B", at(OPEN));
    assert!(
        reply
            .card
            .body
            .contains("There is no question waiting for your answer"),
        "{}",
        reply.card.body
    );
}

#[test]
fn an_answer_after_the_reveal_is_told_the_answer_and_not_recorded() {
    let app = TestApp::spawn();
    let id = open_round(&app);
    let (right, wrong) = right_and_wrong(&id);
    let revealed = app.run(at(OPEN), at("2026-11-24T19:00:00+09:00"));
    assert!(
        revealed
            .iter()
            .any(|(_, d)| matches!(d.kind, DeliveryKind::Reveal { .. }))
    );
    // The round was the channel's open one; a late button click names it explicitly.
    let round = channel_round(&app);
    let late = quizbot::quiz::Command::Answer {
        letters: quizbot::bank::Letters::parse(&wrong).unwrap(),
        target: Some(quizbot::quiz::AnswerTarget::Round(round.id)),
        unsure: false,
    };
    let mut request = app.request("bo", "/help", None);
    request.command = late;
    let reply = app.engine.handle(&request, at("2026-11-24T19:00:00+09:00"));
    assert!(
        reply[0]
            .card
            .body
            .contains(&format!("the answer was {right}")),
        "{}",
        reply[0].card.body
    );
    assert!(
        app.engine
            .store()
            .round_answers(round.id)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_reveal_shows_the_answer_the_reasons_the_votes_and_who_got_it() {
    let app = TestApp::spawn();
    let id = open_round(&app);
    let (right, wrong) = right_and_wrong(&id);
    app.ask(
        "ana",
        &format!("/answer {right}"),
        at("2026-11-24T09:01:00+09:00"),
    );
    app.ask(
        "bo",
        &format!("/answer {wrong}"),
        at("2026-11-24T09:02:00+09:00"),
    );
    app.ask(
        "cy",
        &format!("/answer {right}"),
        at("2026-11-24T09:03:00+09:00"),
    );
    let reveal = app
        .run(at(OPEN), at("2026-11-24T19:00:00+09:00"))
        .into_iter()
        .find(|(_, d)| matches!(d.kind, DeliveryKind::Reveal { .. }))
        .expect("a reveal")
        .1;
    let text = reveal.card.plain_text();
    assert_eq!(
        reveal.card.kind,
        CardKind::Reveal {
            question_id: quizbot::bank::QuestionId::parse(&id).unwrap(),
            answer: quizbot::bank::Letters::parse(&right).unwrap(),
            round: Some(reveal.round),
        }
    );
    assert!(text.contains(&format!("the answer is {right}")), "{text}");
    assert!(text.contains("Votes (3)"), "{text}");
    assert!(text.contains("Got it right (2 of 3)"), "{text}");
    assert!(text.contains("ana, cy"), "{text}");
    assert!(!text.contains("bo,") && !text.ends_with("bo"), "{text}");
    let bank = crate::support::fixture_bank();
    let q = bank
        .questions()
        .iter()
        .find(|q| q.id.as_str() == id)
        .unwrap();
    assert!(text.contains(&q.en.explanation), "{text}");
    if let Some(why) = &q.en.why_wrong {
        for line in why.iter().filter(|l| !l.is_empty()) {
            assert!(
                text.contains(line.as_str()),
                "missing why-wrong {line}: {text}"
            );
        }
    }
    // The original post is closed with the answer pointed to.
    let DeliveryKind::Reveal {
        question_message,
        closed,
        ..
    } = &reveal.kind
    else {
        unreachable!()
    };
    assert!(question_message.is_some());
    assert!(closed.footer.as_deref().unwrap_or("").contains("Closed"));
}

#[test]
fn a_choose_two_question_is_right_only_with_both_letters() {
    let app = TestApp::spawn();
    // Practice lets the test pick the choose-two question: it is the only cost-optimized one.
    let q = app.ask_one("ana", "/practice cost-optimized", at(OPEN));
    assert_eq!(crate::support::question_id(&q.card), "t-cost-choose-two");
    let half = app.ask_one("ana", "/answer A", at(OPEN));
    assert!(half.card.body.contains("choose 2"), "{}", half.card.body);
    let both = app.ask_one("ana", "/answer DA", at(OPEN));
    assert!(matches!(
        both.card.kind,
        CardKind::Feedback { correct: true, .. }
    ));
    app.ask_one("bo", "/practice cost-optimized", at(OPEN));
    let one_wrong = app.ask_one("bo", "/answer AB", at(OPEN));
    assert!(matches!(
        one_wrong.card.kind,
        CardKind::Feedback { correct: false, .. }
    ));
}

#[test]
fn a_korean_member_reads_the_question_and_replies_in_korean() {
    let app = TestApp::spawn();
    let request = app.request("ana", "/practice high-performing", Some(Lang::Ko));
    let reply = app.engine.handle(&request, at(OPEN));
    let text = reply[0].card.plain_text();
    assert!(text.contains("연습 문제"), "{text}");
    let id = crate::support::question_id(&reply[0].card);
    let bank = crate::support::fixture_bank();
    let q = bank
        .questions()
        .iter()
        .find(|q| q.id.as_str() == id)
        .unwrap();
    assert!(text.contains(&q.ko.prompt), "{text}");
    let error = app
        .engine
        .handle(&app.request("ana", "/answer F", Some(Lang::Ko)), at(OPEN));
    assert!(
        error[0].card.body.contains("보기가 아니에요"),
        "{}",
        error[0].card.body
    );
}

#[test]
fn answer_goes_to_the_question_the_member_received_last() {
    let app = TestApp::spawn();
    // A practice question served before the daily post, left unanswered…
    app.ask_one(
        "ana",
        "/practice domain:secure",
        at("2026-11-24T08:30:00+09:00"),
    );
    let id = open_round(&app);
    let (right, _) = right_and_wrong(&id);
    // …does not swallow the answer to the daily question posted after it.
    let reply = app.ask_one(
        "ana",
        &format!("/answer {right}"),
        at("2026-11-24T09:05:00+09:00"),
    );
    assert_eq!(reply.card.kind, CardKind::Receipt, "{}", reply.card.body);
    // A practice question served after the post is the one `/answer` answers.
    app.ask_one(
        "bo",
        "/practice domain:secure",
        at("2026-11-24T09:10:00+09:00"),
    );
    let reply = app.ask_one("bo", "/answer C", at("2026-11-24T09:11:00+09:00"));
    assert!(
        matches!(reply.card.kind, CardKind::Feedback { .. }),
        "{:?}",
        reply.card.kind
    );
}

/// What a click on a question's unsure toggle means, for the member `who`.
fn press_unsure(
    app: &TestApp,
    who: &str,
    target: quizbot::quiz::AnswerTarget,
    now: &str,
) -> quizbot::quiz::Reply {
    let mut click = app.request(who, "/help", None);
    click.command = quizbot::quiz::ButtonId::Unsure(target).command();
    app.engine.handle(&click, at(now)).remove(0)
}

#[test]
fn the_unsure_toggle_on_a_daily_question_sends_even_a_right_answer_into_review_at_the_reveal() {
    let app = TestApp::spawn();
    let id = open_round(&app);
    let (right, _) = right_and_wrong(&id);
    let round = channel_round(&app);
    let target = || quizbot::quiz::AnswerTarget::Round(round.id);
    // Ana marks before answering, Bo after; Cy marks and unmarks.
    let marked = press_unsure(&app, "ana", target(), "2026-11-24T09:01:00+09:00");
    assert!(
        marked.card.body.contains("Marked unsure"),
        "{}",
        marked.card.body
    );
    for who in ["ana", "bo", "cy"] {
        app.ask_one(
            who,
            &format!("/answer {right}"),
            at("2026-11-24T09:02:00+09:00"),
        );
    }
    let bo = press_unsure(&app, "bo", target(), "2026-11-24T09:03:00+09:00");
    assert!(
        bo.card.body.contains("Your answer is marked unsure"),
        "{}",
        bo.card.body
    );
    press_unsure(&app, "cy", target(), "2026-11-24T09:03:00+09:00");
    let cy = press_unsure(&app, "cy", target(), "2026-11-24T09:04:00+09:00");
    assert!(
        cy.card.body.contains("no longer marked unsure"),
        "{}",
        cy.card.body
    );
    app.deliver(at("2026-11-24T18:00:00+09:00"));
    let later = "2026-11-30T09:00:00+09:00";
    for who in ["ana", "bo"] {
        let review = app.ask_one(who, "/review", at(later));
        assert_eq!(
            crate::support::question_id(&review.card),
            id,
            "{who} reviews it"
        );
    }
    let cy = app.ask_one("cy", "/review", at(later));
    assert!(
        cy.card.body.contains("Nothing to review"),
        "{}",
        cy.card.body
    );
}

#[test]
fn the_unsure_toggle_on_a_practice_question_marks_the_answer_that_follows() {
    let app = TestApp::spawn();
    let q = app.ask_one("ana", "/practice secure", at("2026-11-24T10:00:00Z"));
    let id = crate::support::question_id(&q.card);
    let target =
        quizbot::quiz::AnswerTarget::Private(quizbot::bank::QuestionId::parse(&id).unwrap());
    press_unsure(&app, "ana", target.clone(), "2026-11-24T10:00:00Z");
    let (right, _) = right_and_wrong(&id);
    let feedback = app.ask_one(
        "ana",
        &format!("/answer {right}"),
        at("2026-11-24T10:01:00Z"),
    );
    assert!(
        feedback.card.plain_text().contains("you were unsure"),
        "{}",
        feedback.card.plain_text()
    );
    // Answered: the toggle of that card no longer applies.
    let late = press_unsure(&app, "ana", target, "2026-11-24T10:02:00Z");
    assert_eq!(late.card.kind, CardKind::Error);
}

#[test]
fn a_button_of_another_channels_round_answers_nothing_here() {
    let app = TestApp::spawn();
    let id = open_round(&app);
    let (right, _) = right_and_wrong(&id);
    let round = channel_round(&app);
    let mut request = app.request("bo", "/help", None);
    request.command = quizbot::quiz::Command::Answer {
        letters: quizbot::bank::Letters::parse(&right).unwrap(),
        target: Some(quizbot::quiz::AnswerTarget::Round(round.id)),
        unsure: false,
    };
    request.place.channel = "test:elsewhere".into();
    let reply = app.engine.handle(&request, at(OPEN));
    assert!(
        matches!(reply[0].card.kind, quizbot::quiz::CardKind::Error),
        "{:?}",
        reply[0].card
    );
    assert!(
        app.engine
            .store()
            .round_answers(round.id)
            .unwrap()
            .is_empty(),
        "not recorded"
    );
}

/// The test channel's latest daily round.
fn channel_round(app: &TestApp) -> quizbot::quiz::Round {
    app.engine
        .store()
        .latest_round_in(crate::support::CHANNEL)
        .unwrap()
        .unwrap()
}
