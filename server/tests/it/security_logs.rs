//! No secret reaches the logs or the audit trail: the real binary serves HTTP at the most
//! verbose log level (`--log-level trace`, every crate) with API keys, then with OAuth, answers
//! good and bad authenticated requests, and its stderr must not contain any key, token or
//! fragment of one (12 characters of a key, 16 of a token), nor the configured key hashes.

use crate::support::security::*;
use csf_testkit::http_server::free_port;
use csf_testkit::http_server::HttpServer;
use serde_json::{json, Value};

/// Shortest fragment of an API key that counts as a leak.
const KEY_WINDOW: usize = 12;
/// Shortest fragment of a token (its payload or signature) that counts as a leak.
const TOKEN_WINDOW: usize = 16;

fn assert_no_leak(log: &str, what: &str, secret: &str, window: usize) {
    let leaked = leaked_fragments(log, secret, window);
    assert!(
        leaked.is_empty(),
        "{what} leaked into the log ({} fragment(s), e.g. {:?})",
        leaked.len(),
        leaked.first()
    );
}

/// The log really was verbose: trace and debug events from the HTTP stack were written.
fn assert_verbose(log: &str) {
    assert!(
        log.contains("TRACE"),
        "no TRACE line: the test proves nothing"
    );
    assert!(
        log.contains("DEBUG"),
        "no DEBUG line: the test proves nothing"
    );
}

/// Credential header values never appear, whatever the secret: no logged header map.
fn assert_no_credential_headers(log: &str) {
    let lower = log.to_ascii_lowercase();
    for pattern in [
        "\"authorization\"",
        "authorization:",
        "\"x-api-key\"",
        "x-api-key:",
    ] {
        assert!(
            !lower.contains(pattern),
            "a credential header was logged ({pattern})"
        );
    }
}

fn audit_rows(server: &HttpServer, auth: &[(&str, &str)]) -> Vec<Value> {
    let trail = call_tool(server, auth, "get_audit_trail", json!({})).tool_result();
    trail["records"].as_array().cloned().unwrap_or_default()
}

#[test]
fn api_keys_never_reach_the_log_or_the_audit_trail() {
    let dir = tempfile::tempdir().unwrap();
    let writer = format!("csfk_{}", random_hex(24));
    let reader = format!("csfk_{}", random_hex(24));
    let stranger = format!("csfk_{}", random_hex(24));
    let writer_hash = csf_transport::hash_key(&writer);
    let reader_hash = csf_transport::hash_key(&reader);
    let server = start_http(
        dir.path(),
        free_port(),
        &[
            "--auth",
            "api-key",
            "--api-key",
            &format!("writer:read+write:{writer_hash}"),
            "--api-key",
            &format!("reader:read:{reader_hash}"),
        ],
    );
    let bearer = |key: &str| format!("Bearer {key}");
    let (writer_bearer, reader_bearer) = (bearer(&writer), bearer(&reader));
    let stranger_bearer = bearer(&stranger);

    // Good requests, both header styles and scheme spellings.
    let created = call_tool(
        &server,
        &[("Authorization", &writer_bearer)],
        "create_organization",
        json!({ "name": "Log Test Org" }),
    )
    .tool_result();
    assert!(created["organization"]["id"].is_string(), "{created}");
    call_tool(
        &server,
        &[("X-API-Key", &reader)],
        "csf_lookup",
        json!({ "id": "GV.OC-01" }),
    )
    .tool_result();
    call_tool(
        &server,
        &[("Authorization", &format!("bearer {reader}"))],
        "list_organizations",
        json!({}),
    )
    .tool_result();

    // Bad ones: too small a scope, unknown key, a truncated real key, two credentials.
    let refused = [
        (vec![("Authorization", reader_bearer.as_str())], 403),
        (vec![("Authorization", stranger_bearer.as_str())], 401),
        (vec![("X-API-Key", &writer[..writer.len() - 1])], 401),
        (
            vec![
                ("Authorization", writer_bearer.as_str()),
                ("X-API-Key", reader.as_str()),
            ],
            401,
        ),
        (
            vec![
                ("Authorization", writer_bearer.as_str()),
                ("Authorization", reader_bearer.as_str()),
            ],
            401,
        ),
    ];
    for (headers, status) in &refused {
        let answer = call_tool(
            &server,
            headers,
            "create_organization",
            json!({ "name": "Nope" }),
        );
        assert_eq!(answer.status, *status, "{headers:?}: {}", answer.body);
        for key in [&writer, &reader, &stranger] {
            assert_no_leak(&answer.body, "a key (in a refusal body)", key, KEY_WINDOW);
        }
    }

    // The audit trail names the key, never the key material.
    let rows = audit_rows(&server, &[("X-API-Key", &writer)]);
    assert!(
        rows.iter()
            .any(|r| r["tool"] == "create_organization" && r["principal"] == "writer"),
        "{rows:?}"
    );
    let trail = Value::Array(rows).to_string();
    for key in [&writer, &reader, &stranger] {
        assert_no_leak(&trail, "a key (audit trail)", key, KEY_WINDOW);
    }

    let log = server.stop();
    assert_verbose(&log);
    assert_no_credential_headers(&log);
    for (what, key) in [
        ("writer key", &writer),
        ("reader key", &reader),
        ("unknown key", &stranger),
    ] {
        assert_no_leak(&log, what, key, KEY_WINDOW);
    }
    for hash in [&writer_hash, &reader_hash] {
        assert!(
            !log.contains(hash.as_str()),
            "a configured key hash was logged"
        );
    }
}

#[test]
fn oauth_tokens_never_reach_the_log_or_the_audit_trail() {
    let dir = tempfile::tempdir().unwrap();
    let signer = Signer::new(dir.path());
    let jwks = dir.path().join("jwks.json");
    std::fs::write(&jwks, &signer.jwks).unwrap();
    let port = free_port();
    let resource = format!("http://127.0.0.1:{port}/mcp");
    let server = start_http(
        dir.path(),
        port,
        &[
            "--auth",
            "oauth",
            "--oauth-issuer",
            "https://issuer.test",
            "--oauth-resource",
            &resource,
            "--oauth-jwks-file",
            jwks.to_str().unwrap(),
            "--oauth-jwks-refresh",
            "1",
        ],
    );
    let claims = |scope: &str| {
        json!({
            "iss": "https://issuer.test", "aud": resource, "sub": "alice",
            "iat": now(), "exp": now() + 600, "scope": scope,
        })
    };
    let writer = signer.sign(&claims("csf:read csf:write"));
    let reader = signer.sign(&claims("csf:read"));
    let mut expired_claims = claims("csf:write");
    expired_claims["exp"] = json!(now() - 3600);
    let expired = signer.sign(&expired_claims);
    let mut foreign_claims = claims("csf:write");
    foreign_claims["aud"] = json!("https://elsewhere.test/mcp");
    let foreign = signer.sign(&foreign_claims);
    let tampered = {
        // Same header and signature, payload swapped for one with more scopes.
        let parts: Vec<&str> = writer.split('.').collect();
        let payload = b64url(
            claims("csf:read csf:write csf:admin")
                .to_string()
                .as_bytes(),
        );
        format!("{}.{payload}.{}", parts[0], parts[2])
    };
    let unsigned = format!(
        "{}.{}.",
        b64url(br#"{"alg":"none","typ":"JWT"}"#),
        b64url(claims("csf:write").to_string().as_bytes())
    );
    let hs256 = format!(
        "{}.{}.{}",
        b64url(br#"{"alg":"HS256","typ":"JWT","kid":"k1"}"#),
        b64url(claims("csf:write").to_string().as_bytes()),
        b64url(random_hex(32).as_bytes())
    );

    let with = |token: &str| format!("Bearer {token}");
    let created = call_tool(
        &server,
        &[("Authorization", &with(&writer))],
        "create_organization",
        json!({ "name": "OAuth Log Org" }),
    )
    .tool_result();
    assert!(created["organization"]["id"].is_string(), "{created}");
    call_tool(
        &server,
        &[("Authorization", &with(&reader))],
        "csf_lookup",
        json!({ "id": "GV.OC-01" }),
    )
    .tool_result();
    let refusals = [
        (&reader, 403),
        (&expired, 401),
        (&foreign, 401),
        (&tampered, 401),
        (&unsigned, 401),
        (&hs256, 401),
    ];
    for (token, status) in refusals {
        let answer = call_tool(
            &server,
            &[("Authorization", &with(token))],
            "create_organization",
            json!({ "name": "Nope" }),
        );
        assert_eq!(answer.status, status, "{}", answer.body);
    }
    // A JWKS reload happens while serving (refresh 1 s), and is logged without key material.
    std::thread::sleep(std::time::Duration::from_millis(1200));

    let rows = audit_rows(&server, &[("Authorization", &with(&reader))]);
    assert!(
        rows.iter()
            .any(|r| r["tool"] == "create_organization" && r["principal"] == "oauth:alice"),
        "{rows:?}"
    );
    let tokens = [
        &writer, &reader, &expired, &foreign, &tampered, &unsigned, &hs256,
    ];
    let secret_part = |token: &str| {
        token
            .split_once('.')
            .map_or(String::new(), |(_, rest)| rest.to_string())
    };
    let trail = Value::Array(rows).to_string();
    for token in tokens {
        assert_no_leak(
            &trail,
            "a token (audit trail)",
            &secret_part(token),
            TOKEN_WINDOW,
        );
    }

    let log = server.stop();
    assert_verbose(&log);
    assert!(log.contains("JWKS reloaded"), "the reload did not run");
    assert_no_credential_headers(&log);
    for token in tokens {
        assert!(!log.contains(token.as_str()), "a whole token was logged");
        // The header segment is the same public text in every token; the rest identifies it.
        assert_no_leak(&log, "a token", &secret_part(token), TOKEN_WINDOW);
    }
}
