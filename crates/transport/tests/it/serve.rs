//! Real sockets: keep-alive latency (TCP_NODELAY), graceful drain, and the healthcheck client.

use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use crate::support::*;

/// One request on a kept-alive connection; returns (status, body).
async fn post_on(conn: &mut BufReader<TcpStream>, addr: &str, body: &str) -> (u16, String) {
    let request = format!(
        "POST /mcp HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Accept: application/json, text/event-stream\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    conn.get_mut().write_all(request.as_bytes()).await.unwrap();
    let mut status_line = String::new();
    conn.read_line(&mut status_line).await.unwrap();
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        conn.read_line(&mut line).await.unwrap();
        if line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap();
            }
        }
    }
    let mut body = vec![0u8; length];
    conn.read_exact(&mut body).await.unwrap();
    (status, String::from_utf8(body).unwrap())
}

async fn start(
    grace: Duration,
) -> (
    String,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let Served { addr, stop, task } =
        serve_on_loopback(grace, csf_transport::ConnectionLimits::default()).await;
    (addr, stop, task)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keep_alive_requests_do_not_stall() {
    let (addr, stop, task) = start(Duration::from_secs(5)).await;
    let mut conn = BufReader::new(TcpStream::connect(&addr).await.unwrap());
    let started = Instant::now();
    for _ in 0..50 {
        let (status, body) = post_on(&mut conn, &addr, &echo()).await;
        assert_eq!(status, 200, "{body}");
    }
    let elapsed = started.elapsed();
    // With Nagle + delayed ACK each answer waits ~40 ms (2 s for 50); without, a few ms total.
    assert!(
        elapsed < Duration::from_millis(1000),
        "50 keep-alive calls took {elapsed:?}"
    );
    drop(conn);
    stop.send(()).unwrap();
    task.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_drains_in_flight_requests_then_stops() {
    let (addr, stop, task) = start(Duration::from_secs(5)).await;
    assert!(csf_transport::healthcheck::run(&addr).is_ok());
    let slow = {
        let addr = addr.clone();
        tokio::spawn(async move {
            let mut conn = BufReader::new(TcpStream::connect(&addr).await.unwrap());
            post_on(
                &mut conn,
                &addr,
                &tool_call("wait", serde_json::json!({ "ms": 500 })),
            )
            .await
        })
    };
    tokio::time::sleep(Duration::from_millis(150)).await;
    stop.send(()).unwrap();
    let (status, body) = slow.await.unwrap();
    assert_eq!(status, 200, "the in-flight call finishes: {body}");
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(
        TcpStream::connect(&addr).await.is_err(),
        "no longer accepting"
    );
    assert!(csf_transport::healthcheck::run(&addr).is_err());
}
