#![cfg(feature = "slack")]
//! The Slack adapter end to end: the real slack-morphism client against a fake Slack on
//! 127.0.0.1 (Web API over HTTP, Socket Mode over ws://), the engine over a temp SQLite
//! file and a tiny bank. Time moves only through the manual clock.

#[path = "../support/cards.rs"]
mod cards;
mod fake;
mod flows;
mod idle;
#[path = "../support/idle.rs"]
mod idle_support;
mod limits;
mod transport;

/// Everything the tests log, kept in memory (one subscriber for the whole binary, so no
/// test depends on which thread logs what).
pub mod log {
    use std::sync::{Arc, Mutex, OnceLock};

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn captured() -> &'static Captured {
        static LOG: OnceLock<Captured> = OnceLock::new();
        LOG.get_or_init(|| {
            let captured = Captured::default();
            let writer = captured.clone();
            tracing_subscriber::fmt()
                .with_env_filter("debug,quizbot=trace,slack_morphism=trace")
                .with_writer(move || writer.clone())
                .with_ansi(false)
                .init();
            captured
        })
    }

    /// Starts capturing (once).
    pub fn install() {
        captured();
    }

    pub fn text() -> String {
        String::from_utf8_lossy(&captured().0.lock().unwrap()).into_owned()
    }
}

use std::collections::HashMap;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use quizbot::adapters::Connected;
use quizbot::adapters::clock::Clock;
use quizbot::adapters::deliver::{self, Outbox};
use quizbot::bank::{self, Lang};
use quizbot::config::Config;
use quizbot::quiz::Engine;
use quizbot::store::Store;
use tempfile::TempDir;
use tokio::sync::Notify;

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

/// Tuesday 2026-11-24, one minute before a 09:00 (Asia/Seoul) slot.
pub const START: &str = "2026-11-24T08:59:00+09:00";

/// One question with one right answer (B).
pub const ONE: &str = r#"
[[question]]
id = "s-cache"
domain = "high-performing"
services = ["CloudFront", "S3"]
answer = ["B"]
difficulty = "easy"

[question.en]
prompt = "What is the cheapest way to cut worldwide latency for a static website on S3 & co?"
choices = ["Turn on S3 Transfer Acceleration", "Put a CloudFront distribution in front of S3", "Replicate the bucket to another Region", "Add EC2 web servers"]
explanation = "CloudFront caches the content at edge locations close to users."
why_wrong = ["It speeds up uploads, not cached reads.", "", "Replication alone does not route users to the nearest copy.", "It adds cost and operations."]

[question.ko]
prompt = "S3 정적 웹사이트의 전 세계 지연 시간을 가장 적은 비용으로 줄이는 방법은 무엇입니까?"
choices = ["S3 Transfer Acceleration을 켠다", "CloudFront 배포를 S3 앞에 둔다", "다른 리전에 버킷을 복제한다", "EC2 웹 서버를 추가한다"]
explanation = "CloudFront는 엣지 로케이션에 콘텐츠를 캐시합니다."
why_wrong = ["업로드 속도를 높이는 기능입니다.", "", "복제만으로는 사용자를 가까운 곳으로 보내지 않습니다.", "비용과 운영 부담이 늘어납니다."]
"#;

/// One choose-two question (A and C).
pub const PAIR: &str = r#"
[[question]]
id = "s-pair"
domain = "resilient"
services = ["RDS", "Route 53"]
answer = ["A", "C"]

[question.en]
prompt = "Which two steps make a single-AZ database tier survive the loss of an Availability Zone? (Choose two.)"
choices = ["Turn on Multi-AZ for the RDS instance", "Take hourly snapshots", "Use Route 53 health checks for the web tier", "Double the instance size", "Add a read replica in the same AZ"]
explanation = "Multi-AZ gives a standby in another AZ; health checks steer traffic away from a failed zone."

[question.ko]
prompt = "단일 AZ 데이터베이스 계층이 가용 영역 장애를 견디게 하는 두 가지 방법은 무엇입니까? (두 개 선택)"
choices = ["RDS 인스턴스에 다중 AZ를 켠다", "매시간 스냅샷을 만든다", "웹 계층에 Route 53 상태 확인을 쓴다", "인스턴스 크기를 두 배로 늘린다", "같은 AZ에 읽기 전용 복제본을 추가한다"]
explanation = "다중 AZ는 다른 AZ에 대기 인스턴스를 두고, 상태 확인은 장애 영역에서 트래픽을 돌립니다."
"#;

pub fn at(text: &str) -> Timestamp {
    text.parse::<Timestamp>().unwrap()
}

/// The bot, connected to its own fake Slack.
pub struct Bot {
    pub fake: FakeSlack,
    pub engine: Engine,
    pub clock: Clock,
    pub wake: Arc<Notify>,
    pub outbox: Arc<dyn Outbox>,
    _task: tokio::task::JoinHandle<Result<(), String>>,
    _dir: TempDir,
}

pub struct Options {
    pub bank: &'static str,
    pub admins: &'static str,
    pub lang: &'static str,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            bank: ONE,
            admins: EVE,
            lang: "en",
        }
    }
}

pub const APP_TOKEN: &str = "xapp-1-A0APP0001-secret-app-token";
pub const BOT_TOKEN: &str = "xoxb-1-secret-bot-token";

pub fn engine_over(bank_toml: &str, dir: &TempDir, lang: Lang) -> Engine {
    let bank_dir = dir.path().join("bank");
    std::fs::create_dir_all(&bank_dir).unwrap();
    std::fs::write(bank_dir.join("questions.toml"), bank_toml).unwrap();
    let bank = bank::load(&[bank_dir]).unwrap();
    let store = Store::open(&dir.path().join("quizbot.db")).unwrap();
    Engine::new(Arc::new(bank), store, lang)
}

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
        let engine = engine_over(options.bank, &dir, config.lang);
        let clock = Clock::manual(at(START));
        let wake = Arc::new(Notify::new());
        let Connected { outbox, task } =
            quizbot::adapters::slack::connect(&engine, &config, &clock, &wake)
                .await
                .expect("connects to the fake Slack");
        fake.sockets_opened(1).await;
        Self {
            fake,
            engine,
            clock,
            wake,
            outbox,
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
