//! Deliveries to Slack channels (`slack:C…`): the daily question with its buttons, and
//! the reveal, after which the question's message is replaced by its closed form.

use super::SLACK;
use super::api::Api;
use super::render::{self, Message};
use crate::adapters::deliver::{Outbox, SendError, SendFuture};
use crate::bank::Lang;
use crate::quiz::{CardKind, Delivery, DeliveryKind, Engine};

pub(crate) struct SlackOutbox {
    pub(crate) api: Api,
    pub(crate) engine: Engine,
}

impl Outbox for SlackOutbox {
    fn owns(&self, channel: &str) -> bool {
        channel.starts_with(SLACK)
    }

    fn send<'a>(&'a self, delivery: &'a Delivery) -> SendFuture<'a> {
        Box::pin(async move {
            let channel = delivery
                .channel
                .strip_prefix(SLACK)
                .ok_or_else(|| SendError::Gone("not a Slack channel".into()))?;
            let lang = self.lang_of(delivery).await;
            let message = render::render(&delivery.card, lang);
            let ts = self.api.post_message(channel, &message).await?;
            if let DeliveryKind::Reveal {
                question_message: Some(question),
                closed,
            } = &delivery.kind
            {
                let closed: Message = render::render_closed(closed);
                if let Err(error) = self.api.update(channel, question, &closed).await {
                    tracing::warn!(channel, round = %delivery.round, %error, "could not mark the daily question closed");
                }
            }
            Ok(Some(ts))
        })
    }
}

impl SlackOutbox {
    /// The round's language, for the words on buttons (only a choose-N question has any).
    async fn lang_of(&self, delivery: &Delivery) -> Lang {
        let default = self.engine.default_lang();
        let words_on_buttons = matches!(delivery.card.kind, CardKind::Question { picks, .. } if picks > 1)
            && delivery.kind == DeliveryKind::Post;
        if !words_on_buttons {
            return default;
        }
        let (engine, round) = (self.engine.clone(), delivery.round);
        tokio::task::spawn_blocking(move || engine.store().round(round))
            .await
            .ok()
            .and_then(Result::ok)
            .flatten()
            .map_or(default, |r| r.lang)
    }
}
