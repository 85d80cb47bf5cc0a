//! Assessment campaigns through the real binary: two assessors answering one campaign from two
//! processes on one SQLite file, a pause and resume across a restart through review, send-back
//! and sign-off, and bad input (unknown campaign, a question outside the scope, sign-off with
//! a read-only credential) refused with a clear error and nothing changed.

use std::process::Command;

use crate::support::spawn;
use csf_testkit::http_server::HttpServer;
use csf_testkit::McpClient;
use serde_json::{json, Value};

/// An organization (small: implementation and evidence are asked), a profile and a started
/// campaign over GV.OC and PR.AA with alice answering GV.OC and bob PR.AA.
pub(crate) fn setup(c: &mut dyn McpClient) -> (String, String) {
    let org = c.tool(
        "create_organization",
        json!({"name": "Campaign org", "size": "small"}),
    );
    let org_id = org["organization"]["id"].as_str().unwrap().to_string();
    let p = c.tool(
        "create_profile",
        json!({"org_id": org_id, "kind": "current", "name": "Now"}),
    );
    let profile = p["profile"]["id"].as_str().unwrap().to_string();
    let camp = c.tool(
        "create_assessment_campaign",
        json!({"profile_id": profile, "name": "Q4", "categories": ["gv.oc", "PR.AA"],
               "assessors": [{"name": "alice", "areas": ["GV.OC"]},
                             {"name": "bob", "areas": ["PR.AA"]}],
               "due_date": "2026-12-31", "start": true}),
    );
    assert_eq!(camp["state"], "in_progress");
    (profile, camp["campaign_id"].as_str().unwrap().to_string())
}

/// Answers the assessor's open questions one call at a time; returns the ids answered.
pub(crate) fn answer_all(
    c: &mut dyn McpClient,
    campaign: &str,
    who: &str,
    status: &str,
) -> Vec<String> {
    let mut done = Vec::new();
    loop {
        let next = c.tool(
            "next_campaign_questions",
            json!({"campaign_id": campaign, "assessor": who, "include_context": false}),
        );
        let Some(q) = next["questions"].as_array().unwrap().first().cloned() else {
            return done;
        };
        let id = q["question_id"].as_str().unwrap().to_string();
        let answer = if id.ends_with(":implementation") {
            status
        } else {
            "documented"
        };
        c.tool(
            "answer_campaign_questions",
            json!({"campaign_id": campaign, "assessor": who,
                   "answers": [{"question_id": id, "answer": answer, "confidence": "high"}]}),
        );
        done.push(id);
    }
}

fn error_text(v: &Value) -> String {
    if let Some(e) = v.get("error") {
        return e.to_string();
    }
    assert_eq!(v["result"]["isError"], true, "expected an error: {v}");
    v["result"]["content"][0]["text"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn two_assessors_in_two_processes_lose_no_answer() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("csf.db");
    let db = db.to_str().unwrap().to_string();
    let mut s = spawn::stdio(&["--db", &db]);
    let (_, campaign) = setup(&mut s);
    let total = s.tool("get_assessment_campaign", json!({"campaign_id": campaign}))["progress"]
        ["overall"]["total"]
        .as_u64()
        .unwrap();
    s.stop();
    // GV.OC has 5 and PR.AA 6 subcategories, two dimensions each.
    assert_eq!(total, 22);

    let workers: Vec<_> = ["alice", "bob"]
        .into_iter()
        .map(|who| {
            let (db, campaign) = (db.clone(), campaign.clone());
            std::thread::spawn(move || {
                let mut s = spawn::stdio(&["--db", &db]);
                let done = answer_all(&mut s, &campaign, who, "largely");
                s.stop();
                done
            })
        })
        .collect();
    let answered: usize = workers.into_iter().map(|w| w.join().unwrap().len()).sum();
    assert_eq!(answered, 22);

    let mut s = spawn::stdio(&["--db", &db]);
    let c = s.tool(
        "get_assessment_campaign",
        json!({"campaign_id": campaign, "include_history": true}),
    );
    assert_eq!(c["progress"]["overall"]["answered"], 22, "{c}");
    assert_eq!(c["progress"]["overall"]["remaining"], 0);
    let history = c["history"].as_array().unwrap();
    let by = |who: &str| {
        history
            .iter()
            .filter(|e| e["kind"] == "answered" && e["detail"]["answered_by"] == who)
            .count()
    };
    assert_eq!((by("alice"), by("bob")), (10, 12));
    s.stop();
}

#[test]
fn pause_resume_across_restart_review_send_back_and_sign_off() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("csf.db");
    let db = db.to_str().unwrap();
    let mut s = spawn::stdio(&["--db", db]);
    let (profile, campaign) = setup(&mut s);
    // alice answers two questions, then the server goes away (a pause).
    s.tool(
        "answer_campaign_questions",
        json!({"campaign_id": campaign, "assessor": "alice", "answers": [
            {"question_id": "GV.OC-01:implementation", "answer": "partially", "confidence": "low"},
            {"question_id": "GV.OC-01:evidence", "skip_reason": "policy owner on leave"}]}),
    );
    s.stop();

    let mut s = spawn::stdio(&["--db", db]);
    let next = s.tool(
        "next_campaign_questions",
        json!({"campaign_id": campaign, "assessor": "alice"}),
    );
    assert_eq!(next["remaining_for_assessor"], 8);
    let q = &next["questions"][0];
    assert_eq!(q["question_id"], "GV.OC-02:implementation");
    assert!(!q["context"]["outcome"].as_str().unwrap().is_empty());
    assert_eq!(q["context"]["levels"].as_array().unwrap().len(), 5);
    // Go back, and change the answer.
    let prev = s.tool(
        "previous_campaign_question",
        json!({"campaign_id": campaign, "assessor": "alice"}),
    );
    assert!(prev["question_id"]
        .as_str()
        .unwrap()
        .starts_with("GV.OC-01:"));
    s.tool(
        "answer_campaign_questions",
        json!({"campaign_id": campaign, "assessor": "alice", "answers": [
            {"question_id": "GV.OC-01:implementation", "answer": "largely", "confidence": "low"}]}),
    );
    answer_all(&mut s, &campaign, "alice", "fully");
    answer_all(&mut s, &campaign, "bob", "partially");
    let c = s.tool(
        "set_campaign_state",
        json!({"campaign_id": campaign, "to": "in_review"}),
    );
    assert_eq!(c["state"], "in_review");

    let review = s.tool("review_campaign", json!({"campaign_id": campaign}));
    assert_eq!(
        review["low_confidence"][0]["question_id"],
        "GV.OC-01:implementation"
    );
    assert_eq!(review["skipped"][0]["why"], "policy owner on leave");
    // Every implemented outcome lacks evidence: 5 + 6 subcategories.
    assert_eq!(review["without_evidence"].as_array().unwrap().len(), 11);
    let v = review["version"].clone();
    let back = s.tool(
        "send_back_campaign_items",
        json!({"campaign_id": campaign, "expected_version": v,
               "items": [{"question_id": "PR.AA-01:implementation", "reason": "check the IdP"}]}),
    );
    assert_eq!(back["state"], "in_progress");
    let next = s.tool(
        "next_campaign_questions",
        json!({"campaign_id": campaign, "assessor": "bob", "include_context": false}),
    );
    assert_eq!(
        next["questions"][0]["question_id"],
        "PR.AA-01:implementation"
    );
    assert_eq!(next["questions"][0]["current"]["reason"], "check the IdP");
    s.tool(
        "answer_campaign_questions",
        json!({"campaign_id": campaign, "assessor": "bob", "answers": [
            {"question_id": "PR.AA-01:implementation", "answer": "fully"}]}),
    );
    s.tool(
        "set_campaign_state",
        json!({"campaign_id": campaign, "to": "in_review"}),
    );
    let signed = s.tool(
        "sign_off_campaign",
        json!({"campaign_id": campaign, "cycle_date": "2026-12-01"}),
    );
    assert_eq!(signed["campaign"]["state"], "signed_off");
    assert_eq!(
        (signed["created"].as_u64(), signed["updated"].as_u64()),
        (Some(11), Some(0))
    );

    let got = s.tool(
        "get_assessment",
        json!({"profile_id": profile, "include_history": true}),
    );
    let entries = got["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 11);
    let e = |id: &str| entries.iter().find(|e| e["subcategory_id"] == id).unwrap();
    assert_eq!(e("GV.OC-01")["status"], "largely");
    // The skipped evidence question leaves confidence unset.
    assert_eq!(e("GV.OC-01")["confidence"], Value::Null);
    assert_eq!(e("GV.OC-02")["status"], "fully");
    assert_eq!(e("GV.OC-02")["confidence"], "medium");
    assert_eq!(e("PR.AA-01")["status"], "fully");
    assert_eq!(e("PR.AA-02")["status"], "partially");
    assert_eq!(e("PR.AA-02")["assessed_by"], "bob");
    assert!(entries.iter().all(|e| e["assessed_on"] == "2026-12-01"));
    assert_eq!(got["history"].as_array().unwrap().len(), 11);
    let trail = s.tool("get_audit_trail", json!({"profile_id": profile}));
    let ops: Vec<&str> = trail["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["tool"].as_str().unwrap())
        .collect();
    // Newest first: one row per write call, the sign-off last of all.
    let mut expected = vec![
        "sign_off_campaign",
        "set_campaign_state",
        "answer_campaign_questions",
        "send_back_campaign_items",
        "set_campaign_state",
    ];
    // alice: one call before the pause, one change, 8 after; bob: 12.
    expected.extend(std::iter::repeat_n(
        "answer_campaign_questions",
        1 + 1 + 8 + 12,
    ));
    expected.extend(["create_assessment_campaign", "create_profile"]);
    assert_eq!(ops, expected, "{trail}");
    // Final: nothing moves a signed-off campaign.
    let refused = s.call(
        "set_campaign_state",
        json!({"campaign_id": campaign, "to": "in_progress"}),
    );
    assert!(error_text(&refused).contains("final"));
    s.stop();
}

const WRITER: &str = "campaign-writer-key-5b1e";
const READER: &str = "campaign-reader-key-90ad";

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("csf.db");
    let keys = format!(
        "reader:read:{},writer:read+write:{}",
        csf_transport::hash_key(READER),
        csf_transport::hash_key(WRITER)
    );
    let server = HttpServer::start(
        |addr| {
            let mut command = Command::new(spawn::BIN);
            command
                .args(["serve", "--http", addr, "--db"])
                .arg(&db)
                .args(["--auth", "api-key", "--api-key", &keys])
                .env("CSF_LOG", "warn,rmcp=error");
            command
        },
        &dir.path().join("server.log"),
        "/healthz",
    );
    let mut w = server.client(Some(WRITER));
    let mut r = server.client(Some(READER));
    let (_, campaign) = setup(&mut w);

    let unknown = w.call(
        "answer_campaign_questions",
        json!({"campaign_id": "camp_01JD0000000000000000000000", "assessor": "alice",
               "answers": [{"question_id": "GV.OC-01:implementation", "answer": "fully"}]}),
    );
    assert!(error_text(&unknown).contains("campaign 'camp_01JD0000000000000000000000' not found"));
    let outside = w.call(
        "answer_campaign_questions",
        json!({"campaign_id": campaign, "assessor": "alice",
               "answers": [{"question_id": "GV.OC-01:implementation", "answer": "fully"},
                           {"question_id": "DE.CM-01:implementation", "answer": "fully"}]}),
    );
    let msg = error_text(&outside);
    assert!(
        msg.contains("DE.CM-01:implementation is outside this campaign"),
        "{msg}"
    );
    assert!(msg.contains("GV.OC, PR.AA"), "{msg}");
    let not_mine = w.call(
        "answer_campaign_questions",
        json!({"campaign_id": campaign, "assessor": "alice",
               "answers": [{"question_id": "PR.AA-01:implementation", "answer": "fully"}]}),
    );
    assert!(error_text(&not_mine).contains("outside alice's areas"));
    let c = w.tool("get_assessment_campaign", json!({"campaign_id": campaign}));
    assert_eq!(
        c["progress"]["overall"]["answered"], 0,
        "nothing stored: {c}"
    );

    answer_all(&mut w, &campaign, "alice", "fully");
    answer_all(&mut w, &campaign, "bob", "fully");
    w.tool(
        "set_campaign_state",
        json!({"campaign_id": campaign, "to": "in_review"}),
    );
    let denied = r.call("sign_off_campaign", json!({"campaign_id": campaign}));
    let msg = error_text(&denied);
    assert!(msg.contains("write") || msg.contains("scope"), "{msg}");
    let c = r.tool("get_assessment_campaign", json!({"campaign_id": campaign}));
    assert_eq!(c["state"], "in_review", "still unsigned: {c}");
    server.stop();
}

#[test]
fn two_assessors_on_two_http_replicas_on_postgres_lose_no_answer() {
    let Some(url) = csf_testkit::env::postgres_url("campaign replicas") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("servers.log");
    let nonce = csf_testkit::env::run_nonce();
    let keys: Vec<spawn::Key> = ["alice", "bob"]
        .iter()
        .map(|w| spawn::Key::new(&format!("{w}-{nonce}")))
        .collect();
    let replicas = [
        spawn::http_with_keys(&url, &keys, &log),
        spawn::http_with_keys(&url, &keys, &log),
    ];
    let mut setup_client = replicas[0].client(Some(&keys[0].secret));
    let (_, campaign) = setup(&mut setup_client);
    let workers: Vec<_> = ["alice", "bob"]
        .into_iter()
        .enumerate()
        .map(|(i, who)| {
            let mut c = replicas[i].client(Some(&keys[i].secret));
            let campaign = campaign.clone();
            std::thread::spawn(move || answer_all(&mut c, &campaign, who, "fully").len())
        })
        .collect();
    let answered: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    assert_eq!(answered, 22);
    let c = setup_client.tool(
        "get_assessment_campaign",
        json!({"campaign_id": campaign, "include_history": true}),
    );
    assert_eq!(c["progress"]["overall"]["answered"], 22, "{c}");
    let answered_events = c["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "answered")
        .count();
    assert_eq!(answered_events, 22);
}

#[test]
fn deleting_a_profile_counts_its_campaigns_and_their_answers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("csf.db");
    let mut s = spawn::stdio(&["--db", db.to_str().unwrap()]);
    let (profile, campaign) = setup(&mut s);
    // A second campaign on the same profile, never started.
    s.tool(
        "create_assessment_campaign",
        json!({"profile_id": profile, "name": "Q1", "categories": ["GV.OC"],
               "assessors": [{"name": "carol"}]}),
    );
    s.tool(
        "answer_campaign_questions",
        json!({"campaign_id": campaign, "assessor": "alice", "answers": [
            {"question_id": "GV.OC-01:implementation", "answer": "fully"},
            {"question_id": "GV.OC-01:evidence", "skip_reason": "later"},
            {"question_id": "GV.OC-02:implementation", "answer": "partially"}]}),
    );
    let del = s.tool(
        "delete_profile",
        json!({"profile_id": profile, "confirm": profile}),
    );
    assert_eq!(del["removed"]["profiles"], 1);
    assert_eq!(del["removed"]["campaigns"], 2, "{del}");
    assert_eq!(del["removed"]["campaign_answers"], 3, "{del}");
    let left = s.tool("list_assessment_campaigns", json!({}));
    assert_eq!(left["campaigns"], json!([]));
    // Resetting an organization counts them the same way.
    let (_, campaign) = setup(&mut s);
    s.tool(
        "answer_campaign_questions",
        json!({"campaign_id": campaign, "assessor": "bob", "answers": [
            {"question_id": "PR.AA-01:implementation", "answer": "largely"}]}),
    );
    let c = s.tool("get_assessment_campaign", json!({"campaign_id": campaign}));
    let org = c["org_id"].as_str().unwrap().to_string();
    let reset = s.tool(
        "reset_organization_data",
        json!({"org_id": org, "confirm": org}),
    );
    assert_eq!(reset["removed"]["campaigns"], 1, "{reset}");
    assert_eq!(reset["removed"]["campaign_answers"], 1, "{reset}");
    // And the tools say so in their output schemas.
    let tools = s.request("tools/list", json!({}));
    for name in ["delete_profile", "reset_organization_data"] {
        let tool = tools["result"]["tools"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name)
            .unwrap();
        let schema = tool["outputSchema"].to_string();
        assert!(
            schema.contains("\"campaigns\"") && schema.contains("\"campaign_answers\""),
            "{name}: {schema}"
        );
    }
    s.stop();
}
