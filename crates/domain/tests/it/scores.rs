//! Maturity, gap analysis, priority matrix and risk on the hand-computed fixture
//! (tests/it/fixture.rs). Each expected figure is worked out in the comments.

use crate::fixture::*;
use csf_domain::*;
use csf_store::Priority;

#[test]
fn maturity_matches_hand_computation() {
    let m = assess_maturity(&current(), &scope()).unwrap();
    let o = &m.overall;
    // In scope: GV.OC-01..05 + RC.CO-03, RC.CO-04 = 7; assessed 6 (GV.OC-05 missing).
    assert_eq!((o.in_scope, o.assessed), (7, 6));
    // coverage = 6/7 = 0.857142… → 0.8571
    assert_eq!(o.coverage, Some(0.8571));
    // not: OC-03, CO-04 = 2; partially 1; largely 1; fully 1; N/A 1 (CO-03)
    let d = &o.distribution;
    assert_eq!(
        (
            d.not_implemented,
            d.partially,
            d.largely,
            d.fully,
            d.not_applicable
        ),
        (2, 1, 1, 1, 1)
    );
    // scores over 5 applicable entries: 1/3 + 2/3 + 0 + 1 + 0 = 2 → 2/5 = 0.4
    assert_eq!((o.implementation_score, o.scored_n), (Some(0.4), 5));
    // maturity recorded on OC-01 (2), OC-02 (3), OC-04 (4), CO-04 (1): 10/4 = 2.5, n = 4
    assert_eq!((o.mean_maturity, o.maturity_n), (Some(2.5), 4));
    // confidence: high OC-01, OC-04; medium OC-02; low CO-03; unstated OC-03, CO-04
    let c = &o.confidence;
    assert_eq!((c.high, c.medium, c.low, c.unstated), (2, 1, 1, 2));
    assert_eq!(m.unassessed, vec!["GV.OC-05"]);
    // PR.AA-01 is outside the scope, PR.DS-05 is withdrawn: both reported, not dropped.
    let ignored: Vec<&str> = m
        .ignored
        .iter()
        .map(|i| i.subcategory_id.as_str())
        .collect();
    assert_eq!(ignored, vec!["PR.AA-01", "PR.DS-05"]);
    assert!(m.ignored[1].reason.contains("withdrawn"));

    // GV: 5 in scope, 4 assessed → 0.8; scores 1/3+2/3+0+1 = 2 over 4 → 0.5; maturity 2+3+4 = 9/3 = 3
    let gv = &m.functions[0];
    assert_eq!(gv.id, "GV");
    assert_eq!(gv.summary.coverage, Some(0.8));
    assert_eq!(gv.summary.implementation_score, Some(0.5));
    assert_eq!(gv.summary.mean_maturity, Some(3.0));
    assert_eq!(gv.unassessed, vec!["GV.OC-05"]);
    // RC: 2 in scope, 2 assessed → 1.0; only CO-04 scored (N/A excluded) → 0; maturity 1
    let rc = &m.functions[1];
    assert_eq!(rc.id, "RC");
    assert_eq!(rc.summary.coverage, Some(1.0));
    assert_eq!(rc.summary.implementation_score, Some(0.0));
    assert_eq!(rc.summary.mean_maturity, Some(1.0));
    assert_eq!(m.categories.len(), 2);
    assert!(m.method.description.contains("level/3"));
}

#[test]
fn maturity_without_any_maturity_is_none_not_zero() {
    let entries = vec![entry(
        PROFILE_CURRENT,
        "GV.OC-01",
        "fully",
        None,
        None,
        None,
    )];
    let m = assess_maturity(
        &entries,
        &ScopeFilter {
            ids: vec!["GV.OC-01".into()],
        },
    )
    .unwrap();
    assert_eq!(m.overall.mean_maturity, None);
    assert_eq!(m.overall.maturity_n, 0);
    assert_eq!(m.overall.implementation_score, Some(1.0));
}

#[test]
fn whole_core_scope_has_106_outcomes() {
    let m = assess_maturity(&[], &ScopeFilter::all()).unwrap();
    assert_eq!(m.overall.in_scope, 106);
    assert_eq!(m.functions.len(), 6);
    assert_eq!(m.categories.len(), 22);
    assert_eq!(m.overall.coverage, Some(0.0));
    assert_eq!(m.overall.implementation_score, None);
}

#[test]
fn unknown_scope_id_suggests() {
    let err = assess_maturity(
        &[],
        &ScopeFilter {
            ids: vec!["GV.OX".into()],
        },
    )
    .unwrap_err();
    assert!(
        matches!(&err, Error::Id(e) if e.problem == csf_catalog::IdProblem::Unknown && !e.suggestions.is_empty()),
        "{err}"
    );
}

#[test]
fn gap_rows_match_hand_computation() {
    let g = gaps();
    let row = |id: &str| g.rows.iter().find(|r| r.subcategory_id == id).unwrap();
    // OC-01: partially (1) → fully (3) = 2 steps × high 3 = 6; maturity 4 − 2 = +2
    let r = row("GV.OC-01");
    assert_eq!(
        (r.state, r.gap_steps, r.weighted_gap, r.maturity_gap),
        (GapState::Gap, 2, 6, Some(2))
    );
    // OC-02: largely (2) → fully (3) = 1 × medium 2 = 2; maturity 3 − 3 = 0
    let r = row("GV.OC-02");
    assert_eq!(
        (r.gap_steps, r.weighted_gap, r.maturity_gap),
        (1, 2, Some(0))
    );
    // OC-03: not (0) → largely (2) = 2 × default medium 2 = 4
    let r = row("GV.OC-03");
    assert_eq!(
        (r.gap_steps, r.weighted_gap, r.priority_defaulted),
        (2, 4, true)
    );
    // OC-04: fully (3) vs largely (2): exceeds, no gap
    assert_eq!(row("GV.OC-04").state, GapState::Exceeds);
    assert_eq!(row("GV.OC-04").weighted_gap, 0);
    // OC-05 has no current entry; CO-03 is N/A today but expected: neither is scored.
    assert_eq!(row("GV.OC-05").state, GapState::MissingCurrent);
    assert_eq!(row("RC.CO-03").state, GapState::ApplicabilityMismatch);
    // CO-04: not (0) → partially (1) = 1 × low 1 = 1
    assert_eq!(row("RC.CO-04").weighted_gap, 1);
    assert_eq!(g.missing.current_only_missing, vec!["GV.OC-05"]);
    assert_eq!(g.missing.applicability_mismatch, vec!["RC.CO-03"]);
}

#[test]
fn gap_totals_match_hand_computation() {
    let t = gaps().totals;
    // compared = OC-01..04 + CO-04 = 5; gaps 4; exceeds 1
    assert_eq!(
        (t.in_scope, t.compared, t.with_gap, t.exceeds),
        (7, 5, 4, 1)
    );
    assert_eq!((t.missing_current, t.applicability_mismatch), (1, 1));
    // steps 2+1+2+0+1 = 6; weighted 6+2+4+0+1 = 13
    assert_eq!((t.gap_steps, t.weighted_gap), (6, 13));
    // weighted target = 3×3 + 3×2 + 2×2 + 2×1 + 1×1 = 22; attainment (22−13)/22 = 0.40909…
    assert_eq!(t.weighted_target, 22);
    assert_eq!(t.target_attainment, Some(0.4091));
    // maturity gaps on OC-01 (+2) and OC-02 (0)
    assert_eq!((t.maturity_gap_sum, t.maturity_gap_n), (2, 2));
}

#[test]
fn gap_groups_by_function_and_category() {
    let g = gaps();
    let gv = &g.functions[0];
    // GV: weighted 6+2+4 = 12, target 9+6+4+2 = 21 → 9/21 = 0.428571…
    assert_eq!(
        (
            gv.id.as_str(),
            gv.totals.weighted_gap,
            gv.totals.weighted_target
        ),
        ("GV", 12, 21)
    );
    assert_eq!(gv.totals.target_attainment, Some(0.4286));
    let rc = &g.functions[1];
    // RC: CO-04 only: weighted 1, target 1 → attainment 0
    assert_eq!(
        (rc.totals.weighted_gap, rc.totals.target_attainment),
        (1, Some(0.0))
    );
    assert_eq!(
        g.categories
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
        ["GV.OC", "RC.CO"]
    );
}

#[test]
fn default_priority_is_an_input_and_echoed() {
    let g = gap_analysis(
        &current(),
        &target(),
        &GapParams {
            scope: scope(),
            default_priority: Some(Priority::High),
        },
    )
    .unwrap();
    // OC-03 now 2 steps × high 3 = 6 instead of 4: total 13 − 4 + 6 = 15
    assert_eq!(g.totals.weighted_gap, 15);
    let a = g
        .method
        .assumptions
        .iter()
        .find(|a| a.name == "default_priority")
        .unwrap();
    assert_eq!(
        (a.value.as_str(), a.default.as_str(), a.from_caller),
        ("high", "medium", true)
    );
}

#[test]
fn target_not_applicable_is_excluded() {
    let cur = vec![entry(
        PROFILE_CURRENT,
        "GV.OC-01",
        "not_implemented",
        None,
        None,
        None,
    )];
    let tgt = vec![entry(
        PROFILE_TARGET,
        "GV.OC-01",
        "not_applicable",
        None,
        None,
        None,
    )];
    let g = gap_analysis(
        &cur,
        &tgt,
        &GapParams {
            scope: ScopeFilter {
                ids: vec!["GV.OC-01".into()],
            },
            default_priority: None,
        },
    )
    .unwrap();
    assert_eq!(g.rows[0].state, GapState::NotApplicable);
    assert_eq!(
        (
            g.totals.compared,
            g.totals.not_applicable,
            g.totals.target_attainment
        ),
        (0, 1, None)
    );
}

#[test]
fn priority_matrix_quadrants() {
    let g = gaps();
    let m = priority_matrix(&g, &MatrixParams::default()).unwrap();
    // impact = weighted gap; effort = the default class of the category (GV.OC and RC.CO are
    // light: 1 unit). High impact ≥ 3, high effort ≥ 2. OC-01 (6, 1) and OC-03 (4, 1) quick
    // wins; OC-02 (2, 1) and CO-04 (1, 1) fill-ins.
    let q = |x: Quadrant| {
        m.quadrants
            .iter()
            .find(|s| s.quadrant == x)
            .unwrap()
            .subcategory_ids
            .clone()
    };
    assert_eq!(q(Quadrant::QuickWin), ["GV.OC-01", "GV.OC-03"]);
    assert_eq!(q(Quadrant::FillIn), ["GV.OC-02", "RC.CO-04"]);
    assert!(q(Quadrant::MajorProject).is_empty());
    // With effort = steps × 1, OC-01 (6, 2) is a major project; an effort override of 1.5
    // units keeps OC-03 (impact 4) a quick win, first in reading order.
    let m = priority_matrix(
        &g,
        &MatrixParams {
            effort: EffortModel {
                basis: Some(EffortBasis::GapSteps),
                units_per_step: None,
                overrides: vec![EffortOverride {
                    subcategory_id: "gv.oc-3".into(),
                    units: 1.5,
                }],
            },
            ..MatrixParams::default()
        },
    )
    .unwrap();
    assert_eq!(m.items[0].subcategory_id, "GV.OC-03");
    assert_eq!(
        (m.items[0].quadrant, m.items[0].effort_overridden),
        (Quadrant::QuickWin, true)
    );
    assert!(m
        .method
        .assumptions
        .iter()
        .any(|a| a.name == "effort.overrides" && a.from_caller));
}

#[test]
fn matrix_rejects_bad_override() {
    let g = gaps();
    let p = MatrixParams {
        effort: EffortModel {
            basis: Some(EffortBasis::GapSteps),
            units_per_step: None,
            overrides: vec![EffortOverride {
                subcategory_id: "GV.OC-99".into(),
                units: 1.0,
            }],
        },
        ..MatrixParams::default()
    };
    assert!(matches!(
        priority_matrix(&g, &p),
        Err(Error::Id(e)) if e.problem == csf_catalog::IdProblem::Unknown
    ));
}

#[test]
fn risk_score_matches_hand_computation() {
    let r = risk_score(&gaps(), &RiskParams::default()).unwrap();
    // GV exposure = 2/3×3 + 1/3×2 + 2/3×2 + 0×1 = 2 + 0.6667 + 1.3333 = 4; max = 3+2+2+1 = 8
    // RC exposure = 1/3×1 = 0.3333; max = 1
    // score = 100 × (4 + 0.3333) / (8 + 1) = 48.148…
    assert!(approx(r.score, 48.1481), "{}", r.score);
    assert_eq!(r.band, RiskBand::Elevated);
    let gv = &r.functions[0];
    // contribution GV = 100 × 4 / 9 = 44.444…; function score = 100 × 4 / 8 = 50
    assert!(approx(gv.contribution, 44.4444));
    assert_eq!(gv.function_score, Some(50.0));
    // RC contribution = 100 × 0.3333 / 9 = 3.7037; function score 33.33
    assert!(approx(r.functions[1].contribution, 3.7037));
    assert!(approx(
        r.functions.iter().map(|f| f.contribution).sum::<f64>(),
        r.score
    ));
    // not scored: OC-05 (missing current) and CO-03 (mismatch)
    assert_eq!(r.not_scored, 2);
}

#[test]
fn risk_function_weights_really_change_the_result() {
    let g = gaps();
    let base = risk_score(&g, &RiskParams::default()).unwrap();
    let weighted = risk_score(
        &g,
        &RiskParams {
            function_weights: vec![FunctionWeight {
                function_id: "rc".into(),
                weight: 4.0,
            }],
        },
    )
    .unwrap();
    // denominator = 8×1 + 1×4 = 12; numerator = 4×1 + 0.3333×4 = 5.3333 → 44.444…
    assert!(approx(weighted.score, 44.4444), "{}", weighted.score);
    assert!((weighted.score - base.score).abs() > 1.0);
    // RC contribution = 100 × 1.3333 / 12 = 11.111
    assert!(approx(weighted.functions[1].contribution, 11.1111));
    let a = weighted
        .method
        .assumptions
        .iter()
        .find(|a| a.name == "function_weights")
        .unwrap();
    assert!(a.from_caller && a.value.contains("RC=4"));
    // Weight 0 for RC: only GV counts: 100 × 4 / 8 = 50
    let zero = risk_score(
        &g,
        &RiskParams {
            function_weights: vec![FunctionWeight {
                function_id: "RC".into(),
                weight: 0.0,
            }],
        },
    )
    .unwrap();
    assert!(approx(zero.score, 50.0));
    // Unknown function and negative weight are refused; the refusal names the functions.
    let unknown = risk_score(
        &g,
        &RiskParams {
            function_weights: vec![FunctionWeight {
                function_id: "XX".into(),
                weight: 1.0,
            }],
        },
    )
    .unwrap_err();
    assert!(
        unknown
            .to_string()
            .contains("one of GV, ID, PR, DE, RS, RC"),
        "{unknown}"
    );
    assert!(risk_score(
        &g,
        &RiskParams {
            function_weights: vec![FunctionWeight {
                function_id: "GV".into(),
                weight: -1.0
            }]
        }
    )
    .is_err());
}
