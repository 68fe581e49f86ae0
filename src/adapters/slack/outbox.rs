//! Deliveries to Slack channels (`slack:C…`): the daily question with its buttons, the
//! reveal, after which the question's message is replaced by its closed form, and the
//! weekly recap. With threads on, the reveal is posted in the question's thread with
//! "also send to channel" (`thread_ts` and `reply_broadcast`), so discussion goes on there;
//! its permalink is kept for the recap's links.

use super::SLACK;
use super::api::{Api, CallError};
use super::render::{self, Message};
use crate::adapters::deliver::{self, Outbox, Pace, SendError, SendFuture};
use crate::quiz::{Delivery, DeliveryKind, Engine};

pub(crate) struct SlackOutbox {
    pub(crate) api: Api,
    pub(crate) engine: Engine,
    pub(crate) pace: Pace,
}

impl Outbox for SlackOutbox {
    fn owns(&self, channel: &str) -> bool {
        channel.starts_with(SLACK)
    }

    fn pace(&self) -> Pace {
        self.pace
    }

    fn send<'a>(&'a self, delivery: &'a Delivery) -> SendFuture<'a> {
        Box::pin(async move {
            let channel = delivery
                .channel
                .strip_prefix(SLACK)
                .ok_or_else(|| SendError::Gone("not a Slack channel".into()))?;
            let lang = deliver::words_lang(&self.engine, delivery).await;
            // A card too long for one message goes out as several; the last carries the
            // controls, and its ts is the one to close later.
            let thread = match &delivery.kind {
                DeliveryKind::Reveal {
                    question_message: Some(question),
                    thread: Some(_),
                    ..
                } => Some(question.as_str()),
                _ => None,
            };
            let mut thread = thread;
            let mut ts = None;
            for message in render::render(&delivery.card, lang) {
                ts = Some(match thread {
                    Some(parent) => {
                        match self.api.post_in_thread(channel, parent, &message).await {
                            Ok(ts) => ts,
                            // Slack refused the thread itself (locked, gone, not allowed): the
                            // reveal goes to the channel, and threads stop for the schedule.
                            Err(CallError::Api(code))
                                if !CallError::Api(code.clone()).is_gone() =>
                            {
                                self.refuse_threads(&delivery.channel, &code).await;
                                thread = None;
                                self.api.post_message(channel, &message).await?
                            }
                            Err(error) => return Err(error.into()),
                        }
                    }
                    None => self.api.post_message(channel, &message).await?,
                });
            }
            if let (DeliveryKind::Reveal { .. }, Some(ts)) = (&delivery.kind, &ts) {
                self.keep_link(channel, delivery.round, ts).await;
            }
            if let DeliveryKind::Reveal {
                question_message: Some(question),
                closed,
                ..
            } = &delivery.kind
                && let Some(closed) = render::render_closed(closed).pop()
            {
                let closed: Message = closed;
                if let Err(error) = self.api.update(channel, question, &closed).await {
                    tracing::warn!(channel, round = %delivery.round, %error, "could not mark the daily question closed");
                }
            }
            Ok(ts)
        })
    }
}

impl SlackOutbox {
    /// Threads stop for the channel's schedule, with Slack's reason for `/quiz status`.
    async fn refuse_threads(&self, key: &str, code: &str) {
        deliver::block_threads(&self.engine, key, format!("Slack said {code}")).await;
    }

    /// Keeps the reveal's permalink for the recap; without one the recap names the round.
    async fn keep_link(&self, channel: &str, round: crate::quiz::RoundId, ts: &str) {
        match self.api.permalink(channel, ts).await {
            Ok(link) => {
                let engine = self.engine.clone();
                let keep = move || engine.record_reveal_link(round, &link);
                if tokio::task::spawn_blocking(keep).await.is_err() {
                    tracing::error!(channel, %round, "could not keep a reveal's link");
                }
            }
            Err(error) => {
                tracing::warn!(channel, %round, %error, "Slack: no permalink for a reveal")
            }
        }
    }
}
