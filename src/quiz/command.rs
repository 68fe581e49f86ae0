//! Chat commands as the engine receives them, and the text form shared by the terminal and
//! Slack: options by name (`time:09:00`, `reveal=18:00`) or by position in the table's order.

use std::collections::HashMap;

use crate::bank::{Domain, Letters, QuestionId, TaskStatement};
use crate::quiz::{PrivateMode, RoundId};
use crate::records::{Threads, WeekSettings};
use crate::schedule::{DailyTime, RecapTime, RevealRule, Schedule, ScheduleError, Weekdays, Zone};

/// A command with every option already parsed into its domain type.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Practice {
        domain: Option<Domain>,
        task: Option<TaskStatement>,
        service: Option<String>,
    },
    Answer {
        letters: Letters,
        target: Option<AnswerTarget>,
        /// The member is not sure: the question goes into review even when right.
        unsure: bool,
    },
    Review,
    /// The unsure toggle beside a question's answer buttons.
    MarkUnsure(AnswerTarget),
    /// Where the member stands per domain and task statement, and recall on exam day.
    Readiness,
    /// The member's exam date.
    ExamDate(jiff::civil::Date),
    /// The member's misses and unsure answers, as CSV and Anki files.
    Export,
    Leaderboard {
        period: Period,
        board: Board,
    },
    /// `user` is the member the adapter resolved, with the name it knows them by (`None`:
    /// the asking member).
    Stats {
        user: Option<crate::quiz::Member>,
    },
    Team(TeamCommand),
    Quiz(QuizCommand),
    /// A private timed mock exam: start one of so many questions, or give up.
    Mock(MockCommand),
    /// The 📌 button on a reveal (or `/pin ROUND`): picks the round for the meetup, or
    /// takes the member's pick back.
    Pin(RoundId),
    /// A member reports a question as wrong (the 🚩 button's form, or `/report`).
    Report {
        question: QuestionId,
        /// The daily round it was reported from, if the button named one.
        round: Option<RoundId>,
        reason: crate::quiz::ReportReason,
        comment: Option<crate::quiz::ReportComment>,
    },
    Help,
}

impl Command {
    /// The command's name, one of a fixed set (never what the member typed): for the
    /// operator's metrics.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Practice { .. } => "practice",
            Command::Answer { .. } => "answer",
            Command::Review => "review",
            Command::MarkUnsure(_) => "unsure",
            Command::Readiness => "readiness",
            Command::ExamDate(_) => "exam-date",
            Command::Leaderboard { .. } => "leaderboard",
            Command::Stats { .. } => "stats",
            Command::Team(_) => "team",
            Command::Quiz(_) => "quiz",
            Command::Mock(_) => "mock",
            Command::Pin(_) => "pin",
            Command::Export => "export",
            Command::Report { .. } => "report",
            Command::Help => "help",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MockCommand {
    /// Start a mock exam of this many questions (one of [`MOCK_COUNTS`]).
    Start(usize),
    Stop,
}

/// The sizes a mock exam comes in: a short one, a longer one, and the real exam's 65.
pub const MOCK_COUNTS: [usize; 3] = [10, 20, 65];
/// The size of a mock exam when none is given.
pub const DEFAULT_MOCK_COUNT: usize = 10;

/// Which question an answer is for. Buttons name it; `/answer` leaves it to the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerTarget {
    Round(RoundId),
    Private(QuestionId),
}

#[derive(Debug, Clone, PartialEq)]
pub enum TeamCommand {
    Join(TeamName),
    Leave,
    List,
}

#[derive(Debug, Clone, PartialEq)]
pub enum QuizCommand {
    Schedule {
        schedule: Schedule,
        /// Another channel than the one asked in, as the adapter resolved it.
        channel: Option<String>,
        /// Discussion threads on reveals, and when the weekly recap is posted.
        week: WeekSettings,
    },
    Unschedule,
    Status,
    Post,
    Reveal,
    /// This server's open question reports, most reported first.
    Reports,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    Week,
    Month,
    All,
    /// The week before this one, as its recap left it, with its winners.
    LastWeek,
}

impl Period {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "day" | "today" | "daily" => Some(Self::Day),
            "week" | "weekly" => Some(Self::Week),
            "last-week" | "lastweek" | "last_week" => Some(Self::LastWeek),
            "month" | "monthly" => Some(Self::Month),
            "all" | "all-time" | "alltime" | "ever" => Some(Self::All),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week | Self::LastWeek => "week",
            Self::Month => "month",
            Self::All => "all",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Board {
    Members,
    Teams,
}

impl Board {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "members" | "member" | "people" => Some(Self::Members),
            "teams" | "team" => Some(Self::Teams),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Members => "members",
            Self::Teams => "teams",
        }
    }
}

/// A team's name: 1 to 32 visible characters, compared in NFKC without case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamName {
    shown: String,
    key: String,
}

fn compared_form(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    let folded = name.nfkc().collect::<String>().to_lowercase();
    folded.nfkc().collect()
}

/// A name a member may go by: 1 to 32 characters, none of them invisible.
pub fn is_display_name(text: &str) -> bool {
    let len = text.chars().count();
    (1..=TeamName::MAX).contains(&len) && !text.chars().any(invisible)
}

/// Characters that show nothing (or reorder what is around them): controls, zero-width
/// and bidirectional marks, and fillers that render as blank.
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

impl TeamName {
    pub const MAX: usize = 32;

    /// A name of 1 to 32 characters with its spaces tidied; refused if it holds a control,
    /// zero-width or bidirectional character (which would let two names look alike, or one
    /// reorder the text around it).
    pub fn parse(text: &str) -> Option<Self> {
        let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let len = name.chars().count();
        let ok = (1..=Self::MAX).contains(&len) && !name.chars().any(invisible);
        ok.then(|| Self {
            key: compared_form(&name),
            shown: name,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.shown
    }

    /// The form two names are compared in: NFKC and lower case, so "Team A", "team a" and
    /// "Ｔｅａｍ Ａ" are one team.
    pub fn key(&self) -> String {
        self.key.clone()
    }

    /// The same team, shown as `show` makes it (a platform escaping its markup).
    pub fn shown_as(self, show: impl FnOnce(&str) -> String) -> Self {
        Self {
            shown: show(&self.shown),
            key: self.key,
        }
    }
}

/// Why a command's text could not be read. Rendered in the member's language by `wording`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    #[error("unknown command `{0}`")]
    Unknown(String),
    #[error("{problem} (usage: {usage})")]
    Usage {
        usage: &'static str,
        problem: Problem,
    },
}

/// What exactly was wrong with an option.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("`{0}` is missing")]
    Missing(&'static str),
    #[error("there is no option for `{0}`")]
    Extra(String),
    #[error("`{0}` is not a domain: use secure, resilient, high-performing or cost-optimized")]
    Domain(String),
    #[error(
        "`{0}` is not a task statement of the exam guide: use 1.1 to 1.3, 2.1 to 2.2, 3.1 to 3.5 or 4.1 to 4.4"
    )]
    Task(String),
    #[error("`{0}` is not one or more choice letters such as B or AC")]
    Letters(String),
    #[error("`{0}` is not a way to say unsure: write `unsure` (or leave it out)")]
    Unsure(String),
    #[error("`{0}` is not a date such as 2027-02-15")]
    Date(String),
    #[error("`{0}` is not a period: use day, week, month or all")]
    Period(String),
    #[error("`{0}` is not a board: use members or teams")]
    Board(String),
    #[error("a team name has 1 to 32 visible characters")]
    TeamName,
    #[error("`{0}` is not a mock exam size: use 10, 20 or 65 (or `stop` to give up)")]
    MockCount(String),
    #[error("{0}")]
    Schedule(ScheduleError),
    #[error("`{0}` is not a threads setting: use threads:on or threads:off")]
    Threads(String),
    #[error("`{0}` is not a round number such as 42")]
    Round(String),
    #[error(
        "`{0}` is not a reason: use wrong-key, several-right, outdated, unclear or typo (or 1 to 5)"
    )]
    Reason(String),
    #[error("the comment has {0} characters; keep it to 500")]
    CommentTooLong(usize),
    #[error("`{0}` is not a question id such as hp-storage-1")]
    QuestionId(String),
}

struct Opt {
    name: &'static str,
    required: bool,
    /// Whether a positional value may fill this option; a value that does not fit an
    /// optional one moves on to the next (`/leaderboard teams` skips `period`).
    fits: fn(&str) -> bool,
}

const fn opt(name: &'static str, required: bool, fits: fn(&str) -> bool) -> Opt {
    Opt {
        name,
        required,
        fits,
    }
}

fn any(_: &str) -> bool {
    true
}

/// `/answer B unsure` (or `?`, or `unsure:yes`): the member is not sure of the answer.
fn is_unsure(text: &str) -> bool {
    matches!(
        text.to_ascii_lowercase().as_str(),
        "unsure" | "?" | "yes" | "true" | "on"
    )
}

/// `/exam-date`'s date, written `2027-02-15`: the one rule for the text form and typed
/// options alike.
pub fn exam_date(text: &str) -> Result<Command, CommandError> {
    let trimmed = text.trim();
    (trimmed.len() == 10)
        .then(|| trimmed.parse().ok())
        .flatten()
        .map(Command::ExamDate)
        .ok_or_else(|| usage_error("exam-date", Problem::Date(text.to_owned())))
}

fn is_sure(text: &str) -> bool {
    matches!(text.to_ascii_lowercase().as_str(), "no" | "false" | "off")
}

pub const USAGE: &[(&str, &str)] = &[
    ("practice", "/practice [domain] [task: 1.1-4.4] [service]"),
    ("answer", "/answer choice [unsure]"),
    ("review", "/review"),
    ("readiness", "/readiness"),
    ("exam-date", "/exam-date date:YYYY-MM-DD"),
    (
        "leaderboard",
        "/leaderboard [period: day|week|month|all] [last] [board: members|teams]",
    ),
    ("stats", "/stats [user]"),
    ("team", "/team join NAME | /team leave | /team list"),
    (
        "quiz",
        "/quiz schedule time:HH:MM timezone:Area/City [channel] [days:mon-fri] [reveal:8h|18:00] [threads:on|off] [recap:sun@10:00] | /quiz unschedule | /quiz status | /quiz post | /quiz reveal | /quiz reports",
    ),
    (
        "report",
        "/report QUESTION_ID reason:wrong-key|several-right|outdated|unclear|typo [comment]",
    ),
    ("pin", "/pin ROUND"),
    ("mock", "/mock [count: 10|20|65] | /mock stop"),
    ("export", "/export"),
    ("help", "/help"),
];

fn usage(command: &str) -> &'static str {
    USAGE
        .iter()
        .find(|(name, _)| *name == command)
        .map_or("/help", |(_, u)| u)
}

/// Reads one command line such as `/quiz schedule 09:00 Asia/Seoul mon-fri reveal=18:00`.
/// The leading `/` is optional. `resolve_user` turns a typed user reference into a member key
/// (the name shown for it is what was typed, until the adapter knows better).
pub fn parse(line: &str, resolve_user: &dyn Fn(&str) -> String) -> Result<Command, CommandError> {
    let line = line.trim().trim_start_matches('/');
    let (name, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let name = name.to_ascii_lowercase();
    let rest = rest.trim();
    let fail = |problem| CommandError::Usage {
        usage: usage(&name),
        problem,
    };
    match name.as_str() {
        "practice" => {
            let mut v = options(
                rest,
                &[
                    opt("domain", false, |s| Domain::parse(s).is_some()),
                    opt("task", false, |s| TaskStatement::parse(s).is_ok()),
                    opt("service", false, any),
                ],
            )
            .map_err(fail)?;
            let domain = v
                .remove("domain")
                .map(|d| Domain::parse(&d).ok_or(Problem::Domain(d)))
                .transpose()
                .map_err(fail)?;
            let task = v
                .remove("task")
                .map(|t| TaskStatement::parse(&t).map_err(|_| Problem::Task(t)))
                .transpose()
                .map_err(fail)?;
            Ok(Command::Practice {
                domain,
                task,
                service: v.remove("service"),
            })
        }
        "answer" => {
            let specs = [opt("choice", true, any), opt("unsure", false, is_unsure)];
            let mut v = options(rest, &specs).map_err(fail)?;
            let text = v.remove("choice").unwrap_or_default();
            let letters = Letters::parse(&text).map_err(|_| fail(Problem::Letters(text)))?;
            let unsure = match v.remove("unsure") {
                Some(flag) if is_unsure(&flag) => true,
                Some(flag) if is_sure(&flag) => false,
                Some(flag) => return Err(fail(Problem::Unsure(flag))),
                None => false,
            };
            Ok(Command::Answer {
                letters,
                target: None,
                unsure,
            })
        }
        "review" => options(rest, &[]).map(|_| Command::Review).map_err(fail),
        "readiness" => options(rest, &[]).map(|_| Command::Readiness).map_err(fail),
        "exam-date" => {
            let mut v = options(rest, &[opt("date", true, any)]).map_err(fail)?;
            exam_date(&v.remove("date").unwrap_or_default())
        }
        "help" => options(rest, &[]).map(|_| Command::Help).map_err(fail),
        "export" => options(rest, &[]).map(|_| Command::Export).map_err(fail),
        "leaderboard" => {
            let specs = [
                opt("period", false, |s| Period::parse(s).is_some()),
                opt("last", false, |s| s.eq_ignore_ascii_case("last")),
                opt("board", false, |s| Board::parse(s).is_some()),
            ];
            let mut v = options(rest, &specs).map_err(fail)?;
            let period = match v.remove("period") {
                Some(p) => Period::parse(&p).ok_or(Problem::Period(p)).map_err(fail)?,
                None => Period::Week,
            };
            // `/leaderboard week last`: the week before this one.
            let period = match (v.remove("last"), period) {
                (None, period) => period,
                (Some(_), Period::Week | Period::LastWeek) => Period::LastWeek,
                (Some(last), other) => {
                    return Err(fail(Problem::Period(format!("{} {last}", other.key()))));
                }
            };
            let board = match v.remove("board") {
                Some(b) => Board::parse(&b).ok_or(Problem::Board(b)).map_err(fail)?,
                None => Board::Members,
            };
            Ok(Command::Leaderboard { period, board })
        }
        "stats" => {
            let mut v = options(rest, &[opt("user", false, any)]).map_err(fail)?;
            Ok(Command::Stats {
                user: v.remove("user").map(|typed| crate::quiz::Member {
                    key: resolve_user(&typed),
                    name: typed.trim_start_matches('@').to_owned(),
                }),
            })
        }
        "team" => parse_team(rest).map_err(fail),
        "quiz" => parse_quiz(rest).map_err(fail),
        "mock" => parse_mock(rest).map_err(fail),
        "pin" => {
            let mut v = options(rest, &[opt("round", true, any)]).map_err(fail)?;
            let typed = v.remove("round").unwrap_or_default();
            let round = typed
                .trim_start_matches('#')
                .parse()
                .map(RoundId)
                .map_err(|_| fail(Problem::Round(typed)))?;
            Ok(Command::Pin(round))
        }
        "report" => parse_report(rest).map_err(fail),
        "" => Err(CommandError::Unknown(String::new())),
        other => Err(CommandError::Unknown(other.to_owned())),
    }
}

fn parse_team(rest: &str) -> Result<Command, Problem> {
    let (sub, arg) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    match sub.to_ascii_lowercase().as_str() {
        "join" => {
            let arg = arg.trim();
            let arg = arg
                .strip_prefix("name:")
                .or_else(|| arg.strip_prefix("name="))
                .unwrap_or(arg);
            if arg.trim().is_empty() {
                return Err(Problem::Missing("name"));
            }
            let name = TeamName::parse(arg).ok_or(Problem::TeamName)?;
            Ok(Command::Team(TeamCommand::Join(name)))
        }
        "leave" => no_more(arg).map(|()| Command::Team(TeamCommand::Leave)),
        "list" => no_more(arg).map(|()| Command::Team(TeamCommand::List)),
        "" => Err(Problem::Missing("join, leave or list")),
        other => Err(Problem::Extra(other.to_owned())),
    }
}

/// `/report hp-storage-1 typo the second option says S4`: the question, the reason, and
/// the rest of the line as the comment (`question:` and `reason:` may be named).
fn parse_report(rest: &str) -> Result<Command, Problem> {
    let mut words = rest.split_whitespace();
    let mut take = |name: &'static str| {
        let word = words.next().ok_or(Problem::Missing(name))?;
        Ok::<_, Problem>(
            word.strip_prefix(name)
                .and_then(|w| w.strip_prefix([':', '=']))
                .unwrap_or(word)
                .to_owned(),
        )
    };
    let question = take("question")?;
    let question = QuestionId::parse(&question).map_err(|_| Problem::QuestionId(question))?;
    let reason = take("reason")?;
    let reason = crate::quiz::ReportReason::parse(&reason).ok_or(Problem::Reason(reason))?;
    // The comment keeps the member's own spacing inside it.
    let mut comment = rest;
    for _ in 0..2 {
        let trimmed = comment.trim_start();
        comment = trimmed
            .find(char::is_whitespace)
            .map_or("", |end| &trimmed[end..]);
    }
    let comment = comment
        .trim()
        .strip_prefix("comment:")
        .or_else(|| comment.trim().strip_prefix("comment="))
        .unwrap_or(comment);
    let comment = crate::quiz::ReportComment::parse(comment).map_err(Problem::CommentTooLong)?;
    Ok(Command::Report {
        question,
        round: None,
        reason,
        comment,
    })
}

/// `/mock`, `/mock 20`, `/mock count:65`, `/mock start 20` (Discord's form) or `/mock stop`.
fn parse_mock(rest: &str) -> Result<Command, Problem> {
    let (sub, arg) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    match sub.to_ascii_lowercase().as_str() {
        "stop" => no_more(arg).map(|()| Command::Mock(MockCommand::Stop)),
        "start" => parse_mock_count(arg),
        _ => parse_mock_count(rest),
    }
}

fn parse_mock_count(text: &str) -> Result<Command, Problem> {
    let mut v = options(text, &[opt("count", false, any)])?;
    let count = match v.remove("count") {
        Some(typed) => mock_count(&typed).ok_or(Problem::MockCount(typed))?,
        None => DEFAULT_MOCK_COUNT,
    };
    Ok(Command::Mock(MockCommand::Start(count)))
}

/// A mock exam size as typed: 10, 20 or 65.
pub fn mock_count(text: &str) -> Option<usize> {
    text.trim().parse().ok().filter(|n| MOCK_COUNTS.contains(n))
}

fn parse_quiz(rest: &str) -> Result<Command, Problem> {
    let (sub, arg) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let quiz = match sub.to_ascii_lowercase().as_str() {
        "schedule" => {
            let specs = [
                opt("time", true, any),
                opt("timezone", true, any),
                opt("channel", false, |s| {
                    s.starts_with('#') || s.starts_with("<#")
                }),
                opt("days", false, |s| Weekdays::parse(s).is_ok()),
                opt("reveal", false, |s| RevealRule::parse(s).is_ok()),
                opt("threads", false, |s| Threads::parse(s).is_some()),
                opt("recap", false, |s| RecapTime::parse(s).is_ok()),
            ];
            let mut v = options(arg, &specs)?;
            let mut take = |name| v.remove(name);
            let schedule = schedule(
                &take("time").unwrap_or_default(),
                &take("timezone").unwrap_or_default(),
                take("days").as_deref(),
                take("reveal").as_deref(),
            )?;
            let week = week_settings(take("threads").as_deref(), take("recap").as_deref())?;
            QuizCommand::Schedule {
                schedule,
                channel: take("channel"),
                week,
            }
        }
        "unschedule" => no_more(arg).map(|()| QuizCommand::Unschedule)?,
        "status" => no_more(arg).map(|()| QuizCommand::Status)?,
        "post" => no_more(arg).map(|()| QuizCommand::Post)?,
        "reveal" => no_more(arg).map(|()| QuizCommand::Reveal)?,
        "reports" => no_more(arg).map(|()| QuizCommand::Reports)?,
        "" => {
            return Err(Problem::Missing(
                "schedule, unschedule, status, post, reveal or reports",
            ));
        }
        other => return Err(Problem::Extra(other.to_owned())),
    };
    Ok(Command::Quiz(quiz))
}

/// A schedule from its options as typed (`09:00`, `Asia/Seoul`, `mon-fri`, `18:00`): the
/// same rules for the text form and for platforms with typed options.
pub fn schedule(
    time: &str,
    zone: &str,
    days: Option<&str>,
    reveal: Option<&str>,
) -> Result<Schedule, Problem> {
    Ok(Schedule {
        time: DailyTime::parse(time).map_err(Problem::Schedule)?,
        zone: Zone::parse(zone).map_err(Problem::Schedule)?,
        days: days
            .map(Weekdays::parse)
            .transpose()
            .map_err(Problem::Schedule)?
            .unwrap_or(Weekdays::EVERY_DAY),
        reveal: reveal
            .map(RevealRule::parse)
            .transpose()
            .map_err(Problem::Schedule)?
            .unwrap_or(RevealRule::DEFAULT),
    })
}

/// A schedule's weekly settings from their options as typed (`off`, `sun@10:00`): threads
/// on and the recap an hour after the week's last reveal unless said otherwise.
pub fn week_settings(threads: Option<&str>, recap: Option<&str>) -> Result<WeekSettings, Problem> {
    Ok(WeekSettings {
        threads: threads
            .map(|t| Threads::parse(t).ok_or_else(|| Problem::Threads(t.to_owned())))
            .transpose()?
            .unwrap_or_default(),
        recap: recap
            .map(RecapTime::parse)
            .transpose()
            .map_err(Problem::Schedule)?
            .unwrap_or_default(),
    })
}

/// A problem with an option of `command`, with that command's usage.
pub fn usage_error(command: &str, problem: Problem) -> CommandError {
    CommandError::Usage {
        usage: usage(command),
        problem,
    }
}

fn no_more(arg: &str) -> Result<(), Problem> {
    match arg.split_whitespace().next() {
        Some(extra) => Err(Problem::Extra(extra.to_owned())),
        None => Ok(()),
    }
}

/// Splits option text into named values: `name:value` / `name=value` where `name` is one of
/// the command's options, the rest filling options in order.
fn options(text: &str, specs: &[Opt]) -> Result<HashMap<&'static str, String>, Problem> {
    let mut values = HashMap::new();
    let mut positional = Vec::new();
    for token in text.split_whitespace() {
        let named = token.split_once([':', '=']).and_then(|(k, v)| {
            specs
                .iter()
                .find(|s| s.name.eq_ignore_ascii_case(k))
                .map(|s| (s.name, v))
        });
        match named {
            Some((name, value)) => {
                values.insert(name, value.to_owned());
            }
            None => positional.push(token),
        }
    }
    let named: Vec<&'static str> = values.keys().copied().collect();
    let mut free = specs.iter().filter(|s| !named.contains(&s.name));
    'tokens: for token in positional {
        for spec in free.by_ref() {
            if spec.required || (spec.fits)(token) {
                values.insert(spec.name, token.to_owned());
                continue 'tokens;
            }
        }
        return Err(Problem::Extra(token.to_owned()));
    }
    match specs
        .iter()
        .find(|s| s.required && !values.contains_key(s.name))
    {
        Some(missing) => Err(Problem::Missing(missing.name)),
        None => Ok(values),
    }
}

/// What a button carries: ids that fit Discord's 100-character `custom_id` and Slack's
/// `action_id`, read back into the command the click means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ButtonId {
    Answer {
        target: AnswerTarget,
        letters: Letters,
    },
    Next(PrivateMode),
    /// Marks (or unmarks) the member's answer to this question as unsure.
    Unsure(AnswerTarget),
    /// 📌 on a reveal: pick the round for the meetup (again: take the pick back).
    Pin(RoundId),
}

impl ButtonId {
    pub fn encode(&self) -> String {
        match self {
            ButtonId::Answer {
                target: AnswerTarget::Round(r),
                letters,
            } => format!("qb:r:{r}:{letters}"),
            ButtonId::Answer {
                target: AnswerTarget::Private(q),
                letters,
            } => format!("qb:p:{q}:{letters}"),
            ButtonId::Next(PrivateMode::Practice) => "qb:next:practice".into(),
            ButtonId::Next(PrivateMode::Review) => "qb:next:review".into(),
            ButtonId::Unsure(AnswerTarget::Round(r)) => format!("qb:u:r{r}"),
            ButtonId::Unsure(AnswerTarget::Private(q)) => format!("qb:u:p{q}"),
            ButtonId::Pin(r) => format!("qb:pin:{r}"),
        }
    }

    pub fn decode(id: &str) -> Option<Self> {
        let mut parts = id.split(':');
        if parts.next()? != "qb" {
            return None;
        }
        let decoded = match (parts.next()?, parts.next()?, parts.next()) {
            ("r", round, Some(l)) => ButtonId::Answer {
                target: AnswerTarget::Round(RoundId(round.parse().ok()?)),
                letters: Letters::parse(l).ok()?,
            },
            ("p", question, Some(l)) => ButtonId::Answer {
                target: AnswerTarget::Private(QuestionId::parse(question).ok()?),
                letters: Letters::parse(l).ok()?,
            },
            ("pin", round, None) => ButtonId::Pin(RoundId(round.parse().ok()?)),
            ("next", "practice", None) => ButtonId::Next(PrivateMode::Practice),
            ("next", "review", None) => ButtonId::Next(PrivateMode::Review),
            ("u", target, None) => ButtonId::Unsure(match target.split_at_checked(1)? {
                ("r", round) => AnswerTarget::Round(RoundId(round.parse().ok()?)),
                ("p", question) => AnswerTarget::Private(QuestionId::parse(question).ok()?),
                _ => return None,
            }),
            _ => return None,
        };
        parts.next().is_none().then_some(decoded)
    }

    /// The answer a multi-select means: every picked value is the id of one letter's button
    /// (Discord select menus, Slack checkboxes). `None` if nothing readable was picked.
    pub fn picked<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<Command> {
        let mut target = None;
        let mut indices = Vec::new();
        for value in values {
            if let Some(ButtonId::Answer { target: t, letters }) = ButtonId::decode(value) {
                indices.extend(letters.indices());
                target.get_or_insert(t);
            }
        }
        let letters = Letters::from_indices(indices)?;
        Some(
            ButtonId::Answer {
                target: target?,
                letters,
            }
            .command(),
        )
    }

    /// The command a click on this button means.
    pub fn command(self) -> Command {
        match self {
            ButtonId::Answer { target, letters } => Command::Answer {
                letters,
                target: Some(target),
                unsure: false,
            },
            ButtonId::Next(PrivateMode::Practice) => Command::Practice {
                domain: None,
                task: None,
                service: None,
            },
            ButtonId::Next(PrivateMode::Review) => Command::Review,
            ButtonId::Unsure(target) => Command::MarkUnsure(target),
            ButtonId::Pin(round) => Command::Pin(round),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> Result<Command, CommandError> {
        parse(line, &|u| format!("test:{u}"))
    }

    #[test]
    fn schedule_options_fill_by_position_skipping_ones_that_do_not_fit() {
        let Command::Quiz(QuizCommand::Schedule {
            schedule, channel, ..
        }) = read("/quiz schedule 09:00 Asia/Seoul mon-fri reveal=18:00").unwrap()
        else {
            panic!("not a schedule")
        };
        assert_eq!(schedule.time.to_string(), "09:00");
        assert_eq!(schedule.zone.name(), "Asia/Seoul");
        assert_eq!(schedule.days.to_string(), "mon-fri");
        assert_eq!(schedule.reveal.to_string(), "18:00");
        assert_eq!(channel, None);
    }

    #[test]
    fn mock_takes_a_size_of_10_20_or_65_by_position_or_name_and_stop_gives_up() {
        let start = |n| Command::Mock(MockCommand::Start(n));
        assert_eq!(read("/mock").unwrap(), start(10));
        assert_eq!(read("/mock 20").unwrap(), start(20));
        assert_eq!(read("/mock count:65").unwrap(), start(65));
        assert_eq!(read("/mock start 65").unwrap(), start(65));
        assert_eq!(
            read("/mock stop").unwrap(),
            Command::Mock(MockCommand::Stop)
        );
        let err = read("/mock 15").unwrap_err();
        assert!(err.to_string().contains("use 10, 20 or 65"), "{err}");
        assert!(
            err.to_string()
                .contains("/mock [count: 10|20|65] | /mock stop"),
            "{err}"
        );
        assert!(read("/mock stop now").is_err());
    }

    #[test]
    fn a_schedule_takes_threads_off_and_a_recap_time_and_defaults_to_threads_on() {
        let week = |line: &str| match read(line) {
            Ok(Command::Quiz(QuizCommand::Schedule { week, .. })) => week,
            other => panic!("not a schedule: {other:?}"),
        };
        let default = week("/quiz schedule 09:00 Asia/Seoul");
        assert_eq!(default.threads, Threads::On);
        assert_eq!(default.recap, RecapTime::AfterLastReveal);
        let set = week("/quiz schedule 09:00 Asia/Seoul threads:off recap:sun@10:00");
        assert_eq!(set.threads, Threads::Off);
        assert_eq!(set.recap.to_string(), "sun@10:00");
        // By position too: `off` fits only threads, `sun@10:00` only the recap.
        assert_eq!(week("/quiz schedule 09:00 Asia/Seoul off sun@10:00"), set);
        let err = read("/quiz schedule 09:00 Asia/Seoul threads:maybe").unwrap_err();
        assert!(
            err.to_string().contains("threads:on or threads:off"),
            "{err}"
        );
        let err = read("/quiz schedule 09:00 Asia/Seoul recap:someday").unwrap_err();
        assert!(err.to_string().contains("sun@10:00"), "{err}");
    }

    #[test]
    fn leaderboard_week_last_is_last_week_and_pin_takes_a_round() {
        assert_eq!(
            read("/leaderboard week last teams").unwrap(),
            Command::Leaderboard {
                period: Period::LastWeek,
                board: Board::Teams
            }
        );
        assert!(read("/leaderboard month last").is_err());
        assert_eq!(read("/pin 42").unwrap(), Command::Pin(RoundId(42)));
        assert!(read("/pin forty-two").is_err());
    }

    #[test]
    fn named_options_may_come_in_any_order() {
        let named = read("/quiz schedule timezone:Asia/Seoul time:09:00").unwrap();
        let positional = read("quiz schedule 09:00 Asia/Seoul").unwrap();
        assert_eq!(named, positional);
    }

    #[test]
    fn leaderboard_takes_a_board_without_a_period() {
        assert_eq!(
            read("/leaderboard teams").unwrap(),
            Command::Leaderboard {
                period: Period::Week,
                board: Board::Teams
            }
        );
        assert_eq!(
            read("/leaderboard month").unwrap(),
            Command::Leaderboard {
                period: Period::Month,
                board: Board::Members
            }
        );
    }

    #[test]
    fn bad_text_names_the_option_and_shows_the_usage() {
        let err = read("/quiz schedule 9am Asia/Seoul").unwrap_err();
        assert!(err.to_string().contains("9am"), "{err}");
        assert!(
            err.to_string().contains("/quiz schedule time:HH:MM"),
            "{err}"
        );
        assert!(matches!(
            read("/answer"),
            Err(CommandError::Usage {
                problem: Problem::Missing("choice"),
                ..
            })
        ));
        assert!(matches!(
            read("/answer Z"),
            Err(CommandError::Usage {
                problem: Problem::Letters(_),
                ..
            })
        ));
        assert!(matches!(read("/dance"), Err(CommandError::Unknown(_))));
        assert!(matches!(
            read("/leaderboard week teams extra"),
            Err(CommandError::Usage {
                problem: Problem::Extra(_),
                ..
            })
        ));
    }

    #[test]
    fn team_names_keep_their_spaces_and_compare_without_case() {
        let Command::Team(TeamCommand::Join(name)) = read("/team join  Night   Owls ").unwrap()
        else {
            panic!("not a join")
        };
        assert_eq!(name.as_str(), "Night Owls");
        assert_eq!(name.key(), "night owls");
        assert!(read("/team join").is_err());
    }

    #[test]
    fn stats_user_is_resolved_by_the_adapter() {
        assert_eq!(
            read("/stats bob").unwrap(),
            Command::Stats {
                user: Some(crate::quiz::Member {
                    key: "test:bob".into(),
                    name: "bob".into()
                })
            }
        );
    }

    #[test]
    fn button_ids_round_trip_and_reject_foreign_ids() {
        let ids = [
            ButtonId::Answer {
                target: AnswerTarget::Round(RoundId(42)),
                letters: Letters::parse("AC").unwrap(),
            },
            ButtonId::Answer {
                target: AnswerTarget::Private(QuestionId::parse("hp-x-1").unwrap()),
                letters: Letters::parse("B").unwrap(),
            },
            ButtonId::Next(PrivateMode::Review),
            ButtonId::Pin(RoundId(7)),
        ];
        for id in ids {
            assert_eq!(ButtonId::decode(&id.encode()), Some(id.clone()));
            assert!(id.encode().len() <= 100);
        }
        assert_eq!(ButtonId::decode("qb:r:notanumber:A"), None);
        assert_eq!(ButtonId::decode("other:r:1:A"), None);
    }
}
