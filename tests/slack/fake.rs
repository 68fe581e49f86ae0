//! A fake Slack on 127.0.0.1: the Web API (`/api/{method}`, JSON in and out), the
//! `response_url`s it hands out (`/respond/{user}/{n}`), and a Socket Mode websocket
//! (`/socket`) that says `hello`, carries the envelopes a test injects, and records acks.
//! Every call is recorded; tests wait for what they expect with a time limit as a guard.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use serde_json::{Value, json};
use tokio::sync::{Semaphore, mpsc};

pub const TEAM: &str = "T0TEAM001";
pub const BOT_USER: &str = "U0BOT0001";

#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    /// The bearer token the call carried.
    pub token: Option<String>,
    pub body: Value,
    /// What the fake answered.
    pub response: Value,
    /// When the call came in (to measure the gap a 429 asked for).
    pub at: std::time::Instant,
    taken: bool,
}

impl Call {
    /// The notification text beside the blocks (escaped mrkdwn, as sent).
    pub fn text(&self) -> String {
        self.body["text"].as_str().unwrap_or_default().to_owned()
    }

    pub fn blocks(&self) -> Vec<Value> {
        self.body["blocks"].as_array().cloned().unwrap_or_default()
    }

    /// Every text shown in the blocks, one per line.
    pub fn shown(&self) -> String {
        let mut out = Vec::new();
        for block in self.blocks() {
            if let Some(t) = block["text"]["text"].as_str() {
                out.push(t.to_owned());
            }
            for e in block["elements"].as_array().into_iter().flatten() {
                if let Some(t) = e["text"].as_str() {
                    out.push(t.to_owned());
                }
                if let Some(t) = e["text"]["text"].as_str() {
                    out.push(t.to_owned());
                }
            }
        }
        out.join("\n")
    }

    /// The interactive elements of the message, in order.
    pub fn elements(&self) -> Vec<Value> {
        self.blocks()
            .iter()
            .filter(|b| b["type"] == "actions")
            .flat_map(|b| b["elements"].as_array().cloned().unwrap_or_default())
            .collect()
    }

    /// Buttons as `(label, action_id, value)`.
    pub fn buttons(&self) -> Vec<(String, String, String)> {
        self.elements()
            .iter()
            .filter(|e| e["type"] == "button")
            .map(|e| {
                (
                    e["text"]["text"].as_str().unwrap_or_default().to_owned(),
                    e["action_id"].as_str().unwrap_or_default().to_owned(),
                    e["value"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }

    pub fn channel(&self) -> &str {
        self.body["channel"].as_str().unwrap_or_default()
    }

    pub fn user(&self) -> &str {
        self.body["user"].as_str().unwrap_or_default()
    }
}

/// A scripted failure: the next `times` calls of `method` (to `channel`, if given).
struct Failure {
    method: String,
    channel: Option<String>,
    times: usize,
    status: StatusCode,
    retry_after: Option<u64>,
    body: Value,
}

#[derive(Default)]
struct Inner {
    calls: Vec<Call>,
    acks: Vec<Value>,
    /// Live sockets, oldest first: (number, sender).
    sockets: Vec<(usize, mpsc::UnboundedSender<Out>)>,
    sockets_opened: usize,
    users: HashMap<String, Value>,
    failures: Vec<Failure>,
    holds: HashMap<String, Arc<Semaphore>>,
    next_ts: u64,
    next_envelope: u64,
    /// Files uploaded to the URLs `files.getUploadURLExternal` handed out, by file id.
    uploads: HashMap<String, Vec<u8>>,
    next_file: u64,
}

enum Out {
    Text(String),
    /// A clean close (a close frame).
    Close,
    /// Gone without a word, as when the network drops.
    Drop,
}

type Shared = crate::common::Recorded<Inner>;

impl Shared {
    fn record(&self, method: &str, token: Option<String>, body: Value, response: Value) {
        self.lock().calls.push(Call {
            method: method.to_owned(),
            token,
            body,
            response,
            at: std::time::Instant::now(),
            taken: false,
        });
        self.changed.notify_waiters();
    }
}

pub struct FakeSlack {
    shared: Arc<Shared>,
    _server: crate::common::Loopback,
}

impl FakeSlack {
    pub async fn start() -> Self {
        let (listener, base) = crate::common::Loopback::bind().await;
        let shared = Arc::new(Shared::new(
            base,
            Inner {
                next_ts: 1_764_000_000,
                ..Inner::default()
            },
        ));
        let app = Router::new()
            .route("/api/{method}", any(web_api))
            .route("/respond/{user}/{n}", any(respond))
            .route("/upload/{file}", any(upload))
            .route("/socket", get(socket))
            .with_state(shared.clone());
        Self {
            shared,
            _server: crate::common::Loopback::serve(listener, app),
        }
    }

    /// What `SLACK_API_URL` should be.
    pub fn api_url(&self) -> String {
        format!("{}/api", self.shared.base)
    }

    pub fn add_user(&self, id: &str, name: &str, locale: &str, admin: bool) {
        let user = json!({
            "id": id, "team_id": TEAM, "name": name.to_lowercase(), "real_name": name,
            "locale": locale, "is_admin": admin, "is_owner": false, "is_bot": false,
            "profile": {"display_name": name, "real_name": name},
        });
        self.shared.lock().users.insert(id.to_owned(), user);
    }

    /// The next `times` calls of `method` (to `channel`, if given) fail with Slack's `error`.
    pub fn fail(&self, method: &str, channel: Option<&str>, times: usize, error: &str) {
        self.fail_with(
            method,
            channel,
            times,
            StatusCode::OK,
            None,
            json!({"ok": false, "error": error}),
        );
    }

    pub fn fail_with(
        &self,
        method: &str,
        channel: Option<&str>,
        times: usize,
        status: StatusCode,
        retry_after: Option<u64>,
        body: Value,
    ) {
        self.shared.lock().failures.push(Failure {
            method: method.to_owned(),
            channel: channel.map(str::to_owned),
            times,
            status,
            retry_after,
            body,
        });
    }

    /// Holds every answer to `method` until the returned gate is opened.
    pub fn hold(&self, method: &str) -> Arc<Semaphore> {
        let gate = Arc::new(Semaphore::new(0));
        self.shared
            .lock()
            .holds
            .insert(method.to_owned(), gate.clone());
        gate
    }

    /// Waits until `check` finds what it looks for in the recorded state.
    async fn until<T>(&self, what: &str, check: impl Fn(&mut Inner) -> Option<T>) -> T {
        let seen = |inner: &Inner| {
            let calls = inner
                .calls
                .iter()
                .map(|c| format!("{} {}", c.method, c.body));
            calls.collect::<Vec<_>>().join("\n")
        };
        crate::common::until(&self.shared.inner, &self.shared.changed, what, check, seen).await
    }

    /// The first call of `method` not taken yet that `matches`; it is taken.
    pub async fn take(&self, method: &str, matches: impl Fn(&Call) -> bool) -> Call {
        self.until(&format!("a {method} call"), |inner| {
            let call = inner
                .calls
                .iter_mut()
                .find(|c| !c.taken && c.method == method && matches(c))?;
            call.taken = true;
            Some(call.clone())
        })
        .await
    }

    /// The next private message `user` received: ephemeral, or through a `response_url`
    /// (calls the fake refused are passed over).
    pub async fn private_to(&self, user: &str) -> Call {
        self.until(&format!("a private message to {user}"), |inner| {
            let call = inner.calls.iter_mut().find(|c| {
                !c.taken
                    && c.response["ok"] != false
                    && ((c.method == "chat.postEphemeral" && c.user() == user)
                        || (c.method == "response_url" && c.body["to"] == user))
            })?;
            call.taken = true;
            Some(call.clone())
        })
        .await
    }

    /// The next channel message (`chat.postMessage`) to `channel`.
    pub async fn posted_in(&self, channel: &str) -> Call {
        self.take("chat.postMessage", |c| c.channel() == channel)
            .await
    }

    /// The bytes uploaded for `file` (a file id `files.getUploadURLExternal` gave).
    pub fn uploaded(&self, file: &str) -> Option<Vec<u8>> {
        self.shared.lock().uploads.get(file).cloned()
    }

    /// The direct message channel the fake opens between the bot and `user`.
    pub fn dm_of(user: &str) -> String {
        format!("D{user}")
    }

    /// Every call of `method` so far, taken or not.
    pub fn calls(&self, method: &str) -> Vec<Call> {
        self.shared
            .lock()
            .calls
            .iter()
            .filter(|c| c.method == method)
            .cloned()
            .collect()
    }

    /// Waits until `n` sockets have been opened in all and one is live.
    pub async fn sockets_opened(&self, n: usize) {
        self.until(&format!("socket {n}"), |inner| {
            (inner.sockets_opened >= n && !inner.sockets.is_empty()).then_some(())
        })
        .await;
    }

    pub fn live_sockets(&self) -> usize {
        self.shared.lock().sockets.len()
    }

    /// Sends a frame on the newest live socket (waiting for one).
    async fn send(&self, frame: Out) {
        let sender = self
            .until("a live socket", |inner| {
                inner.sockets.last().map(|s| s.1.clone())
            })
            .await;
        sender.send(frame).ok();
    }

    fn envelope_id(&self) -> String {
        let mut inner = self.shared.lock();
        inner.next_envelope += 1;
        format!("env-{}", inner.next_envelope)
    }

    fn response_url(&self, user: &str) -> String {
        let n = self.envelope_id();
        format!("{}/respond/{user}/{n}", self.shared.base)
    }

    /// A slash command from `user` in `channel`; returns the envelope id.
    pub async fn command(&self, user: &str, channel: &str, command: &str, text: &str) -> String {
        let id = self.envelope_id();
        let envelope = json!({
            "type": "slash_commands",
            "envelope_id": id,
            "accepts_response_payload": true,
            "payload": {
                "token": "legacy-verification-token",
                "team_id": TEAM, "team_domain": "study",
                "channel_id": channel, "channel_name": "general",
                "user_id": user, "user_name": user.to_lowercase(),
                "command": command, "text": text,
                "api_app_id": "A0APP0001", "is_enterprise_install": "false",
                "response_url": self.response_url(user),
                "trigger_id": "1.2.3",
            },
        });
        self.send(Out::Text(envelope.to_string())).await;
        id
    }

    /// A click on a button of the message `ts` in `channel`; returns the envelope id.
    /// `state` is the message's input state (ticked checkboxes), as Slack sends it.
    pub async fn click(
        &self,
        user: &str,
        channel: &str,
        ts: &str,
        (action_id, value): (&str, &str),
        state: Option<Value>,
    ) -> String {
        let id = self.envelope_id();
        let envelope = json!({
            "type": "interactive",
            "envelope_id": id,
            "accepts_response_payload": false,
            "payload": {
                "type": "block_actions",
                "team": {"id": TEAM, "domain": "study"},
                "user": {"id": user, "username": user.to_lowercase(), "name": user.to_lowercase(), "team_id": TEAM},
                "api_app_id": "A0APP0001",
                "token": "legacy-verification-token",
                "container": {"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": ts.is_empty()},
                "trigger_id": "1.2.3",
                "channel": {"id": channel, "name": "general"},
                "response_url": self.response_url(user),
                "actions": [{
                    "type": "button", "action_id": action_id, "block_id": "b1",
                    "text": {"type": "plain_text", "text": value}, "value": value,
                    "action_ts": "1764000000.000001",
                }],
                "state": state.unwrap_or_else(|| json!({"values": {}})),
            },
        });
        self.send(Out::Text(envelope.to_string())).await;
        id
    }

    /// A `view_submission` of the modal `view` (as opened with `views.open`) by `user`,
    /// with `values` as its state: `block_id -> {action_id -> value}`. Returns the envelope id.
    pub async fn submit_view(&self, user: &str, view: &Value, values: Value) -> String {
        let id = self.envelope_id();
        let mut view = view.clone();
        view["id"] = json!("V0VIEW0001");
        view["team_id"] = json!(TEAM);
        view["hash"] = json!("1764000000.abcdef");
        view["state"] = json!({"values": values});
        let envelope = json!({
            "type": "interactive",
            "envelope_id": id,
            "accepts_response_payload": true,
            "payload": {
                "type": "view_submission",
                "team": {"id": TEAM, "domain": "study"},
                "user": {"id": user, "username": user.to_lowercase(), "name": user.to_lowercase(), "team_id": TEAM},
                "api_app_id": "A0APP0001",
                "token": "legacy-verification-token",
                "trigger_id": "1.2.4",
                "view": view,
            },
        });
        self.send(Out::Text(envelope.to_string())).await;
        id
    }

    /// A `disconnect` envelope, as Slack sends before refreshing a connection.
    pub async fn disconnect(&self) {
        let frame = json!({"type": "disconnect", "reason": "refresh_requested", "debug_info": {"host": "fake"}});
        self.send(Out::Text(frame.to_string())).await;
    }

    /// Drops the newest socket without a close frame, as a network failure would.
    pub async fn drop_socket(&self) {
        self.send(Out::Drop).await;
    }

    /// Closes the newest socket cleanly.
    pub async fn close_socket(&self) {
        self.send(Out::Close).await;
    }

    /// The ack of envelope `id`.
    pub async fn ack(&self, id: &str) -> Value {
        self.until(&format!("the ack of {id}"), |inner| {
            inner.acks.iter().find(|a| a["envelope_id"] == id).cloned()
        })
        .await
    }
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::to_owned)
}

async fn web_api(
    State(shared): State<Arc<Shared>>,
    Path(method): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut request: Value = serde_json::from_slice(&body).unwrap_or_else(|_| json!({}));
    for (k, v) in query {
        request[k] = json!(v);
    }
    let failure = {
        let mut inner = shared.lock();
        inner
            .failures
            .iter_mut()
            .find(|f| {
                f.times > 0
                    && f.method == method
                    && f.channel.as_ref().is_none_or(|c| request["channel"] == **c)
            })
            .map(|f| {
                f.times -= 1;
                (f.status, f.retry_after, f.body.clone())
            })
    };
    let (status, retry_after, answer) = match failure {
        Some(failure) => failure,
        None => (StatusCode::OK, None, answer(&shared, &method, &request)),
    };
    shared.record(&method, bearer(&headers), request, answer.clone());
    let gate = shared.lock().holds.get(&method).cloned();
    if let Some(gate) = gate {
        let _ = gate.acquire().await;
    }
    let mut response = (status, axum::Json(answer)).into_response();
    if let Some(secs) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, secs.to_string().parse().unwrap());
    }
    response
}

fn answer(shared: &Shared, method: &str, request: &Value) -> Value {
    match method {
        "apps.connections.open" => {
            json!({"ok": true, "url": format!("{}/socket", shared.base.replace("http://", "ws://"))})
        }
        "auth.test" => json!({
            "ok": true, "url": "https://study.slack.com/", "team": "Study", "user": "quizbot",
            "team_id": TEAM, "user_id": BOT_USER, "bot_id": "B0BOT0001",
        }),
        "chat.postMessage" | "chat.update" => {
            let ts = if method == "chat.update" {
                request["ts"].as_str().unwrap_or_default().to_owned()
            } else {
                let mut inner = shared.lock();
                inner.next_ts += 1;
                format!("{}.000100", inner.next_ts)
            };
            json!({
                "ok": true, "channel": request["channel"], "ts": ts,
                "message": {"type": "message", "ts": ts, "text": request["text"], "user": BOT_USER},
            })
        }
        "chat.postEphemeral" => json!({"ok": true, "message_ts": "1764000000.000200"}),
        "chat.getPermalink" => {
            let channel = request["channel"].as_str().unwrap_or_default();
            let ts = request["message_ts"]
                .as_str()
                .unwrap_or_default()
                .replace('.', "");
            json!({"ok": true, "channel": channel,
                   "permalink": format!("https://study.slack.com/archives/{channel}/p{ts}")})
        }
        "conversations.open" => {
            let user = request["users"].as_str().unwrap_or_default();
            json!({"ok": true, "channel": {"id": FakeSlack::dm_of(user)}})
        }
        "files.getUploadURLExternal" => {
            let id = {
                let mut inner = shared.lock();
                inner.next_file += 1;
                format!("F0FILE{:04}", inner.next_file)
            };
            json!({"ok": true, "file_id": id, "upload_url": format!("{}/upload/{id}", shared.base)})
        }
        "files.completeUploadExternal" => {
            let files: Vec<Value> = request["files"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| json!({"id": f["id"], "title": f["title"]}))
                .collect();
            json!({"ok": true, "files": files})
        }
        // The view as opened, with the ids Slack gives it.
        "views.open" => {
            let mut view = request["view"].clone();
            view["id"] = json!("V0VIEW0001");
            view["team_id"] = json!(TEAM);
            view["hash"] = json!("1764000000.abcdef");
            json!({"ok": true, "view": view})
        }
        "users.info" => {
            let user = request["user"].as_str().unwrap_or_default();
            match shared.lock().users.get(user) {
                Some(found) => json!({"ok": true, "user": found}),
                None => json!({"ok": false, "error": "user_not_found"}),
            }
        }
        _ => json!({"ok": false, "error": "unknown_method"}),
    }
}

async fn respond(
    State(shared): State<Arc<Shared>>,
    Path((user, _n)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let mut request: Value = serde_json::from_slice(&body).unwrap_or_else(|_| json!({}));
    request["to"] = json!(user);
    shared.record("response_url", None, request, json!("ok"));
    (StatusCode::OK, "ok").into_response()
}

/// An upload to a URL from `files.getUploadURLExternal`: the raw bytes, as Slack takes
/// them, answered in plain text as Slack does.
async fn upload(
    State(shared): State<Arc<Shared>>,
    Path(file): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let request = json!({"file": file, "content_type": content_type, "length": body.len()});
    shared.lock().uploads.insert(file, body.to_vec());
    shared.record("upload", bearer(&headers), request, json!("OK"));
    (StatusCode::OK, format!("OK - {}", body.len())).into_response()
}

async fn socket(State(shared): State<Arc<Shared>>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| serve_socket(shared, socket))
}

async fn serve_socket(shared: Arc<Shared>, mut socket: WebSocket) {
    let (sender, mut outgoing) = mpsc::unbounded_channel();
    let number = {
        let mut inner = shared.lock();
        inner.sockets_opened += 1;
        let number = inner.sockets_opened;
        inner.sockets.push((number, sender));
        number
    };
    let hello = json!({
        "type": "hello", "num_connections": 1,
        "debug_info": {"host": "fake", "approximate_connection_time": 3600},
        "connection_info": {"app_id": "A0APP0001"},
    });
    let mut open = socket
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_ok();
    shared.changed.notify_waiters();
    while open {
        tokio::select! {
            out = outgoing.recv() => match out {
                Some(Out::Text(text)) => open = socket.send(Message::Text(text.into())).await.is_ok(),
                Some(Out::Close) | None => {
                    let _ = socket.send(Message::Close(None)).await;
                    open = false;
                }
                Some(Out::Drop) => open = false,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    if let Ok(ack) = serde_json::from_str::<Value>(&text) {
                        shared.lock().acks.push(ack);
                        shared.changed.notify_waiters();
                    }
                }
                Some(Ok(Message::Close(_)) | Err(_)) | None => open = false,
                Some(Ok(_)) => {}
            },
        }
    }
    shared.lock().sockets.retain(|(n, _)| *n != number);
    shared.changed.notify_waiters();
}
