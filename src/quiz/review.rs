//! Spaced review. Every answer a member gives (daily at its reveal, practice, review) updates
//! their memory of that question through the FSRS scheduler (`memory`). A miss, or a right
//! answer marked unsure, puts the question in the member's review queue; `/review` then serves
//! the due questions one after another. A miss is due again at once, so within a session it
//! comes back after the others until it is answered right.

use jiff::Timestamp;

use super::card::{Card, Reply};
use super::memory::{Recall, Scheduler};
use super::round::PrivateMode;
use super::{Engine, Outcome, Request, local_when, wording};
use crate::bank::{Lang, QuestionId};
use crate::store::Remembered;

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
