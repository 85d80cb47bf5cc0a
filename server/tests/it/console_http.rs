//! The web console (`/ui/`) through the real binary on loopback: sign-in and the session
//! cookie's attributes, sign-out revoking the session, CSRF and origin checks on posts, a
//! read-only key that sees no write control and cannot write (the store compared before and
//! after), unknown ids, oversized forms, HTML escaped in text fields, the security headers, the
//! compiled-in assets, and `--no-console`.

use std::path::Path;
use std::process::Command;

use crate::support::spawn;
use csf_testkit::http::{Answer, Request};
use csf_testkit::http_server::HttpServer;
use csf_testkit::store_dump;

const WRITER: &str = "console-writer-key-5b0e7d41a9";
const READER: &str = "console-reader-key-9c2f18e3d6";
const HOSTILE: &str = "<script>alert('x')</script>&\"";

fn start(db: &Path, auth: bool, extra: &[&str]) -> HttpServer {
    let keys = format!(
        "reader:read:{},writer:read+write:{}",
        csf_transport::hash_key(READER),
        csf_transport::hash_key(WRITER)
    );
    let log = db.with_extension("log");
    HttpServer::start(
        |addr| {
            let mut c = Command::new(spawn::BIN);
            c.args(["serve", "--http", addr, "--db"]).arg(db);
            if auth {
                c.args(["--auth", "api-key", "--api-key", &keys]);
            }
            c.args(extra);
            c
        },
        &log,
        "/healthz",
    )
}

/// A browser: one cookie jar, forms posted from the server's own origin unless told otherwise.
struct Browser<'a> {
    addr: &'a str,
    cookie: Option<String>,
}

impl<'a> Browser<'a> {
    fn new(addr: &'a str) -> Self {
        Browser { addr, cookie: None }
    }

    fn keep_cookie(&mut self, a: &Answer) {
        if let Some(c) = a.header("set-cookie") {
            let pair = c.split(';').next().unwrap().to_string();
            self.cookie = (!pair.ends_with('=')).then_some(pair);
        }
    }

    fn get(&mut self, path: &str) -> Answer {
        let mut r = Request::new("GET", path);
        if let Some(c) = &self.cookie {
            r = r.header("Cookie", c);
        }
        let a = r.send(self.addr).unwrap();
        self.keep_cookie(&a);
        a
    }

    fn post_from(&mut self, origin: Option<&str>, path: &str, form: &[(&str, &str)]) -> Answer {
        let body: Vec<String> = form
            .iter()
            .map(|(k, v)| format!("{k}={}", enc(v)))
            .collect();
        let mut r = Request::new("POST", path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body.join("&"));
        if let Some(o) = origin {
            r = r.header("Origin", o);
        }
        if let Some(c) = &self.cookie {
            r = r.header("Cookie", c);
        }
        let a = r.send(self.addr).unwrap();
        self.keep_cookie(&a);
        a
    }

    fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Answer {
        let origin = format!("http://{}", self.addr);
        self.post_from(Some(&origin), path, form)
    }

    fn sign_in(&mut self, key: &str) -> Answer {
        self.post("/ui/signin", &[("key", key)])
    }

    /// The CSRF token of the page at `path`.
    fn csrf(&mut self, path: &str) -> String {
        let page = self.get(path).body;
        let at = page
            .find("name=\"csrf\" value=\"")
            .expect("a form with a CSRF token")
            + 19;
        page[at..at + 64].to_string()
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn location(a: &Answer) -> String {
    let l = a.header("location").unwrap_or_default();
    l.to_string()
}

/// Creates an organization (named `name`) and a current profile; their paths.
fn org_and_profile(b: &mut Browser<'_>, name: &str) -> (String, String) {
    let csrf = b.csrf("/ui/");
    let a = b.post("/ui/", &[("csrf", &csrf), ("name", name), ("sector", name)]);
    assert_eq!(a.status, 303, "{}", a.body);
    let org = location(&a);
    let a = b.post(
        &org,
        &[("csrf", &csrf), ("name", name), ("kind", "current")],
    );
    assert_eq!(a.status, 303, "{}", a.body);
    (org, location(&a))
}

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

/// The question ids of an assessor's question form, in order.
fn question_ids(page: &str) -> Vec<String> {
    (0..)
        .map_while(|i| {
            let marker = format!("name=\"q{i}\" value=\"");
            let at = page.find(&marker)? + marker.len();
            let len = page[at..].find('"')?;
            Some(page[at..at + len].to_string())
        })
        .collect()
}

/// A plausible answer for a question, by its dimension.
fn answer_for(question_id: &str) -> &'static str {
    match question_id.rsplit(':').next() {
        Some("implementation") => "fully",
        Some("maturity") => "3",
        Some("evidence") => "documented",
        _ => "Security lead",
    }
}

/// Registers an evidence item through the form; its page.
fn evidence(b: &mut Browser<'_>, org: &str, title: &str) -> String {
    let csrf = b.csrf(org);
    let a = b.post(
        &format!("{org}/evidence"),
        &[
            ("csrf", &csrf),
            ("title", title),
            ("kind", "policy"),
            ("location", "dms:POL-0042"),
            ("owner", title),
            ("collected_on", "2026-01-10"),
            ("review_by", "2026-02-10"),
            ("sensitivity", "internal"),
        ],
    );
    assert_eq!(a.status, 303, "{}", a.body);
    location(&a)
}

/// Creates a campaign over GV.OC for one assessor, started; its page.
fn campaign(b: &mut Browser<'_>, profile: &str, assessor: &str) -> String {
    let csrf = b.csrf(profile);
    let a = b.post(
        &format!("{profile}/campaigns"),
        &[
            ("csrf", &csrf),
            ("name", "Spring cycle"),
            ("categories", "GV.OC"),
            ("assessors", assessor),
            ("start", "true"),
        ],
    );
    assert_eq!(a.status, 303, "{}", a.body);
    location(&a)
}

#[test]
fn evidence_register_lists_links_and_escapes_items() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("c.db"), false, &[]);
    let mut b = Browser::new(&server.addr);
    let (org, profile) = org_and_profile(&mut b, "Evidence org");
    assert!(b.get(&org).body.contains("/evidence\""), "org links it");
    assert!(
        b.get(&profile).body.contains("/evidence\""),
        "profile links it"
    );
    let item = evidence(&mut b, &org, HOSTILE);
    assert!(item.starts_with("/ui/evidence/evd_"), "{item}");
    // A claimed outcome without evidence shows up in the register's list.
    let csrf = b.csrf(&org);
    let a = b.post(
        &format!("{profile}/entries/GV.OC-02"),
        &[("csrf", &csrf), ("status", "fully")],
    );
    assert_eq!(a.status, 303, "{}", a.body);
    let register = b.get(&format!("{org}/evidence"));
    assert_eq!(register.status, 200);
    assert!(
        !register.body.contains("<script>alert"),
        "title not escaped"
    );
    assert!(register.body.contains("&lt;script&gt;alert"));
    assert!(register.body.contains("dms:POL-0042"));
    let claimed = register.body.split("without evidence").nth(1).unwrap();
    assert!(claimed.contains("GV.OC-02"), "implemented without evidence");
    let stale = register.body.split("Stale").nth(1).unwrap();
    assert!(stale.contains("days overdue"), "the item is past review");
    let unused = register.body.split("Unused").nth(1).unwrap();
    assert!(unused.contains(&item), "never linked: unused");
    // Linking it to an entry through the item page.
    let pid = profile.rsplit('/').next().unwrap();
    let a = b.post(
        &format!("{item}/link"),
        &[
            ("csrf", &csrf),
            ("profile_id", pid),
            ("subcategory_id", "GV.OC-02"),
        ],
    );
    assert_eq!(a.status, 303, "{}", a.body);
    let page = b.get(&item);
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("<script>alert"));
    assert!(page.body.contains(&format!("{profile}/entries/GV.OC-02")));
    let register = b.get(&format!("{org}/evidence")).body;
    let claimed = register.split("without evidence").nth(1).unwrap();
    let claimed = claimed.split("Unused").next().unwrap();
    assert!(!claimed.contains("GV.OC-02"), "now evidenced");
    // A bad link is refused with the reason.
    let a = b.post(
        &format!("{item}/link"),
        &[
            ("csrf", &csrf),
            ("profile_id", pid),
            ("subcategory_id", "ZZ.QQ-99"),
        ],
    );
    assert_eq!(a.status, 400, "{}", a.body);
}

#[test]
fn a_campaign_runs_through_the_forms_to_sign_off() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("c.db"), false, &[]);
    let mut b = Browser::new(&server.addr);
    let (_org, profile) = org_and_profile(&mut b, "Campaign org");
    let listing = b.get(&format!("{profile}/campaigns"));
    assert_eq!(listing.status, 200);
    let camp = campaign(&mut b, &profile, "Jo: GV.OC");
    assert!(camp.starts_with("/ui/campaigns/camp_"), "{camp}");
    let page = b.get(&camp);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("in_progress") && page.body.contains("GV"));
    assert!(b.get(&format!("{profile}/campaigns")).body.contains(&camp));
    let form_path = format!("{camp}/questions?assessor=Jo");
    let before = b.get(&profile).body;
    let mut answered = 0;
    loop {
        let form = b.get(&form_path);
        assert_eq!(form.status, 200);
        assert!(!form.body.contains("<script>alert"), "answer not escaped");
        let ids = question_ids(&form.body);
        if ids.is_empty() {
            break;
        }
        assert!(
            form.body.contains("Context"),
            "questions carry their context"
        );
        let csrf = b.csrf(&form_path);
        let mut fields: Vec<(String, String)> =
            vec![("csrf".into(), csrf), ("assessor".into(), "Jo".into())];
        for (i, q) in ids.iter().enumerate() {
            fields.push((format!("q{i}"), q.clone()));
            fields.push((format!("a{i}"), answer_for(q).into()));
            fields.push((format!("c{i}"), "low".into()));
            fields.push((format!("n{i}"), HOSTILE.into()));
        }
        let borrowed: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let a = b.post(&format!("{camp}/answers"), &borrowed);
        assert_eq!(a.status, 303, "{}", a.body);
        answered += ids.len();
        assert!(answered < 200, "the questions never run out");
    }
    assert!(answered >= 10, "only {answered} questions answered");
    let csrf = b.csrf(&camp);
    let page = b.get(&camp).body;
    assert!(page.contains("Submit for review"));
    let version = |page: &str| {
        let at = page.find("name=\"expected_version\" value=\"").unwrap() + 31;
        page[at..].split('"').next().unwrap().to_string()
    };
    let a = b.post(
        &format!("{camp}/state"),
        &[
            ("csrf", &csrf),
            ("to", "in_review"),
            ("expected_version", &version(&page)),
        ],
    );
    assert_eq!(a.status, 303, "{}", a.body);
    let review = b.get(&camp).body;
    assert!(review.contains("Changes since the last cycle") && review.contains("Low confidence"));
    assert!(!review.contains("<script>alert"));
    // Send one answer back, answer it again, then sign off.
    let a = b.post(
        &format!("{camp}/send-back"),
        &[
            ("csrf", &csrf),
            ("question_id", "GV.OC-01:implementation"),
            ("reason", "check the scope"),
            ("expected_version", &version(&review)),
        ],
    );
    assert_eq!(a.status, 303, "{}", a.body);
    let form = b.get(&form_path).body;
    assert_eq!(question_ids(&form), vec!["GV.OC-01:implementation"]);
    assert!(form.contains("check the scope"));
    let a = b.post(
        &format!("{camp}/answers"),
        &[
            ("csrf", &csrf),
            ("assessor", "Jo"),
            ("q0", "GV.OC-01:implementation"),
            ("a0", "largely"),
            ("c0", "high"),
        ],
    );
    assert_eq!(a.status, 303, "{}", a.body);
    let page = b.get(&camp).body;
    let a = b.post(
        &format!("{camp}/state"),
        &[
            ("csrf", &csrf),
            ("to", "in_review"),
            ("expected_version", &version(&page)),
        ],
    );
    assert_eq!(a.status, 303, "{}", a.body);
    let review = b.get(&camp).body;
    // A stale version is refused and changes nothing.
    let a = b.post(
        &format!("{camp}/sign-off"),
        &[("csrf", &csrf), ("expected_version", "1")],
    );
    assert_eq!(a.status, 409, "{}", a.body);
    let a = b.post(
        &format!("{camp}/sign-off"),
        &[("csrf", &csrf), ("expected_version", &version(&review))],
    );
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(location(&a), profile);
    let after = b.get(&profile).body;
    assert_ne!(before, after, "the dashboard shows the signed-off cycle");
    assert!(b.get(&camp).body.contains("signed_off"));
    let entry = b.get(&format!("{profile}/entries/GV.OC-01")).body;
    assert!(entry.contains("Largely"), "sign-off recorded the answer");
}

#[test]
fn a_read_only_key_cannot_register_evidence_or_answer() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let server = start(&db, true, &[]);
    let mut w = Browser::new(&server.addr);
    w.sign_in(WRITER);
    let (org, profile) = org_and_profile(&mut w, "Reader campaign");
    let item = evidence(&mut w, &org, "Policy");
    let camp = campaign(&mut w, &profile, "Jo");
    let mut r = Browser::new(&server.addr);
    assert_eq!(r.sign_in(READER).status, 303);
    let questions = format!("{camp}/questions?assessor=Jo");
    for path in [
        format!("{org}/evidence"),
        item.clone(),
        format!("{profile}/campaigns"),
        camp.clone(),
        questions.clone(),
    ] {
        let page = r.get(&path);
        assert_eq!(page.status, 200, "{path}");
        for control in [
            "Register evidence",
            "Link evidence",
            "Create campaign",
            "Save answers",
            "name=\"a0\"",
            "<form class=\"stack\"",
        ] {
            assert!(!page.body.contains(control), "{path} shows {control}");
        }
    }
    assert!(
        r.get(&questions).body.contains("Context"),
        "reader sees the questions"
    );
    let csrf = r.csrf("/ui/");
    let pid = profile.rsplit('/').next().unwrap().to_string();
    let before = store_dump::snapshot(&db);
    let audit = store_dump::audit(&db);
    for (path, form) in [
        (
            format!("{org}/evidence"),
            vec![("title", "x"), ("kind", "log"), ("location", "dms:X")],
        ),
        (
            format!("{item}/link"),
            vec![("profile_id", pid.as_str()), ("subcategory_id", "GV.OC-01")],
        ),
        (
            format!("{profile}/campaigns"),
            vec![("name", "x"), ("assessors", "A")],
        ),
        (
            format!("{camp}/answers"),
            vec![
                ("assessor", "Jo"),
                ("q0", "GV.OC-01:implementation"),
                ("a0", "fully"),
            ],
        ),
        (format!("{camp}/state"), vec![("to", "in_review")]),
        (format!("{camp}/sign-off"), vec![]),
    ] {
        let mut fields = vec![("csrf", csrf.as_str())];
        fields.extend(form);
        let a = r.post(&path, &fields);
        assert_eq!(a.status, 403, "{path}: {}", a.body);
    }
    store_dump::assert_unchanged(&db, &before, &audit);
}

#[test]
fn unknown_campaigns_and_evidence_are_404_and_their_posts_need_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let server = start(&db, false, &[]);
    let mut b = Browser::new(&server.addr);
    let (org, profile) = org_and_profile(&mut b, "Unknowns");
    for path in [
        "/ui/campaigns/camp_01M98MS2YGH50TD93KH7CHSE1Z",
        "/ui/campaigns/not-an-id",
        "/ui/campaigns/camp_01M98MS2YGH50TD93KH7CHSE1Z/questions?assessor=Jo",
        "/ui/evidence/evd_01M98MS2YGH50TD93KH7CHSE1Z",
        "/ui/evidence/not-an-id",
        "/ui/orgs/org_01M98MS2YGH50TD93KH7CHSE1Z/evidence",
        "/ui/profiles/prof_01M98MSFWWHFHV4SF3H91F8H3B/campaigns",
    ] {
        let a = b.get(path);
        assert_eq!(a.status, 404, "{path}: {}", a.body);
        assert!(a.header("content-type").unwrap().starts_with("text/html"));
    }
    let item = evidence(&mut b, &org, "Policy");
    let camp = campaign(&mut b, &profile, "Jo");
    let pid = profile.rsplit('/').next().unwrap().to_string();
    let before = store_dump::snapshot(&db);
    let audit = store_dump::audit(&db);
    for (path, form) in [
        (
            format!("{org}/evidence"),
            vec![("title", "x"), ("kind", "log"), ("location", "dms:X")],
        ),
        (
            format!("{item}/link"),
            vec![("profile_id", pid.as_str()), ("subcategory_id", "GV.OC-01")],
        ),
        (
            format!("{profile}/campaigns"),
            vec![("name", "x"), ("assessors", "A")],
        ),
        (
            format!("{camp}/answers"),
            vec![
                ("assessor", "Jo"),
                ("q0", "GV.OC-01:implementation"),
                ("a0", "fully"),
            ],
        ),
        (format!("{camp}/state"), vec![("to", "in_review")]),
        (
            format!("{camp}/send-back"),
            vec![("question_id", "GV.OC-01:implementation"), ("reason", "r")],
        ),
        (format!("{camp}/sign-off"), vec![]),
    ] {
        let a = b.post(&path, &form);
        assert_eq!(a.status, 403, "{path}: {}", a.body);
    }
    store_dump::assert_unchanged(&db, &before, &audit);
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
