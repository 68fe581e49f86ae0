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
