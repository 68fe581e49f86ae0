//! What members see: practice, the daily question from post to reveal, leaderboards,
//! admin rights, languages, choose-two questions, and bad command text.

use serde_json::json;

use crate::fake::Call;
use crate::*;
use quizbot::quiz::{Command, Member, Place, QuizCommand, Request};

fn assert_shows(call: &Call, needle: &str) {
    assert!(
        call.shown().contains(needle),
        "expected {needle:?} in:\n{}",
        call.shown()
    );
}

#[tokio::test]
async fn practice_comes_privately_a_button_gives_feedback_and_next_gives_another() {
    let bot = Bot::start().await;
    let question = bot.ask(ALICE, GENERAL, "/practice").await;
    assert_eq!(question.method, "chat.postEphemeral");
    assert_eq!(question.channel(), GENERAL);
    assert_shows(&question, "Practice");
    assert_shows(
        &question,
        "*B)* Put a CloudFront distribution in front of S3",
    );
    // Escaped for mrkdwn.
    assert_shows(&question, "static website on S3 &amp; co?");
    let labels: Vec<String> = question.buttons().into_iter().map(|b| b.0).collect();
    assert_eq!(labels, ["A", "B", "C", "D", "🤔 Unsure"]);
    let (action, value) = button(&question, "B");
    assert_eq!(action, "qb:p:q-cache:B");
    assert_eq!(value, "B");

    bot.click(ALICE, GENERAL, "", (&action, &value), None).await;
    let feedback = bot.fake.private_to(ALICE).await;
    assert_shows(&feedback, "✅ Correct: B");
    assert_shows(&feedback, "CloudFront caches the content");
    assert_shows(
        &feedback,
        "❌ A) Turn on S3 Transfer Acceleration — It speeds up uploads",
    );
    let (next, value) = button(&feedback, "Next question");
    assert_eq!(next, "qb:next:practice");

    bot.click(ALICE, GENERAL, "", (&next, &value), None).await;
    let again = bot.fake.private_to(ALICE).await;
    assert_shows(&again, "Practice");
    assert_eq!(
        again.buttons().len(),
        5,
        "four letters and the unsure toggle"
    );
    // Nothing of this reached the channel.
    assert!(bot.fake.calls("chat.postMessage").is_empty());
}

#[tokio::test]
async fn only_admins_and_listed_members_may_schedule_the_daily_question_and_others_are_told_so_in_slacks_words()
 {
    let bot = Bot::start().await;
    let line = "/quiz schedule 09:00 Asia/Seoul mon-fri reveal=18:00";
    let refused = bot.ask(ALICE, GENERAL, line).await;
    // Slack's words: a workspace has admins and owners, not server managers.
    assert_shows(
        &refused,
        "Only workspace admins and owners (and members the bot's host allows in SLACK_ADMIN_USERS) can change the daily question.",
    );
    assert!(!refused.shown().contains("server"), "{}", refused.shown());
    assert!(bot.fake.calls("chat.postMessage").is_empty());

    // A workspace admin, per users.info.
    bot.command(DANA, GENERAL, line).await;
    let scheduled = bot.fake.posted_in(GENERAL).await;
    assert_shows(
        &scheduled,
        "This channel gets a daily question on mon-fri at 09:00 (Asia/Seoul), revealed at 18:00.",
    );
    assert_shows(&scheduled, "Next question: 09:00 (Asia/Seoul)");

    // A member named in SLACK_ADMIN_USERS.
    let status = bot.ask(EVE, GENERAL, "/quiz status").await;
    assert_shows(&status, "daily question on mon-fri at 09:00");
    // Another channel, named the way Slack escapes it.
    bot.command(
        EVE,
        GENERAL,
        &format!("/quiz schedule 07:30 UTC <#{STUDY}|study>"),
    )
    .await;
    bot.fake.posted_in(GENERAL).await;
    let study = bot.ask(EVE, STUDY, "/quiz status").await;
    assert_shows(&study, "every day at 07:30 (UTC)");
}

#[tokio::test]
async fn the_delivery_loop_posts_the_daily_question_with_buttons_when_the_clock_reaches_the_slot() {
    let bot = Bot::start().await;
    let _loop = bot.run_delivery_loop();
    bot.schedule(GENERAL).await;
    bot.clock.advance(jiff::SignedDuration::from_mins(1));
    let post = bot.fake.posted_in(GENERAL).await;
    assert_eq!(post.token.as_deref(), Some(BOT_TOKEN));
    assert_shows(&post, "📅 Daily question");
    assert_shows(&post, "What is the cheapest way");
    assert_shows(&post, "Reveal: 18:00 (Asia/Seoul)");
    let buttons = post.buttons();
    assert_eq!(buttons.len(), 5, "four letters and the unsure toggle");
    assert_eq!(buttons[4].0, "🤔 Unsure");
    for (i, (label, action, value)) in buttons.iter().take(4).enumerate() {
        let letter = ["A", "B", "C", "D"][i];
        assert_eq!(label, letter);
        assert_eq!(value, letter);
        assert!(
            action.starts_with("qb:r:") && action.ends_with(letter),
            "{action}"
        );
    }
    assert!(post.text().contains("What is the cheapest way"));
}

/// Schedules, posts at 09:00, and has Alice (B, by button), Bob (A, by /answer) and
/// Carol (B, by button) answer. Returns the posted question.
async fn play_until_answered(bot: &Bot) -> Call {
    bot.schedule(GENERAL).await;
    let post = bot.post_daily(GENERAL).await;
    let (b, _) = button(&post, "B");
    bot.click(ALICE, GENERAL, &ts(&post), (&b, "B"), None).await;
    bot.fake.private_to(ALICE).await;
    bot.command(BOB, GENERAL, "/answer A").await;
    bot.fake.private_to(BOB).await;
    bot.click(CAROL, GENERAL, &ts(&post), (&b, "B"), None).await;
    bot.fake.private_to(CAROL).await;
    post
}

#[tokio::test]
async fn answers_get_private_receipts_and_a_second_answer_is_told_it_already_answered() {
    let bot = Bot::start().await;
    bot.schedule(GENERAL).await;
    let post = bot.post_daily(GENERAL).await;
    let posts_before = bot.fake.calls("chat.postMessage").len();

    let (b, _) = button(&post, "B");
    bot.click(ALICE, GENERAL, &ts(&post), (&b, "B"), None).await;
    let receipt = bot.fake.private_to(ALICE).await;
    assert_eq!(receipt.method, "chat.postEphemeral");
    assert_eq!(receipt.channel(), GENERAL);
    assert_shows(&receipt, "Recorded your answer B");
    assert_shows(&receipt, "18:00 (Asia/Seoul)");

    let receipt = bot.ask(BOB, GENERAL, "/answer a").await;
    assert_shows(&receipt, "Recorded your answer A");

    let (c, _) = button(&post, "C");
    bot.click(ALICE, GENERAL, &ts(&post), (&c, "C"), None).await;
    let again = bot.fake.private_to(ALICE).await;
    assert_shows(
        &again,
        "You already answered B. Answers are locked until the reveal.",
    );

    // Nobody's choice was posted to the channel.
    assert_eq!(bot.fake.calls("chat.postMessage").len(), posts_before);
    let status = bot.ask(DANA, GENERAL, "/quiz status").await;
    assert_shows(&status, "2 answers so far");
}

#[tokio::test]
async fn the_reveal_shows_answer_votes_and_who_got_it_and_closes_the_question() {
    let bot = Bot::start().await;
    let post = play_until_answered(&bot).await;
    bot.advance_to("2026-11-24T18:00:00+09:00");
    bot.deliver().await;

    let reveal = bot.fake.posted_in(GENERAL).await;
    assert_the_reveal_of_three_answers(&reveal.shown());
    let labels: Vec<String> = reveal.buttons().into_iter().map(|b| b.0).collect();
    assert_eq!(
        labels,
        ["📌 Discuss at the meetup", "🚩 Report"],
        "the meetup pick and the report button"
    );

    let update = bot.fake.take("chat.update", |_| true).await;
    assert_eq!(update.channel(), GENERAL);
    assert_eq!(update.body["ts"], ts(&post).as_str());
    assert_shows(&update, "What is the cheapest way");
    assert_shows(&update, "Closed: the answer (B)");
    assert!(update.elements().is_empty(), "{:#?}", update.blocks());

    // A late click on the old buttons is told the answer, privately.
    let (d, _) = button(&post, "D");
    bot.click(BOB, GENERAL, &ts(&post), (&d, "D"), None).await;
    let late = bot.fake.private_to(BOB).await;
    assert_shows(&late, "revealed already; the answer was B");
}

#[tokio::test]
async fn a_failed_update_of_the_question_does_not_stop_the_reveal() {
    let bot = Bot::start().await;
    play_until_answered(&bot).await;
    bot.fake
        .fail("chat.update", None, usize::MAX, "message_not_found");
    bot.advance_to("2026-11-24T18:00:00+09:00");
    bot.deliver().await;
    bot.fake.posted_in(GENERAL).await;
    bot.fake.take("chat.update", |_| true).await;
    // Revealed once: nothing is due again.
    bot.advance_to("2026-11-24T18:30:00+09:00");
    bot.deliver().await;
    assert_eq!(bot.fake.calls("chat.postMessage").len(), 3);
}

#[tokio::test]
async fn the_leaderboard_counts_revealed_answers_by_member_and_team() {
    let bot = Bot::start().await;
    bot.ask(ALICE, GENERAL, "/team join Night Owls").await;
    bot.ask(CAROL, GENERAL, "/team join night owls").await;
    bot.ask(BOB, GENERAL, "/team join Early Birds").await;
    play_until_answered(&bot).await;

    let before = bot.ask(BOB, GENERAL, "/leaderboard").await;
    assert_shows(&before, "No revealed daily answers in this period yet.");

    bot.advance_to("2026-11-24T18:00:00+09:00");
    bot.deliver().await;
    let board = bot.ask(BOB, GENERAL, "/leaderboard").await;
    assert_eq!(board.method, "chat.postEphemeral");
    assert_shows(&board, "🏆 Leaderboard, this week");
    assert_shows(&board, "1. Alice: 10 pts (1/1 right)");
    assert_shows(&board, "1. Carol: 10 pts (1/1 right)");
    assert_shows(&board, "3. Bob: 0 pts (0/1 right)");

    let teams = bot.ask(BOB, GENERAL, "/leaderboard week teams").await;
    assert_shows(&teams, "🏆 Team leaderboard, this week");
    assert_shows(&teams, "1. Night Owls: 20 pts");

    // Another member, by the mention Slack sends.
    let stats = bot
        .ask(BOB, GENERAL, &format!("/stats <@{ALICE}|alice>"))
        .await;
    assert_shows(&stats, "📊 Stats for Alice");
    assert_shows(&stats, "100%");
}

#[tokio::test]
async fn stats_of_a_mentioned_member_work_in_both_forms_slack_sends_and_show_their_name() {
    let bot = Bot::start().await;
    // Short ids, as Slack may send them.
    bot.fake.add_user("U0ZOE", "Zoe", "en-US", false);
    bot.fake.add_user("U0NELL", "Nell", "en-US", false);
    bot.ask("U0ZOE", GENERAL, "/practice").await;
    bot.ask("U0ZOE", GENERAL, "/answer B").await;
    for typed in ["<@U0ZOE|zoe>", "<@U0ZOE>"] {
        let stats = bot.ask(BOB, GENERAL, &format!("/stats {typed}")).await;
        assert_shows(&stats, "📊 Stats for Zoe");
        assert_shows(&stats, "1 (0 daily, 1 practice and review)");
    }
    // A member who has not answered yet: their name, not the raw mention.
    for typed in ["<@U0NELL|nell>", "<@U0NELL>"] {
        let stats = bot.ask(BOB, GENERAL, &format!("/stats {typed}")).await;
        assert_shows(&stats, "📊 Stats for Nell");
        assert_shows(&stats, "No answers yet");
        assert!(!stats.shown().contains("&lt;@"), "{}", stats.shown());
    }
}

#[tokio::test]
async fn malformed_command_text_gets_a_private_reply_that_shows_the_right_form() {
    let bot = Bot::start().await;
    let bad = bot
        .ask(DANA, GENERAL, "/quiz schedule 9am Asia/Seoul")
        .await;
    assert_eq!(bad.method, "chat.postEphemeral");
    assert_shows(&bad, "9am");
    assert_shows(&bad, "Usage: /quiz schedule time:HH:MM timezone:Area/City");

    let bad = bot.ask(ALICE, GENERAL, "/answer Z").await;
    assert_shows(
        &bad,
        "`Z` is not one or more choice letters such as B or AC.",
    );
    assert_shows(&bad, "Usage: /answer choice");

    let bad = bot.ask(ALICE, GENERAL, "/leaderboard forever").await;
    assert_shows(&bad, "forever");
    assert_shows(&bad, "Usage: /leaderboard");

    // What members type reaches the parser as typed (Slack escapes it on the way).
    let joined = bot.ask(ALICE, GENERAL, "/team join R&amp;D &lt;3").await;
    assert_shows(&joined, "You joined team R&amp;D &lt;3.");

    let bad = bot.ask(ALICE, GENERAL, "/team join").await;
    assert_shows(&bad, "`name` is missing");

    let bad = bot
        .ask(DANA, GENERAL, "/quiz schedule 09:00 UTC #study")
        .await;
    assert_shows(&bad, "cannot tell which channel `#study` is");
    assert!(bot.fake.calls("chat.postMessage").is_empty());
}

#[tokio::test]
async fn an_umbrella_command_reads_its_text_as_the_command() {
    let bot = Bot::start().await;
    let question = bot.ask(ALICE, GENERAL, "/quizbot practice").await;
    assert_shows(&question, "Practice");
    let unknown = bot.ask(ALICE, GENERAL, "/quizbot dance").await;
    assert_shows(&unknown, "There is no command `/dance`");
    let empty = bot.ask(ALICE, GENERAL, "/quizbot").await;
    assert_shows(&empty, "Type a command such as /practice or /help.");
}

#[tokio::test]
async fn a_member_whose_slack_speaks_korean_gets_korean_replies() {
    let bot = Bot::start().await;
    let question = bot.ask(KIM, GENERAL, "/practice").await;
    assert_shows(&question, "🧠 연습 문제");
    assert_shows(&question, "S3 정적 웹사이트");
    let (a, value) = button(&question, "A");
    bot.click(KIM, GENERAL, "", (&a, &value), None).await;
    let feedback = bot.fake.private_to(KIM).await;
    assert_shows(&feedback, "❌ 아쉬워요. 정답은 B예요");
    button(&feedback, "다음 문제");
    let bad = bot.ask(KIM, GENERAL, "/answer Z").await;
    assert_shows(&bad, "사용법: /answer choice");
    // users.info is asked once per member, then cached.
    let asked = bot.fake.calls("users.info");
    assert_eq!(asked.iter().filter(|c| c.body["user"] == KIM).count(), 1);
    assert_eq!(asked[0].body["include_locale"], "true");
}

#[tokio::test]
async fn a_choose_two_question_has_checkboxes_and_a_submit_button_and_says_to_tick_them_in_both_languages()
 {
    let bot = Bot::start_with(Options {
        bank: PAIR.to_owned(),
        ..Options::default()
    })
    .await;
    let question = bot.ask(ALICE, GENERAL, "/practice").await;
    let elements = question.elements();
    assert_eq!(
        elements.len(),
        3,
        "checkboxes, Submit and Unsure: {elements:#?}"
    );
    assert_eq!(elements[0]["type"], "checkboxes");
    let options = elements[0]["options"].as_array().unwrap();
    assert_eq!(options.len(), 5);
    assert_eq!(options[0]["text"]["text"], "A");
    assert_eq!(options[2]["value"], "qb:p:q-pair:C");
    let (submit, picks) = button(&question, "Submit answer");
    assert_eq!(picks, "2");
    // The question says how to answer with what Slack shows: boxes and a Submit button.
    assert_shows(
        &question,
        "Choose 2. Tick 2 boxes and press Submit answer, or answer privately with /answer AC.",
    );
    assert!(!question.shown().contains("menu"), "{}", question.shown());

    // Submitting with nothing ticked says how many to tick.
    bot.click(ALICE, GENERAL, "", (&submit, &picks), None).await;
    let wrong = bot.fake.private_to(ALICE).await;
    assert_shows(
        &wrong,
        "This question asks you to choose 2: tick 2 boxes, then press Submit answer.",
    );

    // Ticking boxes is acknowledged and nothing more.
    bot.click(ALICE, GENERAL, "", ("qb-pick", ""), None).await;

    let option = |i: usize| json!({"text": options[i]["text"], "value": options[i]["value"]});
    let state = json!({"values": {"b2": {"qb-pick": {
        "type": "checkboxes",
        "selected_options": [option(0), option(2)],
    }}}});
    bot.click(ALICE, GENERAL, "", (&submit, &picks), Some(state))
        .await;
    let feedback = bot.fake.private_to(ALICE).await;
    assert_shows(&feedback, "✅ Correct: AC");
    assert!(bot.fake.calls("chat.postEphemeral").len() == 3);

    // In Korean too: boxes and a Submit button, not a menu (메뉴).
    let question = bot.ask(KIM, GENERAL, "/practice").await;
    assert_shows(
        &question,
        "2개를 고르세요. 체크박스 2개를 선택하고 '답 제출'을 누르거나 /answer AC 로 비공개로 답하세요.",
    );
    assert!(!question.shown().contains("메뉴"), "{}", question.shown());
}

#[tokio::test]
async fn a_slack_workspace_and_a_discord_server_keep_separate_leaderboards() {
    let bot = Bot::start().await;
    play_until_answered(&bot).await;

    // A Discord server on the same engine and database, driven by hand.
    let discord = |command: Command| Request {
        place: Place {
            server: "discord:G1".into(),
            channel: "discord:C1".into(),
        },
        member: Member {
            key: "discord:U9".into(),
            name: "Zed".into(),
        },
        lang: None,
        manager: true,
        command,
    };
    let engine = bot.engine.clone();
    let now = bot.clock.now();
    engine.handle(&discord(Command::Quiz(QuizCommand::Post)), now);
    for delivery in engine.tick(now) {
        if delivery.channel.starts_with("discord:") {
            engine.confirm_post(delivery.round, Some("m1".into()), now);
        }
    }
    engine.handle(
        &discord(quizbot::quiz::parse("/answer B", &|u| u.to_owned()).unwrap()),
        now,
    );

    // Both reveal at 18:00 (the Discord round's default reveal is later: reveal it now).
    bot.advance_to("2026-11-24T18:00:00+09:00");
    let now = bot.clock.now();
    engine.handle(&discord(Command::Quiz(QuizCommand::Reveal)), now);
    bot.deliver().await;
    for delivery in engine.tick(now) {
        if delivery.channel.starts_with("discord:") {
            engine.confirm_reveal(delivery.round, now);
        }
    }

    let slack_board = bot.ask(BOB, GENERAL, "/leaderboard").await;
    assert_shows(&slack_board, "Alice");
    assert!(
        !slack_board.shown().contains("Zed"),
        "{}",
        slack_board.shown()
    );

    let leaderboard = quizbot::quiz::parse("/leaderboard", &|u| u.to_owned()).unwrap();
    let discord_board = engine.handle(&discord(leaderboard), now);
    let text = discord_board[0].card.plain_text();
    assert!(text.contains("1. Zed: 10 pts"), "{text}");
    assert!(!text.contains("Alice") && !text.contains("Carol"), "{text}");
}

#[tokio::test]
async fn the_unsure_toggle_on_the_daily_question_answers_privately_in_the_member_s_words() {
    let bot = Bot::start().await;
    bot.schedule(GENERAL).await;
    let post = bot.post_daily(GENERAL).await;
    let (unsure, value) = button(&post, "🤔 Unsure");
    assert!(unsure.starts_with("qb:u:r"), "{unsure}");
    bot.click(ALICE, GENERAL, &ts(&post), (&unsure, &value), None)
        .await;
    let marked = bot.fake.private_to(ALICE).await;
    assert_shows(&marked, "Marked unsure");
}

#[tokio::test]
async fn a_mock_exam_is_private_shows_nothing_until_the_end_and_reports_with_the_misses() {
    let bot = Bot::start_with(Options {
        bank: format!("{ONE}{PAIR}"),
        ..Options::default()
    })
    .await;
    bot.command(ALICE, GENERAL, "/mock").await;
    let intro = bot.fake.private_to(ALICE).await;
    assert_shows(&intro, "the bank has only 2 questions");
    let first = bot.fake.private_to(ALICE).await;
    assert_shows(&first, "question 1 of 2");

    // Each question answered as the member would: the single one with its button (wrong),
    // the choose-two one with /answer (right). No feedback comes in between.
    let answer = |question: &Call| {
        if question.shown().contains("Choose 2") || question.shown().contains("two steps") {
            Err("/answer AC")
        } else {
            Ok(button(question, "A"))
        }
    };
    let mut question = first;
    let mut report = None;
    for position in 1..=2 {
        match answer(&question) {
            Ok((action, value)) => {
                bot.click(ALICE, GENERAL, "", (&action, &value), None).await;
            }
            Err(line) => {
                bot.command(ALICE, GENERAL, line).await;
            }
        }
        let next = bot.fake.private_to(ALICE).await;
        if position == 1 {
            assert_shows(&next, "question 2 of 2");
            assert!(!next.shown().contains("Correct") && !next.shown().contains("Wrong"));
            // /practice waits until the exam ends.
            let busy = bot.ask(ALICE, GENERAL, "/practice").await;
            assert_shows(&busy, "Your mock exam is running (1 of 2 answered");
            question = next;
        } else {
            report = Some(next);
        }
    }
    let report = report.unwrap();
    assert_shows(&report, "1 of 2 right (50 %)");
    assert_shows(&report, "Per domain");
    let misses = bot.fake.private_to(ALICE).await;
    assert_shows(&misses, "Misses");
    assert!(misses.shown().contains("1. task"), "{}", misses.shown());
    // Nothing of the exam reached the channel.
    assert!(bot.fake.calls("chat.postMessage").is_empty());
    let stopped = bot.ask(ALICE, GENERAL, "/mock stop").await;
    assert_shows(&stopped, "no mock exam running");
}
