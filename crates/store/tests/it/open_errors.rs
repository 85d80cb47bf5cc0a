//! `open` failures that need no database server: clear errors, no password in messages.

use csf_store::{open, StoreError};

/// The message of the `Invalid` error `open` must return for `target`.
fn invalid_reason(target: &str) -> String {
    match open(target) {
        Err(e @ StoreError::Invalid { .. }) => e.to_string(),
        Err(other) => panic!("{target}: expected Invalid, got {other:?}"),
        Ok(_) => panic!("{target} must be refused"),
    }
}

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
    let reason = invalid_reason("postgres://csf@127.0.0.1:notaport/csf");
    assert!(
        reason.contains("postgres://user:password@host:port/database"),
        "{reason}"
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
        let reason = invalid_reason(target);
        assert!(reason.contains(expected), "{target}: {reason}");
    }
}

#[test]
fn other_url_schemes_are_refused_and_sqlite_urls_accepted() {
    for target in ["mysql://u@h/db", "http://example.invalid/db", "sqlite://"] {
        let reason = invalid_reason(target);
        assert!(reason.contains("sqlite:///path/to/csf.db"), "{reason}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("via-url.db");
    let store = open(&format!("sqlite://{}", path.display())).unwrap();
    assert_eq!(store.backend_name(), "sqlite");
    assert!(path.exists());
}
