//! SQLite-only behaviour: file settings, embedded migrations, triggers, reopen, `:memory:`,
//! the default path.

use std::ffi::OsString;

use csf_store::{
    db_path_under, default_db_path, open, EntryInput, ImplementationStatus, NewOrganization,
    ProfileKind, StoreError,
};

use crate::suite::{org, profile};

fn temp_db() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("csf.db").display().to_string();
    (dir, path)
}

#[test]
fn file_uses_wal_and_records_its_migrations() {
    let (_dir, path) = temp_db();
    drop(open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let versions: Vec<(i64, String)> = conn
        .prepare("SELECT version, name FROM schema_migrations ORDER BY version")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        versions,
        vec![
            (1, "0001_initial".to_owned()),
            (2, "0002_history_by_profile".to_owned()),
            (3, "0003_plans".to_owned()),
            (4, "0004_assessed_on_audit_profile".to_owned()),
            (5, "0005_documents".to_owned()),
            (6, "0006_campaigns".to_owned()),
            (7, "0007_evidence_register".to_owned())
        ]
    );
}

#[test]
fn reopening_keeps_data_and_does_not_reapply_migrations() {
    let (_dir, path) = temp_db();
    let store = open(&path).unwrap();
    let org = org(&*store, "Persistent");
    let p = profile(&*store, &org, ProfileKind::Current);
    store
        .record_entries(
            &p.id,
            &[EntryInput::new("ZZ.AA-01", ImplementationStatus::Fully)],
            "a",
        )
        .unwrap();
    drop(store);
    let store = open(&path).unwrap();
    assert_eq!(store.get_organization(&org.id).unwrap(), org);
    assert_eq!(store.get_entry(&p.id, "ZZ.AA-01").unwrap().version, 1);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 7);
}

/// The bundled SQLite is built without full-text search (`LIBSQLITE3_FLAGS` in
/// .cargo/config.toml): the store never uses it, and it would add ~150-210 KB to every binary.
#[test]
fn bundled_sqlite_has_no_full_text_search() {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    let fts5: bool = conn
        .query_row("SELECT sqlite_compileoption_used('ENABLE_FTS5')", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(!fts5, "SQLite was built with FTS5");
    let refused = conn.execute_batch("CREATE VIRTUAL TABLE t USING fts5(x)");
    assert!(refused.is_err(), "an FTS5 table was created");
}

#[test]
fn audit_log_refuses_raw_update_and_delete() {
    let (_dir, path) = temp_db();
    let store = open(&path).unwrap();
    store
        .append_audit(&csf_store::AuditEvent {
            tool: "create_organization".into(),
            principal: "stdio".into(),
            org_id: None,
            profile_id: None,
            args_summary: "name=x".into(),
            result: csf_store::AuditResult::Ok,
            detail: None,
        })
        .unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    for sql in ["UPDATE audit_log SET tool = 'x'", "DELETE FROM audit_log"] {
        let err = conn.execute(sql, []).unwrap_err().to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn database_from_a_newer_binary_is_refused() {
    let (_dir, path) = temp_db();
    drop(open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "INSERT INTO schema_migrations (version, name, applied_at_us) VALUES (99, 'future', 0)",
        [],
    )
    .unwrap();
    drop(conn);
    let err = match open(&path) {
        Err(e) => e,
        Ok(_) => panic!("a newer schema must be refused"),
    };
    assert!(matches!(err, StoreError::Backend { .. }));
    assert!(err.to_string().contains("version 99, newer"), "{err}");
}

#[test]
fn unopenable_path_is_a_backend_error_naming_the_path() {
    let (dir, _) = temp_db();
    // A directory where the database file should be.
    let path = dir.path().join("is-a-dir");
    std::fs::create_dir(&path).unwrap();
    let err = match open(&path.display().to_string()) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a directory is not a database"),
    };
    assert!(err.contains("is-a-dir"), "{err}");
    assert!(matches!(open("  ").err(), Some(StoreError::Invalid { .. })));
}

#[test]
fn memory_store_works_and_is_private() {
    let a = open(":memory:").unwrap();
    let b = open(":memory:").unwrap();
    org(&*a, "only in a");
    let page = csf_store::PageRequest::default();
    assert_eq!(a.list_organizations(&page).unwrap().items.len(), 1);
    assert!(b.list_organizations(&page).unwrap().items.is_empty());
}

#[test]
fn default_path_follows_xdg_then_home() {
    // The rule is checked on given values: changing this process's environment would race with
    // every other test of the binary (they run on threads of one process).
    let os = |v: &str| Some(OsString::from(v));
    assert_eq!(
        db_path_under(os("/xdg/data"), os("/home/u")).unwrap(),
        std::path::Path::new("/xdg/data/nist-csf-mcp/csf.db")
    );
    assert_eq!(
        db_path_under(os("relative/ignored"), os("/home/u")).unwrap(),
        std::path::Path::new("/home/u/.local/share/nist-csf-mcp/csf.db")
    );
    assert_eq!(
        db_path_under(os(""), os("/home/u")).unwrap(),
        std::path::Path::new("/home/u/.local/share/nist-csf-mcp/csf.db")
    );
    assert_eq!(db_path_under(None, None), None);
    assert_eq!(db_path_under(os(""), os("")), None);
    // And the default reads exactly those two variables.
    assert_eq!(
        default_db_path(),
        db_path_under(std::env::var_os("XDG_DATA_HOME"), std::env::var_os("HOME"))
    );
}

#[cfg(unix)]
#[test]
fn new_database_file_and_directory_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new-dir/csf.db");
    drop(open(&path.display().to_string()).unwrap());
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    let wal = path.with_file_name("csf.db-wal");
    if wal.exists() {
        assert_eq!(mode(&wal), 0o600);
    }
}

#[test]
fn older_database_is_upgraded_on_open() {
    let (_dir, path) = temp_db();
    drop(open(&path).unwrap());
    // Roll the file back to schema version 1, as an older binary left it.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TABLE evidence_links; DROP TABLE evidence_items; \
         DROP TABLE documents; DROP TABLE plans; DROP INDEX entry_history_by_profile; \
         DROP INDEX audit_log_by_profile; ALTER TABLE audit_log DROP COLUMN profile_id; \
         ALTER TABLE assessment_entries DROP COLUMN assessed_on; \
         DROP TABLE campaign_events; DROP TABLE campaign_answers; DROP TABLE campaigns; \
         DELETE FROM schema_migrations WHERE version >= 2;",
    )
    .unwrap();
    drop(conn);
    drop(open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let index: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'entry_history_by_profile'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(index, 1);
    let max: i64 = conn
        .query_row("SELECT MAX(version) FROM schema_migrations", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(max, 7);
    let plans: i64 = conn
        .query_row("SELECT COUNT(*) FROM plans", [], |r| r.get(0))
        .unwrap();
    assert_eq!(plans, 0);
}

/// Audit rows written before rows named their profile get it (and its organization) from
/// their argument summary when the database is upgraded, also where the summary was cut
/// short; text that is no profile id stays unattributed, and the trail stays append-only.
#[test]
fn audit_rows_from_before_profile_attribution_are_attributed_on_upgrade() {
    let (_dir, path) = temp_db();
    let store = open(&path).unwrap();
    let org = org(&*store, "Invented Org");
    let p = profile(&*store, &org, ProfileKind::Current);
    drop(store);
    // Back to schema 3, with rows as the old code wrote them (organization only from org_id).
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TABLE evidence_links; DROP TABLE evidence_items; \
         DROP INDEX audit_log_by_profile; ALTER TABLE audit_log DROP COLUMN profile_id; \
         ALTER TABLE assessment_entries DROP COLUMN assessed_on; DROP TABLE documents; \
         DROP TABLE campaign_events; DROP TABLE campaign_answers; DROP TABLE campaigns; \
         DELETE FROM schema_migrations WHERE version >= 4;",
    )
    .unwrap();
    let row = |args: String| {
        conn.execute(
            "INSERT INTO audit_log (at_us, tool, principal, org_id, args_summary, result) \
             VALUES (1, 'record_assessment', 'alice', NULL, ?1, 'ok')",
            [args],
        )
        .unwrap();
    };
    row(format!(
        r#"{{"entries":"<3 items>","profile_id":"{}"}}"#,
        p.id
    ));
    row(format!(
        r#"{{"current_profile_id":"{}","target_profile_id":"x"}}"#,
        p.id
    ));
    row(format!(r#"{{"profile_id":"{}","notes":"cut short…"#, p.id));
    row(r#"{"profile_id":"prof_nonsense"}"#.to_owned());
    drop(conn);

    let store = open(&path).unwrap();
    let trail = store
        .audit_trail(&Default::default(), &csf_store::PageRequest::first(10))
        .unwrap()
        .items;
    let attributed: Vec<(Option<String>, Option<String>)> = trail
        .iter()
        .rev()
        .filter(|r| r.tool == "record_assessment")
        .map(|r| {
            (
                r.org_id.as_ref().map(ToString::to_string),
                r.profile_id.as_ref().map(ToString::to_string),
            )
        })
        .collect();
    let both = (Some(org.id.to_string()), Some(p.id.to_string()));
    assert_eq!(
        attributed,
        vec![both.clone(), both.clone(), both, (None, None)]
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    let err = conn
        .execute("UPDATE audit_log SET principal = 'mallory'", [])
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_blocking_calls_from_async_code_and_contains_panics() {
    let (_dir, path) = temp_db();
    let store = open(&path).unwrap();
    let org = csf_store::run_blocking(store.clone(), |s| {
        s.create_organization(&NewOrganization {
            name: "async caller".into(),
            ..Default::default()
        })
    })
    .await
    .unwrap();
    let id = org.id.clone();
    let got = csf_store::run_blocking(store.clone(), move |s| s.get_organization(&id))
        .await
        .unwrap();
    assert_eq!(got, org);
    let err = csf_store::run_blocking(store.clone(), |_| -> csf_store::Result<()> {
        panic!("a bug inside a store call")
    })
    .await
    .unwrap_err();
    assert!(err.to_string().contains("internal error"), "{err}");
}
