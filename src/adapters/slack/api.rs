//! The Web API calls the adapter makes, each with a time limit and retried on transient
//! failures (5xx, timeouts, `ratelimited`) with the shared [`retry_delay`].

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use slack_morphism::errors::SlackClientError;
use slack_morphism::prelude::*;

use super::render::Message;
use crate::adapters::deliver::{SendError, retry_delay};
use crate::quiz::Attachment;

pub(crate) type Connector = SlackClientHyperHttpsConnector;
pub(crate) type Client = SlackClient<Connector>;

/// One call's time limit.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// Tries per call; the delivery loop retries a failed post later anyway.
const ATTEMPTS: u32 = 3;
/// A rate limit asking us to wait longer than this is left to the caller's own retry.
const LONGEST_WAIT: Duration = Duration::from_secs(10);

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
    /// No usable answer: network, timeout, 5xx or rate limit, still failing after retries.
    Failed(String),
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
        }
    }
}

impl From<CallError> for SendError {
    fn from(error: CallError) -> Self {
        if error.is_gone() {
            SendError::Gone(error.to_string())
        } else {
            SendError::Transient(error.to_string())
        }
    }
}

enum Verdict {
    Retry(String, Option<Duration>),
    Stop(CallError),
}

fn judge(error: SlackClientError) -> Verdict {
    match error {
        SlackClientError::ApiError(e) if RETRY.contains(&e.code.as_str()) => {
            Verdict::Retry(e.code, None)
        }
        SlackClientError::ApiError(e) => Verdict::Stop(CallError::Api(e.code)),
        SlackClientError::RateLimitError(e) => Verdict::Retry("rate limited".into(), e.retry_after),
        SlackClientError::HttpError(e)
            if e.status_code.is_server_error() || e.status_code.as_u16() == 408 =>
        {
            Verdict::Retry(format!("HTTP {}", e.status_code), None)
        }
        SlackClientError::HttpError(e) => {
            Verdict::Stop(CallError::Failed(format!("HTTP {}", e.status_code)))
        }
        SlackClientError::HttpProtocolError(e) => Verdict::Retry(e.to_string(), None),
        other => Verdict::Stop(CallError::Failed(other.to_string())),
    }
}

/// The bot's Web API: the client and the bot token.
#[derive(Clone)]
pub(crate) struct Api {
    client: Arc<Client>,
    token: SlackApiToken,
}

impl Api {
    pub(crate) fn new(client: Arc<Client>, token: SlackApiToken) -> Self {
        Self { client, token }
    }

    /// Runs `call` until it succeeds, fails for good, or runs out of tries.
    async fn call<T, F, Fut>(&self, method: &'static str, call: F) -> Result<T, CallError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = ClientResult<T>>,
    {
        let mut last = String::new();
        for attempt in 0..ATTEMPTS {
            let verdict = match tokio::time::timeout(CALL_TIMEOUT, call()).await {
                Ok(Ok(value)) => return Ok(value),
                Ok(Err(error)) => judge(error),
                Err(_) => Verdict::Retry("timed out".into(), None),
            };
            match verdict {
                Verdict::Stop(error) => {
                    tracing::warn!(method, %error, "Slack call refused");
                    return Err(error);
                }
                Verdict::Retry(reason, wait) => {
                    tracing::warn!(method, %reason, attempt, "Slack call failed");
                    last = reason;
                    let delay = retry_delay(attempt).max(wait.unwrap_or_default());
                    if attempt + 1 == ATTEMPTS || delay > LONGEST_WAIT {
                        break;
                    }
                    tokio::time::sleep(delay).await;
                }
            }
        }
        Err(CallError::Failed(format!(
            "{last} (gave up after {ATTEMPTS} tries)"
        )))
    }

    pub(crate) async fn auth_test(&self) -> Result<SlackApiAuthTestResponse, CallError> {
        let (client, token) = (&self.client, &self.token);
        self.call("auth.test", || async move {
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
        self.call("chat.postMessage", || async move {
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
        self.call("chat.postMessage", || async move {
            client.open_session(token).chat_post_message(request).await
        })
        .await
        .map(|response| response.ts.to_string())
    }

    /// The permalink of a posted message.
    pub(crate) async fn permalink(&self, channel: &str, ts: &str) -> Result<String, CallError> {
        let request = SlackApiChatGetPermalinkRequest::new(channel.into(), ts.into());
        let (client, token, request) = (&self.client, &self.token, &request);
        self.call("chat.getPermalink", || async move {
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
        self.call("chat.postEphemeral", || async move {
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
        self.call("chat.update", || async move {
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
        self.call("response_url", || async move {
            client.respond_to_event(url, request).await
        })
        .await
        .map(|_| ())
    }

    /// Opens a modal for the member who clicked (`trigger_id` lasts 3 s).
    pub(crate) async fn open_view(&self, trigger: &str, view: SlackView) -> Result<(), CallError> {
        let request = SlackApiViewsOpenRequest::new(trigger.into(), view);
        let (client, token, request) = (&self.client, &self.token, &request);
        self.call("views.open", || async move {
            client.open_session(token).views_open(request).await
        })
        .await
        .map(|_| ())
    }

    /// A member's profile, with their locale.
    pub(crate) async fn user_info(&self, user: &str) -> Result<SlackUser, CallError> {
        let request = SlackApiUsersInfoRequest::new(user.into()).with_include_locale(true);
        let (client, token, request) = (&self.client, &self.token, &request);
        self.call("users.info", || async move {
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
        self.call("conversations.open", || async move {
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
                .call("files.getUploadURLExternal", || async move {
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
            self.call("upload", || async move {
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
        self.call("files.completeUploadExternal", || async move {
            client
                .open_session(token)
                .files_complete_upload_external(request)
                .await
        })
        .await
        .map(|_| ())
    }
}
