//! Several server processes on one SQLite file, and `kill -9` in the middle of an import —
//! through the real binary, as clients would drive it.

use crate::support::spawn;
use csf_testkit::catalog::active_ids;
use csf_testkit::McpClient;
use serde_json::{json, Value};

#[test]
fn two_processes_writing_one_file_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("csf.db");
    let db = db.to_str().unwrap();
    let mut setup = spawn::stdio(&["--db", db]);
    let org = setup.tool("create_organization", json!({"name": "Two writers"}));
    let org_id = org["organization"]["id"].as_str().unwrap().to_string();
    let profiles: Vec<String> = (0..10)
        .map(|i| {
            let p = setup.tool(
                "create_profile",
                json!({"org_id": org_id, "kind": "current", "name": format!("p{i}")}),
            );
            p["profile"]["id"].as_str().unwrap().to_string()
        })
        .collect();
    setup.stop();

    // Process A writes subcategories 0..50 of every profile, B 50..100: 2 x 500 entries in
    // batches of 10, interleaved on the same profiles.
    let ids = active_ids();
    let writers: Vec<_> = [0usize, 50]
        .into_iter()
        .map(|start| {
            let (db, profiles) = (db.to_string(), profiles.clone());
            let subs: Vec<String> = ids[start..start + 50]
                .iter()
                .map(|s| s.to_string())
                .collect();
            std::thread::spawn(move || {
                let mut s = spawn::stdio(&["--db", &db]);
                for chunk in subs.chunks(10) {
                    for p in &profiles {
                        let entries: Vec<Value> = chunk
                            .iter()
                            .map(|sub| json!({"subcategory_id": sub, "status": "partially"}))
                            .collect();
                        let out = s.tool(
                            "record_assessment",
                            json!({"profile_id": p, "entries": entries}),
                        );
                        assert_eq!(out["counts"]["created"], 10);
                    }
                }
                s.stop();
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer thread");
    }

    let mut check = spawn::stdio(&["--db", db]);
    let (mut entries, mut history) = (0, 0);
    for p in &profiles {
        let got = check.tool(
            "get_assessment",
            json!({"profile_id": p, "limit": 200, "include_history": true}),
        );
        entries += got["entries"].as_array().unwrap().len();
        history += got["history"].as_array().unwrap().len();
    }
    check.stop();
    assert_eq!((entries, history), (1000, 1000));
}

#[test]
fn kill_9_during_imports_leaves_whole_batches_or_none() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("csf.db");
    let db = db_path.to_str().unwrap();
    let csv: String = std::iter::once("subcategory_id,status,maturity,notes".to_string())
        .chain(
            active_ids()
                .iter()
                .map(|s| format!("{s},largely,3,{}", "n".repeat(200))),
        )
        .collect::<Vec<_>>()
        .join("\n");
    let mut acknowledged = Vec::new();
    let mut profiles = Vec::new();
    for round in 0..8u64 {
        let mut s = spawn::stdio(&["--db", db]);
        let org = s.tool(
            "create_organization",
            json!({"name": format!("round {round}")}),
        );
        let p = s.tool(
            "create_profile",
            json!({"org_id": org["organization"]["id"], "kind": "current", "name": "x"}),
        );
        let pid = p["profile"]["id"].as_str().unwrap().to_string();
        profiles.push(pid.clone());
        s.send(json!({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{
            "name":"import_assessment","arguments":{"profile_id": pid, "format":"csv","content": csv}}}));
        // Kill at a different moment each round (0–14 ms after sending), acked or not.
        std::thread::sleep(std::time::Duration::from_millis(round * 2));
        s.kill9();
        if let Some(v) = s.try_response(3, std::time::Duration::from_millis(200)) {
            if v["result"]["structuredContent"]["stored"] == true {
                acknowledged.push(pid.clone());
            }
        }
    }

    csf_testkit::store_dump::integrity_ok(&db_path);
    let mut s = spawn::stdio(&["--db", db]);
    let mut whole = 0;
    for pid in &profiles {
        let got = s.tool("get_assessment", json!({"profile_id": pid, "limit": 200}));
        let n = got["entries"].as_array().unwrap().len();
        assert!(
            n == 0 || n == 106,
            "profile {pid} holds {n} entries: a partial batch"
        );
        if acknowledged.contains(pid) {
            assert_eq!(n, 106, "an acknowledged import was lost");
        }
        whole += usize::from(n == 106);
    }
    s.stop();
    eprintln!(
        "kill -9 rounds: 8, whole batches stored: {whole}, acknowledged: {}",
        acknowledged.len()
    );
}
