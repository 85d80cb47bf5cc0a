//! An MCP server process serving Streamable HTTP on loopback, its stderr in a log file the test
//! can read, killed when the handle is dropped; and [`HttpMcpClient`], tool calls over it.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::http::{HttpError, Request};
use crate::rpc::{request, response_in_body, McpClient};

/// How long a server may take to answer its readiness probe.
pub const READY_WITHIN: Duration = Duration::from_secs(30);

/// A loopback port free right now (bound, then released for a server to take; a server that
/// loses the race fails to start, and [`HttpServer::start`] tries another port).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

pub struct HttpServer {
    child: Child,
    /// `127.0.0.1:<port>`.
    pub addr: String,
    log: PathBuf,
}

impl HttpServer {
    /// Spawns `command`, which must serve HTTP on `addr`, with its stderr appended to `log`, and
    /// waits until `GET <probe>` answers 200. None when the process exits first or is not ready
    /// within [`READY_WITHIN`] (most likely the port was taken); the process is gone then.
    pub fn spawn(mut command: Command, addr: &str, log: &Path, probe: &str) -> Option<HttpServer> {
        let stderr = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .expect("server log file");
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {:?}: {e}", command.get_program()));
        let mut server = HttpServer {
            child,
            addr: addr.to_string(),
            log: log.to_path_buf(),
        };
        server.wait_ready(probe).then_some(server)
    }

    /// Starts the command `make(addr)` builds for a free loopback address, trying other ports
    /// when one is taken between probe and bind; panics (showing the log) after five tries.
    pub fn start(make: impl Fn(&str) -> Command, log: &Path, probe: &str) -> HttpServer {
        for _ in 0..5 {
            let addr = format!("127.0.0.1:{}", free_port());
            if let Some(server) = HttpServer::spawn(make(&addr), &addr, log, probe) {
                return server;
            }
        }
        panic!(
            "HTTP server did not become ready: {}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
    }

    fn wait_ready(&mut self, probe: &str) -> bool {
        let deadline = Instant::now() + READY_WITHIN;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return false;
            }
            let answer = Request::new("GET", probe).send_within(&self.addr, Duration::from_secs(5));
            if matches!(answer, Ok(a) if a.status == 200) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.kill9();
        false
    }

    /// Sends `r` to this server.
    pub fn send(&self, r: &Request) -> Result<crate::http::Answer, HttpError> {
        r.send(&self.addr)
    }

    /// A client calling tools with `bearer` as its credential (None: no credential).
    pub fn client(&self, bearer: Option<&str>) -> HttpMcpClient {
        HttpMcpClient {
            addr: self.addr.clone(),
            bearer: bearer.map(str::to_string),
            next_id: 1,
        }
    }

    /// Everything the server wrote to stderr so far.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Stops the server (SIGKILL: stderr is unbuffered, so nothing written is lost) and returns
    /// its stderr.
    pub fn stop(mut self) -> String {
        self.kill9();
        self.stderr()
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// Stateless JSON-RPC over `POST /mcp` (no initialize needed in the default mode).
pub struct HttpMcpClient {
    addr: String,
    bearer: Option<String>,
    next_id: i64,
}

impl McpClient for HttpMcpClient {
    fn call(&mut self, name: &str, args: Value) -> Value {
        self.next_id += 1;
        let mut r = Request::mcp(request(self.next_id, name, args).to_string());
        if let Some(secret) = &self.bearer {
            r = r.bearer(secret);
        }
        let answer = r
            .send(&self.addr)
            .unwrap_or_else(|e| panic!("{name} over HTTP to {}: {e}", self.addr));
        if answer.status != 200 {
            // Shown to the caller as a JSON-RPC error so tests treat it as not acknowledged.
            return json!({"jsonrpc": "2.0", "id": self.next_id,
                "error": {"code": -1, "message": format!("HTTP {}: {}", answer.status, answer.text())}});
        }
        response_in_body(&answer.body)
            .unwrap_or_else(|| panic!("{name}: unreadable HTTP answer body: {}", answer.body))
    }
}
