//! The web console (`/ui/`) through the real binary on loopback: sign-in and the session
//! cookie's attributes, sign-out revoking the session, CSRF and origin checks on posts, a
//! read-only key that sees no write control and cannot write (the store compared before and
//! after), unknown ids, oversized forms, HTML escaped in text fields, the security headers, the
//! compiled-in assets, and `--no-console`.

use crate::support::console::{
    enc, location, org_and_profile, start, Browser, HOSTILE, READER, WRITER,
};
use csf_testkit::http::Request;
use csf_testkit::store_dump;

#[test]
fn sign_in_gives_a_strict_session_cookie_and_sign_out_revokes_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("c.db"), true, &["--console-secure-cookie"]);
    let mut b = Browser::new(&server.addr);
    let a = b.get("/ui/");
    assert_eq!((a.status, location(&a).as_str()), (303, "/ui/signin"));
    let a = b.sign_in("not-a-key");
    assert_eq!(a.status, 401);
    assert!(a.header("set-cookie").is_none());
    let a = b.sign_in(WRITER);
    assert_eq!(a.status, 303, "{}", a.body);
    let cookie = a.header("set-cookie").unwrap().to_string();
    for attr in [
        "HttpOnly",
        "SameSite=Strict",
        "Secure",
        "Path=/ui",
        "Max-Age=",
    ] {
        assert!(cookie.contains(attr), "{attr} missing: {cookie}");
    }
    assert!(
        !cookie.contains(WRITER),
        "the key itself is never in the cookie"
    );
    let stolen = b.cookie.clone();
    assert_eq!(b.get("/ui/").status, 200);
    let csrf = b.csrf("/ui/");
    let a = b.post("/ui/signout", &[("csrf", &csrf)]);
    assert_eq!(a.status, 303);
    // A copy of the cookie taken before sign-out no longer works.
    b.cookie = stolen;
    let a = b.get("/ui/");
    assert_eq!((a.status, location(&a).as_str()), (303, "/ui/signin"));
}

#[test]
fn posts_without_the_csrf_token_or_from_another_origin_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let server = start(&db, true, &[]);
    let mut b = Browser::new(&server.addr);
    b.sign_in(WRITER);
    let csrf = b.csrf("/ui/");
    let before = store_dump::snapshot(&db);
    let audit = store_dump::audit(&db);
    let missing = b.post("/ui/", &[("name", "no token")]);
    let wrong = b.post("/ui/", &[("csrf", &"0".repeat(64)), ("name", "wrong")]);
    let foreign = b.post_from(
        Some("http://evil.example"),
        "/ui/",
        &[("csrf", &csrf), ("name", "cross")],
    );
    let no_origin = b.post_from(None, "/ui/", &[("csrf", &csrf), ("name", "none")]);
    for a in [&missing, &wrong, &foreign, &no_origin] {
        assert_eq!(a.status, 403, "{}", a.body);
    }
    store_dump::assert_unchanged(&db, &before, &audit);
    // The same form with its token from this origin goes through.
    let ok = b.post("/ui/", &[("csrf", &csrf), ("name", "fine")]);
    assert_eq!(ok.status, 303, "{}", ok.body);
}

#[test]
fn a_read_only_key_sees_but_cannot_change_anything() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let server = start(&db, true, &[]);
    let mut w = Browser::new(&server.addr);
    w.sign_in(WRITER);
    let (org, profile) = org_and_profile(&mut w, "Reader test");
    let mut r = Browser::new(&server.addr);
    assert_eq!(r.sign_in(READER).status, 303);
    for path in [
        "/ui/".to_string(),
        org.clone(),
        format!("{profile}/entries/GV.OC-01"),
    ] {
        let page = r.get(&path);
        assert_eq!(page.status, 200, "{path}");
        assert!(page.body.contains("read-only"), "{path}");
        assert!(
            !page.body.contains("type=\"submit\">Create") && !page.body.contains("Save entry"),
            "{path} shows a write control"
        );
    }
    let csrf = r.csrf("/ui/");
    let before = store_dump::snapshot(&db);
    let audit = store_dump::audit(&db);
    for (path, form) in [
        ("/ui/".to_string(), vec![("name", "intruder")]),
        (org.clone(), vec![("name", "p"), ("kind", "target")]),
        (
            format!("{profile}/entries/GV.OC-01"),
            vec![("status", "fully")],
        ),
    ] {
        let mut fields = vec![("csrf", csrf.as_str())];
        fields.extend(form);
        let a = r.post(&path, &fields);
        assert_eq!(a.status, 403, "{path}: {}", a.body);
    }
    store_dump::assert_unchanged(&db, &before, &audit);
    // A read-only principal may still sign out.
    assert_eq!(r.post("/ui/signout", &[("csrf", &csrf)]).status, 303);
}

#[test]
fn unknown_ids_oversized_forms_and_html_in_text_fields() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("c.db"), false, &[]);
    let mut b = Browser::new(&server.addr);
    let (org, profile) = org_and_profile(&mut b, HOSTILE);
    let csrf = b.csrf("/ui/");
    let a = b.post(
        &format!("{profile}/entries/GV.OC-01"),
        &[
            ("csrf", &csrf),
            ("status", "partially"),
            ("owner", HOSTILE),
            ("notes", HOSTILE),
        ],
    );
    assert_eq!(a.status, 303, "{}", a.body);
    for path in [
        "/ui/".to_string(),
        org.clone(),
        profile.clone(),
        format!("{profile}/entries/GV.OC-01"),
        "/ui/audit".to_string(),
        format!("/ui/framework?q={}", enc(HOSTILE)),
    ] {
        let page = b.get(&path);
        assert_eq!(page.status, 200, "{path}");
        assert!(!page.body.contains("<script>alert"), "{path} not escaped");
    }
    assert!(b.get("/ui/").body.contains("&lt;script&gt;alert"));
    for path in [
        "/ui/orgs/org_01M98MS2YGH50TD93KH7CHSE1Z",
        "/ui/orgs/not-an-id",
        "/ui/profiles/prof_01M98MSFWWHFHV4SF3H91F8H3B",
        "/ui/profiles/prof_x/reports",
        "/ui/framework/ZZ.QQ-99",
        "/ui/no/such/page",
    ] {
        let a = b.get(path);
        assert_eq!(a.status, 404, "{path}");
        assert!(a.header("content-type").unwrap().starts_with("text/html"));
    }
    let big = "x".repeat(70 * 1024);
    let a = b.post("/ui/", &[("csrf", &csrf), ("name", &big)]);
    assert_eq!(a.status, 413);
}

#[test]
fn every_console_answer_carries_the_security_headers_and_assets_are_cached() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("c.db"), false, &[]);
    let mut b = Browser::new(&server.addr);
    let home = b.get("/ui/");
    let css = home
        .body
        .split('"')
        .find(|s| s.starts_with("/ui/static/console.") && s.ends_with(".css"))
        .unwrap()
        .to_string();
    for a in [
        &home,
        &b.get("/ui/framework"),
        &b.get("/ui/nope"),
        &b.get(&css),
    ] {
        let csp = a.header("content-security-policy").unwrap();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"));
        assert!(!csp.contains("unsafe-inline") && !csp.contains("http"));
        assert_eq!(a.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(a.header("referrer-policy"), Some("no-referrer"));
    }
    assert!(!home.body.contains("<script>") && !home.body.contains(" style="));
    let gz = Request::new("GET", &css)
        .header("Accept-Encoding", "gzip")
        .send(&server.addr)
        .unwrap();
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    assert!(gz.header("cache-control").unwrap().contains("immutable"));
    let etag = gz.header("etag").unwrap().to_string();
    let again = Request::new("GET", &css)
        .header("If-None-Match", &etag)
        .send(&server.addr)
        .unwrap();
    assert_eq!(again.status, 304);
    // DNS rebinding: the console sits behind the same Host allowlist as /mcp.
    let rebound = Request::new("GET", "/ui/")
        .header("Host", "evil.example")
        .send(&server.addr)
        .unwrap();
    assert_eq!(rebound.status, 403);
}

#[test]
fn the_console_can_be_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("c.db"), false, &["--no-console"]);
    let a = Request::new("GET", "/ui/").send(&server.addr).unwrap();
    assert_eq!(a.status, 404);
    assert!(!a.body.contains("<html"));
    assert_eq!(
        Request::new("GET", "/healthz")
            .send(&server.addr)
            .unwrap()
            .status,
        200
    );
}

/// Sign-in attempts are counted per client address before the key is looked at: after the
/// allowance even the right key waits, with `Retry-After`, and no session is opened.
#[test]
fn sign_in_attempts_are_limited_per_address() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("c.db"), true, &[]);
    let mut b = Browser::new(&server.addr);
    for attempt in 1..=10 {
        let a = b.sign_in(&format!("guess-{attempt}"));
        assert_eq!(a.status, 401, "attempt {attempt}: {}", a.body);
    }
    let a = b.sign_in("guess-11");
    assert_eq!(a.status, 429, "{}", a.body);
    let wait: u64 = a
        .header("retry-after")
        .and_then(|s| s.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    assert!(a.body.contains("Too many sign-in attempts"), "{}", a.body);
    let a = b.sign_in(WRITER);
    assert_eq!(a.status, 429, "the right key waits too");
    assert!(a.header("set-cookie").is_none(), "no session while limited");
}

/// One key signing in over and over (from many addresses, so the sign-in allowance does not
/// slow it) opens more sessions than the server keeps: it drops its own oldest, never another
/// principal's. Loopback is all of 127.0.0.0/8 on Linux, so each address here is its own client.
#[cfg(target_os = "linux")]
#[test]
fn one_key_signing_in_many_times_does_not_sign_out_others() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("c.db"), true, &[]);
    let mut victim = Browser::new(&server.addr);
    let a = victim.sign_in(WRITER);
    assert_eq!(a.status, 303, "{}", a.body);
    victim.keep_cookie(&a);
    assert_eq!(victim.get("/ui/").status, 200);

    let addr: std::net::SocketAddr = server.addr.parse().unwrap();
    let body = format!("key={READER}");
    let request = format!(
        "POST /ui/signin HTTP/1.1\r\nHost: {a}\r\nOrigin: http://{a}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len(),
        a = server.addr
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let signed_in = runtime.block_on(async {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut signed_in = 0;
        // 10 a client address: within the allowance, so every one is a real sign-in.
        for i in 0..10_050u32 {
            let n = i / 10;
            let from = std::net::Ipv4Addr::new(127, 1 + (n / 250) as u8, 0, 2 + (n % 250) as u8);
            let socket = tokio::net::TcpSocket::new_v4().unwrap();
            socket.bind((from, 0).into()).unwrap();
            let mut stream = socket.connect(addr).await.unwrap();
            stream.write_all(request.as_bytes()).await.unwrap();
            let mut answer = Vec::new();
            stream.read_to_end(&mut answer).await.unwrap();
            if answer.starts_with(b"HTTP/1.1 303") {
                signed_in += 1;
            }
        }
        signed_in
    });
    assert_eq!(
        signed_in, 10_050,
        "the read-only key's sign-ins were refused"
    );
    assert_eq!(
        victim.get("/ui/").status,
        200,
        "another key's sign-ins ended this session"
    );
}

/// HTTP/2 carries no `Host` header: a sign-in posted over h2c from the console's own origin is
/// judged against the request's authority, and one from another origin is still refused.
#[test]
fn sign_in_over_http2_checks_the_origin_against_the_authority() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("c.db"), true, &[]);
    let origin = format!("http://{}", server.addr);
    let form = format!("key={WRITER}");
    crate::support::net::runtime().block_on(async {
        let mut h2 = crate::support::net::H2::connect("127.0.0.1", &server.addr)
            .await
            .unwrap();
        for (from, status) in [("http://evil.example".to_string(), 403), (origin, 303)] {
            let headers = [
                ("content-type", "application/x-www-form-urlencoded"),
                ("origin", from.as_str()),
            ];
            let a = h2
                .request("POST", "/ui/signin", &headers, &form)
                .await
                .unwrap();
            assert_eq!(a.status, status, "{from}: {}", a.body);
        }
    });
}
