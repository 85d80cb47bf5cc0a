//! Label growth: requests whose method, path, headers and tool name are all different and
//! large, to see whether any of them becomes a metric label (each distinct label value is a
//! series kept for the life of the process and written into every `/metrics` scrape).
//!
//! The server runs with one read key. Each round sends a request with a unique method token of
//! `method_bytes` bytes (with the key, then without), a GET to a unique long path with a unique
//! header, and a `tools/call` of a unique tool name with a unique session id. Checked: the set
//! of request series (`mcp_*`, `http_*`) is the same as after one request of each kind, the
//! scrape grows by at most 1 KiB (counts getting longer), no request value appears in it, and
//! RSS stays within a few MiB.

use std::{
    path::Path,
    time::{Duration, Instant},
};

use crate::{
    procfs, raw_http,
    runner::{free_addr, HttpServer},
};

use super::{
    check::Check,
    clients::{client_ip, get, key_spec, mcp_post, run_key, scrape, series_count, server_argv},
};

fn tool_call(name: &str) -> String {
    serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": name, "arguments": {}}})
    .to_string()
}

pub fn label_growth(
    bin: &str,
    db: &Path,
    rounds: usize,
    method_bytes: usize,
) -> anyhow::Result<Check> {
    let mut check = Check::new("http-label-growth");
    let addr = free_addr()?;
    let key = run_key("reader");
    let reader = key_spec(bin, "reader", "read", &key)?;
    let argv = server_argv(bin, db, addr, &["--auth", "api-key", "--api-key", &reader]);
    let mut server = HttpServer::start(&argv, addr)?;
    let pid = server.pid();
    let deadline = Duration::from_secs(15);
    let auth = format!("X-API-Key: {key}\r\n");
    let send = |request: &[u8]| raw_http::exchange(addr, request, deadline).map(|a| a.status);
    // One request of every fixed label first: what follows may only add to counts.
    for method in ["GET", "DELETE", "PURGE"] {
        let _ = send(&get(addr, method, "/mcp", &auth));
    }
    let _ = send(&get(addr, "GET", "/mcp", ""));
    let _ = send(&mcp_post(addr, Some(&key), None, &tool_call("csf_lookup")));
    let _ = send(&mcp_post(
        addr,
        Some(&key),
        None,
        &tool_call("no_such_tool"),
    ));
    let before = scrape(client_ip(1), addr)?;
    let rss0 = procfs::rss(pid).map_or(0, |r| r.rss_kb);
    let marker = format!("{:x}", std::process::id());
    let t0 = Instant::now();
    let (mut sent, mut failed) = (0u64, Vec::new());
    for i in 0..rounds {
        let method = format!("Z{marker}x{i}{}", "Q".repeat(method_bytes));
        let path = format!("/{marker}x{i}/{}", "p".repeat(4096));
        let header = format!(
            "X-{marker}-{i}: {}\r\nUser-Agent: {marker}{i}\r\n",
            "h".repeat(1024)
        );
        let tool = format!("tool_{marker}_{i}_{}", "t".repeat(512));
        let session = format!("{marker}-{i}");
        for request in [
            get(addr, &method, "/mcp", &auth),
            get(addr, &method, "/mcp", ""),
            get(addr, "GET", &path, &header),
            mcp_post(addr, Some(&key), Some(&session), &tool_call(&tool)),
        ] {
            sent += 1;
            if let Err(e) = send(&request) {
                failed.push(e.to_string());
            }
        }
    }
    let attack_s = t0.elapsed().as_secs_f64();
    std::thread::sleep(Duration::from_millis(300));
    let rss1 = procfs::rss(pid).map_or(0, |r| r.rss_kb);
    let s0 = Instant::now();
    let after = scrape(client_ip(1), addr)?;
    let scrape_ms = s0.elapsed().as_secs_f64() * 1e3;
    // Three scrapes at once, as several monitoring systems might.
    let scrapes: Vec<_> = (0..3)
        .map(|n| std::thread::spawn(move || scrape(client_ip(2 + n), addr).map(|b| b.len())))
        .collect();
    let concurrent: Vec<usize> = scrapes
        .into_iter()
        .filter_map(|t| t.join().ok().and_then(Result::ok))
        .collect();
    let rss2 = procfs::rss(pid).map_or(0, |r| r.rss_kb);
    let alive = procfs::rss(pid).is_some();
    server.stop();
    let (series0, series1) = (series_count(&before), series_count(&after));
    check.figure("rounds", rounds as f64);
    check.figure("requests", sent as f64);
    check.figure("method_bytes", method_bytes as f64);
    check.figure("attack_seconds", attack_s);
    check.figure("failed", failed.len() as f64);
    check.figure("series_before", series0 as f64);
    check.figure("series_after", series1 as f64);
    check.figure("metrics_bytes_before", before.len() as f64);
    check.figure("metrics_bytes_after", after.len() as f64);
    check.figure("scrape_ms", scrape_ms);
    check.figure("rss_before_kb", rss0 as f64);
    check.figure("rss_after_kb", rss1 as f64);
    check.figure("rss_after_three_scrapes_kb", rss2 as f64);
    check.summary = format!(
        "{sent} requests in {attack_s:.1} s ({rounds} rounds: a unique {} KiB method with and without the key, a unique 4 KiB path with unique headers, a unique tool name and session id): series {} -> {}, /metrics {} -> {} bytes (scraped in {scrape_ms:.1} ms; three at once {concurrent:?} bytes), RSS {:.1} -> {:.1} MiB, {:.1} after the scrapes",
        method_bytes / 1024,
        series0,
        series1,
        before.len(),
        after.len(),
        rss0 as f64 / 1024.0,
        rss1 as f64 / 1024.0,
        rss2 as f64 / 1024.0,
    );
    check.require(alive, "the server died");
    check.require_none("requests failed", &failed);
    check.require(
        series1 == series0 && !after.contains(&marker),
        format!("request values became series: {series0} -> {series1}"),
    );
    check.require(
        after.len() < before.len() + 1024,
        format!(
            "/metrics grew from {} to {} bytes",
            before.len(),
            after.len()
        ),
    );
    check.require(
        rss1.saturating_sub(rss0) < 16 * 1024 && rss2.saturating_sub(rss0) < 16 * 1024,
        format!(
            "RSS grew by {:.1} MiB ({:.1} after three scrapes)",
            rss1.saturating_sub(rss0) as f64 / 1024.0,
            rss2.saturating_sub(rss0) as f64 / 1024.0
        ),
    );
    Ok(check)
}
