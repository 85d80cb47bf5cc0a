//! A profile with only quick (function-level) answers, through the MCP tools: the analyses and
//! reports show function-level results, labelled as such, never spread over subcategories and
//! never as an empty subcategory coverage.
//!
//! Fixture: GV largely (score 2/3), PR partially with maturity 2 (1/3), DE fully with
//! maturity 4 (1). Over the whole Core: 3 of 6 functions answered; implementation score
//! (2/3 + 1/3 + 1) / 3 = 0.6667; mean maturity (2 + 4) / 2 = 3.

use crate::support::{ok_on, report_on, server};
use serde_json::{json, Value};

async fn quick_only() -> (nist_csf_mcp::CsfServer, String) {
    let s = server();
    let org = ok_on(
        &s,
        "create_organization",
        json!({"name": "Invented Quarry"}),
    )
    .await;
    let p = ok_on(
        &s,
        "create_profile",
        json!({"org_id": org["organization"]["id"], "kind": "current", "name": "Quick"}),
    )
    .await;
    let id = p["profile"]["id"].as_str().unwrap().to_string();
    ok_on(
        &s,
        "quick_assessment",
        json!({"profile_id": id, "answers": [
            {"function": "GV", "status": "largely"},
            {"function": "PR", "status": "partially", "maturity": 2},
            {"function": "DE", "status": "fully", "maturity": 4}
        ]}),
    )
    .await;
    (s, id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn maturity_of_a_quick_only_profile_is_function_level() {
    let (s, p) = quick_only().await;
    let m = ok_on(&s, "assess_maturity", json!({"profile_id": p})).await;
    assert_eq!(m["basis"], "function_level");
    let f = &m["function_level"];
    assert_eq!(f["functions_in_scope"], 6);
    assert_eq!(f["answered"], 3);
    assert_eq!(f["implementation_score"], 0.6667);
    assert_eq!(f["mean_maturity"], 3.0);
    let ids: Vec<&str> = f["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["function_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["GV", "PR", "DE"]);
    assert_eq!(f["results"][1]["implementation_score"], 0.3333);
    assert!(f["results"][0]["label"]
        .as_str()
        .unwrap()
        .starts_with("function-level"));
    // Never spread over subcategories: no subcategory is counted as assessed.
    assert_eq!(m["overall"]["assessed"], 0);
    // Scoped to PR: one function in scope, answered, score 1/3.
    let pr = ok_on(
        &s,
        "assess_maturity",
        json!({"profile_id": p, "scope": ["PR"]}),
    )
    .await;
    assert_eq!(pr["function_level"]["functions_in_scope"], 1);
    assert_eq!(pr["function_level"]["implementation_score"], 0.3333);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_of_a_quick_only_profile_show_function_level_results() {
    let (s, p) = quick_only().await;
    for kind in ["executive", "audit"] {
        let (_, text) = report_on(
            &s,
            json!({"kind": kind, "format": "markdown", "profile_id": p}),
        )
        .await;
        let text = text.as_str();
        assert!(
            text.contains("Function-level results (quick assessment)"),
            "{kind}: {text}"
        );
        assert!(text.contains("3 of 6"), "{kind}: {text}");
        assert!(text.contains("66.7%"), "{kind}: {text}");
        assert!(text.contains("3.00 / 5"), "{kind}: {text}");
        assert!(!text.contains(" 0.0%"), "{kind}: {text}");
        assert!(!text.contains("** n/a"), "{kind}: {text}");
        assert!(!text.contains("Coverage"), "{kind}: {text}");
    }
    let (_, j) = report_on(
        &s,
        json!({"kind": "executive", "format": "json", "profile_id": p}),
    )
    .await;
    let data: Value = serde_json::from_str(&j).unwrap();
    assert_eq!(data["data"]["maturity"]["basis"], "function_level");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gap_analysis_shows_the_current_function_level_answers_beside_its_rows() {
    let (s, cur) = quick_only().await;
    let org = ok_on(&s, "get_assessment", json!({"profile_id": cur})).await;
    let org_id = org["profile"]["org_id"].clone();
    let t = ok_on(
        &s,
        "create_profile",
        json!({"org_id": org_id, "kind": "target", "name": "Goal"}),
    )
    .await;
    let tgt = t["profile"]["id"].as_str().unwrap().to_string();
    ok_on(
        &s,
        "record_assessment",
        json!({"profile_id": tgt, "entries": [{"subcategory_id": "PR.AA-01", "status": "fully"}]}),
    )
    .await;
    let g = ok_on(
        &s,
        "generate_gap_analysis",
        json!({"current_profile_id": cur, "target_profile_id": tgt, "scope": ["PR"]}),
    )
    .await;
    // No subcategory is invented from the PR answer: PR.AA-01 is missing on the Current side.
    assert_eq!(g["totals"]["compared"], 0);
    let f = &g["current_function_level"];
    assert_eq!(f["answered"], 1);
    assert_eq!(f["results"][0]["function_id"], "PR");
    assert_eq!(f["results"][0]["status"], "partially");
    assert_eq!(f["implementation_score"], 0.3333);
}
