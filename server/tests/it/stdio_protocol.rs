//! The real binary over stdio, fed hostile input: malformed JSON-RPC, unknown methods, wrong
//! argument types, oversized strings, deep nesting, invalid UTF-8. Each gets a JSON-RPC error or
//! an `isError` result (or, for bytes that are not JSON-RPC at all, nothing) — never a crash or
//! a hang — and the next request still works. Every wait is bounded.

use crate::support::spawn;
use csf_testkit::stdio::StdioServer;
use csf_testkit::McpClient;
use serde_json::{json, Value};

fn start() -> StdioServer {
    spawn::stdio(&["--db", ":memory:"])
}

fn still_alive(s: &mut StdioServer) {
    let v = s.call("csf_lookup", json!({"id":"RC"}));
    assert_eq!(v["result"]["structuredContent"]["id"], "RC", "{v}");
}

#[test]
fn hostile_input_gets_errors_and_the_server_keeps_serving() {
    let mut s = start();

    // Not JSON at all, truncated JSON, deep nesting, invalid UTF-8, a JSON scalar.
    s.send_raw(b"garbage{");
    s.send_raw(b"{\"jsonrpc\":\"2.0\",\"id\":");
    s.send_raw(&[b'['; 100_000]);
    s.send_raw(&[0xff, 0xfe, b'{', 0x00, b'}']);
    s.send_raw(b"42");
    still_alive(&mut s);

    // Unknown method: JSON-RPC "method not found".
    s.send(json!({"jsonrpc":"2.0","id":2,"method":"no/such/method"}));
    assert_eq!(s.response(2)["error"]["code"], -32601);

    // Unknown tool: a protocol error naming the tools.
    let v = s.call("no_such_tool", json!({}));
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("csf_lookup"),
        "{v}"
    );

    // Wrong argument types and shapes: isError results that say what is expected.
    let v = s.call("search_framework", json!({"query": ["a"]}));
    assert_eq!(v["result"]["isError"], true, "{v}");
    let v = s.call("csf_lookup", json!({"id": null}));
    assert_eq!(v["result"]["isError"], true, "{v}");
    s.send(json!({"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"csf_lookup","arguments":[1,2]}}));
    let v = s.response(6);
    assert!(
        v.get("error").is_some() || v["result"]["isError"] == true,
        "{v}"
    );
    s.send(json!({"jsonrpc":"2.0","id":7,"method":"tools/call"}));
    assert!(s.response(7).get("error").is_some());

    // Oversized strings: refused with the limit, not processed.
    let v = s.call(
        "search_framework",
        json!({"query": "risk ".repeat(400_000)}),
    );
    assert!(
        v["result"]["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("at most 512"),
        "{v}"
    );
    let v = s.call("csf_lookup", json!({"id": "\u{0000}GV\u{202e}"}));
    assert_eq!(v["result"]["isError"], true, "{v}");

    // Duplicate keys: serde keeps the last; still a well-formed answer.
    s.send_raw(br#"{"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":"csf_lookup","arguments":{"id":"GV","id":"PR"}}}"#);
    assert!(s.response(10).get("result").is_some());

    still_alive(&mut s);

    // Closing stdin ends the session cleanly.
    s.stop();
}

#[test]
fn resources_and_completions_over_stdio() {
    let mut s = start();
    s.send(json!({"jsonrpc":"2.0","id":1,"method":"resources/list"}));
    let v = s.response(1);
    assert!(v["result"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["uri"] == "csf://framework"));
    s.send(json!({"jsonrpc":"2.0","id":2,"method":"resources/read","params":{"uri":"csf://element/pr.aa-3"}}));
    let v = s.response(2);
    let body: Value =
        serde_json::from_str(v["result"]["contents"][0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(body["id"], "PR.AA-03");
    s.send(json!({"jsonrpc":"2.0","id":3,"method":"resources/read","params":{"uri":"csf://element/XX.YY-99"}}));
    assert!(s.response(3).get("error").is_some());
    s.send(json!({"jsonrpc":"2.0","id":4,"method":"completion/complete","params":{
        "ref":{"type":"ref/resource","uri":"csf://element/{id}"},"argument":{"name":"id","value":"gv.o"}}}));
    let v = s.response(4);
    let values: Vec<&str> = v["result"]["completion"]["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert_eq!(values[0], "GV.OC");
    assert!(values.contains(&"GV.OC-01") && values.contains(&"GV.OV-03"));
    still_alive(&mut s);
}
