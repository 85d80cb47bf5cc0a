//! `hash-key` through the real binary: it prints the hash the server compares against, and
//! refuses keys too short to be safe behind an unsalted SHA-256.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn hash_key(stdin: &str) -> Output {
    let mut child = Command::new(crate::support::spawn::BIN)
        .arg("hash-key")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_long_key_gets_the_hash_the_server_uses() {
    let key = "k3y-0f-twenty-four-chars";
    let out = hash_key(&format!("{key}\n"));
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        csf_transport::hash_key(key)
    );
}

#[test]
fn a_short_key_is_refused_with_the_minimum_named() {
    for key in ["", "short-key", "nineteen-chars-0123"] {
        let out = hash_key(key);
        assert!(!out.status.success(), "{key:?} was accepted");
        assert!(out.stdout.is_empty(), "{key:?} printed a hash");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("at least 20"), "{key:?}: {err}");
    }
}
