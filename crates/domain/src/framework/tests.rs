//! The framework operations on the real compiled-in catalog. Expected values are read from the
//! catalog at run time (never NIST's text written here).

use serde_json::{json, Value};

use super::*;
use crate::Error;

fn req<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).unwrap()
}

fn to_json(v: impl serde::Serialize) -> Value {
    serde_json::to_value(v).unwrap()
}

/// The first withdrawn subcategory that NIST links to a successor.
fn withdrawn_subcategory() -> &'static csf_catalog::Subcategory {
    csf_catalog::subcategories()
        .iter()
        .find(|s| s.withdrawn && !s.links().is_empty())
        .unwrap()
}

#[test]
fn lookup_resolves_loose_ids_and_carries_the_catalog_text() {
    let out = lookup(req(json!({"id": "gv.oc-1"}))).unwrap();
    let sub = csf_catalog::ids::subcategory("GV.OC-01").unwrap();
    assert_eq!(out.element.id, sub.id);
    assert_eq!(out.element.text.as_deref(), Some(sub.statement));
    assert_eq!(out.resolved_from.as_deref(), Some("gv.oc-1"));
    let parents: Vec<&str> = out.parents.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(parents, ["GV.OC", "GV"]);
    assert_eq!(out.examples.len(), sub.examples().len());
    let mut parties = Vec::new();
    if sub.risk.first_party {
        parties.push(RiskParty::First);
    }
    if sub.risk.third_party {
        parties.push(RiskParty::Third);
    }
    assert_eq!(out.risk_parties, parties);
    // A summary leaves the examples out; a canonical id is not "resolved from" anything.
    let summary = lookup(req(json!({"id": "GV.OC-01", "detail": "summary"}))).unwrap();
    assert!(summary.examples.is_empty() && summary.resolved_from.is_none());
}

#[test]
fn lookup_lists_withdrawn_children_only_with_full_detail() {
    let f = csf_catalog::ids::function("PR").unwrap();
    let active = f.active_categories().count();
    assert!(active < f.categories().len(), "PR has withdrawn categories");
    let standard = lookup(req(json!({"id": "PR"}))).unwrap();
    assert_eq!(standard.children.len(), active);
    let full = lookup(req(json!({"id": "PR", "detail": "full"}))).unwrap();
    assert_eq!(full.children.len(), f.categories().len());
    let w = withdrawn_subcategory();
    let out = lookup(req(json!({"id": w.id}))).unwrap();
    assert_eq!(to_json(&out.element)["status"], "withdrawn");
    assert_eq!(out.withdrawn_to.len(), w.links().len());
}

#[test]
fn lookup_with_references_and_full_detail() {
    let out = lookup(req(
        json!({"id": "PR.AA-03", "include_references": true, "detail": "full"}),
    ))
    .unwrap();
    let counted: usize = out.references.iter().map(|r| r.count).sum();
    assert_eq!(counted, csf_catalog::references_of("PR.AA-03").len());
    assert!(!out.related.is_empty() && out.related.len() <= 5);
    let with_origin = lookup(req(json!({"id": "GV.OC-05", "detail": "full"}))).unwrap();
    assert!(!with_origin.csf11_predecessors.is_empty());
    let unknown = lookup(req(json!({"id": "GV.OC-99"}))).unwrap_err();
    assert!(unknown.to_string().contains("did you mean"), "{unknown}");
    assert!(lookup(req(json!({"id": "X".repeat(65)}))).is_err());
}

#[test]
fn element_doc_is_a_standard_lookup() {
    let doc = element_doc("pr.aa-3").unwrap();
    assert_eq!(doc.element.id, "PR.AA-03");
    assert!(doc.references.is_empty() && !doc.examples.is_empty());
    assert!(element_doc("XX.YY-99").is_err());
}

#[test]
fn search_filters_and_pages() {
    let first = search(req(json!({"query": "supply chain risk", "limit": 3}))).unwrap();
    assert_eq!(first.results.len(), 3);
    let next = first.next_cursor.clone().unwrap();
    let second = search(req(
        json!({"query": "supply chain risk", "limit": 3, "cursor": next}),
    ))
    .unwrap();
    assert_eq!(second.total, first.total);
    assert!(second
        .results
        .iter()
        .all(|r| first.results.iter().all(|f| f.element.id != r.element.id)));
    // A cursor belongs to its query.
    let other = search(req(json!({"query": "mfa", "cursor": first.next_cursor})));
    assert!(other.unwrap_err().to_string().contains("cursor"));
    let pr = search(req(
        json!({"query": "access", "function": "protect", "element_types": ["subcategory"]}),
    ))
    .unwrap();
    assert!(!pr.results.is_empty());
    for r in &pr.results {
        let v = to_json(&r.element);
        assert!(
            r.element.id.starts_with("PR.") && v["kind"] == "subcategory",
            "{v}"
        );
    }
    let e = search(req(json!({"query": "the"}))).unwrap_err();
    assert!(e.to_string().contains("no searchable words"));
}

#[test]
fn a_query_that_is_an_id_answers_with_that_element_and_points_to_lookup() {
    let out = search(req(json!({"query": " pr.aa-1 "}))).unwrap();
    assert_eq!(out.total, 1);
    assert_eq!(out.results[0].element.id, "PR.AA-01");
    assert!(out.hint.unwrap().contains("csf_lookup"));
    // A function id counts in capitals only: lower-case "de" stays a word.
    let f = search(req(json!({"query": "RS"}))).unwrap();
    assert_eq!(f.results[0].element.id, "RS");
    let word = search(req(json!({"query": "de"})));
    assert!(word.map_or(true, |o| o.hint.is_none() || o.total != 1));
    // With a filter the query is searched as words.
    let filtered = search(req(json!({"query": "PR.AA-01", "function": "PR"}))).unwrap();
    assert!(filtered.hint.is_none_or(|h| !h.contains("is the CSF id")));
}

#[test]
fn a_query_that_finds_nothing_says_what_to_do() {
    let out = search(req(json!({"query": "zzqxwv"}))).unwrap();
    assert_eq!(out.total, 0);
    assert!(out.weak_match);
    assert!(out.hint.unwrap().contains("csf_lookup"));
    let found = search(req(json!({"query": "supply chain risk"}))).unwrap();
    assert!(found.hint.is_none());
}

#[test]
fn search_filters_name_what_is_valid() {
    let e = search(req(json!({"query": "access", "function": "PR.AA"}))).unwrap_err();
    assert!(matches!(e, Error::Id(_)));
    assert!(e.to_string().contains("function id") && e.to_string().contains("GV, ID, PR"));
    let e = search(req(json!({"query": "access", "category": "PR.AA-01"}))).unwrap_err();
    assert!(e.to_string().contains("category"), "{e}");
    // A withdrawn category is a filter only when withdrawn elements are searched too.
    let cat = csf_catalog::categories()
        .iter()
        .find(|c| c.withdrawn)
        .unwrap();
    let e = search(req(json!({"query": "access", "category": cat.id}))).unwrap_err();
    assert!(e.to_string().contains("withdrawn"), "{e}");
    let within = search(req(
        json!({"query": "access", "category": cat.id, "include_withdrawn": true, "limit": 50}),
    ))
    .unwrap();
    assert!(within
        .results
        .iter()
        .all(|r| r.element.id.starts_with(cat.id)));
    let sub = withdrawn_subcategory();
    let e = search(req(
        json!({"query": "access", "category": sub.id, "include_withdrawn": true}),
    ));
    assert!(e.is_err(), "a subcategory is not a category filter");
}

#[test]
fn list_counts_and_tree_follow_the_catalog() {
    let c = csf_catalog::counts();
    let all = list(req(json!({}))).unwrap();
    assert_eq!(all.counts.subcategories, c.active_subcategories);
    let listed: usize = all
        .functions
        .iter()
        .flat_map(|f| &f.categories)
        .map(|c| c.subcategories.len())
        .sum();
    assert_eq!(listed, c.active_subcategories);
    assert!(all.functions[0].categories[0].text.is_none());
    let rc = list(req(
        json!({"function": "rc", "include_withdrawn": true, "with_text": true}),
    ))
    .unwrap();
    assert_eq!(rc.functions.len(), 1);
    let withdrawn = rc
        .functions
        .iter()
        .flat_map(|f| &f.categories)
        .filter(|c| to_json(c.status) == "withdrawn")
        .count();
    let expected = csf_catalog::ids::function("RC")
        .unwrap()
        .categories()
        .iter()
        .filter(|c| c.withdrawn)
        .count();
    assert_eq!(withdrawn, expected);
    let counts = list(req(json!({"view": "counts"}))).unwrap();
    assert!(counts.functions.is_empty());
    let e = list(req(json!({"function": "ZZ"}))).unwrap_err();
    assert!(e.to_string().contains("GV, ID, PR, DE, RS, RC"), "{e}");
    let doc = framework_doc();
    assert_eq!(doc.functions.len(), c.functions);
    assert_eq!(functions().len(), c.functions);
}

#[test]
fn examples_page_through_every_example_of_a_function() {
    let f = csf_catalog::ids::function("GV").unwrap();
    let expected: Vec<&str> = f
        .subcategories()
        .flat_map(|s| s.examples())
        .map(|x| x.id)
        .collect();
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = examples(req(json!({"id": "GV", "limit": 40, "cursor": cursor}))).unwrap();
        assert_eq!(page.total, expected.len());
        seen.extend(page.examples.into_iter().map(|x| x.id));
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen, expected);
    let w = withdrawn_subcategory();
    let e = examples(req(json!({"id": w.id}))).unwrap_err();
    assert!(e.to_string().contains(w.links()[0].target), "{e}");
    assert!(examples(req(json!({"id": "GV", "limit": 101}))).is_err());
}

#[test]
fn crosswalk_both_ways() {
    let w = withdrawn_subcategory();
    let fwd = crosswalk(req(json!({"id": w.id}))).unwrap();
    let v = to_json(&fwd);
    assert_eq!(v["direction"], "csf11_to_csf20");
    assert_eq!(fwd.successors.len(), w.links().len());
    let rel = to_json(w.links()[0].rel);
    assert_eq!(v["successors"][0]["relation"], rel);
    let target = w.links()[0].target;
    let back = to_json(crosswalk(req(json!({"id": target}))).unwrap());
    assert_eq!(back["direction"], "csf20_to_csf11");
    assert!(back["predecessors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == w.id));
    assert!(crosswalk(req(json!({"id": "ZZ.ZZ-01"}))).is_err());
}

#[test]
fn related_needs_an_active_subcategory() {
    let out = related(req(json!({"id": "pr.aa-03", "limit": 4}))).unwrap();
    assert!(!out.related.is_empty() && out.related.len() <= 4);
    let v = to_json(&out);
    for r in v["related"].as_array().unwrap() {
        for b in r["bases"].as_array().unwrap() {
            let basis = b["basis"].as_str().unwrap();
            assert!(
                ["same_category", "shared_csf11_origin", "text_similarity"].contains(&basis),
                "{b}"
            );
        }
    }
    let e = related(req(json!({"id": "PR"}))).unwrap_err();
    assert!(e.to_string().contains("active subcategory"), "{e}");
    let w = withdrawn_subcategory();
    let e = related(req(json!({"id": w.id}))).unwrap_err();
    assert!(e.to_string().contains("withdrawn") && e.to_string().contains(w.links()[0].target));
}

#[test]
fn references_both_ways() {
    let fwd = references(req(json!({"id": "PR.AA-03"}))).unwrap();
    assert_eq!(fwd.direction, DirectionTaken::FromCsf);
    assert_eq!(fwd.total, csf_catalog::references_of("PR.AA-03").len());
    let one = references(req(json!({"id": "PR.AA-03", "dataset": "sp800-171r3"}))).unwrap();
    assert!(one.datasets.iter().all(|g| g.dataset.key == "sp800-171r3"));
    let rev = references(req(json!({"id": "ia-2"}))).unwrap();
    assert_eq!(rev.direction, DirectionTaken::ToCsf);
    // Each citing element once, however many datasets cite it.
    let mut citing: Vec<&str> = csf_catalog::referencing("ia-2")
        .iter()
        .map(|r| r.csf_id)
        .collect();
    citing.sort_unstable();
    citing.dedup();
    assert_eq!(rev.total, citing.len());
    assert!(rev.total < csf_catalog::referencing("ia-2").len());
    // A withdrawn CSF 1.1 id read forwards says where to look instead.
    let w = withdrawn_subcategory();
    let old = references(req(json!({"id": w.id, "direction": "from_csf"}))).unwrap();
    assert!(old.note.contains("csf_crosswalk") && old.total == 0);
    let e = references(req(json!({"id": "IA-99"}))).unwrap_err();
    assert!(e.to_string().contains("nearest reference ids"), "{e}");
    let e = references(req(json!({"id": "PR", "dataset": "iso"}))).unwrap_err();
    assert!(e.to_string().contains("datasets are"), "{e}");
}

#[test]
fn mapping_changes_and_documents() {
    let all = sp800_53_changes(req(json!({}))).unwrap();
    assert_eq!(all.changes.len(), csf_catalog::sp800_53_changes().len());
    assert_eq!(all.to.key, csf_catalog::SP800_53_NEW);
    let id = all.changes[0].csf_id.clone();
    let one = sp800_53_changes(req(json!({"id": id}))).unwrap();
    assert!(one.changes.len() == 1 && one.changes[0].csf_id == id);
    let key = csf_catalog::datasets()[0].key;
    let doc = mapping_doc(key).unwrap();
    let rows = csf_catalog::all_references()
        .iter()
        .filter(|r| r.dataset().key == key)
        .count();
    assert_eq!(doc.rows.len(), rows);
    assert!(mapping_doc("iso").unwrap_err().to_string().contains(key));
}

#[test]
fn completion_of_ids_datasets_functions_and_scopes() {
    let c = complete::ids("gv.o", 100);
    assert!(c.values.starts_with(&["GV.OC".to_string()]), "{c:?}");
    assert!(c.values.iter().all(|v| v.starts_with("GV.O")));
    assert_eq!(c.total, c.values.len());
    // Implementation examples only once a subcategory is named; active before withdrawn.
    assert!(complete::ids("GV.OC-0", 100)
        .values
        .iter()
        .all(|v| v.len() <= 8));
    assert!(complete::ids("GV.OC-01", 100).values.len() > 1);
    let pr = complete::ids("PR.A", 100);
    let first_withdrawn = pr.values.iter().position(|v| v.starts_with("PR.AC"));
    let last_active = pr.values.iter().rposition(|v| v.starts_with("PR.AA"));
    assert!(first_withdrawn > last_active, "{pr:?}");
    let few = complete::ids("", 3);
    assert!(few.values.len() == 3 && few.has_more());
    assert_eq!(complete::functions("prot", 100).values, ["PR"]);
    assert!(complete::datasets("sp800-53", 100).values.len() > 1);
    let s = complete::scope("GV,pr.a", 100);
    assert!(s.values.contains(&"GV,PR.AA".to_string()), "{s:?}");
    assert!(
        s.values.iter().all(|v| !v.contains("PR.AC")),
        "withdrawn ids are no scope"
    );
}

#[test]
fn output_schemas_list_the_fixed_values() {
    let schema = |s: schemars::Schema| serde_json::to_string(&s).unwrap();
    let cw = schema(schemars::schema_for!(CrosswalkOutput));
    for v in [
        "csf11_to_csf20",
        "csf20_to_csf11",
        "incorporated_into",
        "moved_to",
        "withdrawn",
    ] {
        assert!(cw.contains(v), "{v}");
    }
    let refs = schema(schemars::schema_for!(ReferencesOutput));
    for v in [
        "from_csf",
        "to_csf",
        "olir_focal",
        "control_enhancement",
        "implementation_example",
    ] {
        assert!(refs.contains(v), "{v}");
    }
    let lk = schema(schemars::schema_for!(LookupOutput));
    assert!(lk.contains("\"1st\"") && lk.contains("\"3rd\""));
    assert!(schema(schemars::schema_for!(RelatedOutput)).contains("shared_csf11_origin"));
}
