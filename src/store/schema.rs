//! The database schema as versioned steps. Append new steps; never edit a shipped one.
//!
//! A quizbot database says so in its header (`PRAGMA application_id`), and its schema
//! version is `PRAGMA user_version`. Migrating takes the write lock (`BEGIN IMMEDIATE`)
//! before reading the version, so processes starting together on a fresh file take turns
//! instead of creating the same tables twice.

use rusqlite::Connection;

use super::sql;

/// "QBOT": marks a file as a quizbot database.
pub const APPLICATION_ID: i32 = 0x5142_4f54;

/// What a file holds, read before anything in it is changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// No tables and no marks: a new file, ours to set up.
    Fresh,
    /// A quizbot database at this schema version (marked, or from before the mark).
    Ours(usize),
    /// Written by a newer quizbot.
    Newer(usize),
    /// Another application's database.
    Foreign,
}

/// Reads what the file is, changing nothing.
pub fn identify(c: &Connection) -> rusqlite::Result<Identity> {
    let (app, version) = (sql::application_id(c)?, sql::user_version(c)?);
    let version = usize::try_from(version).unwrap_or(usize::MAX);
    Ok(match app {
        APPLICATION_ID if version > STEPS.len() => Identity::Newer(version),
        APPLICATION_ID => Identity::Ours(version),
        // Before the mark (schema 1 and 2), a quizbot database is known by its tables.
        0 if version == 0 && sql::schema_objects(c)? == 0 => Identity::Fresh,
        0 if (1..=2).contains(&version) && sql::has_table(c, "rounds")? => Identity::Ours(version),
        _ => Identity::Foreign,
    })
}

/// Brings the schema up to date under the write lock; returns what the file was.
pub fn migrate(c: &Connection) -> rusqlite::Result<Identity> {
    // Up to date (the latest version is always marked): nothing to write, so a read-only
    // database opens too.
    let seen = identify(c)?;
    if seen == Identity::Ours(latest()) {
        return Ok(seen);
    }
    c.execute_batch("BEGIN IMMEDIATE")?;
    let result = (|| {
        let identity = identify(c)?;
        let from = match identity {
            Identity::Fresh => 0,
            Identity::Ours(version) => version,
            Identity::Newer(_) | Identity::Foreign => return Ok(identity),
        };
        for step in &STEPS[from..] {
            c.execute_batch(step)?;
        }
        if from < STEPS.len() {
            sql::set_user_version(c, STEPS.len())?;
        }
        sql::set_application_id(c, APPLICATION_ID)?;
        Ok(identity)
    })();
    match &result {
        Ok(_) => c.execute_batch("COMMIT")?,
        Err(_) => {
            let _ = c.execute_batch("ROLLBACK");
        }
    }
    result
}

/// The schema version this build writes.
pub fn latest() -> usize {
    STEPS.len()
}

const STEPS: &[&str] = &[
    r#"
CREATE TABLE members (
    key  TEXT PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE schedules (
    channel         TEXT PRIMARY KEY,
    server          TEXT NOT NULL,
    time            TEXT NOT NULL,
    zone            TEXT NOT NULL,
    days            TEXT NOT NULL,
    reveal          TEXT NOT NULL,
    lang            TEXT NOT NULL,
    since           INTEGER NOT NULL,
    disabled_reason TEXT
) STRICT;

-- Questions exactly as posted (JSON), so editing or removing one in the bank cannot change
-- a round; stored once per distinct content, since the same question is posted many times.
CREATE TABLE snapshots (
    key      TEXT PRIMARY KEY,   -- question id and a digest of the JSON
    question TEXT NOT NULL
) STRICT;

-- A round moves scheduled -> open -> revealing -> revealed; each step is one UPDATE
-- guarded by the state it leaves, so a repeated step changes nothing.
CREATE TABLE rounds (
    id          INTEGER PRIMARY KEY,
    server      TEXT NOT NULL,
    channel     TEXT NOT NULL,
    question_id TEXT NOT NULL,
    snapshot    TEXT NOT NULL REFERENCES snapshots (key),
    kind        TEXT NOT NULL CHECK (kind IN ('scheduled', 'manual')),
    local_date  TEXT,            -- the channel's local date, for scheduled rounds
    zone        TEXT NOT NULL,
    lang        TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('scheduled', 'open', 'revealing', 'revealed')),
    created_at  INTEGER NOT NULL,
    opened_at   INTEGER,
    closed_at   INTEGER,
    revealed_at INTEGER,
    reveal_at   INTEGER NOT NULL,
    message     TEXT,
    CHECK ((state = 'scheduled') = (opened_at IS NULL)),
    CHECK ((state IN ('revealing', 'revealed')) = (closed_at IS NOT NULL)),
    CHECK ((state = 'revealed') = (revealed_at IS NOT NULL)),
    CHECK ((kind = 'scheduled') = (local_date IS NOT NULL))
) STRICT;
-- The rule "one daily post per channel and local date" lives here, so no crash or race can break it.
CREATE UNIQUE INDEX one_scheduled_round_per_day ON rounds (channel, local_date) WHERE kind = 'scheduled';
CREATE INDEX rounds_by_channel ON rounds (channel, state);
CREATE INDEX rounds_by_state ON rounds (state, reveal_at);

CREATE TABLE answers (
    id          INTEGER PRIMARY KEY,
    server      TEXT NOT NULL,
    member      TEXT NOT NULL REFERENCES members (key),
    question_id TEXT NOT NULL,
    mode        TEXT NOT NULL CHECK (mode IN ('daily', 'practice', 'review')),
    round_id    INTEGER REFERENCES rounds (id),
    letters     TEXT NOT NULL,
    correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
    domain      TEXT NOT NULL,
    services    TEXT NOT NULL,   -- newline-separated, as the bank spelled them
    answered_at INTEGER NOT NULL,
    scored_at   INTEGER,         -- NULL until a daily round is revealed: no early leaks
    CHECK ((mode = 'daily') = (round_id IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX one_answer_per_round ON answers (round_id, member) WHERE round_id IS NOT NULL;
CREATE INDEX answers_for_boards ON answers (server, mode, answered_at);
CREATE INDEX answers_by_member ON answers (member, server);

CREATE TABLE pending (
    member      TEXT NOT NULL,
    server      TEXT NOT NULL,
    question_id TEXT NOT NULL,
    mode        TEXT NOT NULL CHECK (mode IN ('practice', 'review')),
    served_at   INTEGER NOT NULL,
    PRIMARY KEY (member, server)
) STRICT;

CREATE TABLE served (
    member      TEXT NOT NULL,
    question_id TEXT NOT NULL,
    served_at   INTEGER NOT NULL,
    PRIMARY KEY (member, question_id)
) STRICT;

CREATE TABLE reviews (
    member      TEXT NOT NULL,
    server      TEXT NOT NULL,
    question_id TEXT NOT NULL,
    box         INTEGER NOT NULL CHECK (box >= 1),
    due_at      INTEGER NOT NULL,
    PRIMARY KEY (member, server, question_id)
) STRICT;
CREATE INDEX reviews_due ON reviews (member, server, due_at);

CREATE TABLE teams (
    id       INTEGER PRIMARY KEY,
    server   TEXT NOT NULL,
    name     TEXT NOT NULL,
    name_key TEXT NOT NULL,
    UNIQUE (server, name_key)
) STRICT;

CREATE TABLE team_members (
    server  TEXT NOT NULL,
    member  TEXT NOT NULL REFERENCES members (key),
    team_id INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    PRIMARY KEY (server, member)
) STRICT;
"#,
    // Version 2: schedules say when they next need the scheduler, so a tick reads only
    // the due ones; leaderboards read per-period totals kept at each reveal.
    r#"
ALTER TABLE schedules ADD COLUMN due_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX schedules_due ON schedules (due_at) WHERE disabled_reason IS NULL;

-- Right and answered daily questions per member and period ('all' has start 0). A round
-- counts in the periods holding the moment it was posted, in its channel's zone.
CREATE TABLE scores (
    server   TEXT NOT NULL,
    member   TEXT NOT NULL REFERENCES members (key),
    period   TEXT NOT NULL CHECK (period IN ('day', 'week', 'month', 'all')),
    start    INTEGER NOT NULL,
    correct  INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    PRIMARY KEY (server, period, start, member)
) STRICT, WITHOUT ROWID;
CREATE INDEX scores_ranked ON scores (server, period, start, correct DESC, answered);

INSERT INTO scores (server, member, period, start, correct, answered)
SELECT server, member, 'all', 0, SUM(correct), COUNT(*) FROM answers
WHERE mode = 'daily' AND scored_at IS NOT NULL GROUP BY server, member;
"#,
    // Version 3: a delivery (post or reveal) is claimed by one process until it expires,
    // so two processes on one database never both send it.
    r#"
ALTER TABLE rounds ADD COLUMN claim_owner TEXT;
ALTER TABLE rounds ADD COLUMN claim_until INTEGER;
"#,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_file_migrates_to_the_latest_version_once() {
        let c = Connection::open_in_memory().unwrap();
        assert_eq!(identify(&c).unwrap(), Identity::Fresh);
        assert_eq!(migrate(&c).unwrap(), Identity::Fresh);
        assert_eq!(identify(&c).unwrap(), Identity::Ours(latest()));
        assert_eq!(migrate(&c).unwrap(), Identity::Ours(latest()));
    }

    #[test]
    fn a_database_from_before_the_mark_is_adopted_and_another_one_is_not() {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(STEPS[0]).unwrap();
        sql::set_user_version(&c, 1).unwrap();
        assert_eq!(identify(&c).unwrap(), Identity::Ours(1));
        let other = Connection::open_in_memory().unwrap();
        other.execute_batch("CREATE TABLE notes (x)").unwrap();
        assert_eq!(identify(&other).unwrap(), Identity::Foreign);
        assert_eq!(migrate(&other).unwrap(), Identity::Foreign);
        assert!(!sql::has_table(&other, "rounds").unwrap());
    }
}
