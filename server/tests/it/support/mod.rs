//! Helpers of the server's tests. Here: the in-process tool tests' way to call a tool, check its
//! structured output against the tool's own outputSchema, or check it was refused with a useful
//! message. Processes of the real binary: [`spawn`]; the web console: [`console`]; generic test
//! code: the `csf_testkit` crate.

pub mod console;
pub mod hostile;
pub mod ledger;
pub mod net;
pub mod security;
pub mod spawn;

use std::sync::Arc;

use nist_csf_mcp::mcp::toolset;
use nist_csf_mcp::{Context, CsfServer};
use rmcp::model::{CallToolResult, JsonObject};
use serde_json::Value;

/// A server over a private in-memory database.
pub fn server() -> CsfServer {
    CsfServer::new(Arc::new(Context::in_memory().expect("in-memory store")))
}

pub fn args(v: Value) -> JsonObject {
    match v {
        Value::Object(o) => o,
        _ => panic!("arguments must be an object"),
    }
}

pub fn text(r: &CallToolResult) -> String {
    r.content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect()
}

pub async fn call(s: &CsfServer, name: &str, a: Value) -> CallToolResult {
    s.call(name, args(a)).await.expect("known tool")
}

/// Calls a tool with valid arguments and checks the result against its output schema.
pub async fn ok_on(s: &CsfServer, name: &str, a: Value) -> Value {
    let r = call(s, name, a.clone()).await;
    assert_ne!(r.is_error, Some(true), "{name} {a}: {}", text(&r));
    let structured = r.structured_content.clone().expect("structuredContent");
    let tool = toolset::find(name).unwrap().descriptor();
    let schema = Value::Object(tool.output_schema.unwrap().as_ref().clone());
    let validator = jsonschema::validator_for(&schema).expect("output schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&structured)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name} {a}: {errors:?}");
    assert_eq!(
        serde_json::from_str::<Value>(&text(&r)).unwrap(),
        structured
    );
    structured
}

/// Calls a tool with bad arguments: must be an isError result mentioning `needle`.
pub async fn refused_on(s: &CsfServer, name: &str, a: Value, needle: &str) {
    let r = call(s, name, a.clone()).await;
    assert_eq!(r.is_error, Some(true), "{name} {a} should fail");
    let msg = text(&r);
    assert!(msg.contains(needle), "{name} {a}: `{msg}` lacks `{needle}`");
}

/// Calls `generate_report` (checked like [`ok_on`]) and returns the structured result with
/// the document it embeds as a resource (its MIME type must be the result's `media_type`).
pub async fn report_on(s: &CsfServer, a: Value) -> (Value, String) {
    let structured = ok_on(s, "generate_report", a.clone()).await;
    let r = call(s, "generate_report", a).await;
    let doc = r
        .content
        .iter()
        .find_map(|c| match c {
            rmcp::model::ContentBlock::Resource(e) => Some(e.resource.clone()),
            _ => None,
        })
        .expect("the report is an embedded resource");
    match doc {
        rmcp::model::ResourceContents::TextResourceContents {
            uri,
            mime_type,
            text,
            ..
        } => {
            assert!(uri.starts_with("csf://report/doc_"), "{uri}");
            assert_eq!(
                mime_type.as_deref(),
                structured["media_type"].as_str(),
                "{uri}"
            );
            (structured, text)
        }
        other => panic!("a report is text, got {other:?}"),
    }
}

/// The id a create tool answers with, at `pointer` in its output (`/organization/id`).
pub async fn id_of(s: &CsfServer, tool: &str, args: Value, pointer: &str) -> String {
    let v = ok_on(s, tool, args).await;
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap()
        .to_owned()
}
