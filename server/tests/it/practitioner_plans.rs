//! Plans connected to the assessment, through the MCP tools, on a hand-computed fixture:
//! completing an item can (when asked) record its target status in the Current profile, seen
//! in the history and the audit trail; progress is shown by items and by effort, each labelled,
//! in the tool output and the reports.
//!
//! Fixture: Current GV.OC-01 partially, ID.RA-01 not implemented, PR.AA-01 partially; Target all
//! fully, priorities low, medium, high. Default effort classes: GV.OC light 1, ID.RA moderate 2,
//! PR.AA heavy 4 → 7 work units; capacity 10 puts all three in phase 1.

use crate::practitioner_analysis::pair_with;
use crate::support::{ok_on, refused_on, report_on};
use serde_json::{json, Value};

async fn planned() -> (crate::practitioner_analysis::Pair, String) {
    let f = pair_with(
        json!([
            {"subcategory_id": "GV.OC-01", "status": "partially", "owner": "Invented Office"},
            {"subcategory_id": "ID.RA-01", "status": "not_implemented"},
            {"subcategory_id": "PR.AA-01", "status": "partially"}
        ]),
        json!([
            {"subcategory_id": "GV.OC-01", "status": "fully", "priority": "low"},
            {"subcategory_id": "ID.RA-01", "status": "fully", "priority": "medium"},
            {"subcategory_id": "PR.AA-01", "status": "fully", "priority": "high"}
        ]),
    )
    .await;
    let plan = ok_on(
        &f.s,
        "create_implementation_plan",
        f.args(json!({"capacity_per_phase": 10, "start_date": "2027-01-01"})),
    )
    .await;
    let id = plan["plan_id"].as_str().unwrap().to_string();
    let p = &plan["plan"]["progress"];
    assert_eq!(p["effort_total"], 7.0);
    assert_eq!(p["by_items"], "0 of 3 items done (0.00%)");
    assert_eq!(p["by_effort"], "0 of 7 work units done (0.00%)");
    (f, id)
}

fn gap_state(g: &Value, id: &str) -> Value {
    g["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["subcategory_id"] == id)
        .unwrap()["state"]
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_is_shown_by_items_and_by_effort_each_labelled() {
    let (f, plan) = planned().await;
    let t = ok_on(
        &f.s,
        "track_progress",
        json!({"plan_id": plan, "as_of": "2027-02-01",
               "items": [{"item_id": "GV.OC-01", "status": "done"}]}),
    )
    .await;
    // By items 1 of 3 = 33.33%; by effort 1 of 1 + 2 + 4 = 7 units = 14.29%.
    let p = &t["plan"]["progress"];
    assert_eq!(p["item_ratio"], 0.3333);
    assert_eq!(p["effort_ratio"], 0.1429);
    assert_eq!(p["by_items"], "1 of 3 items done (33.33%)");
    assert_eq!(p["by_effort"], "1 of 7 work units done (14.29%)");
    // Not asked: the profile is left alone.
    assert_eq!(t["applied_to_profile"], Value::Null);
    let g = ok_on(&f.s, "generate_gap_analysis", f.args(json!({}))).await;
    assert_eq!(gap_state(&g, "GV.OC-01"), "gap");

    let (_, text) = report_on(
        &f.s,
        json!({"kind": "progress", "format": "markdown", "plan_id": plan}),
    )
    .await;
    let text = text.as_str();
    assert!(
        text.contains("**Plan progress by items:** 33.33% — 1 of 3 items done (33.33%)"),
        "{text}"
    );
    assert!(
        text.contains("**Plan progress by effort:** 14.29% — 1 of 7 work units done (14.29%)"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_done_item_can_update_the_current_profile_with_history_and_audit() {
    let (f, plan) = planned().await;
    let t = ok_on(
        &f.s,
        "track_progress",
        json!({"plan_id": plan, "as_of": "2027-02-01", "apply_to_profile": true,
               "items": [{"item_id": "GV.OC-01", "status": "done"},
                         {"item_id": "ID.RA-01", "status": "in_progress"}]}),
    )
    .await;
    let applied = &t["applied_to_profile"];
    assert_eq!(applied["profile_id"], f.cur.as_str());
    let written = applied["written"].as_array().unwrap();
    // Only the item marked done is recorded, with its target status.
    assert_eq!(written.len(), 1, "{applied}");
    assert_eq!(written[0]["subcategory_id"], "GV.OC-01");
    assert_eq!(written[0]["outcome"], "updated");
    assert_eq!(written[0]["changed"], json!(["status", "assessed_on"]));
    assert_eq!(written[0]["cleared"], json!([]));
    let e = ok_on(
        &f.s,
        "get_assessment",
        json!({"profile_id": f.cur, "within": "GV.OC"}),
    )
    .await;
    let e = &e["entries"][0];
    assert_eq!(e["status"], "fully");
    assert_eq!(e["assessed_on"], "2027-02-01");
    // Other fields are kept.
    assert_eq!(e["owner"], "Invented Office");

    // The gap is closed; the other two stay open.
    let g = ok_on(&f.s, "generate_gap_analysis", f.args(json!({}))).await;
    assert_eq!(gap_state(&g, "GV.OC-01"), "met");
    assert_eq!(gap_state(&g, "ID.RA-01"), "gap");
    assert_eq!(g["totals"]["with_gap"], 2);

    // History of the entry: created, then the status set by the plan.
    let h = ok_on(
        &f.s,
        "get_assessment",
        json!({"profile_id": f.cur, "within": "GV.OC", "include_history": true}),
    )
    .await;
    let rows: Vec<&Value> = h["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["subcategory_id"] == "GV.OC-01")
        .collect();
    assert_eq!(rows.len(), 2, "{h}");
    assert_eq!(rows[1]["new"]["status"], "fully");
    assert!(rows[1]["changed_fields"]
        .as_array()
        .unwrap()
        .contains(&json!("status")));

    // The audit trail of the Current profile has the call, with the option it was given.
    let a = ok_on(
        &f.s,
        "get_audit_trail",
        json!({"profile_id": f.cur, "tool": "track_progress"}),
    )
    .await;
    let recs = a["records"].as_array().unwrap();
    assert_eq!(recs.len(), 1, "{a}");
    assert!(recs[0]["args_summary"]
        .as_str()
        .unwrap()
        .contains("apply_to_profile"));

    // Repeating the call changes nothing more: the item is already done.
    let again = ok_on(
        &f.s,
        "track_progress",
        json!({"plan_id": plan, "as_of": "2027-02-02", "apply_to_profile": true,
               "items": [{"item_id": "GV.OC-01", "status": "done"}]}),
    )
    .await;
    assert_eq!(again["applied_to_profile"]["written"], json!([]));
    // A non-boolean option is refused and stores nothing.
    refused_on(
        &f.s,
        "track_progress",
        json!({"plan_id": plan, "as_of": "2027-02-03", "apply_to_profile": "yes",
               "items": [{"item_id": "PR.AA-01", "status": "done"}]}),
        "apply_to_profile",
    )
    .await;
}
