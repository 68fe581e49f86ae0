//! A fake Discord on 127.0.0.1: the REST API under `/api/v10` (JSON in and out) and a
//! gateway websocket (`/gateway`) that says HELLO, answers IDENTIFY with READY and RESUME
//! with RESUMED, ACKs heartbeats, and carries the interactions a test injects.
//! Every REST call is recorded; tests wait for what they expect with a time limit as a guard.
//!
//! Sharded like Discord: `GET /gateway/bot` recommends [`FakeDiscord::start_sharded`]'s
//! count (1 by default, so most tests need not wait serenity's 5 s between two shards'
//! IDENTIFYs); each IDENTIFY names its shard `[i, n]`, and a dispatch goes on the socket of
//! the shard that holds its server (`(guild_id >> 22) % n`; direct messages on shard 0).
//! [`FakeDiscord::close_gateway`] refuses connections until [`FakeDiscord::open_gateway`].

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use serde_json::{Value, json};
use tokio::sync::mpsc;

pub const APP: &str = "900000000000000001";
pub const BOT: &str = "900000000000000002";
/// The study server: on shard 1 of 2.
pub const GUILD: &str = "900000000000000003";
/// Another server the bot is in: on shard 0 of 2.
pub const OTHER_GUILD: &str = "900000000004194308";

#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    /// The path under `/api/v10`, such as `/channels/1/messages`.
    pub path: String,
    pub authorization: Option<String>,
    pub body: Value,
    /// Files sent with a multipart request: (file name, content type, bytes).
    pub files: Vec<File>,
    pub status: u16,
    pub response: Value,
    /// When the call came in (to measure the gap a 429 asked for).
    pub at: std::time::Instant,
    taken: bool,
}

impl Call {
    /// The message part of the body: an interaction response's `data`, else the body.
    pub fn message(&self) -> &Value {
        if self.body.get("type").is_some() && self.path.ends_with("/callback") {
            &self.body["data"]
        } else {
            &self.body
        }
    }

    pub fn embed(&self) -> Value {
        self.message()["embeds"][0].clone()
    }

    /// Every text shown in the embed, one per line.
    pub fn shown(&self) -> String {
        let e = self.embed();
        let mut out = vec![
            e["title"].as_str().unwrap_or_default().to_owned(),
            e["description"].as_str().unwrap_or_default().to_owned(),
        ];
        for f in e["fields"].as_array().into_iter().flatten() {
            out.push(f["name"].as_str().unwrap_or_default().to_owned());
            out.push(f["value"].as_str().unwrap_or_default().to_owned());
        }
        out.push(e["footer"]["text"].as_str().unwrap_or_default().to_owned());
        out.join("\n")
    }

    pub fn ephemeral(&self) -> bool {
        self.message()["flags"].as_u64().unwrap_or(0) & 64 != 0
    }

    /// The components of every action row, in order.
    pub fn components(&self) -> Vec<Value> {
        self.message()["components"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
            .collect()
    }

    /// Buttons as `(label, custom_id, disabled)`.
    pub fn buttons(&self) -> Vec<(String, String, bool)> {
        self.components()
            .iter()
            .filter(|c| c["type"] == 2)
            .map(|c| {
                (
                    c["label"].as_str().unwrap_or_default().to_owned(),
                    c["custom_id"].as_str().unwrap_or_default().to_owned(),
                    c["disabled"].as_bool().unwrap_or(false),
                )
            })
            .collect()
    }

    /// The modal an interaction response opened (callback type 9), if it is one.
    pub fn modal(&self) -> Option<&Value> {
        (self.path.ends_with("/callback") && self.body["type"] == 9).then(|| &self.body["data"])
    }

    /// A modal's text inputs as `(custom_id, style, label, max_length)`.
    pub fn text_inputs(&self) -> Vec<(String, u64, String, Option<u64>)> {
        self.modal()
            .and_then(|m| m["components"].as_array())
            .into_iter()
            .flatten()
            .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
            .filter(|c| c["type"] == 4)
            .map(|c| {
                (
                    c["custom_id"].as_str().unwrap_or_default().to_owned(),
                    c["style"].as_u64().unwrap_or_default(),
                    c["label"].as_str().unwrap_or_default().to_owned(),
                    c["max_length"].as_u64(),
                )
            })
            .collect()
    }

    /// The id Discord gave a posted message.
    pub fn message_id(&self) -> String {
        self.response["id"].as_str().unwrap_or_default().to_owned()
    }
}

/// A file part of a multipart request.
#[derive(Debug, Clone)]
pub struct File {
    /// The form field, such as `files[0]`.
    pub field: String,
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A request's JSON and files: `payload_json` and `files[n]` parts of a multipart request
/// (as Discord takes messages with attachments), or the whole body as JSON.
async fn read_body(request: Request) -> (Value, Vec<File>) {
    use axum::extract::FromRequest as _;
    let multipart = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let body: Bytes = axum::body::to_bytes(request.into_body(), 1 << 24)
            .await
            .unwrap_or_default();
        return (
            serde_json::from_slice(&body).unwrap_or(Value::Null),
            Vec::new(),
        );
    }
    let mut form = axum::extract::Multipart::from_request(request, &())
        .await
        .expect("a multipart body");
    let (mut body, mut files) = (Value::Null, Vec::new());
    while let Some(field) = form.next_field().await.expect("a readable part") {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.expect("the part's bytes").to_vec();
        match file_name {
            Some(file_name) => files.push(File {
                field: name,
                name: file_name,
                content_type,
                bytes,
            }),
            None if name == "payload_json" => {
                body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            }
            None => {}
        }
    }
    (body, files)
}

/// A scripted failure: the next `times` calls to `method path`.
struct Failure {
    method: String,
    path: String,
    times: usize,
    status: StatusCode,
    body: Value,
}

#[derive(Default)]
struct Inner {
    calls: Vec<Call>,
    /// The live socket of each shard.
    sockets: HashMap<u32, mpsc::UnboundedSender<Out>>,
    /// The shard each session id was given to (for RESUME).
    sessions: HashMap<String, u32>,
    /// What `GET /gateway/bot` recommends, and the total the bot identified with.
    recommended: u32,
    total: u32,
    /// Every IDENTIFY's shard, in order.
    identified_shards: Vec<u32>,
    /// Refusing gateway connections, and how many were refused.
    closed: bool,
    refused: usize,
    identifies: usize,
    resumes: usize,
    seq: u64,
    failures: Vec<Failure>,
    next_id: u64,
    /// Posted messages by nonce, as `enforce_nonce` dedupes them.
    nonces: HashMap<String, Value>,
    /// Starting a thread is refused with 403 Missing Permissions (the bot lacks Create
    /// Public Threads).
    refuse_threads: bool,
    /// Messages a thread was started from: a second start is refused, as Discord does.
    threads: HashMap<String, Value>,
}

enum Out {
    Text(String),
    /// Gone without a word, as when the network drops.
    Drop,
}

type Shared = crate::common::Recorded<Inner>;

impl Shared {
    fn snowflake(&self) -> String {
        let mut inner = self.lock();
        inner.next_id += 1;
        (910_000_000_000_000_000 + inner.next_id).to_string()
    }
}

pub struct FakeDiscord {
    shared: Arc<Shared>,
    _server: crate::common::Loopback,
}

impl FakeDiscord {
    pub async fn start() -> Self {
        Self::start_sharded(1).await
    }

    /// A fake whose `GET /gateway/bot` recommends `shards` shards.
    pub async fn start_sharded(shards: u32) -> Self {
        let (listener, base) = crate::common::Loopback::bind().await;
        let inner = Inner {
            recommended: shards,
            total: 1,
            ..Inner::default()
        };
        let shared = Arc::new(Shared::new(base, inner));
        let app = Router::new()
            .route("/gateway", get(gateway))
            .route("/api/v10/{*path}", any(rest))
            .with_state(shared.clone());
        Self {
            shared,
            _server: crate::common::Loopback::serve(listener, app),
        }
    }

    /// What `DISCORD_API_BASE` should be.
    pub fn base(&self) -> String {
        self.shared.base.clone()
    }

    /// The next `times` calls to `method path` fail with `status`.
    pub fn fail(&self, method: &str, path: &str, times: usize, status: StatusCode, body: Value) {
        self.shared.lock().failures.push(Failure {
            method: method.to_owned(),
            path: path.to_owned(),
            times,
            status,
            body,
        });
    }

    /// From now on, starting a thread answers 403 Missing Permissions, as for a bot
    /// without Create Public Threads.
    pub fn refuse_threads(&self) {
        self.shared.lock().refuse_threads = true;
    }

    /// The next thread the bot started from a message in `channel`.
    pub async fn thread_in(&self, channel: &str) -> Call {
        let prefix = format!("/channels/{channel}/messages/");
        self.take(&format!("a thread in {channel}"), |c| {
            c.method == "POST" && c.path.starts_with(&prefix) && c.path.ends_with("/threads")
        })
        .await
    }

    /// Sends a dispatch (`t`, `d`) on the live socket of the shard holding `d`'s server.
    pub fn dispatch(&self, t: &str, d: Value) {
        let mut inner = self.shared.lock();
        inner.seq += 1;
        let frame = json!({"op": 0, "t": t, "s": inner.seq, "d": d}).to_string();
        let guild = d["guild_id"].as_str().and_then(|g| g.parse::<u64>().ok());
        let shard = shard_of(guild, inner.total);
        let socket = inner
            .sockets
            .get(&shard)
            .unwrap_or_else(|| panic!("shard {shard} of the bot is connected"));
        socket.send(Out::Text(frame)).expect("the socket is open");
    }

    /// Drops every gateway socket without a close frame, as a network failure would.
    pub fn drop_socket(&self) {
        for (_, socket) in self.shared.lock().sockets.drain() {
            let _ = socket.send(Out::Drop);
        }
    }

    /// Drops every gateway socket and refuses new connections (HTTP 503) until
    /// [`Self::open_gateway`], as when Discord's gateway is down.
    pub fn close_gateway(&self) {
        self.shared.lock().closed = true;
        self.drop_socket();
    }

    pub fn open_gateway(&self) {
        self.shared.lock().closed = false;
    }

    /// Waits until `n` gateway connections have been refused in all.
    pub async fn refused(&self, n: usize) {
        self.until("a refused gateway connection", |inner| {
            (inner.refused >= n).then_some(())
        })
        .await;
    }

    /// Asks the bot to reconnect (op 7), as Discord does before moving a session.
    pub fn send_reconnect(&self) {
        self.send_op(json!({"op": 7, "d": null}));
    }

    /// Tells the bot its session is gone and cannot be resumed (op 9).
    pub fn send_invalid_session(&self) {
        self.send_op(json!({"op": 9, "d": false}));
    }

    fn send_op(&self, frame: Value) {
        let inner = self.shared.lock();
        assert!(!inner.sockets.is_empty(), "the bot is connected");
        for socket in inner.sockets.values() {
            let _ = socket.send(Out::Text(frame.to_string()));
        }
    }

    /// How many times a bot has identified on the gateway so far.
    pub fn identified(&self) -> usize {
        self.shared.lock().identifies
    }

    /// The shard of each IDENTIFY so far, in order.
    pub fn identified_shards(&self) -> Vec<u32> {
        self.shared.lock().identified_shards.clone()
    }

    /// Waits until the bot has identified `n` times and resumed `resumes` times in all.
    pub async fn sessions(&self, identifies: usize, resumes: usize) {
        self.until("the gateway session", |inner| {
            (inner.identifies >= identifies
                && inner.resumes >= resumes
                && !inner.sockets.is_empty())
            .then_some(())
        })
        .await;
    }

    /// Waits until `n` shards are connected at once.
    pub async fn shards_connected(&self, n: usize) {
        self.until(&format!("{n} shards connected"), |inner| {
            (inner.sockets.len() >= n).then_some(())
        })
        .await;
    }

    /// Waits until `check` finds what it looks for in the recorded state.
    async fn until<T>(&self, what: &str, check: impl Fn(&mut Inner) -> Option<T>) -> T {
        let seen = |inner: &Inner| {
            let calls = inner
                .calls
                .iter()
                .map(|c| format!("{} {} {}", c.method, c.path, c.body));
            let log = crate::log::text();
            let warnings = log
                .lines()
                .filter(|l| l.contains("WARN") || l.contains("ERROR"));
            let calls = calls.collect::<Vec<_>>().join("\n");
            format!(
                "{calls}\nwarnings:\n{}",
                warnings.collect::<Vec<_>>().join("\n")
            )
        };
        crate::common::until(&self.shared.inner, &self.shared.changed, what, check, seen).await
    }

    /// The first call not taken yet that `matches`; it is taken.
    pub async fn take(&self, what: &str, matches: impl Fn(&Call) -> bool) -> Call {
        self.until(what, |inner| {
            let call = inner.calls.iter_mut().find(|c| !c.taken && matches(c))?;
            call.taken = true;
            Some(call.clone())
        })
        .await
    }

    /// The bot's answer to interaction `id` (its callback).
    pub async fn response_to(&self, id: &str) -> Call {
        let path = format!("/interactions/{id}/");
        self.take(&format!("the response to interaction {id}"), |c| {
            c.method == "POST" && c.path.starts_with(&path) && c.path.ends_with("/callback")
        })
        .await
    }

    /// The next follow-up to the interaction with `token`.
    pub async fn followup(&self, token: &str) -> Call {
        let path = format!("/webhooks/{APP}/{token}");
        self.take(&format!("a follow-up on {token}"), |c| {
            c.method == "POST" && c.path == path
        })
        .await
    }

    /// The next message the bot posted in `channel` (refused posts are passed over).
    pub async fn posted_in(&self, channel: &str) -> Call {
        let path = format!("/channels/{channel}/messages");
        self.take(&format!("a post in {channel}"), |c| {
            c.method == "POST" && c.path == path && c.status < 300
        })
        .await
    }

    /// The next edit of a message in `channel`.
    pub async fn edited_in(&self, channel: &str) -> Call {
        let prefix = format!("/channels/{channel}/messages/");
        self.take(&format!("an edit in {channel}"), |c| {
            c.method == "PATCH" && c.path.starts_with(&prefix)
        })
        .await
    }

    /// The commands the bot registered.
    pub async fn registered(&self) -> Call {
        self.take("the command registration", |c| {
            c.method == "PUT" && c.path.ends_with("/commands")
        })
        .await
    }

    /// Every call so far (taken or not).
    pub fn calls(&self) -> Vec<Call> {
        self.shared.lock().calls.clone()
    }
}

/// The REST API: records each call and answers as Discord would.
async fn rest(
    State(shared): State<Arc<Shared>>,
    method: Method,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let path = request
        .uri()
        .path()
        .trim_start_matches("/api/v10")
        .to_owned();
    let (body, files) = read_body(request).await;
    let method = method.as_str().to_owned();
    let (status, response) = answer(&shared, &method, &path, &body);
    shared.lock().calls.push(Call {
        method,
        path,
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body,
        files,
        status: status.as_u16(),
        response: response.clone(),
        at: std::time::Instant::now(),
        taken: false,
    });
    shared.changed.notify_waiters();
    if status == StatusCode::NO_CONTENT {
        return status.into_response();
    }
    // A 429 says how long to wait in its body and, as Discord does, in `Retry-After`.
    let retry_after = response["retry_after"].as_f64().filter(|_| status == 429);
    let mut answer = (status, axum::Json(response)).into_response();
    if let Some(secs) = retry_after {
        let secs = secs.ceil().to_string();
        answer
            .headers_mut()
            .insert("retry-after", secs.parse().expect("a header value"));
    }
    answer
}

fn answer(shared: &Shared, method: &str, path: &str, body: &Value) -> (StatusCode, Value) {
    {
        let mut inner = shared.lock();
        if let Some(f) = inner
            .failures
            .iter_mut()
            .find(|f| f.times > 0 && f.method == method && f.path == path)
        {
            f.times -= 1;
            return (f.status, f.body.clone());
        }
    }
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (method, parts.as_slice()) {
        ("GET", ["gateway"]) => (
            StatusCode::OK,
            json!({"url": shared.base.replace("http://", "ws://") + "/gateway"}),
        ),
        ("GET", ["gateway", "bot"]) => (
            StatusCode::OK,
            json!({
                "url": shared.base.replace("http://", "ws://") + "/gateway",
                "shards": shared.lock().recommended,
                "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1},
            }),
        ),
        ("PUT", ["applications", _, .., "commands"]) => {
            let commands: Vec<Value> = body
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| {
                    let mut c = c.clone();
                    c["id"] = json!(shared.snowflake());
                    c["application_id"] = json!(APP);
                    c["version"] = json!("1");
                    c["type"] = c.get("type").cloned().unwrap_or(json!(1));
                    c
                })
                .collect();
            (StatusCode::OK, json!(commands))
        }
        ("POST", ["interactions", _, _, "callback"]) => (StatusCode::NO_CONTENT, Value::Null),
        ("POST", ["webhooks", _, _]) | ("PATCH", ["webhooks", _, _, "messages", _]) => {
            (StatusCode::OK, message(&shared.snowflake(), "0", body))
        }
        ("POST", ["channels", channel, "messages"]) => {
            let nonce = body["nonce"].as_str().map(str::to_owned);
            if let Some(nonce) = &nonce
                && body["enforce_nonce"] == true
                && let Some(existing) = shared.lock().nonces.get(nonce)
            {
                return (StatusCode::OK, existing.clone());
            }
            let posted = message(&shared.snowflake(), channel, body);
            if let Some(nonce) = nonce {
                shared.lock().nonces.insert(nonce, posted.clone());
            }
            (StatusCode::OK, posted)
        }
        ("PATCH", ["channels", channel, "messages", id]) => {
            (StatusCode::OK, message(id, channel, body))
        }
        ("POST", ["channels", channel, "messages", id, "threads"]) => {
            if shared.lock().refuse_threads {
                return (
                    StatusCode::FORBIDDEN,
                    json!({"message": "Missing Permissions", "code": 50013}),
                );
            }
            if shared.lock().threads.contains_key(*id) {
                return (
                    StatusCode::BAD_REQUEST,
                    json!({"message": "A thread has already been created for this message", "code": 160004}),
                );
            }
            let thread = json!({
                "id": shared.snowflake(), "type": 11, "guild_id": crate::fake::GUILD,
                "parent_id": channel, "name": body["name"], "owner_id": BOT,
                "thread_metadata": {"archived": false, "auto_archive_duration": 1440,
                                    "archive_timestamp": "2026-11-24T00:00:00.000000+00:00", "locked": false},
            });
            shared
                .lock()
                .threads
                .insert((*id).to_owned(), thread.clone());
            (StatusCode::CREATED, thread)
        }
        _ => (
            StatusCode::NOT_FOUND,
            json!({"message": "404: Not Found", "code": 0}),
        ),
    }
}

/// The `data` of a modal-submit interaction (type 5): the modal's id and each text input's
/// value, one action row each, as Discord sends them.
pub fn modal_submit(custom_id: &str, values: &[(&str, &str)]) -> Value {
    let rows: Vec<Value> = values
        .iter()
        .map(|(id, value)| {
            json!({"type": 1, "components": [{"type": 4, "custom_id": id, "value": value}]})
        })
        .collect();
    json!({"custom_id": custom_id, "components": rows})
}

/// A Message as Discord returns it, echoing the embeds sent.
pub fn message(id: &str, channel: &str, body: &Value) -> Value {
    json!({
        "id": id, "channel_id": channel,
        "author": {"id": BOT, "username": "quizbot", "discriminator": "0", "avatar": null, "bot": true},
        "content": body["content"].as_str().unwrap_or_default(),
        "timestamp": "2026-11-24T00:00:00.000000+00:00", "edited_timestamp": null,
        "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
        "attachments": [], "embeds": body["embeds"].as_array().cloned().unwrap_or_default(),
        "pinned": false, "type": 0, "components": [],
    })
}

/// The shard of a server among `total` (Discord's rule); direct messages on shard 0.
pub fn shard_of(guild: Option<u64>, total: u32) -> u32 {
    guild.map_or(0, |id| ((id >> 22) % u64::from(total.max(1))) as u32)
}

/// The gateway: HELLO, then READY or RESUMED, heartbeat ACKs, and injected dispatches;
/// while closed, every connection is refused.
async fn gateway(State(shared): State<Arc<Shared>>, upgrade: WebSocketUpgrade) -> Response {
    {
        let mut inner = shared.lock();
        if inner.closed {
            inner.refused += 1;
            drop(inner);
            shared.changed.notify_waiters();
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    }
    upgrade.on_upgrade(move |socket| session(shared, socket))
}

async fn session(shared: Arc<Shared>, mut socket: WebSocket) {
    let hello = json!({"op": 10, "d": {"heartbeat_interval": 41250}});
    if socket
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    let (tx, mut rx) = mpsc::unbounded_channel();
    loop {
        tokio::select! {
            out = rx.recv() => match out {
                Some(Out::Text(text)) => {
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        return;
                    }
                }
                Some(Out::Drop) | None => return,
            },
            incoming = socket.recv() => {
                let Some(Ok(Message::Text(text))) = incoming else { return };
                let frame: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                let reply = match frame["op"].as_u64() {
                    Some(1) => Some(json!({"op": 11})),
                    Some(2) => Some(ready(&shared, &tx, &frame["d"]["shard"])),
                    Some(6) => Some(resumed(&shared, &tx, &frame["d"]["session_id"])),
                    _ => None,
                };
                if let Some(reply) = reply
                    && socket.send(Message::Text(reply.to_string().into())).await.is_err()
                {
                    return;
                }
                shared.changed.notify_waiters();
            }
        }
    }
}

fn ready(shared: &Shared, tx: &mpsc::UnboundedSender<Out>, shard: &Value) -> Value {
    let (id, total) = match shard.as_array().map(Vec::as_slice) {
        Some([id, total]) => (
            id.as_u64().unwrap_or(0) as u32,
            total.as_u64().unwrap_or(1) as u32,
        ),
        _ => (0, 1),
    };
    let mut inner = shared.lock();
    inner.identifies += 1;
    inner.identified_shards.push(id);
    inner.total = total;
    inner.sockets.insert(id, tx.clone());
    let session_id = format!("session-{}", inner.identifies);
    inner.sessions.insert(session_id.clone(), id);
    inner.seq += 1;
    // Each shard is told only of the servers it holds.
    let guilds: Vec<Value> = [GUILD, OTHER_GUILD]
        .into_iter()
        .filter(|g| shard_of(g.parse().ok(), total) == id)
        .map(|g| json!({"id": g, "unavailable": true}))
        .collect();
    json!({"op": 0, "t": "READY", "s": inner.seq, "d": {
        "v": 10,
        "user": {"id": BOT, "username": "quizbot", "discriminator": "0", "avatar": null, "bot": true},
        "guilds": guilds,
        "session_id": session_id,
        "resume_gateway_url": shared.base.replace("http://", "ws://") + "/gateway",
        "shard": [id, total],
        "application": {"id": APP, "flags": 0},
    }})
}

fn resumed(shared: &Shared, tx: &mpsc::UnboundedSender<Out>, session: &Value) -> Value {
    let mut inner = shared.lock();
    inner.resumes += 1;
    let shard = session
        .as_str()
        .and_then(|s| inner.sessions.get(s).copied())
        .unwrap_or(0);
    inner.sockets.insert(shard, tx.clone());
    inner.seq += 1;
    json!({"op": 0, "t": "RESUMED", "s": inner.seq, "d": {}})
}
