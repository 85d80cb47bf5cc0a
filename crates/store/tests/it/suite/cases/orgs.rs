//! Organizations, deletes and resets, unknown ids, paging arguments.

use crate::suite::prelude::*;

pub fn organizations_create_read_update_list(c: &Ctx) {
    let s = c.s();
    let created = s
        .create_organization(&NewOrganization {
            name: "Invented Widgets Ltd".into(),
            sector: Some("Manufacturing".into()),
            size: Some(OrgSize::Medium),
            governance_tier: Some(Tier::new(2).unwrap()),
            risk_management_tier: None,
            tier_note: Some("Declared by the board".into()),
        })
        .unwrap();
    assert!(created.id.as_str().starts_with("org_"));
    assert_eq!(s.get_organization(&created.id).unwrap(), created);

    let updated = s
        .update_organization(
            &created.id,
            &NewOrganization {
                name: "Invented Widgets Ltd".into(),
                sector: Some("Manufacturing".into()),
                size: Some(OrgSize::Large),
                governance_tier: Some(Tier::new(3).unwrap()),
                risk_management_tier: Some(Tier::new(2).unwrap()),
                tier_note: None,
            },
        )
        .unwrap();
    assert_eq!(updated.size, Some(OrgSize::Large));
    assert_eq!(updated.risk_management_tier.map(Tier::get), Some(2));
    assert_eq!(updated.created_at, created.created_at);
    assert!(updated.updated_at >= created.updated_at);
    assert_eq!(s.get_organization(&created.id).unwrap(), updated);

    // Paging with a small limit visits our three organizations in creation order.
    let mine: Vec<OrgId> = (0..3).map(|i| org(s, &format!("Paged {i}")).id).collect();
    let mut seen = Vec::new();
    let mut page = PageRequest::first(2);
    loop {
        let got = s.list_organizations(&page).unwrap();
        assert!(got.items.len() <= 2);
        seen.extend(got.items.into_iter().map(|o| o.id));
        match got.next_cursor {
            Some(cur) => page.cursor = Some(cur),
            None => break,
        }
    }
    let positions: Vec<usize> = mine
        .iter()
        .map(|id| seen.iter().position(|x| x == id).expect("listed"))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    assert_eq!(seen.len(), seen.iter().collect::<HashSet<_>>().len());
}

pub fn organization_input_errors_name_the_field(c: &Ctx) {
    let s = c.s();
    let e = s
        .create_organization(&NewOrganization {
            name: "   ".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(invalid_field(e), "name");
    let e = s
        .create_organization(&NewOrganization {
            name: "Ok".into(),
            sector: Some("bad\0byte".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert!(e.to_string().contains("U+0000"), "{e}");
    let e = s
        .create_organization(&NewOrganization {
            name: "Ok".into(),
            tier_note: Some("x".repeat(2001)),
            ..Default::default()
        })
        .unwrap_err();
    assert!(e.to_string().contains("at most 2000"), "{e}");
    let e = Tier::new(5).unwrap_err().to_string();
    assert!(e.contains("4 (Adaptive)"), "{e}");
    let e: Result<NewOrganization, _> = serde_json::from_str(r#"{"name":"x","governance_tier":0}"#);
    assert!(e.is_err());
}

pub fn delete_profile_reset_and_delete_organization(c: &Ctx) {
    let s = c.s();
    let o = org(s, "Delete Co");
    let p1 = profile(s, &o, ProfileKind::Current);
    let p2 = profile(s, &o, ProfileKind::Target);
    s.record_entries(
        &p1.id,
        &[entry("ZZ.AA-01", St::Fully), entry("ZZ.AA-02", St::Fully)],
        "a",
    )
    .unwrap();
    s.record_entries(&p1.id, &[entry("ZZ.AA-01", St::Largely)], "a")
        .unwrap();
    s.record_entries(&p2.id, &[entry("ZZ.AA-01", St::Fully)], "a")
        .unwrap();
    s.record_quick_answers(
        &p2.id,
        &[QuickAnswerInput {
            function_id: "GV".into(),
            status: St::Fully,
            maturity: None,
            notes: None,
        }],
        "a",
    )
    .unwrap();

    let removed = s.delete_profile(&p1.id).unwrap();
    assert_eq!(
        (removed.profiles, removed.entries, removed.history_rows),
        (1, 2, 3)
    );
    assert!(matches!(
        s.get_profile(&p1.id).unwrap_err(),
        StoreError::NotFound {
            kind: "profile",
            ..
        }
    ));

    let removed = s.reset_organization_data(&o.id).unwrap();
    assert_eq!(
        (
            removed.organizations,
            removed.profiles,
            removed.entries,
            removed.quick_answers
        ),
        (0, 1, 1, 1)
    );
    assert!(s.get_organization(&o.id).is_ok());
    let removed = s.delete_organization(&o.id).unwrap();
    assert_eq!(removed.organizations, 1);
    assert!(matches!(
        s.get_organization(&o.id).unwrap_err(),
        StoreError::NotFound {
            kind: "organization",
            ..
        }
    ));
}

pub fn unknown_ids_are_not_found(c: &Ctx) {
    let s = c.s();
    let ghost_org = OrgId::generate();
    let ghost = ProfileId::generate();
    let err = s
        .create_profile(
            &NewProfile {
                org_id: ghost_org.clone(),
                kind: ProfileKind::Current,
                name: "x".into(),
                scope: Scope::All,
            },
            "a",
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("organization '{ghost_org}' not found")
    );
    for err in [
        s.record_entries(&ghost, &[entry("ZZ.AA-01", St::Fully)], "a")
            .unwrap_err(),
        s.get_profile(&ghost).unwrap_err(),
        s.entries_as_of(&ghost, csf_store::now()).unwrap_err(),
        s.quick_answers(&ghost).unwrap_err(),
        s.delete_profile(&ghost).unwrap_err(),
        s.list_entries(&ghost, &EntryFilter::default(), &PageRequest::default())
            .unwrap_err(),
    ] {
        assert!(
            matches!(
                err,
                StoreError::NotFound {
                    kind: "profile",
                    ..
                }
            ),
            "{err:?}"
        );
    }
    assert!(matches!(
        s.reset_organization_data(&ghost_org).unwrap_err(),
        StoreError::NotFound { .. }
    ));
    let o = org(s, "Entry lookup");
    let p = profile(s, &o, ProfileKind::Current);
    let err = s.get_entry(&p.id, "ZZ.AA-09").unwrap_err();
    assert!(err.to_string().contains("assessment entry"), "{err}");
    let err = s
        .list_profiles(
            &ProfileFilter {
                org_id: Some(ghost_org),
                ..Default::default()
            },
            &PageRequest::default(),
        )
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::NotFound {
            kind: "organization",
            ..
        }
    ));
}

pub fn paging_arguments_are_checked(c: &Ctx) {
    let s = c.s();
    assert_eq!(
        invalid_field(s.list_organizations(&PageRequest::first(0)).unwrap_err()),
        "limit"
    );
    assert_eq!(
        invalid_field(s.list_organizations(&PageRequest::first(1001)).unwrap_err()),
        "limit"
    );
    let bad_cursor = PageRequest {
        limit: 10,
        cursor: Some("not-a-seq".into()),
    };
    assert_eq!(
        invalid_field(
            s.audit_trail(&AuditFilter::default(), &bad_cursor)
                .unwrap_err()
        ),
        "cursor"
    );

    // Every listing refuses a cursor it did not hand out, instead of using it as a position
    // (a garbage string compared with ids would return a wrong page).
    let o = org(s, "Cursor Checks Ltd");
    let p = profile(s, &o, ProfileKind::Current);
    s.record_entries(
        &p.id,
        &[entry("ZZ.CC-001", St::Partially)],
        &principal("cursor"),
    )
    .unwrap();
    let megabyte = "Z".repeat(1 << 20);
    let with = |cursor: &str| PageRequest {
        limit: 10,
        cursor: Some(cursor.to_string()),
    };
    for bad in [megabyte.as_str(), "", "+1", " 1", "a b", "x'--"] {
        let page = with(bad);
        let refusals = [
            s.list_organizations(&page).map(drop),
            s.list_profiles(&ProfileFilter::default(), &page).map(drop),
            s.list_entries(&p.id, &EntryFilter::default(), &page)
                .map(drop),
            s.entry_history(&p.id, None, &page).map(drop),
            s.list_plans(None, &page).map(drop),
            s.audit_trail(&AuditFilter::default(), &page).map(drop),
        ];
        for (i, r) in refusals.into_iter().enumerate() {
            let e = r.expect_err("garbage cursor refused");
            assert!(e.to_string().contains("next_cursor"), "listing {i}: {e}");
            assert_eq!(invalid_field(e), "cursor", "listing {i}, cursor {bad:.12}");
        }
    }
    // A cursor of one listing is not a position in another.
    assert_eq!(
        invalid_field(s.list_organizations(&with(p.id.as_str())).unwrap_err()),
        "cursor"
    );
    assert_eq!(
        invalid_field(
            s.list_profiles(&ProfileFilter::default(), &with(o.id.as_str()))
                .unwrap_err()
        ),
        "cursor"
    );
    // The cursors the store hands out are still accepted.
    assert!(s.list_organizations(&with(o.id.as_str())).is_ok());
    assert!(s
        .list_profiles(&ProfileFilter::default(), &with(p.id.as_str()))
        .is_ok());
    assert!(s
        .list_entries(&p.id, &EntryFilter::default(), &with("ZZ.CC-000"))
        .is_ok());
}
