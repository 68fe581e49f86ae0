//! What the delivery loop tells an observer (metrics, tests): each delivery sent, put off
//! for a retry, or given up on, and the queue after each pass. Every method does nothing
//! by default, so an observer takes only what it needs; none may block.

use jiff::{SignedDuration, Timestamp};

use crate::quiz::Delivery;

/// The queue as a pass left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Depth {
    /// Deliveries due and not yet confirmed (being sent and waiting included).
    pub due: usize,
    /// Channels with a delivery being sent.
    pub in_flight: usize,
    /// Deliveries waiting for their own retry time.
    pub waiting: usize,
}

pub trait Watch: Send + Sync {
    /// The platform took the delivery; `lag` is how long after it fell due.
    fn sent(&self, _delivery: &Delivery, _lag: SignedDuration) {}
    /// A transient failure: the delivery is tried again at `at` (its own backoff, never
    /// sooner than the platform asked).
    fn retried(&self, _delivery: &Delivery, _reason: &str, _at: Timestamp) {}
    /// The channel cannot be posted to: its schedule is stopped.
    fn gone(&self, _delivery: &Delivery, _reason: &str) {}
    /// A pass at `now` is done.
    fn queue(&self, _now: Timestamp, _depth: Depth) {}
}

/// Watches nothing.
pub struct NoWatch;

impl Watch for NoWatch {}

/// Counts what the loop does in the operator's metrics (`/metrics`); a no-op until the
/// Prometheus recorder is installed.
pub struct MetricsWatch;

impl Watch for MetricsWatch {
    fn sent(&self, delivery: &Delivery, lag: SignedDuration) {
        crate::metrics::delivery_sent(&delivery.channel, lag);
    }

    fn retried(&self, delivery: &Delivery, _reason: &str, _at: Timestamp) {
        crate::metrics::delivery_retried(&delivery.channel);
    }

    fn gone(&self, delivery: &Delivery, _reason: &str) {
        crate::metrics::delivery_gone(&delivery.channel);
    }

    fn queue(&self, _now: Timestamp, depth: Depth) {
        crate::metrics::delivery_queue(depth.due);
    }
}
