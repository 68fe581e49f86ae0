//! Records the engine and the store both speak of: rounds as stored, a member's pending
//! private question, and FSRS's memory of a question. The engine (`quiz`) decides what they
//! hold and the store (`store`) keeps them; neither imports the other for these types.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::bank::{Lang, Question};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoundId(pub i64);

impl fmt::Display for RoundId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Whether a round came from the channel's schedule (one per local date) or `/quiz post`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundKind {
    Scheduled { date: Date },
    Manual,
}

/// Where a round is in its life. Answers are taken only while `Open`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundState {
    /// Decided and stored, the channel post not yet confirmed (retried until it is).
    Scheduled,
    /// Posted; members may answer until `reveal_at`.
    Open {
        opened_at: Timestamp,
    },
    /// Answers closed and scored; the reveal post not yet confirmed.
    Revealing {
        closed_at: Timestamp,
    },
    Revealed {
        revealed_at: Timestamp,
    },
}

/// A round as stored, carrying the question exactly as it was posted.
#[derive(Debug, Clone)]
pub struct Round {
    pub id: RoundId,
    pub server: String,
    pub channel: String,
    pub question: std::sync::Arc<Question>,
    pub kind: RoundKind,
    pub zone: String,
    pub lang: Lang,
    pub state: RoundState,
    pub created_at: Timestamp,
    pub reveal_at: Timestamp,
    /// The platform's id of the posted message, once known (used to close it at reveal).
    pub message: Option<String>,
}

/// A private question waiting for the member's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrivateMode {
    Practice,
    Review,
}

impl PrivateMode {
    pub fn key(self) -> &'static str {
        match self {
            PrivateMode::Practice => "practice",
            PrivateMode::Review => "review",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Pending {
    pub question_id: crate::bank::QuestionId,
    pub mode: PrivateMode,
    pub served_at: Timestamp,
}

/// FSRS's memory of a question: stability in days (the interval at which recall falls to 90 %)
/// and difficulty (1 to 10), as of the last review.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Memory {
    pub stability: f64,
    pub difficulty: f64,
    pub reviewed_at: Timestamp,
}

/// A weekly recap decided for a channel and week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecapId(pub i64);

impl fmt::Display for RecapId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Whether a schedule opens a discussion thread on each reveal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Threads {
    #[default]
    On,
    Off,
}

impl Threads {
    /// `on` or `off` (also yes/no, true/false).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "on" | "yes" | "true" => Some(Self::On),
            "off" | "no" | "false" => Some(Self::Off),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Threads::On => "on",
            Threads::Off => "off",
        }
    }
}

/// A schedule's weekly settings, stored beside it: discussion threads and the recap time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WeekSettings {
    pub threads: Threads,
    pub recap: crate::schedule::RecapTime,
}

/// A schedule's weekly settings as stored, with why threads stopped, if they did (the
/// platform refused to create one: a missing permission).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WeekRow {
    pub settings: WeekSettings,
    pub threads_blocked: Option<String>,
}

/// A decided recap, as stored: whose week it is, and whether its post is confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recap {
    pub id: RecapId,
    pub server: String,
    pub channel: String,
    /// The Monday the week starts on, in the schedule's zone.
    pub monday: Date,
    pub zone: String,
    pub lang: Lang,
    pub starts: Timestamp,
    pub ends: Timestamp,
    pub decided_at: Timestamp,
    pub posted: bool,
}

/// One revealed round of a week, for the recap: its question, how it went, and where its
/// reveal is.
#[derive(Debug, Clone)]
pub struct WeekRound {
    pub id: RoundId,
    pub server: String,
    pub channel: String,
    pub question: std::sync::Arc<Question>,
    pub picks: u64,
    /// The platform's id of the reveal message, once known.
    pub reveal_message: Option<String>,
    /// The reveal's link as the platform gave it (Slack's permalink), if one was kept.
    pub reveal_link: Option<String>,
}

/// One answer to a round of a week, for the recap's boards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekAnswer {
    pub round: RoundId,
    pub member: String,
    pub name: String,
    pub correct: bool,
    pub team: Option<String>,
}

/// A member among a week's winners, as kept for `/leaderboard week last` and `/stats`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekWinner {
    pub member: String,
    pub name: String,
    pub correct: u64,
    pub answered: u64,
}
