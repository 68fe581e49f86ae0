//! The clock adapters read `now` from. Production uses the system clock; tests use a manual
//! clock they move forward, and whatever waits on it wakes at once, with no real sleeping.

use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use tokio::sync::watch;

#[derive(Clone)]
pub enum Clock {
    System,
    Manual(Arc<watch::Sender<Timestamp>>),
}

impl Clock {
    pub fn manual(start: Timestamp) -> Self {
        Clock::Manual(Arc::new(watch::channel(start).0))
    }

    pub fn now(&self) -> Timestamp {
        match self {
            Clock::System => Timestamp::now(),
            Clock::Manual(time) => *time.borrow(),
        }
    }

    /// Moves a manual clock forward (a system clock cannot be moved; this does nothing there).
    pub fn advance(&self, by: SignedDuration) {
        if let Clock::Manual(time) = self {
            time.send_modify(|t| *t += by);
        }
    }

    /// Waits until the clock reads `at` or later.
    pub async fn sleep_until(&self, at: Timestamp) {
        match self {
            Clock::System => {
                let wait = Timestamp::now().duration_until(at);
                if wait.is_positive() {
                    tokio::time::sleep(Duration::try_from(wait).unwrap_or(Duration::MAX)).await;
                }
            }
            Clock::Manual(time) => {
                let mut seen = time.subscribe();
                // The sender lives as long as this clock, so `changed` cannot fail while we wait.
                while *seen.borrow_and_update() < at {
                    if seen.changed().await.is_err() {
                        return;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_manual_clock_wakes_its_sleepers_when_moved_past_their_time() {
        let start: Timestamp = "2026-11-24T00:00:00Z".parse().unwrap();
        let clock = Clock::manual(start);
        let sleeper = {
            let clock = clock.clone();
            tokio::spawn(async move {
                clock
                    .sleep_until(start + SignedDuration::from_hours(1))
                    .await
            })
        };
        clock.advance(SignedDuration::from_mins(30));
        assert!(!sleeper.is_finished());
        clock.advance(SignedDuration::from_mins(30));
        sleeper.await.unwrap();
        assert_eq!(clock.now(), start + SignedDuration::from_hours(1));
    }
}
