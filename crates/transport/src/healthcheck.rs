//! A tiny HTTP/1.1 client for container health checks (`nist-csf-mcp healthcheck`): images
//! built `FROM scratch` have no shell or curl. Blocking std I/O, 2 s overall budget.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

/// Total time allowed for connect, request and answer.
pub const TIMEOUT: Duration = Duration::from_secs(2);

/// Why the probe failed.
#[derive(Debug, thiserror::Error)]
pub enum HealthcheckError {
    /// The target does not parse or resolve.
    #[error("invalid healthcheck target {0:?}: expected HOST:PORT or http://HOST:PORT[/path]")]
    Target(String),
    /// Connecting, writing or reading failed (including the timeout).
    #[error("healthcheck of {target} failed: {source}")]
    Io {
        /// Address probed.
        target: String,
        /// Cause.
        source: std::io::Error,
    },
    /// The server answered something other than 200.
    #[error("healthcheck of {target} got {status:?}")]
    Status {
        /// Address probed.
        target: String,
        /// First line of the answer.
        status: String,
    },
}

struct Target {
    authority: String,
    path: String,
}

fn parse_target(text: &str) -> Result<Target, HealthcheckError> {
    let bad = || HealthcheckError::Target(text.to_string());
    let rest = text.trim();
    let rest = rest.strip_prefix("http://").unwrap_or(rest);
    if rest.contains("://") || rest.is_empty() {
        return Err(bad());
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/healthz"),
    };
    if authority.is_empty() || path.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    // `0.0.0.0:8080` (the bind address) means "this machine" to a probe.
    let authority = authority
        .replace("0.0.0.0", "127.0.0.1")
        .replace("[::]", "[::1]");
    Ok(Target {
        authority,
        path: path.to_string(),
    })
}

/// Probes `target` (`HOST:PORT`, `http://HOST:PORT` or `http://HOST:PORT/path`; default path
/// `/healthz`) and succeeds on `200`.
pub fn run(target: &str) -> Result<(), HealthcheckError> {
    let parsed = parse_target(target)?;
    let started = Instant::now();
    let io = |source| HealthcheckError::Io {
        target: parsed.authority.clone(),
        source,
    };
    let addr: SocketAddr = parsed
        .authority
        .to_socket_addrs()
        .map_err(|_| HealthcheckError::Target(target.to_string()))?
        .next()
        .ok_or_else(|| HealthcheckError::Target(target.to_string()))?;
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT).map_err(io)?;
    let left = || {
        TIMEOUT
            .saturating_sub(started.elapsed())
            .max(Duration::from_millis(1))
    };
    stream.set_write_timeout(Some(left())).map_err(io)?;
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: nist-csf-mcp-healthcheck\r\nConnection: close\r\n\r\n",
        parsed.path, parsed.authority
    );
    stream.write_all(request.as_bytes()).map_err(io)?;
    let mut answer = Vec::with_capacity(256);
    let mut chunk = [0u8; 256];
    while !answer.windows(2).any(|w| w == b"\r\n") && answer.len() < 4096 {
        stream.set_read_timeout(Some(left())).map_err(io)?;
        let n = stream.read(&mut chunk).map_err(io)?;
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&chunk[..n]);
    }
    let status_line = String::from_utf8_lossy(&answer);
    let status_line = status_line.lines().next().unwrap_or("").to_string();
    let code = status_line.split_whitespace().nth(1);
    if status_line.starts_with("HTTP/1.") && code == Some("200") {
        Ok(())
    } else {
        Err(HealthcheckError::Status {
            target: parsed.authority,
            status: status_line,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse() {
        let t = parse_target("127.0.0.1:8080").unwrap();
        assert_eq!(
            (t.authority.as_str(), t.path.as_str()),
            ("127.0.0.1:8080", "/healthz")
        );
        let t = parse_target("http://0.0.0.0:9000/readyz").unwrap();
        assert_eq!(
            (t.authority.as_str(), t.path.as_str()),
            ("127.0.0.1:9000", "/readyz")
        );
        assert!(parse_target("https://x:1").is_err());
        assert!(parse_target("").is_err());
    }

    #[test]
    fn refused_connection_is_an_error() {
        // Bind then drop to get a port nobody listens on.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        assert!(run(&format!("127.0.0.1:{port}")).is_err());
    }
}
