//! The real binary (`nist-csf-mcp`, built by cargo for these tests) started the ways the tests
//! need it, through the test kit's process handles.

use std::fs::OpenOptions;
use std::path::Path;
use std::process::{Command, Stdio};

use csf_testkit::http_server::HttpServer;
use csf_testkit::stdio::StdioServer;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_nist-csf-mcp");

/// `nist-csf-mcp serve <args>` over stdio as principal `process-test` (stderr discarded),
/// initialized.
pub fn stdio(args: &[&str]) -> StdioServer {
    let mut command = Command::new(BIN);
    command
        .arg("serve")
        .args(args)
        .env("CSF_PRINCIPAL", "process-test")
        .stderr(Stdio::null());
    StdioServer::start(command, "process-test")
}

/// `nist-csf-mcp serve --db <db>` over stdio acting as `principal`, stderr appended to `log`,
/// initialized.
pub fn stdio_as(db: &str, principal: &str, log: &Path) -> StdioServer {
    let mut command = Command::new(BIN);
    command
        .args(["serve", "--db", db])
        .env("CSF_PRINCIPAL", principal)
        .env("CSF_LOG", "warn,rmcp=error")
        .stderr(append(log));
    StdioServer::start(command, "crash-test")
}

/// An API key the servers accept: its name (the principal recorded) and its secret.
#[derive(Clone, Debug)]
pub struct Key {
    pub name: String,
    pub secret: String,
}

impl Key {
    pub fn new(name: &str) -> Key {
        Key {
            name: name.to_string(),
            secret: format!("secret-of-{name}-for-tests-only"),
        }
    }

    /// The `--api-key` value for it (scopes joined by '+').
    fn spec(&self, scopes: &str) -> String {
        format!(
            "{}:{scopes}:{}",
            self.name,
            csf_transport::hash_key(&self.secret)
        )
    }
}

/// `serve --http 127.0.0.1:<free port> --db <db> --auth api-key` with the given keys (scope
/// write, which includes read), stderr appended to `log`, ready when /readyz answers 200.
pub fn http_with_keys(db: &str, keys: &[Key], log: &Path) -> HttpServer {
    let specs: Vec<String> = keys.iter().map(|k| k.spec("write")).collect();
    HttpServer::start(
        |addr| {
            let mut command = Command::new(BIN);
            command
                .args(["serve", "--http", addr, "--db", db, "--auth", "api-key"])
                .arg("--api-key")
                .arg(specs.join(","))
                .env("CSF_LOG", "warn,rmcp=error")
                .env_remove("CSF_API_KEYS");
            command
        },
        log,
        "/readyz",
    )
}

/// `log` opened for appending (several servers of one test share a log).
pub fn append(log: &Path) -> std::fs::File {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .expect("server log file")
}
