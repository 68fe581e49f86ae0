//! The quiz engine: plain Rust that takes a request and `now`, applies the quiz's rules
//! against the bank and the store, and returns neutral replies. No chat platform, async
//! runtime or SQL type appears here; adapters translate on both sides.

mod card;
pub mod chart;
mod command;
mod daily;
pub mod export;
pub mod freeze;
pub mod mock;
mod practice;
pub mod readiness;
pub mod recap;
pub mod report;
mod review;
mod round;
mod scope;
mod scores;
pub mod threads;
pub use daily::CLAIM_LEASE;
pub use scope::Scope;
pub use scores::period_starts;
pub mod memory;
pub mod wording;

use std::sync::Arc;

use jiff::Timestamp;

pub use card::{Attachment, Audience, Card, CardKind, Entry, Field, Reply, cut_quotes, fit, split};
pub use command::{
    AnswerTarget, Board, ButtonId, Command, CommandError, DEFAULT_MOCK_COUNT, MOCK_COUNTS,
    MockCommand, Period, Problem, QuizCommand, TeamCommand, TeamName, USAGE, exam_date,
    is_display_name, mock_count, parse, schedule, usage_error, week_settings,
};
pub use report::{ReportButton, ReportComment, ReportReason};
pub use round::{
    Delivery, DeliveryKind, Pending, PrivateMode, RecapId, Round, RoundId, RoundKind, RoundState,
};

use crate::bank::{Bank, Lang, Letters};
use crate::store::{NewAnswer, Store, StoreError};

/// Points for one right daily answer.
pub const POINTS_PER_RIGHT: u64 = 10;

/// Where a request comes from. Keys are namespaced by platform (`discord:…`, `slack:…`,
/// `term:…`), so one database serves every platform without their boards ever mixing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The Discord server or Slack workspace: leaderboards and teams live here.
    pub server: String,
    pub channel: String,
}

impl Place {
    /// The chat platform of this place, from its keys.
    pub fn platform(&self) -> Platform {
        Platform::of(&self.server)
    }

    /// A direct message with the bot, not a server's channel (its server key is
    /// `{platform}:{DIRECT}{member}`).
    pub fn is_direct(&self) -> bool {
        self.server
            .split_once(':')
            .is_some_and(|(_, rest)| rest.starts_with(DIRECT))
    }
}

/// The part of a server key that marks a direct message: `discord:dm:{user}`.
pub const DIRECT: &str = "dm:";

/// The chat platforms, for the few words that differ between them (who may manage, how to
/// tick a choose-N question). Keys say which: `discord:…`, `slack:…`; anything else (the
/// terminal, tests) is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Discord,
    Slack,
    Other,
}

impl Platform {
    /// The platform a key belongs to.
    pub fn of(key: &str) -> Self {
        [Platform::Discord, Platform::Slack]
            .into_iter()
            .find(|p| key.starts_with(p.prefix()))
            .unwrap_or(Platform::Other)
    }

    /// How this platform's keys start; adapters make their keys with it.
    pub const fn prefix(self) -> &'static str {
        match self {
            Platform::Discord => "discord:",
            Platform::Slack => "slack:",
            Platform::Other => "",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub key: String,
    pub name: String,
}

/// One command from one member, as an adapter understood it.
#[derive(Debug, Clone)]
pub struct Request {
    pub place: Place,
    pub member: Member,
    /// The member's language if the platform says; else the bot's default.
    pub lang: Option<Lang>,
    /// Whether the platform says the member may manage the server (`/quiz …`).
    pub manager: bool,
    pub command: Command,
}

/// Mistakes a member can make, each with its own clear private reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserError {
    NoOpenQuestion,
    NotOpenYet,
    AlreadyAnswered(Letters),
    Closed {
        answer: Letters,
    },
    AnswersClosed,
    UnknownLetter {
        letters: Letters,
        choices: usize,
    },
    WrongCount {
        picks: usize,
    },
    NotPending,
    QuestionGone,
    NoQuestions,
    UnknownService {
        typed: String,
        known: Vec<String>,
    },
    /// `/quiz …` from a member who may not manage the daily question on this platform.
    NotManager(Platform),
    /// `/quiz …` in a direct message: it runs a server channel's daily question.
    NotInServer,
    NoSchedule,
    RoundStillOpen,
    NothingToReveal,
    NotInTeam,
    ExamDateInThePast,
    /// `/mock stop` with no mock exam running.
    NoMock,
    /// `/practice` or `/review` during a mock exam.
    MockRunning {
        answered: usize,
        total: usize,
        minutes_left: i64,
    },
    /// A button of a mock question already answered.
    MockMovedOn,
    /// 📌 on a question not revealed yet.
    NotRevealedYet,
    /// `/report` of a question neither in the bank nor posted in this channel.
    UnknownQuestion(String),
    Command(CommandError),
}

/// Why a request produced no normal reply.
#[derive(Debug)]
enum Failure {
    User(UserError),
    Internal(StoreError),
}

impl From<UserError> for Failure {
    fn from(e: UserError) -> Self {
        Failure::User(e)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Internal(e)
    }
}

type Outcome<T = Vec<Reply>> = Result<T, Failure>;

/// The letters a member picked, and whether they said they were unsure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub letters: Letters,
    pub unsure: bool,
}

/// The engine: the bank, the store, the review scheduler and the bot's default language.
/// Cheap to clone.
#[derive(Clone)]
pub struct Engine {
    bank: Arc<Bank>,
    store: Store,
    scheduler: Arc<memory::Scheduler>,
    default_lang: Lang,
    /// The servers whose deliveries this engine makes ([`Engine::delivering_for`]).
    scope: Scope,
}

impl Engine {
    pub fn new(bank: Arc<Bank>, store: Store, default_lang: Lang) -> Self {
        Self {
            bank,
            store,
            scheduler: Arc::new(memory::Scheduler::default()),
            default_lang,
            scope: Scope::everything(),
        }
    }

    pub fn bank(&self) -> &Bank {
        &self.bank
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn default_lang(&self) -> Lang {
        self.default_lang
    }

    /// Answers one request at `now`. Never fails: mistakes become private error replies,
    /// internal faults are logged and the member is told politely.
    pub fn handle(&self, request: &Request, now: Timestamp) -> Vec<Reply> {
        let lang = request.lang.unwrap_or(self.default_lang);
        let replies = self.handle_in(request, lang, now);
        // A freeze used since the member last heard from the bot here: told privately, first.
        match self.freeze_notice(request, lang, now) {
            Some(notice) => std::iter::once(notice).chain(replies).collect(),
            None => replies,
        }
    }

    fn handle_in(&self, request: &Request, lang: Lang, now: Timestamp) -> Vec<Reply> {
        match self.dispatch(request, lang, now) {
            Ok(replies) => replies,
            Err(Failure::User(error)) => {
                vec![Reply::private(Card::error(
                    lang,
                    wording::user_error(lang, &error),
                ))]
            }
            Err(Failure::Internal(error)) => {
                tracing::error!(
                    %error,
                    member = %request.member.key,
                    channel = %request.place.channel,
                    command = ?request.command,
                    "request failed"
                );
                vec![Reply::private(Card::error(
                    lang,
                    wording::internal_error(lang),
                ))]
            }
        }
    }

    /// The private reply to command text that could not be read.
    pub fn reject(&self, lang: Option<Lang>, error: &CommandError) -> Reply {
        let lang = lang.unwrap_or(self.default_lang);
        Reply::private(Card::error(lang, wording::command_error(lang, error)))
    }

    /// A mock exam whose time is up ends at the member's first request after it: the report
    /// comes first, then the reply to the request. An answer meant for the ended exam (or a
    /// `/mock stop`) gets the report alone.
    fn dispatch(&self, req: &Request, lang: Lang, now: Timestamp) -> Outcome {
        let (mock, ended) = self.running_mock(req, lang, now)?;
        let Some(ended) = ended else {
            return self.run(req, lang, now, mock.as_ref());
        };
        let mut replies = ended.report;
        match &req.command {
            Command::Mock(MockCommand::Stop) => {}
            Command::Answer { target: None, .. } => {
                replies.push(Reply::private(Card::error(
                    lang,
                    wording::mock_answer_too_late(lang),
                )));
            }
            Command::Answer {
                target: Some(AnswerTarget::Private(id)),
                ..
            } if ended.questions.iter().any(|q| q == id.as_str()) => {
                replies.push(Reply::private(Card::error(
                    lang,
                    wording::mock_answer_too_late(lang),
                )));
            }
            _ => match self.run(req, lang, now, None) {
                Ok(more) => replies.extend(more),
                Err(Failure::User(error)) => replies.push(Reply::private(Card::error(
                    lang,
                    wording::user_error(lang, &error),
                ))),
                Err(e) => return Err(e),
            },
        }
        Ok(replies)
    }

    fn run(
        &self,
        req: &Request,
        lang: Lang,
        now: Timestamp,
        mock: Option<&mock::Running>,
    ) -> Outcome {
        if let (Command::Practice { .. } | Command::Review, Some(m)) = (&req.command, mock) {
            return Err(m.busy(now).into());
        }
        match &req.command {
            Command::Mock(command) => self.mock(req, lang, now, *command, mock),
            Command::Practice {
                domain,
                task,
                service,
            } => {
                let filter = practice::Filter {
                    domain: *domain,
                    task: *task,
                    service: service.as_deref(),
                };
                self.practice(req, lang, now, filter)
            }
            Command::Answer {
                letters,
                target,
                unsure,
            } => {
                let choice = Choice {
                    letters: *letters,
                    unsure: *unsure,
                };
                self.answer(req, lang, now, choice, target.as_ref(), mock)
            }
            Command::Review => self.review(req, lang, now),
            Command::MarkUnsure(target) => self.mark_unsure(req, lang, target),
            Command::Readiness => self.readiness(req, lang, now),
            Command::ExamDate(date) => self.set_exam_date(req, lang, now, *date),
            Command::Export => self.export(req, lang, now),
            Command::Leaderboard { period, board } => {
                self.leaderboard(req, lang, now, *period, *board)
            }
            Command::Stats { user } => self.stats(req, lang, now, user.as_ref()),
            Command::Team(team) => self.team(req, lang, team),
            Command::Pin(round) => self.pin(req, lang, now, *round),
            Command::Report {
                question,
                round,
                reason,
                comment,
            } => self.report(
                req,
                lang,
                now,
                (question, *round, *reason, comment.as_ref()),
            ),
            Command::Quiz(_) if req.place.is_direct() => Err(UserError::NotInServer.into()),
            Command::Quiz(_) if !req.manager => {
                Err(UserError::NotManager(req.place.platform()).into())
            }
            Command::Quiz(quiz) => self.quiz(req, lang, now, quiz),
            Command::Help => Ok(vec![Reply::private(Card::info(
                wording::help_title(lang),
                wording::help(lang),
            ))]),
        }
    }

    /// Routes an answer: a button names its question; `/answer` goes to the member's pending
    /// private question first, else to the channel's open daily round.
    fn answer(
        &self,
        req: &Request,
        lang: Lang,
        now: Timestamp,
        choice: Choice,
        target: Option<&AnswerTarget>,
        mock: Option<&mock::Running>,
    ) -> Outcome {
        match (target, mock) {
            (Some(AnswerTarget::Round(id)), _) => {
                // A button answers its own round, and only in the channel it was posted to.
                let round = self
                    .store
                    .round(*id)?
                    .filter(|round| round.channel == req.place.channel)
                    .ok_or(UserError::NoOpenQuestion)?;
                self.answer_round(req, lang, now, &round, choice)
            }
            (Some(AnswerTarget::Private(id)), Some(m)) if m.has(id) => {
                self.answer_mock(req, lang, now, choice, m, Some(id))
            }
            (Some(AnswerTarget::Private(id)), _) => {
                self.answer_private(req, lang, now, choice, Some(id))
            }
            // A running mock exam holds the member's private question; a daily question
            // posted after its question reached them still gets the answer.
            (None, Some(m)) => match self.store.open_round_in(&req.place.channel)? {
                Some(round) if posted_after(&round, m.served_at()) => {
                    self.answer_round(req, lang, now, &round, choice)
                }
                _ => self.answer_mock(req, lang, now, choice, m, None),
            },
            // Whichever question reached the member last: a practice question left
            // unanswered must not swallow the answer to a daily question posted after it.
            (None, None) => {
                let pending = self.store.pending(&req.member.key, &req.place.server)?;
                let open = self.store.open_round_in(&req.place.channel)?;
                match (pending, open) {
                    (Some(pending), Some(round)) if posted_after(&round, pending.served_at) => {
                        self.answer_round(req, lang, now, &round, choice)
                    }
                    (Some(_), _) => self.answer_private(req, lang, now, choice, None),
                    (None, Some(round)) => self.answer_round(req, lang, now, &round, choice),
                    (None, None) => Err(UserError::NoOpenQuestion.into()),
                }
            }
        }
    }
}

/// An answer to `question` by the asking member in `server`, graded, as the store records it.
fn new_answer(
    req: &Request,
    server: &str,
    question: &crate::bank::Question,
    letters: Letters,
    at: Timestamp,
    unsure: bool,
) -> NewAnswer {
    NewAnswer {
        server: server.to_owned(),
        member: req.member.key.clone(),
        member_name: req.member.name.clone(),
        question_id: question.id.to_string(),
        letters,
        correct: letters == question.answer,
        domain: question.domain.key().to_owned(),
        task: question.task.code().to_owned(),
        services: question.services.join("\n"),
        at,
        unsure,
    }
}

fn posted_after(round: &Round, instant: Timestamp) -> bool {
    matches!(round.state, RoundState::Open { opened_at } if opened_at > instant)
}

/// Checks letters against a question before anything is recorded.
fn check_letters(question: &crate::bank::Question, letters: Letters) -> Result<(), UserError> {
    if letters.highest() >= question.choice_count() {
        return Err(UserError::UnknownLetter {
            letters,
            choices: question.choice_count(),
        });
    }
    if letters.count() != question.picks() {
        return Err(UserError::WrongCount {
            picks: question.picks(),
        });
    }
    Ok(())
}

/// A stable pseudo-random order (FNV-1a), so each channel and member gets its own sequence
/// through the bank without storing one, identical across restarts.
fn shuffle_key(seed: &str, id: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in seed.bytes().chain([0]).chain(id.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// How a member reads an instant: local time in a zone, with the date when it is not today.
fn local_when(at: Timestamp, zone: &str, now: Timestamp) -> String {
    let zone = crate::schedule::Zone::parse(zone).unwrap_or_else(|_| crate::schedule::Zone::utc());
    let local = zone.local(at);
    let today = zone.local(now).date();
    if local.date() == today {
        format!("{} ({})", local.strftime("%H:%M"), zone.name())
    } else {
        format!("{} ({})", local.strftime("%a %Y-%m-%d %H:%M"), zone.name())
    }
}
