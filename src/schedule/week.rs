//! The schedule's week: weeks run Monday to Sunday in the schedule's zone (as the weekly
//! leaderboard does), and each week's recap has one moment, computed here from the
//! schedule and its recap setting. Pure functions of the schedule and `now`.
//!
//! The recap of a week comes after the week's last daily question (the last weekday of the
//! schedule in that week): by default one hour after that question's reveal; with
//! `recap:DAY@HH:MM`, at the first such local day and time at or after that question's post.

use std::fmt;

use jiff::civil::{Date, Weekday};
use jiff::{SignedDuration, Span, Timestamp};

use super::{DailyTime, Schedule, ScheduleError};

/// When a schedule's weekly recap is posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecapTime {
    /// One hour after the reveal of the week's last daily question.
    #[default]
    AfterLastReveal,
    /// At this local weekday and time, the first at or after the week's last daily post.
    At { day: Weekday, time: DailyTime },
}

/// How long after the week's last reveal the default recap comes.
pub const RECAP_AFTER_REVEAL: SignedDuration = SignedDuration::from_hours(1);

const DAYS: [(&str, Weekday); 7] = [
    ("mon", Weekday::Monday),
    ("tue", Weekday::Tuesday),
    ("wed", Weekday::Wednesday),
    ("thu", Weekday::Thursday),
    ("fri", Weekday::Friday),
    ("sat", Weekday::Saturday),
    ("sun", Weekday::Sunday),
];

impl RecapTime {
    /// `default`, or a weekday and a time: `sun@10:00`, `sun 10:00`, `sunday@10:00`.
    pub fn parse(text: &str) -> Result<Self, ScheduleError> {
        let bad = || ScheduleError::Recap(text.to_owned());
        let lower = text.trim().to_ascii_lowercase();
        if matches!(lower.as_str(), "default" | "auto") {
            return Ok(Self::AfterLastReveal);
        }
        let (day, time) = lower
            .split_once(['@', ' '])
            .map(|(d, t)| (d.trim(), t.trim()))
            .ok_or_else(bad)?;
        let day = DAYS
            .iter()
            .find(|(short, weekday)| {
                day.len() >= 3 && (day.starts_with(short) && full_name(*weekday).starts_with(day))
            })
            .map(|(_, weekday)| *weekday)
            .ok_or_else(bad)?;
        let time = DailyTime::parse(time).map_err(|_| bad())?;
        Ok(Self::At { day, time })
    }
}

fn full_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "monday",
        Weekday::Tuesday => "tuesday",
        Weekday::Wednesday => "wednesday",
        Weekday::Thursday => "thursday",
        Weekday::Friday => "friday",
        Weekday::Saturday => "saturday",
        Weekday::Sunday => "sunday",
    }
}

impl fmt::Display for RecapTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecapTime::AfterLastReveal => f.write_str("default"),
            RecapTime::At { day, time } => {
                let short = DAYS
                    .iter()
                    .find(|(_, d)| d == day)
                    .map_or("mon", |(s, _)| s);
                write!(f, "{short}@{time}")
            }
        }
    }
}

/// The Monday starting the week that holds `date`.
pub fn monday_of(date: Date) -> Date {
    let back = i64::from(date.weekday().to_monday_zero_offset());
    date.checked_sub(Span::new().days(back)).unwrap_or(date)
}

/// A week of a schedule: its Monday, and the instants it starts and ends in the zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Week {
    pub monday: Date,
    pub starts: Timestamp,
    pub ends: Timestamp,
}

fn add_days(date: Date, days: i64) -> Option<Date> {
    date.checked_add(Span::new().days(days)).ok()
}

impl Schedule {
    /// The week starting on `monday`, in this schedule's zone.
    pub fn week(&self, monday: Date) -> Option<Week> {
        let start = |d: Date| {
            d.to_zoned_datetime(self.zone.tz().clone())
                .ok()
                .map(|z| z.timestamp())
        };
        Some(Week {
            monday,
            starts: start(monday)?,
            ends: start(add_days(monday, 7)?)?,
        })
    }

    /// When the recap of the week starting on `monday` is due (see the module note).
    pub fn recap_at(&self, monday: Date, recap: RecapTime) -> Option<Timestamp> {
        let last = (0..7)
            .rev()
            .filter_map(|i| add_days(monday, i))
            .find_map(|date| self.slot_on(date))?;
        match recap {
            RecapTime::AfterLastReveal => {
                Some(self.reveal.after(last.at, &self.zone) + RECAP_AFTER_REVEAL)
            }
            RecapTime::At { day, time } => (0..=7)
                .filter_map(|i| add_days(last.date, i))
                .filter(|date| date.weekday() == day)
                .filter_map(|date| {
                    date.to_datetime(time.time())
                        .to_zoned_datetime(self.zone.tz().clone())
                        .ok()
                        .map(|z| z.timestamp())
                })
                .find(|at| *at >= last.at),
        }
    }

    /// The latest week whose recap moment has come by `now`, if that moment is not before
    /// `since` (when the schedule was set): the one recap caught up after downtime.
    pub fn latest_recap(
        &self,
        recap: RecapTime,
        now: Timestamp,
        since: Timestamp,
    ) -> Option<(Week, Timestamp)> {
        let this = monday_of(self.zone.local(now).date());
        (0..=2)
            .filter_map(|back| this.checked_sub(Span::new().weeks(back)).ok())
            .filter_map(|monday| Some((self.week(monday)?, self.recap_at(monday, recap)?)))
            .find(|(_, at)| *at <= now)
            .filter(|(_, at)| *at >= since)
    }

    /// The first recap moment after `now`.
    pub fn next_recap(&self, recap: RecapTime, now: Timestamp) -> Option<Timestamp> {
        let this = monday_of(self.zone.local(now).date());
        (-1..=2)
            .filter_map(|ahead| add_days(this, 7 * ahead))
            .filter_map(|monday| self.recap_at(monday, recap))
            .find(|at| *at > now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{RevealRule, Weekdays, Zone};

    fn schedule(days: &str, reveal: &str) -> Schedule {
        Schedule {
            time: DailyTime::parse("09:00").unwrap(),
            zone: Zone::parse("Asia/Seoul").unwrap(),
            days: Weekdays::parse(days).unwrap(),
            reveal: RevealRule::parse(reveal).unwrap(),
        }
    }

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn recap_times_read_a_day_and_a_time_and_write_back_the_same() {
        for (typed, shown) in [
            ("sun@10:00", "sun@10:00"),
            ("Sunday 10:00", "sun@10:00"),
            ("mon@9:30", "mon@09:30"),
            ("default", "default"),
        ] {
            assert_eq!(RecapTime::parse(typed).unwrap().to_string(), shown);
        }
        for bad in [
            "sun",
            "10:00",
            "su@10:00",
            "sunday@25:00",
            "someday@10:00",
            "",
        ] {
            assert!(RecapTime::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn the_default_recap_is_an_hour_after_the_reveal_of_the_week_s_last_question() {
        // Mon-Fri at 09:00 KST, revealed at 18:00: Friday 2026-11-27 19:00 KST.
        let s = schedule("mon-fri", "18:00");
        let monday = jiff::civil::date(2026, 11, 23);
        let recap = s.recap_at(monday, RecapTime::AfterLastReveal).unwrap();
        assert_eq!(recap, at("2026-11-27T19:00:00+09:00"));
    }

    #[test]
    fn a_set_recap_day_comes_after_the_week_s_last_post_even_in_the_next_week() {
        let s = schedule("mon-fri", "18:00");
        let monday = jiff::civil::date(2026, 11, 23);
        let sunday = RecapTime::parse("sun@10:00").unwrap();
        assert_eq!(
            s.recap_at(monday, sunday).unwrap(),
            at("2026-11-29T10:00:00+09:00")
        );
        let next_monday = RecapTime::parse("mon@08:00").unwrap();
        assert_eq!(
            s.recap_at(monday, next_monday).unwrap(),
            at("2026-11-30T08:00:00+09:00")
        );
    }

    #[test]
    fn after_downtime_only_the_latest_week_s_recap_is_due_and_none_from_before_the_schedule() {
        let s = schedule("daily", "18:00");
        let recap = RecapTime::AfterLastReveal;
        let set = at("2026-11-16T00:00:00+09:00");
        // Down from before the recap of 11-16's week to after the next one.
        let now = at("2026-12-01T12:00:00+09:00");
        let (week, due) = s.latest_recap(recap, now, set).unwrap();
        assert_eq!(week.monday, jiff::civil::date(2026, 11, 23));
        assert_eq!(due, at("2026-11-29T19:00:00+09:00"));
        assert_eq!(week.starts, at("2026-11-23T00:00:00+09:00"));
        assert_eq!(week.ends, at("2026-11-30T00:00:00+09:00"));
        assert_eq!(s.latest_recap(recap, now, now), None);
        assert_eq!(
            s.next_recap(recap, now),
            Some(at("2026-12-06T19:00:00+09:00"))
        );
    }
}
