//! Streamable HTTP load: C keep-alive HTTP/1.1 connections (hyper's low-level client, one
//! request in flight per connection), closed loop (send on reply) or open loop (fixed
//! schedule). In open loop, latency is measured from the request's *scheduled* send time,
//! so a stalled server is charged for the requests that queued behind the stall
//! (coordinated-omission correction, as wrk2 does).
//!
//! Stateless mode posts `tools/call` straight away; session mode first posts `initialize`,
//! keeps the `Mcp-Session-Id` it gets, and sends `notifications/initialized`.

use std::{
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::{bail, Context as _};
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::{client::conn::http1::SendRequest, header, Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;

use crate::{
    jsonrpc::{self, PreparedCall, PROTOCOL_VERSION},
    record::Errors,
    stats::{self, Latencies},
};

pub use crate::stop::Stop;

#[derive(Debug, Clone)]
pub struct Plan {
    pub addr: SocketAddr,
    pub calls: Vec<PreparedCall>,
    pub connections: usize,
    pub client_threads: usize,
    /// Total requests/s over all connections (open loop); `None` = closed loop.
    pub rate: Option<f64>,
    pub session: bool,
    pub warmup: u64,
    pub stop: Stop,
}

pub struct Outcome {
    pub latencies: Latencies,
    pub errors: Errors,
    pub measured: u64,
    pub elapsed: Duration,
}

impl Outcome {
    /// Measured replies per second.
    pub fn throughput(&self) -> f64 {
        stats::per_second(self.measured, self.elapsed)
    }
}

struct ConnOutcome {
    latencies: Latencies,
    errors: Errors,
    measured: u64,
    first: Option<Instant>,
    last: Option<Instant>,
}

/// Runs the plan on its own runtime with `client_threads` workers.
pub fn run(plan: &Plan) -> anyhow::Result<Outcome> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(plan.client_threads)
        .enable_all()
        .build()?;
    rt.block_on(run_async(Arc::new(plan.clone())))
}

async fn run_async(plan: Arc<Plan>) -> anyhow::Result<Outcome> {
    let barrier = Arc::new(tokio::sync::Barrier::new(plan.connections));
    let mut tasks = Vec::with_capacity(plan.connections);
    for idx in 0..plan.connections {
        let plan = plan.clone();
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            connection(idx, &plan, &barrier).await
        }));
    }
    let mut out = Outcome {
        latencies: Latencies::new()?,
        errors: Errors::default(),
        measured: 0,
        elapsed: Duration::ZERO,
    };
    let (mut first, mut last): (Option<Instant>, Option<Instant>) = (None, None);
    for t in tasks {
        let c = t.await.context("connection task")??;
        out.latencies.merge(&c.latencies);
        out.errors.merge(c.errors);
        out.measured += c.measured;
        first = first.into_iter().chain(c.first).min();
        last = last.into_iter().chain(c.last).max();
    }
    if let (Some(f), Some(l)) = (first, last) {
        out.elapsed = l.saturating_duration_since(f);
    }
    Ok(out)
}

/// One client connection and the MCP headers it sends.
pub(crate) struct Client {
    sender: SendRequest<Full<Bytes>>,
    host: String,
    session: Option<String>,
    /// The last response said `Connection: close`: the server ends this connection after it.
    closing: bool,
}

impl Client {
    pub(crate) async fn connect(addr: SocketAddr) -> anyhow::Result<Self> {
        let stream = tokio::net::TcpStream::connect(addr)
            .await
            .with_context(|| format!("connect {addr}"))?;
        stream.set_nodelay(true)?;
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(%e, "connection closed");
            }
        });
        Ok(Self {
            sender,
            host: addr.to_string(),
            session: None,
            closing: false,
        })
    }

    /// Whether another request may go on this connection. A client must honour
    /// `Connection: close` (the server sends it on refusals made before reading the body) and
    /// open a new connection instead.
    pub(crate) fn reusable(&self) -> bool {
        !self.closing && !self.sender.is_closed()
    }

    /// POSTs one JSON-RPC message; returns the status and the body.
    async fn post(&mut self, body: String) -> anyhow::Result<(StatusCode, Bytes, bool)> {
        let (status, _, body, sse) = self.post_full(body).await?;
        Ok((status, body, sse))
    }

    /// POSTs one JSON-RPC message; returns the status, the `Retry-After` header, the body and
    /// whether it is an SSE stream (the flood checks judge overload answers by these).
    pub(crate) async fn post_full(
        &mut self,
        body: String,
    ) -> anyhow::Result<(StatusCode, Option<String>, Bytes, bool)> {
        let mut req = Request::post("/mcp")
            .header(header::HOST, &self.host)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json, text/event-stream")
            .header("mcp-protocol-version", PROTOCOL_VERSION);
        if let Some(s) = &self.session {
            req = req.header("mcp-session-id", s);
        }
        let req = req.body(Full::new(Bytes::from(body)))?;
        self.sender.ready().await?;
        let resp = self.sender.send_request(req).await?;
        let status = resp.status();
        let sse = resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream"));
        if self.session.is_none() {
            if let Some(id) = resp
                .headers()
                .get("mcp-session-id")
                .and_then(|v| v.to_str().ok())
            {
                self.session = Some(id.to_string());
            }
        }
        self.closing = resp
            .headers()
            .get(header::CONNECTION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let retry_after = resp
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = resp.into_body().collect().await?.to_bytes();
        Ok((status, retry_after, body, sse))
    }

    /// POSTs a request; returns the raw reply (status checked) and when it was fully read.
    async fn exchange(&mut self, line: String) -> Result<(Bytes, bool, Instant), String> {
        let (status, body, sse) = self
            .post(line)
            .await
            .map_err(|e| format!("transport: {e:#}"))?;
        let read = Instant::now();
        if status != StatusCode::OK {
            return Err(format!(
                "HTTP {status}: {}",
                String::from_utf8_lossy(&body[..body.len().min(160)])
            ));
        }
        Ok((body, sse, read))
    }

    /// POSTs a request and returns the JSON-RPC reply with `id` (JSON or SSE framing).
    pub(crate) async fn call(&mut self, id: u64, line: String) -> Result<Value, String> {
        let (body, sse, _) = self.exchange(line).await?;
        reply_from_body(&body, sse, id)
    }

    async fn open_session(&mut self) -> anyhow::Result<()> {
        let reply = self
            .call(0, jsonrpc::initialize(0))
            .await
            .map_err(anyhow::Error::msg)?;
        jsonrpc::check_initialize_reply(&reply).map_err(anyhow::Error::msg)?;
        if self.session.is_none() {
            bail!("initialize reply carried no Mcp-Session-Id (is the server in session mode?)");
        }
        let (status, _, _) = self.post(jsonrpc::INITIALIZED.to_string()).await?;
        if !status.is_success() {
            bail!("notifications/initialized: HTTP {status}");
        }
        Ok(())
    }
}

/// Extracts the reply with `id` from a JSON body or from the `data:` lines of an SSE body.
pub(crate) fn reply_from_body(body: &[u8], sse: bool, id: u64) -> Result<Value, String> {
    if !sse {
        let v: Value = serde_json::from_slice(body).map_err(|e| format!("bad JSON body: {e}"))?;
        return match jsonrpc::response_id(&v) {
            Some(got) if got == id => Ok(v),
            other => Err(format!("reply id {other:?}, expected {id}")),
        };
    }
    let text = std::str::from_utf8(body).map_err(|e| format!("SSE body not UTF-8: {e}"))?;
    text.lines()
        .filter_map(|l| l.strip_prefix("data:"))
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .filter_map(|d| serde_json::from_str::<Value>(d).ok())
        .find(|v| jsonrpc::response_id(v) == Some(id))
        .ok_or_else(|| format!("no reply to id {id} in SSE body"))
}

async fn connection(
    idx: usize,
    plan: &Plan,
    barrier: &tokio::sync::Barrier,
) -> anyhow::Result<ConnOutcome> {
    let mut out = ConnOutcome {
        latencies: Latencies::new()?,
        errors: Errors::default(),
        measured: 0,
        first: None,
        last: None,
    };
    let mut client = match connect(plan).await {
        Ok(c) => Some(c),
        Err(e) => {
            out.errors.push(format!("connect: {e:#}"));
            None
        }
    };
    let mut id: u64 = 1;
    for _ in 0..plan.warmup {
        if let Some(c) = client.as_mut() {
            let call = &plan.calls[(id as usize) % plan.calls.len()];
            if let Err(e) = c.call(id, call.request(id)).await {
                out.errors.push(format!("warmup: {e}"));
            }
        }
        id += 1;
    }
    barrier.wait().await;

    let quota = match plan.stop {
        Stop::Count(n) => {
            let c = plan.connections as u64;
            Some(n / c + u64::from((idx as u64) < n % c))
        }
        Stop::Duration(_) => None,
    };
    // Open loop: this connection's share of the rate, its sends staggered across connections.
    let interval = plan
        .rate
        .map(|r| Duration::from_secs_f64(plan.connections as f64 / r.max(1e-9)));
    let t0 = Instant::now();
    let offset = interval.map(|i| i.mul_f64(idx as f64 / plan.connections as f64));
    let mut k: u64 = 0;
    loop {
        if quota.is_some_and(|q| k >= q) {
            break;
        }
        let intended = match (interval, offset) {
            (Some(i), Some(o)) => t0 + o + i.mul_f64(k as f64),
            _ => Instant::now(),
        };
        if let Stop::Duration(d) = plan.stop {
            if intended.saturating_duration_since(t0) >= d {
                break;
            }
        }
        if interval.is_some() {
            tokio::time::sleep_until(intended.into()).await;
        }
        let start = if interval.is_some() {
            intended
        } else {
            Instant::now()
        };
        out.first.get_or_insert(start);
        let call = &plan.calls[(id as usize) % plan.calls.len()];
        let exchanged = match client.as_mut() {
            Some(c) => c.exchange(call.request(id)).await,
            None => Err("no connection".to_string()),
        };
        // Latency ends when the body is read; parsing and checking it is the client's time.
        let done = match &exchanged {
            Ok((_, _, read)) => *read,
            Err(_) => Instant::now(),
        };
        let result = exchanged.and_then(|(body, sse, _)| reply_from_body(&body, sse, id));
        match result {
            Ok(reply) => {
                if let Err(e) = jsonrpc::check_tool_reply(&reply, &call.call) {
                    out.errors.push(e);
                }
            }
            Err(e) => {
                let broken = e.starts_with("transport") || e == "no connection";
                out.errors.push(e);
                if broken {
                    // Reconnect once per failure; if that fails too, later calls count as errors.
                    client = connect(plan).await.ok();
                }
            }
        }
        out.latencies
            .record(done.saturating_duration_since(start), done);
        out.measured += 1;
        out.last = Some(done);
        id += 1;
        k += 1;
    }
    Ok(out)
}

async fn connect(plan: &Plan) -> anyhow::Result<Client> {
    let mut c = Client::connect(plan.addr).await?;
    if plan.session {
        c.open_session().await?;
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_reply_in_json_and_sse_bodies() {
        let json = br#"{"jsonrpc":"2.0","id":3,"result":{}}"#;
        assert!(reply_from_body(json, false, 3).is_ok());
        assert!(reply_from_body(json, false, 4).is_err());
        let sse = b"data: \nid: 0\nretry: 3000\n\ndata: {\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}\nid: 1/0\n\n";
        assert!(reply_from_body(sse, true, 3).is_ok());
        assert!(reply_from_body(sse, true, 9).is_err());
    }
}
