//! The Web API calls the adapter makes, each with a time limit and retried on transient
//! failures (5xx, timeouts, `ratelimited`) with the shared [`retry_delay`].
//!
//! A 429's `Retry-After` holds that method in that channel (or the method, for calls
//! without one) until it has passed: every call waits for it, the retry of the call that
//! got it and any other; a wait longer than [`LONGEST_WAIT`](crate::adapters::deliver::LONGEST_WAIT) is handed to the delivery
//! loop with the time Slack asked for. slack-morphism's own rate control is not used: it
//! counts `chat.postMessage` at one a second per workspace, where Slack allows about one a
//! second per channel.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use slack_morphism::errors::SlackClientError;
use slack_morphism::prelude::*;

use super::render::Message;
use crate::adapters::deliver::{
    CALL_ATTEMPTS as ATTEMPTS, CALL_TIMEOUT, LONGEST_WAIT, SendError, retry_delay,
};
use crate::quiz::Attachment;

pub(crate) type Connector = SlackClientHyperHttpsConnector;
pub(crate) type Client = SlackClient<Connector>;

/// Slack's errors that mean a channel cannot be posted to as things stand.
const GONE: &[&str] = &[
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "account_inactive",
];
/// Slack's errors worth trying again at once.
const RETRY: &[&str] = &[
    "ratelimited",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
];

/// Why a call failed, after its retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CallError {
    /// Slack answered with this error code.
    Api(String),
    /// No usable answer: network, timeout or 5xx, still failing after retries.
    Failed(String),
    /// Slack answered 429 and asked not to be called before `retry_after` (if it said).
    RateLimited { retry_after: Option<Duration> },
}

impl CallError {
    pub(crate) fn is_gone(&self) -> bool {
        matches!(self, CallError::Api(code) if GONE.contains(&code.as_str()))
    }

    /// Whether an ephemeral message cannot reach this channel (a DM the bot is not in, a
    /// channel it was never invited to), so the interaction's `response_url` should.
    pub(crate) fn is_unreachable(&self) -> bool {
        matches!(self, CallError::Api(code)
            if ["channel_not_found", "not_in_channel", "user_not_in_channel"].contains(&code.as_str()))
    }
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Api(code) => write!(f, "Slack said {code}"),
            CallError::Failed(reason) => f.write_str(reason),
            CallError::RateLimited {
                retry_after: Some(wait),
            } => write!(f, "Slack rate limited us for {} s", wait.as_secs()),
            CallError::RateLimited { retry_after: None } => f.write_str("Slack rate limited us"),
        }
    }
}

impl From<CallError> for SendError {
    fn from(error: CallError) -> Self {
        match error {
            CallError::RateLimited { retry_after } => SendError::Transient {
                reason: error.to_string(),
                retry_after,
            },
            error if error.is_gone() => SendError::Gone(error.to_string()),
            error => SendError::transient(error.to_string()),
        }
    }
}

enum Verdict {
    Retry(String),
    /// A 429, with the wait Slack asked for.
    Limited(Option<Duration>),
    Stop(CallError),
}

fn judge(error: SlackClientError) -> Verdict {
    match error {
        SlackClientError::ApiError(e) if RETRY.contains(&e.code.as_str()) => Verdict::Retry(e.code),
        SlackClientError::ApiError(e) => Verdict::Stop(CallError::Api(e.code)),
        SlackClientError::RateLimitError(e) => Verdict::Limited(e.retry_after),
        SlackClientError::HttpError(e)
            if e.status_code.is_server_error() || e.status_code.as_u16() == 408 =>
        {
            Verdict::Retry(format!("HTTP {}", e.status_code))
        }
        SlackClientError::HttpError(e) => {
            Verdict::Stop(CallError::Failed(format!("HTTP {}", e.status_code)))
        }
        SlackClientError::HttpProtocolError(e) => Verdict::Retry(e.to_string()),
        other => Verdict::Stop(CallError::Failed(other.to_string())),
    }
}

/// The bot's Web API: the client and the bot token.
#[derive(Clone)]
pub(crate) struct Api {
    client: Arc<Client>,
    token: SlackApiToken,
    holds: Arc<Holds>,
}

/// Until when each method (in each channel) must not be called, after a 429.
#[derive(Default)]
struct Holds(Mutex<HashMap<String, Instant>>);

impl Holds {
    fn until(&self, key: &str) -> Option<Instant> {
        let holds = self.0.lock().ok()?;
        holds.get(key).copied().filter(|&t| t > Instant::now())
    }

    fn hold(&self, key: &str, until: Instant) {
        if let Ok(mut holds) = self.0.lock() {
            let now = Instant::now();
            holds.retain(|_, t| *t > now);
            let at = holds.entry(key.to_owned()).or_insert(until);
            *at = (*at).max(until);
        }
    }
}

impl Api {
    pub(crate) fn new(client: Arc<Client>, token: SlackApiToken) -> Self {
        Self {
            client,
            token,
            holds: Arc::default(),
        }
    }

    /// Runs `call` until it succeeds, fails for good, or runs out of tries; never before
    /// a 429's `Retry-After` for this method in this `channel` has passed.
    async fn call<T, F, Fut>(
        &self,
        method: &'static str,
        channel: Option<&str>,
        call: F,
    ) -> Result<T, CallError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = ClientResult<T>>,
    {
        let key = match channel {
            Some(channel) => format!("{method} {channel}"),
            None => method.to_owned(),
        };
        let mut last = String::new();
        for attempt in 0..ATTEMPTS {
            if let Some(until) = self.holds.until(&key) {
                let wait = until.saturating_duration_since(Instant::now());
                if wait > LONGEST_WAIT {
                    return Err(CallError::RateLimited {
                        retry_after: Some(wait),
                    });
                }
                tokio::time::sleep_until(until).await;
            }
            let verdict = match tokio::time::timeout(CALL_TIMEOUT, call()).await {
                Ok(Ok(value)) => return Ok(value),
                Ok(Err(error)) => judge(error),
                Err(_) => Verdict::Retry("timed out".into()),
            };
            let delay = match verdict {
                Verdict::Stop(error) => {
                    tracing::warn!(method, %error, "Slack call refused");
                    return Err(error);
                }
                Verdict::Limited(asked) => {
                    tracing::warn!(method, ?asked, attempt, "Slack rate limited a call");
                    let wait = retry_delay(attempt).max(asked.unwrap_or_default());
                    self.holds.hold(&key, Instant::now() + wait);
                    if attempt + 1 == ATTEMPTS || wait > LONGEST_WAIT {
                        return Err(CallError::RateLimited { retry_after: asked });
                    }
                    last = "rate limited".into();
                    continue;
                }
                Verdict::Retry(reason) => {
                    tracing::warn!(method, %reason, attempt, "Slack call failed");
                    last = reason;
                    retry_delay(attempt)
                }
            };
            if attempt + 1 == ATTEMPTS {
                break;
            }
            tokio::time::sleep(delay).await;
        }
        Err(CallError::Failed(format!(
            "{last} (gave up after {ATTEMPTS} tries)"
        )))
    }

    pub(crate) async fn auth_test(&self) -> Result<SlackApiAuthTestResponse, CallError> {
        let (client, token) = (&self.client, &self.token);
        self.call("auth.test", None, || async move {
            client.open_session(token).auth_test().await
        })
        .await
    }

    /// Posts a message; returns its `ts`.
    pub(crate) async fn post_message(
        &self,
        channel: &str,
        message: &Message,
    ) -> Result<String, CallError> {
        let request = SlackApiChatPostMessageRequest::new(channel.into(), message.content())
            .with_unfurl_links(false);
        let (client, token, request) = (&self.client, &self.token, &request);
        self.call("chat.postMessage", Some(channel), || async move {
            client.open_session(token).chat_post_message(request).await
        })
        .await
        .map(|response| response.ts.to_string())
    }

    /// Posts a message in the thread of `thread_ts`, also sent to the channel ("also send
    /// to channel"); returns its `ts`.
    pub(crate) async fn post_in_thread(
        &self,
        channel: &str,
        thread_ts: &str,
        message: &Message,
    ) -> Result<String, CallError> {
        let request = SlackApiChatPostMessageRequest::new(channel.into(), message.content())
            .with_unfurl_links(false)
            .with_thread_ts(thread_ts.into())
            .with_reply_broadcast(true);
        let (client, token, request) = (&self.client, &self.token, &request);
        self.call("chat.postMessage", Some(channel), || async move {
            client.open_session(token).chat_post_message(request).await
        })
        .await
        .map(|response| response.ts.to_string())
    }

    /// The permalink of a posted message.
    pub(crate) async fn permalink(&self, channel: &str, ts: &str) -> Result<String, CallError> {
        let request = SlackApiChatGetPermalinkRequest::new(channel.into(), ts.into());
        let (client, token, request) = (&self.client, &self.token, &request);
        self.call("chat.getPermalink", Some(channel), || async move {
            client.open_session(token).chat_get_permalink(request).await
        })
        .await
        .map(|response| response.permalink.to_string())
    }

    /// Shows a message to one member of a channel only.
    pub(crate) async fn post_ephemeral(
        &self,
        channel: &str,
        user: &str,
        message: &Message,
    ) -> Result<(), CallError> {
        let request =
            SlackApiChatPostEphemeralRequest::new(channel.into(), user.into(), message.content());
        let (client, token, request) = (&self.client, &self.token, &request);
        self.call("chat.postEphemeral", Some(channel), || async move {
            client
                .open_session(token)
                .chat_post_ephemeral(request)
                .await
        })
        .await
        .map(|_| ())
    }

    /// Replaces a posted message.
    pub(crate) async fn update(
        &self,
        channel: &str,
        ts: &str,
        message: &Message,
    ) -> Result<(), CallError> {
        let request = SlackApiChatUpdateRequest::new(channel.into(), message.content(), ts.into());
        let (client, token, request) = (&self.client, &self.token, &request);
        self.call("chat.update", Some(channel), || async move {
            client.open_session(token).chat_update(request).await
        })
        .await
        .map(|_| ())
    }

    /// Answers an interaction through its `response_url`: ephemeral, to the member only.
    pub(crate) async fn respond(
        &self,
        url: &SlackResponseUrl,
        message: &Message,
    ) -> Result<(), CallError> {
        let request = SlackApiPostWebhookMessageRequest::new(message.content());
        let (client, request) = (&self.client, &request);
        self.call("response_url", None, || async move {
            client.respond_to_event(url, request).await
        })
        .await
        .map(|_| ())
    }

    /// Opens a modal for the member who clicked (`trigger_id` lasts 3 s).
    pub(crate) async fn open_view(&self, trigger: &str, view: SlackView) -> Result<(), CallError> {
        let request = SlackApiViewsOpenRequest::new(trigger.into(), view);
        let (client, token, request) = (&self.client, &self.token, &request);
        self.call("views.open", None, || async move {
            client.open_session(token).views_open(request).await
        })
        .await
        .map(|_| ())
    }

    /// A member's profile, with their locale.
    pub(crate) async fn user_info(&self, user: &str) -> Result<SlackUser, CallError> {
        let request = SlackApiUsersInfoRequest::new(user.into()).with_include_locale(true);
        let (client, token, request) = (&self.client, &self.token, &request);
        self.call("users.info", None, || async move {
            client.open_session(token).users_info(request).await
        })
        .await
        .map(|response| response.user)
    }

    /// The member's direct message with the bot (opened if need be): its channel id.
    /// Slack documents `users` as a comma-separated string, so it goes as a form parameter
    /// (slack-morphism's typed request would send it as a JSON array).
    pub(crate) async fn open_dm(&self, user: &str) -> Result<String, CallError> {
        let (client, token) = (&self.client, &self.token);
        let params = vec![("users", Some(user.to_owned()))];
        let params = &params;
        self.call("conversations.open", None, || async move {
            client
                .open_session(token)
                .http_session_api
                .http_get::<SlackApiConversationsOpenResponse<SlackBasicChannelInfo>, _, _>(
                    "conversations.open",
                    params,
                    None,
                )
                .await
        })
        .await
        .map(|response| response.channel.id.0)
    }

    /// Uploads files and shares them in `channel` in one message, with `comment`: each
    /// file gets an upload URL (`files.getUploadURLExternal`), its bytes go there, then
    /// `files.completeUploadExternal` shares them all.
    pub(crate) async fn upload_files(
        &self,
        channel: &str,
        files: &[Attachment],
        comment: &str,
    ) -> Result<(), CallError> {
        let mut uploaded = Vec::new();
        for file in files {
            let request =
                SlackApiFilesGetUploadUrlExternalRequest::new(file.name.clone(), file.bytes.len());
            let (client, token, request) = (&self.client, &self.token, &request);
            let target = self
                .call("files.getUploadURLExternal", None, || async move {
                    client
                        .open_session(token)
                        .get_upload_url_external(request)
                        .await
                })
                .await?;
            let request = SlackApiFilesUploadViaUrlRequest::new(
                target.upload_url.clone(),
                file.bytes.clone(),
                file.mime.to_owned(),
            );
            let request = &request;
            self.call("upload", None, || async move {
                client
                    .open_session(token)
                    .files_upload_via_url(request)
                    .await
            })
            .await?;
            uploaded.push(
                SlackApiFilesComplete::new(target.file_id.clone()).with_title(file.name.clone()),
            );
        }
        let request = SlackApiFilesCompleteUploadExternalRequest::new(uploaded)
            .with_channel_id(channel.into())
            .with_initial_comment(comment.to_owned());
        let (client, token, request) = (&self.client, &self.token, &request);
        self.call(
            "files.completeUploadExternal",
            Some(channel),
            || async move {
                client
                    .open_session(token)
                    .files_complete_upload_external(request)
                    .await
            },
        )
        .await
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_rate_limit_holds_that_method_in_that_channel_until_it_has_passed() {
        let holds = Holds::default();
        holds.hold(
            "chat.postMessage C1",
            Instant::now() + Duration::from_secs(2),
        );
        holds.hold(
            "chat.postMessage C1",
            Instant::now() + Duration::from_secs(1),
        );
        let until = holds.until("chat.postMessage C1").expect("held");
        assert_eq!(
            until - Instant::now(),
            Duration::from_secs(2),
            "the longer wait wins"
        );
        assert!(
            holds.until("chat.postMessage C2").is_none(),
            "other channels go on"
        );
        assert!(
            holds.until("chat.update C1").is_none(),
            "other methods go on"
        );
        tokio::time::advance(Duration::from_secs(2)).await;
        assert!(
            holds.until("chat.postMessage C1").is_none(),
            "over once passed"
        );
    }
}
