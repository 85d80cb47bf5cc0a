//! stdio floods: requests written back to back without waiting for replies. The server's
//! bounded stdio transport stops reading while `--max-concurrent` requests are in flight, so
//! the pipe pushes back on the writer: memory must stay bounded and every request must still
//! be answered (backpressure, not busy errors, is the design: see crates/transport/src/stdio.rs).
//!
//! - writes: `record_assessment` calls to three profiles, each with a note of its own;
//! - large: `csf_lookup` calls padded with whitespace to 1 MiB (valid JSON, same answer);
//! - over-long line: one line past rmcp's 16 MiB line limit, then an ordinary call, which
//!   must still be answered (the long line is refused, the session survives).

use std::{
    io::{BufRead as _, BufWriter, Write as _},
    path::Path,
    sync::mpsc,
    time::{Duration, Instant},
};

use anyhow::Context as _;
use serde_json::Value;

use crate::{
    jsonrpc::{self, PreparedCall},
    procfs,
    record::Errors,
    scenario::{Call, Expect},
    server::{StdioServer, Watchdog},
    soak::{sampler::Sampler, workload},
};

use super::check::Check;

struct StdioCaller<'a>(&'a mut StdioServer);

impl workload::Caller for StdioCaller<'_> {
    fn call(&mut self, id: u64, line: &str) -> anyhow::Result<Value> {
        self.0.send_line(line)?;
        self.0.read_reply(id)
    }
}

fn argv(bin: &str, db: &Path) -> Vec<String> {
    vec![
        bin.into(),
        "--db".into(),
        db.display().to_string(),
        "serve".into(),
    ]
}

/// Pipelines `n` requests (`line(i)`, id `i + 1`) into a fresh server and checks every reply
/// with `check(i, reply)`. Returns (errors, replies, idle RSS, peak RSS, seconds).
fn pipeline(
    argv: &[String],
    n: u64,
    line: &(dyn Fn(u64) -> String + Sync),
    check: &(dyn Fn(u64, &Value) -> Result<(), String> + Sync),
    limit: Duration,
) -> anyhow::Result<(Errors, u64, u64, u64, f64)> {
    let mut server = StdioServer::spawn(argv)?;
    server.initialize().context("initialize")?;
    std::thread::sleep(Duration::from_millis(200));
    let idle = procfs::rss(server.pid).map_or(0, |r| r.rss_kb);
    let pid = server.pid;
    let _watchdog = Watchdog::new(pid, limit);
    let stdin = server.stdin.take().context("stdin")?;
    let t0 = Instant::now();
    let sampler = Sampler::start(pid, t0, Duration::from_millis(100));
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let (errors, replies) = std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut w = BufWriter::with_capacity(1 << 20, stdin);
            for i in 0..n {
                if w.write_all(line(i).as_bytes())
                    .and_then(|_| w.write_all(b"\n"))
                    .is_err()
                {
                    break;
                }
            }
            let _ = w.flush();
            // Keep stdin open until every reply is in: EOF must not race the replies.
            let _ = done_rx.recv();
            drop(w);
        });
        let mut errors = Errors::default();
        let mut seen = vec![false; n as usize];
        let mut replies = 0u64;
        let mut buf = String::new();
        while replies < n {
            buf.clear();
            match server.stdout.read_line(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            let Ok(msg) = serde_json::from_str::<Value>(buf.trim_end()) else {
                errors.push("unparseable line on stdout");
                continue;
            };
            let Some(id) = jsonrpc::response_id(&msg) else {
                continue;
            };
            let i = id.wrapping_sub(1);
            if id == 0 || i >= n || seen[i as usize] {
                errors.push(format!("reply to unexpected id {id}"));
                continue;
            }
            seen[i as usize] = true;
            replies += 1;
            if let Err(e) = check(i, &msg) {
                errors.push(e);
            }
        }
        for _ in replies..n {
            errors.push("no reply (server closed stdout or was killed)");
        }
        let _ = done_tx.send(());
        (errors, replies)
    });
    let secs = t0.elapsed().as_secs_f64();
    let peak = procfs::rss(pid).map_or(0, |r| r.hwm_kb);
    let _ = sampler.finish();
    let _ = server.shutdown(Duration::from_secs(5));
    Ok((errors, replies, idle, peak, secs))
}

fn judge(
    check: &mut Check,
    what: &str,
    n: u64,
    (errors, replies, idle, peak, secs): (Errors, u64, u64, u64, f64),
    max_peak_mib: f64,
) {
    check.figure("requests", n as f64);
    check.figure("replies", replies as f64);
    check.figure("errors", errors.count as f64);
    check.figure("rss_idle_kb", idle as f64);
    check.figure("rss_peak_kb", peak as f64);
    check.figure("seconds", secs);
    check.summary = format!(
        "{n} {what} written without waiting: {replies} replies, {} errors, RSS {:.1} MiB idle → {:.1} MiB peak, {:.1} s",
        errors.count,
        idle as f64 / 1024.0,
        peak as f64 / 1024.0,
        secs
    );
    check.require(
        errors.count == 0,
        format!("{} errors: {}", errors.count, errors.samples.join(" | ")),
    );
    check.require(
        (peak as f64) / 1024.0 <= max_peak_mib,
        format!(
            "peak RSS {:.1} MiB (limit {max_peak_mib} MiB)",
            peak as f64 / 1024.0
        ),
    );
}

/// A flood of `n` writes (each changes its entry: notes alternate between two passes).
pub fn writes(bin: &str, db: &Path, n: u64, max_peak_mib: f64) -> anyhow::Result<Check> {
    let mut check = Check::new("stdio-write-flood");
    let argv = argv(bin, db);
    let setup = {
        let mut s = StdioServer::spawn(&argv)?;
        s.initialize()?;
        let setup = workload::setup(&mut StdioCaller(&mut s), "stdio write flood")?;
        s.shutdown(Duration::from_secs(5))?;
        setup
    };
    let pairs: Vec<(&String, &String)> = setup
        .profiles
        .iter()
        .flat_map(|p| setup.subcategories.iter().map(move |s| (p, s)))
        .collect();
    // Call i writes pair i mod P with a note no other write carries, so every write must
    // report a change whatever order the server runs them in: pipelined requests are handled
    // concurrently (up to --max-concurrent), so two writes to one entry may run out of order.
    let call = |i: u64| -> Call {
        let (p, s) = pairs[(i % pairs.len() as u64) as usize];
        Call {
            tool: "record_assessment".into(),
            arguments: serde_json::json!({"profile_id": p, "entries": [{
                "subcategory_id": s, "status": if i.is_multiple_of(2) { "partially" } else { "largely" },
                "notes": format!("flood write {i}"),
            }]}),
            expect: vec![Expect {
                pointer: "/result/structuredContent/counts/unchanged".into(),
                equals: Some(serde_json::json!(0)),
                min_items: None,
                starts_with: None,
            }],
        }
    };
    let line = |i: u64| PreparedCall::new(&call(i)).request(i + 1);
    let verify = |i: u64, reply: &Value| jsonrpc::check_tool_reply(reply, &call(i));
    let limit = Duration::from_secs(120 + n / 100);
    let r = pipeline(&argv, n, &line, &verify, limit)?;
    judge(&mut check, "record_assessment writes", n, r, max_peak_mib);
    Ok(check)
}

fn lookup_call(id: &str) -> Call {
    Call {
        tool: "csf_lookup".into(),
        arguments: serde_json::json!({"id": id, "detail": "summary"}),
        expect: vec![Expect {
            pointer: "/result/structuredContent/id".into(),
            equals: Some(serde_json::json!(id)),
            min_items: None,
            starts_with: None,
        }],
    }
}

/// Whitespace-padded (still valid) request line of `size` bytes.
fn pad(line: String, size: usize) -> String {
    let mut s = line;
    if s.len() + 1 < size {
        s.pop();
        let n = size - s.len() - 1;
        s.extend(std::iter::repeat_n(' ', n));
        s.push('}');
    }
    s
}

/// A flood of `n` requests of `size` bytes each.
pub fn large(
    bin: &str,
    db: &Path,
    n: u64,
    size: usize,
    max_peak_mib: f64,
) -> anyhow::Result<Check> {
    let mut check = Check::new("stdio-large-request-flood");
    let argv = argv(bin, db);
    let subs = {
        let mut s = StdioServer::spawn(&argv)?;
        s.initialize()?;
        let setup = workload::setup(&mut StdioCaller(&mut s), "stdio large flood")?;
        s.shutdown(Duration::from_secs(5))?;
        setup.subcategories
    };
    let id_of = |i: u64| subs[(i % subs.len() as u64) as usize].clone();
    let line = |i: u64| {
        pad(
            PreparedCall::new(&lookup_call(&id_of(i))).request(i + 1),
            size,
        )
    };
    let verify = |i: u64, reply: &Value| jsonrpc::check_tool_reply(reply, &lookup_call(&id_of(i)));
    let r = pipeline(&argv, n, &line, &verify, Duration::from_secs(180))?;
    check.figure("request_bytes", size as f64);
    judge(
        &mut check,
        &format!("csf_lookup requests of {} KiB", size / 1024),
        n,
        r,
        max_peak_mib,
    );
    Ok(check)
}

/// One line longer than rmcp's 16 MiB limit, then an ordinary call that must be answered.
pub fn overlong_line(bin: &str, db: &Path, size: usize) -> anyhow::Result<Check> {
    let mut check = Check::new("stdio-overlong-line");
    let mut server = StdioServer::spawn(&argv(bin, db))?;
    server.initialize()?;
    let pid = server.pid;
    let _watchdog = Watchdog::new(pid, Duration::from_secs(60));
    let t0 = Instant::now();
    let long = pad(PreparedCall::new(&lookup_call("GV")).request(1), size);
    server.send_line(&long)?;
    let call = lookup_call("GV");
    let reply = server
        .send_line(&PreparedCall::new(&call).request(2))
        .and_then(|()| server.read_reply(2));
    let secs = t0.elapsed().as_secs_f64();
    let peak = procfs::rss(pid).map_or(0, |r| r.hwm_kb);
    let alive = server.child.try_wait().ok().flatten().is_none();
    let _ = server.shutdown(Duration::from_secs(5));
    check.figure("line_bytes", size as f64);
    check.figure("rss_peak_kb", peak as f64);
    check.figure("seconds", secs);
    let answered = reply
        .as_ref()
        .map_err(|e| format!("{e:#}"))
        .and_then(|r| jsonrpc::check_tool_reply(r, &call));
    check.summary = format!(
        "one {:.0} MiB line, then an ordinary call: {}; server {}; peak RSS {:.1} MiB",
        size as f64 / (1024.0 * 1024.0),
        match &answered {
            Ok(()) => "answered".to_string(),
            Err(e) => format!("not answered ({e})"),
        },
        if alive { "still running" } else { "exited" },
        peak as f64 / 1024.0
    );
    check.require(
        answered.is_ok(),
        "the call after an over-long line was not answered",
    );
    Ok(check)
}
