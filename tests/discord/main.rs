#![cfg(feature = "discord")]
//! The Discord adapter end to end: the real serenity/poise client against a fake Discord on
//! 127.0.0.1 (REST over HTTP, the gateway over ws://), the engine over a temp SQLite file
//! and a tiny bank. Time moves only through the manual clock.

#[cfg(feature = "slack")]
mod both;
#[path = "../support/cards.rs"]
mod cards;
#[path = "../support/common.rs"]
mod common;
mod fake;
mod files;
mod flows;
mod hardening;
mod health;
mod idle;
#[path = "../support/idle.rs"]
mod idle_support;
mod limits;
mod reports;
mod shards;
// The Slack suite's fake, for the test that serves both; it uses only part of it.
#[cfg(feature = "slack")]
#[path = "../slack/fake.rs"]
#[allow(dead_code)]
mod slack_fake;
mod transport;
#[cfg(feature = "slack")]
#[path = "../support/watch.rs"]
mod watch;
mod week;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::SignedDuration;
use quizbot::adapters::Connected;
use quizbot::adapters::clock::Clock;
use quizbot::adapters::deliver::{self, Outbox};
use quizbot::bank::Lang;
use quizbot::config::Config;
use quizbot::quiz::Engine;
pub use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::sync::Notify;

pub use common::*;
pub use fake::{APP, Call, FakeDiscord, GUILD, OTHER_GUILD};

pub const GENERAL: &str = "920000000000000001";
pub const STUDY: &str = "920000000000000002";
/// A channel of the other server ([`OTHER_GUILD`]).
pub const ELSEWHERE: &str = "920000000000000003";
/// A direct message channel between a member and the bot.
pub const DM: &str = "920000000000000099";

/// A member of the study server.
#[derive(Debug, Clone, Copy)]
pub struct Person {
    pub id: &'static str,
    pub name: &'static str,
    pub locale: &'static str,
    /// Has Manage Server.
    pub manager: bool,
}

pub const ALICE: Person = Person {
    id: "930000000000000001",
    name: "Alice",
    locale: "en-US",
    manager: false,
};
pub const BOB: Person = Person {
    id: "930000000000000002",
    name: "Bob",
    locale: "en-GB",
    manager: false,
};
pub const CAROL: Person = Person {
    id: "930000000000000003",
    name: "Carol",
    locale: "en-US",
    manager: false,
};
pub const DANA: Person = Person {
    id: "930000000000000004",
    name: "Dana",
    locale: "en-US",
    manager: true,
};
pub const KIM: Person = Person {
    id: "930000000000000005",
    name: "Kim",
    locale: "ko",
    manager: false,
};

pub const TOKEN: &str = "MTAxMjM0NTY3ODkwMTIzNDU2.GsecreT.discord-bot-token-never-logged";

/// The bot, connected to its own fake Discord.
pub struct Bot {
    pub fake: Arc<FakeDiscord>,
    pub engine: Engine,
    pub clock: Clock,
    pub wake: Arc<Notify>,
    pub outbox: Arc<dyn Outbox>,
    pub db: std::path::PathBuf,
    next_interaction: AtomicU64,
    _task: Option<tokio::task::JoinHandle<Result<(), String>>>,
    _dir: Option<TempDir>,
}

/// The outbox of an attached handle: delivery is the runner's job.
struct NoOutbox;

impl Outbox for NoOutbox {
    fn owns(&self, _: &str) -> bool {
        false
    }
    fn send<'a>(&'a self, _: &'a quizbot::quiz::Delivery) -> deliver::SendFuture<'a> {
        Box::pin(async { Ok(None) })
    }
}

/// One interaction sent to the bot.
pub struct Sent {
    pub id: String,
    pub token: String,
}

impl Bot {
    pub async fn start() -> Self {
        Self::start_with(ONE).await
    }

    pub async fn start_with(bank: &str) -> Self {
        log::install();
        Self::start_on(Arc::new(FakeDiscord::start().await), bank).await
    }

    /// A bot with a database of its own, on a fake Discord another bot may have used: the
    /// same server and channels, as after a database reset.
    pub async fn start_on(fake: Arc<FakeDiscord>, bank: &str) -> Self {
        let identified = fake.identified();
        let dir = TempDir::new().unwrap();
        let config = Config::from_lookup(|name| {
            let vars: HashMap<&str, String> = HashMap::from([
                ("DISCORD_TOKEN", TOKEN.to_owned()),
                ("DISCORD_API_BASE", fake.base()),
                ("DISCORD_GUILD_ID", GUILD.to_owned()),
                ("QUIZBOT_LANG", "en".to_owned()),
            ]);
            vars.get(name).cloned()
        })
        .unwrap();
        let engine = engine_over(bank, &dir, config.lang);
        let clock = Clock::manual(at(START));
        let wake = Arc::new(Notify::new());
        let Connected { outbox, task, .. } =
            quizbot::adapters::discord::connect(&engine, &config, &clock, &wake)
                .await
                .expect("connects to the fake Discord");
        fake.sessions(identified + 1, 0).await;
        Self {
            fake,
            engine,
            clock,
            wake,
            outbox,
            db: dir.path().join("quizbot.db"),
            next_interaction: AtomicU64::new(1),
            _task: Some(task),
            _dir: Some(dir),
        }
    }

    /// A handle on a bot something else started (`quizbot run`): for sending interactions
    /// and reading the fake; its delivery loop and outbox belong to that runner.
    pub fn attach(fake: FakeDiscord, engine: Engine, clock: Clock, wake: Arc<Notify>) -> Self {
        Self::attach_shared(Arc::new(fake), engine, clock, wake)
    }

    /// [`Self::attach`] to a fake other handles use too.
    pub fn attach_shared(
        fake: Arc<FakeDiscord>,
        engine: Engine,
        clock: Clock,
        wake: Arc<Notify>,
    ) -> Self {
        Self {
            fake,
            engine,
            clock,
            wake,
            outbox: Arc::new(NoOutbox),
            db: std::path::PathBuf::new(),
            next_interaction: AtomicU64::new(1),
            _task: None,
            _dir: None,
        }
    }

    /// One pass of the delivery loop at the clock's time; posts are confirmed on return.
    pub async fn deliver(&self) -> bool {
        deliver::deliver_due(
            &self.engine,
            std::slice::from_ref(&self.outbox),
            self.clock.now(),
        )
        .await
    }

    pub fn advance_to(&self, when: &str) {
        let by = self.clock.now().duration_until(at(when));
        assert!(by >= SignedDuration::ZERO, "the clock only moves forward");
        self.clock.advance(by);
    }

    fn interaction(
        &self,
        kind: u8,
        who: Person,
        channel: &str,
        data: Value,
        extra: Value,
    ) -> (Sent, Value) {
        let n = self.next_interaction.fetch_add(1, Ordering::Relaxed);
        let id = (940_000_000_000_000_000u64 + n).to_string();
        let token = format!("interaction-token-{n}");
        let mut body = json!({
            "id": id, "application_id": APP, "type": kind, "data": data,
            "guild_id": GUILD, "channel_id": channel,
            "member": {
                "user": {"id": who.id, "username": who.name.to_lowercase(), "global_name": who.name,
                         "discriminator": "0", "avatar": null},
                "roles": [], "joined_at": "2025-01-01T00:00:00.000000+00:00",
                "deaf": false, "mute": false, "flags": 0, "nick": null,
                "permissions": if who.manager { "2147483647" } else { "3072" },
            },
            "token": token, "version": 1, "locale": who.locale, "guild_locale": "en-US",
            "entitlements": [], "attachment_size_limit": 8_388_608,
        });
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        (Sent { id, token }, body)
    }

    /// A slash command `name` with `options` (Discord's option objects).
    pub fn command(&self, who: Person, channel: &str, name: &str, options: Value) -> Sent {
        let data = json!({"id": "950000000000000001", "name": name, "type": 1, "options": options});
        let (sent, body) = self.interaction(2, who, channel, data, json!({}));
        self.fake.dispatch("INTERACTION_CREATE", body);
        sent
    }

    /// A slash command `name` in `channel` of the server `guild`, and the bot's response.
    pub async fn ask_in_server(
        &self,
        guild: &str,
        who: Person,
        channel: &str,
        name: &str,
        options: Value,
    ) -> Call {
        let data = json!({"id": "950000000000000001", "name": name, "type": 1, "options": options});
        let (sent, body) = self.interaction(2, who, channel, data, json!({"guild_id": guild}));
        self.fake.dispatch("INTERACTION_CREATE", body);
        self.fake.response_to(&sent.id).await
    }

    /// A slash command `name` in a direct message with the bot, and the bot's response.
    pub async fn ask_in_dm(&self, who: Person, name: &str, options: Value) -> Call {
        let data = json!({"id": "950000000000000001", "name": name, "type": 1, "options": options});
        let (sent, mut body) = self.interaction(2, who, DM, data, json!({"context": 1}));
        let object = body.as_object_mut().unwrap();
        let member = object.remove("member").unwrap();
        object.remove("guild_id");
        object.insert("user".into(), member["user"].clone());
        self.fake.dispatch("INTERACTION_CREATE", body);
        self.fake.response_to(&sent.id).await
    }

    /// A slash command whose options name users or channels, with Discord's `resolved` data.
    pub async fn ask_resolved(
        &self,
        who: Person,
        channel: &str,
        name: &str,
        options: Value,
        resolved: Value,
    ) -> Call {
        let data = json!({"id": "950000000000000001", "name": name, "type": 1, "options": options, "resolved": resolved});
        let (sent, body) = self.interaction(2, who, channel, data, json!({}));
        self.fake.dispatch("INTERACTION_CREATE", body);
        self.fake.response_to(&sent.id).await
    }

    /// A slash command and the bot's response to it.
    pub async fn ask(&self, who: Person, channel: &str, name: &str, options: Value) -> Call {
        let sent = self.command(who, channel, name, options);
        self.fake.response_to(&sent.id).await
    }

    /// An autocomplete request (`data` marks the focused option) and the bot's suggestions.
    pub async fn autocomplete(&self, who: Person, channel: &str, data: Value) -> Call {
        let (sent, body) = self.interaction(4, who, channel, data, json!({}));
        self.fake.dispatch("INTERACTION_CREATE", body);
        self.fake.response_to(&sent.id).await
    }

    /// A click on the button `custom_id` of `message`, and the bot's response.
    pub async fn click(&self, who: Person, channel: &str, message: &Call, custom_id: &str) -> Call {
        let data = json!({"custom_id": custom_id, "component_type": 2});
        self.component(who, channel, message, data).await
    }

    /// Picks `values` in the select menu of `message`, and the bot's response.
    pub async fn pick(
        &self,
        who: Person,
        channel: &str,
        message: &Call,
        values: &[String],
    ) -> Call {
        let data = json!({"custom_id": "qb:pick", "component_type": 3, "values": values});
        self.component(who, channel, message, data).await
    }

    async fn component(&self, who: Person, channel: &str, message: &Call, data: Value) -> Call {
        let id = match message.message_id() {
            id if id.is_empty() => "960000000000000001".to_owned(),
            id => id,
        };
        let shown = fake::message(&id, channel, message.message());
        let (sent, body) = self.interaction(3, who, channel, data, json!({"message": shown}));
        self.fake.dispatch("INTERACTION_CREATE", body);
        self.fake.response_to(&sent.id).await
    }

    /// Submits the modal `custom_id` with these text input values, and the bot's response.
    pub async fn submit(
        &self,
        who: Person,
        channel: &str,
        custom_id: &str,
        values: &[(&str, &str)],
    ) -> Call {
        let data = fake::modal_submit(custom_id, values);
        let (sent, body) = self.interaction(5, who, channel, data, json!({}));
        self.fake.dispatch("INTERACTION_CREATE", body);
        self.fake.response_to(&sent.id).await
    }

    /// `/quiz status` in `channel`, as the manager Dana.
    pub async fn quiz_status(&self, channel: &str) -> Call {
        let status = json!([{"type": 1, "name": "status", "options": []}]);
        self.ask(DANA, channel, "quiz", status).await
    }

    /// Schedules 09:00 Asia/Seoul with a reveal at 18:00 in `channel`, as the manager Dana.
    pub async fn schedule(&self, channel: &str) {
        self.schedule_in(GUILD, channel).await;
    }

    /// [`Self::schedule`] in a channel of the server `guild`.
    pub async fn schedule_in(&self, guild: &str, channel: &str) {
        let options = json!([{"type": 1, "name": "schedule", "options": [
            {"name": "time", "type": 3, "value": "09:00"},
            {"name": "timezone", "type": 3, "value": "Asia/Seoul"},
            {"name": "reveal", "type": 3, "value": "18:00"},
        ]}]);
        let response = self
            .ask_in_server(guild, DANA, channel, "quiz", options)
            .await;
        assert!(
            !response.ephemeral(),
            "the schedule is announced in the channel"
        );
        assert!(
            response.shown().contains("daily question"),
            "{}",
            response.shown()
        );
    }

    /// The daily question posted when the clock reaches 09:00.
    pub async fn post_daily(&self, channel: &str) -> Call {
        self.advance_to("2026-11-24T09:00:00+09:00");
        assert!(!self.deliver().await, "the post was delivered");
        self.fake.posted_in(channel).await
    }
}

/// The configuration of a bot on `fake` (commands in [`GUILD`]), with `extra` variables.
pub fn config_for(fake: &FakeDiscord, extra: &[(&str, String)]) -> Config {
    let mut vars: HashMap<&str, String> = HashMap::from([
        ("DISCORD_TOKEN", TOKEN.to_owned()),
        ("DISCORD_API_BASE", fake.base()),
        ("DISCORD_GUILD_ID", GUILD.to_owned()),
        ("QUIZBOT_LANG", "en".to_owned()),
    ]);
    vars.extend(extra.iter().cloned());
    Config::from_lookup(|name| vars.get(name).cloned()).unwrap()
}

/// The custom id of the button labelled `label`.
pub fn button(call: &Call, label: &str) -> String {
    call.buttons()
        .into_iter()
        .find(|(l, _, _)| l == label)
        .map(|(_, id, _)| id)
        .unwrap_or_else(|| panic!("no button {label} in {:#?}", call.components()))
}

/// A string option.
pub fn opt(name: &str, value: &str) -> Value {
    json!({"name": name, "type": 3, "value": value})
}
