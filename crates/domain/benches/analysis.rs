//! The analysis performance target: with 20 profiles × 106 entries, a gap analysis and a full
//! HTML report each finish well under 100 ms. `cargo bench -p csf-analysis`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{criterion_group, criterion_main, Criterion};
use csf_domain::*;
use csf_store::AssessmentEntry;
use csf_testkit::sample;
use std::hint::black_box;
use std::time::Duration;

/// 20 profiles: 10 Current/Target pairs of 106 entries each.
fn profiles() -> Vec<(Vec<AssessmentEntry>, Vec<AssessmentEntry>)> {
    (0..10)
        .map(|p| {
            (
                sample::entries(2 * p, p, false),
                sample::entries(2 * p + 1, p + 1, true),
            )
        })
        .collect()
}

fn report_data(cur: &[AssessmentEntry], tgt: &[AssessmentEntry]) -> Result<ReportData> {
    let gaps = gap_analysis(cur, tgt, &GapParams::default())?;
    let plan = implementation_plan(
        &gaps,
        &PlanParams {
            id: None,
            name: None,
            capacity_per_phase: 20.0,
            phase_length_days: None,
            start_date: chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap_or_default(),
            max_phases: None,
            effort: EffortModel::default(),
        },
    )?;
    Ok(ReportData {
        generated_at: "2026-06-30T12:00:00Z".into(),
        maturity: Some(assess_maturity(cur, &ScopeFilter::all())?),
        target_maturity: Some(assess_maturity(tgt, &ScopeFilter::all())?),
        risk: Some(risk_score(&gaps, &RiskParams::default())?),
        matrix: Some(priority_matrix(&gaps, &MatrixParams::default())?),
        suggestions: Some(suggest_next_actions(
            &gaps,
            &SuggestParams {
                capacity: 10.0,
                effort: EffortModel::default(),
                limit: None,
            },
        )?),
        cost: Some(estimate_cost(
            &gaps,
            &CostParams {
                size: None,
                hours_per_step: None,
                hourly_rate: 100.0,
                currency: "EUR".into(),
                hours_overrides: vec![],
            },
        )?),
        plan: Some(plan),
        entries: entry_records(cur),
        gaps: Some(gaps),
        ..ReportData::default()
    })
}

fn bench(c: &mut Criterion) {
    let ps = profiles();
    let mut g = c.benchmark_group("analysis");
    g.sample_size(30).measurement_time(Duration::from_secs(4));
    g.bench_function("gap_analysis_one_pair_106", |b| {
        b.iter(|| {
            gap_analysis(
                black_box(&ps[0].0),
                black_box(&ps[0].1),
                &GapParams::default(),
            )
        })
    });
    g.bench_function("gap_analysis_20_profiles", |b| {
        b.iter(|| {
            ps.iter()
                .map(|(c, t)| gap_analysis(black_box(c), black_box(t), &GapParams::default()))
                .filter(|r| r.is_ok())
                .count()
        })
    });
    g.bench_function("full_html_report_compute_and_render", |b| {
        b.iter(|| {
            report_data(black_box(&ps[0].0), black_box(&ps[0].1))
                .and_then(|d| render_report(ReportKind::Technical, ReportFormat::Html, &d))
        })
    });
    g.bench_function("full_html_reports_20_profiles", |b| {
        b.iter(|| {
            ps.iter()
                .filter_map(|(c, t)| report_data(c, t).ok())
                .filter_map(|d| render_report(ReportKind::Technical, ReportFormat::Html, &d).ok())
                .map(|r| r.content.len())
                .sum::<usize>()
        })
    });
    g.bench_function("oscal_export_106", |b| {
        let p = OscalParams {
            title: "bench".into(),
            profile_id: sample::profile_id(0),
            profile_name: "bench".into(),
            organization: None,
            generated_at: chrono::DateTime::UNIX_EPOCH,
            version: None,
        };
        b.iter(|| oscal_assessment_results(black_box(&ps[0].0), &p))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
