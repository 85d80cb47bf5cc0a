//! Helpers the connection and quota checks share: other client addresses on loopback, an
//! MCP caller from one of them, API keys hashed by the server binary itself, and the raw
//! requests those checks send.

use std::{
    io::Write as _,
    net::{IpAddr, Ipv4Addr, SocketAddr},
    path::Path,
    process::{Command, Stdio},
    time::Duration,
};

use anyhow::{bail, Context as _};
use serde_json::Value;

use crate::{
    jsonrpc::PROTOCOL_VERSION,
    raw_http,
    soak::workload::{self, Caller},
};

/// `BIN --db DB serve --http ADDR FLAGS…`
pub fn server_argv(bin: &str, db: &Path, addr: SocketAddr, flags: &[&str]) -> Vec<String> {
    let mut v = vec![
        bin.to_string(),
        "--db".into(),
        db.display().to_string(),
        "serve".into(),
        "--http".into(),
        addr.to_string(),
    ];
    v.extend(flags.iter().map(|s| s.to_string()));
    v
}

/// The loopback address 127.0.0.`n`: on Linux all of 127.0.0.0/8 is loopback, and the server
/// counts each address as another client.
pub fn client_ip(n: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, 0, 0, n))
}

/// Blocking `tools/call` over HTTP from a chosen client address, optionally with an API key.
pub struct CallerFrom {
    pub from: IpAddr,
    pub addr: SocketAddr,
    pub key: Option<String>,
}

impl Caller for CallerFrom {
    fn call(&mut self, id: u64, line: &str) -> anyhow::Result<Value> {
        let request = mcp_post(self.addr, self.key.as_deref(), None, line);
        crate::soak::http_call(Some(self.from), self.addr, &request, id)
    }
}

/// One ordinary workload call from `from`, checked.
pub fn one_call_from(
    from: IpAddr,
    addr: SocketAddr,
    setup: &workload::Setup,
    k: u64,
) -> anyhow::Result<()> {
    let (_, call) = workload::call(setup, k);
    let id = workload::FIRST_ID + k;
    let mut caller = CallerFrom {
        from,
        addr,
        key: None,
    };
    let reply = caller.call(id, &crate::jsonrpc::PreparedCall::new(&call).request(id))?;
    crate::jsonrpc::check_tool_reply(&reply, &call).map_err(anyhow::Error::msg)
}

/// A complete `POST /mcp` (`Connection: close`) with an optional API key and session id.
pub fn mcp_post(addr: SocketAddr, key: Option<&str>, session: Option<&str>, body: &str) -> Vec<u8> {
    let mut head = format!(
        "POST /mcp HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: {PROTOCOL_VERSION}\r\n\
         Connection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(key) = key {
        head.push_str(&format!("X-API-Key: {key}\r\n"));
    }
    if let Some(session) = session {
        head.push_str(&format!("Mcp-Session-Id: {session}\r\n"));
    }
    head.push_str("\r\n");
    head.push_str(body);
    head.into_bytes()
}

/// A GET with `Connection: close` and extra header lines (each ending in CRLF).
pub fn get(addr: SocketAddr, method: &str, path: &str, extra: &str) -> Vec<u8> {
    format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}Connection: close\r\n\r\n")
        .into_bytes()
}

/// A key that is unique to this run (the checks need keys, not secrets).
pub fn run_key(name: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("flood-{name}-{}-{nanos:09}-key", std::process::id())
}

/// `NAME:SCOPES:SHA256` for `--api-key`, hashed by the server's own `hash-key` command.
pub fn key_spec(bin: &str, name: &str, scopes: &str, key: &str) -> anyhow::Result<String> {
    let mut child = Command::new(bin)
        .arg("hash-key")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("spawn {bin} hash-key"))?;
    child
        .stdin
        .take()
        .context("hash-key stdin")?
        .write_all(key.as_bytes())?;
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!("hash-key: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(format!(
        "{name}:{scopes}:{}",
        String::from_utf8_lossy(&out.stdout).trim()
    ))
}

/// How many series (sample lines) a `/metrics` text holds.
pub fn series_count(metrics: &str) -> usize {
    metrics
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .count()
}

/// `GET /metrics` from `from`: the body, or why not.
pub fn scrape(from: IpAddr, addr: SocketAddr) -> anyhow::Result<String> {
    let a = raw_http::exchange_from(
        Some(from),
        addr,
        &get(addr, "GET", "/metrics", ""),
        Duration::from_secs(10),
    )
    .map_err(|e| anyhow::anyhow!("GET /metrics: {e}"))?;
    if a.status != 200 {
        bail!("GET /metrics: HTTP {}", a.status);
    }
    Ok(String::from_utf8_lossy(&a.body).into_owned())
}
