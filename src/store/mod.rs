//! Storage: one SQLite file in WAL mode. Writes go through one writer thread that commits
//! whatever is queued in a single transaction (group commit); each caller is answered only
//! after that commit. Reads use their own connections and never wait for the writer.
//!
//! The rest of the bot sees plain Rust types. SQL lives in this module's files, one statement
//! a function: `sql` for rounds, answers and boards, and a file per later topic (`mock`,
//! `export`, `freeze`, `report`, `week`, `claims`, `health`).

pub mod baseline;
mod claims;
mod export;
mod freeze;
mod health;
mod mock;
mod report;
mod schema;
mod sql;
mod week;
mod writer;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

use jiff::Timestamp;
use rusqlite::{Connection, OpenFlags};

use crate::bank::{Lang, Letters, Question, QuestionId};
use crate::records::{Memory, Pending, PrivateMode, Round, RoundId, RoundKind};
use crate::schedule::Schedule;

pub use export::ExportedAnswer;
pub use freeze::StreakRound;
pub use mock::{MockAnswer, MockEnding, MockExam, MockResults, NewMock};
pub use report::{NewReport, ReportOutcome, ReportRow};
pub use week::{NewRecap, RecapPlan};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "{} is `:memory:` or another in-memory database, which forgets every answer when the \
         bot stops: name a file",
        path.display()
    )]
    InMemory { path: PathBuf },
    #[error(
        "{} was written by a newer quizbot (schema {found}; this one knows up to {known}): \
         run that version or newer; nothing in the file was changed",
        path.display()
    )]
    NewerSchema {
        path: PathBuf,
        found: usize,
        known: usize,
    },
    #[error(
        "{} is another application's SQLite database, not a quizbot one: it is left as it \
         was; point QUIZBOT_DB at a quizbot database or a new file",
        path.display()
    )]
    NotOurs { path: PathBuf },
    #[error(
        "{} is damaged ({report}): restore it from a backup (see the README)",
        path.display()
    )]
    Damaged { path: PathBuf, report: String },
    #[error("cannot bring the database schema of {} up to date: {source}", path.display())]
    Migrate {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("a database query failed: {0}")]
    Query(#[from] rusqlite::Error),
    #[error("the database could not commit: {0}")]
    Commit(String),
    #[error("the database writer has stopped")]
    WriterGone,
    #[error("{} already exists: a backup goes to a new file", path.display())]
    BackupExists { path: PathBuf },
    #[error("cannot back up the database to {}: {source}", path.display())]
    Backup {
        path: PathBuf,
        source: rusqlite::Error,
    },
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

impl ScheduleRow {
    /// A schedule set at `since`: it is first due at its first slot at or after `since`.
    pub fn new(
        channel: String,
        server: String,
        schedule: Schedule,
        lang: Lang,
        since: Timestamp,
    ) -> Self {
        let due_at = schedule
            .first_slot_from(since)
            .map_or(Timestamp::MAX, |slot| slot.at);
        Self {
            channel,
            server,
            schedule,
            lang,
            since,
            disabled: None,
            due_at,
        }
    }
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
    /// The task statement's code (`3.2`), kept for per-task stats like the domain.
    pub task: String,
    /// Newline-separated, so stats survive the question leaving the bank.
    pub services: String,
    pub at: Timestamp,
    /// The member marked the answer unsure: it goes into review even when right.
    pub unsure: bool,
}

/// One scored answer as `/stats` counts it: where it falls and whether it was right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoredAnswer {
    pub domain: String,
    /// The task statement's code; empty never happens after migration 3.
    pub task: String,
    /// Newline-separated.
    pub services: String,
    pub correct: bool,
    /// An answer to a channel round (scheduled or posted by hand), not practice or review.
    pub daily: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DailyOutcome {
    Recorded,
    AlreadyAnswered(Letters),
    Closed,
}

/// A member's memory of a question as stored: FSRS's state, when it is due again, and
/// whether it is in the member's review queue (missed or answered unsure at least once).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Remembered {
    pub memory: Memory,
    pub due: Timestamp,
    pub in_review: bool,
}

/// One answer of a revealed round, with the answerer's memory of the question before it.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundReview {
    pub member: String,
    pub server: String,
    pub question_id: String,
    pub correct: bool,
    pub unsure: bool,
    pub before: Option<Remembered>,
}

/// The setting holding the database's random id, made by a migration.
const INSTANCE: &str = "instance";

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

/// Set once the database file was deleted or replaced under the bot: from then on nothing is
/// written, and whoever waits on it (the running bot) stops.
#[derive(Default)]
pub struct Lost {
    reason: std::sync::OnceLock<String>,
    notify: tokio::sync::Notify,
}

impl Lost {
    fn reason(&self) -> Option<String> {
        self.reason.get().cloned()
    }

    fn set(&self, reason: String) -> String {
        let reason = self.reason.get_or_init(|| reason).clone();
        self.notify.notify_one();
        reason
    }
}

/// A handle on the database; clones share the writer thread and the reader pool.
#[derive(Clone)]
pub struct Store {
    /// Who this process is when it claims a delivery: unique per open store.
    owner: Arc<str>,
    writer: writer::Writer,
    lost: Arc<Lost>,
    readers: Arc<Readers>,
    questions: Arc<QuestionCache>,
    /// This database's random id (see [`Store::instance`]).
    instance: Arc<str>,
}

/// Read connections, at most `MAX_READERS`: more would only add cold page caches and
/// lock contention on two cores, so a busy caller waits for one to come back.
struct Readers {
    options: StoreOptions,
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    opened: Mutex<usize>,
    returned: Condvar,
}

const MAX_READERS: usize = 8;
/// Round questions kept in memory; the cache starts over when full. Answers go to open
/// rounds, a few per channel, so this covers a thousand busy channels.
const CACHED_QUESTIONS: usize = 1024;

type QuestionCache = Mutex<HashMap<RoundId, Arc<Question>>>;

/// Caches a round's question, within [`CACHED_QUESTIONS`] whichever kind of round it is.
fn remember(cache: &QuestionCache, id: RoundId, question: Arc<Question>) {
    if let Ok(mut cached) = cache.lock() {
        if cached.len() >= CACHED_QUESTIONS {
            cached.clear();
        }
        cached.insert(id, question);
    }
}

impl Readers {
    fn take(&self) -> Result<Connection> {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(conn) = idle.pop() {
                return Ok(conn);
            }
            let mut opened = self.opened.lock().unwrap_or_else(|e| e.into_inner());
            if *opened < MAX_READERS {
                *opened += 1;
                drop(opened);
                drop(idle);
                return self.open().inspect_err(|_| {
                    *self.opened.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
                });
            }
            drop(opened);
            idle = self.returned.wait(idle).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn open(&self) -> Result<Connection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(&self.path, flags).map_err(|source| StoreError::Open {
                path: self.path.clone(),
                source,
            })?;
        configure(&conn, &self.options)?;
        Ok(conn)
    }

    fn give_back(&self, conn: Connection) {
        self.idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(conn);
        self.returned.notify_one();
    }
}

/// How the database is opened. The defaults are what the bot uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreOptions {
    /// How long a write waits for another process's lock before failing.
    pub busy_timeout: std::time::Duration,
    /// A cap on the database's size; past it writes fail as on a full disk.
    pub max_bytes: Option<u64>,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            busy_timeout: std::time::Duration::from_secs(5),
            max_bytes: None,
        }
    }
}

/// Writes a consistent copy of the database at `db` to the new file `to`, while the bot may
/// be running (a read transaction: writers carry on). Nothing in `db` changes.
pub fn backup(db: &Path, to: &Path) -> Result<()> {
    if to.exists() {
        return Err(StoreError::BackupExists {
            path: to.to_owned(),
        });
    }
    let open_err = |source| StoreError::Open {
        path: db.to_owned(),
        source,
    };
    if is_in_memory(db) || !db.is_file() {
        return Err(open_err(rusqlite::Error::InvalidPath(db.to_owned())));
    }
    let conn =
        Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(open_err)?;
    configure(&conn, &StoreOptions::default()).map_err(open_err)?;
    refuse_unless_ours(db, schema::identify(&conn).map_err(open_err)?)?;
    let target = to.to_string_lossy();
    sql::vacuum_into(&conn, &target).map_err(|source| StoreError::Backup {
        path: to.to_owned(),
        source,
    })?;
    Ok(())
}

/// `:memory:`, the empty name (a temporary database) and `mode=memory` URIs.
fn is_in_memory(path: &Path) -> bool {
    let text = path.to_string_lossy();
    text.is_empty()
        || text == ":memory:"
        || (text.starts_with("file:")
            && (text.contains(":memory:") || text.contains("mode=memory")))
}

/// An owner name no other open store has, here or in another process: the process id, the
/// time and a counter.
fn new_owner() -> String {
    static OPENED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = OPENED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{}-{nanos:x}-{n}", std::process::id())
}

fn refuse_unless_ours(path: &Path, identity: schema::Identity) -> Result<()> {
    match identity {
        schema::Identity::Fresh | schema::Identity::Ours(_) => Ok(()),
        schema::Identity::Newer(found) => Err(StoreError::NewerSchema {
            path: path.to_owned(),
            found,
            known: schema::latest(),
        }),
        schema::Identity::Foreign => Err(StoreError::NotOurs {
            path: path.to_owned(),
        }),
    }
}

fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

fn configure(conn: &Connection, options: &StoreOptions) -> rusqlite::Result<()> {
    conn.busy_timeout(options.busy_timeout)?;
    conn.pragma_update(None, "foreign_keys", true)
}

impl Store {
    /// Opens (creating if needed) and migrates the database, then starts the writer.
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, StoreOptions::default())
    }

    pub fn open_with(path: &Path, options: StoreOptions) -> Result<Self> {
        // SQLite answers "locked" without waiting when waiting could deadlock (processes
        // starting at once on a fresh file, switching it to WAL): the whole opening is tried
        // again, for as long as a busy wait would last.
        let started = std::time::Instant::now();
        loop {
            match Self::open_once(path, options) {
                Err(StoreError::Open { source, .. })
                    if is_busy(&source) && started.elapsed() < options.busy_timeout =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(25));
                }
                outcome => return outcome,
            }
        }
    }

    fn open_once(path: &Path, options: StoreOptions) -> Result<Self> {
        let open_err = |source| StoreError::Open {
            path: path.to_owned(),
            source,
        };
        if is_in_memory(path) {
            return Err(StoreError::InMemory {
                path: path.to_owned(),
            });
        }
        let conn = Connection::open(path).map_err(open_err)?;
        configure(&conn, &options).map_err(open_err)?;
        // Whose file and which schema, and whether it is sound, before anything changes.
        refuse_unless_ours(path, schema::identify(&conn).map_err(open_err)?)?;
        let damaged = |report: String| StoreError::Damaged {
            path: path.to_owned(),
            report,
        };
        match sql::quick_check(&conn) {
            Ok(report) if report == ["ok"] => {}
            Ok(report) => return Err(damaged(report.join("; "))),
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
                return Err(damaged(e.to_string()));
            }
            Err(e) => return Err(open_err(e)),
        }
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))
            .map_err(open_err)?;
        // FULL: an answer we acknowledged survives a power cut too, not only a process crash.
        // Group commit keeps the cost of the extra fsync per transaction, not per answer.
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        // Each job's savepoint journal stays in memory, not in a temp file.
        conn.pragma_update(None, "temp_store", "MEMORY")
            .map_err(open_err)?;
        if let Some(max) = options.max_bytes {
            let page: i64 = conn
                .pragma_query_value(None, "page_size", |r| r.get(0))
                .map_err(open_err)?;
            let pages = i64::try_from(max).unwrap_or(i64::MAX) / page.max(1);
            conn.pragma_update(None, "max_page_count", pages.max(1))
                .map_err(open_err)?;
        }
        let migrated = schema::migrate(&conn).map_err(|source| StoreError::Migrate {
            path: path.to_owned(),
            source,
        })?;
        refuse_unless_ours(path, migrated)?;
        let instance = sql::setting(&conn, INSTANCE)
            .map_err(open_err)?
            .unwrap_or_default();
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            tracing::warn!(path = %path.display(), "the database is read-only: nothing can be recorded until it is writable");
        }
        let lost = Arc::new(Lost::default());
        Ok(Self {
            owner: new_owner().into(),
            writer: writer::Writer::start(conn, path.to_owned(), lost.clone()),
            lost,
            readers: Arc::new(Readers {
                options,
                path: path.to_owned(),
                idle: Mutex::new(Vec::new()),
                opened: Mutex::new(0),
                returned: Condvar::new(),
            }),
            questions: Arc::default(),
            instance: instance.into(),
        })
    }

    /// Why the database can no longer be written (its file was deleted or replaced), if so.
    pub fn lost(&self) -> Option<String> {
        self.lost.reason()
    }

    /// Waits until the database file is lost, and says why.
    pub async fn file_lost(&self) -> String {
        loop {
            let notified = self.lost.notify.notified();
            if let Some(reason) = self.lost.reason() {
                return reason;
            }
            notified.await;
        }
    }

    /// Moves everything in the write-ahead log into the database file, so the `.db` file
    /// alone holds it all (a clean shutdown does this before the process ends).
    pub fn checkpoint(&self) -> Result<()> {
        if self.lost().is_some() {
            return Ok(());
        }
        let path = &self.readers.path;
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.clone(),
            source,
        })?;
        configure(&conn, &self.readers.options)?;
        let (busy, _, _) = sql::checkpoint(&conn)?;
        if busy != 0 {
            tracing::warn!("the database checkpoint could not finish: another process reads it");
        }
        Ok(())
    }

    /// A random id made once, when the database was created (8 hex digits): what tells
    /// this database's deliveries from those of one before a reset, in the same channel.
    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// Runs a read on a pooled connection of its own (WAL: never blocked by the writer).
    fn read<T>(&self, query: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T> {
        let conn = self.readers.take()?;
        let result = query(&conn);
        self.readers.give_back(conn);
        Ok(result?)
    }

    /// A round's question: from the cache, or read once and cached.
    fn question_of(&self, c: &Connection, id: RoundId) -> rusqlite::Result<Arc<Question>> {
        if let Some(q) = self.questions.lock().ok().and_then(|m| m.get(&id).cloned()) {
            return Ok(q);
        }
        let question = Arc::new(sql::round_question(c, id)?);
        remember(&self.questions, id, question.clone());
        Ok(question)
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

    /// Stores one tick's decisions in one transaction: the new rounds (a second round for
    /// a channel and date is refused and skipped), with an unrevealed older round in the
    /// same channel due for reveal at once, and each schedule's next due time. Returns the
    /// ids of the rounds created.
    pub fn plan(
        &self,
        rounds: Vec<NewRound>,
        dues: Vec<(String, Timestamp)>,
        now: Timestamp,
    ) -> Result<Vec<RoundId>> {
        let cache = self.questions.clone();
        let snapshots = rounds
            .iter()
            .map(|r| sql::Snapshot::of(&r.question))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        self.write(move |c| {
            let mut created = Vec::new();
            for (round, snapshot) in rounds.into_iter().zip(&snapshots) {
                sql::insert_snapshot(c, snapshot)?;
                let Some(id) = sql::insert_round(c, &round, snapshot)? else {
                    continue;
                };
                sql::reveal_older_rounds(c, &round.channel, id, now)?;
                remember(&cache, id, Arc::new(round.question));
                created.push(id);
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
        self.save_schedules(vec![row])
    }

    /// Saves many schedules in one transaction (an import, a benchmark's setup).
    pub fn save_schedules(&self, rows: Vec<ScheduleRow>) -> Result<()> {
        self.write(move |c| {
            rows.iter().try_for_each(|row| {
                sql::put_schedule(c, row)?;
                let due = week::first_recap(row, crate::schedule::RecapTime::default());
                week::ensure_week(c, &row.channel, due).map(drop)
            })
        })
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
        self.read(|c| sql::round(c, id, &|r| self.question_of(c, r)))
    }

    pub fn open_round_in(&self, channel: &str) -> Result<Option<Round>> {
        self.read(|c| sql::open_round_in(c, channel, &|r| self.question_of(c, r)))
    }

    pub fn latest_round_in(&self, channel: &str) -> Result<Option<Round>> {
        self.read(|c| sql::latest_round_in(c, channel, &|r| self.question_of(c, r)))
    }

    pub fn rounds_to_deliver(&self) -> Result<Vec<Round>> {
        self.read(|c| sql::rounds_to_deliver(c, &|r| self.question_of(c, r)))
    }

    /// Open rounds whose reveal time has come: (id, zone, when posted).
    pub fn rounds_to_reveal(&self, now: Timestamp) -> Result<Vec<(RoundId, String, Timestamp)>> {
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
        let snapshot = sql::Snapshot::of(&new.question)?;
        self.write(move |c| {
            sql::insert_snapshot(c, &snapshot)?;
            sql::insert_round(c, &new, &snapshot)
        })
    }

    /// Claims the round's pending delivery (`reveal` or post) for this store until `until`;
    /// false if another process holds it, or it is no longer pending.
    pub fn claim_delivery(
        &self,
        id: RoundId,
        reveal: bool,
        now: Timestamp,
        until: Timestamp,
    ) -> Result<bool> {
        let owner = self.owner.clone();
        let state = if reveal { "revealing" } else { "scheduled" };
        self.write(move |c| sql::claim_round(c, id, state, &owner, now, until).map(|n| n == 1))
    }

    /// When this store can next claim a pending delivery (`now` if one is free).
    pub fn next_claimable(&self, now: Timestamp) -> Result<Option<Timestamp>> {
        self.read(|c| sql::next_claimable(c, &self.owner, now))
    }

    /// The post is confirmed: the round opens for answers.
    pub fn open_round(&self, id: RoundId, now: Timestamp, message: Option<String>) -> Result<bool> {
        self.write(move |c| sql::set_round_open(c, id, now, message.as_deref()).map(|n| n > 0))
    }

    /// Closes answers of each round, scores them into the round's periods (for boards and
    /// stats), and updates every answerer's memory of the question by `review` (the engine's
    /// rule), all in one transaction. A round that is no longer open is left alone.
    pub fn close_rounds(
        &self,
        rounds: Vec<(RoundId, PeriodStarts)>,
        now: Timestamp,
        review: impl Fn(&RoundReview) -> Remembered + Send + 'static,
    ) -> Result<()> {
        self.write(move |c| {
            for (id, periods) in &rounds {
                if sql::set_round_revealing(c, *id, now)? == 0 {
                    continue;
                }
                sql::score_round(c, *id, now)?;
                sql::add_round_scores(c, *id, periods)?;
                for answer in sql::round_reviews(c, *id)? {
                    let after = review(&answer);
                    sql::put_memory(
                        c,
                        &answer.member,
                        &answer.server,
                        &answer.question_id,
                        &after,
                    )?;
                }
            }
            Ok(())
        })
    }

    pub fn set_reveal_at(&self, id: RoundId, at: Timestamp) -> Result<bool> {
        self.write(move |c| sql::set_reveal_at(c, id, at).map(|n| n > 0))
    }

    // ---- answers ----

    /// Records a daily answer, or says why not, in one transaction.
    pub fn record_daily_answer(&self, answer: NewAnswer, round: RoundId) -> Result<DailyOutcome> {
        let server = answer.server.clone();
        let outcome = self.write(move |c| {
            sql::upsert_member(c, &answer.member, &answer.member_name)?;
            if sql::insert_daily_answer(c, &answer, round)? == 1 {
                return Ok(DailyOutcome::Recorded);
            }
            Ok(match sql::daily_answer(c, round, &answer.member)? {
                Some(letters) => DailyOutcome::AlreadyAnswered(letters),
                None => DailyOutcome::Closed,
            })
        });
        if matches!(outcome, Ok(DailyOutcome::Recorded)) {
            crate::metrics::answer_recorded(&server, "daily");
        }
        outcome
    }

    /// Records a practice or review answer, clears the pending question, and stores the
    /// member's memory of the question after it, in one transaction.
    pub fn record_private_answer(
        &self,
        answer: NewAnswer,
        mode: PrivateMode,
        after: Remembered,
    ) -> Result<()> {
        let server = answer.server.clone();
        let recorded = self.write(move |c| {
            sql::upsert_member(c, &answer.member, &answer.member_name)?;
            sql::insert_private_answer(c, &answer, mode)?;
            sql::clear_pending(c, &answer.member, &answer.server)?;
            sql::put_memory(
                c,
                &answer.member,
                &answer.server,
                &answer.question_id,
                &after,
            )?;
            Ok(())
        });
        if recorded.is_ok() {
            crate::metrics::answer_recorded(&server, mode.key());
        }
        recorded
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

    pub fn member_results(&self, member: &str, server: &str) -> Result<Vec<ScoredAnswer>> {
        self.read(|c| sql::member_results(c, member, server))
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

    pub fn memory(
        &self,
        member: &str,
        server: &str,
        id: &QuestionId,
    ) -> Result<Option<Remembered>> {
        self.read(|c| sql::memory(c, member, server, id.as_str()))
    }

    pub fn memories(&self, member: &str, server: &str) -> Result<Vec<(String, Memory)>> {
        self.read(|c| sql::memories(c, member, server))
    }

    /// The question in review due first, and when it is (or was) due.
    pub fn next_review(&self, member: &str, server: &str) -> Result<Option<(String, Timestamp)>> {
        self.read(|c| sql::next_review(c, member, server))
    }

    pub fn reviews_due(&self, member: &str, server: &str, now: Timestamp) -> Result<usize> {
        self.read(|c| sql::reviews_due(c, member, server, now))
    }

    /// Every scored answer of the member here, oldest first: (question id, correct).
    pub fn answer_history(&self, member: &str, server: &str) -> Result<Vec<(String, bool)>> {
        self.read(|c| sql::answer_history(c, member, server))
    }

    /// Toggles the member's unsure mark on a question they have not answered; the new state.
    pub fn toggle_unsure_mark(&self, member: &str, target: &str) -> Result<bool> {
        let (member, target) = (member.to_owned(), target.to_owned());
        self.write(move |c| {
            if sql::delete_unsure_mark(c, &member, &target)? == 1 {
                return Ok(false);
            }
            sql::insert_unsure_mark(c, &member, &target)?;
            Ok(true)
        })
    }

    /// Removes the member's unsure mark on a question, saying whether there was one.
    pub fn take_unsure_mark(&self, member: &str, target: &str) -> Result<bool> {
        let (member, target) = (member.to_owned(), target.to_owned());
        self.write(move |c| sql::delete_unsure_mark(c, &member, &target).map(|n| n == 1))
    }

    /// Flips the unsure flag of the member's recorded answer to an open round: the new flag,
    /// or `None` when they have no answer there (or the round is closed).
    pub fn flip_daily_unsure(&self, round: RoundId, member: &str) -> Result<Option<bool>> {
        let member = member.to_owned();
        self.write(move |c| sql::flip_daily_unsure(c, round, &member))
    }

    /// The member's exam date as they set it (`YYYY-MM-DD`).
    pub fn exam_date(&self, member: &str) -> Result<Option<String>> {
        self.read(|c| sql::exam_date(c, member))
    }

    pub fn set_exam_date(&self, member: &str, date: &str) -> Result<()> {
        let (member, date) = (member.to_owned(), date.to_owned());
        self.write(move |c| sql::put_exam_date(c, &member, &date).map(drop))
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

    /// Forgets the member's memory of a question that left the bank.
    pub fn drop_review(&self, member: &str, server: &str, id: &str) -> Result<()> {
        let (member, server) = (member.to_owned(), server.to_owned());
        let id = id.to_owned();
        self.write(move |c| sql::delete_memory(c, &member, &server, &id).map(drop))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixture bank's first question.
    fn question() -> Question {
        let source = include_str!("../../tests/fixtures/bank/questions.toml");
        let bank = crate::bank::load_source(Path::new("q.toml"), source).unwrap();
        bank.questions()[0].clone()
    }

    #[test]
    fn the_question_cache_stays_within_its_bound_whatever_the_rounds_are() {
        let dir = tempfile::TempDir::new().unwrap();
        let store = Store::open(&dir.path().join("cache.db")).unwrap();
        let now = Timestamp::UNIX_EPOCH;
        let mut date = jiff::civil::date(2026, 1, 1);
        for _ in 0..3 {
            let rounds = (0..CACHED_QUESTIONS)
                .map(|_| {
                    date = date.tomorrow().unwrap();
                    NewRound {
                        server: "s".into(),
                        channel: "c".into(),
                        question: question(),
                        kind: RoundKind::Scheduled { date },
                        zone: "UTC".into(),
                        lang: Lang::En,
                        created_at: now,
                        reveal_at: now,
                    }
                })
                .collect();
            store.plan(rounds, Vec::new(), now).unwrap();
            let cached = store.questions.lock().unwrap().len();
            assert!(cached <= CACHED_QUESTIONS, "{cached} questions cached");
        }
    }
}
