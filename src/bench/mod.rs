//! `quizbot bench`: the bot measured where it works hardest. Each benchmark prints one line
//! of JSON, so runs can be compared; the README keeps a table of the figures.
//!
//! Benchmarks work in a fresh folder under the system temp dir (on disk, so fsync is real),
//! removed afterwards.

pub mod answers;
pub mod bankload;
pub mod delivery;
pub mod generate;
pub mod idle;
pub mod leaderboard;
pub mod mock;
pub mod readiness;
pub mod rounds;
pub mod scheduler;

use std::path::PathBuf;
use std::time::Duration;

/// A scratch folder removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Result<Self, String> {
        let dir = std::env::temp_dir().join(format!("quizbot-bench-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(Self(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The `p`-th percentile (0–100) of a sample, in milliseconds, nearest-rank.
pub fn percentile_ms(samples: &mut [Duration], p: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    samples.sort_unstable();
    let rank = ((p / 100.0) * samples.len() as f64).ceil() as usize;
    ms(samples[rank.clamp(1, samples.len()) - 1])
}

pub fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// Rounds a figure for the report: three significant decimals are plenty.
pub fn round3(x: f64) -> f64 {
    (x * 1e3).round() / 1e3
}

/// A field of `/proc/self/status` in kB (`VmRSS`, `VmHWM`), on Linux.
pub fn proc_status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// CPU time (user + system) this process has used, on Linux.
pub fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // Linux reports in clock ticks of 1/100 s on every common platform.
    Some(Duration::from_millis(ticks * 10))
}

/// A deterministic mixer (SplitMix64), so generated data is the same on every run.
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let mut samples: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile_ms(&mut samples, 50.0), 50.0);
        assert_eq!(percentile_ms(&mut samples, 99.0), 99.0);
        assert_eq!(percentile_ms(&mut samples, 100.0), 100.0);
        assert_eq!(percentile_ms(&mut [], 50.0), 0.0);
    }
}
