//! Session churn (`--sessions` mode): clients that `initialize` and never come back (no
//! `DELETE`). Each such session stays in the server until its idle expiry; the check counts
//! how many are accepted in a burst and what each costs in RSS, and reports a finding when
//! nothing caps their number.

use std::{path::Path, time::Duration};

use crate::{
    jsonrpc, procfs, raw_http,
    runner::{free_addr, HttpServer},
};

use super::{check::Check, clients::server_argv};

/// Opens `n` sessions one after another and abandons them all.
pub fn churn(bin: &str, db: &Path, n: u64) -> anyhow::Result<Check> {
    let mut check = Check::new("http-session-churn");
    let addr = free_addr()?;
    let argv = server_argv(bin, db, addr, &["--sessions"]);
    let mut server = HttpServer::start(&argv, addr)?;
    let pid = server.pid();
    let request = raw_http::mcp_post(addr, &jsonrpc::initialize(1));
    // A few first, so the baseline is read from a server that has served sessions.
    for _ in 0..20 {
        let _ = raw_http::exchange(addr, &request, Duration::from_secs(10));
    }
    std::thread::sleep(Duration::from_millis(300));
    let before = procfs::rss(pid).map_or(0, |r| r.rss_kb);
    let (mut created, mut refused, mut failed) = (0u64, 0u64, Vec::new());
    let t0 = std::time::Instant::now();
    for _ in 0..n {
        match raw_http::exchange(addr, &request, Duration::from_secs(10)) {
            Ok(a) if a.status == 200 && a.header("mcp-session-id").is_some() => created += 1,
            Ok(a) if a.status == 503 || a.status == 429 => refused += 1,
            Ok(a) => failed.push(format!("HTTP {}", a.status)),
            Err(e) => failed.push(e.to_string()),
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    std::thread::sleep(Duration::from_millis(500));
    let after = procfs::rss(pid).map_or(0, |r| r.rss_kb);
    let alive = server.pid() == pid && procfs::rss(pid).is_some();
    server.stop();
    let per_session_kb = if created > 0 {
        (after as f64 - before as f64) / created as f64
    } else {
        0.0
    };
    check.figure("sessions_requested", n as f64);
    check.figure("sessions_created", created as f64);
    check.figure("refused", refused as f64);
    check.figure("failed", failed.len() as f64);
    check.figure("seconds", secs);
    check.figure("rss_before_kb", before as f64);
    check.figure("rss_after_kb", after as f64);
    check.figure("rss_per_session_kb", per_session_kb);
    check.summary = format!(
        "{n} initialize requests with no later DELETE in {secs:.1} s: {created} sessions created, {refused} refused, {} failed; RSS {:.1} → {:.1} MiB ({per_session_kb:.1} KiB per abandoned session)",
        failed.len(),
        before as f64 / 1024.0,
        after as f64 / 1024.0
    );
    check.require(alive, "the server died");
    check.require_none("unexpected answers", &failed);
    check.finding(
        created < n,
        format!(
            "nothing caps the number of sessions: all {created} abandoned sessions were kept (about {per_session_kb:.0} KiB each, until rmcp's idle expiry, 300 s by default); a client opening sessions in a loop grows the server's memory by that much per session for as long as it keeps going"
        ),
    );
    Ok(check)
}
