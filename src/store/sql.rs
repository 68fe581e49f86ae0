//! Every SQL statement the bot runs, one per function. Callers compose them into
//! transactions in `super`; nothing outside `store` sees SQL or rusqlite.

use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{
    AnswerRow, BoardPeriod, BoardRow, NewAnswer, NewRound, PeriodStarts, Remembered, RoundReview,
    ScheduleRow, ScoredAnswer, TeamRow,
};
use crate::bank::{Letters, Question, QuestionId};
use crate::records::{Memory, Pending, PrivateMode, Round, RoundId, RoundKind, RoundState};
use crate::schedule::{DailyTime, RevealRule, Schedule, Weekdays, Zone};

type Result<T> = rusqlite::Result<T>;

pub fn secs(t: Timestamp) -> i64 {
    t.as_second()
}

pub fn ts(secs: i64) -> Timestamp {
    Timestamp::from_second(secs).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// A value the database holds that no longer parses: reported as a conversion failure.
pub(super) fn corrupt(column: usize, what: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        column,
        rusqlite::types::Type::Text,
        what.to_string().into(),
    )
}

// ---- the file itself ----

pub fn application_id(c: &Connection) -> Result<i32> {
    c.query_row("PRAGMA application_id", [], |r| r.get(0))
}

pub fn set_application_id(c: &Connection, id: i32) -> Result<()> {
    c.pragma_update(None, "application_id", id)
}

pub fn user_version(c: &Connection) -> Result<i64> {
    c.query_row("PRAGMA user_version", [], |r| r.get(0))
}

pub fn set_user_version(c: &Connection, version: usize) -> Result<()> {
    c.pragma_update(
        None,
        "user_version",
        i64::try_from(version).unwrap_or(i64::MAX),
    )
}

/// Tables, indexes, views and triggers in the file.
pub fn schema_objects(c: &Connection) -> Result<i64> {
    c.query_row("SELECT COUNT(*) FROM sqlite_schema", [], |r| r.get(0))
}

pub fn has_table(c: &Connection, name: &str) -> Result<bool> {
    c.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1)",
        params![name],
        |r| r.get(0),
    )
}

/// SQLite's quick integrity check: `["ok"]`, or what is damaged.
pub fn quick_check(c: &Connection) -> Result<Vec<String>> {
    c.prepare("PRAGMA quick_check(5)")?
        .query_map([], |r| r.get(0))?
        .collect()
}

/// Moves the write-ahead log into the database file and empties it.
pub fn checkpoint(c: &Connection) -> Result<(i64, i64, i64)> {
    c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })
}

/// A consistent copy of the whole database, written to a new file at `path`.
pub fn vacuum_into(c: &Connection, path: &str) -> Result<usize> {
    c.execute("VACUUM INTO ?1", params![path])
}

// ---- members and settings ----

pub fn upsert_member(c: &Connection, key: &str, name: &str) -> Result<usize> {
    c.prepare_cached(
        "INSERT INTO members (key, name) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET name = excluded.name WHERE name <> excluded.name",
    )?
    .execute(params![key, name])
}

pub fn member_name(c: &Connection, key: &str) -> Result<Option<String>> {
    c.prepare_cached("SELECT name FROM members WHERE key = ?1")?
        .query_row(params![key], |r| r.get(0))
        .optional()
}

pub fn setting(c: &Connection, key: &str) -> Result<Option<String>> {
    c.prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row(params![key], |r| r.get(0))
        .optional()
}

pub fn put_setting(c: &Connection, key: &str, value: &str) -> Result<usize> {
    c.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])
}

// ---- schedules ----

const SCHEDULE_COLUMNS: &str =
    "channel, server, time, zone, days, reveal, lang, since, disabled_reason, due_at";

fn schedule_row(r: &Row) -> Result<ScheduleRow> {
    let text = |i: usize| r.get::<_, String>(i);
    let schedule = Schedule {
        time: DailyTime::parse(&text(2)?).map_err(|e| corrupt(2, e))?,
        zone: Zone::parse(&text(3)?).map_err(|e| corrupt(3, e))?,
        days: Weekdays::parse(&text(4)?).map_err(|e| corrupt(4, e))?,
        reveal: RevealRule::parse(&text(5)?).map_err(|e| corrupt(5, e))?,
    };
    Ok(ScheduleRow {
        channel: text(0)?,
        server: text(1)?,
        schedule,
        lang: text(6)?.parse().map_err(|e: String| corrupt(6, e))?,
        since: ts(r.get(7)?),
        disabled: r.get(8)?,
        due_at: ts(r.get(9)?),
    })
}

pub fn put_schedule(c: &Connection, row: &ScheduleRow) -> Result<usize> {
    let s = &row.schedule;
    c.prepare_cached(&format!(
        "INSERT OR REPLACE INTO schedules ({SCHEDULE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    ))?
    .execute(params![
        row.channel,
        row.server,
        s.time.to_string(),
        s.zone.name(),
        s.days.to_string(),
        s.reveal.to_string(),
        row.lang.code(),
        secs(row.since),
        row.disabled,
        secs(row.due_at),
    ])
}

pub fn delete_schedule(c: &Connection, channel: &str) -> Result<usize> {
    c.prepare_cached("DELETE FROM schedules WHERE channel = ?1")?
        .execute(params![channel])
}

pub fn disable_schedule(c: &Connection, channel: &str, reason: &str) -> Result<usize> {
    c.prepare_cached("UPDATE schedules SET disabled_reason = ?2 WHERE channel = ?1")?
        .execute(params![channel, reason])
}

pub fn schedule(c: &Connection, channel: &str) -> Result<Option<ScheduleRow>> {
    c.prepare_cached(&format!(
        "SELECT {SCHEDULE_COLUMNS} FROM schedules WHERE channel = ?1"
    ))?
    .query_row(params![channel], schedule_row)
    .optional()
}

/// Active schedules that need the scheduler at or before `now`.
pub fn due_schedules(c: &Connection, now: Timestamp) -> Result<Vec<ScheduleRow>> {
    c.prepare_cached(&format!(
        "SELECT {SCHEDULE_COLUMNS} FROM schedules
         WHERE disabled_reason IS NULL AND due_at <= ?1 ORDER BY due_at, channel"
    ))?
    .query_map(params![secs(now)], schedule_row)?
    .collect()
}

pub fn next_schedule_due(c: &Connection) -> Result<Option<Timestamp>> {
    c.prepare_cached("SELECT MIN(due_at) FROM schedules WHERE disabled_reason IS NULL")?
        .query_row([], |r| r.get::<_, Option<i64>>(0))
        .map(|s| s.map(ts))
}

pub fn set_schedule_due(c: &Connection, channel: &str, due: Timestamp) -> Result<usize> {
    c.prepare_cached("UPDATE schedules SET due_at = ?2 WHERE channel = ?1")?
        .execute(params![channel, secs(due)])
}

pub fn server_zone(c: &Connection, server: &str) -> Result<Option<String>> {
    c.prepare_cached("SELECT zone FROM schedules WHERE server = ?1 ORDER BY channel LIMIT 1")?
        .query_row(params![server], |r| r.get(0))
        .optional()
}

// ---- rounds ----

// The question snapshot is not among the columns: it is read once per round and cached
// by the store (`QuestionOf`), since every answer would otherwise re-read and re-parse it.
const ROUND_COLUMNS: &str = "id, server, channel, kind, local_date, zone, lang, state, \
     created_at, opened_at, closed_at, revealed_at, reveal_at, message";

/// Finds a round's question snapshot by the round's id.
pub type QuestionOf<'a> = &'a dyn Fn(RoundId) -> Result<Arc<Question>>;

fn round_row(r: &Row, question_of: QuestionOf) -> Result<Round> {
    let id = RoundId(r.get(0)?);
    let kind = match (
        r.get::<_, String>(3)?.as_str(),
        r.get::<_, Option<String>>(4)?,
    ) {
        ("scheduled", Some(date)) => RoundKind::Scheduled {
            date: date.parse::<Date>().map_err(|e| corrupt(4, e))?,
        },
        _ => RoundKind::Manual,
    };
    let at = |i: usize| -> Result<Timestamp> { Ok(ts(r.get::<_, Option<i64>>(i)?.unwrap_or(0))) };
    let state = match r.get::<_, String>(7)?.as_str() {
        "scheduled" => RoundState::Scheduled,
        "open" => RoundState::Open { opened_at: at(9)? },
        "revealing" => RoundState::Revealing { closed_at: at(10)? },
        "revealed" => RoundState::Revealed {
            revealed_at: at(11)?,
        },
        other => return Err(corrupt(7, format!("unknown round state {other}"))),
    };
    Ok(Round {
        id,
        server: r.get(1)?,
        channel: r.get(2)?,
        question: question_of(id)?,
        kind,
        zone: r.get(5)?,
        lang: r
            .get::<_, String>(6)?
            .parse()
            .map_err(|e: String| corrupt(6, e))?,
        state,
        created_at: ts(r.get(8)?),
        reveal_at: ts(r.get(12)?),
        message: r.get(13)?,
    })
}

/// The question a round was posted with.
pub fn round_question(c: &Connection, id: RoundId) -> Result<Question> {
    c.prepare_cached(
        "SELECT s.question FROM rounds r JOIN snapshots s ON s.key = r.snapshot WHERE r.id = ?1",
    )?
    .query_row(params![id.0], |r| {
        let json: String = r.get(0)?;
        serde_json::from_str(&json).map_err(|e| corrupt(0, e))
    })
}

/// A question as posted, serialized with its key; made outside the writer, which then
/// stores it only if that exact content is new.
pub struct Snapshot {
    pub key: String,
    pub json: String,
}

impl Snapshot {
    pub fn of(question: &Question) -> Result<Self> {
        let json = serde_json::to_string(question).map_err(|e| corrupt(0, e))?;
        // FNV-1a: a stable digest (the std hasher may change between Rust releases).
        let digest = json.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        Ok(Self {
            key: format!("{}@{digest:016x}", question.id),
            json,
        })
    }
}

pub fn insert_snapshot(c: &Connection, snapshot: &Snapshot) -> Result<usize> {
    c.prepare_cached(
        "INSERT INTO snapshots (key, question) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    )?
    .execute(params![snapshot.key, snapshot.json])
}

/// Inserts a round (its snapshot must be stored); `None` when the channel already has its
/// scheduled round for that date.
pub fn insert_round(
    c: &Connection,
    new: &NewRound,
    snapshot: &Snapshot,
) -> Result<Option<RoundId>> {
    let (kind, date) = match new.kind {
        RoundKind::Scheduled { date } => ("scheduled", Some(date.to_string())),
        RoundKind::Manual => ("manual", None),
    };
    c.prepare_cached(
        "INSERT INTO rounds (server, channel, question_id, snapshot, kind, local_date, zone, lang,
                             state, created_at, reveal_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'scheduled', ?9, ?10)
         ON CONFLICT DO NOTHING RETURNING id",
    )?
    .query_row(
        params![
            new.server,
            new.channel,
            new.question.id.as_str(),
            snapshot.key,
            kind,
            date,
            new.zone,
            new.lang.code(),
            secs(new.created_at),
            secs(new.reveal_at),
        ],
        |r| r.get(0).map(RoundId),
    )
    .optional()
}

pub fn round(c: &Connection, id: RoundId, question_of: QuestionOf) -> Result<Option<Round>> {
    c.prepare_cached(&format!("SELECT {ROUND_COLUMNS} FROM rounds WHERE id = ?1"))?
        .query_row(params![id.0], |r| round_row(r, question_of))
        .optional()
}

pub fn open_round_in(
    c: &Connection,
    channel: &str,
    question_of: QuestionOf,
) -> Result<Option<Round>> {
    c.prepare_cached(&format!(
        "SELECT {ROUND_COLUMNS} FROM rounds WHERE channel = ?1 AND state = 'open' ORDER BY id DESC LIMIT 1"
    ))?
    .query_row(params![channel], |r| round_row(r, question_of))
    .optional()
}

pub fn latest_round_in(
    c: &Connection,
    channel: &str,
    question_of: QuestionOf,
) -> Result<Option<Round>> {
    c.prepare_cached(&format!(
        "SELECT {ROUND_COLUMNS} FROM rounds WHERE channel = ?1 ORDER BY id DESC LIMIT 1"
    ))?
    .query_row(params![channel], |r| round_row(r, question_of))
    .optional()
}

/// Rounds whose post or reveal is decided but not yet confirmed by the platform.
pub fn rounds_to_deliver(c: &Connection, question_of: QuestionOf) -> Result<Vec<Round>> {
    c.prepare_cached(&format!(
        "SELECT {ROUND_COLUMNS} FROM rounds WHERE state IN ('scheduled', 'revealing') ORDER BY id"
    ))?
    .query_map([], |r| round_row(r, question_of))?
    .collect()
}

/// Open rounds whose reveal time has come: (id, zone, when posted).
pub fn rounds_to_reveal(
    c: &Connection,
    now: Timestamp,
) -> Result<Vec<(RoundId, String, Timestamp)>> {
    c.prepare_cached(
        "SELECT id, zone, created_at FROM rounds WHERE state = 'open' AND reveal_at <= ?1 ORDER BY id",
    )?
    .query_map(params![secs(now)], |r| Ok((RoundId(r.get(0)?), r.get(1)?, ts(r.get(2)?))))?
    .collect()
}

/// Makes every other open round of a channel due for reveal now: a new question replaces
/// an unrevealed one.
pub fn reveal_older_rounds(
    c: &Connection,
    channel: &str,
    newest: RoundId,
    now: Timestamp,
) -> Result<usize> {
    c.prepare_cached(
        // `+reveal_at` keeps the planner on (channel, state): on (state, reveal_at) it would
        // scan every open round of every channel.
        "UPDATE rounds SET reveal_at = ?3 WHERE channel = ?1 AND id <> ?2 AND state = 'open' AND +reveal_at > ?3",
    )?
    .execute(params![channel, newest.0, secs(now)])
}

pub fn next_reveal_at(c: &Connection) -> Result<Option<Timestamp>> {
    c.prepare_cached("SELECT MIN(reveal_at) FROM rounds WHERE state = 'open'")?
        .query_row([], |r| r.get::<_, Option<i64>>(0))
        .map(|s| s.map(ts))
}

pub fn set_round_open(
    c: &Connection,
    id: RoundId,
    now: Timestamp,
    message: Option<&str>,
) -> Result<usize> {
    c.prepare_cached(
        "UPDATE rounds SET state = 'open', opened_at = ?2, message = ?3, claim_owner = NULL, claim_until = NULL
         WHERE id = ?1 AND state = 'scheduled'",
    )?
    .execute(params![id.0, secs(now), message])
}

/// Claims a round's pending delivery (its post while `scheduled`, its reveal while
/// `revealing`) for `owner` until `until`: refused while another owner's claim runs.
pub fn claim_round(
    c: &Connection,
    id: RoundId,
    state: &str,
    owner: &str,
    now: Timestamp,
    until: Timestamp,
) -> Result<usize> {
    c.prepare_cached(
        "UPDATE rounds SET claim_owner = ?3, claim_until = ?5
         WHERE id = ?1 AND state = ?2
           AND (claim_owner IS NULL OR claim_owner = ?3 OR claim_until <= ?4)",
    )?
    .execute(params![id.0, state, owner, secs(now), secs(until)])
}

/// When `owner` can next claim some pending delivery: `now` if one is free already, else
/// when the first claim held by another owner runs out.
pub fn next_claimable(c: &Connection, owner: &str, now: Timestamp) -> Result<Option<Timestamp>> {
    c.prepare_cached(
        "SELECT MIN(CASE WHEN claim_owner IS NULL OR claim_owner = ?1 OR claim_until <= ?2
                         THEN ?2 ELSE claim_until END)
         FROM rounds WHERE state IN ('scheduled', 'revealing')",
    )?
    .query_row(params![owner, secs(now)], |r| r.get::<_, Option<i64>>(0))
    .map(|s| s.map(ts))
}

pub fn set_round_revealing(c: &Connection, id: RoundId, now: Timestamp) -> Result<usize> {
    c.prepare_cached(
        "UPDATE rounds SET state = 'revealing', closed_at = ?2, claim_owner = NULL, claim_until = NULL
         WHERE id = ?1 AND state = 'open'",
    )?
    .execute(params![id.0, secs(now)])
}

pub fn set_round_revealed(c: &Connection, id: RoundId, now: Timestamp) -> Result<usize> {
    c.prepare_cached(
        "UPDATE rounds SET state = 'revealed', revealed_at = ?2 WHERE id = ?1 AND state = 'revealing'",
    )?
    .execute(params![id.0, secs(now)])
}

pub fn set_reveal_at(c: &Connection, id: RoundId, at: Timestamp) -> Result<usize> {
    c.prepare_cached("UPDATE rounds SET reveal_at = ?2 WHERE id = ?1 AND state = 'open'")?
        .execute(params![id.0, secs(at)])
}

/// Drops rounds decided but never posted (their channel is gone).
pub fn delete_unposted_rounds(c: &Connection, channel: &str) -> Result<usize> {
    c.prepare_cached("DELETE FROM rounds WHERE channel = ?1 AND state = 'scheduled'")?
        .execute(params![channel])
}

/// Marks reveals that can no longer be posted as done (their channel is gone).
pub fn give_up_reveals(c: &Connection, channel: &str, now: Timestamp) -> Result<usize> {
    c.prepare_cached(
        "UPDATE rounds SET state = 'revealed', revealed_at = ?2 WHERE channel = ?1 AND state = 'revealing'",
    )?
    .execute(params![channel, secs(now)])
}

/// Each question the channel has had, with when it last had it.
pub fn questions_used_in(c: &Connection, channel: &str) -> Result<Vec<(String, Timestamp)>> {
    c.prepare_cached(
        "SELECT question_id, MAX(created_at) FROM rounds WHERE channel = ?1 GROUP BY question_id",
    )?
    .query_map(params![channel], |r| Ok((r.get(0)?, ts(r.get(1)?))))?
    .collect()
}

// ---- answers ----

/// Records a daily answer only while the round is open and the member has none yet.
pub fn insert_daily_answer(c: &Connection, a: &NewAnswer, round: RoundId) -> Result<usize> {
    c.prepare_cached(
        "INSERT INTO answers (server, member, question_id, mode, round_id, letters, correct, domain,
                              services, answered_at, task, unsure)
         SELECT ?1, ?2, ?3, 'daily', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11
         WHERE EXISTS (SELECT 1 FROM rounds WHERE id = ?4 AND state = 'open')
         ON CONFLICT DO NOTHING",
    )?
    .execute(params![
        a.server,
        a.member,
        a.question_id,
        round.0,
        a.letters.to_string(),
        a.correct,
        a.domain,
        a.services,
        secs(a.at),
        a.task,
        a.unsure,
    ])
}

/// Records a practice or review answer, scored at once.
pub fn insert_private_answer(c: &Connection, a: &NewAnswer, mode: PrivateMode) -> Result<usize> {
    c.prepare_cached(
        "INSERT INTO answers (server, member, question_id, mode, letters, correct, domain, services,
                              answered_at, scored_at, task, unsure)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11)",
    )?
    .execute(params![
        a.server,
        a.member,
        a.question_id,
        mode.key(),
        a.letters.to_string(),
        a.correct,
        a.domain,
        a.services,
        secs(a.at),
        a.task,
        a.unsure,
    ])
}

pub fn daily_answer(c: &Connection, round: RoundId, member: &str) -> Result<Option<Letters>> {
    c.prepare_cached("SELECT letters FROM answers WHERE round_id = ?1 AND member = ?2")?
        .query_row(params![round.0, member], |r| {
            Letters::parse(&r.get::<_, String>(0)?).map_err(|e| corrupt(0, e))
        })
        .optional()
}

pub fn round_answers(c: &Connection, round: RoundId) -> Result<Vec<AnswerRow>> {
    c.prepare_cached(
        "SELECT m.name, a.letters, a.correct FROM answers a JOIN members m ON m.key = a.member
         WHERE a.round_id = ?1 ORDER BY a.answered_at, a.id",
    )?
    .query_map(params![round.0], |r| {
        Ok(AnswerRow {
            name: r.get(0)?,
            letters: Letters::parse(&r.get::<_, String>(1)?).map_err(|e| corrupt(1, e))?,
            correct: r.get(2)?,
        })
    })?
    .collect()
}

/// Adds a revealed round's answers to its members' totals for the round's day, week and
/// month (given as their start instants) and for all time.
pub fn add_round_scores(c: &Connection, round: RoundId, starts: &PeriodStarts) -> Result<usize> {
    c.prepare_cached(
        "INSERT INTO scores (server, member, period, start, correct, answered)
         SELECT a.server, a.member, p.column1, p.column2, a.correct, 1
         FROM answers a, (VALUES ('day', ?2), ('week', ?3), ('month', ?4), ('all', 0)) p
         WHERE a.round_id = ?1
         ON CONFLICT DO UPDATE SET correct = correct + excluded.correct, answered = answered + 1",
    )?
    .execute(params![
        round.0,
        secs(starts.day),
        secs(starts.week),
        secs(starts.month)
    ])
}

/// Makes a revealed round's answers count in stats.
pub fn score_round(c: &Connection, round: RoundId, now: Timestamp) -> Result<usize> {
    c.prepare_cached("UPDATE answers SET scored_at = ?2 WHERE round_id = ?1 AND scored_at IS NULL")?
        .execute(params![round.0, secs(now)])
}

pub fn member_board(
    c: &Connection,
    server: &str,
    period: &BoardPeriod,
    limit: usize,
) -> Result<Vec<BoardRow>> {
    c.prepare_cached(
        "SELECT m.name, s.correct, s.answered FROM scores s JOIN members m ON m.key = s.member
         WHERE s.server = ?1 AND s.period = ?2 AND s.start = ?3
         ORDER BY s.correct DESC, s.answered ASC, m.name LIMIT ?4",
    )?
    .query_map(
        params![server, period.key, secs(period.start), limit as i64],
        board_row,
    )?
    .collect()
}

pub fn team_board(
    c: &Connection,
    server: &str,
    period: &BoardPeriod,
    limit: usize,
) -> Result<Vec<BoardRow>> {
    c.prepare_cached(
        "SELECT t.name, SUM(s.correct), SUM(s.answered) FROM scores s
         JOIN team_members tm ON tm.server = s.server AND tm.member = s.member
         JOIN teams t ON t.id = tm.team_id
         WHERE s.server = ?1 AND s.period = ?2 AND s.start = ?3
         GROUP BY t.id ORDER BY SUM(s.correct) DESC, SUM(s.answered) ASC, t.name LIMIT ?4",
    )?
    .query_map(
        params![server, period.key, secs(period.start), limit as i64],
        board_row,
    )?
    .collect()
}

fn board_row(r: &Row) -> Result<BoardRow> {
    Ok(BoardRow {
        name: r.get(0)?,
        correct: r.get::<_, i64>(1)? as u64,
        answered: r.get::<_, i64>(2)? as u64,
    })
}

/// Every scored answer of a member in a server, as stats count it: `daily` for an answer
/// to a channel round (scheduled or `/quiz post`).
pub fn member_results(c: &Connection, member: &str, server: &str) -> Result<Vec<ScoredAnswer>> {
    c.prepare_cached(
        "SELECT domain, task, services, correct, mode = 'daily' FROM answers
         WHERE member = ?1 AND server = ?2 AND scored_at IS NOT NULL",
    )?
    .query_map(params![member, server], |r| {
        Ok(ScoredAnswer {
            domain: r.get(0)?,
            task: r.get(1)?,
            services: r.get(2)?,
            correct: r.get(3)?,
            daily: r.get(4)?,
        })
    })?
    .collect()
}

// ---- private questions ----

pub fn put_pending(
    c: &Connection,
    member: &str,
    server: &str,
    id: &QuestionId,
    mode: PrivateMode,
    now: Timestamp,
) -> Result<usize> {
    c.prepare_cached(
        "INSERT OR REPLACE INTO pending (member, server, question_id, mode, served_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![member, server, id.as_str(), mode.key(), secs(now)])
}

pub fn pending(c: &Connection, member: &str, server: &str) -> Result<Option<Pending>> {
    c.prepare_cached(
        "SELECT question_id, mode, served_at FROM pending WHERE member = ?1 AND server = ?2",
    )?
    .query_row(params![member, server], |r| {
        Ok(Pending {
            question_id: QuestionId::parse(&r.get::<_, String>(0)?).map_err(|e| corrupt(0, e))?,
            mode: match r.get::<_, String>(1)?.as_str() {
                "review" => PrivateMode::Review,
                _ => PrivateMode::Practice,
            },
            served_at: ts(r.get(2)?),
        })
    })
    .optional()
}

pub fn clear_pending(c: &Connection, member: &str, server: &str) -> Result<usize> {
    c.prepare_cached("DELETE FROM pending WHERE member = ?1 AND server = ?2")?
        .execute(params![member, server])
}

pub fn mark_served(c: &Connection, member: &str, id: &QuestionId, now: Timestamp) -> Result<usize> {
    c.prepare_cached(
        "INSERT INTO served (member, question_id, served_at) VALUES (?1, ?2, ?3)
         ON CONFLICT DO UPDATE SET served_at = excluded.served_at",
    )?
    .execute(params![member, id.as_str(), secs(now)])
}

pub fn served(c: &Connection, member: &str) -> Result<Vec<(String, Timestamp)>> {
    c.prepare_cached("SELECT question_id, served_at FROM served WHERE member = ?1")?
        .query_map(params![member], |r| Ok((r.get(0)?, ts(r.get(1)?))))?
        .collect()
}

// ---- memories (spaced review) and exam dates ----

fn memory_of(r: &Row, from: usize) -> rusqlite::Result<Memory> {
    Ok(Memory {
        stability: r.get(from)?,
        difficulty: r.get(from + 1)?,
        reviewed_at: ts(r.get(from + 2)?),
    })
}

pub fn put_memory(
    c: &Connection,
    member: &str,
    server: &str,
    id: &str,
    m: &Remembered,
) -> Result<usize> {
    c.prepare_cached(
        "INSERT OR REPLACE INTO memories
             (member, server, question_id, stability, difficulty, reviewed_at, due_at, in_review)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        member,
        server,
        id,
        m.memory.stability,
        m.memory.difficulty,
        secs(m.memory.reviewed_at),
        secs(m.due),
        m.in_review,
    ])
}

pub fn memory(c: &Connection, member: &str, server: &str, id: &str) -> Result<Option<Remembered>> {
    c.prepare_cached(
        "SELECT stability, difficulty, reviewed_at, due_at, in_review FROM memories
         WHERE member = ?1 AND server = ?2 AND question_id = ?3",
    )?
    .query_row(params![member, server, id], |r| {
        Ok(Remembered {
            memory: memory_of(r, 0)?,
            due: ts(r.get(3)?),
            in_review: r.get(4)?,
        })
    })
    .optional()
}

/// Every question the member has a memory of in this server.
pub fn memories(c: &Connection, member: &str, server: &str) -> Result<Vec<(String, Memory)>> {
    c.prepare_cached(
        "SELECT question_id, stability, difficulty, reviewed_at FROM memories
         WHERE member = ?1 AND server = ?2",
    )?
    .query_map(params![member, server], |r| {
        Ok((r.get(0)?, memory_of(r, 1)?))
    })?
    .collect()
}

pub fn delete_memory(c: &Connection, member: &str, server: &str, id: &str) -> Result<usize> {
    c.prepare_cached("DELETE FROM memories WHERE member = ?1 AND server = ?2 AND question_id = ?3")?
        .execute(params![member, server, id])
}

/// The member's question in review that is due first: (question id, due).
pub fn next_review(
    c: &Connection,
    member: &str,
    server: &str,
) -> Result<Option<(String, Timestamp)>> {
    c.prepare_cached(
        "SELECT question_id, due_at FROM memories
         WHERE member = ?1 AND server = ?2 AND in_review = 1
         ORDER BY due_at, question_id LIMIT 1",
    )?
    .query_row(params![member, server], |r| Ok((r.get(0)?, ts(r.get(1)?))))
    .optional()
}

/// How many of the member's questions in review are due at `now`.
pub fn reviews_due(c: &Connection, member: &str, server: &str, now: Timestamp) -> Result<usize> {
    c.prepare_cached(
        "SELECT COUNT(*) FROM memories
         WHERE member = ?1 AND server = ?2 AND in_review = 1 AND due_at <= ?3",
    )?
    .query_row(params![member, server, secs(now)], |r| {
        r.get::<_, i64>(0).map(|n| n as usize)
    })
}

/// Each answer of a round with the answerer's memory of its question before it.
pub fn round_reviews(c: &Connection, round: RoundId) -> Result<Vec<RoundReview>> {
    c.prepare_cached(
        "SELECT a.member, a.server, a.question_id, a.correct, a.unsure,
                m.stability, m.difficulty, m.reviewed_at, m.due_at, m.in_review
         FROM answers a LEFT JOIN memories m
           ON m.member = a.member AND m.server = a.server AND m.question_id = a.question_id
         WHERE a.round_id = ?1",
    )?
    .query_map(params![round.0], |r| {
        let before = match r.get::<_, Option<f64>>(5)? {
            Some(_) => Some(Remembered {
                memory: memory_of(r, 5)?,
                due: ts(r.get(8)?),
                in_review: r.get(9)?,
            }),
            None => None,
        };
        Ok(RoundReview {
            member: r.get(0)?,
            server: r.get(1)?,
            question_id: r.get(2)?,
            correct: r.get(3)?,
            unsure: r.get(4)?,
            before,
        })
    })?
    .collect()
}

/// Every scored answer of a member in a server, oldest first: (question id, correct).
pub fn answer_history(c: &Connection, member: &str, server: &str) -> Result<Vec<(String, bool)>> {
    c.prepare_cached(
        "SELECT question_id, correct FROM answers
         WHERE member = ?1 AND server = ?2 AND scored_at IS NOT NULL ORDER BY answered_at, id",
    )?
    .query_map(params![member, server], |r| Ok((r.get(0)?, r.get(1)?)))?
    .collect()
}

pub fn insert_unsure_mark(c: &Connection, member: &str, target: &str) -> Result<usize> {
    c.prepare_cached(
        "INSERT INTO unsure_marks (member, target) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    )?
    .execute(params![member, target])
}

pub fn delete_unsure_mark(c: &Connection, member: &str, target: &str) -> Result<usize> {
    c.prepare_cached("DELETE FROM unsure_marks WHERE member = ?1 AND target = ?2")?
        .execute(params![member, target])
}

/// Flips the unsure flag of a member's recorded answer to a round still open; the new flag.
pub fn flip_daily_unsure(c: &Connection, round: RoundId, member: &str) -> Result<Option<bool>> {
    c.prepare_cached(
        "UPDATE answers SET unsure = 1 - unsure
         WHERE round_id = ?1 AND member = ?2
           AND EXISTS (SELECT 1 FROM rounds WHERE id = ?1 AND state = 'open')
         RETURNING unsure",
    )?
    .query_row(params![round.0, member], |r| r.get(0))
    .optional()
}

pub fn exam_date(c: &Connection, member: &str) -> Result<Option<String>> {
    c.prepare_cached("SELECT date FROM exam_dates WHERE member = ?1")?
        .query_row(params![member], |r| r.get(0))
        .optional()
}

pub fn put_exam_date(c: &Connection, member: &str, date: &str) -> Result<usize> {
    c.prepare_cached("INSERT OR REPLACE INTO exam_dates (member, date) VALUES (?1, ?2)")?
        .execute(params![member, date])
}

// ---- teams ----

pub fn insert_team(c: &Connection, server: &str, name: &str, key: &str) -> Result<usize> {
    c.prepare_cached(
        "INSERT INTO teams (server, name, name_key) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
    )?
    .execute(params![server, name, key])
}

pub fn team_by_key(c: &Connection, server: &str, key: &str) -> Result<Option<(i64, String)>> {
    c.prepare_cached("SELECT id, name FROM teams WHERE server = ?1 AND name_key = ?2")?
        .query_row(params![server, key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

pub fn put_team_member(c: &Connection, server: &str, member: &str, team: i64) -> Result<usize> {
    c.prepare_cached(
        "INSERT OR REPLACE INTO team_members (server, member, team_id) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![server, member, team])
}

pub fn delete_team_member(c: &Connection, server: &str, member: &str) -> Result<usize> {
    c.prepare_cached("DELETE FROM team_members WHERE server = ?1 AND member = ?2")?
        .execute(params![server, member])
}

pub fn team_of(c: &Connection, server: &str, member: &str) -> Result<Option<String>> {
    c.prepare_cached(
        "SELECT t.name FROM team_members tm JOIN teams t ON t.id = tm.team_id
         WHERE tm.server = ?1 AND tm.member = ?2",
    )?
    .query_row(params![server, member], |r| r.get(0))
    .optional()
}

pub fn delete_empty_teams(c: &Connection, server: &str) -> Result<usize> {
    c.prepare_cached(
        "DELETE FROM teams WHERE server = ?1
         AND NOT EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = teams.id)",
    )?
    .execute(params![server])
}

pub fn teams(c: &Connection, server: &str) -> Result<Vec<TeamRow>> {
    c.prepare_cached(
        "SELECT t.name, group_concat(m.name, char(10)) FROM teams t
         JOIN team_members tm ON tm.team_id = t.id JOIN members m ON m.key = tm.member
         WHERE t.server = ?1 GROUP BY t.id ORDER BY t.name_key",
    )?
    .query_map(params![server], |r| {
        let members: String = r.get(1)?;
        let mut members: Vec<String> = members.lines().map(str::to_owned).collect();
        members.sort();
        Ok(TeamRow {
            name: r.get(0)?,
            members,
        })
    })?
    .collect()
}

// ---- mock exams ----

/// Starts a mock exam; `None` if the member already has one running here.
pub fn insert_mock(c: &Connection, new: &super::NewMock) -> Result<Option<i64>> {
    c.prepare_cached(
        "INSERT INTO mocks (member, server, started_at, deadline, questions)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT DO NOTHING RETURNING id",
    )?
    .query_row(
        params![
            new.member,
            new.server,
            secs(new.started_at),
            secs(new.deadline),
            new.questions.join("\n"),
        ],
        |r| r.get(0),
    )
    .optional()
}

/// The member's running mock exam here, without its answers.
pub fn running_mock(c: &Connection, member: &str, server: &str) -> Result<Option<super::MockExam>> {
    c.prepare_cached(
        "SELECT id, started_at, deadline, questions FROM mocks
         WHERE member = ?1 AND server = ?2 AND finished_at IS NULL",
    )?
    .query_row(params![member, server], |r| {
        let questions: String = r.get(3)?;
        Ok(super::MockExam {
            id: r.get(0)?,
            started_at: ts(r.get(1)?),
            deadline: ts(r.get(2)?),
            questions: questions.lines().map(str::to_owned).collect(),
            answers: Vec::new(),
        })
    })
    .optional()
}

/// A mock exam's answers, in the order they were given.
pub fn mock_answers(c: &Connection, mock: i64) -> Result<Vec<super::MockAnswer>> {
    c.prepare_cached(
        "SELECT question_id, letters, correct, answered_at FROM mock_answers
         WHERE mock_id = ?1 ORDER BY answered_at, question_id",
    )?
    .query_map(params![mock], |r| {
        Ok(super::MockAnswer {
            question_id: r.get(0)?,
            letters: Letters::parse(&r.get::<_, String>(1)?).map_err(|e| corrupt(1, e))?,
            correct: r.get(2)?,
            at: ts(r.get(3)?),
        })
    })?
    .collect()
}

/// Records one answer of a running exam, once per question; 0 if it is over or answered.
pub fn insert_mock_answer(c: &Connection, mock: i64, a: &super::MockAnswer) -> Result<usize> {
    c.prepare_cached(
        "INSERT INTO mock_answers (mock_id, question_id, letters, correct, answered_at)
         SELECT ?1, ?2, ?3, ?4, ?5
         WHERE EXISTS (SELECT 1 FROM mocks WHERE id = ?1 AND finished_at IS NULL)
         ON CONFLICT DO NOTHING",
    )?
    .execute(params![
        mock,
        a.question_id,
        a.letters.to_string(),
        a.correct,
        secs(a.at)
    ])
}

/// Ends a running exam; 0 if it had ended already.
pub fn end_mock(c: &Connection, mock: i64, ending: &str, now: Timestamp) -> Result<usize> {
    c.prepare_cached(
        "UPDATE mocks SET finished_at = ?2, ending = ?3 WHERE id = ?1 AND finished_at IS NULL",
    )?
    .execute(params![mock, secs(now), ending])
}

/// A mock answer into the answers table, scored when the exam ended.
pub fn insert_mock_result(c: &Connection, a: &NewAnswer, scored_at: Timestamp) -> Result<usize> {
    c.prepare_cached(
        "INSERT INTO answers (server, member, question_id, mode, letters, correct, domain, services,
                              answered_at, scored_at, task, unsure)
         VALUES (?1, ?2, ?3, 'mock', ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0)",
    )?
    .execute(params![
        a.server,
        a.member,
        a.question_id,
        a.letters.to_string(),
        a.correct,
        a.domain,
        a.services,
        secs(a.at),
        secs(scored_at),
        a.task,
    ])
}
