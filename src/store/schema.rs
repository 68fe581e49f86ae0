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

/// The schema versions written before databases were marked (by `rusqlite_migration`).
const UNMARKED_VERSIONS: usize = 6;

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
        // Before the mark (schema 1 to 6), a quizbot database is known by its tables.
        0 if version == 0 && sql::schema_objects(c)? == 0 => Identity::Fresh,
        0 if (1..=UNMARKED_VERSIONS).contains(&version) && sql::has_table(c, "rounds")? => {
            Identity::Ours(version)
        }
        _ => Identity::Foreign,
    })
}

/// Brings the schema up to date under the write lock; returns what the file was.
pub fn migrate(c: &Connection) -> rusqlite::Result<Identity> {
    migrate_to(c, latest())
}

/// Brings the schema up to version `target` (at most the latest) under the write lock.
pub fn migrate_to(c: &Connection, target: usize) -> rusqlite::Result<Identity> {
    let target = target.min(latest());
    // Up to date (a version this build wrote is always marked): nothing to write, so a
    // read-only database opens too.
    let seen = identify(c)?;
    if seen == Identity::Ours(target) && sql::application_id(c)? == APPLICATION_ID {
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
        for step in STEPS.get(from..target).unwrap_or_default() {
            c.execute_batch(step)?;
        }
        if from < target {
            sql::set_user_version(c, target)?;
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
    // Version 3: every question names the exam guide's task statement it trains. Snapshots
    // and answers from before get the task their question family had when tasks came in
    // (the bank then held only the high-performing domain), so per-task stats include them.
    r#"
UPDATE snapshots SET question = json_set(question, '$.task', CASE
    WHEN json_extract(question, '$.id') LIKE 'hp-storage-%' THEN '3.1'
    WHEN json_extract(question, '$.id') LIKE 'hp-compute-%' OR json_extract(question, '$.id') LIKE 'hp-integration-%' THEN '3.2'
    WHEN json_extract(question, '$.id') LIKE 'hp-database-%' THEN '3.3'
    WHEN json_extract(question, '$.id') LIKE 'hp-networking-%' THEN '3.4'
    WHEN json_extract(question, '$.id') LIKE 'hp-%' THEN '3.5'
    ELSE CASE json_extract(question, '$.domain') WHEN 'secure' THEN '1.1' WHEN 'resilient' THEN '2.1'
                       WHEN 'high-performing' THEN '3.2' ELSE '4.1' END
END)
WHERE json_extract(question, '$.task') IS NULL;

ALTER TABLE answers ADD COLUMN task TEXT NOT NULL DEFAULT '';
UPDATE answers SET task = CASE
    WHEN question_id LIKE 'hp-storage-%' THEN '3.1'
    WHEN question_id LIKE 'hp-compute-%' OR question_id LIKE 'hp-integration-%' THEN '3.2'
    WHEN question_id LIKE 'hp-database-%' THEN '3.3'
    WHEN question_id LIKE 'hp-networking-%' THEN '3.4'
    WHEN question_id LIKE 'hp-%' THEN '3.5'
    ELSE CASE domain WHEN 'secure' THEN '1.1' WHEN 'resilient' THEN '2.1'
                       WHEN 'high-performing' THEN '3.2' ELSE '4.1' END
END;
"#,
    // Version 4: FSRS replaces the Leitner boxes. Every member has a memory of each question
    // they answered (stability in days, difficulty, when last reviewed, when due again); the
    // ones missed or answered unsure are in review. A Leitner box becomes an initial
    // stability of that many days, due when it was; a question answered before and not in
    // review starts from FSRS-6's default first memory for its last grade. Answers gain the
    // unsure flag (the review log is the answers table), and members their exam date.
    r#"
CREATE TABLE memories (
    member      TEXT NOT NULL,
    server      TEXT NOT NULL,
    question_id TEXT NOT NULL,
    stability   REAL NOT NULL,
    difficulty  REAL NOT NULL,
    reviewed_at INTEGER NOT NULL,
    due_at      INTEGER NOT NULL,
    in_review   INTEGER NOT NULL CHECK (in_review IN (0, 1)),
    PRIMARY KEY (member, server, question_id)
) STRICT;
CREATE INDEX memories_due ON memories (member, server, in_review, due_at);

INSERT INTO memories (member, server, question_id, stability, difficulty, reviewed_at, due_at, in_review)
SELECT member, server, question_id, days, 5.0, due_at - CAST(days * 86400 AS INTEGER), due_at, 1
FROM (SELECT *, CASE box WHEN 1 THEN 1.0 WHEN 2 THEN 3.0 WHEN 3 THEN 7.0 WHEN 4 THEN 14.0
                         ELSE 30.0 END AS days FROM reviews);

INSERT INTO memories (member, server, question_id, stability, difficulty, reviewed_at, due_at, in_review)
SELECT member, server, question_id,
       CASE correct WHEN 1 THEN 2.3065 ELSE 0.212 END,
       CASE correct WHEN 1 THEN 2.1181 ELSE 6.4133 END,
       last, last + CASE correct WHEN 1 THEN 2 * 86400 ELSE 0 END, 1 - correct
FROM (SELECT member, server, question_id, correct, MAX(answered_at) AS last FROM answers
      WHERE scored_at IS NOT NULL GROUP BY member, server, question_id)
WHERE true
ON CONFLICT DO NOTHING;

DROP TABLE reviews;

ALTER TABLE answers ADD COLUMN unsure INTEGER NOT NULL DEFAULT 0 CHECK (unsure IN (0, 1));

CREATE TABLE exam_dates (
    member TEXT PRIMARY KEY,
    date   TEXT NOT NULL
) STRICT;
"#,
    // Version 5: a random id made once per database, so what the bot sends can be told
    // apart from what an earlier database sent (Discord nonces after a reset).
    "INSERT INTO settings (key, value) VALUES ('instance', lower(hex(randomblob(4))));",
    // Version 6: a member's "unsure" mark on a question they have not answered yet (the
    // toggle button beside the answer buttons), taken by their answer.
    r#"
CREATE TABLE unsure_marks (
    member TEXT NOT NULL,
    target TEXT NOT NULL,   -- 'round:ID' or 'question:ID'
    PRIMARY KEY (member, target)
) STRICT, WITHOUT ROWID;
"#,
    // Version 7: a delivery (post or reveal) is claimed by one process until it expires,
    // so two processes on one database never both send it.
    r#"
ALTER TABLE rounds ADD COLUMN claim_owner TEXT;
ALTER TABLE rounds ADD COLUMN claim_until INTEGER;
"#,
    // Version 8: mock exams. One running exam per member and server (the partial unique
    // index), its questions in order and a deadline of two minutes a question; each answer
    // is kept in `mock_answers` as it is given, and goes into `answers` (mode 'mock', scored)
    // only when the exam ends, so nothing leaks before the report. The answers table is
    // rebuilt because SQLite cannot change a CHECK in place.
    r#"
CREATE TABLE mocks (
    id          INTEGER PRIMARY KEY,
    member      TEXT NOT NULL REFERENCES members (key),
    server      TEXT NOT NULL,
    started_at  INTEGER NOT NULL,
    deadline    INTEGER NOT NULL,
    questions   TEXT NOT NULL,   -- the question ids in order, newline-separated
    finished_at INTEGER,
    ending      TEXT CHECK (ending IN ('done', 'time-up', 'stopped')),
    CHECK ((finished_at IS NULL) = (ending IS NULL)),
    CHECK (deadline > started_at)
) STRICT;
CREATE UNIQUE INDEX one_mock_at_a_time ON mocks (member, server) WHERE finished_at IS NULL;

CREATE TABLE mock_answers (
    mock_id     INTEGER NOT NULL REFERENCES mocks (id),
    question_id TEXT NOT NULL,
    letters     TEXT NOT NULL,
    correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
    answered_at INTEGER NOT NULL,
    PRIMARY KEY (mock_id, question_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE answers_v8 (
    id          INTEGER PRIMARY KEY,
    server      TEXT NOT NULL,
    member      TEXT NOT NULL REFERENCES members (key),
    question_id TEXT NOT NULL,
    mode        TEXT NOT NULL CHECK (mode IN ('daily', 'practice', 'review', 'mock')),
    round_id    INTEGER REFERENCES rounds (id),
    letters     TEXT NOT NULL,
    correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
    domain      TEXT NOT NULL,
    services    TEXT NOT NULL,
    answered_at INTEGER NOT NULL,
    scored_at   INTEGER,
    task        TEXT NOT NULL DEFAULT '',
    unsure      INTEGER NOT NULL DEFAULT 0 CHECK (unsure IN (0, 1)),
    CHECK ((mode = 'daily') = (round_id IS NOT NULL))
) STRICT;
INSERT INTO answers_v8 (id, server, member, question_id, mode, round_id, letters, correct, domain,
                        services, answered_at, scored_at, task, unsure)
SELECT id, server, member, question_id, mode, round_id, letters, correct, domain,
       services, answered_at, scored_at, task, unsure FROM answers;
DROP TABLE answers;
ALTER TABLE answers_v8 RENAME TO answers;
CREATE UNIQUE INDEX one_answer_per_round ON answers (round_id, member) WHERE round_id IS NOT NULL;
CREATE INDEX answers_for_boards ON answers (server, mode, answered_at);
CREATE INDEX answers_by_member ON answers (member, server);
"#,
    // Version 9: the study group's week. Each schedule's weekly settings (discussion
    // threads on reveals, the recap time, why threads stopped, when recaps next need a
    // look); each reveal's message and link; members' meetup picks per round; and weekly
    // recaps, decided once per channel and week (the unique index) and claimed like posts,
    // with the week's winners kept.
    r#"
CREATE TABLE schedule_weeks (
    channel         TEXT PRIMARY KEY,
    threads         TEXT NOT NULL DEFAULT 'on' CHECK (threads IN ('on', 'off')),
    recap           TEXT NOT NULL DEFAULT 'default',
    threads_blocked TEXT,
    recap_due_at    INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO schedule_weeks (channel) SELECT channel FROM schedules;
CREATE INDEX schedule_weeks_due ON schedule_weeks (recap_due_at);

ALTER TABLE rounds ADD COLUMN reveal_message TEXT;
ALTER TABLE rounds ADD COLUMN reveal_link TEXT;

CREATE TABLE meetup_picks (
    round_id  INTEGER NOT NULL REFERENCES rounds (id),
    member    TEXT NOT NULL,
    picked_at INTEGER NOT NULL,
    PRIMARY KEY (round_id, member)
) STRICT, WITHOUT ROWID;

CREATE TABLE recaps (
    id          INTEGER PRIMARY KEY,
    server      TEXT NOT NULL,
    channel     TEXT NOT NULL,
    monday      TEXT NOT NULL,   -- the local date the week starts on
    zone        TEXT NOT NULL,
    lang        TEXT NOT NULL,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    decided_at  INTEGER NOT NULL,
    posted_at   INTEGER,
    message     TEXT,
    claim_owner TEXT,
    claim_until INTEGER
) STRICT;
-- "One recap per channel and week" lives here, so no crash or race can break it.
CREATE UNIQUE INDEX one_recap_per_week ON recaps (channel, monday);
CREATE INDEX recaps_to_post ON recaps (posted_at) WHERE posted_at IS NULL;

CREATE TABLE week_winners (
    recap_id INTEGER NOT NULL REFERENCES recaps (id),
    server   TEXT NOT NULL,
    monday   TEXT NOT NULL,
    member   TEXT NOT NULL,
    name     TEXT NOT NULL,
    correct  INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    PRIMARY KEY (recap_id, member)
) STRICT;
CREATE INDEX week_winners_by_member ON week_winners (member, server);
CREATE INDEX week_winners_by_week ON week_winners (server, monday);
"#,
    // Streak freezes and question reports. Freezes themselves are computed from the answer
    // history; `freeze_notices` only remembers which used freezes a member was told about.
    // A report is one row per member and question (a second report replaces the first and
    // reopens it); a maintainer closes a question's reports once it is fixed.
    r#"
CREATE TABLE freeze_notices (
    member     TEXT NOT NULL,
    server     TEXT NOT NULL,
    day        TEXT NOT NULL,   -- the streak day the freeze covered, YYYY-MM-DD
    noticed_at INTEGER NOT NULL,
    told_at    INTEGER,
    PRIMARY KEY (member, server, day)
) STRICT, WITHOUT ROWID;

CREATE TABLE reports (
    id          INTEGER PRIMARY KEY,
    server      TEXT NOT NULL,
    member      TEXT NOT NULL REFERENCES members (key),
    question_id TEXT NOT NULL,
    round_id    INTEGER REFERENCES rounds (id),
    reason      TEXT NOT NULL
                CHECK (reason IN ('wrong-key', 'several-right', 'outdated', 'unclear', 'typo')),
    comment     TEXT CHECK (comment IS NULL OR length(comment) <= 500),
    reported_at INTEGER NOT NULL,
    closed_at   INTEGER,
    UNIQUE (member, question_id)
) STRICT;
CREATE INDEX open_reports ON reports (server, question_id) WHERE closed_at IS NULL;
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

    #[test]
    fn questions_posted_before_task_statements_get_their_family_s_task() {
        let c = Connection::open_in_memory().unwrap();
        migrate_to(&c, 2).unwrap();
        c.execute_batch(
            r#"INSERT INTO snapshots (key, question) VALUES
                   ('a', '{"id":"hp-networking-x","domain":"high-performing"}'),
                   ('b', '{"id":"hp-storage-y","domain":"high-performing"}');
               INSERT INTO members (key, name) VALUES ('m', 'M');
               INSERT INTO answers (server, member, question_id, mode, letters, correct, domain,
                                    services, answered_at, scored_at)
               VALUES ('s', 'm', 'hp-analytics-z', 'practice', 'A', 1, 'high-performing', '', 0, 0);"#,
        )
        .unwrap();
        migrate(&c).unwrap();
        let tasks: Vec<String> = c
            .prepare("SELECT json_extract(question, '$.task') FROM snapshots ORDER BY key")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(tasks, ["3.4", "3.1"]);
        let answer: String = c
            .query_row("SELECT task FROM answers", [], |r| r.get(0))
            .unwrap();
        assert_eq!(answer, "3.5");
    }
    #[test]
    fn every_leitner_card_becomes_a_memory_due_when_it_was_and_no_history_is_lost() {
        let c = Connection::open_in_memory().unwrap();
        migrate_to(&c, 3).unwrap();
        c.execute_batch(
            r#"INSERT INTO members (key, name) VALUES ('m', 'M'), ('n', 'N');
               INSERT INTO reviews (member, server, question_id, box, due_at) VALUES
                   ('m', 's', 'q-missed', 3, 1000000),
                   ('n', 's', 'q-missed', 1, 2000000);
               INSERT INTO answers (server, member, question_id, mode, letters, correct, domain,
                                    services, answered_at, scored_at, task) VALUES
                   ('s', 'm', 'q-missed', 'practice', 'A', 0, 'secure', '', 10, 10, '1.1'),
                   ('s', 'm', 'q-right', 'practice', 'B', 1, 'secure', '', 20, 20, '1.1');"#,
        )
        .unwrap();
        migrate(&c).unwrap();
        let rows: Vec<(String, String, f64, i64, i64)> = c
            .prepare(
                "SELECT member, question_id, stability, due_at, in_review FROM memories
                 ORDER BY member, question_id",
            )
            .unwrap()
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                ("m".into(), "q-missed".into(), 7.0, 1_000_000, 1),
                ("m".into(), "q-right".into(), 2.3065, 20 + 2 * 86_400, 0),
                ("n".into(), "q-missed".into(), 1.0, 2_000_000, 1),
            ]
        );
        let answers: i64 = c
            .query_row("SELECT COUNT(*) FROM answers", [], |r| r.get(0))
            .unwrap();
        assert_eq!(answers, 2, "the review log keeps every answer");
    }

    #[test]
    fn existing_schedules_get_threads_on_and_the_default_recap_and_one_recap_per_week() {
        let c = Connection::open_in_memory().unwrap();
        // The step before the week's tables, wherever the integrator puts them.
        let week = STEPS
            .iter()
            .position(|s| s.contains("CREATE TABLE schedule_weeks"))
            .unwrap();
        migrate_to(&c, week).unwrap();
        c.execute_batch(
            "INSERT INTO schedules (channel, server, time, zone, days, reveal, lang, since)
             VALUES ('c', 's', '09:00', 'UTC', 'daily', '12h', 'en', 0);",
        )
        .unwrap();
        migrate(&c).unwrap();
        let row: (String, String, Option<String>) = c
            .query_row(
                "SELECT threads, recap, threads_blocked FROM schedule_weeks WHERE channel = 'c'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(row, ("on".into(), "default".into(), None));
        let recap = "INSERT INTO recaps (server, channel, monday, zone, lang, starts_at, ends_at, decided_at)
                     VALUES ('s', 'c', '2026-11-23', 'UTC', 'en', 0, 1, 1)";
        c.execute(recap, []).unwrap();
        assert!(
            c.execute(recap, []).is_err(),
            "one recap per channel and week"
        );
    }

    #[test]
    fn mock_exams_keep_every_earlier_answer_and_allow_one_running_exam_per_member() {
        let c = Connection::open_in_memory().unwrap();
        migrate_to(&c, 7).unwrap();
        c.execute_batch(
            r#"INSERT INTO members (key, name) VALUES ('m', 'M');
               INSERT INTO answers (server, member, question_id, mode, letters, correct, domain,
                                    services, answered_at, scored_at, task, unsure)
               VALUES ('s', 'm', 'q1', 'practice', 'A', 1, 'secure', 'IAM', 10, 10, '1.1', 1);"#,
        )
        .unwrap();
        migrate(&c).unwrap();
        let kept: (String, String, i64) = c
            .query_row("SELECT question_id, task, unsure FROM answers", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert_eq!(kept, ("q1".into(), "1.1".into(), 1));
        c.execute_batch(
            r#"INSERT INTO answers (server, member, question_id, mode, letters, correct, domain,
                                    services, answered_at, scored_at, task)
               VALUES ('s', 'm', 'q2', 'mock', 'B', 0, 'secure', '', 20, 30, '1.2');
               INSERT INTO mocks (member, server, started_at, deadline, questions)
               VALUES ('m', 's', 0, 1200, 'q1');"#,
        )
        .unwrap();
        let second = c.execute(
            "INSERT INTO mocks (member, server, started_at, deadline, questions)
             VALUES ('m', 's', 5, 1205, 'q2')",
            [],
        );
        assert!(
            second.is_err(),
            "one running mock exam per member and server"
        );
    }

    #[test]
    fn reports_are_one_per_member_and_question_with_a_known_reason_and_a_short_comment() {
        let c = Connection::open_in_memory().unwrap();
        // The step before reports and freezes, wherever it ends up in the order.
        let before = STEPS
            .iter()
            .position(|step| step.contains("CREATE TABLE reports"))
            .unwrap();
        migrate_to(&c, before).unwrap();
        assert!(!sql::has_table(&c, "reports").unwrap());
        migrate(&c).unwrap();
        c.execute_batch(
            r#"INSERT INTO members (key, name) VALUES ('m', 'M');
               INSERT INTO reports (server, member, question_id, reason, reported_at)
               VALUES ('s', 'm', 'q1', 'typo', 1);
               INSERT INTO freeze_notices (member, server, day, noticed_at)
               VALUES ('m', 's', '2026-11-24', 1);"#,
        )
        .unwrap();
        let insert = |question: &str, reason: &str, comment: &str| {
            c.execute(
                "INSERT INTO reports (server, member, question_id, reason, comment, reported_at)
                 VALUES ('s', 'm', ?1, ?2, ?3, 2)",
                rusqlite::params![question, reason, comment],
            )
        };
        assert!(
            insert("q1", "unclear", "").is_err(),
            "one per member and question"
        );
        assert!(insert("q2", "boring", "").is_err(), "a known reason");
        assert!(
            insert("q2", "typo", &"x".repeat(501)).is_err(),
            "a short comment"
        );
        assert!(insert("q2", "typo", &"x".repeat(500)).is_ok());
    }
}
