//! Profiles: create, filter, clone, archive.

use crate::suite::prelude::*;

pub fn profiles_create_and_filter(c: &Ctx) {
    let s = c.s();
    let o = org(s, "Profiles Inc");
    let other = org(s, "Other Inc");
    let cur = s
        .create_profile(
            &NewProfile {
                org_id: o.id.clone(),
                kind: ProfileKind::Current,
                name: "Now".into(),
                scope: Scope::Functions(vec!["GV".into(), "PR".into()]),
            },
            "alice",
        )
        .unwrap();
    assert_eq!(s.get_profile(&cur.id).unwrap(), cur);
    assert_eq!(cur.scope, Scope::Functions(vec!["GV".into(), "PR".into()]));
    assert_eq!(cur.created_by, "alice");
    assert!(!cur.archived);
    let tgt = profile(s, &o, ProfileKind::Target);
    profile(s, &other, ProfileKind::Target);

    let by_org = ProfileFilter {
        org_id: Some(o.id.clone()),
        ..Default::default()
    };
    let ids: Vec<ProfileId> = s
        .list_profiles(&by_org, &PageRequest::default())
        .unwrap()
        .items
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids, vec![cur.id.clone(), tgt.id.clone()]);

    let targets = s
        .list_profiles(
            &ProfileFilter {
                kind: Some(ProfileKind::Target),
                ..by_org.clone()
            },
            &PageRequest::default(),
        )
        .unwrap();
    assert_eq!(targets.items.len(), 1);
    assert_eq!(targets.items[0].id, tgt.id);

    let e = s
        .create_profile(
            &NewProfile {
                org_id: o.id.clone(),
                kind: ProfileKind::Target,
                name: "Dup scope".into(),
                scope: Scope::Functions(vec!["GV".into(), "GV".into()]),
            },
            "alice",
        )
        .unwrap_err();
    assert_eq!(invalid_field(e), "scope[1]");
}

pub fn clone_profile_copies_entries(c: &Ctx) {
    let s = c.s();
    let o = org(s, "Clone Co");
    let src = profile(s, &o, ProfileKind::Current);
    let batch = vec![
        full_entry("ZZ.AA-01"),
        entry("ZZ.AA-02", St::Fully),
        entry("ZZ.BB-01", St::NotImplemented),
    ];
    s.record_entries(&src.id, &batch, "alice").unwrap();
    s.record_entries(&src.id, &[entry("ZZ.AA-02", St::Partially)], "alice")
        .unwrap();

    let copy = s
        .clone_profile(
            &src.id,
            &CloneProfile {
                name: "Where we want to be".into(),
                kind: Some(ProfileKind::Target),
            },
            "bob",
        )
        .unwrap();
    assert_eq!(copy.kind, ProfileKind::Target);
    assert_eq!(copy.org_id, o.id);
    assert_eq!(copy.cloned_from.as_ref(), Some(&src.id));

    let a = all_entries(s, &src.id);
    let b = all_entries(s, &copy.id);
    assert_eq!(a.len(), 3);
    assert_eq!(b.len(), 3);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.subcategory_id, y.subcategory_id);
        assert_eq!(x.status, y.status);
        assert_eq!(x.evidence, y.evidence);
        assert_eq!(x.notes, y.notes);
        assert_eq!(x.target_date, y.target_date);
        assert_eq!(y.version, 1);
        assert_eq!(y.updated_by, "bob");
        assert_eq!(y.profile_id, copy.id);
    }
    let hist = all_history(s, &copy.id, None);
    assert_eq!(hist.len(), 3);
    assert!(hist
        .iter()
        .all(|h| h.change == ChangeKind::Cloned && h.old.is_none()));

    // The copy is independent of its source.
    s.record_entries(&copy.id, &[entry("ZZ.AA-01", St::Fully)], "bob")
        .unwrap();
    assert_eq!(
        s.get_entry(&src.id, "ZZ.AA-01").unwrap().status,
        St::Largely
    );
}

pub fn archived_profile_is_read_only(c: &Ctx) {
    let s = c.s();
    let o = org(s, "Archive Co");
    let p = profile(s, &o, ProfileKind::Current);
    s.record_entries(&p.id, &[entry("ZZ.AA-01", St::Fully)], "a")
        .unwrap();
    let archived = s.set_profile_archived(&p.id, true).unwrap();
    assert!(archived.archived);

    let e = s
        .record_entries(&p.id, &[entry("ZZ.AA-02", St::Fully)], "a")
        .unwrap_err();
    assert!(e.to_string().contains("archived"), "{e}");
    let e = s
        .record_quick_answers(
            &p.id,
            &[QuickAnswerInput {
                function_id: "GV".into(),
                status: St::Partially,
                maturity: None,
                notes: None,
            }],
            "a",
        )
        .unwrap_err();
    assert!(e.to_string().contains("archived"), "{e}");

    let filter = ProfileFilter {
        org_id: Some(o.id.clone()),
        ..Default::default()
    };
    assert!(s
        .list_profiles(&filter, &PageRequest::default())
        .unwrap()
        .items
        .is_empty());
    let with_archived = ProfileFilter {
        include_archived: true,
        ..filter
    };
    assert_eq!(
        s.list_profiles(&with_archived, &PageRequest::default())
            .unwrap()
            .items
            .len(),
        1
    );
    // Reads still work; an archived profile can be cloned and unarchived.
    assert_eq!(all_entries(s, &p.id).len(), 1);
    let copy = s
        .clone_profile(
            &p.id,
            &CloneProfile {
                name: "continued".into(),
                kind: None,
            },
            "a",
        )
        .unwrap();
    assert!(!copy.archived);
    assert_eq!(all_entries(s, &copy.id).len(), 1);
    s.set_profile_archived(&p.id, false).unwrap();
    s.record_entries(&p.id, &[entry("ZZ.AA-02", St::Fully)], "a")
        .unwrap();
}
