//! `csf-loadgen flood`: bounded, loopback-only overload checks of the release server.
//! HTTP: far more connections than `--max-concurrent` (503 + Retry-After, nothing else),
//! a rate limit (429 + Retry-After), bodies near and over `--max-body` (413), slow and idle
//! connections (slowloris), connections held open from one address, one key hogging sessions
//! and slots, and requests built to grow the metric label set. stdio: pipelined floods of
//! writes and of large requests, and an over-long line. Each check passes, fails, or reports
//! a finding (a weakness of the server shown by the check); findings fail the command only
//! with `--strict`. Several checks play more than one client by binding 127.0.0.N (Linux).

mod check;
mod clients;
mod hogging;
mod holding;
mod http_overload;
mod labels;
mod sessions;
mod slowloris;
mod stdio_flood;

use std::{path::PathBuf, time::Duration};

use anyhow::{bail, Context as _};
use clap::Args;
use serde::Serialize;

use crate::machine::{self, RunInfo};

use check::{Check, Outcome};
use http_overload::Overload;

#[derive(Debug, Args)]
pub struct FloodArgs {
    /// The server binary (release build).
    #[arg(long, default_value = "target/release/nist-csf-mcp")]
    pub server: PathBuf,
    /// CI sizes (about 2 minutes in all) instead of the standard ones.
    #[arg(long)]
    pub quick: bool,
    /// Only the checks whose names contain one of these.
    #[arg(long)]
    pub only: Vec<String>,
    /// Findings fail the run too.
    #[arg(long)]
    pub strict: bool,
    /// JSON result (default results/<arch>/flood.json).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Serialize)]
struct FloodReport {
    /// What this file is (never a bench scenario row: no `scenario` key).
    flood: &'static str,
    run: RunInfo,
    quick: bool,
    own_nofile_limit: u64,
    failures: usize,
    findings: usize,
    checks: Vec<Check>,
}

struct Sizes {
    overload_conns: usize,
    overload_secs: u64,
    stdio_writes: u64,
    stdio_large: u64,
    slow_sockets: usize,
    slow_hold: u64,
    sessions: u64,
    holding_s: u64,
    hog_attempts: u64,
    label_rounds: usize,
}

/// Runs the selected checks; returns whether the run passed.
pub fn run(a: &FloodArgs) -> anyhow::Result<bool> {
    if !a.server.is_file() {
        bail!(
            "{} not found: build it first (make release, or make bench-build)",
            a.server.display()
        );
    }
    let bin = a.server.display().to_string();
    let own_nofile = slowloris::raise_own_nofile();
    let sz = if a.quick {
        Sizes {
            overload_conns: 256,
            overload_secs: 4,
            stdio_writes: 5_000,
            stdio_large: 100,
            slow_sockets: 200,
            slow_hold: 35,
            sessions: 1_000,
            holding_s: 8,
            hog_attempts: 40,
            label_rounds: 100,
        }
    } else {
        Sizes {
            overload_conns: 512,
            overload_secs: 10,
            stdio_writes: 20_000,
            stdio_large: 300,
            slow_sockets: 500,
            slow_hold: 45,
            sessions: 5_000,
            holding_s: 12,
            hog_attempts: 200,
            label_rounds: 500,
        }
    };
    let work = std::env::temp_dir().join(format!("csf-flood-{}", std::process::id()));
    std::fs::create_dir_all(&work).with_context(|| format!("create {}", work.display()))?;
    let info = RunInfo::collect(if a.quick { "flood-quick" } else { "flood" });
    let mb = 1024 * 1024;
    type Job<'a> = (&'a str, Box<dyn Fn() -> anyhow::Result<Check> + 'a>);
    let db = |name: &str| work.join(format!("{name}.db"));
    let jobs: Vec<Job<'_>> = vec![
        (
            "http-overload",
            Box::new(|| {
                http_overload::run(
                    &bin,
                    &db("overload"),
                    Overload {
                        name: "http-overload",
                        connections: sz.overload_conns,
                        duration: Duration::from_secs(sz.overload_secs),
                        // All 512 connections come from one loopback address: the per-address
                        // cap (its own check below) is lifted so that this one loads requests.
                        flags: vec![
                            "--max-concurrent".into(),
                            "4".into(),
                            "--max-connections-per-client".into(),
                            "0".into(),
                        ],
                        big_every: 10,
                        big_bytes: 900 * 1024,
                        huge_every: 25,
                        huge_bytes: 3 * mb / 2,
                        // Bounded by design, not by luck: 4 slots × a 1 MiB body (plus its
                        // parsed copy), and per connection hyper's read buffer for the
                        // bodies it discards after a 503. Generous for a noisy VM.
                        max_peak_mib: 128.0,
                        max_after_mib: 16.0,
                        must_see: vec![200, 503, 413],
                    },
                )
            }),
        ),
        (
            "http-rate-limit",
            Box::new(|| {
                http_overload::run(
                    &bin,
                    &db("ratelimit"),
                    Overload {
                        name: "http-rate-limit",
                        connections: 16,
                        duration: Duration::from_secs(3),
                        flags: vec!["--rate-limit".into(), "50/s".into()],
                        big_every: 0,
                        big_bytes: 0,
                        huge_every: 0,
                        huge_bytes: 0,
                        max_peak_mib: 32.0,
                        max_after_mib: 16.0,
                        must_see: vec![200, 429],
                    },
                )
            }),
        ),
        (
            "stdio-write-flood",
            Box::new(|| stdio_flood::writes(&bin, &db("stdio-writes"), sz.stdio_writes, 64.0)),
        ),
        (
            "stdio-large-request-flood",
            Box::new(|| stdio_flood::large(&bin, &db("stdio-large"), sz.stdio_large, mb, 160.0)),
        ),
        (
            "stdio-overlong-line",
            Box::new(|| stdio_flood::overlong_line(&bin, &db("stdio-long"), 17 * mb)),
        ),
        (
            "http-session-churn",
            Box::new(|| sessions::churn(&bin, &db("sessions"), sz.sessions)),
        ),
        (
            "http-slowloris-heads",
            Box::new(|| {
                slowloris::slow_heads(
                    &bin,
                    &db("slow-heads"),
                    sz.slow_sockets,
                    Duration::from_secs(sz.slow_hold),
                )
            }),
        ),
        (
            "http-slowloris-bodies",
            Box::new(|| slowloris::slow_bodies(&bin, &db("slow-bodies"), 8, 5)),
        ),
        (
            "http-connection-holding",
            Box::new(|| {
                holding::connection_holding(&bin, &db("holding"), Duration::from_secs(sz.holding_s))
            }),
        ),
        (
            "http-session-hogging",
            Box::new(|| hogging::session_hogging(&bin, &db("hogging"), sz.hog_attempts)),
        ),
        (
            "http-label-growth",
            Box::new(|| labels::label_growth(&bin, &db("labels"), sz.label_rounds, 200 * 1024)),
        ),
        (
            "http-idle-connections-fd-limit",
            Box::new(|| {
                slowloris::idle_fd_exhaustion(&bin, &db("idle"), 256, Duration::from_secs(5))
            }),
        ),
    ];
    let mut checks = Vec::new();
    for (name, job) in &jobs {
        if !a.only.is_empty() && !a.only.iter().any(|o| name.contains(o.as_str())) {
            continue;
        }
        eprintln!("flood: {name} …");
        let t0 = std::time::Instant::now();
        let mut c = job().unwrap_or_else(|e| Check::broken(name, &e));
        c.figure("check_seconds", t0.elapsed().as_secs_f64());
        eprintln!(
            "flood: {name}: {:?} in {:.1} s — {}",
            c.outcome,
            t0.elapsed().as_secs_f64(),
            c.summary
        );
        for r in &c.reasons {
            eprintln!("flood:   {r}");
        }
        checks.push(c);
    }
    let _ = std::fs::remove_dir_all(&work);
    let failures = checks.iter().filter(|c| c.outcome == Outcome::Fail).count();
    let findings = checks
        .iter()
        .filter(|c| c.outcome == Outcome::Finding)
        .count();
    let report = FloodReport {
        flood: "csf-loadgen flood: bounded loopback overload checks",
        run: info,
        quick: a.quick,
        own_nofile_limit: own_nofile,
        failures,
        findings,
        checks,
    };
    let out = a.out.clone().unwrap_or_else(|| {
        PathBuf::from("results")
            .join(machine::arch())
            .join("flood.json")
    });
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&out, serde_json::to_string_pretty(&report)? + "\n")
        .with_context(|| format!("write {}", out.display()))?;
    println!("| check | outcome | what happened |\n|---|---|---|");
    for c in &report.checks {
        println!(
            "| {} | {:?} | {} |",
            c.name,
            c.outcome,
            c.summary.replace('|', "/")
        );
    }
    eprintln!(
        "flood: {} checks, {failures} failed, {findings} findings -> {}",
        report.checks.len(),
        out.display()
    );
    Ok(failures == 0 && (!a.strict || findings == 0))
}
