//! Function-level (quick assessment) results in a report: their own labelled figures and table,
//! in place of the subcategory figures when the profile has only function-level answers.

use super::super::blocks::Block;
use crate::analysis::function_level::{AssessmentBasis, FunctionLevelSummary};
use crate::analysis::maturity::{pct, MaturityAssessment};

/// The headline figures and the table of a profile's function-level answers.
pub(super) fn section(b: &mut Vec<Block>, m: &MaturityAssessment) {
    let f = &m.function_level;
    if f.answered == 0 {
        return;
    }
    b.push(Block::Heading(
        2,
        "Function-level results (quick assessment)".into(),
    ));
    let only = m.basis == AssessmentBasis::FunctionLevel;
    b.push(Block::Note(if only {
        "This profile has function-level answers only: one answer per CSF function, not spread \
         over its subcategories. Subcategory figures (coverage, categories) are not shown."
            .into()
    } else {
        "Function-level answers, shown beside the subcategory figures and not mixed into them."
            .into()
    }));
    if only {
        b.push(Block::Kpis(kpis(f)));
    }
    b.push(Block::Table(
        ["Function", "Status (function-level)", "Score", "Maturity"]
            .map(String::from)
            .to_vec(),
        f.results
            .iter()
            .map(|r| {
                vec![
                    format!("{} {}", r.function_id, r.title),
                    r.status.label().to_owned(),
                    pct(r.implementation_score),
                    r.maturity
                        .map_or("not given".into(), |v| format!("{v} / 5")),
                ]
            })
            .collect(),
    ));
}

fn kpis(f: &FunctionLevelSummary) -> Vec<(String, String, String)> {
    let mut k = vec![
        (
            "Functions answered (function-level)".into(),
            format!("{} of {}", f.answered, f.functions_in_scope),
            "quick assessment, one answer per function".into(),
        ),
        (
            "Implementation score (function-level)".into(),
            pct(f.implementation_score),
            "mean over answered functions".into(),
        ),
    ];
    if let Some(v) = f.mean_maturity {
        k.push((
            "Mean maturity (function-level)".into(),
            format!("{v:.2} / 5"),
            "over answered functions with a maturity".into(),
        ));
    }
    k
}
