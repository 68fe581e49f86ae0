//! Typed configuration from the environment (and an optional `.env`). Fails fast naming the
//! variable; `Debug` never prints a token.

use std::fmt;
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
        })
    }
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
