//! The operator's window (`QUIZBOT_METRICS_ADDR`): `/healthz` says whether this process is
//! fit to serve, `/metrics` what it has done ([`crate::metrics`]), in the Prometheus text
//! format. Off unless the address is set; bound only to that address.
//!
//! Healthy means: the store answers a trivial query, and every configured platform is
//! connected ([`Link`]): on Discord every shard this process runs is Ready (or resumed);
//! on Slack the Socket Mode connection has said `hello` and no socket error came since.
//! Otherwise `/healthz` answers 503 with each reason on a line. Reasons name platforms and
//! shard numbers only, never a token.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::PrometheusHandle;
use tokio::net::TcpListener;

use crate::store::Store;

/// Whether a platform's connection is up, and if not why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    Up,
    Down(String),
}

pub type LinkFuture<'a> = Pin<Box<dyn Future<Output = LinkState> + Send + 'a>>;

/// One platform's connection, as `/healthz` sees it.
pub trait Link: Send + Sync {
    fn state(&self) -> LinkFuture<'_>;
}

/// What `/healthz` checks.
#[derive(Clone)]
pub struct Health {
    store: Store,
    links: Vec<Arc<dyn Link>>,
}

/// How long the store may take to answer before it counts as not answering.
const STORE_TIMEOUT: Duration = Duration::from_secs(5);

impl Health {
    pub fn new(store: Store, links: Vec<Arc<dyn Link>>) -> Self {
        Self { store, links }
    }

    /// `Ok` when healthy; else every reason, one per line.
    pub async fn check(&self) -> Result<(), String> {
        let mut reasons = Vec::new();
        let store = self.store.clone();
        let answered = tokio::time::timeout(
            STORE_TIMEOUT,
            tokio::task::spawn_blocking(move || store.ping()),
        )
        .await;
        match answered {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(error))) => reasons.push(format!("store: {error}")),
            Ok(Err(_)) => reasons.push("store: the check failed".to_owned()),
            Err(_) => reasons.push("store: no answer within 5 s".to_owned()),
        }
        for link in &self.links {
            if let LinkState::Down(reason) = link.state().await {
                reasons.push(reason);
            }
        }
        if reasons.is_empty() {
            Ok(())
        } else {
            Err(reasons.join("\n"))
        }
    }
}

/// Binds the operator's address, so a taken or forbidden one stops `quizbot run` at once.
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, String> {
    TcpListener::bind(addr)
        .await
        .map_err(|e| format!("QUIZBOT_METRICS_ADDR: cannot listen on {addr}: {e}"))
}

#[derive(Clone)]
struct Served {
    health: Health,
    metrics: PrometheusHandle,
}

/// Serves `/healthz` and `/metrics` on `listener` until the task is dropped or aborted.
pub fn serve(
    listener: TcpListener,
    health: Health,
    metrics: PrometheusHandle,
) -> tokio::task::JoinHandle<Result<(), String>> {
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "serving /healthz and /metrics");
    }
    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(render_metrics))
        .with_state(Served { health, metrics });
    tokio::spawn(async move {
        axum::serve(listener, app)
            .await
            .map_err(|e| format!("the metrics server stopped: {e}"))
    })
}

async fn healthz(State(served): State<Served>) -> Response {
    match served.health.check().await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(reasons) => (StatusCode::SERVICE_UNAVAILABLE, format!("{reasons}\n")).into_response(),
    }
}

async fn render_metrics(State(served): State<Served>) -> Response {
    // The links refresh their gauges (connected shards) as they are asked.
    for link in &served.health.links {
        link.state().await;
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        served.metrics.render(),
    )
        .into_response()
}

/// `quizbot health`: GETs `/healthz` at `addr` (an unspecified address such as 0.0.0.0
/// is asked on 127.0.0.1) and says whether it answered 200. Plain HTTP/1.1 over a socket:
/// the slim image has no curl, and one request needs no client library.
pub fn probe(addr: SocketAddr) -> Result<(), String> {
    use std::io::{Read as _, Write as _};
    let mut addr = addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let limit = Duration::from_secs(5);
    let mut stream = std::net::TcpStream::connect_timeout(&addr, limit)
        .map_err(|e| format!("{addr}: cannot connect: {e}"))?;
    let io = |e: std::io::Error| format!("{addr}: {e}");
    stream.set_read_timeout(Some(limit)).map_err(io)?;
    stream.set_write_timeout(Some(limit)).map_err(io)?;
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).map_err(io)?;
    // A health answer is a line or two; more than this is not one.
    let mut answer = Vec::new();
    stream
        .take(64 * 1024)
        .read_to_end(&mut answer)
        .map_err(io)?;
    let answer = String::from_utf8_lossy(&answer);
    let status = answer
        .lines()
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .unwrap_or_default();
    let body = answer
        .split_once("\r\n\r\n")
        .map_or("", |(_, body)| body)
        .trim();
    match status {
        "200" => Ok(()),
        "" => Err(format!("{addr}: not an HTTP answer")),
        status => Err(format!("{addr}: {status}: {body}")),
    }
}
