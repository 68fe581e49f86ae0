//! Mock exams: drawn by the exam's domain weights, answered one question after another with
//! no feedback, ended by the last answer, by `/mock stop`, or by the clock (the unanswered
//! counted wrong), and kept across restarts.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::{SignedDuration, Timestamp};
use quizbot::bank::{Bank, Domain, Letters, TaskStatement};
use quizbot::quiz::mock::{draw, quotas};
use quizbot::quiz::{Audience, Card, CardKind, Reply};

use crate::support::{SERVER, TestApp, at, question_id, right_and_wrong_in, shipped_bank};

const START: &str = "2026-11-24T10:00:00Z";

fn after(minutes: i64) -> Timestamp {
    at(START) + SignedDuration::from_mins(minutes)
}

fn text(replies: &[Reply]) -> String {
    replies
        .iter()
        .map(|r| r.card.plain_text())
        .collect::<Vec<_>>()
        .join("\n---\n")
}

/// The mock question among the replies (there is exactly one).
fn question(replies: &[Reply]) -> &Card {
    let questions: Vec<&Card> = replies
        .iter()
        .map(|r| &r.card)
        .filter(|c| matches!(c.kind, CardKind::Question { .. }))
        .collect();
    assert_eq!(questions.len(), 1, "{}", text(replies));
    questions[0]
}

struct Exam {
    app: TestApp,
    bank: Bank,
}

impl Exam {
    fn new() -> Self {
        Self {
            app: TestApp::spawn_with(shipped_bank()),
            bank: shipped_bank(),
        }
    }

    /// A new process on the same database.
    fn restart(self) -> Self {
        Self {
            app: self.app.restart(),
            bank: self.bank,
        }
    }

    /// Answers the waiting question right or wrong; returns the replies.
    fn answer(&self, replies: &[Reply], right: bool, now: Timestamp) -> Vec<Reply> {
        let id = question_id(question(replies));
        let (yes, no) = right_and_wrong_in(&self.bank, &id);
        let pick = if right { yes } else { no };
        self.app.ask("ana", &format!("/answer {pick}"), now)
    }
}

#[test]
fn mock_sizes_split_by_the_exam_s_domain_weights_by_largest_remainder() {
    let counts = |n| quotas(n).into_iter().map(|(_, c)| c).collect::<Vec<_>>();
    assert_eq!(counts(10), [3, 3, 2, 2]);
    assert_eq!(counts(20), [6, 5, 5, 4]);
    assert_eq!(counts(65), [19, 17, 16, 13]);
    assert_eq!(quotas(65)[0].0, Domain::Secure);
}

#[test]
fn a_65_question_mock_follows_the_weights_spreads_over_every_task_and_repeats_nothing() {
    let bank = shipped_bank();
    let exam = draw(&bank, 65, "test:ana:1", &HashMap::new());
    assert_eq!(exam.len(), 65);
    let ids: HashSet<&str> = exam.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids.len(), 65, "no question twice");
    let mut domains: BTreeMap<Domain, usize> = BTreeMap::new();
    let mut tasks: BTreeMap<TaskStatement, usize> = BTreeMap::new();
    for q in &exam {
        *domains.entry(q.domain).or_default() += 1;
        *tasks.entry(q.task).or_default() += 1;
    }
    assert_eq!(
        domains.values().copied().collect::<Vec<_>>(),
        [19, 17, 16, 13]
    );
    // Every one of the 14 task statements is asked, and within a domain they differ by one at most.
    assert_eq!(tasks.len(), 14, "{tasks:?}");
    for domain in Domain::ALL {
        let per: Vec<usize> = tasks
            .iter()
            .filter(|(t, _)| t.domain() == domain)
            .map(|(_, n)| *n)
            .collect();
        let (min, max) = (per.iter().min().unwrap(), per.iter().max().unwrap());
        assert!(max - min <= 1, "{domain:?}: {per:?}");
    }
    // The domains are mixed, as on the exam, not asked in blocks.
    let first_ten: HashSet<Domain> = exam.iter().take(10).map(|q| q.domain).collect();
    assert!(first_ten.len() >= 3, "{first_ten:?}");
}

#[test]
fn a_mock_serves_questions_the_member_has_not_seen_first_and_each_member_gets_their_own() {
    let bank = shipped_bank();
    let first = draw(&bank, 20, "test:ana:1", &HashMap::new());
    let seen: HashMap<String, Timestamp> = first
        .iter()
        .map(|q| (q.id.to_string(), at(START)))
        .collect();
    let second = draw(&bank, 20, "test:ana:2", &seen);
    assert!(
        second.iter().all(|q| !seen.contains_key(q.id.as_str())),
        "the second mock has only new questions"
    );
    let bob = draw(&bank, 20, "test:bob:1", &HashMap::new());
    let ana_ids: HashSet<&str> = first.iter().map(|q| q.id.as_str()).collect();
    let bob_ids: HashSet<&str> = bob.iter().map(|q| q.id.as_str()).collect();
    assert_ne!(ana_ids, bob_ids);
}

#[test]
fn mock_answers_get_no_feedback_and_the_last_one_brings_the_report_with_every_miss_into_review() {
    let exam = Exam::new();
    let start = exam.app.ask("ana", "/mock", at(START));
    assert!(start.iter().all(|r| r.audience == Audience::Private));
    assert!(
        text(&start).contains("10 questions, 20 minutes"),
        "{}",
        text(&start)
    );
    let mut replies = start;
    let mut missed = String::new();
    for i in 0..10 {
        let card = question(&replies);
        assert!(
            card.title.contains(&format!("question {} of 10", i + 1)),
            "{}",
            card.title
        );
        let right = i != 3;
        if !right {
            missed = question_id(card);
        }
        replies = exam.answer(&replies, right, after(i + 1));
        if i < 9 {
            // The next question at once, and nothing says whether the answer was right.
            let shown = text(&replies);
            assert_eq!(replies.len(), 1, "{shown}");
            assert!(shown.contains("recorded"), "{shown}");
            assert!(
                !shown.contains("Correct") && !shown.contains("✅"),
                "{shown}"
            );
        }
    }
    let report = text(&replies);
    assert!(report.contains("9 of 10 right (90 %)"), "{report}");
    assert!(
        report.contains("You answered all 10 questions in 10 min"),
        "{report}"
    );
    assert!(report.contains("Per domain"), "{report}");
    assert!(report.contains("secure: 3 of 3 (100 %)") || report.contains("secure: 2 of 3"));
    assert!(report.contains("Per task statement"), "{report}");
    let q = exam
        .bank
        .questions()
        .iter()
        .find(|q| q.id.as_str() == missed)
        .unwrap();
    let explanation_start: String = q
        .wording(quizbot::bank::Lang::En)
        .explanation
        .chars()
        .take(40)
        .collect();
    assert!(
        report.contains(&explanation_start),
        "the miss is explained: {report}"
    );
    assert!(
        report.contains("4. task"),
        "the miss is numbered as in the exam: {report}"
    );
    // The miss is in review at once; the ten answers count in /stats.
    let review = exam.app.ask_one("ana", "/review", after(11));
    assert_eq!(question_id(&review.card), missed);
    let stats = exam
        .app
        .ask_one("ana", "/stats", after(11))
        .card
        .plain_text();
    assert!(stats.contains("10"), "{stats}");
}

#[test]
fn a_mock_exam_that_times_out_survives_a_restart_and_reports_per_domain() {
    let exam = Exam::new();
    let mut replies = exam.app.ask("ana", "/mock 10", at(START));
    for i in 0..3 {
        replies = exam.answer(&replies, i != 0, after(i + 1));
    }
    let waiting = question_id(question(&replies));

    // A restart: the exam goes on where it was, with its clock.
    let exam = exam.restart();
    let again = exam.app.ask("ana", "/mock", after(5));
    let shown = text(&again);
    assert!(shown.contains("3 of 10 answered, 15 min left"), "{shown}");
    let card = question(&again);
    assert_eq!(question_id(card), waiting);
    assert!(card.title.contains("question 4 of 10"), "{}", card.title);
    replies = exam.answer(&again, true, after(6));
    assert!(question(&replies).title.contains("question 5 of 10"));

    // Another restart, then the first request after the 20 minutes ends the exam.
    let exam = exam.restart();
    let late = exam.app.ask("ana", "/readiness", after(25));
    let report = text(&late);
    assert!(report.contains("3 of 10 right (30 %)"), "{report}");
    assert!(
        report.contains("Time is up: the 6 questions left unanswered count as wrong"),
        "{report}"
    );
    for domain in [
        "secure: ",
        "resilient: ",
        "high-performing: ",
        "cost-optimized: ",
    ] {
        assert!(report.contains(domain), "{domain} in {report}");
    }
    assert!(report.contains("not answered"), "{report}");
    // The report comes first, then the readiness the member asked for.
    assert_eq!(late[0].card.kind, CardKind::Stats);
    assert!(
        late.last().unwrap().card.title.contains("readiness"),
        "{report}"
    );
    // Seven misses (one wrong, six unanswered) are due in review; the exam is over.
    let due = exam
        .app
        .engine
        .store()
        .reviews_due("test:ana", SERVER, after(26))
        .unwrap();
    assert_eq!(due, 7);
    let stop = exam.app.ask_one("ana", "/mock stop", after(26));
    assert_eq!(stop.card.kind, CardKind::Error);
    assert!(stop.card.plain_text().contains("no mock exam running"));
}

#[test]
fn an_answer_after_the_time_is_up_is_not_counted_and_gets_the_report() {
    let exam = Exam::new();
    let replies = exam.app.ask("ana", "/mock", at(START));
    let late = exam.answer(&replies, true, after(21));
    let shown = text(&late);
    assert!(shown.contains("0 of 10 right (0 %)"), "{shown}");
    assert!(shown.contains("it was not counted"), "{shown}");
}

#[test]
fn one_mock_at_a_time_practice_waits_and_stop_scores_only_what_was_answered() {
    let exam = Exam::new();
    let replies = exam.app.ask("ana", "/mock 20", at(START));
    assert!(text(&replies).contains("20 questions, 40 minutes"));
    let replies = exam.answer(&replies, false, after(1));
    let practice = exam.app.ask_one("ana", "/practice", after(2));
    assert_eq!(practice.card.kind, CardKind::Error);
    assert!(
        practice
            .card
            .plain_text()
            .contains("1 of 20 answered, 38 min left"),
        "{}",
        practice.card.plain_text()
    );
    // A second /mock shows the running one's waiting question, not a new exam.
    let again = exam.app.ask("ana", "/mock 65", after(2));
    assert_eq!(
        question_id(question(&again)),
        question_id(question(&replies))
    );
    // Another member has an exam of their own.
    let bob = exam.app.ask("bob", "/mock", after(2));
    assert!(text(&bob).contains("10 questions"));

    let stopped = text(&exam.app.ask("ana", "/mock stop", after(3)));
    assert!(stopped.contains("0 of 1 right (0 %)"), "{stopped}");
    assert!(
        stopped.contains("only the 1 questions you answered count"),
        "{stopped}"
    );
    assert_eq!(
        exam.app
            .engine
            .store()
            .reviews_due("test:ana", SERVER, after(4))
            .unwrap(),
        1
    );
    let practice = exam.app.ask_one("ana", "/practice", after(4));
    assert!(matches!(practice.card.kind, CardKind::Question { .. }));
}

#[test]
fn a_mock_question_takes_choose_n_answers_as_the_exam_does_and_a_wrong_count_costs_nothing() {
    let exam = Exam::new();
    let mut replies = exam.app.ask("ana", "/mock 65", at(START));
    // Answer until a choose-two question is waiting.
    let mut n = 0;
    loop {
        let card = question(&replies);
        let q = exam
            .bank
            .questions()
            .iter()
            .find(|q| q.id.as_str() == question_id(card))
            .unwrap();
        if q.picks() > 1 {
            assert!(
                card.footer
                    .as_deref()
                    .unwrap_or("")
                    .contains(&format!("Choose {}", q.picks()))
            );
            let one = exam.app.ask_one("ana", "/answer A", after(n));
            assert_eq!(one.card.kind, CardKind::Error);
            assert!(
                one.card
                    .plain_text()
                    .contains(&format!("choose {}", q.picks()))
            );
            let next = exam.answer(&replies, true, after(n));
            assert_ne!(question_id(question(&next)), q.id.as_str());
            break;
        }
        replies = exam.answer(&replies, true, after(n));
        n += 1;
        assert!(n < 65, "the mock has choose-N questions");
    }
}

#[test]
fn a_button_of_an_answered_mock_question_does_not_answer_the_next_one() {
    let exam = Exam::new();
    let replies = exam.app.ask("ana", "/mock", at(START));
    let first = question_id(question(&replies));
    let next = exam.answer(&replies, true, after(1));
    let second = question_id(question(&next));
    let mut click = exam.app.request("ana", "/answer A", None);
    click.command = quizbot::quiz::Command::Answer {
        letters: Letters::parse("A").unwrap(),
        target: Some(quizbot::quiz::AnswerTarget::Private(
            quizbot::bank::QuestionId::parse(&first).unwrap(),
        )),
        unsure: false,
    };
    let old = exam.app.engine.handle(&click, after(2));
    assert!(text(&old).contains("answered already"), "{}", text(&old));
    let again = exam.app.ask("ana", "/mock", after(2));
    assert_eq!(question_id(question(&again)), second);
}
