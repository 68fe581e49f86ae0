//! Idle footprint: the resident memory of a bot that is up and waiting: the shipped bank
//! loaded, the database open, the runtime and the delivery loop running.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use super::{Scratch, proc_status_kb, round3};
use crate::adapters::clock::Clock;
use crate::adapters::deliver;
use crate::config::Config;
use crate::quiz::Engine;
use crate::store::Store;

pub fn run(config: &Config) -> Result<Value, String> {
    let scratch = Scratch::new("idle")?;
    let bank = crate::bank::load(std::slice::from_ref(&config.bank)).map_err(|p| {
        format!(
            "the bank at {} has problems: {}",
            config.bank.display(),
            p[0]
        )
    })?;
    let questions = bank.len();
    let store = Store::open(&scratch.0.join("idle.db")).map_err(|e| e.to_string())?;
    let engine = Engine::new(Arc::new(bank), store, config.lang);
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let rss_kb = runtime.block_on(async {
        let wake = Arc::new(tokio::sync::Notify::new());
        let looping = tokio::spawn(deliver::run(engine, Vec::new(), Clock::System, wake));
        tokio::time::sleep(Duration::from_secs(1)).await;
        let rss = proc_status_kb("VmRSS");
        looping.abort();
        rss
    });
    Ok(json!({
        "bench": "idle",
        "questions": questions,
        "rss_mb": rss_kb.map(|kb| round3(kb as f64 / 1024.0)),
        "connected": false,
    }))
}
