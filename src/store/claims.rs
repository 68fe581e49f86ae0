//! Pending deliveries seen by server, for a process that delivers only some servers' (a
//! range of Discord shards, one platform of several): when it can next claim one of its
//! own, with other servers' rounds left to the processes that serve them.

use jiff::Timestamp;
use rusqlite::{Connection, params};

use super::sql::{secs, ts};
use super::{Result, Store};

impl Store {
    /// Every pending delivery as (server, when this store can claim it: `now` if free).
    pub fn claimable_by_server(&self, now: Timestamp) -> Result<Vec<(String, Timestamp)>> {
        self.read(|c| claimable_by_server(c, &self.owner, now))
    }
}

fn claimable_by_server(
    c: &Connection,
    owner: &str,
    now: Timestamp,
) -> rusqlite::Result<Vec<(String, Timestamp)>> {
    c.prepare_cached(
        "SELECT server, CASE WHEN claim_owner IS NULL OR claim_owner = ?1 OR claim_until <= ?2
                             THEN ?2 ELSE claim_until END
         FROM rounds WHERE state IN ('scheduled', 'revealing')",
    )?
    .query_map(params![owner, secs(now)], |r| {
        Ok((r.get(0)?, ts(r.get(1)?)))
    })?
    .collect()
}
