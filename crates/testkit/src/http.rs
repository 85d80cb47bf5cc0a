//! The tests' HTTP/1.1 client: std sockets, one request per connection (`Connection: close`),
//! every read and write bounded in time. Requests are built header by header, so a test can also
//! send what no well-behaved client would (a dropped `Host`, two `Content-Length`s) as raw bytes.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use serde_json::Value;

use crate::rpc::{response_in_body, PROTOCOL};

/// How long a request may take unless the caller says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// What went wrong with an exchange.
#[derive(Debug)]
pub enum HttpError {
    /// No connection to the address.
    Connect(std::io::Error),
    /// No complete answer within the timeout.
    Timeout,
    /// The server closed the connection without a single byte of answer.
    NoAnswer,
    /// The bytes that came back are not an HTTP/1.1 answer.
    Malformed(&'static str),
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HttpError::Connect(e) => write!(f, "connect: {e}"),
            HttpError::Timeout => write!(f, "no answer in time"),
            HttpError::NoAnswer => write!(f, "closed without an answer"),
            HttpError::Malformed(why) => write!(f, "malformed answer: {why}"),
        }
    }
}

/// A request under construction. `Host`, `Content-Length` and `Connection: close` are added
/// when the bytes are written unless the request sets (or drops) them itself.
#[derive(Clone, Debug)]
pub struct Request {
    method: String,
    path: String,
    /// In order; a `None` value drops the header, including one added by default.
    headers: Vec<(String, Option<String>)>,
    body: Vec<u8>,
}

impl Request {
    pub fn new(method: &str, path: &str) -> Request {
        Request {
            method: method.to_string(),
            path: path.to_string(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// `POST /mcp` with the headers an MCP client sends (JSON body, JSON or SSE answers, the
    /// protocol revision).
    pub fn mcp(body: impl Into<Vec<u8>>) -> Request {
        Request::new("POST", "/mcp")
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .header("MCP-Protocol-Version", PROTOCOL)
            .body(body)
    }

    /// Sets a header, replacing one of the same name (names compare case-insensitively).
    pub fn header(self, name: &str, value: &str) -> Request {
        self.set(name, Some(value))
    }

    /// Sets (`Some`) or drops (`None`) a header, replacing one of the same name.
    pub fn set(mut self, name: &str, value: Option<&str>) -> Request {
        let value = value.map(str::to_string);
        match self
            .headers
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            Some(slot) => slot.1 = value,
            None => self.headers.push((name.to_string(), value)),
        }
        self
    }

    /// Adds a header line even when one of that name is already set (a request carrying two
    /// credentials, say).
    pub fn append(mut self, name: &str, value: &str) -> Request {
        self.headers
            .push((name.to_string(), Some(value.to_string())));
        self
    }

    /// `Authorization: Bearer <secret>`.
    pub fn bearer(self, secret: &str) -> Request {
        self.header("Authorization", &format!("Bearer {secret}"))
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Request {
        self.body = body.into();
        self
    }

    fn has(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }

    /// The bytes on the wire for a server at `addr`.
    pub fn to_bytes(&self, addr: &str) -> Vec<u8> {
        let mut all: Vec<(String, Option<String>)> = Vec::new();
        if !self.has("Host") {
            all.push(("Host".into(), Some(addr.to_string())));
        }
        all.extend(self.headers.iter().cloned());
        if !self.has("Content-Length") {
            all.push(("Content-Length".into(), Some(self.body.len().to_string())));
        }
        if !self.has("Connection") {
            all.push(("Connection".into(), Some("close".into())));
        }
        let mut raw = format!("{} {} HTTP/1.1\r\n", self.method, self.path).into_bytes();
        for (name, value) in all {
            if let Some(v) = value {
                raw.extend_from_slice(format!("{name}: {v}\r\n").as_bytes());
            }
        }
        raw.extend_from_slice(b"\r\n");
        raw.extend_from_slice(&self.body);
        raw
    }

    /// Sends the request to `addr` and reads the answer ([`DEFAULT_TIMEOUT`]).
    pub fn send(&self, addr: &str) -> Result<Answer, HttpError> {
        self.send_within(addr, DEFAULT_TIMEOUT)
    }

    pub fn send_within(&self, addr: &str, timeout: Duration) -> Result<Answer, HttpError> {
        exchange(addr, &self.to_bytes(addr), timeout)
    }
}

/// Writes `raw` on a fresh connection to `addr` and reads the whole answer. A failed write is
/// not an error by itself: a server may answer (413, 431) and close before reading everything.
pub fn exchange(addr: &str, raw: &[u8], timeout: Duration) -> Result<Answer, HttpError> {
    let target: SocketAddr = addr
        .to_socket_addrs()
        .map_err(HttpError::Connect)?
        .next()
        .ok_or_else(|| HttpError::Connect(std::io::ErrorKind::AddrNotAvailable.into()))?;
    let stream = TcpStream::connect_timeout(&target, timeout).map_err(HttpError::Connect)?;
    stream
        .set_read_timeout(Some(timeout))
        .and_then(|()| stream.set_write_timeout(Some(timeout)))
        .map_err(HttpError::Connect)?;
    exchange_on(stream, raw)
}

/// Writes `raw` on a connection the caller opened and reads the whole answer, within the
/// stream's own timeouts. A failed write is not an error by itself (see [`exchange`]).
pub fn exchange_on(mut stream: TcpStream, raw: &[u8]) -> Result<Answer, HttpError> {
    let _ = stream.write_all(raw);
    let mut got = Vec::new();
    match stream.read_to_end(&mut got) {
        Ok(_) => {}
        Err(e)
            if e.kind() == std::io::ErrorKind::WouldBlock
                || e.kind() == std::io::ErrorKind::TimedOut =>
        {
            return Err(HttpError::Timeout);
        }
        // A reset after the answer was written (the server closed with unread input).
        Err(_) if !got.is_empty() => {}
        Err(_) => return Err(HttpError::NoAnswer),
    }
    if got.is_empty() {
        return Err(HttpError::NoAnswer);
    }
    Answer::parse(&got)
}

/// An HTTP/1.1 answer, its body de-chunked.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    /// The status line and header lines as received.
    pub head: String,
    /// Header names lowercased, values trimmed, in order.
    pub headers: Vec<(String, String)>,
    /// The body as text (bytes that are not UTF-8 replaced).
    pub body: String,
}

impl Answer {
    fn parse(raw: &[u8]) -> Result<Answer, HttpError> {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or(HttpError::Malformed("no end of headers"))?;
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .ok_or(HttpError::Malformed("no status"))?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        let chunked = headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.to_ascii_lowercase().contains("chunked"));
        if chunked {
            body = dechunk(&body).ok_or(HttpError::Malformed("bad chunked body"))?;
        }
        Ok(Answer {
            status,
            head,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }

    /// The first header of this name (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> &str {
        &self.body
    }

    /// The body as JSON; panics naming the body when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The JSON-RPC response in the body (plain JSON or an SSE stream).
    pub fn response(&self) -> Option<Value> {
        response_in_body(&self.body)
    }

    /// The structured result of a tool call that must have succeeded (200, no isError).
    pub fn tool_result(&self) -> Value {
        assert_eq!(self.status, 200, "{}", self.body);
        let json = self.json();
        assert_ne!(json["result"]["isError"], true, "{json}");
        json["result"]["structuredContent"].clone()
    }
}

/// A chunked body decoded; None when the framing is broken or cut short.
fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = b.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&b[..eol]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        b = &b[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(b.get(..size)?);
        b = b.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_headers_can_be_replaced_or_dropped() {
        let raw = Request::mcp("{}")
            .bearer("k")
            .set("Content-Type", None)
            .header("host", "evil.example")
            .append("X-Twice", "1")
            .append("X-Twice", "2")
            .to_bytes("127.0.0.1:1");
        let text = String::from_utf8(raw).unwrap();
        assert!(text.starts_with("POST /mcp HTTP/1.1\r\n"), "{text}");
        assert!(text.contains("\r\nhost: evil.example\r\n"), "{text}");
        assert!(!text.contains("127.0.0.1:1"), "{text}");
        assert!(!text.contains("Content-Type"), "{text}");
        assert!(text.contains("Authorization: Bearer k\r\n"), "{text}");
        assert!(text.contains("X-Twice: 1\r\nX-Twice: 2\r\n"), "{text}");
        assert!(
            text.ends_with("Content-Length: 2\r\nConnection: close\r\n\r\n{}"),
            "{text}"
        );
    }

    #[test]
    fn answers_are_parsed_and_dechunked() {
        let a = Answer::parse(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1 \r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n",
        )
        .unwrap();
        assert_eq!(a.status, 200);
        assert_eq!(a.header("x-a"), Some("1"));
        assert_eq!(a.text(), "abcde");
        assert!(matches!(
            Answer::parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"),
            Err(HttpError::Malformed(_))
        ));
        assert!(matches!(
            Answer::parse(b"HTTP/1.1 200 OK\r\n"),
            Err(HttpError::Malformed(_))
        ));
    }
}
