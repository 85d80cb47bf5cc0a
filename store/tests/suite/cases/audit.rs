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
