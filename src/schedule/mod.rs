//! When daily rounds happen: a channel's local time, time zone, weekdays and reveal rule,
//! turned into instants with jiff. Pure functions of the schedule and `now`.
//!
//! Daylight-saving rule: a slot is the local time on that date resolved the "compatible" way
//! (as RFC 5545 and most calendars do). A time that does not exist (the spring-forward gap,
//! e.g. 02:30 in New York on the second Sunday of March) moves forward by the gap's length
//! (to 03:30); a time that occurs twice (fall-back, 01:30 on the first Sunday of November)
//! is the first occurrence (daylight time). Either way there is exactly one slot per date.

use std::fmt;
use std::str::FromStr;

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, SpanRelativeTo, Timestamp, ZonedDateTime};

mod week;
pub use week::{RECAP_AFTER_REVEAL, RecapTime, Week, monday_of};

/// A local time of day, `HH:MM`, built only by parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyTime(Time);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("`{0}` is not a time of day: write it as HH:MM, for example 09:00 or 18:30")]
    Time(String),
    #[error("`{0}` is not a time zone: use an IANA name such as Asia/Seoul or America/New_York")]
    Zone(String),
    #[error(
        "`{0}` is not a set of weekdays: use daily, weekdays, weekends, mon-fri or mon,wed,fri"
    )]
    Days(String),
    #[error(
        "`{0}` is not a reveal: give a delay such as 8h or 90m (under 24h), or a time such as 18:00"
    )]
    Reveal(String),
    #[error("`{0}` is not a duration: use forms such as 90m, 8h, 1d or 2h30m")]
    Duration(String),
    #[error("`{0}` is not a recap time: give a weekday and a time such as sun@10:00 (or default)")]
    Recap(String),
}

impl DailyTime {
    pub fn parse(text: &str) -> Result<Self, ScheduleError> {
        let bad = || ScheduleError::Time(text.to_owned());
        let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
        let valid = |s: &str, len: std::ops::RangeInclusive<usize>| {
            len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
        };
        if !valid(h, 1..=2) || !valid(m, 2..=2) {
            return Err(bad());
        }
        let (h, m): (i8, i8) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        Time::new(h, m, 0, 0).map(Self).map_err(|_| bad())
    }

    pub fn time(self) -> Time {
        self.0
    }
}

impl fmt::Display for DailyTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0.hour(), self.0.minute())
    }
}

/// An IANA time zone, kept with the name the user gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    name: String,
    tz: TimeZone,
}

impl Zone {
    pub fn parse(text: &str) -> Result<Self, ScheduleError> {
        let name = text.trim();
        // Only IANA names: jiff would also accept fixed offsets, which silently ignore DST.
        if !name.contains('/') && name != "UTC" {
            return Err(ScheduleError::Zone(text.to_owned()));
        }
        let tz = TimeZone::get(name).map_err(|_| ScheduleError::Zone(text.to_owned()))?;
        Ok(Self {
            name: tz.iana_name().unwrap_or(name).to_owned(),
            tz,
        })
    }

    pub fn utc() -> Self {
        Self {
            name: "UTC".into(),
            tz: TimeZone::UTC,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }

    pub fn local(&self, at: Timestamp) -> ZonedDateTime {
        at.to_zoned_datetime(self.tz.clone())
    }
}

/// The weekdays a schedule posts on, Monday first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weekdays(u8);

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const FULL_DAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

impl Weekdays {
    pub const EVERY_DAY: Weekdays = Weekdays(0b111_1111);

    pub fn parse(text: &str) -> Result<Self, ScheduleError> {
        let bad = || ScheduleError::Days(text.to_owned());
        let lower = text.trim().to_ascii_lowercase();
        match lower.as_str() {
            "daily" | "every-day" | "everyday" | "all" => return Ok(Self::EVERY_DAY),
            "weekdays" => return Ok(Self(0b001_1111)),
            "weekends" => return Ok(Self(0b110_0000)),
            _ => {}
        }
        // A day is its English name or any prefix of it of three letters or more.
        let day = |s: &str| {
            let s = s.trim();
            FULL_DAY_NAMES
                .iter()
                .position(|name| s.len() >= 3 && name.starts_with(s))
                .ok_or_else(bad)
        };
        let mut bits = 0u8;
        for part in lower.split(',') {
            match part.split_once('-') {
                Some((from, to)) => {
                    let (from, to) = (day(from)?, day(to)?);
                    let mut i = from;
                    loop {
                        bits |= 1 << i;
                        if i == to {
                            break;
                        }
                        i = (i + 1) % 7;
                    }
                }
                None => bits |= 1 << day(part)?,
            }
        }
        if bits == 0 {
            return Err(bad());
        }
        Ok(Self(bits))
    }

    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << (day.to_monday_zero_offset())) != 0
    }
}

impl fmt::Display for Weekdays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0b111_1111 => return f.write_str("daily"),
            0b001_1111 => return f.write_str("mon-fri"),
            0b110_0000 => return f.write_str("sat,sun"),
            _ => {}
        }
        let names: Vec<&str> = (0..7)
            .filter(|i| self.0 & (1 << i) != 0)
            .map(|i| DAY_NAMES[i])
            .collect();
        f.write_str(&names.join(","))
    }
}

/// When a round's answer is revealed: a delay after the post, or the next local time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevealRule {
    After(SignedDuration),
    At(DailyTime),
}

impl RevealRule {
    /// Twelve hours: a morning question is revealed in the evening.
    pub const DEFAULT: RevealRule = RevealRule::After(SignedDuration::from_hours(12));

    pub fn parse(text: &str) -> Result<Self, ScheduleError> {
        if text.contains(':') {
            return DailyTime::parse(text)
                .map(Self::At)
                .map_err(|_| ScheduleError::Reveal(text.to_owned()));
        }
        let delay = parse_duration(text).map_err(|_| ScheduleError::Reveal(text.to_owned()))?;
        if delay < SignedDuration::from_mins(1) || delay >= SignedDuration::from_hours(24) {
            return Err(ScheduleError::Reveal(text.to_owned()));
        }
        Ok(Self::After(delay))
    }
}

impl fmt::Display for RevealRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RevealRule::After(d) => f.write_str(&short_duration(*d)),
            RevealRule::At(t) => write!(f, "{t}"),
        }
    }
}

/// A duration as people type it: `90m`, `8h`, `1d`, `2h30m`, `1 day`. A day is 24 hours.
pub fn parse_duration(text: &str) -> Result<SignedDuration, ScheduleError> {
    let bad = || ScheduleError::Duration(text.to_owned());
    let span: Span = text.trim().parse().map_err(|_| bad())?;
    let duration = span
        .to_duration(SpanRelativeTo::days_are_24_hours())
        .map_err(|_| bad())?;
    if duration.is_negative() {
        return Err(bad());
    }
    Ok(duration)
}

/// `8h`, `1h30m`, `45m`: how the bot writes a delay back.
pub fn short_duration(d: SignedDuration) -> String {
    let minutes = d.as_secs() / 60;
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m}m"),
    }
}

/// One channel's daily schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub time: DailyTime,
    pub zone: Zone,
    pub days: Weekdays,
    pub reveal: RevealRule,
}

/// One daily posting moment: the instant and the local date it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub at: Timestamp,
    pub date: Date,
}

impl Schedule {
    /// The slot on a local date, if the schedule posts on that weekday.
    pub fn slot_on(&self, date: Date) -> Option<Slot> {
        if !self.days.contains(date.weekday()) {
            return None;
        }
        // `to_zoned` resolves gaps and folds the "compatible" way (see the module note).
        let zoned = date
            .to_datetime(self.time.time())
            .to_zoned_datetime(self.zone.tz().clone())
            .ok()?;
        Some(Slot {
            at: zoned.timestamp(),
            date,
        })
    }

    /// The latest slot at or before `now` and not before `since` (when the schedule was set):
    /// the one a bot coming back from downtime catches up, once.
    pub fn latest_slot(&self, now: Timestamp, since: Timestamp) -> Option<Slot> {
        let today = self.zone.local(now).date();
        (0..=8)
            .filter_map(|back| today.checked_sub(Span::new().days(back)).ok())
            .filter_map(|date| self.slot_on(date))
            .find(|slot| slot.at <= now)
            .filter(|slot| slot.at >= since)
    }

    /// The first slot at or after `since`: where a schedule set at `since` starts.
    pub fn first_slot_from(&self, since: Timestamp) -> Option<Slot> {
        self.next_slot(since - SignedDuration::from_secs(1))
    }

    /// The first slot strictly after `now`.
    pub fn next_slot(&self, now: Timestamp) -> Option<Slot> {
        let today = self.zone.local(now).date();
        (0..=8)
            .filter_map(|ahead| today.checked_add(Span::new().days(ahead)).ok())
            .filter_map(|date| self.slot_on(date))
            .find(|slot| slot.at > now)
    }

    /// When a round posted at `posted` for `slot` is revealed. A round posted late (caught up
    /// after downtime) stays open as long as an on-time one would have, if its nominal reveal
    /// has already passed.
    pub fn reveal_at(&self, slot_at: Timestamp, posted: Timestamp) -> Timestamp {
        let nominal = self.reveal.after(slot_at, &self.zone);
        if nominal > posted {
            nominal
        } else {
            posted + slot_at.duration_until(nominal)
        }
    }
}

impl RevealRule {
    /// The reveal instant for a round that opened at `opened`.
    pub fn after(self, opened: Timestamp, zone: &Zone) -> Timestamp {
        match self {
            RevealRule::After(delay) => opened + delay,
            RevealRule::At(time) => {
                let local = zone.local(opened);
                [0, 1]
                    .into_iter()
                    .filter_map(|d| local.date().checked_add(Span::new().days(d)).ok())
                    .filter_map(|date| {
                        date.to_datetime(time.time())
                            .to_zoned_datetime(zone.tz().clone())
                            .ok()
                    })
                    .map(|z| z.timestamp())
                    .find(|at| *at > opened)
                    .unwrap_or(opened + SignedDuration::from_hours(24))
            }
        }
    }
}

impl FromStr for DailyTime {
    type Err = ScheduleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day_are_hh_mm_and_nothing_else() {
        assert_eq!(DailyTime::parse("9:05").unwrap().to_string(), "09:05");
        assert_eq!(DailyTime::parse("23:59").unwrap().to_string(), "23:59");
        for bad in ["24:00", "9", "09:5", "ab:cd", "09:00:00", "-1:00", ""] {
            assert!(DailyTime::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn weekdays_read_ranges_lists_and_words() {
        assert_eq!(Weekdays::parse("mon-fri").unwrap().to_string(), "mon-fri");
        assert_eq!(
            Weekdays::parse("Mon,Wed,Fri").unwrap().to_string(),
            "mon,wed,fri"
        );
        assert_eq!(
            Weekdays::parse("fri-mon").unwrap().to_string(),
            "mon,fri,sat,sun"
        );
        assert_eq!(Weekdays::parse("daily").unwrap(), Weekdays::EVERY_DAY);
        assert_eq!(
            Weekdays::parse("tues,thursday").unwrap().to_string(),
            "tue,thu"
        );
        assert!(Weekdays::parse("someday").is_err());
        assert!(Weekdays::parse("mo").is_err());
        assert!(Weekdays::parse("ééé").is_err());
        assert!(Weekdays::parse("").is_err());
    }

    #[test]
    fn zones_must_be_iana_names() {
        assert_eq!(Zone::parse("Asia/Seoul").unwrap().name(), "Asia/Seoul");
        assert!(Zone::parse("Mars/Olympus").is_err());
        assert!(Zone::parse("+09:00").is_err());
    }

    #[test]
    fn reveal_rules_are_delays_under_a_day_or_times() {
        assert_eq!(
            RevealRule::parse("8h").unwrap(),
            RevealRule::After(SignedDuration::from_hours(8))
        );
        assert!(matches!(RevealRule::parse("18:00"), Ok(RevealRule::At(_))));
        assert!(RevealRule::parse("25h").is_err());
        assert!(RevealRule::parse("0m").is_err());
        assert!(RevealRule::parse("soon").is_err());
    }

    #[test]
    fn durations_accept_days_hours_and_minutes() {
        assert_eq!(
            parse_duration("90m").unwrap(),
            SignedDuration::from_mins(90)
        );
        assert_eq!(
            parse_duration("1d").unwrap(),
            SignedDuration::from_hours(24)
        );
        assert_eq!(
            parse_duration("2h30m").unwrap(),
            SignedDuration::from_mins(150)
        );
        assert!(parse_duration("-1h").is_err());
        assert!(parse_duration("later").is_err());
    }
}
