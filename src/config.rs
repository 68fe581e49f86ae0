//! Typed configuration from the environment (and an optional `.env`). Fails fast naming the
//! variable; `Debug` never prints a token.

use std::fmt;
use std::path::PathBuf;

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

#[derive(Debug, Clone)]
pub struct Discord {
    pub token: Secret,
    pub guild_id: Option<u64>,
    pub api_base: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Slack {
    pub app_token: Secret,
    pub bot_token: Secret,
    pub api_url: Option<String>,
    /// Member ids (`U…`) allowed to use `/quiz …` besides workspace admins and owners.
    pub admin_users: Vec<String>,
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
    fn a_bad_value_names_its_variable() {
        let err = config(&[("QUIZBOT_LANG", "fr")]).unwrap_err();
        assert!(err.to_string().starts_with("QUIZBOT_LANG"), "{err}");
        let err = config(&[("DISCORD_TOKEN", "t"), ("DISCORD_GUILD_ID", "my-server")]).unwrap_err();
        assert!(err.to_string().starts_with("DISCORD_GUILD_ID"), "{err}");
        let err = config(&[("SLACK_APP_TOKEN", "xapp")]).unwrap_err();
        assert!(err.to_string().contains("SLACK_BOT_TOKEN"), "{err}");
    }
}
