//! Runs a scenario against each of its targets, in the same run and with the same load,
//! and turns what was measured into result rows with named metrics, each figure measured from
//! samples carrying its 95% bootstrap interval.

use std::{
    collections::BTreeMap,
    net::{SocketAddr, TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{bail, Context as _};
use serde_json::{json, Value};

use crate::{
    cold_start, gate, http_load, hyperfine, icount,
    jsonrpc::PreparedCall,
    machine::RunInfo,
    procfs,
    record::{self, Errors, Replicates, ScenarioResult, TargetResult},
    scenario::{Kind, Load, Scenario, Substitutions, Target},
    server::StdioServer,
    stats::{self, Statistic},
    stdio_load, summary,
};

/// Where side files (hyperfine exports, callgrind outputs) go.
pub struct Context<'a> {
    pub subs: &'a Substitutions,
    pub out_dir: &'a Path,
    pub work_dir: &'a Path,
}

/// A target's row and the bootstrap replicates of its figures (to bootstrap ratios).
pub struct Measured {
    pub result: TargetResult,
    pub replicates: Replicates,
}

/// What `csf-loadgen run` does: which scenarios, which binaries, where results go.
pub struct RunOptions {
    pub scenarios: Vec<PathBuf>,
    /// `standard` (make bench) or `short` (the gate).
    pub profile: String,
    pub out: PathBuf,
    /// Scratch directory (callgrind outputs).
    pub work: PathBuf,
    pub subs: Substitutions,
    /// Only the scenarios with these names (all when empty).
    pub only: Vec<String>,
    /// `results/targets.toml`, for the summary's target column.
    pub targets: PathBuf,
}

/// A finished run: its rows, the summary table, and the number of errors in them.
pub struct Run {
    pub rows: Vec<ScenarioResult>,
    pub table: String,
    pub errors: u64,
}

/// Runs every scenario of the profile, writes one row per scenario and `summary.md` into
/// `opts.out`.
pub fn run_all(opts: &RunOptions) -> anyhow::Result<Run> {
    let subs = &opts.subs;
    let mut bins = vec![&subs.ours, &subs.floor];
    bins.extend(subs.ours_static.as_ref());
    for bin in bins {
        if !Path::new(bin).exists() {
            bail!("{bin} not found: build it first (make bench-build)");
        }
    }
    if subs.ours_static.is_none() {
        eprintln!("note: no --ours-static: the image binary's targets are skipped");
    }
    let info = RunInfo::collect(&opts.profile);
    let ctx = Context {
        subs,
        out_dir: &opts.out,
        work_dir: &opts.work,
    };
    let mut rows = Vec::new();
    for path in &opts.scenarios {
        let scenario = Scenario::load(path, &opts.profile)?;
        if !scenario.profiles.contains(&opts.profile)
            || (!opts.only.is_empty() && !opts.only.contains(&scenario.name))
        {
            continue;
        }
        eprintln!("scenario {} ({:?})", scenario.name, scenario.kind);
        let row = run_scenario(&scenario, &info, &ctx)?;
        row.write(&opts.out)?;
        rows.push(row);
    }
    // Keep rows measured earlier (e.g. image-size) in the summary.
    let all = record::read_dir(&opts.out)?;
    let targets = gate::Targets::load(&opts.targets).ok();
    let table = summary::markdown(&all, targets.as_ref());
    std::fs::write(opts.out.join("summary.md"), &table)?;
    let errors = rows.iter().flat_map(|r| &r.targets).map(|t| t.errors).sum();
    Ok(Run {
        rows,
        table,
        errors,
    })
}

/// Runs every target of `scenario` and computes target ÷ floor ratios with intervals.
pub fn run_scenario(
    scenario: &Scenario,
    run: &RunInfo,
    ctx: &Context<'_>,
) -> anyhow::Result<ScenarioResult> {
    let mut targets = Vec::new();
    let mut replicates = Vec::new();
    for target in &scenario.targets {
        if !target.available(ctx.subs) {
            eprintln!(
                "  {} / {}: skipped (binary not given)",
                scenario.name, target.name
            );
            continue;
        }
        eprintln!("  {} / {} …", scenario.name, target.name);
        let t0 = Instant::now();
        // A target that cannot be measured (won't start, lacks a flag) is a recorded failure,
        // not a reason to lose the other targets' figures.
        let m = measure(scenario, target, ctx).unwrap_or_else(|e| {
            eprintln!("  {} / {}: FAILED: {e:#}", scenario.name, target.name);
            Measured {
                result: TargetResult {
                    target: target.name.clone(),
                    command: target.argv(ctx.subs, Some("{addr}")),
                    transport: String::new(),
                    conditions: BTreeMap::new(),
                    errors: 1,
                    error_samples: vec![format!("{e:#}")],
                    metrics: BTreeMap::from([("errors".to_string(), 1.0)]),
                    intervals: BTreeMap::new(),
                },
                replicates: Replicates::new(),
            }
        });
        eprintln!(
            "  {} / {}: {} errors, {:.1}s",
            scenario.name,
            target.name,
            m.result.errors,
            t0.elapsed().as_secs_f64()
        );
        targets.push(m.result);
        replicates.push(m.replicates);
    }
    let mut result = ScenarioResult {
        scenario: scenario.name.clone(),
        kind: format!("{:?}", scenario.kind).to_lowercase(),
        description: scenario.description.clone(),
        run: run.clone(),
        targets,
        ratios: BTreeMap::new(),
    };
    result.compute_ratios(&replicates);
    Ok(result)
}

/// A target's figures as they are measured: exact ones, and ones from samples with their
/// bootstrap interval and replicates.
struct Figures<'a> {
    target: &'a str,
    metrics: BTreeMap<String, f64>,
    intervals: BTreeMap<String, [f64; 2]>,
    replicates: Replicates,
}

impl<'a> Figures<'a> {
    fn new(target: &'a str) -> Self {
        Self {
            target,
            metrics: BTreeMap::new(),
            intervals: BTreeMap::new(),
            replicates: Replicates::new(),
        }
    }

    fn exact(&mut self, name: &str, v: f64) {
        self.metrics.insert(name.into(), v);
    }

    /// `stat` of `samples`, with its interval.
    fn sampled(&mut self, name: &str, samples: &[f64], stat: Statistic) {
        if let Some(v) = stat.point(samples) {
            self.with_samples(name, v, samples, stat);
        }
    }

    /// A figure `v` computed otherwise, whose interval comes from `stat` over `samples`.
    fn with_samples(&mut self, name: &str, v: f64, samples: &[f64], stat: Statistic) {
        self.metrics.insert(name.into(), v);
        let reps = stats::bootstrap(samples, stat, stream(self.target, name));
        if let Some(ci) = stats::interval(&reps) {
            self.intervals.insert(name.into(), ci);
            self.replicates.insert(name.into(), reps);
        }
    }

    fn latencies(&mut self, l: &stats::Latencies) {
        let s = l.summary();
        let samples = l.samples_us();
        self.with_samples(
            "latency_p50_us",
            s.p50_us,
            samples,
            Statistic::Quantile(0.5),
        );
        self.with_samples(
            "latency_p99_us",
            s.p99_us,
            samples,
            Statistic::Quantile(0.99),
        );
        self.exact("latency_p90_us", s.p90_us);
        self.exact("latency_max_us", s.max_us);
        self.exact("latency_mean_us", s.mean_us);
    }

    fn throughput(&mut self, rps: f64, l: &stats::Latencies) {
        let windows = l.window_rates(THROUGHPUT_WINDOWS);
        self.with_samples("throughput_rps", rps, &windows, Statistic::ScaledMean(1.0));
    }
}

/// Windows a run is cut into for the throughput interval.
const THROUGHPUT_WINDOWS: usize = 20;

/// A bootstrap stream per (target, figure), so no two figures share resamples.
fn stream(target: &str, metric: &str) -> u64 {
    // FNV-1a: stable across runs and platforms.
    target
        .bytes()
        .chain([0])
        .chain(metric.bytes())
        .fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
}

fn as_f64(xs: &[u64]) -> Vec<f64> {
    xs.iter().map(|&x| x as f64).collect()
}

/// Measures one target.
pub fn measure(
    scenario: &Scenario,
    target: &Target,
    ctx: &Context<'_>,
) -> anyhow::Result<Measured> {
    let load = &scenario.load;
    let calls: Vec<PreparedCall> = target.calls.iter().map(PreparedCall::new).collect();
    let mut f = Figures::new(&target.name);
    let mut conditions = BTreeMap::new();
    let errors;
    let argv;
    let transport;
    match scenario.kind {
        Kind::Stdio => {
            argv = target.argv(ctx.subs, None);
            transport = "stdio";
            let plan = stdio_load::Plan {
                argv: argv.clone(),
                calls,
                processes: load.processes,
                window: load.window,
                warmup: load.warmup,
                stop: stdio_stop(load),
            };
            conditions.insert("processes".into(), json!(load.processes));
            conditions.insert("window".into(), json!(load.window));
            stop_conditions(load, &mut conditions);
            let o = stdio_load::run(&plan)?;
            f.latencies(&o.latencies);
            f.exact("requests", o.measured as f64);
            f.throughput(o.throughput(), &o.latencies);
            f.exact("rss_idle_kb", max_u64(&o.idle_rss_kb));
            f.exact("rss_peak_kb", max_u64(&o.peak_rss_kb));
            f.exact(
                "rss_peak_total_kb",
                o.peak_rss_kb.iter().sum::<u64>() as f64,
            );
            let n = o.end_pss_kb.len() as f64;
            f.sampled(
                "pss_total_kb",
                &as_f64(&o.end_pss_kb),
                Statistic::ScaledMean(n),
            );
            f.sampled(
                "pss_idle_total_kb",
                &as_f64(&o.idle_pss_kb),
                Statistic::ScaledMean(o.idle_pss_kb.len() as f64),
            );
            let init_ms: Vec<f64> = o.init_times.iter().map(|d| d.as_secs_f64() * 1e3).collect();
            if let Some(m) = stats::median(&init_ms) {
                f.exact("initialize_median_ms", m);
            }
            errors = o.errors;
        }
        Kind::Http => {
            let addr = free_addr()?;
            argv = target.argv(ctx.subs, Some(&addr.to_string()));
            transport = if load.session {
                "http-session"
            } else {
                "http-stateless"
            };
            let mut server = HttpServer::start(&argv, addr)?;
            let idle = procfs::rss(server.pid()).map_or(0, |r| r.rss_kb);
            let plan = http_load::Plan {
                addr,
                calls,
                connections: load.connections,
                client_threads: load.client_threads,
                rate: load.rate,
                session: load.session,
                warmup: load.warmup,
                stop: match load.duration_ms {
                    Some(ms) => http_load::Stop::Duration(Duration::from_millis(ms)),
                    None => http_load::Stop::Count(load.requests.unwrap_or(0)),
                },
            };
            conditions.insert("connections".into(), json!(load.connections));
            conditions.insert("client_threads".into(), json!(load.client_threads));
            conditions.insert("session".into(), json!(load.session));
            conditions.insert(
                "loop".into(),
                json!(if load.rate.is_some() {
                    "open"
                } else {
                    "closed"
                }),
            );
            if let Some(r) = load.rate {
                conditions.insert("rate_rps".into(), json!(r));
            }
            stop_conditions(load, &mut conditions);
            let o = http_load::run(&plan);
            let peak = procfs::rss(server.pid()).map_or(0, |r| r.hwm_kb);
            server.stop();
            let o = o?;
            f.latencies(&o.latencies);
            f.exact("requests", o.measured as f64);
            f.throughput(o.throughput(), &o.latencies);
            f.exact("rss_idle_kb", idle as f64);
            f.exact("rss_peak_kb", peak as f64);
            errors = o.errors;
        }
        Kind::ColdStart => {
            argv = target.argv(ctx.subs, None);
            transport = "stdio";
            conditions.insert("runs".into(), json!(load.runs));
            conditions.insert("warmup_runs".into(), json!(load.warmup_runs));
            let (cs, errs) = cold_start::run(&argv, load.runs, load.warmup_runs)?;
            let ms: Vec<f64> = cs.times_s.iter().map(|s| s * 1e3).collect();
            f.sampled("cold_start_median_ms", &ms, Statistic::Quantile(0.5));
            if let Some([_, p90, min, max, mean]) = cs.summary_ms() {
                f.exact("cold_start_p90_ms", p90);
                f.exact("cold_start_min_ms", min);
                f.exact("cold_start_max_ms", max);
                f.exact("cold_start_mean_ms", mean);
            }
            f.sampled("startup_faults", &cs.faults, Statistic::Quantile(0.5));
            f.sampled("cpu_median_ms", &cs.cpu_ms, Statistic::Quantile(0.5));
            f.exact("cpu_user_ms", cs.user_s * 1e3);
            f.exact("cpu_system_ms", cs.system_s * 1e3);
            let export = ctx
                .out_dir
                .join(format!("{}.{}.hyperfine.json", scenario.name, target.name));
            cs.write_hyperfine_json(&export)?;
            if hyperfine::available() {
                let export = ctx.out_dir.join(format!(
                    "{}.{}.hyperfine-cli.json",
                    scenario.name, target.name
                ));
                match hyperfine::cold_start(&argv, load.runs, load.warmup_runs, &export) {
                    Ok(times) => f.sampled("hyperfine_median_ms", &times, Statistic::Quantile(0.5)),
                    Err(e) => eprintln!("  hyperfine: {e:#} (its figure is left out)"),
                }
            } else {
                eprintln!("  hyperfine not installed: its cold-start figure is left out");
            }
            errors = errs;
        }
        Kind::Memory => {
            argv = target.argv(ctx.subs, None);
            transport = "stdio";
            conditions.insert("flood".into(), json!(load.flood));
            conditions.insert("settle_ms".into(), json!(load.settle_ms));
            conditions.insert("idle_runs".into(), json!(load.idle_runs));
            errors = memory(&argv, &calls, load, &mut f)?;
        }
        Kind::Icount => {
            argv = target.argv(ctx.subs, None);
            transport = "stdio";
            let n = load.requests.unwrap_or(0);
            conditions.insert("requests".into(), json!(n));
            conditions.insert("startup_runs".into(), json!(load.startup_runs));
            conditions.insert("tool".into(), json!("valgrind --tool=callgrind"));
            let work = ctx
                .work_dir
                .join(format!("{}-{}", scenario.name, target.name));
            let (ic, errs) = icount::run(&argv, &calls, n, load.startup_runs, &work)?;
            f.sampled(
                "ir_startup",
                &as_f64(&ic.startup_runs),
                Statistic::Quantile(0.5),
            );
            f.exact("ir_total", ic.total as f64);
            f.exact("ir_per_request", ic.per_request());
            errors = errs;
        }
    }
    if !calls_desc(target).is_null() {
        conditions.insert("calls".into(), calls_desc(target));
    }
    f.exact("errors", errors.count as f64);
    Ok(Measured {
        result: TargetResult {
            target: target.name.clone(),
            command: argv,
            transport: transport.into(),
            conditions,
            errors: errors.count,
            error_samples: errors.samples,
            metrics: f.metrics,
            intervals: f.intervals,
        },
        replicates: f.replicates,
    })
}

/// Idle memory after `initialize` (and a settle pause) of `idle_runs` processes started one
/// after another, then a flood of pipelined requests written without waiting, then peak RSS
/// (VmHWM).
fn memory(
    argv: &[String],
    calls: &[PreparedCall],
    load: &Load,
    f: &mut Figures<'_>,
) -> anyhow::Result<Errors> {
    let (mut rss, mut pss, mut anon, mut file, mut hwm) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..load.idle_runs {
        let mut s = StdioServer::spawn(argv)?;
        s.initialize()?;
        std::thread::sleep(Duration::from_millis(load.settle_ms));
        let idle = procfs::rss(s.pid).context("read idle RSS")?;
        rss.push(idle.rss_kb as f64);
        hwm.push(idle.hwm_kb as f64);
        anon.extend(idle.anon_kb.map(|k| k as f64));
        file.extend(idle.file_kb.map(|k| k as f64));
        pss.extend(procfs::rollup(s.pid).map(|r| r.pss_kb as f64));
        s.shutdown(Duration::from_secs(5))?;
    }
    let median = Statistic::Quantile(0.5);
    f.sampled("rss_idle_kb", &rss, median);
    f.sampled("pss_idle_kb", &pss, median);
    f.sampled("rss_idle_anon_kb", &anon, median);
    f.sampled("rss_idle_file_kb", &file, median);
    f.sampled("rss_hwm_after_init_kb", &hwm, median);

    let plan = stdio_load::Plan {
        argv: argv.to_vec(),
        calls: calls.to_vec(),
        processes: 1,
        window: usize::MAX,
        warmup: 0,
        stop: stdio_load::Stop::Count(load.flood),
    };
    let o = stdio_load::run(&plan)?;
    f.exact("rss_peak_kb", max_u64(&o.peak_rss_kb));
    f.exact("flood_requests", o.measured as f64);
    f.exact("flood_throughput_rps", o.throughput());
    f.exact("flood_latency_max_ms", o.latencies.summary().max_us / 1e3);
    Ok(o.errors)
}

fn stdio_stop(load: &Load) -> stdio_load::Stop {
    match load.duration_ms {
        Some(ms) => stdio_load::Stop::Duration(Duration::from_millis(ms)),
        None => stdio_load::Stop::Count(load.requests.unwrap_or(0)),
    }
}

fn stop_conditions(load: &Load, c: &mut BTreeMap<String, Value>) {
    match load.duration_ms {
        Some(ms) => c.insert("duration_ms".into(), json!(ms)),
        None => c.insert("requests".into(), json!(load.requests)),
    };
    c.insert("warmup".into(), json!(load.warmup));
}

fn calls_desc(target: &Target) -> Value {
    if target.calls.is_empty() {
        return Value::Null;
    }
    Value::Array(
        target
            .calls
            .iter()
            .map(|c| json!({"tool": c.tool, "arguments": c.arguments}))
            .collect(),
    )
}

fn max_u64(xs: &[u64]) -> f64 {
    xs.iter().copied().max().unwrap_or(0) as f64
}

/// A loopback address with a port that was free a moment ago.
pub(crate) fn free_addr() -> anyhow::Result<SocketAddr> {
    let l = TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?)
}

/// An HTTP server process started for one target and stopped after it.
pub(crate) struct HttpServer {
    child: Child,
}

impl HttpServer {
    pub(crate) fn start(argv: &[String], addr: SocketAddr) -> anyhow::Result<Self> {
        let (prog, args) = argv.split_first().context("empty command")?;
        let child = Command::new(prog)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("spawn {}", argv.join(" ")))?;
        let mut server = Self { child };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect_timeout(&addr, Duration::from_millis(100)).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                bail!(
                    "{} exited with {status} before listening on {addr}",
                    argv.join(" ")
                );
            }
            if Instant::now() > deadline {
                server.stop();
                bail!("{} did not listen on {addr} within 10 s", argv.join(" "));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        // Let the first accept settle so idle RSS is read from a quiet server.
        std::thread::sleep(Duration::from_millis(100));
        Ok(server)
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    pub(crate) fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.stop();
    }
}
