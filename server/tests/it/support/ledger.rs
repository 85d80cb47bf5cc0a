//! Reading back what a store holds, through the tools, and the invariants every entry must
//! satisfy whatever happened before (crash, concurrent writers): history complete and in
//! order, the current entry equal to its newest history row, the audit trail per caller.

use std::collections::HashMap;

use serde_json::{json, Value};

use csf_testkit::McpClient;

/// A profile's current entries and all of their history rows (sorted by seq).
pub struct Snapshot {
    pub entries: Vec<Value>,
    pub history: Vec<Value>,
}

/// Reads every entry of a profile (at most 200, one page) with its whole history.
pub fn read_profile(c: &mut dyn McpClient, profile_id: &str) -> Snapshot {
    let got = c.tool(
        "get_assessment",
        json!({"profile_id": profile_id, "limit": 200, "include_history": true}),
    );
    assert!(
        got.get("next_cursor").is_none(),
        "more than one page of entries"
    );
    let entries = got["entries"].as_array().cloned().unwrap_or_default();
    let mut history = got["history"].as_array().cloned().unwrap_or_default();
    history.sort_by_key(|h| h["seq"].as_i64());
    Snapshot { entries, history }
}

/// Per entry: history versions run 1, 2, … n without gap or repeat, each row's `old` is the
/// previous row's `new`, and the current entry is the newest row's `new` (so the current value
/// is the last write in history order).
pub fn check_entries(s: &Snapshot) -> Result<(), String> {
    let mut by_sub: HashMap<&str, Vec<&Value>> = HashMap::new();
    for h in &s.history {
        by_sub
            .entry(h["subcategory_id"].as_str().unwrap_or_default())
            .or_default()
            .push(h);
    }
    if by_sub.len() != s.entries.len() {
        return Err(format!(
            "{} entries but history for {} subcategories",
            s.entries.len(),
            by_sub.len()
        ));
    }
    for e in &s.entries {
        let sub = e["subcategory_id"].as_str().unwrap_or_default();
        let rows = by_sub
            .get(sub)
            .ok_or_else(|| format!("{sub}: entry without history"))?;
        for (i, h) in rows.iter().enumerate() {
            let want = i as i64 + 1;
            if h["new"]["version"].as_i64() != Some(want) {
                return Err(format!(
                    "{sub}: history row {i} has version {}, expected {want}",
                    h["new"]["version"]
                ));
            }
            let old = &h["old"];
            let expected_old = if i == 0 {
                &Value::Null
            } else {
                &rows[i - 1]["new"]
            };
            if old != expected_old {
                return Err(format!(
                    "{sub}: history row {i} does not follow row {}",
                    i - 1
                ));
            }
        }
        let last = &rows[rows.len() - 1]["new"];
        if last != e {
            return Err(format!(
                "{sub}: current entry {e} is not the newest history row {last}"
            ));
        }
    }
    Ok(())
}

/// How many history rows carry each `notes` value (tests tag every write in its notes).
pub fn rows_by_note(s: &Snapshot) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for h in &s.history {
        let note = h["new"]["notes"].as_str().unwrap_or_default().to_string();
        *out.entry(note).or_insert(0) += 1;
    }
    out
}

/// Every audit row of one principal (all pages, newest first).
pub fn audit_rows(c: &mut dyn McpClient, principal: &str) -> Vec<Value> {
    let mut rows = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut args = json!({"principal": principal, "limit": 200});
        if let Some(cur) = &cursor {
            args["cursor"] = json!(cur);
        }
        let page = c.tool("get_audit_trail", args);
        rows.extend(page["records"].as_array().cloned().unwrap_or_default());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return rows,
        }
    }
}

/// What an audit row says about a write, as `tool|profile_id|size`: the size is the summary's
/// `<N items>` (record_assessment) or `<N bytes>` (import_assessment), so a test can match rows
/// to the calls it made.
pub fn audit_key(row: &Value) -> String {
    let args: Value =
        serde_json::from_str(row["args_summary"].as_str().unwrap_or("{}")).unwrap_or(Value::Null);
    let size = args
        .get("entries")
        .or_else(|| args.get("content"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    format!(
        "{}|{}|{}",
        row["tool"].as_str().unwrap_or_default(),
        args["profile_id"].as_str().unwrap_or_default(),
        size
    )
}

/// Counts of equal items.
pub fn multiset<I: IntoIterator<Item = String>>(items: I) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for i in items {
        *out.entry(i).or_insert(0) += 1;
    }
    out
}

/// The first item `a` holds more often than `b`, if any.
pub fn not_within(a: &HashMap<String, usize>, b: &HashMap<String, usize>) -> Option<String> {
    a.iter()
        .find(|(k, n)| b.get(*k).copied().unwrap_or(0) < **n)
        .map(|(k, n)| format!("{k} x{n} (only {} there)", b.get(k).copied().unwrap_or(0)))
}
