//! The audit trail of writes: every call of an operation that may write appends one row
//! (operation, principal, organization, a bounded summary of the arguments, the result),
//! whether it succeeded or not. Large content (imports) is summarised by size, never copied.

use std::sync::{Arc, Mutex};

use csf_store::{AuditEvent, AuditResult, OrgId, PendingAudit, ProfileId, Store};
use serde_json::{Map, Value};

const MAX_SUMMARY: usize = 600;

/// A short, safe description of a call's arguments: long text cut, imported content and lists
/// of entries counted instead of copied.
pub fn summarize_args(args: &Map<String, Value>) -> String {
    let mut shown = Map::new();
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
    text
}

/// One audited call: the row it will commit with its first write, or append afterwards.
#[derive(Debug)]
pub(crate) struct AuditedCall {
    event: AuditEvent,
    pending: Mutex<Option<Arc<PendingAudit>>>,
}

impl AuditedCall {
    pub(crate) fn new(
        operation: &str,
        principal: &str,
        args_summary: String,
        hints: (Option<&str>, Option<&str>),
    ) -> Self {
        AuditedCall {
            event: AuditEvent {
                tool: operation.to_string(),
                principal: principal.to_string(),
                org_id: hints.0.and_then(|o| OrgId::parse(o).ok()),
                profile_id: hints.1.and_then(|p| ProfileId::parse(p).ok()),
                args_summary,
                result: AuditResult::Ok,
                detail: None,
            },
            pending: Mutex::new(None),
        }
    }

    /// The row to commit with the next write (the same row for every write of the call: the
    /// store commits it with the first one only, naming what the write concerned).
    pub(crate) fn pending(&self) -> Arc<PendingAudit> {
        let mut slot = match self.pending.lock() {
            Ok(slot) => slot,
            Err(poisoned) => poisoned.into_inner(),
        };
        slot.get_or_insert_with(|| Arc::new(PendingAudit::new(self.event.clone())))
            .clone()
    }

    /// The row still to append for this outcome, if any. A row naming a profile but no
    /// organization is given the profile's organization where the store still has it.
    pub(crate) fn outcome_row(
        &self,
        outcome: Result<(), &str>,
        store: &dyn Store,
    ) -> Option<AuditEvent> {
        let pending = match self.pending.lock() {
            Ok(slot) => slot.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        let committed = pending.as_ref().is_some_and(|p| p.is_committed());
        let mut event = pending.map_or_else(|| self.event.clone(), |p| p.event().clone());
        match outcome {
            Ok(()) if committed => return None,
            Ok(()) => {}
            Err(message) => {
                event.result = AuditResult::Error;
                event.detail = Some(message.chars().take(500).collect());
            }
        }
        if event.org_id.is_none() {
            if let Some(p) = &event.profile_id {
                event.org_id = store.get_profile(p).ok().map(|p| p.org_id);
            }
        }
        Some(event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_count_bulk_arguments_and_cut_long_text() {
        let args = serde_json::json!({
            "content": "a,b\n1,2\n",
            "entries": [1, 2, 3],
            "notes": "x".repeat(300),
            "profile_id": "prof_1"
        });
        let Value::Object(args) = args else {
            unreachable!()
        };
        let s = summarize_args(&args);
        assert!(s.contains("<8 bytes>") && s.contains("<3 items>"), "{s}");
        assert!(s.contains(&format!("{}…", "x".repeat(120))), "{s}");
        assert!(s.chars().count() <= MAX_SUMMARY + 1);
    }

    #[test]
    fn a_call_that_committed_nothing_appends_its_outcome() {
        let store = csf_store::open(":memory:").unwrap();
        let call = AuditedCall::new("record_assessment", "alice", "{}".into(), (None, None));
        let row = call.outcome_row(Err("bad id"), store.as_ref()).unwrap();
        assert_eq!(row.result, AuditResult::Error);
        assert_eq!(row.detail.as_deref(), Some("bad id"));
        let ok = call.outcome_row(Ok(()), store.as_ref()).unwrap();
        assert_eq!(ok.result, AuditResult::Ok);
    }
}
