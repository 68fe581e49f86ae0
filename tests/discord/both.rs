//! `quizbot run` with Discord and Slack tokens: one process, one database, one delivery
//! loop serving both, and neither platform ever sees the other's leaderboard.

use std::collections::HashMap;
use std::sync::Arc;

use quizbot::adapters::clock::Clock;
use quizbot::config::Config;

use crate::fake::FakeDiscord;
use crate::slack_fake::FakeSlack;
use crate::*;

const SLACK_CHANNEL: &str = "C0GENERAL";
const SLACK_ADMIN: &str = "U0DANA001";
const SLACK_MEMBER: &str = "U0ZOE0001";

#[tokio::test]
async fn one_process_serves_discord_and_slack_from_one_database_with_separate_boards() {
    log::install();
    let discord = FakeDiscord::start().await;
    let slack = FakeSlack::start().await;
    slack.add_user(SLACK_ADMIN, "Dana", "en-US", true);
    slack.add_user(SLACK_MEMBER, "Zoe", "en-US", false);
    let config = Config::from_lookup(|name| {
        let vars: HashMap<&str, String> = HashMap::from([
            ("DISCORD_TOKEN", TOKEN.to_owned()),
            ("DISCORD_API_BASE", discord.base()),
            ("DISCORD_GUILD_ID", fake::GUILD.to_owned()),
            ("SLACK_APP_TOKEN", "xapp-1-A0APP0001-secret".to_owned()),
            ("SLACK_BOT_TOKEN", "xoxb-1-secret".to_owned()),
            ("SLACK_API_URL", slack.api_url()),
        ]);
        vars.get(name).cloned()
    })
    .unwrap();
    let dir = tempfile::TempDir::new().unwrap();
    let engine = engine_over(ONE, &dir, Lang::En);
    let clock = Clock::manual(at(START));
    let (watch, deliveries) = crate::watch::watch();
    let serving = tokio::spawn({
        let (engine, clock) = (engine.clone(), clock.clone());
        async move { quizbot::adapters::serve_watched(engine, &config, clock, watch).await }
    });
    discord.sessions(1, 0).await;
    slack.sockets_opened(1).await;
    // A Bot-like handle on the Discord side, sharing this process's engine and clock.
    let bot = Bot::attach(
        discord,
        engine,
        clock.clone(),
        Arc::new(tokio::sync::Notify::new()),
    );

    bot.schedule(GENERAL).await;
    let line = "09:00 Asia/Seoul reveal=18:00";
    slack
        .command(
            SLACK_ADMIN,
            SLACK_CHANNEL,
            "/quiz",
            &format!("schedule {line}"),
        )
        .await;
    slack.posted_in(SLACK_CHANNEL).await;

    // One clock, one delivery loop: both channels get their question at 09:00.
    bot.advance_to("2026-11-24T09:00:00+09:00");
    let post = bot.fake.posted_in(GENERAL).await;
    let slack_post = slack.posted_in(SLACK_CHANNEL).await;
    assert!(slack_post.text().contains("What is the cheapest way"));
    // The two go out at once: answers are taken once the Discord round is confirmed open.
    deliveries.sent(&format!("discord:{GENERAL}"), "post").await;
    deliveries
        .sent(&format!("slack:{SLACK_CHANNEL}"), "post")
        .await;

    bot.click(ALICE, GENERAL, &post, &button(&post, "B")).await;
    slack
        .command(SLACK_MEMBER, SLACK_CHANNEL, "/answer", "B")
        .await;
    let receipt = slack.private_to(SLACK_MEMBER).await;
    assert!(
        receipt.shown().contains("Recorded your answer B"),
        "{}",
        receipt.shown()
    );

    bot.advance_to("2026-11-24T18:00:00+09:00");
    let reveal = bot.fake.posted_in(GENERAL).await;
    assert!(reveal.shown().contains("Alice"), "{}", reveal.shown());
    assert!(!reveal.shown().contains("Zoe"), "{}", reveal.shown());
    let slack_reveal = slack.posted_in(SLACK_CHANNEL).await;
    assert!(
        slack_reveal.shown().contains("Zoe"),
        "{}",
        slack_reveal.shown()
    );
    assert!(
        !slack_reveal.shown().contains("Alice"),
        "{}",
        slack_reveal.shown()
    );

    let board = bot.ask(ALICE, GENERAL, "leaderboard", json!([])).await;
    assert!(
        board.shown().contains("1. Alice: 10 pts"),
        "{}",
        board.shown()
    );
    assert!(!board.shown().contains("Zoe"), "{}", board.shown());
    slack
        .command(SLACK_MEMBER, SLACK_CHANNEL, "/leaderboard", "")
        .await;
    let slack_board = slack.private_to(SLACK_MEMBER).await;
    assert!(
        slack_board.shown().contains("1. Zoe: 10 pts"),
        "{}",
        slack_board.shown()
    );
    assert!(
        !slack_board.shown().contains("Alice"),
        "{}",
        slack_board.shown()
    );
    serving.abort();
}

/// Every form a token could take in a log line: as is, as hex bytes (either case, as a
/// websocket frame dump prints them), as a list of byte values, and in base64 at each of
/// the three alignments it could have inside a longer encoded text.
fn leaked_forms(secret: &str) -> Vec<String> {
    use base64::Engine as _;
    let bytes = secret.as_bytes();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut forms = vec![
        secret.to_owned(),
        hex.clone(),
        hex.to_uppercase(),
        format!("{:?}", &bytes[..12]),
    ];
    for engine in [
        base64::engine::general_purpose::STANDARD,
        base64::engine::general_purpose::URL_SAFE,
    ] {
        for pad in 0..3 {
            let mut padded = vec![b'{'; pad];
            padded.extend_from_slice(bytes);
            let encoded = engine.encode(&padded);
            // Skip the characters the padding touches and the possibly partial tail.
            let skip = (pad * 4).div_ceil(3);
            forms.push(encoded[skip..encoded.len() - 4].to_owned());
        }
    }
    forms
}

#[tokio::test]
async fn at_trace_level_neither_platform_token_reaches_the_log_in_any_form() {
    let discord = FakeDiscord::start().await;
    let slack = FakeSlack::start().await;
    slack.add_user(SLACK_MEMBER, "Zoe", "en-US", false);
    let dir = tempfile::TempDir::new().unwrap();
    let log_path = dir.path().join("bot.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let (app_token, bot_token) = ("xapp-1-A0APP0001-trace-app-token", "xoxb-1-trace-bot-token");
    let env = [
        ("DISCORD_TOKEN", TOKEN.to_owned()),
        ("DISCORD_API_BASE", discord.base()),
        ("DISCORD_GUILD_ID", fake::GUILD.to_owned()),
        ("SLACK_APP_TOKEN", app_token.to_owned()),
        ("SLACK_BOT_TOKEN", bot_token.to_owned()),
        ("SLACK_API_URL", slack.api_url()),
        ("RUST_LOG", "trace".to_owned()),
    ];
    let mut bot = crate::idle_support::start_run_logging(&env, &dir, log.into());
    // IDENTIFY sent, commands registered over REST, Socket Mode open, a Web API call made.
    discord.sessions(1, 0).await;
    discord.registered().await;
    slack.sockets_opened(1).await;
    slack
        .command(SLACK_MEMBER, SLACK_CHANNEL, "/help", "")
        .await;
    slack.private_to(SLACK_MEMBER).await;
    bot.kill().unwrap();
    bot.wait().unwrap();

    let logged = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        logged.lines().any(|l| l.contains("TRACE")),
        "the bot logged at trace level: {logged}"
    );
    for secret in [TOKEN, app_token, bot_token] {
        for form in leaked_forms(secret) {
            assert!(
                !logged.contains(&form),
                "the token {secret} appears in the log as {form}"
            );
        }
    }
}

#[tokio::test]
async fn sigterm_stops_quizbot_run_with_everything_in_the_database_file() {
    let slack = FakeSlack::start().await;
    slack.add_user(SLACK_MEMBER, "Zoe", "en-US", false);
    let dir = tempfile::TempDir::new().unwrap();
    let env = [
        ("SLACK_APP_TOKEN", "xapp-1-A0APP0001-term".to_owned()),
        ("SLACK_BOT_TOKEN", "xoxb-1-term".to_owned()),
        ("SLACK_API_URL", slack.api_url()),
    ];
    let mut bot = crate::idle_support::start_run(&env, &dir);
    slack.sockets_opened(1).await;
    slack
        .command(SLACK_MEMBER, SLACK_CHANNEL, "/team", "join Owls")
        .await;
    let joined = slack.private_to(SLACK_MEMBER).await;
    assert!(joined.shown().contains("Owls"), "{}", joined.shown());
    let term = std::process::Command::new("kill")
        .args(["-TERM", &bot.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    assert!(bot.wait().unwrap().success(), "a clean stop");
    // The .db file alone, without its write-ahead log, holds the team.
    let alone = dir.path().join("alone.db");
    std::fs::copy(dir.path().join("idle.db"), &alone).unwrap();
    let conn = rusqlite::Connection::open(&alone).unwrap();
    let teams: i64 = conn
        .query_row("SELECT COUNT(*) FROM teams", [], |r| r.get(0))
        .unwrap();
    assert_eq!(teams, 1);
}
