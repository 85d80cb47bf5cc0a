//! OAuth through the real binary: revoking keys by emptying the JWKS works at once; an
//! unreadable JWKS keeps the old keys only for `--oauth-jwks-max-stale` and `/readyz` says so;
//! scope names match exactly; every method on `/mcp` needs a scope (HTTP/1.1 and HTTP/2); a
//! `client_id` is not a `sub`; subjects with bidirectional controls are refused; a console
//! session ends when its token is no longer accepted or expires.
//! Tokens are Ed25519, signed by the `openssl` command with a key made per run.
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::net::{runtime, H2};
use crate::support::security::*;
use csf_testkit::http_server::{free_port, HttpServer};
use csf_testkit::rpc::PROTOCOL;
use serde_json::{json, Value};

const ISSUER: &str = "https://issuer.test";

struct OAuthServer {
    server: HttpServer,
    signer: Signer,
    jwks: PathBuf,
    resource: String,
}

impl OAuthServer {
    fn start(dir: &Path, extra: &[&str]) -> OAuthServer {
        let signer = Signer::new(dir);
        let jwks = dir.join("jwks.json");
        std::fs::write(&jwks, &signer.jwks).unwrap();
        let port = free_port();
        let resource = format!("http://127.0.0.1:{port}/mcp");
        let mut args = vec![
            "--auth",
            "oauth",
            "--oauth-issuer",
            ISSUER,
            "--oauth-resource",
            &resource,
            "--oauth-jwks-file",
            jwks.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let server = start_http(dir, port, &args);
        OAuthServer {
            server,
            signer,
            jwks,
            resource,
        }
    }

    /// A server that re-reads the JWKS every second and keeps stale keys for an hour: only
    /// a readable JWKS without the key revokes it.
    fn revocable(dir: &Path) -> OAuthServer {
        OAuthServer::start(
            dir,
            &[
                "--oauth-jwks-refresh",
                "1",
                "--oauth-jwks-max-stale",
                "3600",
            ],
        )
    }

    /// Signs in to the console with `token` from the console's own origin; the session cookie.
    fn console_sign_in(&self, token: &str) -> String {
        let origin = format!("http://{}", self.server.addr);
        let signed_in = request(
            &self.server,
            "POST",
            "/ui/signin",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Origin", &origin),
            ],
            &format!("key={token}"),
        );
        assert_eq!(signed_in.status, 303, "{}", signed_in.body);
        signed_in
            .header("set-cookie")
            .and_then(|c| c.split(';').next())
            .expect("a session cookie")
            .to_string()
    }

    /// A token for `who` (`{"sub": …}` or `{"client_id": …}`) with `scope`.
    fn token(&self, who: Value, scope: &str) -> String {
        let mut claims = json!({
            "iss": ISSUER, "aud": self.resource,
            "iat": now(), "exp": now() + 600, "scope": scope,
        });
        if let (Some(claims), Some(who)) = (claims.as_object_mut(), who.as_object()) {
            claims.extend(who.clone());
        }
        self.signer.sign(&claims)
    }

    fn lookup_status(&self, token: &str) -> u16 {
        call_tool(
            &self.server,
            &[("Authorization", &format!("Bearer {token}"))],
            "csf_lookup",
            json!({ "id": "GV" }),
        )
        .status
    }

    /// `/readyz` answers `status` with `needle` in its body.
    fn assert_ready(&self, status: u16, needle: &str) {
        let ready = request(&self.server, "GET", "/readyz", &[], "");
        assert_eq!(ready.status, status, "{}", ready.body);
        assert!(ready.body.contains(needle), "{}", ready.body);
    }

    /// Puts the signer's JWKS back and waits until `token` is trusted again.
    fn restore_keys(&self, token: &str) {
        std::fs::write(&self.jwks, &self.signer.jwks).unwrap();
        self.until_status(token, 200, Duration::from_secs(5));
        self.assert_ready(200, "ready");
    }

    /// Polls until `token` gets `status` (at most `within`); returns how long it took.
    fn until_status(&self, token: &str, status: u16, within: Duration) -> Duration {
        let started = Instant::now();
        loop {
            if self.lookup_status(token) == status {
                return started.elapsed();
            }
            assert!(
                started.elapsed() < within,
                "the token did not get {status} within {within:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

#[test]
fn an_emptied_jwks_revokes_the_keys_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let oauth = OAuthServer::revocable(dir.path());
    let token = oauth.token(json!({ "sub": "alice" }), "csf:read");
    assert_eq!(oauth.lookup_status(&token), 200);
    for withdrawn in [
        r#"{"keys":[]}"#,
        r#"{"keys":[{"kty":"oct","k":"c2VjcmV0","kid":"k1"}]}"#,
        r#"{"keys":[{"kty":"OKP","crv":"X25519","kid":"k1","x":"hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"}]}"#,
    ] {
        std::fs::write(&oauth.jwks, withdrawn).unwrap();
        let took = oauth.until_status(&token, 401, Duration::from_secs(5));
        eprintln!("revoked {took:?} after writing {withdrawn:.40}");
        oauth.assert_ready(503, "no token signing key");
        oauth.restore_keys(&token);
    }
    let log = oauth.server.stop();
    assert!(
        log.contains("JWKS file holds no usable signing key"),
        "not logged"
    );
}

#[test]
fn an_unreadable_jwks_keeps_the_keys_only_for_max_stale() {
    let dir = tempfile::tempdir().unwrap();
    let oauth = OAuthServer::start(
        dir.path(),
        &["--oauth-jwks-refresh", "1", "--oauth-jwks-max-stale", "4"],
    );
    let token = oauth.token(json!({ "sub": "alice" }), "csf:read");
    assert_eq!(oauth.lookup_status(&token), 200);
    std::fs::remove_file(&oauth.jwks).unwrap();
    let removed = Instant::now();
    // Within the allowance the keys stay in force, and /readyz says they are stale.
    std::thread::sleep(Duration::from_millis(1600));
    assert_eq!(
        oauth.lookup_status(&token),
        200,
        "a brief outage locks nobody out"
    );
    oauth.assert_ready(200, "JWKS file has not been readable");
    oauth.until_status(&token, 401, Duration::from_secs(10));
    let kept = removed.elapsed();
    assert!(kept >= Duration::from_secs(2), "dropped after {kept:?}");
    eprintln!("keys dropped {kept:?} after the file was removed (max stale 4 s, refresh 1 s)");
    oauth.assert_ready(503, "no token signing key");
    // Requests see the expiry at once; the log says so at the next re-read (every second), so
    // restoring the file before that re-read would leave nothing to log.
    let logged = Instant::now();
    while !oauth.server.stderr().contains("unreadable for longer than") {
        assert!(
            logged.elapsed() < Duration::from_secs(10),
            "expiry not logged within 10 s of the keys being dropped"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Readable again: trusted again.
    oauth.restore_keys(&token);
    let log = oauth.server.stop();
    assert!(log.contains("keeping the previous keys"), "not logged");
}

/// The allowance counts from the last good read, not from the next re-read: with a refresh
/// interval that does not divide `--oauth-jwks-max-stale`, the keys used to stay in force until
/// the first re-read after the allowance ran out (here 10 s instead of 6). The wide gap between
/// the two leaves a loaded machine seconds of slack.
#[test]
fn stale_keys_lapse_at_max_stale_between_re_reads() {
    let dir = tempfile::tempdir().unwrap();
    let oauth = OAuthServer::start(
        dir.path(),
        &["--oauth-jwks-refresh", "5", "--oauth-jwks-max-stale", "6"],
    );
    let started = Instant::now();
    let token = oauth.token(json!({ "sub": "alice" }), "csf:read");
    assert_eq!(oauth.lookup_status(&token), 200);
    std::fs::remove_file(&oauth.jwks).unwrap();
    // Last good read: at start-up, before `started`. Re-reads: about 5 s (fails) and 10 s after.
    std::thread::sleep(Duration::from_millis(7000).saturating_sub(started.elapsed()));
    assert_eq!(
        oauth.lookup_status(&token),
        401,
        "keys still in force 7 s after the last good read (--oauth-jwks-max-stale 6)"
    );
    oauth.assert_ready(503, "no token signing key");
    assert!(
        started.elapsed() < Duration::from_millis(9000),
        "too slow to tell the allowance from the next re-read"
    );
}

/// A JWKS key too short for its algorithm is not a usable key. jsonwebtoken sliced an Ed25519
/// key to 32 bytes without checking, so a token naming such a key panicked the request (and a
/// release build, which aborts on panic, the whole server); the panic came before the
/// signature check, so any caller could send that token.
#[test]
fn a_malformed_jwks_key_cannot_crash_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let oauth = OAuthServer::start(dir.path(), &["--oauth-jwks-refresh", "1"]);
    let mut jwks: Value = serde_json::from_str(&oauth.signer.jwks).unwrap();
    jwks["keys"]
        .as_array_mut()
        .unwrap()
        .push(json!({"kty": "OKP", "crv": "Ed25519", "kid": "short", "x": "AAAA"}));
    std::fs::write(&oauth.jwks, jwks.to_string()).unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    let claims = json!({
        "iss": ISSUER, "aud": oauth.resource, "sub": "mallory",
        "iat": now(), "exp": now() + 600, "scope": "csf:read",
    });
    let forged = oauth
        .signer
        .sign_with_header(&json!({"alg": "EdDSA", "kid": "short"}), &claims);
    // Sent raw: the request must get an answer, not a connection the server dropped.
    let raw = format!(
        "POST /mcp HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {forged}\r\n\
         Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n\
         Content-Length: 2\r\nConnection: close\r\n\r\n{{}}",
        oauth.server.addr
    );
    let answer = send_raw(&oauth.server, raw.as_bytes());
    assert_eq!(answer.status, 401, "{}", answer.body);
    let good = oauth.token(json!({ "sub": "alice" }), "csf:read");
    assert_eq!(
        oauth.lookup_status(&good),
        200,
        "the well-formed key still works"
    );
    let log = oauth.server.stop();
    assert!(!log.contains("panicked"), "{log}");
}

#[test]
fn scope_names_are_matched_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let oauth = OAuthServer::start(dir.path(), &[]);
    let create = |token: &str| {
        call_tool(
            &oauth.server,
            &[("Authorization", &format!("Bearer {token}"))],
            "create_organization",
            json!({ "name": "Case Org" }),
        )
        .status
    };
    for near_miss in ["CSF:WRITE", "csf:Write", "Csf:write", "csf:WRITE csf:READ"] {
        let token = oauth.token(json!({ "sub": "alice" }), near_miss);
        assert_eq!(create(&token), 403, "{near_miss}");
    }
    let upper_read = oauth.token(json!({ "sub": "alice" }), "CSF:READ");
    assert_eq!(oauth.lookup_status(&upper_read), 403);
    let exact = oauth.token(json!({ "sub": "alice" }), "openid csf:write");
    assert_eq!(create(&exact), 200);
}

#[test]
fn every_method_on_mcp_needs_a_scope() {
    let dir = tempfile::tempdir().unwrap();
    let oauth = OAuthServer::start(dir.path(), &[]);
    let unscoped = format!(
        "Bearer {}",
        oauth.token(json!({ "sub": "alice" }), "openid")
    );
    let reader = format!(
        "Bearer {}",
        oauth.token(json!({ "sub": "alice" }), "csf:read")
    );
    for method in ["GET", "DELETE", "PUT", "PURGE"] {
        let answer = request(
            &oauth.server,
            method,
            "/mcp",
            &[("Authorization", &unscoped)],
            "",
        );
        assert_eq!(answer.status, 403, "{method}: {}", answer.body);
        assert!(
            answer.body.contains("insufficient_scope"),
            "{}",
            answer.body
        );
        // With the read scope the request reaches the MCP service (which has no such method
        // in stateless mode).
        let answer = request(
            &oauth.server,
            method,
            "/mcp",
            &[("Authorization", &reader)],
            "",
        );
        assert_ne!(answer.status, 403, "{method}: {}", answer.body);
    }
    runtime().block_on(async {
        let mut h2 = H2::connect("127.0.0.1", &oauth.server.addr).await.unwrap();
        for method in ["GET", "DELETE", "PURGE"] {
            let answer = h2
                .request(method, "/mcp", &[("authorization", &unscoped)], "")
                .await
                .unwrap();
            assert_eq!(answer.status, 403, "h2 {method}: {}", answer.body);
        }
    });
}

fn audit_principals(server: &HttpServer, token: &str) -> Vec<String> {
    let trail = call_tool(
        server,
        &[("Authorization", &format!("Bearer {token}"))],
        "get_audit_trail",
        json!({}),
    )
    .tool_result();
    trail["records"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|r| r["tool"] == "create_organization")
        .filter_map(|r| r["principal"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn a_client_id_is_not_a_subject() {
    let dir = tempfile::tempdir().unwrap();
    let oauth = OAuthServer::start(dir.path(), &[]);
    let user = oauth.token(json!({ "sub": "ci-bot" }), "csf:write");
    let client = oauth.token(json!({ "client_id": "ci-bot" }), "csf:write");
    for (token, name) in [(&user, "User Org"), (&client, "Client Org")] {
        call_tool(
            &oauth.server,
            &[("Authorization", &format!("Bearer {token}"))],
            "create_organization",
            json!({ "name": name }),
        )
        .tool_result();
    }
    let mut principals = audit_principals(&oauth.server, &user);
    principals.sort();
    assert_eq!(principals, ["oauth-client:ci-bot", "oauth:ci-bot"]);

    // With sessions: the client cannot use the user's session, though the names match.
    let sessions_dir = tempfile::tempdir().unwrap();
    let sessions = OAuthServer::start(sessions_dir.path(), &["--sessions"]);
    let user = sessions.token(json!({ "sub": "ci-bot" }), "csf:write");
    let client = sessions.token(json!({ "client_id": "ci-bot" }), "csf:write");
    let post = |token: &str, session: Option<&str>, body: &str| {
        let bearer = format!("Bearer {token}");
        let mut headers = vec![
            ("Content-Type", "application/json"),
            ("Accept", "application/json, text/event-stream"),
            ("MCP-Protocol-Version", PROTOCOL),
            ("Authorization", bearer.as_str()),
        ];
        if let Some(id) = session {
            headers.push(("Mcp-Session-Id", id));
        }
        request(&sessions.server, "POST", "/mcp", &headers, body)
    };
    let init = json!({
        "jsonrpc": "2.0", "id": 0, "method": "initialize",
        "params": { "protocolVersion": PROTOCOL, "capabilities": {},
                    "clientInfo": { "name": "security-test", "version": "1" } }
    })
    .to_string();
    let opened = post(&user, None, &init);
    assert_eq!(opened.status, 200, "{}", opened.body);
    let id = opened.header("mcp-session-id").unwrap().to_string();
    let initialized = r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#;
    assert_eq!(post(&client, Some(&id), initialized).status, 404);
    assert_eq!(post(&user, Some(&id), initialized).status, 202);
}

#[test]
fn subjects_with_bidi_controls_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let oauth = OAuthServer::start(dir.path(), &[]);
    for subject in [
        "admin\u{202e}nimda",
        "alice\u{2066}bob",
        "eve\u{200f}",
        "a\u{2028}b",
        // Invisible: each displays as a plain name.
        "al\u{200b}ice",
        "ali\u{00ad}ce",
        "\u{feff}alice",
    ] {
        for who in [json!({ "sub": subject }), json!({ "client_id": subject })] {
            let token = oauth.token(who.clone(), "csf:read");
            assert_eq!(oauth.lookup_status(&token), 401, "{who}");
        }
    }
    let fine = oauth.token(json!({ "sub": "José Müller" }), "csf:read");
    assert_eq!(oauth.lookup_status(&fine), 200);
}

/// A console session is only as good as the token that opened it: once the JWKS file withdraws
/// the token's key, the next page asks to sign in again, and the session stays ended when the
/// key comes back.
#[test]
fn a_console_session_ends_when_its_token_is_no_longer_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let oauth = OAuthServer::revocable(dir.path());
    let token = oauth.token(json!({ "sub": "alice" }), "csf:read");
    let cookie = oauth.console_sign_in(&token);
    let home = || request(&oauth.server, "GET", "/ui/", &[("Cookie", &cookie)], "");
    assert_eq!(home().status, 200, "signed in");
    std::fs::write(&oauth.jwks, r#"{"keys":[]}"#).unwrap();
    oauth.until_status(&token, 401, Duration::from_secs(5));
    let after = home();
    assert_eq!(
        (after.status, after.header("location")),
        (303, Some("/ui/signin")),
        "the session outlived its token"
    );
    oauth.restore_keys(&token);
    assert_eq!(
        home().status,
        303,
        "an ended session came back with the key"
    );
    let log = oauth.server.stop();
    assert!(log.contains("console session ended"), "not logged");
    assert!(!log.contains(&token), "the token reached the log");
}

/// A console session opened with a token ends when the token expires, without any change to
/// the JWKS: the token here expired 25 s before sign-in, inside the 30 s clock-skew leeway, so
/// it is accepted for about 5 s more.
#[test]
fn a_console_session_ends_when_its_token_expires() {
    let dir = tempfile::tempdir().unwrap();
    let oauth = OAuthServer::start(dir.path(), &[]);
    let leeway = csf_transport::auth::oauth::LEEWAY_SECS;
    let claims = json!({
        "iss": ISSUER, "aud": oauth.resource, "sub": "alice", "scope": "csf:read",
        "iat": now() - leeway, "exp": now() + 5 - leeway,
    });
    let token = oauth.signer.sign(&claims);
    let cookie = oauth.console_sign_in(&token);
    let home = || request(&oauth.server, "GET", "/ui/", &[("Cookie", &cookie)], "");
    assert_eq!(home().status, 200, "signed in");
    oauth.until_status(&token, 401, Duration::from_secs(10));
    let after = home();
    assert_eq!(
        (after.status, after.header("location")),
        (303, Some("/ui/signin")),
        "the session outlived its token's expiry"
    );
    let log = oauth.server.stop();
    assert!(log.contains("token expired"), "not logged");
    assert!(!log.contains(&token), "the token reached the log");
}
