//! Deliveries to Slack channels (`slack:C…`): the daily question with its buttons, and
//! the reveal, after which the question's message is replaced by its closed form.

use super::SLACK;
use super::api::Api;
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
            let mut ts = None;
            for message in render::render(&delivery.card, lang) {
                ts = Some(self.api.post_message(channel, &message).await?);
            }
            if let DeliveryKind::Reveal {
                question_message: Some(question),
                closed,
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
