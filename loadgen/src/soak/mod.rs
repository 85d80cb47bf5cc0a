//! `csf-loadgen soak`: the release server under steady, moderate, realistic load (reads,
//! searches, references, writes, reports) for a long time, its memory sampled every second.
//! A flat RSS after warm-up, zero wrong answers and no latency drift are the promise; the
//! least-squares slope of RSS is the figure. HTTP and stdio run at the same time, each
//! against its own server process and SQLite file.

pub(crate) mod analysis;
mod drive;
mod report;
pub(crate) mod sampler;
pub(crate) mod workload;

use std::{
    net::SocketAddr,
    path::PathBuf,
    time::{Duration, Instant},
};

use anyhow::{bail, Context as _};
use clap::{Args, ValueEnum};
use serde_json::Value;

use crate::{
    http_load, machine, raw_http,
    runner::{free_addr, HttpServer},
    server::{StdioServer, Watchdog},
};

pub use analysis::Rule;
use analysis::Sample;
use drive::{Driven, Pace};
use report::{Report, TransportRun};
use workload::Caller;

/// Which transports to soak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Which {
    Http,
    Stdio,
    /// Both at once, each with its own server (the total load is the sum of both rates).
    Both,
}

#[derive(Debug, Args)]
pub struct SoakArgs {
    /// The server binary (release build).
    #[arg(long, default_value = "target/release/nist-csf-mcp")]
    pub server: PathBuf,
    #[arg(long, value_enum, default_value_t = Which::Both)]
    pub transport: Which,
    /// Seconds of load.
    #[arg(long, default_value_t = 600)]
    pub duration: u64,
    /// Fraction of the run excluded from slopes and start levels (allocator and caches settle).
    #[arg(long, default_value_t = 0.15)]
    pub warmup_fraction: f64,
    /// HTTP: total requests/s, spread over the connections.
    #[arg(long, default_value_t = 80.0)]
    pub http_rate: f64,
    /// HTTP: keep-alive connections.
    #[arg(long, default_value_t = 4)]
    pub connections: usize,
    /// stdio: requests/s (one at a time, like a desktop client).
    #[arg(long, default_value_t = 40.0)]
    pub stdio_rate: f64,
    /// Latency window in seconds (p50/p99 per window show drift).
    #[arg(long, default_value_t = 60)]
    pub window: u64,
    /// Fail when RSS grows more than this after warm-up (MiB); see `Rule` for the reasoning.
    #[arg(long, default_value_t = Rule::default().max_growth_mib)]
    pub max_growth_mib: f64,
    /// Fail when the RSS slope over the second half exceeds this (MiB/hour).
    #[arg(long, default_value_t = Rule::default().max_slope_mib_per_hour)]
    pub max_slope_mib_per_hour: f64,
    /// JSON result (default results/<arch>/soak.json).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also write the Markdown summary here.
    #[arg(long)]
    pub md: Option<PathBuf>,
    /// Directory for the servers' SQLite files (default: a fresh temporary directory).
    #[arg(long)]
    pub work: Option<PathBuf>,
}

struct StdioCaller<'a>(&'a mut StdioServer);

impl Caller for StdioCaller<'_> {
    fn call(&mut self, id: u64, line: &str) -> anyhow::Result<Value> {
        self.0.send_line(line)?;
        self.0.read_reply(id)
    }
}

/// Blocking `tools/call` over HTTP (one connection per call): setup and spot checks.
pub(crate) struct HttpCaller(pub SocketAddr);

impl Caller for HttpCaller {
    fn call(&mut self, id: u64, line: &str) -> anyhow::Result<Value> {
        http_call(None, self.0, &raw_http::mcp_post(self.0, line), id)
    }
}

/// Sends one complete MCP request (from the local address `from` when given) and returns the
/// JSON-RPC reply with id `id`; anything but `200` is an error.
pub(crate) fn http_call(
    from: Option<std::net::IpAddr>,
    addr: SocketAddr,
    request: &[u8],
    id: u64,
) -> anyhow::Result<Value> {
    let a = raw_http::exchange_from(from, addr, request, drive::CALL_TIMEOUT)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if a.status != 200 {
        bail!("HTTP {}: {}", a.status, String::from_utf8_lossy(&a.body));
    }
    let sse = a
        .header("content-type")
        .is_some_and(|v| v.starts_with("text/event-stream"));
    http_load::reply_from_body(&a.body, sse, id).map_err(anyhow::Error::msg)
}

/// What one transport's run produced before analysis.
struct Raw {
    transport: &'static str,
    command: Vec<String>,
    rate: f64,
    connections: usize,
    driven: Driven,
    samples: Vec<Sample>,
    max_load: f64,
    setup_subcategories: usize,
}

fn soak_stdio(a: &SoakArgs, db: PathBuf, pace: Pace) -> anyhow::Result<Raw> {
    let argv = vec![
        a.server.display().to_string(),
        "--db".into(),
        db.display().to_string(),
        "serve".into(),
    ];
    let mut server = StdioServer::spawn(&argv)?;
    server.initialize().context("stdio initialize")?;
    let setup = workload::setup(&mut StdioCaller(&mut server), "stdio")?;
    let _watchdog = Watchdog::new(server.pid, pace.duration + Duration::from_secs(60));
    let t0 = Instant::now();
    let sampler = sampler::Sampler::start(server.pid, t0, Duration::from_secs(1));
    let driven = drive::stdio(&mut server, &setup, pace, t0);
    let (samples, max_load) = sampler.finish();
    let _ = server.shutdown(Duration::from_secs(5));
    Ok(Raw {
        transport: "stdio",
        command: argv,
        rate: pace.rate,
        connections: 1,
        driven: driven?,
        samples,
        max_load,
        setup_subcategories: setup.subcategories.len(),
    })
}

fn soak_http(a: &SoakArgs, db: PathBuf, pace: Pace) -> anyhow::Result<Raw> {
    let addr = free_addr()?;
    let argv = vec![
        a.server.display().to_string(),
        "--db".into(),
        db.display().to_string(),
        "serve".into(),
        "--http".into(),
        addr.to_string(),
    ];
    let mut server = HttpServer::start(&argv, addr)?;
    let setup = workload::setup(&mut HttpCaller(addr), "http")?;
    let t0 = Instant::now();
    let sampler = sampler::Sampler::start(server.pid(), t0, Duration::from_secs(1));
    let driven = drive::http(addr, &setup, pace, a.connections, t0);
    let (samples, max_load) = sampler.finish();
    server.stop();
    Ok(Raw {
        transport: "http",
        command: argv,
        rate: pace.rate,
        connections: a.connections,
        driven: driven?,
        samples,
        max_load,
        setup_subcategories: setup.subcategories.len(),
    })
}

/// Runs the soak; returns whether it passed.
pub fn run(a: &SoakArgs) -> anyhow::Result<bool> {
    if !a.server.is_file() {
        bail!(
            "{} not found: build it first (make release, or make bench-build)",
            a.server.display()
        );
    }
    if !(0.0..0.9).contains(&a.warmup_fraction) {
        bail!("--warmup-fraction must be in [0, 0.9)");
    }
    let rule = Rule {
        max_growth_mib: a.max_growth_mib,
        max_slope_mib_per_hour: a.max_slope_mib_per_hour,
    };
    let own_work = a.work.is_none();
    let work = a
        .work
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("csf-soak-{}", std::process::id())));
    std::fs::create_dir_all(&work).with_context(|| format!("create {}", work.display()))?;
    let info = machine::RunInfo::collect("soak");
    let duration = Duration::from_secs(a.duration.max(1));
    let window = Duration::from_secs(a.window.max(1));
    eprintln!(
        "soak: {:?} for {} s (warm-up {:.0}%), HTTP {} req/s over {} connections, stdio {} req/s; load average {}",
        a.transport,
        duration.as_secs(),
        a.warmup_fraction * 100.0,
        a.http_rate,
        a.connections,
        a.stdio_rate,
        info.loadavg_at_start
    );
    let started = Instant::now();
    let results: Vec<anyhow::Result<Raw>> = std::thread::scope(|scope| {
        let mut handles = Vec::new();
        if matches!(a.transport, Which::Http | Which::Both) {
            let pace = Pace {
                rate: a.http_rate,
                duration,
                window,
            };
            let db = work.join("http.db");
            handles.push(scope.spawn(move || soak_http(a, db, pace)));
        }
        if matches!(a.transport, Which::Stdio | Which::Both) {
            let pace = Pace {
                rate: a.stdio_rate,
                duration,
                window,
            };
            let db = work.join("stdio.db");
            handles.push(scope.spawn(move || soak_stdio(a, db, pace)));
        }
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("soak thread panicked")))
            })
            .collect()
    });
    let mut runs = Vec::new();
    for r in results {
        let raw = r?;
        runs.push(TransportRun::analyse(
            raw.transport,
            raw.command,
            raw.rate,
            raw.connections,
            duration,
            a.warmup_fraction,
            raw.setup_subcategories,
            &raw.driven,
            raw.samples,
            raw.max_load,
            &rule,
        )?);
    }
    if own_work {
        let _ = std::fs::remove_dir_all(&work);
    }
    let report = Report::new(info, rule, started.elapsed(), runs);
    let out = a.out.clone().unwrap_or_else(|| {
        PathBuf::from("results")
            .join(machine::arch())
            .join("soak.json")
    });
    report.write_json(&out)?;
    let md = report.markdown();
    if let Some(path) = &a.md {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, &md).with_context(|| format!("write {}", path.display()))?;
    }
    print!("{md}");
    eprintln!(
        "soak: {} -> {}",
        if report.pass { "PASS" } else { "FAIL" },
        out.display()
    );
    Ok(report.pass)
}
