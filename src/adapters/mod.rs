//! Adapters: each turns a platform's input into engine requests and the engine's cards into
//! the platform's messages. They hold no quiz rules.
//!
//! `deliver` is the scheduler loop all chat platforms share; `clock` is the time it reads.
//! Each chat platform module offers `connect`, returning its [`Connected`] half. `health`
//! serves `/healthz` and `/metrics` to the operator.

pub mod clock;
pub mod deliver;
#[cfg(feature = "discord")]
pub mod discord;
pub mod health;
#[cfg(any(feature = "discord", feature = "slack"))]
pub mod pages;
#[cfg(feature = "slack")]
pub mod slack;
pub mod terminal;

use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinSet;

use crate::config::Config;
use crate::quiz::{Engine, Scope};
use clock::Clock;
use deliver::Outbox;
use health::{Health, Link};

/// Whether a server key is one this connection serves (and so delivers to).
pub type Serves = Arc<dyn Fn(&str) -> bool + Send + Sync>;

/// A platform that is connected: where deliveries for its channels go, the task that
/// serves its events (it ends only on a fatal error), whether it is connected now, and
/// which servers it serves (a Discord process may run only some shards).
pub struct Connected {
    pub outbox: Arc<dyn Outbox>,
    pub task: tokio::task::JoinHandle<Result<(), String>>,
    pub link: Arc<dyn Link>,
    pub serves: Serves,
}

/// Why `quizbot run` without a platform's tokens refuses to start.
pub const NOTHING_TO_CONNECT: &str = "nothing to connect to: set DISCORD_TOKEN, or \
    SLACK_APP_TOKEN and SLACK_BOT_TOKEN (see .env.example). To try the bot without a \
    platform, run `quizbot play`.";

/// Serves every configured platform from one engine and one delivery loop until Ctrl-C,
/// SIGTERM, or a platform's fatal error; with `QUIZBOT_METRICS_ADDR`, also `/healthz` and
/// `/metrics` there.
pub async fn serve(engine: Engine, config: &Config, clock: Clock) -> Result<(), String> {
    // Bound first: a taken or forbidden address stops the bot before it connects.
    let metrics = match config.metrics {
        Some(addr) => Some(health::bind(addr).await?),
        None => None,
    };
    serve_with(engine, config, clock, metrics).await
}

/// [`serve`], with `/healthz` and `/metrics` on `metrics` if given (a test's own port).
pub async fn serve_with(
    engine: Engine,
    config: &Config,
    clock: Clock,
    metrics: Option<TcpListener>,
) -> Result<(), String> {
    let recorder = match metrics {
        Some(listener) => Some((listener, crate::metrics::install()?)),
        None => None,
    };
    serve_all(
        engine,
        config,
        clock,
        recorder,
        Arc::new(deliver::MetricsWatch),
    )
    .await
}

/// [`serve`], with `watch` told what the delivery loop does (tests).
pub async fn serve_watched(
    engine: Engine,
    config: &Config,
    clock: Clock,
    watch: Arc<dyn deliver::Watch>,
) -> Result<(), String> {
    serve_all(engine, config, clock, None, watch).await
}

async fn serve_all(
    engine: Engine,
    config: &Config,
    clock: Clock,
    recorder: Option<(TcpListener, metrics_exporter_prometheus::PrometheusHandle)>,
    watch: Arc<dyn deliver::Watch>,
) -> Result<(), String> {
    let wake = Arc::new(Notify::new());
    let mut connected: Vec<Connected> = Vec::new();
    if config.discord.is_some() {
        connected.push(connect_discord(&engine, config, &clock, &wake).await?);
    }
    if config.slack.is_some() {
        connected.push(connect_slack(&engine, config, &clock, &wake).await?);
    }
    if connected.is_empty() {
        return Err(NOTHING_TO_CONNECT.into());
    }
    let outboxes = connected.iter().map(|c| c.outbox.clone()).collect();
    // Only the servers of the connected platforms (and shards): the rest belong to other
    // processes on the database, which claim and send them.
    let serves: Vec<Serves> = connected.iter().map(|c| c.serves.clone()).collect();
    let delivering = engine.delivering_for(Scope::only(move |server| {
        serves.iter().any(|serves| serves(server))
    }));
    let store = engine.store().clone();
    let mut tasks = JoinSet::new();
    if let Some((listener, recorder)) = recorder {
        let links = connected.iter().map(|c| c.link.clone()).collect();
        let served = health::serve(listener, Health::new(store.clone(), links), recorder);
        tasks.spawn(async move { served.await.map_err(|e| e.to_string())? });
    }
    tasks.spawn(async move {
        deliver::Loop::new(delivering, outboxes, clock, wake)
            .watch(watch)
            .run()
            .await;
        Ok(())
    });
    for platform in connected {
        tasks.spawn(async move { platform.task.await.map_err(|e| e.to_string())? });
    }
    tokio::select! {
        result = tasks.join_next() => match result {
            Some(Ok(Err(error))) => Err(error),
            Some(Err(error)) => Err(error.to_string()),
            _ => Ok(()),
        },
        () = shutdown_signal() => {
            tracing::info!("shutting down");
            Ok(())
        }
        reason = store.file_lost() => Err(reason),
    }
}

/// Runs `then` on a thread of its own at Ctrl-C or SIGTERM (for the synchronous `play`);
/// returns once the signals are being watched, so none is missed from then on.
pub fn on_shutdown_signal(then: impl FnOnce() + Send + 'static) -> std::io::Result<()> {
    let (ready, watching) = std::sync::mpsc::sync_channel::<std::io::Result<()>>(1);
    std::thread::Builder::new()
        .name("quizbot-signals".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(e) => return drop(ready.send(Err(e))),
            };
            runtime.block_on(async move {
                #[cfg(unix)]
                {
                    use tokio::signal::unix::{SignalKind, signal};
                    let streams = signal(SignalKind::interrupt())
                        .and_then(|i| Ok((i, signal(SignalKind::terminate())?)));
                    let (mut interrupt, mut terminate) = match streams {
                        Ok(streams) => streams,
                        Err(e) => return drop(ready.send(Err(e))),
                    };
                    let _ = ready.send(Ok(()));
                    tokio::select! {
                        _ = interrupt.recv() => {}
                        _ = terminate.recv() => {}
                    }
                }
                #[cfg(not(unix))]
                {
                    let _ = ready.send(Ok(()));
                    let _ = tokio::signal::ctrl_c().await;
                }
            });
            then();
        })?;
    watching
        .recv()
        .map_err(|_| std::io::Error::other("the signal thread stopped"))?
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

#[cfg(feature = "discord")]
async fn connect_discord(
    engine: &Engine,
    config: &Config,
    clock: &Clock,
    wake: &Arc<Notify>,
) -> Result<Connected, String> {
    discord::connect(engine, config, clock, wake).await
}

#[cfg(not(feature = "discord"))]
#[allow(clippy::unused_async)]
async fn connect_discord(
    _engine: &Engine,
    _config: &Config,
    _clock: &Clock,
    _wake: &Arc<Notify>,
) -> Result<Connected, String> {
    Err("this build has no Discord adapter".into())
}

#[cfg(feature = "slack")]
async fn connect_slack(
    engine: &Engine,
    config: &Config,
    clock: &Clock,
    wake: &Arc<Notify>,
) -> Result<Connected, String> {
    slack::connect(engine, config, clock, wake).await
}

#[cfg(not(feature = "slack"))]
#[allow(clippy::unused_async)]
async fn connect_slack(
    _engine: &Engine,
    _config: &Config,
    _clock: &Clock,
    _wake: &Arc<Notify>,
) -> Result<Connected, String> {
    Err("this build has no Slack adapter".into())
}
