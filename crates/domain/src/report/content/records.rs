//! The audit report (every entry with its evidence) and the progress report (plan phases,
//! milestones and the maturity trend).

use super::super::blocks::{Block, Chart};
use super::super::svg::Bar;
use super::super::{function_label, ReportData};
use super::{bars_by_function, kpis, short_time};
use crate::analysis::maturity::pct;
use csf_store::ImplementationStatus;

pub(super) fn audit(b: &mut Vec<Block>, d: &ReportData) {
    kpis(b, d);
    if let Some(m) = &d.maturity {
        b.push(Block::Chart(
            "Assessment coverage by function".into(),
            Chart::Bars(bars_by_function(
                m,
                |s| s.coverage,
                |s| {
                    format!(
                        "{} · {} of {} assessed",
                        pct(s.coverage),
                        s.assessed,
                        s.in_scope
                    )
                },
            )),
        ));
    }
    b.push(Block::Heading(2, "Assessment entries".into()));
    b.push(Block::Table(
        [
            "Subcategory",
            "ImplementationStatus",
            "Maturity",
            "Confidence",
            "Evidence",
            "Register evidence",
            "Assessed by",
            "Version / last change",
        ]
        .map(String::from)
        .to_vec(),
        d.entries
            .iter()
            .map(|e| {
                vec![
                    e.subcategory_id.clone(),
                    e.status.label().to_owned(),
                    e.maturity.map_or("—".into(), |m| m.to_string()),
                    e.confidence
                        .map_or("unstated".into(), |c| format!("{c:?}").to_lowercase()),
                    if e.evidence.is_empty() {
                        "none recorded".into()
                    } else {
                        e.evidence
                            .iter()
                            .map(|v| format!("{} ({})", v.title, v.location))
                            .collect::<Vec<_>>()
                            .join("; ")
                    },
                    register_cell(d, &e.subcategory_id),
                    e.assessed_by.clone().unwrap_or_default(),
                    format!(
                        "v{} · {} by {}",
                        e.version,
                        short_time(&e.updated_at),
                        e.updated_by
                    ),
                ]
            })
            .collect(),
    ));
    register_table(b, d);
    if let Some(m) = &d.maturity {
        let without_evidence = d
            .entries
            .iter()
            .filter(|e| e.evidence.is_empty() && e.status != ImplementationStatus::NotApplicable)
            .count();
        let without_register = d
            .entries
            .iter()
            .filter(|e| {
                e.status != ImplementationStatus::NotApplicable
                    && !d
                        .evidence
                        .iter()
                        .any(|i| i.links.iter().any(|l| l.subcategory_id == e.subcategory_id))
            })
            .count();
        b.push(Block::Heading(2, "Findings for the auditor".into()));
        let mut items = vec![
            format!(
                "{} of {} in-scope outcomes have no entry: {}",
                m.unassessed.len(),
                m.overall.in_scope,
                if m.unassessed.is_empty() {
                    "none".to_owned()
                } else {
                    m.unassessed.join(", ")
                }
            ),
            format!("{without_evidence} applicable entries carry no evidence reference."),
            format!("{without_register} applicable entries have no evidence-register item linked."),
            format!(
                "Confidence: {} high, {} medium, {} low, {} unstated.",
                m.overall.confidence.high,
                m.overall.confidence.medium,
                m.overall.confidence.low,
                m.overall.confidence.unstated
            ),
        ];
        items.extend(
            m.ignored
                .iter()
                .map(|i| format!("Entry {} not analysed: {}", i.subcategory_id, i.reason)),
        );
        b.push(Block::List(items));
    }
}

/// The register items linked to one subcategory: title, kind and review date.
fn register_cell(d: &ReportData, subcategory_id: &str) -> String {
    let items: Vec<String> = d
        .evidence
        .iter()
        .filter(|i| i.links.iter().any(|l| l.subcategory_id == subcategory_id))
        .map(|i| {
            format!(
                "{} [{}{}]",
                i.title,
                kind_label(i),
                i.review_by
                    .map_or(String::new(), |r| format!(", review by {r}"))
            )
        })
        .collect();
    if items.is_empty() {
        "none linked".into()
    } else {
        items.join("; ")
    }
}

fn kind_label(i: &csf_store::EvidenceItem) -> String {
    serde_json::to_value(i.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The register items the report cites, with where they are and what they support.
fn register_table(b: &mut Vec<Block>, d: &ReportData) {
    if d.evidence.is_empty() {
        return;
    }
    b.push(Block::Heading(2, "Evidence register".into()));
    b.push(Block::Table(
        [
            "Item",
            "Kind",
            "Location / SHA-256",
            "Owner",
            "Collected",
            "Review by",
            "Supports",
        ]
        .map(String::from)
        .to_vec(),
        d.evidence
            .iter()
            .map(|i| {
                let mut at = i.location.clone().unwrap_or_default();
                if let Some(h) = &i.sha256 {
                    if !at.is_empty() {
                        at.push_str(" · ");
                    }
                    at.push_str(&format!("sha256 {h}"));
                }
                vec![
                    format!("{} ({})", i.title, i.id),
                    kind_label(i),
                    at,
                    i.owner.clone().unwrap_or_default(),
                    i.collected_on.map_or("—".into(), |c| c.to_string()),
                    i.review_by.map_or("—".into(), |r| r.to_string()),
                    i.links
                        .iter()
                        .map(|l| l.subcategory_id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ]
            })
            .collect(),
    ));
}

pub(super) fn progress(b: &mut Vec<Block>, d: &ReportData) {
    kpis(b, d);
    if let Some(p) = &d.plan {
        b.push(Block::Heading(2, format!("Plan: {}", p.name)));
        let mut bars = vec![Bar {
            label: "Whole plan, by effort".into(),
            value: p.progress.effort_ratio,
            caption: format!(
                "{} · {}/{} units",
                pct(p.progress.effort_ratio),
                p.progress.effort_done,
                p.progress.effort_total
            ),
        }];
        bars.extend(p.progress.phases.iter().map(|ph| Bar {
            label: format!("Phase {}", ph.phase),
            value: ph.ratio,
            caption: format!(
                "{} · {}/{} units",
                pct(ph.ratio),
                ph.effort_done,
                ph.effort_total
            ),
        }));
        b.push(Block::Chart(
            "Progress by phase (share of planned effort done)".into(),
            Chart::Bars(bars),
        ));
        b.push(Block::Table(
            [
                "Milestone",
                "Due",
                "ImplementationStatus",
                "Items",
                "Reached on",
            ]
            .map(String::from)
            .to_vec(),
            p.milestones
                .iter()
                .map(|m| {
                    vec![
                        format!("{} {}", m.id, m.title),
                        m.due.to_string(),
                        m.status.label().to_owned(),
                        m.item_ids.len().to_string(),
                        m.reached_on.map_or("—".into(), |d| d.to_string()),
                    ]
                })
                .collect(),
        ));
        b.push(Block::Heading(3, "Items".into()));
        b.push(Block::Table(
            [
                "Item",
                "Phase",
                "Priority",
                "From → to",
                "Effort",
                "ImplementationStatus",
                "Note",
            ]
            .map(String::from)
            .to_vec(),
            p.items
                .iter()
                .map(|i| {
                    vec![
                        i.subcategory_id.clone(),
                        i.phase.map_or("unscheduled".into(), |n| n.to_string()),
                        i.priority.as_str().to_owned(),
                        format!(
                            "{} → {}",
                            i.from_status.map_or("—", ImplementationStatus::label),
                            i.to_status.map_or("—", ImplementationStatus::label)
                        ),
                        format!("{}", i.effort),
                        i.status.label().to_owned(),
                        i.note.clone().unwrap_or_default(),
                    ]
                })
                .collect(),
        ));
    }
    if let Some(t) = &d.trend {
        b.push(Block::Heading(2, "Maturity trend".into()));
        if t.points.len() >= 2 {
            b.push(Block::Chart(
                "Implementation score by period".into(),
                Chart::Line(
                    t.points
                        .iter()
                        .map(|p| (p.period.clone(), p.overall.implementation_score))
                        .collect(),
                ),
            ));
        }
        b.push(Block::Table(
            [
                "Period",
                "Changes",
                "Coverage",
                "Implementation score",
                "Mean maturity",
            ]
            .map(String::from)
            .to_vec(),
            t.points
                .iter()
                .map(|p| {
                    vec![
                        p.period.clone(),
                        p.changes.to_string(),
                        pct(p.overall.coverage),
                        pct(p.overall.implementation_score),
                        p.overall
                            .mean_maturity
                            .map_or("n/a".into(), |v| format!("{v:.2}")),
                    ]
                })
                .collect(),
        ));
        if let Some(last) = t.points.last() {
            b.push(Block::Chart(
                format!("Implementation score by function, {}", last.period),
                Chart::Bars(
                    last.functions
                        .iter()
                        .map(|f| Bar {
                            label: function_label(&f.function_id),
                            value: f.implementation_score,
                            caption: pct(f.implementation_score),
                        })
                        .collect(),
                ),
            ));
        }
    }
}
