//! The cases of the shared suite. Each takes a [`Ctx`] and must pass on every backend.

use super::{all_entries, all_history, entry, org, principal, profile, subs, Ctx};
use csf_store::{
    AuditEvent, AuditFilter, AuditResult, ChangeKind, CloneProfile, Confidence, EntryFilter,
    EntryInput, EvidenceRef, ImplementationStatus as St, Maturity, NewOrganization, NewProfile,
    OrgId, OrgSize, PageRequest, Priority, ProfileFilter, ProfileId, ProfileKind, QuickAnswerInput,
    Scope, Store, StoreError, Tier, WriteOutcome,
};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

fn invalid_field(e: StoreError) -> String {
    match e {
        StoreError::Invalid { field, .. } => field,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

fn full_entry(sub: &str) -> EntryInput {
    EntryInput {
        subcategory_id: sub.into(),
        status: St::Largely,
        maturity: Some(Maturity::new(3).unwrap()),
        priority: Some(Priority::High),
        owner: Some("Platform team".into()),
        target_date: chrono::NaiveDate::from_ymd_opt(2027, 3, 31),
        evidence: vec![EvidenceRef {
            title: "Invented runbook".into(),
            location: "sha256:0f3a".into(),
        }],
        notes: Some("line one\nline two".into()),
        assessed_by: Some("Assessor A".into()),
        confidence: Some(Confidence::Medium),
        expected_version: None,
    }
}

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

pub fn record_creates_then_updates_with_versions_and_history(c: &Ctx) {
    let s = c.s();
    let o = org(s, "Versions Co");
    let p = profile(s, &o, ProfileKind::Current);
    let w = s
        .record_entries(&p.id, &[full_entry("ZZ.AA-01")], "alice")
        .unwrap();
    assert_eq!(w[0].outcome, WriteOutcome::Created);
    assert_eq!(w[0].version, 1);
    let first = s.get_entry(&p.id, "ZZ.AA-01").unwrap();
    assert_eq!(first.maturity.map(Maturity::get), Some(3));
    assert_eq!(first.owner.as_deref(), Some("Platform team"));
    assert_eq!(first.notes.as_deref(), Some("line one\nline two"));
    assert_eq!(first.updated_by, "alice");

    let mut changed = full_entry("ZZ.AA-01");
    changed.status = St::Fully;
    changed.notes = Some("done".into());
    let w = s.record_entries(&p.id, &[changed.clone()], "bob").unwrap();
    assert_eq!(w[0].outcome, WriteOutcome::Updated);
    assert_eq!(w[0].version, 2);

    // Same content again: nothing new.
    let w = s.record_entries(&p.id, &[changed], "carol").unwrap();
    assert_eq!(w[0].outcome, WriteOutcome::Unchanged);
    assert_eq!(w[0].version, 2);
    let now = s.get_entry(&p.id, "ZZ.AA-01").unwrap();
    assert_eq!(now.version, 2);
    assert_eq!(now.updated_by, "bob");

    let h = all_history(s, &p.id, Some("ZZ.AA-01"));
    assert_eq!(h.len(), 2);
    assert_eq!(h[0].change, ChangeKind::Created);
    assert_eq!(h[0].old, None);
    assert_eq!(h[0].new, first);
    assert_eq!(h[1].change, ChangeKind::Updated);
    assert_eq!(h[1].changed_by, "bob");
    assert_eq!(h[1].changed_fields, vec!["status", "notes"]);
    assert_eq!(h[1].old.as_ref(), Some(&first));
    assert_eq!(h[1].new, now);
    assert!(h[0].seq < h[1].seq);
}

pub fn expected_version_conflicts(c: &Ctx) {
    let s = c.s();
    let o = org(s, "Optimistic Co");
    let p = profile(s, &o, ProfileKind::Current);
    let mut e = entry("ZZ.AA-01", St::Partially);
    e.expected_version = Some(0);
    s.record_entries(&p.id, &[e.clone()], "a").unwrap();

    // "Must not exist yet" fails now that it exists.
    match s.record_entries(&p.id, &[e.clone()], "a").unwrap_err() {
        StoreError::Conflict {
            expected, actual, ..
        } => assert_eq!((expected, actual), (0, 1)),
        other => panic!("expected Conflict, got {other:?}"),
    }
    e.status = St::Fully;
    e.expected_version = Some(1);
    assert_eq!(
        s.record_entries(&p.id, &[e.clone()], "a").unwrap()[0].version,
        2
    );
    // A stale writer (read version 1) is refused, and its message names the current version.
    e.status = St::Largely;
    let err = s.record_entries(&p.id, &[e.clone()], "b").unwrap_err();
    assert!(err.to_string().contains("at version 2"), "{err}");
    assert_eq!(s.get_entry(&p.id, "ZZ.AA-01").unwrap().status, St::Fully);
    // Without expected_version, last writer wins (and history keeps the replaced content).
    e.expected_version = None;
    s.record_entries(&p.id, &[e], "b").unwrap();
    assert_eq!(s.get_entry(&p.id, "ZZ.AA-01").unwrap().version, 3);
    assert_eq!(all_history(s, &p.id, None).len(), 3);
}

pub fn batch_with_conflicting_row_in_the_middle_stores_nothing(c: &Ctx) {
    let s = c.s();
    let o = org(s, "Atomic Co");
    let p = profile(s, &o, ProfileKind::Current);
    s.record_entries(&p.id, &[entry("ZZ.AA-050", St::Partially)], "a")
        .unwrap();
    // 100 rows; row 50 expects a version the store does not have. Rows 0..50 have already been
    // written inside the transaction when row 50 fails: the rollback must undo them.
    let mut batch: Vec<EntryInput> = subs("ZZ.AA", 100)
        .iter()
        .map(|id| entry(id, St::Fully))
        .collect();
    batch[50].expected_version = Some(7);
    let err = s.record_entries(&p.id, &batch, "a").unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { actual: 1, .. }),
        "{err:?}"
    );
    let entries = all_entries(s, &p.id);
    assert_eq!(entries.len(), 1, "only the entry written before the batch");
    assert_eq!(entries[0].status, St::Partially);
    assert_eq!(all_history(s, &p.id, None).len(), 1);

    batch[50].expected_version = Some(1);
    s.record_entries(&p.id, &batch, "a").unwrap();
    assert_eq!(all_entries(s, &p.id).len(), 100);
    assert_eq!(all_history(s, &p.id, None).len(), 101);
}

pub fn batch_with_invalid_row_in_the_middle_stores_nothing(c: &Ctx) {
    let s = c.s();
    let o = org(s, "Invalid Co");
    let p = profile(s, &o, ProfileKind::Current);
    let mut batch: Vec<EntryInput> = subs("ZZ.AA", 100)
        .iter()
        .map(|id| entry(id, St::Fully))
        .collect();
    batch[50].notes = Some("bad\0notes".into());
    assert_eq!(
        invalid_field(s.record_entries(&p.id, &batch, "a").unwrap_err()),
        "entries[50].notes"
    );
    batch[50].notes = None;
    batch[50].evidence = vec![EvidenceRef {
        title: String::new(),
        location: "x".into(),
    }];
    assert_eq!(
        invalid_field(s.record_entries(&p.id, &batch, "a").unwrap_err()),
        "entries[50].evidence[0].title"
    );
    batch[50].evidence.clear();
    batch[50].subcategory_id = "not an id".into();
    let err = s.record_entries(&p.id, &batch, "a").unwrap_err();
    assert!(err.to_string().contains("e.g. GV.OC-01"), "{err}");
    assert!(all_entries(s, &p.id).is_empty());
    assert!(all_history(s, &p.id, None).is_empty());
    // Out-of-range maturity cannot even be constructed or deserialised.
    assert!(Maturity::new(6).is_err());
    let bad: Result<EntryInput, _> =
        serde_json::from_str(r#"{"subcategory_id":"ZZ.AA-01","status":"fully","maturity":9}"#);
    assert!(bad.is_err());
}

pub fn batch_shape_limits(c: &Ctx) {
    let s = c.s();
    let o = org(s, "Limits Co");
    let p = profile(s, &o, ProfileKind::Current);
    assert_eq!(
        invalid_field(s.record_entries(&p.id, &[], "a").unwrap_err()),
        "entries"
    );
    let too_many: Vec<EntryInput> = subs("ZZ.AA", csf_store::MAX_BATCH + 1)
        .iter()
        .map(|id| entry(id, St::Fully))
        .collect();
    let err = s.record_entries(&p.id, &too_many, "a").unwrap_err();
    assert!(err.to_string().contains("1..=1000"), "{err}");
    let dup = vec![entry("ZZ.AA-01", St::Fully), entry("ZZ.AA-01", St::Largely)];
    assert_eq!(
        invalid_field(s.record_entries(&p.id, &dup, "a").unwrap_err()),
        "entries[1].subcategory_id"
    );
    assert_eq!(
        invalid_field(
            s.record_entries(&p.id, &[entry("ZZ.AA-01", St::Fully)], "")
                .unwrap_err()
        ),
        "principal"
    );
    // A full batch of the maximum size lands.
    let max: Vec<EntryInput> = subs("ZZ.AB", csf_store::MAX_BATCH)
        .iter()
        .map(|id| entry(id, St::Partially))
        .collect();
    assert_eq!(s.record_entries(&p.id, &max, "a").unwrap().len(), 1000);
    assert_eq!(all_entries(s, &p.id).len(), 1000);
}

pub fn preview_reports_outcomes_and_writes_nothing(c: &Ctx) {
    let s = c.s();
    let o = org(s, "Preview Co");
    let p = profile(s, &o, ProfileKind::Current);
    s.record_entries(
        &p.id,
        &[
            entry("ZZ.AA-01", St::Partially),
            entry("ZZ.AA-02", St::Fully),
        ],
        "a",
    )
    .unwrap();
    // Small batches look rows up one by one, large ones scan the profile: preview both.
    for extra in [0usize, 20] {
        let mut batch = vec![
            entry("ZZ.AA-01", St::Fully),     // changes
            entry("ZZ.AA-02", St::Fully),     // same content
            entry("ZZ.AA-03", St::Partially), // new
        ];
        batch.extend(subs("ZZ.PV", extra).iter().map(|id| entry(id, St::Largely)));
        let plan = s.preview_entries(&p.id, &batch).unwrap();
        let outcomes: Vec<(WriteOutcome, i64)> = plan
            .iter()
            .take(3)
            .map(|w| (w.outcome, w.version))
            .collect();
        assert_eq!(
            outcomes,
            vec![
                (WriteOutcome::Updated, 2),
                (WriteOutcome::Unchanged, 1),
                (WriteOutcome::Created, 1)
            ]
        );
        assert_eq!(plan.len(), 3 + extra);
        batch[0].expected_version = Some(5);
        let err = s.preview_entries(&p.id, &batch).unwrap_err();
        assert!(
            matches!(err, StoreError::Conflict { actual: 1, .. }),
            "{err:?}"
        );
    }
    assert_eq!(all_entries(s, &p.id).len(), 2);
    assert_eq!(all_history(s, &p.id, None).len(), 2);
    assert_eq!(
        s.get_entry(&p.id, "ZZ.AA-01").unwrap().status,
        St::Partially
    );
}

pub fn as_of_reconstructs_past_states(c: &Ctx) {
    let s = c.s();
    let o = org(s, "Time Co");
    let p = profile(s, &o, ProfileKind::Current);
    let before = csf_store::now();
    std::thread::sleep(Duration::from_millis(5));
    s.record_entries(
        &p.id,
        &[
            entry("ZZ.AA-01", St::NotImplemented),
            entry("ZZ.AA-02", St::Partially),
        ],
        "a",
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(5));
    let t1 = csf_store::now();
    std::thread::sleep(Duration::from_millis(5));
    s.record_entries(
        &p.id,
        &[entry("ZZ.AA-01", St::Fully), entry("ZZ.AA-03", St::Largely)],
        "b",
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(5));
    let t2 = csf_store::now();

    assert!(s.entries_as_of(&p.id, before).unwrap().is_empty());
    let at1 = s.entries_as_of(&p.id, t1).unwrap();
    let st1: Vec<(&str, St, i64)> = at1
        .iter()
        .map(|e| (e.subcategory_id.as_str(), e.status, e.version))
        .collect();
    assert_eq!(
        st1,
        vec![
            ("ZZ.AA-01", St::NotImplemented, 1),
            ("ZZ.AA-02", St::Partially, 1)
        ]
    );
    let at2 = s.entries_as_of(&p.id, t2).unwrap();
    assert_eq!(at2, all_entries(s, &p.id));
    // All rows of one batch share one commit time.
    let h = all_history(s, &p.id, None);
    assert_eq!(h[0].changed_at, h[1].changed_at);
    assert_eq!(h[2].changed_at, h[3].changed_at);
    assert!(h[1].changed_at < h[2].changed_at);
}

pub fn history_pages_and_filters_by_entry(c: &Ctx) {
    let s = c.s();
    let o = org(s, "History Co");
    let p = profile(s, &o, ProfileKind::Current);
    for st in [St::NotImplemented, St::Partially, St::Largely, St::Fully] {
        s.record_entries(&p.id, &[entry("ZZ.AA-01", st), entry("ZZ.AA-02", st)], "a")
            .unwrap();
    }
    let first = s
        .entry_history(&p.id, None, &PageRequest::first(3))
        .unwrap();
    assert_eq!(first.items.len(), 3);
    let rest = s
        .entry_history(
            &p.id,
            None,
            &PageRequest {
                limit: 100,
                cursor: first.next_cursor.clone(),
            },
        )
        .unwrap();
    assert_eq!(rest.items.len(), 5);
    assert_eq!(rest.next_cursor, None);
    let one = all_history(s, &p.id, Some("ZZ.AA-02"));
    assert_eq!(one.len(), 4);
    assert!(one.iter().all(|h| h.subcategory_id == "ZZ.AA-02"));
    assert_eq!(
        one.iter().map(|h| h.new.version).collect::<Vec<_>>(),
        vec![1, 2, 3, 4]
    );
}

pub fn list_entries_filters_and_pages(c: &Ctx) {
    let s = c.s();
    let o = org(s, "List Co");
    let p = profile(s, &o, ProfileKind::Current);
    let mut batch: Vec<EntryInput> = subs("ZZ.AA", 5)
        .iter()
        .map(|id| entry(id, St::Fully))
        .collect();
    batch.extend(subs("ZZ.AB", 5).iter().map(|id| entry(id, St::Partially)));
    batch.extend(subs("zz.aa", 2).iter().map(|id| entry(id, St::Partially)));
    s.record_entries(&p.id, &batch, "a").unwrap();

    let prefix = EntryFilter {
        subcategory_prefix: Some("ZZ.AA".into()),
        statuses: vec![],
    };
    let got = s
        .list_entries(&p.id, &prefix, &PageRequest::default())
        .unwrap();
    assert_eq!(got.items.len(), 5, "prefix match is case-sensitive");
    let partial = EntryFilter {
        subcategory_prefix: None,
        statuses: vec![St::Partially, St::NotApplicable],
    };
    assert_eq!(
        s.list_entries(&p.id, &partial, &PageRequest::default())
            .unwrap()
            .items
            .len(),
        7
    );
    // Pages of 4 visit all 12 in byte order (upper case before lower case).
    let mut ids = Vec::new();
    let mut page = PageRequest::first(4);
    loop {
        let got = s
            .list_entries(&p.id, &EntryFilter::default(), &page)
            .unwrap();
        ids.extend(got.items.into_iter().map(|e| e.subcategory_id));
        match got.next_cursor {
            Some(cur) => page.cursor = Some(cur),
            None => break,
        }
    }
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids.len(), 12);
    assert_eq!(ids, sorted);
    assert_eq!(ids[10], "zz.aa-000");
}

pub fn audit_is_append_only_filtered_and_newest_first(c: &Ctx) {
    let s = c.s();
    let o = org(s, "Audit Co");
    let who = principal("auditor");
    for i in 0..5 {
        let rec = s
            .append_audit(&AuditEvent {
                tool: if i % 2 == 0 {
                    "record_assessment"
                } else {
                    "create_profile"
                }
                .into(),
                principal: who.clone(),
                org_id: Some(o.id.clone()),
                args_summary: format!("call {i}"),
                result: if i == 4 {
                    AuditResult::Error
                } else {
                    AuditResult::Ok
                },
                detail: (i == 4).then(|| "invalid maturity".to_owned()),
            })
            .unwrap();
        assert_eq!(rec.principal, who);
    }
    let mine = AuditFilter {
        principal: Some(who.clone()),
        ..Default::default()
    };
    let page1 = s.audit_trail(&mine, &PageRequest::first(3)).unwrap();
    let summaries: Vec<&str> = page1
        .items
        .iter()
        .map(|r| r.args_summary.as_str())
        .collect();
    assert_eq!(summaries, vec!["call 4", "call 3", "call 2"]);
    assert_eq!(page1.items[0].result, AuditResult::Error);
    assert_eq!(page1.items[0].detail.as_deref(), Some("invalid maturity"));
    let page2 = s
        .audit_trail(
            &mine,
            &PageRequest {
                limit: 3,
                cursor: page1.next_cursor.clone(),
            },
        )
        .unwrap();
    assert_eq!(page2.items.len(), 2);
    assert_eq!(page2.next_cursor, None);
    let tool = AuditFilter {
        tool: Some("create_profile".into()),
        ..mine.clone()
    };
    assert_eq!(
        s.audit_trail(&tool, &PageRequest::default())
            .unwrap()
            .items
            .len(),
        2
    );

    // Over-long text is kept, truncated; NUL bytes are dropped rather than failing the audit.
    let rec = s
        .append_audit(&AuditEvent {
            tool: "import_assessment".into(),
            principal: who.clone(),
            org_id: None,
            args_summary: "y".repeat(10_000),
            result: AuditResult::Ok,
            detail: Some("nul\0byte".into()),
        })
        .unwrap();
    assert_eq!(rec.args_summary.chars().count(), 4000);
    assert_eq!(rec.detail.as_deref(), Some("nulbyte"));

    // Deleting the organization does not touch its audit rows.
    s.delete_organization(&o.id).unwrap();
    let by_org = AuditFilter {
        org_id: Some(o.id.clone()),
        ..Default::default()
    };
    assert_eq!(
        s.audit_trail(&by_org, &PageRequest::default())
            .unwrap()
            .items
            .len(),
        5
    );
}

pub fn sql_looking_strings_are_stored_verbatim(c: &Ctx) {
    let s = c.s();
    let nasty = [
        "Robert'); DROP TABLE organizations;--",
        "x' OR '1'='1",
        "?1 $1 %s :name @p",
        "\"quoted\" `ticks` \\backslash",
        "émoji 🚀 ünïcode",
    ];
    for text in nasty {
        let o = s
            .create_organization(&NewOrganization {
                name: text.into(),
                sector: Some(text.into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(s.get_organization(&o.id).unwrap().name, text);
        let p = s
            .create_profile(
                &NewProfile {
                    org_id: o.id.clone(),
                    kind: ProfileKind::Current,
                    name: text.into(),
                    scope: Scope::All,
                },
                text,
            )
            .unwrap();
        let mut e = entry("ZZ.AA-01", St::Fully);
        e.notes = Some(text.into());
        e.owner = Some(text.into());
        e.evidence = vec![EvidenceRef {
            title: text.into(),
            location: text.into(),
        }];
        s.record_entries(&p.id, &[e], text).unwrap();
        let got = s.get_entry(&p.id, "ZZ.AA-01").unwrap();
        assert_eq!(got.notes.as_deref(), Some(text));
        assert_eq!(got.owner.as_deref(), Some(text));
        assert_eq!(got.evidence[0].location, text);
        assert_eq!(got.updated_by, text);
        assert_eq!(s.get_profile(&p.id).unwrap().created_by, text);
    }
    // The tables are all still there.
    s.list_organizations(&PageRequest::first(1)).unwrap();
    // An id argument that looks like SQL is refused as an id, never interpolated.
    let err = OrgId::parse("org_1' OR 1=1 --").unwrap_err();
    assert!(err.to_string().contains("26-character ULID"), "{err}");
}

pub fn quick_answers_stay_function_level(c: &Ctx) {
    let s = c.s();
    let o = org(s, "Quick Co");
    let p = profile(s, &o, ProfileKind::Current);
    let answers = vec![
        QuickAnswerInput {
            function_id: "PR".into(),
            status: St::Partially,
            maturity: Some(Maturity::new(2).unwrap()),
            notes: Some("MFA on most systems".into()),
        },
        QuickAnswerInput {
            function_id: "GV".into(),
            status: St::Largely,
            maturity: None,
            notes: None,
        },
    ];
    let got = s.record_quick_answers(&p.id, &answers, "alice").unwrap();
    assert_eq!(
        got.iter()
            .map(|a| a.function_id.as_str())
            .collect::<Vec<_>>(),
        vec!["GV", "PR"]
    );
    assert_eq!(got[1].maturity.map(Maturity::get), Some(2));
    // Never expanded into subcategory entries or history.
    assert!(all_entries(s, &p.id).is_empty());
    assert!(all_history(s, &p.id, None).is_empty());
    // A new answer replaces the function's old one.
    let got = s
        .record_quick_answers(
            &p.id,
            &[QuickAnswerInput {
                function_id: "PR".into(),
                status: St::Fully,
                maturity: None,
                notes: None,
            }],
            "bob",
        )
        .unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].status, St::Fully);
    assert_eq!(got[1].answered_by, "bob");
    assert_eq!(s.quick_answers(&p.id).unwrap(), got);
    let dup = vec![answers[0].clone(), answers[0].clone()];
    assert_eq!(
        invalid_field(s.record_quick_answers(&p.id, &dup, "a").unwrap_err()),
        "answers[1].function_id"
    );
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
}

/// Writers on several threads of one process: distinct entries all land; updates of one entry
/// are serialised (final version = number of writes, one history row each).
pub fn concurrent_writers_in_one_process_lose_no_update(c: &Ctx) {
    let store = c.store.clone();
    let o = org(&*store, "Threads Co");
    let p = profile(&*store, &o, ProfileKind::Current);
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let store = store.clone();
            let pid = p.id.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    store
                        .record_entries(&pid, &[entry(&format!("ZZ.T{t}-{i:03}"), St::Fully)], "w")
                        .unwrap();
                    let mut shared = entry("ZZ.SHARED-01", St::Partially);
                    shared.notes = Some(format!("thread {t} write {i}"));
                    store.record_entries(&pid, &[shared], "w").unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(all_entries(&*store, &p.id).len(), 101);
    assert_eq!(store.get_entry(&p.id, "ZZ.SHARED-01").unwrap().version, 100);
    assert_eq!(all_history(&*store, &p.id, Some("ZZ.SHARED-01")).len(), 100);
    assert_eq!(all_history(&*store, &p.id, None).len(), 200);
}

/// Two independent handles (pools) on one database, as two processes or replicas would have.
pub fn two_handles_on_one_database_lose_no_update(c: &Ctx) {
    let a = c.store.clone();
    let b = c.open_another();
    let o = org(&*a, "Replicas Co");
    let p = profile(&*a, &o, ProfileKind::Current);
    let handles: Vec<_> = [("A", a.clone()), ("B", b.clone())]
        .into_iter()
        .map(|(tag, store): (&str, Arc<dyn Store>)| {
            let pid = p.id.clone();
            std::thread::spawn(move || {
                for chunk in subs(&format!("ZZ.{tag}"), 200).chunks(20) {
                    let batch: Vec<EntryInput> =
                        chunk.iter().map(|id| entry(id, St::Largely)).collect();
                    store.record_entries(&pid, &batch, tag).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(all_entries(&*b, &p.id).len(), 400);
    assert_eq!(all_history(&*a, &p.id, None).len(), 400);
}
