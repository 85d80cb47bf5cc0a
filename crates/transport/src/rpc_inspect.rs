//! A quick look inside a JSON-RPC body before it reaches the MCP handler: which methods and
//! tools it calls, so scopes can be enforced and metrics labelled.
//!
//! Fail-closed: a body this parser cannot read (malformed JSON, duplicate keys, a non-string
//! tool name) is refused outright, so the handler never runs something we did not classify.
//! [`inspect`] also decodes the body exactly as rmcp will, so every body rmcp would refuse
//! (with a bare 415) is refused here instead, as a 400 with a JSON-RPC error that says why.
//! The gate uses [`inspect_quick`], which skips that decode on the common path and leaves the
//! rare JSON-RPC-shaped body rmcp refuses to rmcp's 415, answered then with `inspect`'s refusal.

use std::borrow::Cow;

use rmcp::model::ClientJsonRpcMessage;
use serde::Deserialize;
use serde_json::error::Category;

use crate::metrics::CallLabels;
use crate::scope::ToolClass;

#[derive(Deserialize)]
struct Params<'a> {
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Message<'a> {
    #[serde(borrow)]
    method: Option<Cow<'a, str>>,
    params: Option<Params<'a>>,
    id: Option<serde_json::Value>,
}

/// Why a body is refused before the handler: a JSON-RPC error for a message with no usable id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `-32700`: the bytes are not JSON this server can decode.
    Parse(String),
    /// `-32600`: JSON, but not one JSON-RPC message this server accepts.
    InvalidRequest(String),
}

impl Refusal {
    /// The JSON-RPC error code.
    pub fn code(&self) -> i32 {
        match self {
            Refusal::Parse(_) => -32700,
            Refusal::InvalidRequest(_) => -32600,
        }
    }

    /// The JSON-RPC error message.
    pub fn message(&self) -> &str {
        match self {
            Refusal::Parse(m) | Refusal::InvalidRequest(m) => m,
        }
    }

    /// The JSON-RPC error response (`id` is null: the request's id could not be trusted).
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "jsonrpc": "2.0",
            "id": null,
            "error": { "code": self.code(), "message": self.message() },
        })
        .to_string()
    }
}

fn invalid<R: std::fmt::Display>(reason: R) -> Refusal {
    Refusal::InvalidRequest(format!("Invalid request: {reason}"))
}

/// A JSON error as a refusal: undecodable bytes are a parse error, a wrong shape is invalid.
fn from_json_error(e: &serde_json::Error) -> Refusal {
    match e.classify() {
        Category::Data => invalid(format!(
            "not a JSON-RPC 2.0 request, notification or response ({e})"
        )),
        _ if e.to_string().starts_with("recursion limit exceeded") => {
            Refusal::Parse("Parse error: JSON nested deeper than 128 levels is not accepted".into())
        }
        _ => Refusal::Parse(format!("Parse error: body is not valid JSON: {e}")),
    }
}

/// A request id must be a string or an integer that fits in 64 signed bits.
fn check_id(id: Option<&serde_json::Value>) -> Result<(), Refusal> {
    match id {
        None | Some(serde_json::Value::String(_)) => Ok(()),
        Some(serde_json::Value::Number(n)) if n.as_i64().is_some() => Ok(()),
        Some(_) => Err(invalid(
            "`id` must be a string or an integer from -2^63 to 2^63-1",
        )),
    }
}

/// Methods used as metric labels as they are; anything else is `other`.
const KNOWN_METHODS: &[&str] = &[
    "initialize",
    "ping",
    "server/discover",
    "tools/list",
    "tools/call",
    "resources/list",
    "resources/read",
    "resources/templates/list",
    "resources/subscribe",
    "resources/unsubscribe",
    "prompts/list",
    "prompts/get",
    "completion/complete",
    "logging/setLevel",
];

/// What one body asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// The highest tool class any message in the body needs.
    pub needs: ToolClass,
    /// Metric labels for the body (a batch is labelled `batch`).
    pub labels: CallLabels,
}

fn method_label(method: Option<&str>) -> &'static str {
    match method {
        None => "response",
        Some(m) if m.starts_with("notifications/") => "notification",
        Some(m) => KNOWN_METHODS
            .iter()
            .find(|k| **k == m)
            .copied()
            .unwrap_or("other"),
    }
}

fn inspect_one(
    message: &Message<'_>,
    classify: &dyn Fn(&str) -> Option<ToolClass>,
) -> (ToolClass, CallLabels) {
    let method = message.method.as_deref();
    if method == Some("tools/call") {
        let name = message.params.as_ref().and_then(|p| p.name.as_deref());
        let class = name.and_then(classify);
        let tool = match (name, class) {
            (Some(name), Some(_)) => name.to_string(),
            _ => "unknown".to_string(),
        };
        // An unknown tool is answered with an error by the handler: nothing runs, read suffices.
        return (
            class.unwrap_or(ToolClass::Read),
            CallLabels {
                method: "tools/call",
                tool,
            },
        );
    }
    (
        ToolClass::Read,
        CallLabels {
            method: method_label(method),
            tool: String::new(),
        },
    )
}

/// Reads a JSON-RPC body (exactly one message), or says why it is refused.
pub fn inspect(
    body: &[u8],
    classify: &dyn Fn(&str) -> Option<ToolClass>,
) -> Result<Inspection, Refusal> {
    let text = std::str::from_utf8(body).map_err(|e| {
        Refusal::Parse(format!(
            "Parse error: body is not valid UTF-8 (first bad byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    match text.trim_start().as_bytes().first() {
        None => {
            return Err(Refusal::Parse(
                "Parse error: empty body: send one JSON-RPC message as a JSON object".into(),
            ))
        }
        // rmcp takes one message per request; refusing here says so instead of a bare 415.
        Some(b'[') => {
            return Err(invalid(
                "batches are not supported: send one JSON-RPC message per request",
            ))
        }
        Some(_) => {}
    }
    // Decoded exactly as rmcp will decode it: bytes it cannot decode are a parse error.
    let decoded = serde_json::from_str::<ClientJsonRpcMessage>(text);
    if let Err(e) = &decoded {
        if e.classify() != Category::Data {
            return Err(from_json_error(e));
        }
    }
    if !text.trim_start().starts_with('{') {
        return Err(invalid(
            "the body must be one JSON-RPC message, a JSON object",
        ));
    }
    // Our own view: duplicate keys and a non-string tool name are refused by it, and a wrong
    // id gets a precise message before rmcp's generic one.
    let message = serde_json::from_str::<Message<'_>>(text).map_err(invalid)?;
    check_id(message.id.as_ref())?;
    decoded.map_err(|e| from_json_error(&e))?;
    let (needs, labels) = inspect_one(&message, classify);
    Ok(Inspection { needs, labels })
}

/// Opening brackets a body may hold and still take the quick path: below serde_json's nesting
/// limit (128) however they nest.
const QUICK_MAX_OPENINGS: usize = 100;

/// Bytes the quick path leaves to the full decode: nesting that could reach the depth limit,
/// or a `\u` escape in the surrogate range (skipping a string does not check those).
fn needs_full_decode(body: &[u8]) -> bool {
    let openings = body.iter().filter(|b| matches!(b, b'{' | b'[')).count();
    openings > QUICK_MAX_OPENINGS
        || body
            .windows(3)
            .any(|w| w[0] == b'\\' && w[1] == b'u' && matches!(w[2], b'd' | b'D'))
}

/// [`inspect`] without decoding the body as rmcp's message type, which costs more than the
/// rest of the gate together. What it accepts, [`inspect`] accepts too, except a body in the
/// shape of one JSON-RPC object that rmcp's type refuses (say `"jsonrpc":"1.0"` or an
/// out-of-range number): rmcp then answers 415 before any handler runs, and the caller turns
/// that into [`inspect`]'s refusal. Anything unusual takes [`inspect`] itself, so every
/// refusal reads as before.
pub fn inspect_quick(
    body: &[u8],
    classify: &dyn Fn(&str) -> Option<ToolClass>,
) -> Result<Inspection, Refusal> {
    let Ok(text) = std::str::from_utf8(body) else {
        return inspect(body, classify);
    };
    if !text.trim_start().starts_with('{') || needs_full_decode(body) {
        return inspect(body, classify);
    }
    // The same view as `inspect`'s: duplicate keys and a non-string tool name fail here.
    let Ok(message) = serde_json::from_str::<Message<'_>>(text) else {
        return inspect(body, classify);
    };
    if check_id(message.id.as_ref()).is_err() {
        return inspect(body, classify);
    }
    let (needs, labels) = inspect_one(&message, classify);
    Ok(Inspection { needs, labels })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(name: &str) -> Option<ToolClass> {
        match name {
            "lookup" => Some(ToolClass::Read),
            "save" => Some(ToolClass::Write),
            "wipe" => Some(ToolClass::Admin),
            _ => None,
        }
    }

    fn needs(body: &str) -> Option<ToolClass> {
        inspect(body.as_bytes(), &classify).ok().map(|i| i.needs)
    }

    fn refusal(body: &[u8]) -> Refusal {
        inspect(body, &classify).expect_err("refused")
    }

    #[test]
    fn classifies_tool_calls() {
        let call = |tool: &str| {
            format!(
                r#"{{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{{"name":"{tool}","arguments":{{}}}}}}"#
            )
        };
        assert_eq!(needs(&call("lookup")), Some(ToolClass::Read));
        assert_eq!(needs(&call("save")), Some(ToolClass::Write));
        assert_eq!(needs(&call("nope")), Some(ToolClass::Read));
        let labels = inspect(call("nope").as_bytes(), &classify).unwrap().labels;
        assert_eq!(labels.tool, "unknown", "unknown names never become labels");
    }

    #[test]
    fn batches_are_refused_with_what_to_send_instead() {
        let body = br#"[{"jsonrpc":"2.0","id":1,"method":"ping"},
                       {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"wipe"}}]"#;
        let r = refusal(body);
        assert_eq!(r.code(), -32600);
        assert!(
            r.message().contains("one JSON-RPC message per request"),
            "{r:?}"
        );
        assert_eq!(refusal(b"  []").code(), -32600);
    }

    #[test]
    fn other_methods_need_read() {
        assert_eq!(
            needs(r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#),
            Some(ToolClass::Read)
        );
        let labels = inspect(br#"{"jsonrpc":"2.0","method":"x/y"}"#, &classify)
            .unwrap()
            .labels;
        assert_eq!(labels.method, "other");
    }

    #[test]
    fn unreadable_bodies_fail_closed() {
        assert_eq!(refusal(b"not json").code(), -32700);
        assert_eq!(refusal(b"").code(), -32700);
        assert_eq!(refusal(b" \n").code(), -32700);
        assert_eq!(
            refusal(br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":7}}"#)
                .code(),
            -32600
        );
        let dup = refusal(
            br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"lookup","name":"save"}}"#,
        );
        assert_eq!(
            dup.code(),
            -32600,
            "duplicate keys must not hide a write call"
        );
        assert!(dup.message().contains("duplicate field"), "{dup:?}");
    }

    #[test]
    fn bytes_rmcp_cannot_decode_are_parse_errors() {
        let utf8 = refusal(
            b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\":\"a\xffb\"}}",
        );
        assert_eq!(utf8.code(), -32700);
        assert!(utf8.message().contains("UTF-8"), "{utf8:?}");
        let surrogate = refusal(
            br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"save","arguments":{"v":"a\ud800b"}}}"#,
        );
        assert_eq!(surrogate.code(), -32700, "{surrogate:?}");
        assert!(surrogate.message().contains("escape"), "{surrogate:?}");
        let deep = refusal(&nested_past_the_depth_limit());
        assert_eq!(deep.code(), -32700);
        assert!(deep.message().contains("128 levels"), "{deep:?}");
    }

    #[test]
    fn wrong_shapes_are_invalid_requests() {
        let big_id = refusal(br#"{"jsonrpc":"2.0","id":18446744073709551616,"method":"ping"}"#);
        assert_eq!(big_id.code(), -32600);
        assert!(big_id.message().contains("`id`"), "{big_id:?}");
        for id in ["{\"a\":1}", "1.5", "true", "[1]", "-9223372036854775809"] {
            let body = format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"ping"}}"#);
            assert_eq!(refusal(body.as_bytes()).code(), -32600, "id {id}");
        }
        for id in ["\"x\"", "9223372036854775807", "-9223372036854775808"] {
            let body = format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"ping"}}"#);
            assert_eq!(needs(&body), Some(ToolClass::Read), "id {id}");
        }
        let scalar = refusal(b"42");
        assert_eq!(scalar.code(), -32600);
        assert!(scalar.message().contains("JSON object"), "{scalar:?}");
        // A message rmcp cannot decode: refused here, not by rmcp with a 415.
        let old = refusal(br#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#);
        assert_eq!(old.code(), -32600, "{old:?}");
        assert!(old.message().contains("JSON-RPC 2.0"), "{old:?}");
        let json: serde_json::Value = serde_json::from_str(&old.to_json()).unwrap();
        assert_eq!(json["error"]["code"], -32600);
        assert_eq!(json["id"], serde_json::Value::Null);
    }

    /// A tools/call body whose arguments nest 200 arrays deep (serde_json stops at 128).
    fn nested_past_the_depth_limit() -> Vec<u8> {
        let mut deep =
            br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"save","arguments":{"v":"#
                .to_vec();
        deep.extend(std::iter::repeat_n(b'[', 200));
        deep.extend(std::iter::repeat_n(b']', 200));
        deep.extend_from_slice(b"}}}");
        deep
    }

    /// Bodies of every kind: the quick path must read each exactly as `inspect` does, except
    /// that it may let through a JSON-RPC-shaped object that rmcp's own decoder refuses.
    const SAMPLES: &[&[u8]] = &[
        br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"lookup","arguments":{"id":"A"}}}"#,
        br#"{"jsonrpc":"2.0","id":"x","method":"tools/call","params":{"name":"save","arguments":{}}}"#,
        br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"nope"}}"#,
        br#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#,
        br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
        br#"{"jsonrpc":"2.0","id":1,"result":{}}"#,
        br#"  {"jsonrpc":"2.0","id":1,"method":"ping"}"#,
        br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":7}}"#,
        br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"lookup","name":"save"}}"#,
        br#"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#,
        br#"{"jsonrpc":"2.0","id":18446744073709551616,"method":"ping"}"#,
        br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"save","arguments":{"v":"a\ud800b"}}}"#,
        br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"save","arguments":{"v":"\uD83D\uDE00"}}}"#,
        br#"{"jsonrpc":"2.0","id":1,"method":"ping""#,
        b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\":\"a\xffb\"}}",
        b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\":\"a\x00b\"}}",
        b"not json",
        b"",
        b"42",
        b"[]",
    ];

    /// Bodies the quick path lets through and rmcp's decoder refuses (the gate turns rmcp's
    /// 415 for them into `inspect`'s refusal).
    const DEFERRED: &[&[u8]] = &[
        br#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#,
        br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"save","arguments":{"v":1e400}}}"#,
    ];

    #[test]
    fn the_quick_path_reads_bodies_as_inspect_does() {
        let deep = nested_past_the_depth_limit();
        for body in SAMPLES.iter().copied().chain([deep.as_slice()]) {
            assert_eq!(
                inspect_quick(body, &classify),
                inspect(body, &classify),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn the_quick_path_defers_only_bodies_rmcp_refuses() {
        for body in DEFERRED {
            let text = String::from_utf8_lossy(body);
            assert!(inspect(body, &classify).is_err(), "{text}");
            assert!(inspect_quick(body, &classify).is_ok(), "{text}");
            assert!(
                serde_json::from_slice::<ClientJsonRpcMessage>(body).is_err(),
                "rmcp would accept {text}"
            );
        }
        for body in SAMPLES {
            if inspect_quick(body, &classify).is_ok() {
                assert!(
                    serde_json::from_slice::<ClientJsonRpcMessage>(body).is_ok(),
                    "{}",
                    String::from_utf8_lossy(body)
                );
            }
        }
    }
}
