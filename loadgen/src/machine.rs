//! Where and from what a result was measured: every result row carries this (as rebar does),
//! so a number is never separated from its conditions.

use std::process::Command;

use serde::{Deserialize, Serialize};

/// The run's provenance: source revision, toolchain, machine.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunInfo {
    pub git_sha: String,
    /// Uncommitted changes in the tree when measured.
    pub git_dirty: bool,
    pub rustc: String,
    pub date_utc: String,
    pub arch: String,
    pub nproc: usize,
    pub cpu_model: String,
    pub kernel: String,
    /// 1/5/15-minute load averages when the run started (other work on the machine).
    pub loadavg_at_start: String,
    pub profile: String,
}

impl RunInfo {
    pub fn collect(profile: &str) -> Self {
        let out = |prog: &str, args: &[&str]| {
            Command::new(prog)
                .args(args)
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .unwrap_or_default()
        };
        let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
        let cpu_model = read("/proc/cpuinfo")
            .lines()
            .find_map(|l| {
                l.strip_prefix("model name")
                    .map(|r| r.trim_start_matches([' ', '\t', ':']).to_string())
            })
            .unwrap_or_default();
        Self {
            git_sha: out("git", &["rev-parse", "HEAD"]),
            // results/ is what the bench writes (image-size rows land there before a run):
            // only changes elsewhere make the measured code differ from the commit.
            git_dirty: !out(
                "git",
                &[
                    "status",
                    "--porcelain",
                    "--untracked-files=no",
                    "--",
                    ":(top)",
                    ":(top,exclude)results",
                ],
            )
            .is_empty(),
            rustc: out("rustc", &["-V"]),
            date_utc: out("date", &["-u", "+%Y-%m-%dT%H:%M:%SZ"]),
            arch: arch().to_string(),
            nproc: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu_model,
            kernel: read("/proc/sys/kernel/osrelease").trim().to_string(),
            loadavg_at_start: read("/proc/loadavg")
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" "),
            profile: profile.to_string(),
        }
    }
}

/// The OCI name of this machine's architecture (`amd64`, `arm64`), used for `results/<arch>/`.
pub fn arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    }
}
