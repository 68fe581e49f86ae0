//! Pending deliveries as the delivery loop plans its next wake: for each post or reveal
//! still to confirm, its server and channel and when this store may claim it (now, or when
//! another process's claim runs out). A process that delivers only some servers (a range
//! of Discord shards, one platform of several) leaves the others' rounds to the processes
//! that serve them, and a loop leaves out the channels it is already sending to.

use jiff::Timestamp;
use rusqlite::{Connection, params};

use super::sql::{secs, ts};
use super::{Result, Store};

/// One pending delivery: (server, channel, when this store can claim it).
pub type Claimable = (String, String, Timestamp);

impl Store {
    /// Every pending delivery, with when this store can claim it (`now` if free or already
    /// its own).
    pub fn claimable(&self, now: Timestamp) -> Result<Vec<Claimable>> {
        self.read(|c| claimable(c, &self.owner, now))
    }
}

fn claimable(c: &Connection, owner: &str, now: Timestamp) -> rusqlite::Result<Vec<Claimable>> {
    c.prepare_cached(
        "SELECT server, channel,
                CASE WHEN claim_owner IS NULL OR claim_owner = ?1 OR claim_until <= ?2
                     THEN ?2 ELSE claim_until END
         FROM rounds WHERE state IN ('scheduled', 'revealing')",
    )?
    .query_map(params![owner, secs(now)], |r| {
        Ok((r.get(0)?, r.get(1)?, ts(r.get(2)?)))
    })?
    .collect()
}
