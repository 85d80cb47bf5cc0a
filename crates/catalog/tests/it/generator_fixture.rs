//! The build script's OSCAL reader, run on a small invented catalog (no NIST text): official
//! order by sort-id with ties broken by id, withdrawn elements and links, risk parties,
//! examples in array order, and clear errors on malformed input.

use csf_catalog_oscal as oscal;
use serde_json::json;

fn sub(id: &str, sort: &str, extra: serde_json::Value) -> serde_json::Value {
    let mut v = json!({
        "id": id, "class": "subcategory", "title": id,
        "props": [{"name": "sort-id", "value": sort}],
        "parts": [{"id": format!("{id}_statement"), "name": "statement", "prose": format!("Invented outcome {id}")}]
    });
    if let Some(o) = extra.as_object() {
        for (k, x) in o {
            match k.as_str() {
                "props" => v["props"]
                    .as_array_mut()
                    .unwrap()
                    .extend(x.as_array().unwrap().clone()),
                "parts" => v["parts"]
                    .as_array_mut()
                    .unwrap()
                    .extend(x.as_array().unwrap().clone()),
                _ => {
                    v[k] = x.clone();
                }
            }
        }
    }
    v
}

fn fixture() -> serde_json::Value {
    json!({"catalog": {
        "uuid": "00000000-0000-0000-0000-000000000000",
        "metadata": {"title": "Invented Framework", "version": "9.9", "oscal-version": "1.2.2", "last-modified": "2026-01-01T00:00:00Z"},
        "groups": [
            {"id": "ZB", "class": "function", "title": "SECOND", "props": [{"name": "sort-id", "value": "002"}],
             "parts": [{"id": "ZB_overview", "name": "overview", "prose": "Second function overview"}],
             "controls": []},
            {"id": "ZA", "class": "function", "title": "FIRST", "props": [{"name": "sort-id", "value": "001"}],
             "parts": [{"id": "ZA_overview", "name": "overview", "prose": "First function overview"}],
             "controls": [
                {"id": "ZA.QQ", "class": "category", "title": "Quux", "props": [{"name": "sort-id", "value": "001.002"}],
                 "parts": [{"id": "ZA.QQ_statement", "name": "statement", "prose": "Quux statement"}],
                 "controls": [
                    sub("ZA.QQ-02", "001.002.001", json!({"props": [{"name": "risk-party", "value": "3rd"}]})),
                    sub("ZA.QQ-01", "001.002.001", json!({"props": [{"name": "risk-party", "value": "1st"}, {"name": "risk-party", "value": "3rd"}],
                        "parts": [{"id": "ZA.QQ-01.007", "name": "example", "prose": "Ex seven"}, {"id": "ZA.QQ-01.003", "name": "example", "prose": "Ex three"}]})),
                    sub("ZA.QQ-03", "001.002.000", json!({"props": [{"name": "status", "value": "withdrawn"}],
                        "links": [{"href": "ZA.AA-01", "rel": "moved_to"}, {"href": "#ZA.QQ-01", "rel": "incorporated_into"}]}))
                 ]},
                {"id": "ZA.AA", "class": "category", "title": "Old", "props": [{"name": "sort-id", "value": "001.002"}, {"name": "status", "value": "withdrawn"}],
                 "parts": [{"id": "ZA.AA_statement", "name": "statement"}],
                 "controls": [sub("ZA.AA-01", "001.001.001", json!({}))]}
             ]}
        ]
    }})
}

#[test]
fn reads_in_official_order_with_withdrawn_links_and_examples() {
    let p = oscal::parse(&fixture().to_string()).unwrap();
    assert_eq!(p.meta.title, "Invented Framework");
    let ids: Vec<&str> = p.functions.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["ZA", "ZB"], "functions by sort-id");
    let za = &p.functions[0];
    let cats: Vec<&str> = za.categories.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(cats, ["ZA.AA", "ZA.QQ"], "equal sort-ids break ties by id");
    let old = &za.categories[0];
    assert!(old.withdrawn && old.statement.is_none());
    let qq = &za.categories[1];
    let subs: Vec<&str> = qq.subcategories.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(subs, ["ZA.QQ-03", "ZA.QQ-01", "ZA.QQ-02"]);
    let w = &qq.subcategories[0];
    assert!(w.withdrawn);
    let links: Vec<(&str, &str)> = w
        .links
        .iter()
        .map(|l| (l.rel.as_str(), l.target.as_str()))
        .collect();
    assert_eq!(
        links,
        [("moved_to", "ZA.AA-01"), ("incorporated_into", "ZA.QQ-01")]
    );
    let s1 = &qq.subcategories[1];
    assert!(s1.first_party && s1.third_party);
    let ex: Vec<&str> = s1.examples.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ex,
        ["ZA.QQ-01.007", "ZA.QQ-01.003"],
        "examples keep array order"
    );
    let s2 = &qq.subcategories[2];
    assert!(!s2.first_party && s2.third_party && s2.examples.is_empty());
}

#[test]
fn malformed_catalogs_are_refused_with_a_reason() {
    assert!(oscal::parse("not json").unwrap_err().contains("not JSON"));
    assert!(oscal::parse("{}").unwrap_err().contains("catalog"));
    let mut f = fixture();
    f["catalog"]["groups"][1]["controls"][0]["controls"][0]["props"][1]["value"] = json!("4th");
    assert!(oscal::parse(&f.to_string())
        .unwrap_err()
        .contains("risk-party"));
    let mut f = fixture();
    f["catalog"]["groups"][1]["controls"][0]["controls"][2]["links"][0]["rel"] =
        json!("replaced_by");
    assert!(oscal::parse(&f.to_string())
        .unwrap_err()
        .contains("link rel"));
    let mut f = fixture();
    f["catalog"]["groups"][1]["controls"][0]["parts"] = json!([]);
    assert!(oscal::parse(&f.to_string())
        .unwrap_err()
        .contains("without statement"));
    let mut f = fixture();
    f["catalog"]["groups"] = json!([]);
    assert!(oscal::parse(&f.to_string())
        .unwrap_err()
        .contains("no function"));
}
