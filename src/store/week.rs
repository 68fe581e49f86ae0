//! The study group's week as stored: each schedule's weekly settings (threads, recap time,
//! why threads stopped), each reveal's message and link, members' meetup picks, and weekly
//! recaps with the winners they kept. A recap is decided once per channel and week (a
//! unique index), claimed by one process like a daily post, and confirmed once posted.
//!
//! The SQL of this topic lives here, one statement per function, below the store methods.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::sql::{corrupt, ts};
use super::{Result, ScheduleRow, Store, sql};
use crate::bank::Lang;
use crate::records::{
    Recap, RecapId, RoundId, Threads, WeekAnswer, WeekRound, WeekRow, WeekSettings, WeekWinner,
};
use crate::schedule::RecapTime;

/// One schedule's recap decision at a tick: the recap to store, if one is due, and when
/// the channel's recap next needs a look.
#[derive(Debug, Clone)]
pub struct RecapPlan {
    pub channel: String,
    pub recap: Option<NewRecap>,
    pub next: Timestamp,
}

/// A recap about to be decided: its channel and week, and the winners it keeps.
#[derive(Debug, Clone)]
pub struct NewRecap {
    pub server: String,
    pub channel: String,
    pub monday: Date,
    pub zone: String,
    pub lang: Lang,
    pub starts: Timestamp,
    pub ends: Timestamp,
    pub decided_at: Timestamp,
    pub winners: Vec<WeekWinner>,
}

impl Store {
    /// Saves a schedule with its weekly settings in one transaction; a schedule set again
    /// starts with threads allowed (a permission since granted is tried again).
    pub fn save_schedule_with(&self, row: ScheduleRow, week: WeekSettings) -> Result<()> {
        self.write(move |c| {
            sql::put_schedule(c, &row)?;
            put_week(c, &row.channel, &week, first_recap(&row, week.recap))?;
            Ok(())
        })
    }

    /// A channel's weekly settings; the defaults for a channel with none stored.
    pub fn week_row(&self, channel: &str) -> Result<WeekRow> {
        self.read(|c| week_row(c, channel).map(Option::unwrap_or_default))
    }

    /// Threads stop for the channel's schedule, with the platform's reason, until the
    /// schedule is set again.
    pub fn block_threads(&self, channel: &str, reason: &str) -> Result<()> {
        let (channel, reason) = (channel.to_owned(), reason.to_owned());
        self.write(move |c| set_threads_blocked(c, &channel, &reason).map(drop))
    }

    /// The channels of active schedules whose recap needs a look at `now`.
    pub fn due_recap_schedules(&self, now: Timestamp) -> Result<Vec<(ScheduleRow, WeekRow)>> {
        self.read(|c| {
            let mut due = Vec::new();
            for (channel, week) in due_recap_channels(c, now)? {
                if let Some(row) = sql::schedule(c, &channel)? {
                    due.push((row, week));
                }
            }
            Ok(due)
        })
    }

    /// When a schedule's recap next needs a look.
    pub fn next_recap_due(&self) -> Result<Option<Timestamp>> {
        self.read(next_recap_due)
    }

    /// Stores one tick's recap decisions, with their winners and when each channel's recap
    /// next needs a look, in one transaction. A recap for a channel's week that has one
    /// already is refused (the unique index) and skipped. Returns the recaps stored.
    pub fn decide_recaps(&self, plans: Vec<RecapPlan>) -> Result<Vec<RecapId>> {
        self.write(move |c| {
            let mut decided = Vec::new();
            for plan in &plans {
                set_recap_due(c, &plan.channel, plan.next)?;
                let Some(new) = &plan.recap else { continue };
                let Some(id) = insert_recap(c, new)? else {
                    continue;
                };
                for winner in &new.winners {
                    insert_winner(c, id, new, winner)?;
                }
                decided.push(id);
            }
            Ok(decided)
        })
    }

    /// Recaps decided and not yet confirmed posted.
    pub fn recaps_to_deliver(&self) -> Result<Vec<Recap>> {
        self.read(recaps_to_deliver)
    }

    /// Claims a recap's post for this store until `until`; false if another process holds
    /// it or it is posted.
    pub fn claim_recap(&self, id: RecapId, now: Timestamp, until: Timestamp) -> Result<bool> {
        let owner = self.owner.clone();
        self.write(move |c| claim_recap(c, id, &owner, now, until).map(|n| n == 1))
    }

    /// When this store can next claim a pending recap (`now` if one is free).
    /// Every recap still to post, as (server, when this store can claim it: `now` if free or
    /// already its own).
    pub fn recaps_claimable(&self, now: Timestamp) -> Result<Vec<(String, Timestamp)>> {
        self.read(|c| recaps_claimable(c, &self.owner, now))
    }

    /// The recap's post is confirmed.
    pub fn finish_recap(
        &self,
        id: RecapId,
        now: Timestamp,
        message: Option<String>,
    ) -> Result<bool> {
        self.write(move |c| set_recap_posted(c, id, now, message.as_deref()).map(|n| n > 0))
    }

    /// A channel that cannot be posted to any more gives up its pending recaps.
    pub fn give_up_recaps(&self, channel: &str, now: Timestamp) -> Result<()> {
        let channel = channel.to_owned();
        self.write(move |c| give_up_recaps(c, &channel, now).map(drop))
    }

    /// The reveal is confirmed, with the id of the message it went out as.
    pub fn finish_reveal(
        &self,
        id: RoundId,
        now: Timestamp,
        message: Option<String>,
    ) -> Result<bool> {
        self.write(move |c| {
            let done = sql::set_round_revealed(c, id, now)? > 0;
            if let Some(message) = &message {
                set_reveal_message(c, id, message)?;
            }
            Ok(done)
        })
    }

    /// Keeps the reveal's link as the platform gave it (Slack's permalink).
    pub fn set_reveal_link(&self, id: RoundId, link: &str) -> Result<()> {
        let link = link.to_owned();
        self.write(move |c| set_reveal_link(c, id, &link).map(drop))
    }

    /// Picks the round for the meetup for this member, or takes the pick back if they had
    /// one: whether it is picked now, and how many members picked it.
    pub fn toggle_pick(&self, round: RoundId, member: &str, now: Timestamp) -> Result<(bool, u64)> {
        let member = member.to_owned();
        self.write(move |c| {
            let picked = if delete_pick(c, round, &member)? == 1 {
                false
            } else {
                insert_pick(c, round, &member, now)?;
                true
            };
            Ok((picked, picks(c, round)?))
        })
    }

    /// The channel's rounds posted in `[starts, ends)` and revealed by `until`, oldest first.
    pub fn week_rounds(
        &self,
        channel: &str,
        starts: Timestamp,
        ends: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<WeekRound>> {
        self.read(|c| {
            week_round_rows(c, channel, starts, ends, until)?
                .into_iter()
                .map(|(id, server, channel, picks, message, link)| {
                    Ok(WeekRound {
                        id,
                        server,
                        channel,
                        question: self.question_of(c, id)?,
                        picks,
                        reveal_message: message,
                        reveal_link: link,
                    })
                })
                .collect()
        })
    }

    /// Every answer to those rounds, with the answerer's name and team.
    pub fn week_answers(
        &self,
        channel: &str,
        starts: Timestamp,
        ends: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<WeekAnswer>> {
        self.read(|c| week_answers(c, channel, starts, ends, until))
    }

    /// The winners kept for a server's week (every channel's recap), best first.
    pub fn week_winners(&self, server: &str, monday: Date) -> Result<Vec<WeekWinner>> {
        self.read(|c| week_winners(c, server, monday))
    }

    /// The weeks (their Mondays) a member was among a recap's winners here, latest first.
    pub fn week_wins(&self, member: &str, server: &str) -> Result<Vec<Date>> {
        self.read(|c| week_wins(c, member, server))
    }
}

// ---- SQL ----

/// When a schedule set at `row.since` first needs a look for its recap.
pub(super) fn first_recap(row: &ScheduleRow, recap: RecapTime) -> Timestamp {
    row.schedule
        .next_recap(recap, row.since)
        .unwrap_or(Timestamp::MAX)
}

fn put_week(
    c: &Connection,
    channel: &str,
    week: &WeekSettings,
    due: Timestamp,
) -> rusqlite::Result<usize> {
    c.prepare_cached(
        "INSERT OR REPLACE INTO schedule_weeks (channel, threads, recap, threads_blocked, recap_due_at)
         VALUES (?1, ?2, ?3, NULL, ?4)",
    )?
    .execute(params![
        channel,
        week.threads.key(),
        week.recap.to_string(),
        sql::secs(due)
    ])
}

/// Columns 0 to 2: threads, recap, threads_blocked.
fn week_of(r: &Row, from: usize) -> rusqlite::Result<WeekRow> {
    let threads: Option<String> = r.get(from)?;
    let recap: Option<String> = r.get(from + 1)?;
    Ok(WeekRow {
        settings: WeekSettings {
            threads: threads
                .as_deref()
                .map_or(Some(Threads::On), Threads::parse)
                .ok_or_else(|| corrupt(from, "unknown threads setting"))?,
            recap: recap
                .as_deref()
                .map_or(Ok(RecapTime::AfterLastReveal), RecapTime::parse)
                .map_err(|e| corrupt(from + 1, e))?,
        },
        threads_blocked: r.get(from + 2)?,
    })
}

fn week_row(c: &Connection, channel: &str) -> rusqlite::Result<Option<WeekRow>> {
    c.prepare_cached(
        "SELECT threads, recap, threads_blocked FROM schedule_weeks WHERE channel = ?1",
    )?
    .query_row(params![channel], |r| week_of(r, 0))
    .optional()
}

fn set_threads_blocked(c: &Connection, channel: &str, reason: &str) -> rusqlite::Result<usize> {
    c.prepare_cached(
        "INSERT INTO schedule_weeks (channel, threads_blocked) VALUES (?1, ?2)
         ON CONFLICT (channel) DO UPDATE SET threads_blocked = excluded.threads_blocked",
    )?
    .execute(params![channel, reason])
}

/// A schedule saved without weekly settings gets the defaults.
pub(super) fn ensure_week(
    c: &Connection,
    channel: &str,
    due: Timestamp,
) -> rusqlite::Result<usize> {
    c.prepare_cached(
        "INSERT OR IGNORE INTO schedule_weeks (channel, recap_due_at) VALUES (?1, ?2)",
    )?
    .execute(params![channel, sql::secs(due)])
}

/// Active schedules, with their weekly settings, whose recap is due by `now`.
fn due_recap_channels(c: &Connection, now: Timestamp) -> rusqlite::Result<Vec<(String, WeekRow)>> {
    c.prepare_cached(
        // CROSS JOIN keeps schedule_weeks outside, read by its due index.
        "SELECT w.channel, w.threads, w.recap, w.threads_blocked FROM schedule_weeks w
         CROSS JOIN schedules s ON s.channel = w.channel
         WHERE w.recap_due_at <= ?1 AND s.disabled_reason IS NULL
         ORDER BY w.recap_due_at, w.channel",
    )?
    .query_map(params![sql::secs(now)], |r| Ok((r.get(0)?, week_of(r, 1)?)))?
    .collect()
}

fn next_recap_due(c: &Connection) -> rusqlite::Result<Option<Timestamp>> {
    c.prepare_cached(
        // Walks the due index in order and stops at the first active schedule.
        "SELECT w.recap_due_at FROM schedule_weeks w
         CROSS JOIN schedules s ON s.channel = w.channel
         WHERE s.disabled_reason IS NULL ORDER BY w.recap_due_at LIMIT 1",
    )?
    .query_row([], |r| r.get::<_, i64>(0))
    .optional()
    .map(|s| s.map(ts))
}

fn set_recap_due(c: &Connection, channel: &str, due: Timestamp) -> rusqlite::Result<usize> {
    c.prepare_cached(
        "INSERT INTO schedule_weeks (channel, recap_due_at) VALUES (?1, ?2)
         ON CONFLICT (channel) DO UPDATE SET recap_due_at = excluded.recap_due_at",
    )?
    .execute(params![channel, sql::secs(due)])
}

/// A new recap; `None` if the channel's week has one (the unique index).
fn insert_recap(c: &Connection, new: &NewRecap) -> rusqlite::Result<Option<RecapId>> {
    let n = c
        .prepare_cached(
            "INSERT OR IGNORE INTO recaps (server, channel, monday, zone, lang, starts_at, ends_at, decided_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            new.server,
            new.channel,
            new.monday.to_string(),
            new.zone,
            new.lang.code(),
            sql::secs(new.starts),
            sql::secs(new.ends),
            sql::secs(new.decided_at),
        ])?;
    Ok((n == 1).then(|| RecapId(c.last_insert_rowid())))
}

fn insert_winner(
    c: &Connection,
    recap: RecapId,
    new: &NewRecap,
    w: &WeekWinner,
) -> rusqlite::Result<usize> {
    c.prepare_cached(
        "INSERT OR IGNORE INTO week_winners (recap_id, server, monday, member, name, correct, answered)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        recap.0,
        new.server,
        new.monday.to_string(),
        w.member,
        w.name,
        w.correct as i64,
        w.answered as i64,
    ])
}

const RECAP_COLUMNS: &str =
    "id, server, channel, monday, zone, lang, starts_at, ends_at, decided_at, posted_at";

fn recap_row(r: &Row) -> rusqlite::Result<Recap> {
    Ok(Recap {
        id: RecapId(r.get(0)?),
        server: r.get(1)?,
        channel: r.get(2)?,
        monday: r
            .get::<_, String>(3)?
            .parse()
            .map_err(|e: jiff::Error| corrupt(3, e))?,
        zone: r.get(4)?,
        lang: r
            .get::<_, String>(5)?
            .parse()
            .map_err(|e: String| corrupt(5, e))?,
        starts: ts(r.get(6)?),
        ends: ts(r.get(7)?),
        decided_at: ts(r.get(8)?),
        posted: r.get::<_, Option<i64>>(9)?.is_some(),
    })
}

fn recaps_to_deliver(c: &Connection) -> rusqlite::Result<Vec<Recap>> {
    c.prepare_cached(&format!(
        "SELECT {RECAP_COLUMNS} FROM recaps WHERE posted_at IS NULL ORDER BY id"
    ))?
    .query_map([], recap_row)?
    .collect()
}

fn claim_recap(
    c: &Connection,
    id: RecapId,
    owner: &str,
    now: Timestamp,
    until: Timestamp,
) -> rusqlite::Result<usize> {
    c.prepare_cached(
        "UPDATE recaps SET claim_owner = ?2, claim_until = ?4
         WHERE id = ?1 AND posted_at IS NULL
           AND (claim_owner IS NULL OR claim_owner = ?2 OR claim_until <= ?3)",
    )?
    .execute(params![id.0, owner, sql::secs(now), sql::secs(until)])
}

fn recaps_claimable(
    c: &Connection,
    owner: &str,
    now: Timestamp,
) -> rusqlite::Result<Vec<(String, Timestamp)>> {
    c.prepare_cached(
        "SELECT server, CASE WHEN claim_owner IS NULL OR claim_owner = ?1 OR claim_until <= ?2
                             THEN ?2 ELSE claim_until END
         FROM recaps WHERE posted_at IS NULL",
    )?
    .query_map(params![owner, sql::secs(now)], |r| {
        Ok((r.get(0)?, ts(r.get(1)?)))
    })?
    .collect()
}

fn set_recap_posted(
    c: &Connection,
    id: RecapId,
    now: Timestamp,
    message: Option<&str>,
) -> rusqlite::Result<usize> {
    c.prepare_cached(
        "UPDATE recaps SET posted_at = ?2, message = ?3, claim_owner = NULL, claim_until = NULL
         WHERE id = ?1 AND posted_at IS NULL",
    )?
    .execute(params![id.0, sql::secs(now), message])
}

fn give_up_recaps(c: &Connection, channel: &str, now: Timestamp) -> rusqlite::Result<usize> {
    c.prepare_cached("UPDATE recaps SET posted_at = ?2 WHERE channel = ?1 AND posted_at IS NULL")?
        .execute(params![channel, sql::secs(now)])
}

fn set_reveal_message(c: &Connection, id: RoundId, message: &str) -> rusqlite::Result<usize> {
    c.prepare_cached("UPDATE rounds SET reveal_message = ?2 WHERE id = ?1")?
        .execute(params![id.0, message])
}

fn set_reveal_link(c: &Connection, id: RoundId, link: &str) -> rusqlite::Result<usize> {
    c.prepare_cached("UPDATE rounds SET reveal_link = ?2 WHERE id = ?1")?
        .execute(params![id.0, link])
}

fn insert_pick(
    c: &Connection,
    round: RoundId,
    member: &str,
    now: Timestamp,
) -> rusqlite::Result<usize> {
    c.prepare_cached(
        "INSERT OR IGNORE INTO meetup_picks (round_id, member, picked_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![round.0, member, sql::secs(now)])
}

fn delete_pick(c: &Connection, round: RoundId, member: &str) -> rusqlite::Result<usize> {
    c.prepare_cached("DELETE FROM meetup_picks WHERE round_id = ?1 AND member = ?2")?
        .execute(params![round.0, member])
}

fn picks(c: &Connection, round: RoundId) -> rusqlite::Result<u64> {
    c.prepare_cached("SELECT COUNT(*) FROM meetup_picks WHERE round_id = ?1")?
        .query_row(params![round.0], |r| r.get::<_, i64>(0))
        .map(|n| n.max(0) as u64)
}

type WeekRoundRow = (RoundId, String, String, u64, Option<String>, Option<String>);

fn week_round_rows(
    c: &Connection,
    channel: &str,
    starts: Timestamp,
    ends: Timestamp,
    until: Timestamp,
) -> rusqlite::Result<Vec<WeekRoundRow>> {
    c.prepare_cached(
        "SELECT r.id, r.server, r.channel,
                (SELECT COUNT(*) FROM meetup_picks p WHERE p.round_id = r.id),
                r.reveal_message, r.reveal_link
         FROM rounds r
         WHERE r.channel = ?1 AND r.created_at >= ?2 AND r.created_at < ?3
           AND r.state = 'revealed' AND r.revealed_at <= ?4
         ORDER BY r.created_at, r.id",
    )?
    .query_map(
        params![
            channel,
            sql::secs(starts),
            sql::secs(ends),
            sql::secs(until)
        ],
        |r| {
            Ok((
                RoundId(r.get(0)?),
                r.get(1)?,
                r.get(2)?,
                r.get::<_, i64>(3)?.max(0) as u64,
                r.get(4)?,
                r.get(5)?,
            ))
        },
    )?
    .collect()
}

fn week_answers(
    c: &Connection,
    channel: &str,
    starts: Timestamp,
    ends: Timestamp,
    until: Timestamp,
) -> rusqlite::Result<Vec<WeekAnswer>> {
    c.prepare_cached(
        "SELECT a.round_id, a.member, m.name, a.correct, t.name
         FROM rounds r JOIN answers a ON a.round_id = r.id
         JOIN members m ON m.key = a.member
         LEFT JOIN team_members tm ON tm.server = a.server AND tm.member = a.member
         LEFT JOIN teams t ON t.id = tm.team_id
         WHERE r.channel = ?1 AND r.created_at >= ?2 AND r.created_at < ?3
           AND r.state = 'revealed' AND r.revealed_at <= ?4
         ORDER BY a.round_id, a.id",
    )?
    .query_map(
        params![
            channel,
            sql::secs(starts),
            sql::secs(ends),
            sql::secs(until)
        ],
        |r| {
            Ok(WeekAnswer {
                round: RoundId(r.get(0)?),
                member: r.get(1)?,
                name: r.get(2)?,
                correct: r.get(3)?,
                team: r.get(4)?,
            })
        },
    )?
    .collect()
}

fn week_winners(c: &Connection, server: &str, monday: Date) -> rusqlite::Result<Vec<WeekWinner>> {
    c.prepare_cached(
        "SELECT member, MIN(name), MAX(correct), MAX(answered) FROM week_winners
         WHERE server = ?1 AND monday = ?2
         GROUP BY member ORDER BY MAX(correct) DESC, MIN(name)",
    )?
    .query_map(params![server, monday.to_string()], |r| {
        Ok(WeekWinner {
            member: r.get(0)?,
            name: r.get(1)?,
            correct: r.get::<_, i64>(2)?.max(0) as u64,
            answered: r.get::<_, i64>(3)?.max(0) as u64,
        })
    })?
    .collect()
}

fn week_wins(c: &Connection, member: &str, server: &str) -> rusqlite::Result<Vec<Date>> {
    c.prepare_cached(
        "SELECT DISTINCT monday FROM week_winners WHERE member = ?1 AND server = ?2
         ORDER BY monday DESC",
    )?
    .query_map(params![member, server], |r| {
        r.get::<_, String>(0)?
            .parse()
            .map_err(|e: jiff::Error| corrupt(0, e))
    })?
    .collect()
}
