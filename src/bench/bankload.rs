//! Bank load: 10,000 generated questions in 100 files, loaded and validated in a fresh
//! process so its resident memory is the bot's, not the generator's.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use serde_json::{Value, json};

use super::{Scratch, generate, ms, proc_status_kb, round3};
use crate::bank;

pub fn run(questions: usize, files: usize) -> Result<Value, String> {
    let scratch = Scratch::new("bank")?;
    let bytes = generate::write_bank(&scratch.0, questions, files)?;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe)
        .args(["bench", "bank", "--load"])
        .arg(&scratch.0)
        .env("RUST_LOG", "warn")
        .output()
        .map_err(|e| format!("cannot start the loader process: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let mut report: Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
    report["files"] = json!(files);
    report["mb_of_toml"] = json!(round3(bytes as f64 / 1e6));
    Ok(report)
}

/// The child's side: load `dir`, report time and memory.
pub fn load(dir: &Path) -> Result<Value, String> {
    let before_kb = proc_status_kb("VmRSS").unwrap_or(0);
    let start = Instant::now();
    let loaded = bank::load(&[dir.to_owned()])
        .map_err(|p| format!("{} problems, first: {}", p.len(), p[0]))?;
    let took = start.elapsed();
    let rss_kb = proc_status_kb("VmRSS").unwrap_or(0);
    let peak_kb = proc_status_kb("VmHWM").unwrap_or(0);
    let report = json!({
        "bench": "bank",
        "questions": loaded.len(),
        "load_ms": ms(took),
        "rss_mb": round3(rss_kb as f64 / 1024.0),
        "rss_before_mb": round3(before_kb as f64 / 1024.0),
        "peak_rss_mb": round3(peak_kb as f64 / 1024.0),
    });
    std::hint::black_box(loaded);
    Ok(report)
}
