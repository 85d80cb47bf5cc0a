//! Connection holding: clients that keep connections open without doing anything useful, so
//! that nobody else can connect.
//!
//! - From 127.0.0.1, 64 HTTP/2 (h2c) connections that each send one `GET /healthz` and then
//!   only answer the server's pings (the hyper client does, as a patient attacker would); every
//!   other one advertises a stream window of 0 and never reads its answer, so that the answer
//!   can never finish.
//! - From 127.0.0.2, 64 HTTP/1.1 keep-alive connections that each send one `GET /healthz`
//!   just inside every header timeout, so that no idle timer ever fires.
//!
//! The server runs with `--max-connections 64` and `--header-timeout 4`. Meanwhile an ordinary
//! client (127.0.0.3) makes calls and a health probe (127.0.0.4) polls `/healthz`. Checked:
//! every ordinary call and every probe answered; each attacking address held at most its
//! share of the connections (`--max-connections-per-client`, by default a quarter); the idle
//! HTTP/2 connections were closed by the server.

use std::{
    net::{IpAddr, SocketAddr},
    path::Path,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Empty};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::{
    procfs, raw_http,
    runner::{free_addr, HttpServer},
    soak::workload,
};

use super::{
    check::Check,
    clients::{client_ip, get, one_call_from, server_argv, CallerFrom},
};

const MAX_CONNECTIONS: usize = 64;
const HEADER_TIMEOUT_S: u64 = 4;
const ATTACKERS: usize = 64;

async fn connect_from(from: IpAddr, addr: SocketAddr) -> std::io::Result<tokio::net::TcpStream> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(from, 0))?;
    tokio::time::timeout(Duration::from_secs(5), socket.connect(addr))
        .await
        .map_err(|_| std::io::Error::from(std::io::ErrorKind::TimedOut))?
}

/// An idle HTTP/2 connection: when its request was answered, the task that ends when the
/// connection does, and the sender (hyper's client closes the connection once every sender
/// is dropped, so it is kept).
/// With `stalled`, also the answer's body, kept unread.
type IdleH2 = (
    Instant,
    tokio::task::JoinHandle<Instant>,
    hyper::client::conn::http2::SendRequest<Empty<Bytes>>,
    Option<hyper::body::Incoming>,
);

/// An HTTP/2 connection that made one request and now idles: `None` if it was not served.
/// `stalled`: the client's stream window is 0 and the answer's body is never read.
async fn idle_h2(from: IpAddr, addr: SocketAddr, stalled: bool) -> Option<IdleH2> {
    let stream = connect_from(from, addr).await.ok()?;
    let mut builder = hyper::client::conn::http2::Builder::new(TokioExecutor::new());
    if stalled {
        builder.initial_stream_window_size(0);
    }
    let (mut sender, conn) = builder.handshake(TokioIo::new(stream)).await.ok()?;
    let ended = tokio::spawn(async move {
        let _ = conn.await;
        Instant::now()
    });
    let request = hyper::Request::get(format!("http://{addr}/healthz"))
        .body(Empty::<Bytes>::new())
        .ok()?;
    let answer = tokio::time::timeout(Duration::from_secs(5), async {
        sender.ready().await.ok()?;
        let response = sender.send_request(request).await.ok()?;
        let ok = response.status() == 200;
        let body = response.into_body();
        let unread = if stalled {
            Some(body)
        } else {
            body.collect().await.ok()?;
            None
        };
        ok.then_some(unread)
    })
    .await
    .ok()
    .flatten();
    answer.map(|unread| (Instant::now(), ended, sender, unread))
}

/// An HTTP/1.1 connection that sends `GET /healthz` every `every` until `stop`; returns how
/// many answers it got.
async fn busy_h1(from: IpAddr, addr: SocketAddr, every: Duration, stop: Arc<AtomicBool>) -> usize {
    let Ok(mut stream) = connect_from(from, addr).await else {
        return 0;
    };
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    let mut answers = 0;
    while !stop.load(Ordering::Relaxed) {
        if stream.write_all(request.as_bytes()).await.is_err() {
            return answers;
        }
        let mut seen = Vec::new();
        let mut buf = [0u8; 512];
        let read = tokio::time::timeout(Duration::from_secs(5), async {
            // `/healthz` answers "ok\n" with a Content-Length: the body ends the answer.
            while !seen.ends_with(b"ok\n") {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => return false,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                }
            }
            true
        })
        .await;
        if read != Ok(true) {
            return answers;
        }
        answers += 1;
        tokio::time::sleep(every).await;
    }
    answers
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

pub fn connection_holding(bin: &str, db: &Path, hold: Duration) -> anyhow::Result<Check> {
    let mut check = Check::new("http-connection-holding");
    // A stalled connection is sent GOAWAY after one header timeout and dropped after another:
    // the hold must outlast both, with room for the last call and probe.
    let hold = hold.max(Duration::from_secs(2 * HEADER_TIMEOUT_S + 3));
    let addr = free_addr()?;
    let (max, header_timeout) = (MAX_CONNECTIONS.to_string(), HEADER_TIMEOUT_S.to_string());
    let flags = [
        "--max-connections",
        &max,
        "--header-timeout",
        &header_timeout,
    ];
    let argv = server_argv(bin, db, addr, &flags);
    let mut server = HttpServer::start(&argv, addr)?;
    let pid = server.pid();
    let (ordinary, probe) = (client_ip(3), client_ip(4));
    let setup = workload::setup(
        &mut CallerFrom {
            from: ordinary,
            addr,
            key: None,
        },
        "holding",
    )?;
    let rss0 = procfs::rss(pid).map_or(0, |r| r.rss_kb);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let t0 = Instant::now();
    let h2: Vec<_> = rt.block_on(async {
        let tasks: Vec<_> = (0..ATTACKERS)
            .map(|i| tokio::spawn(idle_h2(client_ip(1), addr, i % 2 == 1)))
            .collect();
        let mut out = Vec::new();
        for task in tasks {
            out.push(task.await.ok().flatten());
        }
        out
    });
    let h2_served: Vec<_> = h2.into_iter().flatten().collect();
    let stop = Arc::new(AtomicBool::new(false));
    let h1_tasks: Vec<_> = (0..ATTACKERS)
        .map(|_| {
            let stop = Arc::clone(&stop);
            let every = Duration::from_secs(HEADER_TIMEOUT_S) - Duration::from_millis(800);
            rt.spawn(busy_h1(client_ip(2), addr, every, stop))
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let rss_attacked = procfs::rss(pid).map_or(0, |r| r.rss_kb);
    // Ordinary calls and health probes from other addresses while the attack goes on.
    let (mut calls, mut failed, mut worst_call) = (0u64, Vec::new(), Duration::ZERO);
    let (mut probes, mut probes_failed, mut worst_probe) = (0u64, 0u64, Duration::ZERO);
    let mut k = 0u64;
    while t0.elapsed() < hold {
        let c0 = Instant::now();
        calls += 1;
        k += 1;
        if let Err(e) = one_call_from(ordinary, addr, &setup, k) {
            failed.push(format!("{e:#}"));
        }
        worst_call = worst_call.max(c0.elapsed());
        let p0 = Instant::now();
        probes += 1;
        match raw_http::exchange_from(
            Some(probe),
            addr,
            &get(addr, "GET", "/healthz", ""),
            Duration::from_secs(3),
        ) {
            Ok(a) if a.status == 200 => {}
            _ => probes_failed += 1,
        }
        worst_probe = worst_probe.max(p0.elapsed());
        std::thread::sleep(Duration::from_millis(250));
    }
    // How long after its request each served HTTP/2 connection was closed by the server.
    let mut h2_open_after = 0;
    let mut closes = Vec::new();
    for (served_at, ended, _sender, _unread) in h2_served {
        if ended.is_finished() {
            if let Ok(at) = rt.block_on(ended) {
                closes.push(at.saturating_duration_since(served_at).as_secs_f64());
            }
        } else {
            h2_open_after += 1;
            ended.abort();
        }
    }
    stop.store(true, Ordering::Relaxed);
    let h1_held: Vec<usize> = rt.block_on(async {
        let mut out = Vec::new();
        for task in h1_tasks {
            out.push(task.await.unwrap_or(0));
        }
        out
    });
    let h1_served = h1_held.iter().filter(|&&n| n > 0).count();
    let h1_kept = h1_held.iter().filter(|&&n| n > 1).count();
    let rss1 = procfs::rss(pid).map_or(0, |r| r.rss_kb);
    let alive = procfs::rss(pid).is_some();
    drop(rt);
    server.stop();
    let share = (MAX_CONNECTIONS / 4).max(1);
    check.figure("max_connections", MAX_CONNECTIONS as f64);
    check.figure("per_client_share", share as f64);
    check.figure("header_timeout_s", HEADER_TIMEOUT_S as f64);
    check.figure("hold_s", hold.as_secs_f64());
    check.figure("h2_attackers", ATTACKERS as f64);
    check.figure("h2_served", closes.len() as f64 + h2_open_after as f64);
    check.figure("h2_still_open_after_hold", h2_open_after as f64);
    check.figure("h2_idle_close_median_s", median(closes.clone()));
    check.figure("h1_attackers", ATTACKERS as f64);
    check.figure("h1_served", h1_served as f64);
    check.figure("h1_kept_past_first_request", h1_kept as f64);
    check.ordinary_calls(calls, &failed, worst_call);
    check.figure("probes", probes as f64);
    check.figure("probes_failed", probes_failed as f64);
    check.figure("probe_worst_ms", worst_probe.as_secs_f64() * 1e3);
    check.figure("rss_before_kb", rss0 as f64);
    check.figure("rss_attacked_kb", rss_attacked as f64);
    check.figure("rss_after_kb", rss1 as f64);
    let h2_total = closes.len() + h2_open_after;
    check.summary = format!(
        "--max-connections {MAX_CONNECTIONS}, --header-timeout {HEADER_TIMEOUT_S}: of {ATTACKERS} idle HTTP/2 connections (pings answered) from one address {h2_total} were served, {h2_open_after} still open after {:.0} s (closed a median {:.1} s after their request); of {ATTACKERS} HTTP/1.1 connections sending a request every {:.1} s from another address {h1_served} were served, {h1_kept} kept; meanwhile {calls} ordinary calls ({} failed, slowest {:.0} ms) and {probes} health probes ({probes_failed} failed, slowest {:.0} ms) from other addresses",
        hold.as_secs_f64(),
        median(closes),
        HEADER_TIMEOUT_S as f64 - 0.8,
        failed.len(),
        worst_call.as_secs_f64() * 1e3,
        worst_probe.as_secs_f64() * 1e3,
    );
    check.require(alive, "the server died");
    check.require(
        probes_failed == 0,
        format!("{probes_failed} health probes failed"),
    );
    check.require(
        h2_total <= share && h1_served <= share,
        format!("an address held more than its share of {share}: h2 {h2_total}, h1 {h1_served}"),
    );
    check.require(
        h2_open_after == 0,
        format!(
            "{h2_open_after} idle HTTP/2 connections were still open after {:.0} s",
            hold.as_secs_f64()
        ),
    );
    Ok(check)
}
