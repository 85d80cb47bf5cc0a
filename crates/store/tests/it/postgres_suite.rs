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
        assert_eq!(versions, vec![1, 2, 3, 4, 5, 6, 7]);
    });
}

/// The upgrade to schema 4 attributes audit rows written before rows named their profile,
/// from their argument summary (also where it was cut short), and leaves the trail
/// append-only. Run on the migration files themselves, in a schema of its own, so the shared
/// database the other cases use is not touched.
#[test]
fn audit_rows_from_before_profile_attribution_are_attributed_on_upgrade() {
    let Some(target) = csf_testkit::env::postgres_url("csf-store suite") else {
        return;
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let (client, conn) = tokio_postgres::connect(&target, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        let schema = format!(
            "upgrade_{}",
            csf_store::ProfileId::generate().as_str()[5..].to_lowercase()
        );
        client
            .batch_execute(&format!(
                "CREATE SCHEMA {schema}; SET search_path TO {schema};"
            ))
            .await
            .unwrap();
        for sql in [
            include_str!("../../migrations/postgres/0001_initial.sql"),
            include_str!("../../migrations/postgres/0002_history_by_profile.sql"),
            include_str!("../../migrations/postgres/0003_plans.sql"),
        ] {
            client.batch_execute(sql).await.unwrap();
        }
        let org = "org_01J0000000000000000000000A";
        let prof = "prof_01J0000000000000000000000B";
        client
            .batch_execute(&format!(
                "INSERT INTO organizations (id, name, created_at_us, updated_at_us) \
                 VALUES ('{org}', 'Invented', 1, 1); \
                 INSERT INTO profiles (id, org_id, kind, name, created_at_us, created_by, \
                 updated_at_us) VALUES ('{prof}', '{org}', 'current', 'Now', 1, 'a', 1);"
            ))
            .await
            .unwrap();
        for args in [
            format!(r#"{{"entries":"<3 items>","profile_id":"{prof}"}}"#),
            format!(r#"{{"current_profile_id":"{prof}","target_profile_id":"x"}}"#),
            format!(r#"{{"profile_id":"{prof}","notes":"cut short…"#),
            r#"{"profile_id":"prof_nonsense"}"#.to_owned(),
        ] {
            client
                .execute(
                    "INSERT INTO audit_log (at_us, tool, principal, args_summary, result) \
                     VALUES (1, 'record_assessment', 'alice', $1, 'ok')",
                    &[&args],
                )
                .await
                .unwrap();
        }
        client
            .batch_execute(include_str!(
                "../../migrations/postgres/0004_assessed_on_audit_profile.sql"
            ))
            .await
            .unwrap();
        let rows = client
            .query("SELECT org_id, profile_id FROM audit_log ORDER BY seq", &[])
            .await
            .unwrap();
        let got: Vec<(Option<String>, Option<String>)> =
            rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        let both = (Some(org.to_owned()), Some(prof.to_owned()));
        assert_eq!(got, vec![both.clone(), both.clone(), both, (None, None)]);
        let err = client
            .batch_execute("UPDATE audit_log SET principal = 'mallory'")
            .await
            .unwrap_err();
        assert!(format!("{err:?}").contains("append-only"), "{err:?}");
        client
            .batch_execute(&format!(
                "SET search_path TO public; DROP SCHEMA {schema} CASCADE;"
            ))
            .await
            .unwrap();
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
