//! Deliveries to Discord channels (`discord:{channel}`): the daily question with its buttons,
//! and the reveal, after which the question's message is edited to show it closed.
//!
//! Every post carries a `nonce` with `enforce_nonce`, derived from the round, so a post
//! retried after a timeout or a crash appears once. Transient failures (5xx, 429, timeouts)
//! are retried with the shared backoff; a deleted channel or a lost permission is `Gone`.

use std::sync::Arc;
use std::time::Duration;

use serenity::all::{ChannelId, CreateMessage, EditMessage, Http, MessageId, Nonce};
use serenity::http::HttpError;

use super::DISCORD;
use super::render;
use crate::adapters::deliver::{self, Outbox, SendError, SendFuture, retry_delay};
use crate::quiz::{Delivery, DeliveryKind, Engine};

/// Tries per post; the delivery loop retries a failed post later anyway.
const ATTEMPTS: u32 = 3;
/// One call's time limit.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) struct DiscordOutbox {
    pub(crate) http: Arc<Http>,
    pub(crate) engine: Engine,
}

impl Outbox for DiscordOutbox {
    fn owns(&self, channel: &str) -> bool {
        channel.starts_with(DISCORD)
    }

    fn send<'a>(&'a self, delivery: &'a Delivery) -> SendFuture<'a> {
        Box::pin(async move {
            let channel = delivery
                .channel
                .strip_prefix(DISCORD)
                .and_then(|id| id.parse::<u64>().ok())
                .filter(|&id| id != 0)
                .map(ChannelId::new)
                .ok_or_else(|| SendError::Gone("not a Discord channel".into()))?;
            let lang = deliver::words_lang(&self.engine, delivery).await;
            let step = match delivery.kind {
                DeliveryKind::Post => "post",
                DeliveryKind::Reveal { .. } => "reveal",
            };
            // A card too long for one message goes out as several, each with its own
            // nonce; the last carries the controls, and its id is the one to close later.
            let mut posted = None;
            for (part, message) in render::render(&delivery.card, lang).into_iter().enumerate() {
                let create = CreateMessage::new()
                    .embed(message.embed)
                    .components(message.components)
                    .nonce(Nonce::String(format!("qb{}{step}{part}", delivery.round)))
                    .enforce_nonce(true);
                posted = Some(self.post(channel, create).await?);
            }
            if let DeliveryKind::Reveal {
                question_message: Some(question),
                closed,
            } = &delivery.kind
                && let Some(closed) = render::render_closed(closed, lang).pop()
            {
                self.close(channel, question, &closed).await;
            }
            Ok(posted.map(|id| id.to_string()))
        })
    }
}

impl DiscordOutbox {
    async fn post(
        &self,
        channel: ChannelId,
        create: CreateMessage,
    ) -> Result<MessageId, SendError> {
        let mut last = String::new();
        for attempt in 0..ATTEMPTS {
            let sent = tokio::time::timeout(
                CALL_TIMEOUT,
                channel.send_message(&self.http, create.clone()),
            )
            .await;
            match sent {
                Ok(Ok(message)) => return Ok(message.id),
                Ok(Err(error)) => match judge(&error) {
                    SendError::Gone(reason) => return Err(SendError::Gone(reason)),
                    SendError::Transient(reason) => last = reason,
                },
                Err(_) => last = "timed out".into(),
            }
            tracing::warn!(%channel, attempt, reason = %last, "Discord post failed");
            if attempt + 1 < ATTEMPTS {
                tokio::time::sleep(retry_delay(attempt)).await;
            }
        }
        Err(SendError::Transient(format!(
            "{last} (gave up after {ATTEMPTS} tries)"
        )))
    }

    /// Marks the daily question closed: same embed, controls disabled. A failure here is
    /// only cosmetic (the reveal is out and answers are refused anyway), so it is logged.
    async fn close(&self, channel: ChannelId, question: &str, closed: &render::Message) {
        let Some(id) = question
            .parse()
            .ok()
            .filter(|&id| id != 0)
            .map(MessageId::new)
        else {
            return;
        };
        let edit = EditMessage::new()
            .embed(closed.embed.clone())
            .components(closed.components.clone());
        if let Err(error) = channel.edit_message(&self.http, id, edit).await {
            tracing::warn!(%channel, message = %id, %error, "could not mark the daily question closed");
        }
    }
}

/// Discord's JSON error codes that mean the channel cannot be posted to as things stand:
/// Unknown Channel, Missing Access, Missing Permissions, Cannot send messages to this user.
const GONE: &[isize] = &[10003, 50001, 50013, 50007];

/// Whether a failed call is worth trying again.
fn judge(error: &serenity::Error) -> SendError {
    match error {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => {
            let status = response.status_code.as_u16();
            let code = response.error.code;
            let reason = format!(
                "Discord said {} ({status}, code {code})",
                response.error.message
            );
            if GONE.contains(&code) || status == 404 || status == 403 {
                SendError::Gone(reason)
            } else {
                SendError::Transient(reason)
            }
        }
        // Network errors, timeouts, unreadable answers: all may pass.
        other => SendError::Transient(other.to_string()),
    }
}
