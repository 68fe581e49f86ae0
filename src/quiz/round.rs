//! Daily rounds: one question posted to a channel, answered privately, then revealed.
//! The round records themselves live in [`crate::records`], shared with the store.

pub use crate::records::{Pending, PrivateMode, RecapId, Round, RoundId, RoundKind, RoundState};

/// What the scheduler must send to a channel now.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The round posted or revealed; for a recap, the last round of its week.
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
    /// `thread` names the discussion thread to open on the reveal (Discord: a thread
    /// from the reveal message; Slack: the reveal goes in the question's thread, also sent
    /// to the channel), when the schedule has threads on.
    Reveal {
        question_message: Option<String>,
        closed: Box<super::Card>,
        thread: Option<String>,
    },
    /// The week's recap; confirm with [`super::Engine::confirm_recap`].
    Recap { recap: RecapId },
}
