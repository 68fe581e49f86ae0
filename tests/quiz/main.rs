//! The quiz engine end to end over a real SQLite file: daily rounds, answers, reveals,
//! practice and review, scores, and concurrency. Time is always passed in.

mod answers;
mod concurrency;
mod export;
mod freezes;
mod mock;
mod practice;
mod readiness;
mod reports;
mod rounds;
mod scores;
mod support;
mod week;
