//! A quick look inside a JSON-RPC body before it reaches the MCP handler: which methods and
//! tools it calls, so scopes can be enforced and metrics labelled.
//!
//! Fail-closed: a body this parser cannot read (malformed JSON, duplicate keys, a non-string
//! tool name) is refused outright, so the handler never runs something we did not classify.

use std::borrow::Cow;

use serde::Deserialize;

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
                method: "tools/call".into(),
                tool,
            },
        );
    }
    (
        ToolClass::Read,
        CallLabels {
            method: method_label(method).into(),
            tool: String::new(),
        },
    )
}

/// Reads a JSON-RPC body (one message or a batch); `None` if it does not parse.
pub fn inspect(body: &[u8], classify: &dyn Fn(&str) -> Option<ToolClass>) -> Option<Inspection> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace())?;
    if *first == b'[' {
        let messages: Vec<Message<'_>> = serde_json::from_slice(body).ok()?;
        let needs = messages
            .iter()
            .map(|m| inspect_one(m, classify).0)
            .max()
            .unwrap_or(ToolClass::Read);
        return Some(Inspection {
            needs,
            labels: CallLabels {
                method: "batch".into(),
                tool: String::new(),
            },
        });
    }
    let message: Message<'_> = serde_json::from_slice(body).ok()?;
    let (needs, labels) = inspect_one(&message, classify);
    Some(Inspection { needs, labels })
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
        inspect(body.as_bytes(), &classify).map(|i| i.needs)
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
    fn batches_need_their_highest_class() {
        let body = r#"[{"jsonrpc":"2.0","id":1,"method":"tools/list"},
                       {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"wipe"}}]"#;
        assert_eq!(needs(body), Some(ToolClass::Admin));
    }

    #[test]
    fn other_methods_need_read() {
        assert_eq!(
            needs(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#),
            Some(ToolClass::Read)
        );
        let labels = inspect(br#"{"jsonrpc":"2.0","method":"x/y"}"#, &classify)
            .unwrap()
            .labels;
        assert_eq!(labels.method, "other");
    }

    #[test]
    fn unreadable_bodies_fail_closed() {
        assert_eq!(needs("not json"), None);
        assert_eq!(needs(""), None);
        assert_eq!(
            needs(r#"{"method":"tools/call","params":{"name":7}}"#),
            None
        );
        assert_eq!(
            needs(r#"{"method":"tools/call","params":{"name":"lookup","name":"save"}}"#),
            None,
            "duplicate keys must not hide a write call"
        );
    }
}
