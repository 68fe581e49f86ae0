//! Writes straight to SQLite, without the engine or the writer thread, for the benchmarks:
//! the ceiling and the naive way to compare the answer path with, and large histories to
//! measure leaderboards on. The bot itself never calls these.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::{Connection, params};

use super::{NewAnswer, NewRound, PeriodStarts, Result, StoreError, sql};
use crate::records::RoundId;

fn open(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path).map_err(|source| StoreError::Open {
        path: path.to_owned(),
        source,
    })?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(conn)
}

/// The ceiling: the same statements the engine runs for each answer, all in one
/// transaction on one connection. Returns the time taken.
pub fn insert_in_one_transaction(
    path: &Path,
    round: RoundId,
    answers: &[NewAnswer],
) -> Result<Duration> {
    let mut conn = open(path)?;
    let start = Instant::now();
    let tx = conn.transaction()?;
    for a in answers {
        sql::upsert_member(&tx, &a.member, &a.member_name)?;
        sql::insert_daily_answer(&tx, a, round)?;
    }
    tx.commit()?;
    Ok(start.elapsed())
}

/// The naive way: one transaction (and one fsync) per answer.
pub fn insert_one_by_one(path: &Path, round: RoundId, answers: &[NewAnswer]) -> Result<Duration> {
    let mut conn = open(path)?;
    let start = Instant::now();
    for a in answers {
        let tx = conn.transaction()?;
        sql::upsert_member(&tx, &a.member, &a.member_name)?;
        sql::insert_daily_answer(&tx, a, round)?;
        tx.commit()?;
    }
    Ok(start.elapsed())
}

/// One past round of a seeded history and the answers it got: (member key, right?).
pub struct SeedRound {
    pub round: NewRound,
    pub periods: PeriodStarts,
    pub answers: Vec<(String, bool)>,
}

/// Writes members, teams, revealed rounds and their scored answers in one transaction, the
/// way the engine would have left them after a long history.
pub fn seed_history(
    path: &Path,
    members: &[(String, String)],
    teams: &[(String, Vec<String>)],
    rounds: &[SeedRound],
) -> Result<()> {
    let mut conn = open(path)?;
    let tx = conn.transaction()?;
    for (key, name) in members {
        sql::upsert_member(&tx, key, name)?;
    }
    let mut answer = tx.prepare_cached(
        "INSERT INTO answers (server, member, question_id, mode, round_id, letters, correct, domain,
                              services, answered_at, scored_at, task)
         VALUES (?1, ?2, ?3, 'daily', ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)",
    )?;
    for seed in rounds {
        let r = &seed.round;
        let snapshot = sql::Snapshot::of(&r.question)?;
        sql::insert_snapshot(&tx, &snapshot)?;
        let Some(id) = sql::insert_round(&tx, r, &snapshot)? else {
            continue;
        };
        let closed = r.reveal_at;
        sql::set_round_open(&tx, id, r.created_at, None)?;
        sql::set_round_revealing(&tx, id, closed)?;
        sql::set_round_revealed(&tx, id, closed)?;
        let q = &r.question;
        for (member, right) in &seed.answers {
            let letters = if *right {
                q.answer.to_string()
            } else {
                "A".to_owned()
            };
            answer.execute(params![
                r.server,
                member,
                q.id.as_str(),
                id.0,
                letters,
                right,
                q.domain.key(),
                q.services.join("\n"),
                sql::secs(r.created_at),
                q.task.code(),
            ])?;
        }
        sql::add_round_scores(&tx, id, &seed.periods)?;
    }
    drop(answer);
    for (server_team, member_keys) in teams {
        let (server, team) = server_team.split_once('|').unwrap_or(("", server_team));
        let key = team.to_lowercase();
        sql::insert_team(&tx, server, team, &key)?;
        let (team_id, _) =
            sql::team_by_key(&tx, server, &key)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
        for member in member_keys {
            sql::put_team_member(&tx, server, member, team_id)?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// The database's size in bytes, for the benchmark report.
pub fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(path.with_extension("db-wal"))
            .map(|m| m.len())
            .unwrap_or(0)
}
