//! One target measured as its scenario's kind asks: load over stdio or HTTP, memory, start-up
//! time or instruction counts; its figures, conditions and errors as a result row.

use std::{collections::BTreeMap, time::Duration};

use anyhow::Context as _;
use serde_json::{json, Value};

use super::figures::{as_f64, Figures};
use super::http_server::{free_addr, HttpServer};
use super::{Context, Measured};
use crate::{
    cold_start, http_load, hyperfine, icount,
    jsonrpc::PreparedCall,
    procfs,
    record::{Errors, TargetResult},
    scenario::{Kind, Load, Scenario, Target},
    server::StdioServer,
    stats::{self, Statistic},
    stdio_load,
    stop::Stop,
};

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
                stop: Stop::of(load),
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
                stop: Stop::of(load),
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
        stop: Stop::Count(load.flood),
    };
    let o = stdio_load::run(&plan)?;
    f.exact("rss_peak_kb", max_u64(&o.peak_rss_kb));
    f.exact("flood_requests", o.measured as f64);
    f.exact("flood_throughput_rps", o.throughput());
    f.exact("flood_latency_max_ms", o.latencies.summary().max_us / 1e3);
    Ok(o.errors)
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
