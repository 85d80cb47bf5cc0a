//! Fidelity against NIST's official catalog: reads the real file (data/ or ../shared), parses it
//! independently of the build script, and proves the compiled tables serve exactly NIST's data.
//! No catalog text is written in this file: every expected value is read from the source.

use std::collections::BTreeMap;

use serde_json::Value;

fn catalog_json() -> Value {
    let text = crate::nist_data::read(
        "CSF_CATALOG",
        "NIST_CSF_v2.0_catalog.json",
        "the official catalog",
    );
    serde_json::from_str(&text).unwrap()
}

fn arr<'a>(v: &'a Value, k: &str) -> Vec<&'a Value> {
    v.get(k)
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}
fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap()
}
fn prop<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    arr(v, "props")
        .into_iter()
        .find(|p| p["name"] == name)
        .map(|p| s(p, "value"))
}
fn part<'a>(v: &'a Value, name: &str) -> Vec<&'a Value> {
    arr(v, "parts")
        .into_iter()
        .filter(|p| p["name"] == name)
        .collect()
}
fn withdrawn(v: &Value) -> bool {
    prop(v, "status") == Some("withdrawn")
}
/// Official order: sort-id, ties broken by id.
fn ordered(mut v: Vec<&Value>) -> Vec<&Value> {
    v.sort_by_key(|x| {
        (
            prop(x, "sort-id").unwrap().to_string(),
            s(x, "id").to_string(),
        )
    });
    v
}

#[test]
fn counts_match_the_official_catalog() {
    let c = csf_catalog::counts();
    assert_eq!(
        (c.functions, c.active_categories, c.active_subcategories),
        (6, 22, 106)
    );
    assert_eq!(c.implementation_examples, 363);
    assert_eq!(
        (c.withdrawn_categories, c.withdrawn_subcategories),
        (12, 79)
    );
    let per_function: Vec<(&str, usize, usize)> = csf_catalog::functions()
        .iter()
        .map(|f| {
            (
                f.id,
                f.active_categories().count(),
                f.subcategories().filter(|s| !s.withdrawn).count(),
            )
        })
        .collect();
    assert_eq!(
        per_function,
        [
            ("GV", 6, 31),
            ("ID", 3, 21),
            ("PR", 5, 22),
            ("DE", 2, 11),
            ("RS", 4, 13),
            ("RC", 2, 8)
        ]
    );
}

#[test]
fn every_text_is_identical_and_in_official_order() {
    let doc = catalog_json();
    let cat = &doc["catalog"];
    let meta = csf_catalog::meta();
    assert_eq!(meta.title, s(&cat["metadata"], "title"));
    assert_eq!(meta.version, s(&cat["metadata"], "version"));

    let groups = ordered(arr(cat, "groups"));
    let funcs = csf_catalog::functions();
    assert_eq!(funcs.len(), groups.len());
    let (mut n_cat, mut n_sub, mut n_ex) = (0, 0, 0);
    for (f, g) in funcs.iter().zip(&groups) {
        assert_eq!(f.id, s(g, "id"));
        assert_eq!(f.title, s(g, "title"));
        assert_eq!(f.overview, s(part(g, "overview")[0], "prose"));
        let cats = ordered(arr(g, "controls"));
        assert_eq!(f.categories().len(), cats.len(), "{}", f.id);
        for (c, jc) in f.categories().iter().zip(&cats) {
            n_cat += 1;
            assert_eq!(c.id, s(jc, "id"));
            assert_eq!(c.title, s(jc, "title"));
            assert_eq!(c.withdrawn, withdrawn(jc), "{}", c.id);
            assert_eq!(
                c.statement,
                part(jc, "statement")[0]["prose"].as_str(),
                "{}",
                c.id
            );
            let subs = ordered(arr(jc, "controls"));
            assert_eq!(c.subcategories().len(), subs.len(), "{}", c.id);
            for (sc, js) in c.subcategories().iter().zip(&subs) {
                n_sub += 1;
                assert_eq!(sc.id, s(js, "id"));
                assert_eq!(sc.withdrawn, withdrawn(js), "{}", sc.id);
                assert_eq!(sc.statement, s(part(js, "statement")[0], "prose"));
                let parties: Vec<&str> = arr(js, "props")
                    .into_iter()
                    .filter(|p| p["name"] == "risk-party")
                    .map(|p| s(p, "value"))
                    .collect();
                assert_eq!(sc.risk.first_party, parties.contains(&"1st"), "{}", sc.id);
                assert_eq!(sc.risk.third_party, parties.contains(&"3rd"), "{}", sc.id);
                let examples = part(js, "example");
                assert_eq!(sc.examples().len(), examples.len(), "{}", sc.id);
                for (k, (e, je)) in sc.examples().iter().zip(&examples).enumerate() {
                    n_ex += 1;
                    assert_eq!(e.id, s(je, "id"));
                    assert_eq!(e.text, s(je, "prose"));
                    assert_eq!(usize::from(e.ordinal), k + 1);
                    // And the lookup path serves the same text.
                    let got = csf_catalog::get(e.id).unwrap();
                    assert_eq!(got.text(), Some(s(je, "prose")));
                }
                let links: Vec<(String, String)> = arr(js, "links")
                    .into_iter()
                    .map(|l| (s(l, "rel").to_string(), s(l, "href").to_string()))
                    .collect();
                let ours: Vec<(String, String)> = sc
                    .links()
                    .iter()
                    .map(|l| (l.rel.as_str().to_string(), l.target.to_string()))
                    .collect();
                assert_eq!(ours, links, "{}", sc.id);
            }
        }
    }
    assert_eq!((n_cat, n_sub, n_ex), (34, 185, 363));
}

#[test]
fn every_withdrawn_link_is_served_by_the_crosswalk_both_ways() {
    let doc = catalog_json();
    let mut links: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut withdrawn_ids = Vec::new();
    for g in arr(&doc["catalog"], "groups") {
        for c in arr(g, "controls") {
            for e in std::iter::once(c).chain(arr(c, "controls")) {
                if withdrawn(e) {
                    withdrawn_ids.push(s(e, "id").to_string());
                }
                for l in arr(e, "links") {
                    links
                        .entry(s(e, "id").to_string())
                        .or_default()
                        .push((s(l, "rel").to_string(), s(l, "href").to_string()));
                }
            }
        }
    }
    assert_eq!(withdrawn_ids.len(), 12 + 79);
    let mut n_links = 0;
    for id in &withdrawn_ids {
        let cw = csf_catalog::crosswalk(id).unwrap();
        assert_eq!(
            cw.direction,
            csf_catalog::CrosswalkDirection::Forward,
            "{id}"
        );
        let served: Vec<(String, String)> = cw
            .successors
            .iter()
            .map(|(rel, e)| (rel.as_str().to_string(), e.id().to_string()))
            .collect();
        let expected = links.get(id).cloned().unwrap_or_default();
        assert_eq!(served, expected, "forward crosswalk of {id}");
        for (rel, target) in &expected {
            n_links += 1;
            // The target is a live CSF 2.0 element, and the reverse crosswalk names the 1.1 id.
            let back = csf_catalog::crosswalk(target).unwrap();
            assert_eq!(back.direction, csf_catalog::CrosswalkDirection::Reverse);
            assert!(
                back.predecessors
                    .iter()
                    .any(|p| p.element.id() == id && p.rel.as_str() == rel),
                "reverse crosswalk of {target} lacks {id}"
            );
        }
    }
    assert_eq!(n_links, links.values().map(Vec::len).sum::<usize>());
    assert!(
        n_links > 79,
        "every withdrawn subcategory has at least one link"
    );
}
