//! Client connections for the connection and framing tests: HTTP/1.1 and HTTP/2 (h2c, prior
//! knowledge) from a chosen loopback source address (Linux routes all of 127/8 to `lo`, so
//! 127.0.0.2 is another client address to the server). Every wait is bounded.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http2;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::{TcpSocket, TcpStream};

/// A runtime for one test (the tests themselves are synchronous).
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// A TCP connection to `addr` from the loopback address `from`.
pub async fn connect_from(from: &str, addr: &str) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(format!("{from}:0").parse().expect("an IPv4 address"))?;
    socket
        .connect(addr.parse().expect("a socket address"))
        .await
}

/// The same, as a blocking std socket (for the raw HTTP/1.1 helpers).
pub fn std_connect_from(from: &str, addr: &str) -> std::net::TcpStream {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let stream = rt
        .block_on(connect_from(from, addr))
        .expect("connect from another loopback address");
    let stream = stream.into_std().expect("std socket");
    stream.set_nonblocking(false).expect("blocking socket");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("read timeout");
    stream
}

/// Whether the server closed `stream` (EOF or reset) within `within`; `false` if it is still
/// open then, or if it sent bytes instead.
pub fn closed_by_server(stream: &mut std::net::TcpStream, within: Duration) -> bool {
    use std::io::Read;
    stream.set_read_timeout(Some(within)).expect("read timeout");
    let mut buf = [0u8; 64];
    match stream.read(&mut buf) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

/// An HTTP/2 connection (h2c with prior knowledge). The client answers the server's pings, as
/// a well-behaved (or a patient hostile) client does.
pub struct H2 {
    sender: http2::SendRequest<Full<Bytes>>,
    ended: tokio::task::JoinHandle<()>,
    addr: String,
}

/// One HTTP/2 answer.
pub struct H2Answer {
    pub status: u16,
    pub body: String,
}

impl H2 {
    pub async fn connect(from: &str, addr: &str) -> std::io::Result<H2> {
        let stream = connect_from(from, addr).await?;
        let (sender, connection) = http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
            .await
            .map_err(std::io::Error::other)?;
        let ended = tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(H2 {
            sender,
            ended,
            addr: addr.to_string(),
        })
    }

    /// Sends one request (`:authority` is the server's address) and reads the whole answer
    /// within 10 s.
    pub async fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Result<H2Answer, String> {
        let mut builder = http::Request::builder()
            .method(http::Method::from_bytes(method.as_bytes()).map_err(|e| e.to_string())?)
            .uri(format!("http://{}{path}", self.addr));
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let request = builder
            .body(Full::new(Bytes::from(body.to_string())))
            .map_err(|e| e.to_string())?;
        let exchange = async {
            self.sender
                .ready()
                .await
                .map_err(|e| format!("connection not ready: {e}"))?;
            let response = self
                .sender
                .send_request(request)
                .await
                .map_err(|e| format!("request failed: {e}"))?;
            let status = response.status().as_u16();
            let bytes = response
                .into_body()
                .collect()
                .await
                .map_err(|e| format!("body failed: {e}"))?
                .to_bytes();
            Ok(H2Answer {
                status,
                body: String::from_utf8_lossy(&bytes).into_owned(),
            })
        };
        tokio::time::timeout(Duration::from_secs(10), exchange)
            .await
            .map_err(|_| "no answer within 10 s".to_string())?
    }

    /// Whether the server ended the connection within `within` (the client keeps answering
    /// pings meanwhile).
    pub async fn closed_within(&mut self, within: Duration) -> bool {
        tokio::time::timeout(within, &mut self.ended).await.is_ok()
    }
}

/// An HTTP/2 connection whose client never lets the server send response data: it advertises
/// a stream window of 0 and never widens it, while answering pings.
pub struct StalledH2 {
    sender: http2::SendRequest<Full<Bytes>>,
    ended: tokio::task::JoinHandle<()>,
    addr: String,
    /// Response bodies kept unread, so their streams stay open.
    unread: Vec<hyper::body::Incoming>,
}

impl StalledH2 {
    pub async fn connect(from: &str, addr: &str) -> std::io::Result<StalledH2> {
        let stream = connect_from(from, addr).await?;
        let (sender, connection) = http2::Builder::new(TokioExecutor::new())
            .initial_stream_window_size(0)
            .handshake(TokioIo::new(stream))
            .await
            .map_err(std::io::Error::other)?;
        let ended = tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(StalledH2 {
            sender,
            ended,
            addr: addr.to_string(),
            unread: Vec::new(),
        })
    }

    /// Sends a bodiless GET and returns the status once the response head arrives; the body is
    /// kept unread.
    pub async fn get_head(&mut self, path: &str) -> Result<u16, String> {
        let request = http::Request::builder()
            .uri(format!("http://{}{path}", self.addr))
            .body(Full::new(Bytes::new()))
            .map_err(|e| e.to_string())?;
        let exchange = async {
            self.sender.ready().await.map_err(|e| e.to_string())?;
            self.sender
                .send_request(request)
                .await
                .map_err(|e| e.to_string())
        };
        let response = tokio::time::timeout(Duration::from_secs(10), exchange)
            .await
            .map_err(|_| "no answer within 10 s".to_string())??;
        let status = response.status().as_u16();
        self.unread.push(response.into_body());
        Ok(status)
    }

    /// Whether the server ended the connection within `within`.
    pub async fn closed_within(&mut self, within: Duration) -> bool {
        tokio::time::timeout(within, &mut self.ended).await.is_ok()
    }
}
