//! Reports leave the tool as documents: the report comes back as an embedded resource with
//! its MIME type beside a short summary, is kept, and is read again later as the resource
//! `csf://report/{id}` (listed among the resource templates), with no 200 KB ceiling: a larger
//! report is linked, not refused. On an invented fixture.
use std::sync::Arc;

use crate::support::{call, ok_on, report_on};
use nist_csf_mcp::mcp::resources;
use nist_csf_mcp::{Context, CsfServer};
use rmcp::model::{ContentBlock, ResourceContents};
use serde_json::{json, Value};

async fn profile(s: &CsfServer, entries: Vec<Value>) -> String {
    let org = ok_on(
        s,
        "create_organization",
        json!({"name": "Invented Hospital"}),
    )
    .await;
    let p = ok_on(
        s,
        "create_profile",
        json!({"org_id": org["organization"]["id"], "kind": "current", "name": "Now"}),
    )
    .await;
    let pid = p["profile"]["id"].as_str().unwrap().to_owned();
    ok_on(
        s,
        "record_assessment",
        json!({"profile_id": pid, "entries": entries}),
    )
    .await;
    pid
}

async fn read(ctx: &Context, uri: &str) -> (String, Option<String>) {
    let got = resources::read_stored(ctx, uri)
        .await
        .expect("a stored resource")
        .expect("readable");
    match got.contents.into_iter().next().unwrap() {
        ResourceContents::TextResourceContents {
            text, mime_type, ..
        } => (text, mime_type),
        other => panic!("text expected, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_is_an_embedded_document_kept_as_a_resource() {
    let ctx = Arc::new(Context::in_memory().unwrap());
    let s = CsfServer::new(ctx.clone());
    // GV.OC: fully, partially (scores 1 and 1/3: mean 2/3 = 67%), 2 of 5 assessed (40%).
    let p = profile(
        &s,
        vec![
            json!({"subcategory_id": "GV.OC-01", "status": "fully"}),
            json!({"subcategory_id": "GV.OC-02", "status": "partially"}),
        ],
    )
    .await;
    for (format, mime) in [
        ("html", "text/html"),
        ("markdown", "text/markdown"),
        ("json", "application/json"),
    ] {
        let (out, doc) = report_on(
            &s,
            json!({"kind": "executive", "format": format, "profile_id": p, "scope": ["GV.OC"]}),
        )
        .await;
        assert_eq!(out["media_type"], mime);
        assert_eq!(out["embedded"], true);
        assert_eq!(out["bytes"], doc.len());
        // The structured result is a summary, not the document escaped in JSON.
        assert!(out.get("content").is_none());
        let summary = out["summary"].as_str().unwrap();
        assert!(
            summary.contains("2 of 5 subcategories assessed (40% coverage)")
                && summary.contains("implementation score 67%"),
            "{summary}"
        );
        let uri = out["uri"].as_str().unwrap();
        assert_eq!(
            uri,
            format!("csf://report/{}", out["document_id"].as_str().unwrap())
        );
        // Read later, it is the same document with the same MIME type.
        let (again, again_mime) = read(&ctx, uri).await;
        assert_eq!(again, doc);
        assert_eq!(again_mime.as_deref(), Some(mime));
    }

    let templates: Vec<String> = resources::templates()
        .into_iter()
        .map(|t| t.uri_template.clone())
        .collect();
    assert!(
        templates.contains(&"csf://report/{id}".to_owned()),
        "{templates:?}"
    );

    // An unknown or malformed document id is a resource error naming the form to use.
    for bad in [
        "csf://report/doc_01JD0000000000000000000000",
        "csf://report/x",
    ] {
        let e = resources::read_stored(&ctx, bad)
            .await
            .unwrap()
            .unwrap_err();
        assert!(e.message.contains("doc_"), "{bad}: {}", e.message);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_over_200_kb_is_kept_and_linked_not_refused() {
    let ctx = Arc::new(Context::in_memory().unwrap());
    let s = CsfServer::new(ctx.clone());
    // Every active GV subcategory with a 9,000-character note: the audit report's JSON carries
    // every note, over 30 × 9,000 = 270,000 bytes.
    let note = "n".repeat(9_000);
    let entries: Vec<Value> = csf_catalog::subcategories()
        .iter()
        .filter(|x| !x.withdrawn && x.id.starts_with("GV."))
        .map(|x| json!({"subcategory_id": x.id, "status": "largely", "notes": note}))
        .collect();
    assert!(entries.len() >= 30);
    let p = profile(&s, entries).await;
    let args = json!({"kind": "audit", "format": "json", "profile_id": p});
    let out = ok_on(&s, "generate_report", args.clone()).await;
    assert_eq!(out["embedded"], false);
    let bytes = out["bytes"].as_u64().unwrap();
    assert!(bytes > 270_000, "{bytes}");
    let r = call(&s, "generate_report", args).await;
    let link = r
        .content
        .iter()
        .find_map(|c| match c {
            ContentBlock::ResourceLink(l) => Some(l.clone()),
            _ => None,
        })
        .expect("a resource link");
    assert_eq!(link.mime_type.as_deref(), Some("application/json"));
    assert_eq!(link.size, Some(bytes));
    let (doc, _) = read(&ctx, &link.uri).await;
    assert_eq!(doc.len() as u64, bytes);
    let data: Value = serde_json::from_str(&doc).unwrap();
    assert_eq!(
        data["data"]["entries"].as_array().unwrap().len(),
        csf_catalog::subcategories()
            .iter()
            .filter(|x| !x.withdrawn && x.id.starts_with("GV."))
            .count()
    );
}

/// `1,234,567` (the test's own formatting, to compare with the report's).
fn thousands(v: f64) -> String {
    let digits = format!("{:.0}", v.round());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_executive_report_reads_as_a_board_document() {
    let s = crate::support::server();
    // Current GV.OC: largely, largely, not implemented, fully, partially; Target: all fully
    // with priorities high, low, high, medium, (default medium). Open gaps: 01, 02, 03, 05.
    let cur = profile(
        &s,
        vec![
            json!({"subcategory_id": "GV.OC-01", "status": "largely"}),
            json!({"subcategory_id": "GV.OC-02", "status": "largely"}),
            json!({"subcategory_id": "GV.OC-03", "status": "not_implemented"}),
            json!({"subcategory_id": "GV.OC-04", "status": "fully"}),
            json!({"subcategory_id": "GV.OC-05", "status": "partially"}),
        ],
    )
    .await;
    let got = ok_on(&s, "get_assessment", json!({"profile_id": cur})).await;
    let org = got["profile"]["org_id"].as_str().unwrap().to_owned();
    let t = ok_on(
        &s,
        "create_profile",
        json!({"org_id": org, "kind": "target", "name": "Goal"}),
    )
    .await;
    let tgt = t["profile"]["id"].as_str().unwrap().to_owned();
    ok_on(
        &s,
        "record_assessment",
        json!({"profile_id": tgt, "entries": [
            {"subcategory_id": "GV.OC-01", "status": "fully", "priority": "high"},
            {"subcategory_id": "GV.OC-02", "status": "fully", "priority": "low"},
            {"subcategory_id": "GV.OC-03", "status": "fully", "priority": "high"},
            {"subcategory_id": "GV.OC-04", "status": "fully", "priority": "medium"},
            {"subcategory_id": "GV.OC-05", "status": "fully"}]}),
    )
    .await;
    let args = |format: &str| {
        json!({"kind": "executive", "format": format, "profile_id": cur,
               "target_profile_id": tgt, "capacity": 12, "hourly_rate": 1250,
               "currency": "EUR"})
    };
    let (_, md) = report_on(&s, args("markdown")).await;
    let (_, data) = report_on(&s, args("json")).await;
    let data: Value = serde_json::from_str(&data).unwrap();

    // Outcome names beside ids (the catalog's own words, read here, not quoted).
    let name = csf_catalog::get("GV.OC-03").unwrap().text().unwrap();
    let opening: String = name.chars().take(24).collect();
    assert!(md.contains(&format!("GV.OC-03 — {opening}")), "{md}");

    // Money with thousands separators and the currency; no raw figure.
    let total = data["data"]["cost"]["total_cost"].as_f64().unwrap();
    assert!(total >= 1000.0, "{total}");
    assert!(md.contains(&format!("{} EUR", thousands(total))), "{md}");
    assert!(!md.contains(&format!("{total:.2}")), "{md}");

    let (findings, appendix) = md.split_once("## Appendix: methods").unwrap();
    // Next actions in plain words; the formula only in the appendix.
    let actions = findings
        .split_once("## Recommended next actions")
        .unwrap()
        .1
        .split("\n## ")
        .next()
        .unwrap();
    assert!(actions.contains("Raise GV.OC-03"), "{actions}");
    assert!(
        actions.contains("from not implemented to fully (high priority"),
        "{actions}"
    );
    for formula in ["impact", "per unit", "×", "gap_steps", "priority weight"] {
        assert!(
            !findings.contains(formula),
            "`{formula}` in the findings: {findings}"
        );
    }
    assert!(appendix.contains("impact per work unit"), "{appendix}");
    // The methods are an appendix shorter than the findings.
    assert!(
        appendix.len() < findings.len(),
        "appendix {} vs findings {}",
        appendix.len(),
        findings.len()
    );
    // No table repeats another: one chart of the function scores, no risk table by function,
    // no section twice.
    let (_, html) = report_on(&s, args("html")).await;
    assert_eq!(html.matches("<svg").count(), 2, "function bars + heat map");
    assert!(!md.contains("| Function | Weight |"), "{md}");
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    let mut unique = headings.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), headings.len(), "{headings:?}");
}
