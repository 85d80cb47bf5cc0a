//! The plan service end to end on an in-memory store: create, track, conflict, list.

use super::plan::ItemStatus;
use super::progress::ItemUpdate;
use super::requests::{CreatePlanRequest, GetPlanRequest, ListPlansRequest, TrackRequest};
use crate::analysis::effort::EffortModel;
use crate::error::Error;
use crate::service::Actor;
use crate::testkit::{org, profile, record, service};
use csf_store::{AuditFilter, ImplementationStatus::*, PageRequest, ProfileKind, Scope};

fn create(current: &str, target: &str) -> CreatePlanRequest {
    CreatePlanRequest {
        current_profile_id: current.into(),
        target_profile_id: target.into(),
        capacity_per_phase: 3.0,
        start_date: "2026-07-01".into(),
        phase_length_days: Some(30),
        max_phases: None,
        name: None,
        scope: None,
        default_priority: None,
        effort: Some(EffortModel::gap_steps()),
    }
}

fn done(item: &str, expected_revision: Option<i64>) -> TrackRequest {
    TrackRequest {
        plan_id: String::new(),
        as_of: "2026-07-20".into(),
        items: vec![ItemUpdate {
            item_id: item.into(),
            status: ItemStatus::Done,
            note: None,
        }],
        milestones: Vec::new(),
        expected_revision,
        apply_to_profile: false,
    }
}

#[tokio::test]
async fn a_plan_is_built_from_the_common_scope_stored_audited_and_tracked() {
    let (svc, s) = service();
    let o = org(s.as_ref(), "Invented Canal Trust");
    let cur = profile(s.as_ref(), &o, ProfileKind::Current, Scope::All);
    let gv = Scope::Functions(vec!["GV".into()]);
    let tgt = profile(s.as_ref(), &o, ProfileKind::Target, gv);
    // PR.AA-01 lies outside the Target's scope (GV): it is not planned.
    let now = [("GV.OC-01", Partially), ("GV.OC-02", NotImplemented)];
    record(s.as_ref(), &cur, &now);
    record(s.as_ref(), &cur, &[("PR.AA-01", NotImplemented)]);
    let goal = [
        ("GV.OC-01", Fully),
        ("GV.OC-02", Fully),
        ("PR.AA-01", Fully),
    ];
    record(s.as_ref(), &tgt, &goal);

    let actor = Actor::audited(
        "alice",
        "create_implementation_plan",
        "{}".into(),
        None,
        None,
    );
    let out = svc
        .create_implementation_plan(&actor, create(cur.id.as_str(), tgt.id.as_str()))
        .await
        .unwrap();
    // Both gaps are of the default priority: the larger (3 steps) comes first and fills
    // phase 1 (capacity 3); the other (2 steps) opens phase 2, 30 days later.
    assert_eq!(out.plan.scope, "GV");
    let items: Vec<_> = out
        .plan
        .items
        .iter()
        .map(|i| (i.subcategory_id.as_str(), i.phase, i.effort))
        .collect();
    assert_eq!(
        items,
        [("GV.OC-02", Some(1), 3.0), ("GV.OC-01", Some(2), 2.0)]
    );
    assert_eq!(out.plan.phases[1].start.to_string(), "2026-07-31");
    assert_eq!((out.revision, out.org_id.as_str()), (1, o.id.as_str()));

    // The audit row names the organization, though the call carried no org_id.
    let filter = AuditFilter {
        org_id: Some(o.id.clone()),
        ..AuditFilter::default()
    };
    let page = PageRequest {
        limit: 10,
        cursor: None,
    };
    let rows = s.audit_trail(&filter, &page).unwrap().items;
    let tools: Vec<_> = rows.iter().map(|r| r.tool.as_str()).collect();
    assert_eq!(tools, ["create_implementation_plan"]);

    let mut first = done("GV.OC-02", Some(1));
    first.plan_id.clone_from(&out.plan_id);
    let tracked = svc
        .track_progress(&Actor::new("bob"), first)
        .await
        .unwrap()
        .stored;
    assert_eq!((tracked.revision, tracked.updated_by.as_str()), (2, "bob"));
    let p = &tracked.plan.progress;
    assert_eq!(
        (p.effort_done, p.effort_total, p.effort_ratio),
        (3.0, 5.0, Some(0.6))
    );

    // A second update from the same read is refused and stores nothing.
    let mut stale = done("GV.OC-01", Some(1));
    stale.plan_id.clone_from(&out.plan_id);
    let err = svc
        .track_progress(&Actor::new("carol"), stale)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    let get = GetPlanRequest {
        plan_id: out.plan_id.clone(),
    };
    let now = svc.get_implementation_plan(get).await.unwrap();
    assert_eq!((now.revision, now.plan.progress.done), (2, 1));

    let list = ListPlansRequest {
        org_id: Some(o.id.to_string()),
        limit: None,
        cursor: None,
    };
    let listed = svc.list_implementation_plans(list).await.unwrap();
    assert_eq!(listed.plans.len(), 1);
    assert_eq!(listed.plans[0].progress.as_ref().map(|p| p.done), Some(1));
}

#[tokio::test]
async fn progress_needs_a_change_and_a_real_date_before_anything_is_read() {
    let (svc, _) = service();
    let mut none = done("GV.OC-01", None);
    none.items.clear();
    let err = svc.track_progress(&Actor::new("bob"), none).await;
    assert_eq!(
        err.unwrap_err().to_string(),
        "give at least one change in `items` or `milestones`"
    );
    let mut bad_date = done("GV.OC-01", None);
    bad_date.as_of = "20 July".into();
    let err = svc.track_progress(&Actor::new("bob"), bad_date).await;
    assert_eq!(
        err.unwrap_err().to_string(),
        "`as_of` `20 July` is not a date like 2026-12-31"
    );
}
