//! HTTP body decode, the pure part: the two readers a POST body to `/mcp` meets.
//!
//! 1. csf-transport's [`rpc_inspect::inspect`] (scope check and metric labels, single or batch),
//!    which must fail closed on anything it cannot read, and [`rpc_inspect::inspect_quick`], the
//!    gate's reader, which skips rmcp's decode on the common path;
//! 2. rmcp's body decode, `serde_json::from_slice::<ClientJsonRpcMessage>` on the collected
//!    bytes (rmcp's `expect_json` is crate-private, so the same call is made here).
//!
//! Properties: whatever rmcp would run as a `tools/call`, the inspector classified by that
//! tool's name, so a write or admin call can never pass as a read; a body rmcp cannot decode is
//! refused by the inspector first (with a JSON-RPC error rather than rmcp's bare 415). The
//! inspector may refuse more than rmcp does (batches, duplicate keys): fail-closed, allowed.
//! The quick reader classifies exactly as the inspector does and refuses what it refuses,
//! except that it may pass a body rmcp cannot decode (rmcp then refuses it with 415 before any
//! handler runs, and the gate answers with the inspector's refusal).

use csf_transport::rpc_inspect::{inspect, inspect_quick};
use csf_transport::ToolClass;
use rmcp::model::{ClientJsonRpcMessage, ClientRequest, JsonRpcMessage};

/// Tool names the fuzzer can hit cheaply; `write_tool`/`admin_tool` raise the class.
pub fn classify(name: &str) -> Option<ToolClass> {
    match name {
        "read_tool" => Some(ToolClass::Read),
        "write_tool" => Some(ToolClass::Write),
        "admin_tool" => Some(ToolClass::Admin),
        _ => None,
    }
}

pub fn run(body: &[u8]) {
    let inspection = inspect(body, &classify);
    let quick = inspect_quick(body, &classify);
    let decoded = serde_json::from_slice::<ClientJsonRpcMessage>(body);
    match (&quick, &inspection) {
        (Ok(_), Err(_)) => assert!(
            decoded.is_err(),
            "the quick reader passes a body the inspector refuses and rmcp decodes: {}",
            String::from_utf8_lossy(body)
        ),
        _ => assert_eq!(
            quick,
            inspection,
            "the quick reader and the inspector differ on {}",
            String::from_utf8_lossy(body)
        ),
    }
    let Ok(message) = decoded else {
        assert!(
            inspection.is_err(),
            "the gate passes a body rmcp cannot decode: {}",
            String::from_utf8_lossy(body)
        );
        return;
    };
    let Ok(inspection) = inspection else {
        return;
    };
    if let JsonRpcMessage::Request(request) = &message {
        if let ClientRequest::CallToolRequest(call) = &request.request {
            let name: &str = &call.params.name;
            let expected = classify(name).unwrap_or(ToolClass::Read);
            assert_eq!(
                inspection.needs, expected,
                "the gate classified tool `{name}` as {:?}, rmcp will run it",
                inspection.needs
            );
        }
    }
}
