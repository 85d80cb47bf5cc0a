//! JSON-RPC messages as MCP clients send them, how a tool call's answer reads, and one way to
//! call tools whatever the transport (a stdio process or an HTTP server), so checks that read
//! and write a store through the tools share their code.

use serde_json::{json, Value};

/// The protocol revision the tests speak (`initialize`, `MCP-Protocol-Version`).
pub const PROTOCOL: &str = "2025-11-25";

/// A JSON-RPC `tools/call` request.
pub fn request(id: i64, name: &str, args: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
        "params": {"name": name, "arguments": args}})
}

/// The `initialize` request of a client named `client`.
pub fn initialize(id: i64, client: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "initialize", "params": {
        "protocolVersion": PROTOCOL, "capabilities": {},
        "clientInfo": {"name": client, "version": "1"}}})
}

/// The notification that ends the handshake.
pub fn initialized() -> Value {
    json!({"jsonrpc": "2.0", "method": "notifications/initialized"})
}

/// A `ping` request (answered after each hostile input to show the server still serves).
pub fn ping(id: i64) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "ping"})
}

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
        return Outcome::ToolError(result_text(result));
    }
    Outcome::Ok(result["structuredContent"].clone())
}

/// The text parts of a tool result, joined by spaces.
pub fn result_text(result: &Value) -> String {
    result["content"]
        .as_array()
        .map(|c| {
            c.iter()
                .filter_map(|x| x["text"].as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

/// The JSON-RPC response in an HTTP answer body: plain JSON, or the `data:` line of an SSE
/// stream that carries a response (rmcp streams when a handler notifies before answering).
pub fn response_in_body(body: &str) -> Option<Value> {
    if let Ok(v) = serde_json::from_str::<Value>(body.trim()) {
        return Some(v);
    }
    body.lines()
        .filter_map(|l| l.strip_prefix("data:"))
        .filter_map(|d| serde_json::from_str::<Value>(d.trim()).ok())
        .find(|v| v.get("id").is_some() && (v.get("result").is_some() || v.get("error").is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_are_told_apart() {
        let ok = json!({"result": {"structuredContent": {"a": 1}}});
        assert_eq!(outcome(&ok), Outcome::Ok(json!({"a": 1})));
        let refused = json!({"result": {"isError": true,
            "content": [{"type": "text", "text": "bad"}, {"type": "text", "text": "id"}]}});
        assert_eq!(outcome(&refused), Outcome::ToolError("bad id".into()));
        let rpc = json!({"error": {"code": -32602}});
        assert_eq!(outcome(&rpc), Outcome::RpcError(json!({"code": -32602})));
    }

    #[test]
    fn a_response_is_found_in_json_or_in_an_sse_stream() {
        assert_eq!(response_in_body(" {\"id\":1} "), Some(json!({"id": 1})));
        let sse = "event: message\ndata: {\"method\":\"notifications/progress\"}\n\n\
                   data: {\"id\":2,\"result\":{}}\n\n";
        assert_eq!(response_in_body(sse), Some(json!({"id": 2, "result": {}})));
        assert_eq!(response_in_body("data: {\"method\":\"x\"}\n"), None);
    }
}
