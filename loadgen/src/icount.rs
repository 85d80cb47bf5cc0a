//! Instruction counts of the server under callgrind for a fixed stdio session: the one
//! figure that does not move when other work shares the machine, so CI can gate on it tightly.
//!
//! Two sessions are counted: `initialize` alone (startup cost, several times: the interval
//! the gate decides on) and `initialize` + N sequential `tools/call`; their difference over N
//! is the per-request cost.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use crate::{
    jsonrpc::PreparedCall,
    record::Errors,
    server::StdioServer,
    stdio_load::{self, Plan, Stop},
};

#[derive(Debug, Clone)]
pub struct Icount {
    /// Instructions for spawn → initialize → EOF → exit (the median of `startup_runs`).
    pub startup: u64,
    /// Every startup count.
    pub startup_runs: Vec<u64>,
    /// Instructions for the same plus N requests.
    pub total: u64,
    pub requests: u64,
}

impl Icount {
    pub fn per_request(&self) -> f64 {
        self.total.saturating_sub(self.startup) as f64 / self.requests.max(1) as f64
    }
}

/// Counts both sessions (the startup one `startup_runs` times); `work` holds callgrind's
/// output files.
pub fn run(
    argv: &[String],
    calls: &[PreparedCall],
    requests: u64,
    startup_runs: usize,
    work: &Path,
) -> anyhow::Result<(Icount, Errors)> {
    std::fs::create_dir_all(work)?;
    let mut counts = Vec::with_capacity(startup_runs);
    for i in 0..startup_runs.max(1) {
        let startup_out = work.join(format!("callgrind.startup.{i}.out"));
        let mut s = StdioServer::spawn(&under_callgrind(argv, &startup_out))?;
        s.initialize().context("initialize under callgrind")?;
        let status = s.shutdown(std::time::Duration::from_secs(60))?;
        if !status.success() {
            bail!("server under callgrind exited with {status}");
        }
        counts.push(read_total(&startup_out)?);
    }
    let mut sorted = counts.clone();
    sorted.sort_unstable();
    let startup = sorted[sorted.len() / 2];

    let total_out = work.join("callgrind.requests.out");
    let plan = Plan {
        argv: under_callgrind(argv, &total_out),
        calls: calls.to_vec(),
        processes: 1,
        window: 1,
        warmup: 0,
        stop: Stop::Count(requests),
    };
    let outcome = stdio_load::run(&plan)?;
    let total = read_total(&total_out)?;
    Ok((
        Icount {
            startup,
            startup_runs: counts,
            total,
            requests,
        },
        outcome.errors,
    ))
}

fn under_callgrind(argv: &[String], out: &Path) -> Vec<String> {
    let mut v: Vec<String> = [
        "valgrind",
        "--tool=callgrind",
        "--dump-instr=no",
        "--collect-jumps=no",
        "--quiet",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push(format!("--callgrind-out-file={}", out.display()));
    v.extend(argv.iter().cloned());
    v
}

/// The `totals:` (or `summary:`) line of a callgrind output file: total Ir of all threads.
fn read_total(path: &PathBuf) -> anyhow::Result<u64> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "callgrind output {} (is valgrind installed?)",
            path.display()
        )
    })?;
    parse_total(&text).with_context(|| format!("no totals in {}", path.display()))
}

fn parse_total(text: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| {
            l.strip_prefix("totals:")
                .or_else(|| l.strip_prefix("summary:"))
        })
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_callgrind_totals() {
        let out = "version: 1\ncmd: x\nevents: Ir\nfn=main\n1 2\nsummary: 123456\ntotals: 123456\n";
        assert_eq!(parse_total(out), Some(123456));
        assert_eq!(parse_total("events: Ir\n"), None);
    }
}
