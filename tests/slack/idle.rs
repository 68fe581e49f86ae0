//! Idle footprint (a benchmark, not a check): the real `quizbot run` binary connected to the
//! fake Slack with the shipped bank, its resident memory once connected and idle.
//! Run it with `cargo test --release --test slack -- --ignored --nocapture idle_footprint`.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::fake::FakeSlack;
use crate::{APP_TOKEN, BOT_TOKEN};

fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[tokio::test]
#[ignore = "a benchmark: prints a JSON line; run with --ignored --nocapture"]
async fn idle_footprint() {
    let fake = FakeSlack::start().await;
    let dir = tempfile::TempDir::new().unwrap();
    let mut bot = Command::new(env!("CARGO_BIN_EXE_quizbot"))
        .arg("run")
        .env("SLACK_APP_TOKEN", APP_TOKEN)
        .env("SLACK_BOT_TOKEN", BOT_TOKEN)
        .env("SLACK_API_URL", fake.api_url())
        .env("QUIZBOT_DB", dir.path().join("idle.db"))
        .env(
            "QUIZBOT_BANK",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bank"),
        )
        .env_remove("DISCORD_TOKEN")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Connected: the socket is open and `hello` was sent. Nothing is scheduled, so from
    // here on the bot only waits.
    fake.sockets_opened(1).await;
    let rss = rss_kb(bot.id());
    bot.kill().unwrap();
    bot.wait().unwrap();
    let rss_mb = rss.map(|kb| (kb as f64 / 1024.0 * 1000.0).round() / 1000.0);
    println!(
        "{}",
        serde_json::json!({"bench": "idle", "connected": "slack (fake, 127.0.0.1)", "rss_mb": rss_mb})
    );
    assert!(rss.is_some(), "the bot's memory could be read");
}
