//! The audit trail of write tools: every call of a tool that is not read-only appends one row
//! (tool, principal, organization when named, a bounded summary of the arguments, the result),
//! whether it succeeded or not. Large content (imports) is summarised by size, never copied.

use std::sync::Arc;

use csf_store::{AuditEvent, AuditResult, PendingAudit};
use rmcp::model::JsonObject;
use serde_json::Value;

use super::error::ToolError;
use super::registry::Call;

const MAX_SUMMARY: usize = 600;

struct Summary {
    text: String,
    org_id: Option<String>,
}

/// A short, safe description of the arguments.
fn summary(args: &JsonObject) -> Summary {
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

/// The call's audit row, written as `ok` inside the transaction of its first committed write
/// (see [`csf_store::Store::audited`]): a stored change always has its row, even if the process
/// dies right after the commit.
pub fn pending(call: &Call, tool: &'static str, args: &JsonObject) -> Arc<PendingAudit> {
    let summary = summary(args);
    Arc::new(PendingAudit::new(AuditEvent {
        tool: tool.to_string(),
        principal: call.principal.to_string(),
        org_id: summary
            .org_id
            .as_deref()
            .and_then(|o| csf_store::OrgId::parse(o).ok()),
        args_summary: summary.text,
        result: AuditResult::Ok,
        detail: None,
    }))
}

/// Appends the row the call's writes did not already commit: an error (after a failed write
/// nothing is stored; after a committed one the `ok` row records what was stored and this one
/// why the call still failed), or success without a write (a dry run). A failure to audit is
/// logged loudly; it cannot undo the call.
pub async fn settle(call: &Call, pending: &PendingAudit, result: &Result<Value, ToolError>) {
    let mut event = pending.event().clone();
    match result {
        Ok(_) if pending.is_committed() => return,
        Ok(_) => {}
        Err(e) => {
            event.result = AuditResult::Error;
            event.detail = Some(e.to_string().chars().take(500).collect());
        }
    }
    let ctx = call.ctx.clone();
    let tool = pending.event().tool.clone();
    let done = tokio::task::spawn_blocking(move || ctx.store()?.append_audit(&event)).await;
    match done {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => tracing::error!(tool, error = %e, "audit row not written"),
        Err(e) => tracing::error!(tool, error = %e, "audit task failed"),
    }
}
