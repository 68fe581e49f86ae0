//! Spaced review. Every answer a member gives (daily at its reveal, practice, review) updates
//! their memory of that question through the FSRS scheduler (`memory`). A miss, or a right
//! answer marked unsure, puts the question in the member's review queue; `/review` then serves
//! the due questions one after another. A miss is due again at once, so within a session it
//! comes back after the others until it is answered right.

use jiff::Timestamp;

use super::card::{Card, Reply};
use super::command::AnswerTarget;
use super::memory::{Recall, Scheduler};
use super::round::{PrivateMode, RoundState};
use super::{Engine, Outcome, Request, UserError, local_when, wording};
use crate::bank::{Lang, QuestionId};
use crate::store::{Remembered, StoreError};

/// The key of a member's unsure mark on a question they have not answered yet.
pub(super) fn mark_key(target: &AnswerTarget) -> String {
    match target {
        AnswerTarget::Round(round) => format!("round:{round}"),
        AnswerTarget::Private(question) => format!("question:{question}"),
    }
}

/// The memory after one answer, and whether the question is (still) in review.
pub(super) fn remembered(
    scheduler: &Scheduler,
    before: Option<Remembered>,
    correct: bool,
    unsure: bool,
    now: Timestamp,
) -> Remembered {
    let reviewed = scheduler.after(before.map(|b| b.memory), Recall::of(correct, unsure), now);
    Remembered {
        memory: reviewed.memory,
        due: reviewed.due,
        in_review: before.is_some_and(|b| b.in_review) || !correct || unsure,
    }
}

impl Engine {
    /// Whether the member's answer to `target` counts as unsure: they said so, or they marked
    /// it with the toggle beforehand (the mark is used up).
    pub(super) fn unsure_answer(
        &self,
        member: &str,
        target: &AnswerTarget,
        said: bool,
    ) -> Result<bool, StoreError> {
        let marked = self.store.take_unsure_mark(member, &mark_key(target))?;
        Ok(said || marked)
    }

    /// The unsure toggle: flips the mark on an answer already recorded for an open round,
    /// or on the answer the member is about to give.
    pub(super) fn mark_unsure(&self, req: &Request, lang: Lang, target: &AnswerTarget) -> Outcome {
        let member = &req.member.key;
        let marked = match target {
            AnswerTarget::Round(id) => {
                if let Some(flag) = self.store.flip_daily_unsure(*id, member)? {
                    let card = Card::info(
                        wording::unsure_heading(lang),
                        wording::unsure_answer_marked(lang, flag),
                    );
                    return Ok(vec![Reply::private(card)]);
                }
                let round = self.store.round(*id)?.ok_or(UserError::NoOpenQuestion)?;
                match round.state {
                    RoundState::Open { .. } => {}
                    RoundState::Scheduled => return Err(UserError::NotOpenYet.into()),
                    _ => {
                        let answer = round.question.answer;
                        return Err(UserError::Closed { answer }.into());
                    }
                }
                self.store.toggle_unsure_mark(member, &mark_key(target))?
            }
            AnswerTarget::Private(id) => {
                let pending = self
                    .store
                    .pending(member, &req.place.server)?
                    .filter(|p| p.question_id == *id)
                    .ok_or(UserError::NotPending)?;
                let target = AnswerTarget::Private(pending.question_id);
                self.store.toggle_unsure_mark(member, &mark_key(&target))?
            }
        };
        let card = Card::info(
            wording::unsure_heading(lang),
            wording::unsure_marked(lang, marked),
        );
        Ok(vec![Reply::private(card)])
    }

    /// The member's next due review question, or when the next one will be due.
    pub(super) fn review(&self, req: &Request, lang: Lang, now: Timestamp) -> Outcome {
        let (member, server) = (&req.member.key, &req.place.server);
        let Some((id, due)) = self.store.next_review(member, server)? else {
            let card = Card::info(
                wording::review_heading(lang),
                wording::no_review_due(lang, None),
            );
            return Ok(vec![Reply::private(card)]);
        };
        if due > now {
            let zone = self.server_zone(server)?;
            let when = local_when(due, zone.name(), now);
            let card = Card::info(
                wording::review_heading(lang),
                wording::no_review_due(lang, Some(&when)),
            );
            return Ok(vec![Reply::private(card)]);
        }
        let question = QuestionId::parse(&id)
            .ok()
            .and_then(|id| self.bank.get(&id));
        let Some(question) = question else {
            // The question left the bank: it can never be answered, so it goes.
            self.store.drop_review(member, server, &id)?;
            return self.review(req, lang, now);
        };
        let due_now = self.store.reviews_due(member, server, now)?;
        let title = wording::review_title(lang, due_now);
        self.serve(req, lang, now, question, PrivateMode::Review, title)
    }
}
