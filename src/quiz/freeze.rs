//! Streaks in days, and streak freezes, computed from the answer history every time (never
//! stored, so a crash cannot lose or double one).
//!
//! A **streak day** is a local date, in its round's schedule zone, on which at least one
//! daily round (scheduled or `/quiz post`) was revealed in a channel where the member plays
//! (has answered a round; counted from their first answer there). Dates with no round, such
//! as the weekend of a mon-fri schedule, are not streak days: they neither extend nor break
//! a streak. A day is **right** when the member answered at least one of its rounds right;
//! otherwise (missed, or answered wrong) it is **missed**.
//!
//! Walking the days in order: a right day adds one to the streak, and every
//! [`FREEZE_EVERY`] right days in a row earn a freeze, up to [`FREEZES_HELD`] (one earned
//! when two are held is lost). A missed day with a streak going and a freeze held spends the
//! freeze: the streak survives (not counting the day) and the count toward the next freeze
//! starts again. A missed day with no freeze ends the streak.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;

use super::card::{Card, Reply};
use super::{Engine, Request, wording};
use crate::bank::Lang;
use crate::records::{RoundKind, RoundState};
use crate::schedule::Zone;
use crate::store::{StoreError, StreakRound};

/// Right days in a row that earn one freeze.
pub const FREEZE_EVERY: usize = 7;
/// The most freezes a member holds at once.
pub const FREEZES_HELD: usize = 2;
/// How many of a channel's rounds before a reveal are looked at for members whose streak
/// it may have frozen: a streak still going had a right day among its last three days
/// (at most two frozen ones between), and a few more cover days with several rounds.
const CANDIDATE_ROUNDS: usize = 6;

/// A member's streak and freezes after their last streak day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Streak {
    /// Right days in the current streak (frozen days kept it alive but do not count).
    pub current: usize,
    pub best: usize,
    /// Freezes held now.
    pub freezes: usize,
    /// The days a freeze was spent on, oldest first.
    pub frozen: Vec<Date>,
}

/// The streak after these days (`true`: right), oldest first.
pub fn walk(days: &[(Date, bool)]) -> Streak {
    let mut streak = Streak::default();
    let mut toward = 0;
    for &(date, right) in days {
        if right {
            streak.current += 1;
            streak.best = streak.best.max(streak.current);
            toward += 1;
            if toward == FREEZE_EVERY {
                toward = 0;
                streak.freezes = (streak.freezes + 1).min(FREEZES_HELD);
            }
        } else if streak.current > 0 && streak.freezes > 0 {
            streak.freezes -= 1;
            streak.frozen.push(date);
            toward = 0;
        } else {
            streak.current = 0;
            toward = 0;
        }
    }
    streak
}

/// The streak days of these rounds: each round's local date in its zone, right if any of
/// the day's rounds was answered right.
pub fn days(rounds: &[StreakRound]) -> Vec<(Date, bool)> {
    let mut days: BTreeMap<Date, bool> = BTreeMap::new();
    for round in rounds {
        let date = round
            .local_date
            .as_deref()
            .and_then(|d| d.parse::<Date>().ok())
            .unwrap_or_else(|| {
                let zone = Zone::parse(&round.zone).unwrap_or_else(|_| Zone::utc());
                zone.local(round.opened_at).date()
            });
        *days.entry(date).or_default() |= round.correct == Some(true);
    }
    days.into_iter().collect()
}

impl Engine {
    /// A member's streak and freezes in a server, from the history.
    pub(super) fn streak_of(&self, member: &str, server: &str) -> Result<Streak, StoreError> {
        Ok(walk(&days(&self.store.streak_rounds(member, server)?)))
    }

    /// After a reveal: every member whose streak a freeze kept alive through the round's
    /// day is noted, to be told privately at their next request. Idempotent.
    pub(super) fn note_freezes(
        &self,
        round: super::RoundId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let Some(round) = self.store.round(round)? else {
            return Ok(());
        };
        let RoundState::Revealed { .. } = round.state else {
            return Ok(());
        };
        let day = match round.kind {
            RoundKind::Scheduled { date } => date,
            RoundKind::Manual => {
                let zone = Zone::parse(&round.zone).unwrap_or_else(|_| Zone::utc());
                zone.local(round.created_at).date()
            }
        };
        for member in self.store.freeze_candidates(round.id, CANDIDATE_ROUNDS)? {
            let streak = self.streak_of(&member, &round.server)?;
            // Only this reveal's day: older freezes were told at their own reveal.
            if streak.frozen.last() == Some(&day) {
                let days = vec![day.to_string()];
                self.store.note_freezes(&member, &round.server, days, now)?;
            }
        }
        Ok(())
    }

    /// The private notice of freezes used since the member last heard from the bot here.
    pub(super) fn freeze_notice(&self, req: &Request, lang: Lang, now: Timestamp) -> Option<Reply> {
        let days = match self
            .store
            .take_freeze_notices(&req.member.key, &req.place.server, now)
        {
            Ok(days) => days,
            Err(error) => {
                tracing::error!(%error, member = %req.member.key, "could not read freeze notices");
                return None;
            }
        };
        if days.is_empty() {
            return None;
        }
        let streak = match self.streak_of(&req.member.key, &req.place.server) {
            Ok(streak) => streak,
            Err(error) => {
                tracing::error!(%error, member = %req.member.key, "could not compute a streak");
                return None;
            }
        };
        Some(Reply::private(Card::info(
            wording::freeze_used_title(lang),
            wording::freeze_used(lang, &days, streak.current, streak.freezes),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(pattern: &str) -> Streak {
        let start: Date = "2026-11-01".parse().unwrap();
        let days: Vec<(Date, bool)> = pattern
            .chars()
            .enumerate()
            .map(|(i, c)| {
                (
                    start.checked_add(jiff::Span::new().days(i as i64)).unwrap(),
                    c == 'R',
                )
            })
            .collect();
        walk(&days)
    }

    #[test]
    fn seven_right_days_in_a_row_earn_one_freeze_and_two_are_the_most_held() {
        assert_eq!(run("RRRRRR").freezes, 0);
        assert_eq!(run("RRRRRRR").freezes, 1);
        assert_eq!(run(&"R".repeat(14)).freezes, 2);
        assert_eq!(run(&"R".repeat(28)).freezes, 2);
        assert_eq!(run(&"R".repeat(28)).current, 28);
    }

    #[test]
    fn a_miss_spends_a_freeze_and_keeps_the_streak_and_the_next_miss_without_one_ends_it() {
        let kept = run("RRRRRRRxR");
        assert_eq!((kept.current, kept.best, kept.freezes), (8, 8, 0));
        assert_eq!(kept.frozen.len(), 1);
        let ended = run("RRRRRRRxRx");
        assert_eq!((ended.current, ended.best, ended.freezes), (0, 8, 0));
    }

    #[test]
    fn a_miss_with_no_streak_going_spends_nothing() {
        let s = run("RRRRRRRxxRx");
        // The first miss spends the freeze, the second ends the streak, and then there is
        // no freeze to spend.
        assert_eq!((s.current, s.freezes, s.frozen.len()), (0, 0, 1));
    }
}
