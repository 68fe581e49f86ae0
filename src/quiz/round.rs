//! Daily rounds: one question posted to a channel, answered privately, then revealed.
//! The round records themselves live in [`crate::records`], shared with the store.

pub use crate::records::{Pending, PrivateMode, Round, RoundId, RoundKind, RoundState};

/// What the scheduler must send to a channel now.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub round: RoundId,
    pub channel: String,
    pub kind: DeliveryKind,
    pub card: super::Card,
    /// When it fell due: the round's decision for a post, its reveal time for a reveal.
    pub due: jiff::Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DeliveryKind {
    /// A new daily question; confirm with [`super::Engine::confirm_post`].
    Post,
    /// The reveal; `question_message` is the post to replace with `closed` (the question
    /// marked closed, no longer answerable), if its id is known.
    /// Confirm with [`super::Engine::confirm_reveal`].
    Reveal {
        question_message: Option<String>,
        closed: Box<super::Card>,
    },
}
