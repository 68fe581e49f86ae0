//! What members see: registration, practice, the daily question from post to reveal,
//! leaderboards, who may schedule, Korean, and choose-two questions.

use serde_json::json;

use crate::fake::{Call, GUILD};
use crate::*;

fn assert_shows(call: &Call, needle: &str) {
    assert!(
        call.shown().contains(needle),
        "expected {needle:?} in:\n{}",
        call.shown()
    );
}

fn valid_name(name: &str) -> bool {
    (1..=32).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c == '-' || c == '_' || c.is_alphanumeric() && !c.is_uppercase())
}

fn valid_description(text: &str) -> bool {
    (1..=100).contains(&text.chars().count())
}

/// Checks a command or option (and its options) against Discord's naming rules.
fn check(entry: &Value, path: &str) {
    let name = entry["name"].as_str().unwrap_or_default();
    let path = format!("{path}/{name}");
    assert!(valid_name(name), "{path}: bad name");
    assert!(
        valid_description(entry["description"].as_str().unwrap_or_default()),
        "{path}: bad description {}",
        entry["description"]
    );
    // Commands, subcommands and options all have Korean names: a Korean member never
    // reads `/퀴즈 예약 time: timezone:`.
    let ko = &entry["name_localizations"]["ko"];
    assert!(ko.is_string(), "{path}: no Korean name");
    assert!(
        valid_name(ko.as_str().unwrap()),
        "{path}: bad Korean name {ko}"
    );
    for choice in entry["choices"].as_array().into_iter().flatten() {
        let ko = &choice["name_localizations"]["ko"];
        assert!(
            ko.as_str()
                .is_some_and(|n| (1..=100).contains(&n.chars().count())),
            "{path}: the choice {} has no Korean name",
            choice["name"]
        );
    }
    let ko = &entry["description_localizations"]["ko"];
    assert!(
        ko.as_str().is_some_and(valid_description),
        "{path}: bad Korean description {ko}"
    );
    for option in entry["options"].as_array().into_iter().flatten() {
        check(option, &path);
    }
}

#[tokio::test]
async fn login_registers_every_command_option_and_choice_with_korean_names_and_server_only_contexts()
 {
    let bot = Bot::start().await;
    let registration = bot.fake.registered().await;
    assert_eq!(
        registration.path,
        format!("/applications/{}/guilds/{GUILD}/commands", fake::APP)
    );
    assert_eq!(
        registration.authorization.as_deref(),
        Some(&*format!("Bot {TOKEN}"))
    );
    let commands = registration.body.as_array().unwrap();
    let names: Vec<&str> = commands
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "practice",
            "answer",
            "review",
            "readiness",
            "exam-date",
            "leaderboard",
            "stats",
            "team",
            "quiz",
            "mock",
            "export",
            "help"
        ]
    );
    for command in commands {
        check(command, "");
    }
    let find = |name: &str| commands.iter().find(|c| c["name"] == name).unwrap();
    // /quiz is hidden from members without Manage Server (bit 5).
    assert_eq!(find("quiz")["default_member_permissions"], "32");
    assert!(find("practice")["default_member_permissions"].is_null());
    let subs: Vec<&str> = find("quiz")["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        subs,
        [
            "schedule",
            "unschedule",
            "status",
            "post",
            "reveal",
            "reports"
        ]
    );
    // Typed options: choices for domain, period and board; autocomplete for the rest.
    let practice = find("practice")["options"].as_array().unwrap().clone();
    let domains: Vec<&str> = practice[0]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        domains,
        ["secure", "resilient", "high-performing", "cost-optimized"]
    );
    // The task option offers the exam guide's 14 task statements, titled in Korean too.
    assert_eq!(practice[1]["name"], "task");
    let tasks = practice[1]["choices"].as_array().unwrap();
    assert_eq!(tasks.len(), 14);
    assert_eq!(
        tasks[6]["name"],
        "3.2 Design high-performing and elastic compute solutions"
    );
    assert_eq!(
        tasks[6]["name_localizations"]["ko"],
        "3.2 고성능의 탄력적인 컴퓨팅 솔루션 설계"
    );
    assert_eq!(practice[2]["autocomplete"], true);
    let board = &find("leaderboard")["options"][1];
    assert_eq!(board["choices"].as_array().unwrap().len(), 2);
    let schedule = &find("quiz")["options"][0]["options"];
    assert_eq!(schedule[1]["name"], "timezone");
    assert_eq!(schedule[1]["autocomplete"], true);
    // The channel option offers text and announcement channels only.
    let channel = schedule
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "channel")
        .unwrap();
    assert_eq!(channel["type"], 7);
    assert_eq!(channel["channel_types"], json!([0, 5]));
    // Server-only commands are offered in servers only (context 0); the rest also in DMs.
    for name in ["quiz", "leaderboard", "team"] {
        assert_eq!(find(name)["contexts"], json!([0]), "/{name}");
    }
    // /mock start offers the three sizes, named in Korean too; /mock stop gives up.
    let mock = find("mock");
    assert_eq!(mock["name_localizations"]["ko"], "모의고사");
    assert_eq!(mock["options"][0]["name"], "start");
    assert_eq!(mock["options"][1]["name"], "stop");
    let counts = mock["options"][0]["options"][0]["choices"]
        .as_array()
        .unwrap();
    let counts: Vec<&str> = counts.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(counts, ["10", "20", "65"]);
    assert_eq!(find("export")["name_localizations"]["ko"], "내보내기");
    for name in [
        "practice",
        "answer",
        "review",
        "readiness",
        "exam-date",
        "stats",
        "mock",
        "export",
        "help",
    ] {
        let contexts = &find(name)["contexts"];
        assert!(
            contexts.is_null() || contexts.as_array().unwrap().contains(&json!(1)),
            "/{name} works in a DM with the bot: {contexts}"
        );
    }
}

#[tokio::test]
async fn practice_by_task_statement_serves_only_that_task_s_questions() {
    let bot = Bot::start_with(&format!("{ONE}{PAIR}")).await;
    // Task 2.1 is the fourth choice (index 3): the choose-two question.
    let task = json!([{"name": "task", "type": 4, "value": 3}]);
    let question = bot.ask(ALICE, GENERAL, "practice", task).await;
    assert!(question.ephemeral());
    assert_shows(&question, "single-AZ database tier");
    assert_shows(&question, "task 2.1");
}

#[tokio::test]
async fn the_unsure_toggle_marks_the_answer_that_follows_privately() {
    let bot = Bot::start().await;
    let question = bot.ask(ALICE, GENERAL, "practice", json!([])).await;
    let unsure = button(&question, "🤔 Unsure");
    assert_eq!(unsure, "qb:u:pq-cache");
    let marked = bot.click(ALICE, GENERAL, &question, &unsure).await;
    assert!(marked.ephemeral());
    assert_shows(&marked, "Marked unsure");
    let feedback = bot
        .click(ALICE, GENERAL, &question, &button(&question, "B"))
        .await;
    assert_shows(
        &feedback,
        "you were unsure: this question goes into /review",
    );
}

#[tokio::test]
async fn practice_is_ephemeral_a_button_gives_feedback_and_next_gives_another() {
    let bot = Bot::start().await;
    let question = bot.ask(ALICE, GENERAL, "practice", json!([])).await;
    assert_eq!(question.body["type"], 4);
    assert!(question.ephemeral());
    assert_shows(&question, "Practice");
    assert_shows(
        &question,
        "**B)** Put a CloudFront distribution in front of S3",
    );
    let labels: Vec<String> = question.buttons().into_iter().map(|b| b.0).collect();
    assert_eq!(labels, ["A", "B", "C", "D", "🤔 Unsure"]);
    let b = button(&question, "B");
    assert_eq!(b, "qb:p:q-cache:B");

    let feedback = bot.click(ALICE, GENERAL, &question, &b).await;
    assert!(feedback.ephemeral());
    assert_shows(&feedback, "✅ Correct: B");
    assert_shows(&feedback, "CloudFront caches the content");
    assert_shows(
        &feedback,
        "❌ A) Turn on S3 Transfer Acceleration — It speeds up uploads",
    );
    let next = button(&feedback, "Next question");
    assert_eq!(next, "qb:next:practice");

    let again = bot.click(ALICE, GENERAL, &feedback, &next).await;
    assert!(again.ephemeral());
    assert_shows(&again, "Practice");
    assert_eq!(
        again.buttons().len(),
        5,
        "four letters and the unsure toggle"
    );
    // Nothing of this reached the channel.
    assert!(
        bot.fake
            .calls()
            .iter()
            .all(|c| !c.path.starts_with("/channels/"))
    );
}

/// One question as long as the bank allows: six options, each explained at length.
fn long_question() -> String {
    let choices: Vec<String> = (0..6)
        .map(|i| format!("\"{}\"", format!("option {i} ").repeat(32).trim_end()))
        .collect();
    let why: Vec<String> = (0..6)
        .map(|i| match i {
            1 => "\"\"".to_owned(),
            _ => format!("\"{}\"", format!("because {i} ").repeat(48).trim_end()),
        })
        .collect();
    let language = format!(
        "prompt = \"Which option?\"\nchoices = [{}]\nexplanation = \"{}\"\nwhy_wrong = [{}]\n",
        choices.join(", "),
        "explained ".repeat(190).trim_end(),
        why.join(", "),
    );
    format!(
        "[[question]]\nid = \"q-long\"\ndomain = \"high-performing\"\ntask = \"3.1\"\n\
         services = [\"S3\"]\nanswer = [\"B\"]\n\n[question.en]\n{language}\n[question.ko]\n{language}"
    )
}

#[tokio::test]
async fn feedback_too_long_for_one_message_goes_on_in_a_private_follow_up_with_the_next_button() {
    let bot = Bot::start_with(&long_question()).await;
    let question = bot.ask(ALICE, GENERAL, "practice", json!([])).await;
    let a = button(&question, "A");
    let feedback = bot.click(ALICE, GENERAL, &question, &a).await;
    assert!(feedback.ephemeral());
    assert_shows(&feedback, "❌ Not quite: the answer is B");
    assert!(feedback.buttons().is_empty(), "the button comes last");
    let token = feedback.path.split('/').nth(3).unwrap().to_owned();
    let more = bot.fake.followup(&token).await;
    assert!(more.ephemeral(), "the follow-up is private too");
    assert!(button(&more, "Next question").starts_with("qb:next"));
    let shown = format!("{}\n{}", feedback.shown(), more.shown());
    for i in [0, 2, 3, 4, 5] {
        let line = format!(
            "{} — {}",
            format!("option {i} ").repeat(32).trim_end(),
            format!("because {i} ").repeat(48).trim_end()
        );
        assert!(shown.contains(&line), "option {i} whole in:\n{shown}");
    }
}

#[tokio::test]
async fn a_member_without_manage_server_cannot_schedule_and_a_manager_can() {
    let bot = Bot::start().await;
    let options = json!([{"type": 1, "name": "schedule", "options": [
        opt("time", "09:00"), opt("timezone", "Asia/Seoul"), opt("days", "mon-fri"),
    ]}]);
    let refused = bot.ask(ALICE, GENERAL, "quiz", options.clone()).await;
    assert!(refused.ephemeral());
    assert_shows(
        &refused,
        "Only server managers can change the daily question.",
    );

    let accepted = bot.ask(DANA, GENERAL, "quiz", options).await;
    assert!(!accepted.ephemeral(), "the new schedule is announced");
    assert_shows(
        &accepted,
        "This channel gets a daily question on mon-fri at 09:00 (Asia/Seoul)",
    );

    let status = bot.quiz_status(GENERAL).await;
    assert_shows(&status, "daily question on mon-fri at 09:00");
    // Another channel, picked from Discord's channel option.
    let other = json!([{"type": 1, "name": "schedule", "options": [
        opt("time", "07:30"), opt("timezone", "UTC"),
        {"name": "channel", "type": 7, "value": STUDY},
    ]}]);
    bot.ask_resolved(
        DANA,
        GENERAL,
        "quiz",
        other,
        json!({"channels": {STUDY: {
            "id": STUDY, "name": "study", "type": 0, "permissions": "3072",
        }}}),
    )
    .await;
    let study = bot.quiz_status(STUDY).await;
    assert_shows(&study, "every day at 07:30 (UTC)");
}

#[tokio::test]
async fn stats_of_another_member_show_their_name_even_before_they_answer() {
    let bot = Bot::start().await;
    let options = json!([{"name": "user", "type": 6, "value": BOB.id}]);
    let resolved = json!({"users": {BOB.id: {
        "id": BOB.id, "username": "bob", "global_name": BOB.name,
        "discriminator": "0", "avatar": null,
    }}});
    let stats = bot
        .ask_resolved(ALICE, GENERAL, "stats", options, resolved)
        .await;
    assert_shows(&stats, "📊 Stats for Bob");
    assert_shows(&stats, "No answers yet");
}

#[tokio::test]
async fn quiz_in_a_direct_message_says_it_works_in_a_server() {
    let bot = Bot::start().await;
    let status = json!([{"type": 1, "name": "status", "options": []}]);
    let reply = bot.ask_in_dm(DANA, "quiz", status).await;
    assert!(reply.ephemeral());
    assert_shows(
        &reply,
        "/quiz works in a server: run it in the channel that should get the daily question, not in a direct message.",
    );
    assert!(
        !reply.shown().contains("Only server managers"),
        "{}",
        reply.shown()
    );
    // Practice works there.
    let practice = bot.ask_in_dm(ALICE, "practice", json!([])).await;
    assert_shows(&practice, "🧠 Practice");
}

#[tokio::test]
async fn a_bad_time_gets_a_private_reply_showing_the_right_form() {
    let bot = Bot::start().await;
    let options = json!([{"type": 1, "name": "schedule", "options": [
        opt("time", "9 o'clock"), opt("timezone", "Asia/Seoul"),
    ]}]);
    let reply = bot.ask(DANA, GENERAL, "quiz", options).await;
    assert!(reply.ephemeral());
    assert_shows(&reply, "/quiz schedule time:HH:MM timezone:Area/City");
    let reply = bot
        .ask(ALICE, GENERAL, "answer", json!([opt("choice", "Z9")]))
        .await;
    assert!(reply.ephemeral());
    assert_shows(&reply, "/answer choice");
}

/// Schedules, posts at 09:00, and has Alice (B, by button), Bob (A, by /answer) and
/// Carol (B, by button) answer. Returns the posted question.
async fn play_until_answered(bot: &Bot) -> Call {
    bot.schedule(GENERAL).await;
    let post = bot.post_daily(GENERAL).await;
    let b = button(&post, "B");
    bot.click(ALICE, GENERAL, &post, &b).await;
    bot.ask(BOB, GENERAL, "answer", json!([opt("choice", "A")]))
        .await;
    bot.click(CAROL, GENERAL, &post, &b).await;
    post
}

#[tokio::test]
async fn the_slot_posts_one_question_with_buttons_and_answers_get_private_receipts() {
    let bot = Bot::start().await;
    bot.schedule(GENERAL).await;
    let post = bot.post_daily(GENERAL).await;
    assert_eq!(
        post.authorization.as_deref(),
        Some(&*format!("Bot {TOKEN}"))
    );
    assert_shows(&post, "📅 Daily question");
    assert_shows(&post, "What is the cheapest way");
    assert_shows(&post, "Reveal: 18:00 (Asia/Seoul)");
    assert_eq!(post.body["enforce_nonce"], true);
    assert!(post.body["nonce"].as_str().is_some_and(|n| n.len() <= 25));
    let buttons = post.buttons();
    assert_eq!(buttons.len(), 5, "four letters and the unsure toggle");
    assert_eq!(buttons[4].0, "🤔 Unsure");
    for (i, (label, id, disabled)) in buttons.iter().take(4).enumerate() {
        let letter = ["A", "B", "C", "D"][i];
        assert_eq!(label, letter);
        assert!(id.starts_with("qb:r:") && id.ends_with(letter), "{id}");
        assert!(!disabled);
    }
    // Another pass at the same instant posts nothing more.
    assert!(!bot.deliver().await);

    let b = button(&post, "B");
    let receipt = bot.click(ALICE, GENERAL, &post, &b).await;
    assert!(receipt.ephemeral());
    assert_shows(&receipt, "Recorded your answer B");
    let receipt = bot
        .ask(BOB, GENERAL, "answer", json!([opt("choice", "a")]))
        .await;
    assert!(receipt.ephemeral());
    assert_shows(&receipt, "Recorded your answer A");
    let receipt = bot.click(CAROL, GENERAL, &post, &b).await;
    assert_shows(&receipt, "Recorded your answer B");
    let again = bot.click(ALICE, GENERAL, &post, &button(&post, "C")).await;
    assert!(again.ephemeral());
    assert_shows(
        &again,
        "You already answered B. Answers are locked until the reveal.",
    );

    let posts = bot
        .fake
        .calls()
        .into_iter()
        .filter(|c| c.method == "POST" && c.path.starts_with("/channels/"));
    assert_eq!(posts.count(), 1, "exactly one channel message");
    let status = bot.quiz_status(GENERAL).await;
    assert_shows(&status, "3 answers so far");
}

#[tokio::test]
async fn the_reveal_shows_votes_and_who_got_it_and_disables_the_question_buttons() {
    let bot = Bot::start().await;
    let post = play_until_answered(&bot).await;
    bot.advance_to("2026-11-24T18:00:00+09:00");
    assert!(!bot.deliver().await);

    let reveal = bot.fake.posted_in(GENERAL).await;
    assert!(!reveal.ephemeral());
    assert_the_reveal_of_three_answers(&reveal.shown());
    let labels: Vec<String> = reveal.buttons().into_iter().map(|b| b.0).collect();
    assert_eq!(
        labels,
        ["📌 Discuss at the meetup", "🚩 Report"],
        "the meetup pick and the report button"
    );

    let closed = bot.fake.edited_in(GENERAL).await;
    assert_eq!(
        closed.path,
        format!("/channels/{GENERAL}/messages/{}", post.message_id())
    );
    assert_shows(&closed, "Closed: the answer (B)");
    let buttons = closed.buttons();
    assert_eq!(buttons.len(), 4);
    assert!(
        buttons.iter().all(|(_, _, disabled)| *disabled),
        "{buttons:?}"
    );

    // The leaderboard after the reveal: Alice and Carol share first place, Bob is third.
    let board = bot
        .ask(
            ALICE,
            GENERAL,
            "leaderboard",
            json!([{"name": "period", "type": 4, "value": 1}]),
        )
        .await;
    assert!(board.ephemeral());
    assert_shows(
        &board,
        "1. Alice: 10 pts (1/1 right)\n1. Carol: 10 pts (1/1 right)\n3. Bob: 0 pts (0/1 right)",
    );
}

#[tokio::test]
async fn a_korean_discord_gets_korean_text_and_buttons() {
    let bot = Bot::start().await;
    let question = bot.ask(KIM, GENERAL, "practice", json!([])).await;
    assert_shows(&question, "S3 정적 웹사이트");
    assert_shows(&question, "CloudFront 배포를 S3 앞에 둔다");
    let feedback = bot
        .click(KIM, GENERAL, &question, &button(&question, "B"))
        .await;
    assert_shows(&feedback, "CloudFront는 엣지 로케이션에");
    button(&feedback, "다음 문제");
    let help = bot.ask(KIM, GENERAL, "help", json!([])).await;
    assert!(
        help.shown().chars().any(|c| ('가'..='힣').contains(&c)),
        "{}",
        help.shown()
    );
}

#[tokio::test]
async fn a_choose_two_question_is_answered_with_a_select_menu_of_two() {
    let bot = Bot::start_with(PAIR).await;
    bot.schedule(GENERAL).await;
    let post = bot.post_daily(GENERAL).await;
    let menu = &post.components()[0];
    assert_eq!(menu["type"], 3);
    assert_eq!(menu["min_values"], 2);
    assert_eq!(menu["max_values"], 2);
    let options = menu["options"].as_array().unwrap();
    assert_eq!(options.len(), 5);
    assert!(
        options[0]["label"]
            .as_str()
            .unwrap()
            .starts_with("A) Turn on Multi-AZ")
    );
    let values: Vec<String> = [0, 2]
        .iter()
        .map(|&i| options[i]["value"].as_str().unwrap().to_owned())
        .collect();
    let receipt = bot.pick(ALICE, GENERAL, &post, &values).await;
    assert!(receipt.ephemeral());
    assert_shows(&receipt, "Recorded your answer AC");
}

#[tokio::test]
async fn a_korean_schedule_keeps_korean_words_on_its_closed_choose_two_question() {
    let bot = Bot::start_with(PAIR).await;
    let han = Person {
        id: "930000000000000006",
        name: "Han",
        locale: "ko",
        manager: true,
    };
    let options = json!([{"type": 1, "name": "schedule", "options": [
        opt("time", "09:00"), opt("timezone", "Asia/Seoul"), opt("reveal", "18:00"),
    ]}]);
    bot.ask(han, GENERAL, "quiz", options).await;
    let post = bot.post_daily(GENERAL).await;
    assert_eq!(post.components()[0]["placeholder"], "보기 2개를 고르세요");
    bot.advance_to("2026-11-24T18:00:00+09:00");
    assert!(!bot.deliver().await);
    bot.fake.posted_in(GENERAL).await;
    let closed = bot.fake.edited_in(GENERAL).await;
    let menu = &closed.components()[0];
    assert_eq!(menu["disabled"], true);
    assert_eq!(menu["placeholder"], "보기 2개를 고르세요");
}

#[tokio::test]
async fn autocomplete_offers_time_zones_and_the_bank_services() {
    let bot = Bot::start().await;
    let data = json!({"id": "950000000000000001", "name": "quiz", "type": 1, "options": [
        {"type": 1, "name": "schedule", "options": [
            {"name": "time", "type": 3, "value": "09:00"},
            {"name": "timezone", "type": 3, "value": "seoul", "focused": true},
        ]},
    ]});
    let zones = bot.autocomplete(DANA, GENERAL, data).await;
    assert_eq!(zones.body["type"], 8);
    assert_eq!(zones.body["data"]["choices"][0]["value"], "Asia/Seoul");

    let data = json!({"id": "950000000000000001", "name": "practice", "type": 1, "options": [
        {"name": "service", "type": 3, "value": "cloud", "focused": true},
    ]});
    let services = bot.autocomplete(ALICE, GENERAL, data).await;
    assert_eq!(services.body["data"]["choices"][0]["value"], "CloudFront");
}

/// Answers a mock question of the ONE + PAIR bank, right or wrong, with its own control.
async fn answer_mock(bot: &Bot, question: &Call, right: bool) -> Call {
    if question.shown().contains("Choose 2") {
        let menu = &question.components()[0];
        let options = menu["options"].as_array().unwrap();
        let picks = if right { [0, 2] } else { [0, 1] };
        let values: Vec<String> = picks
            .iter()
            .map(|&i| options[i]["value"].as_str().unwrap().to_owned())
            .collect();
        bot.pick(ALICE, GENERAL, question, &values).await
    } else {
        let letter = if right { "B" } else { "A" };
        bot.click(ALICE, GENERAL, question, &button(question, letter))
            .await
    }
}

#[tokio::test]
async fn a_mock_exam_is_ephemeral_shows_nothing_until_the_end_and_reports_with_the_misses() {
    let bot = Bot::start_with(&format!("{ONE}{PAIR}")).await;
    let start = json!([{"type": 1, "name": "start", "options": [
        {"name": "count", "type": 4, "value": 0},
    ]}]);
    let sent = bot.command(ALICE, GENERAL, "mock", start);
    let intro = bot.fake.response_to(&sent.id).await;
    assert!(intro.ephemeral());
    assert_shows(&intro, "the bank has only 2 questions");
    let first = bot.fake.followup(&sent.token).await;
    assert!(first.ephemeral());
    assert_shows(&first, "question 1 of 2");

    // A miss gets no feedback: the next question comes at once.
    let second = answer_mock(&bot, &first, false).await;
    assert!(second.ephemeral());
    assert_shows(&second, "question 2 of 2");
    assert!(!second.shown().contains("Correct") && !second.shown().contains("Wrong"));
    // /practice waits until the exam ends.
    let practice = bot.ask(ALICE, GENERAL, "practice", json!([])).await;
    assert_shows(&practice, "Your mock exam is running (1 of 2 answered");

    let report = answer_mock(&bot, &second, true).await;
    assert!(report.ephemeral());
    assert_shows(&report, "1 of 2 right (50 %)");
    assert_shows(&report, "Per domain");
    // The miss, explained, comes as a private follow-up of the same interaction.
    let misses = bot
        .fake
        .take("the misses after the report", |c| {
            c.method == "POST" && c.path.starts_with("/webhooks/") && c.shown().contains("Misses")
        })
        .await;
    assert!(misses.ephemeral());
    assert!(misses.shown().contains("1. task"), "{}", misses.shown());
    // Nothing of the exam reached the channel.
    assert!(
        bot.fake
            .calls()
            .iter()
            .all(|c| !c.path.starts_with("/channels/"))
    );
    let stop = json!([{"type": 1, "name": "stop", "options": []}]);
    let stopped = bot.ask(ALICE, GENERAL, "mock", stop).await;
    assert_shows(&stopped, "no mock exam running");
}
