//! The log: `RUST_LOG` (or a default) chooses what is written to stderr, but the libraries
//! that carry the platforms' bytes (websocket, HTTP, TLS) are capped at `info` whatever it
//! says. At `debug` and `trace` they dump frames and buffers (tungstenite prints Discord's
//! IDENTIFY, token included, as hex), and no log level may ever show a token.

use tracing::level_filters::LevelFilter;
use tracing_subscriber::Layer as _;
use tracing_subscriber::filter::{EnvFilter, Targets};
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// Crates whose debug and trace output shows raw traffic. Matched as target prefixes, which
/// also covers their modules and the `log` records they emit through the bridge.
pub const TRANSPORT_TARGETS: &[&str] = &[
    "tungstenite",
    "tokio_tungstenite",
    "async_tungstenite",
    "hyper",
    "hyper_util",
    "hyper_rustls",
    "h2",
    "reqwest",
    "rustls",
    "tokio_rustls",
    "want",
    "mio",
];

/// The cap on top of any `RUST_LOG`: transports at `info` at most, everything else as asked.
pub fn transport_cap() -> Targets {
    TRANSPORT_TARGETS.iter().fold(
        Targets::new().with_default(LevelFilter::TRACE),
        |t, target| t.with_target(*target, LevelFilter::INFO),
    )
}

/// Installs the stderr log: `RUST_LOG` if set and valid, else `default`, under the cap.
pub fn init(default: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_filter(filter)
        .with_filter(transport_cap());
    tracing_subscriber::registry().with(layer).init();
}

#[cfg(test)]
mod tests {
    use tracing::Level;

    #[test]
    fn no_filter_can_open_a_transport_library_below_info() {
        let cap = super::transport_cap();
        for target in [
            "tungstenite::protocol",
            "tokio_tungstenite",
            "hyper::proto::h1",
        ] {
            assert!(!cap.would_enable(target, &Level::DEBUG), "{target}");
            assert!(cap.would_enable(target, &Level::WARN), "{target}");
        }
        assert!(cap.would_enable("quizbot::adapters", &Level::TRACE));
        assert!(cap.would_enable("serenity::gateway", &Level::TRACE));
    }
}
