//! TLS to PostgreSQL against the throwaway server of `crates/store/scripts/with-postgres.sh`: its
//! role `csf_tls` may only connect over TLS, and its certificate, from a CA made for the run,
//! names `localhost` only. Skipped without `CSF_TEST_POSTGRES_TLS_URL` unless
//! `CSF_TEST_POSTGRES_REQUIRED=1`. Needs the `postgres-tls` feature (`make test-store-postgres`).

use csf_store::{NewOrganization, StoreError};

fn server() -> Option<(String, String)> {
    match (
        std::env::var("CSF_TEST_POSTGRES_TLS_URL"),
        std::env::var("CSF_TEST_POSTGRES_TLS_CA"),
    ) {
        (Ok(url), Ok(ca)) if !url.trim().is_empty() => Some((url, ca)),
        _ => {
            assert!(
                std::env::var("CSF_TEST_POSTGRES_REQUIRED").as_deref() != Ok("1"),
                "CSF_TEST_POSTGRES_REQUIRED=1 but CSF_TEST_POSTGRES_TLS_URL/_CA are not set"
            );
            eprintln!("csf-store: PostgreSQL TLS test SKIPPED (run `make test-store-postgres`)");
            None
        }
    }
}

fn refusal(target: &str) -> String {
    match csf_store::open(target) {
        Ok(_) => panic!("connected, but should have been refused: {target}"),
        Err(e @ StoreError::Backend { .. }) => e.to_string(),
        Err(other) => panic!("expected a connection error, got {other:?}"),
    }
}

#[test]
fn verified_tls_connects_and_everything_weaker_is_refused() {
    let Some((url, ca)) = server() else { return };
    let ca_param = format!("sslrootcert={ca}");

    // Verified TLS: the store opens (migrations ran over it) and writes.
    let store = csf_store::open(&format!("{url}?sslmode=verify-full&{ca_param}")).unwrap();
    store.health_check().unwrap();
    let org = store
        .create_organization(&NewOrganization {
            name: "TLS Co".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(store.get_organization(&org.id).unwrap().name, "TLS Co");
    // `require` verifies as well.
    csf_store::open(&format!("{url}?sslmode=require&{ca_param}"))
        .unwrap()
        .health_check()
        .unwrap();

    // Plain TCP reaches the server, whose rules refuse this role without TLS: proof that the
    // connections above were encrypted.
    let e = refusal(&url);
    assert!(
        e.contains("pg_hba.conf rejects") && e.contains("no encryption"),
        "{e}"
    );

    // The bundled public roots do not vouch for the run's private CA.
    let e = refusal(&format!("{url}?sslmode=verify-full"));
    assert!(e.contains("invalid peer certificate: UnknownIssuer"), "{e}");

    // The certificate names localhost only: the same server by IP address is refused.
    let by_ip = url.replacen("@localhost:", "@127.0.0.1:", 1);
    assert_ne!(by_ip, url, "the TLS URL should name localhost");
    let e = refusal(&format!("{by_ip}?sslmode=verify-full&{ca_param}"));
    assert!(e.contains("not valid for name \"127.0.0.1\""), "{e}");
}
