//! Writes sample reports and exports of an invented organisation into a directory, for the
//! browser and OSCAL checks in `tests/reports/`:
//! `cargo run -p csf-analysis --example write_samples -- OUT_DIR`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{TimeZone, Utc};
use csf_domain::*;
use csf_store::OrgSize;
use csf_testkit::sample;
use std::error::Error;
use std::path::PathBuf;

/// Three invented register items linked to the first entries of the profile: one with a URL
/// and a hash, one with a document reference, one with a hash only.
fn sample_evidence(
    entries: &[csf_store::AssessmentEntry],
) -> std::result::Result<Vec<csf_store::EvidenceItem>, Box<dyn Error>> {
    use csf_store::{EvidenceId, EvidenceItem, EvidenceKind, EvidenceLink, OrgId, Sensitivity};
    let at = Utc
        .with_ymd_and_hms(2026, 9, 1, 9, 0, 0)
        .single()
        .ok_or("date")?;
    let profile = csf_store::ProfileId::parse(&sample::profile_id(1))?;
    let link = |sub: &str| EvidenceLink {
        profile_id: profile.clone(),
        subcategory_id: sub.to_owned(),
        linked_at: at,
        linked_by: "sample".into(),
    };
    let subs: Vec<&str> = entries.iter().map(|e| e.subcategory_id.as_str()).collect();
    let item = |n: u8, title: &str, kind, location: Option<&str>, sha: Option<String>, links| {
        Ok::<_, Box<dyn Error>>(EvidenceItem {
            id: EvidenceId::parse(&format!("evd_01J{n:023}"))?,
            org_id: OrgId::parse(&format!("org_01J{:023}", 1))?,
            title: title.into(),
            kind,
            location: location.map(str::to_owned),
            sha256: sha,
            owner: Some("Example Works security office".into()),
            collected_on: "2026-08-01".parse().ok(),
            review_by: "2027-08-01".parse().ok(),
            sensitivity: Sensitivity::Internal,
            created_at: at,
            created_by: "sample".into(),
            updated_at: at,
            updated_by: "sample".into(),
            links,
        })
    };
    let first = |n: usize| subs.iter().take(n).map(|s| link(s)).collect::<Vec<_>>();
    Ok(vec![
        item(
            1,
            "Information security policy (invented)",
            EvidenceKind::Policy,
            Some("https://intranet.example/isms/policy"),
            Some("ab".repeat(32)),
            first(2),
        )?,
        item(
            2,
            "Quarterly access review (invented)",
            EvidenceKind::Report,
            Some("dms:REV-2026-Q3"),
            None,
            first(1),
        )?,
        item(
            3,
            "Firewall baseline export (invented)",
            EvidenceKind::Configuration,
            Some("Change board archive, folder 7"),
            Some("cd".repeat(32)),
            subs.iter().skip(2).take(1).map(|s| link(s)).collect(),
        )?,
    ])
}

fn main() -> std::result::Result<(), Box<dyn Error>> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: write_samples OUT_DIR")?,
    );
    std::fs::create_dir_all(&out)?;
    let cur = sample::entries(1, 0, false);
    let tgt = sample::entries(2, 1, true);
    let gaps = gap_analysis(&cur, &tgt, &GapParams::default())?;
    let plan = implementation_plan(
        &gaps,
        &PlanParams {
            id: None,
            name: Some("FY27 CSF roadmap".into()),
            capacity_per_phase: 30.0,
            phase_length_days: None,
            start_date: "2026-07-01".parse()?,
            max_phases: None,
            effort: EffortModel::default(),
        },
    )?;
    // Report progress on the first phase so the progress bars show something.
    let first: Vec<ItemUpdate> = plan
        .items
        .iter()
        .filter(|i| i.phase == Some(1))
        .enumerate()
        .map(|(n, i)| ItemUpdate {
            item_id: i.id.clone(),
            status: if n % 3 == 2 {
                ItemStatus::InProgress
            } else {
                ItemStatus::Done
            },
            note: None,
        })
        .collect();
    let plan = track_progress(
        &plan,
        &ProgressUpdates {
            as_of: "2026-09-15".parse()?,
            items: first,
            milestones: vec![],
        },
    )?;
    let evidence = sample_evidence(&cur)?;
    let data = ReportData {
        title: None,
        generated_at: "2026-09-15T12:00:00Z".into(),
        subject: ReportSubject {
            organization: Some("Example Works (invented)".into()),
            sector: Some("Manufacturing".into()),
            size: Some(OrgSize::Medium),
            governance_tier: Some(2),
            risk_management_tier: Some(2),
            current_profile: Some("Current state, Q3 2026".into()),
            target_profile: Some("Target state, 2027".into()),
        },
        maturity: Some(assess_maturity(&cur, &ScopeFilter::all())?),
        target_maturity: Some(assess_maturity(&tgt, &ScopeFilter::all())?),
        risk: Some(risk_score(&gaps, &RiskParams::default())?),
        matrix: Some(priority_matrix(&gaps, &MatrixParams::default())?),
        suggestions: Some(suggest_next_actions(
            &gaps,
            &SuggestParams {
                capacity: 8.0,
                effort: EffortModel::default(),
                limit: Some(5),
            },
        )?),
        cost: Some(estimate_cost(
            &gaps,
            &CostParams {
                size: Some(OrgSize::Medium),
                hours_per_step: None,
                hourly_rate: 110.0,
                currency: "EUR".into(),
                hours_overrides: vec![],
            },
        )?),
        plan: Some(plan),
        trend: Some(maturity_trend(
            &sample::history(&cur),
            &TrendParams {
                period: Some(Period::Month),
                scope: ScopeFilter::all(),
                until: None,
            },
        )?),
        comparison: None,
        entries: entry_records(&cur),
        evidence: evidence.clone(),
        gaps: Some(gaps.clone()),
    };
    for kind in [
        ReportKind::Executive,
        ReportKind::Technical,
        ReportKind::Audit,
        ReportKind::Progress,
    ] {
        let name = format!("{kind:?}").to_lowercase();
        for (format, ext) in [(ReportFormat::Html, "html"), (ReportFormat::Markdown, "md")] {
            let r = render_report(kind, format, &data)?;
            std::fs::write(out.join(format!("report-{name}.{ext}")), r.content)?;
        }
    }
    let generated_at = Utc
        .with_ymd_and_hms(2026, 9, 15, 12, 0, 0)
        .single()
        .ok_or("date")?;
    let params = |title: &str| OscalParams {
        title: title.into(),
        profile_id: sample::profile_id(1),
        profile_name: "Current state, Q3 2026".into(),
        organization: Some("Example Works (invented)".into()),
        generated_at,
        version: None,
    };
    let oscal = oscal_assessment_results(
        &cur,
        &params("Example Works (invented): CSF 2.0 assessment"),
    )?;
    std::fs::write(out.join("oscal-assessment-results.json"), oscal)?;
    let oscal = oscal_assessment_results_with_evidence(
        &cur,
        &evidence,
        &params("Example Works (invented): CSF 2.0 assessment with evidence"),
    )?;
    std::fs::write(out.join("oscal-assessment-results-evidence.json"), oscal)?;
    std::fs::write(out.join("entries.csv"), entries_csv(&cur))?;
    std::fs::write(out.join("gaps.csv"), gaps_csv(&gaps))?;
    println!("{}", out.display());
    Ok(())
}
