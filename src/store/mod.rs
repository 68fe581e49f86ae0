//! Storage: one SQLite file in WAL mode. Writes go through one writer thread that commits
//! whatever is queued in a single transaction (group commit); each caller is answered only
//! after that commit. Reads use their own connections and never wait for the writer.
//!
//! The rest of the bot sees plain Rust types; SQL lives in `sql`, one statement a function.

mod schema;
mod sql;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use rusqlite::{Connection, OpenFlags};

use crate::bank::{Lang, Letters, Question, QuestionId};
use crate::quiz::{Pending, PrivateMode, Round, RoundId, RoundKind};
use crate::schedule::Schedule;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[from] rusqlite_migration::Error),
    #[error("a database query failed: {0}")]
    Query(#[from] rusqlite::Error),
    #[error("the database could not commit: {0}")]
    Commit(String),
    #[error("the database writer has stopped")]
    WriterGone,
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A schedule as stored for a channel.
#[derive(Debug, Clone)]
pub struct ScheduleRow {
    pub channel: String,
    pub server: String,
    pub schedule: Schedule,
    /// The language posts are written in (that of the member who set the schedule).
    pub lang: Lang,
    /// Slots before this instant never post: setting a schedule does not catch up the past.
    pub since: Timestamp,
    /// Why delivery stopped (channel gone, permission lost), if it did.
    pub disabled: Option<String>,
    /// When the scheduler next needs to look at this schedule: its next slot not yet posted.
    pub due_at: Timestamp,
}

/// The starts of the day, week and month a round was posted in, in its channel's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodStarts {
    pub day: Timestamp,
    pub week: Timestamp,
    pub month: Timestamp,
}

/// Which totals a board reads: `day`, `week`, `month` starting at `start`, or `all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoardPeriod {
    pub key: &'static str,
    pub start: Timestamp,
}

/// A round the scheduler decided, stored together with the others of the same tick.
#[derive(Debug, Clone)]
pub struct PlannedRound {
    pub round: NewRound,
    /// An unrevealed round in the same channel, to reveal first.
    pub reveal_first: Option<RoundId>,
}

#[derive(Debug, Clone)]
pub struct NewRound {
    pub server: String,
    pub channel: String,
    pub question: Question,
    pub kind: RoundKind,
    pub zone: String,
    pub lang: Lang,
    pub created_at: Timestamp,
    pub reveal_at: Timestamp,
}

/// An answer about to be recorded, graded by the engine.
#[derive(Debug, Clone)]
pub struct NewAnswer {
    pub server: String,
    pub member: String,
    pub member_name: String,
    pub question_id: String,
    pub letters: Letters,
    pub correct: bool,
    pub domain: String,
    /// Newline-separated, so stats survive the question leaving the bank.
    pub services: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DailyOutcome {
    Recorded,
    AlreadyAnswered(Letters),
    Closed,
}

/// What to do with a member's review card after a private answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewChange {
    Keep,
    Set { level: u8, due: Timestamp },
    Remove,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerRow {
    pub name: String,
    pub letters: Letters,
    pub correct: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardRow {
    pub name: String,
    pub correct: u64,
    pub answered: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRow {
    pub name: String,
    pub members: Vec<String>,
}

/// The team a member ended up in, and the one they left, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamMove {
    pub joined: String,
    pub left: Option<String>,
}

/// A handle on the database; clones share the writer thread and the reader pool.
#[derive(Clone)]
pub struct Store {
    writer: writer::Writer,
    readers: Arc<Readers>,
}

struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", true)
}

impl Store {
    /// Opens (creating if needed) and migrates the database, then starts the writer.
    pub fn open(path: &Path) -> Result<Self> {
        let open_err = |source| StoreError::Open {
            path: path.to_owned(),
            source,
        };
        let mut conn = Connection::open(path).map_err(open_err)?;
        configure(&conn).map_err(open_err)?;
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))
            .map_err(open_err)?;
        // FULL: an answer we acknowledged survives a power cut too, not only a process crash.
        // Group commit keeps the cost of the extra fsync per transaction, not per answer.
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        schema::migrations().to_latest(&mut conn)?;
        Ok(Self {
            writer: writer::Writer::start(conn),
            readers: Arc::new(Readers {
                path: path.to_owned(),
                idle: Mutex::new(Vec::new()),
            }),
        })
    }

    /// Runs a read on a pooled connection of its own (WAL: never blocked by the writer).
    fn read<T>(&self, query: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T> {
        let pooled = self
            .readers
            .idle
            .lock()
            .ok()
            .and_then(|mut idle| idle.pop());
        let conn = match pooled {
            Some(conn) => conn,
            None => {
                let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                let conn =
                    Connection::open_with_flags(&self.readers.path, flags).map_err(|source| {
                        StoreError::Open {
                            path: self.readers.path.clone(),
                            source,
                        }
                    })?;
                configure(&conn)?;
                conn
            }
        };
        let result = query(&conn);
        if let Ok(mut idle) = self.readers.idle.lock() {
            idle.push(conn);
        }
        Ok(result?)
    }

    fn write<T: Send + 'static>(
        &self,
        job: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T> {
        self.writer.run(job)
    }

    // ---- settings ----

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.read(|c| sql::setting(c, key))
    }

    pub fn put_setting(&self, key: &str, value: &str) -> Result<()> {
        let (key, value) = (key.to_owned(), value.to_owned());
        self.write(move |c| sql::put_setting(c, &key, &value).map(drop))
    }

    pub fn member_name(&self, key: &str) -> Result<Option<String>> {
        self.read(|c| sql::member_name(c, key))
    }

    // ---- schedules ----

    pub fn schedule(&self, channel: &str) -> Result<Option<ScheduleRow>> {
        self.read(|c| sql::schedule(c, channel))
    }

    pub fn due_schedules(&self, now: Timestamp) -> Result<Vec<ScheduleRow>> {
        self.read(|c| sql::due_schedules(c, now))
    }

    pub fn next_schedule_due(&self) -> Result<Option<Timestamp>> {
        self.read(sql::next_schedule_due)
    }

    /// Stores one tick's decisions in one transaction: earlier rounds to reveal first, the
    /// new rounds (one per channel and date; a repeat is ignored), and each schedule's next
    /// due time. Returns the ids of the rounds actually created.
    pub fn plan(
        &self,
        rounds: Vec<PlannedRound>,
        dues: Vec<(String, Timestamp)>,
        now: Timestamp,
    ) -> Result<Vec<RoundId>> {
        self.write(move |c| {
            let mut created = Vec::new();
            for planned in &rounds {
                if let Some(open) = planned.reveal_first {
                    sql::set_reveal_at(c, open, now)?;
                }
                created.extend(sql::insert_round(c, &planned.round)?);
            }
            for (channel, due) in &dues {
                sql::set_schedule_due(c, channel, *due)?;
            }
            Ok(created)
        })
    }

    pub fn server_zone(&self, server: &str) -> Result<Option<String>> {
        self.read(|c| sql::server_zone(c, server))
    }

    pub fn save_schedule(&self, row: ScheduleRow) -> Result<()> {
        self.write(move |c| sql::put_schedule(c, &row).map(drop))
    }

    /// Removes a channel's schedule; false if it had none.
    pub fn remove_schedule(&self, channel: &str) -> Result<bool> {
        let channel = channel.to_owned();
        self.write(move |c| sql::delete_schedule(c, &channel).map(|n| n > 0))
    }

    /// Stops a channel the platform says is gone: schedule disabled with the reason, the
    /// unposted round dropped, a pending reveal given up.
    pub fn disable_channel(&self, channel: &str, reason: &str, now: Timestamp) -> Result<()> {
        let (channel, reason) = (channel.to_owned(), reason.to_owned());
        self.write(move |c| {
            sql::disable_schedule(c, &channel, &reason)?;
            sql::delete_unposted_rounds(c, &channel)?;
            sql::give_up_reveals(c, &channel, now)?;
            Ok(())
        })
    }

    // ---- rounds ----

    pub fn round(&self, id: RoundId) -> Result<Option<Round>> {
        self.read(|c| sql::round(c, id))
    }

    pub fn open_round_in(&self, channel: &str) -> Result<Option<Round>> {
        self.read(|c| sql::open_round_in(c, channel))
    }

    pub fn latest_round_in(&self, channel: &str) -> Result<Option<Round>> {
        self.read(|c| sql::latest_round_in(c, channel))
    }

    pub fn has_round_on(&self, channel: &str, date: jiff::civil::Date) -> Result<bool> {
        self.read(|c| sql::has_round_on(c, channel, date))
    }

    pub fn rounds_to_deliver(&self) -> Result<Vec<Round>> {
        self.read(sql::rounds_to_deliver)
    }

    pub fn rounds_to_reveal(&self, now: Timestamp) -> Result<Vec<Round>> {
        self.read(|c| sql::rounds_to_reveal(c, now))
    }

    pub fn next_reveal_at(&self) -> Result<Option<Timestamp>> {
        self.read(sql::next_reveal_at)
    }

    pub fn questions_used_in(&self, channel: &str) -> Result<Vec<(String, Timestamp)>> {
        self.read(|c| sql::questions_used_in(c, channel))
    }

    /// Stores a new round; `None` if the channel already has its scheduled round that date.
    pub fn create_round(&self, new: NewRound) -> Result<Option<RoundId>> {
        self.write(move |c| sql::insert_round(c, &new))
    }

    /// The post is confirmed: the round opens for answers.
    pub fn open_round(&self, id: RoundId, now: Timestamp, message: Option<String>) -> Result<bool> {
        self.write(move |c| sql::set_round_open(c, id, now, message.as_deref()).map(|n| n > 0))
    }

    /// Closes answers, scores them into the round's periods (for boards and stats), and
    /// queues every miss for review at `review_due`. False if the round was not open.
    pub fn close_round(
        &self,
        id: RoundId,
        now: Timestamp,
        periods: PeriodStarts,
        review_due: Timestamp,
    ) -> Result<bool> {
        self.write(move |c| {
            if sql::set_round_revealing(c, id, now)? == 0 {
                return Ok(false);
            }
            sql::score_round(c, id, now)?;
            sql::add_round_scores(c, id, &periods)?;
            sql::queue_round_misses(c, id, review_due)?;
            Ok(true)
        })
    }

    pub fn finish_reveal(&self, id: RoundId, now: Timestamp) -> Result<bool> {
        self.write(move |c| sql::set_round_revealed(c, id, now).map(|n| n > 0))
    }

    pub fn set_reveal_at(&self, id: RoundId, at: Timestamp) -> Result<bool> {
        self.write(move |c| sql::set_reveal_at(c, id, at).map(|n| n > 0))
    }

    // ---- answers ----

    /// Records a daily answer, or says why not, in one transaction.
    pub fn record_daily_answer(&self, answer: NewAnswer, round: RoundId) -> Result<DailyOutcome> {
        self.write(move |c| {
            sql::upsert_member(c, &answer.member, &answer.member_name)?;
            if sql::insert_daily_answer(c, &answer, round)? == 1 {
                return Ok(DailyOutcome::Recorded);
            }
            Ok(match sql::daily_answer(c, round, &answer.member)? {
                Some(letters) => DailyOutcome::AlreadyAnswered(letters),
                None => DailyOutcome::Closed,
            })
        })
    }

    /// Records a practice or review answer, clears the pending question, updates review.
    pub fn record_private_answer(
        &self,
        answer: NewAnswer,
        mode: PrivateMode,
        review: ReviewChange,
    ) -> Result<()> {
        self.write(move |c| {
            sql::upsert_member(c, &answer.member, &answer.member_name)?;
            sql::insert_private_answer(c, &answer, mode)?;
            sql::clear_pending(c, &answer.member, &answer.server)?;
            let id = &answer.question_id;
            match review {
                ReviewChange::Keep => {}
                ReviewChange::Set { level, due } => {
                    sql::put_review(c, &answer.member, &answer.server, id, level, due)?;
                }
                ReviewChange::Remove => {
                    sql::delete_review(c, &answer.member, &answer.server, id)?;
                }
            }
            Ok(())
        })
    }

    pub fn round_answers(&self, round: RoundId) -> Result<Vec<AnswerRow>> {
        self.read(|c| sql::round_answers(c, round))
    }

    pub fn daily_answer(&self, round: RoundId, member: &str) -> Result<Option<Letters>> {
        self.read(|c| sql::daily_answer(c, round, member))
    }

    pub fn member_board(
        &self,
        server: &str,
        period: BoardPeriod,
        limit: usize,
    ) -> Result<Vec<BoardRow>> {
        self.read(|c| sql::member_board(c, server, &period, limit))
    }

    pub fn team_board(
        &self,
        server: &str,
        period: BoardPeriod,
        limit: usize,
    ) -> Result<Vec<BoardRow>> {
        self.read(|c| sql::team_board(c, server, &period, limit))
    }

    pub fn member_results(
        &self,
        member: &str,
        server: &str,
    ) -> Result<Vec<(String, String, bool)>> {
        self.read(|c| sql::member_results(c, member, server))
    }

    pub fn streak_results(&self, member: &str, server: &str) -> Result<Vec<Option<bool>>> {
        self.read(|c| sql::streak_results(c, member, server))
    }

    // ---- private questions and review ----

    pub fn pending(&self, member: &str, server: &str) -> Result<Option<Pending>> {
        self.read(|c| sql::pending(c, member, server))
    }

    pub fn served(&self, member: &str) -> Result<Vec<(String, Timestamp)>> {
        self.read(|c| sql::served(c, member))
    }

    /// Hands a member a private question: it is now the one `/answer` answers.
    pub fn serve_private(
        &self,
        member: &str,
        server: &str,
        id: &QuestionId,
        mode: PrivateMode,
        now: Timestamp,
    ) -> Result<()> {
        let (member, server, id) = (member.to_owned(), server.to_owned(), id.clone());
        self.write(move |c| {
            sql::put_pending(c, &member, &server, &id, mode, now)?;
            sql::mark_served(c, &member, &id, now)?;
            Ok(())
        })
    }

    pub fn clear_pending(&self, member: &str, server: &str) -> Result<()> {
        let (member, server) = (member.to_owned(), server.to_owned());
        self.write(move |c| sql::clear_pending(c, &member, &server).map(drop))
    }

    pub fn review_box(&self, member: &str, server: &str, id: &QuestionId) -> Result<Option<u8>> {
        self.read(|c| sql::review_box(c, member, server, id))
    }

    pub fn next_review(
        &self,
        member: &str,
        server: &str,
    ) -> Result<Option<(String, u8, Timestamp)>> {
        self.read(|c| sql::next_review(c, member, server))
    }

    // ---- teams ----

    pub fn join_team(
        &self,
        server: &str,
        member: (&str, &str),
        name: &str,
        key: &str,
    ) -> Result<TeamMove> {
        let (server, key, name) = (server.to_owned(), key.to_owned(), name.to_owned());
        let (member, member_name) = (member.0.to_owned(), member.1.to_owned());
        self.write(move |c| {
            sql::upsert_member(c, &member, &member_name)?;
            let left = sql::team_of(c, &server, &member)?;
            sql::insert_team(c, &server, &name, &key)?;
            let (team, joined) =
                sql::team_by_key(c, &server, &key)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
            sql::put_team_member(c, &server, &member, team)?;
            sql::delete_empty_teams(c, &server)?;
            let left = left.filter(|l| *l != joined);
            Ok(TeamMove { joined, left })
        })
    }

    /// The team the member left, if they were in one.
    pub fn leave_team(&self, server: &str, member: &str) -> Result<Option<String>> {
        let (server, member) = (server.to_owned(), member.to_owned());
        self.write(move |c| {
            let team = sql::team_of(c, &server, &member)?;
            sql::delete_team_member(c, &server, &member)?;
            sql::delete_empty_teams(c, &server)?;
            Ok(team)
        })
    }

    pub fn teams(&self, server: &str) -> Result<Vec<TeamRow>> {
        self.read(|c| sql::teams(c, server))
    }
}

impl Store {
    pub fn team_of(&self, server: &str, member: &str) -> Result<Option<String>> {
        self.read(|c| sql::team_of(c, server, member))
    }

    /// Removes one review card (its question left the bank).
    pub fn drop_review(&self, member: &str, server: &str, id: &str) -> Result<()> {
        let (member, server) = (member.to_owned(), server.to_owned());
        let id = id.to_owned();
        self.write(move |c| sql::delete_review(c, &member, &server, &id).map(drop))
    }
}
