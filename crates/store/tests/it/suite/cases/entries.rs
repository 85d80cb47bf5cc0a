//! Assessment entries: versions, optimistic checks, batch atomicity, preview, listing, verbatim text.

use crate::suite::prelude::*;

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
    changed.status = Some(St::Fully);
    changed.notes = Patch::Set("done".into());
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
    e.status = Some(St::Fully);
    e.expected_version = Some(1);
    assert_eq!(
        s.record_entries(&p.id, &[e.clone()], "a").unwrap()[0].version,
        2
    );
    // A stale writer (read version 1) is refused, and its message names the current version.
    e.status = Some(St::Largely);
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
    batch[50].notes = Patch::Set("bad\0notes".into());
    assert_eq!(
        invalid_field(s.record_entries(&p.id, &batch, "a").unwrap_err()),
        "entries[50].notes"
    );
    batch[50].notes = Patch::Clear;
    batch[50].evidence = Patch::Set(vec![EvidenceRef {
        title: String::new(),
        location: "x".into(),
    }]);
    assert_eq!(
        invalid_field(s.record_entries(&p.id, &batch, "a").unwrap_err()),
        "entries[50].evidence[0].title"
    );
    batch[50].evidence = Patch::Clear;
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
    // A status repeated past the database's limit on bound parameters is one status.
    let repeated = EntryFilter {
        subcategory_prefix: None,
        statuses: vec![St::Fully; 100_000],
    };
    assert_eq!(
        s.list_entries(&p.id, &repeated, &PageRequest::default())
            .unwrap()
            .items
            .len(),
        5
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
        e.notes = Patch::Set(text.into());
        e.owner = Patch::Set(text.into());
        e.evidence = Patch::Set(vec![EvidenceRef {
            title: text.into(),
            location: text.into(),
        }]);
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

/// A change names only the fields it changes: the others keep their values, `Clear` empties
/// one, the write reports what changed and what was emptied, and history lists exactly those.
pub fn partial_updates_keep_what_they_do_not_name(c: &Ctx) {
    let s = c.s();
    let o = org(s, "Partial Co");
    let p = profile(s, &o, ProfileKind::Current);
    s.record_entries(&p.id, &[full_entry("ZZ.PU-01")], "alice")
        .unwrap();
    let before = s.get_entry(&p.id, "ZZ.PU-01").unwrap();

    let mut change = EntryInput::new("ZZ.PU-01", St::Fully);
    change.notes = Patch::Set("now complete".into());
    change.confidence = Patch::Clear;
    change.evidence = Patch::Set(vec![EvidenceRef {
        title: "Invented test report".into(),
        location: "doc-42".into(),
    }]);
    let w = s.record_entries(&p.id, &[change], "bob").unwrap();
    assert_eq!(w[0].outcome, WriteOutcome::Updated);
    assert_eq!(w[0].changed, ["status", "evidence", "notes", "confidence"]);
    assert_eq!(w[0].cleared, ["confidence"]);

    let after = s.get_entry(&p.id, "ZZ.PU-01").unwrap();
    assert_eq!(after.status, St::Fully);
    assert_eq!(after.notes.as_deref(), Some("now complete"));
    assert_eq!(after.confidence, None);
    // Untouched fields keep their values; evidence given in a merge is added.
    assert_eq!(after.owner, before.owner);
    assert_eq!(after.assessed_by, before.assessed_by);
    assert_eq!(after.maturity, before.maturity);
    assert_eq!(after.priority, before.priority);
    assert_eq!(after.target_date, before.target_date);
    assert_eq!(after.evidence.len(), 2);
    assert_eq!(after.evidence[0], before.evidence[0]);

    let h = all_history(s, &p.id, Some("ZZ.PU-01")).pop().unwrap();
    assert_eq!(
        h.changed_fields,
        ["status", "evidence", "notes", "confidence"]
    );

    // Evidence already stored is not repeated; the same change again changes nothing.
    let mut again = EntryInput::keep("ZZ.PU-01");
    again.evidence = Patch::Set(after.evidence.clone());
    let w = s.record_entries(&p.id, &[again], "bob").unwrap();
    assert_eq!(w[0].outcome, WriteOutcome::Unchanged);

    // A replacement empties what it does not give.
    let w = s
        .record_entries(&p.id, &[entry("ZZ.PU-01", St::Partially)], "carol")
        .unwrap();
    assert!(w[0].cleared.contains(&"owner".to_string()), "{:?}", w[0]);
    let replaced = s.get_entry(&p.id, "ZZ.PU-01").unwrap();
    assert_eq!(replaced.owner, None);
    assert!(replaced.evidence.is_empty());

    // A dry run reports the same fields without writing.
    let mut preview = EntryInput::keep("ZZ.PU-01");
    preview.owner = Patch::Set("Ops".into());
    let pv = s.preview_entries(&p.id, &[preview]).unwrap();
    assert_eq!(pv[0].changed, ["owner"]);
    assert_eq!(s.get_entry(&p.id, "ZZ.PU-01").unwrap().owner, None);
}

/// A new entry needs a status; a change to an existing one may leave it out.
pub fn creating_an_entry_needs_a_status(c: &Ctx) {
    let s = c.s();
    let o = org(s, "Status Co");
    let p = profile(s, &o, ProfileKind::Current);
    let mut no_status = EntryInput::keep("ZZ.NS-01");
    no_status.owner = Patch::Set("Ops".into());
    let err = s
        .record_entries(&p.id, &[no_status.clone()], "a")
        .unwrap_err();
    assert_eq!(invalid_field(err), "entries[0].status");
    assert!(all_entries(s, &p.id).is_empty());
    s.record_entries(&p.id, &[entry("ZZ.NS-01", St::Largely)], "a")
        .unwrap();
    let w = s.record_entries(&p.id, &[no_status], "a").unwrap();
    assert_eq!(w[0].changed, ["owner"]);
    assert_eq!(s.get_entry(&p.id, "ZZ.NS-01").unwrap().status, St::Largely);
}
