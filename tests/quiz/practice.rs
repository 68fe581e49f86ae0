//! Practice on demand and spaced review of misses.

use quizbot::quiz::CardKind;

use crate::support::{TestApp, at, question_id, right_and_wrong};

#[test]
fn practice_serves_every_question_once_before_repeating_any() {
    let app = TestApp::spawn();
    let mut seen = Vec::new();
    for minute in 0..4 {
        let reply = app.ask_one(
            "ana",
            "/practice",
            at(&format!("2026-11-24T10:0{minute}:00Z")),
        );
        seen.push(question_id(&reply.card));
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 4, "all four fixture questions once: {seen:?}");
    // The fifth is the one seen longest ago.
    let fifth = app.ask_one("ana", "/practice", at("2026-11-24T10:05:00Z"));
    assert_eq!(question_id(&fifth.card), seen[0]);
}

#[test]
fn practice_filters_by_domain_and_service_and_explains_unknown_services() {
    let app = TestApp::spawn();
    let secure = app.ask_one("ana", "/practice domain:secure", at("2026-11-24T10:00:00Z"));
    assert_eq!(question_id(&secure.card), "t-kms-key-policy");
    let cdn = app.ask_one(
        "ana",
        "/practice service:cloudfront",
        at("2026-11-24T10:00:00Z"),
    );
    assert_eq!(question_id(&cdn.card), "t-cloudfront-static");
    let unknown = app.ask_one(
        "ana",
        "/practice service:Lightsail",
        at("2026-11-24T10:00:00Z"),
    );
    assert_eq!(unknown.card.kind, CardKind::Error);
    assert!(
        unknown.card.body.contains("`Lightsail`"),
        "{}",
        unknown.card.body
    );
    assert!(
        unknown.card.body.contains("CloudFront"),
        "{}",
        unknown.card.body
    );
}

#[test]
fn a_practice_answer_gets_instant_feedback_with_the_explanation() {
    let app = TestApp::spawn();
    let q = app.ask_one("ana", "/practice domain:secure", at("2026-11-24T10:00:00Z"));
    let (right, _) = right_and_wrong(&question_id(&q.card));
    let feedback = app.ask_one(
        "ana",
        &format!("/answer {right}"),
        at("2026-11-24T10:01:00Z"),
    );
    assert!(matches!(
        feedback.card.kind,
        CardKind::Feedback { correct: true, .. }
    ));
    assert!(
        feedback.card.body.contains("key policy must allow"),
        "{}",
        feedback.card.body
    );
    assert!(feedback.card.next.is_some(), "a next-question button");
    // Answered: nothing is pending any more.
    let again = app.ask_one("ana", "/answer A", at("2026-11-24T10:02:00Z"));
    assert!(
        again.card.body.contains("no question waiting"),
        "{}",
        again.card.body
    );
}

#[test]
fn a_missed_question_comes_back_in_review_the_next_day_and_climbs_when_right() {
    let app = TestApp::spawn();
    let q = app.ask_one("ana", "/practice domain:secure", at("2026-11-24T10:00:00Z"));
    let id = question_id(&q.card);
    let (right, wrong) = right_and_wrong(&id);
    let missed = app.ask_one(
        "ana",
        &format!("/answer {wrong}"),
        at("2026-11-24T10:01:00Z"),
    );
    assert!(
        missed
            .card
            .plain_text()
            .contains("come back in /review tomorrow")
    );

    let early = app.ask_one("ana", "/review", at("2026-11-24T12:00:00Z"));
    assert!(
        early.card.body.contains("Nothing to review right now"),
        "{}",
        early.card.body
    );

    let due = app.ask_one("ana", "/review", at("2026-11-25T10:01:00Z"));
    assert_eq!(question_id(&due.card), id);
    assert!(due.card.title.contains("box 1 of 5"), "{}", due.card.title);
    app.ask_one(
        "ana",
        &format!("/answer {right}"),
        at("2026-11-25T10:02:00Z"),
    );

    // Right once: box 2, due three days later.
    let not_yet = app.ask_one("ana", "/review", at("2026-11-28T10:01:00Z"));
    assert!(
        not_yet.card.body.contains("Nothing to review right now"),
        "{}",
        not_yet.card.body
    );
    let box_two = app.ask_one("ana", "/review", at("2026-11-28T10:03:00Z"));
    assert!(
        box_two.card.title.contains("box 2 of 5"),
        "{}",
        box_two.card.title
    );
}

#[test]
fn a_button_from_an_old_practice_card_does_not_answer_the_new_one() {
    let app = TestApp::spawn();
    let first = app.ask_one("ana", "/practice", at("2026-11-24T10:00:00Z"));
    app.ask_one("ana", "/practice", at("2026-11-24T10:01:00Z"));
    let mut click = app.request("ana", "/help", None);
    click.command = quizbot::quiz::ButtonId::Answer {
        target: quizbot::quiz::AnswerTarget::Private(
            quizbot::bank::QuestionId::parse(&question_id(&first.card)).unwrap(),
        ),
        letters: quizbot::bank::Letters::parse("A").unwrap(),
    }
    .command();
    let reply = app.engine.handle(&click, at("2026-11-24T10:02:00Z"));
    assert!(
        reply[0].card.body.contains("no longer waiting"),
        "{}",
        reply[0].card.body
    );
}

#[test]
fn practice_filters_by_task_statement_by_position_or_by_name() {
    let app = TestApp::spawn();
    let by_position = app.ask_one("ana", "/practice 3.2", at("2026-11-24T10:00:00Z"));
    assert_eq!(question_id(&by_position.card), "t-placement-cluster");
    let by_name = app.ask_one("bo", "/practice task:1.1", at("2026-11-24T10:00:00Z"));
    assert_eq!(question_id(&by_name.card), "t-kms-key-policy");
    let both = app.ask_one(
        "cy",
        "/practice high-performing 3.1",
        at("2026-11-24T10:00:00Z"),
    );
    assert_eq!(question_id(&both.card), "t-cloudfront-static");
}

#[test]
fn a_task_statement_the_guide_does_not_have_is_explained_with_the_usage() {
    let app = TestApp::spawn();
    let error = quizbot::quiz::parse("/practice task:3.9", &|s| s.to_owned()).unwrap_err();
    let reply = app.engine.reject(None, &error);
    assert_eq!(reply.card.kind, CardKind::Error);
    assert!(
        reply.card.body.contains("`3.9` is not a task statement"),
        "{}",
        reply.card.body
    );
    assert!(
        reply.card.body.contains("[task: 1.1-4.4]"),
        "{}",
        reply.card.body
    );
}

#[test]
fn a_question_names_its_task_statement_under_it() {
    let app = TestApp::spawn();
    let q = app.ask_one("ana", "/practice task:3.2", at("2026-11-24T10:00:00Z"));
    let footer = q.card.footer.clone().unwrap_or_default();
    assert!(
        footer.contains("high-performing · task 3.2 · EC2"),
        "{footer}"
    );
}
