//! Practice on demand and spaced review of misses.

use quizbot::quiz::{CardKind, Reply};

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

/// Answers whatever question the member was last given, right or wrong, at `now`.
fn answer(app: &TestApp, who: &str, card: &quizbot::quiz::Card, right: bool, now: &str) -> Reply {
    let (r, w) = right_and_wrong(&question_id(card));
    let letters = if right { r } else { w };
    app.ask_one(who, &format!("/answer {letters}"), at(now))
}

#[test]
fn a_review_session_serves_every_due_question_and_ends_when_all_are_right() {
    let app = TestApp::spawn();
    // Miss two practice questions: both go into review, due at once.
    let mut missed = Vec::new();
    for minute in 0..2 {
        let now = format!("2026-11-24T10:0{minute}:00Z");
        let q = app.ask_one("ana", "/practice high-performing", at(&now));
        missed.push(question_id(&q.card));
        let feedback = answer(&app, "ana", &q.card, false, &now);
        assert!(
            feedback.card.plain_text().contains("goes into /review"),
            "{}",
            feedback.card.plain_text()
        );
    }
    let first = app.ask_one("ana", "/review", at("2026-11-24T10:05:00Z"));
    assert!(first.card.title.contains("2 due"), "{}", first.card.title);
    // Miss it again: it comes back after the other one, until it is answered right.
    answer(&app, "ana", &first.card, false, "2026-11-24T10:06:00Z");
    let second = app.ask_one("ana", "/review", at("2026-11-24T10:07:00Z"));
    assert_ne!(question_id(&second.card), question_id(&first.card));
    answer(&app, "ana", &second.card, true, "2026-11-24T10:08:00Z");
    let again = app.ask_one("ana", "/review", at("2026-11-24T10:09:00Z"));
    assert_eq!(question_id(&again.card), question_id(&first.card));
    assert!(again.card.title.contains("1 due"), "{}", again.card.title);
    answer(&app, "ana", &again.card, true, "2026-11-24T10:10:00Z");
    // All right: the session is over, and it says when the next review is due.
    let done = app.ask_one("ana", "/review", at("2026-11-24T10:11:00Z"));
    assert!(
        done.card
            .body
            .contains("Nothing to review right now. Your next review is due"),
        "{}",
        done.card.body
    );
}

#[test]
fn fsrs_waits_longer_after_each_right_review_and_starts_over_after_a_miss() {
    let app = TestApp::spawn();
    let q = app.ask_one("ana", "/practice domain:secure", at("2026-11-24T10:00:00Z"));
    let id = quizbot::bank::QuestionId::parse(&question_id(&q.card)).unwrap();
    answer(&app, "ana", &q.card, false, "2026-11-24T10:00:00Z");
    let store = app.engine.store();
    let memory = |store: &quizbot::store::Store| {
        store
            .memory("test:ana", crate::support::SERVER, &id)
            .unwrap()
            .expect("a memory")
    };
    let mut now = at("2026-11-24T10:01:00Z");
    let mut gaps = Vec::new();
    for _ in 0..3 {
        let card = app.ask_one("ana", "/review", now);
        assert_eq!(question_id(&card.card), id.as_str());
        app.ask_one(
            "ana",
            &format!("/answer {}", right_and_wrong(id.as_str()).0),
            now,
        );
        let m = memory(store);
        gaps.push(m.due.as_second() - now.as_second());
        now = m.due;
    }
    assert!(
        gaps[0] < gaps[1] && gaps[1] < gaps[2],
        "growing intervals: {gaps:?}"
    );
    let card = app.ask_one("ana", "/review", now);
    app.ask_one(
        "ana",
        &format!("/answer {}", right_and_wrong(&question_id(&card.card)).1),
        now,
    );
    let after_miss = memory(store);
    assert_eq!(after_miss.due, now, "a miss is due again at once");
}

#[test]
fn a_right_answer_marked_unsure_goes_into_review_and_a_sure_one_does_not() {
    let app = TestApp::spawn();
    let q = app.ask_one("ana", "/practice domain:secure", at("2026-11-24T10:00:00Z"));
    let (right, _) = right_and_wrong(&question_id(&q.card));
    let feedback = app.ask_one(
        "ana",
        &format!("/answer {right} unsure"),
        at("2026-11-24T10:00:00Z"),
    );
    assert!(
        feedback.card.plain_text().contains("you were unsure"),
        "{}",
        feedback.card.plain_text()
    );
    let q = app.ask_one("bo", "/practice domain:secure", at("2026-11-24T10:00:00Z"));
    app.ask_one(
        "bo",
        &format!("/answer {right}"),
        at("2026-11-24T10:00:00Z"),
    );
    let _ = q;
    let later = at("2026-12-24T10:00:00Z");
    let ana = app.ask_one("ana", "/review", later);
    assert_eq!(question_id(&ana.card), "t-kms-key-policy");
    let bo = app.ask_one("bo", "/review", later);
    assert!(
        bo.card
            .body
            .contains("Nothing to review: questions you miss come back here"),
        "{}",
        bo.card.body
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

#[test]
fn practice_prefers_unseen_questions_then_the_weakest_task_and_says_why() {
    let app = TestApp::spawn();
    let first = app.ask_one("ana", "/practice task:1.1", at("2026-11-24T10:00:00Z"));
    assert!(first.card.title.ends_with("· new"), "{}", first.card.title);
    answer(&app, "ana", &first.card, true, "2026-11-24T10:00:00Z");
    // The three unseen questions come first.
    let mut seen = vec![question_id(&first.card)];
    for minute in 1..4 {
        let now = format!("2026-11-24T10:0{minute}:00Z");
        let q = app.ask_one("ana", "/practice", at(&now));
        assert!(q.card.title.ends_with("· new"), "{}", q.card.title);
        seen.push(question_id(&q.card));
        // Answer the storage and compute ones right; leave the cost one unanswered.
        if !question_id(&q.card).starts_with("t-cost") {
            answer(&app, "ana", &q.card, true, &now);
        }
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 4);
    // All seen: the weakest task statement (4.1, nothing recalled) comes back first, named.
    let next = app.ask_one("ana", "/practice", at("2026-11-24T10:10:00Z"));
    assert_eq!(question_id(&next.card), "t-cost-choose-two");
    assert!(
        next.card.title.ends_with("· weak spot: 4.1"),
        "{}",
        next.card.title
    );
}
