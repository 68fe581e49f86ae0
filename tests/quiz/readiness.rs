//! Readiness per domain and task statement, with predicted recall on the exam date.

use quizbot::bank::{Domain, TaskStatement};
use quizbot::quiz::CardKind;

use crate::support::{SERVER, TestApp, at, question_id, right_and_wrong};

fn task(code: &str) -> TaskStatement {
    TaskStatement::parse(code).unwrap()
}

#[test]
fn readiness_on_a_scripted_history_matches_the_hand_computed_figures() {
    let app = TestApp::spawn();
    app.ask_one("ana", "/exam-date 2026-12-24", at("2026-11-24T10:00:00Z"));
    // One question seen and answered right, for sure: FSRS-6's first memory, stability 2.3065
    // days. The exam is 29 days 23 hours later (09:00 in the server's zone, UTC here), when
    // recall is (1 + 0.981 * 29.958 / 2.3065) ^ -0.1542 = 0.6677.
    let q = app.ask_one("ana", "/practice secure", at("2026-11-24T10:00:00Z"));
    let (right, _) = right_and_wrong(&question_id(&q.card));
    app.ask_one(
        "ana",
        &format!("/answer {right}"),
        at("2026-11-24T10:00:00Z"),
    );

    let r = app
        .engine
        .readiness_of("test:ana", SERVER, at("2026-11-24T11:00:00Z"))
        .unwrap();
    assert!(r.exam_set);
    let secure = &r.domains[&Domain::Secure];
    assert_eq!((secure.seen, secure.available), (1, 1));
    assert_eq!(secure.first_try, Some(1.0));
    assert!((secure.recall - 0.6677).abs() < 0.003, "{secure:?}");
    // Unseen questions count as not known.
    let hp = &r.domains[&Domain::HighPerforming];
    assert_eq!((hp.seen, hp.available, hp.recall), (0, 2, 0.0));
    assert_eq!(hp.first_try, None);
    // Weighted by the exam: secure is 30 % of it.
    assert!((r.overall - 0.3 * 0.6677).abs() < 0.002, "{}", r.overall);
    assert!((r.tasks[&task("1.1")].recall - 0.6677).abs() < 0.003);
    // The weak spots are the task statements with the least recall, named.
    assert_eq!(r.weak.len(), 3);
    assert!(!r.weak.contains(&task("1.1")), "{:?}", r.weak);
}

#[test]
fn a_first_miss_counts_against_first_try_accuracy_even_after_a_right_review() {
    let app = TestApp::spawn();
    let q = app.ask_one("ana", "/practice secure", at("2026-11-24T10:00:00Z"));
    let (right, wrong) = right_and_wrong(&question_id(&q.card));
    app.ask_one(
        "ana",
        &format!("/answer {wrong}"),
        at("2026-11-24T10:00:00Z"),
    );
    app.ask_one("ana", "/review", at("2026-11-24T10:01:00Z"));
    app.ask_one(
        "ana",
        &format!("/answer {right}"),
        at("2026-11-24T10:01:00Z"),
    );
    let r = app
        .engine
        .readiness_of("test:ana", SERVER, at("2026-11-24T11:00:00Z"))
        .unwrap();
    assert_eq!(r.domains[&Domain::Secure].first_try, Some(0.0));
    assert!(r.domains[&Domain::Secure].recall > 0.0);
}

#[test]
fn readiness_says_the_exam_date_is_assumed_until_the_member_sets_one() {
    let app = TestApp::spawn();
    let card = app
        .ask_one("ana", "/readiness", at("2026-11-24T10:00:00Z"))
        .card;
    assert_eq!(card.kind, CardKind::Stats);
    let text = card.plain_text();
    assert!(
        text.contains("2026-12-24: not set, so 30 days from today"),
        "{text}"
    );
    assert!(text.contains("Predicted recall on exam day"), "{text}");
    assert!(text.contains("1.1: 0/1 · – · 0%"), "{text}");
    assert!(text.contains("Weak spots"), "{text}");
    let set = app.ask_one("ana", "/exam-date 2027-02-15", at("2026-11-24T10:00:00Z"));
    assert!(
        set.card.body.contains("2027-02-15, in 83 days"),
        "{}",
        set.card.body
    );
    let card = app
        .ask_one("ana", "/readiness", at("2026-11-24T10:00:00Z"))
        .card
        .plain_text();
    assert!(card.contains("2027-02-15 (in 83 days)"), "{card}");
}

#[test]
fn an_exam_date_in_the_past_is_refused_with_the_right_form() {
    let app = TestApp::spawn();
    let reply = app.ask_one("ana", "/exam-date 2026-01-01", at("2026-11-24T10:00:00Z"));
    assert_eq!(reply.card.kind, CardKind::Error);
    assert!(
        reply.card.body.contains("That date has passed"),
        "{}",
        reply.card.body
    );
    let error = quizbot::quiz::parse("/exam-date soon", &|s| s.to_owned()).unwrap_err();
    let reply = app.engine.reject(None, &error);
    assert!(
        reply
            .card
            .body
            .contains("`soon` is not a date such as 2027-02-15"),
        "{}",
        reply.card.body
    );
}
