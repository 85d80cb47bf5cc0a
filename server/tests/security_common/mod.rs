//! Helpers for the security tests: the real binary over HTTP (stderr captured to a file), a
//! plain HTTP/1.1 client on std sockets, random secrets, and Ed25519 JWTs signed with the
//! `openssl` command (present wherever `ca-certificates` is; keys are made per run, nothing
//! secret is committed).
#![allow(dead_code)]

pub mod net;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Protocol revision sent in `MCP-Protocol-Version`.
pub const PROTOCOL: &str = "2025-11-25";

/// `n` random bytes as lowercase hex (from the OS: secrets in tests must not be guessable
/// constants that could also appear in logs by coincidence).
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .expect("read /dev/urandom");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Base64url without padding (RFC 7515 §2).
pub fn b64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// A free loopback port (bound, then released for the server to take).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind 127.0.0.1:0")
        .port()
}

/// The binary serving HTTP, with stderr going to a file the test reads afterwards.
pub struct HttpServer {
    child: Child,
    pub addr: String,
    stderr_path: PathBuf,
}

impl HttpServer {
    /// Starts `nist-csf-mcp --log-level trace --log-format text --db DIR/csf-PORT.db serve
    /// --http 127.0.0.1:PORT <args>` and waits (at most 20 s) until /healthz answers.
    pub fn start(dir: &Path, port: u16, args: &[&str]) -> HttpServer {
        let db = dir.join(format!("csf-{port}.db"));
        let global = [
            "--log-level",
            "trace",
            "--log-format",
            "text",
            "--db",
            db.to_str().expect("utf-8 path"),
        ];
        HttpServer::launch(dir, port, &global, args)
    }

    /// Starts `nist-csf-mcp <global> serve --http 127.0.0.1:PORT <args>` (the global flags
    /// must include `--db`) and waits (at most 20 s) until /healthz answers.
    pub fn launch(dir: &Path, port: u16, global: &[&str], args: &[&str]) -> HttpServer {
        let addr = format!("127.0.0.1:{port}");
        let stderr_path = dir.join(format!("stderr-{port}.log"));
        let stderr = std::fs::File::create(&stderr_path).expect("stderr file");
        let child = Command::new(env!("CARGO_BIN_EXE_nist-csf-mcp"))
            .args(global)
            .args(["serve", "--http", &addr])
            .args(args)
            .current_dir(dir)
            .env_remove("CSF_LOG")
            .env_remove("CSF_API_KEYS")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(stderr))
            .spawn()
            .expect("spawn nist-csf-mcp");
        let mut server = HttpServer {
            child,
            addr,
            stderr_path,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(answer) = server.request("GET", "/healthz", &[], "") {
                if answer.status == 200 {
                    return server;
                }
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("server exited with {status}: {}", server.stderr());
            }
            assert!(Instant::now() < deadline, "server not healthy within 20 s");
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// One request on a fresh connection (`Connection: close`).
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> std::io::Result<HttpAnswer> {
        let stream = TcpStream::connect(&self.addr)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        self.request_via(stream, method, path, headers, body)
    }

    /// One request (`Connection: close`) on a connection the caller opened, e.g. from
    /// another loopback address; reads are bounded by the stream's own read timeout.
    pub fn request_via(
        &self,
        stream: TcpStream,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> std::io::Result<HttpAnswer> {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        head.push_str(body);
        self.send_raw_via(stream, head.as_bytes())
    }

    /// Sends `raw` bytes as they are on a new connection and reads the answer until the
    /// server closes (send `Connection: close`).
    pub fn send_raw(&self, raw: &[u8]) -> std::io::Result<HttpAnswer> {
        let stream = TcpStream::connect(&self.addr)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        self.send_raw_via(stream, raw)
    }

    fn send_raw_via(&self, mut stream: TcpStream, raw: &[u8]) -> std::io::Result<HttpAnswer> {
        stream.write_all(raw)?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer)?;
        HttpAnswer::parse(&answer)
    }

    /// A JSON-RPC `tools/call` over POST /mcp with extra headers.
    pub fn call_tool(&self, headers: &[(&str, &str)], tool: &str, args: Value) -> HttpAnswer {
        let body = serde_json::json!({
            "jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": { "name": tool, "arguments": args }
        })
        .to_string();
        let mut all = vec![
            ("Content-Type", "application/json"),
            ("Accept", "application/json, text/event-stream"),
            ("MCP-Protocol-Version", PROTOCOL),
        ];
        all.extend_from_slice(headers);
        self.request("POST", "/mcp", &all, &body)
            .expect("HTTP request to the server")
    }

    /// Everything the server wrote to stderr so far.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    /// Stops the server (SIGKILL: stderr is unbuffered, so nothing written is lost) and
    /// returns its stderr.
    pub fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.stderr()
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A parsed HTTP/1.1 answer (body de-chunked when needed).
pub struct HttpAnswer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpAnswer {
    fn parse(raw: &[u8]) -> std::io::Result<HttpAnswer> {
        let bad = |why: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, why.to_string());
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(|| bad("no header end"))?;
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("no status"))?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        if headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"))
        {
            body = dechunk(&body);
        }
        Ok(HttpAnswer {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The structured result of a successful tool call.
    pub fn tool_result(&self) -> Value {
        assert_eq!(self.status, 200, "{}", self.body);
        let json = self.json();
        assert_ne!(json["result"]["isError"], true, "{json}");
        json["result"]["structuredContent"].clone()
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = body.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&body[..end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = end + 2;
        out.extend_from_slice(&body[start..(start + size).min(body.len())]);
        body = &body[(start + size + 2).min(body.len())..];
    }
    out
}

/// An Ed25519 key pair made by `openssl`, and tokens signed with it.
pub struct Signer {
    key_pem: PathBuf,
    /// Public key as a JWKS document (kid `k1`, alg EdDSA).
    pub jwks: String,
}

fn openssl(args: &[&str], input: Option<&[u8]>) -> Vec<u8> {
    let mut child = Command::new("openssl")
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the openssl command is needed to sign test tokens (apt-get install openssl)");
    if let Some(data) = input {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(data)
            .expect("write to openssl");
    }
    let out = child.wait_with_output().expect("openssl output");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

impl Signer {
    pub fn new(dir: &Path) -> Signer {
        let key_pem = dir.join("ed25519.pem");
        let key = key_pem.to_str().expect("utf-8 path");
        openssl(&["genpkey", "-algorithm", "ed25519", "-out", key], None);
        let der = openssl(&["pkey", "-in", key, "-pubout", "-outform", "DER"], None);
        // SubjectPublicKeyInfo of an Ed25519 key: a 12-byte prefix, then the 32-byte key.
        assert_eq!(der.len(), 44, "unexpected Ed25519 public key encoding");
        let jwks = serde_json::json!({ "keys": [{
            "kty": "OKP", "crv": "Ed25519", "x": b64url(&der[12..]),
            "kid": "k1", "alg": "EdDSA", "use": "sig"
        }]})
        .to_string();
        Signer { key_pem, jwks }
    }

    /// A compact JWS over `claims` with the given header.
    pub fn sign_with_header(&self, header: &Value, claims: &Value) -> String {
        let input = format!(
            "{}.{}",
            b64url(header.to_string().as_bytes()),
            b64url(claims.to_string().as_bytes())
        );
        let key = self.key_pem.to_str().expect("utf-8 path");
        // Ed25519 signs in one shot, so openssl wants a file (it must know the size).
        let data = self
            .key_pem
            .with_file_name(format!("input-{}", random_hex(8)));
        std::fs::write(&data, input.as_bytes()).expect("write signing input");
        let signature = openssl(
            &[
                "pkeyutl",
                "-sign",
                "-rawin",
                "-inkey",
                key,
                "-in",
                data.to_str().expect("utf-8 path"),
            ],
            None,
        );
        let _ = std::fs::remove_file(&data);
        assert_eq!(signature.len(), 64, "Ed25519 signatures are 64 bytes");
        format!("{input}.{}", b64url(&signature))
    }

    /// An EdDSA token (kid `k1`).
    pub fn sign(&self, claims: &Value) -> String {
        self.sign_with_header(
            &serde_json::json!({"alg": "EdDSA", "typ": "JWT", "kid": "k1"}),
            claims,
        )
    }
}

/// Seconds since the epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Every window of `len` characters of `secret` that occurs in `haystack` (empty: none leaked).
pub fn leaked_fragments(haystack: &str, secret: &str, len: usize) -> Vec<String> {
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() < len {
        return if haystack.contains(secret) {
            vec![secret.to_string()]
        } else {
            Vec::new()
        };
    }
    chars
        .windows(len)
        .map(|w| w.iter().collect::<String>())
        .filter(|w| haystack.contains(w.as_str()))
        .collect()
}

#[test]
fn b64url_matches_rfc4648_vectors() {
    // RFC 4648 §10 vectors, without padding.
    for (plain, encoded) in [
        ("", ""),
        ("f", "Zg"),
        ("fo", "Zm8"),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg"),
        ("fooba", "Zm9vYmE"),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(b64url(plain.as_bytes()), encoded);
    }
    assert_eq!(b64url(&[0xfb, 0xff]), "-_8");
}

/// The binary over stdio with a chosen working directory and environment (line-based client;
/// every wait is bounded).
pub struct StdioProcess {
    child: Child,
    stdin: Option<std::process::ChildStdin>,
    lines: std::sync::mpsc::Receiver<String>,
    next_id: i64,
}

impl StdioProcess {
    /// Spawns `nist-csf-mcp --db DB serve` in `cwd` with `envs`, and completes the handshake.
    pub fn start(cwd: &Path, db: &Path, envs: &[(&str, &Path)]) -> StdioProcess {
        use std::io::BufRead;
        let mut command = Command::new(env!("CARGO_BIN_EXE_nist-csf-mcp"));
        command
            .arg("--db")
            .arg(db)
            .arg("serve")
            .current_dir(cwd)
            .env_remove("CSF_DB")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (name, value) in envs {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("spawn nist-csf-mcp");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut process = StdioProcess {
            child,
            stdin,
            lines,
            next_id: 1,
        };
        process.request(
            "initialize",
            serde_json::json!({
                "protocolVersion": PROTOCOL, "capabilities": {},
                "clientInfo": { "name": "security-test", "version": "1" }
            }),
        );
        process.send(&serde_json::json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        process
    }

    fn send(&mut self, message: &Value) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{message}").expect("write to server");
        stdin.flush().expect("flush");
    }

    /// Sends a request and returns its whole response (30 s at most).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(
            &serde_json::json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}),
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline
                .checked_duration_since(Instant::now())
                .unwrap_or_else(|| panic!("no answer to {method} within 30 s"));
            let line = self
                .lines
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no answer to {method} within 30 s"));
            let value: Value = serde_json::from_str(&line).expect("a JSON line");
            if value["id"] == id {
                return value;
            }
        }
    }

    /// `tools/call`: the whole JSON-RPC response.
    pub fn call(&mut self, tool: &str, args: Value) -> Value {
        self.request(
            "tools/call",
            serde_json::json!({ "name": tool, "arguments": args }),
        )
    }

    /// `tools/call` that must succeed: its structured result.
    pub fn tool(&mut self, tool: &str, args: Value) -> Value {
        let answer = self.call(tool, args.clone());
        assert_ne!(answer["result"]["isError"], true, "{tool} {args}: {answer}");
        answer["result"]["structuredContent"].clone()
    }

    /// Closes stdin and waits (20 s at most) for a clean exit.
    pub fn stop(mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(status.success(), "exit status {status}");
                return;
            }
            assert!(Instant::now() < deadline, "server did not exit after EOF");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for StdioProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn leaked_fragments_finds_any_window_of_the_secret() {
    let secret = "abcdefghijklmnopqrstuvwxyz";
    assert!(leaked_fragments("log: ..ghijklmnopqr..", secret, 12).len() == 1);
    assert!(leaked_fragments("log: ghijklmnopq", secret, 12).is_empty());
    assert_eq!(
        leaked_fragments("short", "short", 12),
        vec!["short".to_string()]
    );
}
