//! `serve --http` processes on loopback and a minimal blocking HTTP/1.1 client for them (std
//! sockets only: one request per connection, `Connection: close`). Every wait is bounded.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::client::{request, McpClient};

const IO_TIMEOUT: Duration = Duration::from_secs(60);

/// An API key the servers accept: its name (the principal recorded) and its secret.
#[derive(Clone, Debug)]
pub struct Key {
    pub name: String,
    pub secret: String,
}

impl Key {
    pub fn new(name: &str) -> Key {
        Key {
            name: name.to_string(),
            secret: format!("secret-of-{name}-for-tests-only"),
        }
    }

    /// The `--api-key` value for it (scopes joined by '+').
    fn spec(&self, scopes: &str) -> String {
        format!(
            "{}:{scopes}:{}",
            self.name,
            csf_transport::hash_key(&self.secret)
        )
    }
}

pub struct HttpServer {
    child: Child,
    pub addr: String,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl HttpServer {
    /// Starts `serve --http 127.0.0.1:<free port> --db <db> --auth api-key` with the given
    /// keys (scope write, which includes read) and waits until /readyz answers 200.
    pub fn start(db: &str, keys: &[Key], log: &Path) -> HttpServer {
        let specs: Vec<String> = keys.iter().map(|k| k.spec("write")).collect();
        for _ in 0..5 {
            let addr = format!("127.0.0.1:{}", free_port());
            let stderr = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .expect("server log file");
            let child = Command::new(env!("CARGO_BIN_EXE_nist-csf-mcp"))
                .args(["serve", "--http", &addr, "--db", db, "--auth", "api-key"])
                .arg("--api-key")
                .arg(specs.join(","))
                .env("CSF_LOG", "warn,rmcp=error")
                .env_remove("CSF_API_KEYS")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(stderr)
                .spawn()
                .expect("spawn HTTP server");
            let mut server = HttpServer { child, addr };
            if server.wait_ready() {
                return server;
            }
            // Most likely the port was taken between probe and bind: try another.
            server.kill9();
        }
        panic!("HTTP server did not become ready (see {})", log.display());
    }

    fn wait_ready(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return false;
            }
            if let Ok((200, _)) = exchange(&self.addr, "GET", "/readyz", None, "") {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// A client of this server using `key`.
    pub fn client(&self, key: &Key) -> HttpClient {
        HttpClient {
            addr: self.addr.clone(),
            secret: key.secret.clone(),
            next_id: 1,
        }
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// Stateless JSON-RPC over `POST /mcp` (no initialize needed in the default mode).
pub struct HttpClient {
    addr: String,
    secret: String,
    next_id: i64,
}

impl McpClient for HttpClient {
    fn call(&mut self, name: &str, args: Value) -> Value {
        self.next_id += 1;
        let body = request(self.next_id, name, args).to_string();
        let (status, text) = exchange(&self.addr, "POST", "/mcp", Some(&self.secret), &body)
            .unwrap_or_else(|e| panic!("{name} over HTTP to {}: {e}", self.addr));
        if status != 200 {
            // Shown to the caller as a JSON-RPC error so tests treat it as not acknowledged.
            return json!({"jsonrpc": "2.0", "id": self.next_id,
                "error": {"code": -1, "message": format!("HTTP {status}: {text}")}});
        }
        json_rpc_body(&text)
            .unwrap_or_else(|| panic!("{name}: unreadable HTTP answer body: {text}"))
    }
}

/// The JSON-RPC message in an answer body: plain JSON, or the `data:` line of an SSE stream
/// that carries a response (rmcp streams when a handler notifies before answering).
fn json_rpc_body(text: &str) -> Option<Value> {
    if let Ok(v) = serde_json::from_str::<Value>(text.trim()) {
        return Some(v);
    }
    text.lines()
        .filter_map(|l| l.strip_prefix("data:"))
        .filter_map(|d| serde_json::from_str::<Value>(d.trim()).ok())
        .find(|v| v.get("id").is_some() && (v.get("result").is_some() || v.get("error").is_some()))
}

/// One HTTP/1.1 request on a fresh connection; returns (status, body).
pub fn exchange(
    addr: &str,
    method: &str,
    path: &str,
    bearer: Option<&str>,
    body: &str,
) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(IO_TIMEOUT))?;
    s.set_write_timeout(Some(IO_TIMEOUT))?;
    let auth = bearer
        .map(|k| format!("Authorization: Bearer {k}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2025-11-25\r\n\
         {auth}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes())?;
    s.write_all(body.as_bytes())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let bad = |why: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, why.to_string());
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut payload = raw[split + 4..].to_vec();
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no status"))?;
    let chunked = head.lines().any(|l| {
        l.to_ascii_lowercase().starts_with("transfer-encoding:")
            && l.to_ascii_lowercase().contains("chunked")
    });
    if chunked {
        payload = dechunk(&payload).ok_or_else(|| bad("bad chunked body"))?;
    }
    Ok((status, String::from_utf8_lossy(&payload).to_string()))
}

fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = b.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&b[..eol]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        b = &b[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(b.get(..size)?);
        b = b.get(size + 2..)?;
    }
}
