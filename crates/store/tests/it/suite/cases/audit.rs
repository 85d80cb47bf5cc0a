//! The append-only audit trail.

use crate::suite::prelude::*;

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
                profile_id: None,
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
            profile_id: None,
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

/// A view from `Store::audited` commits the call's audit row in the transaction of its first
/// committed write: a failed write leaves neither change nor row, later writes add no row.
pub fn audited_view_commits_the_row_with_the_write(c: &Ctx) {
    let s = c.s();
    let o = org(s, "Atomic Audit Co");
    let p = profile(s, &o, ProfileKind::Current);
    let who = principal("atomic");
    let mine = AuditFilter {
        principal: Some(who.clone()),
        ..Default::default()
    };
    let rows = |s: &dyn Store| s.audit_trail(&mine, &PageRequest::default()).unwrap().items;
    let pending = Arc::new(PendingAudit::new(AuditEvent {
        tool: "record_assessment".into(),
        principal: who.clone(),
        org_id: Some(o.id.clone()),
        profile_id: None,
        args_summary: "two entries".into(),
        result: AuditResult::Ok,
        detail: None,
    }));
    let view = s.audited(pending.clone());

    // The second row conflicts inside the transaction: the first row and the audit row roll
    // back with it.
    let ids = subs("ZZ.AU", 2);
    let mut conflicting = entry(&ids[1], St::Partially);
    conflicting.expected_version = Some(7);
    let err = view
        .record_entries(&p.id, &[entry(&ids[0], St::Fully), conflicting], &who)
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert!(!pending.is_committed());
    assert!(rows(s).is_empty());
    assert!(all_entries(s, &p.id).is_empty());

    // Reads through the view see the same database.
    assert_eq!(view.get_profile(&p.id).unwrap().id, p.id);

    let batch = [entry(&ids[0], St::Fully), entry(&ids[1], St::Partially)];
    view.record_entries(&p.id, &batch, &who).unwrap();
    assert!(pending.is_committed());
    let after = rows(s);
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].tool, "record_assessment");
    assert_eq!(after[0].result, AuditResult::Ok);
    assert_eq!(after[0].args_summary, "two entries");
    // The store names what the write concerned: the event named only the organization.
    assert_eq!(after[0].org_id.as_ref(), Some(&o.id));
    assert_eq!(after[0].profile_id.as_ref(), Some(&p.id));
    // The row is stamped with the write's commit time.
    let newest = all_history(s, &p.id, None).pop().unwrap();
    assert_eq!(after[0].at, newest.changed_at);

    // A second write through the same view is not audited again; an explicit append is
    // written once, with its own event.
    view.record_entries(&p.id, &[entry(&ids[0], St::NotImplemented)], &who)
        .unwrap();
    assert_eq!(rows(s).len(), 1);
    view.append_audit(&AuditEvent {
        tool: "track_progress".into(),
        principal: who.clone(),
        org_id: None,
        profile_id: None,
        args_summary: "explicit".into(),
        result: AuditResult::Error,
        detail: Some("invented failure".into()),
    })
    .unwrap();
    let tools: Vec<String> = rows(s).into_iter().map(|r| r.tool).collect();
    assert_eq!(tools, ["track_progress", "record_assessment"]);
}

/// Every audited write is attributed to the organization and profile it concerned, also when
/// the event named neither, and the trail filters by profile and by a time window.
pub fn audited_writes_name_their_organization_and_profile(c: &Ctx) {
    let s = c.s();
    let who = principal("attribution");
    let event = |tool: &str| {
        Arc::new(PendingAudit::new(AuditEvent {
            tool: tool.into(),
            principal: who.clone(),
            org_id: None,
            profile_id: None,
            args_summary: "{}".into(),
            result: AuditResult::Ok,
            detail: None,
        }))
    };
    let o = s
        .audited(event("create_organization"))
        .create_organization(&NewOrganization {
            name: "Attributed Co".into(),
            ..Default::default()
        })
        .unwrap();
    let p = s
        .audited(event("create_profile"))
        .create_profile(
            &NewProfile {
                org_id: o.id.clone(),
                kind: ProfileKind::Current,
                name: "Now".into(),
                scope: Scope::All,
            },
            &who,
        )
        .unwrap();
    s.audited(event("record_assessment"))
        .record_entries(&p.id, &[entry("ZZ.AT-01", St::Fully)], &who)
        .unwrap();
    s.audited(event("quick_assessment"))
        .record_quick_answers(
            &p.id,
            &[QuickAnswerInput {
                function_id: "ZZ".into(),
                status: St::Partially,
                maturity: None,
                notes: None,
            }],
            &who,
        )
        .unwrap();
    let mine = AuditFilter {
        principal: Some(who.clone()),
        ..Default::default()
    };
    let rows = s.audit_trail(&mine, &PageRequest::default()).unwrap().items;
    let tools: Vec<&str> = rows.iter().map(|r| r.tool.as_str()).collect();
    assert_eq!(
        tools,
        [
            "quick_assessment",
            "record_assessment",
            "create_profile",
            "create_organization"
        ]
    );
    for r in &rows {
        assert_eq!(r.org_id.as_ref(), Some(&o.id), "{}", r.tool);
    }
    let profiles: Vec<Option<&ProfileId>> = rows.iter().map(|r| r.profile_id.as_ref()).collect();
    assert_eq!(profiles, [Some(&p.id), Some(&p.id), Some(&p.id), None]);

    let by_profile = AuditFilter {
        profile_id: Some(p.id.clone()),
        ..mine.clone()
    };
    let n = s
        .audit_trail(&by_profile, &PageRequest::default())
        .unwrap()
        .items
        .len();
    assert_eq!(n, 3);
    let window = AuditFilter {
        since: Some(rows[2].at),
        until: Some(rows[0].at),
        ..mine
    };
    let in_window = s
        .audit_trail(&window, &PageRequest::default())
        .unwrap()
        .items;
    assert!(in_window
        .iter()
        .all(|r| r.at >= rows[2].at && r.at < rows[0].at));
    assert!(in_window.iter().any(|r| r.tool == "create_profile"));
    assert!(!in_window.iter().any(|r| r.tool == "quick_assessment"));
}
