//! The web console's tests through a real server: a browser (one cookie jar, forms posted
//! from the server's own origin), and the forms that create what the pages are about.

use std::path::Path;
use std::process::Command;

use csf_testkit::http::{Answer, Request};
use csf_testkit::http_server::HttpServer;

use super::spawn;

pub const WRITER: &str = "console-writer-key-5b0e7d41a9";
pub const READER: &str = "console-reader-key-9c2f18e3d6";
/// Text that would run or break the page if it were not escaped.
pub const HOSTILE: &str = "<script>alert('x')</script>&\"";

/// The binary serving HTTP on `db`; with `auth`, the keys [`WRITER`] and [`READER`].
pub fn start(db: &Path, auth: bool, extra: &[&str]) -> HttpServer {
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
pub struct Browser<'a> {
    addr: &'a str,
    pub cookie: Option<String>,
}

impl<'a> Browser<'a> {
    pub fn new(addr: &'a str) -> Self {
        Browser { addr, cookie: None }
    }

    pub fn keep_cookie(&mut self, a: &Answer) {
        if let Some(c) = a.header("set-cookie") {
            let pair = c.split(';').next().unwrap().to_string();
            self.cookie = (!pair.ends_with('=')).then_some(pair);
        }
    }

    pub fn get(&mut self, path: &str) -> Answer {
        let mut r = Request::new("GET", path);
        if let Some(c) = &self.cookie {
            r = r.header("Cookie", c);
        }
        let a = r.send(self.addr).unwrap();
        self.keep_cookie(&a);
        a
    }

    pub fn post_from(&mut self, origin: Option<&str>, path: &str, form: &[(&str, &str)]) -> Answer {
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

    pub fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Answer {
        let origin = format!("http://{}", self.addr);
        self.post_from(Some(&origin), path, form)
    }

    pub fn sign_in(&mut self, key: &str) -> Answer {
        self.post("/ui/signin", &[("key", key)])
    }

    /// The CSRF token of the page at `path`.
    pub fn csrf(&mut self, path: &str) -> String {
        let page = self.get(path).body;
        let at = page
            .find("name=\"csrf\" value=\"")
            .expect("a form with a CSRF token")
            + 19;
        page[at..at + 64].to_string()
    }
}

pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn location(a: &Answer) -> String {
    let l = a.header("location").unwrap_or_default();
    l.to_string()
}

/// Creates an organization (named `name`) and a current profile; their paths.
pub fn org_and_profile(b: &mut Browser<'_>, name: &str) -> (String, String) {
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

/// The question ids of an assessor's question form, in order.
pub fn question_ids(page: &str) -> Vec<String> {
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
pub fn answer_for(question_id: &str) -> &'static str {
    match question_id.rsplit(':').next() {
        Some("implementation") => "fully",
        Some("maturity") => "3",
        Some("evidence") => "documented",
        _ => "Security lead",
    }
}

/// Registers an evidence item through the form; its page.
pub fn evidence(b: &mut Browser<'_>, org: &str, title: &str) -> String {
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
pub fn campaign(b: &mut Browser<'_>, profile: &str, assessor: &str) -> String {
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

/// Every console write about an evidence item (`item`), a profile and a campaign (`camp`) of
/// organization `org`, as (path, fields without the CSRF token); each would change the store
/// if it were allowed.
pub fn every_write(
    org: &str,
    item: &str,
    profile: &str,
    camp: &str,
) -> Vec<(String, Vec<(&'static str, String)>)> {
    let pid = profile.rsplit('/').next().unwrap_or_default().to_string();
    let fields = |pairs: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
        pairs.iter().map(|(k, v)| (*k, v.to_string())).collect()
    };
    vec![
        (
            format!("{org}/evidence"),
            fields(&[("title", "x"), ("kind", "log"), ("location", "dms:X")]),
        ),
        (
            format!("{item}/link"),
            fields(&[("profile_id", &pid), ("subcategory_id", "GV.OC-01")]),
        ),
        (
            format!("{profile}/campaigns"),
            fields(&[("name", "x"), ("assessors", "A")]),
        ),
        (
            format!("{camp}/answers"),
            fields(&[
                ("assessor", "Jo"),
                ("q0", "GV.OC-01:implementation"),
                ("a0", "fully"),
            ]),
        ),
        (format!("{camp}/state"), fields(&[("to", "in_review")])),
        (
            format!("{camp}/send-back"),
            fields(&[("question_id", "GV.OC-01:implementation"), ("reason", "r")]),
        ),
        (format!("{camp}/sign-off"), Vec::new()),
    ]
}
