//! What a question shows beside itself: the outcome (NIST's text, from the catalog), NIST's
//! implementation examples, the informative references, and what each answer level looks like
//! (guidance in this project's own words).

use schemars::JsonSchema;
use serde::Serialize;

use crate::assessment::questions::{Dimension, Question};
use crate::framework::{self, DatasetGroup, ExampleView, ExamplesRequest};

/// The context of one question.
#[derive(Debug, Serialize, JsonSchema)]
pub struct QuestionContext {
    pub subcategory: String,
    /// The outcome statement (NIST's text).
    pub outcome: String,
    pub examples: Vec<ExampleView>,
    pub references: Vec<DatasetGroup>,
    /// What each accepted answer means, in this project's words.
    pub levels: Vec<LevelGuide>,
}

/// One answer level and what it looks like.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LevelGuide {
    pub value: String,
    pub looks_like: String,
}

fn guide(pairs: &[(&str, &str)]) -> Vec<LevelGuide> {
    pairs
        .iter()
        .map(|(v, l)| LevelGuide {
            value: (*v).into(),
            looks_like: (*l).into(),
        })
        .collect()
}

/// The levels of a dimension's answers with what each looks like in practice.
pub fn levels(d: Dimension) -> Vec<LevelGuide> {
    match d {
        Dimension::Implementation => guide(&[
            (
                "not_implemented",
                "Nothing in place yet, or only intentions.",
            ),
            (
                "partially",
                "Some parts in place, in some teams or systems, with known holes.",
            ),
            (
                "largely",
                "In place for most systems and teams; a few exceptions are known and tracked.",
            ),
            (
                "fully",
                "In place everywhere it should be, and it would survive an auditor's sample.",
            ),
            (
                "not_applicable",
                "The outcome does not concern this organization; say why in the notes.",
            ),
        ]),
        Dimension::Maturity => guide(&[
            ("0", "None: the practice does not exist."),
            ("1", "Initial: done ad hoc, depending on individuals."),
            (
                "2",
                "Developing: repeated, but not written down or not followed everywhere.",
            ),
            ("3", "Defined: written down, approved and followed."),
            (
                "4",
                "Managed: measured; deviations are noticed and corrected.",
            ),
            ("5", "Optimizing: measurements drive regular improvement."),
        ]),
        Dimension::Evidence => guide(&[
            (
                "none",
                "Nothing an outsider could check; answers rest on recollection.",
            ),
            (
                "documented",
                "Policies, records or configurations show it, but nobody has tested them.",
            ),
            (
                "tested",
                "An audit, exercise or technical check has confirmed it recently.",
            ),
        ]),
        Dimension::Ownership => guide(&[(
            "a name or role",
            "One accountable person or role, not a committee or 'everyone'.",
        )]),
    }
}

/// The full context of a question (examples and references from the catalog).
pub fn context(q: &Question) -> QuestionContext {
    let outcome = csf_catalog::ids::subcategory(q.subcategory)
        .map(|s| s.statement.to_string())
        .unwrap_or_default();
    let examples = framework::examples(ExamplesRequest {
        id: q.subcategory.into(),
        limit: Some(100),
        cursor: None,
    })
    .map(|e| e.examples)
    .unwrap_or_default();
    QuestionContext {
        subcategory: q.subcategory.into(),
        outcome,
        examples,
        references: framework::grouped(q.subcategory, None),
        levels: levels(q.dimension),
    }
}
