//! The evidence register through the MCP tools, in process on a SQLite file (so the whole
//! store can be dumped before and after a refused call): create, partial update, links,
//! the register's three lists on a hand-computed fixture, delete keeping entries, the
//! resource, and bad input that changes nothing.
//!
//! Fixture (organization "Invented Quay", Current profile P, Target profile T; as of 2026-06-15):
//!
//! | item | review_by  | links           | stale?          | used?                  |
//! |------|------------|-----------------|-----------------|------------------------|
//! | A    | 2026-03-01 | P/GV.OC-01      | yes, 106 days   | yes (P/GV.OC-01 exists) |
//! | B    | 2026-07-01 | P/GV.OC-05      | no              | no (no entry GV.OC-05) |
//! | C    | —          | —               | no              | no                     |
//!
//! P: GV.OC-01 fully, GV.OC-02 largely, GV.OC-03 partially, GV.OC-04 fully.
//! Implemented without evidence in P: GV.OC-02 and GV.OC-04 (GV.OC-01 has A; GV.OC-03 is only
//! partially). T is a Target profile, so it is not checked.

use std::sync::Arc;

use crate::support::{id_of, ok_on, refused_on, report_on};
use csf_testkit::store_dump;
use nist_csf_mcp::mcp::resources;
use nist_csf_mcp::{Context, CsfServer};
use serde_json::{json, Value};

fn file_server(db: &std::path::Path) -> (CsfServer, Arc<Context>) {
    let ctx = Arc::new(Context::new(db.display().to_string(), "local-tester"));
    (CsfServer::new(ctx.clone()), ctx)
}

struct Fixture {
    s: CsfServer,
    ctx: Arc<Context>,
    org: String,
    p: String,
    a: String,
    b: String,
    c: String,
}

async fn fixture(db: &std::path::Path) -> Fixture {
    let (s, ctx) = file_server(db);
    let org = id_of(
        &s,
        "create_organization",
        json!({"name": "Invented Quay"}),
        "/organization/id",
    )
    .await;
    let profile = |kind: &str, name: &str| json!({"org_id": org, "kind": kind, "name": name});
    let p = id_of(
        &s,
        "create_profile",
        profile("current", "now"),
        "/profile/id",
    )
    .await;
    ok_on(&s, "create_profile", profile("target", "goal")).await;
    ok_on(
        &s,
        "record_assessment",
        json!({"profile_id": p, "entries": [
            {"subcategory_id": "GV.OC-01", "status": "fully"},
            {"subcategory_id": "GV.OC-02", "status": "largely"},
            {"subcategory_id": "GV.OC-03", "status": "partially"},
            {"subcategory_id": "GV.OC-04", "status": "fully"},
        ]}),
    )
    .await;
    let item = |title: &str, review_by: Option<&str>| {
        let mut a = json!({"org_id": org, "title": title, "kind": "policy",
            "location": format!("https://intranet.example/{title}"),
            "collected_on": "2026-01-01"});
        if let Some(r) = review_by {
            a["review_by"] = json!(r);
        }
        a
    };
    let a = id_of(&s, "create_evidence", item("A", Some("2026-03-01")), "/id").await;
    let b = id_of(&s, "create_evidence", item("B", Some("2026-07-01")), "/id").await;
    let c = id_of(&s, "create_evidence", item("C", None), "/id").await;
    ok_on(
        &s,
        "link_evidence",
        json!({"evidence_id": a, "profile_id": p, "subcategory_ids": ["gv.oc-01"]}),
    )
    .await;
    ok_on(
        &s,
        "link_evidence",
        json!({"evidence_id": b, "profile_id": p, "subcategory_ids": ["GV.OC-05"]}),
    )
    .await;
    Fixture {
        s,
        ctx,
        org,
        p,
        a,
        b,
        c,
    }
}

fn ids(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v[key].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn register_lists_match_the_hand_computed_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let f = fixture(&dir.path().join("ev.db")).await;
    let reg = ok_on(
        &f.s,
        "get_evidence_register",
        json!({"org_id": f.org, "as_of": "2026-06-15"}),
    )
    .await;
    assert_eq!(
        ids(&reg["items"], "id"),
        vec![f.a.clone(), f.b.clone(), f.c.clone()]
    );
    assert_eq!(ids(&reg["stale"], "evidence_id"), vec![f.a.clone()]);
    assert_eq!(reg["stale"][0]["days_overdue"], 106);
    assert_eq!(
        ids(&reg["implemented_without_evidence"], "subcategory_id"),
        vec!["GV.OC-02", "GV.OC-04"]
    );
    assert_eq!(reg["profiles_checked"], json!([f.p]));
    assert_eq!(
        ids(&reg["unused"], "evidence_id"),
        vec![f.b.clone(), f.c.clone()]
    );
    // The link was stored with the catalog's spelling.
    assert_eq!(reg["items"][0]["links"][0]["subcategory_id"], "GV.OC-01");

    // As of 2026-07-02, B is stale too (1 day).
    let later = ok_on(
        &f.s,
        "get_evidence_register",
        json!({"org_id": f.org, "as_of": "2026-07-02"}),
    )
    .await;
    assert_eq!(
        ids(&later["stale"], "evidence_id"),
        vec![f.a.clone(), f.b.clone()]
    );
    assert_eq!(later["stale"][1]["days_overdue"], 1);

    // Linking C to GV.OC-02 removes it from both the missing and the unused list.
    ok_on(
        &f.s,
        "link_evidence",
        json!({"evidence_id": f.c, "profile_id": f.p, "subcategory_ids": ["GV.OC-02"]}),
    )
    .await;
    let reg = ok_on(
        &f.s,
        "get_evidence_register",
        json!({"org_id": f.org, "as_of": "2026-06-15"}),
    )
    .await;
    assert_eq!(
        ids(&reg["implemented_without_evidence"], "subcategory_id"),
        vec!["GV.OC-04"]
    );
    assert_eq!(ids(&reg["unused"], "evidence_id"), vec![f.b.clone()]);

    // The resource carries the same register (stale judged as of today).
    let uri = format!("csf://evidence/{}", f.org);
    let read = resources::read_stored(&f.ctx, &uri)
        .await
        .expect("an evidence URI is a stored resource")
        .unwrap();
    let doc: Value = match &read.contents[0] {
        rmcp::model::ResourceContents::TextResourceContents { text, .. } => {
            serde_json::from_str(text).unwrap()
        }
        other => panic!("not text: {other:?}"),
    };
    assert!(resources::templates()
        .iter()
        .any(|t| t.uri_template == "csf://evidence/{org_id}"));
    // An unknown organization is a clear refusal.
    let err = resources::read_stored(&f.ctx, "csf://evidence/org_01J00000000000000000000000")
        .await
        .unwrap()
        .unwrap_err();
    assert!(err.message.contains("not found"), "{err:?}");
    assert_eq!(
        ids(&doc["items"], "id"),
        vec![f.a.clone(), f.b.clone(), f.c.clone()]
    );
}

#[tokio::test]
async fn update_unlink_and_delete_keep_entries() {
    let dir = tempfile::tempdir().unwrap();
    let f = fixture(&dir.path().join("ev.db")).await;
    let entries_before = ok_on(&f.s, "get_assessment", json!({"profile_id": f.p})).await;
    let v = ok_on(
        &f.s,
        "update_evidence",
        json!({"evidence_id": f.a, "owner": "Harbour IT", "review_by": null}),
    )
    .await;
    assert_eq!(v["owner"], "Harbour IT");
    assert_eq!(v["review_by"], Value::Null);
    assert_eq!(v["collected_on"], "2026-01-01");
    assert_eq!(v["title"], "A");
    let v = ok_on(
        &f.s,
        "unlink_evidence",
        json!({"evidence_id": f.a, "profile_id": f.p, "subcategory_ids": ["GV.OC-01"]}),
    )
    .await;
    assert_eq!(v["links"], json!([]));
    let gone = ok_on(&f.s, "delete_evidence", json!({"evidence_id": f.b})).await;
    assert_eq!(gone["links_removed"], 1);
    refused_on(
        &f.s,
        "get_evidence",
        json!({"evidence_id": f.b}),
        "not found",
    )
    .await;
    let entries_after = ok_on(&f.s, "get_assessment", json!({"profile_id": f.p})).await;
    assert_eq!(entries_before, entries_after);
    // Every write is in the audit trail under its tool's name.
    let trail = ok_on(&f.s, "get_audit_trail", json!({"org_id": f.org})).await;
    let tools: Vec<String> = trail["records"]
        .as_array()
        .or_else(|| trail["entries"].as_array())
        .unwrap()
        .iter()
        .map(|r| r["tool"].as_str().unwrap().to_owned())
        .collect();
    for t in [
        "create_evidence",
        "link_evidence",
        "update_evidence",
        "unlink_evidence",
        "delete_evidence",
    ] {
        assert!(tools.iter().any(|x| x == t), "{t} not audited: {tools:?}");
    }
}

#[tokio::test]
async fn bad_input_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ev.db");
    let f = fixture(&db).await;
    let before = store_dump::snapshot(&db);
    let ghost_evd = "evd_01J00000000000000000000000";
    let ghost_prof = "prof_01J00000000000000000000000";
    let create = |extra: Value| {
        let mut a = json!({"org_id": f.org, "title": "Bad", "kind": "log",
            "location": "https://siem.example/q/1"});
        for (k, v) in extra.as_object().unwrap() {
            a[k] = v.clone();
        }
        a
    };
    for local in [
        "/var/log/auth.log",
        "~/evidence.pdf",
        "file:///etc/shadow",
        "C:\\audit\\x.xlsx",
        "\\\\fs01\\share\\x.docx",
    ] {
        let args = create(json!({ "location": local }));
        refused_on(&f.s, "create_evidence", args, "local filesystem path").await;
    }
    // Each a valid item but for the fields given.
    let bad_creates = [
        (json!({"location": "../x.txt"}), "https://"),
        (json!({"sha256": "12345"}), "64 hexadecimal digits"),
        (json!({"collected_on": "2026-02-30"}), "is not a date like"),
        (
            json!({"collected_on": "2026-05-01", "review_by": "2026-04-01"}),
            "on or after",
        ),
        (json!({"kind": "rumour"}), "kind"),
        (json!({"location": null}), "location or a sha256"),
        (
            json!({"org_id": "org_01J00000000000000000000000"}),
            "not found",
        ),
        (json!({"org_id": f.p}), "is a profile id"),
    ];
    for (extra, needle) in bad_creates {
        refused_on(&f.s, "create_evidence", create(extra), needle).await;
    }
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "update_evidence",
            json!({"evidence_id": f.a, "location": "/etc/passwd"}),
            "local filesystem path",
        ),
        (
            "update_evidence",
            json!({"evidence_id": f.a, "review_by": "2025-12-31"}),
            "on or after",
        ),
        (
            "update_evidence",
            json!({"evidence_id": f.a, "location": null}),
            "location or a sha256",
        ),
        (
            "update_evidence",
            json!({"evidence_id": f.a}),
            "changes nothing",
        ),
        (
            "update_evidence",
            json!({"evidence_id": ghost_evd, "title": "x"}),
            "not found",
        ),
        (
            "link_evidence",
            json!({"evidence_id": ghost_evd, "profile_id": f.p, "subcategory_ids": ["GV.OC-02"]}),
            "not found",
        ),
        (
            "link_evidence",
            json!({"evidence_id": f.a, "profile_id": ghost_prof, "subcategory_ids": ["GV.OC-02"]}),
            "not found",
        ),
        (
            "link_evidence",
            json!({"evidence_id": f.a, "profile_id": f.p, "subcategory_ids": ["GV.OC-02", "ZZ.ZZ-99"]}),
            "subcategory_ids[1]",
        ),
        (
            "link_evidence",
            json!({"evidence_id": f.a, "profile_id": f.p, "subcategory_ids": []}),
            "1..=",
        ),
        (
            "unlink_evidence",
            json!({"evidence_id": f.a, "profile_id": f.p, "subcategory_ids": ["GV.OC-01", "GV.OC-03"]}),
            "is not linked",
        ),
        (
            "delete_evidence",
            json!({"evidence_id": ghost_evd}),
            "not found",
        ),
        (
            "delete_evidence",
            json!({"evidence_id": "12; DROP TABLE evidence_items"}),
            "evd_",
        ),
        (
            "get_evidence_register",
            json!({"org_id": f.org, "as_of": "15/06/2026"}),
            "is not a date like",
        ),
    ];
    for (tool, args, needle) in cases {
        refused_on(&f.s, tool, args, needle).await;
    }
    // A profile of another organization.
    let other = id_of(
        &f.s,
        "create_organization",
        json!({"name": "Other Quay"}),
        "/organization/id",
    )
    .await;
    let snapshot_other = store_dump::snapshot(&db);
    let q = id_of(
        &f.s,
        "create_profile",
        json!({"org_id": other, "kind": "current", "name": "theirs"}),
        "/profile/id",
    )
    .await;
    let with_q = store_dump::snapshot(&db);
    refused_on(
        &f.s,
        "link_evidence",
        json!({"evidence_id": f.a, "profile_id": q, "subcategory_ids": ["GV.OC-02"]}),
        "belongs to organization",
    )
    .await;
    assert_eq!(store_dump::snapshot(&db), with_q);
    assert_ne!(snapshot_other, with_q);
    // Apart from the other organization and its profile, nothing changed.
    let mut now = with_q;
    let mut was = before;
    now.remove("organizations");
    now.remove("profiles");
    was.remove("organizations");
    was.remove("profiles");
    assert_eq!(now, was);
}

#[tokio::test]
async fn audit_report_and_oscal_export_carry_the_links() {
    let dir = tempfile::tempdir().unwrap();
    let f = fixture(&dir.path().join("ev.db")).await;
    ok_on(
        &f.s,
        "update_evidence",
        json!({"evidence_id": f.a, "sha256": "AB".repeat(32)}),
    )
    .await;
    let (_, md) = report_on(
        &f.s,
        json!({"kind": "audit", "format": "markdown", "profile_id": f.p}),
    )
    .await;
    let md = md.as_str();
    assert!(md.contains("## Evidence register"), "{md}");
    assert!(md.contains(&format!("A ({})", f.a)), "{md}");
    assert!(md.contains("A [policy, review by 2026-03-01]"), "{md}");
    // B is linked to GV.OC-05, which has no entry: not cited. C has no links.
    assert!(!md.contains(&f.b) && !md.contains(&f.c), "{md}");
    // GV.OC-02..04 are applicable without register evidence.
    assert!(
        md.contains("3 applicable entries have no evidence-register item linked."),
        "{md}"
    );

    let export = ok_on(
        &f.s,
        "export_data",
        json!({"profile_id": f.p, "format": "oscal"}),
    )
    .await;
    let doc: Value = serde_json::from_str(export["content"].as_str().unwrap()).unwrap();
    let ar = &doc["assessment-results"];
    let resources = ar["back-matter"]["resources"].as_array().unwrap();
    let evidence: Vec<&Value> = resources
        .iter()
        .filter(|r| {
            r["props"]
                .as_array()
                .is_some_and(|p| p.iter().any(|p| p["name"] == "evidence-id"))
        })
        .collect();
    // A (GV.OC-01) and B (GV.OC-05, no entry, but linked to the profile).
    assert_eq!(evidence.len(), 2);
    let a = evidence
        .iter()
        .find(|r| r["title"] == "A")
        .expect("A is a resource");
    assert_eq!(a["rlinks"][0]["href"], "https://intranet.example/A");
    assert_eq!(a["rlinks"][0]["hashes"][0]["algorithm"], "SHA-256");
    assert_eq!(a["rlinks"][0]["hashes"][0]["value"], "ab".repeat(32));
    let href = format!("#{}", a["uuid"].as_str().unwrap());
    let citing: Vec<&Value> = ar["results"][0]["observations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| {
            o["relevant-evidence"]
                .as_array()
                .is_some_and(|r| r.iter().any(|e| e["href"] == href.as_str()))
        })
        .collect();
    assert_eq!(citing.len(), 1);
    assert_eq!(citing[0]["title"], "Assessment of GV.OC-01");
}
