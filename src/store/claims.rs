//! Pending deliveries as the delivery loop plans its next wake: for each channel with a
//! post or reveal still to confirm, when this store may claim it (now, or when another
//! process's claim runs out).

use jiff::Timestamp;
use rusqlite::{Connection, params};

use super::{Result, Store, sql};

impl Store {
    /// Every pending delivery's channel and when this store can claim it (`now` if free or
    /// already its own).
    pub fn claimable_by_channel(&self, now: Timestamp) -> Result<Vec<(String, Timestamp)>> {
        self.read(|c| claimable_by_channel(c, &self.owner, now))
    }
}

fn claimable_by_channel(
    c: &Connection,
    owner: &str,
    now: Timestamp,
) -> rusqlite::Result<Vec<(String, Timestamp)>> {
    c.prepare_cached(
        "SELECT channel, CASE WHEN claim_owner IS NULL OR claim_owner = ?1 OR claim_until <= ?2
                              THEN ?2 ELSE claim_until END
         FROM rounds WHERE state IN ('scheduled', 'revealing')",
    )?
    .query_map(params![owner, sql::secs(now)], |r| {
        let at: i64 = r.get(1)?;
        Ok((
            r.get(0)?,
            Timestamp::from_second(at).unwrap_or(Timestamp::UNIX_EPOCH),
        ))
    })?
    .collect()
}
