//! Idle footprint against the fake Slack (a benchmark, not a check).
//! Run it with `cargo test --release --test slack -- --ignored --nocapture idle_footprint`.

use crate::fake::FakeSlack;
use crate::idle_support::{report, start_run};
use crate::{APP_TOKEN, BOT_TOKEN};

#[tokio::test]
#[ignore = "a benchmark: prints a JSON line; run with --ignored --nocapture"]
async fn idle_footprint() {
    let fake = FakeSlack::start().await;
    let dir = tempfile::TempDir::new().unwrap();
    let env = [
        ("SLACK_APP_TOKEN", APP_TOKEN.to_owned()),
        ("SLACK_BOT_TOKEN", BOT_TOKEN.to_owned()),
        ("SLACK_API_URL", fake.api_url()),
    ];
    let bot = start_run(&env, &dir);
    // Connected: the socket is open and `hello` was sent. Nothing is scheduled, so from
    // here on the bot only waits.
    fake.sockets_opened(1).await;
    report(bot, "slack (fake, 127.0.0.1)");
}
