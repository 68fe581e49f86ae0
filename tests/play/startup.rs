//! Starting and stopping the real binary safely: a broken `.env`, a database that is not
//! ours or not yet ours, backups, and a database file that vanishes under the bot.

use super::*;

#[test]
fn a_broken_env_line_is_named_by_file_and_line_never_shown_and_stops_the_bot() {
    let session = Session::new();
    std::fs::write(
        session.dir.path().join(".env"),
        "QUIZBOT_LANG=en\nDISCORD_TOKEN=\"abc-never-shown-token\nQUIZBOT_DB=other.db\n",
    )
    .unwrap();
    let out = session.run(&["play", "--json"], b"/help\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the bot must not start: {stderr}");
    assert!(stderr.contains(".env: line 2"), "{stderr}");
    assert!(!stderr.contains("abc-never-shown-token"), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing ran");
    assert!(!session.db().exists(), "no database was created");
    assert!(!session.dir.path().join("other.db").exists());
}

#[test]
fn three_processes_started_at_once_on_a_fresh_database_all_start() {
    for _ in 0..4 {
        let session = Session::new();
        let children: Vec<_> = (0..3)
            .map(|_| {
                let mut child = session
                    .command(&["play", "--json"])
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap();
                child.stdin.take().unwrap().write_all(b"/help\n").unwrap();
                child
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "a process died: {stderr}");
            assert_eq!(messages(&out)[0]["kind"], "info");
        }
    }
}

/// A SQLite file written by `setup`, and its bytes.
fn sqlite_file(session: &Session, setup: &str) -> Vec<u8> {
    let conn = rusqlite::Connection::open(session.db()).unwrap();
    conn.execute_batch(setup).unwrap();
    drop(conn);
    std::fs::read(session.db()).unwrap()
}

fn assert_refused_untouched(session: &Session, before: &[u8], needle: &str) {
    let out = session.run(&["play", "--json"], b"/help\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the bot must not start: {stderr}");
    assert!(stderr.contains(needle), "{stderr}");
    assert!(out.stdout.is_empty());
    assert_eq!(
        std::fs::read(session.db()).unwrap(),
        before,
        "the file is unchanged"
    );
    let wal = session.dir.path().join("play.db-wal");
    assert!(!wal.exists(), "not even switched to WAL");
}

#[test]
fn a_database_from_a_newer_quizbot_is_refused_before_anything_in_it_changes() {
    let session = Session::new();
    let before = sqlite_file(
        &session,
        "CREATE TABLE members (key TEXT PRIMARY KEY, name TEXT NOT NULL);
         CREATE TABLE rounds (id INTEGER PRIMARY KEY);
         PRAGMA user_version = 99; PRAGMA application_id = 1363300180;",
    );
    assert_refused_untouched(&session, &before, "written by a newer quizbot (schema 99");
}

#[test]
fn another_applications_sqlite_file_is_refused_not_adopted() {
    let session = Session::new();
    let before = sqlite_file(
        &session,
        "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');",
    );
    assert_refused_untouched(&session, &before, "another application's SQLite database");
}

#[test]
fn an_in_memory_database_is_refused_with_a_clear_message() {
    let session = Session::new();
    let out = session
        .command(&["play", "--json"])
        .env("QUIZBOT_DB", ":memory:")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains(":memory:` or another in-memory database"),
        "{stderr}"
    );
}

#[test]
fn a_damaged_database_is_refused_at_startup_by_its_integrity_check() {
    let session = Session::new();
    session.play(
        "2026-11-24T08:00:00+09:00",
        &[
            "/quiz schedule 09:00 Asia/Seoul",
            ":advance 2h",
            "/team join Owls",
        ],
    );
    let conn = rusqlite::Connection::open(session.db()).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    let page: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    // The root page of the rounds table, scribbled over past its header.
    let root: i64 = conn
        .query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'rounds'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);
    let mut bytes = std::fs::read(session.db()).unwrap();
    let start = usize::try_from((root - 1) * page).unwrap();
    bytes[start..start + 12].fill(0x7f);
    std::fs::write(session.db(), &bytes).unwrap();
    let out = session.run(&["play", "--json"], b"/help\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("is damaged"), "{stderr}");
}

#[test]
fn run_without_any_token_refuses_before_creating_a_database() {
    let session = Session::new();
    let out = session.run(&["run"], b"");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("nothing to connect to"), "{stderr}");
    assert!(!session.db().exists(), "no database was created");
}

/// A `quizbot play --json` process kept running: one line in, one message out.
struct Live {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    stdout: std::io::BufReader<std::process::ChildStdout>,
}

impl Live {
    fn start(session: &Session) -> Self {
        let mut child = session
            .command(&["play", "--json", "--clock", "2026-11-24T08:00:00+09:00"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        Self {
            child,
            stdin,
            stdout,
        }
    }

    /// Sends a line and returns the one message it answers with.
    fn say(&mut self, line: &str) -> Value {
        use std::io::BufRead as _;
        writeln!(self.stdin, "{line}").unwrap();
        self.stdin.flush().unwrap();
        let mut reply = String::new();
        self.stdout.read_line(&mut reply).unwrap();
        serde_json::from_str(&reply).unwrap_or_else(|e| panic!("{e}: {reply:?}"))
    }

    /// Ends input and waits: (succeeded, stderr).
    fn finish(self) -> (bool, String) {
        drop(self.stdin);
        let out = self.child.wait_with_output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into(),
        )
    }
}

/// Counts rows in a copy of the database file alone, without its write-ahead log.
fn rows_in_the_db_file_alone(db: &Path, table: &str) -> i64 {
    let copy = TempDir::new().unwrap();
    let alone = copy.path().join("alone.db");
    std::fs::copy(db, &alone).unwrap();
    let conn = rusqlite::Connection::open(&alone).unwrap();
    conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .unwrap_or(-1)
}

#[test]
fn when_play_ends_the_database_file_alone_holds_everything() {
    let session = Session::new();
    session.play(
        "2026-11-24T08:00:00+09:00",
        &["/quiz schedule 09:00 Asia/Seoul", "/team join Owls"],
    );
    assert_eq!(rows_in_the_db_file_alone(&session.db(), "schedules"), 1);
    assert_eq!(rows_in_the_db_file_alone(&session.db(), "teams"), 1);
}

#[test]
fn sigterm_checkpoints_the_database_before_the_bot_stops() {
    let session = Session::new();
    let mut live = Live::start(&session);
    assert_eq!(live.say("/team join Owls")["kind"], "info");
    let killed = Command::new("kill")
        .args(["-TERM", &live.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = live.child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "stopped by the signal, cleanly");
    assert_eq!(rows_in_the_db_file_alone(&session.db(), "teams"), 1);
}

#[test]
fn a_backup_taken_while_the_bot_runs_is_a_complete_consistent_copy() {
    let session = Session::new();
    let mut live = Live::start(&session);
    assert_eq!(live.say("/quiz schedule 09:00 Asia/Seoul")["kind"], "info");
    assert_eq!(live.say("/team join Owls")["kind"], "info");
    let backup = session.dir.path().join("backup.db");
    let out = session.run(&["backup", backup.to_str().unwrap()], b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The bot is still running and still writes.
    assert_eq!(live.say("/team join Hawks")["kind"], "info");
    let conn = rusqlite::Connection::open(&backup).unwrap();
    let teams: Vec<String> = conn
        .prepare("SELECT name FROM teams")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(teams, ["Owls"]);
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);

    let again = session.run(&["backup", backup.to_str().unwrap()], b"");
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(!again.status.success());
    assert!(stderr.contains("already exists"), "{stderr}");
    assert!(live.finish().0);
}

#[test]
fn a_database_deleted_or_replaced_under_the_bot_stops_it_instead_of_recording() {
    for replace in [false, true] {
        let session = Session::new();
        let mut live = Live::start(&session);
        assert_eq!(live.say("/team join Owls")["kind"], "info");
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", session.db().display()));
        }
        if replace {
            std::fs::write(session.db(), b"").unwrap();
        }
        let reply = live.say("/team join Hawks");
        assert_eq!(reply["kind"], "error", "not recorded: {reply}");
        let (ok, stderr) = live.finish();
        assert!(!ok, "the bot stops");
        assert!(
            stderr.contains("was deleted or replaced while the bot ran"),
            "{stderr}"
        );
    }
}
