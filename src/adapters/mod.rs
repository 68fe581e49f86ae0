//! Adapters: each turns a platform's input into engine requests and the engine's cards into
//! the platform's messages. They hold no quiz rules.
//!
//! `deliver` is the scheduler loop all chat platforms share; `clock` is the time it reads.

pub mod clock;
pub mod deliver;
pub mod terminal;
