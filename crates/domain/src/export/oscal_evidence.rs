//! Evidence-register items in an OSCAL assessment-results document: each item linked to the
//! profile becomes one back-matter resource (title, kind, sensitivity, owner, dates; its
//! location as an rlink carrying the SHA-256 where known), and each observation of a linked
//! subcategory points at it with a `relevant-evidence` href `#<resource uuid>`. Items are
//! metadata: nothing is fetched to build the document.

use csf_store::EvidenceItem;
use serde_json::{json, Value};

use crate::ids::stable_uuid;

/// The back-matter resource UUID of an item within one document (`doc_key`: profile and
/// timestamp), so the same data gives the same document.
fn resource_uuid(doc_key: &str, item: &EvidenceItem) -> String {
    stable_uuid("oscal-evidence", &format!("{doc_key}|{}", item.id))
}

fn prop(ns: &str, name: &str, value: impl Into<String>) -> Value {
    json!({"name": name, "ns": ns, "value": value.into()})
}

/// Items of `evidence` linked to `profile`, in id order.
fn linked<'a>(evidence: &'a [EvidenceItem], profile: &str) -> Vec<&'a EvidenceItem> {
    let mut out: Vec<&EvidenceItem> = evidence
        .iter()
        .filter(|i| i.links.iter().any(|l| l.profile_id.as_str() == profile))
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// `relevant-evidence` entries for one subcategory's observation.
pub(crate) fn relevant_evidence(
    evidence: &[EvidenceItem],
    profile: &str,
    subcategory: &str,
    doc_key: &str,
) -> Vec<Value> {
    linked(evidence, profile)
        .into_iter()
        .filter(|i| {
            i.links
                .iter()
                .any(|l| l.profile_id.as_str() == profile && l.subcategory_id == subcategory)
        })
        .map(|i| {
            json!({
                "href": format!("#{}", resource_uuid(doc_key, i)),
                "description": format!("Evidence register item {}: {}", i.id, i.title),
            })
        })
        .collect()
}

/// A reference OSCAL accepts as a URI reference: no whitespace or control characters.
fn uri_like(s: &str) -> bool {
    !s.is_empty() && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// One back-matter resource per item linked to the profile.
pub(crate) fn resources(
    evidence: &[EvidenceItem],
    profile: &str,
    doc_key: &str,
    ns: &str,
) -> Vec<Value> {
    linked(evidence, profile)
        .into_iter()
        .map(|i| {
            let kind = serde_json::to_value(i.kind).unwrap_or(Value::Null);
            let sensitivity = serde_json::to_value(i.sensitivity).unwrap_or(Value::Null);
            let mut props = vec![
                prop(ns, "evidence-id", i.id.as_str()),
                prop(ns, "evidence-kind", kind.as_str().unwrap_or("other")),
                prop(
                    ns,
                    "sensitivity",
                    sensitivity.as_str().unwrap_or("internal"),
                ),
            ];
            if let Some(o) = &i.owner {
                props.push(prop(ns, "owner", o.as_str()));
            }
            if let Some(d) = i.collected_on {
                props.push(prop(ns, "collected-on", d.to_string()));
            }
            if let Some(d) = i.review_by {
                props.push(prop(ns, "review-by", d.to_string()));
            }
            let href = i.location.as_deref().filter(|l| uri_like(l));
            if href.is_none() {
                // A reference with spaces is no URI: kept as a prop, with the hash beside it.
                if let Some(l) = &i.location {
                    props.push(prop(ns, "location", l.as_str()));
                }
                if let Some(h) = &i.sha256 {
                    props.push(prop(ns, "content-sha256", h.as_str()));
                }
            }
            let subs: Vec<&str> = i
                .links
                .iter()
                .filter(|l| l.profile_id.as_str() == profile)
                .map(|l| l.subcategory_id.as_str())
                .collect();
            let mut res = json!({
                "uuid": resource_uuid(doc_key, i),
                "title": i.title,
                "description": format!(
                    "Evidence for {} (metadata from the evidence register; the content was not \
                     read).",
                    subs.join(", ")
                ),
                "props": props,
            });
            if let Some(href) = href {
                let mut rlink = json!({"href": href});
                if let Some(h) = &i.sha256 {
                    rlink["hashes"] = json!([{"algorithm": "SHA-256", "value": h}]);
                }
                res["rlinks"] = json!([rlink]);
            }
            res
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use csf_store::{EvidenceId, EvidenceKind, EvidenceLink, OrgId, ProfileId, Sensitivity};

    fn item(n: u8, location: Option<&str>, sha: Option<&str>, sub: &str) -> EvidenceItem {
        let at = "2026-01-01T00:00:00Z".parse().unwrap();
        EvidenceItem {
            id: EvidenceId::parse(&format!("evd_01J{n:023}")).unwrap(),
            org_id: OrgId::parse(&format!("org_01J{:023}", 1)).unwrap(),
            title: format!("Invented {n}"),
            kind: EvidenceKind::Log,
            location: location.map(str::to_owned),
            sha256: sha.map(str::to_owned),
            owner: None,
            collected_on: None,
            review_by: None,
            sensitivity: Sensitivity::Restricted,
            created_at: at,
            created_by: "t".into(),
            updated_at: at,
            updated_by: "t".into(),
            links: vec![EvidenceLink {
                profile_id: ProfileId::parse(&format!("prof_01J{:023}", 1)).unwrap(),
                subcategory_id: sub.into(),
                linked_at: at,
                linked_by: "t".into(),
            }],
        }
    }

    #[test]
    fn locations_that_are_no_uri_become_props_and_citations_are_stable() {
        let profile = format!("prof_01J{:023}", 1);
        let hash = "ab".repeat(32);
        let items = vec![
            item(
                1,
                Some("Change board archive, folder 7"),
                Some(&hash),
                "GV.OC-01",
            ),
            item(2, None, Some(&hash), "GV.OC-02"),
            item(3, Some("https://siem.example/q"), None, "GV.OC-01"),
        ];
        let res = resources(&items, &profile, "k", "ns");
        assert_eq!(res.len(), 3);
        let names = |r: &Value| -> Vec<String> {
            r["props"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap().to_owned())
                .collect()
        };
        assert!(res[0].get("rlinks").is_none());
        assert!(names(&res[0]).contains(&"location".to_owned()));
        assert!(names(&res[0]).contains(&"content-sha256".to_owned()));
        assert!(res[1].get("rlinks").is_none());
        assert!(names(&res[1]).contains(&"content-sha256".to_owned()));
        assert_eq!(res[2]["rlinks"][0]["href"], "https://siem.example/q");
        assert!(res[2]["rlinks"][0].get("hashes").is_none());
        // GV.OC-01 cites items 1 and 3, by the same UUIDs as their resources.
        let cited = relevant_evidence(&items, &profile, "GV.OC-01", "k");
        let hrefs: Vec<&str> = cited.iter().map(|c| c["href"].as_str().unwrap()).collect();
        let want = [
            format!("#{}", res[0]["uuid"].as_str().unwrap()),
            format!("#{}", res[2]["uuid"].as_str().unwrap()),
        ];
        assert_eq!(hrefs, want.iter().map(String::as_str).collect::<Vec<_>>());
        // Another profile cites nothing and gets no resources.
        let other = format!("prof_01J{:023}", 2);
        assert!(resources(&items, &other, "k", "ns").is_empty());
        assert!(relevant_evidence(&items, &other, "GV.OC-01", "k").is_empty());
    }
}
