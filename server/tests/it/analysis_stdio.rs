//! The analysis surface through the real binary over stdio: prompts are listed, rendered and
//! their CSF arguments completed; a plan and an HTML report go through the protocol end to end.

use crate::support::spawn;
use csf_testkit::stdio::StdioServer;
use csf_testkit::McpClient;
use serde_json::{json, Value};

#[test]
fn prompts_completion_and_a_report_over_stdio() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("csf.db");
    let mut s = spawn::stdio(&["--db", db.to_str().unwrap()]);

    s.send(json!({"jsonrpc":"2.0","id":1,"method":"prompts/list"}));
    let list = s.response(1);
    let names: Vec<&str> = list["result"]["prompts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"prepare_board_summary"), "{names:?}");

    s.send(
        json!({"jsonrpc":"2.0","id":2,"method":"prompts/get","params":{
        "name":"plan_next_quarter",
        "arguments":{"current_profile_id":"prof_A","target_profile_id":"prof_B","capacity":"6"}}}),
    );
    let got = s.response(2);
    let msg = &got["result"]["messages"][0];
    assert_eq!(msg["role"], "user");
    let text = msg["content"]["text"].as_str().unwrap();
    assert!(text.contains("create_implementation_plan") && text.contains("prof_B"));

    // A missing required argument is a JSON-RPC error naming it, not a crash.
    s.send(
        json!({"jsonrpc":"2.0","id":3,"method":"prompts/get","params":{
        "name":"plan_next_quarter","arguments":{"current_profile_id":"prof_A"}}}),
    );
    let err = s.response(3);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("target_profile_id"),
        "{err}"
    );

    s.send(
        json!({"jsonrpc":"2.0","id":4,"method":"completion/complete","params":{
        "ref":{"type":"ref/prompt","name":"assess_function"},
        "argument":{"name":"function","value":"pr"}}}),
    );
    assert_eq!(
        s.response(4)["result"]["completion"]["values"],
        json!(["PR"])
    );
    s.send(
        json!({"jsonrpc":"2.0","id":5,"method":"completion/complete","params":{
        "ref":{"type":"ref/prompt","name":"run_gap_analysis"},
        "argument":{"name":"scope","value":"GV,PR.A"}}}),
    );
    let values = s.response(5)["result"]["completion"]["values"].clone();
    assert_eq!(values, json!(["GV,PR.AA", "GV,PR.AT"]));

    // Org → two profiles → entries → plan → progress report, all through the protocol.
    let org = s.tool("create_organization", json!({"name": "Invented Co"}));
    let org_id = org["organization"]["id"].as_str().unwrap().to_string();
    let profile = |s: &mut StdioServer, kind: &str| -> String {
        let p = s.tool(
            "create_profile",
            json!({"org_id": org_id, "kind": kind, "name": kind}),
        );
        p["profile"]["id"].as_str().unwrap().to_string()
    };
    let cur = profile(&mut s, "current");
    let tgt = profile(&mut s, "target");
    s.tool(
        "record_assessment",
        json!({"profile_id": cur, "entries": [
            {"subcategory_id": "DE.CM-01", "status": "partially"}]}),
    );
    s.tool(
        "record_assessment",
        json!({"profile_id": tgt, "entries": [
            {"subcategory_id": "DE.CM-01", "status": "fully", "priority": "high"}]}),
    );
    let plan = s.tool(
        "create_implementation_plan",
        json!({"current_profile_id": cur, "target_profile_id": tgt,
               "capacity_per_phase": 4, "start_date": "2026-07-01"}),
    );
    // One gap of 2 steps (partially → fully) → one item of effort 2 in phase 1.
    assert_eq!(plan["plan"]["items"].as_array().unwrap().len(), 1);
    let plan_id = plan["plan_id"].as_str().unwrap().to_string();
    // The report comes back as an embedded HTML resource, readable again by its uri.
    let answer: Value = s.call(
        "generate_report",
        json!({"kind": "progress", "format": "html", "plan_id": plan_id}),
    );
    let embedded = &answer["result"]["content"][1];
    assert_eq!(embedded["type"], "resource", "{answer}");
    assert_eq!(embedded["resource"]["mimeType"], "text/html");
    let page = embedded["resource"]["text"].as_str().unwrap();
    assert!(page.contains("<svg"));
    let uri = answer["result"]["structuredContent"]["uri"]
        .as_str()
        .unwrap();
    assert_eq!(embedded["resource"]["uri"], uri);
    s.send(json!({"jsonrpc":"2.0","id":90,"method":"resources/read","params":{"uri": uri}}));
    let read = s.response(90);
    assert_eq!(read["result"]["contents"][0]["text"], page);
    assert_eq!(read["result"]["contents"][0]["mimeType"], "text/html");
    s.stop();
}
