//! Hostile framing over stdio, through the real binary, on a populated SQLite file. Extends
//! stdio_protocol.rs (which covers garbage, truncated JSON, unknown methods and tools, wrong
//! argument types): duplicate keys, invalid UTF-8 and raw NUL inside a `tools/call`, escaped
//! lone surrogates, CR/LF line endings, a line over the transport's 16 MiB limit, JSON-RPC ids
//! out of range or of the wrong type, batch arrays and nesting past the parser's limit. After
//! each one a `ping` must be answered, stdout must carry nothing but JSON; at the end the
//! store must be unchanged (only `error` audit rows added) and a valid call must still work.

use std::time::{Duration, Instant};

use crate::support::hostile;
use crate::support::spawn;
use csf_testkit::store_dump;
use csf_testkit::McpClient;
use serde_json::json;

const WAIT: Duration = Duration::from_secs(30);

/// A `tools/call` line with `arguments` spliced in as raw bytes.
fn call_with_raw_args(id: &str, tool: &str, args: &[u8]) -> Vec<u8> {
    let mut line = format!(
        r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"{tool}","arguments":"#
    )
    .into_bytes();
    line.extend_from_slice(args);
    line.extend_from_slice(b"}}");
    line
}

fn replace_first(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    match hay.windows(from.len()).position(|w| w == from) {
        Some(at) => [&hay[..at], to, &hay[at + from.len()..]].concat(),
        None => hay.to_vec(),
    }
}

/// What a hostile line may be answered with: nothing, a JSON-RPC error, or an `isError` result.
#[derive(Debug, Clone, Copy, PartialEq)]
enum May {
    /// Refused: no result other than `isError`.
    Refuse,
    /// Well-formed after all (CRLF, escaped text, duplicate keys resolved): a result is fine.
    Answer,
}

#[test]
fn hostile_framing_over_stdio_is_refused_and_the_store_is_unchanged() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("stdio.db");
    let db_arg = db.to_string_lossy().into_owned();
    let mut s = spawn::stdio(&["--db", &db_arg]);

    // A populated store, written through the binary itself.
    let (active, withdrawn) = csf_testkit::catalog::first_active_and_withdrawn();
    let org = s.tool("create_organization", json!({"name": "Invented Works"}));
    let org = org["organization"]["id"].as_str().unwrap().to_string();
    let p = s.tool(
        "create_profile",
        json!({"org_id": org, "kind": "current", "name": "now"}),
    );
    let profile = p["profile"]["id"].as_str().unwrap().to_string();
    s.tool(
        "record_assessment",
        json!({"profile_id": profile, "entries": [
            {"subcategory_id": active, "status": "largely", "notes": "invented"}]}),
    );
    let before = store_dump::snapshot(&db);
    let audit_before = store_dump::audit(&db);

    let record = |args: &str| -> Vec<u8> {
        call_with_raw_args(
            "100",
            "record_assessment",
            format!(r#"{{"profile_id":"{profile}","entries":[{args}]}}"#).as_bytes(),
        )
    };
    let create_org = |name: &[u8]| -> Vec<u8> {
        let mut a = b"{\"name\":\"".to_vec();
        a.extend_from_slice(name);
        a.extend_from_slice(b"\"}");
        call_with_raw_args("100", "create_organization", &a)
    };

    let mut cases: Vec<(&str, Vec<u8>, May)> = vec![
        // Duplicate keys: the last one wins in every map serde reads, so the valid first value
        // never gets stored (a refused empty name / withdrawn id / unknown profile).
        (
            "duplicate argument key, invalid last",
            br#"{"jsonrpc":"2.0","id":100,"method":"tools/call","params":{"name":"create_organization","arguments":{"name":"Valid Name","name":""}}}"#.to_vec(),
            May::Refuse,
        ),
        (
            "duplicate entry key, withdrawn last",
            record(&format!(
                r#"{{"subcategory_id":"{active}","subcategory_id":"{withdrawn}","status":"fully"}}"#
            )),
            May::Refuse,
        ),
        (
            "duplicate params.name, unknown tool last",
            br#"{"jsonrpc":"2.0","id":100,"method":"tools/call","params":{"name":"create_organization","name":"no_such_tool","arguments":{"name":"Dup"}}}"#.to_vec(),
            May::Refuse,
        ),
        (
            "duplicate method, write first",
            br#"{"jsonrpc":"2.0","id":100,"method":"tools/call","method":"ping","params":{"name":"create_organization","arguments":{"name":"Dup"}}}"#.to_vec(),
            May::Answer,
        ),
        (
            "duplicate id",
            br#"{"jsonrpc":"2.0","id":100,"id":101,"method":"ping"}"#.to_vec(),
            May::Answer,
        ),
        // Invalid UTF-8, raw NUL and raw control bytes inside a write call's string.
        ("invalid UTF-8 in a string", create_org(b"ab\xff\xfecd"), May::Refuse),
        ("overlong UTF-8 encoding", create_org(b"\xc0\xafetc"), May::Refuse),
        ("UTF-8 surrogate bytes", create_org(b"x\xed\xa0\x80y"), May::Refuse),
        ("raw NUL in a string", create_org(b"a\x00b"), May::Refuse),
        ("raw ESC in a string", create_org(b"a\x1b[2Jb"), May::Refuse),
        ("raw NUL between tokens", {
            let mut l = create_org(b"NUL Org");
            l.insert(1, 0);
            l
        }, May::Refuse),
        // Escaped lone surrogates: not Unicode scalar values; refused by the JSON parser.
        ("lone high surrogate", create_org(br"x\ud800y"), May::Refuse),
        ("lone low surrogate", create_org(br"x\udc00y"), May::Refuse),
        ("escaped NUL in a name", create_org(br"a\u0000b"), May::Refuse),
        // Out-of-range and wrongly typed JSON-RPC ids.
        ("id 1e308", br#"{"jsonrpc":"2.0","id":1e308,"method":"ping"}"#.to_vec(), May::Refuse),
        ("id 2^64", br#"{"jsonrpc":"2.0","id":18446744073709551616,"method":"ping"}"#.to_vec(), May::Refuse),
        ("id -2^63-1", br#"{"jsonrpc":"2.0","id":-9223372036854775809,"method":"ping"}"#.to_vec(), May::Refuse),
        ("id 1.5", br#"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#.to_vec(), May::Refuse),
        ("id true", br#"{"jsonrpc":"2.0","id":true,"method":"ping"}"#.to_vec(), May::Refuse),
        ("id object", br#"{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}"#.to_vec(), May::Refuse),
        ("id array", br#"{"jsonrpc":"2.0","id":[1],"method":"ping"}"#.to_vec(), May::Refuse),
        ("write with id 2^64", {
            let mut l = create_org(b"Big Id Org");
            let at = l.windows(5).position(|w| w == b":100,").unwrap();
            l.splice(at + 1..at + 4, b"18446744073709551616".iter().copied());
            l
        }, May::Refuse),
        ("jsonrpc 1.0", br#"{"jsonrpc":"1.0","id":100,"method":"tools/call","params":{"name":"create_organization","arguments":{"name":"Old"}}}"#.to_vec(), May::Refuse),
        // Batches (removed from MCP in 2025-06-18): refused whole, nothing in them runs.
        ("batch with a write", br#"[{"jsonrpc":"2.0","id":100,"method":"tools/call","params":{"name":"create_organization","arguments":{"name":"Batched"}}},{"jsonrpc":"2.0","id":101,"method":"ping"}]"#.to_vec(), May::Refuse),
        ("empty batch", b"[]".to_vec(), May::Refuse),
        ("batch of garbage", b"[1,2,3]".to_vec(), May::Refuse),
        // Nesting past serde_json's recursion limit (128) inside a write call's arguments.
        ("deep nesting in arguments", {
            let mut a = b"{\"name\":\"Deep\",\"sector\":".to_vec();
            a.extend(std::iter::repeat_n(b'[', 10_000));
            a.extend(std::iter::repeat_n(b']', 10_000));
            a.push(b'}');
            call_with_raw_args("100", "create_organization", &a)
        }, May::Refuse),
        // CR/LF: a request ending in CRLF is answered normally (reads only); a bare CR inside
        // is JSON whitespace.
        ("CRLF line ending", b"{\"jsonrpc\":\"2.0\",\"id\":100,\"method\":\"tools/call\",\"params\":{\"name\":\"csf_lookup\",\"arguments\":{\"id\":\"GV\"}}}\r".to_vec(), May::Answer),
        ("CR between tokens", b"{\"jsonrpc\":\"2.0\",\r\"id\":100,\r\r\"method\":\"ping\"}".to_vec(), May::Answer),
        ("CRLF inside a string", create_org(b"two\r\nlines"), May::Refuse),
        ("UTF-8 BOM", b"\xef\xbb\xbf{\"jsonrpc\":\"2.0\",\"id\":100,\"method\":\"ping\"}".to_vec(), May::Answer),
        ("BOM then invalid", create_org(b"\xef\xbb\xbf\xff"), May::Refuse),
    ];
    // A line past the transport's 16 MiB limit, carrying a write: discarded unread.
    let mut long = create_org(b"Too Long Org");
    let pad = 17 * 1024 * 1024;
    let at = long.len() - 3; // inside `arguments`
    long.splice(
        at..at,
        format!(",\"sector\":\"{}\"", "s".repeat(pad)).into_bytes(),
    );
    cases.push(("line over 16 MiB", long, May::Refuse));

    // Each case's request id is made unique (100 + i) so that a tool call answered after the
    // ping (tool calls run on the blocking pool, pings do not) is still attributed to it;
    // id-less errors (Invalid Request) are written in order, before the ping's answer.
    let mut answers: Vec<Vec<serde_json::Value>> = vec![Vec::new(); cases.len()];
    let own = |m: &serde_json::Value| m["id"].as_i64().map(|id| (id - 100) as usize);
    let file = |answers: &mut Vec<Vec<serde_json::Value>>, current: usize, m: serde_json::Value| {
        match own(&m).filter(|i| *i < cases.len()) {
            Some(i) => answers[i].push(m),
            None => answers[current].push(m),
        }
    };
    for (i, (label, line, _)) in cases.iter().enumerate() {
        let ping_id = 1000 + i as i64;
        let line = replace_first(
            line,
            b"\"id\":100",
            format!("\"id\":{}", 100 + i).as_bytes(),
        );
        s.send_raw(&line);
        s.send(csf_testkit::rpc::ping(ping_id));
        let mut seen = s
            .messages_until(ping_id, WAIT)
            .unwrap_or_else(|| panic!("{label}: the ping after it got no answer within {WAIT:?}"));
        let ping = seen.pop().unwrap();
        assert_eq!(ping["result"], json!({}), "{label}: ping answer {ping}");
        for m in seen {
            file(&mut answers, i, m);
        }
    }
    // A last call through the blocking pool flushes any tool answer still on its way.
    s.send(json!({"jsonrpc":"2.0","id":3000,"method":"tools/call",
        "params":{"name":"list_organizations","arguments":{}}}));
    let mut rest = s.messages_until(3000, WAIT).expect("final call answered");
    rest.pop();
    // Calls still running (a slow disk under load) answer later: wait for 2 s of quiet, so
    // that no late write can land after the store is compared.
    while let Some(m) = s.next_message(Duration::from_secs(2)) {
        rest.push(m);
    }
    for m in rest {
        file(&mut answers, cases.len() - 1, m);
    }

    let (mut answered_hostile, mut silent) = (0, 0);
    for ((label, _, may), got) in cases.iter().zip(&answers) {
        if std::env::var_os("BAD_INPUT_VERBOSE").is_some() {
            let shown: Vec<String> = got.iter().map(|m| format!("{m:.200}")).collect();
            eprintln!("{label} => {shown:?}");
        }
        if got.is_empty() {
            silent += 1;
        } else {
            answered_hostile += 1;
        }
        for m in got {
            let refused = m.get("error").is_some() || m["result"]["isError"] == true;
            if *may == May::Refuse {
                assert!(refused, "{label}: not refused: {m}");
            }
            if let Some(e) = m.get("error") {
                let msg = e["message"].as_str().unwrap_or("");
                assert!(
                    !msg.trim().is_empty(),
                    "{label}: error without message: {m}"
                );
            }
            if m["result"]["isError"] == true {
                let msg = m["result"]["content"][0]["text"].as_str().unwrap_or("");
                assert!(
                    hostile::is_clear(msg, "name", None),
                    "{label}: unclear refusal: {msg}"
                );
            }
        }
    }

    let audited = store_dump::assert_unchanged(&db, &before, &audit_before);
    // Still serving, reads and writes.
    s.tool("list_profiles", json!({"org_id": org}));
    let v = s.tool("create_organization", json!({"name": "After The Storm"}));
    assert_eq!(v["organization"]["name"], "After The Storm");
    s.stop();
    eprintln!(
        "bad-input stdio: {} hostile lines, each followed by an answered ping ({answered_hostile} \
         answered, {silent} dropped silently as unparsable JSON); store unchanged \
         ({audited} error audit rows added); {:.1} s",
        cases.len(),
        started.elapsed().as_secs_f64()
    );
}
