//! The audit trail of write tools: every call of a tool that is not read-only appends one row
//! (tool, principal, organization when named, a bounded summary of the arguments, the result),
//! whether it succeeded or not. Large content (imports) is summarised by size, never copied.

use rmcp::model::JsonObject;
use serde_json::Value;

use super::error::ToolError;
use super::registry::Call;

const MAX_SUMMARY: usize = 600;

pub struct Summary {
    text: String,
    org_id: Option<String>,
}

/// A short, safe description of the arguments.
pub fn summary(args: &JsonObject) -> Summary {
    let mut shown = JsonObject::new();
    for (k, v) in args {
        let v = match (k.as_str(), v) {
            ("content", Value::String(s)) => Value::String(format!("<{} bytes>", s.len())),
            ("entries" | "answers" | "responses", Value::Array(a)) => {
                Value::String(format!("<{} items>", a.len()))
            }
            (_, Value::String(s)) if s.chars().count() > 120 => {
                Value::String(format!("{}…", s.chars().take(120).collect::<String>()))
            }
            _ => v.clone(),
        };
        shown.insert(k.clone(), v);
    }
    let mut text = Value::Object(shown).to_string();
    if text.chars().count() > MAX_SUMMARY {
        text = format!("{}…", text.chars().take(MAX_SUMMARY).collect::<String>());
    }
    Summary {
        text,
        org_id: args
            .get("org_id")
            .and_then(Value::as_str)
            .map(str::to_string),
    }
}

/// Appends the audit row. A failure to audit is logged loudly; it cannot undo the call.
pub async fn record(
    call: &Call,
    tool: &'static str,
    summary: Summary,
    result: &Result<Value, ToolError>,
) {
    let ctx = call.ctx.clone();
    let principal = call.principal.to_string();
    let (outcome, detail) = match result {
        Ok(_) => (csf_store::AuditResult::Ok, None),
        Err(e) => (
            csf_store::AuditResult::Error,
            Some(e.to_string().chars().take(500).collect()),
        ),
    };
    let org_id = summary
        .org_id
        .as_deref()
        .and_then(|o| csf_store::OrgId::parse(o).ok());
    let event = csf_store::AuditEvent {
        tool: tool.to_string(),
        principal,
        org_id,
        args_summary: summary.text,
        result: outcome,
        detail,
    };
    let done = tokio::task::spawn_blocking(move || ctx.store()?.append_audit(&event)).await;
    match done {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => tracing::error!(tool, error = %e, "audit row not written"),
        Err(e) => tracing::error!(tool, error = %e, "audit task failed"),
    }
}
