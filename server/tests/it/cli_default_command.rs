//! No command means `serve` over stdio, with serve's environment variables applied: the same
//! server whether the command is named, left out entirely, or left out after global flags.

use std::process::{Command, Stdio};

use csf_testkit::rpc::McpClient;
use csf_testkit::stdio::StdioServer;
use serde_json::json;

/// The binary started with `args` on an in-memory database: its tool count and the name of an
/// organization created through it.
fn serve_with(args: &[&str]) -> (usize, serde_json::Value) {
    let mut command = Command::new(crate::support::spawn::BIN);
    command
        .args(args)
        .env("CSF_DB", ":memory:")
        .env("CSF_PRINCIPAL", "default-command-test")
        .stderr(Stdio::null());
    let mut server = StdioServer::start(command, "default-command-test");
    let tools = server.request("tools/list", json!({}));
    let count = tools["result"]["tools"].as_array().map_or(0, Vec::len);
    let org = server.tool("create_organization", json!({"name": "Default Org"}));
    (count, org["organization"]["name"].clone())
}

#[test]
fn no_arguments_serve_stdio_like_the_serve_command() {
    let named = serve_with(&["serve"]);
    assert!(named.0 > 0, "no tools listed");
    assert_eq!(named.1, "Default Org");
    for args in [&[][..], &["--log-format", "text"][..]] {
        assert_eq!(serve_with(args), named, "{args:?}");
    }
}

#[test]
fn serve_settings_from_the_environment_apply_without_arguments() {
    // A --db target that can never work stops `serve` at start; with no command at all the
    // variable must still reach it.
    let out = Command::new(crate::support::spawn::BIN)
        .env("CSF_DB", "mysql://u@db/csf")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "started: {stderr}");
    assert!(stderr.contains("--db / CSF_DB"), "{stderr}");
}
