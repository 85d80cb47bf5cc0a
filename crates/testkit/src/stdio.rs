//! An MCP server process driven over stdio: requests written as lines, answers collected by a
//! reader thread as they come (so requests can also be pipelined from another thread), and
//! `kill -9` at a chosen moment. Every wait is bounded. Stdout carries nothing but the protocol:
//! a line that is not JSON fails the test, except the last line of a process this handle killed
//! (cut short by the kill, it was never an answer).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::rpc::{initialize, initialized, request, McpClient};

/// How long a single answer may take unless the caller says otherwise.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(60);

/// Ids the handle numbers its own requests from: far from any id a test writes by hand.
const FIRST_OWN_ID: i64 = 1_000_000;

pub struct StdioServer {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    next_id: i64,
    killed: bool,
}

impl StdioServer {
    /// Spawns `command` (stdin and stdout are piped here; stderr is the command's) and completes
    /// the initialize handshake as a client named `client`.
    pub fn start(command: Command, client: &str) -> StdioServer {
        let mut s = StdioServer::spawn(command);
        s.send(initialize(0, client));
        s.response(0);
        s.send(initialized());
        s
    }

    /// Spawns `command` without any handshake.
    pub fn spawn(mut command: Command) -> StdioServer {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {:?}: {e}", command.get_program()));
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
        StdioServer {
            child,
            stdin,
            lines,
            next_id: FIRST_OWN_ID,
            killed: false,
        }
    }

    /// The process id (for /proc readings).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Writes one message as a line; false once the process is gone.
    pub fn send(&mut self, v: Value) -> bool {
        self.send_raw(v.to_string().as_bytes())
    }

    /// Writes one line of arbitrary bytes (hostile input); false once the process is gone.
    pub fn send_raw(&mut self, bytes: &[u8]) -> bool {
        match self.stdin.as_mut() {
            Some(stdin) => write_line(stdin, bytes),
            None => false,
        }
    }

    /// Hands stdin to a writer thread (pipelined requests); `send` writes nothing after this.
    pub fn take_stdin(&mut self) -> ChildStdin {
        self.stdin.take().expect("stdin still here")
    }

    /// The next message, or None when nothing complete arrives within `quiet`.
    pub fn next_message(&mut self, quiet: Duration) -> Option<Value> {
        let deadline = Instant::now() + quiet;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let line = self.lines.recv_timeout(left).ok()?;
            match serde_json::from_str(&line) {
                Ok(v) => return Some(v),
                Err(_) if self.killed => continue,
                Err(e) => panic!("stdout line is not JSON ({e}): {line:.200}"),
            }
        }
    }

    /// Every message written until (and including) the response with this id, or None after
    /// `timeout`.
    pub fn messages_until(&mut self, id: i64, timeout: Duration) -> Option<Vec<Value>> {
        let deadline = Instant::now() + timeout;
        let mut seen = Vec::new();
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let v = self.next_message(left)?;
            let done = v["id"] == id;
            seen.push(v);
            if done {
                return Some(seen);
            }
        }
    }

    /// The response with this id (other messages are dropped), or None after `timeout`.
    pub fn try_response(&mut self, id: i64, timeout: Duration) -> Option<Value> {
        self.messages_until(id, timeout)?.pop()
    }

    /// The response with this id; panics after [`ANSWER_WITHIN`].
    pub fn response(&mut self, id: i64) -> Value {
        self.try_response(id, ANSWER_WITHIN)
            .unwrap_or_else(|| panic!("no response to id {id} within {ANSWER_WITHIN:?}"))
    }

    /// Sends a request with the next id of its own and returns the whole response.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let sent = self.send(serde_json::json!({
            "jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        assert!(sent, "{method}: server stdin closed");
        self.response(id)
    }

    /// SIGKILL now (std's `Child::kill` is SIGKILL on Unix), then reap. Answers written
    /// completely before the kill can still be read.
    pub fn kill9(&mut self) {
        self.killed = true;
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Closes stdin and waits (at most 20 s) for a clean exit (status 0) after end of input.
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

impl McpClient for StdioServer {
    fn call(&mut self, name: &str, args: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        assert!(self.send(request(id, name, args)), "server stdin closed");
        self.response(id)
    }
}

impl Drop for StdioServer {
    fn drop(&mut self) {
        // A failed assertion must not leave a server behind.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Writes one line; false when the pipe is closed (the process died).
pub fn write_line(stdin: &mut ChildStdin, bytes: &[u8]) -> bool {
    stdin
        .write_all(bytes)
        .and_then(|()| stdin.write_all(b"\n"))
        .and_then(|()| stdin.flush())
        .is_ok()
}
