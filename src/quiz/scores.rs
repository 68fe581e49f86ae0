//! Leaderboards, stats and streaks, and teams. Only revealed daily answers earn points;
//! practice and review count toward stats.

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::card::{Card, CardKind, Entry, Reply};
use super::command::{Board, Period, TeamCommand};
use super::{Engine, Member, Outcome, POINTS_PER_RIGHT, Request, UserError, wording};
use crate::bank::Lang;
use crate::schedule::Zone;
use crate::store::{BoardPeriod, PeriodStarts};

const BOARD_SIZE: usize = 10;

/// When a period began, in the server's zone. Weeks start on Monday.
fn period_start(period: Period, now: Timestamp, zone: &Zone) -> Option<Timestamp> {
    let today = zone.local(now).date();
    let first = match period {
        Period::All => return None,
        Period::Day => today,
        Period::Week => crate::schedule::monday_of(today),
        Period::LastWeek => crate::schedule::monday_of(today)
            .checked_sub(jiff::Span::new().weeks(1))
            .ok()?,
        Period::Month => today.first_of_month(),
    };
    first
        .to_zoned_datetime(zone.tz().clone())
        .ok()
        .map(|z| z.timestamp())
}

/// The day, week and month holding `at`, in `zone`: the periods a round posted then counts in.
pub fn period_starts(at: Timestamp, zone: &Zone) -> PeriodStarts {
    let start = |period| period_start(period, at, zone).unwrap_or(at);
    PeriodStarts {
        day: start(Period::Day),
        week: start(Period::Week),
        month: start(Period::Month),
    }
}

fn percent(right: usize, total: usize) -> String {
    (right * 100)
        .checked_div(total)
        .map_or_else(|| "–".into(), |p| format!("{p}%"))
}

#[derive(Default)]
struct Tally {
    right: usize,
    total: usize,
}

impl Tally {
    fn add(&mut self, correct: bool) {
        self.total += 1;
        self.right += usize::from(correct);
    }

    fn line(&self, name: &str) -> String {
        format!(
            "{name}: {} ({}/{})",
            percent(self.right, self.total),
            self.right,
            self.total
        )
    }
}

impl Engine {
    pub(super) fn leaderboard(
        &self,
        req: &Request,
        lang: Lang,
        now: Timestamp,
        period: Period,
        board: Board,
    ) -> Outcome {
        let server = &req.place.server;
        let zone = match self.store.schedule(&req.place.channel)? {
            Some(row) => row.schedule.zone,
            None => self.server_zone(server)?,
        };
        let totals = BoardPeriod {
            key: period.key(),
            start: period_start(period, now, &zone).unwrap_or(Timestamp::UNIX_EPOCH),
        };
        let rows = match board {
            Board::Members => self.store.member_board(server, totals, BOARD_SIZE)?,
            Board::Teams => self.store.team_board(server, totals, BOARD_SIZE)?,
        };
        // Competition ranking: equal points share a rank ("1, 2, 2, 4").
        let mut entries = Vec::with_capacity(rows.len());
        let mut lines = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let points = row.correct * POINTS_PER_RIGHT;
            let rank = match entries.last() {
                Some(Entry {
                    points: p, rank, ..
                }) if *p == points => *rank,
                _ => i + 1,
            };
            lines.push(wording::leaderboard_line(
                lang,
                rank,
                &row.name,
                points,
                row.correct,
                row.answered,
            ));
            entries.push(Entry {
                rank,
                name: row.name.clone(),
                points,
            });
        }
        let body = if lines.is_empty() {
            wording::leaderboard_empty(lang)
        } else {
            lines.join("\n")
        };
        let mut card = Card::new(
            CardKind::Leaderboard { entries },
            wording::leaderboard_title(lang, period, board),
            body,
        );
        if period == Period::LastWeek {
            // The winners the week's recaps kept.
            card = card.field(
                wording::recap_winners_heading(lang),
                self.last_week_winners(server, &zone, now, lang)?,
            );
        }
        let card = card.footer(wording::leaderboard_footer(lang, POINTS_PER_RIGHT));
        Ok(vec![Reply::private(card)])
    }

    pub(super) fn stats(
        &self,
        req: &Request,
        lang: Lang,
        now: Timestamp,
        user: Option<&Member>,
    ) -> Outcome {
        let server = &req.place.server;
        let member = user.unwrap_or(&req.member);
        let key = member.key.as_str();
        // The name the member answered under, else the one the adapter knows.
        let name = match self.store.member_name(key)? {
            Some(name) => name,
            None => member.name.clone(),
        };
        let text = wording::stats_text(lang, &name);
        let results = self.store.member_results(key, server)?;
        if results.is_empty() {
            return Ok(vec![Reply::private(Card::new(
                CardKind::Stats,
                text.title,
                text.none,
            ))]);
        }
        let mut overall = Tally::default();
        let mut domains: BTreeMap<&str, Tally> = BTreeMap::new();
        let mut tasks: BTreeMap<&str, Tally> = BTreeMap::new();
        let mut services: BTreeMap<&str, Tally> = BTreeMap::new();
        for answer in &results {
            overall.add(answer.correct);
            domains
                .entry(&answer.domain)
                .or_default()
                .add(answer.correct);
            tasks.entry(&answer.task).or_default().add(answer.correct);
            for service in answer.services.lines() {
                services.entry(service).or_default().add(answer.correct);
            }
        }
        let daily_answered = results.iter().filter(|answer| answer.daily).count();
        // A round posted with `/quiz post` counts as a daily one, here as on the board;
        // streaks count days, and freezes keep them through a missed one (`freeze`).
        let streak = self.streak_of(key, server)?;
        let mut by_service: Vec<(&&str, &Tally)> = services.iter().collect();
        by_service.sort_by(|a, b| b.1.total.cmp(&a.1.total).then(a.0.cmp(b.0)));
        let mut card = Card::new(CardKind::Stats, text.title, String::new())
            .field(
                text.answered,
                wording::answered_counts(
                    lang,
                    overall.total,
                    daily_answered,
                    overall.total - daily_answered,
                ),
            )
            .field(text.accuracy, percent(overall.right, overall.total))
            .field(
                text.streak,
                wording::streak_value(lang, streak.current, streak.best),
            )
            .field(
                text.freezes,
                wording::freezes_held(lang, streak.freezes, super::freeze::FREEZES_HELD),
            )
            .field(
                text.domains,
                domains
                    .iter()
                    .map(|(d, t)| t.line(d))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
            .field(
                text.tasks,
                tasks
                    .iter()
                    .map(|(task, t)| t.line(task))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
            .field(
                text.services,
                by_service
                    .iter()
                    .take(15)
                    .map(|(s, t)| t.line(s))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        let readiness = self.readiness_of(key, server, now)?;
        card = card.field(
            text.readiness,
            wording::readiness_brief(lang, readiness.overall, &readiness.exam.to_string()),
        );
        if let Some(team) = self.store.team_of(server, key)? {
            card = card.field(text.team, team);
        }
        if let Some(wins) = self.weekly_wins(key, server, lang)? {
            card = card.field(wording::weekly_wins_heading(lang), wins);
        }
        Ok(vec![Reply::private(card)])
    }

    pub(super) fn team(&self, req: &Request, lang: Lang, command: &TeamCommand) -> Outcome {
        let server = &req.place.server;
        let member = (req.member.key.as_str(), req.member.name.as_str());
        let card = match command {
            TeamCommand::Join(name) => {
                let moved = self
                    .store
                    .join_team(server, member, name.as_str(), &name.key())?;
                Card::info(
                    wording::teams_title(lang),
                    wording::team_joined(lang, &moved.joined, moved.left.as_deref()),
                )
            }
            TeamCommand::Leave => {
                let left = self
                    .store
                    .leave_team(server, member.0)?
                    .ok_or(UserError::NotInTeam)?;
                Card::info(wording::teams_title(lang), wording::team_left(lang, &left))
            }
            TeamCommand::List => {
                let teams = self.store.teams(server)?;
                let body = if teams.is_empty() {
                    wording::no_teams(lang)
                } else {
                    teams
                        .iter()
                        .map(|t| wording::team_line(lang, &t.name, &t.members))
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                Card::info(wording::teams_title(lang), body)
            }
        };
        Ok(vec![Reply::private(card)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday_in_the_servers_zone() {
        let zone = Zone::parse("Asia/Seoul").unwrap();
        // Wednesday 2026-11-25 10:00 KST.
        let now: Timestamp = "2026-11-25T01:00:00Z".parse().unwrap();
        let start = period_start(Period::Week, now, &zone).unwrap();
        assert_eq!(start, "2026-11-22T15:00:00Z".parse::<Timestamp>().unwrap());
        let day = period_start(Period::Day, now, &zone).unwrap();
        assert_eq!(day, "2026-11-24T15:00:00Z".parse::<Timestamp>().unwrap());
        assert_eq!(period_start(Period::All, now, &zone), None);
        let last = period_start(Period::LastWeek, now, &zone).unwrap();
        assert_eq!(last, "2026-11-15T15:00:00Z".parse::<Timestamp>().unwrap());
    }
}
