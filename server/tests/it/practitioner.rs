//! What a practitioner relies on, through the MCP tools, on hand-computed fixtures: updates
//! change only what they name (a partial record keeps the owner, assessor, confidence and
//! earlier evidence; `null` clears; `replace` must be asked for; an import dry run lists per
//! row what would change and be cleared; history shows exactly the changed fields); every
//! audit row names its organization and profile; reads come in the official CSF order with
//! their total; a second organization of the same name is created with a warning.
use crate::support::{ok_on, refused_on, server};
use serde_json::{json, Value};

async fn org_and_profile(s: &nist_csf_mcp::CsfServer) -> (String, String) {
    let org = ok_on(
        s,
        "create_organization",
        json!({"name": "Invented Clinic", "size": "large"}),
    )
    .await;
    let org_id = org["organization"]["id"].as_str().unwrap().to_string();
    let p = ok_on(
        s,
        "create_profile",
        json!({"org_id": org_id, "kind": "current", "name": "Now"}),
    )
    .await;
    (org_id, p["profile"]["id"].as_str().unwrap().to_string())
}

async fn entry(s: &nist_csf_mcp::CsfServer, profile: &str, sub: &str) -> Value {
    let got = ok_on(
        s,
        "get_assessment",
        json!({"profile_id": profile, "within": &sub[..5]}),
    )
    .await;
    got["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["subcategory_id"] == sub)
        .cloned()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partial_update_keeps_every_field_it_does_not_name() {
    let s = server();
    let (_, p) = org_and_profile(&s).await;
    let full = json!({
        "subcategory_id": "PR.AA-03", "status": "partially", "maturity": 2, "priority": "high",
        "owner": "Identity team", "assessed_by": "Assessor A", "confidence": "medium",
        "target_date": "2027-06-30", "notes": "first pass",
        "evidence": [{"title": "Invented IdP config export", "location": "doc-1"},
                     {"title": "Invented MFA rollout plan", "location": "doc-2"}]
    });
    ok_on(
        &s,
        "record_assessment",
        json!({"profile_id": p, "entries": [full]}),
    )
    .await;

    // Status, maturity, notes and one more evidence reference only.
    let w = ok_on(
        &s,
        "record_assessment",
        json!({"profile_id": p, "entries": [{
            "subcategory_id": "PR.AA-03", "status": "largely", "maturity": 3, "notes": "MFA done",
            "evidence": [{"title": "Invented MFA report", "location": "doc-3"}]
        }]}),
    )
    .await;
    assert_eq!(w["counts"]["updated"], 1);
    assert_eq!(
        w["written"][0]["changed"],
        json!(["status", "maturity", "evidence", "notes"])
    );
    assert_eq!(w["written"][0]["cleared"], json!([]));
    let e = entry(&s, &p, "PR.AA-03").await;
    assert_eq!(e["status"], "largely");
    assert_eq!(e["maturity"], 3);
    assert_eq!(e["owner"], "Identity team");
    assert_eq!(e["assessed_by"], "Assessor A");
    assert_eq!(e["confidence"], "medium");
    assert_eq!(e["priority"], "high");
    assert_eq!(e["target_date"], "2027-06-30");
    let locations: Vec<&str> = e["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["location"].as_str().unwrap())
        .collect();
    assert_eq!(locations, ["doc-1", "doc-2", "doc-3"]);

    // An explicit null clears one field and nothing else.
    let w = ok_on(
        &s,
        "record_assessment",
        json!({"profile_id": p, "entries": [{"subcategory_id": "PR.AA-03", "owner": null}]}),
    )
    .await;
    assert_eq!(w["written"][0]["changed"], json!(["owner"]));
    assert_eq!(w["written"][0]["cleared"], json!(["owner"]));
    let e = entry(&s, &p, "PR.AA-03").await;
    assert_eq!(e["owner"], Value::Null);
    assert_eq!(e["assessed_by"], "Assessor A");

    // History shows exactly the fields each change made.
    let h = ok_on(
        &s,
        "get_assessment",
        json!({"profile_id": p, "within": "PR.AA", "include_history": true}),
    )
    .await;
    let changed: Vec<Value> = h["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["changed_fields"].clone())
        .collect();
    assert_eq!(
        changed,
        [
            json!([]),
            json!(["status", "maturity", "evidence", "notes"]),
            json!(["owner"])
        ]
    );

    // A whole-entry replacement must be asked for, and empties what it does not give.
    let w = ok_on(
        &s,
        "record_assessment",
        json!({"profile_id": p, "replace": true,
               "entries": [{"subcategory_id": "PR.AA-03", "status": "fully"}]}),
    )
    .await;
    let cleared = w["written"][0]["cleared"].as_array().unwrap().len();
    assert_eq!(cleared, 7, "{w}"); // maturity, priority, target_date, evidence, notes, assessed_by, confidence
    let e = entry(&s, &p, "PR.AA-03").await;
    assert_eq!(e["assessed_by"], Value::Null);
    assert_eq!(e["evidence"], json!([]));

    // A new entry still needs a status.
    refused_on(
        &s,
        "record_assessment",
        json!({"profile_id": p, "entries": [{"subcategory_id": "PR.AA-04", "owner": "x"}]}),
        "give a status",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_dry_run_lists_what_would_change_and_be_cleared() {
    let s = server();
    let (_, p) = org_and_profile(&s).await;
    ok_on(
        &s,
        "record_assessment",
        json!({"profile_id": p, "entries": [
            {"subcategory_id": "GV.OC-01", "status": "partially", "owner": "CISO",
             "assessed_by": "Assessor A", "confidence": "high"},
            {"subcategory_id": "GV.OC-02", "status": "largely", "notes": "keep me"}
        ]}),
    )
    .await;
    // JSON: an absent field keeps, null clears; a blank CSV cell would keep too.
    let content = json!([
        {"subcategory_id": "GV.OC-01", "status": "fully", "confidence": null},
        {"subcategory_id": "GV.OC-02", "maturity": 3},
        {"subcategory_id": "GV.OC-03", "status": "not_implemented"}
    ])
    .to_string();
    let dry = ok_on(
        &s,
        "import_assessment",
        json!({"profile_id": p, "format": "json", "content": content, "dry_run": true}),
    )
    .await;
    assert_eq!(dry["stored"], false);
    let rows = dry["written"].as_array().unwrap();
    assert_eq!(rows[0]["outcome"], "updated");
    assert_eq!(rows[0]["changed"], json!(["status", "confidence"]));
    assert_eq!(rows[0]["cleared"], json!(["confidence"]));
    assert_eq!(rows[1]["changed"], json!(["maturity"]));
    assert_eq!(rows[1]["cleared"], json!([]));
    assert_eq!(rows[2]["outcome"], "created");
    // Nothing stored by the dry run.
    assert_eq!(entry(&s, &p, "GV.OC-01").await["confidence"], "high");

    let done = ok_on(
        &s,
        "import_assessment",
        json!({"profile_id": p, "format": "json", "content": content}),
    )
    .await;
    assert_eq!(
        done["counts"],
        json!({"created": 1, "updated": 2, "unchanged": 0})
    );
    let e = entry(&s, &p, "GV.OC-01").await;
    assert_eq!(
        (
            e["status"].clone(),
            e["owner"].clone(),
            e["assessed_by"].clone()
        ),
        (json!("fully"), json!("CISO"), json!("Assessor A"))
    );
    assert_eq!(entry(&s, &p, "GV.OC-02").await["notes"], "keep me");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_is_in_the_trail_of_its_organization_and_profile() {
    let s = server();
    let (org, p) = org_and_profile(&s).await;
    let target = ok_on(
        &s,
        "create_profile",
        json!({"org_id": org, "kind": "target", "name": "Goal"}),
    )
    .await["profile"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    ok_on(
        &s,
        "record_assessment",
        json!({"profile_id": p, "entries": [{"subcategory_id": "GV.OC-01", "status": "partially"}]}),
    )
    .await;
    ok_on(
        &s,
        "record_assessment",
        json!({"profile_id": target, "entries": [{"subcategory_id": "GV.OC-01", "status": "fully"}]}),
    )
    .await;
    ok_on(
        &s,
        "import_assessment",
        json!({"profile_id": p, "format": "csv",
               "content": "subcategory_id,status\nGV.OC-02,largely\n", "dry_run": true}),
    )
    .await;
    ok_on(
        &s,
        "quick_assessment",
        json!({"profile_id": p, "answers": [{"function": "PR", "status": "partially"}]}),
    )
    .await;
    // A failed write is attributed too.
    refused_on(
        &s,
        "record_assessment",
        json!({"profile_id": p, "entries": [{"subcategory_id": "GV.OC-99", "status": "fully"}]}),
        "GV.OC-99",
    )
    .await;

    let by_org = ok_on(&s, "get_audit_trail", json!({"org_id": org})).await;
    let tools: Vec<&str> = by_org["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["tool"].as_str().unwrap())
        .collect();
    assert_eq!(
        tools,
        [
            "record_assessment",
            "quick_assessment",
            "import_assessment",
            "record_assessment",
            "record_assessment",
            "create_profile",
            "create_profile",
            "create_organization"
        ]
    );
    let by_profile = ok_on(&s, "get_audit_trail", json!({"profile_id": p})).await;
    let rows = by_profile["records"].as_array().unwrap();
    assert_eq!(rows.len(), 5, "{by_profile}");
    assert!(rows.iter().all(|r| r["org_id"] == org.as_str()));
    assert_eq!(rows[0]["result"], "error");
    let by_tool = ok_on(
        &s,
        "get_audit_trail",
        json!({"profile_id": target, "tool": "record_assessment"}),
    )
    .await;
    assert_eq!(by_tool["records"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_come_in_official_order_with_their_total() {
    let s = server();
    let (_, p) = org_and_profile(&s).await;
    // Alphabetically DE < GV < PR; officially GV (Govern) comes first, then PR, then DE; and
    // within GV the official order puts GV.OC before GV.RM.
    let ids = ["DE.CM-01", "PR.AA-01", "GV.RM-01", "GV.OC-01", "PR.DS-01"];
    let entries: Vec<Value> = ids
        .iter()
        .map(|id| json!({"subcategory_id": id, "status": "partially"}))
        .collect();
    ok_on(
        &s,
        "record_assessment",
        json!({"profile_id": p, "entries": entries}),
    )
    .await;
    let order = |v: &Value| -> Vec<String> {
        v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["subcategory_id"].as_str().unwrap().to_string())
            .collect()
    };
    let first = ok_on(&s, "get_assessment", json!({"profile_id": p, "limit": 2})).await;
    assert_eq!(order(&first), ["GV.OC-01", "GV.RM-01"]);
    assert_eq!(first["total"], 5);
    let second = ok_on(
        &s,
        "get_assessment",
        json!({"profile_id": p, "limit": 2, "cursor": first["next_cursor"]}),
    )
    .await;
    assert_eq!(order(&second), ["PR.AA-01", "PR.DS-01"]);
    let third = ok_on(
        &s,
        "get_assessment",
        json!({"profile_id": p, "limit": 2, "cursor": second["next_cursor"]}),
    )
    .await;
    assert_eq!(order(&third), ["DE.CM-01"]);
    assert!(third.get("next_cursor").is_none());
    // A filtered read reports the filtered total; coverage stays the profile's.
    let pr = ok_on(
        &s,
        "get_assessment",
        json!({"profile_id": p, "within": "PR"}),
    )
    .await;
    assert_eq!(pr["total"], 2);
    assert_eq!(pr["coverage"]["assessed"], 5);
    // A cursor from another query is refused.
    refused_on(
        &s,
        "get_assessment",
        json!({"profile_id": p, "within": "PR", "cursor": first["next_cursor"]}),
        "cursor",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_organization_of_the_same_name_comes_with_a_warning() {
    let s = server();
    let first = ok_on(
        &s,
        "create_organization",
        json!({"name": "Invented Clinic"}),
    )
    .await;
    assert_eq!(first["warnings"], json!([]));
    let id = first["organization"]["id"].as_str().unwrap();
    let second = ok_on(
        &s,
        "create_organization",
        json!({"name": " invented clinic "}),
    )
    .await;
    let warnings = second["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].as_str().unwrap().contains(id), "{second}");
    let other = ok_on(&s, "create_organization", json!({"name": "Another Clinic"})).await;
    assert_eq!(other["warnings"], json!([]));
}
