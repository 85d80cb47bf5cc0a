//! Steady load for a soak: requests sent on a fixed schedule (open loop), so the offered load
//! does not fall when the server slows down; latency is measured from each request's
//! scheduled time (a stall is charged to every request queued behind it). Every reply is
//! checked against the answer its call must give.

use std::{
    collections::BTreeMap,
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::Context as _;

use crate::{
    http_load::Client,
    jsonrpc::{self, PreparedCall},
    record::Errors,
    server::StdioServer,
};

use super::{
    analysis::Windows,
    workload::{self, Setup, Step, FIRST_ID},
};

/// A request with no complete answer after this long counts as an error (a hang).
pub const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// What the load saw.
pub struct Driven {
    pub windows: Windows,
    pub calls: u64,
    pub by_step: BTreeMap<Step, u64>,
    pub errors: Errors,
}

impl Driven {
    fn new(width: Duration) -> Driven {
        Driven {
            windows: Windows::new(width),
            calls: 0,
            by_step: BTreeMap::new(),
            errors: Errors::default(),
        }
    }

    fn record(
        &mut self,
        at: Duration,
        latency: Duration,
        step: Step,
        outcome: Result<(), String>,
    ) -> anyhow::Result<()> {
        self.calls += 1;
        *self.by_step.entry(step).or_default() += 1;
        let ok = outcome.is_ok();
        if let Err(e) = outcome {
            self.errors.push(format!("{step:?}: {e}"));
        }
        self.windows.record(at, latency, ok)
    }

    fn merge(&mut self, other: Driven) -> anyhow::Result<()> {
        self.windows.merge(&other.windows)?;
        self.calls += other.calls;
        for (k, v) in other.by_step {
            *self.by_step.entry(k).or_default() += v;
        }
        self.errors.merge(other.errors);
        Ok(())
    }
}

/// Load shape shared by both transports.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// Total requests per second.
    pub rate: f64,
    pub duration: Duration,
    /// Latency window width.
    pub window: Duration,
}

impl Pace {
    fn interval(&self, lanes: usize) -> Duration {
        Duration::from_secs_f64(lanes as f64 / self.rate.max(1e-3))
    }
}

/// One stdio server, requests one at a time on the schedule (a desktop client's shape).
pub fn stdio(
    server: &mut StdioServer,
    setup: &Setup,
    pace: Pace,
    t0: Instant,
) -> anyhow::Result<Driven> {
    let mut out = Driven::new(pace.window);
    let interval = pace.interval(1);
    for k in 0.. {
        let due = interval.mul_f64(k as f64);
        if due >= pace.duration {
            break;
        }
        let intended = t0 + due;
        if let Some(wait) = intended.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        let (step, call) = workload::call(setup, k);
        let id = FIRST_ID + k;
        let line = PreparedCall::new(&call).request(id);
        let outcome = server
            .send_line(&line)
            .and_then(|()| server.read_reply(id))
            .map_err(|e| format!("{e:#}"));
        let done = Instant::now();
        let broken = outcome.is_err();
        let outcome = outcome.and_then(|reply| jsonrpc::check_tool_reply(&reply, &call));
        out.record(due, done.saturating_duration_since(intended), step, outcome)?;
        if broken {
            break; // the pipe is gone (server died or the watchdog killed a hung one)
        }
    }
    Ok(out)
}

/// `connections` keep-alive HTTP connections sharing the schedule, interleaved.
pub fn http(
    addr: SocketAddr,
    setup: &Setup,
    pace: Pace,
    connections: usize,
    t0: Instant,
) -> anyhow::Result<Driven> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let setup = Arc::new(setup.clone());
    rt.block_on(async move {
        let mut tasks = Vec::new();
        for lane in 0..connections {
            let setup = setup.clone();
            tasks.push(tokio::spawn(async move {
                http_lane(addr, &setup, pace, lane, connections, t0).await
            }));
        }
        let mut out = Driven::new(pace.window);
        for t in tasks {
            out.merge(t.await.context("HTTP lane")??)?;
        }
        Ok(out)
    })
}

async fn http_lane(
    addr: SocketAddr,
    setup: &Setup,
    pace: Pace,
    lane: usize,
    lanes: usize,
    t0: Instant,
) -> anyhow::Result<Driven> {
    let mut out = Driven::new(pace.window);
    let interval = pace.interval(lanes);
    let offset = interval.mul_f64(lane as f64 / lanes as f64);
    let mut client: Option<Client> = None;
    for j in 0.. {
        let due = offset + interval.mul_f64(j as f64);
        if due >= pace.duration {
            break;
        }
        let intended = t0 + due;
        tokio::time::sleep_until(intended.into()).await;
        let k = lane as u64 + j * lanes as u64;
        let (step, call) = workload::call(setup, k);
        let id = FIRST_ID + k;
        if client.is_none() {
            client = Client::connect(addr).await.ok();
        }
        let outcome = match client.as_mut() {
            None => Err("connect failed".to_string()),
            Some(c) => match tokio::time::timeout(
                CALL_TIMEOUT,
                c.call(id, PreparedCall::new(&call).request(id)),
            )
            .await
            {
                Ok(r) => r,
                Err(_) => Err(format!("no answer within {CALL_TIMEOUT:?}")),
            },
        };
        let done = Instant::now();
        if outcome.is_err() {
            client = None; // reconnect for the next request
        }
        let outcome = outcome.and_then(|reply| jsonrpc::check_tool_reply(&reply, &call));
        out.record(due, done.saturating_duration_since(intended), step, outcome)?;
    }
    Ok(out)
}
