//! Mock exams: `/mock [count]` draws 10, 20 or 65 questions by the exam's domain weights,
//! spread over the task statements, and serves them privately one after another, two minutes
//! a question on the clock, with no feedback until the end. The exam ends at the last answer,
//! at `/mock stop`, or at the first request of the member after the deadline (time is passed
//! in, so nothing needs to watch the clock); then the report card shows the score overall,
//! per domain and per task statement, and every miss with its explanation. Answers update the
//! member's memory like any other (misses go into review) when the exam ends, each at the
//! moment it was given. The running exam lives in the store, so it survives a restart.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use jiff::{SignedDuration, Timestamp};

use super::card::{self, Card, CardKind, Reply};
use super::command::{AnswerTarget, MockCommand};
use super::{
    Choice, Engine, Outcome, Request, UserError, check_letters, new_answer, review, shuffle_key,
    wording,
};
use crate::bank::{Bank, Domain, Lang, Letters, Question, QuestionId, TaskStatement, guide};
use crate::store::{MockAnswer, MockEnding, MockExam, MockResults, NewMock};

/// Time on the clock per question, as on the real exam (130 minutes for 65).
pub const MINUTES_PER_QUESTION: i64 = 2;
/// Room for the misses on one card: each card is one message on every platform.
const MISSES_PER_CARD: usize = 8;
const MISS_CHARS_PER_CARD: usize = 5_000;
/// How much of a missed question's prompt the report repeats.
const PROMPT_EXCERPT: usize = 160;

/// How many questions each domain gets: `count` × the exam's weights (30/26/24/20), rounded
/// by largest remainder so they add up to `count` (ties go to the heavier domain).
pub fn quotas(count: usize) -> Vec<(Domain, usize)> {
    let total = u64::from(
        Domain::ALL
            .iter()
            .map(|d| guide::exam_weight(*d))
            .sum::<u32>(),
    );
    let exact: Vec<(Domain, usize, u64)> = Domain::ALL
        .iter()
        .map(|d| {
            let scaled = count as u64 * u64::from(guide::exam_weight(*d));
            (*d, (scaled / total) as usize, scaled % total)
        })
        .collect();
    let short = count - exact.iter().map(|e| e.1).sum::<usize>();
    let mut by_remainder: Vec<usize> = (0..exact.len()).collect();
    by_remainder.sort_by_key(|&i| (std::cmp::Reverse(exact[i].2), i));
    let mut quotas: Vec<(Domain, usize)> = exact.iter().map(|e| (e.0, e.1)).collect();
    for &i in by_remainder.iter().take(short) {
        quotas[i].1 += 1;
    }
    quotas
}

/// The questions of a mock exam of `count`, in the order asked. Each domain takes its quota
/// round-robin over its task statements (in the member's own order), each task giving the
/// questions the member has not seen first, then those seen longest ago, in the member's own
/// shuffle (`seed`). A domain short of questions leaves its share to the others; a bank
/// smaller than `count` gives all it has. The exam mixes the domains, as the real one does.
pub fn draw<'a>(
    bank: &'a Bank,
    count: usize,
    seed: &str,
    served: &HashMap<String, Timestamp>,
) -> Vec<&'a Question> {
    let order = |q: &&Question| {
        (
            served.get(q.id.as_str()).copied(),
            shuffle_key(seed, q.id.as_str()),
        )
    };
    let mut picked: Vec<&Question> = Vec::with_capacity(count);
    let mut left: Vec<&Question> = Vec::new();
    for (domain, quota) in quotas(count) {
        let mut tasks: BTreeMap<TaskStatement, Vec<&Question>> = BTreeMap::new();
        for q in bank.questions().iter().filter(|q| q.domain == domain) {
            tasks.entry(q.task).or_default().push(q);
        }
        let mut queues: Vec<(u64, VecDeque<&Question>)> = tasks
            .into_iter()
            .map(|(task, mut questions)| {
                questions.sort_by_cached_key(order);
                (shuffle_key(seed, task.code()), questions.into())
            })
            .collect();
        queues.sort_by_key(|(key, _)| *key);
        let mut taken = 0;
        while taken < quota && queues.iter().any(|(_, queue)| !queue.is_empty()) {
            for (_, queue) in &mut queues {
                if taken == quota {
                    break;
                }
                if let Some(q) = queue.pop_front() {
                    picked.push(q);
                    taken += 1;
                }
            }
        }
        left.extend(queues.into_iter().flat_map(|(_, queue)| queue));
    }
    if picked.len() < count {
        left.sort_by_cached_key(order);
        picked.extend(left.into_iter().take(count - picked.len()));
    }
    picked.sort_by_cached_key(|q| shuffle_key(seed, q.id.as_str()));
    picked
}

/// A running exam, as the rest of the engine needs it.
pub(super) struct Running {
    pub mock: MockExam,
}

impl Running {
    /// When the member received the question now waiting: the start, or the last answer.
    pub fn served_at(&self) -> Timestamp {
        let last = self.mock.answers.iter().map(|a| a.at).max();
        last.unwrap_or(self.mock.started_at)
    }

    pub fn has(&self, id: &QuestionId) -> bool {
        self.mock.questions.iter().any(|q| q == id.as_str())
    }

    pub fn busy(&self, now: Timestamp) -> UserError {
        UserError::MockRunning {
            answered: self.mock.answers.len(),
            total: self.mock.questions.len(),
            minutes_left: minutes_left(&self.mock, now),
        }
    }
}

/// A mock exam that ended on this request, with its report.
pub(super) struct Ended {
    pub questions: Vec<String>,
    pub report: Vec<Reply>,
}

/// One question of an ended exam, graded.
struct Graded<'a> {
    question: &'a Question,
    /// What the member answered; `None`: not answered, counted wrong.
    letters: Option<Letters>,
    correct: bool,
}

fn minutes_left(mock: &MockExam, now: Timestamp) -> i64 {
    let seconds = (mock.deadline.as_second() - now.as_second()).max(0);
    (seconds + 59) / 60
}

impl Engine {
    /// The member's running mock exam here; one whose time is up is ended first, and its
    /// report returned.
    pub(super) fn running_mock(
        &self,
        req: &Request,
        lang: Lang,
        now: Timestamp,
    ) -> Outcome<(Option<Running>, Option<Ended>)> {
        match self.store.mock(&req.member.key, &req.place.server)? {
            Some(mock) if now >= mock.deadline => {
                let questions = mock.questions.clone();
                let report = self.end_mock(req, lang, now, mock, MockEnding::TimeUp)?;
                Ok((None, Some(Ended { questions, report })))
            }
            mock => Ok((mock.map(|mock| Running { mock }), None)),
        }
    }

    pub(super) fn mock(
        &self,
        req: &Request,
        lang: Lang,
        now: Timestamp,
        command: MockCommand,
        running: Option<&Running>,
    ) -> Outcome {
        match (command, running) {
            (MockCommand::Stop, None) => Err(UserError::NoMock.into()),
            (MockCommand::Stop, Some(r)) => {
                self.end_mock(req, lang, now, r.mock.clone(), MockEnding::Stopped)
            }
            (MockCommand::Start(_), Some(r)) => {
                let busy = wording::user_error(lang, &r.busy(now));
                let mut replies = vec![Reply::private(Card::info(
                    wording::mock_heading(lang),
                    busy,
                ))];
                replies.extend(self.mock_question(req, lang, now, &r.mock, None));
                Ok(replies)
            }
            (MockCommand::Start(count), None) => self.start_mock(req, lang, now, count),
        }
    }

    fn start_mock(&self, req: &Request, lang: Lang, now: Timestamp, count: usize) -> Outcome {
        let (member, server) = (&req.member.key, &req.place.server);
        let served: HashMap<String, Timestamp> = self.store.served(member)?.into_iter().collect();
        let seed = format!("{member}:{}", now.as_second());
        let questions: Vec<String> = draw(&self.bank, count, &seed, &served)
            .iter()
            .map(|q| q.id.to_string())
            .collect();
        if questions.is_empty() {
            return Err(UserError::NoQuestions.into());
        }
        let minutes = MINUTES_PER_QUESTION * questions.len() as i64;
        let deadline = now + SignedDuration::from_mins(minutes);
        let new = NewMock {
            member: member.clone(),
            member_name: req.member.name.clone(),
            server: server.clone(),
            started_at: now,
            deadline,
            questions: questions.clone(),
        };
        let Some(id) = self.store.start_mock(new)? else {
            // Another request of the member started one a moment ago: show that one.
            let running = self
                .store
                .mock(member, server)?
                .map(|mock| Running { mock });
            return self.mock(req, lang, now, MockCommand::Start(count), running.as_ref());
        };
        let mock = MockExam {
            id,
            started_at: now,
            deadline,
            questions,
            answers: Vec::new(),
        };
        let n = mock.questions.len();
        let intro = Card::info(
            wording::mock_heading(lang),
            wording::mock_started(lang, n, count, minutes),
        );
        let mut replies = vec![Reply::private(intro)];
        replies.extend(self.mock_question(req, lang, now, &mock, None));
        Ok(replies)
    }

    /// The exam's questions still in the bank, in order (one removed since is left out).
    fn exam_questions(&self, mock: &MockExam) -> Vec<&Question> {
        mock.questions
            .iter()
            .filter_map(|id| QuestionId::parse(id).ok())
            .filter_map(|id| self.bank.get(&id))
            .collect()
    }

    /// How many questions the exam has, and those not answered yet with their numbers in it
    /// (from 1), in order: the first is the one waiting.
    fn unanswered<'a>(&'a self, mock: &MockExam) -> (usize, Vec<(usize, &'a Question)>) {
        let questions = self.exam_questions(mock);
        let answered: HashSet<&str> = mock
            .answers
            .iter()
            .map(|a| a.question_id.as_str())
            .collect();
        let left = questions
            .iter()
            .enumerate()
            .filter(|(_, q)| !answered.contains(q.id.as_str()))
            .map(|(i, q)| (i + 1, *q))
            .collect();
        (questions.len(), left)
    }

    /// The question waiting for the member's answer, as a card ("question 4 of 10").
    fn mock_question(
        &self,
        req: &Request,
        lang: Lang,
        now: Timestamp,
        mock: &MockExam,
        recorded: Option<Letters>,
    ) -> Option<Reply> {
        let (total, left) = self.unanswered(mock);
        let &(position, question) = left.first()?;
        let title =
            wording::mock_question_title(lang, position, total, minutes_left(mock, now), recorded);
        let footer = wording::question_footer(lang, req.place.platform(), question, None);
        let target = AnswerTarget::Private(question.id.clone());
        Some(Reply::private(card::question(
            question, lang, target, title, footer,
        )))
    }

    /// Records the answer to the exam's waiting question and serves the next one at once,
    /// or ends the exam after the last. `expected` is the question a button was for.
    pub(super) fn answer_mock(
        &self,
        req: &Request,
        lang: Lang,
        now: Timestamp,
        choice: Choice,
        running: &Running,
        expected: Option<&QuestionId>,
    ) -> Outcome {
        let mock = &running.mock;
        let (_, left) = self.unanswered(mock);
        let Some(&(_, question)) = left.first() else {
            return self.end_mock(req, lang, now, mock.clone(), MockEnding::Done);
        };
        if expected.is_some_and(|id| *id != question.id) {
            return Err(UserError::MockMovedOn.into());
        }
        check_letters(question, choice.letters)?;
        let answer = MockAnswer {
            question_id: question.id.to_string(),
            letters: choice.letters,
            correct: choice.letters == question.answer,
            at: now,
        };
        let next = left.get(1).map(|(_, q)| q.id.clone());
        let last = next.is_none();
        if !self
            .store
            .record_mock_answer(mock.id, &req.member.key, answer.clone(), next)?
        {
            // The same answer twice at once (a double click): the first one counts.
            return Err(UserError::MockMovedOn.into());
        }
        let mut mock = mock.clone();
        mock.answers.push(answer);
        if last {
            return self.end_mock(req, lang, now, mock, MockEnding::Done);
        }
        Ok(self
            .mock_question(req, lang, now, &mock, Some(choice.letters))
            .into_iter()
            .collect())
    }

    /// Ends the exam: grades it (unanswered questions count wrong, unless the member
    /// stopped), stores the answers and the memories after them, and returns the report.
    fn end_mock(
        &self,
        req: &Request,
        lang: Lang,
        now: Timestamp,
        mock: MockExam,
        ending: MockEnding,
    ) -> Outcome {
        let (member, server) = (&req.member.key, &req.place.server);
        let given: HashMap<&str, &MockAnswer> = mock
            .answers
            .iter()
            .map(|a| (a.question_id.as_str(), a))
            .collect();
        let mut results = MockResults {
            answers: Vec::new(),
            memories: Vec::new(),
        };
        let mut graded = Vec::new();
        for question in self.exam_questions(&mock) {
            let answer = given.get(question.id.as_str()).copied();
            if answer.is_none() && ending == MockEnding::Stopped {
                continue;
            }
            let correct = answer.is_some_and(|a| a.correct);
            // An unanswered question was missed when the time ran out.
            let at = answer.map_or(mock.deadline.min(now), |a| a.at);
            let before = self.store.memory(member, server, &question.id)?;
            let after = review::remembered(&self.scheduler, before, correct, false, at);
            results.memories.push((question.id.to_string(), after));
            if let Some(a) = answer {
                results
                    .answers
                    .push(new_answer(req, server, question, a.letters, a.at, false));
            }
            graded.push(Graded {
                question,
                letters: answer.map(|a| a.letters),
                correct,
            });
        }
        self.store
            .end_mock(mock.id, (member, server), ending, results, now)?;
        Ok(report(lang, ending, &mock, &graded, now))
    }
}

/// The report card, and the misses with their explanations on cards of their own.
fn report(
    lang: Lang,
    ending: MockEnding,
    mock: &MockExam,
    graded: &[Graded<'_>],
    now: Timestamp,
) -> Vec<Reply> {
    let total = graded.len();
    let right = graded.iter().filter(|g| g.correct).count();
    let unanswered = graded.iter().filter(|g| g.letters.is_none()).count();
    let minutes = (now.min(mock.deadline).as_second() - mock.started_at.as_second() + 59) / 60;
    let mut domains: BTreeMap<Domain, (usize, usize)> = BTreeMap::new();
    let mut tasks: BTreeMap<TaskStatement, (usize, usize)> = BTreeMap::new();
    for g in graded {
        for tally in [
            domains.entry(g.question.domain).or_default(),
            tasks.entry(g.question.task).or_default(),
        ] {
            tally.0 += usize::from(g.correct);
            tally.1 += 1;
        }
    }
    let lines = |rows: Vec<(String, (usize, usize))>| {
        rows.into_iter()
            .map(|(label, (r, n))| wording::mock_line(lang, &label, r, n))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let misses: Vec<(usize, &Graded<'_>)> = graded
        .iter()
        .enumerate()
        .filter(|(_, g)| !g.correct)
        .map(|(i, g)| (i + 1, g))
        .collect();
    let mut summary = Card::new(
        CardKind::Stats,
        wording::mock_report_title(lang, right, total),
        wording::mock_ending(lang, ending, total, unanswered, minutes, misses.len()),
    );
    if total > 0 {
        let domain_rows = domains
            .into_iter()
            .map(|(d, t)| (d.key().to_owned(), t))
            .collect();
        let task_rows = tasks
            .into_iter()
            .map(|(t, tally)| (format!("{} {}", t.code(), t.title(lang)), tally))
            .collect();
        summary = summary
            .field(wording::mock_domains_heading(lang), lines(domain_rows))
            .field(wording::mock_tasks_heading(lang), lines(task_rows));
    }
    let mut replies = vec![Reply::private(summary)];
    let mut fields: Vec<(usize, String, String)> = Vec::new();
    for (n, g) in &misses {
        let q = g.question;
        let name = wording::mock_miss_heading(lang, *n, q.task.code(), g.letters, q.answer);
        let w = q.wording(lang);
        let value = format!(
            "{}\n{}",
            card::fit(&w.prompt, PROMPT_EXCERPT),
            w.explanation
        );
        fields.push((*n, name, value));
    }
    let mut pages: Vec<Vec<(usize, String, String)>> = Vec::new();
    let mut chars = 0;
    for field in fields {
        let size = field.1.chars().count() + field.2.chars().count();
        let full = pages
            .last()
            .is_none_or(|p| p.len() >= MISSES_PER_CARD || chars + size > MISS_CHARS_PER_CARD);
        if full {
            pages.push(Vec::new());
            chars = 0;
        }
        chars += size;
        pages.last_mut().expect("a page").push(field);
    }
    for page in pages {
        let (first, last) = (page[0].0, page[page.len() - 1].0);
        let mut card = Card::new(
            CardKind::Stats,
            wording::mock_misses_title(lang, first, last, misses.len()),
            String::new(),
        );
        for (_, name, value) in page {
            card = card.field(name, value);
        }
        replies.push(Reply::private(card));
    }
    replies
}
