//! The CSF 1.1 ↔ 2.0 crosswalk, from the links in NIST's catalog only: where a withdrawn CSF
//! 1.1 element went, or which CSF 1.1 outcomes were merged into a CSF 2.0 element.

use csf_catalog::{Crosswalk, CrosswalkDirection, LinkRel};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::views::{ElementRef, PredecessorView};
use super::MAX_ID_LEN;
use crate::error::{check_len, Result};

/// The id to cross over.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CrosswalkRequest {
    /// A CSF 1.1 id (PR.AC-1, ID.BE) to see where it went in CSF 2.0, or a CSF 2.0 id (GV.OC-05)
    /// to see which withdrawn CSF 1.1 outcomes were merged into it.
    pub id: String,
}

// A CSF 2.0 element that carries a withdrawn element's outcome now.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SuccessorView {
    /// incorporated_into or moved_to.
    pub relation: LinkRel,
    #[serde(flatten)]
    pub element: ElementRef,
}

// Where a withdrawn category's subcategory went.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SubcategoryMove {
    /// The withdrawn CSF 1.1 subcategory.
    pub from: String,
    pub relation: LinkRel,
    pub to: String,
}

/// The crosswalk of one id.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CrosswalkOutput {
    pub input: ElementRef,
    /// csf11_to_csf20 (the input is withdrawn) or csf20_to_csf11 (the input is active).
    pub direction: CrosswalkDirection,
    /// csf11_to_csf20: the CSF 2.0 elements that carry the outcome now.
    pub successors: Vec<SuccessorView>,
    /// csf11_to_csf20, withdrawn categories: where each of their subcategories went.
    pub subcategory_moves: Vec<SubcategoryMove>,
    /// csf20_to_csf11: withdrawn CSF 1.1 elements whose outcome went into the input.
    pub predecessors: Vec<PredecessorView>,
    pub note: String,
}

/// The crosswalk of a CSF 1.1 or CSF 2.0 id.
pub fn crosswalk(req: CrosswalkRequest) -> Result<CrosswalkOutput> {
    check_len("id", &req.id, MAX_ID_LEN)?;
    let cw = csf_catalog::crosswalk(&req.id)?;
    Ok(CrosswalkOutput {
        input: ElementRef::new(&cw.input, true),
        direction: cw.direction,
        successors: cw
            .successors
            .iter()
            .map(|(rel, e)| SuccessorView {
                relation: *rel,
                element: ElementRef::new(e, true),
            })
            .collect(),
        subcategory_moves: cw
            .subcategory_successors
            .iter()
            .map(|(from, rel, to)| SubcategoryMove {
                from: (*from).into(),
                relation: *rel,
                to: to.id().into(),
            })
            .collect(),
        predecessors: cw.predecessors.iter().map(PredecessorView::from).collect(),
        note: note(&cw),
    })
}

fn note(cw: &Crosswalk) -> String {
    let id = cw.input.id();
    match cw.direction {
        CrosswalkDirection::Forward
            if cw.successors.is_empty() && cw.subcategory_successors.is_empty() =>
        {
            format!("{id} was withdrawn; the catalog records no successor.")
        }
        CrosswalkDirection::Forward if cw.successors.is_empty() => format!(
            "{id} was withdrawn without a successor of its own; its subcategories moved as listed."
        ),
        CrosswalkDirection::Forward => format!("{id} was withdrawn in CSF 2.0."),
        CrosswalkDirection::Reverse if cw.predecessors.is_empty() => format!(
            "{id} is active in CSF 2.0; the catalog links no withdrawn CSF 1.1 element to it \
             (ids that CSF 2.0 kept are not listed as withdrawn)."
        ),
        CrosswalkDirection::Reverse => format!(
            "{id} is active in CSF 2.0; {} withdrawn CSF 1.1 element(s) point to it.",
            cw.predecessors.len()
        ),
    }
}
