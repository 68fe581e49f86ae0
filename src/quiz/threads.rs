//! Discussion on the day's question: the thread each reveal opens (named after the
//! question's topic, never its answer, and made only at the reveal, so nothing before it
//! gives the answer away), a schedule's threads stopping when the platform refuses them,
//! and the 📌 "discuss at the meetup" picks members make on a reveal.

use jiff::Timestamp;

use super::card::{Card, fit};
use super::{Engine, Outcome, Reply, Request, RoundId, RoundKind, RoundState, UserError, wording};
use crate::bank::Lang;
use crate::records::{Round, Threads};
use crate::schedule::Zone;
use crate::store::StoreError;

/// Discord's longest thread name.
pub const THREAD_NAME: usize = 100;

/// A reveal's thread name: the round's local date and the question's task statement, in
/// the round's language; at most [`THREAD_NAME`] characters.
pub fn thread_name(round: &Round) -> String {
    let date = match round.kind {
        RoundKind::Scheduled { date } => date,
        RoundKind::Manual => Zone::parse(&round.zone)
            .unwrap_or_else(|_| Zone::utc())
            .local(round.created_at)
            .date(),
    };
    let task = round.question.task;
    let name = wording::thread_name(
        round.lang,
        &date.to_string(),
        task.code(),
        task.title(round.lang),
    );
    fit(&name, THREAD_NAME)
}

impl Engine {
    /// The thread a round's reveal opens: none when its schedule has threads off, or the
    /// platform refused one before.
    pub(super) fn reveal_thread(&self, round: &Round) -> Result<Option<String>, StoreError> {
        let week = self.store.week_row(&round.channel)?;
        let on = week.settings.threads == Threads::On && week.threads_blocked.is_none();
        Ok(on.then(|| thread_name(round)))
    }

    /// The platform refused to open a thread on a reveal (a missing permission): the
    /// reveal stands, the schedule runs on, and threads stay off for it, with `reason`
    /// shown by `/quiz status`, until the schedule is set again.
    pub fn block_threads(&self, channel: &str, reason: &str) {
        if let Err(error) = self.store.block_threads(channel, reason) {
            tracing::error!(%error, channel, "could not record that threads are refused");
        }
    }

    /// The link to a round's reveal as the platform gave it (Slack's permalink).
    pub fn record_reveal_link(&self, round: RoundId, link: &str) {
        if let Err(error) = self.store.set_reveal_link(round, link) {
            tracing::error!(%error, %round, "could not keep a reveal's link");
        }
    }

    /// `/quiz status`'s line on threads.
    pub(super) fn threads_status(&self, channel: &str, lang: Lang) -> Result<String, StoreError> {
        let week = self.store.week_row(channel)?;
        let platform = super::Platform::of(channel);
        Ok(match (week.settings.threads, &week.threads_blocked) {
            (Threads::Off, _) => wording::threads_off_by_setting(lang),
            (Threads::On, Some(reason)) => wording::threads_blocked(lang, platform, reason),
            (Threads::On, None) => wording::threads_on(lang, platform),
        })
    }

    /// 📌 on a reveal: the member's pick for the meetup, or taken back if they had one.
    pub(super) fn pin(&self, req: &Request, lang: Lang, now: Timestamp, id: RoundId) -> Outcome {
        let round = self
            .store
            .round(id)?
            .filter(|round| round.channel == req.place.channel)
            .ok_or(UserError::NoOpenQuestion)?;
        if !matches!(
            round.state,
            RoundState::Revealing { .. } | RoundState::Revealed { .. }
        ) {
            return Err(UserError::NotRevealedYet.into());
        }
        let (picked, count) = self.store.toggle_pick(id, &req.member.key, now)?;
        Ok(vec![Reply::private(Card::info(
            wording::meetup_title(lang),
            wording::meetup_picked(lang, picked, count),
        ))])
    }
}
