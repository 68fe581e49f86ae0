//! Reporting a question: one report per member and question, listed for managers most
//! reported first, for maintainers with each question's file and line.

use quizbot::quiz::{CardKind, ReportButton};

use crate::support::{TestApp, at, fixture_bank, right_and_wrong};

fn ids() -> Vec<String> {
    fixture_bank()
        .questions()
        .iter()
        .map(|q| q.id.to_string())
        .collect()
}

#[test]
fn a_member_reports_a_question_once_and_a_second_report_replaces_the_first() {
    let app = TestApp::spawn();
    let ids = ids();
    let (x, y) = (&ids[0], &ids[1]);
    let now = at("2026-11-24T10:00:00+09:00");
    let first = app.ask_one(
        "ana",
        &format!("/report {x} typo  the  word S4 is wrong"),
        now,
    );
    assert_eq!(first.card.kind, CardKind::Info, "{}", first.card.body);
    assert!(first.card.body.contains("Thank you"), "{}", first.card.body);
    let again = app.ask_one("ana", &format!("/report {x} wrong-key"), now);
    assert!(again.card.body.contains("replaces"), "{}", again.card.body);
    app.ask_one("bo", &format!("/report {x} 2"), now);
    app.ask_one(
        "bo",
        &format!("/report {y} outdated S3 changed in 2023"),
        now,
    );
    let rows = app.engine.store().open_reports(None).unwrap();
    assert_eq!(rows.len(), 3, "{rows:#?}");
    let anas: Vec<_> = rows.iter().filter(|r| r.member == "test:ana").collect();
    assert_eq!(anas.len(), 1);
    assert_eq!(anas[0].reason, "wrong-key");
    assert_eq!(anas[0].comment, None);
    let list = app.ask_one("dana", "/quiz reports", now).card.plain_text();
    let (at_x, at_y) = (
        list.find(x.as_str()).unwrap(),
        list.find(y.as_str()).unwrap(),
    );
    assert!(at_x < at_y, "most reported first: {list}");
    assert!(list.contains(&format!("{x}: 2 report(s)")), "{list}");
    assert!(list.contains("The answer key is wrong ×1"), "{list}");
    assert!(list.contains("More than one answer is right ×1"), "{list}");
    assert!(list.contains("S3 changed in 2023"), "{list}");
}

#[test]
fn a_report_names_a_known_question_and_keeps_its_comment_short() {
    let app = TestApp::spawn();
    let now = at("2026-11-24T10:00:00+09:00");
    let unknown = app.ask_one("ana", "/report zz-nothing-1 typo", now);
    assert_eq!(unknown.card.kind, CardKind::Error);
    assert!(
        unknown.card.body.contains("zz-nothing-1"),
        "{}",
        unknown.card.body
    );
    let id = &ids()[0];
    let long = "x".repeat(501);
    let line = format!("/report {id} unclear {long}");
    let error = quizbot::quiz::parse(&line, &|u| u.to_owned()).unwrap_err();
    assert!(error.to_string().contains("501 characters"), "{error}");
    assert!(error.to_string().contains("500"), "{error}");
    let error =
        quizbot::quiz::parse(&format!("/report {id} boring"), &|u| u.to_owned()).unwrap_err();
    assert!(
        error.to_string().contains("`boring` is not a reason"),
        "{error}"
    );
    // Managers only.
    let mut request = app.request("ana", "/quiz reports", None);
    request.manager = false;
    let refused = app.engine.handle(&request, now);
    assert_eq!(refused[0].card.kind, CardKind::Error);
}

#[test]
fn the_report_button_on_a_reveal_stores_the_round_and_the_maintainers_see_file_and_line() {
    let app = TestApp::spawn();
    app.ask(
        "dana",
        "/quiz schedule 09:00 Asia/Seoul reveal:18:00",
        at("2026-11-24T08:00:00+09:00"),
    );
    let posted = app.run(
        at("2026-11-24T08:00:00+09:00"),
        at("2026-11-24T09:00:00+09:00"),
    );
    let deliveries: Vec<_> = posted.into_iter().map(|(_, d)| d).collect();
    let id = TestApp::posted_question(&deliveries);
    let (right, _) = right_and_wrong(&id);
    app.ask_one(
        "ana",
        &format!("/answer {right}"),
        at("2026-11-24T10:00:00+09:00"),
    );
    let revealed = app.run(
        at("2026-11-24T10:00:00+09:00"),
        at("2026-11-24T18:00:00+09:00"),
    );
    let reveal = &revealed.last().unwrap().1.card;
    let button = reveal.report.clone().expect("a reveal has a report button");
    assert_eq!(button.question.as_str(), id);
    assert!(button.round.is_some());
    let decoded = ReportButton::decode(&button.encode()).unwrap();
    let command = decoded
        .command("several-right", "B and C both work")
        .unwrap();
    let mut request = app.request("ana", "/help", None);
    request.command = command;
    let saved = app.engine.handle(&request, at("2026-11-24T18:30:00+09:00"));
    assert!(
        saved[0].card.body.contains("Thank you"),
        "{:?}",
        saved[0].card
    );
    let rows = app.engine.store().open_reports(None).unwrap();
    assert_eq!(rows[0].round, button.round.map(|r| r.0));
    let text = quizbot::quiz::report::maintainer_text(&fixture_bank(), &rows);
    let bank = fixture_bank();
    let qid = quizbot::bank::QuestionId::parse(&id).unwrap();
    let origin = bank.origin(&qid).unwrap();
    let place = format!("{}:{}", origin.file.display(), origin.line);
    assert!(
        text.contains(&format!("{id} {place}: 1 report(s): several-right ×1")),
        "{text}"
    );
    assert!(text.contains("\"B and C both work\""), "{text}");
    // Closed once fixed: no longer listed.
    assert_eq!(
        app.engine
            .store()
            .close_reports(&id, at("2026-11-25T00:00:00Z"))
            .unwrap(),
        1
    );
    assert!(app.engine.store().open_reports(None).unwrap().is_empty());
}
