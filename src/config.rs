//! Typed configuration from the environment (and an optional `.env`). Fails fast naming the
//! variable; `Debug` never prints a token.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crate::adapters::deliver::Pace;
use crate::bank::Lang;

/// A token: shown as `***` by `Debug` and `Display`, so it cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{var} is invalid: {reason}")]
    Invalid { var: &'static str, reason: String },
    #[error("{var} is set but {needs} is not: set both to connect to Slack")]
    Incomplete {
        var: &'static str,
        needs: &'static str,
    },
}

/// Why the `.env` file was not used. Never shows the file's content: a line may hold a token.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DotenvError {
    #[error(
        "{}: line {line} is not `NAME=value` (an unbalanced quote?); the line is not shown, as it \
         may hold a token, and nothing from the file was used",
        path.display()
    )]
    Line { path: PathBuf, line: usize },
    #[error("{}: line {line} is not UTF-8 text; nothing from the file was used", path.display())]
    NotText { path: PathBuf, line: usize },
    #[error("{} cannot be read: {reason}", path.display())]
    Unreadable { path: PathBuf, reason: String },
}

/// A `.env` larger than this is refused: it is a handful of variables, not data.
const MAX_DOTENV_BYTES: u64 = 1 << 20;

/// Loads the first `.env` found in the current folder or one of its parents (as dotenvy does)
/// into the environment, without overriding variables already set. The whole file is checked
/// before anything is set, so a broken line never leaves half of it loaded.
pub fn load_dotenv() -> Result<Option<PathBuf>, DotenvError> {
    let Ok(cwd) = std::env::current_dir() else {
        return Ok(None);
    };
    let Some(path) = cwd.ancestors().map(|d| d.join(".env")).find(|p| p.exists()) else {
        return Ok(None);
    };
    let text = read_dotenv(&path)?;
    dotenvy::from_read(text.as_bytes()).map_err(|e| dotenv_error(&path, &text, e))?;
    Ok(Some(path))
}

/// The file's text once every line of it parses, BOM removed.
fn read_dotenv(path: &Path) -> Result<String, DotenvError> {
    use std::io::Read as _;
    let unreadable = |reason: String| DotenvError::Unreadable {
        path: path.to_owned(),
        reason,
    };
    let file = std::fs::File::open(path).map_err(|e| unreadable(e.to_string()))?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(unreadable("it is not a regular file".into()));
    }
    let mut bytes = Vec::new();
    file.take(MAX_DOTENV_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(e.to_string()))?;
    if bytes.len() as u64 > MAX_DOTENV_BYTES {
        return Err(unreadable(format!(
            "it is larger than {} KiB",
            MAX_DOTENV_BYTES / 1024
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        DotenvError::NotText {
            path: path.to_owned(),
            line: valid.iter().filter(|b| **b == b'\n').count() + 1,
        }
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text);
    for item in dotenvy::from_read_iter(text.as_bytes()) {
        item.map_err(|e| dotenv_error(path, &text, e))?;
    }
    Ok(text)
}

fn dotenv_error(path: &Path, text: &str, error: dotenvy::Error) -> DotenvError {
    match error {
        dotenvy::Error::LineParse(bad, _) => DotenvError::Line {
            path: path.to_owned(),
            line: line_of(text, &bad),
        },
        // Only I/O errors are left (reading from memory, so in practice none): their
        // message is the operating system's, never the file's content.
        other => DotenvError::Unreadable {
            path: path.to_owned(),
            reason: match other {
                dotenvy::Error::Io(e) => e.to_string(),
                _ => "it could not be parsed".into(),
            },
        },
    }
}

/// The 1-based line where dotenvy's rejected text `bad` starts: it is the rest of a line
/// (and, after an unbalanced quote, of the file) from a line's start.
fn line_of(text: &str, bad: &str) -> usize {
    let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1));
    let offset = starts
        .filter(|&s| s <= text.len())
        .find(|&s| text[s..].starts_with(bad))
        .unwrap_or(0);
    text[..offset].matches('\n').count() + 1
}

#[derive(Debug, Clone)]
pub struct Discord {
    pub token: Secret,
    pub guild_id: Option<u64>,
    pub api_base: Option<String>,
    /// `QUIZBOT_DISCORD_CONCURRENCY`, `QUIZBOT_DISCORD_RATE`: deliveries in flight, started a second.
    pub pace: Pace,
    /// `DISCORD_SHARDS`: the shards this process runs; `None`: all of them, as many as
    /// Discord recommends.
    pub shards: Option<ShardRange>,
}

/// Shards `first..=last` of `total` (`DISCORD_SHARDS=0-3/16`, or `5/16` for one): the
/// servers this process serves and delivers to. Built only by [`ShardRange::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardRange {
    first: u32,
    last: u32,
    total: u32,
}

/// Why a `DISCORD_SHARDS` value is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShardRangeError {
    #[error("`{0}` is not `FIRST-LAST/TOTAL` or `SHARD/TOTAL` (such as `0-3/16` or `5/16`)")]
    Form(String),
    #[error("`{0}` is not a shard number")]
    Number(String),
    #[error("the total number of shards must be at least 1")]
    NoShards,
    #[error("shard {last} is past the last shard of {total} (shards are numbered 0 to {})", total - 1)]
    PastTotal { last: u32, total: u32 },
    #[error("the range {first}-{last} runs backwards")]
    Backwards { first: u32, last: u32 },
}

impl ShardRange {
    /// Reads `FIRST-LAST/TOTAL` or `SHARD/TOTAL`; shards are numbered from 0.
    pub fn parse(text: &str) -> Result<Self, ShardRangeError> {
        let text = text.trim();
        let (range, total) = text
            .split_once('/')
            .ok_or_else(|| ShardRangeError::Form(text.to_owned()))?;
        let number = |s: &str| {
            let s = s.trim();
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(if s.is_empty() || s.contains(['/', '-']) {
                    ShardRangeError::Form(text.to_owned())
                } else {
                    ShardRangeError::Number(s.to_owned())
                });
            }
            s.parse::<u32>()
                .map_err(|_| ShardRangeError::Number(s.to_owned()))
        };
        let (first, last) = match range.split_once('-') {
            Some((first, last)) => (number(first)?, number(last)?),
            None => {
                let only = number(range)?;
                (only, only)
            }
        };
        let total = number(total)?;
        if total == 0 {
            return Err(ShardRangeError::NoShards);
        }
        if first > last {
            return Err(ShardRangeError::Backwards { first, last });
        }
        if last >= total {
            return Err(ShardRangeError::PastTotal { last, total });
        }
        Ok(Self { first, last, total })
    }

    /// Every shard of `total` in one process (the recommended count, read at start).
    pub fn all(total: u32) -> Option<Self> {
        (total > 0).then(|| Self {
            first: 0,
            last: total - 1,
            total,
        })
    }

    pub fn first(self) -> u32 {
        self.first
    }

    pub fn last(self) -> u32 {
        self.last
    }

    pub fn total(self) -> u32 {
        self.total
    }

    /// How many shards this process runs.
    pub fn count(self) -> u32 {
        self.last - self.first + 1
    }

    /// Whether the server with this id is on one of these shards: Discord puts a server on
    /// shard `(id >> 22) % total`; direct messages come on shard 0.
    pub fn holds_guild(self, guild: Option<u64>) -> bool {
        let shard = guild.map_or(0, |id| (id >> 22) % u64::from(self.total));
        (u64::from(self.first)..=u64::from(self.last)).contains(&shard)
    }
}

impl fmt::Display for ShardRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{}/{}", self.first, self.total)
        } else {
            write!(f, "{}-{}/{}", self.first, self.last, self.total)
        }
    }
}

#[derive(Debug, Clone)]
pub struct Slack {
    pub app_token: Secret,
    pub bot_token: Secret,
    pub api_url: Option<String>,
    /// Member ids (`U…`) allowed to use `/quiz …` besides workspace admins and owners.
    pub admin_users: Vec<String>,
    /// `QUIZBOT_SLACK_CONCURRENCY`, `QUIZBOT_SLACK_RATE`: deliveries in flight, started a second.
    pub pace: Pace,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub db: PathBuf,
    pub bank: PathBuf,
    pub lang: Lang,
    pub discord: Option<Discord>,
    pub slack: Option<Slack>,
    /// `QUIZBOT_METRICS_ADDR`: where `/healthz` and `/metrics` are served; off when unset.
    pub metrics: Option<SocketAddr>,
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads configuration through `get`, so tests need not touch the process environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let lang = match get("QUIZBOT_LANG") {
            Some(v) => v.parse().map_err(|reason| ConfigError::Invalid {
                var: "QUIZBOT_LANG",
                reason,
            })?,
            None => Lang::En,
        };
        let discord = match get("DISCORD_TOKEN") {
            Some(token) => Some(Discord {
                token: Secret(token),
                guild_id: get("DISCORD_GUILD_ID")
                    .map(|v| {
                        v.trim().parse().map_err(|_| ConfigError::Invalid {
                            var: "DISCORD_GUILD_ID",
                            reason: format!("`{v}` is not a server id (a number)"),
                        })
                    })
                    .transpose()?,
                api_base: get("DISCORD_API_BASE")
                    .map(|v| url("DISCORD_API_BASE", v))
                    .transpose()?,
                shards: get("DISCORD_SHARDS")
                    .map(|v| {
                        ShardRange::parse(&v).map_err(|e| ConfigError::Invalid {
                            var: "DISCORD_SHARDS",
                            reason: e.to_string(),
                        })
                    })
                    .transpose()?,
                pace: pace(&get, "DISCORD", Pace::DISCORD)?,
            }),
            None => None,
        };
        let slack = match (get("SLACK_APP_TOKEN"), get("SLACK_BOT_TOKEN")) {
            (Some(app), Some(bot)) => Some(Slack {
                app_token: Secret(app),
                bot_token: Secret(bot),
                api_url: get("SLACK_API_URL")
                    .map(|v| url("SLACK_API_URL", v))
                    .transpose()?,
                admin_users: get("SLACK_ADMIN_USERS")
                    .map(|v| {
                        v.split([',', ' '])
                            .filter(|s| !s.is_empty())
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default(),
                pace: pace(&get, "SLACK", Pace::SLACK)?,
            }),
            (Some(_), None) => {
                return Err(ConfigError::Incomplete {
                    var: "SLACK_APP_TOKEN",
                    needs: "SLACK_BOT_TOKEN",
                });
            }
            (None, Some(_)) => {
                return Err(ConfigError::Incomplete {
                    var: "SLACK_BOT_TOKEN",
                    needs: "SLACK_APP_TOKEN",
                });
            }
            (None, None) => None,
        };
        Ok(Self {
            db: get("QUIZBOT_DB").map_or_else(|| "quizbot.db".into(), PathBuf::from),
            bank: get("QUIZBOT_BANK").map_or_else(|| "data/bank".into(), PathBuf::from),
            lang,
            discord,
            slack,
            metrics: get("QUIZBOT_METRICS_ADDR")
                .map(|v| metrics_addr(&v))
                .transpose()?,
        })
    }
}

/// `QUIZBOT_METRICS_ADDR`: an IP address and port, such as `127.0.0.1:9184`; no host
/// names, so the operator sees exactly which interface is opened.
pub fn metrics_addr(value: &str) -> Result<SocketAddr, ConfigError> {
    value.trim().parse().map_err(|_| ConfigError::Invalid {
        var: "QUIZBOT_METRICS_ADDR",
        reason: format!("`{value}` is not an IP address and port, such as 127.0.0.1:9184"),
    })
}

/// A platform's delivery pace from `QUIZBOT_{PLATFORM}_CONCURRENCY` and `_RATE`.
fn pace(
    get: &impl Fn(&str) -> Option<String>,
    platform: &'static str,
    default: Pace,
) -> Result<Pace, ConfigError> {
    let (concurrency, rate) = match platform {
        "DISCORD" => ("QUIZBOT_DISCORD_CONCURRENCY", "QUIZBOT_DISCORD_RATE"),
        _ => ("QUIZBOT_SLACK_CONCURRENCY", "QUIZBOT_SLACK_RATE"),
    };
    let (c, r) = (get(concurrency), get(rate));
    Pace::parse(c.as_deref(), r.as_deref(), default, (concurrency, rate)).map_err(|reason| {
        let var = if reason.starts_with(concurrency) {
            concurrency
        } else {
            rate
        };
        ConfigError::Invalid {
            var,
            reason: reason
                .trim_start_matches(var)
                .trim_start_matches(": ")
                .to_owned(),
        }
    })
}

fn url(var: &'static str, value: String) -> Result<String, ConfigError> {
    if value.starts_with("http://") || value.starts_with("https://") {
        Ok(value.trim_end_matches('/').to_owned())
    } else {
        Err(ConfigError::Invalid {
            var,
            reason: format!("`{value}` is not an http:// or https:// URL"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| vars.get(k).cloned())
    }

    #[test]
    fn defaults_need_no_variable_at_all() {
        let c = config(&[]).unwrap();
        assert_eq!(c.db, PathBuf::from("quizbot.db"));
        assert_eq!(c.bank, PathBuf::from("data/bank"));
        assert_eq!(c.lang, Lang::En);
        assert!(c.discord.is_none() && c.slack.is_none());
    }

    #[test]
    fn debug_output_never_shows_a_token() {
        let c = config(&[
            ("DISCORD_TOKEN", "discord-secret-value"),
            ("SLACK_APP_TOKEN", "xapp-secret-value"),
            ("SLACK_BOT_TOKEN", "xoxb-secret-value"),
        ])
        .unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains("secret-value"), "{shown}");
        assert!(shown.contains("***"));
    }

    #[test]
    fn a_broken_env_line_is_found_by_number_whatever_follows_it() {
        let text = "A=1\n# note\nB=\"open\nC=3\n";
        assert_eq!(line_of(text, "B=\"open\nC=3\n"), 3);
        let text = "A=1\nnot a pair\nC=3\n";
        assert_eq!(line_of(text, "not a pair"), 2);
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join(".env");
        std::fs::write(&path, "A=1\nDISCORD_TOKEN=\"abc-secret\nQUIZBOT_DB=x.db\n").unwrap();
        let err = read_dotenv(&path).unwrap_err();
        assert_eq!(err, DotenvError::Line { path, line: 2 });
        assert!(!err.to_string().contains("abc-secret"), "{err}");
    }

    #[test]
    fn an_env_file_with_a_byte_order_mark_or_bad_bytes_is_handled() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join(".env");
        std::fs::write(&path, "\u{feff}QUIZBOT_LANG=ko\n").unwrap();
        assert_eq!(read_dotenv(&path).unwrap(), "QUIZBOT_LANG=ko\n");
        std::fs::write(&path, b"A=1\nB=\xff\n").unwrap();
        assert_eq!(
            read_dotenv(&path).unwrap_err(),
            DotenvError::NotText { path, line: 2 }
        );
    }

    #[test]
    fn a_shard_range_reads_a_range_or_one_shard_of_a_total() {
        let range = ShardRange::parse("0-3/16").unwrap();
        assert_eq!((range.first(), range.last(), range.total()), (0, 3, 16));
        assert_eq!(range.count(), 4);
        assert_eq!(range.to_string(), "0-3/16");
        let one = ShardRange::parse(" 5/16 ").unwrap();
        assert_eq!((one.first(), one.last(), one.count()), (5, 5, 1));
        assert_eq!(one.to_string(), "5/16");
        assert_eq!(ShardRange::all(2), ShardRange::parse("0-1/2").ok());
        assert_eq!(ShardRange::all(0), None);
    }

    #[test]
    fn a_bad_shard_range_says_what_is_wrong() {
        for bad in [
            "", "16", "0-3", "/16", "0-/16", "-3/16", "0-3/", "a/16", "0-3/16/2", "1--2/4",
        ] {
            assert!(
                matches!(
                    ShardRange::parse(bad),
                    Err(ShardRangeError::Form(_) | ShardRangeError::Number(_))
                ),
                "{bad}: {:?}",
                ShardRange::parse(bad)
            );
        }
        assert_eq!(
            ShardRange::parse("x/16"),
            Err(ShardRangeError::Number("x".into()))
        );
        assert_eq!(ShardRange::parse("0/0"), Err(ShardRangeError::NoShards));
        assert_eq!(
            ShardRange::parse("3-1/16"),
            Err(ShardRangeError::Backwards { first: 3, last: 1 })
        );
        assert_eq!(
            ShardRange::parse("12-16/16"),
            Err(ShardRangeError::PastTotal {
                last: 16,
                total: 16
            })
        );
        assert_eq!(
            ShardRange::parse("99999999999/2"),
            Err(ShardRangeError::Number("99999999999".into()))
        );
        let err = config(&[("DISCORD_TOKEN", "t"), ("DISCORD_SHARDS", "0-3")]).unwrap_err();
        assert!(err.to_string().starts_with("DISCORD_SHARDS"), "{err}");
    }

    #[test]
    fn a_server_belongs_to_the_shard_of_its_id_and_direct_messages_to_shard_0() {
        let (zero, one) = (
            ShardRange::parse("0/2").unwrap(),
            ShardRange::parse("1/2").unwrap(),
        );
        // 1 << 22 is the first id on shard 1 of 2; 2 << 22 is back on shard 0.
        assert!(one.holds_guild(Some(1 << 22)) && !zero.holds_guild(Some(1 << 22)));
        assert!(zero.holds_guild(Some(2 << 22)) && !one.holds_guild(Some(2 << 22)));
        assert!(zero.holds_guild(Some((1 << 22) - 1)));
        assert!(zero.holds_guild(None) && !one.holds_guild(None));
        let all = ShardRange::parse("0-15/16").unwrap();
        assert!((0..64u64).all(|n| all.holds_guild(Some(n << 22))));
    }

    #[test]
    fn the_metrics_address_is_off_unless_set_and_must_be_an_address_and_port() {
        assert_eq!(config(&[]).unwrap().metrics, None);
        let on = config(&[("QUIZBOT_METRICS_ADDR", "127.0.0.1:9184")]).unwrap();
        assert_eq!(on.metrics, Some("127.0.0.1:9184".parse().unwrap()));
        for bad in ["9184", "localhost:9184", "127.0.0.1", "127.0.0.1:99999"] {
            let err = config(&[("QUIZBOT_METRICS_ADDR", bad)]).unwrap_err();
            assert!(err.to_string().starts_with("QUIZBOT_METRICS_ADDR"), "{err}");
        }
    }

    #[test]
    fn a_bad_value_names_its_variable() {
        let err = config(&[("QUIZBOT_LANG", "fr")]).unwrap_err();
        assert!(err.to_string().starts_with("QUIZBOT_LANG"), "{err}");
        let err = config(&[("DISCORD_TOKEN", "t"), ("DISCORD_GUILD_ID", "my-server")]).unwrap_err();
        assert!(err.to_string().starts_with("DISCORD_GUILD_ID"), "{err}");
        let err = config(&[("SLACK_APP_TOKEN", "xapp")]).unwrap_err();
        assert!(err.to_string().contains("SLACK_BOT_TOKEN"), "{err}");
        let err = config(&[("DISCORD_TOKEN", "t"), ("QUIZBOT_DISCORD_RATE", "fast")]).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("QUIZBOT_DISCORD_RATE is invalid: `fast`"),
            "{err}"
        );
    }

    #[test]
    fn each_platform_has_its_own_delivery_pace() {
        let c = config(&[
            ("DISCORD_TOKEN", "t"),
            ("SLACK_APP_TOKEN", "xapp"),
            ("SLACK_BOT_TOKEN", "xoxb"),
            ("QUIZBOT_SLACK_CONCURRENCY", "3"),
        ])
        .unwrap();
        assert_eq!(c.discord.map(|d| d.pace), Some(Pace::DISCORD));
        let slack = c.slack.map(|s| s.pace).unwrap();
        assert_eq!(slack.concurrency.get(), 3);
        assert_eq!(slack.per_second, Pace::SLACK.per_second);
    }
}
