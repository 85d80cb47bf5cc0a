//! Analysis, report and export tools in process, on one hand-computed fixture: a Current and a
//! Target profile of one organization, compared over category GV.OC (5 subcategories). Every
//! figure below is worked out in the comments from the formulas in docs/ANALYSIS.md, and every
//! output is checked against the tool's outputSchema.
//!
//! Fixture (level: not 0, partially 1, largely 2, fully 3; weight: high 3, medium 2, low 1):
//!
//! | id       | current                      | target                     |
//! |----------|------------------------------|----------------------------|
//! | GV.OC-01 | partially, maturity 2, conf. high | fully, high, maturity 4 |
//! | GV.OC-02 | largely, maturity 3          | fully, low                 |
//! | GV.OC-03 | not implemented              | largely (no priority)      |
//! | GV.OC-04 | not applicable               | fully                      |
//! | GV.OC-05 | —                            | fully, high                |

use crate::support::{id_of, ok_on, refused_on, report_on, server};
use nist_csf_mcp::CsfServer;
use serde_json::{json, Value};

const SCOPE: &[&str] = &["GV.OC"];

struct Fixture {
    s: CsfServer,
    cur: String,
    tgt: String,
}

async fn fixture() -> Fixture {
    let s = server();
    let org = ok_on(
        &s,
        "create_organization",
        json!({"name": "Invented Logistics", "size": "small"}),
    )
    .await;
    let org_id = org["organization"]["id"].as_str().unwrap().to_string();
    let profile = |kind: &str, functions: Option<Value>| {
        let mut a = json!({"org_id": org_id, "kind": kind, "name": format!("{kind} state")});
        if let Some(f) = functions {
            a["functions"] = f;
        }
        a
    };
    let cur = id_of(
        &s,
        "create_profile",
        profile("current", None),
        "/profile/id",
    )
    .await;
    let target = profile("target", Some(json!(["GV"])));
    let tgt = id_of(&s, "create_profile", target, "/profile/id").await;
    ok_on(
        &s,
        "record_assessment",
        json!({"profile_id": cur, "entries": [
            {"subcategory_id": "GV.OC-01", "status": "partially", "maturity": 2,
             "confidence": "high", "evidence": [{"title": "Mission memo", "location": "doc-1"}]},
            {"subcategory_id": "GV.OC-02", "status": "largely", "maturity": 3},
            {"subcategory_id": "GV.OC-03", "status": "not_implemented"},
            {"subcategory_id": "GV.OC-04", "status": "not_applicable"}
        ]}),
    )
    .await;
    ok_on(
        &s,
        "record_assessment",
        json!({"profile_id": tgt, "entries": [
            {"subcategory_id": "GV.OC-01", "status": "fully", "priority": "high", "maturity": 4},
            {"subcategory_id": "GV.OC-02", "status": "fully", "priority": "low"},
            {"subcategory_id": "GV.OC-03", "status": "largely"},
            {"subcategory_id": "GV.OC-04", "status": "fully"},
            {"subcategory_id": "GV.OC-05", "status": "fully", "priority": "high"}
        ]}),
    )
    .await;
    Fixture { s, cur, tgt }
}

impl Fixture {
    fn pair(&self, extra: Value) -> Value {
        let mut a = json!({"current_profile_id": self.cur, "target_profile_id": self.tgt,
                           "scope": SCOPE});
        for (k, v) in extra.as_object().unwrap() {
            a[k] = v.clone();
        }
        a
    }
}

fn ids(v: &Value, field: &str) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x[field].as_str().unwrap().to_string())
        .collect()
}

fn approx(v: &Value, want: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"));
    assert!((got - want).abs() < 1e-4, "{got} != {want}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn maturity_of_the_current_profile() {
    let f = fixture().await;
    let m = ok_on(
        &f.s,
        "assess_maturity",
        json!({"profile_id": f.cur, "scope": SCOPE}),
    )
    .await;
    let o = &m["overall"];
    // 5 subcategories in GV.OC, 4 with an entry: coverage 4/5.
    assert_eq!(o["in_scope"], 5);
    assert_eq!(o["assessed"], 4);
    approx(&o["coverage"], 0.8);
    // Scores of the non-N/A entries: 1/3, 2/3, 0 → mean 1/3.
    assert_eq!(o["scored_n"], 3);
    approx(&o["implementation_score"], 0.3333);
    // Maturity only where recorded: (2 + 3) / 2.
    assert_eq!(o["maturity_n"], 2);
    approx(&o["mean_maturity"], 2.5);
    assert_eq!(o["distribution"]["not_applicable"], 1);
    assert_eq!(o["confidence"]["high"], 1);
    assert_eq!(o["confidence"]["unstated"], 3);
    assert_eq!(m["unassessed"], json!(["GV.OC-05"]));
    assert_eq!(ids(&m["categories"], "id"), ["GV.OC"]);
    assert!(m["method"]["description"].as_str().unwrap().len() > 20);

    // Default scope: the profile's own (the Current covers the whole Core: 106).
    let all = ok_on(&f.s, "assess_maturity", json!({"profile_id": f.cur})).await;
    assert_eq!(all["overall"]["in_scope"], 106);
    assert_eq!(all["functions"].as_array().unwrap().len(), 6);

    refused_on(
        &f.s,
        "assess_maturity",
        json!({"profile_id": "prof_01J00000000000000000000000"}),
        "prof_01J00000000000000000000000",
    )
    .await;
    refused_on(
        &f.s,
        "assess_maturity",
        json!({"profile_id": f.cur, "scope": ["PR.AC"]}),
        "PR.AC",
    )
    .await;
    refused_on(
        &f.s,
        "assess_maturity",
        json!({"profile_id": f.cur, "scope": ["ZZ"]}),
        "ZZ",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gap_analysis_matrix_risk_cost_and_suggestions() {
    let f = fixture().await;
    let g = ok_on(&f.s, "generate_gap_analysis", f.pair(json!({}))).await;
    let rows = g["rows"].as_array().unwrap();
    let row = |id: &str| rows.iter().find(|r| r["subcategory_id"] == id).unwrap();
    // OC-01: 3 − 1 = 2 steps × high 3 = 6; maturity gap 4 − 2 = 2.
    assert_eq!(row("GV.OC-01")["state"], "gap");
    assert_eq!(row("GV.OC-01")["weighted_gap"], 6);
    assert_eq!(row("GV.OC-01")["maturity_gap"], 2);
    // OC-02: 3 − 2 = 1 step × low 1 = 1.
    assert_eq!(row("GV.OC-02")["weighted_gap"], 1);
    // OC-03: 2 − 0 = 2 steps × default medium 2 = 4.
    assert_eq!(row("GV.OC-03")["weighted_gap"], 4);
    assert_eq!(row("GV.OC-03")["priority_defaulted"], true);
    assert_eq!(row("GV.OC-04")["state"], "applicability_mismatch");
    assert_eq!(row("GV.OC-05")["state"], "missing_current");
    let t = &g["totals"];
    assert_eq!(t["compared"], 3);
    assert_eq!(t["gap_steps"], 5); // 2 + 1 + 2
    assert_eq!(t["weighted_gap"], 11); // 6 + 1 + 4
    assert_eq!(t["weighted_target"], 16); // 3×3 + 3×1 + 2×2
    approx(&t["target_attainment"], 0.3125); // 1 − 11/16
    assert_eq!(g["missing"]["current_only_missing"], json!(["GV.OC-05"]));
    assert_eq!(g["missing"]["applicability_mismatch"], json!(["GV.OC-04"]));

    // Default scope: the functions both profiles cover (the Target covers GV only).
    let gv = ok_on(
        &f.s,
        "generate_gap_analysis",
        json!({"current_profile_id": f.cur, "target_profile_id": f.tgt}),
    )
    .await;
    assert_eq!(gv["scope"], "GV");
    assert_eq!(gv["totals"]["weighted_gap"], 11);
    // A low default priority changes OC-03 to 2 × 1 = 2: total 6 + 1 + 2 = 9.
    let low = ok_on(
        &f.s,
        "generate_gap_analysis",
        f.pair(json!({"default_priority": "low"})),
    )
    .await;
    assert_eq!(low["totals"]["weighted_gap"], 9);

    // Priority matrix, thresholds impact 3 / effort 2, effort = steps (basis gap_steps) unless
    // overridden: OC-01 impact 6, effort 2 → major project; OC-03 impact 4, effort 1.5
    // (override) → quick win; OC-02 impact 1, effort 1 → fill-in.
    let m = ok_on(
        &f.s,
        "generate_priority_matrix",
        f.pair(json!({"effort": {"basis": "gap_steps",
                                 "overrides": [{"subcategory_id": "GV.OC-03", "units": 1.5}]}})),
    )
    .await;
    let quadrant = |id: &str| {
        m["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["subcategory_id"] == id)
            .unwrap()["quadrant"]
            .clone()
    };
    assert_eq!(quadrant("GV.OC-01"), "major_project");
    assert_eq!(quadrant("GV.OC-03"), "quick_win");
    assert_eq!(quadrant("GV.OC-02"), "fill_in");
    refused_on(
        &f.s,
        "generate_priority_matrix",
        f.pair(json!({"effort_threshold": 0})),
        "effort_threshold",
    )
    .await;

    // Risk: exposure = (2/3)×3 + (1/3)×1 + (2/3)×2 = 11/3; max = 3 + 1 + 2 = 6;
    // score = 100 × (11/3) / 6 = 61.1111 → band high (≥ 60). Two rows not scored.
    let r = ok_on(&f.s, "calculate_risk_score", f.pair(json!({}))).await;
    approx(&r["score"], 61.1111);
    assert_eq!(r["band"], "high");
    assert_eq!(r["not_scored"], 2);
    approx(&r["functions"][0]["contribution"], 61.1111);
    // Weights are checked: a negative one is refused.
    refused_on(
        &f.s,
        "calculate_risk_score",
        f.pair(json!({"function_weights": [{"function_id": "GV", "weight": -1}]})),
        "weight",
    )
    .await;

    // Cost: the organization is small → 16 h per step. OC-01 2×16 = 32 h, OC-02 1×16 = 16 h,
    // OC-03 2×16 = 32 h: 80 h × 100 = 8000 EUR.
    let c = ok_on(
        &f.s,
        "estimate_implementation_cost",
        f.pair(json!({"hourly_rate": 100, "currency": "EUR"})),
    )
    .await;
    approx(&c["total_hours"], 80.0);
    approx(&c["total_cost"], 8000.0);
    assert_eq!(c["currency"], "EUR");
    assert_eq!(c["lines"].as_array().unwrap().len(), 3);
    // With OC-02 known to take 10 h and an explicit large size (80 h per step):
    // 2×80 + 10 + 2×80 = 330 h × 50 = 16500.
    let c2 = ok_on(
        &f.s,
        "estimate_implementation_cost",
        f.pair(
            json!({"hourly_rate": 50, "currency": "USD", "size": "large",
            "hours_overrides": [{"subcategory_id": "GV.OC-02", "hours": 10}]}),
        ),
    )
    .await;
    approx(&c2["total_hours"], 330.0);
    approx(&c2["total_cost"], 16500.0);
    refused_on(
        &f.s,
        "estimate_implementation_cost",
        f.pair(json!({"hourly_rate": -1, "currency": "EUR"})),
        "hourly_rate",
    )
    .await;

    // Next actions, capacity 3, effort = steps (basis gap_steps): impact/effort OC-01 6/2 = 3,
    // OC-03 4/2 = 2, OC-02 1/1 = 1. OC-01 fits (2 used), OC-03 needs 2 with 1 left → deferred,
    // OC-02 fits (3).
    let n = ok_on(
        &f.s,
        "suggest_next_actions",
        f.pair(json!({"capacity": 3, "effort": {"basis": "gap_steps"}})),
    )
    .await;
    assert_eq!(
        ids(&n["suggestions"], "subcategory_id"),
        ["GV.OC-01", "GV.OC-02"]
    );
    approx(&n["used"], 3.0);
    assert_eq!(ids(&n["deferred"], "subcategory_id"), ["GV.OC-03"]);
    refused_on(
        &f.s,
        "suggest_next_actions",
        f.pair(json!({"capacity": 0})),
        "capacity",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pair_checks() {
    let f = fixture().await;
    // A profile of another organization.
    let other = ok_on(&f.s, "create_organization", json!({"name": "Other"})).await;
    let other_org = other["organization"]["id"].as_str().unwrap();
    let p = ok_on(
        &f.s,
        "create_profile",
        json!({"org_id": other_org, "kind": "target", "name": "theirs"}),
    )
    .await;
    refused_on(
        &f.s,
        "generate_gap_analysis",
        json!({"current_profile_id": f.cur,
               "target_profile_id": p["profile"]["id"]}),
        "different organizations",
    )
    .await;
    refused_on(
        &f.s,
        "generate_gap_analysis",
        json!({"current_profile_id": f.cur, "target_profile_id": "prof_nope"}),
        "prof_",
    )
    .await;
    refused_on(
        &f.s,
        "generate_gap_analysis",
        json!({"current_profile_id": f.cur, "target_profile_id": f.tgt, "colour": "red"}),
        "colour",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trend_and_comparison() {
    let f = fixture().await;
    // One more change: OC-03 goes to partially (history: 4 creations + 1 update).
    ok_on(
        &f.s,
        "record_assessment",
        json!({"profile_id": f.cur, "entries": [
            {"subcategory_id": "GV.OC-03", "status": "partially"}]}),
    )
    .await;
    let t = ok_on(
        &f.s,
        "calculate_maturity_trend",
        json!({"profile_id": f.cur, "scope": SCOPE, "period": "month"}),
    )
    .await;
    let points = t["points"].as_array().unwrap();
    assert_eq!(points.len(), 1, "all changes fall in this month");
    assert_eq!(points[0]["changes"], 5);
    // At the end of the month: 1/3, 2/3, 1/3 → mean 4/9 = 0.4444.
    approx(&points[0]["overall"]["implementation_score"], 0.4444);
    assert_eq!(t["period"], "month");
    refused_on(
        &f.s,
        "calculate_maturity_trend",
        json!({"profile_id": f.cur, "until": "31/12/2026"}),
        "2026-12-31",
    )
    .await;

    // Comparison over GV.OC: current 4/9 (after the update), target (1 + 1 + 2/3 + 1 + 1)/5 =
    // 14/15 = 0.9333; spread 0.9333 − 0.4444 = 0.4889. Every subcategory differs.
    let c = ok_on(
        &f.s,
        "compare_profiles",
        json!({"profile_ids": [f.cur, f.tgt], "scope": SCOPE}),
    )
    .await;
    approx(&c["profiles"][0]["overall"]["implementation_score"], 0.4444);
    approx(&c["profiles"][1]["overall"]["implementation_score"], 0.9333);
    approx(&c["functions"][0]["score_spread"], 0.4889);
    assert_eq!(c["differences"].as_array().unwrap().len(), 5);
    assert_eq!(c["identical"], 0);
    let six: Vec<&String> = std::iter::repeat_n(&f.cur, 6).collect();
    refused_on(
        &f.s,
        "compare_profiles",
        json!({"profile_ids": six}),
        "2 to 5",
    )
    .await;
    refused_on(
        &f.s,
        "compare_profiles",
        json!({"profile_ids": [f.cur]}),
        "2 to 5",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports() {
    let f = fixture().await;
    let (html, page) = report_on(
        &f.s,
        json!({"kind": "executive", "format": "html", "profile_id": f.cur,
               "target_profile_id": f.tgt, "scope": SCOPE, "capacity": 3,
               "hourly_rate": 100, "currency": "EUR"}),
    )
    .await;
    assert_eq!(html["media_type"], "text/html");
    assert!(page.contains("<svg"), "charts are inline SVG");
    assert!(page.contains("Invented Logistics"));
    assert!(!page.contains("<script"));

    let (_, md) = report_on(
        &f.s,
        json!({"kind": "technical", "format": "markdown", "profile_id": f.cur,
               "target_profile_id": f.tgt, "scope": SCOPE}),
    )
    .await;
    assert!(md.contains("GV.OC-01"));

    let (_, audit) = report_on(
        &f.s,
        json!({"kind": "audit", "format": "json", "profile_id": f.cur}),
    )
    .await;
    let data: Value = serde_json::from_str(&audit).unwrap();
    assert_eq!(data["data"]["entries"].as_array().unwrap().len(), 4);
    // The audit report lists the entries of its scope only: GV.OC-01 alone.
    let (_, one) = report_on(
        &f.s,
        json!({"kind": "audit", "format": "json", "profile_id": f.cur, "scope": ["GV.OC-01"]}),
    )
    .await;
    let data: Value = serde_json::from_str(&one).unwrap();
    assert_eq!(
        ids(&data["data"]["entries"], "subcategory_id"),
        ["GV.OC-01"]
    );

    refused_on(
        &f.s,
        "generate_report",
        json!({"kind": "technical", "format": "html", "profile_id": f.cur}),
        "`target_profile_id`",
    )
    .await;
    refused_on(
        &f.s,
        "generate_report",
        json!({"kind": "executive", "format": "html", "profile_id": f.cur,
               "target_profile_id": f.tgt, "hourly_rate": 100}),
        "currency",
    )
    .await;
    refused_on(
        &f.s,
        "generate_report",
        json!({"kind": "executive", "format": "pdf", "profile_id": f.cur}),
        "pdf",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_and_policy_templates() {
    let f = fixture().await;
    let oscal = ok_on(
        &f.s,
        "export_data",
        json!({"profile_id": f.cur, "format": "oscal"}),
    )
    .await;
    let doc: Value = serde_json::from_str(oscal["content"].as_str().unwrap()).unwrap();
    let ar = &doc["assessment-results"];
    assert!(ar.is_object(), "assessment-results root");
    let result = &ar["results"][0];
    // One observation per entry (4); one finding per applicable entry (3, none fully done).
    assert_eq!(result["observations"].as_array().unwrap().len(), 4);
    assert_eq!(result["findings"].as_array().unwrap().len(), 3);
    // Same data, same document.
    let again = ok_on(
        &f.s,
        "export_data",
        json!({"profile_id": f.cur, "format": "oscal"}),
    )
    .await;
    assert_eq!(again["content"], oscal["content"]);

    let csv = ok_on(
        &f.s,
        "export_data",
        json!({"profile_id": f.cur, "format": "csv"}),
    )
    .await;
    assert_eq!(csv["media_type"], "text/csv");
    assert_eq!(csv["content"].as_str().unwrap().lines().count(), 5); // header + 4
    let js = ok_on(
        &f.s,
        "export_data",
        json!({"profile_id": f.cur, "format": "json"}),
    )
    .await;
    let entries: Value = serde_json::from_str(js["content"].as_str().unwrap()).unwrap();
    assert_eq!(entries.as_array().unwrap().len(), 4);
    let gaps = ok_on(
        &f.s,
        "export_data",
        json!({"profile_id": f.cur, "target_profile_id": f.tgt, "format": "csv",
               "scope": SCOPE}),
    )
    .await;
    assert_eq!(gaps["data"], "gaps");
    assert_eq!(gaps["content"].as_str().unwrap().lines().count(), 6); // header + 5 rows
    refused_on(
        &f.s,
        "export_data",
        json!({"profile_id": f.cur, "format": "xlsx"}),
        "xlsx",
    )
    .await;
    refused_on(
        &f.s,
        "export_data",
        json!({"profile_id": f.cur, "target_profile_id": f.tgt, "format": "oscal"}),
        "OSCAL",
    )
    .await;
    refused_on(
        &f.s,
        "export_data",
        json!({"profile_id": f.cur, "format": "csv", "path": "/tmp/x.csv"}),
        "path",
    )
    .await;

    let p = ok_on(
        &f.s,
        "generate_policy_template",
        json!({"subcategory_ids": ["gv.oc-1", "GV.OC-02"], "organization": "Invented Logistics"}),
    )
    .await;
    assert_eq!(p["is_template"], true);
    assert_eq!(
        ids(&p["sections"], "subcategory_id"),
        ["GV.OC-01", "GV.OC-02"]
    );
    assert!(p["markdown"].as_str().unwrap().contains("TEMPLATE"));
    refused_on(
        &f.s,
        "generate_policy_template",
        json!({"subcategory_ids": ["PR.AC-01"]}),
        "PR.AC-01",
    )
    .await;
    refused_on(
        &f.s,
        "generate_policy_template",
        json!({"subcategory_ids": []}),
        "1..=30",
    )
    .await;
}

#[test]
fn prompts_are_listed_and_rendered() {
    use nist_csf_mcp::mcp::prompts;
    let list = prompts::list();
    let names: Vec<&str> = list.iter().map(|p| p.name.as_str()).collect();
    for want in [
        "run_gap_analysis",
        "prepare_board_summary",
        "plan_next_quarter",
    ] {
        assert!(names.contains(&want), "{want} in {names:?}");
    }
    let args = json!({"current_profile_id": "prof_A", "target_profile_id": "prof_B",
                      "scope": "GV,PR.AA"});
    let r = prompts::get("run_gap_analysis", args.as_object()).unwrap();
    let text = serde_json::to_string(&r.messages).unwrap();
    assert!(text.contains("prof_A") && text.contains("generate_gap_analysis"));
    assert!(text.contains("GV,PR.AA"));
    // Every tool a prompt names exists.
    for p in list {
        let full = json!({"current_profile_id": "prof_A", "target_profile_id": "prof_B",
                          "profile_id": "prof_A", "function": "GV", "capacity": "5"});
        let r = prompts::get(&p.name, full.as_object()).unwrap();
        let text = serde_json::to_string(&r.messages).unwrap();
        for word in text.split('`') {
            if word.contains('_')
                && word.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                && ![
                    "current_profile_id",
                    "target_profile_id",
                    "capacity_per_phase",
                    "phase_length_days",
                    "quick_win",
                ]
                .contains(&word)
            {
                assert!(
                    nist_csf_mcp::mcp::toolset::find(word).is_some(),
                    "prompt {} names unknown tool {word}",
                    p.name
                );
            }
        }
    }
    let missing = prompts::get("run_gap_analysis", None).unwrap_err();
    assert!(missing.message.contains("current_profile_id"));
    let unknown = prompts::get("nope", None).unwrap_err();
    assert!(unknown.message.contains("run_gap_analysis"));
    let not_string = json!({"current_profile_id": 5});
    assert!(prompts::get("run_gap_analysis", not_string.as_object()).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_create_read_track_and_progress_report() {
    let f = fixture().await;
    // Order: priority weight, then gap steps, then CSF order: OC-01 (high, 2 steps), OC-03
    // (medium by default, 2), OC-02 (low, 1). Capacity 2 per phase, effort = steps (basis
    // gap_steps): each item
    // fills or opens a phase → phases 1, 2, 3. 90-day phases from 2026-01-01: phase 1 ends
    // 2026-03-31 (31 + 28 + 31 days), phase 2 runs 2026-04-01 .. 2026-06-29.
    let created = ok_on(
        &f.s,
        "create_implementation_plan",
        f.pair(
            json!({"capacity_per_phase": 2, "start_date": "2026-01-01", "name": "FY26",
                      "effort": {"basis": "gap_steps"}}),
        ),
    )
    .await;
    let plan_id = created["plan_id"].as_str().unwrap().to_string();
    assert!(plan_id.starts_with("plan_"));
    assert_eq!(created["revision"], 1);
    let plan = &created["plan"];
    assert_eq!(plan["name"], "FY26");
    let items: Vec<(String, u64)> = plan["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["subcategory_id"].as_str().unwrap().to_string(),
                i["phase"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        items,
        [
            ("GV.OC-01".to_string(), 1),
            ("GV.OC-03".to_string(), 2),
            ("GV.OC-02".to_string(), 3)
        ]
    );
    assert_eq!(plan["phases"][0]["end"], "2026-03-31");
    assert_eq!(plan["phases"][1]["start"], "2026-04-01");
    assert_eq!(plan["phases"][1]["end"], "2026-06-29");
    assert_eq!(plan["milestones"][0]["due"], "2026-03-31");

    let read = ok_on(&f.s, "get_implementation_plan", json!({"plan_id": plan_id})).await;
    assert_eq!(read["plan"], created["plan"]);
    let listed = ok_on(
        &f.s,
        "list_implementation_plans",
        json!({"org_id": created["org_id"]}),
    )
    .await;
    assert_eq!(ids(&listed["plans"], "plan_id"), [plan_id.as_str()]);
    assert_eq!(listed["plans"][0]["progress"]["items_total"], 3);
    refused_on(
        &f.s,
        "list_implementation_plans",
        json!({"org_id": "nope"}),
        "org_",
    )
    .await;

    // OC-01 done on 2026-02-01: M1 reached; effort 2 of 2 + 2 + 1 = 5 → 0.4; items 1/3.
    let tracked = ok_on(
        &f.s,
        "track_progress",
        json!({"plan_id": plan_id, "as_of": "2026-02-01", "expected_revision": 1,
               "items": [{"item_id": "GV.OC-01", "status": "done", "note": "signed off"}]}),
    )
    .await;
    assert_eq!(tracked["revision"], 2);
    let progress = &tracked["plan"]["progress"];
    assert_eq!(progress["done"], 1);
    approx(&progress["effort_ratio"], 0.4);
    approx(&progress["item_ratio"], 0.3333);
    assert_eq!(tracked["plan"]["milestones"][0]["status"], "reached");
    assert_eq!(tracked["plan"]["milestones"][0]["reached_on"], "2026-02-01");
    // A stale revision stores nothing.
    refused_on(
        &f.s,
        "track_progress",
        json!({"plan_id": plan_id, "as_of": "2026-02-02", "expected_revision": 1,
               "items": [{"item_id": "GV.OC-03", "status": "in_progress"}]}),
        "revision",
    )
    .await;
    // An unknown item fails the whole batch.
    refused_on(
        &f.s,
        "track_progress",
        json!({"plan_id": plan_id, "as_of": "2026-02-02",
               "items": [{"item_id": "GV.OC-03", "status": "done"},
                         {"item_id": "PR.AA-01", "status": "done"}]}),
        "PR.AA-01",
    )
    .await;
    let after = ok_on(&f.s, "get_implementation_plan", json!({"plan_id": plan_id})).await;
    assert_eq!(after["revision"], 2);
    assert_eq!(after["plan"]["progress"]["done"], 1);
    // As of 2026-04-15 with OC-03 still open... M1 stays reached; moving M2's date is kept.
    let moved = ok_on(
        &f.s,
        "track_progress",
        json!({"plan_id": plan_id, "as_of": "2026-04-15",
               "milestones": [{"milestone_id": "M2", "due": "2026-04-10", "note": "board date"}]}),
    )
    .await;
    assert_eq!(moved["plan"]["milestones"][1]["due"], "2026-04-10");
    assert_eq!(moved["plan"]["milestones"][1]["status"], "overdue");

    let (_, report) = report_on(
        &f.s,
        json!({"kind": "progress", "format": "html", "plan_id": plan_id}),
    )
    .await;
    assert!(report.contains("<svg"));
    refused_on(
        &f.s,
        "generate_report",
        json!({"kind": "progress", "format": "html", "profile_id": f.cur}),
        "plan",
    )
    .await;
    refused_on(
        &f.s,
        "get_implementation_plan",
        json!({"plan_id": "plan_unknown"}),
        "plan_unknown",
    )
    .await;
    refused_on(
        &f.s,
        "create_implementation_plan",
        f.pair(json!({"capacity_per_phase": 0, "start_date": "2026-01-01"})),
        "capacity_per_phase",
    )
    .await;
    refused_on(
        &f.s,
        "create_implementation_plan",
        f.pair(json!({"capacity_per_phase": 2, "start_date": "soon"})),
        "start_date",
    )
    .await;
}
