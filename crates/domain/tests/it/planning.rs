//! Plan, progress, cost, suggestions, trend and comparison on the hand-computed fixture.

use crate::fixture::*;
use chrono::NaiveDate;
use csf_domain::*;
use csf_store::OrgSize;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn plan_params() -> PlanParams {
    PlanParams {
        id: Some("plan-fixture".into()),
        name: None,
        capacity_per_phase: 3.0,
        phase_length_days: Some(30),
        start_date: d("2026-01-01"),
        max_phases: None,
        effort: EffortModel::gap_steps(),
    }
}

#[test]
fn plan_phases_match_hand_computation() {
    let p = implementation_plan(&gaps(), &plan_params()).unwrap();
    // Order: OC-01 (w3, 2 steps), OC-03 (w2, 2), OC-02 (w2, 1), CO-04 (w1, 1); effort = steps.
    // Phase 1: OC-01 (2). OC-03: 2+2 > 3 → phase 2 (2); OC-02: 2+1 = 3 fits → phase 2;
    // CO-04: 3+1 > 3 → phase 3.
    let phase = |id: &str| {
        p.items
            .iter()
            .find(|i| i.subcategory_id == id)
            .unwrap()
            .phase
    };
    assert_eq!(phase("GV.OC-01"), Some(1));
    assert_eq!(phase("GV.OC-03"), Some(2));
    assert_eq!(phase("GV.OC-02"), Some(2));
    assert_eq!(phase("RC.CO-04"), Some(3));
    assert_eq!(p.phases.len(), 3);
    // 30-day phases from 2026-01-01: 01-01..01-30, 01-31..03-01, 03-02..03-31
    assert_eq!(
        (p.phases[0].start, p.phases[0].end),
        (d("2026-01-01"), d("2026-01-30"))
    );
    assert_eq!(
        (p.phases[1].start, p.phases[1].end),
        (d("2026-01-31"), d("2026-03-01"))
    );
    assert_eq!(p.phases[2].end, d("2026-03-31"));
    assert_eq!(p.phases[1].planned_effort, 3.0);
    assert_eq!(p.milestones[1].due, d("2026-03-01"));
    assert_eq!(p.milestones[1].item_ids, ["I-GV.OC-03", "I-GV.OC-02"]);
    assert_eq!(p.progress.effort_total, 6.0);
    assert_eq!(p.progress.effort_ratio, Some(0.0));
    assert!(p.unscheduled.is_empty());
    // The plan round-trips through JSON (the server stores it as one JSON document).
    let json = serde_json::to_string(&p).unwrap();
    let back: Plan = serde_json::from_str(&json).unwrap();
    assert_eq!(back, p);
}

#[test]
fn plan_respects_max_phases_and_oversized_items() {
    let mut params = plan_params();
    params.max_phases = Some(2);
    let p = implementation_plan(&gaps(), &params).unwrap();
    // CO-04 would go to phase 3: unscheduled.
    assert_eq!(p.unscheduled, ["I-RC.CO-04"]);
    // Capacity 1.5: OC-01 (2) and OC-03 (2) exceed it and get a phase each, flagged.
    params.capacity_per_phase = 1.5;
    params.max_phases = None;
    let p = implementation_plan(&gaps(), &params).unwrap();
    let oc1 = p
        .items
        .iter()
        .find(|i| i.subcategory_id == "GV.OC-01")
        .unwrap();
    assert!(oc1.over_capacity);
    // OC-01 → 1, OC-03 → 2, OC-02 (1) → 3, CO-04 (1): 1+1 > 1.5 → 4
    let phases: Vec<Option<u32>> = p.items.iter().map(|i| i.phase).collect();
    assert_eq!(phases, [Some(1), Some(2), Some(3), Some(4)]);
    params.capacity_per_phase = 0.0;
    assert!(implementation_plan(&gaps(), &params).is_err());
}

#[test]
fn plan_default_id_is_deterministic() {
    let mut params = plan_params();
    params.id = None;
    let a = implementation_plan(&gaps(), &params).unwrap();
    let b = implementation_plan(&gaps(), &params).unwrap();
    assert_eq!(a.id, b.id);
    assert_eq!(a.id.len(), 36);
}

#[test]
fn track_progress_recomputes() {
    let p = implementation_plan(&gaps(), &plan_params()).unwrap();
    let p1 = track_progress(
        &p,
        &ProgressUpdates {
            as_of: d("2026-02-10"),
            items: vec![
                ItemUpdate {
                    item_id: "I-GV.OC-01".into(),
                    status: ItemStatus::Done,
                    note: Some("policy signed".into()),
                },
                ItemUpdate {
                    item_id: "gv.oc-3".into(),
                    status: ItemStatus::InProgress,
                    note: None,
                },
            ],
            milestones: vec![],
        },
    )
    .unwrap();
    // done effort 2 of 6 → 0.3333; items 1 of 4 → 0.25; M1 (only OC-01) reached on 02-10
    assert_eq!(p1.progress.effort_ratio, Some(0.3333));
    assert_eq!(p1.progress.item_ratio, Some(0.25));
    assert_eq!(p1.milestones[0].status, MilestoneStatus::Reached);
    assert_eq!(p1.milestones[0].reached_on, Some(d("2026-02-10")));
    assert_eq!(p1.milestones[1].status, MilestoneStatus::Open);
    assert_eq!(p1.revision, 1);
    assert_eq!(p1.progress.phases[0].ratio, Some(1.0));
    // The input plan is unchanged.
    assert_eq!(p.progress.done, 0);

    let p2 = track_progress(
        &p1,
        &ProgressUpdates {
            as_of: d("2026-03-05"),
            items: vec![ItemUpdate {
                item_id: "I-GV.OC-02".into(),
                status: ItemStatus::Dropped,
                note: None,
            }],
            milestones: vec![MilestoneUpdate {
                milestone_id: "m3".into(),
                due: Some(d("2026-04-15")),
                note: Some("moved after audit".into()),
            }],
        },
    )
    .unwrap();
    // dropped OC-02 leaves the totals: effort 6 − 1 = 5, done 2 → 0.4; items 1 of 3 → 0.3333
    assert_eq!(p2.progress.effort_ratio, Some(0.4));
    assert_eq!(p2.progress.item_ratio, Some(0.3333));
    // M2 (OC-03 still in progress) was due 03-01: overdue on 03-05; M1 keeps its date.
    assert_eq!(p2.milestones[1].status, MilestoneStatus::Overdue);
    assert_eq!(p2.milestones[0].reached_on, Some(d("2026-02-10")));
    assert_eq!(p2.milestones[2].due, d("2026-04-15"));
    assert_eq!(
        (
            p2.progress.milestones_reached,
            p2.progress.milestones_overdue
        ),
        (1, 1)
    );

    // An unknown id fails the whole batch.
    let err = track_progress(
        &p2,
        &ProgressUpdates {
            as_of: d("2026-03-06"),
            items: vec![
                ItemUpdate {
                    item_id: "I-RC.CO-04".into(),
                    status: ItemStatus::Done,
                    note: None,
                },
                ItemUpdate {
                    item_id: "I-XX".into(),
                    status: ItemStatus::Done,
                    note: None,
                },
            ],
            milestones: vec![],
        },
    );
    assert!(matches!(err, Err(Error::UnknownId { .. })));
}

#[test]
fn cost_matches_hand_computation() {
    let params = CostParams {
        size: Some(OrgSize::Small),
        hours_per_step: None,
        hourly_rate: 100.0,
        currency: "EUR".into(),
        hours_overrides: vec![],
    };
    let c = estimate_cost(&gaps(), &params).unwrap();
    // small = 16 h/step. OC-01 2×16 = 32 h; OC-02 16; OC-03 32; CO-04 16 → 96 h × 100 = 9600
    assert_eq!(c.lines.len(), 4);
    assert_eq!(
        (
            c.lines[0].subcategory_id.as_str(),
            c.lines[0].hours,
            c.lines[0].cost
        ),
        ("GV.OC-01", 32.0, 3200.0)
    );
    assert_eq!((c.total_hours, c.total_cost), (96.0, 9600.0));
    // per function: GV 80 h / 8000; RC 16 h / 1600
    assert_eq!((c.functions[0].hours, c.functions[0].cost), (80.0, 8000.0));
    assert_eq!((c.functions[1].hours, c.functions[1].cost), (16.0, 1600.0));
    assert_eq!(c.currency, "EUR");
    assert!(c.label.contains("model"));
    // An override of 10 h for CO-04: 96 − 16 + 10 = 90 h → 9000
    let c2 = estimate_cost(
        &gaps(),
        &CostParams {
            hours_overrides: vec![HoursOverride {
                subcategory_id: "RC.CO-04".into(),
                hours: 10.0,
            }],
            ..params.clone()
        },
    )
    .unwrap();
    assert_eq!((c2.total_hours, c2.total_cost), (90.0, 9000.0));
    assert_eq!(c2.lines[3].hours_per_step, None);
    // Defaults echoed: size medium (40 h/step) when not given.
    let c3 = estimate_cost(
        &gaps(),
        &CostParams {
            size: None,
            ..params.clone()
        },
    )
    .unwrap();
    assert_eq!(c3.total_hours, 240.0);
    let a = c3
        .method
        .assumptions
        .iter()
        .find(|a| a.name == "size")
        .unwrap();
    assert_eq!((a.value.as_str(), a.from_caller), ("medium", false));
    assert!(estimate_cost(
        &gaps(),
        &CostParams {
            hourly_rate: -1.0,
            ..params.clone()
        }
    )
    .is_err());
    assert!(estimate_cost(
        &gaps(),
        &CostParams {
            currency: " ".into(),
            ..params
        }
    )
    .is_err());
}

#[test]
fn suggestions_are_capacity_aware_and_explained() {
    let s = suggest_next_actions(
        &gaps(),
        &SuggestParams {
            capacity: 3.0,
            effort: EffortModel::gap_steps(),
            limit: None,
        },
    )
    .unwrap();
    // impact per unit: OC-01 6/2 = 3; OC-03 4/2 = 2; OC-02 2/1 = 2; CO-04 1/1 = 1
    // (OC-03 before OC-02: same ratio, higher impact).
    // Capacity 3: OC-01 (2) → 1 left; OC-03 (2) deferred; OC-02 (1) → 0 left; CO-04 deferred.
    let ids: Vec<&str> = s
        .suggestions
        .iter()
        .map(|x| x.subcategory_id.as_str())
        .collect();
    assert_eq!(ids, ["GV.OC-01", "GV.OC-02"]);
    assert_eq!(s.used, 3.0);
    let deferred: Vec<&str> = s
        .deferred
        .iter()
        .map(|x| x.subcategory_id.as_str())
        .collect();
    assert_eq!(deferred, ["GV.OC-03", "RC.CO-04"]);
    assert!(s.deferred[0].reason.contains("needs 2 work units, 1 left"));
    let e = &s.suggestions[0].explanation;
    assert!(
        e.contains("Partially → Fully")
            && e.contains("impact 6")
            && e.contains("3 impact per unit"),
        "{e}"
    );
    assert!(suggest_next_actions(
        &gaps(),
        &SuggestParams {
            capacity: 0.0,
            effort: EffortModel::gap_steps(),
            limit: None
        }
    )
    .is_err());
}

fn trend_history() -> Vec<csf_store::HistoryRecord> {
    let p = PROFILE_CURRENT;
    let oc1a = entry(p, "GV.OC-01", "partially", Some(2), None, None);
    let oc2 = entry(p, "GV.OC-02", "fully", Some(4), None, None);
    let oc1b = entry(p, "GV.OC-01", "fully", Some(3), None, None);
    vec![
        // Given out of order on purpose: the trend sorts by commit time.
        history(3, "2026-04-02T09:00:00Z", oc1b, Some(oc1a.clone())),
        history(1, "2026-01-15T09:00:00Z", oc1a, None),
        history(2, "2026-02-20T09:00:00Z", oc2, None),
    ]
}

#[test]
fn trend_by_quarter_and_month() {
    let params = TrendParams {
        period: None,
        scope: ScopeFilter {
            ids: vec!["GV.OC".into()],
        },
        until: None,
    };
    let t = maturity_trend(&trend_history(), &params).unwrap();
    assert_eq!(t.period, Period::Quarter);
    assert_eq!(t.points.len(), 2);
    // 2026-Q1: OC-01 partially (1/3), OC-02 fully (1): coverage 2/5 = 0.4,
    // score (0.3333 + 1)/2 = 0.6667, maturity (2 + 4)/2 = 3
    let q1 = &t.points[0];
    assert_eq!((q1.period.as_str(), q1.changes), ("2026-Q1", 2));
    assert_eq!(q1.end, d("2026-03-31"));
    assert_eq!(q1.overall.coverage, Some(0.4));
    assert_eq!(q1.overall.implementation_score, Some(0.6667));
    assert_eq!(q1.overall.mean_maturity, Some(3.0));
    // 2026-Q2: OC-01 fully (3): score 1, maturity (3 + 4)/2 = 3.5
    let q2 = &t.points[1];
    assert_eq!(
        (q2.overall.implementation_score, q2.overall.mean_maturity),
        (Some(1.0), Some(3.5))
    );
    let m = maturity_trend(
        &trend_history(),
        &TrendParams {
            period: Some(Period::Month),
            ..params
        },
    )
    .unwrap();
    // Jan, Feb, Mar (no change, same as Feb), Apr
    let labels: Vec<&str> = m.points.iter().map(|p| p.period.as_str()).collect();
    assert_eq!(labels, ["2026-01", "2026-02", "2026-03", "2026-04"]);
    assert_eq!(m.points[2].changes, 0);
    assert_eq!(m.points[2].overall, m.points[1].overall);
    assert!(maturity_trend(&[], &TrendParams::default())
        .unwrap()
        .points
        .is_empty());
}

#[test]
fn trend_refuses_two_profiles() {
    let mut h = trend_history();
    h.push(history(
        4,
        "2026-04-03T09:00:00Z",
        entry(PROFILE_TARGET, "GV.OC-03", "fully", None, None, None),
        None,
    ));
    assert!(maturity_trend(&h, &TrendParams::default()).is_err());
}

#[test]
fn compare_profiles_side_by_side() {
    let (cp, tp) = (
        profile(PROFILE_CURRENT, "current", "Today"),
        profile(PROFILE_TARGET, "target", "2027 goal"),
    );
    let (ce, te) = (current(), target());
    let c = compare_profiles(
        &[
            ProfileInput {
                profile: &cp,
                entries: &ce,
            },
            ProfileInput {
                profile: &tp,
                entries: &te,
            },
        ],
        &scope(),
    )
    .unwrap();
    // GV current 0.5 (see maturity test); target GV: 1 + 1 + 2/3 + 2/3 + 1 = 4.3333 / 5 = 0.8667
    let gv = &c.functions[0];
    assert_eq!(gv.values[0].implementation_score, Some(0.5));
    assert_eq!(gv.values[1].implementation_score, Some(0.8667));
    assert_eq!(gv.score_spread, Some(0.3667));
    // Every one of the 7 outcomes differs (status or presence).
    assert_eq!((c.differences.len(), c.identical), (7, 0));
    assert_eq!(c.profiles[1].kind, csf_store::ProfileKind::Target);
    // The same profile twice: nothing differs.
    let same = compare_profiles(
        &[
            ProfileInput {
                profile: &cp,
                entries: &ce,
            },
            ProfileInput {
                profile: &cp,
                entries: &ce,
            },
        ],
        &scope(),
    )
    .unwrap();
    assert_eq!((same.differences.len(), same.identical), (0, 7));
    // 1 or 6 profiles are refused.
    assert!(compare_profiles(
        &[ProfileInput {
            profile: &cp,
            entries: &ce
        }],
        &scope()
    )
    .is_err());
    let six = vec![
        ProfileInput {
            profile: &cp,
            entries: &ce
        };
        6
    ];
    assert!(compare_profiles(&six, &scope()).is_err());
}
