//! How fast one platform's deliveries go out: at most `concurrency` in flight and, if set,
//! at most `per_second` started each second, evenly spaced (no burst, so no one-second
//! window ever holds more than the rate, give or take one). A delivery is one to three calls (a long card's parts, a reveal's edit
//! of the question), so a platform's default rate leaves room under its global limit.

use std::num::{NonZeroU32, NonZeroUsize};
use std::sync::Arc;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// At most this many deliveries in flight on one platform, whatever the setting says.
const MOST_IN_FLIGHT: usize = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    pub concurrency: NonZeroUsize,
    /// Deliveries started per second; `None`: no limit of the bot's own.
    pub per_second: Option<NonZeroU32>,
}

const fn nonzero(n: usize) -> NonZeroUsize {
    match NonZeroUsize::new(n) {
        Some(n) => n,
        None => NonZeroUsize::MIN,
    }
}

const fn nonzero32(n: u32) -> NonZeroU32 {
    match NonZeroU32::new(n) {
        Some(n) => n,
        None => NonZeroU32::MIN,
    }
}

impl Pace {
    /// Discord allows 50 requests a second per bot (interaction answers aside); a reveal is
    /// two (the reveal and the edit closing the question), so 25 deliveries a second stay
    /// under it even at reveal time. serenity's own rate limiter still honours any 429.
    pub const DISCORD: Pace = Pace {
        concurrency: nonzero(25),
        per_second: Some(nonzero32(25)),
    };
    /// Slack allows about one message a second per channel with short bursts (one delivery
    /// in flight per channel keeps to that) and a few hundred a minute per workspace.
    pub const SLACK: Pace = Pace {
        concurrency: nonzero(8),
        per_second: Some(nonzero32(4)),
    };
    /// An outbox that says nothing (test doubles, the terminal): a few at once, no rate.
    pub const DEFAULT: Pace = Pace {
        concurrency: nonzero(16),
        per_second: None,
    };

    /// A pace from its two settings (`concurrency`, `per_second`), each unset for `default`'s.
    /// `var_*` name the variables, for the error.
    pub fn parse(
        concurrency: Option<&str>,
        per_second: Option<&str>,
        default: Pace,
        (var_concurrency, var_rate): (&str, &str),
    ) -> Result<Pace, String> {
        let concurrency = match concurrency {
            None => default.concurrency,
            Some(text) => text
                .trim()
                .parse::<NonZeroUsize>()
                .ok()
                .filter(|n| n.get() <= MOST_IN_FLIGHT)
                .ok_or_else(|| {
                    format!(
                        "{var_concurrency}: `{text}` is not a number from 1 to {MOST_IN_FLIGHT}"
                    )
                })?,
        };
        let per_second = match per_second.map(str::trim) {
            None => default.per_second,
            Some("off") => None,
            Some(text) => Some(text.parse::<NonZeroU32>().map_err(|_| {
                format!("{var_rate}: `{text}` is not a number of deliveries a second (or `off`)")
            })?),
        };
        Ok(Pace {
            concurrency,
            per_second,
        })
    }
}

/// One platform's pace as the delivery loop applies it: a slot among `concurrency`, then a
/// token of the rate.
pub(super) struct Gate {
    slots: Arc<Semaphore>,
    rate: Option<DefaultDirectRateLimiter>,
}

impl Gate {
    pub(super) fn new(pace: Pace) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(pace.concurrency.get())),
            rate: pace
                .per_second
                .map(|n| RateLimiter::direct(Quota::per_second(n).allow_burst(NonZeroU32::MIN))),
        }
    }

    /// Waits for a slot and then for the rate; the slot is held until the permit drops.
    /// `None` only if the slots were closed, which this loop never does.
    pub(super) async fn enter(&self) -> Option<OwnedSemaphorePermit> {
        let permit = self.slots.clone().acquire_owned().await.ok()?;
        if let Some(rate) = &self.rate {
            rate.until_ready().await;
        }
        Some(permit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VARS: (&str, &str) = ("C", "R");

    #[test]
    fn a_pace_takes_each_setting_or_its_default_and_refuses_nonsense() {
        assert_eq!(
            Pace::parse(None, None, Pace::DISCORD, VARS),
            Ok(Pace::DISCORD)
        );
        let pace = Pace::parse(Some("5"), Some("off"), Pace::DISCORD, VARS).unwrap();
        assert_eq!((pace.concurrency.get(), pace.per_second), (5, None));
        let pace = Pace::parse(None, Some(" 10 "), Pace::SLACK, VARS).unwrap();
        assert_eq!(pace.per_second.map(NonZeroU32::get), Some(10));
        assert_eq!(pace.concurrency, Pace::SLACK.concurrency);
        for bad in ["0", "-1", "many", "1001"] {
            let error = Pace::parse(Some(bad), None, Pace::SLACK, VARS).unwrap_err();
            assert!(error.starts_with("C:"), "{error}");
        }
        let error = Pace::parse(None, Some("0"), Pace::SLACK, VARS).unwrap_err();
        assert!(error.starts_with("R:"), "{error}");
    }
}
