//! The bad-input suite's shared parts: a file-backed store with an organization, two profiles,
//! entries, quick answers and a plan in it; a dump of every table to prove a run of hostile
//! calls changed nothing; and the judgement of whether a refusal says what was wrong.

use std::collections::BTreeMap;
use std::path::Path;

use nist_csf_mcp::CsfServer;
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OpenFlags};
use serde_json::{json, Value};

use super::ok_on;

/// Ids of what [`populate`] stored, and catalog ids chosen at run time (never hard-coded text).
#[derive(Debug, Clone)]
pub struct Fixture {
    pub org: String,
    pub current: String,
    pub target: String,
    pub plan: String,
    /// The first active subcategory of the catalog.
    pub active: String,
    /// The first withdrawn subcategory of the catalog.
    pub withdrawn: String,
}

/// The first active and the first withdrawn subcategory ids of the compiled-in catalog.
pub fn catalog_ids() -> (String, String) {
    let subs = csf_catalog::subcategories();
    let active = subs
        .iter()
        .find(|s| !s.withdrawn)
        .expect("an active subcategory");
    let withdrawn = subs
        .iter()
        .find(|s| s.withdrawn)
        .expect("a withdrawn subcategory");
    (active.id.to_string(), withdrawn.id.to_string())
}

/// Stores an organization, a Current and a Target profile with entries, quick answers and a plan
/// (invented names and notes), through the tools themselves.
pub async fn populate(s: &CsfServer) -> Fixture {
    let (active, withdrawn) = catalog_ids();
    let org = ok_on(
        s,
        "create_organization",
        json!({"name": "Invented Freight Co", "sector": "logistics", "size": "medium",
               "governance_tier": 2, "risk_management_tier": 2, "tier_note": "invented"}),
    )
    .await["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let profile = |kind: &str| json!({"org_id": org, "kind": kind, "name": format!("{kind} view")});
    let current = ok_on(s, "create_profile", profile("current")).await["profile"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let target = ok_on(s, "create_profile", profile("target")).await["profile"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let function = active.split('.').next().unwrap().to_string();
    ok_on(
        s,
        "record_assessment",
        json!({"profile_id": current, "entries": [
            {"subcategory_id": active, "status": "partially", "maturity": 2, "owner": "ops lead",
             "notes": "invented note", "evidence": [{"title": "Invented memo", "location": "doc-7"}]}
        ]}),
    )
    .await;
    ok_on(
        s,
        "record_assessment",
        json!({"profile_id": target, "entries": [
            {"subcategory_id": active, "status": "fully", "priority": "high"}
        ]}),
    )
    .await;
    ok_on(
        s,
        "quick_assessment",
        json!({"profile_id": current, "answers": [{"function": function, "status": "partially"}]}),
    )
    .await;
    let plan = ok_on(
        s,
        "create_implementation_plan",
        json!({"current_profile_id": current, "target_profile_id": target,
               "capacity_per_phase": 2.0, "start_date": "2026-01-05"}),
    )
    .await;
    let plan = plan["plan"]["id"]
        .as_str()
        .or_else(|| plan["plan_id"].as_str())
        .or_else(|| plan["id"].as_str())
        .unwrap_or_else(|| panic!("plan id in {plan}"))
        .to_string();
    Fixture {
        org,
        current,
        target,
        plan,
        active,
        withdrawn,
    }
}

/// Every row of every table but the audit trail, as sorted text (tables without rowid have no
/// natural order, so rows are sorted whole). The audit trail's AUTOINCREMENT counter is left out
/// too: failed write calls are audited, on purpose.
pub type Snapshot = BTreeMap<String, Vec<String>>;

fn open_read_only(db: &Path) -> Connection {
    Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open the store file")
}

fn rows(conn: &Connection, sql: &str) -> Vec<Vec<SqlValue>> {
    let mut stmt = conn.prepare(sql).expect(sql);
    let n = stmt.column_count();
    stmt.query_map([], |row| {
        (0..n).map(|i| row.get::<_, SqlValue>(i)).collect()
    })
    .expect(sql)
    .collect::<Result<_, _>>()
    .expect(sql)
}

pub fn tables(db: &Path) -> Vec<String> {
    let conn = open_read_only(db);
    rows(
        &conn,
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
    )
    .into_iter()
    .map(|r| match &r[0] {
        SqlValue::Text(t) => t.clone(),
        other => panic!("table name {other:?}"),
    })
    .collect()
}

pub fn snapshot(db: &Path) -> Snapshot {
    let conn = open_read_only(db);
    let mut out = Snapshot::new();
    for table in tables(db) {
        if table == "audit_log" {
            continue;
        }
        let mut dumped: Vec<String> = rows(&conn, &format!("SELECT * FROM \"{table}\""))
            .into_iter()
            .map(|r| format!("{r:?}"))
            .filter(|r| !(table == "sqlite_sequence" && r.contains("\"audit_log\"")))
            .collect();
        dumped.sort();
        out.insert(table, dumped);
    }
    out
}

/// The audit rows as (seq, tool, result, whole row as text).
pub fn audit(db: &Path) -> Vec<(i64, String, String, String)> {
    let conn = open_read_only(db);
    rows(
        &conn,
        "SELECT seq, tool, result, * FROM audit_log ORDER BY seq",
    )
    .into_iter()
    .map(|r| {
        let text = |v: &SqlValue| match v {
            SqlValue::Text(t) => t.clone(),
            other => format!("{other:?}"),
        };
        let seq = match r[0] {
            SqlValue::Integer(i) => i,
            ref other => panic!("seq {other:?}"),
        };
        (seq, text(&r[1]), text(&r[2]), format!("{:?}", &r[3..]))
    })
    .collect()
}

pub fn integrity_ok(db: &Path) {
    let conn = open_read_only(db);
    let r = rows(&conn, "PRAGMA integrity_check");
    assert_eq!(
        r,
        vec![vec![SqlValue::Text("ok".into())]],
        "integrity_check"
    );
}

/// Asserts the store is as it was: every table identical, the audit trail only appended to, and
/// only with `error` outcomes (a refused call is audited, a successful one would be a write).
pub fn assert_unchanged(
    db: &Path,
    before: &Snapshot,
    audit_before: &[(i64, String, String, String)],
) -> usize {
    integrity_ok(db);
    let after = snapshot(db);
    for (table, rows) in before {
        let now = after
            .get(table)
            .unwrap_or_else(|| panic!("table {table} is gone"));
        if now != rows {
            let added: Vec<_> = now.iter().filter(|r| !rows.contains(r)).take(5).collect();
            let removed: Vec<_> = rows.iter().filter(|r| !now.contains(r)).take(5).collect();
            panic!("table {table} changed: added {added:#?} removed {removed:#?}");
        }
    }
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "set of tables"
    );
    let audit_after = audit(db);
    assert!(
        audit_after.starts_with(audit_before),
        "earlier audit rows changed"
    );
    let added = &audit_after[audit_before.len()..];
    for (seq, tool, result, row) in added {
        assert_eq!(
            result, "error",
            "audit row {seq} of {tool} is not an error: {row}"
        );
    }
    added.len()
}

/// Whether a refusal message is one a caller can act on: it names the offending field (or its
/// path), or echoes the offending value, or lists / describes what would be valid.
pub fn is_clear(msg: &str, field: &str, value: Option<&str>) -> bool {
    if msg.trim().is_empty() {
        return false;
    }
    let lower = msg.to_lowercase();
    if !field.is_empty() && msg.contains(field) {
        return true;
    }
    if let Some(v) = value {
        let v: String = v.chars().take(24).collect();
        if !v.trim().is_empty() && msg.contains(&v) {
            return true;
        }
    }
    [
        "one of",
        "did you mean",
        "at most",
        "at least",
        "between",
        "not found",
        "must be",
        "expected",
        "valid ",
        "unknown",
        "is not",
        "withdrawn",
        "no rows",
        "columns are",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Sends one JSON-RPC message the MCP way (the ping answered after each hostile input).
pub fn ping(id: i64) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "ping"})
}
