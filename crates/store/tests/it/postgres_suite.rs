//! The shared store suite against PostgreSQL, when `CSF_TEST_POSTGRES_URL` names a database
//! (`make test-store-postgres` starts a throwaway server and sets it). Without it the cases are
//! skipped with a line on stderr; with `CSF_TEST_POSTGRES_REQUIRED=1` a missing URL fails.
//!
//! Cases share one database, so each works in its own organizations and filters audit rows by
//! its own principal. Each case runs the way the server will call the store: from a tokio
//! multi-thread runtime, through `spawn_blocking`; the store is then dropped inside the
//! runtime, which must not panic.

use crate::suite::Ctx;

/// The database of this run and a multi-thread runtime to call the store from; None (the case
/// is skipped, and says so) without one.
fn database() -> Option<(String, tokio::runtime::Runtime)> {
    let target = csf_testkit::env::postgres_url("csf-store suite")?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    Some((target, rt))
}

fn run(case: fn(&Ctx)) {
    let Some((target, rt)) = database() else {
        return;
    };
    rt.block_on(async move {
        let t = target.clone();
        let store = tokio::task::spawn_blocking(move || csf_store::open(&t))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(store.backend_name(), "postgres");
        let ctx = Ctx {
            store: store.clone(),
            target,
        };
        if let Err(e) = tokio::task::spawn_blocking(move || case(&ctx)).await {
            std::panic::resume_unwind(e.into_panic());
        }
        // Dropped here, inside the async context, on purpose.
        drop(store);
    });
}

store_suite!(run);

/// The audit table refuses UPDATE and DELETE even from a client that bypasses the store.
#[test]
fn audit_log_refuses_raw_update_and_delete() {
    let Some(target) = csf_testkit::env::postgres_url("csf-store suite") else {
        return;
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let t = target.clone();
        tokio::task::spawn_blocking(move || csf_store::open(&t).map(drop))
            .await
            .unwrap()
            .unwrap();
        let (client, conn) = tokio_postgres::connect(&target, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        for sql in [
            "UPDATE audit_log SET tool = 'x'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
        ] {
            let err = client.batch_execute(sql).await.unwrap_err();
            let msg = err
                .as_db_error()
                .map(|d| d.message().to_owned())
                .unwrap_or_default();
            assert!(msg.contains("append-only"), "{sql}: {err}");
        }
        let rows = client
            .query(
                "SELECT version, name FROM schema_migrations ORDER BY version",
                &[],
            )
            .await
            .unwrap();
        let versions: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
        assert_eq!(versions, vec![1, 2, 3]);
    });
}

/// Calling the store directly on an async worker thread (not recommended: it blocks the
/// worker) must still work rather than panic, and so must dropping it there.
#[test]
fn direct_call_inside_runtime_does_not_panic() {
    let Some((target, rt)) = database() else {
        return;
    };
    rt.block_on(async move {
        let store = csf_store::open(&target).unwrap();
        store.health_check().unwrap();
        drop(store);
    });
}
