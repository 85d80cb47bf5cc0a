//! The evidence register: items, partial updates, links to entries, removal, and bad input
//! that changes nothing.

use crate::suite::prelude::*;
use chrono::NaiveDate;
use csf_store::{
    EvidenceId, EvidenceItem, EvidenceKind, EvidencePatch, NewEvidence, Organization, Sensitivity,
};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn new_item(org: &Organization, title: &str) -> NewEvidence {
    NewEvidence {
        org_id: org.id.clone(),
        title: title.into(),
        kind: EvidenceKind::Policy,
        location: Some("https://intranet.example/isms/invented-policy".into()),
        sha256: None,
        owner: Some("Invented team".into()),
        collected_on: Some(day(2026, 1, 10)),
        review_by: Some(day(2027, 1, 10)),
        sensitivity: Sensitivity::Internal,
    }
}

fn register(s: &dyn Store, org: &Organization) -> Vec<EvidenceItem> {
    s.list_evidence(&org.id, None, &PageRequest::first(200))
        .unwrap()
        .items
}

pub fn evidence_create_get_update_list_delete(ctx: &Ctx) {
    let s = ctx.s();
    let by = principal("ev");
    let o = org(s, "Evidence org");
    let a = s.create_evidence(&new_item(&o, "Item A"), &by).unwrap();
    assert!(a.id.as_str().starts_with("evd_"));
    assert_eq!(a.created_by, by);
    assert_eq!(s.get_evidence(&a.id).unwrap(), a);
    let hash = "AB".repeat(32);
    let b = s
        .create_evidence(
            &NewEvidence {
                location: None,
                sha256: Some(format!("sha256:{hash}")),
                kind: EvidenceKind::Log,
                ..new_item(&o, "Item B")
            },
            &by,
        )
        .unwrap();
    assert_eq!(b.sha256.as_deref(), Some("ab".repeat(32).as_str()));

    // Partial update: absent keeps, null clears, a value sets.
    let patched = s
        .update_evidence(
            &a.id,
            &serde_json::from_value::<EvidencePatch>(serde_json::json!({
                "owner": null, "sensitivity": "restricted", "review_by": "2027-06-30"
            }))
            .unwrap(),
            &by,
        )
        .unwrap();
    assert_eq!(patched.owner, None);
    assert_eq!(patched.sensitivity, Sensitivity::Restricted);
    assert_eq!(patched.review_by, Some(day(2027, 6, 30)));
    assert_eq!(patched.title, a.title);
    assert_eq!(patched.location, a.location);
    assert_eq!(patched.collected_on, a.collected_on);

    // Listing in creation order, with paging.
    let first = s
        .list_evidence(&o.id, None, &PageRequest::first(1))
        .unwrap();
    assert_eq!(first.items, vec![patched.clone()]);
    let next = s
        .list_evidence(
            &o.id,
            None,
            &PageRequest {
                limit: 1,
                cursor: first.next_cursor,
            },
        )
        .unwrap();
    assert_eq!(next.items, vec![b.clone()]);
    assert_eq!(next.next_cursor, None);

    let gone = s.delete_evidence(&a.id).unwrap();
    assert_eq!(gone, patched);
    assert!(matches!(
        s.get_evidence(&a.id),
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(register(s, &o), vec![b]);
}

pub fn evidence_links_and_unlinks_keep_entries(ctx: &Ctx) {
    let s = ctx.s();
    let by = principal("ev-link");
    let o = org(s, "Link org");
    let p = profile(s, &o, ProfileKind::Current);
    s.record_entries(&p.id, &[entry("ZZ.AA-01", St::Fully)], &by)
        .unwrap();
    let entries_before = all_entries(s, &p.id);
    let a = s.create_evidence(&new_item(&o, "Item A"), &by).unwrap();
    let subs = vec!["ZZ.AA-01".to_owned(), "ZZ.AA-02".to_owned()];
    let linked = s.link_evidence(&a.id, &p.id, &subs, &by).unwrap();
    let got: Vec<(&str, &str)> = linked
        .links
        .iter()
        .map(|l| (l.profile_id.as_str(), l.subcategory_id.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![(p.id.as_str(), "ZZ.AA-01"), (p.id.as_str(), "ZZ.AA-02")]
    );
    // Linking again changes nothing.
    let again = s.link_evidence(&a.id, &p.id, &subs[..1], &by).unwrap();
    assert_eq!(again, linked);
    // Filter by profile.
    let other = profile(s, &o, ProfileKind::Target);
    assert_eq!(
        s.list_evidence(&o.id, Some(&p.id), &PageRequest::first(10))
            .unwrap()
            .items
            .len(),
        1
    );
    assert!(s
        .list_evidence(&o.id, Some(&other.id), &PageRequest::first(10))
        .unwrap()
        .items
        .is_empty());

    let after = s.unlink_evidence(&a.id, &p.id, &subs[..1], &by).unwrap();
    assert_eq!(after.links.len(), 1);
    assert_eq!(after.links[0].subcategory_id, "ZZ.AA-02");
    // Unlinking and deleting never touch entries.
    s.delete_evidence(&a.id).unwrap();
    assert_eq!(all_entries(s, &p.id), entries_before);
}

pub fn evidence_goes_with_profiles_and_organization(ctx: &Ctx) {
    let s = ctx.s();
    let by = principal("ev-del");
    let o = org(s, "Removal org");
    let p = profile(s, &o, ProfileKind::Current);
    let a = s.create_evidence(&new_item(&o, "Item A"), &by).unwrap();
    s.link_evidence(&a.id, &p.id, &["ZZ.AA-01".to_owned()], &by)
        .unwrap();
    s.delete_profile(&p.id).unwrap();
    // The item stays; its link into the deleted profile goes.
    assert!(s.get_evidence(&a.id).unwrap().links.is_empty());
    s.reset_organization_data(&o.id).unwrap();
    assert!(matches!(
        s.get_evidence(&a.id),
        Err(StoreError::NotFound { .. })
    ));
    let b = s.create_evidence(&new_item(&o, "Item B"), &by).unwrap();
    s.delete_organization(&o.id).unwrap();
    assert!(matches!(
        s.get_evidence(&b.id),
        Err(StoreError::NotFound { .. })
    ));
}

pub fn evidence_bad_input_changes_nothing(ctx: &Ctx) {
    let s = ctx.s();
    let by = principal("ev-bad");
    let o = org(s, "Bad input org");
    let p = profile(s, &o, ProfileKind::Current);
    let a = s.create_evidence(&new_item(&o, "Item A"), &by).unwrap();
    s.link_evidence(&a.id, &p.id, &["ZZ.AA-01".to_owned()], &by)
        .unwrap();
    let before = register(s, &o);

    for path in [
        "/etc/passwd",
        "~/x.txt",
        "file:///tmp/x",
        "C:\\x\\y.doc",
        "../up",
    ] {
        let mut bad = new_item(&o, "Bad");
        bad.location = Some(path.into());
        let err = s.create_evidence(&bad, &by).unwrap_err();
        assert!(err.to_string().contains("local filesystem path"), "{err}");
        assert_eq!(invalid_field(err), "location");
        let patch = EvidencePatch {
            location: Patch::Set(path.into()),
            ..Default::default()
        };
        assert_eq!(
            invalid_field(s.update_evidence(&a.id, &patch, &by).unwrap_err()),
            "location"
        );
    }
    let mut bad = new_item(&o, "Bad");
    bad.sha256 = Some("abc123".into());
    assert_eq!(
        invalid_field(s.create_evidence(&bad, &by).unwrap_err()),
        "sha256"
    );
    let mut bad = new_item(&o, "Bad");
    bad.review_by = Some(day(2025, 1, 1));
    assert_eq!(
        invalid_field(s.create_evidence(&bad, &by).unwrap_err()),
        "review_by"
    );
    let mut bad = new_item(&o, "Bad");
    bad.location = None;
    assert_eq!(
        invalid_field(s.create_evidence(&bad, &by).unwrap_err()),
        "location"
    );
    // A patch that would leave the review date before the collection date.
    let patch = EvidencePatch {
        collected_on: Patch::Set(day(2028, 1, 1)),
        ..Default::default()
    };
    assert_eq!(
        invalid_field(s.update_evidence(&a.id, &patch, &by).unwrap_err()),
        "review_by"
    );
    // Clearing the only pointer.
    let patch = EvidencePatch {
        location: Patch::Clear,
        ..Default::default()
    };
    assert_eq!(
        invalid_field(s.update_evidence(&a.id, &patch, &by).unwrap_err()),
        "location"
    );
    // Unknown ids.
    let ghost = EvidenceId::generate();
    assert!(matches!(
        s.get_evidence(&ghost),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        s.link_evidence(&ghost, &p.id, &["ZZ.AA-01".to_owned()], &by),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        s.link_evidence(&a.id, &ProfileId::generate(), &["ZZ.AA-01".to_owned()], &by),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        s.delete_evidence(&ghost),
        Err(StoreError::NotFound { .. })
    ));
    let mut bad = new_item(&o, "Bad");
    bad.org_id = OrgId::generate();
    assert!(matches!(
        s.create_evidence(&bad, &by),
        Err(StoreError::NotFound { .. })
    ));
    // A profile of another organization.
    let o2 = org(s, "Other org");
    let p2 = profile(s, &o2, ProfileKind::Current);
    assert_eq!(
        invalid_field(
            s.link_evidence(&a.id, &p2.id, &["ZZ.AA-01".to_owned()], &by)
                .unwrap_err()
        ),
        "profile_id"
    );
    // Unlinking a link that is not there, beside one that is: nothing is removed.
    let err = s
        .unlink_evidence(
            &a.id,
            &p.id,
            &["ZZ.AA-01".to_owned(), "ZZ.AA-09".to_owned()],
            &by,
        )
        .unwrap_err();
    assert_eq!(invalid_field(err), "subcategory_ids[1]");
    assert_eq!(
        invalid_field(
            s.link_evidence(&a.id, &p.id, &["not an id".to_owned()], &by)
                .unwrap_err()
        ),
        "subcategory_ids[0]"
    );
    assert_eq!(register(s, &o), before);
    assert!(register(s, &o2).is_empty());
}
