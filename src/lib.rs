//! quizbot: daily and on-demand AWS SAA-C03 scenario questions for study groups.
//!
//! The crate follows the design picture: `bank` loads questions, `quiz` is the engine,
//! `schedule` computes when rounds happen, `store` keeps state in SQLite, `records` holds
//! the records the engine and the store share, and `adapters`
//! connect chat platforms (and the terminal) to the engine. `bench` measures them.

pub mod adapters;
pub mod bank;
pub mod bench;
pub mod config;
pub mod logging;
pub mod metrics;
pub mod quiz;
pub mod records;
pub mod schedule;
pub mod store;
