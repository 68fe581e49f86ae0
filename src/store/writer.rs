//! The one writer: a thread owning the write connection. It takes every job queued,
//! runs each in its own savepoint (a failing job rolls back alone), commits once, and only
//! then are the callers answered (by a notifier thread, so the writer goes straight on to
//! the next batch). Under a burst, one commit (one fsync) serves many answers.

use std::path::PathBuf;
use std::sync::{Arc, mpsc};
use std::thread;

use rusqlite::Connection;

use super::{Lost, Result, StoreError};

/// Jobs run on the writer thread (given `None` when no transaction could be begun, so they
/// must not touch the database) and hand back what to tell their caller once the
/// transaction's fate is known.
type Job = Box<dyn FnOnce(Option<&Connection>) -> Reply + Send>;
type Reply = Box<dyn FnOnce(Result<(), String>) + Send>;

/// At most this many jobs share a transaction, bounding how long the first one waits.
const MAX_BATCH: usize = 512;

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer on `conn`, the database at `path`; if that file is deleted or
    /// replaced, writes stop and `lost` says why.
    pub fn start(conn: Connection, path: PathBuf, lost: Arc<Lost>) -> Self {
        let (jobs, queue) = mpsc::channel::<Job>();
        let file = FileWatch::new(path, lost);
        thread::Builder::new()
            .name("quizbot-db-writer".into())
            .spawn(move || write_loop(conn, queue, file))
            .expect("the OS refused to start the database writer thread");
        Self { jobs }
    }

    /// Runs `job` in the next transaction and waits until that transaction has committed.
    pub fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T> {
        let (reply, answer) = mpsc::sync_channel::<Result<T>>(1);
        let wrapped: Job = Box::new(move |conn| {
            let outcome = match conn {
                Some(conn) => in_savepoint(conn, job),
                None => Err(rusqlite::Error::InvalidQuery),
            };
            Box::new(move |commit: Result<(), String>| {
                let result = match commit {
                    Ok(()) => outcome.map_err(StoreError::from),
                    Err(e) => Err(StoreError::Commit(e)),
                };
                // The caller may have given up waiting; nothing else to tell then.
                let _ = reply.send(result);
            })
        });
        self.jobs
            .send(wrapped)
            .map_err(|_| StoreError::WriterGone)?;
        answer.recv().map_err(|_| StoreError::WriterGone)?
    }
}

fn in_savepoint<T>(
    conn: &Connection,
    job: impl FnOnce(&Connection) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    // Cached statements: these run for every job, and parsing them each time was a
    // measurable share of the writer's time under a burst.
    conn.prepare_cached("SAVEPOINT job")?.execute([])?;
    match job(conn) {
        Ok(value) => {
            conn.prepare_cached("RELEASE job")?.execute([])?;
            Ok(value)
        }
        Err(e) => {
            conn.prepare_cached("ROLLBACK TO job")?.execute([])?;
            conn.prepare_cached("RELEASE job")?.execute([])?;
            Err(e)
        }
    }
}

/// The database file as it was when opened (device and inode), to notice it is gone.
struct FileWatch {
    path: PathBuf,
    identity: Option<(u64, u64)>,
    lost: Arc<Lost>,
}

fn identity_of(path: &std::path::Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    // Elsewhere only a deleted file is noticed.
    #[cfg(not(unix))]
    {
        std::fs::metadata(path).ok().map(|_| (0, 0))
    }
}

impl FileWatch {
    fn new(path: PathBuf, lost: Arc<Lost>) -> Self {
        let identity = identity_of(&path);
        Self {
            path,
            identity,
            lost,
        }
    }

    /// Why nothing may be written any more, if the file is not the one opened.
    fn check(&self) -> Option<String> {
        if let Some(reason) = self.lost.reason() {
            return Some(reason);
        }
        let opened = self.identity?;
        if identity_of(&self.path) == Some(opened) {
            return None;
        }
        let reason = format!(
            "the database file {} was deleted or replaced while the bot ran; nothing more \
             is recorded. Stop the bot, put the file back (or restore a backup) and start again",
            self.path.display()
        );
        tracing::error!("{reason}");
        Some(self.lost.set(reason))
    }
}

fn write_loop(conn: Connection, queue: mpsc::Receiver<Job>, file: FileWatch) {
    let (notify, notified) = mpsc::channel::<(Vec<Reply>, Result<(), String>)>();
    let notifier = thread::Builder::new()
        .name("quizbot-db-notify".into())
        .spawn(move || {
            for (replies, committed) in notified {
                replies
                    .into_iter()
                    .for_each(|reply| reply(committed.clone()));
            }
        });
    if let Err(error) = &notifier {
        tracing::warn!(%error, "no notifier thread; the writer answers callers itself");
    }
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        // A file deleted or replaced under us would take the writes and lose them.
        if let Some(reason) = file.check() {
            let replies: Vec<_> = batch.into_iter().map(|job| job(None)).collect();
            replies
                .into_iter()
                .for_each(|reply| reply(Err(reason.clone())));
            continue;
        }
        let started = std::time::Instant::now();
        let began = conn.execute_batch("BEGIN IMMEDIATE");
        let usable = began.is_ok().then_some(&conn);
        let replies: Vec<_> = batch.into_iter().map(|job| job(usable)).collect();
        let committed = began
            .and_then(|()| conn.execute_batch("COMMIT"))
            .map_err(|e| {
                let _ = conn.execute_batch("ROLLBACK");
                tracing::error!(error = %e, jobs = replies.len(), "database commit failed");
                e.to_string()
            });
        crate::metrics::store_commit(started.elapsed());
        // Waking hundreds of waiting callers takes as long as the batch's SQL did: leave
        // it to the notifier so the next batch can start now.
        if let Err(unsent) = notify.send((replies, committed)) {
            let (replies, committed) = unsent.0;
            replies
                .into_iter()
                .for_each(|reply| reply(committed.clone()));
        }
    }
}
