//! Who a Slack member is, as far as the bot needs: a name to show, a language (the
//! `locale` from `users.info`), and whether they may manage the daily question. Looked up
//! once and cached; Slack's payloads carry none of it reliably.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::api::Api;
use crate::bank::Lang;

/// How long a looked-up member is trusted (a new admin or locale shows within this).
const FRESH: Duration = Duration::from_secs(60 * 60);
/// After a failed look-up, how long to go without one (a missing scope fails every time).
const RETRY_AFTER: Duration = Duration::from_secs(5 * 60);

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Person {
    pub name: String,
    pub lang: Option<Lang>,
    /// A workspace admin or owner, per `users.info`.
    pub admin: bool,
    /// Names others may type for this member (`@handle`, display name).
    handles: Vec<String>,
}

struct Cached {
    person: Person,
    at: Instant,
    ttl: Duration,
}

pub(crate) struct Users {
    /// `SLACK_ADMIN_USERS`: member ids allowed `/quiz …` whatever their workspace role.
    admins: Vec<String>,
    cache: Mutex<HashMap<String, Cached>>,
}

impl Users {
    pub(crate) fn new(admins: Vec<String>) -> Self {
        Self {
            admins,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Whether the member may use `/quiz …`.
    pub(crate) fn manager(&self, user: &str, person: &Person) -> bool {
        person.admin || self.admins.iter().any(|a| a == user)
    }

    /// The member, from the cache or `users.info`. `fallback` names them if Slack cannot.
    pub(crate) async fn get(&self, api: &Api, user: &str, fallback: Option<&str>) -> Person {
        if let Some(person) = self.cached(user) {
            return person;
        }
        let (person, ttl) = match api.user_info(user).await {
            Ok(info) => {
                let profile = info.profile.as_ref();
                let display = profile
                    .and_then(|p| p.display_name.clone())
                    .filter(|n| !n.trim().is_empty());
                let real = info
                    .real_name
                    .clone()
                    .or_else(|| profile.and_then(|p| p.real_name.clone()))
                    .filter(|n| !n.trim().is_empty());
                let handle = info.name.clone().filter(|n| !n.trim().is_empty());
                let name = display
                    .clone()
                    .or_else(|| real.clone())
                    .or_else(|| handle.clone())
                    .or_else(|| fallback.map(str::to_owned))
                    .unwrap_or_else(|| user.to_owned());
                let flags = &info.flags;
                let person = Person {
                    name,
                    lang: info.locale.map(|l| Lang::from_locale(&l.0)),
                    admin: [flags.is_admin, flags.is_owner, flags.is_primary_owner]
                        .into_iter()
                        .any(|f| f == Some(true)),
                    handles: [display, real, handle].into_iter().flatten().collect(),
                };
                (person, FRESH)
            }
            Err(error) => {
                tracing::warn!(user, %error, "users.info failed: default language, no admin rights from Slack");
                let name = fallback.unwrap_or(user).to_owned();
                let person = Person {
                    handles: vec![name.clone()],
                    name,
                    lang: None,
                    admin: false,
                };
                (person, RETRY_AFTER)
            }
        };
        self.lock().insert(
            user.to_owned(),
            Cached {
                person: person.clone(),
                at: Instant::now(),
                ttl,
            },
        );
        person
    }

    fn cached(&self, user: &str) -> Option<Person> {
        self.lock()
            .get(user)
            .filter(|c| c.at.elapsed() < c.ttl)
            .map(|c| c.person.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Cached>> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A member key for a user typed in command text: `<@U123|name>` (what Slack sends
    /// when the command escapes users), a bare id, or a name the bot has seen.
    pub(crate) fn resolve(&self, typed: &str) -> String {
        if let Some(id) = user_ref(typed) {
            return format!("slack:{id}");
        }
        let name = typed.trim().trim_start_matches('@');
        let known = self.lock().iter().find_map(|(id, c)| {
            c.person
                .handles
                .iter()
                .any(|h| h.eq_ignore_ascii_case(name))
                .then(|| id.clone())
        });
        format!("slack:{}", known.unwrap_or_else(|| name.to_owned()))
    }
}

/// `<@U123|name>`, `<@U123>` or a bare `U123ABC` → `U123ABC`. Inside `<@…>` Slack has
/// already said it is a member, so any id form counts, however short.
pub(crate) fn user_ref(text: &str) -> Option<String> {
    let text = text.trim();
    if let Some(inner) = text.strip_prefix("<@").and_then(|t| t.strip_suffix('>')) {
        let id = inner.split('|').next().unwrap_or_default();
        return is_id(id, &['U', 'W']).then(|| id.to_owned());
    }
    looks_like_id(text, &['U', 'W']).then(|| text.to_owned())
}

/// The label of a `<@U123|name>` reference, if it has one.
pub(crate) fn user_label(text: &str) -> Option<&str> {
    let inner = text.trim().strip_prefix("<@")?.strip_suffix('>')?;
    inner
        .split_once('|')
        .map(|(_, label)| label)
        .filter(|l| !l.is_empty())
}

/// `<#C123|name>`, `<#C123>` or `#C123ABC` → `C123ABC`.
pub(crate) fn channel_ref(text: &str) -> Option<String> {
    let text = text.trim();
    if let Some(inner) = text.strip_prefix("<#").and_then(|t| t.strip_suffix('>')) {
        let id = inner.split('|').next().unwrap_or_default();
        return is_id(id, &['C', 'G', 'D']).then(|| id.to_owned());
    }
    let bare = text.trim_start_matches('#');
    looks_like_id(bare, &['C', 'G']).then(|| bare.to_owned())
}

/// Slack ids typed bare: a type letter, then upper-case letters and digits (at least 8 in
/// all, so a short word in capitals is not taken for one).
fn looks_like_id(text: &str, first: &[char]) -> bool {
    text.len() >= 8 && is_id(text, first)
}

/// An id's form: a type letter, then upper-case letters and digits, at most 24 in all.
fn is_id(text: &str, first: &[char]) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| first.contains(&c))
        && text.len() >= 2
        && text.len() <= 24
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_and_channel_references_read_as_ids() {
        assert_eq!(user_ref("<@U0123ABCD|alice>"), Some("U0123ABCD".into()));
        assert_eq!(user_ref("<@U0123ABCD>"), Some("U0123ABCD".into()));
        assert_eq!(user_ref("<@U0ALICE|alice>"), Some("U0ALICE".into()));
        assert_eq!(user_label("<@U0ALICE|alice>"), Some("alice"));
        assert_eq!(user_label("<@U0ALICE>"), None);
        assert_eq!(user_ref("U0123ABCD"), Some("U0123ABCD".into()));
        assert_eq!(user_ref("@alice"), None);
        assert_eq!(user_ref("UNKNOWN"), None);
        assert_eq!(channel_ref("<#C0123ABCD|study>"), Some("C0123ABCD".into()));
        assert_eq!(channel_ref("<#C0123ABCD>"), Some("C0123ABCD".into()));
        assert_eq!(channel_ref("#C0123ABCD"), Some("C0123ABCD".into()));
        assert_eq!(channel_ref("#study"), None);
    }

    #[test]
    fn a_typed_name_resolves_to_a_member_seen_before() {
        let users = Users::new(Vec::new());
        users.lock().insert(
            "U0BOB0001".into(),
            Cached {
                person: Person {
                    name: "Bob".into(),
                    lang: None,
                    admin: false,
                    handles: vec!["Bob".into(), "bob.k".into()],
                },
                at: Instant::now(),
                ttl: FRESH,
            },
        );
        assert_eq!(users.resolve("@bob.k"), "slack:U0BOB0001");
        assert_eq!(users.resolve("<@U0BOB0001|bob.k>"), "slack:U0BOB0001");
        assert_eq!(users.resolve("@carol"), "slack:carol");
    }
}
