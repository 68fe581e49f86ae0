//! Daily rounds: deciding what is due at `now` (posts, catch-ups, reveals), taking answers,
//! building the reveal, and the managers' `/quiz` commands.

use std::collections::{HashMap, HashSet};

use jiff::{SignedDuration, Timestamp};

use super::card::{self, Card, CardKind, Reply};
use super::command::{AnswerTarget, QuizCommand};
use super::round::{Delivery, DeliveryKind, Round, RoundKind, RoundState};
use super::{
    Choice, Engine, Outcome, Request, UserError, check_letters, local_when, review, shuffle_key,
    wording,
};
use crate::bank::{Lang, Letters, Question};
use crate::schedule::{RevealRule, Zone};
use crate::store::{DailyOutcome, NewRound, ScheduleRow, StoreError};

/// How long a process's claim on a delivery lasts: longer than a send with its retries
/// takes, so a live sender keeps it, and short enough that a crashed one's rounds go out
/// soon after from whichever process is left.
pub const CLAIM_LEASE: SignedDuration = SignedDuration::from_mins(2);

impl Engine {
    /// Everything due at `now`: new rounds for slots that have come (one per channel and
    /// local date; after downtime only the latest missed slot), reveals whose time has come,
    /// and every post or reveal decided earlier but not yet confirmed. Idempotent: calling it
    /// twice at the same `now` decides nothing new and returns the same deliveries.
    pub fn tick(&self, now: Timestamp) -> Vec<Delivery> {
        if let Err(error) = self.plan_rounds(now) {
            tracing::error!(%error, "could not plan daily rounds");
        }
        if let Err(error) = self.close_due_rounds(now) {
            tracing::error!(%error, "could not close due rounds");
        }
        if let Err(error) = self.plan_recaps(now) {
            tracing::error!(%error, "could not plan weekly recaps");
        }
        let mut deliveries = match self.store.rounds_to_deliver() {
            Ok(rounds) => rounds
                .iter()
                // Other processes' servers: not ours to claim or send (quiz/scope.rs).
                .filter(|r| self.scope.holds(&r.server))
                .filter_map(|r| self.delivery(r, now))
                .collect(),
            Err(error) => {
                tracing::error!(%error, "could not list rounds to deliver");
                Vec::new()
            }
        };
        deliveries.extend(self.recap_deliveries());
        deliveries
    }

    /// Claims a delivery for this process before it is sent, so no other process on the
    /// database sends it too. False if another holds it or it is done; the claim lasts
    /// [`CLAIM_LEASE`] and is renewed by claiming again.
    pub fn claim(&self, delivery: &Delivery, now: Timestamp) -> bool {
        if let DeliveryKind::Recap { recap } = delivery.kind {
            return self.claim_recap(recap, now);
        }
        let reveal = matches!(delivery.kind, DeliveryKind::Reveal { .. });
        match self
            .store
            .claim_delivery(delivery.round, reveal, now, now + CLAIM_LEASE)
        {
            Ok(claimed) => claimed,
            Err(error) => {
                tracing::error!(%error, round = %delivery.round, "could not claim a delivery");
                false
            }
        }
    }

    /// The platform took `delivery` (`message`: the posted message's id, if any): records
    /// it as its kind says.
    pub fn confirm(&self, delivery: &Delivery, message: Option<String>, now: Timestamp) {
        match delivery.kind {
            DeliveryKind::Post => self.confirm_post(delivery.round, message, now),
            DeliveryKind::Reveal { .. } => self.confirm_reveal_with(delivery.round, message, now),
            DeliveryKind::Recap { recap } => self.confirm_recap(recap, message, now),
        }
    }

    /// The platform confirmed the post: the round opens for answers.
    pub fn confirm_post(&self, round: super::RoundId, message: Option<String>, now: Timestamp) {
        if let Err(error) = self.store.open_round(round, now, message) {
            tracing::error!(%error, %round, "could not record a confirmed post");
        }
    }

    /// The platform confirmed the reveal post.
    pub fn confirm_reveal(&self, round: super::RoundId, now: Timestamp) {
        self.confirm_reveal_with(round, None, now);
    }

    /// The platform confirmed the reveal post as `message` (its id, for the recap's links).
    pub fn confirm_reveal_with(
        &self,
        round: super::RoundId,
        message: Option<String>,
        now: Timestamp,
    ) {
        if let Err(error) = self.store.finish_reveal(round, now, message) {
            tracing::error!(%error, %round, "could not record a confirmed reveal");
        }
        // Members whose streak a freeze kept through this round's day hear of it privately.
        if let Err(error) = self.note_freezes(round, now) {
            tracing::error!(%error, %round, "could not note used streak freezes");
        }
    }

    /// A channel the bot can no longer post to: stop its schedule (saying why in
    /// `/quiz status`), drop its unposted round and give up its pending reveal, so nothing
    /// is retried forever.
    pub fn disable_channel(&self, channel: &str, reason: &str, now: Timestamp) {
        if let Err(error) = self.store.disable_channel(channel, reason, now) {
            tracing::error!(%error, channel, "could not disable a schedule");
        }
        if let Err(error) = self.store.give_up_recaps(channel, now) {
            tracing::error!(%error, channel, "could not give up a channel's recaps");
        }
    }

    /// When `tick` next has something to do: `now` if something is due already.
    pub fn next_due(&self, now: Timestamp) -> Option<Timestamp> {
        self.next_due_besides(now, &HashSet::new())
    }

    /// Like [`Engine::next_due`], leaving out the pending deliveries of the channels in
    /// `besides` (a delivery loop's own: being sent, waiting for their retry, or another
    /// platform's), so they do not make everything look due at once.
    pub fn next_due_besides(&self, now: Timestamp, besides: &HashSet<String>) -> Option<Timestamp> {
        match self.due_times(now, besides) {
            Ok(times) => times.into_iter().min().map(|t| t.max(now)),
            Err(error) => {
                tracing::error!(%error, "could not compute the next due time");
                Some(now + SignedDuration::from_mins(1))
            }
        }
    }

    fn due_times(
        &self,
        now: Timestamp,
        besides: &HashSet<String>,
    ) -> Result<Vec<Timestamp>, StoreError> {
        let mut times = Vec::new();
        times.extend(self.next_claimable(now, besides)?);
        times.extend(self.store.next_schedule_due()?);
        times.extend(self.store.next_reveal_at()?);
        times.extend(self.recap_due_times(now)?);
        Ok(times)
    }

    /// Decides the rounds of every schedule that is due, and stores them (with each
    /// schedule's next due time) in one transaction.
    fn plan_rounds(&self, now: Timestamp) -> Result<(), StoreError> {
        let due = self.store.due_schedules(now)?;
        if due.is_empty() {
            return Ok(());
        }
        let mut planned = Vec::new();
        let mut dues = Vec::with_capacity(due.len());
        for row in due {
            let next = row
                .schedule
                .next_slot(now)
                .map_or(Timestamp::MAX, |slot| slot.at);
            dues.push((row.channel.clone(), next));
            let Some(slot) = row.schedule.latest_slot(now, row.since) else {
                continue;
            };
            // No "is there a round already?" read: the unique index refuses a second round
            // for the date when the plan is stored, which also covers racing processes.
            let Some(question) = self.pick_for_channel(&row.channel)? else {
                tracing::warn!(channel = %row.channel, "the bank is empty: no daily question posted");
                continue;
            };
            planned.push(NewRound {
                server: row.server.clone(),
                channel: row.channel.clone(),
                question,
                kind: RoundKind::Scheduled { date: slot.date },
                zone: row.schedule.zone.name().to_owned(),
                lang: row.lang,
                created_at: now,
                reveal_at: row.schedule.reveal_at(slot.at, now),
            });
        }
        for id in self.store.plan(planned, dues, now)? {
            tracing::info!(round = %id, "daily round decided");
        }
        Ok(())
    }

    /// Closes every round whose reveal time has come, in one transaction.
    fn close_due_rounds(&self, now: Timestamp) -> Result<(), StoreError> {
        let closing: Vec<_> = self
            .store
            .rounds_to_reveal(now)?
            .into_iter()
            .map(|(id, zone, posted)| {
                let zone = Zone::parse(&zone).unwrap_or_else(|_| Zone::utc());
                (id, super::scores::period_starts(posted, &zone))
            })
            .collect();
        if !closing.is_empty() {
            let scheduler = self.scheduler.clone();
            self.store.close_rounds(closing, now, move |answer| {
                review::remembered(
                    &scheduler,
                    answer.before,
                    answer.correct,
                    answer.unsure,
                    now,
                )
            })?;
        }
        Ok(())
    }

    /// The next question for a channel: one it has not had, in the channel's own order;
    /// once the bank is exhausted, the one it had longest ago.
    fn pick_for_channel(&self, channel: &str) -> Result<Option<Question>, StoreError> {
        let used: HashMap<String, Timestamp> =
            self.store.questions_used_in(channel)?.into_iter().collect();
        let pick = self.bank.questions().iter().min_by_key(|q| {
            let last = used.get(q.id.as_str()).copied();
            (last, shuffle_key(channel, q.id.as_str()))
        });
        Ok(pick.cloned())
    }

    fn delivery(&self, round: &Round, now: Timestamp) -> Option<Delivery> {
        let (kind, card, due) = match round.state {
            RoundState::Scheduled => (
                DeliveryKind::Post,
                self.round_card(round, now),
                round.created_at,
            ),
            RoundState::Revealing { .. } => {
                let answers = match self.store.round_answers(round.id) {
                    Ok(answers) => answers,
                    Err(error) => {
                        tracing::error!(%error, round = %round.id, "could not read answers for a reveal");
                        return None;
                    }
                };
                let mut closed = self.round_card(round, now);
                closed.footer = Some(wording::closed_footer(round.lang, round.question.answer));
                let thread = self.reveal_thread(round).unwrap_or_else(|error| {
                    tracing::error!(%error, round = %round.id, "could not read the thread setting");
                    None
                });
                let kind = DeliveryKind::Reveal {
                    question_message: round.message.clone(),
                    closed: Box::new(closed),
                    thread,
                };
                let mut reveal = reveal_card(round, &answers);
                reveal.report = Some(super::ReportButton {
                    question: round.question.id.clone(),
                    round: Some(round.id),
                });
                (kind, reveal, round.reveal_at)
            }
            RoundState::Open { .. } | RoundState::Revealed { .. } => return None,
        };
        Some(Delivery {
            round: round.id,
            channel: round.channel.clone(),
            kind,
            card,
            due,
        })
    }

    fn round_card(&self, round: &Round, now: Timestamp) -> Card {
        let lang = round.lang;
        let reveal = local_when(round.reveal_at, &round.zone, now);
        card::question(
            &round.question,
            lang,
            AnswerTarget::Round(round.id),
            wording::daily_title(lang),
            wording::question_footer(
                lang,
                super::Platform::of(&round.server),
                &round.question,
                Some(&reveal),
            ),
        )
    }

    pub(super) fn answer_round(
        &self,
        req: &Request,
        lang: Lang,
        now: Timestamp,
        round: &Round,
        choice: Choice,
    ) -> Outcome {
        let letters = choice.letters;
        match round.state {
            RoundState::Scheduled => return Err(UserError::NotOpenYet.into()),
            RoundState::Revealing { .. } | RoundState::Revealed { .. } => {
                return Err(UserError::Closed {
                    answer: round.question.answer,
                }
                .into());
            }
            RoundState::Open { .. } if now >= round.reveal_at => {
                return Err(UserError::AnswersClosed.into());
            }
            RoundState::Open { .. } => {}
        }
        let question = &round.question;
        check_letters(question, letters)?;
        let unsure = self.unsure_answer(
            &req.member.key,
            &AnswerTarget::Round(round.id),
            choice.unsure,
        )?;
        let answer = super::new_answer(req, &round.server, question, letters, now, unsure);
        match self.store.record_daily_answer(answer, round.id)? {
            DailyOutcome::Recorded => {
                let reveal = local_when(round.reveal_at, &round.zone, now);
                let card = Card::new(
                    CardKind::Receipt,
                    wording::receipt_title(lang),
                    wording::receipt(lang, letters, &reveal),
                );
                Ok(vec![Reply::private(card)])
            }
            DailyOutcome::AlreadyAnswered(previous) => {
                Err(UserError::AlreadyAnswered(previous).into())
            }
            DailyOutcome::Closed => Err(UserError::Closed {
                answer: question.answer,
            }
            .into()),
        }
    }

    pub(super) fn quiz(
        &self,
        req: &Request,
        lang: Lang,
        now: Timestamp,
        command: &QuizCommand,
    ) -> Outcome {
        let channel = &req.place.channel;
        match command {
            QuizCommand::Schedule {
                schedule,
                channel: target,
                week,
            } => {
                let row = ScheduleRow::new(
                    target.clone().unwrap_or_else(|| channel.clone()),
                    req.place.server.clone(),
                    schedule.clone(),
                    lang,
                    now,
                );
                let text = format!(
                    "{}\n{}",
                    self.schedule_text(&row, lang, now),
                    wording::week_rule(lang, week.threads, &week.recap)
                );
                self.store.save_schedule_with(row, *week)?;
                Ok(vec![Reply::channel(Card::info(
                    wording::schedule_title(lang),
                    text,
                ))])
            }
            QuizCommand::Unschedule => {
                if !self.store.remove_schedule(channel)? {
                    return Err(UserError::NoSchedule.into());
                }
                let card = Card::info(wording::schedule_title(lang), wording::unscheduled(lang));
                Ok(vec![Reply::channel(card)])
            }
            QuizCommand::Status => self.status(req, lang, now),
            QuizCommand::Post => self.post_now(req, lang, now),
            QuizCommand::Reports => self.reports(req, lang),
            QuizCommand::Reveal => {
                let round = self
                    .store
                    .open_round_in(channel)?
                    .ok_or(UserError::NothingToReveal)?;
                self.store.set_reveal_at(round.id, now)?;
                Ok(vec![Reply::private(Card::info(
                    wording::schedule_title(lang),
                    wording::revealing_now(lang),
                ))])
            }
        }
    }

    fn schedule_text(&self, row: &ScheduleRow, lang: Lang, now: Timestamp) -> String {
        let s = &row.schedule;
        let next = s
            .next_slot(now.max(row.since))
            .map(|slot| local_when(slot.at, s.zone.name(), now));
        wording::scheduled(lang, &schedule_rule(row, lang), next.as_deref())
    }

    fn status(&self, req: &Request, lang: Lang, now: Timestamp) -> Outcome {
        let channel = &req.place.channel;
        let schedule = self.store.schedule(channel)?;
        let open = self.store.open_round_in(channel)?;
        if schedule.is_none() && open.is_none() {
            return Err(UserError::NoSchedule.into());
        }
        let mut lines = Vec::new();
        if let Some(row) = &schedule {
            // A stopped schedule has no next question: say so, why, and how to restart it.
            lines.push(match &row.disabled {
                Some(reason) => wording::status_stopped(lang, &schedule_rule(row, lang), reason),
                None => self.schedule_text(row, lang, now),
            });
            let week = self.store.week_row(channel)?;
            lines.push(self.threads_status(channel, lang)?);
            let next = row
                .schedule
                .next_recap(week.settings.recap, now)
                .map(|at| local_when(at, row.schedule.zone.name(), now));
            lines.push(wording::recap_status(
                lang,
                &week.settings.recap,
                next.as_deref(),
            ));
        }
        if let Some(round) = &open {
            let answers = self.store.round_answers(round.id)?.len();
            let reveal = local_when(round.reveal_at, &round.zone, now);
            lines.push(wording::status_open(lang, answers, &reveal));
        }
        Ok(vec![Reply::private(Card::info(
            wording::schedule_title(lang),
            lines.join("\n"),
        ))])
    }

    fn post_now(&self, req: &Request, lang: Lang, now: Timestamp) -> Outcome {
        let channel = &req.place.channel;
        if self.store.open_round_in(channel)?.is_some() {
            return Err(UserError::RoundStillOpen.into());
        }
        let question = self
            .pick_for_channel(channel)?
            .ok_or(UserError::NoQuestions)?;
        let schedule = self.store.schedule(channel)?;
        let (zone, reveal) = match &schedule {
            Some(row) => (row.schedule.zone.clone(), row.schedule.reveal),
            None => (self.server_zone(&req.place.server)?, RevealRule::DEFAULT),
        };
        self.store.create_round(NewRound {
            server: req.place.server.clone(),
            channel: channel.clone(),
            question,
            kind: RoundKind::Manual,
            zone: zone.name().to_owned(),
            lang,
            created_at: now,
            reveal_at: reveal.after(now, &zone),
        })?;
        Ok(vec![Reply::private(Card::info(
            wording::schedule_title(lang),
            wording::posting_now(lang),
        ))])
    }

    /// The zone a server's periods are counted in: its first schedule's, else UTC.
    pub(super) fn server_zone(&self, server: &str) -> Result<Zone, StoreError> {
        Ok(self
            .store
            .server_zone(server)?
            .and_then(|name| Zone::parse(&name).ok())
            .unwrap_or_else(Zone::utc))
    }
}

/// A schedule in words: days, time, zone and reveal.
fn schedule_rule(row: &ScheduleRow, lang: Lang) -> String {
    let s = &row.schedule;
    let reveal = match s.reveal {
        RevealRule::At(time) => wording::reveal_rule_at(lang, &time.to_string()),
        RevealRule::After(_) => wording::reveal_rule_after(lang, &s.reveal.to_string()),
    };
    wording::schedule_rule(
        lang,
        &s.time.to_string(),
        s.zone.name(),
        &s.days.to_string(),
        &reveal,
    )
}

/// The reveal: the answer, why, each option explained, the votes and who got it right.
fn reveal_card(round: &Round, answers: &[crate::store::AnswerRow]) -> Card {
    let lang = round.lang;
    let q = &round.question;
    let w = q.wording(lang);
    let votes: Vec<Letters> = answers.iter().map(|a| a.letters).collect();
    let right: Vec<&str> = answers
        .iter()
        .filter(|a| a.correct)
        .map(|a| a.name.as_str())
        .collect();
    let right_names = if right.is_empty() {
        wording::nobody(lang)
    } else {
        right.join(", ")
    };
    let mut card = Card::new(
        CardKind::Reveal {
            question_id: q.id.clone(),
            answer: q.answer,
            round: Some(round.id),
        },
        wording::reveal_title(lang, q.answer),
        w.explanation.clone(),
    )
    .field(
        wording::options_heading(lang),
        card::options_explained(q, lang),
    )
    .field(
        wording::votes_heading(lang, answers.len()),
        card::vote_chart(q.choice_count(), &votes, q.answer),
    )
    .field(
        wording::right_heading(lang, right.len(), answers.len()),
        right_names,
    );
    if !q.references.is_empty() {
        card = card.field(wording::references_heading(lang), q.references.join("\n"));
    }
    card.footer(format!("{} · {}", q.id, q.services.join(", ")))
}
