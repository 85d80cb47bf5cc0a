//! What each report kind shows, as blocks.

use super::blocks::{Block, Chart};
use super::svg::{Bar, HeatCell, RadarAxis};
use super::{function_label, ReportData, ReportKind};
use crate::analysis::gap::GapAnalysis;
use crate::analysis::maturity::{pct, MaturityAssessment};
use crate::analysis::method::Method;
use crate::analysis::scale::status_score;
use csf_store::ImplementationStatus;

/// Builds the blocks of one report.
pub(crate) fn blocks(kind: ReportKind, d: &ReportData) -> Vec<Block> {
    let mut b = Vec::new();
    subject(&mut b, d);
    match kind {
        ReportKind::Executive => executive(&mut b, d),
        ReportKind::Technical => technical(&mut b, d),
        ReportKind::Audit => audit(&mut b, d),
        ReportKind::Progress => progress(&mut b, d),
    }
    methods(&mut b, d);
    b
}

fn subject(b: &mut Vec<Block>, d: &ReportData) {
    let s = &d.subject;
    let mut rows = Vec::new();
    let mut add = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            rows.push(vec![k.to_owned(), v.clone()]);
        }
    };
    add("Organization", &s.organization);
    add("Sector", &s.sector);
    add("Size (declared)", &s.size);
    add("Current profile", &s.current_profile);
    add("Target profile", &s.target_profile);
    let tier = |t: Option<u8>| {
        t.map(|n| {
            let name = match n {
                1 => "Partial",
                2 => "Risk Informed",
                3 => "Repeatable",
                _ => "Adaptive",
            };
            format!("Tier {n} ({name}), as declared by the organization")
        })
    };
    add("Governance Tier", &tier(s.governance_tier));
    add("Risk management Tier", &tier(s.risk_management_tier));
    rows.push(vec!["Data as of".to_owned(), d.generated_at.clone()]);
    b.push(Block::Table(vec!["".into(), "".into()], rows));
}

fn kpis(b: &mut Vec<Block>, d: &ReportData) {
    let mut k = Vec::new();
    if let Some(m) = &d.maturity {
        let o = &m.overall;
        k.push((
            "Coverage".into(),
            pct(o.coverage),
            format!("{} of {} outcomes assessed", o.assessed, o.in_scope),
        ));
        k.push((
            "Implementation score".into(),
            pct(o.implementation_score),
            format!("mean over {} applicable entries", o.scored_n),
        ));
        k.push((
            "Mean maturity".into(),
            o.mean_maturity
                .map_or("n/a".into(), |v| format!("{v:.2} / 5")),
            format!("over {} entries with a maturity", o.maturity_n),
        ));
    }
    if let Some(g) = &d.gaps {
        k.push((
            "Open gaps".into(),
            g.totals.with_gap.to_string(),
            format!(
                "{} weighted gap points; {} not comparable",
                g.totals.weighted_gap,
                g.totals.in_scope - g.totals.compared - g.totals.not_applicable
            ),
        ));
    }
    if let Some(r) = &d.risk {
        k.push((
            "Risk index".into(),
            format!("{:.1}", r.score),
            format!("{:?} band (0 = no open gap, 100 = all open)", r.band).to_lowercase(),
        ));
    }
    if let Some(p) = &d.plan {
        k.push((
            "Plan progress".into(),
            pct(p.progress.effort_ratio),
            format!(
                "{} of {} items done",
                p.progress.done, p.progress.items_total
            ),
        ));
    }
    if !k.is_empty() {
        b.push(Block::Kpis(k));
    }
}

/// Per-function target score from the target profile, else from the gap rows' target levels.
fn target_scores(d: &ReportData, function_id: &str) -> Option<f64> {
    if let Some(t) = &d.target_maturity {
        return t
            .functions
            .iter()
            .find(|f| f.id == function_id)
            .and_then(|f| f.summary.implementation_score);
    }
    let g = d.gaps.as_ref()?;
    let v: Vec<f64> = g
        .rows
        .iter()
        .filter(|r| r.function_id == function_id)
        .filter_map(|r| r.target_status.and_then(status_score))
        .collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

fn radar(b: &mut Vec<Block>, d: &ReportData, m: &MaturityAssessment) {
    let axes = m
        .functions
        .iter()
        .map(|f| RadarAxis {
            label: f.id.clone(),
            current: f.summary.implementation_score,
            target: target_scores(d, &f.id),
        })
        .collect::<Vec<_>>();
    if axes.len() >= 3 {
        b.push(Block::Chart(
            "Implementation score by function".into(),
            Chart::Radar(axes),
        ));
    }
}

fn function_bars(b: &mut Vec<Block>, m: &MaturityAssessment) {
    let bars = m
        .functions
        .iter()
        .map(|f| Bar {
            label: function_label(&f.id),
            value: f.summary.implementation_score,
            caption: format!(
                "{} · coverage {}",
                pct(f.summary.implementation_score),
                pct(f.summary.coverage)
            ),
        })
        .collect();
    b.push(Block::Chart(
        "Implementation score and coverage by function".into(),
        Chart::Bars(bars),
    ));
}

fn heat(b: &mut Vec<Block>, g: &GapAnalysis) {
    let rows = g
        .functions
        .iter()
        .map(|f| {
            let cells = g
                .categories
                .iter()
                .filter(|c| c.function_id == f.id)
                .map(|c| HeatCell {
                    label: c.id.clone(),
                    intensity: c.totals.target_attainment.map(|a| 1.0 - a),
                    caption: if c.totals.compared == 0 {
                        "not compared".into()
                    } else {
                        format!("{} open · {} pts", c.totals.with_gap, c.totals.weighted_gap)
                    },
                })
                .collect();
            (f.id.clone(), cells)
        })
        .collect();
    b.push(Block::Chart(
        "Gap heat map by category (share of the weighted target still open)".into(),
        Chart::Heat(rows),
    ));
}

fn gap_table(g: &GapAnalysis, top: Option<usize>) -> Block {
    let mut rows: Vec<_> = g.gaps().collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.weighted_gap));
    let rows = rows
        .into_iter()
        .take(top.unwrap_or(usize::MAX))
        .map(|r| {
            vec![
                r.subcategory_id.clone(),
                r.current_status
                    .map_or("—".into(), |s| s.label().to_owned()),
                r.target_status.map_or("—".into(), |s| s.label().to_owned()),
                r.gap_steps.to_string(),
                format!(
                    "{}{}",
                    r.priority.as_str(),
                    if r.priority_defaulted {
                        " (default)"
                    } else {
                        ""
                    }
                ),
                r.weighted_gap.to_string(),
                r.maturity_gap.map_or("—".into(), |m| format!("{m:+}")),
                r.owner.clone().unwrap_or_default(),
            ]
        })
        .collect();
    Block::Table(
        [
            "Subcategory",
            "Current",
            "Target",
            "Steps",
            "Priority",
            "Weighted",
            "Maturity gap",
            "Owner",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    )
}

fn not_compared(b: &mut Vec<Block>, g: &GapAnalysis) {
    let m = &g.missing;
    let mut items = Vec::new();
    let mut add = |what: &str, ids: &[String]| {
        if !ids.is_empty() {
            items.push(format!("{what} ({}): {}", ids.len(), ids.join(", ")));
        }
    };
    add("No current entry", &m.current_only_missing);
    add("No target entry", &m.target_only_missing);
    add("Neither profile assessed", &m.both_missing);
    add(
        "Current says not applicable, target expects it",
        &m.applicability_mismatch,
    );
    if !items.is_empty() {
        b.push(Block::Heading(
            3,
            "Not compared (not counted as zero)".into(),
        ));
        b.push(Block::List(items));
    }
}

fn risk(b: &mut Vec<Block>, d: &ReportData) {
    if let Some(r) = &d.risk {
        b.push(Block::Heading(2, "Risk index".into()));
        b.push(Block::Para(format!(
            "Index {:.1} of 100 ({:?} band): priority-weighted share of compared outcomes still \
             open. It is not a probability of loss.",
            r.score, r.band
        )));
        b.push(Block::Table(
            [
                "Function",
                "Weight",
                "Function score",
                "Contribution",
                "Not scored",
            ]
            .map(String::from)
            .to_vec(),
            r.functions
                .iter()
                .map(|f| {
                    vec![
                        function_label(&f.function_id),
                        format!("{}", f.weight),
                        f.function_score.map_or("n/a".into(), |v| format!("{v:.1}")),
                        format!("{:.1}", f.contribution),
                        f.not_scored.to_string(),
                    ]
                })
                .collect(),
        ));
    }
}

fn executive(b: &mut Vec<Block>, d: &ReportData) {
    kpis(b, d);
    if let Some(m) = &d.maturity {
        b.push(Block::Heading(2, "Where we stand".into()));
        radar(b, d, m);
        function_bars(b, m);
    }
    if let Some(g) = &d.gaps {
        b.push(Block::Heading(2, "Largest gaps".into()));
        heat(b, g);
        b.push(gap_table(g, Some(10)));
        not_compared(b, g);
    }
    risk(b, d);
    if let Some(s) = &d.suggestions {
        b.push(Block::Heading(2, "Recommended next actions".into()));
        b.push(Block::List(
            s.suggestions
                .iter()
                .map(|x| x.explanation.clone())
                .collect(),
        ));
    }
    cost(b, d, false);
}

fn technical(b: &mut Vec<Block>, d: &ReportData) {
    kpis(b, d);
    if let Some(m) = &d.maturity {
        b.push(Block::Heading(2, "Implementation by function".into()));
        radar(b, d, m);
        function_bars(b, m);
        b.push(Block::Heading(2, "Categories".into()));
        b.push(Block::Table(
            [
                "Category",
                "Coverage",
                "Score",
                "Mean maturity (n)",
                "Not / Partial / Largely / Fully / N/A",
                "Unassessed",
            ]
            .map(String::from)
            .to_vec(),
            m.categories
                .iter()
                .map(|c| {
                    let s = &c.summary;
                    let dist = &s.distribution;
                    vec![
                        format!("{} {}", c.id, c.title),
                        pct(s.coverage),
                        pct(s.implementation_score),
                        s.mean_maturity
                            .map_or("n/a".into(), |v| format!("{v:.2} ({})", s.maturity_n)),
                        format!(
                            "{} / {} / {} / {} / {}",
                            dist.not_implemented,
                            dist.partially,
                            dist.largely,
                            dist.fully,
                            dist.not_applicable
                        ),
                        c.unassessed.len().to_string(),
                    ]
                })
                .collect(),
        ));
    }
    if let Some(g) = &d.gaps {
        b.push(Block::Heading(2, "Gap analysis".into()));
        heat(b, g);
        b.push(gap_table(g, None));
        not_compared(b, g);
    }
    if let Some(mx) = &d.matrix {
        b.push(Block::Heading(2, "Priority matrix".into()));
        b.push(Block::Table(
            ["Quadrant", "Count", "Subcategories"]
                .map(String::from)
                .to_vec(),
            mx.quadrants
                .iter()
                .map(|q| {
                    vec![
                        q.quadrant.label().to_owned(),
                        q.count.to_string(),
                        q.subcategory_ids.join(", "),
                    ]
                })
                .collect(),
        ));
    }
    risk(b, d);
    cost(b, d, true);
    if let Some(c) = &d.comparison {
        b.push(Block::Heading(2, "Profile comparison".into()));
        let mut headers = vec!["Function".to_owned()];
        headers.extend(c.profiles.iter().map(|p| p.name.clone()));
        headers.push("Spread".into());
        b.push(Block::Table(
            headers,
            c.functions
                .iter()
                .map(|f| {
                    let mut row = vec![function_label(&f.function_id)];
                    row.extend(f.values.iter().map(|v| pct(v.implementation_score)));
                    row.push(pct(f.score_spread));
                    row
                })
                .collect(),
        ));
    }
}

fn cost(b: &mut Vec<Block>, d: &ReportData, lines: bool) {
    if let Some(c) = &d.cost {
        b.push(Block::Heading(2, "Cost estimate".into()));
        b.push(Block::Note(format!(
            "{}. Total {:.0} hours, {:.2} {}.",
            c.label, c.total_hours, c.total_cost, c.currency
        )));
        let rows = if lines {
            c.lines
                .iter()
                .map(|l| {
                    vec![
                        l.subcategory_id.clone(),
                        l.gap_steps.to_string(),
                        l.hours_per_step
                            .map_or("override".into(), |h| format!("{h}")),
                        format!("{}", l.hours),
                        format!("{}", l.hourly_rate),
                        format!("{:.2} {}", l.cost, c.currency),
                    ]
                })
                .collect()
        } else {
            c.functions
                .iter()
                .map(|f| {
                    vec![
                        function_label(&f.function_id),
                        String::new(),
                        String::new(),
                        format!("{}", f.hours),
                        String::new(),
                        format!("{:.2} {}", f.cost, c.currency),
                    ]
                })
                .collect()
        };
        b.push(Block::Table(
            ["Item", "Steps", "Hours/step", "Hours", "Rate", "Cost"]
                .map(String::from)
                .to_vec(),
            rows,
        ));
    }
}

fn audit(b: &mut Vec<Block>, d: &ReportData) {
    kpis(b, d);
    if let Some(m) = &d.maturity {
        b.push(Block::Chart(
            "Assessment coverage by function".into(),
            Chart::Bars(
                m.functions
                    .iter()
                    .map(|f| Bar {
                        label: function_label(&f.id),
                        value: f.summary.coverage,
                        caption: format!(
                            "{} · {} of {} assessed",
                            pct(f.summary.coverage),
                            f.summary.assessed,
                            f.summary.in_scope
                        ),
                    })
                    .collect(),
            ),
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
    if let Some(m) = &d.maturity {
        let without_evidence = d
            .entries
            .iter()
            .filter(|e| e.evidence.is_empty() && e.status != ImplementationStatus::NotApplicable)
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

fn progress(b: &mut Vec<Block>, d: &ReportData) {
    kpis(b, d);
    if let Some(p) = &d.plan {
        b.push(Block::Heading(2, format!("Plan: {}", p.name)));
        let mut bars = vec![Bar {
            label: "Whole plan".into(),
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

fn methods(b: &mut Vec<Block>, d: &ReportData) {
    let mut ms: Vec<&Method> = Vec::new();
    if let Some(x) = &d.maturity {
        ms.push(&x.method);
    }
    if let Some(x) = &d.gaps {
        ms.push(&x.method);
    }
    if let Some(x) = &d.risk {
        ms.push(&x.method);
    }
    if let Some(x) = &d.matrix {
        ms.push(&x.method);
    }
    if let Some(x) = &d.suggestions {
        ms.push(&x.method);
    }
    if let Some(x) = &d.cost {
        ms.push(&x.method);
    }
    if let Some(x) = &d.plan {
        ms.push(&x.method);
    }
    if let Some(x) = &d.trend {
        ms.push(&x.method);
    }
    if let Some(x) = &d.comparison {
        ms.push(&x.method);
    }
    b.push(Block::Heading(2, "Methods and assumptions".into()));
    b.push(Block::Para(
        "Every figure is computed deterministically from the recorded assessments and the NIST \
         CSF 2.0 catalog. Assumptions are inputs; their applied values and defaults are listed. \
         CSF Tiers are shown only as declared by the organization."
            .into(),
    ));
    for m in ms {
        b.push(Block::Heading(3, m.name.clone()));
        b.push(Block::Para(m.description.clone()));
        if !m.assumptions.is_empty() {
            b.push(Block::List(
                m.assumptions
                    .iter()
                    .map(|a| {
                        format!(
                            "{} = {} ({}; default {})",
                            a.name,
                            a.value,
                            if a.from_caller { "given" } else { "default" },
                            a.default
                        )
                    })
                    .collect(),
            ));
        }
    }
}

/// `2026-01-05 10:00 UTC` from an RFC 3339 timestamp (as given when it does not parse).
fn short_time(s: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(s).map_or_else(
        |_| s.to_owned(),
        |t| {
            t.with_timezone(&chrono::Utc)
                .format("%Y-%m-%d %H:%M UTC")
                .to_string()
        },
    )
}
