//! Private questions: `/practice` on demand and `/review` of past misses, graded at once.
//! Review is a Leitner schedule: a miss goes to box 1 (back tomorrow); each right answer
//! moves the card up a box with a longer wait; a right answer in the last box retires it.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};

use super::card::{self, Card, CardKind, Reply};
use super::command::AnswerTarget;
use super::round::PrivateMode;
use super::{Engine, Outcome, Request, UserError, check_letters, local_when, shuffle_key, wording};
use crate::bank::{Domain, Lang, Letters, Question, QuestionId, TaskStatement};
use crate::store::{NewAnswer, ReviewChange};

/// Days to wait before a card in box N (1-based) is due again.
const BOX_DAYS: [i64; 5] = [1, 3, 7, 14, 30];
const BOXES: u8 = BOX_DAYS.len() as u8;

fn due_after(level: u8, now: Timestamp) -> Timestamp {
    let days = BOX_DAYS[usize::from(level.clamp(1, BOXES)) - 1];
    now + SignedDuration::from_hours(24 * days)
}

/// The review change after a private answer.
fn review_change(
    mode: PrivateMode,
    correct: bool,
    level: Option<u8>,
    now: Timestamp,
) -> ReviewChange {
    match (mode, correct) {
        (_, false) => ReviewChange::Set {
            level: 1,
            due: due_after(1, now),
        },
        (PrivateMode::Practice, true) => ReviewChange::Keep,
        (PrivateMode::Review, true) => match level.unwrap_or(1) {
            level if level >= BOXES => ReviewChange::Remove,
            level => ReviewChange::Set {
                level: level + 1,
                due: due_after(level + 1, now),
            },
        },
    }
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
        // Unseen questions first, in the member's own order; then the least recently seen.
        let question = pool
            .into_iter()
            .min_by_key(|q| {
                (
                    served.get(q.id.as_str()).copied(),
                    shuffle_key(&req.member.key, q.id.as_str()),
                )
            })
            .ok_or(UserError::NoQuestions)?;
        self.serve(
            req,
            lang,
            now,
            question,
            PrivateMode::Practice,
            wording::practice_title(lang),
        )
    }

    pub(super) fn review(&self, req: &Request, lang: Lang, now: Timestamp) -> Outcome {
        let (member, server) = (&req.member.key, &req.place.server);
        let Some((id, level, due)) = self.store.next_review(member, server)? else {
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
            // The question left the bank: its card can never be answered, so it goes.
            self.store.drop_review(member, server, &id)?;
            return self.review(req, lang, now);
        };
        let title = wording::review_title(lang, level, BOXES);
        self.serve(req, lang, now, question, PrivateMode::Review, title)
    }

    fn serve(
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
            wording::question_footer(lang, question, None),
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
        letters: Letters,
        expected: Option<&QuestionId>,
    ) -> Outcome {
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
        let level = match pending.mode {
            PrivateMode::Review => self.store.review_box(member, server, &question.id)?,
            PrivateMode::Practice => None,
        };
        let answer = NewAnswer {
            server: server.clone(),
            member: member.clone(),
            member_name: req.member.name.clone(),
            question_id: question.id.to_string(),
            letters,
            correct,
            domain: question.domain.key().to_owned(),
            task: question.task.code().to_owned(),
            services: question.services.join("\n"),
            at: now,
        };
        let change = review_change(pending.mode, correct, level, now);
        self.store
            .record_private_answer(answer, pending.mode, change)?;
        Ok(vec![Reply::private(feedback_card(
            question,
            lang,
            letters,
            correct,
            pending.mode,
        ))])
    }
}

fn feedback_card(
    q: &Question,
    lang: Lang,
    letters: Letters,
    correct: bool,
    mode: PrivateMode,
) -> Card {
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
    }
    card.next = Some(mode);
    card
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_miss_always_goes_back_to_box_one_tomorrow() {
        let now = Timestamp::UNIX_EPOCH;
        let tomorrow = now + SignedDuration::from_hours(24);
        for mode in [PrivateMode::Practice, PrivateMode::Review] {
            assert_eq!(
                review_change(mode, false, Some(4), now),
                ReviewChange::Set {
                    level: 1,
                    due: tomorrow
                }
            );
        }
    }

    #[test]
    fn right_reviews_climb_the_boxes_and_retire_from_the_last() {
        let now = Timestamp::UNIX_EPOCH;
        assert_eq!(
            review_change(PrivateMode::Review, true, Some(1), now),
            ReviewChange::Set {
                level: 2,
                due: now + SignedDuration::from_hours(72)
            }
        );
        assert_eq!(
            review_change(PrivateMode::Review, true, Some(5), now),
            ReviewChange::Remove
        );
        assert_eq!(
            review_change(PrivateMode::Practice, true, None, now),
            ReviewChange::Keep
        );
    }
}
