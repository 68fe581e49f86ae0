#![cfg(feature = "slack")]
//! The Slack adapter end to end: the real slack-morphism client against a fake Slack on
//! 127.0.0.1 (Web API over HTTP, Socket Mode over ws://), the engine over a temp SQLite
//! file and a tiny bank. Time moves only through the manual clock.

#[path = "../support/cards.rs"]
mod cards;
#[path = "../support/common.rs"]
mod common;
mod fake;
mod files;
mod flows;
mod idle;
#[path = "../support/idle.rs"]
mod idle_support;
mod limits;
mod reports;
mod transport;
mod week;

use std::collections::HashMap;
use std::sync::Arc;

use jiff::SignedDuration;
use quizbot::adapters::Connected;
use quizbot::adapters::clock::Clock;
use quizbot::adapters::deliver::{self, Outbox};
use quizbot::config::Config;
use quizbot::quiz::Engine;
use tempfile::TempDir;
use tokio::sync::Notify;

pub use common::*;
use fake::FakeSlack;

pub const GENERAL: &str = "C0GENERAL";
pub const STUDY: &str = "C0STUDY01";

/// A plain member.
pub const ALICE: &str = "U0ALICE01";
pub const BOB: &str = "U0BOB0001";
pub const CAROL: &str = "U0CAROL01";
/// A workspace admin (per `users.info`).
pub const DANA: &str = "U0DANA001";
/// A plain member named in `SLACK_ADMIN_USERS`.
pub const EVE: &str = "U0EVE0001";
/// A member whose Slack speaks Korean.
pub const KIM: &str = "U0KIM0001";

/// The bot, connected to its own fake Slack.
pub struct Bot {
    pub fake: FakeSlack,
    pub engine: Engine,
    pub clock: Clock,
    pub wake: Arc<Notify>,
    pub outbox: Arc<dyn Outbox>,
    /// The Socket Mode connection as `/healthz` sees it.
    pub link: Arc<dyn quizbot::adapters::health::Link>,
    _task: tokio::task::JoinHandle<Result<(), String>>,
    _dir: TempDir,
}

pub struct Options {
    pub bank: String,
    pub admins: &'static str,
    pub lang: &'static str,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            bank: ONE.to_owned(),
            admins: EVE,
            lang: "en",
        }
    }
}

pub const APP_TOKEN: &str = "xapp-1-A0APP0001-secret-app-token";
pub const BOT_TOKEN: &str = "xoxb-1-secret-bot-token";

impl Bot {
    pub async fn start() -> Self {
        Self::start_with(Options::default()).await
    }

    pub async fn start_with(options: Options) -> Self {
        log::install();
        let fake = FakeSlack::start().await;
        fake.add_user(ALICE, "Alice", "en-US", false);
        fake.add_user(BOB, "Bob", "en-GB", false);
        fake.add_user(CAROL, "Carol", "en-US", false);
        fake.add_user(DANA, "Dana", "en-US", true);
        fake.add_user(EVE, "Eve", "en-US", false);
        fake.add_user(KIM, "Kim", "ko-KR", false);
        let dir = TempDir::new().unwrap();
        let config = Config::from_lookup(|name| {
            let vars: HashMap<&str, String> = HashMap::from([
                ("SLACK_APP_TOKEN", APP_TOKEN.to_owned()),
                ("SLACK_BOT_TOKEN", BOT_TOKEN.to_owned()),
                ("SLACK_API_URL", fake.api_url()),
                ("SLACK_ADMIN_USERS", options.admins.to_owned()),
                ("QUIZBOT_LANG", options.lang.to_owned()),
            ]);
            vars.get(name).cloned()
        })
        .unwrap();
        let engine = engine_over(&options.bank, &dir, config.lang);
        let clock = Clock::manual(at(START));
        let wake = Arc::new(Notify::new());
        let Connected {
            outbox, task, link, ..
        } = quizbot::adapters::slack::connect(&engine, &config, &clock, &wake)
            .await
            .expect("connects to the fake Slack");
        fake.sockets_opened(1).await;
        Self {
            fake,
            engine,
            clock,
            wake,
            outbox,
            link,
            _task: task,
            _dir: dir,
        }
    }

    /// One pass of the delivery loop at the clock's time; posts are confirmed on return.
    pub async fn deliver(&self) {
        let failed = deliver::deliver_due(
            &self.engine,
            std::slice::from_ref(&self.outbox),
            self.clock.now(),
        )
        .await;
        assert!(!failed, "a delivery failed");
    }

    /// The shared delivery loop, running in the background as in `quizbot run`.
    pub fn run_delivery_loop(&self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(deliver::run(
            self.engine.clone(),
            vec![self.outbox.clone()],
            self.clock.clone(),
            self.wake.clone(),
        ))
    }

    pub fn advance_to(&self, when: &str) {
        let by = self.clock.now().duration_until(at(when));
        assert!(by >= SignedDuration::ZERO, "the clock only moves forward");
        self.clock.advance(by);
    }

    /// A command from `user` in `channel`, acked; returns the envelope id.
    pub async fn command(&self, user: &str, channel: &str, line: &str) -> String {
        let (command, text) = line.split_once(' ').unwrap_or((line, ""));
        let id = self.fake.command(user, channel, command, text).await;
        let ack = self.fake.ack(&id).await;
        assert_eq!(ack["envelope_id"], id.as_str());
        id
    }

    /// A command whose one reply is private to `user`.
    pub async fn ask(&self, user: &str, channel: &str, line: &str) -> fake::Call {
        self.command(user, channel, line).await;
        self.fake.private_to(user).await
    }

    /// Schedules 09:00 Asia/Seoul with a reveal at 18:00 in `channel`, as the admin Dana.
    pub async fn schedule(&self, channel: &str) {
        self.command(
            DANA,
            channel,
            "/quiz schedule 09:00 Asia/Seoul mon-fri reveal=18:00",
        )
        .await;
        let confirmation = self.fake.posted_in(channel).await;
        assert!(
            confirmation.text().contains("daily question"),
            "{}",
            confirmation.text()
        );
    }

    /// The daily question posted when the clock reaches 09:00.
    pub async fn post_daily(&self, channel: &str) -> fake::Call {
        self.advance_to("2026-11-24T09:00:00+09:00");
        self.deliver().await;
        self.fake.posted_in(channel).await
    }

    /// Clicks `action` on a message and waits for the ack.
    pub async fn click(
        &self,
        user: &str,
        channel: &str,
        ts: &str,
        action: (&str, &str),
        state: Option<serde_json::Value>,
    ) {
        let id = self.fake.click(user, channel, ts, action, state).await;
        self.fake.ack(&id).await;
    }
}

/// The button labelled `label` on a message, as `(action_id, value)`.
pub fn button(call: &fake::Call, label: &str) -> (String, String) {
    call.buttons()
        .into_iter()
        .find(|(l, _, _)| l == label)
        .map(|(_, id, value)| (id, value))
        .unwrap_or_else(|| panic!("no button {label} in {:#?}", call.blocks()))
}

/// The `ts` Slack gave a posted message.
pub fn ts(call: &fake::Call) -> String {
    call.response["ts"].as_str().unwrap_or_default().to_owned()
}
