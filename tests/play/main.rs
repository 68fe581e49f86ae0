//! `quizbot play` through the real binary: scripted sessions on one database, read as the
//! `--json` contract describes (one object per bot message).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;
use tempfile::TempDir;

mod files;
mod reports;
mod startup;
mod terminal;

struct Session {
    dir: TempDir,
}

impl Session {
    fn new() -> Self {
        Self {
            dir: TempDir::new().unwrap(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("play.db")
    }

    /// Runs one `quizbot play --json` process with `script` on stdin; returns its messages.
    fn play(&self, clock: &str, script: &[&str]) -> Vec<Value> {
        let out = self.run(
            &["play", "--json", "--clock", clock],
            (script.join("\n") + "\n").as_bytes(),
        );
        assert!(
            out.status.success(),
            "play failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        messages(&out)
    }

    /// Runs `quizbot ARGS` in the session's folder, on its database and the fixture bank,
    /// with `input` on stdin; whatever the outcome.
    fn run(&self, args: &[&str], input: &[u8]) -> std::process::Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("quizbot starts");
        let mut stdin = child.stdin.take().unwrap();
        // Fed from a thread, so a process that answers a long input at length never waits
        // on us while we wait on it; it may stop before reading it all (some tests check).
        let input = input.to_vec();
        let feeder = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let out = child.wait_with_output().unwrap();
        feeder.join().unwrap();
        out
    }

    fn command(&self, args: &[&str]) -> Command {
        let bank = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bank");
        let mut command = Command::new(env!("CARGO_BIN_EXE_quizbot"));
        command
            .args(args)
            .env("QUIZBOT_DB", self.db())
            .env("QUIZBOT_BANK", bank)
            .env("QUIZBOT_LANG", "en")
            .current_dir(self.dir.path());
        for var in [
            "DISCORD_TOKEN",
            "SLACK_APP_TOKEN",
            "SLACK_BOT_TOKEN",
            "RUST_LOG",
            "QUIZBOT_PLAY_OUT",
        ] {
            command.env_remove(var);
        }
        command
    }
}

/// The `--json` messages a run printed, one object a line.
fn messages(out: &std::process::Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect()
}

fn of_kind<'a>(messages: &'a [Value], kind: &str) -> Vec<&'a Value> {
    messages.iter().filter(|m| m["kind"] == kind).collect()
}

/// The right letters of a fixture question and a wrong single letter.
fn right_and_wrong(id: &str) -> (String, String) {
    let bank =
        quizbot::bank::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bank")])
            .unwrap();
    let q = bank
        .questions()
        .iter()
        .find(|q| q.id.as_str() == id)
        .unwrap();
    let right = q.answer.to_string();
    let wrong: String = (0..q.choice_count())
        .map(quizbot::bank::Letters::letter)
        .filter(|l| !right.contains(*l))
        .take(q.picks())
        .collect();
    (right, wrong)
}

#[test]
fn a_scripted_day_posts_once_takes_private_answers_reveals_and_ranks() {
    let session = Session::new();
    // Morning: schedule, then let the clock pass 09:00 Seoul.
    let morning = session.play(
        "2026-11-24T08:00:00+09:00",
        &[
            "/quiz schedule 09:00 Asia/Seoul reveal:18:00",
            ":advance 90m",
            ":quit",
        ],
    );
    let questions = of_kind(&morning, "question");
    assert_eq!(questions.len(), 1, "{morning:#?}");
    assert_eq!(questions[0]["visibility"], "channel");
    let id = questions[0]["question_id"].as_str().unwrap().to_owned();
    let (right, wrong) = right_and_wrong(&id);

    // A second process on the same database: three members answer, one twice, then the
    // clock reaches the reveal.
    let day = session.play(
        "2026-11-24T09:30:00+09:00",
        &[
            ":as alice",
            &format!("/answer {right}"),
            ":as bob",
            &format!("/answer {wrong}"),
            &format!("/answer {right}"),
            ":as cy",
            &format!("/answer {right}"),
            ":advance 9h",
            "/leaderboard day",
        ],
    );
    assert!(
        of_kind(&day, "question").is_empty(),
        "no re-post on restart: {day:#?}"
    );
    let receipts = of_kind(&day, "receipt");
    assert_eq!(receipts.len(), 3);
    assert!(receipts.iter().all(|r| r["visibility"] == "private"));
    let errors = of_kind(&day, "error");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["member"], "bob");
    assert!(
        errors[0]["text"]
            .as_str()
            .unwrap()
            .contains(&format!("already answered {wrong}"))
    );

    let reveals = of_kind(&day, "reveal");
    assert_eq!(reveals.len(), 1);
    assert_eq!(reveals[0]["visibility"], "channel");
    assert_eq!(reveals[0]["question_id"], id.as_str());
    assert_eq!(reveals[0]["correct"], right.as_str());
    assert!(
        reveals[0]["text"]
            .as_str()
            .unwrap()
            .contains("Got it right (2 of 3)")
    );

    let boards = of_kind(&day, "leaderboard");
    let entries: Vec<(u64, &str, u64)> = boards[0]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["rank"].as_u64().unwrap(),
                e["name"].as_str().unwrap(),
                e["points"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(entries, [(1, "alice", 10), (1, "cy", 10), (3, "bob", 0)]);

    // The next morning, a third process: exactly one new question, a different one.
    let next = session.play("2026-11-25T08:00:00+09:00", &[":advance 2h"]);
    let questions = of_kind(&next, "question");
    assert_eq!(questions.len(), 1, "{next:#?}");
    assert_ne!(questions[0]["question_id"], id.as_str());
}

#[test]
fn bad_input_in_play_gets_clear_errors_and_play_goes_on() {
    let session = Session::new();
    let out = session.play(
        "2026-11-24T08:00:00+09:00",
        &[
            "/dance",
            "/quiz schedule 25:00 Asia/Seoul",
            ":advance soon",
            ":as",
            "/help",
        ],
    );
    let kinds: Vec<&str> = out.iter().map(|m| m["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["error", "error", "error", "error", "info"],
        "{out:#?}"
    );
    assert!(
        out[0]["text"]
            .as_str()
            .unwrap()
            .contains("no command `/dance`")
    );
    assert!(
        out[1]["text"]
            .as_str()
            .unwrap()
            .contains("`25:00` is not a time of day")
    );
    assert!(
        out[1]["text"]
            .as_str()
            .unwrap()
            .contains("Usage: /quiz schedule")
    );
    assert!(
        out[2]["text"]
            .as_str()
            .unwrap()
            .contains("`soon` is not a duration")
    );
    assert!(
        out[4]["text"]
            .as_str()
            .unwrap()
            .contains("/practice [domain] [task: 1.1-4.4] [service]")
    );
}

#[test]
fn the_clock_can_be_read_and_moved() {
    let session = Session::new();
    let out = session.play(
        "2026-11-24T08:00:00+09:00",
        &[":now", ":advance 1d", ":now"],
    );
    let texts: Vec<&str> = out.iter().map(|m| m["text"].as_str().unwrap()).collect();
    assert_eq!(texts[0], "2026-11-23T23:00:00Z");
    assert_eq!(texts[2], "2026-11-24T23:00:00Z");
}

#[test]
fn the_terminal_shows_the_reveal_s_thread_takes_pin_and_posts_the_weekly_recap() {
    let session = Session::new();
    // Text mode: the thread is an indented block under the reveal, with the round to pin.
    let out = session.run(
        &["play", "--clock", "2026-11-24T08:00:00+09:00"],
        b"/quiz schedule 09:00 Asia/Seoul reveal:18:00\n:advance 11h\n:quit\n",
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let reveal = text.find("Reveal: the answer is").expect("a reveal");
    let block = text[reveal..]
        .find("    │ 🧵 Thread: 💬 2026-11-24 · ")
        .unwrap_or_else(|| panic!("no thread block under the reveal: {text}"));
    assert!(
        text[reveal + block..].contains("    │ 📌 /pin 1 picks it"),
        "{text}"
    );

    // JSON: a `thread` line names the round; /pin picks it; Sunday's recap lists the pick.
    let week = session.play(
        "2026-11-24T19:00:00+09:00",
        &["/pin 1", ":advance 5d", ":quit"],
    );
    let picked = of_kind(&week, "info");
    assert!(
        picked
            .iter()
            .any(|m| m["text"].as_str().unwrap().contains("(1 picks so far)")),
        "{week:#?}"
    );
    let recaps = of_kind(&week, "recap");
    assert_eq!(recaps.len(), 1, "{week:#?}");
    let recap = recaps[0]["text"].as_str().unwrap();
    assert!(recap.contains("The week of 2026-11-23: recap"), "{recap}");
    assert!(recap.contains("📌 1 · "), "{recap}");
    assert!(recap.contains("round 1"), "{recap}");
    let threads = of_kind(&week, "thread");
    assert!(threads.iter().all(|t| t["round"].is_u64()), "{threads:#?}");
}
