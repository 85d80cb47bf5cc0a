//! A server process driven over stdio: sequential calls, or pipelined requests from another
//! thread with responses collected as they come, and `kill -9` at a chosen moment. Every wait
//! is bounded; a line cut short by the kill is dropped, never taken as a response.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::client::{request, McpClient};

pub struct Proc {
    pub child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<Value>,
    next_id: i64,
}

impl Proc {
    /// Spawns `nist-csf-mcp serve --db <db>` acting as `principal`, stderr appended to `log`,
    /// and completes the initialize handshake.
    pub fn start(db: &str, principal: &str, log: &Path) -> Proc {
        let stderr = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .expect("server log file");
        let mut child = Command::new(env!("CARGO_BIN_EXE_nist-csf-mcp"))
            .args(["serve", "--db", db])
            .env("CSF_PRINCIPAL", principal)
            .env("CSF_LOG", "warn,rmcp=error")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("spawn server");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                // A line cut short by kill -9 does not parse: it was never a response.
                let Ok(v) = serde_json::from_str::<Value>(&line) else {
                    continue;
                };
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        let mut p = Proc {
            child,
            stdin,
            lines,
            next_id: 1_000_000,
        };
        p.send(
            &json!({"jsonrpc":"2.0","id":0,"method":"initialize","params":{
            "protocolVersion":"2025-11-25","capabilities":{},
            "clientInfo":{"name":"crash-test","version":"1"}}}),
        );
        p.wait_for(0, Duration::from_secs(30))
            .expect("initialize answered");
        p.send(&json!({"jsonrpc":"2.0","method":"notifications/initialized"}));
        p
    }

    /// Writes one request line; false once the process is gone.
    pub fn send(&mut self, v: &Value) -> bool {
        match self.stdin.as_mut() {
            Some(stdin) => write_line(stdin, v),
            None => false,
        }
    }

    /// Hands stdin to a writer thread (pipelined requests); `send` no longer works after.
    pub fn take_stdin(&mut self) -> ChildStdin {
        self.stdin.take().expect("stdin still here")
    }

    /// The next complete response line, whatever its id.
    pub fn recv(&mut self, timeout: Duration) -> Option<Value> {
        self.lines.recv_timeout(timeout).ok()
    }

    /// The response with this id (others are dropped), or None after `timeout`.
    pub fn wait_for(&mut self, id: i64, timeout: Duration) -> Option<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let v = self.lines.recv_timeout(left).ok()?;
            if v["id"] == id {
                return Some(v);
            }
        }
    }

    /// SIGKILL now (std's `Child::kill` is SIGKILL on Unix), then reap.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Closes stdin and waits (bounded) for a clean exit.
    pub fn stop(mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(status.success(), "server exit status {status}");
                return;
            }
            assert!(Instant::now() < deadline, "server did not exit after EOF");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        // A failed assertion must not leave a server behind.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl McpClient for Proc {
    fn call(&mut self, name: &str, args: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        assert!(self.send(&request(id, name, args)), "server stdin closed");
        self.wait_for(id, Duration::from_secs(60))
            .unwrap_or_else(|| panic!("no answer to {name} within 60 s"))
    }
}

/// Writes one JSON line; false when the pipe is closed (the process died).
pub fn write_line(stdin: &mut ChildStdin, v: &Value) -> bool {
    let mut line = v.to_string().into_bytes();
    line.push(b'\n');
    stdin.write_all(&line).and_then(|()| stdin.flush()).is_ok()
}
