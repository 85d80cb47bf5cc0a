//! Analysis a practitioner can act on, through the MCP tools, on hand-computed fixtures:
//! effort is its own input (a default class per subcategory, not the gap size), so every
//! quadrant of the priority matrix can be populated and a high-priority gap with low effort is
//! a quick win; next actions rank by value per effort with explained ties; prompts promise only
//! what the tools return.
//!
//! Fixture (level: not 0, partially 1, largely 2, fully 3; weight: high 3, medium 2, low 1;
//! default effort class by category: light 1, moderate 2, heavy 4 work units):
//!
//! | id       | current   | target        | steps | impact | class      | effort |
//! |----------|-----------|---------------|-------|--------|------------|--------|
//! | GV.OC-01 | partially | fully, high   | 2     | 6      | light      | 1      |
//! | GV.RR-01 | largely   | fully, low    | 1     | 1      | light      | 1      |
//! | GV.PO-01 | largely   | fully, high   | 1     | 3      | light      | 1      |
//! | ID.RA-01 | not impl. | fully, medium | 3     | 6      | moderate   | 2      |
//! | PR.AA-03 | partially | largely, high | 1     | 3      | heavy      | 4      |
//! | DE.CM-01 | partially | largely, low  | 1     | 1      | heavy      | 4      |
//! | RS.CO-02 | largely   | fully, low    | 1     | 1      | light      | 1      |

use crate::support::{ok_on, refused_on, server};
use nist_csf_mcp::CsfServer;
use serde_json::{json, Value};

pub(crate) struct Pair {
    pub s: CsfServer,
    pub cur: String,
    pub tgt: String,
}

impl Pair {
    pub fn args(&self, extra: Value) -> Value {
        let mut a = json!({"current_profile_id": self.cur, "target_profile_id": self.tgt});
        for (k, v) in extra.as_object().unwrap() {
            a[k] = v.clone();
        }
        a
    }
}

pub(crate) async fn pair_with(current: Value, target: Value) -> Pair {
    let s = server();
    let org = ok_on(
        &s,
        "create_organization",
        json!({"name": "Invented Water Board", "size": "medium"}),
    )
    .await;
    let org_id = org["organization"]["id"].as_str().unwrap().to_string();
    let mut ids = Vec::new();
    for kind in ["current", "target"] {
        let p = ok_on(
            &s,
            "create_profile",
            json!({"org_id": org_id, "kind": kind, "name": kind}),
        )
        .await;
        ids.push(p["profile"]["id"].as_str().unwrap().to_string());
    }
    for (id, entries) in ids.iter().zip([current, target]) {
        ok_on(
            &s,
            "record_assessment",
            json!({"profile_id": id, "entries": entries}),
        )
        .await;
    }
    let tgt = ids.pop().unwrap();
    let cur = ids.pop().unwrap();
    Pair { s, cur, tgt }
}

async fn fixture() -> Pair {
    pair_with(
        json!([
            {"subcategory_id": "GV.OC-01", "status": "partially"},
            {"subcategory_id": "GV.RR-01", "status": "largely"},
            {"subcategory_id": "GV.PO-01", "status": "largely"},
            {"subcategory_id": "ID.RA-01", "status": "not_implemented"},
            {"subcategory_id": "PR.AA-03", "status": "partially"},
            {"subcategory_id": "DE.CM-01", "status": "partially"},
            {"subcategory_id": "RS.CO-02", "status": "largely"}
        ]),
        json!([
            {"subcategory_id": "GV.OC-01", "status": "fully", "priority": "high"},
            {"subcategory_id": "GV.RR-01", "status": "fully", "priority": "low"},
            {"subcategory_id": "GV.PO-01", "status": "fully", "priority": "high"},
            {"subcategory_id": "ID.RA-01", "status": "fully", "priority": "medium"},
            {"subcategory_id": "PR.AA-03", "status": "largely", "priority": "high"},
            {"subcategory_id": "DE.CM-01", "status": "largely", "priority": "low"},
            {"subcategory_id": "RS.CO-02", "status": "fully", "priority": "low"}
        ]),
    )
    .await
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

fn field(v: &Value, f: &str) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x[f].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_default_effort_model_every_quadrant_is_populated() {
    let f = fixture().await;
    let m = ok_on(&f.s, "generate_priority_matrix", f.args(json!({}))).await;
    // Defaults: high impact ≥ 3, high effort ≥ 2. Within a quadrant: impact desc, effort asc,
    // official order.
    let q = |name: &str| {
        m["quadrants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["quadrant"] == name)
            .unwrap()["subcategory_ids"]
            .clone()
    };
    // GV.OC-01 impact 6 effort 1; GV.PO-01 impact 3 effort 1 (a one-step high-priority gap).
    assert_eq!(strs(&q("quick_win")), ["GV.OC-01", "GV.PO-01"]);
    // ID.RA-01 impact 6 effort 2; PR.AA-03 impact 3 effort 4.
    assert_eq!(strs(&q("major_project")), ["ID.RA-01", "PR.AA-03"]);
    // Impact 1, effort 1 each: official order.
    assert_eq!(strs(&q("fill_in")), ["GV.RR-01", "RS.CO-02"]);
    // Impact 1, effort 4.
    assert_eq!(strs(&q("reconsider")), ["DE.CM-01"]);
    let item = |id: &str| {
        m["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["subcategory_id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(item("PR.AA-03")["effort"], 4.0);
    assert_eq!(item("PR.AA-03")["effort_source"], "class");
    assert_eq!(item("ID.RA-01")["effort"], 2.0);
    // The gap size is not the effort: three steps of ID.RA-01 still cost its class, 2 units.
    assert_eq!(item("ID.RA-01")["gap_steps"], 3);
    let assumed: Vec<String> = field(&m["method"]["assumptions"], "name");
    assert!(assumed.contains(&"effort.basis".to_string()), "{assumed:?}");

    // An override per call replaces the class: PR.AA-03 at 1 unit becomes a quick win.
    let o = ok_on(
        &f.s,
        "generate_priority_matrix",
        f.args(json!({"effort": {"overrides": [{"subcategory_id": "PR.AA-03", "units": 1}]}})),
    )
    .await;
    let qw = o["quadrants"][0]["subcategory_ids"].clone();
    assert_eq!(strs(&qw), ["GV.OC-01", "GV.PO-01", "PR.AA-03"]);

    // The older model is still available when asked for: effort = steps × 1, impact ≥ 3, effort
    // ≥ 2 → GV.OC-01 (6, 2) major project; GV.PO-01 and PR.AA-03 (3, 1) quick wins.
    let g = ok_on(
        &f.s,
        "generate_priority_matrix",
        f.args(json!({"effort": {"basis": "gap_steps"}})),
    )
    .await;
    assert_eq!(
        strs(&g["quadrants"][0]["subcategory_ids"]),
        ["GV.PO-01", "PR.AA-03"]
    );
    assert_eq!(
        strs(&g["quadrants"][1]["subcategory_ids"]),
        ["GV.OC-01", "ID.RA-01"]
    );
    // A basis is an enum: anything else is refused naming the field.
    refused_on(
        &f.s,
        "generate_priority_matrix",
        f.args(json!({"effort": {"basis": "guess"}})),
        "basis",
    )
    .await;
    refused_on(
        &f.s,
        "generate_priority_matrix",
        f.args(json!({"effort": {"basis": "outcome", "units_per_step": 2}})),
        "units_per_step",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn next_actions_rank_by_value_per_effort_with_explained_ties() {
    let f = fixture().await;
    let n = ok_on(&f.s, "suggest_next_actions", f.args(json!({"capacity": 6}))).await;
    // impact / effort: GV.OC-01 6/1 = 6; ID.RA-01 6/2 = 3 and GV.PO-01 3/1 = 3 (tie: higher
    // impact first); GV.RR-01 1/1 = 1 and RS.CO-02 1/1 = 1 (tie, same impact: official order);
    // PR.AA-03 3/4 = 0.75; DE.CM-01 1/4 = 0.25. Capacity 6: 1 + 2 + 1 + 1 + 1 = 6, then
    // PR.AA-03 (4) and DE.CM-01 (4) do not fit.
    assert_eq!(
        field(&n["suggestions"], "subcategory_id"),
        ["GV.OC-01", "ID.RA-01", "GV.PO-01", "GV.RR-01", "RS.CO-02"]
    );
    let per_unit: Vec<f64> = n["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["impact_per_unit"].as_f64().unwrap())
        .collect();
    assert_eq!(per_unit, [6.0, 3.0, 3.0, 1.0, 1.0]);
    assert_eq!(n["used"], 6.0);
    assert_eq!(
        field(&n["deferred"], "subcategory_id"),
        ["PR.AA-03", "DE.CM-01"]
    );
    // Ties are explained on the tied suggestions only; the rule is stated once.
    assert_eq!(n["suggestions"][0]["tie_break"], Value::Null);
    let tie = n["suggestions"][1]["tie_break"].as_str().unwrap();
    assert!(tie.contains("GV.PO-01"), "{tie}");
    assert!(tie.contains("higher impact"), "{tie}");
    let tie = n["suggestions"][4]["tie_break"].as_str().unwrap();
    assert!(
        tie.contains("GV.RR-01") && tie.contains("official CSF order"),
        "{tie}"
    );
    let ranking = n["ranking"].as_str().unwrap();
    assert!(ranking.contains("value per effort"), "{ranking}");
    let why = n["suggestions"][1]["explanation"].as_str().unwrap();
    assert!(why.contains("default moderate class of ID.RA"), "{why}");
}

fn prompt_text(name: &str, args: Value) -> String {
    let r = nist_csf_mcp::mcp::prompts::get(name, args.as_object()).unwrap();
    serde_json::to_string(&r.messages).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prompts_promise_only_what_the_tools_return() {
    let f = fixture().await;
    // run_gap_analysis asks for the quick wins: they are a quadrant the matrix fills with the
    // defaults the prompt states.
    let t = prompt_text("run_gap_analysis", f.args(json!({})));
    assert!(
        t.contains("`quick_win`") && t.contains("light 1, moderate 2, heavy 4"),
        "{t}"
    );
    let m = ok_on(&f.s, "generate_priority_matrix", f.args(json!({}))).await;
    assert_eq!(m["quadrants"][0]["quadrant"], "quick_win");
    assert_eq!(m["quadrants"][0]["count"], 2);

    // prepare_board_summary asks for next actions with their effort: suggest_next_actions
    // needs a capacity, so the prompt passes the one given or asks for it, never assumes one.
    let with = prompt_text("prepare_board_summary", f.args(json!({"capacity": "6"})));
    assert!(
        with.contains("`suggest_next_actions` (capacity 6)"),
        "{with}"
    );
    let without = prompt_text("prepare_board_summary", f.args(json!({})));
    assert!(without.contains("never assume one"), "{without}");
    refused_on(&f.s, "suggest_next_actions", f.args(json!({})), "capacity").await;
    // …and the executive report shows next actions only when given that capacity.
    let board = nist_csf_mcp::mcp::prompts::list()
        .iter()
        .find(|p| p.name == "prepare_board_summary")
        .unwrap();
    let args: Vec<String> = board
        .arguments
        .clone()
        .unwrap_or_default()
        .iter()
        .map(|a| a.name.clone())
        .collect();
    assert!(args.contains(&"capacity".to_string()), "{args:?}");

    // plan_next_quarter: the plan tool needs a date, the prompt says so when none is given.
    let plan = prompt_text("plan_next_quarter", f.args(json!({"capacity": "4"})));
    assert!(plan.contains("YYYY-MM-DD"), "{plan}");
}
