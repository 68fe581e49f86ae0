//! The terminal channel (`quizbot play`): chat commands typed at a prompt or piped in, the
//! bot's replies printed as text or JSON lines. The clock is the terminal's own: `:advance`
//! moves it and everything due on the way happens in order, as it would in a live server.

use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::bank::Lang;
use crate::quiz::{
    Audience, Card, CardKind, Command, Delivery, DeliveryKind, Engine, Member, Place, QuizCommand,
    Reply, Request,
};
use crate::schedule::parse_duration;

/// The terminal is one server with one channel; every member there may manage it.
const SERVER: &str = "term";
const CHANNEL: &str = "term:general";
const CLOCK_SETTING: &str = "terminal.clock";

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub json: bool,
    /// Where the clock starts; else where the last session left it, or the real time if later.
    pub clock: Option<Timestamp>,
    pub lang: Option<Lang>,
    /// Where files on replies (the readiness chart, `/export`) are written; else the
    /// current directory.
    pub files: Option<PathBuf>,
}

pub struct Terminal<W: Write> {
    engine: Engine,
    out: W,
    json: bool,
    lang: Option<Lang>,
    clock: Timestamp,
    member: Member,
    files: PathBuf,
}

/// The real time, to the second: the terminal shows its clock, and nobody needs nanoseconds.
fn now_to_the_second() -> Timestamp {
    Timestamp::from_second(Timestamp::now().as_second()).unwrap_or_else(|_| Timestamp::now())
}

/// The latest instant the terminal's clock reaches: far enough for any study plan, and far
/// enough from the end of time that every date the engine derives from it exists.
pub fn clock_limit() -> Timestamp {
    const LIMIT: i64 = 221_845_392_000; // 9000-01-01T00:00:00Z
    Timestamp::from_second(LIMIT).unwrap_or(Timestamp::MAX)
}

fn member(name: &str) -> Member {
    Member {
        key: format!("term:{name}"),
        name: name.to_owned(),
    }
}

impl<W: Write> Terminal<W> {
    pub fn new(engine: Engine, out: W, options: Options) -> Self {
        let saved = engine
            .store()
            .setting(CLOCK_SETTING)
            .ok()
            .flatten()
            .and_then(|s| s.parse::<Timestamp>().ok());
        let clock = options
            .clock
            .unwrap_or_else(|| saved.map_or_else(now_to_the_second, |s| s.max(now_to_the_second())))
            .min(clock_limit());
        Self {
            engine,
            out,
            json: options.json,
            lang: options.lang,
            clock,
            member: member("me"),
            files: options.files.unwrap_or_else(|| PathBuf::from(".")),
        }
    }

    /// Reads commands until `:quit` or the end of input. At a terminal it shows a prompt.
    /// A line that cannot be read (not UTF-8) or handled gets an error naming its number,
    /// and the session goes on.
    pub fn run(&mut self, mut input: impl BufRead, interactive: bool) -> io::Result<()> {
        if interactive && !self.json {
            writeln!(
                self.out,
                "quizbot play: type /help for commands, :quit to leave."
            )?;
        }
        self.advance_to(self.clock)?;
        let mut number = 0usize;
        let mut bytes = Vec::new();
        loop {
            if interactive {
                write!(self.out, "{}> ", self.member.name)?;
                self.out.flush()?;
            }
            bytes.clear();
            if input.read_until(b'\n', &mut bytes)? == 0 {
                break;
            }
            number += 1;
            let Ok(line) = std::str::from_utf8(&bytes) else {
                self.say(
                    "error",
                    &format!("line {number} is not UTF-8 text: skipped"),
                )?;
                continue;
            };
            // A byte-order mark (from an editor on Windows) is not part of the command.
            let line = line.trim_start_matches('\u{feff}').trim();
            let handled =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.line(line)));
            match handled {
                Ok(going_on) => {
                    if !going_on? {
                        break;
                    }
                }
                Err(_) => {
                    tracing::error!(line = number, "a terminal line failed");
                    let text = format!("line {number} could not be carried out: nothing changed");
                    self.say("error", &text)?;
                }
            }
            if let Some(reason) = self.engine.store().lost() {
                return Err(io::Error::other(reason));
            }
        }
        self.save_clock();
        Ok(())
    }

    /// One line of input; false when it asks to quit.
    fn line(&mut self, line: &str) -> io::Result<bool> {
        if line.is_empty() || line.starts_with('#') {
            return Ok(true);
        }
        match line.strip_prefix(':') {
            Some(control) => self.control(control),
            None => {
                self.command(line)?;
                Ok(true)
            }
        }
    }

    fn control(&mut self, control: &str) -> io::Result<bool> {
        let (word, arg) = control
            .split_once(char::is_whitespace)
            .unwrap_or((control, ""));
        let arg = arg.trim();
        match word {
            "quit" | "q" | "exit" => return Ok(false),
            "now" => {
                let text = self.clock.to_string();
                self.say("info", &text)?;
            }
            "as" if crate::quiz::is_display_name(arg) && !arg.contains(char::is_whitespace) => {
                self.member = member(arg);
                let text = format!("now acting as {arg}");
                self.say("info", &text)?;
            }
            "advance" => match parse_duration(arg).map(|step| (step, self.clock.checked_add(step)))
            {
                Ok((_, Ok(target))) if target <= clock_limit() => {
                    self.advance_to(target)?;
                    self.save_clock();
                    let text = format!("clock is now {}", self.clock);
                    self.say("info", &text)?;
                }
                Ok(_) => self.say(
                    "error",
                    &format!("the clock cannot go past {}", clock_limit()),
                )?,
                Err(e) => self.say("error", &crate::quiz::cut_quotes(&e.to_string(), 100))?,
            },
            _ => self.say(
                "error",
                "terminal controls: :as NAME, :advance DURATION (90m, 1d), :now, :quit",
            )?,
        }
        Ok(true)
    }

    fn command(&mut self, line: &str) -> io::Result<()> {
        let command = crate::quiz::parse(line, &|user| {
            format!("term:{}", user.trim_start_matches('@'))
        });
        let replies = match command {
            Ok(mut command) => {
                // `/quiz schedule … channel:#study` names a terminal channel.
                if let Command::Quiz(QuizCommand::Schedule {
                    channel: Some(name),
                    ..
                }) = &mut command
                {
                    let bare = name.trim_start_matches('#').trim();
                    if bare.is_empty() {
                        return self
                            .say("error", "`channel:` needs a channel name, such as #study");
                    }
                    *name = format!("term:{bare}");
                }
                let request = Request {
                    place: Place {
                        server: SERVER.into(),
                        channel: CHANNEL.into(),
                    },
                    member: self.member.clone(),
                    lang: self.lang,
                    manager: true,
                    command,
                };
                self.engine.handle(&request, self.clock)
            }
            Err(error) => vec![self.engine.reject(self.lang, &error)],
        };
        for reply in &replies {
            self.print_reply(reply)?;
        }
        // `/quiz post` and `/quiz reveal` take effect through the scheduler, at once.
        self.advance_to(self.clock)
    }

    /// Moves the clock to `target`, running every due post and reveal in time order.
    fn advance_to(&mut self, target: Timestamp) -> io::Result<()> {
        let mut last = None;
        while let Some(due) = self.engine.next_due(self.clock) {
            // Nothing more can happen at an instant already handled: stop rather than spin.
            if due > target || last == Some(due) {
                break;
            }
            self.clock = due;
            last = Some(due);
            for delivery in self.engine.tick(due) {
                self.deliver(&delivery)?;
            }
        }
        self.clock = self.clock.max(target);
        Ok(())
    }

    fn deliver(&mut self, delivery: &Delivery) -> io::Result<()> {
        let reply = Reply::channel(delivery.card.clone());
        self.print_to(&reply, &delivery.channel)?;
        match &delivery.kind {
            DeliveryKind::Post => self.engine.confirm_post(delivery.round, None, self.clock),
            DeliveryKind::Reveal { thread, .. } => {
                if let Some(name) = thread {
                    self.print_thread(delivery, name)?;
                }
                self.engine.confirm_reveal(delivery.round, self.clock);
            }
            DeliveryKind::Recap { recap } => self.engine.confirm_recap(*recap, None, self.clock),
        }
        Ok(())
    }

    /// A reveal's discussion thread, as the terminal shows one: an indented block under
    /// the reveal (`--json`: a `thread` line naming the round).
    fn print_thread(&mut self, delivery: &Delivery, name: &str) -> io::Result<()> {
        let channel = delivery.channel.trim_start_matches("term:");
        if self.json {
            let line = json!({
                "kind": "thread", "visibility": "channel", "channel": channel,
                "round": delivery.round.0, "name": name,
            });
            return writeln!(self.out, "{line}");
        }
        let lang = self.lang.unwrap_or(self.engine.default_lang());
        let round = delivery.round.to_string();
        let block: Vec<String> = crate::quiz::wording::terminal_thread(lang, name, &round)
            .lines()
            .map(|line| format!("    │ {line}"))
            .collect();
        writeln!(self.out, "{}\n", block.join("\n"))
    }

    fn save_clock(&self) {
        if let Err(error) = self
            .engine
            .store()
            .put_setting(CLOCK_SETTING, &self.clock.to_string())
        {
            tracing::warn!(%error, "could not save the terminal clock");
        }
    }

    fn print_reply(&mut self, reply: &Reply) -> io::Result<()> {
        self.print_to(reply, CHANNEL)
    }

    /// Prints a reply; channel messages are headed with their channel's name. Its files are
    /// written to the files folder, and their paths printed after the text.
    fn print_to(&mut self, reply: &Reply, channel: &str) -> io::Result<()> {
        let (written, failed) = self.write_files(reply);
        if self.json {
            let mut line = reply_json(reply, &self.member.name);
            if reply.audience == Audience::Channel {
                line["channel"] = json!(channel.trim_start_matches("term:"));
            }
            if !reply.attachments.is_empty() {
                let paths: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
                line["files"] = json!(paths);
            }
            writeln!(self.out, "{line}")?;
        } else {
            let header = match reply.audience {
                Audience::Channel => format!("── #{} ──", channel.trim_start_matches("term:")),
                Audience::Private => format!("── private to {} ──", self.member.name),
            };
            // The terminal has no buttons: the 🚩 button is a line saying what to type.
            let report = match &reply.card.report {
                Some(button) => {
                    let lang = self.lang.unwrap_or(self.engine.default_lang());
                    let hint = crate::quiz::wording::report_hint(lang, button.question.as_str());
                    format!("\n{hint}")
                }
                None => String::new(),
            };
            writeln!(self.out, "{header}\n{}{report}", reply.card.plain_text())?;
            for path in &written {
                writeln!(self.out, "📎 {}", path.display())?;
            }
            writeln!(self.out)?;
        }
        for (name, error) in failed {
            let text = format!(
                "could not write {name} to {}: {error}",
                self.files.display()
            );
            self.say("error", &text)?;
        }
        Ok(())
    }

    /// Writes the reply's files as `{member}-{name}` in the files folder (replacing an
    /// older one of the same name): the paths written, and the files that failed.
    fn write_files(&self, reply: &Reply) -> (Vec<PathBuf>, Vec<(String, io::Error)>) {
        let mut written = Vec::new();
        let mut failed = Vec::new();
        for file in &reply.attachments {
            let path = file_path(&self.files, &self.member.name, &file.name);
            match std::fs::create_dir_all(&self.files)
                .and_then(|()| std::fs::write(&path, &file.bytes))
            {
                Ok(()) => written.push(path),
                Err(error) => failed.push((file.name.clone(), error)),
            }
        }
        (written, failed)
    }

    /// Terminal-only notices, in the same shapes as the bot's messages.
    fn say(&mut self, kind: &str, text: &str) -> io::Result<()> {
        if self.json {
            let line = json!({"kind": kind, "visibility": "private", "text": text});
            writeln!(self.out, "{line}")
        } else {
            writeln!(self.out, "{text}")
        }
    }
}

/// Where a member's file goes: a name safe on any file system, in `folder`.
fn file_path(folder: &Path, member: &str, name: &str) -> PathBuf {
    let safe: String = format!("{member}-{name}")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    folder.join(safe.trim_start_matches('.'))
}

/// One bot message as the `--json` contract describes it.
pub fn reply_json(reply: &Reply, member: &str) -> Value {
    let card: &Card = &reply.card;
    let mut value = json!({
        "kind": card.kind.key(),
        "visibility": reply.audience,
        "text": card.plain_text(),
    });
    if reply.audience == Audience::Private {
        value["member"] = json!(member);
    }
    if let Some(button) = &card.report {
        value["report"] = json!(format!("/report {}", button.question));
    }
    match &card.kind {
        CardKind::Question {
            question_id, picks, ..
        } => {
            value["question_id"] = json!(question_id.as_str());
            value["picks"] = json!(picks);
        }
        CardKind::Reveal {
            question_id,
            answer,
            round,
        } => {
            value["question_id"] = json!(question_id.as_str());
            value["correct"] = json!(answer.to_string());
            if let Some(round) = round {
                value["round"] = json!(round.0);
            }
        }
        CardKind::Feedback {
            question_id,
            correct,
        } => {
            value["question_id"] = json!(question_id.as_str());
            value["right"] = json!(correct);
        }
        CardKind::Leaderboard { entries } => value["entries"] = json!(entries),
        _ => {}
    }
    value
}
