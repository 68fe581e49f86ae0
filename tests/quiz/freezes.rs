//! Streak freezes: earned every 7 right days in a row, at most 2 held, spent on a missed
//! day so the streak survives, and told privately to the member once.

use quizbot::quiz::{CardKind, Reply};

use crate::support::{TestApp, at, play_day};

/// Plays `days` days from 2026-11-02 (a Monday): `R` ana answers right, `W` wrong, `-` she
/// misses the question (bo answers it), `.` a day with no round on the schedule.
fn play(app: &TestApp, days: &str) -> Vec<Reply> {
    let start: jiff::civil::Date = "2026-11-02".parse().unwrap();
    let mut notices = Vec::new();
    for (i, c) in days.chars().enumerate() {
        let day = start.checked_add(jiff::Span::new().days(i as i64)).unwrap();
        let answers: &[(&str, bool)] = match c {
            'R' => &[("ana", true)],
            'W' => &[("ana", false)],
            '.' => continue,
            _ => &[("bo", true)],
        };
        notices.extend(play_day(app, &day.to_string(), answers));
    }
    notices
}

fn scheduled(days: &str) -> TestApp {
    let app = TestApp::spawn();
    app.ask(
        "dana",
        &format!("/quiz schedule 09:00 Asia/Seoul days:{days} reveal:18:00"),
        at("2026-11-01T08:00:00+09:00"),
    );
    app
}

/// ana's stats card as text, and any other replies she got with it.
fn stats(app: &TestApp, now: &str) -> (String, Vec<Reply>) {
    let (stats, rest): (Vec<Reply>, Vec<Reply>) = app
        .ask("ana", "/stats", at(now))
        .into_iter()
        .partition(|r| r.card.kind == CardKind::Stats);
    (stats[0].card.plain_text(), rest)
}

#[test]
fn seven_right_days_in_a_row_earn_a_freeze_and_two_are_the_most_held() {
    let app = scheduled("every-day");
    play(&app, "RRRRRR");
    let (text, _) = stats(&app, "2026-11-07T23:30:00+09:00");
    assert!(text.contains("6 / 6 in a row"), "{text}");
    assert!(text.contains("0 of 2 held"), "{text}");
    play_day(&app, "2026-11-08", &[("ana", true)]);
    let (text, _) = stats(&app, "2026-11-08T23:30:00+09:00");
    assert!(text.contains("7 / 7 in a row"), "{text}");
    assert!(text.contains("1 of 2 held"), "{text}");
    // 21 days right in a row: three freezes earned, two held.
    let app = scheduled("every-day");
    play(&app, &"R".repeat(21));
    let (text, _) = stats(&app, "2026-11-22T23:30:00+09:00");
    assert!(text.contains("21 / 21 in a row"), "{text}");
    assert!(text.contains("2 of 2 held"), "{text}");
}

#[test]
fn a_missed_day_spends_a_freeze_the_streak_survives_and_the_member_is_told_once() {
    let app = scheduled("every-day");
    // Seven right days (11-02 to 11-08), a missed day (11-09), then right again.
    let notices = play(&app, "RRRRRRR-R");
    assert_eq!(notices.len(), 1, "{notices:#?}");
    let notice = notices[0].card.plain_text();
    assert!(notice.contains("Streak freeze used"), "{notice}");
    assert!(notice.contains("2026-11-09"), "{notice}");
    assert!(notice.contains("streak of 7 days goes on"), "{notice}");
    let (text, others) = stats(&app, "2026-11-10T23:30:00+09:00");
    assert!(others.is_empty(), "told once only: {others:#?}");
    assert!(text.contains("8 / 8 in a row"), "{text}");
    assert!(text.contains("0 of 2 held"), "{text}");
}

#[test]
fn a_second_miss_without_a_freeze_ends_the_streak() {
    let app = scheduled("every-day");
    play(&app, "RRRRRRR-R-");
    let (text, _) = stats(&app, "2026-11-11T23:30:00+09:00");
    assert!(text.contains("0 / 8 in a row"), "{text}");
    // A wrong answer is a day not answered right, like a miss.
    let app = scheduled("every-day");
    play(&app, "RRRRRRRWRW");
    let (text, _) = stats(&app, "2026-11-11T23:30:00+09:00");
    assert!(text.contains("0 / 8 in a row"), "{text}");
}

#[test]
fn days_without_a_scheduled_round_neither_extend_nor_break_a_streak() {
    // Monday to Friday only: the weekend has no round, so no freeze is needed for it.
    let app = scheduled("mon-fri");
    let notices = play(&app, "RRRRR..R");
    assert!(notices.is_empty(), "{notices:#?}");
    let (text, _) = stats(&app, "2026-11-09T23:30:00+09:00");
    assert!(text.contains("6 / 6 in a row"), "{text}");
    assert!(text.contains("0 of 2 held"), "{text}");
}

#[test]
fn freezes_are_computed_again_the_same_after_a_restart() {
    let app = scheduled("every-day");
    play(&app, "RRRRRRR-");
    let app = app.restart();
    let (text, _) = stats(&app, "2026-11-09T23:30:00+09:00");
    assert!(text.contains("7 / 7 in a row"), "{text}");
    assert!(text.contains("0 of 2 held"), "{text}");
}
