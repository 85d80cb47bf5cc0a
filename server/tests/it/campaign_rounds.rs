//! `run_campaign_questions` on protocol 2026-07-28 over stateless HTTP (the default `serve
//! --http`): raw JSON-RPC without initialize, the client context in each request's `_meta`.
//! A client that declares form elicitation gets input-required results of form elicitations
//! and answers them by calling again with input responses and the request state; the answers
//! are stored exactly as given, a declined form pauses with earlier answers kept, an altered or
//! forged request state is refused with nothing stored changed, and a client without
//! elicitation gets the questions for ordinary tool calls. The same rounds over stdio, across
//! processes sharing the sealing key, and refused to another caller.

use std::path::{Path, PathBuf};
use std::process::Command;

use csf_testkit::http::Request;
use csf_testkit::http_server::HttpServer;
use csf_testkit::stdio::StdioServer;
use csf_testkit::store_dump;
use csf_testkit::McpClient;
use serde_json::{json, Value};

use crate::campaigns::{answer_all, setup};
use crate::support::spawn::{self, BIN};

const V26: &str = "2026-07-28";
const TOOL: &str = "run_campaign_questions";

struct Fixture {
    _dir: tempfile::TempDir,
    db: PathBuf,
    server: HttpServer,
    campaign: String,
}

/// `serve --http` (stateless, no authentication) on `db`, sealing request states with `key`
/// (None: the process's own random key).
fn serve(db: &Path, log: &Path, key: Option<&str>) -> HttpServer {
    let db = db.to_str().unwrap().to_string();
    HttpServer::start(
        |addr| {
            let mut c = Command::new(BIN);
            c.args(["serve", "--http", addr, "--db", &db])
                .env("CSF_LOG", "warn,rmcp=error")
                .env_remove("CSF_API_KEYS")
                .env_remove("CSF_REQUEST_STATE_KEY");
            if let Some(k) = key {
                c.env("CSF_REQUEST_STATE_KEY", k);
            }
            c
        },
        log,
        "/readyz",
    )
}

/// A stateless HTTP server on a fresh store with the campaign of `campaigns::setup` started
/// (alice answers GV.OC: implementation and evidence of five outcomes).
fn start() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("csf.db");
    let server = serve(&db, &dir.path().join("server.log"), None);
    let (_, campaign) = setup(&mut server.client(None));
    Fixture {
        _dir: dir,
        db,
        server,
        campaign,
    }
}

/// One `tools/call` on protocol 2026-07-28 with `caps` as the client's capabilities; `extra`
/// goes into params beside name and arguments. The JSON-RPC response.
fn call(f: &Fixture, caps: Value, args: Value, extra: Value) -> Value {
    call_on(&f.server, None, caps, args, extra)
}

/// The same to `server` with `bearer` as the credential.
fn call_on(
    server: &HttpServer,
    bearer: Option<&str>,
    caps: Value,
    args: Value,
    extra: Value,
) -> Value {
    let mut params = json!({"name": TOOL, "arguments": args, "_meta": meta(caps)});
    if let (Some(p), Some(e)) = (params.as_object_mut(), extra.as_object()) {
        p.extend(e.clone());
    }
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params});
    let mut r = Request::mcp(body.to_string())
        .header("MCP-Protocol-Version", V26)
        .header("Mcp-Method", "tools/call")
        .header("Mcp-Name", TOOL);
    if let Some(b) = bearer {
        r = r.bearer(b);
    }
    let answer = server.send(&r).unwrap();
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.response().expect("a JSON-RPC response")
}

/// The `_meta` of a 2026-07-28 request from a client with `caps`.
fn meta(caps: Value) -> Value {
    json!({
        "io.modelcontextprotocol/protocolVersion": V26,
        "io.modelcontextprotocol/clientInfo": {"name": "rounds-test", "version": "1"},
        "io.modelcontextprotocol/clientCapabilities": caps,
    })
}

/// A stdio server spoken to in 2026-07-28 (no initialize; the client context on each request).
struct Stdio26(StdioServer);

impl Stdio26 {
    fn call_with(&mut self, args: Value, extra: Value) -> Value {
        let mut params = json!({"name": TOOL, "arguments": args, "_meta": meta(forms())});
        if let (Some(p), Some(e)) = (params.as_object_mut(), extra.as_object()) {
            p.extend(e.clone());
        }
        self.0.request("tools/call", params)
    }
}

impl McpClient for Stdio26 {
    fn call(&mut self, name: &str, args: Value) -> Value {
        self.0.request(
            "tools/call",
            json!({"name": name, "arguments": args, "_meta": meta(json!({}))}),
        )
    }
}

fn forms() -> Value {
    json!({"elicitation": {"form": {}}})
}

fn run_args(f: &Fixture, max: u32) -> Value {
    json!({"campaign_id": f.campaign, "assessor": "alice", "max_questions": max})
}

/// The input-required result of `v`, checked: every input request a form elicitation.
fn input_required(v: &Value) -> (Vec<String>, String) {
    let r = &v["result"];
    assert_eq!(r["resultType"], "input_required", "{v}");
    let requests = r["inputRequests"].as_object().expect("inputRequests");
    for (key, req) in requests {
        assert_eq!(req["method"], "elicitation/create", "{key}: {req}");
        let schema = &req["params"]["requestedSchema"];
        assert_eq!(schema["type"], "object");
        for field in ["answer", "confidence", "notes", "skip_reason"] {
            assert!(
                schema["properties"][field].is_object(),
                "{key} lacks {field}"
            );
        }
        assert!(req["params"]["message"]
            .as_str()
            .unwrap()
            .starts_with(key.as_str()));
    }
    let state = r["requestState"]
        .as_str()
        .expect("requestState")
        .to_string();
    (requests.keys().cloned().collect(), state)
}

fn accept(content: Value) -> Value {
    json!({"action": "accept", "content": content})
}

fn complete(v: &Value) -> Value {
    let r = &v["result"];
    assert_ne!(r["resultType"], "input_required", "{v}");
    assert_ne!(r["isError"], true, "{v}");
    r["structuredContent"].clone()
}

fn error_text(v: &Value) -> String {
    assert_eq!(v["result"]["isError"], true, "expected a tool error: {v}");
    v["result"]["content"][0]["text"]
        .as_str()
        .unwrap()
        .to_string()
}

/// alice's stored answer to `question` (state, answer, confidence, notes, reason, by).
fn stored(f: &Fixture, question: &str) -> Value {
    let q = f.server.client(None).tool(
        "next_campaign_questions",
        json!({"campaign_id": f.campaign, "assessor": "alice", "limit": 20}),
    );
    assert!(
        q["questions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["question_id"] != question),
        "{question} is still open"
    );
    let mut c = f.server.client(None);
    let mut before: Option<String> = None;
    loop {
        let mut args = json!({"campaign_id": f.campaign, "assessor": "alice"});
        if let Some(b) = &before {
            args["before"] = json!(b);
        }
        let prev = c.tool("previous_campaign_question", args);
        let a = &prev["current"];
        if prev["question_id"] == question {
            return json!([
                a["state"],
                a["answer"],
                a["confidence"],
                a["notes"],
                a["reason"],
                a["answered_by"],
                a["revision"]
            ]);
        }
        before = Some(prev["question_id"].as_str().unwrap().to_string());
    }
}

fn unchanged_since(db: &Path, before: &store_dump::Snapshot, audit: &[store_dump::AuditRow]) {
    store_dump::assert_unchanged(db, before, audit);
}

#[test]
fn two_questions_answered_in_one_round_then_a_second_run_in_two_rounds() {
    let f = start();
    let first = call(&f, forms(), run_args(&f, 2), json!({}));
    let (keys, state) = input_required(&first);
    assert_eq!(keys, ["GV.OC-01:evidence", "GV.OC-01:implementation"]);
    let impl_form = &first["result"]["inputRequests"]["GV.OC-01:implementation"];
    assert_eq!(
        impl_form["params"]["requestedSchema"]["properties"]["answer"]["enum"],
        json!([
            "not_implemented",
            "partially",
            "largely",
            "fully",
            "not_applicable"
        ])
    );

    let done = call(
        &f,
        forms(),
        run_args(&f, 2),
        json!({"requestState": state, "inputResponses": {
            "GV.OC-01:implementation": accept(json!({"answer": "largely", "confidence": "high",
                                                     "notes": "board minutes"})),
            "GV.OC-01:evidence": accept(json!({"answer": "documented", "confidence": "medium"})),
        }}),
    );
    let out = complete(&done);
    assert_eq!(out["mode"], "elicitation");
    assert_eq!(
        out["recorded"],
        json!(["GV.OC-01:implementation", "GV.OC-01:evidence"])
    );
    assert_eq!(out["paused"], "asked 2 questions (max_questions)");
    assert_eq!(out["remaining_for_assessor"], 8);
    assert_eq!(
        stored(&f, "GV.OC-01:implementation"),
        json!([
            "answered",
            "largely",
            "high",
            "board minutes",
            null,
            "alice",
            1
        ])
    );
    assert_eq!(
        stored(&f, "GV.OC-01:evidence"),
        json!(["answered", "documented", "medium", null, null, "alice", 1])
    );

    // A run of six: a round of five (one skipped), then a round of one with a new state.
    let r1 = call(&f, forms(), run_args(&f, 6), json!({}));
    let (keys, s1) = input_required(&r1);
    assert_eq!(keys.len(), 5);
    let mut responses = serde_json::Map::new();
    for k in &keys {
        let content = if k == "GV.OC-02:evidence" {
            json!({"skip_reason": "auditor visit next month"})
        } else if k.ends_with(":implementation") {
            json!({"answer": "partially"})
        } else {
            json!({"answer": "tested", "confidence": "low"})
        };
        responses.insert(k.clone(), accept(content));
    }
    let r2 = call(
        &f,
        forms(),
        run_args(&f, 6),
        json!({"requestState": s1, "inputResponses": responses}),
    );
    let (keys2, s2) = input_required(&r2);
    assert_eq!(keys2, ["GV.OC-04:evidence"]);
    assert_ne!(s1, s2);
    let end = call(
        &f,
        forms(),
        run_args(&f, 6),
        json!({"requestState": s2, "inputResponses": {
            "GV.OC-04:evidence": accept(json!({"answer": "none", "notes": "to collect"}))}}),
    );
    let out = complete(&end);
    assert_eq!(out["recorded"].as_array().unwrap().len(), 6, "{out}");
    assert_eq!(out["remaining_for_assessor"], 2);
    assert_eq!(
        stored(&f, "GV.OC-02:evidence"),
        json!([
            "skipped",
            null,
            null,
            null,
            "auditor visit next month",
            "alice",
            1
        ])
    );
    assert_eq!(
        stored(&f, "GV.OC-04:evidence"),
        json!(["answered", "none", null, "to collect", null, "alice", 1])
    );
    assert_eq!(
        stored(&f, "GV.OC-03:evidence"),
        json!(["answered", "tested", "low", null, null, "alice", 1])
    );
}

#[test]
fn a_declined_form_pauses_with_the_other_answers_kept() {
    let f = start();
    let (keys, state) = input_required(&call(&f, forms(), run_args(&f, 2), json!({})));
    assert_eq!(keys.len(), 2);
    let out = complete(&call(
        &f,
        forms(),
        run_args(&f, 2),
        json!({"requestState": state, "inputResponses": {
            "GV.OC-01:implementation": accept(json!({"answer": "partially", "confidence": "low"})),
            "GV.OC-01:evidence": {"action": "decline"},
        }}),
    ));
    assert_eq!(out["recorded"], json!(["GV.OC-01:implementation"]));
    assert_eq!(
        out["paused"],
        "declined at GV.OC-01:evidence; answers so far are kept"
    );
    assert_eq!(out["remaining_for_assessor"], 9);
    assert_eq!(
        stored(&f, "GV.OC-01:implementation"),
        json!(["answered", "partially", "low", null, null, "alice", 1])
    );
    let c = f.server.client(None).tool(
        "get_assessment_campaign",
        json!({"campaign_id": f.campaign}),
    );
    assert_eq!(c["state"], "in_progress");
    assert_eq!(c["progress"]["overall"]["answered"], 1);
    // The next run starts at the declined question.
    let (keys, _) = input_required(&call(&f, forms(), run_args(&f, 1), json!({})));
    assert_eq!(keys, ["GV.OC-01:evidence"]);
}

#[test]
fn an_altered_or_forged_request_state_is_refused_and_nothing_changes() {
    let f = start();
    let (_, state) = input_required(&call(&f, forms(), run_args(&f, 2), json!({})));
    let answers = json!({
        "GV.OC-01:implementation": accept(json!({"answer": "fully"})),
        "GV.OC-01:evidence": accept(json!({"answer": "tested"})),
    });
    let before = store_dump::snapshot(&f.db);
    let audit = store_dump::audit(&f.db);

    // One character of the state changed.
    let mut altered: Vec<char> = state.chars().collect();
    let i = altered.len() / 2;
    altered[i] = if altered[i] == 'A' { 'B' } else { 'A' };
    let altered: String = altered.into_iter().collect();
    // A state written by the client: the same shape, its own tag.
    let forged = format!(
        "rs1.{}.{}",
        "eyJjYW1wYWlnbiI6ImNtcF8xIn0", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    );
    for bad in [altered.as_str(), forged.as_str(), "", "not a state"] {
        let v = call(
            &f,
            forms(),
            run_args(&f, 2),
            json!({"requestState": bad, "inputResponses": answers}),
        );
        let e = error_text(&v);
        assert!(
            e.contains("requestState is not one this server issued"),
            "{e}"
        );
    }
    // Input responses without the state, and a response to a form that was not shown.
    let e = error_text(&call(
        &f,
        forms(),
        run_args(&f, 2),
        json!({"inputResponses": answers}),
    ));
    assert!(e.contains("without the request state"), "{e}");
    let e = error_text(&call(
        &f,
        forms(),
        run_args(&f, 2),
        json!({"requestState": state, "inputResponses": {
            "GV.OC-01:implementation": accept(json!({"answer": "fully"})),
            "GV.OC-02:implementation": accept(json!({"answer": "fully"})),
        }}),
    ));
    assert!(
        e.contains("'GV.OC-02:implementation' answers no form of this round"),
        "{e}"
    );
    // The genuine state for another assessor's run.
    let e = error_text(&call(
        &f,
        forms(),
        json!({"campaign_id": f.campaign, "assessor": "bob", "max_questions": 2}),
        json!({"requestState": state, "inputResponses": answers}),
    ));
    assert!(e.contains("another campaign or assessor"), "{e}");
    unchanged_since(&f.db, &before, &audit);

    // The genuine state still works.
    let out = complete(&call(
        &f,
        forms(),
        run_args(&f, 2),
        json!({"requestState": state, "inputResponses": answers}),
    ));
    assert_eq!(out["recorded"].as_array().unwrap().len(), 2);
}

#[test]
fn a_round_already_answered_is_refused_when_sent_again() {
    let f = start();
    let (_, state) = input_required(&call(&f, forms(), run_args(&f, 2), json!({})));
    let answers = json!({
        "GV.OC-01:implementation": accept(json!({"answer": "largely"})),
        "GV.OC-01:evidence": accept(json!({"answer": "documented"})),
    });
    let out = complete(&call(
        &f,
        forms(),
        run_args(&f, 2),
        json!({"requestState": state, "inputResponses": answers}),
    ));
    assert_eq!(out["recorded"].as_array().unwrap().len(), 2);
    // Later the assessor changes an answer directly.
    f.server.client(None).tool(
        "answer_campaign_questions",
        json!({"campaign_id": f.campaign, "assessor": "alice", "answers": [
            {"question_id": "GV.OC-01:implementation", "answer": "partially"}]}),
    );
    let before = store_dump::snapshot(&f.db);
    let audit = store_dump::audit(&f.db);
    // The same round sent again (a client's retry, or an old copy) would silently undo that
    // change: the round was answered, so it is refused.
    for replayed in [
        answers.clone(),
        json!({"GV.OC-01:implementation": accept(json!({"answer": "fully"}))}),
    ] {
        let e = error_text(&call(
            &f,
            forms(),
            run_args(&f, 2),
            json!({"requestState": state, "inputResponses": replayed}),
        ));
        assert!(
            e.contains("GV.OC-01:implementation was answered since the forms were made"),
            "{e}"
        );
    }
    unchanged_since(&f.db, &before, &audit);
    assert_eq!(
        stored(&f, "GV.OC-01:implementation"),
        json!(["answered", "partially", null, null, null, "alice", 2])
    );
}

#[test]
fn a_round_made_before_the_campaign_changed_state_is_refused() {
    let f = start();
    let (keys, state) = input_required(&call(&f, forms(), run_args(&f, 1), json!({})));
    assert_eq!(keys, ["GV.OC-01:implementation"]);
    // Meanwhile everything is answered, submitted, and one answer sent back: the campaign is
    // in progress again, at a later version.
    let mut c = f.server.client(None);
    answer_all(&mut c, &f.campaign, "alice", "largely");
    answer_all(&mut c, &f.campaign, "bob", "largely");
    let v = c.tool(
        "set_campaign_state",
        json!({"campaign_id": f.campaign, "to": "in_review"}),
    )["version"]
        .clone();
    let back = c.tool(
        "send_back_campaign_items",
        json!({"campaign_id": f.campaign, "expected_version": v, "items": [
            {"question_id": "GV.OC-01:implementation", "reason": "which systems?"}]}),
    );
    assert_eq!(back["state"], "in_progress");
    let before = store_dump::snapshot(&f.db);
    let audit = store_dump::audit(&f.db);
    let e = error_text(&call(
        &f,
        forms(),
        run_args(&f, 1),
        json!({"requestState": state, "inputResponses": {
            "GV.OC-01:implementation": accept(json!({"answer": "fully"}))}}),
    ));
    assert!(e.contains("changed since the forms were made"), "{e}");
    unchanged_since(&f.db, &before, &audit);
}

#[test]
fn a_client_without_elicitation_gets_the_questions_for_tool_calls() {
    let f = start();
    for caps in [json!({}), json!({"sampling": {}})] {
        let out = complete(&call(&f, caps, run_args(&f, 2), json!({})));
        assert_eq!(out["mode"], "tool_calls");
        assert_eq!(out["recorded"], json!([]));
        let qs = out["questions"]["questions"].as_array().unwrap();
        assert_eq!(qs.len(), 5);
        assert_eq!(qs[0]["question_id"], "GV.OC-01:implementation");
        assert_eq!(out["remaining_for_assessor"], 10);
    }
    // And the 2025-11-25 client of stateless HTTP, which cannot be sent forms, likewise.
    let out = f.server.client(None).tool(TOOL, run_args(&f, 2));
    assert_eq!(out["mode"], "tool_calls");
}

#[test]
fn a_round_continues_on_another_process_only_with_the_same_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("csf.db");
    let log = dir.path().join("servers.log");
    let key = "a-key-shared-by-the-replicas-of-this-test-only";
    let a = serve(&db, &log, Some(key));
    let b = serve(&db, &log, Some(key));
    let c = serve(&db, &log, None);
    let (_, campaign) = setup(&mut a.client(None));
    let args = json!({"campaign_id": campaign, "assessor": "alice", "max_questions": 1});
    let (keys, state) = input_required(&call_on(&a, None, forms(), args.clone(), json!({})));
    let retry = json!({"requestState": state, "inputResponses": {
        keys[0].clone(): accept(json!({"answer": "fully"}))}});
    let e = error_text(&call_on(&c, None, forms(), args.clone(), retry.clone()));
    assert!(
        e.contains("requestState is not one this server issued"),
        "{e}"
    );
    let out = complete(&call_on(&b, None, forms(), args, retry));
    assert_eq!(out["recorded"], json!(["GV.OC-01:implementation"]));
}

#[test]
fn a_round_issued_to_one_caller_is_refused_to_another() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("csf.db");
    let nonce = csf_testkit::env::run_nonce();
    let keys: Vec<spawn::Key> = ["alice", "mallory"]
        .iter()
        .map(|w| spawn::Key::new(&format!("{w}-{nonce}")))
        .collect();
    let server = spawn::http_with_keys(db.to_str().unwrap(), &keys, &dir.path().join("server.log"));
    let (_, campaign) = setup(&mut server.client(Some(&keys[0].secret)));
    let args = json!({"campaign_id": campaign, "assessor": "alice", "max_questions": 1});
    let first = call_on(
        &server,
        Some(&keys[0].secret),
        forms(),
        args.clone(),
        json!({}),
    );
    let (keys_asked, state) = input_required(&first);
    let retry = json!({"requestState": state, "inputResponses": {
        keys_asked[0].clone(): accept(json!({"answer": "not_applicable"}))}});
    let before = store_dump::snapshot(&db);
    let audit = store_dump::audit(&db);
    let e = error_text(&call_on(
        &server,
        Some(&keys[1].secret),
        forms(),
        args.clone(),
        retry.clone(),
    ));
    assert!(
        e.contains("requestState is not one this server issued"),
        "{e}"
    );
    unchanged_since(&db, &before, &audit);
    let out = complete(&call_on(
        &server,
        Some(&keys[0].secret),
        forms(),
        args,
        retry,
    ));
    assert_eq!(out["recorded"], json!(["GV.OC-01:implementation"]));
}

#[test]
fn rounds_work_over_stdio_on_2026_07_28_too() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("csf.db");
    let mut command = Command::new(BIN);
    command
        .args(["serve", "--db", db.to_str().unwrap()])
        .env("CSF_PRINCIPAL", "stdio-test")
        .stderr(std::process::Stdio::null());
    let mut s = Stdio26(StdioServer::spawn(command));
    let (_, campaign) = setup(&mut s);
    let args = json!({"campaign_id": campaign, "assessor": "alice", "max_questions": 1});
    let (keys, state) = input_required(&s.call_with(args.clone(), json!({})));
    assert_eq!(keys, ["GV.OC-01:implementation"]);
    let out = complete(&s.call_with(
        args,
        json!({"requestState": state, "inputResponses": {
            "GV.OC-01:implementation": accept(json!({"answer": "not_applicable",
                                                     "notes": "no mission statement"}))}}),
    ));
    assert_eq!(out["recorded"], json!(["GV.OC-01:implementation"]));
    let prev = s.tool(
        "previous_campaign_question",
        json!({"campaign_id": campaign, "assessor": "alice"}),
    );
    assert_eq!(prev["current"]["answer"], "not_applicable");
    assert_eq!(prev["current"]["notes"], "no mission statement");
    s.0.stop();
}
