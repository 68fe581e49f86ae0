//! The Discord adapter: slash commands through poise, buttons and select menus through
//! serenity's interaction events, deliveries through [`outbox`].
//!
//! In: each slash command ([`commands`]) turns its typed options into a quiz command; a
//! click is read back from its [`ButtonId`]. Both become a [`Request`] for the engine,
//! which runs on a blocking thread so the gateway never waits on the database.
//! Out: cards become embeds with components ([`render`]); private replies are ephemeral
//! interaction responses, channel replies public ones. If the engine takes longer than
//! [`DEFER_AFTER`], the interaction is deferred first, so Discord's 3 s limit always holds.
//!
//! `DISCORD_API_BASE` sends every REST call to another base URL (a rate-limit proxy, or a
//! test's fake Discord); serenity's own rate limiter is then off, the proxy's job.
//!
//! Shards: as many as Discord recommends (`GET /gateway/bot`), all in this process, or the
//! range `DISCORD_SHARDS` names; then this process serves and delivers to only the servers
//! of its shards ([`shards`]), and others on the same database serve the rest.
//!
//! Keys: server `discord:{guild}`, channel `discord:{channel}`, member `discord:{user}`.

mod commands;
mod outbox;
pub mod render;
mod shards;

use std::sync::Arc;
use std::time::{Duration, Instant};

use poise::serenity_prelude as serenity;
use serenity::Builder as _;
use serenity::{
    ActionRowComponent, ChannelId, ClientBuilder, CommandInteraction, ComponentInteraction,
    ComponentInteractionDataKind, CreateAllowedMentions, CreateAttachment,
    CreateInteractionResponse, CreateInteractionResponseFollowup, CreateInteractionResponseMessage,
    CreateMessage, EditInteractionResponse, FullEvent, GatewayIntents, GuildId, Http, HttpBuilder,
    Interaction, InteractionId, ModalInteraction,
};
use tokio::sync::Notify;

use super::Connected;
use super::clock::Clock;
use crate::bank::Lang;
use crate::config::Config;
use crate::quiz::{
    Audience, ButtonId, Card, Command, CommandError, Engine, Member, Place, Reply, ReportButton,
    Request, wording,
};

/// The prefix of every Discord key.
pub const DISCORD: &str = crate::quiz::Platform::Discord.prefix();

/// The REST base serenity uses when no `DISCORD_API_BASE` is set.
const DISCORD_API: &str = "https://discord.com";

/// How long the engine may take before the interaction is deferred (Discord allows 3 s).
pub const DEFER_AFTER: Duration = Duration::from_millis(1500);

/// What every command and event handler shares: handles, no logic.
pub struct Data {
    engine: Engine,
    clock: Clock,
    wake: Arc<Notify>,
}

pub(crate) type Error = Box<dyn std::error::Error + Send + Sync>;
pub(crate) type Context<'a> = poise::Context<'a, Data, Error>;

/// Connects to Discord: builds the REST client (through `DISCORD_API_BASE` if set) and the
/// gateway client, which registers the commands once ready and reconnects by itself. The
/// returned task ends only on a fatal error, such as Discord refusing the token.
pub async fn connect(
    engine: &Engine,
    config: &Config,
    clock: &Clock,
    wake: &Arc<Notify>,
) -> Result<Connected, String> {
    let discord = config
        .discord
        .as_ref()
        .ok_or("Discord is not configured: set DISCORD_TOKEN")?;
    let base = discord.api_base.as_deref().unwrap_or(DISCORD_API);
    tracing::info!(api_base = base, "Discord: connecting");
    let http = rest_client(discord);
    let data = Data {
        engine: engine.clone(),
        clock: clock.clone(),
        wake: wake.clone(),
    };
    let guild = discord.guild_id.map(GuildId::new);
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            on_error: |error| Box::pin(on_error(error)),
            event_handler: |framework, event| Box::pin(on_event(framework, event)),
            allowed_mentions: Some(CreateAllowedMentions::new()),
            ..Default::default()
        })
        .setup(move |ctx, ready, framework| {
            Box::pin(async move {
                tracing::info!(bot = %ready.user.name, guilds = ready.guilds.len(), "Discord: connected");
                register(ctx, &framework.options().commands, guild).await;
                Ok(data)
            })
        })
        .initialize_owners(false)
        .build();
    let client = ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
        .framework(framework)
        .await
        .map_err(|e| format!("Discord: cannot build the client: {e}"))?;
    let outbox = Arc::new(outbox::DiscordOutbox {
        http: client.http.clone(),
        engine: engine.clone(),
        pace: discord.pace,
    });
    let link = Arc::new(shards::Shards::new(client.shard_manager.clone()));
    let task = tokio::spawn(shards::start(client, discord.shards, link.clone()));
    Ok(Connected {
        outbox,
        task,
        link,
        serves: shards::serves(discord.shards),
    })
}

/// The REST client. Without `DISCORD_API_BASE`, serenity's rate limiter is on: it waits
/// out each route's bucket and every 429's `retry_after` (global or per route) before that
/// route is called again. serenity only honours a proxy with its own rate limiter off; the
/// proxy limits then.
fn rest_client(discord: &crate::config::Discord) -> Http {
    // Nothing the bot sends may ping anyone: no @everyone, role or member mention parsed.
    let mut http = HttpBuilder::new(discord.token.expose())
        .default_allowed_mentions(CreateAllowedMentions::new());
    if let Some(proxy) = &discord.api_base {
        http = http
            .proxy(proxy.trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    http.build()
}

/// Registers every command, in one server (appears at once) or globally.
async fn register(
    ctx: &serenity::Context,
    commands: &[poise::Command<Data, Error>],
    guild: Option<GuildId>,
) {
    let registered = match guild {
        Some(guild) => poise::builtins::register_in_guild(ctx, commands, guild).await,
        None => poise::builtins::register_globally(ctx, commands).await,
    };
    match registered {
        Ok(()) => {
            tracing::info!(commands = commands.len(), server = ?guild, "Discord: commands registered")
        }
        Err(error) => tracing::error!(%error, "Discord: could not register the commands"),
    }
}

async fn on_event(
    framework: poise::FrameworkContext<'_, Data, Error>,
    event: &FullEvent,
) -> Result<(), Error> {
    let (ctx, data) = (framework.serenity_context, framework.user_data);
    match event {
        FullEvent::InteractionCreate {
            interaction: Interaction::Component(click),
        } => data.click(ctx, click).await,
        FullEvent::InteractionCreate {
            interaction: Interaction::Modal(form),
        } => data.form(ctx, form).await,
        FullEvent::Resume { .. } => tracing::info!("Discord: session resumed"),
        _ => {}
    }
    Ok(())
}

/// The one error handler: an unreadable option gets a private reply with the command's
/// usage; a failed response is logged. (Who may run `/quiz` is the engine's rule, fed by
/// the permissions in the interaction, so there is no poise check to fail.)
async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
    match error {
        poise::FrameworkError::ArgumentParse { ctx, input, .. } => {
            let name = ctx.command().qualified_name.clone();
            let error = commands::argument_error(&name, input.as_deref());
            ask(ctx, Err(error)).await.ok();
        }
        // Options Discord sent in an older shape (registration not yet propagated).
        poise::FrameworkError::CommandStructureMismatch {
            ctx, description, ..
        } => {
            tracing::warn!(command = %ctx.command().qualified_name, description, "Discord: options in an unexpected shape");
            let error = commands::argument_error(&ctx.command().qualified_name, None);
            ask(poise::Context::Application(ctx), Err(error)).await.ok();
        }
        poise::FrameworkError::Command { error, ctx, .. } => {
            tracing::error!(command = %ctx.command().qualified_name, %error, "Discord: command failed");
        }
        other => {
            if let Err(error) = poise::builtins::on_error(other).await {
                tracing::error!(%error, "Discord: could not report an error");
            }
        }
    }
}

/// Runs one slash command (or the private error it turned into) and answers it.
pub(crate) async fn ask(
    ctx: Context<'_>,
    command: Result<Command, CommandError>,
) -> Result<(), Error> {
    // Only slash commands are registered, so every context is an application one.
    if let poise::Context::Application(app) = ctx {
        let asker = Asker::of_command(app.interaction);
        ctx.data()
            .answer(ctx.serenity_context(), &asker, command)
            .await;
    }
    Ok(())
}

/// Whether the member may manage the server, per the permissions Discord computed for
/// them in this channel (Discord hides `/quiz` from others, but owners can change that).
fn may_manage(member: Option<&serenity::Member>) -> bool {
    member
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.manage_guild() || p.administrator())
}

/// Who asked, where, and how to answer them.
struct Asker {
    interaction: InteractionId,
    token: String,
    channel: ChannelId,
    place: Place,
    member: Member,
    lang: Option<Lang>,
    manager: bool,
}

impl Asker {
    fn of_command(i: &CommandInteraction) -> Self {
        let parts = Parts {
            user: &i.user,
            member: i.member.as_deref(),
            guild: i.guild_id,
            channel: i.channel_id,
            locale: &i.locale,
        };
        parts.asker(i.id, &i.token)
    }

    fn of_click(i: &ComponentInteraction) -> Self {
        let parts = Parts {
            user: &i.user,
            member: i.member.as_ref(),
            guild: i.guild_id,
            channel: i.channel_id,
            locale: &i.locale,
        };
        parts.asker(i.id, &i.token)
    }

    fn of_form(i: &ModalInteraction) -> Self {
        let parts = Parts {
            user: &i.user,
            member: i.member.as_ref(),
            guild: i.guild_id,
            channel: i.channel_id,
            locale: &i.locale,
        };
        parts.asker(i.id, &i.token)
    }

    fn request(&self, command: Command) -> Request {
        Request {
            place: self.place.clone(),
            member: self.member.clone(),
            lang: self.lang,
            manager: self.manager,
            command,
        }
    }
}

/// The fields every interaction kind carries, borrowed.
struct Parts<'a> {
    user: &'a serenity::User,
    member: Option<&'a serenity::Member>,
    guild: Option<GuildId>,
    channel: ChannelId,
    locale: &'a str,
}

impl Parts<'_> {
    fn asker(self, interaction: InteractionId, token: &str) -> Asker {
        let name = self
            .member
            .and_then(|m| m.nick.clone())
            .or_else(|| self.user.global_name.clone())
            .unwrap_or_else(|| self.user.name.clone());
        // Names appear in public messages (the reveal): shown as typed, never as markdown.
        let name = render::escape_markdown(&name);
        let server = match self.guild {
            Some(guild) => format!("{DISCORD}{guild}"),
            // A direct message: the member's own little server.
            None => format!("{DISCORD}{}{}", crate::quiz::DIRECT, self.user.id),
        };
        Asker {
            interaction,
            token: token.to_owned(),
            channel: self.channel,
            place: Place {
                server,
                channel: format!("{DISCORD}{}", self.channel),
            },
            member: Member {
                key: format!("{DISCORD}{}", self.user.id),
                name,
            },
            lang: (!self.locale.is_empty()).then(|| Lang::from_locale(self.locale)),
            manager: may_manage(self.member),
        }
    }
}

/// Where the interaction's answer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Response {
    /// Nothing sent yet: the first reply is the interaction's response.
    Pending,
    /// Deferred (ephemeral "thinking…"): the first reply replaces it.
    Deferred,
    /// Answered: further replies are follow-ups.
    Sent,
}

impl Data {
    fn lang(&self, asker: &Asker) -> Lang {
        asker.lang.unwrap_or(self.engine.default_lang())
    }

    /// A button or select-menu click: the command its id means. The 🚩 button opens the
    /// report form instead (a modal can only be the first response to a click).
    async fn click(&self, ctx: &serenity::Context, click: &ComponentInteraction) {
        if let Some(report) = ReportButton::decode(&click.data.custom_id) {
            let lang = self.lang(&Asker::of_click(click));
            let form = CreateInteractionResponse::Modal(render::report_form(&report, lang));
            if let Err(error) = click.create_response(ctx, form).await {
                tracing::warn!(%error, "Discord: could not open the report form");
            }
            return;
        }
        let command = match &click.data.kind {
            ComponentInteractionDataKind::Button => {
                ButtonId::decode(&click.data.custom_id).map(ButtonId::command)
            }
            ComponentInteractionDataKind::StringSelect { values } => {
                ButtonId::picked(values.iter().map(String::as_str))
            }
            _ => None,
        };
        match command {
            Some(command) => self.answer(ctx, &Asker::of_click(click), Ok(command)).await,
            None => {
                // Another app's control, or an old layout: acknowledge, change nothing.
                let ack = CreateInteractionResponse::Acknowledge;
                if let Err(error) = click.create_response(ctx, ack).await {
                    tracing::warn!(%error, "Discord: could not acknowledge a click");
                }
            }
        }
    }

    /// A submitted report form: the report its fields mean, stored by the engine.
    async fn form(&self, ctx: &serenity::Context, form: &ModalInteraction) {
        let asker = Asker::of_form(form);
        let Some(report) = ReportButton::decode(&form.data.custom_id) else {
            // Not our form: acknowledge, change nothing.
            let ack = CreateInteractionResponse::Acknowledge;
            if let Err(error) = form.create_response(ctx, ack).await {
                tracing::warn!(%error, "Discord: could not acknowledge a form");
            }
            return;
        };
        let field = |id: &str| {
            form.data
                .components
                .iter()
                .flat_map(|row| &row.components)
                .find_map(|c| match c {
                    ActionRowComponent::InputText(input) if input.custom_id == id => {
                        input.value.clone()
                    }
                    _ => None,
                })
                .unwrap_or_default()
        };
        let command = report.command(&field(render::REASON_INPUT), &field(render::COMMENT_INPUT));
        self.answer(ctx, &asker, command).await;
    }

    /// Runs a command through the engine and sends its replies.
    async fn answer(
        &self,
        ctx: &serenity::Context,
        asker: &Asker,
        command: Result<Command, CommandError>,
    ) {
        let (started, lang) = (Instant::now(), self.lang(asker));
        let name = command.as_ref().map_or("invalid", Command::name);
        let (replies, response) = match command {
            Ok(command) => self.handle(ctx, asker, command).await,
            Err(error) => (
                vec![self.engine.reject(asker.lang, &error)],
                Response::Pending,
            ),
        };
        respond(ctx, asker, lang, replies, response).await;
        crate::metrics::interaction(&asker.place.server, name, started.elapsed());
        // A command may have changed what is due (`/quiz post`, a new schedule).
        self.wake.notify_one();
    }

    /// The engine's replies, deferring the interaction if they take a while.
    async fn handle(
        &self,
        ctx: &serenity::Context,
        asker: &Asker,
        command: Command,
    ) -> (Vec<Reply>, Response) {
        let request = asker.request(command);
        let (engine, now) = (self.engine.clone(), self.clock.now());
        let mut work = tokio::task::spawn_blocking(move || engine.handle(&request, now));
        let mut response = Response::Pending;
        let done = match tokio::time::timeout(DEFER_AFTER, &mut work).await {
            Ok(done) => done,
            Err(_) => {
                let defer = CreateInteractionResponse::Defer(
                    CreateInteractionResponseMessage::new().ephemeral(true),
                );
                match defer.execute(ctx, (asker.interaction, &asker.token)).await {
                    Ok(()) => response = Response::Deferred,
                    Err(error) => tracing::warn!(%error, "Discord: could not defer"),
                }
                work.await
            }
        };
        let replies = done.unwrap_or_else(|error| {
            tracing::error!(%error, "the engine failed on a Discord request");
            let lang = self.lang(asker);
            vec![Reply::private(Card::error(
                lang,
                wording::internal_error(lang),
            ))]
        });
        (replies, response)
    }
}

/// Sends replies in order: private ones ephemeral, channel ones public. A reply that
/// needs several messages sends them in order, as follow-ups after the first.
async fn respond(
    ctx: &serenity::Context,
    asker: &Asker,
    lang: Lang,
    replies: Vec<Reply>,
    mut response: Response,
) {
    for reply in replies {
        let private = reply.audience == Audience::Private;
        let mut messages = render::render(&reply.card, lang);
        // The reply's files go on its last message (ephemeral too, for a private reply).
        if let Some(last) = messages.last_mut() {
            last.files = reply
                .attachments
                .iter()
                .map(|a| CreateAttachment::bytes(a.bytes.clone(), a.name.clone()))
                .collect();
        }
        for message in messages {
            send(ctx, asker, message, private, response).await;
            response = Response::Sent;
        }
    }
}

/// One message of a reply: the interaction's response, its completion, or a follow-up.
async fn send(
    ctx: &serenity::Context,
    asker: &Asker,
    message: render::Message,
    private: bool,
    response: Response,
) {
    let sent = match response {
        Response::Pending => {
            let answer = CreateInteractionResponseMessage::new()
                .embed(message.embed)
                .components(message.components)
                .files(message.files)
                .ephemeral(private);
            CreateInteractionResponse::Message(answer)
                .execute(ctx, (asker.interaction, &asker.token))
                .await
        }
        Response::Deferred => {
            if !private {
                // The deferral was private; a channel reply also goes to the channel.
                let post = CreateMessage::new()
                    .embed(message.embed.clone())
                    .components(message.components.clone())
                    .files(message.files.clone());
                if let Err(error) = asker.channel.send_message(ctx, post).await {
                    tracing::warn!(%error, "Discord: could not post a reply");
                }
            }
            let mut edit = EditInteractionResponse::new()
                .embed(message.embed)
                .components(message.components);
            for file in message.files {
                edit = edit.new_attachment(file);
            }
            edit.execute(ctx, &asker.token).await.map(drop)
        }
        Response::Sent => CreateInteractionResponseFollowup::new()
            .embed(message.embed)
            .components(message.components)
            .files(message.files)
            .ephemeral(private)
            .execute(ctx, (None, &asker.token))
            .await
            .map(drop),
    };
    if let Err(error) = sent {
        tracing::warn!(%error, channel = %asker.channel, "Discord: could not send a reply");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn discord(vars: &'static [(&'static str, &'static str)]) -> crate::config::Discord {
        let config = Config::from_lookup(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        });
        config
            .ok()
            .and_then(|c| c.discord)
            .expect("a Discord config")
    }

    #[test]
    fn serenitys_rate_limiter_stays_on_unless_a_proxy_does_the_limiting() {
        let direct = rest_client(&discord(&[("DISCORD_TOKEN", "t")]));
        assert!(direct.ratelimiter.is_some(), "429s and buckets honoured");
        assert!(direct.proxy.is_none());
        let proxied = rest_client(&discord(&[
            ("DISCORD_TOKEN", "t"),
            ("DISCORD_API_BASE", "http://127.0.0.1:3000"),
        ]));
        assert!(proxied.ratelimiter.is_none(), "the proxy limits");
        assert_eq!(proxied.proxy.as_deref(), Some("http://127.0.0.1:3000"));
    }
}
