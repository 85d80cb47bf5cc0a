//! Organizations, profiles and assessments end to end, in process, on one in-memory store:
//! create org -> profiles -> record -> read back -> history -> as_of -> clone -> quick answers
//! -> imports -> audit -> confirmed deletes. Every output is checked against its outputSchema.

use crate::support::{ok_on, refused_on, server};
use serde_json::{json, Value};

fn ids(v: &Value, list: &str, field: &str) -> Vec<String> {
    v[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x[field].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organization_profile_assessment_lifecycle() {
    let s = server();
    let org = ok_on(
        &s,
        "create_organization",
        json!({"name": "Example Health", "sector": "healthcare", "size": "medium",
               "governance_tier": 2, "risk_management_tier": 3, "tier_note": "declared by the board"}),
    )
    .await;
    let org_id = org["organization"]["id"].as_str().unwrap().to_string();
    assert_eq!(org["tier_guidance"].as_array().unwrap().len(), 4);
    refused_on(
        &s,
        "create_organization",
        json!({"name": "X", "governance_tier": 5}),
        "1 (Partial)",
    )
    .await;

    let cur = ok_on(
        &s,
        "create_profile",
        json!({"org_id": org_id, "kind": "current", "name": "Today"}),
    )
    .await;
    let cur_id = cur["profile"]["id"].as_str().unwrap().to_string();
    let pr_only = ok_on(
        &s,
        "create_profile",
        json!({"org_id": org_id, "kind": "target", "name": "Protect only", "functions": ["protect"]}),
    )
    .await;
    let pr_id = pr_only["profile"]["id"].as_str().unwrap().to_string();
    refused_on(
        &s,
        "create_profile",
        json!({"org_id": "org_nope", "kind": "current", "name": "x"}),
        "org_",
    )
    .await;
    refused_on(
        &s,
        "create_profile",
        json!({"org_id": org_id, "kind": "current", "name": "x", "functions": ["XX"]}),
        "GV, ID, PR",
    )
    .await;

    // Record a batch, read it back.
    let rec = ok_on(
        &s,
        "record_assessment",
        json!({"profile_id": cur_id, "entries": [
            {"subcategory_id": "gv.oc-1", "status": "largely", "maturity": 3, "priority": "high",
             "owner": "CISO", "target_date": "2026-12-31",
             "evidence": [{"title": "Mission statement", "location": "doc-42"}]},
            {"subcategory_id": "PR.AA-01", "status": "partially", "notes": "'; DROP TABLE entries; --"}
        ]}),
    )
    .await;
    assert_eq!(rec["counts"]["created"], 2);
    let got = ok_on(&s, "get_assessment", json!({"profile_id": cur_id})).await;
    assert_eq!(
        ids(&got, "entries", "subcategory_id"),
        ["GV.OC-01", "PR.AA-01"]
    );
    assert_eq!(got["entries"][1]["notes"], "'; DROP TABLE entries; --");
    assert_eq!(got["coverage"]["in_scope"], 106);
    assert_eq!(got["coverage"]["assessed"], 2);

    // Bad input stores nothing: withdrawn id (named successor), out-of-range maturity, scope.
    refused_on(
        &s,
        "record_assessment",
        json!({"profile_id": cur_id, "entries": [
        {"subcategory_id": "DE.CM-02", "status": "fully"},
        {"subcategory_id": "PR.AC-01", "status": "fully"}]}),
        "PR.AA-01",
    )
    .await;
    refused_on(
        &s,
        "record_assessment",
        json!({"profile_id": cur_id, "entries": [
        {"subcategory_id": "DE.CM-02", "status": "fully", "maturity": 9}]}),
        "maturity",
    )
    .await;
    refused_on(
        &s,
        "record_assessment",
        json!({"profile_id": pr_id, "entries": [
        {"subcategory_id": "GV.OC-01", "status": "fully"}]}),
        "outside profile",
    )
    .await;
    refused_on(
        &s,
        "record_assessment",
        json!({"profile_id": cur_id, "entries": []}),
        "1–100",
    )
    .await;
    let after = ok_on(&s, "get_assessment", json!({"profile_id": cur_id})).await;
    assert_eq!(
        after["entries"].as_array().unwrap().len(),
        2,
        "nothing partially stored"
    );

    // Update -> history; as_of before the update shows the old status.
    let before_update = chrono::Utc::now().to_rfc3339();
    std::thread::sleep(std::time::Duration::from_millis(5));
    ok_on(
        &s,
        "record_assessment",
        json!({"profile_id": cur_id, "entries": [
        {"subcategory_id": "PR.AA-01", "status": "fully"}]}),
    )
    .await;
    let hist = ok_on(
        &s,
        "get_assessment",
        json!({"profile_id": cur_id, "within": "PR", "include_history": true}),
    )
    .await;
    assert_eq!(hist["entries"][0]["status"], "fully");
    assert_eq!(hist["history"].as_array().unwrap().len(), 2);
    let then = ok_on(
        &s,
        "get_assessment",
        json!({"profile_id": cur_id, "as_of": before_update}),
    )
    .await;
    let pr = then["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["subcategory_id"] == "PR.AA-01")
        .unwrap();
    assert_eq!(pr["status"], "partially");
    // Optimistic check: a stale version is refused.
    refused_on(
        &s,
        "record_assessment",
        json!({"profile_id": cur_id, "entries": [
        {"subcategory_id": "PR.AA-01", "status": "largely", "expected_version": 1}]}),
        "version",
    )
    .await;

    // Clone into a Target Profile.
    let tgt = ok_on(
        &s,
        "clone_profile",
        json!({"profile_id": cur_id, "name": "Target 2027", "kind": "target"}),
    )
    .await;
    let tgt_id = tgt["profile"]["id"].as_str().unwrap().to_string();
    let t = ok_on(&s, "get_assessment", json!({"profile_id": tgt_id})).await;
    assert_eq!(t["entries"].as_array().unwrap().len(), 2);
    let listed = ok_on(&s, "list_profiles", json!({"org_id": org_id})).await;
    assert_eq!(listed["profiles"].as_array().unwrap().len(), 3);

    // Quick answers stay function-level.
    let q = ok_on(
        &s,
        "quick_assessment",
        json!({"profile_id": tgt_id, "answers": [
        {"function": "DE", "status": "partially", "maturity": 2}]}),
    )
    .await;
    assert_eq!(q["answers"][0]["function_id"], "DE");
    let t2 = ok_on(&s, "get_assessment", json!({"profile_id": tgt_id})).await;
    assert_eq!(
        t2["entries"].as_array().unwrap().len(),
        2,
        "no subcategory scores invented"
    );
    refused_on(
        &s,
        "quick_assessment",
        json!({"profile_id": tgt_id, "answers": [
        {"function": "DE.CM", "status": "fully"}]}),
        "not a CSF 2.0 function",
    )
    .await;

    // Imports: dry run, bad rows (nothing stored), good rows.
    let csv = "subcategory_id,status,maturity\nDE.CM-01,largely,3\nRS.MA-01,fully,4\n";
    let dry = ok_on(
        &s,
        "import_assessment",
        json!({"profile_id": tgt_id, "format": "csv", "content": csv, "dry_run": true}),
    )
    .await;
    assert_eq!(
        (dry["stored"].as_bool(), dry["counts"]["created"].as_u64()),
        (Some(false), Some(2))
    );
    let bad = "subcategory_id,status\nDE.CM-01,fully\nPR.AC-01,fully\nDE.CM-03,sometimes\n";
    refused_on(
        &s,
        "import_assessment",
        json!({"profile_id": tgt_id, "format": "csv", "content": bad}),
        "row 2",
    )
    .await;
    let report = ok_on(
        &s,
        "import_assessment",
        json!({"profile_id": tgt_id, "format": "csv", "content": bad, "dry_run": true}),
    )
    .await;
    assert_eq!(report["errors"].as_array().unwrap().len(), 2);
    let t3 = ok_on(&s, "get_assessment", json!({"profile_id": tgt_id})).await;
    assert_eq!(
        t3["entries"].as_array().unwrap().len(),
        2,
        "dry runs and bad imports store nothing"
    );
    let done = ok_on(
        &s,
        "import_assessment",
        json!({"profile_id": tgt_id, "format": "csv", "content": csv}),
    )
    .await;
    assert_eq!(done["counts"]["created"], 2);
    let huge = "x".repeat(10 * 1024 * 1024);
    refused_on(
        &s,
        "import_assessment",
        json!({"profile_id": tgt_id, "format": "json", "content": huge}),
        "at most",
    )
    .await;

    // Questions and answer validation.
    let qs = ok_on(
        &s,
        "get_assessment_questions",
        json!({"function": "RC", "org_size": "small", "limit": 5}),
    )
    .await;
    assert_eq!(qs["total"], 16);
    let v = ok_on(
        &s,
        "validate_assessment_responses",
        json!({"responses": [
        {"question_id": "RC.RP-01:implementation", "answer": "fully"},
        {"question_id": "RC.RP-01:evidence", "answer": "tested"}]}),
    )
    .await;
    assert_eq!(v["valid"], true);
    assert_eq!(v["entries"][0]["confidence"], "high");

    // Audit trail: every write call, including refused ones.
    let audit = ok_on(&s, "get_audit_trail", json!({"limit": 200})).await;
    let tools = ids(&audit, "records", "tool");
    assert!(tools.iter().filter(|t| *t == "record_assessment").count() >= 6);
    assert!(audit["records"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["result"] == "error"));
    assert!(audit["records"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["principal"] == "test"));
    let import_rows: Vec<&Value> = audit["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["tool"] == "import_assessment")
        .collect();
    assert!(
        import_rows
            .iter()
            .all(|r| !r["args_summary"].as_str().unwrap().contains("DE.CM-01")),
        "content is summarised, not copied"
    );

    // Destructive tools need confirmation.
    refused_on(
        &s,
        "delete_profile",
        json!({"profile_id": pr_id, "confirm": "yes"}),
        "set `confirm`",
    )
    .await;
    let del = ok_on(
        &s,
        "delete_profile",
        json!({"profile_id": pr_id, "confirm": pr_id}),
    )
    .await;
    assert_eq!(del["removed"]["profiles"], 1);
    let reset = ok_on(
        &s,
        "reset_organization_data",
        json!({"org_id": org_id, "confirm": org_id}),
    )
    .await;
    assert_eq!(reset["removed"]["profiles"], 2);
    let none = ok_on(&s, "list_profiles", json!({"org_id": org_id})).await;
    assert!(none["profiles"].as_array().unwrap().is_empty());
    let orgs = ok_on(&s, "list_organizations", json!({})).await;
    assert_eq!(
        orgs["organizations"].as_array().unwrap().len(),
        1,
        "reset keeps the organization"
    );
}
