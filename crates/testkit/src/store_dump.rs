//! A SQLite store file read directly and read-only: every table dumped, the audit trail, and
//! integrity checks. Proves a run of refused calls changed nothing, and that a killed writer left
//! a sound file.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OpenFlags};

/// Every row of every table but the audit trail, as sorted text (tables without rowid have no
/// natural order, so rows are sorted whole). The audit trail's AUTOINCREMENT counter is left out
/// too: failed write calls are audited, on purpose.
pub type Snapshot = BTreeMap<String, Vec<String>>;

/// One audit row: (seq, tool, result, the whole row as text).
pub type AuditRow = (i64, String, String, String);

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

/// The names of the file's tables, sorted.
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

/// The audit rows in order.
pub fn audit(db: &Path) -> Vec<AuditRow> {
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

/// Asserts `PRAGMA integrity_check` says ok and no foreign key is broken.
pub fn integrity_ok(db: &Path) {
    let conn = open_read_only(db);
    let r = rows(&conn, "PRAGMA integrity_check");
    assert_eq!(
        r,
        vec![vec![SqlValue::Text("ok".into())]],
        "integrity_check of {}",
        db.display()
    );
    let broken = rows(&conn, "SELECT * FROM pragma_foreign_key_check");
    assert!(
        broken.is_empty(),
        "foreign key violations in {}: {broken:?}",
        db.display()
    );
}

/// Asserts the store is as it was: every table identical, the audit trail only appended to, and
/// only with `error` outcomes (a refused call is audited, a successful one would be a write).
/// Returns how many audit rows were added.
pub fn assert_unchanged(db: &Path, before: &Snapshot, audit_before: &[AuditRow]) -> usize {
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
