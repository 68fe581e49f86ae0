//! Mock exams as stored: the running exam of a member, its answers as they are given, and
//! its end, when the answers are scored and the member's memories updated in one transaction.

use jiff::Timestamp;

use super::{NewAnswer, Remembered, Result, Store, sql};
use crate::bank::{Letters, QuestionId};

/// A mock exam about to start.
#[derive(Debug, Clone)]
pub struct NewMock {
    pub member: String,
    pub member_name: String,
    pub server: String,
    pub started_at: Timestamp,
    pub deadline: Timestamp,
    /// Question ids in the order they are asked.
    pub questions: Vec<String>,
}

/// A running mock exam with the answers given so far.
#[derive(Debug, Clone, PartialEq)]
pub struct MockExam {
    pub id: i64,
    pub started_at: Timestamp,
    pub deadline: Timestamp,
    pub questions: Vec<String>,
    pub answers: Vec<MockAnswer>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockAnswer {
    pub question_id: String,
    pub letters: Letters,
    pub correct: bool,
    pub at: Timestamp,
}

/// How a mock exam ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MockEnding {
    /// Every question answered.
    Done,
    /// The deadline passed; what was not answered counts wrong.
    TimeUp,
    /// The member gave up with `/mock stop`.
    Stopped,
}

impl MockEnding {
    pub fn key(self) -> &'static str {
        match self {
            MockEnding::Done => "done",
            MockEnding::TimeUp => "time-up",
            MockEnding::Stopped => "stopped",
        }
    }
}

/// Everything an ended exam writes: its answers for stats and the memories after them.
#[derive(Debug, Clone)]
pub struct MockResults {
    pub answers: Vec<NewAnswer>,
    pub memories: Vec<(String, Remembered)>,
}

impl Store {
    /// Starts a mock exam and marks its first question served; `None` if one is running.
    pub fn start_mock(&self, new: NewMock) -> Result<Option<i64>> {
        self.write(move |c| {
            sql::upsert_member(c, &new.member, &new.member_name)?;
            let Some(id) = sql::insert_mock(c, &new)? else {
                return Ok(None);
            };
            if let Some(first) = new
                .questions
                .first()
                .and_then(|q| QuestionId::parse(q).ok())
            {
                sql::mark_served(c, &new.member, &first, new.started_at)?;
            }
            Ok(Some(id))
        })
    }

    /// The member's running mock exam here, with its answers so far.
    pub fn mock(&self, member: &str, server: &str) -> Result<Option<MockExam>> {
        self.read(|c| {
            let Some(mut mock) = sql::running_mock(c, member, server)? else {
                return Ok(None);
            };
            mock.answers = sql::mock_answers(c, mock.id)?;
            Ok(Some(mock))
        })
    }

    /// Records an answer of a running exam and marks the next question served; false if
    /// the exam has ended or the question was answered already.
    pub fn record_mock_answer(
        &self,
        mock: i64,
        member: &str,
        answer: MockAnswer,
        next: Option<QuestionId>,
    ) -> Result<bool> {
        let member = member.to_owned();
        // The member's key names the platform as the server's does.
        let platform = member.clone();
        let recorded = self.write(move |c| {
            if sql::insert_mock_answer(c, mock, &answer)? == 0 {
                return Ok(false);
            }
            if let Some(next) = &next {
                sql::mark_served(c, &member, next, answer.at)?;
            }
            Ok(true)
        });
        if matches!(recorded, Ok(true)) {
            crate::metrics::answer_recorded(&platform, "mock");
        }
        recorded
    }

    /// Ends a running exam: its answers scored into `answers` and the memories stored, in
    /// one transaction. False (and nothing written) if it had ended already.
    pub fn end_mock(
        &self,
        mock: i64,
        (member, server): (&str, &str),
        ending: MockEnding,
        results: MockResults,
        now: Timestamp,
    ) -> Result<bool> {
        let (member, server) = (member.to_owned(), server.to_owned());
        self.write(move |c| {
            if sql::end_mock(c, mock, ending.key(), now)? == 0 {
                return Ok(false);
            }
            for answer in &results.answers {
                sql::insert_mock_result(c, answer, now)?;
            }
            for (id, after) in &results.memories {
                sql::put_memory(c, &member, &server, id, after)?;
            }
            Ok(true)
        })
    }
}
