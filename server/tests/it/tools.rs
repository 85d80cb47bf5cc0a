//! Every tool, in process: schemas are flat with an object root, valid calls return
//! `structuredContent` that validates against the tool's `outputSchema`, and bad arguments come
//! back as `isError` results whose message says what would be valid.

use crate::support::{ok_on, refused_on, server};
use nist_csf_mcp::mcp::toolset;
use rmcp::model::JsonObject;
use serde_json::{json, Value};

async fn ok(name: &str, a: Value) -> Value {
    ok_on(&server(), name, a).await
}

async fn refused(name: &str, a: Value, needle: &str) {
    refused_on(&server(), name, a, needle).await
}

fn no_refs(v: &Value, path: &str) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                assert!(
                    k != "$ref" && k != "$defs" && k != "definitions",
                    "{path}/{k}"
                );
                no_refs(x, &format!("{path}/{k}"));
            }
        }
        Value::Array(a) => a.iter().for_each(|x| no_refs(x, path)),
        _ => {}
    }
}

#[test]
fn every_schema_is_flat_with_an_object_root_and_annotated() {
    let tools = toolset::all();
    assert!(tools.len() >= 6);
    let mut names = std::collections::HashSet::new();
    for t in tools {
        let d = t.descriptor();
        assert!(names.insert(d.name.to_string()), "duplicate {}", d.name);
        let input = Value::Object(d.input_schema.as_ref().clone());
        let output = Value::Object(d.output_schema.clone().unwrap().as_ref().clone());
        for (kind, s) in [("input", &input), ("output", &output)] {
            assert_eq!(s["type"], "object", "{} {kind}", d.name);
            no_refs(s, &format!("{}:{kind}", d.name));
            jsonschema::validator_for(s).unwrap();
        }
        assert!(d.title.is_some() && d.description.is_some(), "{}", d.name);
        let ann = d.annotations.unwrap();
        assert!(ann.read_only_hint.is_some() && ann.open_world_hint == Some(false));
    }
}

#[tokio::test]
async fn csf_lookup_valid_and_invalid() {
    let v = ok("csf_lookup", json!({"id": "gv.oc-1"})).await;
    assert_eq!(v["id"], "GV.OC-01");
    assert_eq!(v["resolved_from"], "gv.oc-1");
    assert_eq!(v["parents"][0]["id"], "GV.OC");
    assert_eq!(v["parents"][1]["id"], "GV");
    assert!(!v["examples"].as_array().unwrap().is_empty());
    let f = ok("csf_lookup", json!({"id": "PR", "detail": "summary"})).await;
    assert_eq!(
        f["children"].as_array().unwrap().len(),
        5,
        "5 active PR categories"
    );
    let w = ok("csf_lookup", json!({"id": "PR.AC-01", "detail": "full"})).await;
    assert_eq!(w["status"], "withdrawn");
    assert!(!w["withdrawn_to"].as_array().unwrap().is_empty());
    let full = ok("csf_lookup", json!({"id": "GV.OC-05", "detail": "full"})).await;
    assert!(!full["csf11_predecessors"].as_array().unwrap().is_empty());
    let ex = ok("csf_lookup", json!({"id": "gv.oc-01.1"})).await;
    assert_eq!(ex["kind"], "implementation_example");

    refused(
        "csf_lookup",
        json!({"id": "GV.OC-99"}),
        "did you mean GV.OC-0",
    )
    .await;
    refused("csf_lookup", json!({"id": 7}), "expected a string").await;
    refused("csf_lookup", json!({}), "missing field `id`").await;
    refused(
        "csf_lookup",
        json!({"id": "GV", "bogus": 1}),
        "unknown field",
    )
    .await;
    refused(
        "csf_lookup",
        json!({"id": "GV", "detail": "max"}),
        "summary",
    )
    .await;
    refused(
        "csf_lookup",
        json!({"id": "X".repeat(100_000)}),
        "at most 64",
    )
    .await;
}

#[tokio::test]
async fn search_framework_ranks_filters_and_pages() {
    let v = ok("search_framework", json!({"query": "MFA"})).await;
    let ids: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids[..3].contains(&"PR.AA-03"), "{ids:?}");
    assert!(v["expanded_with"].as_array().unwrap().len() > 1);

    let sc = ok(
        "search_framework",
        json!({"query": "supply chain risk", "limit": 5}),
    )
    .await;
    assert!(sc["results"][0]["id"]
        .as_str()
        .unwrap()
        .starts_with("GV.SC"));
    // Pages are disjoint and the total is stable.
    let next = sc["next_cursor"].as_str().unwrap().to_string();
    let p2 = ok(
        "search_framework",
        json!({"query": "supply chain risk", "limit": 5, "cursor": next}),
    )
    .await;
    assert_eq!(p2["total"], sc["total"]);
    for r in p2["results"].as_array().unwrap() {
        assert!(!sc["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == r["id"]));
    }
    // Withdrawn elements only when asked for; filters hold.
    let all = ok(
        "search_framework",
        json!({"query": "access", "include_withdrawn": true, "limit": 50}),
    )
    .await;
    assert!(all["results"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["status"] == "withdrawn"));
    let act = ok("search_framework", json!({"query": "access", "limit": 50})).await;
    assert!(act["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["status"] == "active"));
    let pr = ok(
        "search_framework",
        json!({"query": "access", "function": "pr", "element_types": ["subcategory"]}),
    )
    .await;
    for r in pr["results"].as_array().unwrap() {
        assert!(r["id"].as_str().unwrap().starts_with("PR.") && r["kind"] == "subcategory");
    }

    // Practitioner jargon reaches the outcome; a query the framework has no words for says so.
    let edr = ok("search_framework", json!({"query": "EDR", "limit": 5})).await;
    assert!(
        edr["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "DE.CM-09"),
        "{edr}"
    );
    assert_eq!(edr["weak_match"], false);
    let weak = ok(
        "search_framework",
        json!({"query": "kubernetes admission webhook policy"}),
    )
    .await;
    assert_eq!(weak["weak_match"], true, "{weak}");
    let cats = weak["suggested_categories"].as_array().unwrap();
    assert!(!cats.is_empty() && cats.iter().all(|c| c["kind"] == "category"));
    let none = ok("search_framework", json!({"query": "quantum synergy"})).await;
    assert_eq!(none["weak_match"], true);
    assert_eq!(none["total"], 0);

    refused(
        "search_framework",
        json!({"query": "the"}),
        "no searchable words",
    )
    .await;
    refused(
        "search_framework",
        json!({"query": "x", "limit": 0}),
        "between 1 and 50",
    )
    .await;
    refused(
        "search_framework",
        json!({"query": "x", "function": "PR.AA"}),
        "function id",
    )
    .await;
    refused(
        "search_framework",
        json!({"query": "x", "cursor": "o5.deadbeef"}),
        "cursor",
    )
    .await;
    refused(
        "search_framework",
        json!({"query": "x", "element_types": ["policy"]}),
        "subcategory",
    )
    .await;
    refused(
        "search_framework",
        json!({"query": "y".repeat(10_000)}),
        "at most 512",
    )
    .await;
}

#[tokio::test]
async fn list_framework_tree_and_counts() {
    let c = ok("list_framework", json!({"view": "counts"})).await;
    assert_eq!(c["counts"]["categories"], 22);
    assert_eq!(c["counts"]["subcategories"], 106);
    let t = ok("list_framework", json!({})).await;
    let funcs = t["functions"].as_array().unwrap();
    let order: Vec<&str> = funcs.iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert_eq!(order, ["GV", "ID", "PR", "DE", "RS", "RC"]);
    let gv: Vec<&str> = funcs[0]["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(gv, ["GV.OC", "GV.RM", "GV.RR", "GV.PO", "GV.OV", "GV.SC"]);
    let n: usize = funcs
        .iter()
        .flat_map(|f| f["categories"].as_array().unwrap())
        .map(|c| c["subcategories"].as_array().unwrap().len())
        .sum();
    assert_eq!(n, 106);
    let one = ok(
        "list_framework",
        json!({"function": "rc", "include_withdrawn": true}),
    )
    .await;
    assert_eq!(one["functions"].as_array().unwrap().len(), 1);
    refused("list_framework", json!({"view": "graph"}), "tree").await;
    refused(
        "list_framework",
        json!({"function": "ZZ"}),
        "unknown CSF 2.0 id",
    )
    .await;
}

#[tokio::test]
async fn examples_crosswalk_related() {
    let e = ok(
        "get_implementation_examples",
        json!({"id": "GV.SC", "limit": 3}),
    )
    .await;
    assert_eq!(e["examples"].as_array().unwrap().len(), 3);
    assert!(e["total"].as_u64().unwrap() > 3 && e["next_cursor"].is_string());
    let all = ok(
        "get_implementation_examples",
        json!({"id": "GV", "limit": 100}),
    )
    .await;
    assert!(all["total"].as_u64().unwrap() > 50);
    refused(
        "get_implementation_examples",
        json!({"id": "PR.AC-01"}),
        "withdrawn",
    )
    .await;
    refused(
        "get_implementation_examples",
        json!({"id": "GV", "limit": 101}),
        "between 1 and 100",
    )
    .await;

    let f = ok("csf_crosswalk", json!({"id": "PR.AC-1"})).await;
    assert_eq!(f["direction"], "csf11_to_csf20");
    assert!(f["successors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == "PR.AA-01"));
    let r = ok("csf_crosswalk", json!({"id": "PR.AA-01"})).await;
    assert_eq!(r["direction"], "csf20_to_csf11");
    assert!(r["predecessors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == "PR.AC-01"));
    let cat = ok("csf_crosswalk", json!({"id": "DE.DP"})).await;
    assert!(cat["successors"].as_array().unwrap().is_empty());
    assert!(!cat["subcategory_moves"].as_array().unwrap().is_empty());
    refused("csf_crosswalk", json!({"id": "ZZ.ZZ-01"}), "unknown").await;

    let rel = ok(
        "get_related_subcategories",
        json!({"id": "pr.aa-03", "limit": 5}),
    )
    .await;
    let list = rel["related"].as_array().unwrap();
    assert!(!list.is_empty() && list.len() <= 5);
    assert!(list
        .iter()
        .all(|x| x["id"] != "PR.AA-03" && !x["bases"].as_array().unwrap().is_empty()));
    refused(
        "get_related_subcategories",
        json!({"id": "PR"}),
        "active subcategory",
    )
    .await;
    refused(
        "get_related_subcategories",
        json!({"id": "PR.AC-01"}),
        "withdrawn",
    )
    .await;
}

#[tokio::test]
async fn unknown_tool_is_not_a_tool_result() {
    assert!(server()
        .call("no_such_tool", JsonObject::new())
        .await
        .is_none());
}

#[tokio::test]
async fn informative_references_both_directions() {
    let f = ok("get_informative_references", json!({"id": "pr.aa-03"})).await;
    assert_eq!(f["direction"], "from_csf");
    let keys: Vec<&str> = f["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["dataset"]["key"].as_str().unwrap())
        .collect();
    assert!(keys.contains(&"sp800-53r5.2.0"), "{keys:?}");
    let only = ok(
        "get_informative_references",
        json!({"id": "PR.AA-03", "dataset": "SP 800-171 Rev 3"}),
    )
    .await;
    assert!(only["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["dataset"]["key"] == "sp800-171r3"));

    let r = ok("get_informative_references", json!({"id": "ia-2"})).await;
    assert_eq!(r["direction"], "to_csf");
    let ids: Vec<&str> = r["cited_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"PR.AA-03"), "{ids:?}");
    // A CSF 1.1 id is a reference id of the CSF v1.1 dataset.
    let v11 = ok("get_informative_references", json!({"id": "PR.AC-7"})).await;
    assert_eq!(v11["direction"], "to_csf");
    assert!(v11["cited_by"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["datasets"] == json!(["CSF v1.1"])));

    refused(
        "get_informative_references",
        json!({"id": "IA-99"}),
        "nearest reference ids",
    )
    .await;
    refused(
        "get_informative_references",
        json!({"id": "PR", "dataset": "800-53"}),
        "ambiguous",
    )
    .await;
    refused(
        "get_informative_references",
        json!({"id": "PR", "dataset": "iso"}),
        "datasets are",
    )
    .await;

    let with = ok(
        "csf_lookup",
        json!({"id": "PR.AA-03", "include_references": true}),
    )
    .await;
    assert!(with["references"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["dataset"] == "sp800-53r5.2.0"));
    let without = ok("csf_lookup", json!({"id": "PR.AA-03"})).await;
    assert!(without["references"].as_array().unwrap().is_empty());

    let s = ok(
        "search_framework",
        json!({"query": "IA-2 multi-factor", "limit": 3}),
    )
    .await;
    assert_eq!(s["results"][0]["id"], "PR.AA-03", "{s}");

    let c = ok("compare_sp800_53_mappings", json!({})).await;
    assert!(!c["changes"].as_array().unwrap().is_empty());
    assert_eq!(c["to"]["key"], "sp800-53r5.2.0");
    let one = ok("compare_sp800_53_mappings", json!({"id": "GV.OC-01"})).await;
    assert!(one["changes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["csf_id"] == "GV.OC-01"));
}
