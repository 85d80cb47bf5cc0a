//! `open` failures that need no database server: clear errors, no password in messages.

use csf_store::{open, StoreError};

#[test]
fn unreachable_postgres_is_a_transient_backend_error_without_the_password() {
    // Port 1 on loopback: connection refused at once.
    let err = match open("postgres://csf:hunter2@127.0.0.1:1/csf") {
        Err(e) => e,
        Ok(_) => panic!("nothing listens on port 1"),
    };
    let msg = err.to_string();
    assert!(
        matches!(
            err,
            StoreError::Backend {
                transient: true,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(msg.contains("cannot connect to PostgreSQL"), "{msg}");
    assert!(!msg.contains("hunter2"), "{msg}");
}

#[test]
fn malformed_postgres_url_is_invalid_and_names_the_expected_form() {
    let err = match open("postgres://csf@127.0.0.1:notaport/csf") {
        Err(e) => e,
        Ok(_) => panic!("the port is not a number"),
    };
    assert!(matches!(err, StoreError::Invalid { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("postgres://user:password@host:port/database"),
        "{err}"
    );
}

#[test]
fn tls_settings_are_checked_before_connecting() {
    // Port 1 is never contacted: each of these is refused while reading the URL.
    for (target, expected) in [
        (
            "postgres://csf@127.0.0.1:1/csf?sslmode=prefer",
            "sslmode=verify-full",
        ),
        (
            "postgres://csf@127.0.0.1:1/csf?sslmode=on",
            "disable, require, verify-ca or verify-full",
        ),
        (
            "postgres://csf@127.0.0.1:1/csf?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem",
            if cfg!(feature = "postgres-tls") {
                "sslrootcert /nonexistent/ca.pem: cannot read it"
            } else {
                "build with `cargo build --release --features postgres-tls`"
            },
        ),
        (
            "postgres://csf@127.0.0.1:1/csf?sslmode=require&sslkey=k.pem",
            "sslkey is not supported",
        ),
    ] {
        let err = match open(target) {
            Err(e) => e,
            Ok(_) => panic!("{target} must be refused"),
        };
        assert!(
            matches!(err, StoreError::Invalid { .. }),
            "{target}: {err:?}"
        );
        assert!(err.to_string().contains(expected), "{target}: {err}");
    }
}

#[test]
fn other_url_schemes_are_refused_and_sqlite_urls_accepted() {
    for target in ["mysql://u@h/db", "http://example.invalid/db", "sqlite://"] {
        let err = match open(target) {
            Err(e) => e,
            Ok(_) => panic!("{target} must be refused"),
        };
        assert!(
            matches!(err, StoreError::Invalid { .. }),
            "{target}: {err:?}"
        );
        assert!(
            err.to_string().contains("sqlite:///path/to/csf.db"),
            "{err}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("via-url.db");
    let store = open(&format!("sqlite://{}", path.display())).unwrap();
    assert_eq!(store.backend_name(), "sqlite");
    assert!(path.exists());
}
