//! `TestApp`: an engine over a real SQLite file in a temp dir and the fixture bank, driven
//! the way an adapter drives it, with time passed in.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use quizbot::bank::{self, Lang};
use quizbot::quiz::{
    Card, CardKind, Delivery, DeliveryKind, Engine, Member, Place, Reply, Request,
};
use quizbot::store::Store;
use tempfile::TempDir;

pub const SERVER: &str = "test:server";
pub const CHANNEL: &str = "test:general";

pub struct TestApp {
    pub engine: Engine,
    pub db: PathBuf,
    bank: Arc<bank::Bank>,
    _dir: Arc<TempDir>,
}

pub fn at(text: &str) -> Timestamp {
    text.parse()
        .unwrap_or_else(|e| panic!("bad instant {text}: {e}"))
}

pub fn shipped_bank() -> bank::Bank {
    bank::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bank")]).unwrap()
}

pub fn fixture_bank() -> bank::Bank {
    bank::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bank")]).unwrap()
}

impl TestApp {
    pub fn spawn() -> Self {
        Self::spawn_with(fixture_bank())
    }

    /// Over the bank that ships (all four domains, 412 questions).
    pub fn spawn_with(bank: bank::Bank) -> Self {
        let dir = Arc::new(TempDir::new().unwrap());
        let db = dir.path().join("quizbot.db");
        Self::open(dir, db, Arc::new(bank))
    }

    fn open(dir: Arc<TempDir>, db: PathBuf, bank: Arc<bank::Bank>) -> Self {
        let store = Store::open(&db).unwrap();
        let engine = Engine::new(bank.clone(), store, Lang::En);
        Self {
            engine,
            db,
            bank,
            _dir: dir,
        }
    }

    /// A new process on the same database, as after a crash or a restart.
    pub fn restart(self) -> Self {
        let Self {
            engine,
            db,
            bank,
            _dir,
        } = self;
        drop(engine);
        Self::open(_dir, db, bank)
    }

    pub fn request(&self, who: &str, line: &str, lang: Option<Lang>) -> Request {
        let command = quizbot::quiz::parse(line, &|u| format!("test:{u}"))
            .unwrap_or_else(|e| panic!("{line}: {e}"));
        Request {
            place: Place {
                server: SERVER.into(),
                channel: CHANNEL.into(),
            },
            member: Member {
                key: format!("test:{who}"),
                name: who.into(),
            },
            lang,
            manager: true,
            command,
        }
    }

    /// One command from a member, answered at `now`.
    pub fn ask(&self, who: &str, line: &str, now: Timestamp) -> Vec<Reply> {
        self.engine.handle(&self.request(who, line, None), now)
    }

    /// The single reply to a command.
    pub fn ask_one(&self, who: &str, line: &str, now: Timestamp) -> Reply {
        let mut replies = self.ask(who, line, now);
        assert_eq!(replies.len(), 1, "{line}: {replies:#?}");
        replies.remove(0)
    }

    /// What is due at `now`, delivered and confirmed as an adapter would.
    pub fn deliver(&self, now: Timestamp) -> Vec<Delivery> {
        let deliveries = self.engine.tick(now);
        for d in &deliveries {
            match d.kind {
                DeliveryKind::Post => {
                    self.engine
                        .confirm_post(d.round, Some(format!("msg-{}", d.round)), now)
                }
                DeliveryKind::Reveal { .. } => self.engine.confirm_reveal_with(
                    d.round,
                    Some(format!("reveal-{}", d.round)),
                    now,
                ),
                DeliveryKind::Recap { recap } => {
                    self.engine
                        .confirm_recap(recap, Some(format!("recap-{recap}")), now)
                }
            }
        }
        deliveries
    }

    /// The question id of the round posted in `deliveries`.
    pub fn posted_question(deliveries: &[Delivery]) -> String {
        let posts: Vec<&Delivery> = deliveries
            .iter()
            .filter(|d| d.kind == DeliveryKind::Post)
            .collect();
        assert_eq!(posts.len(), 1, "expected one post: {deliveries:#?}");
        question_id(&posts[0].card)
    }
}

pub fn question_id(card: &Card) -> String {
    match &card.kind {
        CardKind::Question { question_id, .. }
        | CardKind::Reveal { question_id, .. }
        | CardKind::Feedback { question_id, .. } => question_id.to_string(),
        other => panic!("not a question card: {other:?}"),
    }
}

/// The letters that answer a fixture question right, and one that answers it wrong.
pub fn right_and_wrong(id: &str) -> (String, String) {
    right_and_wrong_in(&fixture_bank(), id)
}

/// The same for a question of `bank`.
pub fn right_and_wrong_in(bank: &bank::Bank, id: &str) -> (String, String) {
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

pub fn kinds(deliveries: &[Delivery]) -> Vec<&'static str> {
    deliveries
        .iter()
        .map(|d| match d.kind {
            DeliveryKind::Post => "post",
            DeliveryKind::Reveal { .. } => "reveal",
            DeliveryKind::Recap { .. } => "recap",
        })
        .collect()
}

impl TestApp {
    /// Runs the scheduler from `from` to `to`, stopping at each due instant in order, as
    /// the delivery loop does. Returns each delivery with the instant it happened.
    pub fn run(&self, from: Timestamp, to: Timestamp) -> Vec<(Timestamp, Delivery)> {
        let mut now = from;
        let mut out = Vec::new();
        let mut last = None;
        while let Some(due) = self.engine.next_due(now) {
            if due > to || last == Some(due) {
                break;
            }
            now = due;
            last = Some(due);
            out.extend(self.deliver(now).into_iter().map(|d| (now, d)));
        }
        out
    }
}

/// Posts the day's question at 09:00 Seoul (catching up skipped days first), has each (member, right?) answer it at 10:00
/// and reveals it at 18:00. Returns every reply other than the receipts (freeze notices).
pub fn play_day(app: &TestApp, day: &str, answers: &[(&str, bool)]) -> Vec<Reply> {
    app.run(
        at(&format!("{day}T00:00:00+09:00")),
        at(&format!("{day}T08:59:00+09:00")),
    );
    let posted = app.run(
        at(&format!("{day}T08:59:00+09:00")),
        at(&format!("{day}T09:00:00+09:00")),
    );
    let deliveries: Vec<_> = posted.into_iter().map(|(_, d)| d).collect();
    let id = TestApp::posted_question(&deliveries);
    let (right, wrong) = right_and_wrong(&id);
    let mut others = Vec::new();
    for (who, is_right) in answers {
        let letters = if *is_right { &right } else { &wrong };
        let replies = app.ask(
            who,
            &format!("/answer {letters}"),
            at(&format!("{day}T10:00:00+09:00")),
        );
        let (receipts, rest): (Vec<Reply>, Vec<Reply>) = replies
            .into_iter()
            .partition(|r| r.card.kind == CardKind::Receipt);
        assert_eq!(receipts.len(), 1, "{who} on {day}: {rest:#?}");
        others.extend(rest);
    }
    app.run(
        at(&format!("{day}T10:00:00+09:00")),
        at(&format!("{day}T23:00:00+09:00")),
    );
    others
}
