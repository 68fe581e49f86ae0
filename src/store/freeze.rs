//! Streak days as stored, and the notices of used streak freezes. Freezes are not stored:
//! the engine computes them from the rounds read here, so they survive any crash as they
//! are. Only whether a member was told about a used freeze is kept.

use jiff::Timestamp;
use rusqlite::{Connection, params};

use super::sql::{secs, ts};
use super::{Result, Store};

/// A revealed daily round in a channel the member plays in, and how they did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreakRound {
    /// The channel's local date of a scheduled round (`None` for `/quiz post`).
    pub local_date: Option<String>,
    pub zone: String,
    pub opened_at: Timestamp,
    /// `Some(right?)` if the member answered, `None` if they missed it.
    pub correct: Option<bool>,
}

impl Store {
    /// Every revealed round of `server` in the channels where the member has answered a
    /// round, from their first answer there on, oldest first.
    pub fn streak_rounds(&self, member: &str, server: &str) -> Result<Vec<StreakRound>> {
        self.read(|c| streak_rounds(c, member, server))
    }

    /// Members who answered one of the `last` rounds revealed in `round`'s channel before it
    /// right, and did not answer `round` right: the ones whose streak it may have frozen
    /// (a streak that is still going had a right day among its last few).
    pub fn freeze_candidates(
        &self,
        round: crate::records::RoundId,
        last: usize,
    ) -> Result<Vec<String>> {
        let last = i64::try_from(last).unwrap_or(i64::MAX);
        self.read(|c| freeze_candidates(c, round.0, last))
    }

    /// Remembers that freezes covered these days, to tell the member once.
    pub fn note_freezes(
        &self,
        member: &str,
        server: &str,
        days: Vec<String>,
        now: Timestamp,
    ) -> Result<()> {
        let (member, server) = (member.to_owned(), server.to_owned());
        self.write(move |c| {
            for day in &days {
                put_freeze_notice(c, &member, &server, day, now)?;
            }
            Ok(())
        })
    }

    /// The days of used freezes the member has not been told about, and marks them told.
    pub fn take_freeze_notices(
        &self,
        member: &str,
        server: &str,
        now: Timestamp,
    ) -> Result<Vec<String>> {
        // The common case, a member with nothing to hear, only reads.
        if self.read(|c| untold_freezes(c, member, server))?.is_empty() {
            return Ok(Vec::new());
        }
        let (member, server) = (member.to_owned(), server.to_owned());
        self.write(move |c| {
            let days = untold_freezes(c, &member, &server)?;
            mark_freezes_told(c, &member, &server, now)?;
            Ok(days)
        })
    }
}

fn streak_rounds(c: &Connection, member: &str, server: &str) -> rusqlite::Result<Vec<StreakRound>> {
    c.prepare_cached(
        "WITH firsts AS (
             SELECT r2.channel, MIN(r2.opened_at) AS since FROM answers a2
             JOIN rounds r2 ON r2.id = a2.round_id
             WHERE a2.member = ?1 AND a2.server = ?2 GROUP BY r2.channel)
         SELECT r.local_date, r.zone, r.opened_at, a.correct FROM firsts f
         JOIN rounds r ON r.channel = f.channel AND r.state = 'revealed' AND r.opened_at >= f.since
         LEFT JOIN answers a ON a.round_id = r.id AND a.member = ?1
         WHERE r.server = ?2
         ORDER BY r.opened_at, r.id",
    )?
    .query_map(params![member, server], |r| {
        Ok(StreakRound {
            local_date: r.get(0)?,
            zone: r.get(1)?,
            opened_at: ts(r.get(2)?),
            correct: r.get(3)?,
        })
    })?
    .collect()
}

fn freeze_candidates(c: &Connection, round: i64, last: i64) -> rusqlite::Result<Vec<String>> {
    c.prepare_cached(
        "SELECT DISTINCT a.member FROM answers a
         WHERE a.correct = 1 AND a.round_id IN (
               SELECT r.id FROM rounds this
               JOIN rounds r ON r.channel = this.channel AND r.state = 'revealed'
                            AND r.id <> this.id AND r.opened_at <= this.opened_at
               WHERE this.id = ?1 ORDER BY r.opened_at DESC, r.id DESC LIMIT ?2)
           AND a.member NOT IN (SELECT member FROM answers WHERE round_id = ?1 AND correct = 1)",
    )?
    .query_map(params![round, last], |r| r.get(0))?
    .collect()
}

fn put_freeze_notice(
    c: &Connection,
    member: &str,
    server: &str,
    day: &str,
    now: Timestamp,
) -> rusqlite::Result<usize> {
    c.prepare_cached(
        "INSERT OR IGNORE INTO freeze_notices (member, server, day, noticed_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![member, server, day, secs(now)])
}

fn untold_freezes(c: &Connection, member: &str, server: &str) -> rusqlite::Result<Vec<String>> {
    c.prepare_cached(
        "SELECT day FROM freeze_notices WHERE member = ?1 AND server = ?2 AND told_at IS NULL
         ORDER BY day",
    )?
    .query_map(params![member, server], |r| r.get(0))?
    .collect()
}

fn mark_freezes_told(
    c: &Connection,
    member: &str,
    server: &str,
    now: Timestamp,
) -> rusqlite::Result<usize> {
    c.prepare_cached(
        "UPDATE freeze_notices SET told_at = ?3
         WHERE member = ?1 AND server = ?2 AND told_at IS NULL",
    )?
    .execute(params![member, server, secs(now)])
}
