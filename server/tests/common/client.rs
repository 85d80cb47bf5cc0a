//! One way to call tools whatever the transport (a stdio process or an HTTP server), so the
//! crash and concurrency checks read and write through the same code.
#![allow(dead_code)]

use serde_json::Value;

/// A tool caller. `call` returns the whole JSON-RPC response (`result` or `error`).
pub trait McpClient {
    fn call(&mut self, name: &str, args: Value) -> Value;

    /// Calls a tool that must succeed and returns its structuredContent.
    fn tool(&mut self, name: &str, args: Value) -> Value {
        let v = self.call(name, args.clone());
        assert!(
            v.get("error").is_none() && v["result"]["isError"] != true,
            "{name} {args}: {v}"
        );
        v["result"]["structuredContent"].clone()
    }
}

/// The outcome of one tool call as a client sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A result without isError: the write was acknowledged.
    Ok(Value),
    /// An isError result: its text.
    ToolError(String),
    /// A JSON-RPC error object.
    RpcError(Value),
}

/// Classifies a JSON-RPC response.
pub fn outcome(response: &Value) -> Outcome {
    if let Some(e) = response.get("error") {
        return Outcome::RpcError(e.clone());
    }
    let result = &response["result"];
    if result["isError"] == true {
        let text = result["content"]
            .as_array()
            .map(|c| {
                c.iter()
                    .filter_map(|x| x["text"].as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        return Outcome::ToolError(text);
    }
    Outcome::Ok(result["structuredContent"].clone())
}

/// A JSON-RPC tools/call request.
pub fn request(id: i64, name: &str, args: Value) -> Value {
    serde_json::json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
        "params": {"name": name, "arguments": args}})
}

/// The active (not withdrawn) CSF 2.0 subcategory ids, in catalog order.
pub fn active_ids() -> Vec<&'static str> {
    csf_catalog::subcategories()
        .iter()
        .filter(|s| !s.withdrawn)
        .map(|s| s.id)
        .collect()
}

/// A small deterministic generator (xorshift64*): varied but reproducible test schedules.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

/// A number from the environment (rounds of the long form), else `default`.
pub fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// The PostgreSQL URL for this run: Some(url) when set; None (with a printed skip) when not,
/// or a failure when CSF_TEST_POSTGRES_REQUIRED=1 says it must be there.
pub fn postgres_url(test: &str) -> Option<String> {
    match std::env::var("CSF_TEST_POSTGRES_URL") {
        Ok(u) if !u.trim().is_empty() => Some(u),
        _ => {
            assert!(
                std::env::var("CSF_TEST_POSTGRES_REQUIRED").as_deref() != Ok("1"),
                "{test}: CSF_TEST_POSTGRES_REQUIRED=1 but CSF_TEST_POSTGRES_URL is not set"
            );
            eprintln!(
                "{test}: skipped (set CSF_TEST_POSTGRES_URL, or run under \
                 crates/store/scripts/with-postgres.sh)"
            );
            None
        }
    }
}

/// A name unique to this test run, so runs sharing one PostgreSQL database never mix.
pub fn run_nonce() -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros());
    format!("{}-{t}", std::process::id())
}
