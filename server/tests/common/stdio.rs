//! A minimal line-based MCP client over a spawned server process, for tests (every wait is
//! bounded).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

pub struct StdioServer {
    pub child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
}

impl StdioServer {
    /// Spawns `nist-csf-mcp serve <args>` and completes the initialize handshake.
    pub fn start(args: &[&str]) -> StdioServer {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nist-csf-mcp"))
            .arg("serve")
            .args(args)
            .env("CSF_PRINCIPAL", "process-test")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn server");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut s = StdioServer {
            child,
            stdin,
            lines,
        };
        s.send(
            json!({"jsonrpc":"2.0","id":0,"method":"initialize","params":{
            "protocolVersion":"2025-11-25","capabilities":{},
            "clientInfo":{"name":"process-test","version":"1"}}}),
        );
        s.response(0);
        s.send(json!({"jsonrpc":"2.0","method":"notifications/initialized"}));
        s
    }

    pub fn send(&mut self, v: Value) {
        self.send_raw(v.to_string().as_bytes());
    }

    /// Writes one line of arbitrary bytes (hostile-input tests).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        // A write to a killed server fails; the caller is about to find out anyway.
        let _ = stdin.write_all(bytes);
        let _ = stdin.write_all(b"\n");
        let _ = stdin.flush();
    }

    /// The response with this id, or None after `timeout`.
    pub fn try_response(&mut self, id: i64, timeout: Duration) -> Option<Value> {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(std::time::Instant::now())?;
            let line = self.lines.recv_timeout(left).ok()?;
            let v: Value = serde_json::from_str(&line).expect("JSON line");
            if v["id"] == id {
                return Some(v);
            }
        }
    }

    /// Every message written until (and including) the response with this id, or None after
    /// `timeout`; each line must be JSON (stdout carries nothing but the protocol).
    pub fn messages_until(&mut self, id: i64, timeout: Duration) -> Option<Vec<Value>> {
        let deadline = std::time::Instant::now() + timeout;
        let mut seen = Vec::new();
        loop {
            let left = deadline.checked_duration_since(std::time::Instant::now())?;
            let line = self.lines.recv_timeout(left).ok()?;
            let v: Value = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {line:.200}"));
            let done = v["id"] == id;
            seen.push(v);
            if done {
                return Some(seen);
            }
        }
    }

    /// The next message, or None when nothing arrives within `quiet`.
    pub fn next_message(&mut self, quiet: Duration) -> Option<Value> {
        let line = self.lines.recv_timeout(quiet).ok()?;
        Some(
            serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {line:.200}")),
        )
    }

    pub fn response(&mut self, id: i64) -> Value {
        self.try_response(id, Duration::from_secs(60))
            .unwrap_or_else(|| panic!("no response to id {id} within 60 s"))
    }

    /// Calls a tool and returns the whole JSON-RPC response.
    pub fn call(&mut self, id: i64, name: &str, args: Value) -> Value {
        self.send(json!({"jsonrpc":"2.0","id":id,"method":"tools/call",
            "params":{"name":name,"arguments":args}}));
        self.response(id)
    }

    /// Calls a tool; panics on a protocol error or an isError result.
    pub fn tool(&mut self, id: i64, name: &str, args: Value) -> Value {
        let v = self.call(id, name, args);
        assert_ne!(v["result"]["isError"], true, "{name}: {v}");
        v["result"]["structuredContent"].clone()
    }

    /// Closes stdin and waits for a clean exit (status 0) after end of input.
    pub fn stop(mut self) {
        drop(self.stdin.take());
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(status.success(), "exit status {status}");
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "server did not exit after EOF"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
