//! Idle footprint (a benchmark, not a check): the real `quizbot run` binary connected to a
//! fake platform with the shipped bank, its resident memory once connected and idle.

use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Starts `quizbot run` with the shipped bank, a fresh database and only `env`'s platform.
pub fn start_run(env: &[(&str, String)], dir: &tempfile::TempDir) -> Child {
    start_run_logging(env, dir, Stdio::null())
}

/// As [`start_run`], with the bot's log (stderr) going to `log`.
pub fn start_run_logging(env: &[(&str, String)], dir: &tempfile::TempDir, log: Stdio) -> Child {
    let mut run = Command::new(env!("CARGO_BIN_EXE_quizbot"));
    run.arg("run")
        .env("QUIZBOT_DB", dir.path().join("idle.db"))
        .env(
            "QUIZBOT_BANK",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bank"),
        )
        .stdout(Stdio::null())
        .stderr(log);
    for var in [
        "DISCORD_TOKEN",
        "SLACK_APP_TOKEN",
        "SLACK_BOT_TOKEN",
        "RUST_LOG",
    ] {
        run.env_remove(var);
    }
    for (name, value) in env {
        run.env(name, value);
    }
    run.spawn().unwrap()
}

fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Reads the connected bot's memory, stops it, and prints the benchmark's JSON line.
pub fn report(mut bot: Child, connected: &str) {
    let rss = rss_kb(bot.id());
    bot.kill().unwrap();
    bot.wait().unwrap();
    let rss_mb = rss.map(|kb| (kb as f64 / 1024.0 * 1000.0).round() / 1000.0);
    println!(
        "{}",
        serde_json::json!({"bench": "idle", "connected": connected, "rss_mb": rss_mb})
    );
    assert!(rss.is_some(), "the bot's memory could be read");
}
