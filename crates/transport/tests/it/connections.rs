//! Connection limits on real sockets: slow or silent clients are cut off after the header
//! timeout; over `max_connections` health probes are still answered and other requests get
//! 503; one client address cannot hold more than `max_per_client` connections.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::handler::TestServer;
use crate::support::*;
use csf_transport::ConnectionLimits;

async fn start(
    limits: ConnectionLimits,
) -> (
    String,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let Served { addr, stop, task } = serve_on_loopback(Duration::from_secs(2), limits).await;
    (addr, stop, task)
}

fn limits(max_connections: usize, header_timeout_ms: u64) -> ConnectionLimits {
    ConnectionLimits {
        max_connections,
        max_per_client: Some(0),
        header_timeout: Duration::from_millis(header_timeout_ms),
    }
}

/// A connection to `addr` from the loopback address `from` (Linux routes all of 127/8 to lo).
async fn connect_from(from: &str, addr: &str) -> TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    socket.connect(addr.parse().unwrap()).await.unwrap()
}

/// Sends `GET path` with `Connection: close` and returns the whole answer.
async fn get_on(conn: &mut TcpStream, addr: &str, path: &str) -> String {
    conn.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let answer = closed_within(conn, Duration::from_secs(5))
        .await
        .expect("answered and closed");
    String::from_utf8_lossy(&answer).into_owned()
}

fn request(addr: &str) -> String {
    let body = echo();
    format!(
        "POST /mcp HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Accept: application/json, text/event-stream\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// Reads until the server closes the socket; `None` if it is still open after `within`.
async fn closed_within(conn: &mut TcpStream, within: Duration) -> Option<Vec<u8>> {
    let mut seen = Vec::new();
    let read = tokio::time::timeout(within, async {
        let mut buf = [0u8; 4096];
        loop {
            match conn.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    read.ok().map(|()| seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_headers_are_cut_off_after_the_header_timeout() {
    let (addr, stop, task) = start(limits(16, 500)).await;
    let mut slow = TcpStream::connect(&addr).await.unwrap();
    let started = Instant::now();
    slow.write_all(b"POST /mcp HTTP/1.1\r\nHost: ")
        .await
        .unwrap();
    let closed = closed_within(&mut slow, Duration::from_secs(5)).await;
    assert!(closed.is_some(), "a half-sent head keeps the socket open");
    assert!(started.elapsed() >= Duration::from_millis(400));

    let mut silent = TcpStream::connect(&addr).await.unwrap();
    assert!(
        closed_within(&mut silent, Duration::from_secs(5))
            .await
            .is_some(),
        "a socket that sends nothing stays open"
    );
    stop.send(()).unwrap();
    task.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_keep_alive_connection_is_closed() {
    let (addr, stop, task) = start(limits(16, 500)).await;
    let mut conn = TcpStream::connect(&addr).await.unwrap();
    conn.write_all(request(&addr).as_bytes()).await.unwrap();
    let answer = closed_within(&mut conn, Duration::from_secs(5))
        .await
        .expect("idle keep-alive connection is closed");
    let answer = String::from_utf8(answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    stop.send(()).unwrap();
    task.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_the_cap_probes_answer_and_other_requests_get_503() {
    let (addr, stop, task) = start(limits(2, 5_000)).await;
    let first = TcpStream::connect(&addr).await.unwrap();
    let _second = TcpStream::connect(&addr).await.unwrap();
    // Let the server accept both before the others arrive.
    tokio::time::sleep(Duration::from_millis(200)).await;

    let mut probe = TcpStream::connect(&addr).await.unwrap();
    let health = get_on(&mut probe, &addr, "/healthz").await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let mut third = TcpStream::connect(&addr).await.unwrap();
    third.write_all(request(&addr).as_bytes()).await.unwrap();
    let refused = closed_within(&mut third, Duration::from_secs(3))
        .await
        .expect("answered at once and closed");
    let refused = String::from_utf8_lossy(&refused);
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    assert!(refused.contains("retry-after: 1"), "{refused}");

    drop(first);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut fourth = TcpStream::connect(&addr).await.unwrap();
    fourth.write_all(request(&addr).as_bytes()).await.unwrap();
    let mut buf = [0u8; 64];
    let n = tokio::time::timeout(Duration::from_secs(3), fourth.read(&mut buf))
        .await
        .expect("served once a slot is free")
        .unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    stop.send(()).unwrap();
    task.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_cannot_hold_every_connection() {
    let (addr, stop, task) = start(ConnectionLimits {
        max_per_client: Some(2),
        ..limits(8, 5_000)
    })
    .await;
    let _held = [
        connect_from("127.0.0.1", &addr).await,
        connect_from("127.0.0.1", &addr).await,
    ];
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut third = connect_from("127.0.0.1", &addr).await;
    let closed = closed_within(&mut third, Duration::from_secs(2))
        .await
        .expect("a third connection from the same address is closed at once");
    assert!(closed.is_empty(), "{}", String::from_utf8_lossy(&closed));
    let mut other = connect_from("127.0.0.2", &addr).await;
    let health = get_on(&mut other, &addr, "/healthz").await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    stop.send(()).unwrap();
    task.await.unwrap().unwrap();
}

#[tokio::test]
async fn refusals_before_the_body_is_read_close_the_connection() {
    let mut config = config();
    config.max_body = 1024;
    config.max_concurrent = 1;
    let app = router(&config, &TestServer::new());

    let big = tool_call("echo", serde_json::json!({ "text": "x".repeat(2000) }));
    let too_large = call(&app, big, &[]).await;
    assert_eq!(too_large.status, http::StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(too_large.headers["connection"], "close");

    let slow = {
        let app = app.clone();
        tokio::spawn(async move {
            call(
                &app,
                tool_call("wait", serde_json::json!({ "ms": 400 })),
                &[],
            )
            .await
            .status
        })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let shed = call(&app, echo(), &[]).await;
    assert_eq!(shed.status, http::StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(shed.headers["connection"], "close");
    assert_eq!(shed.headers["retry-after"], "1");
    assert_eq!(slow.await.unwrap(), http::StatusCode::OK);

    // A request whose body was read keeps its connection.
    let served = call(&app, echo(), &[]).await;
    assert_echo_ok(&served);
    assert!(!served.headers.contains_key("connection"));
}
