//! Cold start: from just before `spawn` to the `initialize` reply read back, N runs after a
//! few unmeasured ones. Exported in hyperfine's `--export-json` shape, so the figures can be
//! compared with (or replaced by) `hyperfine` runs of `benches/scripts/`.

use std::{path::Path, time::Duration, time::Instant};

use anyhow::Context as _;
use serde::Serialize;

use crate::{
    jsonrpc, procfs,
    record::Errors,
    server::StdioServer,
    stats::{mean_stddev, median, quantile},
};

/// Times (seconds) of the measured runs and the CPU time they used.
#[derive(Debug, Clone)]
pub struct ColdStart {
    pub command: String,
    pub times_s: Vec<f64>,
    /// Page faults (minor + major) of each measured run from exec to the `initialize` reply:
    /// the start-up work that does not depend on how busy the machine is.
    pub faults: Vec<f64>,
    /// CPU time (user + system, ms) of each measured run, exec to exit.
    pub cpu_ms: Vec<f64>,
    /// Mean user / system CPU seconds per run (of the server process, from getrusage).
    pub user_s: f64,
    pub system_s: f64,
    pub exit_codes: Vec<Option<i32>>,
}

pub fn run(
    argv: &[String],
    runs: usize,
    warmup_runs: usize,
) -> anyhow::Result<(ColdStart, Errors)> {
    let mut errors = Errors::default();
    let mut times_s = Vec::with_capacity(runs);
    let mut faults = Vec::with_capacity(runs);
    let mut cpu_ms = Vec::with_capacity(runs);
    let mut exit_codes = Vec::with_capacity(runs);
    let (mut user, mut system) = (0.0, 0.0);
    for i in 0..warmup_runs + runs {
        let before = children_cpu();
        let t0 = Instant::now();
        let mut server = StdioServer::spawn(argv)?;
        let reply = server
            .send_line(&jsonrpc::initialize(0))
            .and_then(|_| server.read_reply(0));
        let elapsed = t0.elapsed();
        // Read after the clock stopped; the server is idle, waiting for its next line.
        let fault_count = procfs::faults(server.pid);
        let status = server.shutdown(Duration::from_secs(10))?;
        let after = children_cpu();
        if i < warmup_runs {
            continue;
        }
        match reply
            .map_err(|e| format!("{e:#}"))
            .and_then(|r| jsonrpc::check_initialize_reply(&r))
        {
            Ok(()) => {
                times_s.push(elapsed.as_secs_f64());
                if let Some((minor, major)) = fault_count {
                    faults.push((minor + major) as f64);
                }
            }
            Err(e) => errors.push(e),
        }
        exit_codes.push(status.code());
        let (du, ds) = (after.0 - before.0, after.1 - before.1);
        cpu_ms.push((du + ds) * 1e3);
        user += du;
        system += ds;
    }
    let n = runs.max(1) as f64;
    Ok((
        ColdStart {
            command: argv.join(" "),
            times_s,
            faults,
            cpu_ms,
            user_s: user / n,
            system_s: system / n,
            exit_codes,
        },
        errors,
    ))
}

impl ColdStart {
    /// (median, p90, min, max, mean) in milliseconds.
    pub fn summary_ms(&self) -> Option<[f64; 5]> {
        let ms: Vec<f64> = self.times_s.iter().map(|s| s * 1e3).collect();
        Some([
            median(&ms)?,
            quantile(&ms, 0.9)?,
            ms.iter().copied().fold(f64::INFINITY, f64::min),
            ms.iter().copied().fold(0.0, f64::max),
            mean_stddev(&ms).0,
        ])
    }

    /// Writes the runs in hyperfine's `--export-json` format.
    pub fn write_hyperfine_json(&self, path: &Path) -> anyhow::Result<()> {
        #[derive(Serialize)]
        struct Export<'a> {
            results: [Entry<'a>; 1],
        }
        #[derive(Serialize)]
        struct Entry<'a> {
            command: &'a str,
            mean: f64,
            stddev: Option<f64>,
            median: f64,
            user: f64,
            system: f64,
            min: f64,
            max: f64,
            times: &'a [f64],
            exit_codes: &'a [Option<i32>],
        }
        let (mean, stddev) = mean_stddev(&self.times_s);
        let export = Export {
            results: [Entry {
                command: &self.command,
                mean,
                stddev,
                median: median(&self.times_s).unwrap_or(0.0),
                user: self.user_s,
                system: self.system_s,
                min: self.times_s.iter().copied().fold(f64::INFINITY, f64::min),
                max: self.times_s.iter().copied().fold(0.0, f64::max),
                times: &self.times_s,
                exit_codes: &self.exit_codes,
            }],
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, serde_json::to_string_pretty(&export)? + "\n")
            .with_context(|| format!("write {}", path.display()))
    }
}

/// Cumulative (user, system) CPU seconds of reaped children of this process.
#[allow(unsafe_code)] // one libc call, its SAFETY note inside
fn children_cpu() -> (f64, f64) {
    // SAFETY: getrusage fills the zeroed struct we own; RUSAGE_CHILDREN is a valid selector.
    let ru = unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) != 0 {
            return (0.0, 0.0);
        }
        ru
    };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    (secs(ru.ru_utime), secs(ru.ru_stime))
}
