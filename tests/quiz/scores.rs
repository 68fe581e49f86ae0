//! Points, leaderboards (members and teams, by period), stats and streaks.

use quizbot::quiz::{CardKind, Entry};

use crate::support::{TestApp, at, play_day, question_id, right_and_wrong};

fn entries(app: &TestApp, line: &str, now: &str) -> Vec<(usize, String, u64)> {
    let reply = app.ask_one("ana", line, at(now));
    let CardKind::Leaderboard { entries } = reply.card.kind else {
        panic!("not a leaderboard: {:?}", reply.card)
    };
    entries
        .into_iter()
        .map(|Entry { rank, name, points }| (rank, name, points))
        .collect()
}

fn scheduled_app() -> TestApp {
    let app = TestApp::spawn();
    app.ask(
        "ana",
        "/quiz schedule 09:00 Asia/Seoul reveal:18:00",
        at("2026-11-24T08:00:00+09:00"),
    );
    app
}

#[test]
fn the_leaderboard_ranks_right_daily_answers_and_shares_ranks_on_ties() {
    let app = scheduled_app();
    play_day(
        &app,
        "2026-11-24",
        &[("ana", true), ("bo", false), ("cy", true)],
    );
    assert_eq!(
        entries(&app, "/leaderboard day", "2026-11-24T23:00:00+09:00"),
        [
            (1, "ana".into(), 10),
            (1, "cy".into(), 10),
            (3, "bo".into(), 0)
        ]
    );
}

#[test]
fn nothing_counts_on_the_board_before_the_reveal() {
    let app = scheduled_app();
    let posted: Vec<_> = app
        .run(
            at("2026-11-24T08:59:00+09:00"),
            at("2026-11-24T09:00:00+09:00"),
        )
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    let (right, _) = right_and_wrong(&TestApp::posted_question(&posted));
    app.ask(
        "bo",
        &format!("/answer {right}"),
        at("2026-11-24T10:00:00+09:00"),
    );
    assert!(entries(&app, "/leaderboard day", "2026-11-24T10:01:00+09:00").is_empty());
    let stats = app.ask_one("bo", "/stats", at("2026-11-24T10:01:00+09:00"));
    assert!(
        stats.card.body.contains("No answers yet"),
        "stats must not leak: {}",
        stats.card.plain_text()
    );
}

#[test]
fn practice_counts_in_stats_but_not_on_the_leaderboard() {
    let app = scheduled_app();
    let q = app.ask_one("bo", "/practice domain:secure", at("2026-11-24T10:00:00Z"));
    let (right, _) = right_and_wrong(&crate::support::question_id(&q.card));
    app.ask_one(
        "bo",
        &format!("/answer {right}"),
        at("2026-11-24T10:01:00Z"),
    );
    assert!(entries(&app, "/leaderboard all", "2026-11-24T10:02:00Z").is_empty());
    let stats = app
        .ask_one("bo", "/stats", at("2026-11-24T10:02:00Z"))
        .card
        .plain_text();
    assert!(
        stats.contains("1 (0 daily, 1 practice and review)"),
        "{stats}"
    );
    assert!(stats.contains("secure: 100% (1/1)"), "{stats}");
    assert!(stats.contains("KMS: 100% (1/1)"), "{stats}");
}

#[test]
fn periods_start_at_local_midnight_monday_and_the_first_of_the_month() {
    let app = scheduled_app();
    play_day(&app, "2026-11-24", &[("ana", true)]); // Tuesday
    play_day(&app, "2026-11-30", &[("bo", true)]); // the next Monday
    play_day(&app, "2026-12-01", &[("cy", true)]); // Tuesday, a new month
    let now = "2026-12-01T23:00:00+09:00";
    let names =
        |line: &str| -> Vec<String> { entries(&app, line, now).into_iter().map(|e| e.1).collect() };
    assert_eq!(names("/leaderboard day"), ["cy"]);
    assert_eq!(names("/leaderboard week"), ["bo", "cy"]);
    assert_eq!(names("/leaderboard month"), ["cy"]);
    assert_eq!(names("/leaderboard all"), ["ana", "bo", "cy"]);
}

#[test]
fn teams_add_up_their_members_points() {
    let app = scheduled_app();
    for (who, team) in [("ana", "Night Owls"), ("cy", "night owls"), ("bo", "Larks")] {
        let reply = app.ask_one(
            who,
            &format!("/team join {team}"),
            at("2026-11-24T08:30:00+09:00"),
        );
        assert!(
            reply.card.body.contains("You joined team"),
            "{}",
            reply.card.body
        );
    }
    play_day(
        &app,
        "2026-11-24",
        &[("ana", true), ("bo", false), ("cy", true)],
    );
    assert_eq!(
        entries(&app, "/leaderboard all teams", "2026-11-24T23:00:00+09:00"),
        [(1, "Night Owls".into(), 20), (2, "Larks".into(), 0)]
    );
    let list = app
        .ask_one("ana", "/team list", at("2026-11-24T23:00:00+09:00"))
        .card
        .body;
    assert!(list.contains("Night Owls (2): ana, cy"), "{list}");
    let moved = app
        .ask_one(
            "bo",
            "/team join Night Owls",
            at("2026-11-24T23:00:00+09:00"),
        )
        .card
        .body;
    assert!(
        moved.contains("moved from team Larks to team Night Owls"),
        "{moved}"
    );
    let list = app
        .ask_one("ana", "/team list", at("2026-11-24T23:00:00+09:00"))
        .card
        .body;
    assert!(!list.contains("Larks"), "an empty team disappears: {list}");
    app.ask_one("bo", "/team leave", at("2026-11-24T23:00:00+09:00"));
    let twice = app.ask_one("bo", "/team leave", at("2026-11-24T23:00:00+09:00"));
    assert!(
        twice.card.body.contains("not in a team"),
        "{}",
        twice.card.body
    );
}

#[test]
fn stats_show_accuracy_by_domain_and_service_and_the_daily_streak() {
    let app = scheduled_app();
    play_day(&app, "2026-11-24", &[("ana", true)]);
    play_day(&app, "2026-11-25", &[("ana", false)]);
    play_day(&app, "2026-11-26", &[("ana", true)]);
    play_day(&app, "2026-11-27", &[("ana", true)]);
    let stats = app
        .ask_one("bo", "/stats ana", at("2026-11-27T23:00:00+09:00"))
        .card
        .plain_text();
    assert!(stats.contains("Stats for ana"), "{stats}");
    assert!(
        stats.contains("4 (4 daily, 0 practice and review)"),
        "{stats}"
    );
    assert!(stats.contains("75%"), "{stats}");
    assert!(stats.contains("2 / 2 in a row"), "{stats}");
    // A missed day ends the current streak.
    play_day(&app, "2026-11-28", &[]);
    let stats = app
        .ask_one("ana", "/stats", at("2026-11-28T23:00:00+09:00"))
        .card
        .plain_text();
    assert!(stats.contains("0 / 2 in a row"), "{stats}");
}

#[test]
fn an_answer_to_a_posted_round_counts_as_a_daily_answer_on_the_board_in_stats_and_streak() {
    let app = scheduled_app();
    play_day(&app, "2026-11-24", &[("bo", true)]);
    // The next day a manager posts a round by hand; bo answers only that one.
    app.ask("ana", "/quiz post", at("2026-11-25T07:00:00+09:00"));
    let posted = app.deliver(at("2026-11-25T07:00:00+09:00"));
    let (right, _) = right_and_wrong(&TestApp::posted_question(&posted));
    let receipt = app.ask_one(
        "bo",
        &format!("/answer {right}"),
        at("2026-11-25T07:10:00+09:00"),
    );
    assert_eq!(
        receipt.card.kind,
        CardKind::Receipt,
        "{}",
        receipt.card.body
    );
    app.ask("ana", "/quiz reveal", at("2026-11-25T07:20:00+09:00"));
    app.deliver(at("2026-11-25T07:20:00+09:00"));
    assert_eq!(
        entries(&app, "/leaderboard week", "2026-11-25T07:30:00+09:00"),
        [(1, "bo".into(), 20)]
    );
    let stats = app
        .ask_one("bo", "/stats", at("2026-11-25T07:30:00+09:00"))
        .card
        .plain_text();
    assert!(
        stats.contains("2 (2 daily, 0 practice and review)"),
        "{stats}"
    );
    assert!(stats.contains("2 / 2 in a row"), "{stats}");
}

#[test]
fn stats_show_accuracy_per_task_statement_beside_domain_and_service() {
    let app = TestApp::spawn();
    for (minute, task) in ["1.1", "3.2"].iter().enumerate() {
        let now = at(&format!("2026-11-24T10:0{minute}:00Z"));
        let q = app.ask_one("ana", &format!("/practice task:{task}"), now);
        let (right, wrong) = right_and_wrong(&question_id(&q.card));
        let letters = if *task == "1.1" { right } else { wrong };
        app.ask_one("ana", &format!("/answer {letters}"), now);
    }
    let stats = app
        .ask_one("ana", "/stats", at("2026-11-24T11:00:00Z"))
        .card
        .plain_text();
    assert!(stats.contains("By task statement"), "{stats}");
    assert!(stats.contains("1.1: 100% (1/1)"), "{stats}");
    // The readiness figure sits beside them, pointing to /readiness.
    assert!(stats.contains("Exam readiness"), "{stats}");
    assert!(stats.contains("predicted recall on 2026-12-24"), "{stats}");
    assert!(stats.contains("3.2: 0% (0/1)"), "{stats}");
}

#[test]
fn only_managers_may_change_the_daily_question() {
    let app = TestApp::spawn();
    let mut request = app.request("bo", "/quiz schedule 09:00 Asia/Seoul", None);
    request.manager = false;
    let reply = app.engine.handle(&request, at("2026-11-24T08:00:00Z"));
    assert!(
        reply[0].card.body.contains("Only server managers"),
        "{}",
        reply[0].card.body
    );
    assert!(app.engine.next_due(at("2026-11-24T08:00:00Z")).is_none());
}

#[test]
fn team_names_that_look_alike_are_one_team_and_invisible_characters_are_refused() {
    let app = TestApp::spawn();
    let now = at("2026-11-24T10:00:00+09:00");
    // Full-width letters and a ligature read as "Owls" and "office": NFKC makes them one.
    for (first, second, members) in [
        ("Ｏｗｌｓ", "owls", ["ana", "cy"]),
        ("ﬃce", "ffice", ["bo", "dee"]),
    ] {
        app.ask_one(members[0], &format!("/team join {first}"), now);
        let joined = app.ask_one(members[1], &format!("/team join {second}"), now);
        let body = &joined.card.body;
        assert!(body.contains(&format!("You joined team {first}")), "{body}");
    }
    for sneaky in [
        "Ow\u{200B}ls",
        "\u{202E}slwO",
        "Owls\u{2066}",
        "\u{3164}",
        "Ow\u{00AD}ls",
    ] {
        let parsed = quizbot::quiz::parse(&format!("/team join {sneaky}"), &|u| u.to_owned());
        let error = parsed.expect_err(sneaky);
        assert!(
            error.to_string().contains("1 to 32 visible characters"),
            "{error}"
        );
    }
    let list = app.ask_one("cy", "/team list", now).card.body;
    assert!(list.contains("Ｏｗｌｓ (2): ana, cy"), "{list}");
    assert!(list.contains("ﬃce (2): bo, dee"), "{list}");
}
