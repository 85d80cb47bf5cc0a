//! Helpers for the security tests: the real binary over HTTP (stderr captured to a file, read
//! back by the tests) or over stdio in a chosen directory and environment, random secrets, and
//! Ed25519 JWTs signed with the `openssl` command (present wherever `ca-certificates` is; keys
//! are made per run, nothing secret is committed).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use csf_testkit::http::{exchange, exchange_on, Answer, HttpError, Request, DEFAULT_TIMEOUT};
use csf_testkit::http_server::HttpServer;
use csf_testkit::stdio::StdioServer;
use serde_json::Value;

use super::spawn::BIN;

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

/// Starts `nist-csf-mcp --log-level trace --log-format text --db DIR/csf-PORT.db serve --http
/// 127.0.0.1:PORT <args>` in `dir`, stderr to a file in `dir`, and waits until /healthz answers.
pub fn start_http(dir: &Path, port: u16, args: &[&str]) -> HttpServer {
    let db = dir.join(format!("csf-{port}.db"));
    let db = db.to_str().expect("utf-8 path");
    let global = ["--log-level", "trace", "--log-format", "text", "--db", db];
    launch_http(dir, port, &global, args)
}

/// Starts `nist-csf-mcp <global> serve --http 127.0.0.1:PORT <args>` in `dir` (the global flags
/// must include `--db`), stderr to a file in `dir`, and waits until /healthz answers.
pub fn launch_http(dir: &Path, port: u16, global: &[&str], args: &[&str]) -> HttpServer {
    let addr = format!("127.0.0.1:{port}");
    let log = dir.join(format!("stderr-{port}.log"));
    let mut command = Command::new(BIN);
    command
        .args(global)
        .args(["serve", "--http", &addr])
        .args(args)
        .current_dir(dir)
        .env_remove("CSF_LOG")
        .env_remove("CSF_API_KEYS");
    HttpServer::spawn(command, &addr, &log, "/healthz").unwrap_or_else(|| {
        panic!(
            "server not healthy: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        )
    })
}

/// One request with extra headers (added as given, repeats included).
fn with_headers(method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Request {
    let mut r = Request::new(method, path).body(body);
    for (name, value) in headers {
        r = r.append(name, value);
    }
    r
}

/// One request with extra headers (added as given, repeats included) on a fresh connection.
pub fn request(
    server: &HttpServer,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    server
        .send(&with_headers(method, path, headers, body))
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

/// The same on a connection the caller opened (from another loopback address, say); reads are
/// bounded by the stream's own read timeout.
pub fn request_via(
    server: &HttpServer,
    stream: TcpStream,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<Answer, HttpError> {
    let raw = with_headers(method, path, headers, body).to_bytes(&server.addr);
    exchange_on(stream, &raw)
}

/// `raw` bytes sent as they are on a fresh connection, the whole answer read.
pub fn send_raw(server: &HttpServer, raw: &[u8]) -> Answer {
    exchange(&server.addr, raw, DEFAULT_TIMEOUT).unwrap_or_else(|e| panic!("raw request: {e}"))
}

/// A JSON-RPC `tools/call` over POST /mcp with extra headers (added as given, repeats included).
pub fn call_tool(server: &HttpServer, headers: &[(&str, &str)], tool: &str, args: Value) -> Answer {
    let body = csf_testkit::rpc::request(1, tool, args).to_string();
    let mut r = Request::mcp(body);
    for (name, value) in headers {
        r = r.append(name, value);
    }
    server.send(&r).unwrap_or_else(|e| panic!("{tool}: {e}"))
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

/// `nist-csf-mcp --db DB serve` over stdio in `cwd` with `envs` (and no `CSF_DB`), initialized.
pub fn stdio_in(cwd: &Path, db: &Path, envs: &[(&str, &Path)]) -> StdioServer {
    let mut command = Command::new(BIN);
    command
        .arg("--db")
        .arg(db)
        .arg("serve")
        .current_dir(cwd)
        .env_remove("CSF_DB")
        .stderr(Stdio::null());
    for (name, value) in envs {
        command.env(name, value);
    }
    StdioServer::start(command, "security-test")
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
