//! The terminal never panics and never gives up on a session: each bad line gets its own
//! clear error and the next line runs.

use super::*;

fn texts(messages: &[Value]) -> Vec<(String, String)> {
    messages
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap().to_owned(),
                m["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn advancing_past_the_end_of_time_is_an_error_and_the_session_goes_on() {
    let session = Session::new();
    let out = session.play(
        "2026-11-24T08:00:00+09:00",
        &[":advance 3000000d", ":now", "/help"],
    );
    let shown = texts(&out);
    assert_eq!(shown[0].0, "error", "{shown:?}");
    assert!(shown[0].1.contains("the clock cannot go past"), "{shown:?}");
    assert_eq!(shown[1].1, "2026-11-23T23:00:00Z");
    assert_eq!(shown[2].0, "info");
}

#[test]
fn a_clock_near_the_end_of_time_is_refused_at_start_and_a_late_one_still_posts() {
    let session = Session::new();
    let out = session.run(
        &["play", "--json", "--clock", "9999-12-30T12:00:00Z"],
        b"/quiz post\n",
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("at the latest"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let out = session.play(
        "8999-12-20T20:00:00Z",
        &["/quiz post", ":advance 2d", "/leaderboard"],
    );
    assert_eq!(of_kind(&out, "question").len(), 1, "{out:#?}");
    assert_eq!(of_kind(&out, "reveal").len(), 1, "{out:#?}");
}

#[test]
fn a_line_that_is_not_utf8_is_named_by_number_and_the_next_line_runs() {
    let session = Session::new();
    let out = session.run(&["play", "--json"], b"/help\n/ans\xffwer B\n/help\n");
    assert!(out.status.success());
    let shown = texts(&messages(&out));
    let kinds: Vec<&str> = shown.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(kinds, ["info", "error", "info"], "{shown:?}");
    assert_eq!(shown[1].1, "line 2 is not UTF-8 text: skipped");
}

#[test]
fn as_counts_characters_not_bytes_and_refuses_invisible_ones() {
    let session = Session::new();
    let out = session.run(
        &["play", "--json"],
        ":as 가나다라마바사아자차카\n:as a\0b\n:as \u{200B}\n".as_bytes(),
    );
    let shown = texts(&messages(&out));
    assert_eq!(
        shown[0],
        ("info".into(), "now acting as 가나다라마바사아자차카".into())
    );
    assert_eq!(shown[1].0, "error", "{shown:?}");
    assert_eq!(shown[2].0, "error", "{shown:?}");
}

#[test]
fn a_channel_option_without_a_name_is_refused() {
    let session = Session::new();
    let out = session.play(
        "2026-11-24T08:00:00+09:00",
        &["/quiz schedule 09:00 Asia/Seoul channel:#", "/quiz status"],
    );
    let shown = texts(&out);
    assert_eq!(shown[0].0, "error", "{shown:?}");
    assert!(shown[0].1.contains("needs a channel name"), "{shown:?}");
    assert_eq!(shown[1].0, "error", "no schedule was made: {shown:?}");
}

#[test]
fn a_byte_order_mark_before_the_first_command_is_ignored() {
    let session = Session::new();
    let out = session.run(&["play", "--json"], "\u{feff}/help\n".as_bytes());
    assert_eq!(messages(&out)[0]["kind"], "info");
}

#[test]
fn an_error_reply_quotes_at_most_100_characters_of_a_huge_line() {
    let session = Session::new();
    let huge = format!(
        "/{}\n/team join {}\n",
        "x".repeat(1 << 20),
        "y".repeat(1 << 20)
    );
    let out = session.run(&["play", "--json"], huge.as_bytes());
    let shown = texts(&messages(&out));
    assert_eq!(shown.len(), 2, "{}", shown.len());
    for (kind, text) in shown {
        assert_eq!(kind, "error");
        assert!(
            text.chars().count() < 1_000,
            "{} characters",
            text.chars().count()
        );
        assert!(!text.contains(&"x".repeat(101)), "{text}");
    }
}
