//! The slash commands. Each is a small function whose doc comment is its description: it
//! turns its typed options into a [`Command`] and hands it to [`super::ask`]. Korean names
//! and descriptions ride along as localizations, for every command, option and choice;
//! `/quiz` is hidden from members without Manage Server, and the engine refuses it at run
//! time to anyone the interaction's permissions do not show as a manager. Commands that
//! only make sense in a server (`/quiz`, `/leaderboard`, `/team`) are offered only there;
//! the others work in a direct message with the bot too.

use poise::serenity_prelude as serenity;

use super::{Context, Error, ask};
use crate::bank::{Domain, Lang, Letters, TaskStatement};
use crate::quiz::{
    Board, Command, CommandError, DEFAULT_MOCK_COUNT, MockCommand, Period, Problem, QuizCommand,
    TeamCommand, TeamName, schedule, usage_error, week_settings,
};

/// Every command, in the order `/help` lists them.
pub fn all() -> Vec<poise::Command<super::Data, Error>> {
    vec![
        practice(),
        answer(),
        review(),
        readiness(),
        exam_date(),
        leaderboard(),
        stats(),
        team(),
        quiz(),
        mock(),
        export(),
        help(),
    ]
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum DomainChoice {
    #[name = "secure"]
    #[name_localized("ko", "보안")]
    Secure,
    #[name = "resilient"]
    #[name_localized("ko", "복원력")]
    Resilient,
    #[name = "high-performing"]
    #[name_localized("ko", "고성능")]
    HighPerforming,
    #[name = "cost-optimized"]
    #[name_localized("ko", "비용 최적화")]
    CostOptimized,
}

impl From<DomainChoice> for Domain {
    fn from(choice: DomainChoice) -> Self {
        match choice {
            DomainChoice::Secure => Domain::Secure,
            DomainChoice::Resilient => Domain::Resilient,
            DomainChoice::HighPerforming => Domain::HighPerforming,
            DomainChoice::CostOptimized => Domain::CostOptimized,
        }
    }
}

/// A task statement picked from the 14 of the exam guide, titled in the member's language.
/// The titles come from the guide's table, so they are written in one place only.
#[derive(Debug, Clone, Copy)]
pub struct TaskChoice(pub TaskStatement);

impl TaskChoice {
    fn label(task: TaskStatement, lang: Lang) -> String {
        // Discord allows 100 characters for a choice; every title fits with its code.
        format!("{} {}", task.code(), task.title(lang))
    }
}

impl poise::ChoiceParameter for TaskChoice {
    fn list() -> std::borrow::Cow<'static, [poise::CommandParameterChoice]> {
        TaskStatement::all()
            .map(|task| poise::CommandParameterChoice {
                name: Self::label(task, Lang::En).into(),
                localizations: vec![("ko".into(), Self::label(task, Lang::Ko).into())].into(),
                __non_exhaustive: (),
            })
            .collect::<Vec<_>>()
            .into()
    }

    fn from_index(index: usize) -> Option<Self> {
        TaskStatement::all().nth(index).map(TaskChoice)
    }

    fn from_name(name: &str) -> Option<Self> {
        let code = name.split_whitespace().next()?;
        TaskStatement::parse(code).ok().map(TaskChoice)
    }

    fn name(&self) -> &'static str {
        self.0.code()
    }

    fn localized_name(&self, _locale: &str) -> Option<&'static str> {
        None
    }
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum PeriodChoice {
    #[name = "day"]
    #[name_localized("ko", "오늘")]
    Day,
    #[name = "week"]
    #[name_localized("ko", "이번 주")]
    Week,
    #[name = "month"]
    #[name_localized("ko", "이번 달")]
    Month,
    #[name = "all"]
    #[name_localized("ko", "전체")]
    All,
    #[name = "last week"]
    #[name_localized("ko", "지난주")]
    LastWeek,
}

impl From<PeriodChoice> for Period {
    fn from(choice: PeriodChoice) -> Self {
        match choice {
            PeriodChoice::Day => Period::Day,
            PeriodChoice::Week => Period::Week,
            PeriodChoice::Month => Period::Month,
            PeriodChoice::All => Period::All,
            PeriodChoice::LastWeek => Period::LastWeek,
        }
    }
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum ThreadsChoice {
    #[name = "on"]
    #[name_localized("ko", "켜기")]
    On,
    #[name = "off"]
    #[name_localized("ko", "끄기")]
    Off,
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum BoardChoice {
    #[name = "members"]
    #[name_localized("ko", "멤버")]
    Members,
    #[name = "teams"]
    #[name_localized("ko", "팀")]
    Teams,
}

impl From<BoardChoice> for Board {
    fn from(choice: BoardChoice) -> Self {
        match choice {
            BoardChoice::Members => Board::Members,
            BoardChoice::Teams => Board::Teams,
        }
    }
}

/// Autocomplete limit (Discord shows at most 25 suggestions).
const SUGGESTIONS: usize = 25;

/// The bank's AWS services that contain what was typed.
async fn services(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let bank = ctx.data().engine.bank();
    suggest(bank.services().into_iter().map(str::to_owned), partial)
}

/// IANA time zones that contain what was typed (`seoul` → `Asia/Seoul`).
async fn timezones(_ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let zones = jiff::tz::db()
        .available()
        .map(|name| name.as_str().to_owned());
    suggest(
        zones.filter(|name| name.contains('/')),
        &partial.replace(' ', "_"),
    )
}

fn suggest(
    names: impl Iterator<Item = String>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let partial = partial.to_lowercase();
    let choices = names
        .filter(|name| name.to_lowercase().contains(&partial))
        .take(SUGGESTIONS)
        .map(serenity::AutocompleteChoice::from)
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// Practice questions, privately, with instant feedback.
#[poise::command(
    slash_command,
    name_localized("ko", "연습"),
    description_localized("ko", "연습 문제를 혼자 풀고 바로 해설을 봅니다.")
)]
pub async fn practice(
    ctx: Context<'_>,
    #[description = "Only questions of this exam domain"]
    #[description_localized("ko", "이 시험 영역의 문제만")]
    #[name_localized("ko", "영역")]
    domain: Option<DomainChoice>,
    #[description = "Only questions of this task statement of the exam guide"]
    #[description_localized("ko", "시험 안내서의 이 작업에 해당하는 문제만")]
    #[name_localized("ko", "작업")]
    task: Option<TaskChoice>,
    #[description = "Only questions about this AWS service"]
    #[description_localized("ko", "이 AWS 서비스에 관한 문제만")]
    #[autocomplete = "services"]
    #[name_localized("ko", "서비스")]
    service: Option<String>,
) -> Result<(), Error> {
    let domain = domain.map(Domain::from);
    let task = task.map(|t| t.0);
    let command = Command::Practice {
        domain,
        task,
        service,
    };
    ask(ctx, Ok(command)).await
}

/// Answer the question you received last (today's question, or your practice question).
#[poise::command(
    slash_command,
    name_localized("ko", "답"),
    description_localized("ko", "마지막으로 받은 문제(오늘의 문제 또는 연습 문제)에 답합니다.")
)]
pub async fn answer(
    ctx: Context<'_>,
    #[description = "Your choice: one letter such as B, or two such as AC"]
    #[description_localized("ko", "고른 보기: B처럼 한 글자, 또는 AC처럼 두 글자")]
    #[max_length = 6]
    #[name_localized("ko", "보기")]
    choice: String,
    #[description = "Not sure? The question then goes into /review even when you are right"]
    #[description_localized("ko", "확신이 없나요? 맞혀도 이 문제가 /review 에 들어갑니다")]
    #[name_localized("ko", "확신없음")]
    unsure: Option<bool>,
) -> Result<(), Error> {
    let command = Letters::parse(&choice)
        .map(|letters| Command::Answer {
            letters,
            target: None,
            unsure: unsure.unwrap_or(false),
        })
        .map_err(|_| usage_error("answer", Problem::Letters(choice)));
    ask(ctx, command).await
}

/// Review the questions you missed, when each is due again.
#[poise::command(
    slash_command,
    name_localized("ko", "복습"),
    description_localized("ko", "틀린 문제를 복습할 때가 되면 다시 풉니다.")
)]
pub async fn review(ctx: Context<'_>) -> Result<(), Error> {
    ask(ctx, Ok(Command::Review)).await
}

/// Where you stand per domain and task statement, and what you will recall on exam day.
#[poise::command(
    slash_command,
    name_localized("ko", "준비도"),
    description_localized("ko", "도메인·작업별 준비 상태와 시험일 예상 기억률을 봅니다.")
)]
pub async fn readiness(ctx: Context<'_>) -> Result<(), Error> {
    ask(ctx, Ok(Command::Readiness)).await
}

/// Set the day of your exam, for readiness.
#[poise::command(
    slash_command,
    rename = "exam-date",
    name_localized("ko", "시험일"),
    description_localized("ko", "준비도 계산에 쓸 시험 날짜를 정합니다.")
)]
pub async fn exam_date(
    ctx: Context<'_>,
    #[description = "The day of your exam, such as 2027-02-15"]
    #[description_localized("ko", "시험 날짜, 예: 2027-02-15")]
    #[max_length = 10]
    #[name_localized("ko", "날짜")]
    date: String,
) -> Result<(), Error> {
    ask(ctx, crate::quiz::exam_date(&date)).await
}

/// Show who leads, by member or by team.
#[poise::command(
    slash_command,
    name_localized("ko", "순위"),
    description_localized("ko", "멤버 또는 팀 순위를 봅니다."),
    interaction_context = "Guild"
)]
pub async fn leaderboard(
    ctx: Context<'_>,
    #[description = "Which period (default: this week)"]
    #[description_localized("ko", "기간 (기본: 이번 주)")]
    #[name_localized("ko", "기간")]
    period: Option<PeriodChoice>,
    #[description = "Members or teams (default: members)"]
    #[description_localized("ko", "멤버 또는 팀 (기본: 멤버)")]
    #[name_localized("ko", "종류")]
    board: Option<BoardChoice>,
) -> Result<(), Error> {
    let period = period.map_or(Period::Week, Period::from);
    let board = board.map_or(Board::Members, Board::from);
    ask(ctx, Ok(Command::Leaderboard { period, board })).await
}

/// Your record (or another member's): answers, accuracy, streak.
#[poise::command(
    slash_command,
    name_localized("ko", "통계"),
    description_localized("ko", "나(또는 다른 멤버)의 기록: 답변 수, 정답률, 연속 정답")
)]
pub async fn stats(
    ctx: Context<'_>,
    #[description = "Another member"]
    #[description_localized("ko", "다른 멤버")]
    #[name_localized("ko", "멤버")]
    user: Option<serenity::User>,
) -> Result<(), Error> {
    let user = user.map(|user| crate::quiz::Member {
        key: format!("{}{}", super::DISCORD, user.id),
        name: user
            .global_name
            .clone()
            .unwrap_or_else(|| user.name.clone()),
    });
    ask(ctx, Ok(Command::Stats { user })).await
}

/// Teams: join one, leave yours, or list them.
#[poise::command(
    slash_command,
    name_localized("ko", "팀"),
    description_localized("ko", "팀에 들어가거나 나오거나 목록을 봅니다."),
    subcommands("team_join", "team_leave", "team_list"),
    subcommand_required,
    interaction_context = "Guild"
)]
pub async fn team(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Join a team (it is created if new); you leave your old one.
#[poise::command(
    slash_command,
    rename = "join",
    name_localized("ko", "가입"),
    description_localized("ko", "팀에 들어갑니다(없으면 만듭니다). 이전 팀에서는 나옵니다.")
)]
pub async fn team_join(
    ctx: Context<'_>,
    #[description = "The team's name (1 to 32 characters)"]
    #[description_localized("ko", "팀 이름 (1~32자)")]
    #[max_length = 32]
    #[name_localized("ko", "이름")]
    name: String,
) -> Result<(), Error> {
    let command = TeamName::parse(&name)
        .map(|name| name.shown_as(super::render::escape_markdown))
        .map(|name| Command::Team(TeamCommand::Join(name)))
        .ok_or_else(|| usage_error("team", Problem::TeamName));
    ask(ctx, command).await
}

/// Leave your team.
#[poise::command(
    slash_command,
    rename = "leave",
    name_localized("ko", "탈퇴"),
    description_localized("ko", "지금 팀에서 나옵니다.")
)]
pub async fn team_leave(ctx: Context<'_>) -> Result<(), Error> {
    ask(ctx, Ok(Command::Team(TeamCommand::Leave))).await
}

/// List the teams and their members.
#[poise::command(
    slash_command,
    rename = "list",
    name_localized("ko", "목록"),
    description_localized("ko", "팀과 팀원 목록을 봅니다.")
)]
pub async fn team_list(ctx: Context<'_>) -> Result<(), Error> {
    ask(ctx, Ok(Command::Team(TeamCommand::List))).await
}

/// Run the daily question in a channel (Manage Server).
#[poise::command(
    slash_command,
    name_localized("ko", "퀴즈"),
    description_localized("ko", "채널의 오늘의 문제를 운영합니다 (서버 관리 권한)."),
    subcommands(
        "quiz_schedule",
        "quiz_unschedule",
        "quiz_status",
        "quiz_post",
        "quiz_reveal",
        "quiz_reports"
    ),
    subcommand_required,
    default_member_permissions = "MANAGE_GUILD",
    interaction_context = "Guild"
)]
pub async fn quiz(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Post a question every day at a time in a time zone, and reveal it later.
#[poise::command(
    slash_command,
    rename = "schedule",
    name_localized("ko", "예약"),
    description_localized("ko", "매일 정한 시각에 문제를 올리고 나중에 정답을 공개합니다.")
)]
#[allow(clippy::too_many_arguments)] // one argument per slash-command option
pub async fn quiz_schedule(
    ctx: Context<'_>,
    #[description = "Local time of the post, HH:MM"]
    #[description_localized("ko", "게시 시각 (HH:MM)")]
    #[name_localized("ko", "시각")]
    time: String,
    #[description = "Time zone, such as Asia/Seoul"]
    #[description_localized("ko", "시간대 (예: Asia/Seoul)")]
    #[autocomplete = "timezones"]
    #[name_localized("ko", "시간대")]
    timezone: String,
    #[description = "Days, such as mon-fri or mon,wed,fri (default: every day)"]
    #[description_localized("ko", "요일 (예: mon-fri, mon,wed,fri; 기본: 매일)")]
    #[name_localized("ko", "요일")]
    days: Option<String>,
    #[description = "Reveal after a delay (8h) or at a time (18:00); default 12h"]
    #[description_localized("ko", "정답 공개: 지연(8h) 또는 시각(18:00); 기본 12h")]
    #[name_localized("ko", "공개")]
    reveal: Option<String>,
    #[description = "Another channel (default: this one)"]
    #[description_localized("ko", "다른 채널 (기본: 이 채널)")]
    #[channel_types("Text", "News")]
    #[name_localized("ko", "채널")]
    channel: Option<serenity::ChannelId>,
    #[description = "A discussion thread on each reveal (default: on)"]
    #[description_localized("ko", "정답 공개마다 토론 스레드 (기본: 켜기)")]
    #[name_localized("ko", "스레드")]
    threads: Option<ThreadsChoice>,
    #[description = "Weekly recap day and time, such as sun 10:00 (default: after the last reveal)"]
    #[description_localized(
        "ko",
        "주간 정리 요일과 시각 (예: sun 10:00; 기본: 마지막 정답 공개 후)"
    )]
    #[name_localized("ko", "주간정리")]
    recap: Option<String>,
) -> Result<(), Error> {
    let threads = threads.map(|t| match t {
        ThreadsChoice::On => "on",
        ThreadsChoice::Off => "off",
    });
    let command = schedule(&time, &timezone, days.as_deref(), reveal.as_deref())
        .and_then(|schedule| Ok((schedule, week_settings(threads, recap.as_deref())?)))
        .map(|(schedule, week)| {
            Command::Quiz(QuizCommand::Schedule {
                schedule,
                channel: channel.map(|id| format!("{}{id}", super::DISCORD)),
                week,
            })
        })
        .map_err(|problem| usage_error("quiz", problem));
    ask(ctx, command).await
}

/// Stop the daily question in this channel.
#[poise::command(
    slash_command,
    rename = "unschedule",
    name_localized("ko", "예약취소"),
    description_localized("ko", "이 채널의 오늘의 문제를 멈춥니다.")
)]
pub async fn quiz_unschedule(ctx: Context<'_>) -> Result<(), Error> {
    ask(ctx, Ok(Command::Quiz(QuizCommand::Unschedule))).await
}

/// This channel's schedule, open question and next post.
#[poise::command(
    slash_command,
    rename = "status",
    name_localized("ko", "상태"),
    description_localized("ko", "이 채널의 일정, 열린 문제, 다음 게시 시각")
)]
pub async fn quiz_status(ctx: Context<'_>) -> Result<(), Error> {
    ask(ctx, Ok(Command::Quiz(QuizCommand::Status))).await
}

/// Post a question now instead of waiting for the schedule.
#[poise::command(
    slash_command,
    rename = "post",
    name_localized("ko", "게시"),
    description_localized("ko", "예약 시각을 기다리지 않고 지금 문제를 올립니다.")
)]
pub async fn quiz_post(ctx: Context<'_>) -> Result<(), Error> {
    ask(ctx, Ok(Command::Quiz(QuizCommand::Post))).await
}

/// Reveal the open question now.
#[poise::command(
    slash_command,
    rename = "reveal",
    name_localized("ko", "공개"),
    description_localized("ko", "열린 문제의 정답을 지금 공개합니다.")
)]
pub async fn quiz_reveal(ctx: Context<'_>) -> Result<(), Error> {
    ask(ctx, Ok(Command::Quiz(QuizCommand::Reveal))).await
}

/// The questions members reported as wrong, most reported first.
#[poise::command(
    slash_command,
    rename = "reports",
    name_localized("ko", "신고"),
    description_localized("ko", "멤버가 잘못됐다고 신고한 문제를 신고가 많은 순으로 봅니다.")
)]
pub async fn quiz_reports(ctx: Context<'_>) -> Result<(), Error> {
    ask(ctx, Ok(Command::Quiz(QuizCommand::Reports))).await
}

/// The sizes of a mock exam, as Discord offers them.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum MockCountChoice {
    #[name = "10"]
    #[name_localized("ko", "10문제")]
    Ten,
    #[name = "20"]
    #[name_localized("ko", "20문제")]
    Twenty,
    #[name = "65"]
    #[name_localized("ko", "65문제 (실제 시험)")]
    SixtyFive,
}

impl MockCountChoice {
    fn count(self) -> usize {
        match self {
            MockCountChoice::Ten => 10,
            MockCountChoice::Twenty => 20,
            MockCountChoice::SixtyFive => 65,
        }
    }
}

// Discord cannot mix options and subcommands, so `/mock [count]` is `/mock start [count]`
// here; the text form (terminal, Slack) takes both.

/// A private timed mock exam, weighted like the real one.
#[poise::command(
    slash_command,
    name_localized("ko", "모의고사"),
    description_localized("ko", "시간 제한이 있는 개인 모의고사를 봅니다."),
    subcommands("mock_start", "mock_stop"),
    subcommand_required
)]
pub async fn mock(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Start a mock exam: 2 minutes a question, results at the end.
#[poise::command(
    slash_command,
    rename = "start",
    name_localized("ko", "시작"),
    description_localized("ko", "모의고사를 시작합니다: 문제당 2분, 결과는 끝날 때 나옵니다.")
)]
pub async fn mock_start(
    ctx: Context<'_>,
    #[description = "How many questions (default: 10; the exam has 65)"]
    #[description_localized("ko", "문제 수 (기본: 10; 실제 시험은 65)")]
    #[name_localized("ko", "문제수")]
    count: Option<MockCountChoice>,
) -> Result<(), Error> {
    let count = count.map_or(DEFAULT_MOCK_COUNT, MockCountChoice::count);
    ask(ctx, Ok(Command::Mock(MockCommand::Start(count)))).await
}

/// Give up your mock exam; what you answered is scored.
#[poise::command(
    slash_command,
    rename = "stop",
    name_localized("ko", "그만"),
    description_localized("ko", "모의고사를 그만둡니다. 답한 문제만 채점합니다.")
)]
pub async fn mock_stop(ctx: Context<'_>) -> Result<(), Error> {
    ask(ctx, Ok(Command::Mock(MockCommand::Stop))).await
}

/// Your misses and unsure answers, as a CSV file and a file Anki imports.
#[poise::command(
    slash_command,
    name_localized("ko", "내보내기"),
    description_localized(
        "ko",
        "틀린 문제와 확신 없던 문제를 CSV 파일과 Anki 가져오기 파일로 받습니다."
    )
)]
pub async fn export(ctx: Context<'_>) -> Result<(), Error> {
    ask(ctx, Ok(Command::Export)).await
}

/// How the bot works and every command.
#[poise::command(
    slash_command,
    name_localized("ko", "도움말"),
    description_localized("ko", "봇 사용법과 모든 명령")
)]
pub async fn help(ctx: Context<'_>) -> Result<(), Error> {
    ask(ctx, Ok(Command::Help)).await
}

/// Poise reports argument errors separately; they read as this command's usage problem.
pub fn argument_error(command: &str, input: Option<&str>) -> CommandError {
    let problem = match input {
        Some(input) => Problem::Extra(input.to_owned()),
        None => Problem::Missing("options"),
    };
    usage_error(command, problem)
}
