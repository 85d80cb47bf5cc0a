//! Raw JSON-RPC 2.0 for MCP: the requests the load generator writes and the checks it makes
//! on every reply. No SDK client sits in between, so what is measured is the server.

use crate::{
    reply::Json,
    scenario::{Call, Expect},
};

/// The newest protocol revision that still has `initialize` (rmcp 3.11 supports it).
pub const PROTOCOL_VERSION: &str = "2025-11-25";

/// `initialize` with id `id`, as one line without the newline.
pub fn initialize(id: u64) -> String {
    format!(
        r#"{{"jsonrpc":"2.0","id":{id},"method":"initialize","params":{{"protocolVersion":"{PROTOCOL_VERSION}","capabilities":{{}},"clientInfo":{{"name":"csf-loadgen","version":"{}"}}}}}}"#,
        env!("CARGO_PKG_VERSION")
    )
}

/// The `notifications/initialized` notification that completes the handshake.
pub const INITIALIZED: &str = r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#;

/// A `tools/call` whose params are serialised once and stamped with a fresh id per request.
#[derive(Debug, Clone)]
pub struct PreparedCall {
    params: String,
    pub call: Call,
}

impl PreparedCall {
    pub fn new(call: &Call) -> Self {
        let params = serde_json::json!({ "name": call.tool, "arguments": call.arguments });
        Self {
            params: params.to_string(),
            call: call.clone(),
        }
    }

    /// The request line (without the newline) for id `id`.
    pub fn request(&self, id: u64) -> String {
        format!(
            r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{}}}"#,
            self.params
        )
    }
}

/// The id of a JSON-RPC response, or `None` for notifications and requests from the server.
pub fn response_id<J: Json>(msg: &J) -> Option<u64> {
    if msg.field("method").is_some() {
        return None;
    }
    msg.field("id").and_then(J::as_unsigned)
}

/// Checks a `tools/call` reply: a result (not a JSON-RPC error), not `isError`, and every
/// expectation of the call. Returns a short description of the first failure.
pub fn check_tool_reply<J: Json>(msg: &J, call: &Call) -> Result<(), String> {
    if let Some(err) = msg.field("error") {
        return Err(format!("JSON-RPC error: {}", clip(err)));
    }
    let Some(result) = msg.field("result") else {
        return Err(format!("no result: {}", clip(msg)));
    };
    if result.field("isError").and_then(J::as_flag) == Some(true) {
        return Err(format!("tool error: {}", clip(result)));
    }
    call.expect.iter().try_for_each(|e| check_expect(msg, e))
}

/// Checks an `initialize` reply: a result carrying a protocol version.
pub fn check_initialize_reply<J: Json>(msg: &J) -> Result<(), String> {
    match msg
        .at_pointer("/result/protocolVersion")
        .and_then(J::as_text)
    {
        Some(_) => Ok(()),
        None => Err(format!("not an initialize result: {}", clip(msg))),
    }
}

fn check_expect<J: Json>(msg: &J, e: &Expect) -> Result<(), String> {
    let found = msg.at_pointer(&e.pointer);
    if let Some(want) = &e.equals {
        return match found {
            Some(got) if got.same_as(want) => Ok(()),
            Some(got) => Err(format!(
                "{} = {}, expected {}",
                e.pointer,
                clip(got),
                clip(want)
            )),
            None => Err(format!("{} missing, expected {}", e.pointer, clip(want))),
        };
    }
    if let Some(min) = e.min_items {
        return match found.and_then(J::array_len) {
            Some(n) if n >= min => Ok(()),
            Some(n) => Err(format!("{} has {n} items, expected ≥ {min}", e.pointer)),
            None => Err(format!("{} is not an array", e.pointer)),
        };
    }
    if let Some(prefix) = &e.starts_with {
        return match found.and_then(J::as_text) {
            Some(s) if s.starts_with(prefix.as_str()) => Ok(()),
            Some(s) => Err(format!(
                "{} = {s:?}, expected it to start with {prefix:?}",
                e.pointer
            )),
            None => Err(format!("{} is not a string", e.pointer)),
        };
    }
    Ok(())
}

/// A value shortened for an error message.
fn clip<J: Json>(v: &J) -> String {
    let s = v.to_text();
    match s.char_indices().nth(160) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn call(expect: Vec<Expect>) -> Call {
        Call {
            tool: "echo".into(),
            arguments: json!({"text": "AB.CD-01"}),
            expect,
        }
    }

    #[test]
    fn request_line_is_valid_json_with_the_id() {
        let p = PreparedCall::new(&call(vec![]));
        let v: Value = serde_json::from_str(&p.request(42)).unwrap();
        assert_eq!(v["id"], 42);
        assert_eq!(v["params"]["arguments"]["text"], "AB.CD-01");
        let v: Value = serde_json::from_str(&initialize(0)).unwrap();
        assert_eq!(v["params"]["protocolVersion"], PROTOCOL_VERSION);
    }

    #[test]
    fn right_answer_passes_wrong_answer_fails() {
        let c = call(vec![Expect::equals(
            "/result/structuredContent/text",
            json!("AB.CD-01"),
        )]);
        let ok = json!({"jsonrpc":"2.0","id":1,"result":{"structuredContent":{"text":"AB.CD-01"}}});
        assert_eq!(check_tool_reply(&ok, &c), Ok(()));
        let wrong = json!({"jsonrpc":"2.0","id":1,"result":{"structuredContent":{"text":"XY"}}});
        assert!(check_tool_reply(&wrong, &c)
            .unwrap_err()
            .contains("expected"));
        let missing = json!({"jsonrpc":"2.0","id":1,"result":{}});
        assert!(check_tool_reply(&missing, &c)
            .unwrap_err()
            .contains("missing"));
    }

    #[test]
    fn tool_errors_and_rpc_errors_fail() {
        let c = call(vec![]);
        let tool_err = json!({"id":1,"result":{"isError":true,"content":[]}});
        assert!(check_tool_reply(&tool_err, &c).is_err());
        let rpc_err = json!({"id":1,"error":{"code":-32602,"message":"bad"}});
        assert!(check_tool_reply(&rpc_err, &c).is_err());
    }

    #[test]
    fn min_items_counts_array_entries() {
        let c = call(vec![Expect {
            pointer: "/result/structuredContent/results".into(),
            equals: None,
            min_items: Some(2),
            starts_with: None,
        }]);
        let two = json!({"id":1,"result":{"structuredContent":{"results":[1,2]}}});
        assert_eq!(check_tool_reply(&two, &c), Ok(()));
        let one = json!({"id":1,"result":{"structuredContent":{"results":[1]}}});
        assert!(check_tool_reply(&one, &c).is_err());
    }

    #[test]
    fn starts_with_checks_a_string_prefix() {
        let c = call(vec![Expect {
            pointer: "/result/structuredContent/results/0/id".into(),
            equals: None,
            min_items: None,
            starts_with: Some("AB.CD".into()),
        }]);
        let good = json!({"id":1,"result":{"structuredContent":{"results":[{"id":"AB.CD-02"}]}}});
        assert_eq!(check_tool_reply(&good, &c), Ok(()));
        let bad = json!({"id":1,"result":{"structuredContent":{"results":[{"id":"XY.ZZ-01"}]}}});
        assert!(check_tool_reply(&bad, &c)
            .unwrap_err()
            .contains("start with"));
    }

    #[test]
    fn notifications_have_no_response_id() {
        assert_eq!(
            response_id(&json!({"method":"notifications/message","params":{}})),
            None
        );
        assert_eq!(response_id(&json!({"id":7,"result":{}})), Some(7));
    }
}
