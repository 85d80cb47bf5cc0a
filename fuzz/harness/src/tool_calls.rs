//! Tool argument decoding for every tool, through `CsfServer::call` on a fresh in-memory store.
//!
//! An input is up to [`MAX_CALLS`] lines, each one tool call. A line is either
//! `tool_name {json object}` (readable seeds) or one selector byte (index into the registry,
//! modulo its length, so every mutation still names a real tool) followed by the arguments.
//! Argument strings `$0`..`$9` are replaced by ids returned by earlier calls in the same input
//! (organisations, profiles, plans: the store makes random ids), so sequences such as
//! create organisation -> create profile -> record -> analyse reach the deep paths.
//!
//! Properties: no call panics (a tool error is fine); every registry tool is found by its
//! own name; every result serialises.

use std::sync::Arc;

use nist_csf_mcp::mcp::toolset;
use nist_csf_mcp::{Context, CsfServer};
use rmcp::model::JsonObject;
use serde_json::Value;

/// Calls per input: enough for a setup chain plus the call under test, and fast.
pub const MAX_CALLS: usize = 8;
/// Ids remembered for `$N` substitution.
const MAX_IDS: usize = 10;

pub fn run(data: &[u8]) {
    let calls: Vec<(&'static str, JsonObject)> = data
        .split(|b| *b == b'\n')
        .filter_map(decode_call)
        .take(MAX_CALLS)
        .collect();
    if calls.is_empty() {
        return;
    }
    let ctx = Context::in_memory().expect("an in-memory store opens");
    let server = CsfServer::new(Arc::new(ctx));
    crate::runtime::block_on(async {
        let mut ids: Vec<String> = Vec::new();
        for (name, mut args) in calls {
            substitute(&mut args, &ids);
            let result = server
                .call(name, args)
                .await
                .unwrap_or_else(|| panic!("registry tool `{name}` is not found by its name"));
            let result = serde_json::to_value(&result).expect("a tool result serialises");
            collect_ids(&result, &mut ids);
        }
    });
}

/// One line to (tool, arguments); `None` when the arguments are not a JSON object.
fn decode_call(line: &[u8]) -> Option<(&'static str, JsonObject)> {
    let tools = toolset::all();
    let (&first, rest) = line.split_first()?;
    let by_name = line.iter().position(|b| *b == b' ').and_then(|space| {
        let name = std::str::from_utf8(&line[..space]).ok()?;
        toolset::find(name).map(|tool| (tool.meta().name, &line[space + 1..]))
    });
    let (name, args) =
        by_name.unwrap_or_else(|| (tools[usize::from(first) % tools.len()].meta().name, rest));
    let args = if args.iter().all(u8::is_ascii_whitespace) {
        JsonObject::new()
    } else {
        match serde_json::from_slice::<Value>(args).ok()? {
            Value::Object(map) => map,
            _ => return None,
        }
    };
    Some((name, args))
}

/// Replaces every string `$N` (anywhere in the arguments) by the N-th id seen so far.
fn substitute(args: &mut JsonObject, ids: &[String]) {
    fn walk(value: &mut Value, ids: &[String]) {
        match value {
            Value::String(s) => {
                if let Some(n) = s.strip_prefix('$').and_then(|n| n.parse::<usize>().ok()) {
                    if let Some(id) = ids.get(n) {
                        *s = id.clone();
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| walk(v, ids)),
            Value::Object(map) => map.values_mut().for_each(|v| walk(v, ids)),
            _ => {}
        }
    }
    args.values_mut().for_each(|v| walk(v, ids));
}

/// Remembers string values under `id` / `*_id` keys of a result (store records, not CSF ids).
fn collect_ids(value: &Value, ids: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if let (true, Value::String(s)) = (key == "id" || key.ends_with("_id"), v) {
                    let record = csf_catalog::get(s).is_none();
                    if record && ids.len() < MAX_IDS && !ids.contains(s) {
                        ids.push(s.clone());
                    }
                }
                collect_ids(v, ids);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_ids(v, ids)),
        _ => {}
    }
}
