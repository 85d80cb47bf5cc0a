//! The register's three lists, as pure functions over items and entries.

use std::collections::HashSet;

use chrono::NaiveDate;
use csf_store::{AssessmentEntry, EvidenceItem, ImplementationStatus, ProfileId};
use schemars::JsonSchema;
use serde::Serialize;

/// Statuses that claim an outcome is in place; such an entry should have evidence.
pub const CLAIMED_IMPLEMENTED: [ImplementationStatus; 2] =
    [ImplementationStatus::Largely, ImplementationStatus::Fully];

/// An item whose review-by (expiry) date has passed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct StaleEvidence {
    pub evidence_id: String,
    pub title: String,
    pub review_by: NaiveDate,
    /// Days from `review_by` to the as-of date (at least 1).
    pub days_overdue: i64,
    /// How many entries it is linked to.
    pub links: usize,
}

/// An entry claimed as implemented (largely or fully) with no evidence item linked to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct MissingEvidence {
    pub profile_id: String,
    pub subcategory_id: String,
    pub status: ImplementationStatus,
    /// Free-text evidence references recorded inside the entry (not register items).
    pub inline_references: usize,
}

/// An item that supports no existing entry: never linked, or linked only to subcategories
/// that have no entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct UnusedEvidence {
    pub evidence_id: String,
    pub title: String,
    /// Links to subcategories that have no entry yet.
    pub dangling_links: usize,
}

/// Items whose review date is before `as_of`, oldest review date first (then by id).
pub fn stale_evidence(items: &[EvidenceItem], as_of: NaiveDate) -> Vec<StaleEvidence> {
    let mut out: Vec<StaleEvidence> = items
        .iter()
        .filter_map(|i| {
            let review_by = i.review_by.filter(|r| *r < as_of)?;
            Some(StaleEvidence {
                evidence_id: i.id.to_string(),
                title: i.title.clone(),
                review_by,
                days_overdue: (as_of - review_by).num_days(),
                links: i.links.len(),
            })
        })
        .collect();
    out.sort_by(|a, b| (a.review_by, &a.evidence_id).cmp(&(b.review_by, &b.evidence_id)));
    out
}

/// Entries of `profile` claimed as implemented with no item linked to them, in subcategory
/// order.
pub fn implemented_without_evidence(
    profile: &ProfileId,
    entries: &[AssessmentEntry],
    items: &[EvidenceItem],
) -> Vec<MissingEvidence> {
    let linked: HashSet<&str> = items
        .iter()
        .flat_map(|i| &i.links)
        .filter(|l| &l.profile_id == profile)
        .map(|l| l.subcategory_id.as_str())
        .collect();
    let mut out: Vec<MissingEvidence> = entries
        .iter()
        .filter(|e| &e.profile_id == profile)
        .filter(|e| CLAIMED_IMPLEMENTED.contains(&e.status))
        .filter(|e| !linked.contains(e.subcategory_id.as_str()))
        .map(|e| MissingEvidence {
            profile_id: e.profile_id.to_string(),
            subcategory_id: e.subcategory_id.clone(),
            status: e.status,
            inline_references: e.evidence.len(),
        })
        .collect();
    out.sort_by(|a, b| a.subcategory_id.cmp(&b.subcategory_id));
    out
}

/// Items with no link to an existing entry (`entries` holds every entry of every profile the
/// items link to), in id order.
pub fn unused_evidence(items: &[EvidenceItem], entries: &[AssessmentEntry]) -> Vec<UnusedEvidence> {
    let existing: HashSet<(&str, &str)> = entries
        .iter()
        .map(|e| (e.profile_id.as_str(), e.subcategory_id.as_str()))
        .collect();
    let mut out: Vec<UnusedEvidence> = items
        .iter()
        .filter(|i| {
            !i.links
                .iter()
                .any(|l| existing.contains(&(l.profile_id.as_str(), l.subcategory_id.as_str())))
        })
        .map(|i| UnusedEvidence {
            evidence_id: i.id.to_string(),
            title: i.title.clone(),
            dangling_links: i.links.len(),
        })
        .collect();
    out.sort_by(|a, b| a.evidence_id.cmp(&b.evidence_id));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use csf_store::{EvidenceId, EvidenceKind, EvidenceLink, OrgId, Sensitivity};
    use ImplementationStatus as St;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn item(n: u8, review_by: Option<&str>, links: &[(&ProfileId, &str)]) -> EvidenceItem {
        let at = "2026-01-01T00:00:00Z".parse().unwrap();
        EvidenceItem {
            id: EvidenceId::parse(&format!("evd_01J0000000000000000000000{n}")).unwrap(),
            org_id: OrgId::parse("org_01J00000000000000000000000").unwrap(),
            title: format!("Invented item {n}"),
            kind: EvidenceKind::Report,
            location: Some(format!("dms:INV-{n}")),
            sha256: None,
            owner: None,
            collected_on: None,
            review_by: review_by.map(day),
            sensitivity: Sensitivity::Internal,
            created_at: at,
            created_by: "tester".into(),
            updated_at: at,
            updated_by: "tester".into(),
            links: links
                .iter()
                .map(|(p, s)| EvidenceLink {
                    profile_id: (*p).clone(),
                    subcategory_id: (*s).into(),
                    linked_at: at,
                    linked_by: "tester".into(),
                })
                .collect(),
        }
    }

    fn entry(p: &ProfileId, sub: &str, status: St, inline: usize) -> AssessmentEntry {
        let refs: Vec<_> = (0..inline)
            .map(|i| serde_json::json!({"title": format!("ref {i}"), "location": "dms:X"}))
            .collect();
        serde_json::from_value(serde_json::json!({
            "profile_id": p, "subcategory_id": sub, "status": status, "maturity": null,
            "priority": null, "owner": null, "target_date": null, "evidence": refs,
            "notes": null, "assessed_by": null, "confidence": null, "version": 1,
            "updated_at": "2026-01-05T10:00:00Z", "updated_by": "tester"}))
        .unwrap()
    }

    /// The fixture, computed by hand:
    /// - item 1 reviews 2026-03-01, item 2 2026-06-30, item 3 2026-06-01, item 4 none.
    ///   As of 2026-06-15: stale are 1 (106 days: 31+30+31+14) and 3 (14 days); 2 is due
    ///   later, 4 has no date. As of 2026-03-01 nothing is stale (the day itself is not past).
    /// - Profile P: AA-01 fully (item 1), AA-02 largely (nothing linked, 1 inline reference),
    ///   AA-03 partially (nothing), AA-04 fully (item 3 links it in profile Q only), AA-05
    ///   not implemented. Missing in P: AA-02 and AA-04.
    /// - Unused: item 2 (linked to AA-09 in P, which has no entry) and item 4 (no links);
    ///   item 3 is used (Q/AA-04 exists).
    #[test]
    fn hand_computed_fixture() {
        let p = ProfileId::parse("prof_01J00000000000000000000001").unwrap();
        let q = ProfileId::parse("prof_01J00000000000000000000002").unwrap();
        let items = vec![
            item(1, Some("2026-03-01"), &[(&p, "ZZ.AA-01")]),
            item(2, Some("2026-06-30"), &[(&p, "ZZ.AA-09")]),
            item(3, Some("2026-06-01"), &[(&q, "ZZ.AA-04")]),
            item(4, None, &[]),
        ];
        let entries = vec![
            entry(&p, "ZZ.AA-01", St::Fully, 0),
            entry(&p, "ZZ.AA-02", St::Largely, 1),
            entry(&p, "ZZ.AA-03", St::Partially, 0),
            entry(&p, "ZZ.AA-04", St::Fully, 0),
            entry(&p, "ZZ.AA-05", St::NotImplemented, 0),
            entry(&q, "ZZ.AA-04", St::Fully, 0),
        ];

        let stale = stale_evidence(&items, day("2026-06-15"));
        let got: Vec<(&str, i64)> = stale
            .iter()
            .map(|s| (&s.evidence_id[..], s.days_overdue))
            .collect();
        assert_eq!(
            got,
            vec![
                ("evd_01J00000000000000000000001", 106),
                ("evd_01J00000000000000000000003", 14)
            ]
        );
        assert!(stale_evidence(&items, day("2026-03-01")).is_empty());

        let missing = implemented_without_evidence(&p, &entries, &items);
        let got: Vec<(&str, St, usize)> = missing
            .iter()
            .map(|m| (&m.subcategory_id[..], m.status, m.inline_references))
            .collect();
        assert_eq!(
            got,
            vec![("ZZ.AA-02", St::Largely, 1), ("ZZ.AA-04", St::Fully, 0)]
        );
        assert!(implemented_without_evidence(&q, &entries, &items).is_empty());

        let unused = unused_evidence(&items, &entries);
        let got: Vec<(&str, usize)> = unused
            .iter()
            .map(|u| (&u.evidence_id[..], u.dangling_links))
            .collect();
        assert_eq!(
            got,
            vec![
                ("evd_01J00000000000000000000002", 1),
                ("evd_01J00000000000000000000004", 0)
            ]
        );
    }
}
