//! Members' reports of a question they think is wrong: one row per member and question, a
//! second report replacing the first. Reports stay open until a maintainer closes them
//! (`quizbot bank reports --close ID`) after fixing the question in the bank.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use super::sql::{secs, ts, upsert_member};
use super::{Result, Store};

/// A report about to be stored; `reason` is the reason's key (`wrong-key`, `typo`…).
#[derive(Debug, Clone)]
pub struct NewReport {
    pub server: String,
    pub member: String,
    pub member_name: String,
    pub question_id: String,
    pub round: Option<crate::records::RoundId>,
    pub reason: &'static str,
    pub comment: Option<String>,
    pub at: Timestamp,
}

/// Whether a report was the member's first on its question, or replaced their earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportOutcome {
    New,
    Replaced,
}

/// One open report as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub question_id: String,
    pub server: String,
    pub member: String,
    pub reason: String,
    pub comment: Option<String>,
    pub round: Option<i64>,
    pub reported_at: Timestamp,
}

impl Store {
    /// Stores a member's report on a question, replacing (and reopening) theirs if they
    /// reported it before.
    pub fn save_report(&self, report: NewReport) -> Result<ReportOutcome> {
        self.write(move |c| {
            upsert_member(c, &report.member, &report.member_name)?;
            let before = has_report(c, &report.member, &report.question_id)?;
            upsert_report(c, &report)?;
            Ok(if before {
                ReportOutcome::Replaced
            } else {
                ReportOutcome::New
            })
        })
    }

    /// Every open report, in one server or (`None`) in all of them, by question.
    pub fn open_reports(&self, server: Option<&str>) -> Result<Vec<ReportRow>> {
        self.read(|c| open_reports(c, server))
    }

    /// The latest round of a question in a channel, if it was posted there.
    pub fn latest_round_of(
        &self,
        channel: &str,
        question_id: &str,
    ) -> Result<Option<crate::records::RoundId>> {
        self.read(|c| latest_round_of(c, channel, question_id))
    }

    /// Closes every open report on a question; how many were closed.
    pub fn close_reports(&self, question_id: &str, now: Timestamp) -> Result<usize> {
        let question_id = question_id.to_owned();
        self.write(move |c| close_reports(c, &question_id, now))
    }
}

fn has_report(c: &Connection, member: &str, question_id: &str) -> rusqlite::Result<bool> {
    c.prepare_cached("SELECT 1 FROM reports WHERE member = ?1 AND question_id = ?2")?
        .query_row(params![member, question_id], |_| Ok(()))
        .optional()
        .map(|found| found.is_some())
}

fn upsert_report(c: &Connection, r: &NewReport) -> rusqlite::Result<usize> {
    c.prepare_cached(
        "INSERT INTO reports (server, member, question_id, round_id, reason, comment, reported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (member, question_id) DO UPDATE SET
             server = excluded.server, round_id = excluded.round_id, reason = excluded.reason,
             comment = excluded.comment, reported_at = excluded.reported_at, closed_at = NULL",
    )?
    .execute(params![
        r.server,
        r.member,
        r.question_id,
        r.round.map(|id| id.0),
        r.reason,
        r.comment,
        secs(r.at)
    ])
}

fn open_reports(c: &Connection, server: Option<&str>) -> rusqlite::Result<Vec<ReportRow>> {
    c.prepare_cached(
        "SELECT question_id, server, member, reason, comment, round_id, reported_at FROM reports
         WHERE closed_at IS NULL AND (?1 IS NULL OR server = ?1)
         ORDER BY question_id, reported_at, id",
    )?
    .query_map(params![server], |r| {
        Ok(ReportRow {
            question_id: r.get(0)?,
            server: r.get(1)?,
            member: r.get(2)?,
            reason: r.get(3)?,
            comment: r.get(4)?,
            round: r.get(5)?,
            reported_at: ts(r.get(6)?),
        })
    })?
    .collect()
}

fn latest_round_of(
    c: &Connection,
    channel: &str,
    question_id: &str,
) -> rusqlite::Result<Option<crate::records::RoundId>> {
    c.prepare_cached(
        "SELECT id FROM rounds WHERE channel = ?1 AND question_id = ?2 AND opened_at IS NOT NULL
         ORDER BY opened_at DESC, id DESC LIMIT 1",
    )?
    .query_row(params![channel, question_id], |r| {
        Ok(crate::records::RoundId(r.get(0)?))
    })
    .optional()
}

fn close_reports(c: &Connection, question_id: &str, now: Timestamp) -> rusqlite::Result<usize> {
    c.prepare_cached(
        "UPDATE reports SET closed_at = ?2 WHERE question_id = ?1 AND closed_at IS NULL",
    )?
    .execute(params![question_id, secs(now)])
}
