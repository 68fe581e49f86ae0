//! The Slack adapter: Socket Mode (no public URL needed) through slack-morphism.
//!
//! In: slash commands (`/practice`, `/answer B`, `/quiz schedule 09:00 Asia/Seoul …`) are
//! read by the shared text parser, button clicks by [`ButtonId`]; every envelope is
//! acknowledged at once and the work runs after, the engine on a blocking thread.
//! Out: cards become Block Kit ([`render`]); private replies are ephemeral
//! (`chat.postEphemeral`, or the interaction's `response_url` where the bot is not a
//! member), channel replies and deliveries are `chat.postMessage` ([`outbox`]).
//!
//! Keys: server `slack:{team}`, channel `slack:{channel}`, member `slack:{user}`.

mod api;
mod outbox;
pub mod render;
mod users;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use slack_morphism::errors::SlackClientError;
use slack_morphism::prelude::*;
use tokio::sync::Notify;

use super::Connected;
use super::clock::Clock;
use super::health::{Link, LinkFuture, LinkState};
use crate::bank::Lang;
use crate::config::Config;
use crate::quiz::{
    Audience, ButtonId, Card, Command, Engine, Member, Place, QuizCommand, Reply, ReportButton,
    Request, USAGE, wording,
};
use api::{Api, CallError, Client};
use users::{Person, Users};

/// The prefix of every Slack key.
pub const SLACK: &str = crate::quiz::Platform::Slack.prefix();

/// Connects to Slack: checks both tokens, then opens the Socket Mode connection, which
/// reconnects by itself after `disconnect` envelopes and dropped sockets. Fails only when
/// Slack refuses a token; an unreachable Slack is retried.
pub async fn connect(
    engine: &Engine,
    config: &Config,
    clock: &Clock,
    wake: &Arc<Notify>,
) -> Result<Connected, String> {
    let slack = config
        .slack
        .as_ref()
        .ok_or("Slack is not configured: set SLACK_APP_TOKEN and SLACK_BOT_TOKEN")?;
    let api_url = slack
        .api_url
        .clone()
        .unwrap_or_else(|| SlackClientHttpApiUri::SLACK_API_URI_STR.to_owned());
    tracing::info!(%api_url, "Slack: connecting over Socket Mode");
    // TLS for the Web API and the socket: ring, whichever other backends the build has
    // (with two compiled in, rustls would otherwise refuse to pick). Set once per process.
    let _ = rustls::crypto::ring::default_provider().install_default();
    // https or plain http (a local test server or proxy): the same client either way.
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_native_roots()
        .map_err(|e| format!("Slack: no CA certificates to trust ({e}); install ca-certificates"))?
        .https_or_http()
        .enable_http1()
        .enable_http2()
        .build();
    let connector = SlackClientHyperConnector::from(https).with_slack_api_url(&api_url);
    let client: Arc<Client> = Arc::new(SlackClient::new(connector));
    let bot_token =
        SlackApiToken::new(slack.bot_token.expose().into()).with_token_type(SlackApiTokenType::Bot);
    let app_token =
        SlackApiToken::new(slack.app_token.expose().into()).with_token_type(SlackApiTokenType::App);
    let api = Api::new(client.clone(), bot_token);
    check_tokens(&api, &client, &app_token).await?;

    let socket = Arc::new(Socket::default());
    let shared = Arc::new(Shared {
        engine: engine.clone(),
        clock: clock.clone(),
        wake: wake.clone(),
        api: api.clone(),
        users: Users::new(slack.admin_users.clone()),
        socket: socket.clone(),
    });
    let environment = SlackClientEventsListenerEnvironment::new(client)
        .with_error_handler(on_error)
        .with_user_state(shared);
    let callbacks = SlackSocketModeListenerCallbacks::new()
        .with_hello_events(on_hello)
        .with_command_events(on_command)
        .with_interaction_events(on_interaction)
        .with_push_events(on_push);
    // One connection: Slack redelivers what is not acked while it is being replaced.
    let socket_config = SlackClientSocketModeConfig::new().with_max_connections_count(1);
    let listener =
        SlackClientSocketModeListener::new(&socket_config, Arc::new(environment), callbacks);
    listener
        .listen_for(&app_token)
        .await
        .map_err(|e| format!("Slack: cannot listen: {e}"))?;
    let task = tokio::spawn(async move {
        listener.start().await;
        // The listener's own tasks serve and reconnect; it lives as long as this task.
        std::future::pending::<()>().await;
        Ok(())
    });
    let outbox = Arc::new(outbox::SlackOutbox {
        api,
        engine: engine.clone(),
        pace: slack.pace,
    });
    Ok(Connected {
        outbox,
        task,
        link: socket,
        // Slack is not sharded: the one process with the tokens serves every workspace.
        serves: Arc::new(|server: &str| server.starts_with(SLACK)),
    })
}

/// The Socket Mode connection as `/healthz` sees it: up from Slack's `hello` until a
/// socket error (slack-morphism then reconnects by itself, and the next `hello` is up).
#[derive(Default)]
struct Socket {
    up: AtomicBool,
}

impl Link for Socket {
    fn state(&self) -> LinkFuture<'_> {
        let up = self.up.load(Ordering::Relaxed);
        Box::pin(async move {
            if up {
                LinkState::Up
            } else {
                LinkState::Down("slack: Socket Mode not connected".into())
            }
        })
    }
}

/// Slack refusing a token is fatal (a typo in `.env`); Slack being unreachable is not.
async fn check_tokens(api: &Api, client: &Client, app_token: &SlackApiToken) -> Result<(), String> {
    match api.auth_test().await {
        Ok(me) => {
            tracing::info!(team = %me.team_id, bot = %me.user_id, "Slack: bot token accepted")
        }
        Err(CallError::Api(code)) => {
            return Err(format!("Slack refused SLACK_BOT_TOKEN: {code}"));
        }
        Err(error) => tracing::warn!(%error, "Slack: could not check the bot token yet"),
    }
    let session = client.open_session(app_token);
    let opened = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        session.apps_connections_open(&SlackApiAppsConnectionOpenRequest::new()),
    )
    .await;
    match opened {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(SlackClientError::ApiError(e))) => Err(format!(
            "Slack refused SLACK_APP_TOKEN: {} (it needs the connections:write scope, and Socket Mode on)",
            e.code
        )),
        Ok(Err(error)) => {
            tracing::warn!(%error, "Slack: could not check the app token yet");
            Ok(())
        }
        Err(_) => {
            tracing::warn!("Slack: could not check the app token yet (timed out)");
            Ok(())
        }
    }
}

/// What every event handler shares.
struct Shared {
    engine: Engine,
    clock: Clock,
    wake: Arc<Notify>,
    api: Api,
    users: Users,
    socket: Arc<Socket>,
}

/// Where an event came from and how to answer its member privately.
struct Origin {
    team: String,
    channel: String,
    user: String,
    response_url: Option<SlackResponseUrl>,
}

async fn shared(state: &SlackClientEventsUserState) -> Option<Arc<Shared>> {
    state.read().await.get_user_state::<Arc<Shared>>().cloned()
}

/// Slack's `hello` on a new socket (its type is not exported by slack-morphism, hence `E`).
async fn on_hello<E: Send + 'static>(
    _hello: E,
    _client: Arc<Client>,
    state: SlackClientEventsUserState,
) {
    tracing::info!("Slack: Socket Mode connected");
    if let Some(shared) = shared(&state).await {
        shared.socket.up.store(true, Ordering::Relaxed);
    }
}

/// Acks at once, with no payload; the command is handled on its own task.
///
/// A slash command's ack payload is shown to the member as a message (an empty `{}`
/// included), and slack-morphism sends a bare ack only when the callback fails and the
/// error handler says all is well: so "failing" with [`Acknowledged`] is how we ack.
async fn on_command(
    event: SlackCommandEvent,
    _client: Arc<Client>,
    state: SlackClientEventsUserState,
) -> UserCallbackResult<SlackCommandEventResponse> {
    if let Some(shared) = shared(&state).await {
        tokio::spawn(async move { shared.command(event).await });
    }
    Err(Box::new(Acknowledged))
}

/// Not an error: asks for a bare ack (see [`on_command`]).
#[derive(Debug)]
struct Acknowledged;

impl std::fmt::Display for Acknowledged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("acknowledged")
    }
}

impl std::error::Error for Acknowledged {}

/// Acks at once; a click is handled on its own task.
async fn on_interaction(
    event: SlackInteractionEvent,
    _client: Arc<Client>,
    state: SlackClientEventsUserState,
) -> UserCallbackResult<SlackInteractionResponse> {
    match event {
        SlackInteractionEvent::BlockActions(actions) => {
            if let Some(shared) = shared(&state).await {
                tokio::spawn(async move { shared.actions(actions).await });
            }
        }
        // The empty ack closes the form; the report's receipt follows privately.
        SlackInteractionEvent::ViewSubmission(submission) => {
            if let Some(shared) = shared(&state).await {
                tokio::spawn(async move { shared.form(submission).await });
            }
        }
        _ => {}
    }
    Ok(SlackInteractionResponse::Empty)
}

/// The app subscribes to no events; anything sent anyway is acked and ignored.
async fn on_push(
    _event: SlackPushEventCallback,
    _client: Arc<Client>,
    _state: SlackClientEventsUserState,
) -> UserCallbackResult<()> {
    Ok(())
}

/// Socket errors (the connection is restored by itself) and envelopes that could not be
/// read. Every envelope is acked: one that could not be read would not read better when
/// Slack sent it again.
fn on_error(
    error: Box<dyn std::error::Error + Send + Sync>,
    _client: Arc<Client>,
    state: SlackClientEventsUserState,
) -> HttpStatusCode {
    if !error.is::<Acknowledged>() {
        tracing::warn!(%error, "Slack: Socket Mode error");
    }
    // The socket failed (not an envelope): down until Slack says hello again.
    if let Some(SlackClientError::SocketModeProtocolError(_)) = error.downcast_ref()
        && let Ok(state) = state.try_read()
        && let Some(shared) = state.get_user_state::<Arc<Shared>>()
    {
        shared.socket.up.store(false, Ordering::Relaxed);
    }
    HttpStatusCode::OK
}

/// Command names the parser knows; any other slash command is read as an umbrella
/// (`/quizbot practice`), its text being the command.
fn known_command(name: &str) -> bool {
    USAGE.iter().any(|(known, _)| *known == name)
}

impl Shared {
    async fn command(self: Arc<Self>, event: SlackCommandEvent) {
        let started = Instant::now();
        let origin = Origin {
            team: event.team_id.0,
            channel: event.channel_id.0,
            user: event.user_id.0,
            response_url: Some(event.response_url),
        };
        let person = self.users.get(&self.api, &origin.user, None).await;
        let name = event.command.0.trim_start_matches('/').to_ascii_lowercase();
        let text = unescape(&event.text.unwrap_or_default());
        let line = if known_command(&name) {
            format!("/{name} {text}")
        } else {
            text
        };
        let resolve = |typed: &str| self.users.resolve(typed);
        let parsed = crate::quiz::parse(&line, &resolve);
        let command_name = parsed.as_ref().map_or("invalid", Command::name);
        let replies = match parsed {
            Ok(command) => match resolve_channel(self.name_member(command).await) {
                Ok(command) => self.handle(&origin, &person, command).await,
                Err(typed) => vec![Reply::private(Card::error(
                    self.lang(&person),
                    wording::slack_channel_unresolved(self.lang(&person), &typed),
                ))],
            },
            Err(error) => vec![self.engine.reject(person.lang, &error)],
        };
        self.reply(&origin, &person, replies).await;
        crate::metrics::interaction(SLACK, command_name, started.elapsed());
        self.wake.notify_one();
    }

    async fn actions(self: Arc<Self>, event: SlackInteractionBlockActionsEvent) {
        let Some(user) = event.user.clone() else {
            return;
        };
        let channel = match &event.container {
            SlackInteractionActionContainer::Message(m) => m.channel_id.clone(),
            SlackInteractionActionContainer::MessageAttachment(m) => m.channel_id.clone(),
            SlackInteractionActionContainer::View(_) => None,
        }
        .or_else(|| event.channel.as_ref().map(|c| c.id.clone()));
        let Some(channel) = channel else { return };
        let origin = Origin {
            team: event.team.id.0.clone(),
            channel: channel.0,
            user: user.id.0.clone(),
            response_url: event.response_url.clone(),
        };
        for action in event.actions.iter().flatten() {
            let id = action.action_id.0.as_str();
            if let Some(report) = ReportButton::decode(id) {
                self.open_report_form(&origin, &event, &report).await;
                continue;
            }
            let command = if id == render::SUBMIT_ACTION {
                match ticked(&event) {
                    Some(command) => Ok(command),
                    None => Err(action
                        .value
                        .as_deref()
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(2)),
                }
            } else if let Some(button) = ButtonId::decode(id) {
                Ok(button.command())
            } else {
                // Ticking a checkbox, or a control of another app: nothing to do.
                continue;
            };
            let started = Instant::now();
            let command_name = command.as_ref().map_or("answer", Command::name);
            let fallback = user.username.as_deref().or(user.name.as_deref());
            let person = self.users.get(&self.api, &origin.user, fallback).await;
            let replies = match command {
                Ok(command) => self.handle(&origin, &person, command).await,
                Err(picks) => {
                    let lang = self.lang(&person);
                    let text = wording::slack_tick_boxes(lang, picks);
                    vec![Reply::private(Card::error(lang, text))]
                }
            };
            self.reply(&origin, &person, replies).await;
            crate::metrics::interaction(SLACK, command_name, started.elapsed());
            self.wake.notify_one();
        }
    }

    /// The 🚩 button: opens the report form with the click's `trigger_id`. The form carries
    /// the channel and the button's id back in its `private_metadata`.
    async fn open_report_form(
        &self,
        origin: &Origin,
        event: &SlackInteractionBlockActionsEvent,
        report: &ReportButton,
    ) {
        let person = self.users.get(&self.api, &origin.user, None).await;
        let metadata = format!("{}|{}", origin.channel, report.encode());
        let view = render::report_form(report, self.lang(&person), metadata);
        if let Err(error) = self.api.open_view(&event.trigger_id.0, view).await {
            tracing::warn!(%error, user = %origin.user, "Slack: could not open the report form");
        }
    }

    /// A submitted report form: the report its inputs mean, stored by the engine, and the
    /// receipt (or the problem) told privately in the channel it was reported from.
    async fn form(self: Arc<Self>, submission: SlackInteractionViewSubmissionEvent) {
        let SlackView::Modal(modal) = &submission.view.view else {
            return;
        };
        let Some((channel, report)) = modal
            .private_metadata
            .as_deref()
            .and_then(|m| m.split_once('|'))
            .and_then(|(channel, id)| Some((channel.to_owned(), ReportButton::decode(id)?)))
        else {
            return;
        };
        let origin = Origin {
            team: submission.team.id.0.clone(),
            channel,
            user: submission.user.id.0.clone(),
            response_url: None,
        };
        let values = submission
            .view
            .state_params
            .state
            .as_ref()
            .map(|s| &s.values);
        let input = |block: &str| {
            values
                .and_then(|v| v.get(&block.into()))
                .and_then(|actions| actions.get(&block.into()))
        };
        let reason = input(render::REASON_INPUT)
            .and_then(|v| v.selected_option.as_ref())
            .map(|o| o.value.clone())
            .unwrap_or_default();
        let comment = input(render::COMMENT_INPUT)
            .and_then(|v| v.value.clone())
            .unwrap_or_default();
        let person = self.users.get(&self.api, &origin.user, None).await;
        let replies = match report.command(&reason, &comment) {
            Ok(command) => self.handle(&origin, &person, command).await,
            Err(error) => vec![self.engine.reject(person.lang, &error)],
        };
        self.reply(&origin, &person, replies).await;
    }

    /// `/stats <@U123|handle>`: the member's name as Slack shows it, for a member the bot
    /// may never have seen answer (Slack's text carries only the id, maybe a handle).
    async fn name_member(&self, mut command: Command) -> Command {
        if let Command::Stats { user: Some(member) } = &mut command
            && let Some(id) = users::user_ref(&member.name)
        {
            let label = users::user_label(&member.name);
            member.name = self.users.get(&self.api, &id, label).await.name;
        }
        command
    }

    fn lang(&self, person: &Person) -> Lang {
        person.lang.unwrap_or(self.engine.default_lang())
    }

    /// One command through the engine, on a blocking thread.
    async fn handle(&self, origin: &Origin, person: &Person, command: Command) -> Vec<Reply> {
        let request = Request {
            place: Place {
                server: format!("{SLACK}{}", origin.team),
                channel: format!("{SLACK}{}", origin.channel),
            },
            member: Member {
                key: format!("{SLACK}{}", origin.user),
                name: person.name.clone(),
            },
            lang: person.lang,
            manager: self.users.manager(&origin.user, person),
            command,
        };
        let (engine, now) = (self.engine.clone(), self.clock.now());
        match tokio::task::spawn_blocking(move || engine.handle(&request, now)).await {
            Ok(replies) => replies,
            Err(error) => {
                tracing::error!(%error, "the engine failed on a Slack request");
                let lang = self.lang(person);
                vec![Reply::private(Card::error(
                    lang,
                    wording::internal_error(lang),
                ))]
            }
        }
    }

    /// Sends replies in order: private ones ephemeral, channel ones as messages; a reply's
    /// files follow it (see [`Shared::share_files`]).
    async fn reply(&self, origin: &Origin, person: &Person, replies: Vec<Reply>) {
        let lang = self.lang(person);
        for reply in replies {
            let messages = render::render(&reply.card, lang);
            match reply.audience {
                Audience::Private => self.private(origin, &messages).await,
                Audience::Channel => self.public(origin, lang, &messages).await,
            }
            if !reply.attachments.is_empty() {
                self.share_files(origin, lang, &reply).await;
            }
        }
    }

    /// A reply's files, uploaded and shared in the member's direct message with the bot:
    /// Slack has no ephemeral files, and a file shared in a channel is seen by everyone
    /// there. The member is told privately where they went (or that they could not go).
    async fn share_files(&self, origin: &Origin, lang: Lang, reply: &Reply) {
        let shared = async {
            let dm = self.api.open_dm(&origin.user).await?;
            let comment = render::escape(&reply.card.title);
            self.api
                .upload_files(&dm, &reply.attachments, &comment)
                .await?;
            Ok::<String, api::CallError>(dm)
        };
        let notice = match shared.await {
            Ok(dm) if dm == origin.channel => return,
            Ok(_) => Card::info(reply.card.title.clone(), wording::slack_files_in_dm(lang)),
            Err(error) => {
                tracing::warn!(user = %origin.user, %error, "Slack: could not share files");
                Card::error(lang, wording::slack_files_failed(lang))
            }
        };
        self.private(origin, &render::render(&notice, lang)).await;
    }

    /// A reply to the channel, in order; where the bot is not a member, privately instead.
    async fn public(&self, origin: &Origin, lang: Lang, messages: &[render::Message]) {
        for (i, message) in messages.iter().enumerate() {
            match self.api.post_message(&origin.channel, message).await {
                Ok(_) => {}
                Err(error) if error.is_gone() => {
                    // Not a member there: tell the member privately, with the fix.
                    self.private(origin, &messages[i..]).await;
                    let notice = Card::error(lang, wording::slack_not_in_channel(lang));
                    self.private(origin, &render::render(&notice, lang)).await;
                    return;
                }
                Err(error) => {
                    tracing::warn!(channel = %origin.channel, %error, "could not post a reply");
                    return;
                }
            }
        }
    }

    /// Ephemeral messages, in order.
    async fn private(&self, origin: &Origin, messages: &[render::Message]) {
        for message in messages {
            self.ephemeral(origin, message).await;
        }
    }

    /// An ephemeral message; through `response_url` where `chat.postEphemeral` cannot reach.
    async fn ephemeral(&self, origin: &Origin, message: &render::Message) {
        let sent = self
            .api
            .post_ephemeral(&origin.channel, &origin.user, message)
            .await;
        let error = match (sent, &origin.response_url) {
            (Ok(()), _) => return,
            (Err(error), Some(url)) if error.is_unreachable() => {
                match self.api.respond(url, message).await {
                    Ok(()) => return,
                    Err(error) => error,
                }
            }
            (Err(error), _) => error,
        };
        tracing::warn!(channel = %origin.channel, user = %origin.user, %error, "could not send a private reply");
    }
}

/// The letters ticked on a choose-N question, from the message state sent with the
/// submit click: each ticked option's value is a [`ButtonId`] for one letter.
fn ticked(event: &SlackInteractionBlockActionsEvent) -> Option<Command> {
    let values = event
        .state
        .as_ref()?
        .values
        .values()
        .flat_map(|m| m.values())
        .flat_map(|v| v.selected_options.iter().flatten())
        .map(|option| option.value.as_str());
    ButtonId::picked(values)
}

/// Slack escapes what members type in command text (`&`, `<`, `>`); its own references
/// (`<@U123|name>`) come unescaped.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `/quiz schedule … channel:<#C123|study>` names a Slack channel; one Slack did not turn
/// into a reference (`#study`) cannot be resolved, and comes back as `Err(typed)`.
fn resolve_channel(mut command: Command) -> Result<Command, String> {
    if let Command::Quiz(QuizCommand::Schedule {
        channel: Some(typed),
        ..
    }) = &mut command
    {
        match users::channel_ref(typed) {
            Some(id) => *typed = format!("{SLACK}{id}"),
            None => return Err(typed.clone()),
        }
    }
    Ok(command)
}
