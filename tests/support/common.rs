//! What every end-to-end suite shares: the log capture, the tiny banks, the start time,
//! and an engine over a temp SQLite file.

use std::sync::Arc;

use jiff::Timestamp;
use quizbot::bank::{self, Lang};
use quizbot::quiz::Engine;
use quizbot::store::Store;
use tempfile::TempDir;

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
                .with_env_filter(
                    "debug,quizbot=trace,slack_morphism=trace,serenity=trace,poise=trace",
                )
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

/// Tuesday 2026-11-24, one minute before a 09:00 (Asia/Seoul) slot.
pub const START: &str = "2026-11-24T08:59:00+09:00";

/// One question with one right answer (B).
pub const ONE: &str = r#"
[[question]]
id = "q-cache"
domain = "high-performing"
task = "3.1"
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
id = "q-pair"
domain = "resilient"
task = "2.1"
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

pub fn engine_over(bank_toml: &str, dir: &TempDir, lang: Lang) -> Engine {
    let bank_dir = dir.path().join("bank");
    std::fs::create_dir_all(&bank_dir).unwrap();
    std::fs::write(bank_dir.join("questions.toml"), bank_toml).unwrap();
    let bank = bank::load(&[bank_dir]).unwrap();
    let store = Store::open(&dir.path().join("quizbot.db")).unwrap();
    Engine::new(Arc::new(bank), store, lang)
}

/// How long any wait on a fake may take before the test fails (a guard, not a timing).
pub const GUARD: std::time::Duration = std::time::Duration::from_secs(20);

/// Waits until `check` finds what it looks for in a fake's recorded `state`, which is
/// `changed` on every call; after [`GUARD`] fails the test with `seen`'s account of it.
pub async fn until<S, T>(
    state: &std::sync::Mutex<S>,
    changed: &tokio::sync::Notify,
    what: &str,
    check: impl Fn(&mut S) -> Option<T>,
    seen: impl Fn(&S) -> String,
) -> T {
    let lock = || state.lock().unwrap_or_else(|e| e.into_inner());
    let wait = async {
        loop {
            let notified = changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(found) = check(&mut lock()) {
                return found;
            }
            notified.await;
        }
    };
    match tokio::time::timeout(GUARD, wait).await {
        Ok(found) => found,
        Err(_) => panic!("timed out waiting for {what}; so far:\n{}", seen(&lock())),
    }
}

/// A fake platform's HTTP server on 127.0.0.1; it stops when dropped.
pub struct Loopback {
    server: tokio::task::JoinHandle<()>,
}

impl Loopback {
    /// A listener on a free port, and its `http://` base URL.
    pub async fn bind() -> (tokio::net::TcpListener, String) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        (listener, base)
    }

    pub fn serve(listener: tokio::net::TcpListener, app: axum::Router) -> Self {
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self { server }
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// What every platform's reveal of the tiny bank's question shows once Alice (B), Bob (A)
/// and Carol (B) have answered.
pub fn assert_the_reveal_of_three_answers(shown: &str) {
    let expected = [
        "🔔 Reveal: the answer is B",
        "CloudFront caches the content",
        "✅ B) Put a CloudFront distribution in front of S3",
        "Votes (3)",
        "A: ████ 1",
        "B: ███████ 2 ✅",
        "Got it right (2 of 3)",
        "Alice, Carol",
    ];
    for needle in expected {
        assert!(shown.contains(needle), "expected {needle:?} in:\n{shown}");
    }
}

/// A fake platform's state: its base URL, what it recorded, and a signal on every change
/// (what [`until`] waits on).
pub struct Recorded<I> {
    pub base: String,
    pub inner: std::sync::Mutex<I>,
    pub changed: tokio::sync::Notify,
}

impl<I> Recorded<I> {
    pub fn new(base: String, inner: I) -> Self {
        Self {
            base,
            inner: std::sync::Mutex::new(inner),
            changed: tokio::sync::Notify::new(),
        }
    }

    pub fn lock(&self) -> std::sync::MutexGuard<'_, I> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}
