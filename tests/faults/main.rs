//! Faults: crashes, a locked, full or read-only database, and a bank that breaks or changes.
//! Each test asserts that nothing acknowledged is lost or doubled and the database stays sound.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use quizbot::bank::{self, Lang};
use quizbot::quiz::{CardKind, DeliveryKind, Engine, Member, Place, Reply, Request};
use quizbot::store::{Store, StoreOptions};
use serde_json::Value;
use tempfile::TempDir;

mod claims;

const CHANNEL: &str = "test:general";

fn fixture_bank_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bank")
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn engine(db: &Path, options: StoreOptions, bank: bank::Bank) -> Engine {
    Engine::new(
        Arc::new(bank),
        Store::open_with(db, options).unwrap(),
        Lang::En,
    )
}

fn ask(engine: &Engine, who: &str, line: &str, now: Timestamp) -> Vec<Reply> {
    ask_in(engine, CHANNEL, who, line, now)
}

fn ask_in(engine: &Engine, channel: &str, who: &str, line: &str, now: Timestamp) -> Vec<Reply> {
    let command = quizbot::quiz::parse(line, &|u| format!("test:{u}")).unwrap();
    let request = Request {
        place: Place {
            server: "test:server".into(),
            channel: channel.into(),
        },
        member: Member {
            key: format!("test:{who}"),
            name: who.into(),
        },
        lang: None,
        manager: true,
        command,
    };
    engine.handle(&request, now)
}

fn fixture_bank() -> bank::Bank {
    bank::load(&[fixture_bank_dir()]).unwrap()
}

/// An engine on `db` whose channel has today's question open (posted 09:00 Seoul);
/// returns it with letters that validly answer that question.
fn open_round(db: &Path, options: StoreOptions, schedule: &str) -> (Engine, String) {
    let app = engine(db, options, fixture_bank());
    ask(&app, "ana", schedule, at("2026-11-24T08:00:00+09:00"));
    let id = deliver(&app, at("2026-11-24T09:00:00+09:00")).expect("a question is posted");
    let letters = valid_letters(&id);
    (app, letters)
}

/// Delivers and confirms what is due; returns the question id of a post, if any.
fn deliver(engine: &Engine, now: Timestamp) -> Option<String> {
    let mut posted = None;
    for d in engine.tick(now) {
        match &d.kind {
            DeliveryKind::Post => {
                if let CardKind::Question { question_id, .. } = &d.card.kind {
                    posted = Some(question_id.to_string());
                }
                engine.confirm_post(d.round, None, now);
            }
            DeliveryKind::Reveal { .. } => engine.confirm_reveal(d.round, now),
            DeliveryKind::Recap { recap } => engine.confirm_recap(*recap, None, now),
        }
    }
    posted
}

/// Letters that make a valid answer (right or wrong) to a fixture question.
fn valid_letters(id: &str) -> String {
    let bank = bank::load(&[fixture_bank_dir()]).unwrap();
    let q = bank
        .questions()
        .iter()
        .find(|q| q.id.as_str() == id)
        .unwrap();
    q.answer.to_string()
}

fn integrity(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

fn is_internal_error(replies: &[Reply]) -> bool {
    replies.len() == 1
        && replies[0].card.kind == CardKind::Error
        && replies[0].card.body.contains("nothing was recorded")
}

#[test]
fn every_answer_acknowledged_before_a_kill_9_is_stored_exactly_once() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("burst.db");
    let play = |clock: &str| {
        Command::new(env!("CARGO_BIN_EXE_quizbot"))
            .args(["play", "--json", "--clock", clock])
            .env("QUIZBOT_DB", &db)
            .env("QUIZBOT_BANK", fixture_bank_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // Post today's question, then quit.
    let mut setup = play("2026-11-24T08:00:00+09:00");
    setup
        .stdin
        .take()
        .unwrap()
        .write_all(b"/quiz schedule 09:00 Asia/Seoul\n:advance 90m\n")
        .unwrap();
    let out = setup.wait_with_output().unwrap();
    let question: Value = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|m| m["kind"] == "question")
        .expect("a question was posted");
    let letters = valid_letters(question["question_id"].as_str().unwrap());

    // A burst of 3,000 members answering; the process is killed after 300 receipts.
    let mut child = play("2026-11-24T09:30:00+09:00");
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        for i in 0..3000 {
            if writeln!(stdin, ":as m{i:04}\n/answer {letters}").is_err() {
                break; // the process is gone
            }
        }
    });
    let mut acknowledged = Vec::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let message: Value = serde_json::from_str(&line.unwrap()).unwrap();
        if message["kind"] == "receipt" {
            acknowledged.push(message["member"].as_str().unwrap().to_owned());
            if acknowledged.len() == 300 {
                child.kill().unwrap(); // SIGKILL: no chance to clean up
                break;
            }
        }
    }
    child.wait().unwrap();
    feeder.join().unwrap();

    assert_eq!(integrity(&db), "ok");
    let store = Store::open(&db).unwrap();
    let round = store.latest_round_in("term:general").unwrap().unwrap();
    let mut stored: Vec<String> = store
        .round_answers(round.id)
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    let total = stored.len();
    stored.sort();
    stored.dedup();
    assert_eq!(stored.len(), total, "an answer was stored twice");
    for member in &acknowledged {
        assert!(
            stored.binary_search(member).is_ok(),
            "{member} was told 'recorded' but is not stored"
        );
    }
}

#[test]
fn a_crash_at_any_step_of_a_round_still_posts_it_once_and_reveals_it_once() {
    let bank = || bank::load(&[fixture_bank_dir()]).unwrap();
    // The steps of a day; the process "crashes" (is reopened on the same file) after step k.
    for crash_after in 0..5 {
        let dir = TempDir::new().unwrap();
        let db = dir.path().join("crash.db");
        let mut app = engine(&db, StoreOptions::default(), bank());
        ask(
            &app,
            "ana",
            "/quiz schedule 09:00 Asia/Seoul reveal:18:00",
            at("2026-11-24T08:00:00+09:00"),
        );
        let (mut posts, mut reveals) = (Vec::new(), Vec::new());
        let times = [
            "2026-11-24T09:00:00+09:00",
            "2026-11-24T09:00:05+09:00",
            "2026-11-24T18:00:00+09:00",
            "2026-11-24T18:00:05+09:00",
            "2026-11-24T23:00:00+09:00",
        ];
        for (step, time) in times.iter().enumerate() {
            let deliveries = app.tick(at(time));
            let crash_now = step == crash_after;
            for d in &deliveries {
                match d.kind {
                    DeliveryKind::Post => posts.push(d.round),
                    DeliveryKind::Reveal { .. } => reveals.push(d.round),
                    DeliveryKind::Recap { .. } => {}
                }
                if !crash_now {
                    match d.kind {
                        DeliveryKind::Post => app.confirm_post(d.round, Some("m".into()), at(time)),
                        DeliveryKind::Reveal { .. } => app.confirm_reveal(d.round, at(time)),
                        DeliveryKind::Recap { recap } => app.confirm_recap(recap, None, at(time)),
                    }
                }
            }
            if crash_now {
                drop(app);
                app = engine(&db, StoreOptions::default(), bank());
            }
        }
        posts.dedup();
        reveals.dedup();
        assert_eq!(
            posts.len(),
            1,
            "crash after step {crash_after}: one round posted (re-sent, never doubled)"
        );
        assert_eq!(
            reveals.len(),
            1,
            "crash after step {crash_after}: one round revealed"
        );
        assert_eq!(posts, reveals);
        assert_eq!(integrity(&db), "ok");
    }
}

#[test]
fn a_locked_database_refuses_writes_politely_keeps_serving_reads_and_recovers() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("locked.db");
    let options = StoreOptions {
        busy_timeout: Duration::from_millis(100),
        ..StoreOptions::default()
    };
    let (app, letters) = open_round(&db, options, "/quiz schedule 09:00 Asia/Seoul");

    // Another process takes the write lock and holds it.
    let other = rusqlite::Connection::open(&db).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let refused = ask(
        &app,
        "bo",
        &format!("/answer {letters}"),
        at("2026-11-24T09:10:00+09:00"),
    );
    assert!(is_internal_error(&refused), "{refused:?}");
    let board = ask(&app, "bo", "/leaderboard", at("2026-11-24T09:10:00+09:00"));
    assert!(
        matches!(board[0].card.kind, CardKind::Leaderboard { .. }),
        "reads go on: {board:?}"
    );
    other.execute_batch("COMMIT").unwrap();

    let recorded = ask(
        &app,
        "bo",
        &format!("/answer {letters}"),
        at("2026-11-24T09:11:00+09:00"),
    );
    assert_eq!(
        recorded[0].card.kind,
        CardKind::Receipt,
        "the refused answer was not half-recorded"
    );
    drop(app);
    assert_eq!(integrity(&db), "ok");
}

#[test]
fn a_full_database_refuses_what_does_not_fit_and_keeps_what_was_acknowledged() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("full.db");
    let (app, letters) = open_round(
        &db,
        StoreOptions::default(),
        "/quiz schedule 09:00 Asia/Seoul",
    );
    drop(app);

    // Reopened with no room to grow: the disk is "full" from SQLite's point of view.
    let size = std::fs::metadata(&db).unwrap().len() + 4096;
    let full = StoreOptions {
        max_bytes: Some(size),
        ..StoreOptions::default()
    };
    let app = engine(&db, full, fixture_bank());
    let mut acknowledged = Vec::new();
    let mut refused = 0;
    for i in 0..2000 {
        let who = format!("m{i:04}");
        let replies = ask(
            &app,
            &who,
            &format!("/answer {letters}"),
            at("2026-11-24T09:10:00+09:00"),
        );
        match replies[0].card.kind {
            CardKind::Receipt => acknowledged.push(who),
            _ if is_internal_error(&replies) => refused += 1,
            _ => panic!("unexpected reply {replies:?}"),
        }
    }
    assert!(refused > 0, "the cap was never reached");
    let round = app.store().open_round_in(CHANNEL).unwrap().unwrap();
    let stored: Vec<String> = app
        .store()
        .round_answers(round.id)
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(
        stored.len(),
        acknowledged.len(),
        "exactly the acknowledged answers are stored"
    );
    drop(app);
    assert_eq!(integrity(&db), "ok");
}

/// Makes a file read-only for the OS. Root ignores permission bits, so for root the
/// file is marked immutable instead (and unmarked on drop, so the temp dir can go).
struct ReadOnly(PathBuf);

fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

impl ReadOnly {
    fn new(path: &Path) -> Self {
        if running_as_root() {
            let ok = Command::new("chattr")
                .arg("+i")
                .arg(path)
                .status()
                .map(|s| s.success());
            assert_eq!(
                ok.ok(),
                Some(true),
                "chattr +i is needed to make a file read-only for root"
            );
        } else {
            let mut perms = std::fs::metadata(path).unwrap().permissions();
            perms.set_readonly(true);
            std::fs::set_permissions(path, perms).unwrap();
        }
        Self(path.to_owned())
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        if running_as_root() {
            let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
        }
    }
}

#[test]
fn a_read_only_database_serves_reads_and_refuses_answers_clearly() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("readonly.db");
    let (app, letters) = open_round(
        &db,
        StoreOptions::default(),
        "/quiz schedule 09:00 Asia/Seoul",
    );
    assert_eq!(
        ask(
            &app,
            "ana",
            &format!("/answer {letters}"),
            at("2026-11-24T09:05:00+09:00")
        )[0]
        .card
        .kind,
        CardKind::Receipt
    );
    drop(app);

    let _guard = ReadOnly::new(&db);
    let app = engine(&db, StoreOptions::default(), fixture_bank());
    let refused = ask(
        &app,
        "bo",
        &format!("/answer {letters}"),
        at("2026-11-24T09:10:00+09:00"),
    );
    assert!(is_internal_error(&refused), "{refused:?}");
    let status = ask(&app, "bo", "/quiz status", at("2026-11-24T09:10:00+09:00"));
    assert!(
        status[0].card.body.contains("1 answers so far"),
        "{:?}",
        status[0].card
    );
    drop(app);
    assert_eq!(integrity(&db), "ok");
}

#[test]
fn a_broken_file_among_good_ones_stops_startup_naming_it_and_touches_no_data() {
    let dir = TempDir::new().unwrap();
    let bank_dir = dir.path().join("bank");
    std::fs::create_dir(&bank_dir).unwrap();
    std::fs::copy(
        fixture_bank_dir().join("questions.toml"),
        bank_dir.join("good.toml"),
    )
    .unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken/bad-domain.toml"),
        bank_dir.join("broken.toml"),
    )
    .unwrap();
    let db = dir.path().join("untouched.db");
    let out = Command::new(env!("CARGO_BIN_EXE_quizbot"))
        .arg("play")
        .env("QUIZBOT_DB", &db)
        .env("QUIZBOT_BANK", &bank_dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken.toml:3: question x-ok: domain `fast`"),
        "{stderr}"
    );
    assert!(!stderr.contains("good.toml"), "{stderr}");
    assert!(
        !db.exists(),
        "no database is created for a bot that cannot start"
    );
}

#[test]
fn a_bank_changed_between_restarts_keeps_posted_rounds_and_old_answers_working() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("changing.db");
    let full = bank::load(&[fixture_bank_dir()]).unwrap();
    let app = engine(&db, StoreOptions::default(), full);
    ask(
        &app,
        "ana",
        "/quiz schedule 09:00 Asia/Seoul reveal:18:00",
        at("2026-11-24T08:00:00+09:00"),
    );
    let posted = deliver(&app, at("2026-11-24T09:00:00+09:00")).unwrap();
    let letters = valid_letters(&posted);
    ask(
        &app,
        "ana",
        &format!("/answer {letters}"),
        at("2026-11-24T09:05:00+09:00"),
    );
    // A practice miss puts a question in ana's review.
    let practice = ask(&app, "ana", "/practice", at("2026-11-24T09:06:00+09:00"));
    let CardKind::Question {
        question_id: practiced,
        ..
    } = &practice[0].card.kind
    else {
        panic!()
    };
    let practiced = practiced.to_string();
    let wrong = if valid_letters(&practiced).contains('A') {
        "B"
    } else {
        "A"
    };
    let wrong = if valid_letters(&practiced).len() == 2 {
        "BC"
    } else {
        wrong
    };
    ask(
        &app,
        "ana",
        &format!("/answer {wrong}"),
        at("2026-11-24T09:07:00+09:00"),
    );
    drop(app);

    // Restart with a bank where both questions are gone.
    let text = std::fs::read_to_string(fixture_bank_dir().join("questions.toml")).unwrap();
    let kept: Vec<&str> = text
        .split("[[question]]")
        .skip(1)
        .filter(|q| {
            !q.contains(&format!("\"{posted}\"")) && !q.contains(&format!("\"{practiced}\""))
        })
        .collect();
    let smaller = bank::load_source(
        Path::new("smaller.toml"),
        &format!("[[question]]{}", kept.join("[[question]]")),
    )
    .unwrap();
    assert!(smaller.questions().iter().all(|q| q.id.as_str() != posted));
    let app = engine(&db, StoreOptions::default(), smaller);

    let mut reveal = None;
    for d in app.tick(at("2026-11-24T18:00:00+09:00")) {
        if matches!(d.kind, DeliveryKind::Reveal { .. }) {
            reveal = Some(d.card.clone());
            app.confirm_reveal(d.round, at("2026-11-24T18:00:00+09:00"));
        }
    }
    let reveal = reveal.expect("the posted round is still revealed");
    assert!(reveal.title.contains(&letters), "{}", reveal.title);
    assert!(
        reveal.plain_text().contains("Got it right (1 of 1)"),
        "{}",
        reveal.plain_text()
    );
    let board = ask(
        &app,
        "ana",
        "/leaderboard day",
        at("2026-11-24T19:00:00+09:00"),
    );
    assert!(
        board[0].card.body.contains("ana: 10 pts"),
        "{}",
        board[0].card.body
    );
    let stats = ask(&app, "ana", "/stats", at("2026-11-24T19:00:00+09:00"));
    assert!(
        stats[0]
            .card
            .plain_text()
            .contains("2 (1 daily, 1 practice and review)"),
        "{}",
        stats[0].card.plain_text()
    );
    let review = ask(&app, "ana", "/review", at("2026-11-26T19:00:00+09:00"));
    assert!(
        review[0].card.body.contains("Nothing to review"),
        "a vanished question leaves review: {:?}",
        review[0].card
    );
}

#[test]
fn quizbot_run_refuses_a_metrics_address_it_cannot_read_or_bind_and_says_why() {
    let dir = TempDir::new().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let taken_addr = taken.local_addr().unwrap().to_string();
    for (addr, says) in [
        ("localhost:9184", "QUIZBOT_METRICS_ADDR is invalid"),
        ("9184", "QUIZBOT_METRICS_ADDR is invalid"),
        (
            taken_addr.as_str(),
            "QUIZBOT_METRICS_ADDR: cannot listen on",
        ),
    ] {
        let db = dir.path().join("metrics.db");
        let out = Command::new(env!("CARGO_BIN_EXE_quizbot"))
            .arg("run")
            .env("QUIZBOT_DB", &db)
            .env("QUIZBOT_BANK", fixture_bank_dir())
            .env("QUIZBOT_METRICS_ADDR", addr)
            // Discord at an address nothing answers: the bot must stop before it connects.
            .env("DISCORD_TOKEN", "token-never-used")
            .env("DISCORD_API_BASE", "http://127.0.0.1:9")
            .env_remove("SLACK_APP_TOKEN")
            .env_remove("SLACK_BOT_TOKEN")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{addr}: {stderr}");
        assert!(stderr.contains(says), "{addr}: {stderr}");
        assert!(!stderr.contains("token-never-used"), "{stderr}");
    }
    drop(taken);
}
