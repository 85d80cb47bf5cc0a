//! A `--db` that can never work stops `serve` at start, over stdio and HTTP, with the reason;
//! the store itself still opens on first use, so an unreachable database does not.

use std::process::{Command, Stdio};
use std::time::Duration;

fn serve(db: &str, http: bool) -> std::process::Output {
    let mut cmd = Command::new(crate::support::spawn::BIN);
    cmd.args(["--db", db, "serve"]);
    if http {
        cmd.args(["--http", "127.0.0.1:0"]);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn targets_that_cannot_work_stop_the_server_at_start() {
    let no_tls = if cfg!(feature = "postgres-tls") {
        "sslrootcert /nonexistent/ca.pem: cannot read it"
    } else {
        "--features postgres-tls"
    };
    for (db, expected) in [
        ("mysql://u@db/csf", "'mysql://' is not supported"),
        (
            "postgres://u@127.0.0.1:1/csf?sslmode=prefer",
            "sslmode=prefer would fall back",
        ),
        (
            "postgres://u@127.0.0.1:1/csf?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem",
            no_tls,
        ),
    ] {
        for http in [false, true] {
            let out = serve(db, http);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{db} (http {http}) started");
            assert!(stderr.contains("--db / CSF_DB"), "{db}: {stderr}");
            assert!(stderr.contains(expected), "{db}: {stderr}");
            assert!(
                out.stdout.is_empty(),
                "{db}: stdout belongs to the protocol"
            );
        }
    }
}

#[test]
fn an_unreachable_database_does_not_stop_the_start() {
    // Port 1 refuses connections; the check does not connect, so the HTTP server comes up
    // and only its store calls (and /readyz) report the database.
    let mut child = Command::new(crate::support::spawn::BIN)
        .args([
            "--db",
            "postgres://u@127.0.0.1:1/csf",
            "serve",
            "--http",
            "127.0.0.1:0",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let still_running = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        still_running,
        "the server exited although only the database is unreachable"
    );
}
