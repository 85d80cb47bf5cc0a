//! stdio load: N server processes, each driven by a writer thread and a reader thread, with
//! up to `window` requests in flight per process (1 = strictly sequential). Latency is from
//! just before the request is written to just after its reply line is read and checked.

use std::{
    collections::HashMap,
    io::{BufRead as _, BufWriter, Write as _},
    sync::{mpsc, Arc, Barrier},
    time::{Duration, Instant},
};

use anyhow::Context as _;

use crate::{
    jsonrpc::{self, PreparedCall},
    procfs,
    record::Errors,
    reply,
    server::{StdioServer, Watchdog},
    stats::{self, Latencies},
};

pub use crate::stop::Stop;

/// One stdio load run.
#[derive(Debug, Clone)]
pub struct Plan {
    pub argv: Vec<String>,
    pub calls: Vec<PreparedCall>,
    pub processes: usize,
    /// Requests in flight per process; `usize::MAX` writes without waiting (flood).
    pub window: usize,
    pub warmup: u64,
    pub stop: Stop,
}

/// What one run measured, merged over processes.
pub struct Outcome {
    pub latencies: Latencies,
    pub errors: Errors,
    /// Replies received during the measured phase (all processes).
    pub measured: u64,
    /// Wall time of the measured phase (first measured send to last reply, over processes).
    pub elapsed: Duration,
    /// RSS of each process right after `initialize`.
    pub idle_rss_kb: Vec<u64>,
    /// Peak RSS (VmHWM) of each process at the end of the run.
    pub peak_rss_kb: Vec<u64>,
    /// PSS of each process right after every process has initialized (all alive together).
    pub idle_pss_kb: Vec<u64>,
    /// PSS of each process at the end of the load, read while all of them are still alive
    /// (shared pages are divided among all of them, as with real concurrent clients).
    pub end_pss_kb: Vec<u64>,
    pub init_times: Vec<Duration>,
}

impl Outcome {
    /// Measured replies per second.
    pub fn throughput(&self) -> f64 {
        stats::per_second(self.measured, self.elapsed)
    }
}

struct ProcOutcome {
    latencies: Latencies,
    errors: Errors,
    measured: u64,
    first_send: Option<Instant>,
    last_reply: Option<Instant>,
    peak_rss_kb: u64,
}

/// Runs the plan: spawns and initializes every process, starts them together, collects.
pub fn run(plan: &Plan) -> anyhow::Result<Outcome> {
    let mut servers = Vec::with_capacity(plan.processes);
    let mut idle_rss_kb = Vec::new();
    let mut init_times = Vec::new();
    for _ in 0..plan.processes {
        let mut s = StdioServer::spawn(&plan.argv)?;
        init_times.push(s.initialize().context("initialize")?);
        idle_rss_kb.push(procfs::rss(s.pid).map_or(0, |r| r.rss_kb));
        servers.push(s);
    }
    let idle_pss_kb = servers
        .iter()
        .map(|s| procfs::rollup(s.pid).map_or(0, |r| r.pss_kb))
        .collect();
    let limit = match plan.stop {
        Stop::Duration(d) => d + Duration::from_secs(60),
        Stop::Count(n) => Duration::from_secs(120 + (n + plan.warmup) / 1_000),
    };
    let barrier = Arc::new(Barrier::new(plan.processes));
    let results: Vec<anyhow::Result<(ProcOutcome, StdioServer)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = servers
            .into_iter()
            .map(|server| {
                let barrier = barrier.clone();
                scope.spawn(move || drive(server, plan, &barrier, limit))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("driver thread panicked")))
            })
            .collect()
    });
    let mut out = Outcome {
        latencies: Latencies::new()?,
        errors: Errors::default(),
        measured: 0,
        elapsed: Duration::ZERO,
        idle_rss_kb,
        peak_rss_kb: Vec::new(),
        idle_pss_kb,
        end_pss_kb: Vec::new(),
        init_times,
    };
    let mut finished = Vec::with_capacity(results.len());
    let mut failure = None;
    for r in results {
        match r {
            Ok(pair) => finished.push(pair),
            Err(e) => failure = Some(e),
        }
    }
    out.end_pss_kb = finished
        .iter()
        .map(|(_, s)| procfs::rollup(s.pid).map_or(0, |r| r.pss_kb))
        .collect();
    let mut procs = Vec::with_capacity(finished.len());
    for (p, server) in finished {
        let pid = server.pid;
        let status = server.shutdown(Duration::from_secs(5))?;
        if !status.success() {
            tracing::debug!(pid, %status, "server exit status");
        }
        procs.push(p);
    }
    if let Some(e) = failure {
        return Err(e);
    }
    let (mut first, mut last): (Option<Instant>, Option<Instant>) = (None, None);
    for p in procs {
        out.latencies.merge(&p.latencies);
        out.errors.merge(p.errors);
        out.measured += p.measured;
        out.peak_rss_kb.push(p.peak_rss_kb);
        first = match (first, p.first_send) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        last = match (last, p.last_reply) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
    if let (Some(f), Some(l)) = (first, last) {
        out.elapsed = l.saturating_duration_since(f);
    }
    Ok(out)
}

/// Messages from the writer to the reader of one process.
enum Sent {
    /// Request `id` was about to be written at this instant.
    At(u64, Instant),
    /// The writer stopped after this many requests.
    Done(u64),
}

/// Drives one process through the plan; returns it still running (its PSS is read while its
/// siblings are alive too).
fn drive(
    mut server: StdioServer,
    plan: &Plan,
    start: &Barrier,
    limit: Duration,
) -> anyhow::Result<(ProcOutcome, StdioServer)> {
    let stdin = server.stdin.take().context("stdin closed")?;
    let pid = server.pid;
    // Credits bound the requests in flight; the reader returns one per reply.
    let window = plan.window.min(1 << 20);
    let flood = plan.window == usize::MAX;
    let (credit_tx, credit_rx) = mpsc::sync_channel::<()>(window);
    if !flood {
        for _ in 0..window {
            credit_tx.send(())?;
        }
    }
    let (sent_tx, sent_rx) = mpsc::channel::<Sent>();
    start.wait();
    let _watchdog = Watchdog::new(pid, limit);
    let calls = &plan.calls;
    let warmup = plan.warmup;
    let stop = plan.stop;

    std::thread::scope(|scope| {
        let writer = scope.spawn(move || {
            let mut w = BufWriter::with_capacity(64 * 1024, stdin);
            let mut measure_from: Option<Instant> = None;
            let mut id: u64 = 1;
            loop {
                let i = id - 1;
                if i == warmup {
                    measure_from = Some(Instant::now());
                }
                let done = match stop {
                    Stop::Count(n) => i >= warmup + n,
                    Stop::Duration(d) => measure_from.is_some_and(|t| t.elapsed() >= d),
                };
                if done {
                    break;
                }
                if !flood && credit_rx.recv().is_err() {
                    break; // reader gave up (server died): stop sending
                }
                let line = calls[(i as usize) % calls.len()].request(id);
                let t = Instant::now();
                if sent_tx.send(Sent::At(id, t)).is_err() {
                    break;
                }
                let ok = w
                    .write_all(line.as_bytes())
                    .and_then(|_| w.write_all(b"\n"));
                let ok = if flood {
                    ok
                } else {
                    ok.and_then(|_| w.flush())
                };
                if ok.is_err() {
                    id += 1;
                    break;
                }
                id += 1;
            }
            let _ = w.flush();
            let _ = sent_tx.send(Sent::Done(id - 1));
            // Hand stdin back: it stays open until every reply is in, so EOF never races
            // in-flight requests.
            w
        });

        let mut latencies = Latencies::new()?;
        let mut errors = Errors::default();
        let mut in_flight: HashMap<u64, Instant> = HashMap::new();
        let mut total: Option<u64> = None;
        let mut replies: u64 = 0;
        let mut measured: u64 = 0;
        let mut first_send: Option<Instant> = None;
        let mut last_reply: Option<Instant> = None;
        let mut line = String::new();
        let mut absorb =
            |m: Sent, total: &mut Option<u64>, in_flight: &mut HashMap<u64, Instant>| match m {
                Sent::At(id, t) => {
                    if id == warmup + 1 {
                        first_send = Some(t);
                    }
                    in_flight.insert(id, t);
                }
                Sent::Done(n) => *total = Some(n),
            };
        loop {
            if total.is_some_and(|n| replies >= n) {
                break;
            }
            if in_flight.is_empty() && total.is_none() {
                // Nothing known to be outstanding: learn what the writer did next before
                // blocking on a reply. Reading first would hang when the writer finishes just
                // after the last reply (its `Done` unseen, no reply ever coming).
                match sent_rx.recv() {
                    Ok(m) => absorb(m, &mut total, &mut in_flight),
                    Err(_) => break,
                }
                continue;
            }
            line.clear();
            let n = server.stdout.read_line(&mut line);
            let now = Instant::now();
            match n {
                Ok(0) | Err(_) => {
                    // Server gone: drain the writer's bookkeeping and count what never came back.
                    while let Ok(m) = sent_rx.recv_timeout(Duration::from_secs(5)) {
                        absorb(m, &mut total, &mut in_flight);
                        if total.is_some() {
                            break;
                        }
                    }
                    let lost = total
                        .unwrap_or(replies + in_flight.len() as u64)
                        .saturating_sub(replies);
                    for _ in 0..lost {
                        errors.push("no reply: server closed stdout");
                    }
                    break;
                }
                Ok(_) => {}
            }
            // Parsed where it lies: the tree borrows its strings from `line` (see `reply`).
            let msg = match reply::parse(line.trim_end()) {
                Ok(v) => v,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            let Some(id) = jsonrpc::response_id(&msg) else {
                continue; // a notification or a server request: not a reply
            };
            while !in_flight.contains_key(&id) {
                match sent_rx.recv() {
                    Ok(m) => absorb(m, &mut total, &mut in_flight),
                    Err(_) => break,
                }
            }
            let Some(t) = in_flight.remove(&id) else {
                errors.push(format!("reply to unknown id {id}"));
                continue;
            };
            replies += 1;
            if !flood {
                let _ = credit_tx.try_send(());
            }
            let idx = ((id - 1) as usize) % calls.len();
            if let Err(e) = jsonrpc::check_tool_reply(&msg, &calls[idx].call) {
                errors.push(e);
            }
            if id > warmup {
                measured += 1;
                latencies.record(now.saturating_duration_since(t), now);
                last_reply = Some(now);
            }
            // Pick up `Done` promptly once the writer has finished.
            while let Ok(m) = sent_rx.try_recv() {
                absorb(m, &mut total, &mut in_flight);
            }
        }
        drop(credit_tx);
        let peak_rss_kb = procfs::rss(pid).map_or(0, |r| r.hwm_kb);
        let stdin = writer
            .join()
            .map_err(|_| anyhow::anyhow!("writer thread panicked"))?;
        // stdin stays open: the caller closes it (shutdown) after reading memory figures.
        server.stdin = Some(stdin.into_inner().map_err(|e| e.into_error())?);
        Ok((
            ProcOutcome {
                latencies,
                errors,
                measured,
                first_send,
                last_reply,
                peak_rss_kb,
            },
            server,
        ))
    })
}
