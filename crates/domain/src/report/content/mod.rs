//! What each report kind shows, as blocks: the parts every kind shares here, the figures of a
//! profile and its gaps in `figures`, the audit and progress sections in `records`.

mod figures;
mod function_level;
mod plain;
mod records;

use super::blocks::Block;
use super::svg::Bar;
use super::{function_label, ReportData, ReportKind};
use crate::analysis::function_level::AssessmentBasis;
use crate::analysis::maturity::{pct, MaturityAssessment, MaturitySummary};
use crate::analysis::method::Method;
use figures::{executive, technical};
use records::{audit, progress};

/// Builds the blocks of one report.
pub(crate) fn blocks(kind: ReportKind, d: &ReportData) -> Vec<Block> {
    let mut b = Vec::new();
    subject(&mut b, d);
    // With function-level answers only, the subcategory figures would be empty (coverage 0,
    // n/a): they are left out and the function-level results shown in their place.
    let only_fl;
    let body = match &d.maturity {
        Some(m) if m.basis == AssessmentBasis::FunctionLevel => {
            function_level::section(&mut b, m);
            only_fl = ReportData {
                maturity: None,
                ..d.clone()
            };
            &only_fl
        }
        _ => d,
    };
    match kind {
        ReportKind::Executive => executive(&mut b, body),
        ReportKind::Technical => technical(&mut b, body),
        ReportKind::Audit => audit(&mut b, body),
        ReportKind::Progress => progress(&mut b, body),
    }
    if let Some(m) = d
        .maturity
        .as_ref()
        .filter(|m| m.basis == AssessmentBasis::Mixed)
    {
        function_level::section(&mut b, m);
    }
    if kind == ReportKind::Executive {
        methods_appendix(&mut b, d);
    } else {
        methods(&mut b, d);
    }
    b
}

/// One bar per function of a maturity assessment, valued and captioned from its summary.
fn bars_by_function(
    m: &MaturityAssessment,
    value: impl Fn(&MaturitySummary) -> Option<f64>,
    caption: impl Fn(&MaturitySummary) -> String,
) -> Vec<Bar> {
    m.functions
        .iter()
        .map(|f| Bar {
            label: function_label(&f.id),
            value: value(&f.summary),
            caption: caption(&f.summary),
        })
        .collect()
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
    add("Size (declared)", &s.size.map(|z| z.as_str().to_owned()));
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
        let mut g = p.progress.clone();
        g.label();
        k.push((
            "Plan progress by items".into(),
            g.item_ratio
                .map_or("n/a".into(), |v| format!("{:.2}%", v * 100.0)),
            g.by_items,
        ));
        k.push((
            "Plan progress by effort".into(),
            g.effort_ratio
                .map_or("n/a".into(), |v| format!("{:.2}%", v * 100.0)),
            g.by_effort,
        ));
    }
    if !k.is_empty() {
        b.push(Block::Kpis(k));
    }
}

/// The methods of a board report, as a short appendix: one line per method (its formula) and
/// the assumptions applied in one line; the full text is in the technical report.
fn methods_appendix(b: &mut Vec<Block>, d: &ReportData) {
    // The priority matrix is not shown to a board: its method would explain nothing shown.
    let matrix = d.matrix.as_ref().map(|m| &m.method);
    let ms: Vec<&Method> = used_methods(d)
        .into_iter()
        .filter(|m| Some(*m) != matrix)
        .collect();
    b.push(Block::Heading(2, "Appendix: methods".into()));
    let mut items: Vec<String> = ms
        .iter()
        .map(|m| format!("{}: {}", m.name, first_sentence(&m.description)))
        .collect();
    let given: Vec<String> = ms
        .iter()
        .flat_map(|m| m.assumptions.iter())
        .filter(|a| a.from_caller)
        .map(|a| format!("{} = {}", a.name, a.value))
        .collect();
    if !given.is_empty() {
        items.push(format!("Given: {}.", given.join("; ")));
    }
    items.push(
        "Computed from the recorded assessments and NIST's CSF 2.0 catalog; CSF Tiers as \
         declared by the organization. Every default is listed in the technical report."
            .into(),
    );
    b.push(Block::List(items));
}

/// Up to the first full stop followed by a space (the whole text when there is none).
fn first_sentence(s: &str) -> &str {
    s.find(". ").map_or(s, |i| &s[..=i])
}

fn used_methods(d: &ReportData) -> Vec<&Method> {
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
    ms
}

fn methods(b: &mut Vec<Block>, d: &ReportData) {
    let ms = used_methods(d);
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
