//! What a member remembers of one question, and when to ask it again: FSRS-6 (the `fsrs`
//! crate, the scheduler Anki uses) with its default parameters, behind this small interface so
//! that no type of the crate leaves this file.
//!
//! Every answer is a review: a miss is "again", a right answer marked unsure is "hard", a sure
//! right answer is "good". A miss is due again at once, so a review session brings it back
//! after the others until it is answered right.

use jiff::{SignedDuration, Timestamp};

/// The share of reviews FSRS aims to have recalled when they fall due.
pub const DESIRED_RETENTION: f32 = 0.9;

const SECONDS_PER_DAY: f64 = 86_400.0;

pub use crate::records::Memory;

/// How an answer went, as the scheduler grades it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recall {
    Forgot,
    Unsure,
    Sure,
}

impl Recall {
    pub fn of(correct: bool, unsure: bool) -> Self {
        match (correct, unsure) {
            (false, _) => Recall::Forgot,
            (true, true) => Recall::Unsure,
            (true, false) => Recall::Sure,
        }
    }
}

/// A memory after an answer, with when the question is due again.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reviewed {
    pub memory: Memory,
    pub due: Timestamp,
}

/// The scheduler: FSRS with default parameters and a desired retention.
#[derive(Debug)]
pub struct Scheduler {
    fsrs: fsrs::FSRS,
    retention: f32,
}

impl Default for Scheduler {
    fn default() -> Self {
        Self::new(DESIRED_RETENTION)
    }
}

impl Scheduler {
    pub fn new(retention: f32) -> Self {
        Self {
            fsrs: fsrs::FSRS::default(),
            retention,
        }
    }

    /// The memory after answering at `now`, given the memory before (none: first time seen).
    pub fn after(&self, before: Option<Memory>, recall: Recall, now: Timestamp) -> Reviewed {
        let state = before.map(|m| fsrs::MemoryState {
            stability: m.stability as f32,
            difficulty: m.difficulty as f32,
        });
        let elapsed = before.map_or(0.0, |m| days_between(m.reviewed_at, now));
        let next = self
            .fsrs
            .next_states(state, self.retention, elapsed.floor() as u32)
            .ok();
        let Some(next) = next else {
            // Only a corrupt memory (not finite) makes FSRS refuse: start the question afresh.
            return self.after(None, recall, now);
        };
        let item = match recall {
            Recall::Forgot => next.again,
            Recall::Unsure => next.hard,
            Recall::Sure => next.good,
        };
        let memory = Memory {
            stability: f64::from(item.memory.stability),
            difficulty: f64::from(item.memory.difficulty),
            reviewed_at: now,
        };
        let due = match recall {
            Recall::Forgot => now,
            Recall::Unsure | Recall::Sure => now + days(f64::from(item.interval).max(1.0)),
        };
        Reviewed { memory, due }
    }

    /// The probability of recalling the question at `at` (FSRS retrievability), 0 to 1.
    pub fn recall_at(&self, memory: &Memory, at: Timestamp) -> f64 {
        let elapsed = days_between(memory.reviewed_at, at).max(0.0);
        let state = fsrs::MemoryState {
            stability: memory.stability as f32,
            difficulty: memory.difficulty as f32,
        };
        let r = fsrs::current_retrievability(state, elapsed as f32, fsrs::FSRS6_DEFAULT_DECAY);
        if r.is_finite() {
            f64::from(r).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

fn days_between(from: Timestamp, to: Timestamp) -> f64 {
    (to.as_second() - from.as_second()) as f64 / SECONDS_PER_DAY
}

fn days(n: f64) -> SignedDuration {
    SignedDuration::from_secs((n * SECONDS_PER_DAY).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + day * 86_400).unwrap()
    }

    #[test]
    fn intervals_grow_after_right_answers_and_a_miss_is_due_at_once() {
        let s = Scheduler::default();
        let first = s.after(None, Recall::Sure, at(0));
        let second = s.after(Some(first.memory), Recall::Sure, first.due);
        let third = s.after(Some(second.memory), Recall::Sure, second.due);
        let gap = |r: &Reviewed| r.due.as_second() - r.memory.reviewed_at.as_second();
        assert!(gap(&second) > gap(&first), "{first:?} {second:?}");
        assert!(gap(&third) > gap(&second), "{second:?} {third:?}");
        let missed = s.after(Some(third.memory), Recall::Forgot, third.due);
        assert_eq!(missed.due, third.due, "a miss is due again at once");
        assert!(missed.memory.stability < third.memory.stability);
    }

    #[test]
    fn unsure_right_answers_come_back_sooner_than_sure_ones() {
        let s = Scheduler::default();
        let sure = s.after(None, Recall::Sure, at(0));
        let unsure = s.after(None, Recall::Unsure, at(0));
        assert!(unsure.due < sure.due, "{unsure:?} {sure:?}");
    }

    #[test]
    fn recall_fades_from_certain_toward_the_stability_mark() {
        let s = Scheduler::default();
        let m = Memory {
            stability: 10.0,
            difficulty: 5.0,
            reviewed_at: at(0),
        };
        assert!((s.recall_at(&m, at(0)) - 1.0).abs() < 1e-6);
        assert!(
            (s.recall_at(&m, at(10)) - 0.9).abs() < 0.01,
            "90 % at S days"
        );
        assert!(s.recall_at(&m, at(60)) < s.recall_at(&m, at(10)));
    }
}
