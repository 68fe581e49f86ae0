//! Every sentence the bot says, in Korean and English. Adapters show these; they never
//! write their own, so Discord, Slack and the terminal say the same thing.

use super::command::{Board, CommandError, Period, Problem, USAGE};
use super::{Platform, UserError};
use crate::bank::{Lang, Letters, Question};

/// `say!(lang, en: "...", args; ko: "...", args)`: one sentence in the member's language.
macro_rules! say {
    ($lang:expr, en: $($en:expr),+ ; ko: $($ko:expr),+ $(;)?) => {
        match $lang {
            Lang::En => format!($($en),+),
            Lang::Ko => format!($($ko),+),
        }
    };
}

pub fn error_title(lang: Lang) -> String {
    say!(lang, en: "⚠️ Not this time"; ko: "⚠️ 처리하지 못했어요")
}

pub fn internal_error(lang: Lang) -> String {
    say!(lang,
        en: "Something went wrong on our side, so nothing was recorded. Please try again in a moment.";
        ko: "봇 내부에서 문제가 생겨 아무것도 기록되지 않았어요. 잠시 후 다시 시도해 주세요.")
}

fn letters_range(choices: usize) -> String {
    format!("A–{}", Letters::letter(choices.saturating_sub(1)))
}

pub fn user_error(lang: Lang, error: &UserError) -> String {
    match error {
        UserError::NoOpenQuestion => say!(lang,
            en: "There is no question waiting for your answer here. Try /practice for a private one.";
            ko: "지금 답할 수 있는 문제가 없어요. /practice 로 개인 연습 문제를 받아 보세요."),
        UserError::NotOpenYet => say!(lang,
            en: "That question is not open yet. Wait for it to appear in the channel.";
            ko: "아직 열리지 않은 문제예요. 채널에 문제가 올라오면 답해 주세요."),
        UserError::AlreadyAnswered(letters) => say!(lang,
            en: "You already answered {letters}. Answers are locked until the reveal.";
            ko: "이미 {letters}(으)로 답했어요. 답은 정답 공개 때까지 바꿀 수 없어요."),
        UserError::Closed { answer } => say!(lang,
            en: "This question has been revealed already; the answer was {answer}. Try /practice for a fresh one.";
            ko: "이미 정답이 공개된 문제예요. 정답은 {answer}였어요. /practice 로 새 문제를 풀어 보세요."),
        UserError::AnswersClosed => say!(lang,
            en: "Answers for this question are closed; the reveal is on its way.";
            ko: "이 문제의 답변은 마감됐어요. 곧 정답이 공개돼요."),
        UserError::UnknownLetter { letters, choices } => say!(lang,
            en: "{letters} is not one of this question's options: choose from {}.", letters_range(*choices);
            ko: "{letters}은(는) 이 문제의 보기가 아니에요. {} 중에서 고르세요.", letters_range(*choices)),
        UserError::WrongCount { picks: 1 } => say!(lang,
            en: "This question has exactly one right answer: give one letter, such as B.";
            ko: "정답이 하나인 문제예요. B처럼 한 글자만 입력하세요."),
        UserError::WrongCount { picks } => say!(lang,
            en: "This question asks you to choose {picks}: give {picks} letters, such as AC.";
            ko: "{picks}개를 고르는 문제예요. AC처럼 {picks}개의 글자를 입력하세요."),
        UserError::NotPending => say!(lang,
            en: "That question is no longer waiting for an answer. Use /practice for a new one.";
            ko: "더 이상 답을 기다리는 문제가 아니에요. /practice 로 새 문제를 받으세요."),
        UserError::QuestionGone => say!(lang,
            en: "That question has been removed from the bank. Use /practice for another one.";
            ko: "문제은행에서 삭제된 문제예요. /practice 로 다른 문제를 받으세요."),
        UserError::NoQuestions => say!(lang,
            en: "No question matches that choice yet. Try another domain or service, or none.";
            ko: "조건에 맞는 문제가 아직 없어요. 다른 도메인이나 서비스를 고르거나 조건 없이 시도하세요."),
        UserError::UnknownService { typed, known } => say!(lang,
            en: "No question covers the service `{typed}`. Known services include: {}.", known.join(", ");
            ko: "`{typed}` 서비스를 다루는 문제가 없어요. 다음 서비스가 있어요: {}.", known.join(", ")),
        UserError::NotManager(Platform::Slack) => say!(lang,
            en: "Only workspace admins and owners (and members the bot's host allows in SLACK_ADMIN_USERS) can change the daily question.";
            ko: "오늘의 문제 설정은 워크스페이스 관리자와 소유자(그리고 봇 운영자가 SLACK_ADMIN_USERS 에 넣은 멤버)만 바꿀 수 있어요."),
        UserError::NotManager(Platform::Discord | Platform::Other) => say!(lang,
            en: "Only server managers can change the daily question.";
            ko: "오늘의 문제 설정은 서버 관리자만 바꿀 수 있어요."),
        UserError::NotInServer => say!(lang,
            en: "/quiz works in a server: run it in the channel that should get the daily question, not in a direct message.";
            ko: "/quiz 는 서버에서 쓰는 명령이에요. DM이 아니라 오늘의 문제를 받을 채널에서 실행하세요."),
        UserError::NoSchedule => say!(lang,
            en: "This channel has no daily question scheduled. Set one with /quiz schedule 09:00 Asia/Seoul.";
            ko: "이 채널에는 예약된 오늘의 문제가 없어요. /quiz schedule 09:00 Asia/Seoul 처럼 설정하세요."),
        UserError::RoundStillOpen => say!(lang,
            en: "A question is still open in this channel. Reveal it first with /quiz reveal.";
            ko: "이 채널에 아직 진행 중인 문제가 있어요. 먼저 /quiz reveal 로 정답을 공개하세요."),
        UserError::NothingToReveal => say!(lang,
            en: "There is no open question in this channel to reveal.";
            ko: "이 채널에는 공개할 진행 중인 문제가 없어요."),
        UserError::NotInTeam => say!(lang,
            en: "You are not in a team. Join one with /team join NAME.";
            ko: "아직 팀에 속해 있지 않아요. /team join 팀이름 으로 참여하세요."),
        UserError::ExamDateInThePast => say!(lang,
            en: "That date has passed. Give the day of your exam, such as /exam-date 2027-02-15.";
            ko: "이미 지난 날짜예요. /exam-date 2027-02-15 처럼 시험 날짜를 입력하세요."),
        UserError::NoMock => say!(lang,
            en: "You have no mock exam running. Start one with /mock (10 questions), /mock 20 or /mock 65.";
            ko: "진행 중인 모의고사가 없어요. /mock (10문제), /mock 20, /mock 65 로 시작하세요."),
        UserError::MockRunning {
            answered,
            total,
            minutes_left,
        } => say!(lang,
            en: "Your mock exam is running ({answered} of {total} answered, {minutes_left} min left). Answer its question with the buttons or /answer, or give up with /mock stop.";
            ko: "모의고사가 진행 중이에요 ({total}문제 중 {answered}문제 답함, {minutes_left}분 남음). 버튼이나 /answer 로 문제에 답하거나 /mock stop 으로 그만두세요."),
        UserError::NotRevealedYet => say!(lang,
            en: "That question has not been revealed yet: pick it for the meetup after the reveal.";
            ko: "아직 정답이 공개되지 않은 문제예요. 정답 공개 후에 모임 토론 문제로 골라 주세요."),
        UserError::MockMovedOn => say!(lang,
            en: "That mock exam question has been answered already; your exam has moved on to the next one.";
            ko: "이미 답한 모의고사 문제예요. 시험은 다음 문제로 넘어갔어요."),
        UserError::UnknownQuestion(id) => say!(lang,
            en: "There is no question `{id}` in the bank or in this channel. The id is in the footer of the question's reveal or feedback.";
            ko: "`{id}` 문제는 문제 은행에도 이 채널에도 없어요. 문제 번호는 정답 공개나 채점 결과의 맨 아래에 있어요."),
        UserError::Command(e) => command_error(lang, e),
    }
}

pub fn command_error(lang: Lang, error: &CommandError) -> String {
    match error {
        CommandError::Unknown(name) if name.is_empty() => say!(lang,
            en: "Type a command such as /practice or /help.";
            ko: "/practice 나 /help 같은 명령을 입력하세요."),
        CommandError::Unknown(name) => say!(lang,
            en: "There is no command `/{name}`. Type /help to see them all.";
            ko: "`/{name}` 명령은 없어요. /help 로 전체 명령을 확인하세요."),
        CommandError::Usage { usage, problem } => say!(lang,
            en: "{}\nUsage: {usage}", problem_text(lang, problem);
            ko: "{}\n사용법: {usage}", problem_text(lang, problem)),
    }
}

fn problem_text(lang: Lang, problem: &Problem) -> String {
    match (lang, problem) {
        // Schedule errors carry examples that read the same in both languages.
        (Lang::Ko, Problem::Missing(name)) => format!("`{name}` 값이 필요해요."),
        (Lang::Ko, Problem::Extra(token)) => format!("`{token}`에 해당하는 옵션이 없어요."),
        (Lang::Ko, Problem::Domain(d)) => format!(
            "`{d}`은(는) 도메인이 아니에요: secure, resilient, high-performing, cost-optimized 중 하나를 쓰세요."
        ),
        (Lang::Ko, Problem::Task(t)) => format!(
            "`{t}`은(는) 시험 안내서의 작업 번호가 아니에요: 1.1~1.3, 2.1~2.2, 3.1~3.5, 4.1~4.4 중 하나를 쓰세요."
        ),
        (Lang::Ko, Problem::Date(d)) => {
            format!("`{d}`은(는) 날짜가 아니에요. 2027-02-15처럼 입력하세요.")
        }
        (Lang::Ko, Problem::Unsure(u)) => {
            format!("`{u}`은(는) 확신 없음 표시가 아니에요. `unsure`라고 쓰거나 빼 주세요.")
        }
        (Lang::Ko, Problem::Letters(l)) => {
            format!("`{l}`은(는) 보기 글자가 아니에요. B나 AC처럼 입력하세요.")
        }
        (Lang::Ko, Problem::Period(p)) => {
            format!("`{p}`은(는) 기간이 아니에요: day, week, month, all 중 하나예요.")
        }
        (Lang::Ko, Problem::Board(b)) => {
            format!("`{b}`은(는) 순위표 종류가 아니에요: members 또는 teams예요.")
        }
        (Lang::Ko, Problem::TeamName) => "팀 이름은 보이는 글자 1~32자여야 해요.".to_owned(),
        (Lang::Ko, Problem::MockCount(n)) => format!(
            "`{n}`은(는) 모의고사 문제 수가 아니에요: 10, 20, 65 중 하나를 쓰세요 (그만두려면 `stop`)."
        ),
        (Lang::Ko, Problem::Schedule(e)) => format!("설정값을 읽을 수 없어요: {e}"),
        (Lang::Ko, Problem::Threads(t)) => {
            format!("`{t}`은(는) 스레드 설정이 아니에요: threads:on 또는 threads:off 예요.")
        }
        (Lang::Ko, Problem::Round(r)) => {
            format!("`{r}`은(는) 회차 번호가 아니에요. 42처럼 입력하세요.")
        }
        (Lang::Ko, Problem::Reason(r)) => format!(
            "`{r}`은(는) 신고 사유가 아니에요: wrong-key(정답 오류), several-right(복수 정답), outdated(오래된 내용), unclear(불명확), typo(오타) 중 하나나 1~5를 쓰세요."
        ),
        (Lang::Ko, Problem::CommentTooLong(n)) => {
            format!("의견이 {n}자예요. 500자 이내로 줄여 주세요.")
        }
        (Lang::Ko, Problem::QuestionId(q)) => {
            format!("`{q}`은(는) 문제 번호가 아니에요. hp-storage-1 처럼 입력하세요.")
        }
        (Lang::En, p) => {
            let mut text = p.to_string();
            text.push('.');
            text
        }
    }
}

pub fn daily_title(lang: Lang) -> String {
    say!(lang, en: "📅 Daily question"; ko: "📅 오늘의 문제")
}

/// The practice title says why this question was picked.
pub fn practice_title(lang: Lang, why: super::practice::Pick) -> String {
    use super::practice::Pick;
    match why {
        Pick::New => say!(lang, en: "🧠 Practice · new"; ko: "🧠 연습 문제 · 새 문제"),
        Pick::WeakSpot(task) => {
            say!(lang, en: "🧠 Practice · weak spot: {task}"; ko: "🧠 연습 문제 · 약한 부분: {task}")
        }
        Pick::Again => {
            say!(lang, en: "🧠 Practice · seen longest ago"; ko: "🧠 연습 문제 · 가장 오래전에 푼 문제")
        }
    }
}

/// A review question's title, with how many are due now (this one included).
pub fn review_title(lang: Lang, due: usize) -> String {
    say!(lang, en: "🔁 Review ({due} due)"; ko: "🔁 복습 ({due}문제 남음)")
}

/// The facts under a question: domain, task, services, difficulty, and how to answer, with
/// the controls the platform shows (buttons and a menu on Discord, buttons or checkboxes and
/// a Submit button on Slack, none in the terminal).
pub fn question_footer(
    lang: Lang,
    platform: Platform,
    q: &Question,
    reveal: Option<&str>,
) -> String {
    let task = q.task;
    let mut meta = vec![
        q.domain.key().to_owned(),
        say!(lang, en: "task {task}"; ko: "작업 {task}"),
        q.services.join(", "),
    ];
    if let Some(d) = q.difficulty {
        meta.push(d.key().to_owned());
    }
    let how = match (q.picks(), platform) {
        (1, Platform::Discord | Platform::Slack) => say!(lang,
            en: "Answer privately with a button or /answer B.";
            ko: "버튼이나 /answer B 로 비공개로 답하세요."),
        (1, Platform::Other) => say!(lang,
            en: "Answer with /answer B.";
            ko: "/answer B 로 답하세요."),
        (n, Platform::Discord) => say!(lang,
            en: "Choose {n}. Answer privately with the menu or /answer AC.";
            ko: "{n}개를 고르세요. 메뉴나 /answer AC 로 비공개로 답하세요."),
        (n, Platform::Slack) => say!(lang,
            en: "Choose {n}. Tick {n} boxes and press {}, or answer privately with /answer AC.", submit_button_label(lang);
            ko: "{n}개를 고르세요. 체크박스 {n}개를 선택하고 '{}'을 누르거나 /answer AC 로 비공개로 답하세요.", submit_button_label(lang)),
        (n, Platform::Other) => say!(lang,
            en: "Choose {n}. Answer with /answer AC.";
            ko: "{n}개를 고르세요. /answer AC 로 답하세요."),
    };
    let when = reveal
        .map(|at| say!(lang, en: " Reveal: {at}."; ko: " 정답 공개: {at}."))
        .unwrap_or_default();
    format!("{} · {how}{when}", meta.join(" · "))
}

pub fn receipt(lang: Lang, letters: Letters, reveal: &str) -> String {
    say!(lang,
        en: "Recorded your answer {letters}. Nobody sees it before the reveal at {reveal}.";
        ko: "{letters}(으)로 답을 기록했어요. 정답 공개 시각 {reveal} 전까지 아무도 볼 수 없어요.")
}

pub fn receipt_title(lang: Lang) -> String {
    say!(lang, en: "📝 Answer recorded"; ko: "📝 답 기록 완료")
}

pub fn feedback_title(lang: Lang, correct: bool, answer: Letters) -> String {
    if correct {
        say!(lang, en: "✅ Correct: {answer}"; ko: "✅ 정답이에요: {answer}")
    } else {
        say!(lang, en: "❌ Not quite: the answer is {answer}"; ko: "❌ 아쉬워요. 정답은 {answer}예요")
    }
}

pub fn missed_goes_to_review(lang: Lang) -> String {
    say!(lang,
        en: "This question goes into /review and comes back until you get it right.";
        ko: "이 문제는 /review 에 들어가, 맞힐 때까지 다시 나와요.")
}

pub fn unsure_heading(lang: Lang) -> String {
    say!(lang, en: "🤔 Unsure"; ko: "🤔 헷갈려요")
}

/// The label of the unsure toggle beside the answer buttons.
pub fn unsure_button_label(lang: Lang) -> String {
    say!(lang, en: "🤔 Unsure"; ko: "🤔 헷갈려요")
}

pub fn unsure_marked(lang: Lang, marked: bool) -> String {
    if marked {
        say!(lang,
            en: "Marked unsure: the answer you give next goes into /review even if it is right. Press again to unmark.";
            ko: "헷갈림으로 표시했어요. 이제 내는 답은 맞아도 /review 에 들어가요. 다시 누르면 표시가 풀려요.")
    } else {
        say!(lang, en: "Unsure mark removed."; ko: "헷갈림 표시를 풀었어요.")
    }
}

pub fn unsure_answer_marked(lang: Lang, marked: bool) -> String {
    if marked {
        say!(lang,
            en: "Your answer is marked unsure: it goes into /review after the reveal, even if it is right. Press again to unmark.";
            ko: "내 답을 헷갈림으로 표시했어요. 맞아도 정답 공개 뒤 /review 에 들어가요. 다시 누르면 표시가 풀려요.")
    } else {
        say!(lang, en: "Your answer is no longer marked unsure."; ko: "내 답의 헷갈림 표시를 풀었어요.")
    }
}

pub fn unsure_goes_to_review(lang: Lang) -> String {
    say!(lang,
        en: "Right, but you were unsure: this question goes into /review.";
        ko: "정답이지만 확신이 없다고 했으니 이 문제는 /review 에 들어가요.")
}

pub fn your_answer(lang: Lang) -> String {
    say!(lang, en: "Your answer"; ko: "내 답")
}

pub fn options_heading(lang: Lang) -> String {
    say!(lang, en: "Options"; ko: "보기 해설")
}

pub fn closed_footer(lang: Lang, answer: Letters) -> String {
    say!(lang,
        en: "Closed: the answer ({answer}) and the explanation are in the reveal.";
        ko: "마감됐어요. 정답({answer})과 해설은 정답 공개 메시지에 있어요.")
}

pub fn reveal_title(lang: Lang, answer: Letters) -> String {
    say!(lang, en: "🔔 Reveal: the answer is {answer}"; ko: "🔔 정답 공개: {answer}")
}

pub fn votes_heading(lang: Lang, total: usize) -> String {
    say!(lang, en: "Votes ({total})"; ko: "투표 ({total}명)")
}

pub fn right_heading(lang: Lang, right: usize, total: usize) -> String {
    say!(lang, en: "Got it right ({right} of {total})"; ko: "정답자 ({total}명 중 {right}명)")
}

pub fn nobody(lang: Lang) -> String {
    say!(lang, en: "Nobody this time."; ko: "이번에는 없어요.")
}

pub fn references_heading(lang: Lang) -> String {
    say!(lang, en: "Read more"; ko: "참고 문서")
}

pub fn period_name(lang: Lang, period: Period) -> String {
    match period {
        Period::Day => say!(lang, en: "today"; ko: "오늘"),
        Period::Week => say!(lang, en: "this week"; ko: "이번 주"),
        Period::Month => say!(lang, en: "this month"; ko: "이번 달"),
        Period::All => say!(lang, en: "all time"; ko: "전체 기간"),
        Period::LastWeek => say!(lang, en: "last week"; ko: "지난주"),
    }
}

pub fn leaderboard_title(lang: Lang, period: Period, board: Board) -> String {
    let period = period_name(lang, period);
    match board {
        Board::Members => say!(lang, en: "🏆 Leaderboard, {period}"; ko: "🏆 {period} 순위"),
        Board::Teams => say!(lang, en: "🏆 Team leaderboard, {period}"; ko: "🏆 {period} 팀 순위"),
    }
}

pub fn leaderboard_line(
    lang: Lang,
    rank: usize,
    name: &str,
    points: u64,
    correct: u64,
    answered: u64,
) -> String {
    say!(lang,
        en: "{rank}. {name}: {points} pts ({correct}/{answered} right)";
        ko: "{rank}. {name}: {points}점 ({answered}문제 중 {correct}개 정답)")
}

pub fn leaderboard_empty(lang: Lang) -> String {
    say!(lang,
        en: "No revealed daily answers in this period yet.";
        ko: "이 기간에는 아직 정답이 공개된 오늘의 문제 답이 없어요.")
}

pub fn leaderboard_footer(lang: Lang, points: u64) -> String {
    say!(lang,
        en: "{points} points per right daily answer, counted after the reveal. Practice does not count here.";
        ko: "오늘의 문제 정답 하나에 {points}점이며 정답 공개 후에 반영돼요. 연습 문제는 포함되지 않아요.")
}

pub struct StatsText {
    pub title: String,
    pub answered: String,
    pub accuracy: String,
    pub streak: String,
    pub freezes: String,
    pub domains: String,
    pub tasks: String,
    pub readiness: String,
    pub services: String,
    pub team: String,
    pub none: String,
}

pub fn stats_text(lang: Lang, name: &str) -> StatsText {
    StatsText {
        title: say!(lang, en: "📊 Stats for {name}"; ko: "📊 {name} 님의 기록"),
        answered: say!(lang, en: "Answered"; ko: "푼 문제"),
        accuracy: say!(lang, en: "Accuracy"; ko: "정답률"),
        streak: say!(lang, en: "Streak in days (current / best)"; ko: "연속 정답일 (현재 / 최고)"),
        freezes: say!(lang, en: "Streak freezes"; ko: "스트릭 보호권"),
        domains: say!(lang, en: "By domain"; ko: "도메인별"),
        tasks: say!(lang, en: "By task statement"; ko: "작업별"),
        readiness: say!(lang, en: "Exam readiness"; ko: "시험 준비도"),
        services: say!(lang, en: "By service"; ko: "서비스별"),
        team: say!(lang, en: "Team"; ko: "팀"),
        none: say!(lang,
            en: "No answers yet. Start with /practice, or answer today's question.";
            ko: "아직 푼 문제가 없어요. /practice 로 시작하거나 오늘의 문제에 답해 보세요."),
    }
}

pub fn answered_counts(lang: Lang, total: usize, daily: usize, private: usize) -> String {
    say!(lang,
        en: "{total} ({daily} daily, {private} practice and review)";
        ko: "{total}문제 (오늘의 문제 {daily}, 연습·복습 {private})")
}

pub fn streak_value(lang: Lang, current: usize, best: usize) -> String {
    say!(lang, en: "{current} / {best} in a row"; ko: "{current} / {best}일 연속")
}

/// Freezes held, and how more are earned.
pub fn freezes_held(lang: Lang, held: usize, most: usize) -> String {
    let every = super::freeze::FREEZE_EVERY;
    say!(lang,
        en: "{held} of {most} held · one more for every {every} days in a row answered right; a missed day uses one and keeps the streak";
        ko: "{most}개 중 {held}개 보유 · {every}일 연속 정답마다 1개를 받고, 놓친 날에는 1개를 써서 연속 기록을 지켜요")
}

pub fn team_joined(lang: Lang, team: &str, left: Option<&str>) -> String {
    match left {
        Some(old) => say!(lang,
            en: "You moved from team {old} to team {team}.";
            ko: "{old} 팀에서 {team} 팀으로 옮겼어요."),
        None => say!(lang, en: "You joined team {team}."; ko: "{team} 팀에 참여했어요."),
    }
}

pub fn team_left(lang: Lang, team: &str) -> String {
    say!(lang, en: "You left team {team}."; ko: "{team} 팀에서 나왔어요.")
}

pub fn teams_title(lang: Lang) -> String {
    say!(lang, en: "👥 Teams"; ko: "👥 팀 목록")
}

pub fn no_teams(lang: Lang) -> String {
    say!(lang,
        en: "No teams yet. Start one with /team join NAME.";
        ko: "아직 팀이 없어요. /team join 팀이름 으로 만들어 보세요.")
}

pub fn team_line(lang: Lang, team: &str, members: &[String]) -> String {
    let n = members.len();
    say!(lang,
        en: "{team} ({n}): {}", members.join(", ");
        ko: "{team} ({n}명): {}", members.join(", "))
}

pub fn schedule_title(lang: Lang) -> String {
    say!(lang, en: "⏰ Daily question"; ko: "⏰ 오늘의 문제 일정")
}

pub fn scheduled(lang: Lang, rule: &str, next: Option<&str>) -> String {
    let next = next.map_or_else(
        String::new,
        |n| say!(lang, en: "\nNext question: {n}."; ko: "\n다음 문제: {n}."),
    );
    say!(lang,
        en: "This channel gets a daily question {rule}.{next}";
        ko: "이 채널에 오늘의 문제가 올라와요: {rule}.{next}")
}

pub fn schedule_rule(lang: Lang, time: &str, zone: &str, days: &str, reveal: &str) -> String {
    let days = match days {
        "daily" => say!(lang, en: "every day"; ko: "매일"),
        other => say!(lang, en: "on {other}"; ko: "{other}"),
    };
    say!(lang,
        en: "{days} at {time} ({zone}), revealed {reveal}";
        ko: "{days} {time} ({zone}), 정답 공개는 {reveal}")
}

pub fn reveal_rule_after(lang: Lang, delay: &str) -> String {
    say!(lang, en: "{delay} after the post"; ko: "게시 {delay} 후")
}

pub fn reveal_rule_at(lang: Lang, time: &str) -> String {
    say!(lang, en: "at {time}"; ko: "{time}")
}

pub fn unscheduled(lang: Lang) -> String {
    say!(lang,
        en: "The daily question is stopped for this channel. A question already posted is still revealed.";
        ko: "이 채널의 오늘의 문제를 멈췄어요. 이미 올라온 문제는 예정대로 정답이 공개돼요.")
}

pub fn status_open(lang: Lang, answers: usize, reveal: &str) -> String {
    say!(lang,
        en: "Open question: {answers} answers so far, reveal {reveal}.";
        ko: "진행 중인 문제: 지금까지 {answers}명 답변, 정답 공개 {reveal}.")
}

/// `/quiz status` of a schedule the bot stopped because it could not post.
pub fn status_stopped(lang: Lang, rule: &str, reason: &str) -> String {
    say!(lang,
        en: "Delivery is stopped: {reason}. The daily question ({rule}) is not posted until you fix that and run /quiz schedule again to start it.";
        ko: "전송이 멈췄어요: {reason}. 이 문제를 해결하고 /quiz schedule 을 다시 실행해야 오늘의 문제({rule})가 다시 시작돼요.")
}

pub fn posting_now(lang: Lang) -> String {
    say!(lang, en: "Posting a question to this channel now."; ko: "지금 이 채널에 문제를 올릴게요.")
}

pub fn revealing_now(lang: Lang) -> String {
    say!(lang, en: "Revealing the open question now."; ko: "진행 중인 문제의 정답을 지금 공개할게요.")
}

pub struct ReadinessText {
    pub title: String,
    pub exam: String,
    pub domains: String,
    pub tasks: String,
    pub weak: String,
}

pub fn readiness_text(lang: Lang) -> ReadinessText {
    ReadinessText {
        title: say!(lang, en: "🎯 Exam readiness"; ko: "🎯 시험 준비도"),
        exam: say!(lang, en: "Exam day"; ko: "시험일"),
        domains: say!(lang, en: "By domain (seen · first try · recall on exam day)";
                            ko: "도메인별 (푼 문제 · 첫 시도 정답률 · 시험일 예상 기억률)"),
        tasks: say!(lang, en: "By task statement"; ko: "작업별"),
        weak: say!(lang, en: "Weak spots"; ko: "약한 부분"),
    }
}

fn percent_of(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// The one figure: recall on exam day over the whole exam, weighted by domain.
pub fn readiness_summary(lang: Lang, overall: f64) -> String {
    let p = percent_of(overall);
    say!(lang,
        en: "Predicted recall on exam day, over the whole exam (weighted 30/26/24/20 by domain, questions you have not seen counted as not known): **{p}**. This is not a score prediction: it is how much of the bank you would still remember.";
        ko: "시험일 예상 기억률, 시험 전체 기준(도메인별 30/26/24/20 가중, 아직 안 푼 문제는 모르는 것으로 계산): **{p}**. 점수 예측이 아니라, 문제은행 중 시험일까지 기억할 비율이에요.")
}

/// The readiness figure in `/stats`, pointing to `/readiness` for the whole picture.
pub fn readiness_brief(lang: Lang, overall: f64, exam: &str) -> String {
    let p = percent_of(overall);
    say!(lang,
        en: "{p} predicted recall on {exam}; /readiness shows each part and the weak spots";
        ko: "{exam} 예상 기억률 {p}, 부분별 내용과 약한 부분은 /readiness 에서 볼 수 있어요")
}

pub fn readiness_line(lang: Lang, label: &str, part: &super::readiness::Part) -> String {
    let (seen, available) = (part.seen, part.available);
    let first = part.first_try.map_or("–".to_owned(), percent_of);
    let recall = percent_of(part.recall);
    say!(lang,
        en: "{label}: {seen}/{available} · {first} · {recall}";
        ko: "{label}: {seen}/{available} · {first} · {recall}")
}

pub fn exam_day(lang: Lang, date: &str, days_left: i32, set: bool) -> String {
    if set {
        say!(lang, en: "{date} (in {days_left} days)"; ko: "{date} ({days_left}일 남음)")
    } else {
        say!(lang,
            en: "{date}: not set, so 30 days from today. Set yours with /exam-date 2027-02-15.";
            ko: "{date}: 아직 정하지 않아 오늘부터 30일 뒤로 계산했어요. /exam-date 2027-02-15 로 정하세요.")
    }
}

pub fn weak_spot(lang: Lang, code: &str, title: &str, recall: f64) -> String {
    let p = percent_of(recall);
    say!(lang, en: "{code} {title}: {p}"; ko: "{code} {title}: {p}")
}

/// The readiness chart's fixed words.
pub struct ChartText {
    pub subtitle: String,
    pub accuracy: String,
    pub recall: String,
    /// In place of a bar with no answer yet.
    pub not_seen: String,
}

pub fn chart_text(lang: Lang) -> ChartText {
    ChartText {
        subtitle: say!(lang,
            en: "Per task statement of the exam guide. Recall counts the questions you have not seen as not known.";
            ko: "시험 가이드의 작업별 결과예요. 기억률은 아직 안 푼 문제를 모르는 것으로 계산해요."),
        accuracy: say!(lang, en: "First-try accuracy"; ko: "첫 시도 정답률"),
        recall: say!(lang, en: "Predicted recall on exam day"; ko: "시험일 예상 기억률"),
        not_seen: say!(lang, en: "not answered yet"; ko: "아직 푼 문제 없음"),
    }
}

/// The chart's title: the overall figure and the exam date.
pub fn chart_title(lang: Lang, overall: f64, exam: &str, set: bool) -> String {
    let p = percent_of(overall);
    match set {
        true => say!(lang,
            en: "Exam readiness: {p} predicted recall on {exam}";
            ko: "시험 준비도: {exam} 예상 기억률 {p}"),
        false => say!(lang,
            en: "Exam readiness: {p} predicted recall on {exam} (30 days from today)";
            ko: "시험 준비도: {exam} 예상 기억률 {p} (오늘부터 30일 뒤)"),
    }
}

/// Questions seen of those available, beside a task statement's label.
pub fn chart_seen(lang: Lang, seen: usize, available: usize) -> String {
    say!(lang, en: "{seen}/{available} seen"; ko: "{available}문제 중 {seen}문제 풂")
}

/// A domain of the exam as the guide names it, with its weight.
pub fn domain_title(lang: Lang, domain: crate::bank::Domain) -> String {
    use crate::bank::Domain;
    let weight = crate::bank::guide::exam_weight(domain);
    let (n, en, ko) = match domain {
        Domain::Secure => (1, "Design Secure Architectures", "안전한 아키텍처 설계"),
        Domain::Resilient => (
            2,
            "Design Resilient Architectures",
            "복원력을 갖춘 아키텍처 설계",
        ),
        Domain::HighPerforming => (
            3,
            "Design High-Performing Architectures",
            "고성능 아키텍처 설계",
        ),
        Domain::CostOptimized => (
            4,
            "Design Cost-Optimized Architectures",
            "비용에 최적화된 아키텍처 설계",
        ),
    };
    say!(lang, en: "Domain {n}: {en} ({weight}% of the exam)"; ko: "도메인 {n}: {ko} (시험의 {weight}%)")
}

// ---- /export ----

pub fn export_title(lang: Lang) -> String {
    say!(lang, en: "📤 Your misses and unsure answers"; ko: "📤 틀린 문제와 확신 없던 문제")
}

pub fn export_empty(lang: Lang) -> String {
    say!(lang,
        en: "Nothing to export yet: questions you miss or answer `unsure` go here (the latest answer to each counts). Try /practice.";
        ko: "아직 내보낼 문제가 없어요. 틀리거나 `unsure`로 답한 문제가 여기에 모여요(문제마다 가장 최근 답 기준). /practice 로 시작해 보세요.")
}

pub fn export_ready(lang: Lang, total: usize, misses: usize, unsure: usize) -> String {
    say!(lang,
        en: "{total} questions whose latest answer was a miss ({misses}) or unsure ({unsure}), in two files: the .csv opens in any spreadsheet; the .txt imports into Anki (File → Import), one note per question.";
        ko: "가장 최근 답이 오답({misses})이거나 확신 없음({unsure})인 문제 {total}개를 파일 두 개로 보내요. .csv 는 스프레드시트에서 열리고, .txt 는 Anki 에서 가져오기(파일 → 가져오기)로 문제마다 노트 하나가 돼요.")
}

/// Why a question is in the export.
pub fn export_status(lang: Lang, correct: bool) -> String {
    match correct {
        false => say!(lang, en: "miss"; ko: "오답"),
        true => say!(lang, en: "unsure"; ko: "확신 없음"),
    }
}

/// The CSV's header row.
pub fn export_columns(lang: Lang) -> [&'static str; 10] {
    match lang {
        Lang::En => [
            "question_id",
            "task",
            "status",
            "prompt",
            "options",
            "your_answer",
            "answer",
            "explanation",
            "reference",
            "answered_at",
        ],
        Lang::Ko => [
            "문제 ID",
            "작업",
            "상태",
            "문제",
            "보기",
            "내 답",
            "정답",
            "해설",
            "참고 자료",
            "답한 시각",
        ],
    }
}

/// The Anki file's field names.
pub fn export_anki_columns(lang: Lang) -> [&'static str; 3] {
    match lang {
        Lang::En => ["Front", "Back", "Tags"],
        Lang::Ko => ["앞면", "뒷면", "태그"],
    }
}

pub fn export_choose(lang: Lang, picks: usize) -> String {
    say!(lang, en: "(Choose {picks}.)"; ko: "({picks}개를 고르세요.)")
}

/// The back of an Anki note: the key, what the member answered, why, and where to read more.
pub fn export_back(
    lang: Lang,
    key: &str,
    yours: &str,
    explanation: &str,
    references: &str,
) -> String {
    say!(lang,
        en: "Answer:\n{key}\n\nYou answered:\n{yours}\n\n{explanation}\n\nReference:\n{references}";
        ko: "정답:\n{key}\n\n내 답:\n{yours}\n\n{explanation}\n\n참고 자료:\n{references}")
}

pub fn exam_date_set(lang: Lang, date: &str, days_left: i32) -> String {
    say!(lang,
        en: "Your exam day is {date}, in {days_left} days. /readiness now predicts your recall for that day.";
        ko: "시험일을 {date}({days_left}일 남음)로 정했어요. 이제 /readiness 가 그날의 기억률을 예측해요.")
}

pub fn no_review_due(lang: Lang, next: Option<&str>) -> String {
    match next {
        Some(at) => say!(lang,
            en: "Nothing to review right now. Your next review is due {at}.";
            ko: "지금 복습할 문제가 없어요. 다음 복습은 {at}에 있어요."),
        None => say!(lang,
            en: "Nothing to review: questions you miss come back here, spaced out over days.";
            ko: "복습할 문제가 없어요. 틀린 문제는 며칠 간격으로 여기에 다시 나와요."),
    }
}

pub fn review_heading(lang: Lang) -> String {
    say!(lang, en: "🔁 Review"; ko: "🔁 복습")
}

pub fn help_title(lang: Lang) -> String {
    say!(lang, en: "❓ quizbot"; ko: "❓ quizbot 도움말")
}

pub fn help(lang: Lang) -> String {
    let intro = say!(lang,
        en: "AWS Solutions Architect Associate (SAA-C03) scenario questions for your study group.\n\
             • Every day at the scheduled time a question appears in the channel. Answer privately with the buttons or /answer B: nobody sees your choice until the reveal, which shows the answer, why each option is right or wrong, the votes and who got it.\n\
             • /practice gives you a private question at once, with instant feedback. Questions you miss (or answer with `unsure`) come back in /review, spaced out by FSRS.\n\
             • /mock starts a private timed mock exam (10, 20 or 65 questions, 2 minutes each, weighted like the exam); you see your score per domain and task statement, and every miss explained, at the end.\n\
             • /readiness shows where you stand per domain and task statement, and what you are predicted to recall on your exam day (/exam-date 2027-02-15), as text and as a chart.\n\
             • /export sends you your misses and unsure answers as a CSV file and as a file Anki imports.\n\
             • Points: 10 for each right daily answer, counted at the reveal. Practice and review count in /stats, not on the leaderboard.\n\
             • Each reveal opens a discussion thread, and its 📌 button picks the question for your meetup. Once a week the channel gets a recap: the week's board and winners, who answered every day, the hardest question and the meetup picks (/leaderboard week last shows last week's).";
        ko: "스터디 그룹을 위한 AWS Solutions Architect Associate (SAA-C03) 시나리오 문제 봇이에요.\n\
             • 매일 정해진 시간에 채널에 문제가 올라와요. 버튼이나 /answer B 로 비공개로 답하세요. 정답 공개 전까지 아무도 내 답을 볼 수 없고, 공개 때 정답과 보기별 해설, 투표 결과, 정답자가 나와요.\n\
             • /practice 는 바로 풀 수 있는 개인 문제를 주고 즉시 채점해요. 틀리거나 `unsure`로 답한 문제는 FSRS가 정한 간격으로 /review 에 다시 나와요.\n\
             • /mock 은 시간 제한이 있는 개인 모의고사예요 (10, 20, 65문제, 문제당 2분, 실제 시험 비중). 끝나면 도메인·작업별 점수와 틀린 문제의 해설이 나와요.\n\
             • /readiness 는 도메인·작업별 준비 상태와 시험일(/exam-date 2027-02-15)의 예상 기억률을 글과 차트로 보여 줘요.\n\
             • /export 는 틀린 문제와 확신 없던 문제를 CSV 파일과 Anki 가져오기 파일로 보내 줘요.\n\
             • 점수: 오늘의 문제 정답 하나에 10점, 정답 공개 때 반영돼요. 연습·복습은 /stats 에는 들어가지만 순위표에는 들어가지 않아요.\n\
             • 정답 공개마다 토론 스레드가 열리고, 📌 버튼으로 그 문제를 모임에서 이야기할 문제로 고를 수 있어요. 일주일에 한 번 채널에 주간 정리가 올라와요: 주간 순위와 우승자, 매일 답한 사람, 가장 어려웠던 문제, 모임 토론 후보 (/leaderboard week last 로 지난주 결과를 볼 수 있어요).");
    let commands: Vec<String> = USAGE.iter().map(|(_, u)| format!("  {u}")).collect();
    format!("{intro}\n\n{}", commands.join("\n"))
}

// ---- Button labels and Slack notices (appended for the Slack adapter) ----

/// The label of the "next question" button under private feedback.
pub fn next_button_label(lang: Lang, mode: super::PrivateMode) -> String {
    match mode {
        super::PrivateMode::Practice => say!(lang, en: "Next question"; ko: "다음 문제"),
        super::PrivateMode::Review => say!(lang, en: "Next review"; ko: "다음 복습"),
    }
}

/// The label of the button that sends the options ticked on a choose-N question.
pub fn submit_button_label(lang: Lang) -> String {
    say!(lang, en: "Submit answer"; ko: "답 제출")
}

/// Slack: a channel message could not be posted because the bot is not a member there.
pub fn slack_not_in_channel(lang: Lang) -> String {
    say!(lang,
        en: "I am not a member of this channel, so I could not post there. Invite me with /invite @quizbot (or the app's name), then try again.";
        ko: "이 채널의 멤버가 아니라서 채널에 글을 올리지 못했어요. /invite @quizbot (또는 앱 이름)으로 초대한 뒤 다시 시도하세요.")
}

/// Slack: files (a chart, an export) went to the member's direct message with the bot.
pub fn slack_files_in_dm(lang: Lang) -> String {
    say!(lang,
        en: "📎 The files are in your direct messages with me: Slack cannot show a file to you alone in a channel.";
        ko: "📎 파일은 저와의 DM으로 보냈어요. Slack 채널에서는 파일을 나에게만 보이게 보낼 수 없거든요.")
}

/// Slack: the files could not be uploaded.
pub fn slack_files_failed(lang: Lang) -> String {
    say!(lang,
        en: "I could not send you the files this time. Please try again in a moment; if it keeps failing, ask the bot's host to add the files:write and im:write scopes.";
        ko: "이번에는 파일을 보내지 못했어요. 잠시 후 다시 시도해 주세요. 계속 안 되면 봇 운영자에게 files:write 와 im:write 권한을 추가해 달라고 하세요.")
}

/// Slack: a `#channel` option Slack did not turn into a channel reference.
pub fn slack_channel_unresolved(lang: Lang, typed: &str) -> String {
    say!(lang,
        en: "I cannot tell which channel `{typed}` is. Pick it from the list Slack offers while you type #, or run the command in that channel.";
        ko: "`{typed}`이(가) 어느 채널인지 알 수 없어요. # 을 입력할 때 Slack이 보여 주는 목록에서 고르거나, 그 채널에서 명령을 실행하세요.")
}

/// Slack: the Submit button of a choose-N question pressed without the right number of
/// boxes ticked.
pub fn slack_tick_boxes(lang: Lang, picks: usize) -> String {
    say!(lang,
        en: "This question asks you to choose {picks}: tick {picks} boxes, then press {}.", submit_button_label(lang);
        ko: "{picks}개를 고르는 문제예요. 체크박스 {picks}개를 선택한 뒤 '{}'을 누르세요.", submit_button_label(lang))
}

/// The placeholder of a choose-N question's select menu.
pub fn pick_placeholder(lang: Lang, picks: usize) -> String {
    say!(lang, en: "Choose {picks} options"; ko: "보기 {picks}개를 고르세요")
}

// ---- mock exams ----

pub fn mock_heading(lang: Lang) -> String {
    say!(lang, en: "📝 Mock exam"; ko: "📝 모의고사")
}

fn percent(right: usize, total: usize) -> usize {
    (right * 100 + total / 2).checked_div(total).unwrap_or(0)
}

/// The start of a mock exam: how many questions, how long, and the rules.
pub fn mock_started(lang: Lang, questions: usize, asked: usize, minutes: i64) -> String {
    let fewer = if questions < asked {
        say!(lang,
            en: " (the bank has only {questions} questions, so this exam has {questions})";
            ko: " (문제 은행에 {questions}문제밖에 없어서 이번 시험은 {questions}문제예요)")
    } else {
        String::new()
    };
    say!(lang,
        en: "{questions} questions{fewer}, {minutes} minutes on the clock, drawn like the exam (domains weighted 30/26/24/20). Answer each with the buttons or /answer, as on the exam: no feedback until the end, when you get your score per domain and task statement and every miss explained. /mock stop gives up.";
        ko: "{questions}문제{fewer}, 제한 시간 {minutes}분이에요. 실제 시험처럼 도메인 비중 30/26/24/20으로 출제해요. 버튼이나 /answer 로 답하세요. 끝날 때까지 채점 결과는 보이지 않고, 끝나면 도메인·작업별 점수와 틀린 문제의 해설이 나와요. 그만두려면 /mock stop.")
}

/// A mock question's title: where the member is, and the time left.
pub fn mock_question_title(
    lang: Lang,
    position: usize,
    total: usize,
    minutes_left: i64,
    recorded: Option<Letters>,
) -> String {
    let recorded = recorded
        .map(|l| say!(lang, en: " · {l} recorded"; ko: " · {l} 기록됨"))
        .unwrap_or_default();
    say!(lang,
        en: "📝 Mock exam · question {position} of {total} · {minutes_left} min left{recorded}";
        ko: "📝 모의고사 · {total}문제 중 {position}번 · {minutes_left}분 남음{recorded}")
}

pub fn mock_report_title(lang: Lang, right: usize, total: usize) -> String {
    let pct = percent(right, total);
    say!(lang,
        en: "📝 Mock exam result: {right} of {total} right ({pct} %)";
        ko: "📝 모의고사 결과: {total}문제 중 {right}문제 정답 ({pct}%)")
}

/// How the exam ended, and where the misses went.
pub fn mock_ending(
    lang: Lang,
    ending: crate::store::MockEnding,
    total: usize,
    unanswered: usize,
    minutes: i64,
    misses: usize,
) -> String {
    use crate::store::MockEnding;
    let how = match ending {
        MockEnding::Done => say!(lang,
            en: "You answered all {total} questions in {minutes} min.";
            ko: "{total}문제를 모두 {minutes}분 만에 풀었어요."),
        MockEnding::TimeUp => say!(lang,
            en: "Time is up: the {unanswered} questions left unanswered count as wrong.";
            ko: "시간이 끝났어요. 답하지 못한 {unanswered}문제는 오답으로 처리돼요."),
        MockEnding::Stopped => say!(lang,
            en: "You stopped the exam: only the {total} questions you answered count.";
            ko: "모의고사를 그만뒀어요. 답한 {total}문제만 채점해요."),
    };
    let review = if misses > 0 {
        say!(lang,
            en: " Every miss is now in /review.";
            ko: " 틀린 문제는 모두 /review 에 들어갔어요.")
    } else {
        String::new()
    };
    say!(lang,
        en: "{how}{review} A percentage of these questions, not a predicted exam score.";
        ko: "{how}{review} 이 문제들의 정답률일 뿐, 실제 시험 점수 예측은 아니에요.")
}

pub fn mock_domains_heading(lang: Lang) -> String {
    say!(lang, en: "Per domain"; ko: "도메인별")
}

pub fn mock_tasks_heading(lang: Lang) -> String {
    say!(lang, en: "Per task statement"; ko: "작업별")
}

/// One line of the report: `secure: 3 of 4 (75 %)`.
pub fn mock_line(lang: Lang, label: &str, right: usize, total: usize) -> String {
    let pct = percent(right, total);
    say!(lang,
        en: "{label}: {right} of {total} ({pct} %)";
        ko: "{label}: {total}문제 중 {right}문제 ({pct}%)")
}

/// The heading of one miss: its number in the exam, its task, the member's answer, the key.
pub fn mock_miss_heading(
    lang: Lang,
    number: usize,
    task: &str,
    yours: Option<Letters>,
    answer: Letters,
) -> String {
    match yours {
        Some(l) => say!(lang,
            en: "❌ {number}. task {task} · you answered {l}, the answer is {answer}";
            ko: "❌ {number}번 · 작업 {task} · 내 답 {l}, 정답 {answer}"),
        None => say!(lang,
            en: "⏰ {number}. task {task} · not answered, the answer is {answer}";
            ko: "⏰ {number}번 · 작업 {task} · 답하지 못함, 정답 {answer}"),
    }
}

pub fn mock_misses_title(lang: Lang, first: usize, last: usize, misses: usize) -> String {
    say!(lang,
        en: "📝 Misses, with explanations (questions {first}–{last}; {misses} missed in all)";
        ko: "📝 틀린 문제와 해설 ({first}–{last}번; 모두 {misses}문제)")
}

/// An answer that arrived after the exam's time was up.
pub fn mock_answer_too_late(lang: Lang) -> String {
    say!(lang,
        en: "Time was up before this answer, so it was not counted. Your result is above.";
        ko: "이 답은 시간이 끝난 뒤에 도착해서 채점하지 않았어요. 결과는 위에 있어요.")
}

// ---- The study group's week: threads, meetup picks, weekly recaps ----

/// A reveal's discussion thread name (no answer in it): the date and the task statement.
pub fn thread_name(lang: Lang, date: &str, code: &str, title: &str) -> String {
    say!(lang, en: "💬 {date} · {code} {title}"; ko: "💬 {date} · {code} {title}")
}

/// The terminal's stand-in for a thread, printed indented under the reveal, with how to
/// pick the round for the meetup (the terminal has no buttons).
pub fn terminal_thread(lang: Lang, name: &str, round: &str) -> String {
    say!(lang,
        en: "🧵 Thread: {name}\nDiscussion of this question goes on here (the terminal shows a thread as this block).\n📌 /pin {round} picks it for the meetup.";
        ko: "🧵 스레드: {name}\n이 문제에 대한 토론은 여기에서 이어가요 (터미널은 스레드를 이 블록으로 보여 줘요).\n📌 /pin {round} 로 모임 토론 후보로 고를 수 있어요.")
}

pub fn threads_on(lang: Lang, platform: Platform) -> String {
    match platform {
        Platform::Slack => say!(lang,
            en: "Threads: on (each reveal goes in its question's thread, also sent to the channel).";
            ko: "스레드: 켜짐 (정답 공개는 문제의 스레드에 올라가고 채널에도 함께 보내져요)."),
        Platform::Discord | Platform::Other => say!(lang,
            en: "Threads: on (each reveal opens a discussion thread).";
            ko: "스레드: 켜짐 (정답 공개마다 토론 스레드가 열려요)."),
    }
}

pub fn threads_off_by_setting(lang: Lang) -> String {
    say!(lang,
        en: "Threads: off (set with threads:off; /quiz schedule … threads:on turns them back on).";
        ko: "스레드: 꺼짐 (threads:off 로 설정됨; /quiz schedule … threads:on 으로 다시 켤 수 있어요).")
}

/// Threads stopped because the platform refused one; `reason` is the platform's words.
pub fn threads_blocked(lang: Lang, platform: Platform, reason: &str) -> String {
    match platform {
        Platform::Discord => say!(lang,
            en: "Threads: off — the bot lacks Create Public Threads in this channel ({reason}). Reveals still go out. Grant the permission, then set the schedule again with /quiz schedule to turn threads back on.";
            ko: "스레드: 꺼짐 — 봇에게 이 채널의 공개 스레드 만들기(Create Public Threads) 권한이 없어요 ({reason}). 정답 공개는 계속 올라가요. 권한을 준 뒤 /quiz schedule 로 예약을 다시 설정하면 스레드가 다시 켜져요."),
        Platform::Slack | Platform::Other => say!(lang,
            en: "Threads: off — the platform refused a thread in this channel ({reason}). Reveals still go out. Set the schedule again with /quiz schedule to try threads again.";
            ko: "스레드: 꺼짐 — 이 채널에서 스레드를 만들 수 없었어요 ({reason}). 정답 공개는 계속 올라가요. /quiz schedule 로 예약을 다시 설정하면 스레드를 다시 시도해요."),
    }
}

/// The weekly settings in words, under the schedule's confirmation.
pub fn week_rule(
    lang: Lang,
    threads: crate::records::Threads,
    recap: &crate::schedule::RecapTime,
) -> String {
    let threads = match threads {
        crate::records::Threads::On => say!(lang, en: "on"; ko: "켜짐"),
        crate::records::Threads::Off => say!(lang, en: "off"; ko: "꺼짐"),
    };
    say!(lang,
        en: "Discussion threads: {threads}. Weekly recap: {}.", recap_rule(lang, recap);
        ko: "토론 스레드: {threads}. 주간 정리: {}.", recap_rule(lang, recap))
}

fn recap_rule(lang: Lang, recap: &crate::schedule::RecapTime) -> String {
    match recap {
        crate::schedule::RecapTime::AfterLastReveal => say!(lang,
            en: "an hour after the reveal of the week's last question";
            ko: "그 주 마지막 문제의 정답 공개 1시간 뒤"),
        crate::schedule::RecapTime::At { .. } => say!(lang,
            en: "{recap} (the first after the week's last question)";
            ko: "{recap} (그 주 마지막 문제 이후 첫 시각)"),
    }
}

/// `/quiz status`'s line on the weekly recap.
pub fn recap_status(lang: Lang, recap: &crate::schedule::RecapTime, next: Option<&str>) -> String {
    let rule = recap_rule(lang, recap);
    match next {
        Some(next) => say!(lang,
            en: "Weekly recap: {rule}; next at {next} (if a question was revealed that week).";
            ko: "주간 정리: {rule}; 다음은 {next} (그 주에 공개된 문제가 있으면)."),
        None => say!(lang, en: "Weekly recap: {rule}."; ko: "주간 정리: {rule}."),
    }
}

pub fn pin_button_label(lang: Lang) -> String {
    say!(lang, en: "📌 Discuss at the meetup"; ko: "📌 모임에서 이야기하기")
}

pub fn meetup_title(lang: Lang) -> String {
    say!(lang, en: "📌 Meetup picks"; ko: "📌 모임 토론 후보")
}

/// After a press of 📌: picked (a second press takes the pick back) or taken back.
pub fn meetup_picked(lang: Lang, picked: bool, count: u64) -> String {
    if picked {
        say!(lang,
            en: "You picked this question for the meetup ({count} picks so far). Press 📌 again to take your pick back.";
            ko: "이 문제를 모임 토론 후보로 골랐어요 (지금까지 {count}명). 📌 를 다시 누르면 취소돼요.")
    } else {
        say!(lang,
            en: "You took your meetup pick back ({count} picks left).";
            ko: "모임 토론 후보 선택을 취소했어요 (남은 선택 {count}명).")
    }
}

pub fn names_or_nobody(lang: Lang, names: &[String]) -> String {
    if names.is_empty() {
        nobody(lang)
    } else {
        names.join(", ")
    }
}

pub fn round_number(lang: Lang, id: &str) -> String {
    say!(lang, en: "round {id}"; ko: "{id}회차")
}

pub fn recap_title(lang: Lang, monday: &str) -> String {
    say!(lang, en: "🗓️ The week of {monday}: recap"; ko: "🗓️ {monday} 주간 정리")
}

pub fn recap_intro(lang: Lang, rounds: usize) -> String {
    say!(lang,
        en: "{rounds} daily question(s) were revealed this week. Here is how the week went.";
        ko: "이번 주에 오늘의 문제 {rounds}개의 정답이 공개됐어요. 한 주를 돌아볼게요.")
}

pub fn recap_winners_heading(lang: Lang) -> String {
    say!(lang, en: "🏆 The week's winners"; ko: "🏆 이번 주 우승")
}

pub fn recap_board_heading(lang: Lang) -> String {
    say!(lang, en: "Board"; ko: "순위")
}

pub fn recap_teams_heading(lang: Lang) -> String {
    say!(lang, en: "Teams"; ko: "팀 순위")
}

pub fn recap_no_answers(lang: Lang) -> String {
    say!(lang, en: "Nobody answered this week."; ko: "이번 주에는 답한 사람이 없어요.")
}

pub fn recap_every_day_heading(lang: Lang, rounds: usize) -> String {
    say!(lang,
        en: "🔥 Answered every day ({rounds} of {rounds})";
        ko: "🔥 매일 답한 사람 ({rounds}문제 모두)")
}

pub fn recap_hardest_heading(lang: Lang) -> String {
    say!(lang, en: "🧗 The hardest question"; ko: "🧗 가장 어려웠던 문제")
}

pub fn recap_hardest(lang: Lang, topic: &str, right: u64, answered: u64, at: &str) -> String {
    let share = (right * 100).checked_div(answered).unwrap_or(0);
    say!(lang,
        en: "{topic}: {right} of {answered} right ({share}%) — {at}";
        ko: "{topic}: {answered}명 중 {right}명 정답 ({share}%) — {at}")
}

pub fn recap_picks_heading(lang: Lang) -> String {
    say!(lang, en: "📌 Picked for the meetup"; ko: "📌 모임 토론 후보")
}

pub fn recap_pick_line(lang: Lang, picks: u64, topic: &str, at: &str) -> String {
    say!(lang, en: "📌 {picks} · {topic} — {at}"; ko: "📌 {picks}명 · {topic} — {at}")
}

pub fn recap_no_picks(lang: Lang) -> String {
    say!(lang,
        en: "No question was picked for the meetup this week (📌 on a reveal picks one).";
        ko: "이번 주에는 모임 토론 후보로 고른 문제가 없어요 (정답 공개의 📌 로 고를 수 있어요).")
}

pub fn recap_footer(lang: Lang, zone: &str) -> String {
    say!(lang,
        en: "Weeks run Monday to Sunday ({zone}). /leaderboard week last shows this board after the week.";
        ko: "한 주는 월요일부터 일요일까지예요 ({zone}). 다음 주에는 /leaderboard week last 로 이 순위를 볼 수 있어요.")
}

pub fn weekly_wins_heading(lang: Lang) -> String {
    say!(lang, en: "Weekly wins"; ko: "주간 우승")
}

/// How many weeks a member won, with the latest few (their Mondays).
pub fn weekly_wins(lang: Lang, weeks: usize, latest: &[String]) -> String {
    let latest = latest.join(", ");
    say!(lang,
        en: "{weeks} week(s), latest the weeks of {latest}";
        ko: "{weeks}주 (최근: {latest} 주)")
}

// ---- streak freezes ----

pub fn freeze_used_title(lang: Lang) -> String {
    say!(lang, en: "🧊 Streak freeze used"; ko: "🧊 스트릭 보호권 사용")
}

/// A freeze (or two) kept the member's streak through missed days.
pub fn freeze_used(lang: Lang, days: &[String], streak: usize, left: usize) -> String {
    let days = days.join(", ");
    say!(lang,
        en: "You missed the daily question on {days}, so a streak freeze was used: your streak of {streak} days goes on. Freezes left: {left}.";
        ko: "{days}에 오늘의 문제를 놓쳐서 스트릭 보호권을 썼어요. {streak}일 연속 기록은 그대로예요. 남은 보호권: {left}개.")
}

// ---- question reports ----

/// The 🚩 button under a reveal and feedback.
pub fn report_button_label(lang: Lang) -> String {
    say!(lang, en: "🚩 Report"; ko: "🚩 신고")
}

/// The report form's title (Discord allows 45 characters, Slack 24).
pub fn report_form_title(lang: Lang) -> String {
    say!(lang, en: "Report this question"; ko: "문제 신고")
}

pub fn report_reason_label(lang: Lang) -> String {
    say!(lang, en: "What is wrong?"; ko: "무엇이 잘못됐나요?")
}

/// Where the reason is typed (Discord's form has a text box for it): the choices.
pub fn report_reason_placeholder(lang: Lang) -> String {
    say!(lang,
        en: "1 wrong-key, 2 several-right, 3 outdated, 4 unclear, 5 typo";
        ko: "1 정답 오류, 2 복수 정답, 3 오래된 내용, 4 불명확, 5 오타")
}

pub fn report_comment_label(lang: Lang) -> String {
    say!(lang, en: "Comment (optional)"; ko: "의견 (선택)")
}

pub fn report_comment_placeholder(lang: Lang) -> String {
    say!(lang,
        en: "What should it say? A link to the AWS docs helps.";
        ko: "어떻게 고쳐야 할까요? AWS 문서 링크가 있으면 좋아요.")
}

pub fn report_submit_label(lang: Lang) -> String {
    say!(lang, en: "Send report"; ko: "신고하기")
}

pub fn report_cancel_label(lang: Lang) -> String {
    say!(lang, en: "Cancel"; ko: "취소")
}

/// A reason in words.
pub fn reason_label(lang: Lang, reason: super::ReportReason) -> String {
    use super::ReportReason as R;
    match reason {
        R::WrongKey => say!(lang, en: "The answer key is wrong"; ko: "정답이 틀렸어요"),
        R::SeveralRight => {
            say!(lang, en: "More than one answer is right"; ko: "정답이 여러 개예요")
        }
        R::Outdated => say!(lang, en: "Outdated"; ko: "오래된 내용이에요"),
        R::Unclear => say!(lang, en: "Unclear"; ko: "문제가 불명확해요"),
        R::Typo => {
            say!(lang, en: "Typo (Korean or English)"; ko: "오타가 있어요 (한국어 또는 영어)")
        }
    }
}

/// The terminal's stand-in for the 🚩 button.
pub fn report_hint(lang: Lang, id: &str) -> String {
    say!(lang,
        en: "🚩 Something wrong? /report {id} reason [comment] (reasons: {})", super::ReportReason::keys();
        ko: "🚩 잘못된 문제인가요? /report {id} 사유 [의견] (사유: {})", super::ReportReason::keys())
}

pub fn report_title(lang: Lang) -> String {
    say!(lang, en: "🚩 Report"; ko: "🚩 문제 신고")
}

pub fn report_saved(lang: Lang, id: &str, reason: super::ReportReason, replaced: bool) -> String {
    let why = reason_label(lang, reason);
    if replaced {
        say!(lang,
            en: "Your report on {id} now says: {why}. (One report per question: this one replaces your earlier one.)";
            ko: "{id} 신고 내용을 '{why}'(으)로 바꿨어요. (문제 하나에 신고는 하나라서 이전 신고를 대신해요.)")
    } else {
        say!(lang,
            en: "Thank you: your report on {id} ({why}) is with the bank's maintainers. The question stays in play until they fix it.";
            ko: "고마워요. {id} 신고('{why}')가 문제 관리자에게 전달됐어요. 수정될 때까지 문제는 그대로 출제돼요.")
    }
}

pub fn reports_title(lang: Lang, questions: usize) -> String {
    say!(lang,
        en: "🚩 Reported questions ({questions})";
        ko: "🚩 신고된 문제 ({questions}개)")
}

pub fn no_reports(lang: Lang) -> String {
    say!(lang,
        en: "No open reports in this server.";
        ko: "이 서버에는 처리되지 않은 신고가 없어요.")
}

/// One reported question: id, how many reported it, and why.
pub fn report_line(lang: Lang, tally: &super::report::Tally) -> String {
    let reasons: Vec<String> = tally
        .reasons
        .iter()
        .map(|(key, n)| {
            let label = super::ReportReason::parse(key)
                .map_or_else(|| key.clone(), |r| reason_label(lang, r));
            format!("{label} ×{n}")
        })
        .collect();
    let id = &tally.question_id;
    let n = tally.reports;
    let mut line = say!(lang,
        en: "{id}: {n} report(s): {}", reasons.join(", ");
        ko: "{id}: 신고 {n}건: {}", reasons.join(", "));
    for comment in tally.comments.iter().take(3) {
        line.push_str(&format!("\n  “{}”", super::card::fit(comment, 200)));
    }
    line
}

pub fn reports_footer(lang: Lang) -> String {
    say!(lang,
        en: "Reported questions stay in play. The bank's maintainers see every report with `quizbot bank reports`, fix the question and close its reports.";
        ko: "신고된 문제도 계속 출제돼요. 문제 관리자가 `quizbot bank reports`로 신고를 보고 문제를 고친 뒤 신고를 닫아요.")
}
