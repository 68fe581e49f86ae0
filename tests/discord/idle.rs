//! Idle footprint against the fake Discord (a benchmark, not a check).
//! Run it with `cargo test --release --test discord -- --ignored --nocapture idle_footprint`.

use crate::fake::FakeDiscord;
use crate::idle_support::{report, start_run};

#[tokio::test]
#[ignore = "a benchmark: prints a JSON line; run with --ignored --nocapture"]
async fn idle_footprint() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::TempDir::new().unwrap();
    let env = [
        ("DISCORD_TOKEN", crate::TOKEN.to_owned()),
        ("DISCORD_API_BASE", fake.base()),
        ("DISCORD_GUILD_ID", crate::fake::GUILD.to_owned()),
    ];
    let bot = start_run(&env, &dir);
    // Connected and registered: from here on, nothing is scheduled and the bot only waits.
    fake.sessions(1, 0).await;
    fake.registered().await;
    report(bot, "discord (fake, 127.0.0.1)");
}
