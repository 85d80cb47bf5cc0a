//! Settings of a test run read from the environment.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

/// A number from the environment (rounds of a long form), else `default`.
pub fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// The PostgreSQL URL for this run: Some(url) when `CSF_TEST_POSTGRES_URL` is set; None when it
/// is not (the test `who` then skips, and says so), or a failure when
/// `CSF_TEST_POSTGRES_REQUIRED=1` says it must be there.
pub fn postgres_url(who: &str) -> Option<String> {
    match std::env::var("CSF_TEST_POSTGRES_URL") {
        Ok(u) if !u.trim().is_empty() => Some(u),
        _ => {
            assert!(
                std::env::var("CSF_TEST_POSTGRES_REQUIRED").as_deref() != Ok("1"),
                "{who}: CSF_TEST_POSTGRES_REQUIRED=1 but CSF_TEST_POSTGRES_URL is not set"
            );
            eprintln!(
                "{who}: skipped (set CSF_TEST_POSTGRES_URL, or run under \
                 crates/store/scripts/with-postgres.sh)"
            );
            static SKIP: Once = Once::new();
            SKIP.call_once(|| {
                // Straight to stderr, past the test harness's output capture: once per binary.
                let _ = writeln!(
                    std::io::stderr(),
                    "PostgreSQL tests SKIPPED (set CSF_TEST_POSTGRES_URL=postgres://..., \
                     or run `make test-store-postgres`)"
                );
            });
            None
        }
    }
}

/// A name unique to this test run and call, so runs sharing one PostgreSQL database never mix
/// (nor do two tests of one binary).
pub fn run_nonce() -> String {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros());
    let n = CALLS.fetch_add(1, Ordering::Relaxed);
    format!("{}-{t}-{n}", std::process::id())
}
