//! The bad-input suite's shared parts: a store with an organization, two profiles, entries,
//! quick answers and a plan in it, and the judgement of whether a refusal says what was wrong.
//! (The dump that proves a run of hostile calls changed nothing: `csf_testkit::store_dump`.)

use nist_csf_mcp::CsfServer;
use serde_json::json;

use super::ok_on;

/// Ids of what [`populate`] stored, and catalog ids chosen at run time (never hard-coded text).
#[derive(Debug, Clone)]
pub struct Fixture {
    pub org: String,
    pub current: String,
    pub target: String,
    pub plan: String,
    /// The first active subcategory of the catalog.
    pub active: String,
    /// The first withdrawn subcategory of the catalog.
    pub withdrawn: String,
}

/// Stores an organization, a Current and a Target profile with entries, quick answers and a plan
/// (invented names and notes), through the tools themselves.
pub async fn populate(s: &CsfServer) -> Fixture {
    let (active, withdrawn) = csf_testkit::catalog::first_active_and_withdrawn();
    let org = ok_on(
        s,
        "create_organization",
        json!({"name": "Invented Freight Co", "sector": "logistics", "size": "medium",
               "governance_tier": 2, "risk_management_tier": 2, "tier_note": "invented"}),
    )
    .await["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let profile = |kind: &str| json!({"org_id": org, "kind": kind, "name": format!("{kind} view")});
    let current = ok_on(s, "create_profile", profile("current")).await["profile"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let target = ok_on(s, "create_profile", profile("target")).await["profile"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let function = active.split('.').next().unwrap().to_string();
    ok_on(
        s,
        "record_assessment",
        json!({"profile_id": current, "entries": [
            {"subcategory_id": active, "status": "partially", "maturity": 2, "owner": "ops lead",
             "notes": "invented note", "evidence": [{"title": "Invented memo", "location": "doc-7"}]}
        ]}),
    )
    .await;
    ok_on(
        s,
        "record_assessment",
        json!({"profile_id": target, "entries": [
            {"subcategory_id": active, "status": "fully", "priority": "high"}
        ]}),
    )
    .await;
    ok_on(
        s,
        "quick_assessment",
        json!({"profile_id": current, "answers": [{"function": function, "status": "partially"}]}),
    )
    .await;
    let plan = ok_on(
        s,
        "create_implementation_plan",
        json!({"current_profile_id": current, "target_profile_id": target,
               "capacity_per_phase": 2.0, "start_date": "2026-01-05"}),
    )
    .await;
    let plan = plan["plan"]["id"]
        .as_str()
        .or_else(|| plan["plan_id"].as_str())
        .or_else(|| plan["id"].as_str())
        .unwrap_or_else(|| panic!("plan id in {plan}"))
        .to_string();
    Fixture {
        org,
        current,
        target,
        plan,
        active,
        withdrawn,
    }
}

/// Whether a refusal message is one a caller can act on: it names the offending field (or its
/// path), or echoes the offending value, or lists / describes what would be valid.
pub fn is_clear(msg: &str, field: &str, value: Option<&str>) -> bool {
    if msg.trim().is_empty() {
        return false;
    }
    let lower = msg.to_lowercase();
    if !field.is_empty() && msg.contains(field) {
        return true;
    }
    if let Some(v) = value {
        let v: String = v.chars().take(24).collect();
        if !v.trim().is_empty() && msg.contains(&v) {
            return true;
        }
    }
    [
        "one of",
        "did you mean",
        "at most",
        "at least",
        "between",
        "not found",
        "must be",
        "expected",
        "valid ",
        "unknown",
        "is not",
        "withdrawn",
        "no rows",
        "columns are",
    ]
    .iter()
    .any(|w| lower.contains(w))
}
