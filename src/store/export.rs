//! What `/export` reads: each question's latest scored answer by a member, kept when it was
//! a miss or marked unsure. The SQL for it lives here, one statement.

use jiff::Timestamp;
use rusqlite::{Connection, params};

use super::{Result, Store, sql};
use crate::bank::Letters;

/// A member's latest scored answer to one question that was wrong or unsure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedAnswer {
    pub question_id: String,
    pub letters: Letters,
    pub correct: bool,
    pub unsure: bool,
    pub at: Timestamp,
}

impl Store {
    /// The member's questions here whose latest scored answer (daily, practice, review or
    /// mock) was a miss or unsure, latest first.
    pub fn exported_answers(&self, member: &str, server: &str) -> Result<Vec<ExportedAnswer>> {
        self.read(|c| latest_misses_and_unsure(c, member, server))
    }
}

fn latest_misses_and_unsure(
    c: &Connection,
    member: &str,
    server: &str,
) -> rusqlite::Result<Vec<ExportedAnswer>> {
    c.prepare_cached(
        "SELECT question_id, letters, correct, unsure, answered_at FROM (
             SELECT question_id, letters, correct, unsure, answered_at, id,
                    ROW_NUMBER() OVER (PARTITION BY question_id ORDER BY answered_at DESC, id DESC) AS n
             FROM answers WHERE member = ?1 AND server = ?2 AND scored_at IS NOT NULL)
         WHERE n = 1 AND (correct = 0 OR unsure = 1)
         ORDER BY answered_at DESC, id DESC",
    )?
    .query_map(params![member, server], |r| {
        Ok(ExportedAnswer {
            question_id: r.get(0)?,
            letters: Letters::parse(&r.get::<_, String>(1)?).map_err(|e| sql::corrupt(1, e))?,
            correct: r.get(2)?,
            unsure: r.get(3)?,
            at: sql::ts(r.get(4)?),
        })
    })?
    .collect()
}
