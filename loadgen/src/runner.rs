//! Runs a scenario against each of its targets, in the same run and with the same load,
//! and turns what was measured into result rows with named metrics.

use std::{
    collections::BTreeMap,
    net::{SocketAddr, TcpListener, TcpStream},
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{bail, Context as _};
use serde_json::{json, Value};

use crate::{
    cold_start, http_load, icount,
    jsonrpc::PreparedCall,
    machine::RunInfo,
    procfs,
    record::{Errors, ScenarioResult, TargetResult},
    scenario::{Kind, Load, Scenario, Substitutions, Target},
    server::StdioServer,
    stdio_load,
};

/// Where side files (hyperfine exports, callgrind outputs) go.
pub struct Context<'a> {
    pub subs: &'a Substitutions,
    pub out_dir: &'a Path,
    pub work_dir: &'a Path,
}

/// Runs every target of `scenario` and computes ours/floor ratios.
pub fn run_scenario(
    scenario: &Scenario,
    run: &RunInfo,
    ctx: &Context<'_>,
) -> anyhow::Result<ScenarioResult> {
    let mut targets = Vec::new();
    for target in &scenario.targets {
        eprintln!("  {} / {} …", scenario.name, target.name);
        let t0 = Instant::now();
        // A target that cannot be measured (won't start, lacks a flag) is a recorded failure,
        // not a reason to lose the other targets' figures.
        let r = measure(scenario, target, ctx).unwrap_or_else(|e| {
            eprintln!("  {} / {}: FAILED: {e:#}", scenario.name, target.name);
            TargetResult {
                target: target.name.clone(),
                command: target.argv(ctx.subs, Some("{addr}")),
                transport: String::new(),
                conditions: BTreeMap::new(),
                errors: 1,
                error_samples: vec![format!("{e:#}")],
                metrics: BTreeMap::from([("errors".to_string(), 1.0)]),
            }
        });
        eprintln!(
            "  {} / {}: {} errors, {:.1}s",
            scenario.name,
            target.name,
            r.errors,
            t0.elapsed().as_secs_f64()
        );
        targets.push(r);
    }
    let mut result = ScenarioResult {
        scenario: scenario.name.clone(),
        kind: format!("{:?}", scenario.kind).to_lowercase(),
        description: scenario.description.clone(),
        run: run.clone(),
        targets,
        ratios: BTreeMap::new(),
    };
    result.compute_ratios();
    Ok(result)
}

/// Measures one target.
pub fn measure(
    scenario: &Scenario,
    target: &Target,
    ctx: &Context<'_>,
) -> anyhow::Result<TargetResult> {
    let load = &scenario.load;
    let calls: Vec<PreparedCall> = target.calls.iter().map(PreparedCall::new).collect();
    let mut metrics = BTreeMap::new();
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
            latency_metrics(&o.latencies.summary(), &mut metrics);
            metrics.insert("requests".into(), o.measured as f64);
            metrics.insert("throughput_rps".into(), o.throughput());
            metrics.insert("rss_idle_kb".into(), max_u64(&o.idle_rss_kb));
            metrics.insert("rss_peak_kb".into(), max_u64(&o.peak_rss_kb));
            metrics.insert(
                "rss_peak_total_kb".into(),
                o.peak_rss_kb.iter().sum::<u64>() as f64,
            );
            let init_ms: Vec<f64> = o.init_times.iter().map(|d| d.as_secs_f64() * 1e3).collect();
            if let Some(m) = crate::stats::median(&init_ms) {
                metrics.insert("initialize_median_ms".into(), m);
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
            latency_metrics(&o.latencies.summary(), &mut metrics);
            metrics.insert("requests".into(), o.measured as f64);
            metrics.insert("throughput_rps".into(), o.throughput());
            metrics.insert("rss_idle_kb".into(), idle as f64);
            metrics.insert("rss_peak_kb".into(), peak as f64);
            errors = o.errors;
        }
        Kind::ColdStart => {
            argv = target.argv(ctx.subs, None);
            transport = "stdio";
            conditions.insert("runs".into(), json!(load.runs));
            conditions.insert("warmup_runs".into(), json!(load.warmup_runs));
            let (cs, errs) = cold_start::run(&argv, load.runs, load.warmup_runs)?;
            if let Some([med, p90, min, max, mean]) = cs.summary_ms() {
                metrics.insert("cold_start_median_ms".into(), med);
                metrics.insert("cold_start_p90_ms".into(), p90);
                metrics.insert("cold_start_min_ms".into(), min);
                metrics.insert("cold_start_max_ms".into(), max);
                metrics.insert("cold_start_mean_ms".into(), mean);
            }
            metrics.insert("cpu_user_ms".into(), cs.user_s * 1e3);
            metrics.insert("cpu_system_ms".into(), cs.system_s * 1e3);
            let export = ctx
                .out_dir
                .join(format!("{}.{}.hyperfine.json", scenario.name, target.name));
            cs.write_hyperfine_json(&export)?;
            errors = errs;
        }
        Kind::Memory => {
            argv = target.argv(ctx.subs, None);
            transport = "stdio";
            conditions.insert("flood".into(), json!(load.flood));
            conditions.insert("settle_ms".into(), json!(load.settle_ms));
            let (m, errs) = memory(&argv, &calls, load)?;
            metrics.extend(m);
            errors = errs;
        }
        Kind::Icount => {
            argv = target.argv(ctx.subs, None);
            transport = "stdio";
            let n = load.requests.unwrap_or(0);
            conditions.insert("requests".into(), json!(n));
            conditions.insert("tool".into(), json!("valgrind --tool=callgrind"));
            let work = ctx
                .work_dir
                .join(format!("{}-{}", scenario.name, target.name));
            let (ic, errs) = icount::run(&argv, &calls, n, &work)?;
            metrics.insert("ir_startup".into(), ic.startup as f64);
            metrics.insert("ir_total".into(), ic.total as f64);
            metrics.insert("ir_per_request".into(), ic.per_request());
            errors = errs;
        }
    }
    if !calls_desc(target).is_null() {
        conditions.insert("calls".into(), calls_desc(target));
    }
    metrics.insert("errors".into(), errors.count as f64);
    Ok(TargetResult {
        target: target.name.clone(),
        command: argv,
        transport: transport.into(),
        conditions,
        errors: errors.count,
        error_samples: errors.samples,
        metrics,
    })
}

/// Idle RSS after `initialize` (and a settle pause), then a flood of pipelined requests
/// written without waiting, then peak RSS (VmHWM).
fn memory(
    argv: &[String],
    calls: &[PreparedCall],
    load: &Load,
) -> anyhow::Result<(BTreeMap<String, f64>, Errors)> {
    let mut m = BTreeMap::new();
    let mut s = StdioServer::spawn(argv)?;
    s.initialize()?;
    std::thread::sleep(Duration::from_millis(load.settle_ms));
    let idle = procfs::rss(s.pid).context("read idle RSS")?;
    m.insert("rss_idle_kb".into(), idle.rss_kb as f64);
    m.insert("rss_hwm_after_init_kb".into(), idle.hwm_kb as f64);
    if let (Some(anon), Some(file)) = (idle.anon_kb, idle.file_kb) {
        m.insert("rss_idle_anon_kb".into(), anon as f64);
        m.insert("rss_idle_file_kb".into(), file as f64);
    }
    s.shutdown(Duration::from_secs(5))?;

    let plan = stdio_load::Plan {
        argv: argv.to_vec(),
        calls: calls.to_vec(),
        processes: 1,
        window: usize::MAX,
        warmup: 0,
        stop: stdio_load::Stop::Count(load.flood),
    };
    let o = stdio_load::run(&plan)?;
    m.insert("rss_peak_kb".into(), max_u64(&o.peak_rss_kb));
    m.insert("flood_requests".into(), o.measured as f64);
    m.insert("flood_throughput_rps".into(), o.throughput());
    m.insert(
        "flood_latency_max_ms".into(),
        o.latencies.summary().max_us / 1e3,
    );
    Ok((m, o.errors))
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

fn latency_metrics(s: &crate::stats::LatencySummary, m: &mut BTreeMap<String, f64>) {
    m.insert("latency_p50_us".into(), s.p50_us);
    m.insert("latency_p90_us".into(), s.p90_us);
    m.insert("latency_p99_us".into(), s.p99_us);
    m.insert("latency_max_us".into(), s.max_us);
    m.insert("latency_mean_us".into(), s.mean_us);
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
