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

/// Answers `n` practice questions of the shipped bank, every `miss_every`-th one wrong.
fn practise(app: &TestApp, who: &str, n: usize, miss_every: usize, now: &str) {
    let bank = crate::support::shipped_bank();
    for i in 0..n {
        let q = app.ask_one(who, "/practice", at(now));
        let (right, wrong) = crate::support::right_and_wrong_in(&bank, &question_id(&q.card));
        let letters = if (i + 1) % miss_every == 0 {
            wrong
        } else {
            right
        };
        app.ask_one(who, &format!("/answer {letters}"), at(now));
    }
}

/// The chart's pixels, decoded by the reference PNG decoder.
fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).expect("one frame");
    pixels.truncate(frame.buffer_size());
    (frame.width, frame.height, pixels)
}

/// Whether some pixel has (nearly) this colour: the bars are drawn.
fn has_colour(pixels: &[u8], (r, g, b): (u8, u8, u8)) -> bool {
    pixels
        .chunks(4)
        .any(|p| p[0].abs_diff(r) < 4 && p[1].abs_diff(g) < 4 && p[2].abs_diff(b) < 4)
}

#[test]
fn readiness_comes_with_a_chart_of_the_fourteen_task_statements_in_the_member_s_language() {
    let app = TestApp::spawn_with(crate::support::shipped_bank());
    app.ask_one("ana", "/exam-date 2027-02-15", at("2026-11-24T10:00:00Z"));
    practise(&app, "ana", 30, 3, "2026-11-24T10:00:00Z");
    for lang in [quizbot::bank::Lang::En, quizbot::bank::Lang::Ko] {
        let request = app.request("ana", "/readiness", Some(lang));
        let replies = app.engine.handle(&request, at("2026-11-24T11:00:00Z"));
        assert_eq!(replies.len(), 1, "{replies:#?}");
        let reply = &replies[0];
        assert_eq!(reply.card.kind, CardKind::Stats);
        assert_eq!(reply.attachments.len(), 1, "{:?}", reply.attachments);
        let chart = &reply.attachments[0];
        assert_eq!(
            (chart.name.as_str(), chart.mime),
            ("readiness.png", "image/png")
        );
        let (width, height, pixels) = decode(&chart.bytes);
        assert_eq!(
            (width, height),
            (quizbot::quiz::chart::WIDTH, quizbot::quiz::chart::HEIGHT)
        );
        // Both kinds of bar are drawn: first-try accuracy (blue) and recall (amber).
        assert!(has_colour(&pixels, (0x3B, 0x82, 0xF6)), "no accuracy bar");
        assert!(has_colour(&pixels, (0xF5, 0x9E, 0x0B)), "no recall bar");
        if let Some(dir) = std::env::var_os("QUIZBOT_CHART_PREVIEW") {
            let path = std::path::Path::new(&dir).join(format!("readiness-{lang:?}.png"));
            std::fs::write(path, &chart.bytes).unwrap();
        }
    }
}

#[test]
fn the_chart_draws_the_figures_the_card_shows() {
    let app = TestApp::spawn_with(crate::support::shipped_bank());
    practise(&app, "ana", 12, 2, "2026-11-24T10:00:00Z");
    let now = at("2026-11-24T11:00:00Z");
    let r = app.engine.readiness_of("test:ana", SERVER, now).unwrap();
    let drawn = quizbot::quiz::chart::draw(&r, quizbot::bank::Lang::En).unwrap();
    let reply = app.ask_one("ana", "/readiness", now);
    assert_eq!(reply.attachments[0].bytes, drawn);
    if let Some(dir) = std::env::var_os("QUIZBOT_CHART_PREVIEW") {
        std::fs::write(std::path::Path::new(&dir).join("readiness-few.png"), &drawn).unwrap();
    }
}
