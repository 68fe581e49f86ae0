//! Private questions: `/practice` on demand (and the `/review` questions `review` picks),
//! served to one member and graded at once, with the explanation.

use std::collections::HashMap;

use jiff::Timestamp;

use super::card::{self, Card, CardKind, Reply};
use super::command::AnswerTarget;
use super::round::PrivateMode;
use super::{
    Choice, Engine, Outcome, Request, UserError, check_letters, new_answer, review, shuffle_key,
    wording,
};
use crate::bank::{Domain, Lang, Question, QuestionId, TaskStatement};

/// Why `/practice` picked its question, as the member is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// A question the member has not seen.
    New,
    /// Seen before, from one of the member's weakest task statements.
    WeakSpot(TaskStatement),
    /// Every question here has been seen: the one seen longest ago.
    Again,
}

/// What `/practice` may pick from: all given filters must hold.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter<'a> {
    pub domain: Option<Domain>,
    pub task: Option<TaskStatement>,
    pub service: Option<&'a str>,
}

impl Engine {
    pub(super) fn practice(
        &self,
        req: &Request,
        lang: Lang,
        now: Timestamp,
        filter: Filter<'_>,
    ) -> Outcome {
        let Filter {
            domain,
            task,
            service,
        } = filter;
        let service = match service {
            Some(typed) => Some(self.bank.find_service(typed).ok_or_else(|| {
                let known = self
                    .bank
                    .services()
                    .into_iter()
                    .take(20)
                    .map(str::to_owned)
                    .collect();
                UserError::UnknownService {
                    typed: typed.to_owned(),
                    known,
                }
            })?),
            None => None,
        };
        let pool: Vec<&Question> = self
            .bank
            .questions()
            .iter()
            .filter(|q| domain.is_none_or(|d| q.domain == d))
            .filter(|q| task.is_none_or(|t| q.task == t))
            .filter(|q| service.is_none_or(|s| q.has_service(s)))
            .collect();
        let served: HashMap<String, Timestamp> =
            self.store.served(&req.member.key)?.into_iter().collect();
        let readiness = self.readiness_of(&req.member.key, &req.place.server, now)?;
        // Recall per task in whole per mille, so equal weakness ties and the member's own
        // shuffle decides (a new member is not walked through task 1.1 first).
        let weakness = |q: &Question| {
            let recall = readiness.tasks.get(&q.task).map_or(0.0, |p| p.recall);
            (recall * 1000.0).round() as u32
        };
        // Unseen questions first, weakest task statements first; then the weakest seen ones,
        // least recently seen first.
        let question = pool
            .into_iter()
            .min_by_key(|q| {
                let last = served.get(q.id.as_str()).copied();
                (
                    last.is_some(),
                    weakness(q),
                    last,
                    shuffle_key(&req.member.key, q.id.as_str()),
                )
            })
            .ok_or(UserError::NoQuestions)?;
        let why = if !served.contains_key(question.id.as_str()) {
            Pick::New
        } else if readiness.weak.contains(&question.task) {
            Pick::WeakSpot(question.task)
        } else {
            Pick::Again
        };
        self.serve(
            req,
            lang,
            now,
            question,
            PrivateMode::Practice,
            wording::practice_title(lang, why),
        )
    }

    pub(super) fn serve(
        &self,
        req: &Request,
        lang: Lang,
        now: Timestamp,
        question: &Question,
        mode: PrivateMode,
        title: String,
    ) -> Outcome {
        self.store
            .serve_private(&req.member.key, &req.place.server, &question.id, mode, now)?;
        let card = card::question(
            question,
            lang,
            AnswerTarget::Private(question.id.clone()),
            title,
            wording::question_footer(lang, req.place.platform(), question, None),
        );
        Ok(vec![Reply::private(card)])
    }

    /// Grades the member's pending private question. `expected` is the question a button
    /// was for: a click on an old card must not answer a newer question.
    pub(super) fn answer_private(
        &self,
        req: &Request,
        lang: Lang,
        now: Timestamp,
        choice: Choice,
        expected: Option<&QuestionId>,
    ) -> Outcome {
        let letters = choice.letters;
        let (member, server) = (&req.member.key, &req.place.server);
        let pending = self
            .store
            .pending(member, server)?
            .ok_or(UserError::NotPending)?;
        if expected.is_some_and(|id| *id != pending.question_id) {
            return Err(UserError::NotPending.into());
        }
        let Some(question) = self.bank.get(&pending.question_id) else {
            self.store.clear_pending(member, server)?;
            return Err(UserError::QuestionGone.into());
        };
        check_letters(question, letters)?;
        let correct = letters == question.answer;
        let before = self.store.memory(member, server, &question.id)?;
        let target = AnswerTarget::Private(question.id.clone());
        let unsure = self.unsure_answer(member, &target, choice.unsure)?;
        let choice = Choice { unsure, ..choice };
        let answer = new_answer(req, server, question, letters, now, choice.unsure);
        let after = review::remembered(&self.scheduler, before, correct, choice.unsure, now);
        self.store
            .record_private_answer(answer, pending.mode, after)?;
        Ok(vec![Reply::private(feedback_card(
            question,
            lang,
            choice,
            correct,
            pending.mode,
        ))])
    }
}

fn feedback_card(
    q: &Question,
    lang: Lang,
    choice: Choice,
    correct: bool,
    mode: PrivateMode,
) -> Card {
    let letters = choice.letters;
    let mut card = Card::new(
        CardKind::Feedback {
            question_id: q.id.clone(),
            correct,
        },
        wording::feedback_title(lang, correct, q.answer),
        q.wording(lang).explanation.clone(),
    )
    .field(wording::your_answer(lang), letters.to_string())
    .field(
        wording::options_heading(lang),
        card::options_explained(q, lang),
    );
    if !q.references.is_empty() {
        card = card.field(wording::references_heading(lang), q.references.join("\n"));
    }
    if !correct {
        card = card.footer(wording::missed_goes_to_review(lang));
    } else if choice.unsure {
        card = card.footer(wording::unsure_goes_to_review(lang));
    }
    card.next = Some(mode);
    card.report = Some(super::ReportButton {
        question: q.id.clone(),
        round: None,
    });
    card
}
