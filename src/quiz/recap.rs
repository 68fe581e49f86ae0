//! The weekly recap: once a week per schedule, at its recap moment (see
//! [`crate::schedule::RecapTime`]), the week's board (members and teams), its winners, who
//! answered every day, the hardest question (lowest share right) and the meetup picks,
//! with links to the reveals. Decided like a daily post: stored first (one per channel and
//! week, which the store's unique index holds across crashes, restarts and processes),
//! claimed, sent with a nonce, and confirmed. After downtime only the latest missed week's
//! recap is caught up, once; a week with no revealed question has none. The winners are
//! kept when the recap is decided, for `/leaderboard week last` and `/stats`.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;

use super::card::{Card, CardKind};
use super::round::{Delivery, DeliveryKind};
use super::{Engine, POINTS_PER_RIGHT, Platform, RoundId, wording};
use crate::bank::Lang;
use crate::records::{Recap, RecapId, WeekAnswer, WeekRound, WeekWinner};
use crate::schedule::{Zone, monday_of};
use crate::store::{NewRecap, RecapPlan, StoreError};

/// How many members and teams the recap's boards show.
const RECAP_BOARD: usize = 10;
/// How many meetup picks the recap lists.
const RECAP_PICKS: usize = 5;

/// One member's or team's week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub key: String,
    pub name: String,
    pub correct: u64,
    pub answered: u64,
}

/// What a week came to, from its revealed rounds and their answers.
#[derive(Debug, Clone)]
pub struct WeekSummary {
    pub rounds: usize,
    pub members: Vec<Standing>,
    pub teams: Vec<Standing>,
    /// Everyone with the most right answers (at least one).
    pub winners: Vec<Standing>,
    /// Members who answered every revealed round of the week.
    pub every_day: Vec<String>,
    /// The round with the lowest share right, with (right, answered).
    pub hardest: Option<(WeekRound, u64, u64)>,
    /// Rounds members picked for the meetup, most picked first.
    pub picks: Vec<WeekRound>,
}

fn ranked(mut standings: Vec<Standing>) -> Vec<Standing> {
    standings.sort_by(|a, b| {
        b.correct
            .cmp(&a.correct)
            .then(a.answered.cmp(&b.answered))
            .then(a.name.cmp(&b.name))
    });
    standings
}

/// The week's summary: a pure function of its rounds and answers.
pub fn summarise(rounds: &[WeekRound], answers: &[WeekAnswer]) -> WeekSummary {
    let mut members: BTreeMap<&str, Standing> = BTreeMap::new();
    let mut teams: BTreeMap<&str, Standing> = BTreeMap::new();
    let mut per_round: HashMap<RoundId, (u64, u64)> = HashMap::new();
    let mut days: HashMap<&str, usize> = HashMap::new();
    for a in answers {
        let right = u64::from(a.correct);
        let m = members.entry(&a.member).or_insert_with(|| Standing {
            key: a.member.clone(),
            name: a.name.clone(),
            correct: 0,
            answered: 0,
        });
        m.correct += right;
        m.answered += 1;
        if let Some(team) = &a.team {
            let t = teams.entry(team).or_insert_with(|| Standing {
                key: team.clone(),
                name: team.clone(),
                correct: 0,
                answered: 0,
            });
            t.correct += right;
            t.answered += 1;
        }
        let r = per_round.entry(a.round).or_default();
        r.0 += right;
        r.1 += 1;
        *days.entry(&a.member).or_default() += 1;
    }
    let members = ranked(members.into_values().collect());
    let teams = ranked(teams.into_values().collect());
    let top = members.first().map_or(0, |m| m.correct);
    let winners = members
        .iter()
        .filter(|m| top > 0 && m.correct == top)
        .cloned()
        .collect();
    let every_day = members
        .iter()
        .filter(|m| !rounds.is_empty() && days.get(m.key.as_str()) == Some(&rounds.len()))
        .map(|m| m.name.clone())
        .collect();
    // Lowest share right; on a tie the one more answered, then the earliest.
    let hardest = rounds
        .iter()
        .filter_map(|r| {
            let (right, answered) = per_round.get(&r.id).copied()?;
            Some((r.clone(), right, answered))
        })
        .min_by(|(a, ar, an), (b, br, bn)| {
            (u128::from(*ar) * u128::from(*bn))
                .cmp(&(u128::from(*br) * u128::from(*an)))
                .then(bn.cmp(an))
                .then(a.id.cmp(&b.id))
        });
    let mut picks: Vec<WeekRound> = rounds.iter().filter(|r| r.picks > 0).cloned().collect();
    picks.sort_by(|a, b| b.picks.cmp(&a.picks).then(a.id.cmp(&b.id)));
    picks.truncate(RECAP_PICKS);
    WeekSummary {
        rounds: rounds.len(),
        members,
        teams,
        winners,
        every_day,
        hardest,
        picks,
    }
}

/// Where a round's reveal can be found: a Discord message link, the permalink Slack gave,
/// else the round's number (the terminal).
pub fn reveal_link(round: &WeekRound) -> Option<String> {
    if let Some(link) = &round.reveal_link {
        return Some(link.clone());
    }
    match Platform::of(&round.server) {
        Platform::Discord => {
            let guild = round.server.strip_prefix(Platform::Discord.prefix())?;
            let channel = round.channel.strip_prefix(Platform::Discord.prefix())?;
            let message = round.reveal_message.as_deref()?;
            Some(format!(
                "https://discord.com/channels/{guild}/{channel}/{message}"
            ))
        }
        Platform::Slack | Platform::Other => None,
    }
}

impl Engine {
    /// Decides the recap of every schedule whose recap moment has come, and when each
    /// needs a look next.
    pub(super) fn plan_recaps(&self, now: Timestamp) -> Result<(), StoreError> {
        let due = self.store.due_recap_schedules(now)?;
        if due.is_empty() {
            return Ok(());
        }
        let mut plans = Vec::with_capacity(due.len());
        for (row, week) in due {
            let recap = week.settings.recap;
            let schedule = &row.schedule;
            let next = schedule.next_recap(recap, now).unwrap_or(Timestamp::MAX);
            let mut decision = None;
            if let Some((week, _)) = schedule.latest_recap(recap, now, row.since) {
                let rounds = self
                    .store
                    .week_rounds(&row.channel, week.starts, week.ends, now)?;
                // Never a recap for a week with no revealed question.
                if !rounds.is_empty() {
                    let answers =
                        self.store
                            .week_answers(&row.channel, week.starts, week.ends, now)?;
                    let summary = summarise(&rounds, &answers);
                    decision = Some(NewRecap {
                        server: row.server.clone(),
                        channel: row.channel.clone(),
                        monday: week.monday,
                        zone: schedule.zone.name().to_owned(),
                        lang: row.lang,
                        starts: week.starts,
                        ends: week.ends,
                        decided_at: now,
                        winners: summary
                            .winners
                            .iter()
                            .map(|w| WeekWinner {
                                member: w.key.clone(),
                                name: w.name.clone(),
                                correct: w.correct,
                                answered: w.answered,
                            })
                            .collect(),
                    });
                }
            }
            plans.push(RecapPlan {
                channel: row.channel.clone(),
                recap: decision,
                next,
            });
        }
        for id in self.store.decide_recaps(plans)? {
            tracing::info!(recap = %id, "weekly recap decided");
        }
        Ok(())
    }

    /// Every recap decided and not yet confirmed, as deliveries.
    pub(super) fn recap_deliveries(&self) -> Vec<Delivery> {
        let recaps = match self.store.recaps_to_deliver() {
            Ok(recaps) => recaps,
            Err(error) => {
                tracing::error!(%error, "could not list recaps to deliver");
                return Vec::new();
            }
        };
        recaps
            .iter()
            // Other processes' servers: not ours to claim or send (quiz/scope.rs).
            .filter(|recap| self.scope.holds(&recap.server))
            .filter_map(|recap| match self.recap_delivery(recap) {
                Ok(delivery) => Some(delivery),
                Err(error) => {
                    tracing::error!(%error, recap = %recap.id, "could not build a recap");
                    None
                }
            })
            .collect()
    }

    /// The recap's card, from the week's rounds revealed by the time it was decided, so a
    /// retry sends the same recap.
    fn recap_delivery(&self, recap: &Recap) -> Result<Delivery, StoreError> {
        let (channel, until) = (&recap.channel, recap.decided_at);
        let rounds = self
            .store
            .week_rounds(channel, recap.starts, recap.ends, until)?;
        let answers = self
            .store
            .week_answers(channel, recap.starts, recap.ends, until)?;
        let summary = summarise(&rounds, &answers);
        Ok(Delivery {
            round: rounds.last().map_or(RoundId(0), |r| r.id),
            channel: channel.clone(),
            kind: DeliveryKind::Recap { recap: recap.id },
            card: recap_card(recap, &summary),
            due: recap.decided_at,
        })
    }

    pub(super) fn claim_recap(&self, recap: RecapId, now: Timestamp) -> bool {
        match self.store.claim_recap(recap, now, now + super::CLAIM_LEASE) {
            Ok(claimed) => claimed,
            Err(error) => {
                tracing::error!(%error, %recap, "could not claim a recap");
                false
            }
        }
    }

    /// The platform confirmed the recap's post.
    pub fn confirm_recap(&self, recap: RecapId, message: Option<String>, now: Timestamp) {
        if let Err(error) = self.store.finish_recap(recap, now, message) {
            tracing::error!(%error, %recap, "could not record a confirmed recap");
        }
    }

    /// When recaps next need the scheduler: a schedule's recap moment, or a pending recap
    /// this process may claim.
    pub(super) fn recap_due_times(&self, now: Timestamp) -> Result<Vec<Timestamp>, StoreError> {
        let mut times = Vec::new();
        times.extend(self.store.next_recap_due()?);
        times.extend(
            self.store
                .recaps_claimable(now)?
                .into_iter()
                .filter(|(server, _)| self.scope.holds(server))
                .map(|(_, at)| at)
                .min(),
        );
        Ok(times)
    }

    /// `/leaderboard week last`'s winners line: last week's (in the board's zone) as the
    /// recaps kept them.
    pub(super) fn last_week_winners(
        &self,
        server: &str,
        zone: &Zone,
        now: Timestamp,
        lang: Lang,
    ) -> Result<String, StoreError> {
        let this = monday_of(zone.local(now).date());
        let last = this.checked_sub(jiff::Span::new().weeks(1)).unwrap_or(this);
        let winners = self.store.week_winners(server, last)?;
        let names: Vec<String> = winners.into_iter().map(|w| w.name).collect();
        Ok(wording::names_or_nobody(lang, &names))
    }

    /// `/stats`'s line on weekly wins, if the member has any.
    pub(super) fn weekly_wins(
        &self,
        member: &str,
        server: &str,
        lang: Lang,
    ) -> Result<Option<String>, StoreError> {
        let weeks = self.store.week_wins(member, server)?;
        let shown: Vec<String> = weeks.iter().take(3).map(ToString::to_string).collect();
        Ok((!weeks.is_empty()).then(|| wording::weekly_wins(lang, weeks.len(), &shown)))
    }
}

fn standing_lines(lang: Lang, standings: &[Standing]) -> String {
    let mut lines = Vec::new();
    let mut last: Option<(u64, usize)> = None;
    for (i, s) in standings.iter().take(RECAP_BOARD).enumerate() {
        // Competition ranking, as on the leaderboard.
        let rank = match last {
            Some((points, rank)) if points == s.correct => rank,
            _ => i + 1,
        };
        last = Some((s.correct, rank));
        lines.push(wording::leaderboard_line(
            lang,
            rank,
            &s.name,
            s.correct * POINTS_PER_RIGHT,
            s.correct,
            s.answered,
        ));
    }
    lines.join("\n")
}

fn where_revealed(lang: Lang, round: &WeekRound) -> String {
    match reveal_link(round) {
        Some(link) => link,
        None => wording::round_number(lang, &round.id.to_string()),
    }
}

fn question_topic(lang: Lang, round: &WeekRound) -> String {
    let task = round.question.task;
    format!(
        "{} ({} {})",
        round.question.id,
        task.code(),
        task.title(lang)
    )
}

/// The recap as a card, in the schedule's language.
fn recap_card(recap: &Recap, summary: &WeekSummary) -> Card {
    let lang = recap.lang;
    let winners: Vec<String> = summary.winners.iter().map(|w| w.name.clone()).collect();
    let board = if summary.members.is_empty() {
        wording::recap_no_answers(lang)
    } else {
        standing_lines(lang, &summary.members)
    };
    let mut card = Card::new(
        CardKind::Recap,
        wording::recap_title(lang, &recap.monday.to_string()),
        wording::recap_intro(lang, summary.rounds),
    )
    .field(
        wording::recap_winners_heading(lang),
        wording::names_or_nobody(lang, &winners),
    )
    .field(wording::recap_board_heading(lang), board);
    if !summary.teams.is_empty() {
        card = card.field(
            wording::recap_teams_heading(lang),
            standing_lines(lang, &summary.teams),
        );
    }
    card = card.field(
        wording::recap_every_day_heading(lang, summary.rounds),
        wording::names_or_nobody(lang, &summary.every_day),
    );
    if let Some((round, right, answered)) = &summary.hardest {
        card = card.field(
            wording::recap_hardest_heading(lang),
            wording::recap_hardest(
                lang,
                &question_topic(lang, round),
                *right,
                *answered,
                &where_revealed(lang, round),
            ),
        );
    }
    let picks = if summary.picks.is_empty() {
        wording::recap_no_picks(lang)
    } else {
        summary
            .picks
            .iter()
            .map(|r| {
                wording::recap_pick_line(
                    lang,
                    r.picks,
                    &question_topic(lang, r),
                    &where_revealed(lang, r),
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    card.field(wording::recap_picks_heading(lang), picks)
        .footer(wording::recap_footer(lang, &recap.zone))
}
