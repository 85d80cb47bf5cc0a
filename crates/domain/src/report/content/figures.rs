//! The figures of a profile and its gaps: radar, function bars, heat map, gap table, risk,
//! cost, and the executive and technical reports built from them.

use super::super::blocks::{Block, Chart};
use super::super::svg::{HeatCell, RadarAxis};
use super::super::{function_label, ReportData};
use super::plain::{action, grouped, money, outcome};
use super::{bars_by_function, kpis};
use crate::analysis::gap::GapAnalysis;
use crate::analysis::maturity::{pct, MaturityAssessment};
use crate::analysis::scale::status_score;

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
    let bars = bars_by_function(
        m,
        |s| s.implementation_score,
        |s| {
            format!(
                "{} · coverage {}",
                pct(s.implementation_score),
                pct(s.coverage)
            )
        },
    );
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

/// Rows of the board's largest-gaps table: with the six next actions, the executive report of a
/// whole assessment still prints on two A4 pages (checked by tests/clients/engagement_test.py).
const BOARD_GAP_ROWS: usize = 6;

/// The largest gaps for a board: the outcome named beside its id, where it stands, where it
/// should be, its priority and owner.
fn board_gap_table(g: &GapAnalysis, top: usize) -> Block {
    let rows = g.largest_gaps();
    Block::Table(
        ["Outcome", "Now", "Target", "Priority", "Owner"]
            .map(String::from)
            .to_vec(),
        rows.into_iter()
            .take(top)
            .map(|r| {
                vec![
                    outcome(&r.subcategory_id),
                    r.current_status
                        .map_or("not assessed".into(), |s| s.label().to_owned()),
                    r.target_status.map_or("—".into(), |s| s.label().to_owned()),
                    r.priority.as_str().to_owned(),
                    r.owner.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    )
}

/// One sentence instead of the lists of ids (those are in the technical report).
fn not_compared_count(b: &mut Vec<Block>, g: &GapAnalysis) {
    let m = &g.missing;
    let n = m.current_only_missing.len()
        + m.target_only_missing.len()
        + m.both_missing.len()
        + m.applicability_mismatch.len();
    if n > 0 {
        b.push(Block::Para(format!(
            "{n} outcomes could not be compared (an entry is missing on one side or both);              they are not counted as zero and are listed in the technical report."
        )));
    }
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

pub(super) fn executive(b: &mut Vec<Block>, d: &ReportData) {
    kpis(b, d);
    if let Some(m) = &d.maturity {
        b.push(Block::Heading(2, "Where we stand".into()));
        // One chart of the scores by function: the radar (with the target) when it has the
        // axes for it, else the bars.
        if m.functions.len() >= 3 {
            radar(b, d, m);
        } else {
            function_bars(b, m);
        }
    }
    if let Some(g) = &d.gaps {
        b.push(Block::Heading(2, "Largest gaps".into()));
        heat(b, g);
        b.push(board_gap_table(g, BOARD_GAP_ROWS));
        not_compared_count(b, g);
    }
    if let Some(r) = &d.risk {
        b.push(Block::Para(format!(
            "Risk index {:.1} of 100 ({} band): the priority-weighted share of compared outcomes \
             still open. It is not a probability of loss.",
            r.score,
            format!("{:?}", r.band).to_lowercase()
        )));
    }
    if let Some(s) = &d.suggestions {
        b.push(Block::Heading(2, "Recommended next actions".into()));
        // At most six, so the summary stays on two pages; the rest is in the technical report.
        let mut list: Vec<String> = s.suggestions.iter().take(6).map(action).collect();
        if s.suggestions.len() > 6 {
            list.push(format!(
                "… and {} more within the capacity given (see the technical report).",
                s.suggestions.len() - 6
            ));
        }
        b.push(Block::List(list));
    }
    if let Some(c) = &d.cost {
        b.push(Block::Heading(2, "Cost estimate".into()));
        b.push(Block::Note(format!(
            "{}. Total {} hours, {}.",
            c.label,
            grouped(c.total_hours),
            money(c.total_cost, &c.currency)
        )));
        b.push(Block::Table(
            ["Function", "Hours", "Cost"].map(String::from).to_vec(),
            c.functions
                .iter()
                .map(|f| {
                    vec![
                        function_label(&f.function_id),
                        grouped(f.hours),
                        money(f.cost, &c.currency),
                    ]
                })
                .collect(),
        ));
    }
}

pub(super) fn technical(b: &mut Vec<Block>, d: &ReportData) {
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
    cost(b, d);
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

fn cost(b: &mut Vec<Block>, d: &ReportData) {
    if let Some(c) = &d.cost {
        b.push(Block::Heading(2, "Cost estimate".into()));
        b.push(Block::Note(format!(
            "{}. Total {} hours, {}.",
            c.label,
            grouped(c.total_hours),
            money(c.total_cost, &c.currency)
        )));
        let rows = c
            .lines
            .iter()
            .map(|l| {
                vec![
                    l.subcategory_id.clone(),
                    l.gap_steps.to_string(),
                    l.hours_per_step
                        .map_or("override".into(), |h| format!("{h}")),
                    format!("{}", l.hours),
                    format!("{}", l.hourly_rate),
                    money(l.cost, &c.currency),
                ]
            })
            .collect();
        b.push(Block::Table(
            ["Item", "Steps", "Hours/step", "Hours", "Rate", "Cost"]
                .map(String::from)
                .to_vec(),
            rows,
        ));
    }
}
