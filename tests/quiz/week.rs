//! The study group's week: the weekly recap (board, winners, every-day answerers, the
//! hardest question, meetup picks) once per channel and week, across crashes, restarts and
//! downtime; the 📌 picks; the reveal's thread; last week's board and weekly wins.

use quizbot::quiz::{Card, Delivery, DeliveryKind, RoundId};

use crate::support::{TestApp, at, right_and_wrong};

/// Mon-Fri at 09:00 Seoul, revealed at 18:00: the week of 2026-11-23 has its default
/// recap on Friday 2026-11-27 at 19:00.
const SCHEDULE: &str = "/quiz schedule 09:00 Asia/Seoul mon-fri reveal=18:00";
const SET: &str = "2026-11-22T12:00:00+09:00";
const DAYS: [&str; 5] = ["23", "24", "25", "26", "27"];

fn recaps(deliveries: &[(jiff::Timestamp, Delivery)]) -> Vec<&Delivery> {
    deliveries
        .iter()
        .map(|(_, d)| d)
        .filter(|d| matches!(d.kind, DeliveryKind::Recap { .. }))
        .collect()
}

fn field<'a>(card: &'a Card, heading: &str) -> &'a str {
    card.fields
        .iter()
        .find(|f| f.name.starts_with(heading))
        .map(|f| f.value.as_str())
        .unwrap_or_else(|| panic!("no field {heading} in {card:#?}"))
}

/// Posts and reveals one day of the week; `answers` are (member, right?) in order, `None`
/// for a member who skips the day. Returns the round and its question.
fn play_day(app: &TestApp, day: &str, answers: &[(&str, Option<bool>)]) -> (RoundId, String) {
    let posted = app.deliver(at(&format!("2026-11-{day}T09:00:00+09:00")));
    let post = posted
        .iter()
        .find(|d| d.kind == DeliveryKind::Post)
        .unwrap_or_else(|| panic!("no post on {day}: {posted:#?}"));
    let question = TestApp::posted_question(&posted);
    let (right, wrong) = right_and_wrong(&question);
    for (who, answer) in answers {
        if let Some(correct) = answer {
            let letters = if *correct { &right } else { &wrong };
            app.ask(
                who,
                &format!("/answer {letters}"),
                at(&format!("2026-11-{day}T10:00:00+09:00")),
            );
        }
    }
    let revealed = app.deliver(at(&format!("2026-11-{day}T18:00:00+09:00")));
    assert!(
        revealed
            .iter()
            .any(|d| matches!(d.kind, DeliveryKind::Reveal { .. })),
        "no reveal on {day}"
    );
    (post.round, question)
}

/// The week of 2026-11-23: ana 4 of 5 right, bo 4 of 4 (skips Friday), cy 1 of 5;
/// Wednesday's question is the hardest (1 of 3 right).
fn play_week(app: &TestApp) -> Vec<(RoundId, String)> {
    let (r, w) = (Some(true), Some(false));
    let days: [[Option<bool>; 3]; 5] = [[r, r, w], [r, r, w], [w, r, w], [r, r, r], [r, None, w]];
    DAYS.iter()
        .zip(days)
        .map(|(day, [ana, bo, cy])| play_day(app, day, &[("ana", ana), ("bo", bo), ("cy", cy)]))
        .collect()
}

fn scheduled_app() -> TestApp {
    let app = TestApp::spawn();
    app.ask("dana", SCHEDULE, at(SET));
    app.ask("ana", "/team join Owls", at(SET));
    app.ask("bo", "/team join Owls", at(SET));
    app.ask("cy", "/team join Larks", at(SET));
    app
}

#[test]
fn a_week_of_daily_rounds_gives_one_recap_with_the_winners_hardest_question_and_picks() {
    let app = scheduled_app();
    let rounds = play_week(&app);
    let pick = |who: &str, round: RoundId| {
        app.ask_one(
            who,
            &format!("/pin {}", round.0),
            at("2026-11-27T18:30:00+09:00"),
        )
        .card
        .body
    };
    // Tuesday's question picked by ana and bo; Thursday's by cy, and by bo, who takes it back.
    assert!(pick("ana", rounds[1].0).contains("1 picks so far"));
    assert!(pick("bo", rounds[1].0).contains("2 picks so far"));
    assert!(pick("cy", rounds[3].0).contains("1 picks so far"));
    assert!(pick("bo", rounds[3].0).contains("2 picks so far"));
    assert!(pick("bo", rounds[3].0).contains("took your meetup pick back (1 picks left)"));

    let run = app.run(
        at("2026-11-27T18:30:00+09:00"),
        at("2026-11-30T08:00:00+09:00"),
    );
    let recaps = recaps(&run);
    assert_eq!(recaps.len(), 1, "one recap: {run:#?}");
    let when = run
        .iter()
        .find(|(_, d)| matches!(d.kind, DeliveryKind::Recap { .. }))
        .map(|(t, _)| *t);
    assert_eq!(
        when,
        Some(at("2026-11-27T19:00:00+09:00")),
        "an hour after Friday's reveal"
    );
    let card = &recaps[0].card;
    assert!(card.title.contains("2026-11-23"), "{}", card.title);
    assert_eq!(field(card, "🏆"), "bo, ana");
    assert_eq!(
        field(card, "Board"),
        "1. bo: 40 pts (4/4 right)\n1. ana: 40 pts (4/5 right)\n3. cy: 10 pts (1/5 right)"
    );
    assert_eq!(
        field(card, "Teams"),
        "1. Owls: 80 pts (8/9 right)\n2. Larks: 10 pts (1/5 right)"
    );
    assert_eq!(field(card, "🔥"), "ana, cy");
    let hardest = field(card, "🧗");
    assert!(hardest.starts_with(&rounds[2].1), "{hardest}");
    assert!(hardest.contains("1 of 3 right (33%)"), "{hardest}");
    assert!(
        hardest.contains(&format!("round {}", rounds[2].0)),
        "{hardest}"
    );
    let picks: Vec<&str> = field(card, "📌").lines().collect();
    assert_eq!(picks.len(), 2, "{picks:?}");
    assert!(
        picks[0].starts_with(&format!("📌 2 · {}", rounds[1].1)),
        "{picks:?}"
    );
    assert!(
        picks[1].starts_with(&format!("📌 1 · {}", rounds[3].1)),
        "{picks:?}"
    );

    // The next week: last week's board and its winners, and ana's weekly win in /stats.
    let next = at("2026-12-01T12:00:00+09:00");
    let board = app.ask_one("cy", "/leaderboard week last", next).card;
    assert!(board.title.contains("last week"), "{}", board.title);
    assert!(
        board.body.contains("1. bo: 40 pts (4/4 right)"),
        "{}",
        board.body
    );
    assert_eq!(field(&board, "🏆"), "ana, bo");
    let stats = app.ask_one("ana", "/stats", next).card;
    assert_eq!(
        field(&stats, "Weekly wins"),
        "1 week(s), latest the weeks of 2026-11-23"
    );
    let stats = app.ask_one("cy", "/stats", next).card;
    assert!(!stats.fields.iter().any(|f| f.name == "Weekly wins"));
}

#[test]
fn a_crash_between_deciding_and_confirming_the_recap_posts_it_once() {
    let app = scheduled_app();
    play_week(&app);
    let decided = app.engine.tick(at("2026-11-27T19:00:00+09:00"));
    let first: Vec<_> = decided
        .iter()
        .filter_map(|d| match d.kind {
            DeliveryKind::Recap { recap } => Some((recap, d.card.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(first.len(), 1, "{decided:#?}");
    // The process dies before the platform confirms; another one starts on the file.
    let app = app.restart();
    let again = app.deliver(at("2026-11-27T19:05:00+09:00"));
    let second: Vec<_> = again
        .iter()
        .filter_map(|d| match d.kind {
            DeliveryKind::Recap { recap } => Some((recap, d.card.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(second, first, "the same recap, not a second one");
    let later = app.run(
        at("2026-11-27T19:06:00+09:00"),
        at("2026-11-30T08:00:00+09:00"),
    );
    assert!(recaps(&later).is_empty(), "{later:#?}");
}

#[test]
fn a_week_of_downtime_catches_the_recap_up_once() {
    let app = scheduled_app();
    play_week(&app);
    // Down from just after Friday's reveal until the next Wednesday morning.
    let app = app.restart();
    let back = app.run(
        at("2026-12-02T08:00:00+09:00"),
        at("2026-12-02T08:30:00+09:00"),
    );
    let caught = recaps(&back);
    assert_eq!(caught.len(), 1, "{back:#?}");
    assert!(caught[0].card.title.contains("2026-11-23"));
    assert_eq!(field(&caught[0].card, "🏆"), "bo, ana");
    // The week back gets its own recap on Friday, once; nothing more for the old week.
    let rest = app.run(
        at("2026-12-02T08:30:00+09:00"),
        at("2026-12-07T08:00:00+09:00"),
    );
    let recaps = recaps(&rest);
    assert_eq!(recaps.len(), 1, "{rest:#?}");
    assert!(recaps[0].card.title.contains("2026-11-30"));
}

#[test]
fn a_week_with_no_revealed_question_has_no_recap() {
    // Down the whole week of 2026-11-23, past its recap moment.
    let app = scheduled_app().restart();
    let back = app.run(
        at("2026-11-30T08:00:00+09:00"),
        at("2026-11-30T08:30:00+09:00"),
    );
    assert!(recaps(&back).is_empty(), "{back:#?}");
    // The week of 11-30: every post is decided but no platform ever confirms one, so
    // nothing opens and nothing is revealed.
    for day in ["12-01", "12-02", "12-03", "12-04"] {
        for time in ["09:00", "18:00", "19:00", "23:00"] {
            let due = app.engine.tick(at(&format!("2026-{day}T{time}:00+09:00")));
            assert!(
                !due.iter()
                    .any(|d| matches!(d.kind, DeliveryKind::Recap { .. })),
                "{due:#?}"
            );
        }
    }
}

#[test]
fn a_pin_before_the_reveal_is_refused_and_the_thread_comes_only_with_the_reveal() {
    let app = scheduled_app();
    let posted = app.deliver(at("2026-11-23T09:00:00+09:00"));
    let round = posted[0].round;
    let early = app.ask_one(
        "ana",
        &format!("/pin {}", round.0),
        at("2026-11-23T10:00:00+09:00"),
    );
    assert!(
        early.card.body.contains("not been revealed yet"),
        "{}",
        early.card.body
    );
    let revealed = app.deliver(at("2026-11-23T18:00:00+09:00"));
    let Some(DeliveryKind::Reveal { thread, .. }) = revealed.first().map(|d| &d.kind) else {
        panic!("no reveal: {revealed:#?}")
    };
    let name = thread.as_deref().expect("threads are on by default");
    assert!(name.starts_with("💬 2026-11-23 · "), "{name}");
    assert!(name.chars().count() <= 100);

    // threads:off: the next reveal opens none.
    app.ask(
        "dana",
        &format!("{SCHEDULE} threads:off"),
        at("2026-11-23T19:00:00+09:00"),
    );
    app.deliver(at("2026-11-24T09:00:00+09:00"));
    let revealed = app.deliver(at("2026-11-24T18:00:00+09:00"));
    assert!(
        matches!(
            revealed.first().map(|d| &d.kind),
            Some(DeliveryKind::Reveal { thread: None, .. })
        ),
        "{revealed:#?}"
    );
    let status = app.ask_one("dana", "/quiz status", at("2026-11-24T19:00:00+09:00"));
    assert!(
        status
            .card
            .body
            .contains("Threads: off (set with threads:off"),
        "{}",
        status.card.body
    );
}

#[test]
fn a_process_serving_other_servers_neither_sends_nor_wakes_for_this_server_s_recap() {
    let app = scheduled_app();
    play_week(&app);
    let elsewhere = app
        .engine
        .delivering_for(quizbot::quiz::Scope::only(|server| {
            server == "discord:elsewhere"
        }));
    let recap_time = at("2026-11-27T19:00:00+09:00");
    // The other process decides the week's recap (decisions are shared) but does not send it.
    let sent = elsewhere.tick(recap_time);
    assert!(
        !sent
            .iter()
            .any(|d| matches!(d.kind, DeliveryKind::Recap { .. })),
        "another server's recap was handed out: {sent:#?}"
    );
    // Nor does the undelivered recap keep it awake.
    let later = at("2026-11-27T19:05:00+09:00");
    assert!(
        elsewhere.next_due(later).is_none_or(|due| due > later),
        "woke for another server's recap"
    );
    // This server's own process still posts it.
    let own = app.deliver(at("2026-11-27T19:06:00+09:00"));
    assert_eq!(
        recaps(&own.iter().map(|d| (later, d.clone())).collect::<Vec<_>>()).len(),
        1
    );
}
