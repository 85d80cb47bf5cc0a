//! A server process spoken to over stdio: spawn, handshake, and a watchdog that kills it
//! if a run overstays, so a hung server fails the run instead of hanging the harness.

use std::{
    ffi::OsString,
    io::{BufRead as _, BufReader, Write as _},
    process::{Child, ChildStdin, ChildStdout, Command, Stdio},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use anyhow::{bail, Context as _};
use serde_json::Value;

use crate::jsonrpc;

/// Variables a measured server inherits: what it needs to find its default database and to
/// be run under valgrind, and whatever configures it (`CSF_*`, the allocator's `MIMALLOC_*`).
/// Nothing else: start-up instructions grow by ~2.5-3.7 k per environment variable (mimalloc
/// scans the environment once per option at load), so runs from different shells or CI jobs
/// would otherwise differ by more than the gate's bounds.
pub fn measured_environment(
    vars: impl Iterator<Item = (OsString, OsString)>,
) -> impl Iterator<Item = (OsString, OsString)> {
    const NAMES: [&str; 5] = ["PATH", "HOME", "USER", "XDG_DATA_HOME", "TMPDIR"];
    const PREFIXES: [&str; 3] = ["CSF_", "MIMALLOC_", "VALGRIND_"];
    vars.filter(|(name, _)| {
        let name = name.to_string_lossy();
        NAMES.contains(&name.as_ref()) || PREFIXES.iter().any(|p| name.starts_with(p))
    })
}

/// A spawned stdio server with its pipes.
pub struct StdioServer {
    pub child: Child,
    pub stdin: Option<ChildStdin>,
    pub stdout: BufReader<ChildStdout>,
    pub pid: u32,
}

impl StdioServer {
    /// Starts `argv` with piped stdin/stdout; stderr is discarded (servers log there).
    pub fn spawn(argv: &[String]) -> anyhow::Result<Self> {
        let (prog, args) = argv.split_first().context("empty command")?;
        let mut child = Command::new(prog)
            .args(args)
            .env_clear()
            .envs(measured_environment(std::env::vars_os()))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("spawn {}", argv.join(" ")))?;
        let pid = child.id();
        let stdin = child.stdin.take().context("no stdin pipe")?;
        let stdout = BufReader::new(child.stdout.take().context("no stdout pipe")?);
        Ok(Self {
            child,
            stdin: Some(stdin),
            stdout,
            pid,
        })
    }

    /// Sends `initialize`, waits for its reply, sends `notifications/initialized`.
    /// Returns the time from the first byte written to the reply read.
    pub fn initialize(&mut self) -> anyhow::Result<Duration> {
        let t0 = Instant::now();
        self.send_line(&jsonrpc::initialize(0))?;
        let reply = self.read_reply(0)?;
        let elapsed = t0.elapsed();
        jsonrpc::check_initialize_reply(&reply).map_err(anyhow::Error::msg)?;
        self.send_line(jsonrpc::INITIALIZED)?;
        Ok(elapsed)
    }

    pub fn send_line(&mut self, line: &str) -> anyhow::Result<()> {
        let stdin = self.stdin.as_mut().context("stdin already closed")?;
        stdin.write_all(line.as_bytes())?;
        stdin.write_all(b"\n")?;
        stdin.flush()?;
        Ok(())
    }

    /// Reads lines until the response with `id`; server notifications are skipped.
    pub fn read_reply(&mut self, id: u64) -> anyhow::Result<Value> {
        let mut line = String::new();
        loop {
            line.clear();
            if self.stdout.read_line(&mut line)? == 0 {
                bail!("server closed stdout before replying to id {id}");
            }
            let msg: Value = serde_json::from_str(line.trim_end())
                .with_context(|| format!("not JSON on stdout: {}", line.trim_end()))?;
            if jsonrpc::response_id(&msg) == Some(id) {
                return Ok(msg);
            }
        }
    }

    /// Closes stdin (the server's cue to exit) and waits up to `grace` before killing it.
    pub fn shutdown(mut self, grace: Duration) -> anyhow::Result<std::process::ExitStatus> {
        drop(self.stdin.take());
        let deadline = Instant::now() + grace;
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status);
            }
            if Instant::now() >= deadline {
                let _ = self.child.kill();
                return Ok(self.child.wait()?);
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

/// Kills a process if not disarmed before `limit`; dropping it disarms it.
pub struct Watchdog {
    armed: Arc<AtomicBool>,
}

impl Watchdog {
    pub fn new(pid: u32, limit: Duration) -> Self {
        let armed = Arc::new(AtomicBool::new(true));
        let flag = armed.clone();
        std::thread::spawn(move || {
            let deadline = Instant::now() + limit;
            while Instant::now() < deadline {
                if !flag.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if flag.load(Ordering::Relaxed) {
                tracing::error!(pid, "watchdog: run exceeded {limit:?}, killing server");
                kill(pid);
            }
        });
        Self { armed }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.armed.store(false, Ordering::Relaxed);
    }
}

/// SIGKILL to one process we started.
#[allow(unsafe_code)] // one libc call, its SAFETY note inside
pub fn kill(pid: u32) {
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        // SAFETY: kill(2) with a pid we spawned and a constant signal has no memory effects.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use super::measured_environment;

    #[test]
    fn servers_get_only_the_variables_that_configure_or_locate_them() {
        let vars = [
            "PATH",
            "HOME",
            "CSF_DB",
            "MIMALLOC_VERBOSE",
            "TERM",
            "MAKEFLAGS",
            "CARGO_HOME",
            "PWD",
        ]
        .map(|n| (OsString::from(n), OsString::from("x")));
        let kept: Vec<String> = measured_environment(vars.into_iter())
            .map(|(n, _)| n.to_string_lossy().into_owned())
            .collect();
        assert_eq!(kept, ["PATH", "HOME", "CSF_DB", "MIMALLOC_VERBOSE"]);
    }
}
