//! Smaller practitioner findings, through the MCP tools: an SP 800-53 enhancement with no
//! mapping of its own falls back to its base control and says so; a reverse lookup lists each
//! CSF element once with the revisions that cite it; an entry carries the date its assessment
//! describes, which tools, imports, exports and the trend use; a report's error names the
//! argument it lacks. Reference ids and counts are read from NIST's data (the build's
//! catalog); no outcome text is quoted.
use crate::support::{ok_on, refused_on, server};
use serde_json::{json, Value};

fn ids(v: &Value) -> Vec<String> {
    v["cited_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn an_enhancement_without_a_mapping_falls_back_to_its_base_control() {
    let s = server();
    // NIST's data maps IA-2 (to PR.AA-01 and PR.AA-03, in both SP 800-53 revisions) but none
    // of its enhancements.
    let r = ok_on(&s, "get_informative_references", json!({"id": "IA-2(1)"})).await;
    assert_eq!(r["direction"], "to_csf");
    assert_eq!(r["fell_back_to"], "IA-2");
    assert_eq!(ids(&r), ["PR.AA-01", "PR.AA-03"]);
    let note = r["note"].as_str().unwrap();
    assert!(
        note.contains("IA-2(1)") && note.contains("base control IA-2"),
        "{note}"
    );

    // An enhancement with a mapping of its own is answered as itself.
    let own = ok_on(&s, "get_informative_references", json!({"id": "CP-2(8)"})).await;
    assert_eq!(own.get("fell_back_to"), None);
    assert!(ids(&own).contains(&"GV.OC-04".to_owned()));

    // No fallback for a base control that is not mapped either.
    refused_on(
        &s,
        "get_informative_references",
        json!({"id": "IA-99(1)"}),
        "no CSF 2.0 element cites",
    )
    .await;
}

#[tokio::test]
async fn a_reverse_lookup_lists_each_element_once_with_its_revisions() {
    let s = server();
    // AC-2 is cited by five subcategories, each in both SP 800-53 revisions (ten rows); the
    // revisions come in the order of NIST's dataset list.
    let r = ok_on(&s, "get_informative_references", json!({"id": "AC-2"})).await;
    assert_eq!(
        ids(&r),
        ["PR.AA-01", "PR.AA-05", "PR.DS-10", "DE.CM-01", "DE.CM-03"]
    );
    assert_eq!(r["total"], 5);
    for c in r["cited_by"].as_array().unwrap() {
        assert_eq!(
            c["datasets"],
            json!(["SP 800-53 Rev 5.1.1", "SP 800-53 Rev 5.2.0"]),
            "{c}"
        );
        assert_eq!(c["reference_ids"], json!(["AC-02"]), "{c}");
    }
    // One dataset only: one revision each.
    let one = ok_on(
        &s,
        "get_informative_references",
        json!({"id": "AC-2", "dataset": "sp800-53r5.1.1"}),
    )
    .await;
    assert_eq!(one["total"], 5);
    assert!(one["cited_by"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["datasets"] == json!(["SP 800-53 Rev 5.1.1"])));
}

async fn profile(s: &nist_csf_mcp::CsfServer) -> String {
    let org = ok_on(
        s,
        "create_organization",
        json!({"name": "Invented Dated Org"}),
    )
    .await;
    let p = ok_on(
        s,
        "create_profile",
        json!({"org_id": org["organization"]["id"], "kind": "current", "name": "Cycles"}),
    )
    .await;
    p["profile"]["id"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_entry_carries_the_date_it_describes_and_the_trend_uses_it() {
    let s = server();
    let p = profile(&s).await;
    // An earlier cycle, loaded today: GV.OC-01 fully on 2025-03-15; by import, GV.OC-02 not
    // implemented on 2025-08-01.
    ok_on(
        &s,
        "record_assessment",
        json!({"profile_id": p, "entries": [
            {"subcategory_id": "GV.OC-01", "status": "fully", "assessed_on": "2025-03-15"}
        ]}),
    )
    .await;
    let csv = "subcategory_id,status,assessed_on\nGV.OC-02,not_implemented,2025-08-01\n";
    ok_on(
        &s,
        "import_assessment",
        json!({"profile_id": p, "format": "csv", "content": csv}),
    )
    .await;
    let got = ok_on(&s, "get_assessment", json!({"profile_id": p})).await;
    let dates: Vec<&Value> = got["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["assessed_on"])
        .collect();
    assert_eq!(dates, [&json!("2025-03-15"), &json!("2025-08-01")]);
    // Recorded now, not on the date described.
    assert!(!got["entries"][0]["updated_at"]
        .as_str()
        .unwrap()
        .starts_with("2025"));

    // The trend is dated by the assessments: Q1 (GV.OC-01 fully: 1/1 = 1.0), Q2 (no change,
    // still 1.0), Q3 (GV.OC-02 not implemented: (1 + 0)/2 = 0.5).
    let t = ok_on(
        &s,
        "calculate_maturity_trend",
        json!({"profile_id": p, "scope": ["GV.OC"], "period": "quarter"}),
    )
    .await;
    let points = t["points"].as_array().unwrap();
    let labels: Vec<&str> = points
        .iter()
        .map(|p| p["period"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["2025-Q1", "2025-Q2", "2025-Q3"]);
    let changes: Vec<i64> = points
        .iter()
        .map(|p| p["changes"].as_i64().unwrap())
        .collect();
    assert_eq!(changes, [1, 0, 1]);
    let scores: Vec<f64> = points
        .iter()
        .map(|p| p["overall"]["implementation_score"].as_f64().unwrap())
        .collect();
    assert_eq!(scores, [1.0, 1.0, 0.5]);

    // Exports carry the date, so it survives a round trip.
    let e = ok_on(&s, "export_data", json!({"profile_id": p, "format": "csv"})).await;
    let content = e["content"].as_str().unwrap();
    let header: Vec<&str> = content.lines().next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "assessed_on").unwrap();
    let first: Vec<&str> = content.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(first[col], "2025-03-15");

    refused_on(
        &s,
        "record_assessment",
        json!({"profile_id": p, "entries": [
            {"subcategory_id": "GV.OC-03", "status": "fully", "assessed_on": "15/03/2025"}
        ]}),
        "assessed_on",
    )
    .await;
}

#[tokio::test]
async fn the_technical_report_names_the_argument_it_lacks() {
    let s = server();
    let p = profile(&s).await;
    ok_on(
        &s,
        "record_assessment",
        json!({"profile_id": p, "entries": [{"subcategory_id": "GV.OC-01", "status": "fully"}]}),
    )
    .await;
    refused_on(
        &s,
        "generate_report",
        json!({"kind": "technical", "format": "markdown", "profile_id": p}),
        "`target_profile_id`",
    )
    .await;
    refused_on(
        &s,
        "generate_report",
        json!({"kind": "progress", "format": "markdown", "profile_id": p}),
        "`plan_id`",
    )
    .await;
}
