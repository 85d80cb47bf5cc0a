//! The charts of a profile's dashboard (the web console), drawn with the reports' SVG charts:
//! function radar (against a Target when given), category heat map, status distribution and
//! the trend across periods. Pure: the figures come from the analysis operations.

use super::function_label;
use super::svg::{bars, heat_map, line, radar, Bar, HeatCell, RadarAxis};
use crate::analysis::maturity::{pct, MaturityAssessment};
use crate::analysis::trend::MaturityTrend;

/// Inline SVG documents, every label escaped.
#[derive(Debug, Clone)]
pub struct DashboardCharts {
    /// Implementation score by function (needs three functions or more).
    pub radar: Option<String>,
    /// Categories by function, coloured by how much is not yet implemented.
    pub heat: String,
    /// Assessed subcategories by implementation status.
    pub distribution: String,
    /// Overall implementation score per period (needs two periods or more).
    pub trend: Option<String>,
}

/// Draws the dashboard charts of `current` (and `target`, `trend` when known).
pub fn dashboard_charts(
    current: &MaturityAssessment,
    target: Option<&MaturityAssessment>,
    trend: Option<&MaturityTrend>,
) -> DashboardCharts {
    let axes: Vec<RadarAxis> = current
        .functions
        .iter()
        .map(|f| RadarAxis {
            label: f.id.clone(),
            current: f.summary.implementation_score,
            target: target.and_then(|t| {
                t.functions
                    .iter()
                    .find(|g| g.id == f.id)
                    .and_then(|g| g.summary.implementation_score)
            }),
        })
        .collect();
    let radar = (axes.len() >= 3).then(|| radar(&axes, "Implementation score by function"));
    let rows: Vec<(String, Vec<HeatCell>)> = current
        .functions
        .iter()
        .map(|f| {
            let cells = current
                .categories
                .iter()
                .filter(|c| c.function_id == f.id)
                .map(|c| HeatCell {
                    label: c.id.clone(),
                    intensity: c.summary.implementation_score.map(|s| 1.0 - s),
                    caption: format!(
                        "score {} · coverage {}",
                        pct(c.summary.implementation_score),
                        pct(c.summary.coverage)
                    ),
                })
                .collect();
            (f.id.clone(), cells)
        })
        .collect();
    let heat = heat_map(
        &rows,
        "Categories by implementation (green implemented, red not)",
    );
    let d = &current.overall.distribution;
    let assessed = f64::from(current.overall.assessed.max(1));
    let share = |n: u32| Some(f64::from(n) / assessed);
    let distribution = bars(
        &[
            ("Fully", d.fully),
            ("Largely", d.largely),
            ("Partially", d.partially),
            ("Not implemented", d.not_implemented),
            ("Not applicable", d.not_applicable),
        ]
        .map(|(label, n)| Bar {
            label: label.into(),
            value: share(n),
            caption: format!("{n} of {}", current.overall.assessed),
        }),
        "Assessed subcategories by status",
    );
    let trend = trend.filter(|t| t.points.len() >= 2).map(|t| {
        let points: Vec<(String, Option<f64>)> = t
            .points
            .iter()
            .map(|p| (p.period.clone(), p.overall.implementation_score))
            .collect();
        line(&points, "Implementation score by period")
    });
    DashboardCharts {
        radar,
        heat,
        distribution,
        trend,
    }
}

/// A function's label as the reports show it ("GV Govern").
pub fn function_name(id: &str) -> String {
    function_label(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::maturity::assess_maturity;
    use crate::analysis::scope::ScopeFilter;
    use csf_store::AssessmentEntry;

    fn entry(id: &str, status: &str) -> AssessmentEntry {
        serde_json::from_value(serde_json::json!({
            "profile_id": "prof_01J00000000000000000000000", "subcategory_id": id,
            "status": status, "maturity": null, "priority": null, "owner": null,
            "target_date": null, "evidence": [], "notes": null, "assessed_by": null,
            "confidence": null, "version": 1, "updated_at": "2026-01-05T10:00:00Z",
            "updated_by": "tester"}))
        .unwrap()
    }

    #[test]
    fn draws_every_chart_and_follows_the_entries() {
        let none = assess_maturity(&[], &ScopeFilter::all()).unwrap();
        let some = assess_maturity(
            &[entry("GV.OC-01", "fully"), entry("PR.AA-01", "partially")],
            &ScopeFilter::all(),
        )
        .unwrap();
        let target = assess_maturity(&[entry("GV.OC-01", "fully")], &ScopeFilter::all()).unwrap();
        let a = dashboard_charts(&none, None, None);
        let b = dashboard_charts(&some, Some(&target), None);
        for svg in [a.radar.as_deref().unwrap(), &a.heat, &a.distribution] {
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        }
        assert_ne!(
            a.distribution, b.distribution,
            "the distribution follows the entries"
        );
        assert_ne!(a.radar, b.radar, "the radar shows the target");
        assert!(b.distribution.contains("1 of 2"));
        assert!(a.trend.is_none(), "no trend without two periods");
    }
}
