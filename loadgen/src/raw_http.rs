//! A deliberately small blocking HTTP/1.1 client on `std::net::TcpStream`: one request per
//! connection (`Connection: close`), a hard deadline on every step, and the raw status and
//! headers kept. The soak uses it for setup calls; the flood checks use it because they must
//! see exactly what the server answers under overload (status, `Retry-After`), which a
//! pooling client would hide or retry.

use std::{
    io::{Read as _, Write as _},
    net::{IpAddr, SocketAddr, TcpStream},
    time::{Duration, Instant},
};

use crate::jsonrpc::PROTOCOL_VERSION;

/// One HTTP answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why an exchange failed before a complete answer arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No complete answer within the deadline (the server hung or was too slow).
    Timeout,
    /// Connect, write or read failed (refused, reset).
    Io(String),
    /// Bytes came back that are not an HTTP/1.1 answer.
    Malformed(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Timeout => write!(f, "no complete answer before the deadline"),
            Failure::Io(e) => write!(f, "I/O: {e}"),
            Failure::Malformed(e) => write!(f, "malformed answer: {e}"),
        }
    }
}

fn io_failure(e: std::io::Error) -> Failure {
    match e.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => Failure::Timeout,
        _ => Failure::Io(e.to_string()),
    }
}

/// The bytes of a `POST /mcp` carrying `body` as a JSON-RPC message.
pub fn mcp_post(addr: SocketAddr, body: &str) -> Vec<u8> {
    format!(
        "POST /mcp HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: {PROTOCOL_VERSION}\r\n\
         Connection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A connection to `addr`, from the local address `from` when given. The flood checks play
/// several clients on one machine: on Linux every 127.0.0.0/8 address is loopback, so a
/// socket bound to 127.0.0.2 is another client address to the server (its per-address
/// connection cap counts them apart). std cannot bind before connecting; tokio can.
pub fn connect(
    from: Option<IpAddr>,
    addr: SocketAddr,
    timeout: Duration,
) -> std::io::Result<TcpStream> {
    let Some(from) = from else {
        return TcpStream::connect_timeout(&addr, timeout);
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let stream = rt.block_on(async {
        let socket = match from {
            IpAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
            IpAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
        };
        socket.bind(SocketAddr::new(from, 0))?;
        tokio::time::timeout(timeout, socket.connect(addr))
            .await
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::TimedOut))?
    })?;
    let stream = stream.into_std()?;
    stream.set_nonblocking(false)?;
    Ok(stream)
}

/// Sends `request` (complete bytes) on a fresh connection and reads the whole answer, all
/// within `deadline`.
pub fn exchange(addr: SocketAddr, request: &[u8], deadline: Duration) -> Result<Answer, Failure> {
    exchange_from(None, addr, request, deadline)
}

/// [`exchange`] from the local address `from` (see [`connect`]).
pub fn exchange_from(
    from: Option<IpAddr>,
    addr: SocketAddr,
    request: &[u8],
    deadline: Duration,
) -> Result<Answer, Failure> {
    let end = Instant::now() + deadline;
    let left = || {
        end.saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1))
    };
    let mut stream = connect(from, addr, left()).map_err(io_failure)?;
    stream.set_nodelay(true).map_err(io_failure)?;
    stream.set_write_timeout(Some(left())).map_err(io_failure)?;
    stream.write_all(request).map_err(io_failure)?;
    let mut raw = Vec::with_capacity(4096);
    let mut buf = [0u8; 16 * 1024];
    loop {
        if Instant::now() >= end {
            return Err(Failure::Timeout);
        }
        stream.set_read_timeout(Some(left())).map_err(io_failure)?;
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                raw.extend_from_slice(&buf[..n]);
                if let Some(answer) = complete(&raw)? {
                    return Ok(answer);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_failure(e)),
        }
    }
    // EOF: complete only if the head was read (bodies without a length end at EOF).
    match complete(&raw)? {
        Some(answer) => Ok(answer),
        None => match parse_head(&raw)? {
            Some((status, headers, start)) if !has_length(&headers) => Ok(Answer {
                status,
                headers,
                body: raw[start..].to_vec(),
            }),
            _ => Err(Failure::Io(format!(
                "connection closed after {} bytes, answer incomplete",
                raw.len()
            ))),
        },
    }
}

fn has_length(headers: &[(String, String)]) -> bool {
    headers
        .iter()
        .any(|(n, v)| n == "content-length" || (n == "transfer-encoding" && v.contains("chunked")))
}

type Head = (u16, Vec<(String, String)>, usize);

/// Status, headers and the body's offset once the head is complete.
fn parse_head(raw: &[u8]) -> Result<Option<Head>, Failure> {
    let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Ok(None);
    };
    let head = std::str::from_utf8(&raw[..end])
        .map_err(|e| Failure::Malformed(format!("head not UTF-8: {e}")))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .strip_prefix("HTTP/1.1 ")
        .or_else(|| status_line.strip_prefix("HTTP/1.0 "))
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or_else(|| Failure::Malformed(format!("status line {status_line:?}")))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Ok(Some((status, headers, end + 4)))
}

/// The answer, if `raw` holds all of it (Content-Length or chunked framing).
fn complete(raw: &[u8]) -> Result<Option<Answer>, Failure> {
    let Some((status, headers, start)) = parse_head(raw)? else {
        return Ok(None);
    };
    let body = &raw[start..];
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok());
    if let Some(len) = length {
        return Ok((body.len() >= len).then(|| Answer {
            status,
            headers: headers.clone(),
            body: body[..len].to_vec(),
        }));
    }
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    if chunked {
        return Ok(dechunk(body).map(|body| Answer {
            status,
            headers: headers.clone(),
            body,
        }));
    }
    Ok(None)
}

/// Decodes a complete chunked body; `None` until the last (zero) chunk has arrived.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        if data.len() < size + 2 {
            return None;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_length_and_chunked_answers() {
        let a = complete(
            b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\ncontent-length: 2\r\n\r\nok",
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            (a.status, a.header("retry-after"), &a.body[..]),
            (503, Some("1"), &b"ok"[..])
        );
        assert!(complete(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nok")
            .unwrap()
            .is_none());
        let c = complete(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(c.body, b"abcde");
        assert!(
            complete(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n")
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn garbage_is_malformed() {
        assert!(matches!(
            complete(b"SSH-2.0-x\r\n\r\n"),
            Err(Failure::Malformed(_))
        ));
    }
}
