//! Deliveries to Discord channels (`discord:{channel}`): the daily question with its buttons,
//! the reveal, after which the question's message is edited to show it closed and (when
//! the schedule has threads on) a discussion thread is started from the reveal message,
//! and the weekly recap. A refused thread (a missing permission) is not a failed reveal:
//! the reveal stands and the engine is told, so `/quiz status` says why threads are off.
//!
//! Every post carries a `nonce` with `enforce_nonce`, made of the database's random id and
//! the round, so a post retried after a timeout or a crash appears once, and a round of a
//! new database (after a reset) is never taken for an old one. Transient failures (5xx, 429, timeouts)
//! are retried with the shared backoff; a deleted channel or a lost permission is `Gone`.
//!
//! Without a proxy, serenity's rate limiter waits out every 429 (global and per route) and
//! each route's bucket before calling. Behind a proxy (`DISCORD_API_BASE`) the proxy limits;
//! a 429 it lets through reaches us without its `retry_after` (serenity keeps only the
//! error's code and message), so it is waited out for [`RATE_LIMITED_WAIT`], longer than
//! Discord's usual per-route waits, before that route is called again.

use std::sync::Arc;
use std::time::Duration;

use serenity::all::{ChannelId, CreateMessage, CreateThread, EditMessage, Http, MessageId, Nonce};
use serenity::http::HttpError;

use super::DISCORD;
use super::render;
use crate::adapters::deliver::{
    self, CALL_ATTEMPTS as ATTEMPTS, CALL_TIMEOUT, LONGEST_WAIT, Outbox, Pace, SendError,
    SendFuture, retry_delay,
};
use crate::quiz::{Delivery, DeliveryKind, Engine, RoundId};

/// How long a 429 whose `retry_after` did not reach us is waited out.
pub(crate) const RATE_LIMITED_WAIT: Duration = Duration::from_secs(5);

pub(crate) struct DiscordOutbox {
    pub(crate) http: Arc<Http>,
    pub(crate) engine: Engine,
    pub(crate) pace: Pace,
}

impl Outbox for DiscordOutbox {
    fn owns(&self, channel: &str) -> bool {
        channel.starts_with(DISCORD)
    }

    fn pace(&self) -> Pace {
        self.pace
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
            // A recap's nonce is made from the recap's own id (its step tells it apart).
            let (step, id) = match delivery.kind {
                DeliveryKind::Post => (Step::Post, delivery.round),
                DeliveryKind::Reveal { .. } => (Step::Reveal, delivery.round),
                DeliveryKind::Recap { recap } => (Step::Recap, RoundId(recap.0)),
            };
            let instance = self.engine.store().instance();
            // A card too long for one message goes out as several, each with its own
            // nonce; the last carries the controls, and its id is the one to close later.
            let mut posted = None;
            for (part, message) in render::render(&delivery.card, lang).into_iter().enumerate() {
                let create = CreateMessage::new()
                    .embed(message.embed)
                    .components(message.components)
                    .nonce(Nonce::String(nonce(instance, id, step, part)))
                    .enforce_nonce(true);
                posted = Some(self.post(channel, create).await?);
            }
            if let DeliveryKind::Reveal {
                question_message: Some(question),
                closed,
                ..
            } = &delivery.kind
                && let Some(closed) = render::render_closed(closed, lang).pop()
            {
                self.close(channel, question, &closed).await;
            }
            if let (
                DeliveryKind::Reveal {
                    thread: Some(name), ..
                },
                Some(reveal),
            ) = (&delivery.kind, posted)
            {
                self.open_thread(channel, reveal, name, &delivery.channel)
                    .await;
            }
            Ok(posted.map(|id| id.to_string()))
        })
    }
}

/// Which message of a round a nonce is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Post,
    Reveal,
    /// A weekly recap (the id is the recap's).
    Recap,
}

/// Discord drops a second message with the same nonce for a few minutes; a nonce is at most
/// 25 characters.
const NONCE: usize = 25;

/// The nonce of one message of a round: the database's random id, the round in base 36,
/// `P` or `R`, and the part, so a retry is recognised and nothing from another database
/// (one before a reset) ever is. At most 8 + 13 + 1 + 1 characters.
fn nonce(instance: &str, round: RoundId, step: Step, part: usize) -> String {
    let step = match step {
        Step::Post => 'P',
        Step::Reveal => 'R',
        Step::Recap => 'W',
    };
    let mut round36 = String::new();
    let mut n = round.0.unsigned_abs();
    loop {
        round36.insert(0, char::from_digit((n % 36) as u32, 36).unwrap_or('0'));
        n /= 36;
        if n == 0 {
            break;
        }
    }
    let instance: String = instance.chars().take(8).collect();
    let nonce = format!("{instance}{round36}{step}{part}");
    nonce.chars().take(NONCE).collect()
}

impl DiscordOutbox {
    async fn post(
        &self,
        channel: ChannelId,
        create: CreateMessage,
    ) -> Result<MessageId, SendError> {
        let mut last = String::new();
        let mut asked = None;
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
                    SendError::Transient {
                        reason,
                        retry_after,
                    } => (last, asked) = (reason, retry_after),
                },
                Err(_) => (last, asked) = ("timed out".into(), None),
            }
            tracing::warn!(%channel, attempt, reason = %last, "Discord post failed");
            let delay = retry_delay(attempt).max(asked.unwrap_or_default());
            if attempt + 1 == ATTEMPTS || delay > LONGEST_WAIT {
                break;
            }
            tokio::time::sleep(delay).await;
        }
        Err(SendError::Transient {
            reason: format!("{last} (gave up after {ATTEMPTS} tries)"),
            retry_after: asked,
        })
    }

    /// Starts the discussion thread from the reveal message. A refusal for a missing
    /// permission stops threads for the schedule (the reveal stands); a thread already
    /// made for this message (a reveal sent again after a crash) is fine; anything else is
    /// logged, and the reveal stands.
    async fn open_thread(&self, channel: ChannelId, reveal: MessageId, name: &str, key: &str) {
        let create = CreateThread::new(name);
        let made = tokio::time::timeout(
            CALL_TIMEOUT,
            channel.create_thread_from_message(&self.http, reveal, create),
        )
        .await;
        let error = match made {
            Ok(Ok(_)) => return,
            Ok(Err(error)) => error,
            Err(_) => {
                tracing::warn!(%channel, "Discord: opening the reveal's thread timed out");
                return;
            }
        };
        match thread_refusal(&error) {
            Refusal::Permission(reason) => deliver::block_threads(&self.engine, key, reason).await,
            Refusal::AlreadyThere => {}
            Refusal::Other(reason) => {
                tracing::warn!(%channel, %reason, "Discord: could not open the reveal's thread");
            }
        }
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

/// Discord's JSON error codes for a bot lacking access or a permission in the channel:
/// Missing Access, Missing Permissions.
const NO_PERMISSION: &[isize] = &[50001, 50013];

/// Discord's JSON error codes that mean the channel cannot be posted to as things stand:
/// Unknown Channel, Cannot send messages to this user, and [`NO_PERMISSION`].
const GONE: &[isize] = &[10003, 50007, 50001, 50013];

/// Why Discord would not start a thread.
enum Refusal {
    /// Missing Access or Missing Permissions (Create Public Threads): stop threads.
    Permission(String),
    /// A thread was already started from this message.
    AlreadyThere,
    Other(String),
}

/// "A thread has already been created for this message".
const THREAD_EXISTS: isize = 160_004;

fn thread_refusal(error: &serenity::Error) -> Refusal {
    match error {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => {
            let (status, code, reason) = discord_said(response);
            if code == THREAD_EXISTS {
                Refusal::AlreadyThere
            } else if status == 403 || NO_PERMISSION.contains(&code) {
                Refusal::Permission(reason)
            } else {
                Refusal::Other(reason)
            }
        }
        other => Refusal::Other(other.to_string()),
    }
}

/// What Discord answered a refused call: its status, its error code, and both in words.
fn discord_said(response: &serenity::http::ErrorResponse) -> (u16, isize, String) {
    let status = response.status_code.as_u16();
    let code = response.error.code;
    let reason = format!(
        "Discord said {} ({status}, code {code})",
        response.error.message
    );
    (status, code, reason)
}

/// Whether a failed call is worth trying again.
fn judge(error: &serenity::Error) -> SendError {
    match error {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => {
            let (status, code, reason) = discord_said(response);
            if GONE.contains(&code) || status == 404 || status == 403 {
                SendError::Gone(reason)
            } else if status == 429 {
                SendError::Transient {
                    reason,
                    retry_after: Some(RATE_LIMITED_WAIT),
                }
            } else {
                SendError::transient(reason)
            }
        }
        // Network errors, timeouts, unreadable answers: all may pass.
        other => SendError::transient(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_fit_discord_and_differ_by_database_round_step_and_part() {
        let longest = nonce("0123abcd", RoundId(i64::MAX), Step::Reveal, 3);
        assert!(longest.chars().count() <= NONCE, "{longest}");
        let one = nonce("0123abcd", RoundId(1), Step::Post, 0);
        let others = [
            nonce("feedbeef", RoundId(1), Step::Post, 0),
            nonce("0123abcd", RoundId(2), Step::Post, 0),
            nonce("0123abcd", RoundId(1), Step::Reveal, 0),
            nonce("0123abcd", RoundId(1), Step::Recap, 0),
            nonce("0123abcd", RoundId(1), Step::Post, 1),
        ];
        assert!(others.iter().all(|other| *other != one), "{one} {others:?}");
        // Round 36 is not round 1 followed by anything.
        assert_ne!(
            nonce("0123abcd", RoundId(36), Step::Post, 0),
            nonce("0123abcd", RoundId(1), Step::Post, 0)
        );
    }
}
