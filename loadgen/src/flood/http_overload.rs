//! HTTP overload: many more keep-alive connections than the server's `--max-concurrent`,
//! each sending as fast as it is answered, with the soak's mix of calls (writes included),
//! some bodies padded near `--max-body` and some over it. Every answer must be one of: the
//! right answer (200), `503` + `Retry-After` (shed), `429` + `Retry-After` (rate limited),
//! `413` for a body over the limit. Anything else, a reset, or no answer within the deadline
//! fails. Server RSS is sampled every 100 ms: its peak must stay bounded and it must come
//! back near its baseline; the next ordinary call must be answered.

use std::{
    collections::BTreeMap,
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::Context as _;
use hyper::StatusCode;

use crate::{
    http_load::{self, Client},
    jsonrpc::{self, PreparedCall},
    procfs,
    record::Errors,
    runner::{free_addr, HttpServer},
    soak::{analysis::Sample, sampler::Sampler, workload, HttpCaller},
};

use super::check::Check;

/// No complete answer within this long is a hang.
const DEADLINE: Duration = Duration::from_secs(15);

/// How one overload phase is shaped.
#[derive(Debug, Clone)]
pub struct Overload {
    pub name: &'static str,
    pub connections: usize,
    pub duration: Duration,
    /// Extra server flags (e.g. `--max-concurrent 4`).
    pub flags: Vec<String>,
    /// Every `big_every`-th request is padded to `big_bytes` (valid JSON: whitespace).
    pub big_every: u64,
    pub big_bytes: usize,
    /// Every `huge_every`-th request is padded past the body limit (must get 413).
    pub huge_every: u64,
    pub huge_bytes: usize,
    /// Peak RSS above baseline allowed (MiB), and RSS above baseline after settling.
    pub max_peak_mib: f64,
    pub max_after_mib: f64,
    /// The statuses this phase must produce at least once (proof the limit was exercised).
    pub must_see: Vec<u16>,
}

#[derive(Default)]
struct Tally {
    ok: u64,
    shed: u64,
    rate_limited: u64,
    too_large: u64,
    bad: Errors,
    statuses: BTreeMap<u16, u64>,
    hangs: u64,
    /// Padded (large) requests whose connection the server closed while the body was still
    /// being sent: it answered (503/413) before reading the body, as HTTP allows.
    big_cut: u64,
    /// Ordinary requests that failed because the server had closed the keep-alive connection
    /// after refusing the previous (large) request without saying `Connection: close`.
    closed_unannounced: u64,
}

impl Tally {
    fn merge(&mut self, o: Tally) {
        self.ok += o.ok;
        self.shed += o.shed;
        self.rate_limited += o.rate_limited;
        self.too_large += o.too_large;
        self.hangs += o.hangs;
        self.big_cut += o.big_cut;
        self.closed_unannounced += o.closed_unannounced;
        self.bad.merge(o.bad);
        for (k, v) in o.statuses {
            *self.statuses.entry(k).or_default() += v;
        }
    }
}

/// The request line for mix call `k`, padded with whitespace to `pad_to` bytes (valid JSON:
/// insignificant whitespace before the closing brace).
fn padded(line: String, pad_to: usize) -> String {
    if line.len() + 1 >= pad_to {
        return line;
    }
    let mut s = line;
    s.pop(); // the final '}'
    let pad = pad_to - s.len() - 1;
    s.extend(std::iter::repeat_n(' ', pad));
    s.push('}');
    s
}

async fn lane(
    addr: SocketAddr,
    setup: Arc<workload::Setup>,
    plan: Arc<Overload>,
    lane: usize,
    round: u64,
    until: Instant,
) -> Tally {
    let mut t = Tally::default();
    let mut client: Option<Client> = None;
    let lanes = plan.connections as u64;
    let mut j: u64 = 0;
    // The previous request on this connection was a large one refused before its body was
    // read (the server may then close the connection).
    let mut after_big_refusal = false;
    while Instant::now() < until {
        // Distinct k per round: every write carries a note no earlier write had.
        let k = round * 100_000_000 + lane as u64 + j * lanes;
        j += 1;
        let (step, call) = workload::call(&setup, k);
        let id = workload::FIRST_ID + k;
        let huge = plan.huge_every > 0 && k % plan.huge_every == plan.huge_every - 1;
        let big = plan.big_every > 0 && k.is_multiple_of(plan.big_every);
        let mut line = PreparedCall::new(&call).request(id);
        if huge {
            line = padded(line, plan.huge_bytes);
        } else if big {
            line = padded(line, plan.big_bytes);
        }
        if client.is_none() {
            client = Client::connect(addr).await.ok();
            after_big_refusal = false;
        }
        let Some(c) = client.as_mut() else {
            t.bad.push("connect failed");
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let answer = tokio::time::timeout(DEADLINE, c.post_full(line)).await;
        let (status, retry_after, body, sse) = match answer {
            Err(_) => {
                t.hangs += 1;
                t.bad.push(format!("no answer within {DEADLINE:?}"));
                client = None;
                continue;
            }
            Ok(Err(e)) => {
                // A large body may be refused (503 before the slot, 413 over the limit) before
                // it is all sent; the server then closes the connection and the client sees a
                // broken pipe. That is a refusal, not a failure. An ordinary request must never
                // see its connection fail.
                if huge || big {
                    t.big_cut += 1;
                } else if after_big_refusal {
                    t.closed_unannounced += 1;
                } else {
                    t.bad.push(format!("transport: {e:#}"));
                }
                client = None;
                continue;
            }
            Ok(Ok(a)) => a,
        };
        after_big_refusal = (big || huge) && status != StatusCode::OK;
        if !c.reusable() {
            // The server announced the close: reconnect, as any HTTP client would.
            client = None;
            after_big_refusal = false;
        }
        *t.statuses.entry(status.as_u16()).or_default() += 1;
        match status {
            StatusCode::OK if !huge => {
                match http_load::reply_from_body(&body, sse, id)
                    .and_then(|reply| jsonrpc::check_tool_reply(&reply, &call))
                {
                    Ok(()) => t.ok += 1,
                    Err(e) => t.bad.push(format!("{step:?}: wrong answer: {e}")),
                }
            }
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::TOO_MANY_REQUESTS => {
                let valid = retry_after
                    .as_deref()
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .is_some_and(|s| s >= 1);
                if !valid {
                    t.bad.push(format!(
                        "{status} without a valid Retry-After ({retry_after:?})"
                    ));
                } else if status == StatusCode::SERVICE_UNAVAILABLE {
                    t.shed += 1;
                } else {
                    t.rate_limited += 1;
                }
            }
            StatusCode::PAYLOAD_TOO_LARGE if huge => t.too_large += 1,
            other => t.bad.push(format!(
                "unexpected HTTP {other}{}: {}",
                if huge { " for an oversized body" } else { "" },
                String::from_utf8_lossy(&body[..body.len().min(120)])
            )),
        }
    }
    t
}

fn rss_kb(pid: u32) -> f64 {
    procfs::rss(pid).map_or(0.0, |r| r.rss_kb as f64)
}

/// Runs one overload phase against a fresh server.
pub fn run(server_bin: &str, db: &std::path::Path, plan: Overload) -> anyhow::Result<Check> {
    let mut check = Check::new(plan.name);
    let addr = free_addr()?;
    let flags: Vec<&str> = plan.flags.iter().map(String::as_str).collect();
    let argv = super::clients::server_argv(server_bin, db, addr, &flags);
    let mut server = HttpServer::start(&argv, addr)?;
    let pid = server.pid();
    let setup = Arc::new(workload::setup(&mut HttpCaller(addr), plan.name)?);
    // Warm the server (allocator, caches) with a few ordinary calls before the baseline.
    for k in 0..40 {
        one_call(addr, &setup, 10_000_000 + k).context("warm-up call")?;
    }
    std::thread::sleep(Duration::from_millis(500));
    let baseline = rss_kb(pid);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let plan = Arc::new(plan);
    // Two identical rounds: memory kept after the first may be the allocator's retention;
    // memory that grows again after the second is not.
    let mut tally = Tally::default();
    let mut peak = baseline;
    let mut peaks = Vec::new();
    let mut afters = Vec::new();
    for round in 0..2u64 {
        let t0 = Instant::now();
        let sampler = Sampler::start(pid, t0, Duration::from_millis(100));
        let until = Instant::now() + plan.duration;
        let t = rt.block_on(async {
            let mut tasks = Vec::new();
            for i in 0..plan.connections {
                tasks.push(tokio::spawn(lane(
                    addr,
                    setup.clone(),
                    plan.clone(),
                    i,
                    round,
                    until,
                )));
            }
            let mut t = Tally::default();
            for task in tasks {
                match task.await {
                    Ok(x) => t.merge(x),
                    Err(e) => t.bad.push(format!("lane panicked: {e}")),
                }
            }
            t
        });
        let flood_s = t0.elapsed().as_secs_f64();
        // Let the server finish what it had in flight, then read where memory settled.
        std::thread::sleep(Duration::from_secs(5));
        let (samples, _) = sampler.finish();
        let round_peak = peak_during(&samples, flood_s).unwrap_or(0.0);
        peak = peak.max(round_peak);
        peaks.push(round_peak);
        afters.push(rss_kb(pid));
        tally.merge(t);
    }
    drop(rt);
    let after = afters[0];
    let after2 = afters[afters.len() - 1];
    let peak1 = peaks[0];
    let next_ok = one_call(addr, &setup, 20_000_000);
    server.stop();

    let total = tally.ok
        + tally.shed
        + tally.rate_limited
        + tally.too_large
        + tally.big_cut
        + tally.closed_unannounced
        + tally.bad.count;
    check.figure("connections", plan.connections as f64);
    check.figure("duration_s", plan.duration.as_secs_f64());
    check.figure("requests", total as f64);
    check.figure("answered_ok", tally.ok as f64);
    check.figure("shed_503", tally.shed as f64);
    check.figure("rate_limited_429", tally.rate_limited as f64);
    check.figure("too_large_413", tally.too_large as f64);
    check.figure("bad", tally.bad.count as f64);
    check.figure("hangs", tally.hangs as f64);
    check.figure("rss_baseline_kb", baseline);
    check.figure("rss_peak_kb", peak);
    check.figure("rss_after_kb", after);
    check.figure("rss_after_second_round_kb", after2);
    check.figure("rss_peak_first_round_kb", peak1);
    check.figure("large_bodies_cut_off", tally.big_cut as f64);
    check.figure("closed_without_notice", tally.closed_unannounced as f64);
    for (status, n) in &tally.statuses {
        check.figure(&format!("status_{status}"), *n as f64);
    }
    check.summary = format!(
        "{} connections, 2 rounds of {:.0} s ({}): {} requests, {} right answers, {} shed (503), {} rate-limited (429), {} refused as too large (413), {} large bodies cut off mid-send, {} ordinary requests lost to a connection closed without notice, {} bad; RSS {:.1} → peak {:.1} → {:.1} MiB 5 s after round 1, {:.1} MiB after round 2",
        plan.connections,
        plan.duration.as_secs_f64(),
        plan.flags.join(" "),
        total,
        tally.ok,
        tally.shed,
        tally.rate_limited,
        tally.too_large,
        tally.big_cut,
        tally.closed_unannounced,
        tally.bad.count,
        baseline / 1024.0,
        peak / 1024.0,
        after / 1024.0,
        after2 / 1024.0
    );
    check.require(
        tally.bad.count == 0,
        format!(
            "{} bad answers: {}",
            tally.bad.count,
            tally.bad.samples.join(" | ")
        ),
    );
    check.require(tally.ok > 0, "no request was answered");
    for s in &plan.must_see {
        check.require(
            tally.statuses.get(s).copied().unwrap_or(0) > 0,
            format!("no {s} was seen: the limit was not exercised"),
        );
    }
    check.require(
        (peak - baseline) / 1024.0 <= plan.max_peak_mib,
        format!(
            "peak RSS {:.1} MiB above baseline (limit {} MiB)",
            (peak - baseline) / 1024.0,
            plan.max_peak_mib
        ),
    );
    check.finding(
        tally.closed_unannounced == 0,
        format!(
            "{} ordinary requests failed with a transport error because the server, after refusing the previous large request on the same keep-alive connection (503/413 before reading its body), closed the connection without sending `Connection: close`; a client cannot tell and loses its next request",
            tally.closed_unannounced
        ),
    );
    // Memory the allocator kept after round 1 is reused by round 2; a leak would push round 2
    // past everything round 1 ever reached.
    check.require(
        (after2 - peak1) / 1024.0 <= plan.max_after_mib,
        format!(
            "RSS after a second identical round is {:.1} MiB above the first round's peak (limit {} MiB): memory was not reused",
            (after2 - peak1) / 1024.0,
            plan.max_after_mib
        ),
    );
    check.finding(
        (after - baseline) / 1024.0 <= plan.max_after_mib,
        format!(
            "RSS stays {:.1} MiB above its baseline 5 s after the overload (limit {} MiB): freed memory is kept by the process (allocator retention or caches), not returned to the OS",
            (after - baseline) / 1024.0,
            plan.max_after_mib
        ),
    );
    check.require(
        next_ok.is_ok(),
        format!("the next ordinary call failed: {:?}", next_ok.err()),
    );
    Ok(check)
}

/// Highest RSS sampled while the flood ran (VmHWM would include setup).
fn peak_during(samples: &[Sample], until_s: f64) -> Option<f64> {
    samples
        .iter()
        .filter(|s| s.t_s <= until_s + 0.2)
        .map(|s| s.rss_kb as f64)
        .fold(None, |m, v| Some(m.map_or(v, |m: f64| m.max(v))))
}

/// One ordinary call over a fresh connection, checked.
pub fn one_call(addr: SocketAddr, setup: &workload::Setup, k: u64) -> anyhow::Result<()> {
    use crate::soak::workload::Caller as _;
    let (_, call) = workload::call(setup, k);
    let id = workload::FIRST_ID + k;
    let reply = HttpCaller(addr).call(id, &PreparedCall::new(&call).request(id))?;
    jsonrpc::check_tool_reply(&reply, &call).map_err(anyhow::Error::msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_keeps_the_json_and_reaches_the_size() {
        let line = r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{}}"#.to_string();
        let p = padded(line.clone(), 4096);
        assert_eq!(p.len(), 4096);
        let a: serde_json::Value = serde_json::from_str(&line).unwrap();
        let b: serde_json::Value = serde_json::from_str(&p).unwrap();
        assert_eq!(a, b);
        assert_eq!(padded(line.clone(), 10), line);
    }
}
