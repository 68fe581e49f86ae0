//! Daily rounds: when they are posted, in which zone, on which days, across DST, downtime
//! and restarts, and when they are revealed.

use jiff::civil::date;
use quizbot::quiz::DeliveryKind;
use quizbot::schedule::{DailyTime, RevealRule, Schedule, Weekdays, Zone};

use crate::support::{TestApp, at, kinds};

fn schedule(time: &str, zone: &str) -> Schedule {
    Schedule {
        time: DailyTime::parse(time).unwrap(),
        zone: Zone::parse(zone).unwrap(),
        days: Weekdays::EVERY_DAY,
        reveal: RevealRule::DEFAULT,
    }
}

#[test]
fn a_seoul_schedule_posts_at_nine_local_time_once_a_day() {
    let app = TestApp::spawn();
    app.ask(
        "ana",
        "/quiz schedule 09:00 Asia/Seoul",
        at("2026-11-24T08:00:00+09:00"),
    );
    assert!(app.deliver(at("2026-11-24T08:59:59+09:00")).is_empty());
    assert_eq!(
        app.engine.next_due(at("2026-11-24T08:00:00+09:00")),
        Some(at("2026-11-24T00:00:00Z"))
    );
    assert_eq!(
        kinds(&app.deliver(at("2026-11-24T09:00:00+09:00"))),
        ["post"]
    );
    assert!(app.deliver(at("2026-11-24T09:00:30+09:00")).is_empty());

    let week = app.run(
        at("2026-11-24T09:00:30+09:00"),
        at("2026-11-30T23:00:00+09:00"),
    );
    let posts: Vec<String> = week
        .iter()
        .filter(|(_, d)| d.kind == DeliveryKind::Post)
        .map(|(t, _)| t.to_string())
        .collect();
    assert_eq!(
        posts,
        [
            "2026-11-25T00:00:00Z",
            "2026-11-26T00:00:00Z",
            "2026-11-27T00:00:00Z",
            "2026-11-28T00:00:00Z",
            "2026-11-29T00:00:00Z",
            "2026-11-30T00:00:00Z"
        ]
    );
}

#[test]
fn a_time_skipped_by_spring_forward_moves_forward_by_the_gap() {
    let s = schedule("02:30", "America/New_York");
    // 02:30 does not exist on 2026-03-08 in New York: it is posted at 03:30 EDT.
    assert_eq!(
        s.slot_on(date(2026, 3, 7)).unwrap().at,
        at("2026-03-07T07:30:00Z")
    );
    assert_eq!(
        s.slot_on(date(2026, 3, 8)).unwrap().at,
        at("2026-03-08T07:30:00Z")
    );
    assert_eq!(
        s.slot_on(date(2026, 3, 9)).unwrap().at,
        at("2026-03-09T06:30:00Z")
    );
}

#[test]
fn a_time_repeated_by_fall_back_posts_once_at_its_first_occurrence() {
    let s = schedule("01:30", "America/New_York");
    // 01:30 happens twice on 2026-11-01: first in EDT (05:30Z), then in EST (06:30Z).
    assert_eq!(
        s.slot_on(date(2026, 11, 1)).unwrap().at,
        at("2026-11-01T05:30:00Z")
    );

    let app = TestApp::spawn();
    app.ask(
        "ana",
        "/quiz schedule 01:30 America/New_York",
        at("2026-10-31T12:00:00Z"),
    );
    let day = app.run(at("2026-10-31T12:00:00Z"), at("2026-11-01T07:00:00Z"));
    let posts: Vec<String> = day
        .iter()
        .filter(|(_, d)| d.kind == DeliveryKind::Post)
        .map(|(t, _)| t.to_string())
        .collect();
    assert_eq!(posts, ["2026-11-01T05:30:00Z"]);
}

#[test]
fn a_weekday_schedule_skips_the_weekend() {
    let app = TestApp::spawn();
    // Friday 2026-11-27, 08:00 in Seoul.
    app.ask(
        "ana",
        "/quiz schedule 09:00 Asia/Seoul mon-fri",
        at("2026-11-27T08:00:00+09:00"),
    );
    let days = app.run(
        at("2026-11-27T08:00:00+09:00"),
        at("2026-11-30T23:00:00+09:00"),
    );
    let zone = Zone::parse("Asia/Seoul").unwrap();
    let posted_on: Vec<String> = days
        .iter()
        .filter(|(_, d)| d.kind == DeliveryKind::Post)
        .map(|(t, _)| zone.local(*t).strftime("%a").to_string())
        .collect();
    assert_eq!(posted_on, ["Fri", "Mon"]);
}

#[test]
fn coming_back_after_three_days_down_posts_one_catch_up_question_not_three() {
    let app = TestApp::spawn();
    app.ask(
        "ana",
        "/quiz schedule 09:00 Asia/Seoul",
        at("2026-11-24T08:00:00+09:00"),
    );
    assert_eq!(
        kinds(&app.deliver(at("2026-11-24T09:00:00+09:00"))),
        ["post"]
    );
    // Down from Tuesday 09:00 until Friday noon: the Tuesday round was never revealed.
    let back = app.deliver(at("2026-11-27T12:00:00+09:00"));
    assert_eq!(kinds(&back), ["reveal", "post"]);
    assert!(app.deliver(at("2026-11-27T12:00:05+09:00")).is_empty());
    // The catch-up round is still revealed at its usual time that evening.
    let evening = app.run(
        at("2026-11-27T12:00:05+09:00"),
        at("2026-11-27T23:00:00+09:00"),
    );
    assert_eq!(
        kinds(&evening.iter().map(|(_, d)| d.clone()).collect::<Vec<_>>()),
        ["reveal"]
    );
    assert_eq!(evening[0].0, at("2026-11-27T21:00:00+09:00"));
}

#[test]
fn a_restart_right_after_a_post_does_not_post_again() {
    let app = TestApp::spawn();
    app.ask(
        "ana",
        "/quiz schedule 09:00 Asia/Seoul",
        at("2026-11-24T08:00:00+09:00"),
    );
    assert_eq!(
        kinds(&app.deliver(at("2026-11-24T09:00:00+09:00"))),
        ["post"]
    );
    let app = app.restart();
    assert!(app.deliver(at("2026-11-24T09:00:01+09:00")).is_empty());
    let rest_of_day = app.run(
        at("2026-11-24T09:00:01+09:00"),
        at("2026-11-24T23:59:00+09:00"),
    );
    assert_eq!(
        kinds(
            &rest_of_day
                .iter()
                .map(|(_, d)| d.clone())
                .collect::<Vec<_>>()
        ),
        ["reveal"]
    );
}

#[test]
fn a_crash_before_the_post_is_confirmed_delivers_the_same_round_again_once() {
    let app = TestApp::spawn();
    app.ask(
        "ana",
        "/quiz schedule 09:00 Asia/Seoul",
        at("2026-11-24T08:00:00+09:00"),
    );
    let decided = app.engine.tick(at("2026-11-24T09:00:00+09:00"));
    assert_eq!(kinds(&decided), ["post"]);
    // The process dies before the platform confirmed the post.
    let app = app.restart();
    let again = app.deliver(at("2026-11-24T09:00:10+09:00"));
    assert_eq!(kinds(&again), ["post"]);
    assert_eq!(
        again[0].round, decided[0].round,
        "the same round, not a second one"
    );
    assert!(app.deliver(at("2026-11-24T09:00:20+09:00")).is_empty());
}

#[test]
fn a_reveal_time_of_day_reveals_at_that_local_time() {
    let app = TestApp::spawn();
    app.ask(
        "ana",
        "/quiz schedule 09:00 Asia/Seoul reveal:18:00",
        at("2026-11-24T08:00:00+09:00"),
    );
    let day = app.run(
        at("2026-11-24T08:00:00+09:00"),
        at("2026-11-24T23:00:00+09:00"),
    );
    let when: Vec<(String, &str)> = day
        .iter()
        .map(|(t, d)| {
            (
                t.to_string(),
                if d.kind == DeliveryKind::Post {
                    "post"
                } else {
                    "reveal"
                },
            )
        })
        .collect();
    assert_eq!(
        when,
        [
            ("2026-11-24T00:00:00Z".to_owned(), "post"),
            ("2026-11-24T09:00:00Z".to_owned(), "reveal")
        ]
    );
}

#[test]
fn setting_a_schedule_after_todays_time_waits_for_tomorrow() {
    let app = TestApp::spawn();
    app.ask(
        "ana",
        "/quiz schedule 09:00 Asia/Seoul",
        at("2026-11-24T10:00:00+09:00"),
    );
    assert!(app.deliver(at("2026-11-24T10:00:01+09:00")).is_empty());
    assert_eq!(
        app.engine.next_due(at("2026-11-24T10:00:01+09:00")),
        Some(at("2026-11-25T09:00:00+09:00"))
    );
}

#[test]
fn a_channel_that_is_gone_stops_its_schedule_and_says_why() {
    let app = TestApp::spawn();
    app.ask(
        "ana",
        "/quiz schedule 09:00 Asia/Seoul",
        at("2026-11-24T08:00:00+09:00"),
    );
    let decided = app.engine.tick(at("2026-11-24T09:00:00+09:00"));
    app.engine.disable_channel(
        &decided[0].channel,
        "Missing Access",
        at("2026-11-24T09:00:01+09:00"),
    );
    assert!(app.engine.tick(at("2026-11-24T09:00:02+09:00")).is_empty());
    assert!(
        app.run(
            at("2026-11-24T09:00:02+09:00"),
            at("2026-11-27T09:00:00+09:00")
        )
        .is_empty()
    );
    let status = app.ask_one("ana", "/quiz status", at("2026-11-24T09:01:00+09:00"));
    assert!(
        status.card.plain_text().contains("Missing Access"),
        "{}",
        status.card.plain_text()
    );
}
