//! Session and slot hogging: one read-only key tries to take every session under
//! `--max-sessions` and every slot under `--max-concurrent`, then the other keys ask for theirs.
//!
//! Sessions: a server with `--sessions --max-sessions 40` and three keys; the reader first
//! sends a burst of initializes at once (each held back by its last body byte, then all
//! released, so that each is checked before any has opened a session), then opens sessions one
//! by one until refused, then the writer and the admin open theirs. Slots: a stateless
//! server with `--max-concurrent 8`; the reader holds 8 slow uploads (bodies that never
//! finish), then the writer makes a call. Checked: the reader got a quarter of each cap and
//! 429 past it; the writer and the admin were served.

use std::{
    io::{Read as _, Write as _},
    path::Path,
    time::{Duration, Instant},
};

use crate::{
    jsonrpc, procfs, raw_http,
    runner::{free_addr, HttpServer},
};

use super::{
    check::Check,
    clients::{client_ip, key_spec, mcp_post, run_key, server_argv},
};

const MAX_SESSIONS: u64 = 40;
const MAX_CONCURRENT: usize = 8;
/// Initializes the reader sends at once (within its concurrency share at the default
/// `--max-concurrent`).
const BURST: usize = 16;

fn call_body() -> String {
    serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": "csf_lookup", "arguments": {"id": "GV"}}})
    .to_string()
}

pub fn session_hogging(bin: &str, db: &Path, attempts: u64) -> anyhow::Result<Check> {
    let mut check = Check::new("http-session-hogging");
    let addr = free_addr()?;
    let (reader, writer, admin) = (run_key("reader"), run_key("writer"), run_key("admin"));
    let mut keys = Vec::new();
    for (name, scopes, key) in [
        ("reader", "read", &reader),
        ("writer", "read+write", &writer),
        ("admin", "admin", &admin),
    ] {
        keys.push("--api-key".to_string());
        keys.push(key_spec(bin, name, scopes, key)?);
    }
    let argv = |addr: std::net::SocketAddr, mode: &[&str]| -> Vec<String> {
        let mut v = server_argv(bin, db, addr, mode);
        v.extend(["--auth".to_string(), "api-key".to_string()]);
        v.extend(keys.iter().cloned());
        v
    };
    let max_sessions = MAX_SESSIONS.to_string();
    let mut server = HttpServer::start(
        &argv(addr, &["--sessions", "--max-sessions", &max_sessions]),
        addr,
    )?;
    let pid = server.pid();
    let rss0 = procfs::rss(pid).map_or(0, |r| r.rss_kb);
    let deadline = Duration::from_secs(10);
    let initialize = |key: &str| {
        raw_http::exchange(
            addr,
            &mcp_post(addr, Some(key), None, &jsonrpc::initialize(1)),
            deadline,
        )
    };
    // 1. Sessions: a burst, then one by one.
    let (mut created, mut refused, mut other) = (0u64, 0u64, Vec::new());
    let t0 = Instant::now();
    let burst_request = mcp_post(addr, Some(&reader), None, &jsonrpc::initialize(1));
    let (held_back, last) = burst_request.split_at(burst_request.len() - 1);
    let mut burst = Vec::new();
    for _ in 0..BURST {
        let mut stream = raw_http::connect(Some(client_ip(1)), addr, deadline)?;
        stream.write_all(held_back)?;
        burst.push(stream);
    }
    std::thread::sleep(Duration::from_millis(100));
    for stream in &mut burst {
        stream.write_all(last)?;
    }
    for mut stream in burst {
        stream.set_read_timeout(Some(deadline))?;
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer).to_ascii_lowercase();
        if answer.starts_with("http/1.1 200") && answer.contains("mcp-session-id:") {
            created += 1;
        } else if answer.starts_with("http/1.1 429") {
            refused += 1;
        } else {
            other.push(format!(
                "burst: {}",
                answer.lines().next().unwrap_or("no answer")
            ));
        }
    }
    let burst_created = created;
    for _ in 0..attempts {
        match initialize(&reader) {
            Ok(a) if a.status == 200 && a.header("mcp-session-id").is_some() => created += 1,
            Ok(a) if a.status == 429 && a.header("retry-after").is_some() => refused += 1,
            Ok(a) => other.push(format!("HTTP {}", a.status)),
            Err(e) => other.push(e.to_string()),
        }
    }
    let sessions_s = t0.elapsed().as_secs_f64();
    let status = |r: Result<raw_http::Answer, raw_http::Failure>| r.map_or(0, |a| a.status);
    let writer_session = status(initialize(&writer));
    let admin_session = status(initialize(&admin));
    let rss_sessions = procfs::rss(pid).map_or(0, |r| r.rss_kb);
    let alive = procfs::rss(pid).is_some();
    server.stop();
    // 2. Slots, on a stateless server: the reader's slow uploads (headers, then one byte of a
    // 500-byte body).
    let addr = free_addr()?;
    let max_concurrent = MAX_CONCURRENT.to_string();
    let mut server = HttpServer::start(&argv(addr, &["--max-concurrent", &max_concurrent]), addr)?;
    let pid = server.pid();
    let head = format!(
        "POST /mcp HTTP/1.1\r\nHost: {addr}\r\nX-API-Key: {reader}\r\n\
         Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n\
         MCP-Protocol-Version: {}\r\nContent-Length: 500\r\n\r\n{{",
        jsonrpc::PROTOCOL_VERSION
    );
    let mut slow = Vec::new();
    for _ in 0..MAX_CONCURRENT {
        let mut stream = raw_http::connect(Some(client_ip(1)), addr, deadline)?;
        stream.write_all(head.as_bytes())?;
        slow.push(stream);
    }
    std::thread::sleep(Duration::from_millis(600));
    // An upload refused at once has its answer waiting; a held one has nothing to read.
    let (mut held, mut slow_refused) = (0u64, 0u64);
    for stream in &mut slow {
        stream.set_read_timeout(Some(Duration::from_millis(200)))?;
        let mut buf = [0u8; 64];
        match stream.read(&mut buf) {
            Ok(n) if n > 0 && buf.starts_with(b"HTTP/1.1 429") => slow_refused += 1,
            Ok(_) => {}
            Err(_) => held += 1,
        }
    }
    let writer_call = raw_http::exchange(
        addr,
        &mcp_post(addr, Some(&writer), None, &call_body()),
        deadline,
    );
    let writer_call_status = writer_call.as_ref().map_or(0, |a| a.status);
    let rss_slots = procfs::rss(pid).map_or(0, |r| r.rss_kb);
    drop(slow);
    let alive = alive && procfs::rss(pid).is_some();
    server.stop();
    let session_share = (MAX_SESSIONS / 4).max(1);
    let slot_share = (MAX_CONCURRENT as u64 / 4).max(1);
    check.figure("max_sessions", MAX_SESSIONS as f64);
    check.figure("reader_session_attempts", (attempts + BURST as u64) as f64);
    check.figure("reader_burst_initializes", BURST as f64);
    check.figure("reader_burst_sessions_created", burst_created as f64);
    check.figure("reader_sessions_created", created as f64);
    check.figure("reader_sessions_refused_429", refused as f64);
    check.figure("reader_sessions_seconds", sessions_s);
    check.figure("writer_session_status", f64::from(writer_session));
    check.figure("admin_session_status", f64::from(admin_session));
    check.figure("max_concurrent", MAX_CONCURRENT as f64);
    check.figure("reader_slow_uploads", MAX_CONCURRENT as f64);
    check.figure("reader_slow_uploads_held", held as f64);
    check.figure("reader_slow_uploads_refused_429", slow_refused as f64);
    check.figure("writer_call_status", f64::from(writer_call_status));
    check.figure("rss_before_kb", rss0 as f64);
    check.figure("rss_after_sessions_kb", rss_sessions as f64);
    check.figure("rss_with_slow_uploads_kb", rss_slots as f64);
    check.summary = format!(
        "--max-sessions {MAX_SESSIONS}: a read key asking for {BURST} sessions at once and {attempts} one by one got {created} ({burst_created} in the burst; {refused} refused with 429), then the writer got HTTP {writer_session} and the admin HTTP {admin_session}; --max-concurrent {MAX_CONCURRENT}: of the reader's {MAX_CONCURRENT} slow uploads {held} were held and {slow_refused} refused with 429, and the writer's call got HTTP {writer_call_status}"
    );
    check.require(alive, "the server died");
    check.require_none("unexpected answers", &other);
    check.require(
        created == session_share,
        format!("the reader got {created} sessions, not its share of {session_share}"),
    );
    check.require(
        writer_session == 200 && admin_session == 200,
        format!("other keys were refused sessions: writer {writer_session}, admin {admin_session}"),
    );
    check.require(
        held == slot_share && slow_refused == MAX_CONCURRENT as u64 - slot_share,
        format!(
            "the reader held {held} slots ({slow_refused} refused), not its share of {slot_share}"
        ),
    );
    check.require(
        writer_call_status == 200,
        format!("the writer's call got {writer_call_status} while the reader held its slots"),
    );
    Ok(check)
}
