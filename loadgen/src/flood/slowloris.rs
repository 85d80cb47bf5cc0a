//! Slow and idle HTTP connections (slowloris): sockets that send a request head a line at a
//! time, sockets that send a body a byte at a time, and sockets that send nothing.
//!
//! What is checked: an ordinary client keeps being served while slow-head sockets are open
//! (fail if not); whether the server ever closes a connection whose head never completes
//! (a finding if it does not: no header read timeout); whether slow bodies hold
//! `--max-concurrent` slots until `--timeout` (a finding if ordinary calls are shed meanwhile);
//! and whether idle sockets can use up the server's file descriptors so that new clients are
//! no longer accepted (a finding), with recovery once they close (fail if not).
//!
//! The slow and idle sockets come from other loopback addresses (127.0.0.10 and up), spread so
//! that each address stays within the server's per-address connection cap: these checks are
//! about timeouts and the global cap; `holding.rs` checks the per-address cap.

use std::{
    io::{ErrorKind, Read as _, Write as _},
    net::{IpAddr, SocketAddr, TcpStream},
    os::unix::process::CommandExt as _,
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{bail, Context as _};

use crate::{
    procfs, raw_http,
    runner::{free_addr, HttpServer},
    soak::{workload, HttpCaller},
};

use super::{
    check::Check,
    clients::{client_ip, server_argv},
    http_overload::one_call,
};

/// Is the server still holding this socket open? (FIN, reset or an answer = it let go.)
fn still_open(s: &TcpStream) -> bool {
    if s.set_nonblocking(true).is_err() {
        return false;
    }
    let mut b = [0u8; 256];
    let mut reader = s;
    let open = matches!(reader.read(&mut b), Err(e) if e.kind() == ErrorKind::WouldBlock);
    let _ = s.set_nonblocking(false);
    open
}

/// `n` sockets from `from` (round robin), each sent `first` if not empty.
fn open_slow(addr: SocketAddr, n: usize, first: &str, from: &[IpAddr]) -> Vec<TcpStream> {
    (0..n)
        .filter_map(|i| {
            let source = from.get(i % from.len().max(1)).copied();
            let mut s = raw_http::connect(source, addr, Duration::from_secs(2)).ok()?;
            if !first.is_empty() {
                s.write_all(first.as_bytes()).ok()?;
            }
            Some(s)
        })
        .collect()
}

/// Slow request heads while an ordinary client works; do the slow ones ever get closed?
pub fn slow_heads(bin: &str, db: &Path, sockets: usize, hold: Duration) -> anyhow::Result<Check> {
    let mut check = Check::new("http-slowloris-heads");
    let addr = free_addr()?;
    let mut server = HttpServer::start(&server_argv(bin, db, addr, &[]), addr)?;
    let setup = workload::setup(&mut HttpCaller(addr), "slowloris")?;
    let rss0 = procfs::rss(server.pid()).map_or(0, |r| r.rss_kb);
    let head = format!("POST /mcp HTTP/1.1\r\nHost: {addr}\r\n");
    // 125 per address: within the default per-address share (a quarter of 1024).
    let from: Vec<IpAddr> = (0..sockets.div_ceil(125))
        .map(|i| client_ip(10 + i as u8))
        .collect();
    let mut slow = open_slow(addr, sockets, &head, &from);
    let opened = slow.len();
    let t0 = Instant::now();
    let mut next_trickle = t0;
    let mut line = 0u64;
    let (mut calls, mut failed, mut worst) = (0u64, Vec::new(), Duration::ZERO);
    while t0.elapsed() < hold {
        if Instant::now() >= next_trickle {
            line += 1;
            for s in &mut slow {
                let _ = s.write_all(format!("X-Slow-{line}: a\r\n").as_bytes());
            }
            next_trickle += Duration::from_secs(2);
        }
        let c0 = Instant::now();
        calls += 1;
        if let Err(e) = one_call(addr, &setup, calls) {
            failed.push(format!("{e:#}"));
        }
        worst = worst.max(c0.elapsed());
        std::thread::sleep(Duration::from_millis(200));
    }
    let open_after = slow.iter().filter(|s| still_open(s)).count();
    let rss1 = procfs::rss(server.pid()).map_or(0, |r| r.rss_kb);
    drop(slow);
    server.stop();
    check.figure("slow_sockets", opened as f64);
    check.figure("hold_s", hold.as_secs_f64());
    check.figure("still_open_after_hold", open_after as f64);
    check.ordinary_calls(calls, &failed, worst);
    check.figure("rss_before_kb", rss0 as f64);
    check.figure("rss_with_slow_sockets_kb", rss1 as f64);
    check.summary = format!(
        "{opened} sockets sending a request head one header line every 2 s for {:.0} s: {open_after} still open at the end; meanwhile {calls} ordinary calls, {} failed, slowest {:.0} ms",
        hold.as_secs_f64(),
        failed.len(),
        worst.as_secs_f64() * 1e3
    );
    check.finding(
        open_after < opened,
        format!(
            "no header read timeout: all {opened} connections whose request head never completed were still open after {:.0} s (axum::serve runs hyper without a timer, so hyper's 30 s header_read_timeout is inactive)",
            hold.as_secs_f64()
        ),
    );
    Ok(check)
}

/// Slow bodies, one per concurrency slot: are ordinary calls shed while they trickle?
pub fn slow_bodies(bin: &str, db: &Path, slots: usize, timeout_s: u64) -> anyhow::Result<Check> {
    let mut check = Check::new("http-slowloris-bodies");
    let addr = free_addr()?;
    let flags = [
        "--max-concurrent".to_string(),
        slots.to_string(),
        "--timeout".to_string(),
        timeout_s.to_string(),
    ];
    let flag_refs: Vec<&str> = flags.iter().map(String::as_str).collect();
    let mut server = HttpServer::start(&server_argv(bin, db, addr, &flag_refs), addr)?;
    let setup = workload::setup(&mut HttpCaller(addr), "slow bodies")?;
    let head = format!(
        "POST /mcp HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 100000\r\n\r\n{{"
    );
    let mut slow = open_slow(addr, slots, &head, &[client_ip(10)]);
    std::thread::sleep(Duration::from_millis(300));
    // While the bodies trickle, one ordinary call: shed or served?
    let during = raw_http::exchange(
        addr,
        &raw_http::mcp_post(
            addr,
            &crate::jsonrpc::PreparedCall::new(&workload::call(&setup, 0).1).request(1),
        ),
        Duration::from_secs(5),
    );
    let during_status = during.as_ref().map(|a| a.status).ok();
    // Keep trickling until past the server's timeout: the slow requests must then be cut off.
    let t0 = Instant::now();
    while t0.elapsed() < Duration::from_secs(timeout_s + 2) {
        for s in &mut slow {
            let _ = s.write_all(b" ");
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    let cut_off = slow.iter().filter(|s| !still_open(s)).count();
    let after = one_call(addr, &setup, 7);
    drop(slow);
    server.stop();
    check.figure("slow_bodies", slots as f64);
    check.figure("max_concurrent", slots as f64);
    check.figure("timeout_s", timeout_s as f64);
    check.figure(
        "ordinary_status_during",
        during_status.map_or(0.0, f64::from),
    );
    check.figure("slow_cut_off_after_timeout", cut_off as f64);
    check.summary = format!(
        "{slots} bodies trickled a byte a second against --max-concurrent {slots} --timeout {timeout_s}: an ordinary call meanwhile got {}; after {} s, {cut_off} of {slots} slow requests were cut off; the next ordinary call {}",
        during_status.map_or_else(|| format!("no answer ({})", during.as_ref().err().map(|e| e.to_string()).unwrap_or_default()), |s| format!("HTTP {s}")),
        timeout_s + 2,
        if after.is_ok() { "succeeded" } else { "failed" }
    );
    check.require(
        after.is_ok(),
        format!("no recovery after the timeout: {:?}", after.err()),
    );
    check.require(
        cut_off == slots,
        format!("only {cut_off} of {slots} slow bodies were cut off by --timeout"),
    );
    check.finding(
        during_status == Some(200),
        format!(
            "{slots} slow bodies (one per slot) hold every --max-concurrent slot until --timeout ({timeout_s} s): ordinary calls are shed with 503 meanwhile; a client that re-opens them keeps the server unavailable"
        ),
    );
    Ok(check)
}

/// Starts the server with a lowered file-descriptor limit (soft and hard) in the child only.
#[allow(unsafe_code)] // libc calls; see the SAFETY notes inside
fn spawn_with_nofile(argv: &[String], nofile: u64) -> anyhow::Result<Child> {
    let (prog, args) = argv.split_first().context("empty command")?;
    let mut cmd = Command::new(prog);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: setrlimit is async-signal-safe and touches only the child's own limits.
    unsafe {
        cmd.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: nofile as libc::rlim_t,
                rlim_max: nofile as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.spawn()
        .with_context(|| format!("spawn {}", argv.join(" ")))
}

/// Idle sockets until the server runs out of file descriptors: is a new client served?
pub fn idle_fd_exhaustion(
    bin: &str,
    db: &Path,
    nofile: u64,
    hold: Duration,
) -> anyhow::Result<Check> {
    let mut check = Check::new("http-idle-connections-fd-limit");
    let addr = free_addr()?;
    let mut child = spawn_with_nofile(&server_argv(bin, db, addr, &[]), nofile)?;
    let pid = child.id();
    let started = Instant::now();
    while TcpStream::connect_timeout(&addr, Duration::from_millis(100)).is_err() {
        if started.elapsed() > Duration::from_secs(10) || child.try_wait()?.is_some() {
            let _ = child.kill();
            let _ = child.wait();
            bail!("server with RLIMIT_NOFILE {nofile} did not listen");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let result = (|| -> anyhow::Result<()> {
        let setup = workload::setup(&mut HttpCaller(addr), "idle fds")?;
        let rss0 = procfs::rss(pid).map_or(0, |r| r.rss_kb);
        let want = nofile as usize + 32;
        // The server lowers --max-connections to nofile - 64; 36 sockets per address stay
        // within the per-address share (a quarter of that) for the limits used here.
        let from: Vec<IpAddr> = (0..want.div_ceil(36))
            .map(|i| client_ip(20 + i as u8))
            .collect();
        let idle = open_slow(addr, want, "", &from);
        std::thread::sleep(Duration::from_millis(500));
        let rss1 = procfs::rss(pid).map_or(0, |r| r.rss_kb);
        // At the cap: a health probe and an ordinary call from a new client (retrying on
        // 503 + Retry-After, as a client should), each within 20 s.
        let probe_at = Instant::now();
        let probe = raw_http::exchange(
            addr,
            format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
            Duration::from_secs(20),
        );
        let probe_s = probe_at.elapsed().as_secs_f64();
        let probe_ok = probe.as_ref().is_ok_and(|a| a.status == 200);
        let call_at = Instant::now();
        let (mut blocked, mut tries) = (one_call(addr, &setup, 1), 1u32);
        while blocked.is_err() && call_at.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(500));
            tries += 1;
            blocked = one_call(addr, &setup, u64::from(tries));
        }
        let call_s = call_at.elapsed().as_secs_f64();
        // Hold: does the server close idle sockets by itself (header timeout)?
        std::thread::sleep(hold);
        let open_after = idle.iter().filter(|s| still_open(s)).count();
        let opened = idle.len();
        drop(idle);
        std::thread::sleep(Duration::from_millis(1500));
        let recovered = one_call(addr, &setup, 1000);
        check.figure("nofile_limit", nofile as f64);
        check.figure("idle_sockets", opened as f64);
        check.figure("idle_source_addresses", from.len() as f64);
        check.figure("idle_still_open_after_hold", open_after as f64);
        check.figure("hold_s", hold.as_secs_f64());
        check.figure("rss_before_kb", rss0 as f64);
        check.figure("rss_with_idle_kb", rss1 as f64);
        check.figure("probe_answered", f64::from(u8::from(probe_ok)));
        check.figure("probe_seconds", probe_s);
        check.figure("new_client_served", f64::from(u8::from(blocked.is_ok())));
        check.figure("new_client_seconds", call_s);
        check.figure("new_client_tries", f64::from(tries));
        check.figure("recovered", f64::from(u8::from(recovered.is_ok())));
        check.summary = format!(
            "server limited to {nofile} file descriptors, {opened} idle sockets (no bytes sent) from {} addresses: a health probe was {} after {probe_s:.1} s; a new client was {} after {call_s:.1} s ({tries} tries); {open_after} idle sockets still open after {:.0} s more; after closing them the next call {}",
            from.len(),
            if probe_ok { "answered" } else { "not answered" },
            match &blocked {
                Ok(()) => "served".to_string(),
                Err(e) => format!("not served ({e:#})"),
            },
            hold.as_secs_f64(),
            if recovered.is_ok() { "succeeded" } else { "failed" }
        );
        check.require(
            recovered.is_ok(),
            format!(
                "no recovery after the idle sockets closed: {:?}",
                recovered.err()
            ),
        );
        check.finding(
            blocked.is_ok() && probe_ok,
            format!(
                "{opened} idle connections from {} addresses at the server's {nofile} file descriptors: probe answered {probe_ok}, new client served {} within 20 s",
                from.len(),
                blocked.is_ok()
            ),
        );
        Ok(())
    })();
    let _ = child.kill();
    let _ = child.wait();
    result?;
    Ok(check)
}

/// Raises this process's own soft file-descriptor limit to its hard limit (the flood opens
/// hundreds of sockets); returns the new soft limit.
#[allow(unsafe_code)] // libc calls; see the SAFETY notes inside
pub fn raise_own_nofile() -> u64 {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit on this process with a valid pointer.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 {
            lim.rlim_cur = lim.rlim_max;
            let _ = libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
            libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
        }
    }
    #[allow(clippy::unnecessary_cast)] // rlim_t is not u64 on every target
    let soft = lim.rlim_cur as u64;
    soft
}
