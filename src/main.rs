//! The `quizbot` command: a thin front end over the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use jiff::Timestamp;
use quizbot::adapters::clock::Clock;
use quizbot::adapters::terminal::{Options, Terminal};
use quizbot::bank::{self, Bank};
use quizbot::config::Config;
use quizbot::quiz::Engine;
use quizbot::store::Store;

/// Daily and on-demand AWS SAA-C03 scenario questions for study groups.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Connect to Discord (DISCORD_TOKEN) and/or Slack (SLACK_APP_TOKEN + SLACK_BOT_TOKEN).
    Run,
    /// Play in the terminal: type chat commands, `:as NAME`, `:advance 1d`, `:now`, `:quit`.
    Play {
        /// Print one JSON object per bot message instead of text.
        #[arg(long)]
        json: bool,
        /// Start the clock here, e.g. 2026-11-24T08:00:00+09:00.
        #[arg(long, value_parser = parse_clock)]
        clock: Option<Timestamp>,
        /// The folder for files the bot sends (the /readiness chart, /export); else the
        /// database's folder.
        #[arg(long, env = "QUIZBOT_PLAY_OUT")]
        out: Option<PathBuf>,
    },
    /// Work with the scenario bank.
    Bank {
        #[command(subcommand)]
        command: BankCmd,
    },
    /// Write a consistent copy of the database (QUIZBOT_DB) to a new file, even while the
    /// bot runs.
    Backup {
        /// Where the copy goes; the file must not exist yet.
        path: PathBuf,
    },
    /// Ask a running `quizbot run` whether it is healthy (GET /healthz): exit 0 if so, 1
    /// with the reason if not. For the container's HEALTHCHECK.
    Health {
        /// Where `quizbot run` serves /healthz (an address such as 0.0.0.0 is asked on
        /// 127.0.0.1).
        #[arg(long, env = "QUIZBOT_METRICS_ADDR")]
        addr: Option<String>,
    },
    /// Measure the bot; each benchmark prints one line of JSON.
    Bench {
        #[command(subcommand)]
        which: BenchCmd,
    },
}

#[derive(Subcommand)]
enum BenchCmd {
    /// Members answering one daily question at once, against SQLite's ceiling and the naive way.
    Answers {
        #[arg(long, default_value_t = 10_000)]
        members: usize,
        #[arg(long, default_value_t = 512)]
        workers: usize,
        /// Spread the paced run's arrivals over this many milliseconds.
        #[arg(long, default_value_t = 1_000)]
        window_ms: u64,
        #[arg(long, default_value_t = 500)]
        naive_sample: usize,
    },
    /// Leaderboards over a year of history.
    Leaderboard {
        #[arg(long, default_value_t = 1_000_000)]
        answers: usize,
        #[arg(long, default_value_t = 10_000)]
        members: usize,
        #[arg(long, default_value_t = 50)]
        teams: usize,
        #[arg(long, default_value_t = 365)]
        days: usize,
        #[arg(long, default_value_t = 300)]
        iterations: usize,
    },
    /// Loading and validating a large generated bank.
    Bank {
        #[arg(long, default_value_t = 10_000)]
        questions: usize,
        #[arg(long, default_value_t = 100)]
        files: usize,
        /// (internal) load this folder and report, in a fresh process.
        #[arg(long, hide = true)]
        load: Option<PathBuf>,
    },
    /// Ticks for many schedules across zones, and CPU while idle.
    Scheduler {
        #[arg(long, default_value_t = 10_000)]
        channels: usize,
        #[arg(long, default_value_t = 5)]
        idle_seconds: u64,
    },
    /// Resident memory over many daily rounds (it must stay flat).
    Rounds {
        #[arg(long, default_value_t = 10_000)]
        rounds: usize,
        #[arg(long, default_value_t = 100)]
        channels: usize,
    },
    /// Many channels due at one instant, sent by the real delivery loop to a fake platform
    /// with latency and a global rate limit, 1 % of channels hanging; and one at a time.
    Delivery {
        #[arg(long, default_value_t = 1_000)]
        channels: usize,
        #[arg(long, default_value_t = 100)]
        latency_ms: u64,
        /// The platform's global limit: deliveries started a second.
        #[arg(long, default_value_t = 50)]
        rate: u32,
        /// Deliveries in flight at once.
        #[arg(long, default_value_t = 50)]
        concurrency: usize,
        /// Percent of channels whose call hangs until the time limit.
        #[arg(long, default_value_t = 1.0)]
        hanging_percent: f64,
        /// The delivery loop's time limit on one delivery.
        #[arg(long, default_value_t = 10_000)]
        timeout_ms: u64,
    },
    /// Resident memory of an idle bot.
    Idle,
    /// `/readiness` for a member who has answered this many questions.
    Readiness {
        #[arg(long, default_value_t = 2_000)]
        answered: usize,
        #[arg(long, default_value_t = 300)]
        iterations: usize,
    },
    /// `/mock 65` assembled for a member who has seen many questions of a large bank.
    Mock {
        #[arg(long, default_value_t = 2_000)]
        questions: usize,
        #[arg(long, default_value_t = 1_000)]
        seen: usize,
        #[arg(long, default_value_t = 300)]
        iterations: usize,
    },
}

#[derive(Subcommand)]
enum BankCmd {
    /// Validate bank files (default: QUIZBOT_BANK) and print a summary, or every problem.
    Check {
        /// Treat authoring warnings (a give-away longest option, lopsided key letters) as errors.
        #[arg(long)]
        strict: bool,
        /// Files or folders to check.
        paths: Vec<PathBuf>,
    },
    /// Print the open reports members made on questions (QUIZBOT_DB), most reported first,
    /// with each question's file and line in the bank (QUIZBOT_BANK).
    Reports {
        /// Close every open report on this question (after fixing it in the bank).
        #[arg(long, value_name = "QUESTION_ID")]
        close: Option<String>,
    },
}

fn parse_clock(text: &str) -> Result<Timestamp, String> {
    let at = text.parse::<Timestamp>().map_err(|e| {
        format!(
            "`{text}` is not an instant with an offset, such as 2026-11-24T08:00:00+09:00 ({e})"
        )
    })?;
    let limit = quizbot::adapters::terminal::clock_limit();
    if at > limit {
        return Err(format!("the clock starts at {limit} at the latest"));
    }
    Ok(at)
}

/// `quizbot health`: 0 when `/healthz` answers 200, 1 otherwise (the reason on stderr;
/// never 2, which Docker reserves).
fn health(addr: Option<String>) -> ExitCode {
    let Some(addr) = addr.filter(|a| !a.trim().is_empty()) else {
        eprintln!(
            "unhealthy: QUIZBOT_METRICS_ADDR is not set, so `quizbot run` serves no /healthz \
             (set it, or pass --addr)"
        );
        return ExitCode::FAILURE;
    };
    let probed = quizbot::config::metrics_addr(&addr)
        .map_err(|e| e.to_string())
        .and_then(quizbot::adapters::health::probe);
    match probed {
        Ok(()) => {
            println!("ok");
            ExitCode::SUCCESS
        }
        Err(reason) => {
            eprintln!("unhealthy: {reason}");
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A missing .env is normal; a malformed one stops the bot before anything starts.
    if let Err(e) = quizbot::config::load_dotenv() {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    // Before the configuration is read: a probe needs nothing else from it.
    if let Cmd::Health { addr } = cli.command {
        return health(addr);
    }
    let quiet = matches!(
        cli.command,
        Cmd::Play { .. } | Cmd::Bank { .. } | Cmd::Bench { .. } | Cmd::Backup { .. }
    );
    quizbot::logging::init(if quiet { "warn" } else { "info" });
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
    match cli.command {
        Cmd::Bank {
            command: BankCmd::Check { paths, strict },
        } => Ok(check_bank(
            if paths.is_empty() {
                vec![config.bank]
            } else {
                paths
            },
            strict,
        )),
        Cmd::Bank {
            command: BankCmd::Reports { close },
        } => bank_reports(&config, close.as_deref()),
        Cmd::Play { json, clock, out } => {
            let engine = engine(&config)?;
            let stdin = std::io::stdin();
            let interactive = stdin.is_terminal();
            let files = out.or_else(|| {
                let folder = config.db.parent()?;
                (!folder.as_os_str().is_empty()).then(|| folder.to_path_buf())
            });
            let options = Options {
                json,
                clock,
                lang: None,
                files,
            };
            let store = engine.store().clone();
            checkpoint_on_signal(store.clone());
            let mut terminal = Terminal::new(engine, std::io::stdout().lock(), options);
            let played = terminal.run(stdin.lock(), interactive);
            checkpoint(&store);
            played.map_err(|e| e.to_string())?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Backup { path } => {
            quizbot::store::backup(&config.db, &path).map_err(|e| e.to_string())?;
            eprintln!("backed up {} to {}", config.db.display(), path.display());
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Run => serve(&config),
        Cmd::Health { addr } => Ok(health(addr)),
        Cmd::Bench { which } => {
            let report = bench(which, &config)?;
            println!("{report}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn bench(which: BenchCmd, config: &Config) -> Result<serde_json::Value, String> {
    use quizbot::bench;
    match which {
        BenchCmd::Answers {
            members,
            workers,
            window_ms,
            naive_sample,
        } => bench::answers::run(&bench::answers::Options {
            members,
            workers,
            window: std::time::Duration::from_millis(window_ms),
            naive_sample,
        }),
        BenchCmd::Leaderboard {
            answers,
            members,
            teams,
            days,
            iterations,
        } => bench::leaderboard::run(&bench::leaderboard::Options {
            answers,
            members,
            teams,
            days,
            iterations,
        }),
        BenchCmd::Bank {
            load: Some(dir), ..
        } => bench::bankload::load(&dir),
        BenchCmd::Bank {
            questions,
            files,
            load: None,
        } => bench::bankload::run(questions, files),
        BenchCmd::Scheduler {
            channels,
            idle_seconds,
        } => bench::scheduler::run(&bench::scheduler::Options {
            channels,
            idle_seconds,
        }),
        BenchCmd::Rounds { rounds, channels } => {
            bench::rounds::run(&bench::rounds::Options { rounds, channels })
        }
        BenchCmd::Delivery {
            channels,
            latency_ms,
            rate,
            concurrency,
            hanging_percent,
            timeout_ms,
        } => bench::delivery::run(&bench::delivery::Options {
            channels,
            latency_ms,
            rate,
            concurrency,
            hanging_percent,
            timeout_ms,
        }),
        BenchCmd::Idle => bench::idle::run(config),
        BenchCmd::Readiness {
            answered,
            iterations,
        } => bench::readiness::run(answered, iterations),
        BenchCmd::Mock {
            questions,
            seen,
            iterations,
        } => bench::mock::run(questions, seen, iterations),
    }
}

fn check_bank(paths: Vec<PathBuf>, strict: bool) -> ExitCode {
    use std::io::Write as _;
    // Written without `print!`: output piped into `head` closes early, and that is no panic.
    let mut out = std::io::stdout().lock();
    match bank::load(&paths) {
        Ok(bank) => {
            let warnings = bank::lint::lint(&bank);
            for warning in &warnings {
                let _ = writeln!(out, "{warning}");
            }
            let _ = write!(out, "{}", bank.summary());
            if warnings.is_empty() {
                ExitCode::SUCCESS
            } else if strict {
                eprintln!("{} warning(s), errors under --strict", warnings.len());
                ExitCode::FAILURE
            } else {
                eprintln!("{} warning(s)", warnings.len());
                ExitCode::SUCCESS
            }
        }
        Err(problems) => {
            for problem in &problems {
                let _ = writeln!(out, "{problem}");
            }
            eprintln!("{} problem(s) found", problems.len());
            ExitCode::FAILURE
        }
    }
}

/// `quizbot bank reports [--close ID]`: the open reports, or closes one question's.
fn bank_reports(config: &Config, close: Option<&str>) -> Result<ExitCode, String> {
    use std::io::Write as _;
    let store = Store::open(&config.db).map_err(|e| e.to_string())?;
    let mut out = std::io::stdout().lock();
    if let Some(id) = close {
        let closed = store
            .close_reports(id, Timestamp::now())
            .map_err(|e| e.to_string())?;
        if closed == 0 {
            return Err(format!("question {id} has no open reports"));
        }
        let _ = writeln!(out, "closed {closed} report(s) on {id}");
        return Ok(ExitCode::SUCCESS);
    }
    let bank = load_bank(config)?;
    let rows = store.open_reports(None).map_err(|e| e.to_string())?;
    let _ = write!(
        out,
        "{}",
        quizbot::quiz::report::maintainer_text(&bank, &rows)
    );
    Ok(ExitCode::SUCCESS)
}

fn load_bank(config: &Config) -> Result<Bank, String> {
    bank::load(std::slice::from_ref(&config.bank)).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        format!(
            "the question bank has problems (fix them, or check with `quizbot bank check`):\n{}",
            lines.join("\n")
        )
    })
}

fn engine(config: &Config) -> Result<Engine, String> {
    let bank = load_bank(config)?;
    let store = Store::open(&config.db).map_err(|e| e.to_string())?;
    Ok(Engine::new(Arc::new(bank), store, config.lang))
}

fn serve(config: &Config) -> Result<ExitCode, String> {
    // Before the bank is read or the database is created or migrated.
    if config.discord.is_none() && config.slack.is_none() {
        return Err(quizbot::adapters::NOTHING_TO_CONNECT.into());
    }
    let engine = engine(config)?;
    let store = engine.store().clone();
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let served = runtime.block_on(quizbot::adapters::serve(engine, config, Clock::System));
    checkpoint(&store);
    served?;
    Ok(ExitCode::SUCCESS)
}

/// On a clean stop the write-ahead log goes into the database file, so that a copy of the
/// `.db` file alone is complete.
fn checkpoint(store: &Store) {
    if let Err(error) = store.checkpoint() {
        tracing::warn!(%error, "could not checkpoint the database");
    }
}

/// `play` is synchronous: Ctrl-C and SIGTERM are watched on a thread of their own, which
/// checkpoints and ends the process.
fn checkpoint_on_signal(store: Store) {
    let stop = move || {
        checkpoint(&store);
        std::process::exit(130);
    };
    if let Err(error) = quizbot::adapters::on_shutdown_signal(stop) {
        tracing::warn!(%error, "Ctrl-C will not checkpoint the database");
    }
}
