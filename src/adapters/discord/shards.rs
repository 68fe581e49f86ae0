//! Shards: which this process runs (`DISCORD_SHARDS`, or all that Discord recommends), the
//! servers they hold (and so the deliveries this process makes), and whether each is
//! connected, for `/healthz` and the connected-shards gauge.

use std::sync::{Arc, OnceLock};

use poise::serenity_prelude as serenity;
use serenity::{Client, ConnectionStage, ShardId, ShardManager};

use super::DISCORD;
use crate::adapters::Serves;
use crate::adapters::health::{Link, LinkFuture, LinkState};
use crate::config::ShardRange;
use crate::quiz::DIRECT;

/// The shards of this process and their connections.
pub(crate) struct Shards {
    manager: Arc<ShardManager>,
    /// Known once the shard count is read (at once with `DISCORD_SHARDS`).
    range: OnceLock<ShardRange>,
}

impl Shards {
    pub(crate) fn new(manager: Arc<ShardManager>) -> Self {
        Self {
            manager,
            range: OnceLock::new(),
        }
    }
}

/// Connects `range`'s shards, or as many as Discord recommends, and serves them until a
/// fatal error.
pub(crate) async fn start(
    mut client: Client,
    range: Option<ShardRange>,
    shards: Arc<Shards>,
) -> Result<(), String> {
    let range = match range {
        Some(range) => range,
        None => recommended(&client).await?,
    };
    let _ = shards.range.set(range);
    tracing::info!(shards = %range, "Discord: starting shards");
    // serenity 0.12's range is inclusive of its end: `4..7` starts shards 4, 5, 6 and 7.
    client
        .start_shard_range(range.first()..range.last(), range.total())
        .await
        .map_err(|e| format!("Discord stopped: {e}"))
}

/// Every shard Discord recommends for the bot (`GET /gateway/bot`), in this process.
async fn recommended(client: &Client) -> Result<ShardRange, String> {
    let gateway = client
        .http
        .get_bot_gateway()
        .await
        .map_err(|e| format!("Discord: cannot read the recommended shard count: {e}"))?;
    tracing::info!(
        recommended = gateway.shards,
        "Discord: shard count from GET /gateway/bot"
    );
    ShardRange::all(gateway.shards)
        .ok_or_else(|| "Discord recommended 0 shards; set DISCORD_SHARDS".to_owned())
}

/// The servers `range` holds (all Discord servers without one), by their keys: a server
/// `discord:{guild}` by its id's shard, a direct message (`discord:dm:{user}`) on shard 0.
pub(crate) fn serves(range: Option<ShardRange>) -> Serves {
    Arc::new(move |server: &str| {
        let Some(rest) = server.strip_prefix(DISCORD) else {
            return false;
        };
        let Some(range) = range else {
            return true;
        };
        let guild = match rest.strip_prefix(DIRECT) {
            Some(_) => None,
            // A key that is no server id goes with direct messages: to shard 0 alone.
            None => rest.parse::<u64>().ok(),
        };
        range.holds_guild(guild)
    })
}

impl Link for Shards {
    fn state(&self) -> LinkFuture<'_> {
        Box::pin(async move {
            let Some(range) = self.range.get().copied() else {
                crate::metrics::shards(0, 0);
                return LinkState::Down("discord: reading the recommended shard count".into());
            };
            let stages: Vec<(u32, Option<ConnectionStage>)> = {
                let runners = self.manager.runners.lock().await;
                (range.first()..=range.last())
                    .map(|id| (id, runners.get(&ShardId(id)).map(|r| r.stage)))
                    .collect()
            };
            let down: Vec<String> = stages
                .iter()
                .filter(|(_, stage)| *stage != Some(ConnectionStage::Connected))
                .map(|(id, stage)| match stage {
                    Some(stage) => format!("shard {id} {stage}"),
                    None => format!("shard {id} not running (reconnecting)"),
                })
                .collect();
            let connected = range.count() - down.len() as u32;
            crate::metrics::shards(connected, range.count());
            if down.is_empty() {
                LinkState::Up
            } else {
                LinkState::Down(format!(
                    "discord: {connected} of {} shards connected ({})",
                    range.count(),
                    down.join(", ")
                ))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_serves_the_servers_of_its_shards_and_direct_messages_only_on_shard_0() {
        let range = |text| Some(ShardRange::parse(text).unwrap());
        let (zero, one) = (serves(range("0/2")), serves(range("1/2")));
        let on_one = format!("discord:{}", 1u64 << 22);
        let on_zero = format!("discord:{}", 2u64 << 22);
        assert!(one(&on_one) && !zero(&on_one));
        assert!(zero(&on_zero) && !one(&on_zero));
        assert!(zero("discord:dm:930000000000000001") && !one("discord:dm:930000000000000001"));
        // Not Discord's: another platform's process serves it.
        assert!(!zero("slack:T0TEAM") && !serves(None)("slack:T0TEAM"));
        assert!(serves(None)(&on_one) && serves(None)(&on_zero));
    }
}
