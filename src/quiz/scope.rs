//! Which servers' deliveries this engine makes. One process may serve only some servers of
//! the database (a range of Discord shards; Discord but not Slack): its tick hands out, and
//! its next due time counts, only their rounds, so it never claims another process's
//! delivery nor wakes for one. The adapters say which servers they serve; the engine only
//! asks.

use std::collections::HashSet;
use std::sync::Arc;

use jiff::Timestamp;

use super::Engine;
use crate::store::StoreError;

/// Whether a server key (`discord:…`, `slack:…`) is served here.
type Serves = Arc<dyn Fn(&str) -> bool + Send + Sync>;

/// Every server, or those `serves` holds.
#[derive(Clone, Default)]
pub struct Scope {
    serves: Option<Serves>,
}

impl Scope {
    /// Every server of the database (one process for everything).
    pub fn everything() -> Self {
        Self::default()
    }

    /// Only the servers `serves` says yes to.
    pub fn only(serves: impl Fn(&str) -> bool + Send + Sync + 'static) -> Self {
        Self {
            serves: Some(Arc::new(serves)),
        }
    }

    pub(super) fn holds(&self, server: &str) -> bool {
        self.serves.as_ref().is_none_or(|serves| serves(server))
    }

    fn is_everything(&self) -> bool {
        self.serves.is_none()
    }
}

impl std::fmt::Debug for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.is_everything() {
            "Scope(everything)"
        } else {
            "Scope(some servers)"
        })
    }
}

impl Engine {
    /// This engine delivering only for `scope`'s servers (the store and bank are shared).
    pub fn delivering_for(&self, scope: Scope) -> Engine {
        let mut engine = self.clone();
        engine.scope = scope;
        engine
    }

    /// When this engine can next claim a delivery of its own servers, leaving out the
    /// channels in `besides` (a delivery loop's own, being sent or waiting for a retry).
    pub(super) fn next_claimable(
        &self,
        now: Timestamp,
        besides: &HashSet<String>,
    ) -> Result<Option<Timestamp>, StoreError> {
        if self.scope.is_everything() && besides.is_empty() {
            return self.store.next_claimable(now);
        }
        Ok(self
            .store
            .claimable(now)?
            .into_iter()
            .filter(|(server, channel, _)| self.scope.holds(server) && !besides.contains(channel))
            .map(|(_, _, at)| at)
            .min())
    }
}
